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

Counts per task statement (scored questions)
    Within each domain the scored seats are split over the domain's task statements in
    proportion to each task's number of skills in the blueprint (course/data/blueprint.yaml;
    e.g. domain 1's 20 seats over tasks 1.1-1.6 with 3/4/4/5/6/6 skills: 2/3/3/4/4/4), with
    the same largest-remainder method, so that every attempt samples the whole blueprint. A
    task that has fewer unused questions than its share gets all it has and the seats left
    go to the domain's other tasks in proportion to their skills; ``Exam.shortfalls`` lists
    each such task. The unscored questions follow the domain weights only.

Questions not to score again
    ``exclude`` names questions already scored in earlier attempts: they are not scored
    again, though they may be drawn as unscored questions. The widget passes the questions
    scored in the learner's previous attempts (dropping the oldest attempts when the pool
    runs out), so consecutive exams repeat no scored question while the pool allows.

Case studies
    A case study is taken whole or not at all; each sub-question counts toward its own
    domain and task and toward the totals, and the sub-questions stay adjacent, in the
    case's order. A case is either all scored or all unscored.

Randomness
    Everything comes from ``random.Random(seed)``: the same banks and seed give the same
    exam. With no seed a random one is drawn and kept on the :class:`Exam`.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from course.exam import settings as settings_mod
from course.exam.pool import Unit, counts, domain_counts, units


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
    quotas: dict[str, dict] = field(default_factory=dict)
    # Tasks whose proportional share of scored seats the pool could not fill: (task, share, got).
    shortfalls: list[tuple[str, int, int]] = field(default_factory=list)

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


def task_quotas(
    seats: int, weights: Mapping[str, int], supply: Mapping[str, int]
) -> tuple[dict[str, int], list[tuple[str, int, int]]]:
    """Split a domain's ``seats`` over its tasks in proportion to ``weights``, never giving a
    task more than its ``supply``: (seats per task, [(task, proportional share, supply)] for
    each task whose share had to be cut). The seats may fall short of ``seats`` only when the
    whole domain's supply does."""
    ideal = largest_remainder(seats, weights) if weights else {}
    shortfalls = [(t, n, supply.get(t, 0)) for t, n in sorted(ideal.items()) if n > supply.get(t, 0)]
    out: dict[str, int] = {}
    active = {t: w for t, w in weights.items() if supply.get(t, 0) > 0}
    left = seats
    while active and left > 0:
        alloc = largest_remainder(left, active)
        over = [t for t in active if alloc[t] > supply.get(t, 0)]
        if not over:
            out.update(alloc)
            break
        for t in over:
            out[t] = supply.get(t, 0)
            left -= out[t]
            del active[t]
    # Questions tagged with a task the blueprint weights at zero (none today) fill what is left.
    for t in sorted(set(supply) - set(weights)):
        extra = min(supply[t], seats - sum(out.values()))
        if extra > 0:
            out[t] = out.get(t, 0) + extra
    return {t: n for t, n in out.items() if n}, shortfalls


def _task_weights(domains: list[int]) -> dict[int, dict[str, int]]:
    from course import blueprint

    bp = blueprint.load()
    return {d: (bp.task_weights(d) if d in {x.id for x in bp.domains} else {}) for d in domains}


def _shortages(need: dict[int, int], have: dict[int, int]) -> list[tuple[int, int, int]]:
    return [(d, n, have.get(d, 0)) for d, n in sorted(need.items()) if n > have.get(d, 0)]


def _describe(shortages: list[tuple[int, int, int]], cfg: settings_mod.Settings, what: str = "question") -> str:
    return "; ".join(
        f"exam domain {d} ({cfg.domain_names.get(d, '?')}) needs {n} {what}{'s' if n != 1 else ''} "
        f"and the banks have {h}"
        for d, n, h in shortages
    )


def _pack(pool: list[Unit], need: dict, rng: random.Random, key: str = "domain", tries: int = 40) -> list[Unit] | None:
    """Units whose questions meet ``need`` (per ``"domain"`` or ``"task"``) exactly, or None.
    Random greedy passes first; the last pass takes single questions before case studies (it
    succeeds whenever single questions can)."""
    if not any(need.values()):
        return []
    for attempt in range(tries + 1):
        order = list(pool)
        rng.shuffle(order)
        if attempt == tries:
            order.sort(key=lambda u: u.is_case)
        remaining = dict(need)
        chosen = []
        for unit in order:
            counts = unit.counts(key)
            if all(n <= remaining.get(k, 0) for k, n in counts.items()):
                chosen.append(unit)
                for k, n in counts.items():
                    remaining[k] -= n
                if not any(remaining.values()):
                    return chosen
    return None


