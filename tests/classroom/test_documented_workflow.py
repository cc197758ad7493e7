"""The instructor workflow exactly as docs/classroom.md (and the README) show it, on a small class.

Every command below is looked up in the documentation by its text (tests/documented.py) and
run as a shell command in a scratch course directory, with the course's environment first on
PATH, as an instructor would type it; the exchange location comes from the course's
nbgrader_config.py and, for students, from their own ~/.jupyter/nbgrader_config.py, as on the
hub. Where a command names a site's own server (a Dask scheduler, a PostgreSQL host), the
test's server is put in its place and the substitution is written next to it.

Two students: alice submits the solution on time, bob a plausibly wrong answer a moment late
(after the documented due date is recorded, the test moves it to the moment between the two
submissions: the exchange stamps submissions with the real time). The same class is graded serially
(`preflight` + `nbgrader autograde`) and by the parallel grader into SQLite, into PostgreSQL
and through a running scheduler: the per-cell scores and late penalties must be identical.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest

from course import answers
from course.classroom import late, rows
from tests import documented
from tests import grading_pipeline as gp
from tests.classroom import class_setup as cs
from tests.course_files import ROOT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.release,
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"),
]

NAME = "security"
OTHER = "governance"  # the second assignment of the documented two-assignment command
DOC = "docs/classroom.md"
README = "README.md"
STUDENTS = {"alice": "solution", "bob": "wrong"}  # in the order they submit; bob is late
DROP_ENV = ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "NBGRADER_EXECUTION")


def shell_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DROP_ENV}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.update(extra or {})
    return env


def run(cwd: Path, command: documented.Command, env: dict[str, str] | None = None, **subs: str) -> str:
    """Run a documented command as typed (``subs``: the site-specific parts replaced); its output."""
    text = command.text
    for old, new in subs.items():
        assert old in text, f"`{text}` no longer contains {old!r}"
        text = text.replace(old, new)
    result = subprocess.run(
        ["bash", "-c", text], cwd=cwd, env=env or shell_env(), capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, f"`{text}` failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def doc(text: str, path: str = DOC) -> documented.Command:
    return documented.command(path, text)


def student_env(home: Path, student: str, exchange: Path) -> dict[str, str]:
    (home / ".jupyter").mkdir(parents=True, exist_ok=True)
    # On a hub each student is an OS account, which nbgrader takes as the student id; here every
    # student is the same OS user, so their own config names them.
    (home / ".jupyter" / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.Exchange.root = {str(exchange)!r}\nc.CourseDirectory.student_id = {student!r}\n"
    )
    return shell_env({"HOME": str(home), "USER": student, "LOGNAME": student})


def do_work(tmp: Path, folder: Path, kind: str) -> None:
    """The student's edits: the solution or a plausible wrong answer, and their graded-quiz answers."""
    notebook, responses = cs.submission(tmp, NAME, kind)
    edits = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in nbformat.read(notebook, as_version=4).cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }
    fetched = nbformat.read(folder / f"{NAME}.ipynb", as_version=4)
    for cell in fetched.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in edits:
            cell.source = edits[gid]
    nbformat.write(fetched, folder / f"{NAME}.ipynb")
    for qid, response in (responses or {}).items():
        answers.save(qid, response, folder / answers.FILENAME)


def keep_students(course: Path, target: Path, students: set[str]) -> Path:
    """A copy of the collected course holding only ``students``' submissions, not yet graded."""
    shutil.copytree(course, target, ignore=shutil.ignore_patterns("autograded", "feedback"))
    for folder in (target / "submitted").iterdir():
        if folder.name not in students:
            shutil.rmtree(folder)
    return target


