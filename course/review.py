"""Spaced review of missed questions, scheduled by FSRS (the ``fsrs`` package, py-fsrs).

Every missed question enters the queue: wrong or unanswered in a practice exam, wrong in
practice mode, or a self-check answered wrongly (read from :mod:`course.progress`). A miss
counts as an FSRS review rated *Again*; reviewing a due question rates it *Good* when
answered right and *Again* when not, and FSRS picks the next date. "Due today" means due
before the end of the current day of the clock (local time by default; tests pass a clock).

State: ``$AIP_COURSE_HOME/review.json``, written atomically. A damaged file is renamed
aside (``review.corrupt-<time>.json``) and the queue starts empty, with a message.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from datetime import time as dtime
from pathlib import Path
from typing import Any

FORMAT = 1
Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now().astimezone()


def path() -> Path:
    from course import jsonstore as store

    return store.folder() / "review.json"


def _scheduler():
    import fsrs

    # Fuzzing off: the same history always gives the same dates (reproducible and testable).
    return fsrs.Scheduler(enable_fuzzing=False)


def _utc(when: datetime | float | None, clock: Clock) -> datetime:
    if when is None:
        when = clock()
    if isinstance(when, (int, float)):
        return datetime.fromtimestamp(when, UTC)
    if when.tzinfo is None:
        when = when.astimezone()
    return when.astimezone(UTC)


def _valid(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and data.get("format") == FORMAT
        and isinstance(data.get("cards"), dict)
        and all(isinstance(c, dict) and isinstance(c.get("card"), dict) for c in data["cards"].values())
    )


class ReviewQueue:
    """The review queue. ``problem`` holds the message if a damaged file was set aside."""

    def __init__(self, data: dict | None = None, *, clock: Clock = _now, file: Path | None = None):
        self.data = data or {"format": FORMAT, "cards": {}, "synced_until": 0.0}
        self.clock = clock
        self.file = file or path()
        self.problem: str | None = None
        self.scheduler = _scheduler()

    @classmethod
    def load(cls, *, clock: Clock = _now, file: Path | None = None) -> ReviewQueue:
        from course import jsonstore as store

        file = file or path()
        loaded = store.read_json(file, "review queue", _valid)
        queue = cls(loaded.data, clock=clock, file=file)
        if loaded.problem:
            queue.problem = loaded.problem
            with contextlib.suppress(OSError):
                queue.save()
        return queue

    def save(self) -> None:
        from course import jsonstore as store

        store.write_json(self.file, self.data)

    # cards -----------------------------------------------------------------------------
    def _card(self, qid: str):
        import fsrs

        return fsrs.Card.from_dict(self.data["cards"][qid]["card"])

    def __contains__(self, qid: str) -> bool:
        return qid in self.data["cards"]

    def __len__(self) -> int:
        return len(self.data["cards"])

    def due_at(self, qid: str) -> datetime:
        return self._card(qid).due

    def add_missed(
        self, qid: str, *, bank: str | None = None, when: datetime | float | None = None, source: str = ""
    ) -> bool:
        """Enter a miss for ``qid`` (an FSRS review rated Again). An event older than the
        card's last review is ignored, so replaying a log twice changes nothing."""
        import fsrs

        at = _utc(when, self.clock)
        entry = self.data["cards"].get(qid)
        if entry is None:
            card = fsrs.Card(card_id=zlib.crc32(qid.encode()))
            entry = {"bank": bank, "misses": 0, "reviews": 0, "sources": []}
        else:
            card = fsrs.Card.from_dict(entry["card"])
            if card.last_review is not None and at <= card.last_review:
                return False
        card, _log = self.scheduler.review_card(card, fsrs.Rating.Again, review_datetime=at)
        entry["card"] = card.to_dict()
        entry["misses"] += 1
        entry["bank"] = entry.get("bank") or bank
        if source and source not in entry["sources"]:
            entry["sources"].append(source)
        self.data["cards"][qid] = entry
        return True

    def review(self, qid: str, correct: bool, when: datetime | float | None = None) -> datetime:
        """Record a review of a queued question; returns the next due date (UTC)."""
        import fsrs

        at = _utc(when, self.clock)
        entry = self.data["cards"][qid]
        rating = fsrs.Rating.Good if correct else fsrs.Rating.Again
        card, _log = self.scheduler.review_card(self._card(qid), rating, review_datetime=at)
        entry["card"] = card.to_dict()
        entry["reviews"] = entry.get("reviews", 0) + 1
        if not correct:
            entry["misses"] = entry.get("misses", 0) + 1
        return card.due

    def end_of_today(self) -> datetime:
        now = self.clock()
        if now.tzinfo is None:
            now = now.astimezone()
        return datetime.combine(now.date(), dtime.max, tzinfo=now.tzinfo)

    def due(self, until: datetime | None = None) -> list[str]:
        """Question ids due by ``until`` (default: the end of today), earliest first."""
        limit = (until or self.end_of_today()).astimezone(UTC)
        cards = [(self._card(qid).due, qid) for qid in self.data["cards"]]
        return [qid for due, qid in sorted(cards) if due <= limit]

    def due_now(self) -> list[str]:
        return self.due(_utc(None, self.clock))

    # self-check results -----------------------------------------------------------------
    def sync_self_checks(self) -> int:
        """Enter self-check answers marked wrong since the last sync. Returns how many."""
        from course import progress

        since = float(self.data.get("synced_until", 0.0))
        added = 0
        latest = since
        for record in progress.self_check_results():
            t = record.get("t")
            if not isinstance(t, (int, float)) or t <= since:
                continue
            latest = max(latest, t)
            if record.get("correct") is False and isinstance(record.get("id"), str):
                added += self.add_missed(record["id"], when=t, source="self-check")
        self.data["synced_until"] = latest
        return added


