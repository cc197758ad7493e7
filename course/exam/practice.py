"""Practice mode: one question at a time with immediate feedback on every option.

Filters: official exam domain (1-5), notes domain (the bank), and which questions:
``"all"``, ``"unseen"`` (never met in an exam, in practice mode or as a self-check) or
``"missed"`` (the most recent result for the question is a miss, counting practice-mode
and self-check answers and the last ``recent_attempts`` practice exams, 3 by default).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from course.exam import history, pool
from course.exam import settings as settings_mod

WHICH = {"all": "All questions", "unseen": "Not seen yet", "missed": "Missed recently"}


def events(recent_attempts: int | None = None) -> list[tuple[float, str, bool]]:
    """(time, question id, correct) for every recorded answer: the last ``recent_attempts``
    practice exams (all when None), practice-mode answers and self-checks."""
    from course import progress

    out: list[tuple[float, str, bool]] = []
    records = history.attempts()
    if recent_attempts is not None:
        records = records[-recent_attempts:] if recent_attempts > 0 else []
    for record in records:
        t = float(record.get("submitted_at", 0))
        out += [(t, q["id"], bool(q["correct"])) for q in record.get("questions", [])]
    for source in (history.practice_results(), progress.self_check_results()):
        out += [
            (float(r.get("t", 0)), r["id"], bool(r["correct"]))
            for r in source
            if isinstance(r.get("id"), str) and isinstance(r.get("t"), (int, float))
        ]
    return sorted(out, key=lambda e: e[0])


def seen_ids() -> set[str]:
    return {qid for _t, qid, _ok in events()}


def missed_recently_ids(recent_attempts: int | None = None) -> set[str]:
    n = settings_mod.load().recent_attempts if recent_attempts is None else recent_attempts
    latest: dict[str, bool] = {}
    for _t, qid, ok in events(n):
        latest[qid] = ok
    return {qid for qid, ok in latest.items() if not ok}


def select(
    items: list[dict],
    *,
    exam_domain: int | None = None,
    bank: str | None = None,
    which: str = "all",
    seed: int | None = None,
) -> list[dict]:
    """The items that pass the filters, shuffled (case sub-questions kept together, in order)."""
    if which not in WHICH:
        raise ValueError(f"which must be one of {sorted(WHICH)}, not {which!r}")
    keep = {"all": None, "unseen": None, "missed": missed_recently_ids()}[which]
    seen = seen_ids() if which == "unseen" else set()
    chosen = [
        i
        for i in items
        if (exam_domain is None or i["domain"] == exam_domain)
        and (bank is None or i["bank"] == bank)
        and (which != "unseen" or i["id"] not in seen)
        and (keep is None or i["id"] in keep)
    ]
    groups: dict[str, list[dict]] = {}
    for i in chosen:
        groups.setdefault((i.get("case") or {}).get("id") or i["id"], []).append(i)
    order = list(groups.values())
    random.Random(seed).shuffle(order)
    return [i for group in order for i in group]


class PracticeView:
    """The practice-mode widget (``box``)."""

    def __init__(self, banks: Mapping[str, dict] | None = None, *, exam_domain=None, bank=None, which="all", seed=None):
        import ipywidgets as w

        self.items = pool.items(banks)
        self.seed = seed
        cfg = settings_mod.load()
        self.domain_pick = w.Dropdown(
            options=[("All exam domains", None)]
            + [(f"{d}. {cfg.domain_names[d]}", d) for d in sorted(cfg.domain_names)],
            value=exam_domain,
            description="Exam domain",
            style={"description_width": "8em"},
            layout=w.Layout(width="40em"),
        )
        banks_present = sorted({i["bank"] for i in self.items})
        self.bank_pick = w.Dropdown(
            options=[("All notes domains", None)] + [(b, b) for b in banks_present],
            value=bank,
            description="Notes domain",
            style={"description_width": "8em"},
        )
        self.which_pick = w.Dropdown(
            options=[(v, k) for k, v in WHICH.items()],
            value=which,
            description="Questions",
            style={"description_width": "8em"},
        )
        for control in (self.domain_pick, self.bank_pick, self.which_pick):
            control.observe(lambda _c: self.restart(), names="value")
        self.status = w.HTML()
        self.card = w.VBox()
        self.box = w.VBox([w.VBox([self.domain_pick, self.bank_pick, self.which_pick]), self.status, self.card])
        self.restart()

    def restart(self) -> None:
        self.queue = select(
            self.items,
            exam_domain=self.domain_pick.value,
            bank=self.bank_pick.value,
            which=self.which_pick.value,
            seed=self.seed,
        )
        self.total = len(self.queue)
        self.done = 0
        self.right = 0
        self.show_next()

    def show_next(self) -> None:
        import ipywidgets as w

        from course import quiz, review, scoring, shuffle
        from course.quiz_widgets import QuestionInput, text_html

        if not self.queue:
            self.status.value = (
                f"<b>{self.right} of {self.done} right.</b> No more questions match these filters."
                if self.done
                else "<i>No questions match these filters.</i>"
            )
            self.card.children = []
            self.current = None
            return
        item = self.queue.pop(0)
        self.current = item
        q = shuffle.for_learner(item["question"])
        self.status.value = f"Question {self.done + 1} of {self.total} · {self.right} right so far · exam task {text_html(q['exam_task'])}"
        qi = QuestionInput(q, count=scoring.expected_count(q, q["answer"]))
        feedback = w.HTML()
        check = w.Button(description="Check answer", button_style="primary", icon="check")
        nxt = w.Button(description="Next question", icon="arrow-right")
        parts = []
        if item.get("case"):
            case = item["case"]
            parts.append(
                w.HTML(
                    f"<div style='background:#f6f8fa;padding:0.5em'><b>Case study: {text_html(case['title'])}</b>"
                    f"<p>{text_html(case['scenario'])}</p></div>"
                )
            )
        checked = {"done": False}

        def on_check(_b: Any = None) -> None:
            feedback.value = quiz.explain(q, q["answer"], qi.response)
            if not scoring.is_complete(q, qi.response) or checked["done"]:
                return
            checked["done"] = True
            right = scoring.is_correct(q, qi.response, q["answer"])
            self.done += 1
            self.right += int(right)
            history.record_practice(item, right)
            if not right:
                review.add_missed(item["id"], bank=item["bank"], source="practice")
            feedback.value += f"<div>📖 Taught in <code>{text_html(q['taught_in'])}</code> (notes: {text_html(q['notes_section'])}).</div>"
            qi.disable()

        check.on_click(on_check)
        nxt.on_click(lambda _b: self.show_next())
        self.card.children = [*parts, qi.box, w.HBox([check, nxt]), feedback]
        self.input, self.check = qi, on_check


def practice(banks: Mapping[str, dict] | None = None, **filters: Any) -> None:
    """Display practice mode. Filters: ``exam_domain`` (1-5), ``bank``, ``which`` ("all", "unseen", "missed"), ``seed``."""
    from IPython.display import display

    display(PracticeView(banks, **filters).box)
