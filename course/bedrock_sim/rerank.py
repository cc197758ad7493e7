"""bedrock-agent-runtime Rerank, and the reranking step of knowledge-base retrieval.

The simulated reranker reads the query and each document together, as a cross-encoder does,
instead of comparing two precomputed vectors. Its relevance is a coverage score:

* **words**: the share of the query's content words (stemmed, stop words dropped) found in the
  document, each identifier (``E-4021``, ``KH-R7-3PK``) counting double and matching only
  exactly; scored over the whole document and over its best passage of ``window`` words
  (rewarding documents where the query's words stand together);
* **concepts**: the share of the query's concepts (semantics.py) the document also mentions,
  weighted by the model's ``conceptCredit``.

``coverage = (1 - credit) * (0.6 * passage + 0.4 * whole) + credit * concepts``, and
``relevanceScore = 1 / (1 + exp(-10 * (coverage - 0.5)))``, rounded to 6 places. Models, their
Regions and parameters live in ``course/data/bedrock/rerankers.yaml``.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from typing import Any

from course.bedrock_sim import catalogue, semantics, tokens
from course.bedrock_sim.protocol import Call, Reply, validation

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["rerankers"],
    "additionalProperties": False,
    "properties": {
        "rerankers": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {
                "type": "object",
                "required": ["regions", "window", "conceptCredit"],
                "additionalProperties": False,
                "properties": {
                    "regions": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                    "window": {"type": "integer", "minimum": 5},
                    "conceptCredit": {"type": "number", "minimum": 0, "maximum": 1},
                },
            },
        }
    },
}


@lru_cache(maxsize=1)
def rerankers() -> dict[str, dict[str, Any]]:
    from course.bedrock_sim import data

    return data.load("rerankers.yaml", SCHEMA)["rerankers"]


def model_for(model_arn: str, region: str) -> tuple[str, dict[str, Any]]:
    """The reranker model id and parameters named by ``model_arn`` (an ARN or a model id)."""
    model_id = model_arn.rsplit("/", 1)[-1] if model_arn.startswith("arn:") else model_arn
    model = catalogue.find(model_id)
    if model is None:
        raise validation("The provided model identifier is invalid.")
    if model["family"] != "rerank" or model_id not in rerankers():
        raise validation(f"The model {model_id} is not a reranker model.")
    if region not in rerankers()[model_id]["regions"]:
        raise validation("The provided model identifier is invalid.")
    return model_id, rerankers()[model_id]


@lru_cache(maxsize=8192)
def _units(text: str) -> tuple[tuple[str, str], ...]:
    """Ordered ("id", token) and ("w", key) units of ``text`` (stop words dropped)."""
    out: list[tuple[str, str]] = []
    for match in semantics.IDENTIFIER_RE.finditer(text or ""):
        token = match.group(0)
        if semantics.is_identifier(token):
            out.append(("id", token.lower()))
        else:
            out += [("w", semantics.key(w)) for w in tokens.words(token) if w not in tokens.STOPWORDS]
    return tuple(out)


def _word_coverage(query: list[tuple[str, str]], present: set[tuple[str, str]]) -> float:
    weights = [2.0 if kind == "id" else 1.0 for kind, _ in query]
    found = sum(w for unit, w in zip(query, weights) if unit in present)
    return found / sum(weights) if weights else 0.0


def relevance(query: str, document: str, params: dict[str, Any]) -> float:
    """The relevance score (0..1) of ``document`` for ``query`` under one model's parameters."""
    wanted = list(dict.fromkeys(_units(query)))
    units = _units(document)
    whole = _word_coverage(wanted, set(units))
    window = params["window"]
    passage = whole if len(units) <= window else 0.0
    for start in range(0, max(len(units) - window, 0) + 1, 5):
        passage = max(passage, _word_coverage(wanted, set(units[start : start + window])))
    asked = set(semantics.concepts(query))
    concepts = len(asked & set(semantics.concepts(document))) / len(asked) if asked else whole
    credit = params["conceptCredit"]
    coverage = (1 - credit) * (0.6 * passage + 0.4 * whole) + credit * concepts
    return round(1 / (1 + math.exp(-10 * (coverage - 0.5))), 6)


