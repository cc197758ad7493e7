"""Exam mode, practice mode and the dashboard, driven as a learner would."""

from __future__ import annotations

import json

import pytest

from course import answers, dashboard, progress
from course.exam import attempt as attempt_mod
from course.exam import history, widget
from course.exam.practice import PracticeView, select
from tests.exam.synthetic import make_bank


class Clock:
    def __init__(self, t: float = 1_750_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


def test_exam_mode_flow(home, big_banks):
    clock = Clock()
    view = widget.exam_view(banks=big_banks, seed=5, duration_minutes=90, clock=clock)
    assert view.attempt is None and not attempt_mod.path().exists()  # nothing starts before "Start"
    view.start_button.click()
    assert "1:30:00" in view.timer.value and "Question 1 of 75" in view.position.value
    item = view.attempt.items[0]
    view.input.set_response(item["question"]["answer"])
    view._do(view._answered, 0)
    view.flag.value = True
    assert view.nav_buttons[0].button_style == "warning"
    view.nav_buttons[9].click()
    assert view.attempt.current == 9 and "Question 10 of 75" in view.position.value
    assert view.flag.value is False
    clock.t += 600
    view.next.click()
    assert "1:20:00" in view.timer.value
    view.review_button.click()
    text = " ".join(getattr(c, "value", "") for c in view.main.children if hasattr(c, "value"))
    assert "1 of 75 answered" in text
    # resume in a "new kernel": a new view from the file, the old one closed
    again = widget.exam_view(banks=big_banks, clock=clock)
    assert view.closed and again.attempt.flagged() == [0] and again.attempt.current == 10
    # time runs out: the next interaction submits and shows the report
    clock.t += 81 * 60
    again.refresh()
    assert again.reported and again.attempt.result["auto_submitted"]
    assert len(history.attempts()) == 1


def test_submit_from_review_screen(home, big_banks):
    view = widget.exam_view(banks=big_banks, seed=1, n_questions=10)
    view.begin()
    for k, item in enumerate(view.attempt.items):
        view.attempt.answer(k, item["question"]["answer"])
    result = view._do(view.submit)
    assert result["scaled"] == 1000 and view.reported
    assert history.attempts()[0]["n_questions"] == 10


def test_exam_view_reports_a_corrupt_attempt_file(home, big_banks):
    path = attempt_mod.path()
    path.parent.mkdir(parents=True)
    path.write_text("garbage")
    view = widget.exam_view(banks=big_banks, seed=1)
    assert "kept as" in view.message.value and view.attempt is None


def test_practice_filters(home, big_banks):
    from course.exam import pool

    items = pool.items(big_banks)
    assert {i["domain"] for i in select(items, exam_domain=4)} == {4}
    assert {i["bank"] for i in select(items, bank="gamma")} == {"gamma"}
    first = items[0]
    history.record_practice(first, False)
    progress.record_self_check(items[1]["id"], True)
    unseen = {i["id"] for i in select(items, which="unseen")}
    assert first["id"] not in unseen and items[1]["id"] not in unseen and len(unseen) == len(items) - 2
    assert [i["id"] for i in select(items, which="missed")] == [first["id"]]
    history.record_practice(first, True)
    assert select(items, which="missed") == []
    with pytest.raises(ValueError):
        select(items, which="bogus")


def test_practice_keeps_case_questions_together(home, big_banks):
    from course.exam import pool

    order = [i["id"] for i in select(pool.items(big_banks), seed=4)]
    pos = [order.index(f"alpha-case1-{k}") for k in (1, 2, 3)]
    assert pos == list(range(pos[0], pos[0] + 3))


def test_practice_view_gives_feedback_and_records(home, big_banks):
    view = PracticeView(big_banks, exam_domain=2, seed=2)
    q = view.current["question"]
    wrong = {
        "single": "a",
        "multi": ["a", "b"],
        "ordering": ["a", "b", "c"],
        "matching": {"p1": "r2", "p2": "r1", "p3": "r3"},
    }
    view.input.set_response(wrong[q["type"]])
    view.check()
    assert view.done == 1 and view.right == 0
    assert history.practice_results()[0]["correct"] is False
    from course.review import ReviewQueue

    assert view.current["id"] in ReviewQueue.load()
    view.which_pick.value = "missed"
    assert view.total == 1


def test_dashboard_table(home, tmp_path):
    mini = make_bank("mini", {1: 2, 3: 2})
    root = tmp_path / "course"
    folder = root / "workspace" / "mini"
    folder.mkdir(parents=True)
    answers.save("mini-g1", "b", folder / answers.FILENAME)
    progress.record_self_check("mini-d1-0", True)
    progress.record_self_check("mini-d1-1", False)
    progress.record_self_check("mini-d1-1", True)
    progress.record_self_check("mini-d3-0", False)
    write_saved_notebook(folder / "mini.ipynb")
    table = dashboard.frame(root, banks={"mini": mini}).set_index("domain")
    row = table.loc["mini"]
    assert (row["self-checks tried"], row["self-checks right"], row["self-check accuracy %"]) == (3, 2, 66.7)
    assert (row["graded answered"], row["graded questions"]) == (1, 1)
    assert (row["exercises passing"], row["exercises run"], row["exercises"]) == (1, 2, 3)
    assert "security" in table.index  # every notes domain has a row
    box = dashboard.build(root, banks={"mini": mini})
    assert "0 practice exam(s)" in box.children[0].value


def write_saved_notebook(path):
    """A saved notebook with one passing, one failing and one unrun test cell, and a quiz cell."""

    def cell(gid, count, outputs):
        meta = {"nbgrader": {"grade": True, "grade_id": gid, "points": 1}}
        return {"cell_type": "code", "metadata": meta, "execution_count": count, "outputs": outputs, "source": ""}

    error = {"output_type": "error", "ename": "CheckFailed", "evalue": "x", "traceback": []}
    cells = [
        cell("ex-1-tests", 3, [{"output_type": "stream", "name": "stdout", "text": "ok"}]),
        cell("ex-2-tests", 4, [error]),
        cell("ex-3-tests", None, []),
        cell("quiz-mini-g1", 5, []),
    ]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))


def test_exercise_status_reads_the_saved_notebook(tmp_path):
    """Are test cells classed passing / failing / not run from their saved outputs (quiz cells left out)?"""
    write_saved_notebook(tmp_path / "mini.ipynb")
    status, problem = dashboard.exercise_status(tmp_path / "mini.ipynb")
    assert problem is None
    assert status == {"ex-1-tests": "passing", "ex-2-tests": "failing", "ex-3-tests": "not run"}


def test_unreadable_notebook_is_reported_not_fatal(tmp_path):
    """Does a broken notebook file give a message and no exercise rows, instead of an error?"""
    (tmp_path / "mini.ipynb").write_text("{broken")
    status, problem = dashboard.exercise_status(tmp_path / "mini.ipynb")
    assert status == {} and "could not be read" in problem
