"""ipywidgets controls for the five exam formats.

Option texts are shown as a lettered list and chosen with standard controls (radio
buttons, check boxes, drop-downs) labelled by letter: long texts wrap in HTML, which
widget labels do not. From the keyboard: Tab to an option or drop-down, Space to choose
(ipywidgets renders each radio button as its own tab stop, so arrow keys do not move
between them), Tab to "Check answer" and Enter.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Callable
from typing import Any

import ipywidgets as w

LETTERS = string.ascii_uppercase
FORMAT_LABELS = {
    "single": "Multiple choice: choose ONE.",
    "multi": "Multiple response: choose {n}.",
    "ordering": "Ordering: put the items in order.",
    "matching": "Matching: pair each statement with one response.",
}
NUMBER_WORDS = {2: "TWO", 3: "THREE", 4: "FOUR", 5: "FIVE"}


def text_html(text: str) -> str:
    """Escape text and render `code` spans; nothing else of Markdown is needed."""
    escaped = html.escape(text)
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)


def lettered(choices: list[dict]) -> str:
    rows = "".join(f"<li><b>{LETTERS[i]}.</b> {text_html(c['text'])}</li>" for i, c in enumerate(choices))
    return f"<ul style='list-style:none;padding-left:0.5em;margin:0.3em 0'>{rows}</ul>"


class QuestionInput:
    """The answer controls of one question; ``response`` reads them in bank form."""

    def __init__(self, q: dict, *, count: int | None = None, on_change: Callable[[], None] | None = None):
        self.q = q
        self._on_change = on_change
        kind = q["type"]
        label = FORMAT_LABELS[kind].format(n=NUMBER_WORDS.get(count or 0, "ALL THAT APPLY"))
        header = [w.HTML(f"<div><b>{text_html(q['stem'])}</b><br><i>{label}</i></div>")]
        build = getattr(self, f"_build_{kind}")
        self.controls: list[w.Widget] = []
        body = build()
        self.box = w.VBox(header + body, layout=w.Layout(width="100%"))

    # single -----------------------------------------------------------------
    def _build_single(self) -> list[w.Widget]:
        opts = self.q["options"]
        self._radio = w.RadioButtons(
            options=[(LETTERS[i], o["id"]) for i, o in enumerate(opts)],
            value=None,
            orientation="horizontal",
            description="Answer:",
        )
        self._radio.observe(self._changed, names="value")
        self.controls = [self._radio]
        return [w.HTML(lettered(opts)), self._radio]

    # multi ------------------------------------------------------------------
    def _build_multi(self) -> list[w.Widget]:
        opts = self.q["options"]
        self._boxes = [
            w.Checkbox(value=False, description=LETTERS[i], indent=False, layout=w.Layout(width="4em"))
            for i in range(len(opts))
        ]
        for box in self._boxes:
            box.observe(self._changed, names="value")
        self.controls = list(self._boxes)
        return [w.HTML(lettered(opts)), w.HBox([w.Label("Answer:"), *self._boxes])]

    # ordering ---------------------------------------------------------------
    def _build_ordering(self) -> list[w.Widget]:
        items = self.q["items"]
        choices = [("(choose)", None)] + [(LETTERS[i], it["id"]) for i, it in enumerate(items)]
        self._slots = [
            w.Dropdown(options=choices, value=None, description=f"{n + 1}.", layout=w.Layout(width="12em"))
            for n in range(len(items))
        ]
        for slot in self._slots:
            slot.observe(self._changed, names="value")
        self.controls = list(self._slots)
        return [w.HTML(lettered(items)), w.HBox(self._slots, layout=w.Layout(flex_flow="row wrap"))]

    # matching ---------------------------------------------------------------
    def _build_matching(self) -> list[w.Widget]:
        prompts, responses = self.q["prompts"], self.q["responses"]
        choices = [("(choose)", None)] + [(LETTERS[i], r["id"]) for i, r in enumerate(responses)]
        self._pairs = {}
        rows = []
        for n, p in enumerate(prompts):
            dd = w.Dropdown(options=choices, value=None, layout=w.Layout(width="9em"))
            dd.observe(self._changed, names="value")
            self._pairs[p["id"]] = dd
            rows.append(w.HBox([dd, w.HTML(f"{n + 1}. {text_html(p['text'])}")]))
        self.controls = list(self._pairs.values())
        return [w.HTML("<i>Responses</i>" + lettered(responses)), *rows]

    # reading and writing ----------------------------------------------------
    @property
    def response(self) -> Any:
        kind = self.q["type"]
        if kind == "single":
            return self._radio.value
        if kind == "multi":
            return sorted(o["id"] for o, b in zip(self.q["options"], self._boxes) if b.value)
        if kind == "ordering":
            return [s.value for s in self._slots]
        return {pid: dd.value for pid, dd in self._pairs.items() if dd.value is not None}

    def set_response(self, response: Any) -> None:
        """Show a saved response (silently ignores parts that no longer fit the question)."""
        callback, self._on_change = self._on_change, None
        try:
            kind = self.q["type"]
            if kind == "single" and response in {o["id"] for o in self.q["options"]}:
                self._radio.value = response
            elif kind == "multi" and isinstance(response, list):
                for o, b in zip(self.q["options"], self._boxes):
                    b.value = o["id"] in response
            elif kind == "ordering" and isinstance(response, list):
                ids = {i["id"] for i in self.q["items"]}
                for slot, value in zip(self._slots, response):
                    slot.value = value if value in ids else None
            elif kind == "matching" and isinstance(response, dict):
                ids = {r["id"] for r in self.q["responses"]}
                for pid, dd in self._pairs.items():
                    dd.value = response.get(pid) if response.get(pid) in ids else None
        finally:
            self._on_change = callback

    def disable(self, disabled: bool = True) -> None:
        for c in self.controls:
            c.disabled = disabled

    def _changed(self, _change: dict) -> None:
        if self._on_change is not None:
            self._on_change()


def label_of(q: dict, cid: str) -> str:
    """How the learner sees a choice: a number for matching prompts, else a letter."""
    if q["type"] == "matching":
        for n, p in enumerate(q["prompts"]):
            if p["id"] == cid:
                return str(n + 1)
        lst = q["responses"]
    else:
        lst = q["options"] if q["type"] in ("single", "multi") else q["items"]
    for n, c in enumerate(lst):
        if c["id"] == cid:
            return LETTERS[n]
    return "?"
