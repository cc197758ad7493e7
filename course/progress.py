"""The learner's own study record (self-check results), kept in a local file.

One JSON line per checked answer in ``$AIP_COURSE_HOME/progress.jsonl`` (default
``~/.aip-c01-course``). Appending a single short line is atomic on local file
systems, so two notebooks open at once cannot interleave records.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path


def home() -> Path:
    return Path(os.environ.get("AIP_COURSE_HOME") or Path.home() / ".aip-c01-course")


def record_self_check(qid: str, correct: bool) -> None:
    """Append one self-check result; a read-only home folder is not worth an error."""
    line = json.dumps({"t": time.time(), "kind": "self_check", "id": qid, "correct": bool(correct)}) + "\n"
    try:
        folder = home()
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "progress.jsonl", "a", encoding="utf-8") as handle:
            handle.write(line)
    except OSError:
        pass


def self_check_results() -> list[dict]:
    """Every recorded self-check result, skipping lines that cannot be read."""
    path = home() / "progress.jsonl"
    if not path.exists():
        return []
    out = []
    for line in path.read_text("utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and record.get("kind") == "self_check":
            out.append(record)
    return out
