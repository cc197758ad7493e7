"""The practice exam draws by task statement within each domain, scores no question twice across
consecutive attempts while the pool allows, and shows choices in a per-attempt order."""

from __future__ import annotations

from collections import Counter

import pytest

from course import blueprint, shuffle
from course.exam import report, widget
from course.exam.assemble import (
    ExamBuildError,
    assemble,
    fresh_exam,
    largest_remainder,
    quotas,
    task_quotas,
)
from course.exam.pool import load_banks
from course.exam.settings import Settings
from tests.exam.synthetic import make_bank

SCORED = {1: 20, 2: 17, 3: 13, 4: 8, 5: 7}
UNSCORED = {1: 3, 2: 3, 3: 2, 4: 1, 5: 1}
EXAMS_WITHOUT_REPEATS = 5
BP = blueprint.load()


def spread_banks(per_task: int) -> dict[str, dict]:
    """``per_task`` single questions in every task statement, plus two case studies."""
    tasks = {d.id: [t.id for t in d.tasks] for d in BP.domains}
    per_domain = {d: per_task * len(ts) for d, ts in tasks.items()}
    return {"spread": make_bank("spread", per_domain, cases=[["1.4", "1.5"], ["3.1", "5.2"]], tasks=tasks)}


def test_task_quotas_follow_the_skill_counts():
    """Are a domain's seats split over its tasks by skill count (domain 1: 20 seats -> 2/3/3/4/4/4)?"""
    weights = BP.task_weights(1)
    got, short = task_quotas(20, weights, dict.fromkeys(weights, 99))
    assert got == {"1.1": 2, "1.2": 3, "1.3": 3, "1.4": 4, "1.5": 4, "1.6": 4} and short == []


def test_a_short_task_hands_its_seats_to_the_others():
    """Does a task with too few questions get all it has, its shortfall reported and the rest spread by weight?"""
    weights = BP.task_weights(1)
    supply = dict.fromkeys(weights, 99) | {"1.6": 1}
    got, short = task_quotas(20, weights, supply)
    assert got["1.6"] == 1 and sum(got.values()) == 20
    assert short == [("1.6", 4, 1)]
    assert all(got[t] >= n for t, n in largest_remainder(20, weights).items() if t != "1.6")
    got, _ = task_quotas(20, weights, dict.fromkeys(weights, 1))  # the whole domain is short
    assert sum(got.values()) == 6


@pytest.mark.parametrize("seed", range(6))
def test_scored_questions_are_drawn_by_task(seed):
    """With enough questions everywhere, does every task get exactly its share of scored questions?"""
    exam = assemble(spread_banks(8), seed=seed, settings=Settings())
    scored = Counter(i["task"] for i in exam.items if i["scored"])
    for d in BP.domains:
        assert {t: scored[t] for t in BP.task_weights(d.id)} == largest_remainder(SCORED[d.id], BP.task_weights(d.id))
    assert exam.shortfalls == []
    assert Counter(i["domain"] for i in exam.items if not i["scored"]) == UNSCORED


def test_shortfalls_name_the_task():
    """When a task runs short, is the exam still full, with the task named in ``shortfalls``?"""
    banks = spread_banks(8)
    banks["spread"]["questions"] = [
        q for q in banks["spread"]["questions"] if q.get("exam_task") != "3.4" or q["id"].endswith("-d3-3")
    ]
    exam = assemble(banks, seed=1, settings=Settings())
    assert exam.size == 75
    assert [t for t, _want, _got in exam.shortfalls] == ["3.4"]


@pytest.mark.parametrize("seed", range(4))
def test_excluded_questions_are_never_scored(big_banks, seed):
    """Are the questions scored in an earlier exam never scored again (they may come back unscored)?"""
    first = assemble(big_banks, seed=seed, settings=Settings(), n_questions=30)
    before = {i["id"] for i in first.items if i["scored"]}
    second = assemble(big_banks, seed=seed + 100, settings=Settings(), n_questions=30, exclude=before)
    assert not before & {i["id"] for i in second.items if i["scored"]}
    assert Counter(i["domain"] for i in second.items if i["scored"]) == quotas(30, Settings())[0]