@pytest.fixture(scope="module")
def workflow(tmp_path_factory, postgres, dask_client):
    tmp = tmp_path_factory.mktemp("workflow")
    exchange = tmp / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)
    course = tmp / "course"
    (course / "source").mkdir(parents=True)
    for name in (NAME, OTHER):
        shutil.copytree(ROOT / "source" / name, course / "source" / name)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    cs.add_late_policy(course)
    with (course / "nbgrader_config.py").open("a") as fh:
        fh.write(f"c.Exchange.root = {str(exchange)!r}\n")
    out = {"course": course, "exchange": exchange, "homes": {}, "logs": {}}

    # 1. Release.
    run(course, doc("nbgrader generate_assignment security --force"))
    run(course, doc('nbgrader db assignment add security --duedate="2026-11-20 17:00:00 UTC"'))
    run(course, doc("nbgrader release_assignment security"))
    # 2. Students fetch, work and submit, each in their own home; the due date falls between.
    db = f"sqlite:///{course}/gradebook.db"
    for student, kind in STUDENTS.items():
        home = tmp / "homes" / student
        env = student_env(home, student, exchange)
        (home / "work").mkdir(parents=True)
        run(home / "work", doc("nbgrader fetch_assignment security --course aip-c01"), env)
        do_work(tmp, home / "work" / NAME, kind)
        if student == "bob":
            out["due"] = datetime.now(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
            cs.set_due_date(db, NAME, out["due"])
            time.sleep(1.5)
        run(home / "work", doc("nbgrader submit security --course aip-c01"), env)
        out["homes"][student] = home
    # 3. Collect.
    run(course, doc("nbgrader collect security"))
    ungraded = tmp / "ungraded"
    shutil.copytree(course, ungraded)

    # 4. Grade serially, as the hostile-submissions section says, then in parallel on copies.
    run(course, doc("python -m course.classroom.preflight security"))
    run(course, doc("nbgrader autograde security"))
    out["serial"] = rows.scores(f"sqlite:///{course}/gradebook.db", "aip-c01", NAME)

    local = shutil.copytree(ungraded, tmp / "parallel-local")
    out["logs"]["local"] = run(local, doc("python -m course.classroom.grade security"))
    out["local"] = rows.scores(f"sqlite:///{local}/gradebook.db", "aip-c01", NAME)

    # A site's scheduler and database: the test's running scheduler and PostgreSQL server.
    remote = keep_students(ungraded, tmp / "parallel-scheduler", {"bob"})
    run(
        remote,
        doc("python -m course.classroom.grade security --scheduler tcp://grader-1:8786"),
        **{"tcp://grader-1:8786": dask_client.scheduler.address},
    )
    out["scheduler"] = rows.scores(f"sqlite:///{remote}/gradebook.db", "aip-c01", NAME)
    pg = keep_students(ungraded, tmp / "parallel-postgres", {"alice"})
    db_url = postgres.create_db("aip_c01_workflow")
    cs.set_due_date(db_url, NAME, out["due"])
    run(
        pg,
        doc("python -m course.classroom.grade security --db postgresql://grader@db/aip_c01"),
        **{"postgresql://grader@db/aip_c01": db_url},
    )
    out["postgres"] = rows.scores(db_url, "aip-c01", NAME)

    # Two assignments in one command: alice's solution of each.
    both = keep_students(ungraded, tmp / "parallel-two", {"alice"})
    gp.nbgrader(both, "generate_assignment", OTHER, "--force")
    notebook, responses = cs.submission(tmp, OTHER, "solution")
    gp.submit(both, "alice", OTHER, notebook, responses)
    out["logs"]["two"] = run(both, doc("python -m course.classroom.grade security governance --workers 4"))
    out["two"] = {a: rows.scores(f"sqlite:///{both}/gradebook.db", "aip-c01", a) for a in (NAME, OTHER)}

    # 5. Feedback, returned through the exchange and fetched by each student.
    run(course, doc("nbgrader generate_feedback security"))
    run(course, doc("nbgrader release_feedback security"))
    for student, home in out["homes"].items():
        run(
            home / "work",
            doc("nbgrader fetch_feedback security --course aip-c01"),
            student_env(home, student, exchange),
        )
    run(course, doc("python -m course.classroom.feedback security"))
    out["copies"] = {s: sorted(p.name for p in (course / "feedback" / s / NAME).glob("*.ipynb")) for s in STUDENTS}
    # 6. Export (both documented forms), 7. analytics.
    run(course, doc("nbgrader export --to grades.csv"))
    with (course / "grades.csv").open() as fh:
        out["grades"] = {row["student_id"]: row for row in csv.DictReader(fh)}
    (course / "grades.csv").unlink()
    run(course, doc("nbgrader export", README))
    out["readme_export"] = (course / "grades.csv").exists()
    run(course, doc("python -m course.classroom.analytics security --out reports/security"))
    # After the last deadline: the key released in a fresh round of feedback.
    run(course, doc("nbgrader generate_feedback security --force --StudentFeedback.reveal_answers=True"))
    out["revealed"] = (course / "feedback" / "bob" / NAME / f"{NAME}.html").read_text()
    return out


def test_every_student_fetched_submitted_and_was_collected(workflow):
    """Did each student's submission, graded-quiz answers included, reach submitted/ through the exchange?"""
    for student in STUDENTS:
        folder = workflow["course"] / "submitted" / student / NAME
        assert (folder / f"{NAME}.ipynb").exists(), student
        assert answers.read(folder / answers.FILENAME).responses, f"{student}: no graded answers travelled"


def test_parallel_grader_matches_serial_autograde_everywhere(workflow):
    """Same score in every cell and the same late penalty: LocalCluster, running scheduler, PostgreSQL?"""
    serial = workflow["serial"]
    assert set(serial) == set(STUDENTS)
    assert workflow["local"] == serial
    assert workflow["scheduler"] == {"bob": serial["bob"]}
    assert workflow["postgres"] == {"alice": serial["alice"]}
    assert all(s in workflow["logs"]["local"] for s in STUDENTS), workflow["logs"]["local"]


def test_two_assignments_are_graded_in_one_command(workflow):
    """Does the two-assignment command grade alice's solutions of both, with full marks?"""
    for assignment, scores in workflow["two"].items():
        cells = {k: v for k, v in scores["alice"].items() if not k.endswith("late_penalty")}
        assert cells and all(s == m for s, m in cells.values()), (assignment, cells)


def test_exported_grades_and_late_penalty(workflow):
    """Does grades.csv hold full marks for alice, partial marks and the capped late penalty for bob?"""
    g = {
        s: {k: float(row[k]) for k in ("raw_score", "late_submission_penalty", "score", "max_score")}
        for s, row in workflow["grades"].items()
    }
    assert g["alice"]["score"] == g["alice"]["max_score"] > 0 and g["alice"]["late_submission_penalty"] == 0
    bob = g["bob"]
    assert 0 < bob["raw_score"] < bob["max_score"]
    # Seconds late: one started hour, 1 point (the cap, half his score, is not reached).
    expected = late.capped_penalty(bob["raw_score"], 1, cs.PER_HOUR, cs.MAX_FRACTION)
    assert bob["late_submission_penalty"] == expected == 1.0
    assert bob["score"] == bob["raw_score"] - expected
    assert workflow["readme_export"]


def test_students_find_their_feedback(workflow):
    """Did fetch_feedback bring each student an HTML report of their own submission?"""
    for student, home in workflow["homes"].items():
        reports = list((home / "work" / NAME / "feedback").glob(f"*/{NAME}.html"))
        assert len(reports) == 1, student
        assert "Score" in reports[0].read_text()
    bob = next((workflow["homes"]["bob"] / "work" / NAME / "feedback").glob(f"*/{NAME}.html")).read_text()
    assert "is not correct" in bob  # a wrong graded-quiz answer is explained


def test_analytics_and_student_copies_are_written(workflow):
    """Did the analytics command write its CSV and plots, and the feedback command the student copies?"""
    report = workflow["course"] / "reports" / NAME
    assert {"items.csv", "difficulty.png", "discrimination.png"} <= {p.name for p in report.iterdir()}
    for student, copies in workflow["copies"].items():
        assert copies == [f"{NAME}.ipynb"], f"{student}: {copies}"


def test_the_key_is_released_only_when_asked(workflow):
    """Does the first feedback keep the key to itself, and the reveal_answers round show it?"""
    first = next((workflow["homes"]["bob"] / "work" / NAME / "feedback").glob(f"*/{NAME}.html")).read_text()
    assert "Answer key for" not in first
    assert "Answer key for" in workflow["revealed"]
