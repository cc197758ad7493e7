"""Query handling of knowledge-base retrieval: decomposition and implicit metadata filters.

* **Query decomposition** (RetrieveAndGenerate ``orchestrationConfiguration.
  queryTransformationConfiguration.type = QUERY_DECOMPOSITION``): the question is split into
  sub-queries at question marks, and at ", and" / "; " / " and " when the part after it starts
  a new question (how, what, when, which, is, can...) and both parts keep at least two content
  words. Each sub-query is retrieved on its own.
* **Implicit filtering** (``vectorSearchConfiguration.implicitFilterConfiguration``): the
  simulated model looks for values of the listed metadata attributes in the query: a STRING or
  STRING_LIST value that appears as a whole word (``T2``, ``installer``), a NUMBER that appears
  as a number (``2025``). Each attribute found becomes an ``equals`` (``listContains`` for
  lists; ``in`` when several values appear) and they are joined with ``andAll``. The
  descriptions are required, as on AWS, but the simulator matches values only.
"""

from __future__ import annotations

import re
from typing import Any

from course.bedrock_sim import catalogue, families, tokens
from course.bedrock_sim.protocol import validation

QUESTION_WORDS = (
    "how",
    "what",
    "when",
    "where",
    "which",
    "who",
    "why",
    "is",
    "are",
    "can",
    "could",
    "do",
    "does",
    "will",
    "should",
    "may",
)
_SPLIT_RE = re.compile(r"\s*(?:,\s*and\s+|;\s*|,\s*also\s+|\s+and\s+)", re.IGNORECASE)


def _content(text: str) -> int:
    return len(tokens.content_terms(text))


def decompose(question: str) -> list[str]:
    """The sub-queries of ``question`` (the question itself when it has one part)."""
    parts: list[str] = []
    for sentence in re.split(r"(?<=\?)\s+", question.strip()):
        pieces = [sentence]
        for match in reversed(list(_SPLIT_RE.finditer(sentence))):
            head, tail = sentence[: match.start()], sentence[match.end() :]
            first = (tokens.words(tail) or [""])[0]
            if first in QUESTION_WORDS and _content(head) >= 2 and _content(tail) >= 2:
                pieces = [head, tail] + pieces[1:]
                sentence = head
        parts += pieces
    cleaned = []
    for part in parts:
        text = part.strip().rstrip("?.!,; ").strip()
        if text:
            cleaned.append(text[0].upper() + text[1:] + "?")
    return cleaned or [question]


def check_model(model_arn: str, region: str) -> None:
    """Implicit filtering needs a text model of the catalogue."""
    resolved = catalogue.resolve(model_arn, region)
    if resolved.model["family"] not in families.TEXT_PARSERS:
        raise validation(f"The model {model_arn} can't be used for implicit filtering.")


def _mentions(query: str, value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return re.search(rf"(?<![\w.]){re.escape(str(value))}(?![\w.])", query) is not None
    text = str(value).strip().lower()
    if not text or text in tokens.STOPWORDS:
        return False
    return re.search(rf"(?<![\w-]){re.escape(text)}(?![\w-])", query.lower()) is not None


def implicit_filter(
    query: str, config: dict[str, Any], chunks: list[dict[str, Any]], region: str
) -> dict[str, Any] | None:
    """The Retrieve filter the simulated model derives from ``query`` (None if it finds none)."""
    check_model(config["modelArn"], region)
    conditions = []
    for attribute in config["metadataAttributes"]:
        name, kind = attribute["key"], attribute["type"]
        if kind == "BOOLEAN":
            continue
        values: list[Any] = []
        for chunk in chunks:
            value = chunk["metadata"].get(name)
            for item in value if isinstance(value, list) else [value]:
                if item is not None and item not in values:
                    values.append(item)
        if kind == "NUMBER":
            values = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
        else:
            values = [v for v in values if isinstance(v, str)]
        found = [v for v in values if _mentions(query, v)]
        if not found:
            continue
        if kind == "STRING_LIST":
            conditions.append({"listContains": {"key": name, "value": found[0]}})
        elif len(found) == 1:
            conditions.append({"equals": {"key": name, "value": found[0]}})
        else:
            conditions.append({"in": {"key": name, "value": found}})
    if not conditions:
        return None
    return conditions[0] if len(conditions) == 1 else {"andAll": conditions}


def combine(explicit: dict[str, Any] | None, implicit: dict[str, Any] | None) -> dict[str, Any] | None:
    """Both filters must hold."""
    if explicit and implicit:
        return {"andAll": [explicit, implicit]}
    return explicit or implicit
