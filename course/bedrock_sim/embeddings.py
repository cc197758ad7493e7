"""Deterministic text embeddings: hashed bag of words and character trigrams.

Each stemmed content word adds weight 1.0 and each of its character trigrams weight 0.3
to a coordinate chosen by a BLAKE2 hash of the feature (with a hashed sign), in a vector of
the requested dimension. Texts that share words therefore have a larger cosine similarity
than texts that share none. The vector is L2-normalised when ``normalize`` is true
(Titan V2's default). No model weights, no randomness: the same text always gives the same
vector, in every process.
"""

from __future__ import annotations

import hashlib
import math

from course.bedrock_sim import tokens

WORD_WEIGHT = 1.0
TRIGRAM_WEIGHT = 0.3


def _slot(feature: str, dimension: int) -> tuple[int, float]:
    digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
    value = int.from_bytes(digest, "big")
    return value % dimension, (1.0 if (value >> 63) & 1 else -1.0)


def embed(text: str, dimension: int = 1024, normalize: bool = True) -> list[float]:
    """The embedding of ``text`` as ``dimension`` floats."""
    vector = [0.0] * dimension
    terms = tokens.content_terms(text) or tokens.words(text) or ["<empty>"]
    for term in terms:
        index, sign = _slot("w:" + term, dimension)
        vector[index] += sign * WORD_WEIGHT
        padded = f"#{term}#"
        for i in range(len(padded) - 2):
            index, sign = _slot("c:" + padded[i : i + 3], dimension)
            vector[index] += sign * TRIGRAM_WEIGHT
    if normalize:
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        vector = [v / norm for v in vector]
    return [round(v, 6) for v in vector]


def cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b))
    na = math.sqrt(sum(x * x for x in a))
    nb = math.sqrt(sum(y * y for y in b))
    if na == 0 or nb == 0:
        return 0.0
    return dot / (na * nb)


def euclidean(a: list[float], b: list[float]) -> float:
    return math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b)))
