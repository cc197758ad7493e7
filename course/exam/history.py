"""What the learner has done: finished practice exams, and practice-mode answers.

* ``$AIP_COURSE_HOME/exam/history.json``: one record per submitted exam (totals, per-domain
  counts and per-question outcomes), rewritten atomically on each submission.
* ``$AIP_COURSE_HOME/exam/practice.jsonl``: one short line per answer checked in practice
  mode (appending a short line is atomic on local file systems, as in :mod:`course.progress`).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from course import jsonstore as store

FORMAT = 1


def path() -> Path:
    return store.folder() / "exam" / "history.json"


def practice_path() -> Path:
    return store.folder() / "exam" / "practice.jsonl"


def _valid(data) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("attempts"), list)
        and all(isinstance(a, dict) and "scaled" in a for a in data["attempts"])
    )


def read() -> store.Loaded:
    """``Loaded(list of attempt records, problem)``; a damaged file is set aside (see :mod:`store`)."""
    loaded = store.read_json(path(), "practice-exam history", _valid)
    return store.Loaded([] if loaded.data is None else loaded.data["attempts"], loaded.problem)


def attempts() -> list[dict]:
    return read().data


def append(record: dict) -> str | None:
    """Add a submitted attempt (once per ``attempt_id``). Returns a notice if a damaged file was set aside."""
    loaded = read()
    records = loaded.data
    if any(r.get("attempt_id") == record.get("attempt_id") for r in records):
        return loaded.problem
    store.write_json(path(), {"format": FORMAT, "attempts": [*records, record]})
    return loaded.problem


def record_practice(item: dict, correct: bool, when: float | None = None) -> None:
    """Log one practice-mode answer; a read-only home folder is not worth an error."""
    line = {
        "t": time.time() if when is None else when,
        "id": item["id"],
        "bank": item["bank"],
        "domain": item["domain"],
        "correct": bool(correct),
    }
    try:
        practice_path().parent.mkdir(parents=True, exist_ok=True)
        with open(practice_path(), "a", encoding="utf-8") as handle:
            handle.write(json.dumps(line) + "\n")
    except OSError:
        pass


def practice_results() -> list[dict]:
    p = practice_path()
    if not p.exists():
        return []
    out = []
    for line in p.read_text("utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and "id" in record and "correct" in record:
            out.append(record)
    return out


def trend_frame(records: list[dict] | None = None):
    """A pandas DataFrame: one row per submitted exam, oldest first."""
    import pandas as pd

    records = attempts() if records is None else records
    rows = [
        {
            "attempt": n + 1,
            "date": time.strftime("%Y-%m-%d %H:%M", time.localtime(r.get("submitted_at", 0))),
            "questions": r.get("n_questions"),
            "scored": r.get("n_scored"),
            "correct": r.get("correct"),
            "percent": r.get("percent"),
            "scaled": r.get("scaled"),
            "passed": r.get("passed"),
        }
        for n, r in enumerate(records)
    ]
    return pd.DataFrame(
        rows, columns=["attempt", "date", "questions", "scored", "correct", "percent", "scaled", "passed"]
    )


def plot_trend(records: list[dict] | None = None, ax=None, passing_score: int = 750):
    """Scaled score over attempts, with the passing line. Returns the matplotlib Axes."""
    import matplotlib.pyplot as plt

    frame = trend_frame(records)
    if ax is None:
        _fig, ax = plt.subplots(figsize=(6, 3))
    ax.axhline(passing_score, color="#cf222e", linestyle="--", linewidth=1, label=f"pass ({passing_score})")
    if len(frame):
        ax.plot(frame["attempt"], frame["scaled"], marker="o", color="#0969da", label="scaled score (estimate)")
        ax.set_xticks(list(frame["attempt"]))
    else:
        ax.text(0.5, 0.5, "No practice exam submitted yet", ha="center", va="center", transform=ax.transAxes)
    ax.set_ylim(100, 1000)
    ax.set_xlabel("attempt")
    ax.set_ylabel("scaled score")
    ax.set_title("Practice exams over time")
    ax.legend(loc="lower right", fontsize="small")
    return ax
