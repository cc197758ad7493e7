"""What must never reach a student: hidden test code and the graded quiz's key (used by the end-to-end tests).

Every file under ``feedback/`` is read as a student would read it: HTML without its tags,
notebooks as their cells' text and outputs, anything else as text. Whitespace is collapsed
so that a secret split over lines or tags is still found.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

from course.classroom import feedback
from tests import grading_pipeline as gp
from tests.course_files import graded_key, release_notebook, source_notebook

TAG = re.compile(r"<[^>]*>")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def flat(text: str) -> str:
    return " ".join(text.split())


def notebook_text(nb: dict) -> str:
    parts = []
    for cell in nb.get("cells", []):
        parts.append("".join(cell.get("source", "")))
        for out in cell.get("outputs", []):
            parts.append("".join(out.get("text", "")))
            parts.append(str(out.get("evalue", "")))
            parts += [ANSI.sub("", t) for t in out.get("traceback", [])]
            parts += ["".join(v) for v in out.get("data", {}).values() if isinstance(v, (str, list))]
    return "\n".join(parts)


def student_text(path: Path) -> str:
    """What a student reads in ``path``, whitespace collapsed."""
    raw = path.read_text("utf-8", errors="replace")
    if path.suffix == ".html":
        raw = html.unescape(TAG.sub("", raw))
    elif path.suffix == ".ipynb":
        raw = notebook_text(json.loads(raw))
    return flat(raw)


def hidden_lines(name: str) -> list[str]:
    """Lines of hidden test code of ``name`` specific enough to look for (not shown in the release)."""
    shown = {line.strip() for c in json.loads(release_notebook(name).read_text())["cells"] for line in c["source"]}
    found = set()
    for cell in source_cells(name):
        visible, hidden = feedback.split_hidden("".join(cell["source"]), [])
        found |= {line.strip() for line in hidden}
        shown |= {line.strip() for line in visible.split("\n")}  # a solution's line is not a hidden test's
    # A hidden line that also stands inside a visible one (a shorter form of it) reveals nothing.
    visible = flat("\n".join(shown))
    return sorted(h for h in found if len(h) >= feedback.MIN_FRAGMENT and h not in shown and flat(h) not in visible)


def key_texts(name: str) -> dict[str, list[str]]:
    """Per graded question, the explanations that give its key away (those of the right options;
    every explanation of an ordering or a matching question)."""
    out = {}
    for qid, entry in graded_key(name).items():
        answer, why = entry["answer"], entry["why"]
        if isinstance(answer, str):
            right = [answer]
        elif isinstance(answer, list) and set(answer) <= set(why) and len(answer) < len(why):
            right = answer  # multiple response: the right options among more
        else:
            right = list(why)  # ordering or matching: every explanation places an item
        out[qid] = [flat(why[r]) for r in right if r in why]
    return out


def make_feedback(course: Path, name: str, tmp: Path) -> dict:
    """Feedback as the class gets it (nbgrader generate_feedback, plus the student notebooks), and the
    notebooks as they would be with ``reveal_answers`` on."""
    gp.in_process(course, "generate_feedback", name)
    db = f"sqlite:///{course}/gradebook.db"
    feedback.student_copies(course, name, db)
    files = {
        str(p.relative_to(course)): student_text(p) for p in sorted((course / "feedback").rglob("*")) if p.is_file()
    }
    revealed = tmp / "revealed"
    shutil.rmtree(revealed, ignore_errors=True)
    feedback.student_copies(course, name, db, reveal=True, out=revealed)
    return {
        "files": files,
        "revealed": {p.parent.parent.name: student_text(p) for p in revealed.rglob("*.ipynb")},
        "autograded": {
            p.parent.parent.name: student_text(p) for p in (course / "autograded").glob(f"*/{name}/*.ipynb")
        },
    }


def source_cells(name: str) -> list[dict]:
    return json.loads(source_notebook(name).read_text())["cells"]
