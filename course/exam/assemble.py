"""Build a practice exam from the question banks.

Counts per domain
    The official weights (31/26/20/12/11 % of *scored* content) are applied with the
    largest-remainder (Hamilton) method: each domain first gets the whole part of its exact
    share, then the seats left over go to the largest fractional parts (ties: larger weight
    first, then lower domain number). The scored and the unscored questions are apportioned
    separately, so the scored part alone follows the weights. For the default 65 + 10:

    ======  ======  ========  ====================
    domain  scored  unscored  total
    ======  ======  ========  ====================
    1       20      3         23
    2       17      3         20
    3       13      2         15
    4       8       1         9
    5       7       1         8
    ======  ======  ========  ====================

    A shorter exam (``n_questions`` or ``allow_short``) first splits its size between scored
    and unscored in the ratio 65:10 with the same method, then apportions each part.

Case studies
    A case study is taken whole or not at all; each sub-question counts toward its own
    domain and toward the totals, and the sub-questions stay adjacent, in the case's order.

Randomness
    Everything comes from ``random.Random(seed)``: the same banks and seed give the same
    exam. With no seed a random one is drawn and kept on the :class:`Exam`.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from course.exam import settings as settings_mod
from course.exam.pool import Unit, domain_counts, units


class ExamBuildError(ValueError):
    """The banks cannot supply the exam asked for. ``shortages`` lists (domain, needed, available)."""

    def __init__(self, message: str, shortages: list[tuple[int, int, int]] | None = None):
        super().__init__(message)
        self.shortages = shortages or []


@dataclass
class Exam:
    """An assembled exam: items in order, each with ``scored`` True/False."""

    items: list[dict]
    seed: int
    requested: int
    notice: str | None = None
    quotas: dict[str, dict[int, int]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.items)

    @property
    def scored_count(self) -> int:
        return sum(1 for i in self.items if i["scored"])


def largest_remainder(total: int, weights: Mapping[int, float | int | Fraction]) -> dict[int, int]:
    """Split ``total`` seats in proportion to ``weights`` (Hamilton's method, documented above)."""
    if total < 0:
        raise ValueError("total must be >= 0")
    wsum = sum(Fraction(w) for w in weights.values())
    if wsum <= 0:
        raise ValueError("weights must add up to more than zero")
    exact = {k: total * Fraction(w) / wsum for k, w in weights.items()}
    seats = {k: math.floor(v) for k, v in exact.items()}
    left = total - sum(seats.values())
    order = sorted(weights, key=lambda k: (-(exact[k] - seats[k]), -Fraction(weights[k]), k))
    for k in order[:left]:
        seats[k] += 1
    return seats


def quotas(total: int, cfg: settings_mod.Settings) -> tuple[dict[int, int], dict[int, int]]:
    """(scored, unscored) question counts per exam domain for an exam of ``total`` questions."""
    split = largest_remainder(total, {0: cfg.scored_questions, 1: cfg.unscored_questions})
    return (
        largest_remainder(split[0], cfg.domain_weights),
        largest_remainder(split[1], cfg.domain_weights),
    )


def _needs(total: int, cfg: settings_mod.Settings) -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
    scored, unscored = quotas(total, cfg)
    return scored, unscored, {d: scored[d] + unscored[d] for d in cfg.domain_weights}


def _shortages(need: dict[int, int], have: dict[int, int]) -> list[tuple[int, int, int]]:
    return [(d, n, have.get(d, 0)) for d, n in sorted(need.items()) if n > have.get(d, 0)]


def _describe(shortages: list[tuple[int, int, int]], cfg: settings_mod.Settings) -> str:
    return "; ".join(
        f"exam domain {d} ({cfg.domain_names.get(d, '?')}) needs {n} question{'s' if n != 1 else ''} "
        f"and the banks have {h}"
        for d, n, h in shortages
    )


def _pack(pool: list[Unit], need: dict[int, int], rng: random.Random, tries: int = 40) -> list[Unit] | None:
    """Units whose questions meet ``need`` exactly, or None. Random greedy passes first; the
    last pass takes single questions before case studies (it succeeds whenever singles can)."""
    for attempt in range(tries + 1):
        order = list(pool)
        rng.shuffle(order)
        if attempt == tries:
            order.sort(key=lambda u: u.is_case)
        remaining = dict(need)
        chosen = []
        for unit in order:
            counts = unit.domain_counts()
            if all(n <= remaining.get(d, 0) for d, n in counts.items()):
                chosen.append(unit)
                for d, n in counts.items():
                    remaining[d] -= n
                if not any(remaining.values()):
                    return chosen
        if not any(remaining.values()):
            return chosen
    return None


def _build(chosen: list[Unit], unscored: dict[int, int], rng: random.Random) -> list[dict]:
    rng.shuffle(chosen)
    items = [dict(item) for unit in chosen for item in unit.items]
    hidden: set[int] = set()
    for d, n in sorted(unscored.items()):
        positions = [k for k, item in enumerate(items) if item["domain"] == d]
        hidden.update(rng.sample(positions, n))
    for k, item in enumerate(items):
        item["scored"] = k not in hidden
    return items


def assemble(
    banks: Mapping[str, dict] | None = None,
    *,
    n_questions: int | None = None,
    seed: int | None = None,
    allow_short: bool = False,
    settings: settings_mod.Settings | None = None,
) -> Exam:
    """An exam of ``n_questions`` (default 75 = 65 scored + 10 unscored) from ``banks``
    (default: every bank in ``course/banks``).

    Raises :class:`ExamBuildError` naming each domain that cannot fill its quota. With
    ``allow_short=True`` it builds instead the largest smaller exam whose quotas the banks
    can fill, with the same proportions, and says so in ``Exam.notice``.
    """
    cfg = settings or settings_mod.load()
    total = cfg.total_questions if n_questions is None else int(n_questions)
    if total < 1:
        raise ValueError("an exam has at least one question")
    if seed is None:
        seed = random.SystemRandom().randrange(2**32)
    pool = units(banks)
    have = domain_counts(pool)
    scored, unscored, need = _needs(total, cfg)
    first_short = _shortages(need, have)
    if first_short and not allow_short:
        raise ExamBuildError(
            f"Cannot build a {total}-question exam with the official domain weights: "
            f"{_describe(first_short, cfg)}. Add questions to the banks, or pass allow_short=True "
            "for a shorter exam with the same proportions.",
            first_short,
        )
    for size in range(total, 0, -1) if allow_short else (total,):
        scored, unscored, need = _needs(size, cfg)
        if _shortages(need, have):
            continue
        rng = random.Random(seed)
        chosen = _pack(pool, need, rng)
        if chosen is None:
            continue
        notice = None
        if size < total:
            why = _describe(first_short, cfg) if first_short else "the case studies could not be fitted"
            notice = (
                f"This is a shorter exam: {size} questions ({sum(scored.values())} scored + "
                f"{sum(unscored.values())} unscored) instead of {total}, with the official domain proportions, "
                f"because the banks do not have enough questions yet ({why})."
            )
        return Exam(
            items=_build(chosen, unscored, rng),
            seed=seed,
            requested=total,
            notice=notice,
            quotas={"scored": scored, "unscored": unscored},
        )
    if first_short:
        raise ExamBuildError(
            f"Cannot build even a one-question exam: {_describe(first_short, cfg)}.",
            first_short,
        )
    raise ExamBuildError(
        f"Cannot build a {total}-question exam: the banks have enough questions per domain, but the "
        "case studies cannot be fitted without going over a domain's quota. Pass allow_short=True.",
    )
