"""Classical item statistics for one class: how hard is each item, and does it separate strong from weak?

Pure functions on plain data (no files, no gradebook), so they are easy to test:

- share correct (difficulty index *p*);
- upper-lower discrimination *D*: share correct among the top 27% by total score minus the
  share among the bottom 27% (Kelley's groups); below 0.2 is weak, below 0 suspicious;
- corrected point-biserial: correlation of the item with the total score *without* the item;
- the most chosen wrong answer, which often points to a wrong key or a misleading option.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping

GROUP = 0.27
HARD = 0.3
WEAK = 0.2


def share(values: list[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def upper_lower(correct: Mapping[str, bool], totals: Mapping[str, float], fraction: float = GROUP) -> float | None:
    """D = p(upper group) - p(lower group), groups = top and bottom ``fraction`` of students by total."""
    students = sorted(correct, key=lambda s: (totals[s], s))
    n = max(1, round(len(students) * fraction))
    if len(students) < 2 * n or len(students) < 4:
        return None
    lower, upper = students[:n], students[-n:]
    return share([correct[s] for s in upper]) - share([correct[s] for s in lower])


def point_biserial(scores: Mapping[str, float], totals: Mapping[str, float]) -> float | None:
    """Pearson correlation between the item score and the rest of the total (total minus this item)."""
    students = list(scores)
    if len(students) < 3:
        return None
    x = [scores[s] for s in students]
    y = [totals[s] - scores[s] for s in students]
    mx, my = sum(x) / len(x), sum(y) / len(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def most_chosen_wrong(responses: Mapping[str, str | None], correct: Mapping[str, bool]) -> tuple[str | None, float]:
    """The wrong answer chosen most often (unanswered excluded), and the share of students who chose it."""
    wrong = Counter(r for s, r in responses.items() if r is not None and not correct.get(s, False))
    if not wrong:
        return None, 0.0
    answer, count = sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    return answer, count / len(responses)


def flag(p: float | None, d: float | None) -> str:
    """A short note for items worth a second look (empty when the item looks healthy)."""
    if p is None:
        return "no data"
    if p == 0:
        return "BROKEN? nobody earned it: check the key, the test cell and the teaching"
    if d is not None and d < 0:
        return "CHECK KEY: weaker students do better than stronger ones"
    if p < HARD:
        return "TOO HARD: under 30% correct"
    if p < 1 and d is not None and d < WEAK:
        return "weak discrimination"
    return ""
