"""Assembling a practice exam: weights, seeds, no repeats, case studies, shortages."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course import bank
from course.exam.assemble import ExamBuildError, assemble, largest_remainder, quotas
from course.exam.settings import Settings

SCORED = {1: 20, 2: 17, 3: 13, 4: 8, 5: 7}
UNSCORED = {1: 3, 2: 3, 3: 2, 4: 1, 5: 1}


def test_synthetic_banks_are_valid(big_banks, small_banks):
    for data in [*big_banks.values(), *small_banks.values()]:
        assert bank.validate(data) == []


def test_quotas_for_the_real_exam_shape():
    assert quotas(75, Settings()) == (SCORED, UNSCORED)


def test_full_exam_has_exact_domain_counts(big_banks):
    exam = assemble(big_banks, seed=7, settings=Settings())
    assert exam.size == 75 and exam.scored_count == 65
    assert Counter(i["domain"] for i in exam.items if i["scored"]) == SCORED
    assert Counter(i["domain"] for i in exam.items if not i["scored"]) == UNSCORED
    assert exam.notice is None


def test_same_seed_same_exam_other_seed_other_exam(big_banks):
    first = assemble(big_banks, seed=42, settings=Settings())
    again = assemble(big_banks, seed=42, settings=Settings())
    other = assemble(big_banks, seed=43, settings=Settings())
    key = [(i["id"], i["scored"]) for i in first.items]
    assert key == [(i["id"], i["scored"]) for i in again.items]
    assert key != [(i["id"], i["scored"]) for i in other.items]


@pytest.mark.parametrize("seed", range(15))
def test_no_repeats_and_graded_questions_never_drawn(big_banks, seed):
    exam = assemble(big_banks, seed=seed, settings=Settings())
    ids = [i["id"] for i in exam.items]
    assert len(ids) == len(set(ids))
    assert not any(qid.endswith("-g1") for qid in ids)
    assert all("answer" in i["question"] for i in exam.items)


@pytest.mark.parametrize("seed", range(25))
def test_case_studies_kept_together_and_in_order(big_banks, seed):
    exam = assemble(big_banks, seed=seed, settings=Settings())
    cases = {}
    for pos, item in enumerate(exam.items):
        if item["case"]:
            cases.setdefault(item["case"]["id"], []).append((pos, item["id"]))
    all_cases = {q["id"]: q for b in big_banks.values() for q in b["questions"] if q["type"] == "case_study"}
    for cid, placed in cases.items():
        positions = [p for p, _ in placed]
        assert positions == list(range(positions[0], positions[0] + len(positions))), f"{cid} split"
        assert [qid for _, qid in placed] == [q["id"] for q in all_cases[cid]["questions"]]
    # counts still exact with case sub-questions counted one by one
    assert Counter(i["domain"] for i in exam.items) == {d: SCORED[d] + UNSCORED[d] for d in SCORED}


def test_case_studies_do_get_drawn(big_banks):
    drawn = {
        i["case"]["id"]
        for seed in range(20)
        for i in assemble(big_banks, seed=seed, settings=Settings()).items
        if i["case"]
    }
    assert len(drawn) >= 3


def test_clear_error_when_a_domain_cannot_fill(small_banks):
    with pytest.raises(ExamBuildError) as info:
        assemble(small_banks, seed=1, settings=Settings())
    message = str(info.value)
    assert "exam domain 5" in message and "needs 8 questions and the banks have 1" in message
    assert "exam domain 1" in message and "needs 23 questions and the banks have 6" in message
    assert "allow_short=True" in message
    assert (5, 8, 1) in info.value.shortages


def test_allow_short_builds_a_proportional_smaller_exam(small_banks):
    exam = assemble(small_banks, seed=1, allow_short=True, settings=Settings())
    assert exam.size < 75 and exam.notice and "shorter exam" in exam.notice
    scored, unscored = quotas(exam.size, Settings())
    assert Counter(i["domain"] for i in exam.items if i["scored"]) == {d: n for d, n in scored.items() if n}
    assert Counter(i["domain"] for i in exam.items if not i["scored"]) == {d: n for d, n in unscored.items() if n}
    # it is the largest size the pool can fill
    scored, unscored = quotas(exam.size + 1, Settings())
    have = {1: 6, 2: 5, 3: 4, 4: 3, 5: 1}
    assert any(scored[d] + unscored[d] > have[d] for d in have)


def test_empty_pool_is_a_clear_error_even_when_short():
    with pytest.raises(ExamBuildError, match="needs"):
        assemble({}, seed=1, allow_short=True, settings=Settings())


def test_shorter_exam_on_request(big_banks):
    exam = assemble(big_banks, n_questions=20, seed=3, settings=Settings())
    assert exam.size == 20 and exam.notice is None


@given(st.integers(0, 500), st.dictionaries(st.integers(1, 9), st.integers(1, 100), min_size=1, max_size=6))
def test_largest_remainder_properties(total, weights):
    seats = largest_remainder(total, weights)
    assert sum(seats.values()) == total
    wsum = sum(weights.values())
    for k, w in weights.items():
        exact = Fraction(total * w, wsum)
        assert exact - 1 < seats[k] < exact + 1
