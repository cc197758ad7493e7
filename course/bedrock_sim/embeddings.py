"""Deterministic text embeddings: hashed words, character trigrams, concepts and identifier shapes.

Features of a text (semantics.py explains concepts and identifiers):

* each stemmed content word: weight 1.0, and each of its character trigrams 0.3;
* each concept of ``course/data/bedrock/concepts.yaml`` it mentions: weight 1.0, shared by
  every word of that concept (so paraphrases score close);
* each identifier (a token with a digit, such as ``E-4021``): only its shape (``e-9999``),
  weight 0.5, so codes of the same shape embed alike, as they nearly do in real models.

A feature that occurs ``n`` times counts ``1 + ln n`` times its weight.

Every feature is added at a coordinate chosen by a BLAKE2 hash (with a hashed sign) in a vector
of the requested dimension. Fewer dimensions mean more features share a coordinate, so
unrelated texts collide more and recall drops, as it does (less steeply) with real models.
The vector is L2-normalised when ``normalize`` is true (Titan V2's default). No model weights,
no randomness: the same text always gives the same vector, in every process.
"""

from __future__ import annotations

import hashlib
import math
import operator
from functools import lru_cache

from course.bedrock_sim import semantics, tokens

WORD_WEIGHT = 1.0
TRIGRAM_WEIGHT = 0.3
CONCEPT_WEIGHT = 1.0
IDENTIFIER_WEIGHT = 0.5


@lru_cache(maxsize=65536)
def _slot(feature: str, dimension: int) -> tuple[int, float]:
    digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
    value = int.from_bytes(digest, "big")
    return value % dimension, (1.0 if (value >> 63) & 1 else -1.0)


@lru_cache(maxsize=16384)
def _term_features(term: str) -> tuple[tuple[str, float], ...]:
    padded = f"#{term}#"
    return (("w:" + term, WORD_WEIGHT), *(("c:" + padded[i : i + 3], TRIGRAM_WEIGHT) for i in range(len(padded) - 2)))


_stem = lru_cache(maxsize=65536)(tokens.stem)


def features(text: str) -> list[tuple[str, float]]:
    """The weighted features of ``text`` that :func:`embed` hashes."""
    remainder, identifiers = semantics.split_identifiers(text)
    out = [("s:" + semantics.shape(token), IDENTIFIER_WEIGHT) for token in identifiers]
    # tokens.content_terms, with the stemmer cached (embedding is the simulator's hot path)
    terms = [_stem(w) for w in tokens.words(remainder) if w not in tokens.STOPWORDS]
    terms = terms or ([] if identifiers else tokens.words(text) or ["<empty>"])
    for term in terms:
        out += _term_features(term)
    out += [("k:" + concept, CONCEPT_WEIGHT) for concept in semantics.concepts(remainder)]
    return out


@lru_cache(maxsize=4096)
def _vector(text: str, dimension: int, normalize: bool):
    import numpy as np

    totals: dict[str, list[float]] = {}
    for feature, weight in features(text):
        entry = totals.setdefault(feature, [weight, 0])
        entry[1] += 1
    indexes, values = [], []
    for feature, (weight, count) in totals.items():
        index, sign = _slot(feature, dimension)
        indexes.append(index)
        # A repeated feature counts sublinearly: a list that says "router" ten times is not
        # ten times more about routers.
        values.append(sign * weight * (1.0 + math.log(count)))
    vector = np.zeros(dimension)
    np.add.at(vector, indexes, values)
    if normalize:
        vector /= float(np.sqrt(vector @ vector)) or 1.0
    vector = np.round(vector, 6)
    vector.setflags(write=False)
    return vector


def embed(text: str, dimension: int = 1024, normalize: bool = True) -> list[float]:
    """The embedding of ``text`` as ``dimension`` floats (recent texts are served from a cache)."""
    return _vector(text, dimension, normalize).tolist()


def cosine(a: list[float], b: list[float]) -> float:
    dot = sum(map(operator.mul, a, b))
    na = math.sqrt(sum(map(operator.mul, a, a)))
    nb = math.sqrt(sum(map(operator.mul, b, b)))
    if na == 0 or nb == 0:
        return 0.0
    return dot / (na * nb)


def euclidean(a: list[float], b: list[float]) -> float:
    return math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b)))
