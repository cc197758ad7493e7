"""The graded-quiz answers file that sits beside a notebook and travels with it.

Each click rewrites the whole file atomically (temporary file + rename), so a crash
or a kernel restart can never leave half a file. A missing file means "nothing
answered yet"; an unreadable one is kept aside under a new name and treated as
unanswered, with a message saying so.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course import jsonstore

FILENAME = "graded_answers.json"
FORMAT = 1


@dataclass
class Answers:
    """What a learner has saved, and any problem found while reading the file."""

    responses: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None


def path_in(folder: str | os.PathLike | None = None) -> Path:
    """The answers file of the notebook whose working folder is ``folder`` (default: cwd)."""
    return Path(folder or os.getcwd()) / FILENAME


def read(path: Path | None = None) -> Answers:
    """Read the answers file; never raises for a missing or damaged file."""
    path = path or path_in()
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return Answers()
    except OSError as exc:
        return Answers(
            problem=f"{path.name} could not be read ({exc.strerror}); every graded question counts as unanswered."
        )
    try:
        data = json.loads(text)
    except ValueError:
        return Answers(
            problem=f"{path.name} is not valid JSON (was it edited by hand?); every graded question counts as unanswered."
        )
    answers = data.get("answers") if isinstance(data, dict) else None
    if not isinstance(answers, dict):
        return Answers(
            problem=f"{path.name} does not have the expected layout; every graded question counts as unanswered."
        )
    responses = {
        qid: entry["response"]
        for qid, entry in answers.items()
        if isinstance(qid, str) and isinstance(entry, dict) and "response" in entry
    }
    return Answers(responses=responses)


def save(qid: str, response: Any, path: Path | None = None) -> str | None:
    """Record ``response`` for ``qid``. Returns a notice when a damaged file was set aside."""
    path = path or path_in()
    current = read(path)
    notice = None
    if current.problem and path.exists():
        aside = jsonstore.set_aside(path)
        notice = f"{current.problem} It was kept as {aside.name}; a fresh file was started."
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    answers = {q: {"response": r} for q, r in current.responses.items()}
    answers[qid] = {"response": response, "saved_at": stamp}
    jsonstore.write_json(path, {"format": FORMAT, "answers": answers})
    return notice