def _build(scored: list[Unit], unscored: list[Unit], rng: random.Random) -> list[dict]:
    units_ = [(u, True) for u in scored] + [(u, False) for u in unscored]
    rng.shuffle(units_)
    return [dict(item, scored=flag) for unit, flag in units_ for item in unit.items]


@dataclass
class _Plan:
    scored: list[Unit]
    unscored: list[Unit]
    tasks: dict[str, int]
    shortfalls: list[tuple[str, int, int]]


def _top_up(need: dict[str, int], caps: dict[str, int], weights: Mapping[str, int]) -> dict[str, int] | None:
    """Per-task counts that meet ``need`` within ``caps``: a task short of questions hands its
    deficit to the domain's other tasks with questions to spare, in proportion to their weights."""
    got = {t: min(n, caps.get(t, 0)) for t, n in need.items()}
    deficit = sum(need.values()) - sum(got.values())
    if deficit:
        spare = {t: caps.get(t, 0) - got.get(t, 0) for t in set(caps) | set(got)}
        spare = {t: n for t, n in spare.items() if n > 0}
        if sum(spare.values()) < deficit:
            return None
        extra, _ = task_quotas(deficit, {t: weights.get(t, 1) for t in spare}, spare)
        for t, n in extra.items():
            got[t] = got.get(t, 0) + n
    return {t: n for t, n in got.items() if n}


def _scored_by_task(
    fresh: list[Unit], scored: dict[int, int], rng: random.Random
) -> tuple[list[Unit], dict[str, int]] | None:
    """Units for the scored seats, task by task: case studies that fit the tasks' shares
    first, then single questions; None if the domains' single questions cannot make up the rest."""
    weights = _task_weights(sorted(scored))
    supply = counts(fresh, "task")
    share: dict[str, int] = {}
    for d, seats in scored.items():
        got, _ = task_quotas(seats, weights.get(d, {}), {t: n for t, n in supply.items() if _domain_of(t) == d})
        share.update(got)
    cases = [u for u in fresh if u.is_case]
    rng.shuffle(cases)
    chosen, left = [], dict(share)
    for unit in cases:
        c = unit.counts("task")
        if all(n <= left.get(t, 0) for t, n in c.items()):
            chosen.append(unit)
            for t, n in c.items():
                left[t] -= n
    singles: dict[str, list[Unit]] = {}
    for unit in fresh:
        if not unit.is_case:
            singles.setdefault(unit.items[0]["task"], []).append(unit)
    for d in sorted(scored):
        need = {t: n for t, n in left.items() if _domain_of(t) == d and n}
        caps = {t: len(us) for t, us in singles.items() if _domain_of(t) == d}
        plan = _top_up(need, caps, weights.get(d, {}))
        if plan is None:
            return None
        for t, n in sorted(plan.items()):
            chosen += rng.sample(singles[t], n)
    return chosen, counts(chosen, "task")


def _domain_of(task: str) -> int:
    return int(task.split(".", 1)[0])


def _plan(
    pool: list[Unit], fresh: list[Unit], scored: dict[int, int], unscored: dict[int, int], rng: random.Random
) -> _Plan | None:
    """Units for the scored part (by task, from ``fresh``) and the unscored part (by domain)."""
    picked = _scored_by_task(fresh, scored, rng)
    if picked is None:
        # The single questions cannot make up what the case studies leave: keep the domain counts exact.
        chosen = _pack(fresh, scored, rng)
        if chosen is None:
            return None
        picked = chosen, counts(chosen, "task")
    chosen, tasks = picked
    weights = _task_weights(sorted(scored))
    shortfalls = []
    for d, seats in sorted(scored.items()):
        ideal = largest_remainder(seats, weights[d]) if weights.get(d) else {}
        shortfalls += [(t, n, tasks.get(t, 0)) for t, n in sorted(ideal.items()) if tasks.get(t, 0) < n]
    taken = {u.key for u in chosen}
    rest = _pack([u for u in pool if u.key not in taken], unscored, rng)
    if rest is None:
        return None
    return _Plan(chosen, rest, tasks, shortfalls)


