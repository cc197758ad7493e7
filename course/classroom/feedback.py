"""What a student receives after grading: their notebook without the hidden tests or the quiz key.

nbgrader 0.9.6 puts the whole graded notebook, hidden tests included, into the feedback it
generates, and the graded quiz's hidden tests hold its key. :class:`StudentFeedback` is
the step ``nbgrader generate_feedback`` runs after ``GetGrades`` (set in the course's
``nbgrader_config.py`` and in ``deploy/nbgrader_config.py``):

- each ``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN TESTS`` block becomes one comment,
  ``# hidden checks: passed`` or ``# hidden checks: failed``; the course's failure message
  (what was expected, what was found, what to try) stays in the cell's output;
- a failure in a test cell keeps the course's message and loses its traceback (whose frames
  show the test code); elsewhere, traceback frames and output lines that repeat a line of
  hidden test code (a submission can print what it saw while it was graded) are removed;
- with ``reveal_answers`` on (after the last deadline), each graded-quiz cell is followed by
  its key: the right answer and the explanation of every option. The key is read from the
  hidden test the notebook was graded with, so switching it on needs no regrading:

      nbgrader generate_feedback security --force --StudentFeedback.reveal_answers=True

For instructors who hand back notebooks rather than HTML, the same filter writes a
student copy of each graded notebook into ``feedback/`` (never return ``autograded/``)::

    python -m course.classroom.feedback security            # after nbgrader generate_feedback
    python -m course.classroom.feedback security --reveal-answers
"""

from __future__ import annotations

import argparse
import ast
import html
import re
import sys
import textwrap
from pathlib import Path

from nbformat.v4 import new_markdown_cell, new_output
from nbgrader.preprocessors import GetGrades, NbGraderPreprocessor
from traitlets import Bool, List, Unicode

BEGIN = "BEGIN HIDDEN TESTS"  # nbgrader's delimiters, matched inside a line as nbgrader does
END = "END HIDDEN TESTS"
PASSED = "hidden checks: passed"
FAILED = "hidden checks: failed"
UNGRADED = "hidden checks: graded by hand"
# Hidden lines shorter than this (")", "'c',", "pass") are too common to be recognised in output.
MIN_FRAGMENT = 12
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
PYTHON_TRACEBACK = "Traceback (most recent call last)"
REMOVED_FRAME = "[grader] a part of this traceback showed test code that is kept hidden; it was removed"
REMOVED_LINE = "[grader] a line that repeated hidden test code was removed"
REMOVED_OUTPUT = "[grader] an output that repeated hidden test code was removed\n"
KEY_CELL = "aip-answer-key"


def split_hidden(source: str, replacement: list[str]) -> tuple[str, list[str]]:
    """``source`` with every hidden block replaced by ``replacement`` lines, and the hidden lines.

    A block without its END line hides everything after BEGIN (nothing leaks by mistake)."""
    kept: list[str] = []
    hidden: list[str] = []
    inside = False
    for line in source.split("\n"):
        if BEGIN in line:
            indent = line[: len(line) - len(line.lstrip())]
            if not inside:
                kept += [indent + r for r in replacement]
            inside = True
        elif END in line and inside:
            inside = False
        elif inside:
            hidden.append(line)
        else:
            kept.append(line)
    return "\n".join(kept), hidden


def quiz_key(hidden: list[str]) -> dict | None:
    """``{"qid", "answer", "why"}`` from a graded-quiz hidden test (``grading.check_answer(...)``)."""
    try:
        tree = ast.parse(textwrap.dedent("\n".join(hidden)))
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "check_answer":
            try:
                qid, answer = (ast.literal_eval(a) for a in node.args[:2])
                why = {k.arg: ast.literal_eval(k.value) for k in node.keywords}.get("why") or {}
            except (ValueError, TypeError, SyntaxError):
                return None
            return {"qid": qid, "answer": answer, "why": why}
    return None


def _question(qid: str) -> dict | None:
    try:
        from course import grading

        return grading._question(qid)
    except Exception:  # noqa: BLE001 - the key is still shown, by option id, when the bank cannot be read
        return None


def key_markdown(key: dict) -> str:
    """The answer key of one graded question, as a Markdown cell the student reads after the deadline."""
    from course import bank

    q = _question(key["qid"])
    texts = {c["id"]: c["text"] for c in bank.choices(q)} if q else {}
    answer = key["answer"]

    def name(cid: str) -> str:
        return f"**{cid}** ({texts[cid]})" if cid in texts else f"**{cid}**"

    if isinstance(answer, str):
        right = name(answer)
    elif isinstance(answer, dict):
        right = "; ".join(f"{name(p)} → {name(r)}" for p, r in answer.items())
    elif q and q["type"] == "ordering":
        right = " → ".join(map(name, answer))
    else:
        right = ", ".join(map(name, answer))
    lines = [f"**Answer key for {key['qid']}** (released after the last deadline)", "", f"Right answer: {right}", ""]
    lines += [f"- {name(cid)}: {text}" for cid, text in key["why"].items()]
    return "\n".join(lines)


def fragments(hidden_lines: list[str], visible: str) -> list[str]:
    """Hidden lines long and specific enough to recognise when output repeats them."""
    shown = {line.strip() for line in visible.split("\n")}
    out = {line.strip() for line in hidden_lines}
    return sorted(f for f in out if len(f) >= MIN_FRAGMENT and f not in shown)


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _leaks(text: str, found: list[str]) -> bool:
    plain = html.unescape(ANSI.sub("", text))
    return any(f in plain for f in found)


def _redact_lines(text: str, found: list[str]) -> str:
    return "\n".join(REMOVED_LINE if _leaks(line, found) else line for line in text.split("\n"))


