"""The spaced-review queue: misses enter it, FSRS schedules them, "due today" uses the clock."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from course import progress, review
from course.review import ReviewQueue
from tests.exam.synthetic import single


class Clock:
    def __init__(self, when: datetime):
        self.now = when

    def __call__(self) -> datetime:
        return self.now


MORNING = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_missed_question_is_due_today(home):
    clock = Clock(MORNING)
    queue = ReviewQueue.load(clock=clock)
    assert queue.add_missed("q1", bank="syn", source="exam")
    queue.save()
    again = ReviewQueue.load(clock=clock)
    assert "q1" in again and again.due() == ["q1"]
    assert again.due_at("q1") <= MORNING + timedelta(minutes=10)


def test_right_answers_push_a_question_out_and_misses_bring_it_back(home):
    clock = Clock(MORNING)
    queue = ReviewQueue.load(clock=clock)
    queue.add_missed("q1")
    step = MORNING
    for _ in range(3):
        step = queue.review("q1", True, when=queue.due_at("q1"))
    assert step.date() > MORNING.date()  # graduated: due on a later day
    assert queue.due() == []
    clock.now = step + timedelta(minutes=1)
    assert queue.due() == ["q1"]  # due on that day
    before = queue.due_at("q1")
    nxt = queue.review("q1", False, when=clock.now)
    assert nxt < before + timedelta(days=1)
    assert queue.data["cards"]["q1"]["misses"] == 2


def test_old_miss_events_are_ignored(home):
    clock = Clock(MORNING)
    queue = ReviewQueue.load(clock=clock)
    queue.add_missed("q1", when=MORNING)
    assert queue.add_missed("q1", when=MORNING - timedelta(hours=1)) is False
    assert queue.data["cards"]["q1"]["misses"] == 1


def test_due_today_only_until_the_end_of_the_day(home):
    clock = Clock(datetime(2026, 3, 2, 23, 55, tzinfo=UTC))
    queue = ReviewQueue.load(clock=clock)
    queue.add_missed("late")  # due a minute later: still today
    queue.add_missed("early", when=clock.now - timedelta(hours=3))
    queue.review("early", True, when=queue.due_at("early"))
    queue.review("early", True, when=queue.due_at("early"))  # graduated to tomorrow or later
    assert queue.due() == ["late"]
    assert set(queue.due(until=clock.now + timedelta(days=400))) == {"late", "early"}


def test_self_check_misses_are_synced_once(home):
    progress.record_self_check("sc-1", False)
    progress.record_self_check("sc-2", True)
    queue = ReviewQueue.load()
    assert queue.sync_self_checks() == 1
    assert queue.sync_self_checks() == 0
    assert "sc-1" in queue and "sc-2" not in queue


def test_module_level_add_missed_persists(home):
    review.add_missed("q9", bank="syn", when=time.time(), source="practice")
    assert "q9" in ReviewQueue.load()


def test_corrupt_review_file_fresh_start_old_kept(home):
    path = review.path()
    path.parent.mkdir(parents=True)
    path.write_text("not json at all")
    queue = ReviewQueue.load()
    assert len(queue) == 0 and "review queue" in queue.problem and "kept as" in queue.problem
    kept = list(path.parent.glob("review.corrupt-*.json"))
    assert len(kept) == 1 and kept[0].read_text() == "not json at all"
    assert ReviewQueue.load().problem is None  # the fresh file is valid


def test_session_widget_reviews_due_questions(home):
    clock = Clock(datetime.now(UTC))
    q = single("rq", "3.1")
    items = {"rq": {"id": "rq", "bank": "syn", "domain": 3, "case": None, "question": q}}
    review.add_missed("rq", clock=clock)
    box = review.build_session(clock=clock, items=items)
    card = box.body.children[0]
    card.input.set_response("b")
    card.check()
    assert ReviewQueue.load().data["cards"]["rq"]["reviews"] == 1
    card.next()
    assert "right this session" in box.body.children[0].value
