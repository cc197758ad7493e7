"""nbgrader end to end: generate, then autograde a solution, a blank and a plausibly wrong submission.

Autograding the solution is also the run of the instructor notebook top to bottom: one
execution per notebook checks both that it runs without an error and that it earns full marks.
Each notebook's class is graded once, on one xdist worker (its own group), for all its tests.
"""

from __future__ import annotations

import pytest

from tests import feedback_leaks as leaks
from tests import grading_pipeline as gp
from tests.course_files import assignments, release_notebook, source_notebook

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]


@pytest.fixture(
    scope="module", params=[pytest.param(n, marks=pytest.mark.xdist_group(f"grade-{n}")) for n in assignments()]
)
def graded(request, tmp_path_factory):
    name = request.param
    tmp = tmp_path_factory.mktemp(f"grade-{name}")
    course = gp.make_course(tmp, name)
    wrong_nb, wrong_answers, wrong_cells = gp.wrong_submission(tmp, name)
    gp.submit(course, "solution", name, source_notebook(name), gp.correct_answers(name))
    gp.submit(course, "blank", name, release_notebook(name), None)
    gp.submit(course, "wrong", name, wrong_nb, wrong_answers)
    gp.in_process(course, "autograde", name, "solution", "blank", "wrong")
    return {
        "name": name,
        "course": course,
        "wrong_answers": wrong_answers,
        "wrong_cells": wrong_cells,
        "scores": {s: gp.scores(course, name, s) for s in ("solution", "blank", "wrong")},
        "feedback": leaks.make_feedback(course, name, tmp),
    }


def auto_cells(scores):
    return {k: v for k, v in scores.items() if v[0] is not None}


def test_solution_earns_full_marks(graded):
    """Does the instructor's solution, with the right quiz answers, earn every point?"""
    cells = auto_cells(graded["scores"]["solution"])
    lost = {k: v for k, v in cells.items() if v[0] != v[1]}
    assert cells and not lost, f"points lost by the solution: {lost}"


def code_outputs(graded, student):
    nb = gp.feedback_json(graded["course"], student, graded["name"])
    return [
        (c.get("metadata", {}).get("nbgrader", {}), o)
        for c in nb["cells"]
        if c["cell_type"] == "code"
        for o in c["outputs"]
    ]


def test_solution_notebook_runs_without_an_error(graded):
    """Does the instructor notebook, solutions and hidden tests included, run top to bottom without an error?"""
    # Exercise cells carry "raises-exception" (so Run All goes on for learners), so an error
    # does not stop the run: look for one in the outputs instead.
    errors = [(m.get("grade_id"), o.get("ename"), o.get("evalue")) for m, o in code_outputs(graded, "solution")]
    errors = [e for e in errors if e[1]]
    assert not errors, f"cells raised errors: {errors}"


def test_test_cells_stay_silent_on_stderr(graded):
    """Do the solution's test cells write nothing to stderr (nbgrader would give them zero)?"""
    noisy = [
        (m.get("grade_id"), o.get("text", ""))
        for m, o in code_outputs(graded, "solution")
        if m.get("grade") and o.get("name") == "stderr"
    ]
    assert not noisy, f"test cells wrote to stderr: {noisy}"


def test_test_cells_end_without_a_value(graded):
    """Does no test cell leave a value (shown as Out[..] under a passing test, read by nbgrader as a grade)?"""
    students = [s for s in graded["scores"] if s != "blank"]
    values = [
        (student, m.get("grade_id"), o.get("data", {}).get("text/plain"))
        for student in students
        for m, o in code_outputs(graded, student)
        if m.get("grade") and o.get("output_type") == "execute_result"
    ]
    assert not values, f"test cells that ended with a value: {values}"


def test_failed_checks_show_the_course_message_alone(graded):
    """Does a failed check show the course's message, without Python's traceback, in the graded notebook?"""
    failed = [
        (m.get("grade_id"), o)
        for m, o in code_outputs(graded, "blank")
        if m.get("grade") and o.get("output_type") == "error" and o.get("ename") == "CheckFailed"
    ]
    assert failed
    for gid, out in failed:
        text = "\n".join(out["traceback"])
        assert out["evalue"] in text and "checks.verbose(True)" in text, (gid, text)
        assert "Traceback (most recent call last)" not in text and "contextlib" not in text, (gid, text)


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


def test_feedback_shows_no_hidden_test_and_no_key(graded):
    """Does nothing under feedback/ show a line of hidden test code or a graded question's key?"""
    name, files = graded["name"], graded["feedback"]["files"]
    secrets = leaks.hidden_lines(name)
    keys = leaks.key_texts(name)
    assert secrets and any(s.endswith(".html") for s in files) and any(s.endswith(".ipynb") for s in files)
    # The same reading finds them where nbgrader left them: the autograded notebooks.
    assert all(leaks.flat(secrets[0]) in text for text in graded["feedback"]["autograded"].values())
    for path, text in files.items():
        shown = [line for line in secrets if leaks.flat(line) in text]
        assert not shown, f"{path} shows hidden test code: {shown[:3]}"
        given = {qid: t for qid, texts in keys.items() for t in texts if t in text}
        assert not given, f"{path} gives away the key of {sorted(given)}: {list(given.values())[:1]}"
        assert "Answer key for" not in text, path


def test_feedback_says_whether_hidden_checks_passed(graded):
    """Does each hidden block become one line: passed for the solution, failed for the blank notebook?"""
    name, files = graded["name"], graded["feedback"]["files"]
    blocks = sum(leaks.feedback.BEGIN in "".join(c["source"]) for c in leaks.source_cells(name))
    for student, verdict in (("solution", leaks.feedback.PASSED), ("blank", leaks.feedback.FAILED)):
        for suffix in ("html", "ipynb"):
            text = files[f"feedback/{student}/{name}/{name}.{suffix}"]
            assert text.count(f"# {verdict}") == blocks, (student, suffix, text.count("# hidden checks:"), blocks)
    wrong = files[f"feedback/wrong/{name}/{name}.html"]
    assert (
        "is not correct. It is taught in" in wrong
        and "has no saved answer" in files[f"feedback/blank/{name}/{name}.html"]
    )


def test_revealed_feedback_shows_the_key(graded):
    """With reveal_answers on, does the feedback give every graded question's key and explanations?"""
    text = graded["feedback"]["revealed"]["wrong"]
    for qid, texts in leaks.key_texts(graded["name"]).items():
        assert f"Answer key for {qid}" in text
        assert all(t in text for t in texts), qid
    assert not [line for line in leaks.hidden_lines(graded["name"]) if leaks.flat(line) in text]
