"""Split documents into chunks as a knowledge base's chunkingConfiguration says.

Sizes are in the simulator's tokens (see tokens.py). Every chunk is an exact slice of the
document text, so citations can point back into it.

* FIXED_SIZE: windows of ``maxTokens`` tokens; consecutive windows overlap by
  ``overlapPercentage`` percent of ``maxTokens``. Default when no configuration is given:
  300 tokens, 20 % overlap.
* NONE: the whole document is one chunk.
* HIERARCHICAL: parent windows of ``levelConfigurations[0].maxTokens``, each split into child
  windows of ``levelConfigurations[1].maxTokens``; both levels overlap by ``overlapTokens``.
  Children are searched, their parent text is returned (as Bedrock does).
* SEMANTIC: sentences are grouped with ``bufferSize`` neighbours, embedded (with the knowledge
  base's dimension), and a chunk boundary is placed where the distance between consecutive
  sentences is above the ``breakpointPercentileThreshold`` percentile; chunks never exceed
  ``maxTokens``, and a Markdown heading always stays with the sentence after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from course.bedrock_sim import embeddings, tokens
from course.bedrock_sim.protocol import validation

DEFAULT = {
    "chunkingStrategy": "FIXED_SIZE",
    "fixedSizeChunkingConfiguration": {"maxTokens": 300, "overlapPercentage": 20},
}


@dataclass
class Chunk:
    text: str
    parent: str | None = None


def _windows(text: str, offsets: list[tuple[int, int]], size: int, step: int) -> list[tuple[int, int]]:
    if not offsets:
        return []
    spans = []
    start = 0
    while True:
        end = min(start + size, len(offsets))
        spans.append((offsets[start][0], offsets[end - 1][1]))
        if end >= len(offsets):
            break
        start += max(step, 1)
    return spans


def fixed(text: str, max_tokens: int, overlap_tokens: int) -> list[str]:
    offsets = tokens.spans(text)
    return [text[a:b] for a, b in _windows(text, offsets, max_tokens, max_tokens - overlap_tokens)]


def validate(config: dict[str, Any] | None) -> None:
    config = config or DEFAULT
    strategy = config["chunkingStrategy"]
    if strategy == "FIXED_SIZE":
        c = config.get("fixedSizeChunkingConfiguration")
        if not c:
            raise validation("fixedSizeChunkingConfiguration is required for the FIXED_SIZE chunking strategy.")
        if not c["maxTokens"] >= 1 or not 1 <= c["overlapPercentage"] <= 99:
            raise validation("overlapPercentage must be between 1 and 99 and maxTokens at least 1.")
    elif strategy == "HIERARCHICAL":
        c = config.get("hierarchicalChunkingConfiguration")
        if not c or len(c["levelConfigurations"]) != 2:
            raise validation("hierarchicalChunkingConfiguration needs exactly two levelConfigurations (parent, child).")
        parent, child = (level["maxTokens"] for level in c["levelConfigurations"])
        if child >= parent:
            raise validation("The child chunk size must be smaller than the parent chunk size.")
    elif strategy == "SEMANTIC":
        c = config.get("semanticChunkingConfiguration")
        if not c:
            raise validation("semanticChunkingConfiguration is required for the SEMANTIC chunking strategy.")
        if not 0 <= c["bufferSize"] <= 1 or not 50 <= c["breakpointPercentileThreshold"] <= 99:
            raise validation("bufferSize must be 0 or 1 and breakpointPercentileThreshold between 50 and 99.")


def chunk(text: str, config: dict[str, Any] | None, dimension: int = 256) -> list[Chunk]:
    """The chunks of ``text``; ``dimension`` is the embedding size SEMANTIC chunking uses."""
    config = config or DEFAULT
    strategy = config["chunkingStrategy"]
    if not text.strip():
        return []
    if strategy == "NONE":
        return [Chunk(text.strip())]
    if strategy == "FIXED_SIZE":
        c = config["fixedSizeChunkingConfiguration"]
        overlap = c["maxTokens"] * c["overlapPercentage"] // 100
        return [Chunk(t) for t in fixed(text, c["maxTokens"], overlap)]
    if strategy == "HIERARCHICAL":
        c = config["hierarchicalChunkingConfiguration"]
        parent_size, child_size = (level["maxTokens"] for level in c["levelConfigurations"])
        overlap = c["overlapTokens"]
        out = []
        for parent in fixed(text, parent_size, min(overlap, parent_size - 1)):
            out += [Chunk(child, parent) for child in fixed(parent, child_size, min(overlap, child_size - 1))]
        return out
    return [Chunk(t) for t in _semantic(text, config["semanticChunkingConfiguration"], dimension)]


def _semantic(text: str, c: dict[str, Any], dimension: int = 256) -> list[str]:
    bounds = list(tokens.iter_sentences(text))
    if len(bounds) <= 1:
        return fixed(text, c["maxTokens"], 0)
    sentences = [text[a:b] for a, b in bounds]
    buffer = c["bufferSize"]
    vectors = [
        embeddings.embed(" ".join(sentences[max(0, i - buffer) : i + buffer + 1]), dimension)
        for i in range(len(sentences))
    ]
    distances = [1 - embeddings.cosine(vectors[i], vectors[i + 1]) for i in range(len(vectors) - 1)]
    ordered = sorted(distances)
    cutoff = ordered[min(len(ordered) - 1, int(len(ordered) * c["breakpointPercentileThreshold"] / 100))]
    groups: list[list[int]] = [[0]]
    for i, distance in enumerate(distances, start=1):
        size = sum(tokens.count(sentences[j]) for j in groups[-1]) + tokens.count(sentences[i])
        after_heading = sentences[i - 1].lstrip().startswith("#")
        if size > c["maxTokens"] or (distance >= cutoff and not after_heading):
            groups.append([i])
        else:
            groups[-1].append(i)
    out = []
    for group in groups:
        piece = text[bounds[group[0]][0] : bounds[group[-1]][1]]
        out += fixed(piece, c["maxTokens"], 0) if tokens.count(piece) > c["maxTokens"] else [piece]
    return out