def _document_text(source: dict[str, Any]) -> str:
    if source.get("type") != "INLINE":
        raise validation("The source type must be INLINE.")
    inline = source.get("inlineDocumentSource") or {}
    if inline.get("type") not in ("TEXT", "JSON"):
        raise validation("The inline document type must be TEXT or JSON.")
    if inline.get("type") == "JSON":
        document = inline.get("jsonDocument")
        if document is None:
            raise validation("jsonDocument is required when the document type is JSON.")
        return json.dumps(document, sort_keys=True) if not isinstance(document, str) else document
    text = (inline.get("textDocument") or {}).get("text")
    if not text:
        raise validation("textDocument.text is required when the document type is TEXT.")
    return text


def rerank(call: Call) -> Reply:
    p = call.params
    config = p["rerankingConfiguration"]
    if config.get("type") != "BEDROCK_RERANKING_MODEL":
        raise validation("rerankingConfiguration.type must be BEDROCK_RERANKING_MODEL.")
    if p["queries"][0].get("type") != "TEXT":
        raise validation("The query type must be TEXT.")
    bedrock_config = config.get("bedrockRerankingConfiguration") or {}
    _, params = model_for(bedrock_config["modelConfiguration"]["modelArn"], call.region)
    query = p["queries"][0]["textQuery"].get("text") or ""
    if not query.strip():
        raise validation("The query text must not be empty.")
    texts = [_document_text(source) for source in p["sources"]]
    number = bedrock_config.get("numberOfResults", len(texts))
    scored = sorted(((-relevance(query, t, params), i) for i, t in enumerate(texts)))
    results = [{"index": i, "relevanceScore": -negative} for negative, i in scored[:number]]
    return Reply({"results": results})


def rerank_results(results: list[dict[str, Any]], query: str, config: dict[str, Any], region: str) -> list[dict]:
    """Rerank knowledge-base Retrieve results as ``vectorSearchConfiguration.rerankingConfiguration`` says.

    Each result's score becomes its relevance score; ``numberOfRerankedResults`` (default: all)
    cuts the list. ``metadataConfiguration`` adds metadata to the text the reranker reads:
    ``ALL`` fields, or ``SELECTIVE`` ``fieldsToInclude`` / all but ``fieldsToExclude``.
    """
    if config.get("type") != "BEDROCK_RERANKING_MODEL":
        raise validation("rerankingConfiguration.type must be BEDROCK_RERANKING_MODEL.")
    bedrock_config = config.get("bedrockRerankingConfiguration") or {}
    _, params = model_for(bedrock_config["modelConfiguration"]["modelArn"], region)
    metadata_config = bedrock_config.get("metadataConfiguration") or {}
    mode = metadata_config.get("selectionMode")
    selective = metadata_config.get("selectiveModeConfiguration") or {}
    include = {f["fieldName"] for f in selective.get("fieldsToInclude") or []}
    exclude = {f["fieldName"] for f in selective.get("fieldsToExclude") or []}

    def reranker_text(result: dict[str, Any]) -> str:
        text = result["content"]["text"]
        if mode is None:
            return text
        fields = {
            k: v
            for k, v in (result.get("metadata") or {}).items()
            if not k.startswith("x-amz-bedrock-kb-")
            and (mode == "ALL" or (k in include if include else k not in exclude))
        }
        return text + "\n" + " ".join(f"{k}: {v}" for k, v in sorted(fields.items()))

    scored = sorted(((-relevance(query, reranker_text(r), params), i) for i, r in enumerate(results)), key=lambda s: s)
    number = bedrock_config.get("numberOfRerankedResults", len(results))
    out = []
    for negative, i in scored[:number]:
        out.append({**results[i], "score": -negative})
    return out


OPERATIONS = {"Rerank": rerank}
