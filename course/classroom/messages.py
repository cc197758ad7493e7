"""What the grader tells a student about a broken submission, and the notes cell that carries it.

Each problem found before grading is a :class:`Finding`: a stable ``kind`` (for instructors,
tests and the summary tables) and a ``text`` for the student that says what was expected,
what was found, what was graded instead and what to do. The findings of a submission go into
one Markdown cell at the top of the graded notebook, so they appear in nbgrader's feedback.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from nbformat.v4 import new_markdown_cell

NOTES_ID = "aip-grading-notes"
META_KEY = "aip_preflight"

ANSWERS = "graded_answers.json"
REDO_QUIZ = (
    "answer the graded quiz again in the notebook (each click saves your answer), then submit again; "
    f"don't edit `{ANSWERS}` by hand"
)

TEMPLATES = {
    "unreadable-notebook": (
        "**`{name}` could not be read, so the blank assignment notebook was graded in its place: "
        "no exercise earns points (graded-quiz answers, saved in their own file, still count).** "
        "Expected: a Jupyter notebook, as JupyterLab saves it. Found: {reason}. "
        "Your file is kept beside it as `{kept}` for your instructor. "
        "What to do: open your work in JupyterLab, save it (File > Save Notebook) and submit again; "
        "if it does not open, ask your instructor."
    ),
    "renamed-notebook": (
        "**Your notebook `{found}` was graded under the name `{expected}`.** "
        "Expected: `{expected}`, the notebook this assignment grades. Found: no `{expected}`, "
        "and `{found}` as the only notebook, so it was taken as your work. "
        "What to do: keep the name `{expected}` next time."
    ),
    "missing-notebook": (
        "**No notebook was submitted, so the blank assignment notebook was graded: no exercise earns points "
        "(graded-quiz answers, saved in their own file, still count).** "
        "Expected: `{expected}` in your assignment folder. Found: {found}. "
        "What to do: submit the assignment folder with your `{expected}` in it."
    ),
    "extra-notebooks": (
        "**Not graded: {names}.** Only `{expected}` is graded in this assignment; "
        "other notebooks were left as they are and earned nothing. "
        "What to do: put all your answers in `{expected}`."
    ),
    "unsafe-link": (
        "**Removed: {names}.** Expected: ordinary files. Found: symbolic links, which could point at "
        "files outside your submission; they were removed before grading and not followed. "
        "What to do: submit real files, not links."
    ),
    "unreadable-answers": (
        "**Your graded-quiz answers could not be used, so every graded-quiz question counts as "
        "unanswered (0 points).** Expected: `{answers}` as the graded quiz saves it. Found: {reason}. "
        "The file was left as you submitted it; each quiz check below repeats the problem. "
        "What to do: {redo}."
    ),
    "unusable-answers": (
        "**Some saved graded-quiz answers could not be used: {ids}.** "
        "Expected: for each question, the answer the graded quiz saved when you clicked it. "
        "Found: {details}. These questions earn no points. What to do: {redo}."
    ),
    "restored-cell": (
        "**A read-only cell was missing and was put back: `{grade_id}` ({what}).** "
        "Expected: every read-only cell of the assignment. Found: no cell `{grade_id}` (deleted, or its "
        "grading settings removed). The original cell was put back at its place and graded as usual. "
        "What to do: don't delete read-only cells (Edit > Undo Delete Cells brings one back)."
    ),
    "edited-cell": (
        "**The cell `{grade_id}` ({what}) was changed; the original was graded.** "
        "Expected: the cell as it was given. Found: {change}. "
        "Your changes to this cell had no effect on the grade. "
        "What to do: leave read-only cells and grading settings as they are; write your code in the exercise cells."
    ),
    "duplicate-cell": (
        "**The cell `{grade_id}` appears {count} times.** A copied cell keeps the hidden grading id of the "
        "original. Expected: one cell `{grade_id}`. The last copy was graded as `{grade_id}`; the other copies "
        "ran as ordinary cells. What to do: delete the extra copies and keep your answer in one cell."
    ),
    "missing-answer-cell": (
        "**The exercise cell `{grade_id}` was not found** (deleted, or its grading settings removed). "
        "Its tests still ran, with whatever your notebook defines before them; nothing was put back. "
        "What to do: write your answer in the exercise cell given (fetch the assignment again to get it back)."
    ),
    "foreign-cell": (
        "**A cell carried a grading id that is not part of this notebook (`{grade_id}`).** "
        "It ran as an ordinary cell and was not graded. "
        "What to do: don't copy cells between notebooks or edit their grading settings."
    ),
}


@dataclass(frozen=True)
class Finding:
    """One problem found before grading: ``kind`` for people and tools, ``text`` for the student."""

    kind: str
    text: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def finding(kind: str, **fields) -> Finding:
    fields.setdefault("answers", ANSWERS)
    fields.setdefault("redo", REDO_QUIZ)
    return Finding(kind, TEMPLATES[kind].format(**fields))


def code_list(names) -> str:
    return ", ".join(f"`{n}`" for n in names)


def describe_cell(cell) -> str:
    """What a graded cell is, in the student's terms."""
    meta = cell.metadata.get("nbgrader", {})
    points = meta.get("points")
    if meta.get("grade") and str(meta.get("grade_id", "")).startswith("quiz-"):
        return f"a graded-quiz check, {points:g} point{'s' if points != 1 else ''}"
    if meta.get("grade"):
        return f"the tests of an exercise, {points:g} point{'s' if points != 1 else ''}"
    if meta.get("solution"):
        return "an exercise cell"
    if "sandbox.start()" in cell.source:
        return "the set-up cell that starts the simulated AWS account"
    return "a read-only cell"


def notes_cell(findings: list[Finding], fingerprint: str):
    """The Markdown cell at the top of the graded notebook that lists ``findings``.

    ``fingerprint`` identifies the rest of the notebook as the preflight left it: the findings
    are only taken up again by a later run if the notebook is still that one."""
    lines = [
        "## Notes from the grader",
        "",
        "Before grading, your submission was checked. What was found, and what was graded:",
        "",
        *(f"- {f.text}" for f in findings),
    ]
    cell = new_markdown_cell("\n".join(lines))
    cell.id = NOTES_ID
    cell.metadata[META_KEY] = {"findings": [f.as_dict() for f in findings], "fingerprint": fingerprint}
    return cell


def is_notes_cell(cell) -> bool:
    return cell.get("id") == NOTES_ID or META_KEY in cell.get("metadata", {})


def findings_in(cell, fingerprint: str) -> list[Finding]:
    """The findings a notes cell records, if the notebook is still the one it was written for."""
    try:
        record = cell.metadata[META_KEY]
        if record["fingerprint"] != fingerprint:
            return []
        return [Finding(f["kind"], f["text"]) for f in record["findings"] if f["kind"] in TEMPLATES]
    except (KeyError, TypeError):
        return []
