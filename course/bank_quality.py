"""Test-wise giveaways in a set of questions: patterns that let a learner find the key without
knowing the answer. The bank tests and the coverage report (docs/blueprint.md) use the same
measures and limits (see ``../shared/reference/question-style.md`` for the rules).

Measured in *stored* order (the course shuffles options for display, but a stored pattern
still shows wherever a question is rendered in order, e.g. in an exported exam):

- single answer: the key is strictly the longest option (limit 30 % of items); the options
  are all within 20 % of the key's length (reported, no limit); the key's letter (each letter
  between 15 % and 35 % of keys, rounded outwards for small counts);
- multiple response: option ``a`` is a key (limit 60 %); the keys are the first N options
  (limit 25 %);
- matching: the keyed responses are listed in the prompts' order (limit 20 %);
- ordering: the items are stored in the answer's order (limit 0 %);
- explanations that name an option by its letter ("option B"), which a shuffled display
  would contradict (limit: none at all).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from string import ascii_lowercase

LIMITS = {"key_longest": 0.30, "multi_a_key": 0.60, "multi_first_n": 0.25, "matching_prompt_order": 0.20}
LETTER_BAND = (0.15, 0.35)
NEAR_LENGTH = 0.20
_LETTER_REF = re.compile(r"\b(?:[Oo]ptions?|[Aa]nswers?|[Cc]hoices?)\s+\(?([A-F])\)?(?![\w-])")


@dataclass(frozen=True)
class Share:
    """Items showing a pattern (``hits``, by id) out of the ``total`` it applies to."""

    hits: tuple[str, ...] = ()
    total: int = 0

    @property
    def share(self) -> float:
        return len(self.hits) / self.total if self.total else 0.0

    def text(self) -> str:
        return f"{len(self.hits)}/{self.total} ({100 * self.share:.0f} %)" if self.total else "-"


@dataclass(frozen=True)
class Metrics:
    key_longest: Share
    near_lengths: Share
    letters: dict[str, int]
    multi_a_key: Share
    multi_first_n: Share
    matching_prompt_order: Share
    ordering_answer_order: Share
    letter_references: tuple[str, ...] = field(default=())

    @property
    def singles(self) -> int:
        return sum(self.letters.values())


def keyed_items(data: dict, key: dict | None = None) -> list[dict]:
    """Every self-check question of a bank (case sub-questions included) and every graded
    question that has an entry in ``key`` (``source/<name>/graded_key.yaml``), with its
    answer and explanations merged in so that both kinds are measured alike."""
    from course import bank

    out = list(bank.iter_questions(data))
    for q in data.get("graded", []):
        entry = (key or {}).get(q["id"])
        if not isinstance(entry, dict) or "answer" not in entry:
            continue
        why = entry.get("why") if isinstance(entry.get("why"), dict) else {}
        merged = dict(q, answer=entry["answer"])
        for part in ("options", "items", "prompts", "responses"):
            if part in q:
                merged[part] = [dict(c, why=why.get(c["id"], "")) for c in q[part]]
        out.append(merged)
    return out


def _single(q: dict) -> tuple[bool, bool, str | None]:
    opts = q["options"]
    ids = [o["id"] for o in opts]
    if q["answer"] not in ids:
        return False, False, None
    k = ids.index(q["answer"])
    lengths = [len(o["text"]) for o in opts]
    key_len = lengths[k]
    longest = all(key_len > n for j, n in enumerate(lengths) if j != k)
    near = all(abs(n - key_len) <= NEAR_LENGTH * key_len for n in lengths)
    return longest, near, ascii_lowercase[k]


def _multi(q: dict) -> tuple[bool, bool]:
    ids = [o["id"] for o in q["options"]]
    keys = set(q["answer"])
    return ids[0] in keys, set(ids[: len(keys)]) == keys


def _matching_in_order(q: dict) -> bool:
    position = {r["id"]: n for n, r in enumerate(q["responses"])}
    placed = [position.get(q["answer"].get(p["id"]), -1) for p in q["prompts"]]
    return all(a < b for a, b in zip(placed, placed[1:]))


def _texts(q: dict) -> Iterable[str]:
    for part in ("options", "items", "prompts", "responses"):
        for c in q.get(part, []):
            yield c.get("why", "")


def measure(items: Iterable[dict]) -> Metrics:
    """The giveaway measures over questions that carry their answers."""
    longest, near, a_key, first_n, match_order, order_order, refs = [], [], [], [], [], [], []
    letters = dict.fromkeys("abcd", 0)
    n_single = n_multi = n_match = n_order = 0
    for q in items:
        kind = q["type"]
        if any(_LETTER_REF.search(t) for t in _texts(q)):
            refs.append(q["id"])
        if kind == "single":
            is_longest, is_near, letter = _single(q)
            n_single += 1
            if is_longest:
                longest.append(q["id"])
            if is_near:
                near.append(q["id"])
            if letter:
                letters[letter] = letters.get(letter, 0) + 1
        elif kind == "multi":
            n_multi += 1
            has_a, is_first = _multi(q)
            if has_a:
                a_key.append(q["id"])
            if is_first:
                first_n.append(q["id"])
        elif kind == "matching":
            n_match += 1
            if _matching_in_order(q):
                match_order.append(q["id"])
        elif kind == "ordering":
            n_order += 1
            if list(q["answer"]) == [i["id"] for i in q["items"]]:
                order_order.append(q["id"])
    return Metrics(
        key_longest=Share(tuple(longest), n_single),
        near_lengths=Share(tuple(near), n_single),
        letters=letters,
        multi_a_key=Share(tuple(a_key), n_multi),
        multi_first_n=Share(tuple(first_n), n_multi),
        matching_prompt_order=Share(tuple(match_order), n_match),
        ordering_answer_order=Share(tuple(order_order), n_order),
        letter_references=tuple(refs),
    )


def letter_bounds(n: int) -> tuple[int, int]:
    """How many of ``n`` single-answer keys one letter may have: 15-35 %, rounded outwards."""
    return math.floor(LETTER_BAND[0] * n), math.ceil(LETTER_BAND[1] * n)


def _over(share: Share, limit: float) -> bool:
    return len(share.hits) > math.floor(limit * share.total + 1e-9)


def problems(m: Metrics) -> list[str]:
    """Each limit broken, with the items to rewrite."""
    out = []
    checks = [
        ("key_longest", m.key_longest, "single-answer keys strictly the longest option"),
        ("multi_a_key", m.multi_a_key, "multiple-response items with option a among the keys"),
        ("multi_first_n", m.multi_first_n, "multiple-response items whose keys are the first N options"),
        ("matching_prompt_order", m.matching_prompt_order, "matching items with responses in the prompts' order"),
    ]
    for name, share, what in checks:
        if _over(share, LIMITS[name]):
            out.append(f"{what}: {share.text()}, limit {100 * LIMITS[name]:.0f} %; rewrite some of {list(share.hits)}")
    if m.ordering_answer_order.hits:
        out.append(f"ordering items stored in the answer's order: {list(m.ordering_answer_order.hits)}")
    low, high = letter_bounds(m.singles)
    unbalanced = {k: v for k, v in m.letters.items() if not low <= v <= high}
    if m.singles and unbalanced:
        out.append(
            f"single-answer key letters {m.letters} are unbalanced: each letter needs {low}-{high} of {m.singles} "
            f"(out of range: {unbalanced})"
        )
    if m.letter_references:
        out.append(
            "explanations name an option by its letter, which the shuffled display contradicts: "
            f"{list(m.letter_references)}"
        )
    return out
