"""The jail as a real grader runs it: the corpus's isolation cases graded by an ordinary user.

Instructors grade as an ordinary user on a hub, not as root, so the jail takes its
unprivileged path there (a user namespace, ``course.classroom.jail``). This module makes a
throw-away account (``tests/classroom/unprivileged.py``), gives it a course holding one
student per kernel-level isolation case of the corpus, and runs ``nbgrader autograde`` and
``nbgrader generate_feedback`` as that account, with credentials planted in its environment
and home and ``require_isolation`` on (grading refuses to run without the jail). Each case must
keep the promises it keeps under root: its score, its message in the feedback, its own check;
and no planted secret reaches a student.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from tests.classroom import unprivileged
from tests.classroom.hostile import corpus, report
from tests.classroom.hostile import test_hostile as hostile

pytestmark = [
    pytest.mark.slow,
    pytest.mark.release,
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"),
]

ISOLATION = ("writes-outside", "reads-credentials", "calls-real-aws", "reads-course-secrets", "memory-exhaustion")


@pytest.fixture(scope="module")
def graded():
    if hostile.jail_problem():
        pytest.skip(f"the grading jail cannot be set up here: {hostile.jail_problem()}")
    cases = tuple(c for c in hostile.selected() if c.name in ISOLATION)
    work = Path(tempfile.mkdtemp(prefix="aip-unprivileged-"))
    tag = uuid.uuid4().hex[:12]
    escape = Path(f"/tmp/aip-escape-{tag}")
    try:
        with unprivileged.grader_account() as user:
            course = corpus.make_course(work)
            with (course / "nbgrader_config.py").open("a") as fh:
                fh.write(hostile.LIMITS)
            home = hostile.plant_home(work / "grader-home")
            kit = corpus.Kit((course,), home, escape, f"AIP-ESCAPE-{tag}")
            for case in cases:
                case.build(kit, course / "submitted" / case.name / corpus.ASSIGNMENT)
            work.chmod(0o755)
            unprivileged.give(work, user)
            env = {**hostile.planted_env(home), "LANG": "C.UTF-8"}
            started = time.perf_counter()
            runs = [
                unprivileged.run_as(
                    user,
                    [
                        sys.executable,
                        "-m",
                        "nbgrader",
                        *args,
                        f"--CourseDirectory.root={course}",
                        f"--db=sqlite:///{course}/gradebook.db",
                    ],
                    env,
                    course,
                )
                for args in (
                    ("autograde", corpus.ASSIGNMENT, "--force"),
                    ("generate_feedback", corpus.ASSIGNMENT, "--force"),
                )
            ]
            log = "\n".join(f"rc={r.returncode}\n{r.stdout}\n{r.stderr}" for r in runs)
            out = hostile.collect(course, time.perf_counter() - started, log)
            checks = {case.name: case.check(kit) if case.check else [] for case in cases}
            owners = {p.stat().st_uid for p in course.glob(f"autograded/*/{corpus.ASSIGNMENT}/*.ipynb")}
            yield {"cases": cases, "out": out, "checks": checks, "runs": runs, "owners": owners, "user": user}
    finally:
        escape.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)


def test_grading_ran_as_the_ordinary_user_inside_the_jail(graded):
    """Did nbgrader run, as the account, with the jail (no 'without the jail' warning) and succeed?"""
    import pwd

    uid = pwd.getpwnam(graded["user"]).pw_uid
    for run in graded["runs"]:
        assert run.returncode == 0, "\n".join(line for line in run.stderr.splitlines() if "WARNING" not in line)[-6000:]
    assert graded["owners"] == {uid}, graded["owners"]
    assert "WITHOUT the kernel jail" not in graded["out"].log
    assert set(graded["out"].rows) == {c.name for c in graded["cases"]}


@pytest.mark.parametrize("name", ISOLATION)
def test_case_keeps_its_promise_as_an_ordinary_user(graded, name):
    """Is the case graded within its bounds, with its message in the feedback and its own check passing?"""
    case = corpus.BY_NAME[name]
    if case not in graded["cases"]:
        pytest.skip("not in AIP_HOSTILE_ONLY")
    out = graded["out"]
    low, high = case.score
    problems = list(graded["checks"][name])
    if not low <= out.scores.get(name, -1) <= high:
        problems.append(f"score {out.scores.get(name)}, expected {low:g}..{high:g}")
    text = out.feedback.get(name, "")
    for phrase in (case.message, *case.more):
        if not report.line_with(text, phrase):
            near = [line for line in text.splitlines() if report.norm(phrase.split(":")[0]) in report.norm(line)]
            problems.append(f"the feedback does not say {phrase!r}; it says {near[:3]}")
    assert not problems, "\n".join(problems) + f"\n--- log ---\n{out.log[-3000:]}"


def test_no_planted_secret_reaches_a_student(graded):
    """Are the account's planted credentials absent from every graded notebook and feedback?"""
    out = graded["out"]
    for student, text in [*out.graded.items(), *out.feedback.items()]:
        assert corpus.SECRET not in text, f"a planted secret reached {student}'s files"
        assert corpus.LEAK not in text, f"{student}'s code reached the network"