def scrub_outputs(cell, found: list[str], test_cell: bool) -> None:
    """Remove from ``cell``'s outputs what shows hidden test code (see the module docstring)."""
    kept = []
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "stream":
            out["text"] = _redact_lines(_text(out.get("text", "")), found)
        elif kind == "error":
            out["evalue"] = _redact_lines(_text(out.get("evalue", "")), found)
            traceback = out.get("traceback", [])
            if test_cell and any(PYTHON_TRACEBACK in ANSI.sub("", t) for t in traceback):
                # A test cell: the course's message says what was expected, found and to try; the
                # frames would show the test code or the course's own helpers, nothing to act on.
                # (The grader's own messages, without frames, are kept as they are.)
                out["traceback"] = [f"{out.get('ename', 'Error')}: {out['evalue']}"]
            else:
                frames = []
                for frame in traceback:
                    if not _leaks(frame, found):
                        frames.append(frame)
                    elif not frames or frames[-1] != REMOVED_FRAME:
                        frames.append(REMOVED_FRAME)
                out["traceback"] = frames
        elif kind in ("execute_result", "display_data"):
            data = out.get("data", {})
            if any(isinstance(v, (str, list)) and _leaks(_text(v), found) for v in data.values()):
                out = new_output("stream", name="stdout", text=REMOVED_OUTPUT)
        kept.append(out)
    cell["outputs"] = kept


def status_line(cell) -> str:
    """Passed or failed, from the grade GetGrades put in the cell (or, without it, from its outputs)."""
    meta = cell.metadata.get("nbgrader", {})
    if "score" in meta:
        score, points = meta.get("score"), meta.get("points")
        if score is None:
            return UNGRADED
        return PASSED if points is not None and score >= points else FAILED
    failed = any(o.get("output_type") == "error" for o in cell.get("outputs", []))
    return FAILED if failed else PASSED


def _comment(cell, text: str) -> str:
    return f"# {text}" if cell.cell_type == "code" else f"*{text}*"


class StudentFeedback(NbGraderPreprocessor):
    """Hide the hidden tests and the graded quiz's key from the feedback (see the module docstring)."""

    reveal_answers = Bool(
        False,
        help="Show each graded question's key and every option's explanation (switch on after the last deadline).",
    ).tag(config=True)
    quiz_prefix = Unicode("quiz-", help="grade id prefix of the graded-quiz test cells").tag(config=True)
    # Declared as GetGrades does: nbgrader's feedback configuration sets it for every preprocessor.
    display_data_priority = List(GetGrades.display_data_priority.default_value).tag(config=True)

    def preprocess(self, nb, resources):
        blocks = []
        for cell in nb.cells:
            source, hidden = split_hidden(cell.source, [_comment(cell, status_line(cell))])
            blocks.append((source, hidden))
        visible = "\n".join(source for source, _ in blocks)
        found = fragments([line for _, hidden in blocks for line in hidden], visible)
        cells = []
        for cell, (source, hidden) in zip(nb.cells, blocks):
            had_hidden = source != cell.source
            cell.source = source
            if cell.cell_type == "code":
                scrub_outputs(cell, found, had_hidden)
            meta = cell.metadata.get("nbgrader")
            if isinstance(meta, dict):
                meta.pop("checksum", None)  # a digest of the source cell, hidden tests included
            cells.append(cell)
            grade_id = meta.get("grade_id", "") if isinstance(meta, dict) else ""
            if self.reveal_answers and hidden and grade_id.startswith(self.quiz_prefix):
                key = quiz_key(hidden)
                if key is None:
                    self.log.warning("No answer key found in the hidden test of %s", grade_id)
                    continue
                shown = new_markdown_cell(key_markdown(key))
                shown.id = f"{KEY_CELL}-{key['qid']}"[:64]
                cells.append(shown)
        nb.cells = cells
        return nb, resources


# -- student copies of the graded notebooks ------------------------------------------------


def student_copies(
    root: Path, assignment: str, db_url: str, reveal: bool = False, out: Path | None = None
) -> list[Path]:
    """Write ``feedback/<student>/<assignment>/<notebook>.ipynb`` (under ``out`` if given) for every
    graded notebook of ``assignment``; their paths."""
    import nbformat

    written = []
    for path in sorted((root / "autograded").glob(f"*/{assignment}/*.ipynb")):
        student = path.parent.parent.name
        nb = nbformat.read(path, as_version=4)
        resources = {
            "nbgrader": {"student": student, "assignment": assignment, "notebook": path.stem, "db_url": db_url}
        }
        nb, resources = GetGrades().preprocess(nb, resources)
        nb, resources = StudentFeedback(reveal_answers=reveal).preprocess(nb, resources)
        target = (out or root / "feedback") / student / assignment / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="course directory (default: here)")
    parser.add_argument("--db", help="gradebook URL (default: the course's, as nbgrader would use)")
    parser.add_argument("--reveal-answers", action="store_true", help="add the graded quiz's key (after the deadline)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    db_url = args.db or _course_db(root)
    written = student_copies(root, args.assignment, db_url, reveal=args.reveal_answers)
    if not written:
        print(f"no graded notebooks in {root / 'autograded'}/*/{args.assignment}: run nbgrader autograde first")
        return 1
    print(f"{len(written)} student notebook(s) written under {root / 'feedback'}")
    return 0


def _course_db(root: Path) -> str:
    from course.classroom import nbconfig

    return nbconfig.load(root).get("CourseDirectory", {}).get("db_url") or f"sqlite:///{root / 'gradebook.db'}"


if __name__ == "__main__":
    sys.exit(main())
