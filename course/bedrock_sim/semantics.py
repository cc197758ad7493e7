"""What a text "means" to the simulator: concepts from a committed table, and identifiers.

Two rules give hashed embeddings (embeddings.py) and the reranker (rerank.py) some sense of
meaning without any model weights:

* **Concepts.** ``course/data/bedrock/concepts.yaml`` groups words and short phrases that mean
  the same thing in the course's texts ("guarantee" and "warranty", "money back" and
  "refund"). :func:`concepts` names the groups a text mentions; embeddings add one shared
  feature per concept, so paraphrases land close together. Words outside the table carry no
  meaning beyond their spelling.
* **Identifiers.** Tokens that mix letters and digits or are numbers (``E-4021``,
  ``KH-R7-3PK``, ``2.4``) are reduced to their *shape*, digits replaced by ``9``
  (``e-9999``, ``kh-r9-9pk``): like a real embedding model, the simulator hardly tells
  ``E-4021`` from ``E-4012``. Keyword search
  (lexical.py) keeps them whole, which is why hybrid search wins on exact codes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from course.bedrock_sim import tokens

IDENTIFIER_RE = re.compile(r"[A-Za-z0-9]+(?:[-./][A-Za-z0-9]+)*")

CONCEPTS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["concepts"],
    "additionalProperties": False,
    "properties": {
        "concepts": {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": "^[a-z][a-z0-9_]*$"},
            "additionalProperties": {
                "type": "array",
                "minItems": 2,
                "items": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9 \-]*$"},
            },
        }
    },
}


def key(word: str) -> str:
    """The matching key of one word: tokens.stem, then a final 'e' dropped ('charge' = 'charges')."""
    stemmed = tokens.stem(word)
    return stemmed[:-1] if len(stemmed) > 3 and stemmed.endswith("e") else stemmed


def _keys(text: str) -> list[str]:
    return [key(w) for w in tokens.words(text)]


@lru_cache(maxsize=1)
def table() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Phrase (as a tuple of word keys) -> the concepts it belongs to."""
    from course.bedrock_sim import data

    document = data.load("concepts.yaml", CONCEPTS_SCHEMA)
    out: dict[tuple[str, ...], list[str]] = {}
    for concept, phrases in document["concepts"].items():
        for phrase in phrases:
            out.setdefault(tuple(_keys(phrase)), []).append(concept)
    return {phrase: tuple(dict.fromkeys(names)) for phrase, names in out.items()}


@lru_cache(maxsize=1)
def _lengths() -> dict[str, tuple[int, ...]]:
    """First word key -> the phrase lengths that start with it, longest first."""
    out: dict[str, set[int]] = {}
    for phrase in table():
        out.setdefault(phrase[0], set()).add(len(phrase))
    return {first: tuple(sorted(sizes, reverse=True)) for first, sizes in out.items()}


def concepts(text: str) -> list[str]:
    """Concepts mentioned in ``text``, once per mention, in order of appearance."""
    return list(_concepts(text))


@lru_cache(maxsize=8192)
def _concepts(text: str) -> tuple[str, ...]:
    words = _keys(text)
    found: list[str] = []
    phrases, lengths = table(), _lengths()
    i = 0
    while i < len(words):
        for size in lengths.get(words[i], ()):
            names = phrases.get(tuple(words[i : i + size])) if i + size <= len(words) else None
            if names:
                found.extend(names)
                i += size
                break
        else:
            i += 1
    return tuple(found)


def is_identifier(token: str) -> bool:
    """A token that holds a digit (a code, SKU, version or number)."""
    return any(ch.isdigit() for ch in token)


def shape(token: str) -> str:
    """The shape of an identifier: lower case, every digit '9' ('KH-R7-3PK' -> 'kh-r9-9pk')."""
    return re.sub(r"[0-9]", "9", token.lower())


def split_identifiers(text: str) -> tuple[str, list[str]]:
    """``text`` with its identifiers blanked out, and the identifiers (as written)."""
    found: list[str] = []

    def blank(match: re.Match[str]) -> str:
        token = match.group(0)
        if is_identifier(token):
            found.append(token)
            return " "
        return token

    return IDENTIFIER_RE.sub(blank, text or ""), found