def add_missed(
    qid: str, *, bank: str | None = None, when: datetime | float | None = None, source: str = "", clock: Clock = _now
) -> None:
    """Add one miss to the saved queue (used by the practice exam and practice mode)."""
    queue = ReviewQueue.load(clock=clock)
    if queue.add_missed(qid, bank=bank, when=when, source=source):
        queue.save()


# ---------------------------------------------------------------------------------------
# The "due today" session widget
# ---------------------------------------------------------------------------------------
def _lookup() -> dict[str, dict]:
    from course.exam import pool

    return {item["id"]: item for item in pool.items()}


def build_session(*, clock: Clock = _now, items: dict[str, dict] | None = None):
    """A widget that walks through today's due questions, one at a time."""
    import ipywidgets as w

    from course import quiz, scoring, shuffle
    from course.quiz_widgets import QuestionInput, text_html

    queue = ReviewQueue.load(clock=clock)
    synced = queue.sync_self_checks()
    queue.save()
    lookup = _lookup() if items is None else items
    header = w.HTML()
    body = w.VBox()
    state = {"todo": [], "done": 0, "right": 0}
    messages = []
    if queue.problem:
        messages.append(f"<div style='color:#cf222e'>⚠️ {text_html(queue.problem)}</div>")
    if synced:
        messages.append(f"<div>Added {synced} self-check question(s) you missed to the queue.</div>")

    def start_round(_b: Any = None) -> None:
        due = queue.due()
        state["todo"] = [qid for qid in due if qid in lookup]
        missing = len(due) - len(state["todo"])
        note = f" ({missing} refer to questions no longer in the banks and are skipped)" if missing else ""
        header.value = "".join(messages) + (
            f"<b>Review: {len(state['todo'])} question(s) due today</b>{note}; {len(queue)} in the queue in all. "
            "A right answer pushes a question further out; a miss brings it back soon."
        )
        show_next()

    def show_next() -> None:
        if not state["todo"]:
            later = queue.due()
            again = w.Button(description="Another round", icon="refresh")
            again.on_click(start_round)
            text = f"<b>Done for now.</b> {state['right']} of {state['done']} right this session."
            if later:
                text += f" {len(later)} question(s) come back later today (FSRS learning steps of minutes)."
                body.children = [w.HTML(text), again]
            else:
                text += " Nothing else is due today."
                body.children = [w.HTML(text)]
            return
        qid = state["todo"].pop(0)
        item = lookup[qid]
        q = shuffle.for_learner(item["question"])
        qi = QuestionInput(q, count=scoring.expected_count(q, q["answer"]))
        feedback = w.HTML()
        check = w.Button(description="Check answer", button_style="primary", icon="check")
        nxt = w.Button(description="Next", icon="arrow-right", disabled=True)
        case = item.get("case")
        parts = []
        if case:
            parts.append(
                w.HTML(
                    f"<div style='background:#f6f8fa;padding:0.5em'><b>Case study: {text_html(case['title'])}</b><p>{text_html(case['scenario'])}</p></div>"
                )
            )

        def on_check(_b: Any = None) -> None:
            if not scoring.is_complete(q, qi.response):
                feedback.value = quiz.explain(q, q["answer"], qi.response)
                return
            right = scoring.is_correct(q, qi.response, q["answer"])
            due = queue.review(qid, right)
            queue.save()
            state["done"] += 1
            state["right"] += int(right)
            feedback.value = (
                quiz.explain(q, q["answer"], qi.response)
                + f"<div>📖 Taught in <code>{text_html(q['taught_in'])}</code> (notes: {text_html(q['notes_section'])}). "
                f"Next review: {due.astimezone().strftime('%Y-%m-%d %H:%M')}.</div>"
            )
            qi.disable()
            check.disabled = True
            nxt.disabled = False

        check.on_click(on_check)
        nxt.on_click(lambda _b: show_next())
        card = w.VBox([*parts, qi.box, w.HBox([check, nxt]), feedback])
        card.input, card.check, card.next = qi, on_check, show_next
        body.children = [card]

    start_round()
    box = w.VBox([header, body])
    box.queue, box.body = queue, body
    return box


def review_session(**kwargs) -> None:
    """Display today's review session."""
    from IPython.display import display

    display(build_session(**kwargs))
