"""The progress dashboard: one view of where a learner stands, from local files only.

Per notes domain (the course's domain notebooks):

* self-check accuracy, from ``$AIP_COURSE_HOME/progress.jsonl`` (:mod:`course.progress`),
  counting each question's latest result;
* graded-quiz status: questions answered in ``<root>/workspace/<domain>/graded_answers.json``;
* exercises passing, from the test cells' outputs in the learner's saved notebook
  ``<root>/workspace/<domain>/<domain>.ipynb``;

and the practice-exam trend (``$AIP_COURSE_HOME/exam/history.json``).
"""

from __future__ import annotations

import json
import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any


def default_root() -> Path:
    """The course folder (the one holding ``workspace/``): the repository of this package."""
    return Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------------------------
# Exercise results, read from the learner's saved notebook
# ---------------------------------------------------------------------------------------
def exercise_status(notebook: Path) -> tuple[dict[str, str], str | None]:
    """``({test grade_id: "passing" | "failing" | "not run"}, problem)`` from a saved notebook.

    A test cell that ran without an error output is passing; with one, failing. JupyterLab
    saves outputs with the notebook, so this reflects the learner's last saved run."""
    try:
        nb = json.loads(notebook.read_text("utf-8"))
        cells = nb["cells"]
    except FileNotFoundError:
        return {}, None
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return {}, f"{notebook.name} could not be read, so its exercises show as not run."
    out = {}
    for cell in cells if isinstance(cells, list) else []:
        meta = (cell.get("metadata") or {}).get("nbgrader") or {} if isinstance(cell, dict) else {}
        gid = meta.get("grade_id")
        if (
            not meta.get("grade")
            or not isinstance(gid, str)
            or gid.startswith("quiz-")
            or cell.get("cell_type") != "code"
        ):
            continue
        outputs = cell.get("outputs") or []
        if any(o.get("output_type") == "error" for o in outputs if isinstance(o, dict)):
            out[gid] = "failing"
        elif cell.get("execution_count") is not None:
            out[gid] = "passing"
        else:
            out[gid] = "not run"
    return out, None


# ---------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------
@cache
def _all_domains() -> dict[str, str]:

    from course import yamlio

    try:
        data = yamlio.load(resources.files("course.data").joinpath("notes_index.yaml").read_text("utf-8"))
        return dict(data.get("all_domains") or {})
    except (OSError, ValueError, AttributeError):
        return {}


def _banks() -> dict[str, dict]:
    """Every bank that loads; a broken one is left out rather than breaking the dashboard."""
    from course import bank

    out = {}
    for name in bank.available():
        try:
            out[name] = bank.load(name)
        except bank.BankError:
            continue
    return out


def _question_ids(data: dict | None) -> list[str]:
    out = []
    for q in (data or {}).get("questions") or []:
        if not isinstance(q, dict):
            continue
        subs = q.get("questions") if q.get("type") == "case_study" else [q]
        out += [s["id"] for s in subs or [] if isinstance(s, dict) and isinstance(s.get("id"), str)]
    return out


def _complete(q: dict, response: Any) -> bool:
    from course import scoring

    try:
        return scoring.is_complete(q, response)
    except (KeyError, TypeError):
        return response not in (None, [], {})


def frame(root: str | os.PathLike | None = None, banks: dict[str, dict] | None = None):
    """A pandas DataFrame: one row per notes domain."""
    import pandas as pd

    from course import answers, progress

    root = Path(root) if root is not None else default_root()
    banks = _banks() if banks is None else banks
    titles = dict(_all_domains())
    for name, data in banks.items():
        titles.setdefault(name, data.get("title", name))
    owner: dict[str, str] = {}
    for name, data in banks.items():
        for qid in _question_ids(data):
            owner.setdefault(qid, name)
    latest: dict[str, bool] = {}
    for record in sorted(progress.self_check_results(), key=lambda r: r.get("t", 0)):
        if isinstance(record.get("id"), str):
            latest[record["id"]] = bool(record.get("correct"))
    rows = []
    problems = []
    for name, title in titles.items():
        data = banks.get(name)
        ids = set(_question_ids(data))
        tried = [qid for qid in latest if owner.get(qid) == name]
        right = sum(latest[qid] for qid in tried)
        graded = [q for q in (data or {}).get("graded") or [] if isinstance(q, dict) and "id" in q]
        saved = answers.read(root / "workspace" / name / answers.FILENAME)
        done = sum(1 for q in graded if _complete(q, saved.responses.get(q["id"])))
        ex, problem = exercise_status(root / "workspace" / name / f"{name}.ipynb")
        if problem:
            problems.append(problem)
        rows.append(
            {
                "domain": name,
                "title": title,
                "self-check questions": len(ids),
                "self-checks tried": len(tried),
                "self-checks right": right,
                "self-check accuracy %": round(100 * right / len(tried), 1) if tried else None,
                "graded answered": done,
                "graded questions": len(graded),
                "exercises passing": sum(1 for e in ex.values() if e == "passing"),
                "exercises run": sum(1 for e in ex.values() if e != "not run"),
                "exercises": len(ex),
            }
        )
    table = pd.DataFrame(rows)
    table.attrs["problems"] = problems
    return table


def build(root: str | os.PathLike | None = None, banks: dict[str, dict] | None = None):
    """The dashboard widget: the table, self-check accuracy per domain, and the exam trend."""
    import ipywidgets as w
    import matplotlib.pyplot as plt
    from IPython.display import display

    from course.exam import history

    table = frame(root, banks)
    loaded = history.read()
    notes = [p for p in (loaded.problem, *table.attrs.get("problems", [])) if p]
    out_table, out_plots = w.Output(), w.Output()
    with out_table:
        display(table)
    with out_plots:
        fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.2))
        tried = table[table["self-checks tried"] > 0]
        if len(tried):
            left.barh(list(tried["domain"])[::-1], list(tried["self-check accuracy %"])[::-1], color="#0969da")
            left.set_xlim(0, 100)
        else:
            left.text(0.5, 0.5, "No self-check answered yet", ha="center", va="center", transform=left.transAxes)
        left.set_title("Self-check accuracy (latest answer per question)")
        left.set_xlabel("%")
        history.plot_trend(loaded.data, right)
        fig.tight_layout()
        display(fig)
        plt.close(fig)
    attempts = loaded.data
    last = f"Last practice exam: {attempts[-1]['scaled']} / 1000 (estimate)." if attempts else "No practice exam yet."
    from course.quiz_widgets import text_html

    head = "".join(f"<div style='color:#cf222e'>⚠️ {text_html(n)}</div>" for n in notes)
    head += f"<h3>Your progress</h3><div>{len(attempts)} practice exam(s) submitted. {last}</div>"
    box = w.VBox([w.HTML(head), out_table, out_plots])
    box.table = table
    return box


def show(root: str | os.PathLike | None = None) -> Any:
    """Display the dashboard."""
    from IPython.display import display

    display(build(root))
