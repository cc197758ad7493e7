"""The retrieval notebook's corpus and golden questions (course/data/retrieval/), validated.

``documents()`` and ``questions()`` read the YAML files once, check them against
``schema.json`` and against each other (every evidence sentence stands, word for word, in the
document it names), and return fresh copies so a learner cannot corrupt them by accident.
``upload()`` puts the corpus into an S3 bucket the way a knowledge base data source expects
it: one object per document and a ``.metadata.json`` sidecar with its attributes.
"""

from __future__ import annotations

import copy
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data" / "retrieval"


class RetrievalDataError(ValueError):
    """A file in course/data/retrieval is missing or inconsistent."""


def normalize(text: str) -> str:
    """Lower-case text with every run of white space as one space (how evidence is matched)."""
    return re.sub(r"\s+", " ", text or "").strip().lower()


def covers(passage: str, evidence: str) -> bool:
    """Whether ``passage`` contains the whole ``evidence`` sentence (case and spacing ignored)."""
    return bool(evidence) and normalize(evidence) in normalize(passage)


def _load(name: str, part: str) -> Any:
    import fastjsonschema
    import yaml

    schema = json.loads((DATA_DIR / "schema.json").read_text(encoding="utf-8"))
    path = DATA_DIR / name
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RetrievalDataError(f"cannot read {path}: {exc}") from exc
    validator = fastjsonschema.compile({**schema["$defs"][part], "$defs": schema["$defs"]})
    try:
        validator(document)
    except fastjsonschema.JsonSchemaException as exc:
        raise RetrievalDataError(f"{name}: {exc.message}") from exc
    return document


@lru_cache(maxsize=1)
def _corpus() -> list[dict[str, Any]]:
    docs = _load("corpus.yaml", "corpus")["documents"]
    keys = [d["key"] for d in docs]
    if len(keys) != len(set(keys)):
        raise RetrievalDataError("corpus.yaml: document keys must be unique")
    return docs


@lru_cache(maxsize=1)
def _golden() -> list[dict[str, Any]]:
    questions = _load("golden.yaml", "golden")["questions"]
    texts = {d["key"]: d["text"] for d in _corpus()}
    ids = [q["id"] for q in questions]
    if len(ids) != len(set(ids)):
        raise RetrievalDataError("golden.yaml: question ids must be unique")
    for q in questions:
        for evidence in q["evidence"]:
            source = texts.get(evidence["source"])
            if source is None:
                raise RetrievalDataError(f"golden.yaml {q['id']}: unknown source {evidence['source']}")
            if not covers(source, evidence["text"]):
                raise RetrievalDataError(f"golden.yaml {q['id']}: evidence not found in {evidence['source']}")
    return questions


def documents() -> list[dict[str, Any]]:
    """Every corpus document: ``{"key", "text", "metadata"}``."""
    return copy.deepcopy(_corpus())


def questions(kind: str | None = None) -> list[dict[str, Any]]:
    """The golden questions (all, or those of one ``kind``)."""
    return [copy.deepcopy(q) for q in _golden() if kind is None or q["kind"] == kind]


def upload(s3, bucket: str, prefix: str = "", create: bool = True) -> list[str]:
    """Write the corpus to ``s3://bucket/prefix``: each document and its metadata sidecar.

    Returns the object keys of the documents. ``create`` makes the bucket first.
    """
    if create:
        s3.create_bucket(Bucket=bucket)
    keys = []
    for doc in _corpus():
        key = prefix + doc["key"]
        s3.put_object(Bucket=bucket, Key=key, Body=doc["text"].encode("utf-8"), ContentType="text/markdown")
        sidecar = {"metadataAttributes": doc["metadata"]}
        s3.put_object(Bucket=bucket, Key=key + ".metadata.json", Body=json.dumps(sidecar).encode("utf-8"))
        keys.append(key)
    return keys