def test_exclusion_that_empties_a_domain_is_a_clear_error(small_banks):
    """Does excluding too much name the domain that lacks questions not scored before?"""
    everything = {q["id"] for q in small_banks["tiny"]["questions"]}
    with pytest.raises(ExamBuildError, match=r"exam domain 1 .* scored questions? .*not scored before"):
        assemble(small_banks, seed=1, n_questions=5, exclude=everything, settings=Settings())


def test_fresh_exam_drops_the_oldest_attempts_first():
    """When the pool cannot avoid every earlier attempt, are the oldest given up first, with a notice?"""
    banks = spread_banks(8)
    attempts = []
    for n in range(4):
        exam = fresh_exam(banks, previous=attempts, seed=n, settings=Settings())
        attempts.append({i["id"] for i in exam.items if i["scored"]})
    # domain 5 has 17 questions: a second exam can avoid the first's 7 scored, a third cannot avoid 14
    assert not attempts[0] & attempts[1]
    assert not attempts[2] & attempts[1]
    assert attempts[2] & attempts[0]
    assert "oldest" in exam.notice


def test_exam_view_avoids_questions_scored_in_the_last_attempt(home):
    """Does a new exam in the widget score none of the questions scored in the previous attempt?"""
    banks = spread_banks(8)
    view = widget.exam_view(banks=banks, seed=3)
    view.begin()
    first = {i["id"] for i in view.attempt.items if i["scored"]}
    view._do(view.submit)
    second = widget.exam_view(banks=banks, seed=3)
    assert not first & {i["id"] for i in second.exam.items if i["scored"]}


def test_exam_choices_follow_the_attempt_and_survive_a_reload(home, big_banks):
    """Are options shown in an order seeded by the attempt id, the same after a reload, with answers as ids?"""
    view = widget.exam_view(banks=big_banks, seed=2, n_questions=20)
    view.begin()
    k = next(n for n, i in enumerate(view.attempt.items) if i["question"]["type"] == "single")
    view.go(k)
    q = view.attempt.items[k]["question"]
    shown = [o["id"] for o in view.input.q["options"]]
    assert shown == [o["id"] for o in shuffle.for_attempt(q, view.attempt.data["attempt_id"])["options"]]
    wrong = next(n for n, cid in enumerate(shown) if cid != q["answer"])
    view.input._radio.value = shown[wrong]  # the learner clicks a wrong letter
    assert view.attempt.responses[q["id"]] == shown[wrong]
    again = widget.exam_view(banks=big_banks)  # page reload
    again.go(k)
    assert [o["id"] for o in again.input.q["options"]] == shown
    assert again.input.response == shown[wrong]
    # the report explains the miss with the letters the learner saw
    result = again._do(again.submit)
    details = report._missed_details(result, again.attempt.items, again.attempt.responses)
    assert f"<b>{'ABCD'[wrong]}</b> (✖️ wrong — <i>your choice</i>)" in details
    assert f"<b>{'ABCD'[shown.index(q['answer'])]}</b> (✔️ correct)" in details


# --- the real banks ---------------------------------------------------------------------------


def test_real_exam_has_the_official_domain_counts():
    """Does an exam from the course's banks have 20/17/13/8/7 scored and 3/3/2/1/1 unscored questions?"""
    exam = assemble(load_banks(), seed=0)
    assert Counter(i["domain"] for i in exam.items if i["scored"]) == SCORED
    assert Counter(i["domain"] for i in exam.items if not i["scored"]) == UNSCORED


def test_the_pool_supplies_five_exams_without_repeating_a_scored_question():
    """Can 5 consecutive full exams be built, each scoring none of the questions scored before, every
    task getting its share? The message names the domain or task that runs short."""
    banks = load_banks()
    scored: set[str] = set()
    for n in range(EXAMS_WITHOUT_REPEATS):
        try:
            exam = assemble(banks, seed=n, exclude=scored)
        except ExamBuildError as exc:
            pytest.fail(f"exam {n + 1} of {EXAMS_WITHOUT_REPEATS} cannot be built: {exc}")
        short = [f"task {t} needs {want} and gets {got}" for t, want, got in exam.shortfalls]
        assert not short, f"exam {n + 1} of {EXAMS_WITHOUT_REPEATS}: " + "; ".join(short)
        scored |= {i["id"] for i in exam.items if i["scored"]}
