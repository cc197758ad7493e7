"""What one Dask worker does: autograde one submission in a private scratch course.

Everything a task needs travels with it (course files, a template gradebook, the submission),
and everything it produces comes back as data (the gradebook rows and the graded notebooks),
so workers need the course's Python environment but no shared disk. Each task has its own
SQLite gradebook: concurrent tasks never write to the same database.

Before autograding, each task runs the preflight (``course.classroom.preflight``) on its copy
of the submission, against the release notebook its template was built with. Whatever goes
wrong in a task comes back as that student's failed ``Result`` with the reason, never as an
exception that would stop the grading of the class.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
import traceback
import warnings
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from course.classroom import files, gradebook_version, nbgrader_cli, rows

GRADEBOOK = "gradebook.db"


@dataclass
class Job:
    """One submission to grade."""

    assignment: str
    student: str
    submission: files.Tree
    extension_seconds: float | None = None
    links: tuple[str, ...] = ()  # symbolic links found in the submission (not read, not sent)


@dataclass
class Template:
    """What generate_assignment produced for an assignment: its gradebook and its release notebooks."""

    gradebook: bytes
    release: files.Tree


@dataclass
class Result:
    assignment: str
    student: str
    ok: bool
    seconds: float
    rows: rows.Rows | None = None
    autograded: files.Tree = field(default_factory=dict)
    log: str = ""
    findings: list[dict[str, str]] = field(default_factory=list)  # preflight findings (kind, text)
    error: str = ""  # why grading failed, in one line


def nbgrader_api(root: Path, config):
    """nbgrader's API on the course at ``root``, with its own gradebook, configured by ``config``."""
    # Workers may run on other machines, in environments nobody activated: nbgrader needs alembic.
    nbgrader_cli.put_on_path()
    gradebook_version.install()
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


def build_template(course: files.Tree, config, assignment: str) -> Template:
    """A gradebook that knows the assignment (what generate_assignment records), and the release it made."""
    root = _scratch(course)
    try:
        result = nbgrader_api(root, config).generate_assignment(assignment, force=True)
        if not result["success"]:
            raise RuntimeError(f"generate_assignment {assignment} failed:\n{result.get('error')}\n{result.get('log')}")
        return Template((root / GRADEBOOK).read_bytes(), files.read_tree(root / "release" / assignment))
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _set_due(db_url: str, course_id: str, assignment: str, job: Job, duedate: str | None) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(db_url, course_id=course_id) as gb:
        gb.update_or_create_assignment(assignment, duedate=datetime.fromisoformat(duedate) if duedate else None)
        if job.extension_seconds:
            gb.update_or_create_student(job.student)
            gb.update_or_create_submission(assignment, job.student, extension=timedelta(seconds=job.extension_seconds))


def _rows_if_any(db_url: str, course_id: str, assignment: str, student: str) -> rows.Rows | None:
    """The submission's rows, if autograde got far enough to record it."""
    from nbgrader.api import MissingEntry

    try:
        return rows.read(db_url, course_id, assignment, student)
    except MissingEntry:
        return None


def _last_error(log: str) -> str:
    """The exception that stopped autograde (the last ``SomethingError: ...`` line of its log)."""
    found = re.findall(r"^\s*((?:[\w.]+)(?:Error|Exception|Exit)\b:? .*)$", log, flags=re.MULTILINE)
    if found:
        return found[-1].strip()[:300]
    errors = [line.split("]", 1)[-1].strip() for line in log.splitlines() if "| ERROR]" in line]
    return errors[0][:300] if errors else "autograde failed (see the log)"


def grade(course: files.Tree, template: Template, config, duedate: str | None, job: Job) -> Result:
    """Preflight, then autograde ``job`` with nbgrader's own Autograde converter, in a scratch course.

    Never raises: a failure is a Result with ``ok=False``, the reason in ``error`` and the
    details in ``log`` (with the rows autograde recorded, if it got that far)."""
    from course.classroom import gc_tuning, nbconfig, preflight

    gc_tuning.tune()
    assignment = job.assignment
    started = time.perf_counter()
    findings: list[dict[str, str]] = []
    root = None
    try:
        root = _scratch(course)
        (root / GRADEBOOK).write_bytes(template.gradebook)
        files.write_tree(root / "release" / assignment, template.release)
        db_url = f"sqlite:///{root / GRADEBOOK}"
        course_id = nbconfig.course_id(config)
        _set_due(db_url, course_id, assignment, job, duedate)
        folder = root / "submitted" / job.student / assignment
        folder.mkdir(parents=True)
        files.write_tree(folder, job.submission)
        findings = [f.as_dict() for f in preflight.check_submission(folder, root / "release" / assignment, job.links)]
        with warnings.catch_warnings():
            # nbgrader's add_submission trips SQLAlchemy autoflush warnings; they are harmless noise here
            warnings.simplefilter("ignore")
            outcome = nbgrader_api(root, config).autograde(assignment, job.student, force=True, create=True)
        log = outcome.get("log", "") + (outcome.get("error") or "")
        recorded = _rows_if_any(db_url, course_id, assignment, job.student)
        if not outcome["success"]:
            return Result(
                assignment,
                job.student,
                False,
                time.perf_counter() - started,
                rows=recorded,
                log=log,
                findings=findings,
                error=_last_error(log),
            )
        return Result(
            assignment,
            job.student,
            True,
            time.perf_counter() - started,
            rows=recorded,
            autograded=files.read_tree(root / "autograded" / job.student / assignment),
            log=log,
            findings=findings,
        )
    except Exception as exc:  # noqa: BLE001 - one broken submission must not stop the class
        return Result(
            assignment,
            job.student,
            False,
            time.perf_counter() - started,
            log=traceback.format_exc(),
            findings=findings,
            error=f"the grading task failed: {type(exc).__name__}: {exc}"[:300],
        )
    finally:
        if root is not None:
            shutil.rmtree(root, ignore_errors=True)
