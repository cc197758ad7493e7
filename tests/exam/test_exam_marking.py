"""Scoring by the exam rules, and the documented scaled-score estimate."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course.exam.marking import mark, scaled_score
from course.exam.settings import Settings
from tests.exam.synthetic import matching, multi, ordering, single


def item(q: dict, scored: bool = True) -> dict:
    return {
        "id": q["id"],
        "bank": "syn",
        "domain": int(q["exam_task"][0]),
        "case": None,
        "question": q,
        "scored": scored,
    }


@pytest.mark.parametrize(
    ("maker", "response", "right"),
    [
        (single, "b", True),
        (single, "a", False),
        (single, None, False),
        (multi, ["c", "a"], True),
        (multi, ["a"], False),  # partly right earns nothing
        (multi, ["a", "c", "d"], False),  # a wrong extra earns nothing
        (ordering, ["b", "a", "c"], True),
        (ordering, ["a", "b", "c"], False),
        (ordering, ["b", "a", None], False),
        (matching, {"p1": "r1", "p2": "r2", "p3": "r3"}, True),
        (matching, {"p1": "r1", "p2": "r2", "p3": "r4"}, False),
        (matching, {"p1": "r1", "p2": "r2"}, False),
    ],
)
def test_all_or_nothing_per_format(maker, response, right):
    q = maker("q1", "2.1")
    result = mark([item(q)], {"q1": response}, Settings())
    assert result["questions"][0]["correct"] is right
    assert result["correct"] == int(right) and result["n_scored"] == 1
    assert result["by_domain"]["2"] == {
        "correct": int(right),
        "total": 1,
        "status": "meets" if right else "needs improvement",
    }


def test_unscored_questions_do_not_count():
    a, b, c = single("a", "1.1"), single("b", "1.1"), single("c", "3.1")
    result = mark([item(a), item(b, scored=False), item(c, scored=False)], {"a": "b", "b": "a", "c": "b"}, Settings())
    assert (result["n_questions"], result["n_scored"], result["correct"]) == (3, 1, 1)
    assert result["scaled"] == 1000 and result["passed"]
    assert result["by_domain"]["3"]["total"] == 0
    assert [q["correct"] for q in result["questions"]] == [True, False, True]


def test_missed_questions_say_where_they_are_taught():
    q = single("x", "4.2")
    result = mark([item(q)], {}, Settings())
    assert result["questions"][0]["taught_in"] == "syn#x"
    assert result["questions"][0]["notes_section"] == "Some notes section"
    assert result["questions"][0]["answered"] is False


def test_scaled_score_anchor_points():
    assert scaled_score(0) == 100
    assert scaled_score(Fraction(72, 100)) == 750
    assert scaled_score(1) == 1000
    assert scaled_score(Fraction(36, 100)) == 425
    assert scaled_score(Fraction(86, 100)) == 875


def test_pass_means_at_least_72_percent_of_65():
    scores = [scaled_score(Fraction(k, 65)) for k in range(66)]
    assert scores == sorted(scores)
    assert [k for k in range(66) if scores[k] >= 750][0] == 47  # 47/65 = 72.3 %
    assert scores[46] < 750


@given(st.fractions(0, 1), st.fractions(0, 1))
def test_scaled_score_monotonic_and_in_range(p, q):
    lo, hi = sorted((p, q))
    assert 100 <= scaled_score(lo) <= scaled_score(hi) <= 1000
