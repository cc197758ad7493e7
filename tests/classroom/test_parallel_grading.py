"""The parallel grader gives exactly the grades serial ``nbgrader autograde`` gives (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from course.classroom import grade, late, rows
from tests import grading_pipeline as gp
from tests.classroom import class_setup as cs

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]

ON_TIME = cs.DUE
LATE = "2026-11-20 15:30:00.000000 UTC"  # 3.5 hours late: 4 started hours
CLASS = {"ann": ("solution", ON_TIME), "ben": ("blank", ON_TIME), "cal": ("wrong", ON_TIME), "dot": ("solution", LATE)}


@pytest.fixture(scope="module")
def courses(tmp_path_factory):
    """One class of submissions; a copy graded serially by the nbgrader CLI, and a copy left ungraded."""
    tmp = tmp_path_factory.mktemp("parallel")
    base = gp.make_course(tmp, cs.ASSIGNMENT)
    cs.add_late_policy(base)
    cs.set_due_date(f"sqlite:///{base}/gradebook.db", cs.ASSIGNMENT)
    for student, (kind, stamp) in CLASS.items():
        cs.submit(base, tmp, student, kind, stamp)
    parallel = cs.copy_course(base, tmp / "parallel")
    postgres_course = cs.copy_course(base, tmp / "postgres", with_gradebook=False)
    gp.nbgrader(base, "autograde", cs.ASSIGNMENT, "--force")
    serial = rows.scores(f"sqlite:///{base}/gradebook.db", "aip-c01", cs.ASSIGNMENT)
    return {"serial": serial, "parallel": parallel, "postgres": postgres_course}


def test_parallel_sqlite_matches_serial_autograde(courses, dask_client, capsys):
    """Through the CLI, on the default SQLite gradebook: same score in every cell, same late penalty?"""
    course = courses["parallel"]
    code = grade.main([cs.ASSIGNMENT, "--root", str(course), "--scheduler", dask_client.scheduler.address])
    out = capsys.readouterr().out
    assert code == 0, out
    assert all(student in out for student in CLASS), out
    graded = rows.scores(f"sqlite:///{course}/gradebook.db", "aip-c01", cs.ASSIGNMENT)
    assert graded == courses["serial"]
    for student in CLASS:
        assert (course / "autograded" / student / cs.ASSIGNMENT / f"{cs.ASSIGNMENT}.ipynb").exists()


def test_parallel_postgresql_matches_serial_autograde(courses, dask_client, postgres):
    """Into a fresh PostgreSQL gradebook (assignment recorded by the grader): the same grades again?"""
    db_url = postgres.create_db("gradebook_parallel")
    cs.set_due_date(db_url, cs.ASSIGNMENT)
    results = grade.grade_class(dask_client, courses["postgres"], cs.ASSIGNMENT, db_url=db_url, progress=False)
    assert [r.student for r in results] == sorted(CLASS)
    assert all(r.ok for r in results), [r.log for r in results if not r.ok]
    assert rows.scores(db_url, "aip-c01", cs.ASSIGNMENT) == courses["serial"]


def test_late_submission_penalty_follows_the_policy(courses):
    """Does the late student lose 1 point per started hour (4 here), capped at half the score?"""
    cells = courses["serial"]["dot"]
    score = sum(s for key, (s, _) in cells.items() if not key.endswith("late_penalty") and s is not None)
    penalty = cells[f"{cs.ASSIGNMENT}/late_penalty"][0]
    expected = late.capped_penalty(score, cs.late_seconds(LATE), cs.PER_HOUR, cs.MAX_FRACTION)
    assert expected == 4.0 and penalty == expected
    assert courses["serial"]["ann"][f"{cs.ASSIGNMENT}/late_penalty"][0] is None


def test_summary_table_lists_every_student():
    """Does the summary show each student's score, maximum and penalty, then the totals?"""
    result = grade.worker.Result(
        "nb",
        "zoe",
        True,
        3.0,
        rows={
            "timestamp": None,
            "notebooks": {
                "nb": {
                    "late_submission_penalty": 1.0,
                    "grades": {"a": {"auto_score": 2.0, "max_score": 3.0}, "b": {"auto_score": None, "max_score": 1.0}},
                    "comments": {},
                }
            },
        },
    )
    table = grade.summary([result, grade.worker.Result("nb", "yan", False, 1.0, log="boom")])
    assert "zoe" in table and "1.0" in table and "FAILED" in table
    assert "1 graded, 1 failed" in table