def assemble(
    banks: Mapping[str, dict] | None = None,
    *,
    n_questions: int | None = None,
    seed: int | None = None,
    allow_short: bool = False,
    settings: settings_mod.Settings | None = None,
    exclude: Iterable[str] = (),
) -> Exam:
    """An exam of ``n_questions`` (default 75 = 65 scored + 10 unscored) from ``banks``
    (default: every bank in ``course/banks``), scoring none of the question ids in ``exclude``.

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
    banned = set(exclude)
    fresh = [u for u in pool if not any(i["id"] in banned for i in u.items)] if banned else pool
    have, have_fresh = domain_counts(pool), domain_counts(fresh)

    def short(size: int) -> tuple[list, list]:
        scored, unscored = quotas(size, cfg)
        need = {d: scored[d] + unscored[d] for d in cfg.domain_weights}
        return _shortages(need, have), (_shortages(scored, have_fresh) if banned else [])

    def describe(all_short: list, fresh_short: list) -> str:
        parts = [_describe(all_short, cfg)] if all_short else []
        if fresh_short:
            parts.append(_describe(fresh_short, cfg, "scored question") + " not scored before")
        return "; ".join(parts)

    first_short, first_fresh = short(total)
    if (first_short or first_fresh) and not allow_short:
        raise ExamBuildError(
            f"Cannot build a {total}-question exam with the official domain weights: "
            f"{describe(first_short, first_fresh)}. Add questions to the banks, or pass allow_short=True "
            "for a shorter exam with the same proportions.",
            first_short or first_fresh,
        )
    for size in range(total, 0, -1) if allow_short else (total,):
        if any(short(size)):
            continue
        scored, unscored = quotas(size, cfg)
        rng = random.Random(seed)
        plan = _plan(pool, fresh, scored, unscored, rng)
        if plan is None:
            continue
        notice = None
        if size < total:
            why = describe(first_short, first_fresh) or "the case studies could not be fitted"
            notice = (
                f"This is a shorter exam: {size} questions ({sum(scored.values())} scored + "
                f"{sum(unscored.values())} unscored) instead of {total}, with the official domain proportions, "
                f"because the banks do not have enough questions yet ({why})."
            )
        return Exam(
            items=_build(plan.scored, plan.unscored, rng),
            seed=seed,
            requested=total,
            notice=notice,
            quotas={"scored": scored, "unscored": unscored, "tasks": plan.tasks},
            shortfalls=plan.shortfalls,
        )
    if first_short or first_fresh:
        raise ExamBuildError(
            f"Cannot build even a one-question exam: {describe(first_short, first_fresh)}.",
            first_short or first_fresh,
        )
    raise ExamBuildError(
        f"Cannot build a {total}-question exam: the banks have enough questions per domain, but the "
        "case studies cannot be fitted without going over a domain's quota. Pass allow_short=True.",
    )


def fresh_exam(banks: Mapping[str, dict] | None = None, *, previous: list[set[str]] | None = None, **kwargs) -> Exam:
    """An exam that scores none of the questions scored in ``previous`` attempts (oldest
    first), or, when the pool cannot supply that, in as many of the latest attempts as it can;
    with no attempt left to avoid, a plain :func:`assemble`. A notice says when earlier scored
    questions may come back."""
    previous = [set(p) for p in previous or [] if p]
    for start in range(len(previous)):
        avoid = set().union(*previous[start:])
        try:
            exam = assemble(banks, exclude=avoid, **{**kwargs, "allow_short": False})
        except ExamBuildError:
            continue
        if start:
            exam.notice = (
                f"Questions scored in your {start} oldest practice exam(s) may be scored again: the banks do not "
                f"hold enough unused questions to avoid all {len(previous)} earlier attempts."
            )
        return exam
    exam = assemble(banks, **kwargs)
    if previous and exam.notice is None:
        exam.notice = (
            "Questions scored in your earlier practice exams may be scored again: the banks do not hold "
            "enough unused questions for a full exam without them."
        )
    return exam
