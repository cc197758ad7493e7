"""An exam attempt in progress: answers, flags, position and the clock, saved after every change.

The attempt lives in ``$AIP_COURSE_HOME/exam/attempt.json`` (written atomically) together
with a copy of its questions, so it survives a kernel restart, a page reload and even
edits to the banks. Time is never counted by a running thread: the time left is always
``started_at + duration - now``, read from a clock that tests can replace, so the timer
keeps running while the kernel is down and an attempt found past its end is submitted at once.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from course import jsonstore as store
from course import scoring
from course.exam import history, marking
from course.exam import settings as settings_mod
from course.exam.assemble import Exam

FORMAT = 1
Clock = Callable[[], float]


class AttemptSuperseded(RuntimeError):
    """The saved attempt was changed by another view (e.g. the cell was run again)."""


def path() -> Path:
    return store.folder() / "exam" / "attempt.json"


def _valid(data: Any) -> bool:
    try:
        return (
            data["format"] == FORMAT
            and isinstance(data["attempt_id"], str)
            and isinstance(data["started_at"], (int, float))
            and isinstance(data["duration_s"], (int, float))
            and isinstance(data["items"], list)
            and all(isinstance(i, dict) and "question" in i and "id" in i for i in data["items"])
            and isinstance(data["responses"], dict)
            and isinstance(data["flagged"], list)
        )
    except (KeyError, TypeError):
        return False


class Attempt:
    """One timed attempt. Create with :meth:`start`, reopen with :meth:`load`."""

    def __init__(self, data: dict, file: Path, clock: Clock = time.time):
        self.data = data
        self.file = file
        self.clock = clock
        self.result: dict | None = None
        self.notices: list[str] = []

    # creating and reopening -----------------------------------------------------------
    @classmethod
    def start(
        cls,
        exam: Exam,
        *,
        duration_minutes: float | None = None,
        clock: Clock = time.time,
        file: Path | None = None,
    ) -> Attempt:
        minutes = settings_mod.load().duration_minutes if duration_minutes is None else duration_minutes
        data = {
            "format": FORMAT,
            "attempt_id": uuid.uuid4().hex,
            "seed": exam.seed,
            "requested": exam.requested,
            "notice": exam.notice,
            "started_at": clock(),
            "duration_s": float(minutes) * 60,
            "items": exam.items,
            "responses": {},
            "flagged": [],
            "current": 0,
            "revision": 0,
        }
        attempt = cls(data, file or path(), clock)
        attempt.save()
        return attempt

    @classmethod
    def load(cls, *, clock: Clock = time.time, file: Path | None = None) -> tuple[Attempt | None, str | None]:
        """The saved attempt (or None) and a message if a damaged file had to be set aside.

        An attempt whose time ran out while nobody was looking is submitted here; the
        returned attempt then has ``submitted`` True and its ``result``."""
        file = file or path()
        loaded = store.read_json(file, "exam attempt", _valid)
        if loaded.data is None:
            return None, loaded.problem
        attempt = cls(loaded.data, file, clock)
        attempt.check_time()
        return attempt, loaded.problem

    # state ------------------------------------------------------------------------------
    @property
    def items(self) -> list[dict]:
        return self.data["items"]

    @property
    def responses(self) -> dict[str, Any]:
        return self.data["responses"]

    @property
    def current(self) -> int:
        return self.data.get("current", 0)

    @property
    def submitted(self) -> bool:
        return self.result is not None

    def remaining(self) -> float:
        """Seconds left (never below zero), from the stored start time."""
        return max(0.0, self.data["started_at"] + self.data["duration_s"] - self.clock())

    def expired(self) -> bool:
        return self.remaining() <= 0

    def is_answered(self, index: int) -> bool:
        item = self.items[index]
        return scoring.is_complete(item["question"], self.responses.get(item["id"]))

    def is_flagged(self, index: int) -> bool:
        return self.items[index]["id"] in self.data["flagged"]

    def unanswered(self) -> list[int]:
        return [k for k in range(len(self.items)) if not self.is_answered(k)]

    def flagged(self) -> list[int]:
        return [k for k in range(len(self.items)) if self.is_flagged(k)]

    # changes (each one is saved) ----------------------------------------------------------
    def _open(self) -> bool:
        """May the attempt still change? Submits it if the time has run out."""
        if self.submitted:
            return False
        return self.check_time() is None

    def answer(self, index: int, response: Any) -> bool:
        """Record the response to question ``index``. False when the exam is over."""
        if not self._open():
            return False
        self.responses[self.items[index]["id"]] = response
        self.save()
        return True

    def set_flag(self, index: int, flagged: bool) -> bool:
        if not self._open():
            return False
        qid = self.items[index]["id"]
        marks = [f for f in self.data["flagged"] if f != qid]
        self.data["flagged"] = [*marks, qid] if flagged else marks
        self.save()
        return True

    def go(self, index: int) -> bool:
        if not 0 <= index < len(self.items):
            raise IndexError(f"question {index + 1} does not exist (the exam has {len(self.items)})")
        if not self._open():
            return False
        self.data["current"] = index
        self.save()
        return True

    def save(self) -> None:
        """Write the attempt atomically; refuse if another view has saved a newer revision."""
        on_disk = store.read_json(self.file, "exam attempt", _valid) if self.file.exists() else store.Loaded()
        if on_disk.problem:
            self.notices.append(on_disk.problem)
        elif on_disk.data is None and self.data.get("revision", 0) > 0:
            raise AttemptSuperseded(
                "This attempt is no longer in progress (it was submitted or removed elsewhere). "
                "Run the cell again to see where things stand."
            )
        if on_disk.data is not None and (
            on_disk.data["attempt_id"] != self.data["attempt_id"]
            or on_disk.data.get("revision", 0) > self.data.get("revision", 0)
        ):
            raise AttemptSuperseded(
                "This exam view is out of date: the attempt was changed elsewhere (was the cell run again?). "
                "Use the newest output, or run the cell again to resume."
            )
        self.data["revision"] = self.data.get("revision", 0) + 1
        store.write_json(self.file, self.data)

    # the end ------------------------------------------------------------------------------
    def check_time(self) -> dict | None:
        """Submit automatically when the time is up; returns the result if it did (or had)."""
        if self.submitted:
            return self.result
        if self.expired():
            return self.submit(auto=True)
        return None

    def submit(self, *, auto: bool = False) -> dict:
        """Mark the attempt, add it to the history, queue missed questions for review, and
        remove the in-progress file. Answers count as they stood when it was submitted."""
        if self.submitted:
            return self.result
        cfg = settings_mod.load()
        now = self.clock()
        ended = min(now, self.data["started_at"] + self.data["duration_s"]) if auto else now
        record = {
            "attempt_id": self.data["attempt_id"],
            "mode": "exam",
            "seed": self.data.get("seed"),
            "requested": self.data.get("requested"),
            "notice": self.data.get("notice"),
            "started_at": self.data["started_at"],
            "submitted_at": ended,
            "duration_s": self.data["duration_s"],
            "auto_submitted": auto,
            **marking.mark(self.items, self.responses, cfg),
        }
        notice = history.append(record)
        if notice:
            self.notices.append(notice)
        from course import review

        for outcome, item in zip(record["questions"], self.items):
            if not outcome["correct"]:
                review.add_missed(item["id"], bank=item["bank"], when=ended, source="exam")
        self.file.unlink(missing_ok=True)
        self.result = record
        return record
