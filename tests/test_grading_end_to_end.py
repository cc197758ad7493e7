"""nbgrader end to end: generate, then autograde a solution, a blank and a plausibly wrong submission."""

from __future__ import annotations

import pytest

from tests import grading_pipeline as gp
from tests.course_files import assignments, release_notebook, source_notebook

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=assignments())
def graded(request, tmp_path_factory):
    name = request.param
    tmp = tmp_path_factory.mktemp(f"grade-{name}")
    course = gp.make_course(tmp, name)
    wrong_nb, wrong_answers, wrong_cells = gp.wrong_submission(tmp, name)
    gp.submit(course, "solution", name, source_notebook(name), gp.correct_answers(name))
    gp.submit(course, "blank", name, release_notebook(name), None)
    gp.submit(course, "wrong", name, wrong_nb, wrong_answers)
    gp.nbgrader(course, "autograde", name, "--force")
    return {
        "name": name,
        "course": course,
        "wrong_answers": wrong_answers,
        "wrong_cells": wrong_cells,
        "scores": {s: gp.scores(course, name, s) for s in ("solution", "blank", "wrong")},
    }


def auto_cells(scores):
    return {k: v for k, v in scores.items() if v[0] is not None}


def test_solution_earns_full_marks(graded):
    """Does the instructor's solution, with the right quiz answers, earn every point?"""
    cells = auto_cells(graded["scores"]["solution"])
    lost = {k: v for k, v in cells.items() if v[0] != v[1]}
    assert cells and not lost, f"points lost by the solution: {lost}"


def test_blank_release_earns_zero_everywhere(graded):
    """Does the untouched release earn zero on every exercise and on every graded question?"""
    cells = graded["scores"]["blank"]
    tests = {k: v for k, v in cells.items() if k.endswith("-tests") or k.startswith("quiz-")}
    assert tests and all(score == 0 for score, _ in tests.values()), tests


def test_wrong_submission_earns_partial_marks(graded):
    """Does a plausible wrong answer lose points where it is wrong and keep them where it is right?"""
    cells = auto_cells(graded["scores"]["wrong"])
    total = sum(s for s, _ in cells.values())
    maximum = sum(m for _, m in cells.values())
    assert 0 < total < maximum
    for gid in graded["wrong_cells"]:
        score, max_score = cells[f"{gid}-tests"]
        assert score < max_score, f"{gid}: the wrong answer kept all its points"


def test_graded_quiz_answers_travel_and_are_scored(graded):
    """Are the saved quiz answers graded: right ones earn the point, wrong ones do not?"""
    key = gp.correct_answers(graded["name"])
    cells = graded["scores"]["wrong"]
    for qid, response in graded["wrong_answers"].items():
        score, max_score = cells[f"quiz-{qid}"]
        assert score == (max_score if response == key[qid] else 0), qid
    assert any(r != key[q] for q, r in graded["wrong_answers"].items())
    assert any(r == key[q] for q, r in graded["wrong_answers"].items())


def test_feedback_says_what_to_try(graded):
    """Does the blank submission's graded notebook explain the failures in learner terms?"""
    nb = gp.feedback_json(graded["course"], "blank", graded["name"])
    errors = "\n".join(
        "\n".join(o.get("traceback", []))
        for c in nb["cells"]
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    )
    assert "not written yet" in errors
    assert "has no saved answer" in errors
