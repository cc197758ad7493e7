"""What one Dask worker does: autograde one submission in a private scratch course.

Everything a task needs travels with it (course files, a template gradebook, the submission),
and everything it produces comes back as data (the gradebook rows and the graded notebooks),
so workers need the course's Python environment but no shared disk. Each task has its own
SQLite gradebook: concurrent tasks never write to the same database.
"""

from __future__ import annotations

import shutil
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from course.classroom import files, rows

GRADEBOOK = "gradebook.db"


@dataclass
class Job:
    """One submission to grade."""

    assignment: str
    student: str
    submission: files.Tree
    extension_seconds: float | None = None


@dataclass
class Result:
    assignment: str
    student: str
    ok: bool
    seconds: float
    rows: rows.Rows | None = None
    autograded: files.Tree = field(default_factory=dict)
    log: str = ""


def _api(root: Path, config):
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    config = Config(config)
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.db_url = f"sqlite:///{root / GRADEBOOK}"
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def _scratch(course: files.Tree) -> Path:
    root = Path(tempfile.mkdtemp(prefix="aip-grade-"))
    files.write_tree(root, course)
    return root


def build_template(course: files.Tree, config, assignment: str) -> bytes:
    """A gradebook that knows the assignment (what generate_assignment records), as bytes."""
    root = _scratch(course)
    try:
        result = _api(root, config).generate_assignment(assignment, force=True)
        if not result["success"]:
            raise RuntimeError(f"generate_assignment {assignment} failed:\n{result.get('error')}\n{result.get('log')}")
        return (root / GRADEBOOK).read_bytes()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _set_due(db_url: str, course_id: str, assignment: str, job: Job, duedate: str | None) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(db_url, course_id=course_id) as gb:
        gb.update_or_create_assignment(assignment, duedate=datetime.fromisoformat(duedate) if duedate else None)
        if job.extension_seconds:
            gb.update_or_create_student(job.student)
            gb.update_or_create_submission(assignment, job.student, extension=timedelta(seconds=job.extension_seconds))


def grade(course: files.Tree, template: bytes, config, duedate: str | None, job: Job) -> Result:
    """Autograde ``job`` with nbgrader's own Autograde converter, in a scratch course."""
    from course.classroom import nbconfig

    assignment = job.assignment
    started = time.perf_counter()
    root = _scratch(course)
    try:
        (root / GRADEBOOK).write_bytes(template)
        db_url = f"sqlite:///{root / GRADEBOOK}"
        course_id = nbconfig.course_id(config)
        _set_due(db_url, course_id, assignment, job, duedate)
        files.write_tree(root / "submitted" / job.student / assignment, job.submission)
        with warnings.catch_warnings():
            # nbgrader's add_submission trips SQLAlchemy autoflush warnings; they are harmless noise here
            warnings.simplefilter("ignore")
            outcome = _api(root, config).autograde(assignment, job.student, force=True, create=True)
        log = outcome.get("log", "") + (outcome.get("error") or "")
        if not outcome["success"]:
            return Result(assignment, job.student, False, time.perf_counter() - started, log=log)
        return Result(
            assignment,
            job.student,
            True,
            time.perf_counter() - started,
            rows=rows.read(db_url, course_id, assignment, job.student),
            autograded=files.read_tree(root / "autograded" / job.student / assignment),
            log=log,
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)
