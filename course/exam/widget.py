"""Exam mode in a notebook: a timed attempt with no feedback until it is submitted.

The view never keeps time itself: every interaction (and, in a live kernel, a small
asyncio task on the kernel's own event loop) asks the :class:`Attempt` how much time is
left, and the attempt submits itself when none is. Running the cell again closes the old
view and resumes the same attempt from its file, with the clock still counting from the
original start.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any

from course import scoring, shuffle
from course.exam import assemble as assemble_mod
from course.exam import settings as settings_mod
from course.exam.attempt import Attempt, AttemptSuperseded
from course.quiz_widgets import QuestionInput, text_html

_ACTIVE: list[ExamView] = []  # the live view of this kernel (at most one)


def clock_text(seconds: float) -> str:
    s = int(max(0, seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


class ExamView:
    """The widgets of exam mode. ``box`` is what is displayed."""

    def __init__(
        self,
        attempt: Attempt | None = None,
        *,
        exam: assemble_mod.Exam | None = None,
        duration_minutes: float | None = None,
        clock: Callable[[], float] = time.time,
        notices: list[str] | None = None,
        tick_seconds: float = 1.0,
    ):
        import ipywidgets as w

        for old in list(_ACTIVE):
            old.close("This view was replaced by a newer one (the cell was run again); use the newest output.")
        _ACTIVE[:] = [self]
        self.w = w
        self.attempt = attempt
        self.exam = exam
        self.duration_minutes = duration_minutes
        self.clock = clock
        self.tick_seconds = tick_seconds
        self.closed = False
        self.reported = False
        self._task: asyncio.Task | None = None
        self.input: QuestionInput | None = None
        self.message = w.HTML("".join(self._note(n) for n in notices or []))
        self.timer = w.HTML()
        self.position = w.HTML()
        self.flag = w.ToggleButton(description="Flag for review", icon="flag", value=False)
        self.flag.observe(lambda ch: self._do(self._flag_changed, ch), names="value")
        self.prev = w.Button(description="Previous", icon="arrow-left")
        self.next = w.Button(description="Next", icon="arrow-right")
        self.review_button = w.Button(description="Review & submit", icon="list", button_style="info")
        self.prev.on_click(lambda _b: self._do(self.go, self.attempt.current - 1))
        self.next.on_click(lambda _b: self._do(self.go, self.attempt.current + 1))
        self.review_button.on_click(lambda _b: self._do(self.open_review))
        self.question = w.VBox()
        self.navigator = w.GridBox(layout=w.Layout(grid_template_columns="repeat(15, 3.2em)", grid_gap="2px"))
        self.nav_buttons: list[Any] = []
        self.main = w.VBox()
        self.box = w.VBox([self.message, self.main], layout=w.Layout(width="100%"))
        if attempt is None:
            self._show_intro()
        elif attempt.submitted:
            self._show_report()
        else:
            self._show_exam()
            self._start_ticker()

    # helpers ---------------------------------------------------------------------------
    @staticmethod
    def _note(text: str, color: str = "#8a6d00") -> str:
        return f"<div style='color:{color}'>⚠️ {text_html(text)}</div>"

    def _do(self, fn: Callable, *args: Any) -> Any:
        """Run a learner action; then refresh the clock, and show the report if the time is up."""
        if self.closed:
            return None
        try:
            out = fn(*args)
        except AttemptSuperseded as exc:
            self.close(str(exc))
            return None
        except OSError as exc:
            self.message.value = self._note(
                f"Could not save your attempt ({exc}). Check the folder is writable.", "#cf222e"
            )
            return None
        self.refresh()
        return out

    def refresh(self) -> None:
        """Update the timer; submit and show the report when the time has run out."""
        if self.closed or self.attempt is None:
            return
        if self.attempt.check_time() is not None:
            if not self.reported:
                self._show_report()
            return
        left = self.attempt.remaining()
        color = "#cf222e" if left < 300 else "#24292f"
        self.timer.value = f"<span style='font-size:120%;color:{color}'>⏱ <b>{clock_text(left)}</b> left</span>"

    def close(self, why: str) -> None:
        self.closed = True
        if self._task is not None:
            self._task.cancel()
        self.message.value = self._note(why)
        self.main.children = []
        if self in _ACTIVE:
            _ACTIVE.remove(self)

    # intro -----------------------------------------------------------------------------
    def _show_intro(self) -> None:
        w = self.w
        exam = self.exam
        minutes = self.duration_minutes or settings_mod.load().duration_minutes
        notice = self._note(exam.notice) if exam.notice else ""
        text = (
            f"<h3>Practice exam: {exam.size} questions, {minutes:g} minutes</h3>{notice}"
            f"<ul><li>{exam.scored_count} questions are scored; {exam.size - exam.scored_count} are unscored and, "
            "as on the real exam, you are not told which.</li>"
            "<li>No feedback until you submit. Flag questions to come back to; jump to any question with the numbered buttons.</li>"
            "<li>Every answer is saved at once: if the kernel restarts or the page reloads, run the cell again to resume. "
            "The clock keeps running from the moment you start.</li>"
            "<li>When the time runs out, the exam is submitted with the answers given so far.</li></ul>"
        )
        start = w.Button(description="Start the exam", button_style="primary", icon="play")
        start.on_click(lambda _b: self.begin())
        self.main.children = [w.HTML(text), start]
        self.start_button = start

    def begin(self) -> None:
        if self.closed or self.attempt is not None:
            return
        try:
            self.attempt = Attempt.start(self.exam, duration_minutes=self.duration_minutes, clock=self.clock)
        except OSError as exc:
            self.message.value = self._note(f"Could not save the attempt ({exc}).", "#cf222e")
            return
        self._show_exam()
        self._start_ticker()

    # the exam ----------------------------------------------------------------------------
    def _show_exam(self) -> None:
        w = self.w
        self.nav_buttons = []
        for k in range(len(self.attempt.items)):
            b = w.Button(description=str(k + 1), layout=w.Layout(width="3.2em", padding="0"))
            b.on_click(lambda _b, k=k: self._do(self.go, k))
            self.nav_buttons.append(b)
        self.navigator.children = self.nav_buttons
        top = w.HBox([self.timer, self.position, self.flag], layout=w.Layout(justify_content="space-between"))
        self.main.children = [
            top,
            self.question,
            w.HBox([self.prev, self.next, self.review_button]),
            w.HTML("<small>Questions (green: answered, orange with a flag: flagged, blue border: current)</small>"),
            self.navigator,
        ]
        self.show(self.attempt.current)
        self.refresh()

    def show(self, index: int) -> None:
        w = self.w
        a = self.attempt
        item = a.items[index]
        q = shuffle.for_attempt(item["question"], a.data["attempt_id"])
        self.input = QuestionInput(
            q, count=scoring.expected_count(q, q["answer"]), on_change=lambda: self._do(self._answered, index)
        )
        saved = a.responses.get(item["id"])
        if saved is not None:
            self.input.set_response(saved)
        parts = []
        case = item.get("case")
        if case:
            siblings = [k for k, i in enumerate(a.items) if (i.get("case") or {}).get("id") == case["id"]]
            parts.append(
                w.HTML(
                    f"<div style='background:#f6f8fa;padding:0.6em'><b>Case study: {text_html(case['title'])}</b> "
                    f"(questions {siblings[0] + 1}–{siblings[-1] + 1})<p>{text_html(case['scenario'])}</p></div>"
                )
            )
        self.question.children = [*parts, self.input.box]
        self.position.value = f"<b>Question {index + 1} of {len(a.items)}</b>"
        self.flag.unobserve_all("value")
        self.flag.value = a.is_flagged(index)
        self.flag.observe(lambda ch: self._do(self._flag_changed, ch), names="value")
        self.prev.disabled = index == 0
        self.next.disabled = index == len(a.items) - 1
        self._paint_navigator()

    def _paint_navigator(self) -> None:
        a = self.attempt
        for k, b in enumerate(self.nav_buttons):
            flagged, answered = a.is_flagged(k), a.is_answered(k)
            b.button_style = "warning" if flagged else ("success" if answered else "")
            b.icon = "flag" if flagged else ""
            b.tooltip = (
                f"Question {k + 1}: " + ("answered" if answered else "not answered") + (", flagged" if flagged else "")
            )
            b.layout.border = "2px solid #0969da" if k == a.current else ""

    def go(self, index: int) -> None:
        index = max(0, min(index, len(self.attempt.items) - 1))
        if self.attempt.go(index):
            if self.question not in self.main.children:
                self._show_exam()
            else:
                self.show(index)

    def _answered(self, index: int) -> None:
        if self.attempt.answer(index, self.input.response):
            self._paint_navigator()

    def _flag_changed(self, change: dict) -> None:
        if self.attempt.set_flag(self.attempt.current, bool(change["new"])):
            self._paint_navigator()

    # review and submit ------------------------------------------------------------------------
    def open_review(self) -> None:
        w = self.w
        a = self.attempt
        unanswered, flagged = a.unanswered(), a.flagged()

        def jumps(indices: list[int]) -> Any:
            if not indices:
                return w.HTML("<i>none</i>")
            buttons = []
            for k in indices:
                b = w.Button(description=str(k + 1), layout=w.Layout(width="3.2em", padding="0"))
                b.on_click(lambda _b, k=k: self._do(self._back_to, k))
                buttons.append(b)
            return w.GridBox(buttons, layout=w.Layout(grid_template_columns="repeat(15, 3.2em)", grid_gap="2px"))

        back = w.Button(description="Back to the questions", icon="arrow-left")
        back.on_click(lambda _b: self._do(self._back_to, a.current))
        submit = w.Button(description="Submit the exam", button_style="danger", icon="check")
        confirm = w.HBox()

        def ask(_b: Any) -> None:
            yes = w.Button(description="Yes, submit now", button_style="danger")
            no = w.Button(description="No, keep going")
            yes.on_click(lambda _b: self._do(self.submit))
            no.on_click(lambda _b: setattr(confirm, "children", ()))
            warn = f"{len(unanswered)} unanswered question(s) will count as wrong. " if unanswered else ""
            confirm.children = [w.HTML(f"{warn}Submit for scoring? You cannot change answers afterwards. "), yes, no]

        submit.on_click(ask)
        self.main.children = [
            w.HBox([self.timer], layout=w.Layout(justify_content="flex-start")),
            w.HTML(f"<h4>Review ({len(a.items) - len(unanswered)} of {len(a.items)} answered)</h4><b>Unanswered:</b>"),
            jumps(unanswered),
            w.HTML("<b>Flagged for review:</b>"),
            jumps(flagged),
            w.HBox([back, submit]),
            confirm,
        ]
        self.review_screen = self.main.children

    def _back_to(self, index: int) -> None:
        self._show_exam()
        self.go(index)

    def submit(self) -> dict:
        result = self.attempt.submit()
        self._show_report()
        return result

    def _show_report(self) -> None:
        from course.exam.report import build_report

        if self._task is not None:
            self._task.cancel()
            self._task = None
        a = self.attempt
        notes = "".join(self._note(n) for n in a.notices)
        if a.result.get("auto_submitted"):
            notes += self._note("The time ran out, so the exam was submitted automatically with the answers saved.")
        report = build_report(a.result, a.items, a.responses)
        self.message.value = notes
        self.main.children = [report]
        self.reported = True
        if self in _ACTIVE:
            _ACTIVE.remove(self)

    # the live clock -------------------------------------------------------------------
    def _start_ticker(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no event loop (plain Python, tests): the clock refreshes on each interaction
        self._task = loop.create_task(self._tick())

    async def _tick(self) -> None:
        with contextlib.suppress(asyncio.CancelledError):
            while not self.closed and self.attempt is not None and not self.attempt.submitted:
                await asyncio.sleep(self.tick_seconds)
                try:
                    self.refresh()
                except Exception as exc:  # noqa: BLE001 - a timer must never die silently
                    self.message.value = self._note(f"The timer stopped ({exc}); click any button to refresh it.")
                    return


def _scored_before() -> list[set[str]]:
    """The question ids scored in each submitted practice exam, oldest first."""
    from course.exam import history

    return [
        {q["id"] for q in record.get("questions", []) if isinstance(q, dict) and q.get("scored") and "id" in q}
        for record in history.attempts()
    ]


def exam_view(
    n_questions: int | None = None,
    *,
    duration_minutes: float | None = None,
    seed: int | None = None,
    allow_short: bool = False,
    banks: dict | None = None,
    clock: Callable[[], float] = time.time,
) -> ExamView:
    """Resume the attempt in progress, or prepare a new exam that scores no question scored in
    an earlier attempt while the pool allows (raises ExamBuildError if the banks cannot fill
    it; see :func:`course.exam.assemble.fresh_exam`)."""
    attempt, problem = Attempt.load(clock=clock)
    notices = [problem] if problem else []
    if attempt is not None:
        if attempt.submitted:
            notices.append(
                "Your last attempt ran out of time while you were away and was submitted with the answers saved."
            )
            return ExamView(attempt, clock=clock, notices=notices)
        if duration_minutes is not None:
            notices.append("Resuming the attempt in progress: its original duration still applies.")
        return ExamView(attempt, clock=clock, notices=notices)
    exam = assemble_mod.fresh_exam(
        banks, previous=_scored_before(), n_questions=n_questions, seed=seed, allow_short=allow_short
    )
    return ExamView(exam=exam, duration_minutes=duration_minutes, clock=clock, notices=notices)


def start_exam(n_questions: int | None = None, **kwargs: Any) -> None:
    """Display exam mode: resumes an attempt in progress, else offers a new exam.

    Keyword arguments: ``duration_minutes``, ``seed``, ``allow_short``, ``banks``, ``clock``."""
    from IPython.display import display

    display(exam_view(n_questions, **kwargs).box)
