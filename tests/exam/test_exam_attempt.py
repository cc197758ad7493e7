"""An attempt survives restarts; the clock runs from the original start; time-outs submit."""

from __future__ import annotations

import json

import pytest

from course.exam import attempt as attempt_mod
from course.exam import history
from course.exam.assemble import assemble
from course.exam.attempt import Attempt, AttemptSuperseded
from course.exam.settings import Settings


class Clock:
    def __init__(self, t: float = 1_750_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def exam(big_banks):
    return assemble(big_banks, seed=11, settings=Settings())


def right_answer(item):
    return item["question"]["answer"]


def test_attempt_resumes_after_a_restart(home, exam):
    clock = Clock()
    a = Attempt.start(exam, duration_minutes=180, clock=clock)
    assert attempt_mod.path().is_file() and str(attempt_mod.path()).startswith(str(home))
    a.answer(0, right_answer(a.items[0]))
    a.answer(5, right_answer(a.items[5]))
    a.set_flag(5, True)
    a.go(5)
    clock.t += 30 * 60  # half an hour later the kernel restarts

    b, problem = Attempt.load(clock=clock)  # a new object, from the file only
    assert problem is None and not b.submitted
    assert b.responses == a.responses and b.flagged() == [5] and b.current == 5
    assert [i["id"] for i in b.items] == [i["id"] for i in a.items]
    assert [i["scored"] for i in b.items] == [i["scored"] for i in a.items]
    assert b.remaining() == pytest.approx(150 * 60)  # the clock kept running while down
    assert b.unanswered() == [k for k in range(75) if k not in (0, 5)]


def test_auto_submit_when_the_time_ran_out_while_away(home, exam):
    clock = Clock()
    a = Attempt.start(exam, duration_minutes=180, clock=clock)
    for k in range(50):
        a.answer(k, right_answer(a.items[k]))
    clock.t += 181 * 60
    b, _ = Attempt.load(clock=clock)
    assert b.submitted and b.result["auto_submitted"]
    assert b.result["submitted_at"] == a.data["started_at"] + 180 * 60
    scored_right = sum(1 for k in range(50) if a.items[k]["scored"])
    assert b.result["correct"] == scored_right and b.result["n_scored"] == 65
    assert not attempt_mod.path().exists()
    assert [r["attempt_id"] for r in history.attempts()] == [a.data["attempt_id"]]
    # and missed questions went to the review queue
    from course.review import ReviewQueue

    assert len(ReviewQueue.load()) == 25


def test_no_changes_after_the_time_is_up(home, exam):
    clock = Clock()
    a = Attempt.start(exam, duration_minutes=1, clock=clock)
    clock.t += 61
    assert a.answer(0, right_answer(a.items[0])) is False
    assert a.submitted and a.result["auto_submitted"] and a.result["correct"] == 0
    assert a.set_flag(1, True) is False


def test_submit_once_and_history_trend(home, exam):
    clock = Clock()
    for _ in range(2):
        a = Attempt.start(exam, duration_minutes=180, clock=clock)
        for k, item in enumerate(a.items):
            a.answer(k, right_answer(item))
        first = a.submit()
        assert a.submit() is first
        clock.t += 3600
    frame = history.trend_frame()
    assert list(frame["attempt"]) == [1, 2] and list(frame["scaled"]) == [1000, 1000]


def test_stale_view_cannot_overwrite_a_newer_save(home, exam):
    clock = Clock()
    a = Attempt.start(exam, clock=clock)
    b, _ = Attempt.load(clock=clock)
    b.answer(0, right_answer(b.items[0]))
    with pytest.raises(AttemptSuperseded):
        a.answer(1, right_answer(a.items[1]))
    c, _ = Attempt.load(clock=clock)
    assert set(c.responses) == {c.items[0]["id"]}


def test_corrupt_attempt_file_fresh_start_old_kept(home, exam):
    path = attempt_mod.path()
    path.parent.mkdir(parents=True)
    path.write_text("{ this is not json")
    a, problem = Attempt.load()
    assert a is None and "is not valid JSON" in problem and "kept as" in problem
    kept = list(path.parent.glob("attempt.corrupt-*.json"))
    assert len(kept) == 1 and kept[0].read_text() == "{ this is not json"
    assert not path.exists()
    Attempt.start(exam)  # a fresh attempt can be started
    assert Attempt.load()[0] is not None


def test_wrong_layout_attempt_file_is_set_aside(home):
    path = attempt_mod.path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"format": 1, "items": "nope"}))
    a, problem = Attempt.load()
    assert a is None and "expected layout" in problem
    assert list(path.parent.glob("attempt.corrupt-*.json"))


def test_corrupt_history_fresh_start_old_kept(home, exam):
    path = history.path()
    path.parent.mkdir(parents=True)
    path.write_text("[1, 2")
    loaded = history.read()
    assert loaded.data == [] and "history" in loaded.problem and "kept as" in loaded.problem
    assert len(list(path.parent.glob("history.corrupt-*.json"))) == 1
    a = Attempt.start(exam)
    a.submit()
    assert len(history.attempts()) == 1
