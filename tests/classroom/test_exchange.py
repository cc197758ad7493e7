"""The nbgrader exchange end to end: release, fetch, submit, collect, autograde, feedback, export, late policy."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest

from course import answers
from course.classroom import late
from tests import grading_pipeline as gp
from tests.classroom import class_setup as cs

pytestmark = pytest.mark.slow

NAME = cs.ASSIGNMENT
STUDENTS = {"alice": "solution", "bob": "wrong", "carol": "solution"}  # carol submits after the due date
DROP_ENV = ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "NBGRADER_EXECUTION")


def student_env(home: Path, student: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in DROP_ENV}
    env.update(HOME=str(home), USER=student, LOGNAME=student)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def as_student(exchange: Path, home: Path, student: str, *args: str) -> subprocess.Popen:
    """Start an nbgrader student command in the student's own HOME and working folder."""
    cmd = [sys.executable, "-m", "nbgrader", *args, "--course=aip-c01", f"--Exchange.root={exchange}"]
    if args[0] in ("submit", "fetch_feedback"):
        cmd.append(f"--student={student}")  # everyone is the same OS user here; on a hub the OS user name is used
    work = home / "work"
    work.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        cmd, cwd=work, env=student_env(home, student), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def wait_all(procs: dict[str, subprocess.Popen]) -> None:
    for student, proc in procs.items():
        out, _ = proc.communicate(timeout=600)
        assert proc.returncode == 0, f"{student}: {' '.join(proc.args[3:5])} failed:\n{out}"


def do_work(tmp: Path, home: Path, kind: str) -> None:
    """The student's edits: the solution or a plausible wrong answer, and their graded-quiz answers."""
    folder = home / "work" / NAME
    notebook, responses = cs.submission(tmp, NAME, kind)
    fetched = nbformat.read(folder / f"{NAME}.ipynb", as_version=4)
    edits = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in nbformat.read(notebook, as_version=4).cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }
    for cell in fetched.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in edits:
            cell.source = edits[gid]
    nbformat.write(fetched, folder / f"{NAME}.ipynb")
    for qid, response in (responses or {}).items():
        answers.save(qid, response, folder / answers.FILENAME)


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("exchange")
    exchange = tmp / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)
    course = gp.make_course(tmp, NAME)
    cs.add_late_policy(course)
    gp.nbgrader(course, "release_assignment", NAME, f"--Exchange.root={exchange}")
    homes = {s: tmp / "homes" / s for s in STUDENTS}

    wait_all({s: as_student(exchange, homes[s], s, "fetch_assignment", NAME) for s in STUDENTS})
    for s, kind in STUDENTS.items():
        do_work(tmp, homes[s], kind)
    wait_all({s: as_student(exchange, homes[s], s, "submit", NAME) for s in ("alice", "bob")})
    inbound_on_time = sorted(p.name for p in (exchange / "aip-c01" / "inbound").iterdir())

    # The instructor sets the due date now; carol submits a moment later, so she is late.
    due = datetime.now(UTC).replace(tzinfo=None)
    cs.set_due_date(f"sqlite:///{course}/gradebook.db", NAME, due.strftime("%Y-%m-%d %H:%M:%S.%f UTC"))
    time.sleep(1.5)
    wait_all({"carol": as_student(exchange, homes["carol"], "carol", "submit", NAME)})

    gp.nbgrader(course, "collect", NAME, f"--Exchange.root={exchange}")
    gp.nbgrader(course, "autograde", NAME, "--force")
    gp.nbgrader(course, "generate_feedback", NAME, "--force")
    gp.nbgrader(course, "release_feedback", NAME, f"--Exchange.root={exchange}")
    wait_all({s: as_student(exchange, homes[s], s, "fetch_feedback", NAME) for s in STUDENTS})
    gp.nbgrader(course, "export", f"--to={course / 'grades.csv'}")
    with (course / "grades.csv").open() as fh:
        grades = {row["student_id"]: row for row in csv.DictReader(fh)}
    return {"course": course, "exchange": exchange, "homes": homes, "grades": grades, "inbound": inbound_on_time}


def test_each_student_fetched_into_their_own_folder(classroom):
    """Did every student get the release notebook in their own working folder?"""
    for home in classroom["homes"].values():
        assert (home / "work" / NAME / f"{NAME}.ipynb").exists()


def test_submissions_carry_the_graded_quiz_answers(classroom):
    """Is graded_answers.json in each submission, in the exchange and after collect?"""
    inbound = classroom["exchange"] / "aip-c01" / "inbound"
    assert {name.split("+")[0] for name in classroom["inbound"]} == {"alice", "bob"}
    for folder in inbound.iterdir():
        assert (folder / answers.FILENAME).exists(), folder.name
    for student in STUDENTS:
        submitted = classroom["course"] / "submitted" / student / NAME
        assert answers.read(submitted / answers.FILENAME).responses, student


def test_students_find_their_feedback(classroom):
    """Did each student's fetch_feedback bring back an HTML report of their own submission?"""
    for student, home in classroom["homes"].items():
        reports = list((home / "work" / NAME / "feedback").glob(f"*/{NAME}.html"))
        assert len(reports) == 1, student
        assert "Score" in reports[0].read_text()
    bob = next((classroom["homes"]["bob"] / "work" / NAME / "feedback").glob(f"*/{NAME}.html")).read_text()
    assert "is not correct" in bob  # a wrong graded-quiz answer is explained


def test_exported_grades(classroom):
    """Does grades.csv hold full marks for the solution, partial for the wrong answer, and the late penalty?"""
    g = {
        s: {k: float(row[k]) for k in ("raw_score", "late_submission_penalty", "score", "max_score")}
        for s, row in classroom["grades"].items()
    }
    assert set(g) >= set(STUDENTS)
    assert g["alice"]["score"] == g["alice"]["max_score"] > 0 and g["alice"]["late_submission_penalty"] == 0
    assert 0 < g["bob"]["score"] < g["bob"]["max_score"] and g["bob"]["late_submission_penalty"] == 0
    # carol was seconds late: one started hour, 1 point (the cap, half her score, is not reached)
    expected = late.capped_penalty(g["carol"]["raw_score"], 1, cs.PER_HOUR, cs.MAX_FRACTION)
    assert g["carol"]["raw_score"] == g["carol"]["max_score"]
    assert g["carol"]["late_submission_penalty"] == expected == 1.0
    assert g["carol"]["score"] == g["carol"]["raw_score"] - expected
