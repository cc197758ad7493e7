"""Keyword (BM25) scoring and the score fusion of HYBRID knowledge-base search.

Keyword terms keep identifiers whole and lower-cased (``e-4021``, ``kh-r7-3pk``) and also add
their parts (``e``, ``4021``), so "error 4021" still matches; other words are stemmed
(tokens.stem) without stop words. BM25 uses k1 = 1.2 and b = 0.75 over the chunks of one
knowledge base, as OpenSearch does by default.

HYBRID search (knowledge_bases.search) scores every candidate chunk both ways, rescales each
score list to 0..1 with min-max normalisation, and ranks by the mean of the two, the
normalisation-and-combination approach OpenSearch's hybrid query uses.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from course.bedrock_sim import semantics, tokens

K1 = 1.2
B = 0.75
SEMANTIC_WEIGHT = 0.5


def terms(text: str) -> list[str]:
    """The keyword terms of ``text``."""
    return list(_terms(text))


@lru_cache(maxsize=8192)
def _terms(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for match in semantics.IDENTIFIER_RE.finditer(text or ""):
        token = match.group(0).lower()
        if semantics.is_identifier(token):
            parts = [p for p in token.replace(".", "-").replace("/", "-").split("-") if p]
            out.append(token)
            if len(parts) > 1:
                out += parts
            continue
        for word in tokens.words(token):
            if word not in tokens.STOPWORDS:
                out.append(tokens.stem(word))
    return tuple(out)


@lru_cache(maxsize=8192)
def _bag(text: str) -> Counter:
    return Counter(_terms(text))


def bm25(query: str, documents: Sequence[str]) -> list[float]:
    """The BM25 score of each of ``documents`` for ``query`` (0 when no term matches)."""
    bags = [_bag(d) for d in documents]
    if not bags:
        return []
    lengths = [sum(b.values()) for b in bags]
    average = (sum(lengths) / len(lengths)) or 1.0
    frequency = Counter(t for b in bags for t in b)
    n = len(bags)
    scores = []
    for bag, length in zip(bags, lengths):
        score = 0.0
        for term in set(terms(query)):
            tf = bag.get(term, 0)
            if not tf:
                continue
            idf = math.log(1 + (n - frequency[term] + 0.5) / (frequency[term] + 0.5))
            score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average))
        scores.append(score)
    return scores


def _minmax(values: Sequence[float]) -> list[float]:
    low, high = min(values), max(values)
    if high - low < 1e-12:
        return [1.0 if high > 0 else 0.0 for _ in values]
    return [(v - low) / (high - low) for v in values]


def fuse(semantic: Sequence[float], keyword: Sequence[float]) -> list[float]:
    """Hybrid scores: the weighted mean of min-max normalised semantic and keyword scores."""
    if not semantic:
        return []
    return [
        SEMANTIC_WEIGHT * s + (1 - SEMANTIC_WEIGHT) * k
        for s, k in zip(_minmax(semantic), _minmax(keyword), strict=True)
    ]
