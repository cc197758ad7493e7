"""Mark an attempt by the exam rules, and turn the share right into a scaled score.

Rules: a question earns credit only when entirely right (:func:`course.scoring.is_correct`:
a multiple-response, ordering or matching question has no partial credit); unanswered
questions earn nothing; the unscored questions do not count at all.

Scaled score (an ESTIMATE: AWS does not publish how it scales raw results, and its scaling
differs between exam forms). The course uses a piecewise-linear map through the anchors in
``course/data/exam.yaml``, by default::

    share right p   0 %  ->  100
                   72 %  ->  750   (the passing score)
                  100 %  -> 1000

    scaled(p) = 100 + 650 * p / 0.72               for p <= 0.72
              = 750 + 250 * (p - 0.72) / 0.28      for p >= 0.72

rounded DOWN to a whole number, so 750 (a pass) means at least 72 % right. The map is
monotonic: one more right answer never lowers the score. Each domain is also marked
"meets" when at least 72 % of its scored questions are right, else "needs improvement"
(the real report uses a similar two-level classification).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from course import scoring
from course.exam import settings as settings_mod


def scaled_score(share: float | Fraction, anchors: Sequence[tuple[Any, int]] | None = None) -> int:
    """The estimated scaled score (100-1,000) of a share right between 0 and 1."""
    anchors = anchors or settings_mod.Settings().scale_anchors
    points = sorted((Fraction(str(p)) if isinstance(p, float) else Fraction(p), s) for p, s in anchors)
    p = Fraction(share) if not isinstance(share, float) else Fraction(share).limit_denominator(10**9)
    p = min(max(p, points[0][0]), points[-1][0])
    for (p0, s0), (p1, s1) in zip(points, points[1:]):
        if p <= p1:
            value = s0 + (s1 - s0) * (p - p0) / (p1 - p0) if p1 > p0 else s1
            return math.floor(value)
    return points[-1][1]


def meets_share(cfg: settings_mod.Settings) -> Fraction:
    """The share right that reaches the passing score (0.72 with the default anchors)."""
    for p, s in cfg.scale_anchors:
        if s == cfg.passing_score:
            return Fraction(p)
    return Fraction(72, 100)


def mark(items: list[dict], responses: dict[str, Any], cfg: settings_mod.Settings | None = None) -> dict:
    """JSON-ready results of an attempt: totals, per-domain counts and per-question outcomes."""
    cfg = cfg or settings_mod.load()
    questions = []
    by_domain = {str(d): {"correct": 0, "total": 0} for d in sorted(cfg.domain_weights)}
    for item in items:
        q = item["question"]
        response = responses.get(item["id"])
        right = scoring.is_correct(q, response, q["answer"])
        questions.append(
            {
                "id": item["id"],
                "bank": item["bank"],
                "domain": item["domain"],
                "scored": bool(item.get("scored", True)),
                "answered": scoring.is_complete(q, response),
                "correct": right,
                "taught_in": q.get("taught_in"),
                "notes_section": q.get("notes_section"),
            }
        )
        if item.get("scored", True):
            cell = by_domain.setdefault(str(item["domain"]), {"correct": 0, "total": 0})
            cell["total"] += 1
            cell["correct"] += int(right)
    n_scored = sum(c["total"] for c in by_domain.values())
    n_right = sum(c["correct"] for c in by_domain.values())
    share = Fraction(n_right, n_scored) if n_scored else Fraction(0)
    scaled = scaled_score(share, cfg.scale_anchors)
    cut = meets_share(cfg)
    for cell in by_domain.values():
        if cell["total"]:
            cell["status"] = "meets" if Fraction(cell["correct"], cell["total"]) >= cut else "needs improvement"
        else:
            cell["status"] = "no questions"
    return {
        "n_questions": len(items),
        "n_scored": n_scored,
        "correct": n_right,
        "percent": round(float(share) * 100, 1),
        "scaled": scaled,
        "passed": scaled >= cfg.passing_score,
        "by_domain": by_domain,
        "questions": questions,
    }
