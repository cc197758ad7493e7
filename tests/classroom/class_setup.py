"""A scratch course with a class of submissions, for the classroom tests."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from tests import grading_pipeline as gp
from tests.course_files import release_notebook, source_notebook

ASSIGNMENT = "governance"  # one of the smaller notebooks: keeps the suite fast
DUE = "2026-11-20 12:00:00.000000 UTC"
PER_HOUR, MAX_FRACTION = 1.0, 0.5
LATE_POLICY = f"""
# Late policy (course.classroom.late): {PER_HOUR} point per started hour, at most {MAX_FRACTION:.0%} of the score.
c.AssignLatePenalties.plugin_class = "course.classroom.late.CappedSubMarks"
c.CappedSubMarks.penalty_per_hour = {PER_HOUR}
c.CappedSubMarks.max_fraction = {MAX_FRACTION}
"""


def add_late_policy(course: Path) -> None:
    with (course / "nbgrader_config.py").open("a") as fh:
        fh.write(LATE_POLICY)


def set_due_date(db_url: str, name: str, due: str = DUE) -> None:
    from nbgrader.api import Gradebook
    from nbgrader.utils import parse_utc

    with Gradebook(db_url, course_id="aip-c01") as gb:
        gb.update_or_create_assignment(name, duedate=parse_utc(due))


def submission(tmp: Path, name: str, kind: str) -> tuple[Path, dict | None]:
    """The notebook and quiz answers of a solution, blank or wrong submission."""
    if kind == "solution":
        return source_notebook(name), gp.correct_answers(name)
    if kind == "blank":
        return release_notebook(name), None
    notebook, answers, _ = gp.wrong_submission(tmp, name)
    return notebook, answers


def submit(course: Path, tmp: Path, student: str, kind: str, timestamp: str) -> None:
    notebook, answers = submission(tmp, ASSIGNMENT, kind)
    gp.submit(course, student, ASSIGNMENT, notebook, answers)
    (course / "submitted" / student / ASSIGNMENT / "timestamp.txt").write_text(timestamp)


def late_seconds(timestamp: str, due: str = DUE) -> float:
    fmt = "%Y-%m-%d %H:%M:%S.%f UTC"
    return (datetime.strptime(timestamp, fmt) - datetime.strptime(due, fmt)).total_seconds()


def copy_course(course: Path, target: Path, with_gradebook: bool = True) -> Path:
    shutil.copytree(course, target, ignore=None if with_gradebook else shutil.ignore_patterns("gradebook.db"))
    return target
