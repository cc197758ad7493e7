"""The simulator's one tokenizer rule, and the word helpers built on it.

Rule: a token is a run of word characters (letters, digits, underscore) or a single
other non-space character. ``"Hello, world!"`` is 4 tokens: ``Hello`` ``,`` ``world`` ``!``.
Every token count the simulator reports (usage, inputTextTokenCount, count_tokens,
chunk sizes) uses this rule, so learners can reproduce the numbers by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

TOKEN_RE = re.compile(r"\w+|[^\w\s]")
_WORD_RE = re.compile(r"[A-Za-z0-9]+")

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "please",
        "tell",
        "give",
        "show",
        "me",
        "what's",
        "whats",
        "use",
        "using",
        "get",
        "also",
        "may",
        "might",
        "must",
        "shall",
        "let",
        "lets",
        "us",
        "one",
    ]
)


def tokenize(text: str) -> list[str]:
    """The token pieces of ``text`` under the rule above."""
    return TOKEN_RE.findall(text or "")


def count(text: str) -> int:
    """How many tokens ``text`` is."""
    return len(TOKEN_RE.findall(text or ""))


def spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of each token of ``text``."""
    return [m.span() for m in TOKEN_RE.finditer(text or "")]


def truncate(text: str, max_tokens: int) -> tuple[str, bool]:
    """The prefix of ``text`` holding at most ``max_tokens`` tokens, and whether it was cut."""
    offsets = spans(text)
    if len(offsets) <= max_tokens:
        return text, False
    if max_tokens <= 0:
        return "", True
    return text[: offsets[max_tokens - 1][1]], True


def stem(word: str) -> str:
    """A tiny suffix-stripping stemmer (lower-cases; 'Policies' -> 'polici', 'running' -> 'runn')."""
    w = word.lower()
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "ly", "s"):
        if len(w) > len(suffix) + 2 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def words(text: str) -> list[str]:
    """Lower-case alphanumeric words of ``text`` (no punctuation)."""
    return [w.lower() for w in _WORD_RE.findall(text or "")]


def content_terms(text: str) -> list[str]:
    """Stemmed words of ``text`` without stop words: what overlap scores compare."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


def iter_sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``: split after . ! ? followed by white
    space or the end, and at line breaks (so ``help@shop.example`` or ``3.5`` stay whole)."""
    for m in re.finditer(r"(?:[^.!?\n]|[.!?](?=[^\s.!?]))+(?:[.!?]+(?=\s|$)|(?=\n)|$)", text or ""):
        start, end = m.span()
        chunk = text[start:end]
        stripped = chunk.strip()
        if not stripped or not re.search(r"\w", stripped):
            continue
        lead = len(chunk) - len(chunk.lstrip())
        yield start + lead, start + lead + len(stripped)


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in iter_sentences(text)]
