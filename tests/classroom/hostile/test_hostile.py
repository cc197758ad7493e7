"""Grading survives every broken and hostile submission of the corpus, serially and in parallel.

One class: a student per corpus case (``corpus.py``) plus two students with full solutions.
It is graded twice, with credentials planted in the grader's environment and in its home
(``~/.aws/credentials``, ``~/.aws/config``):

- serially: ``python -m course.classroom.preflight`` (run twice: the second run must change
  nothing), then ``nbgrader autograde`` and ``nbgrader generate_feedback``;
- in parallel: ``course.classroom.grade`` on a LocalCluster started inside the planted
  environment (as a grading server would be), then ``nbgrader generate_feedback``.

For every case: a grade is recorded in both gradebooks, within the case's bounds, the same
in both graders (where the case is deterministic); the case's message is in the student's
feedback; the case's own check holds. For the class: the good students get full marks, one
submission row per student, no planted secret in any graded notebook or feedback, no
connection ever left the machine. When everything passed, the outcomes are written to
docs/grading-safety.md.

Kernel-level cases need the grading jail (``course.classroom.jail``); where it cannot be set
up they are skipped (and fail the full run, COURSE_REQUIRE_ALL=1). ``AIP_HOSTILE_ONLY=a,b``
grades only the named cases, for a quick look (the docs are then left alone).
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests import needs
from tests.classroom.hostile import corpus, report

pytestmark = [
    pytest.mark.slow,
    pytest.mark.release,
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"),
]

COURSE_ID = "aip-c01"
LIMITS = f"""
# Low limits, so the hostile cases end fast (tests/classroom/hostile).
c.LimitedExecute.timeout = {corpus.CELL_SECONDS}
c.LimitedExecute.notebook_timeout = {corpus.NOTEBOOK_SECONDS}
c.LimitedExecute.memory_limit_mb = {corpus.MEMORY_MB}
c.LimitedExecute.require_isolation = True
"""
GRADERS = ("serial", "parallel")


def jail_problem() -> str | None:
    from course.classroom import jail

    return jail.can_isolate()


def selected() -> tuple[corpus.Case, ...]:
    only = [n for n in os.environ.get("AIP_HOSTILE_ONLY", "").split(",") if n]
    unknown = sorted(set(only) - set(corpus.BY_NAME))
    assert not unknown, f"AIP_HOSTILE_ONLY names unknown cases: {unknown}"
    return tuple(c for c in corpus.CASES if not only or c.name in only)


def enabled() -> tuple[corpus.Case, ...]:
    """The cases this machine can grade safely (kernel-level ones need the jail)."""
    jailed = jail_problem() is None
    return tuple(c for c in selected() if jailed or not c.kernel)


# -- the grader's planted secrets ---------------------------------------------------------


def plant_home(home: Path) -> Path:
    aws = home / ".aws"
    aws.mkdir(parents=True)
    (aws / "credentials").write_text(
        f"[default]\naws_access_key_id = AKIA{corpus.SECRET}\naws_secret_access_key = file-{corpus.SECRET}\n"
    )
    (aws / "config").write_text(f"[default]\nregion = eu-west-1\n# config-{corpus.SECRET}\n")
    return home


def planted_env(home: Path) -> dict[str, str]:
    return {
        "HOME": str(home),
        "AWS_ACCESS_KEY_ID": f"AKIA{corpus.SECRET}",
        "AWS_SECRET_ACCESS_KEY": f"env-{corpus.SECRET}",
        "AWS_SESSION_TOKEN": f"token-{corpus.SECRET}",
        "GRADER_API_TOKEN": f"api-{corpus.SECRET}",
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    }


@contextlib.contextmanager
def environment(values: dict[str, str]):
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


# -- running the graders --------------------------------------------------------------------


def run(course: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=course,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )


def nbgrader(course: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    cli = ["-m", "nbgrader", *args, f"--CourseDirectory.root={course}", f"--db=sqlite:///{course}/gradebook.db"]
    return run(course, env, *cli)


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@dataclass
class Outcome:
    """What one grader left behind."""

    seconds: float
    log: str
    scores: dict[str, float] = field(default_factory=dict)  # student -> total auto score
    empty: dict[str, list[str]] = field(default_factory=dict)  # student -> grade cells with no score
    rows: collections.Counter = field(default_factory=collections.Counter)  # student -> submission rows
    feedback: dict[str, str] = field(default_factory=dict)  # student -> visible text of the feedback
    graded: dict[str, str] = field(default_factory=dict)  # student -> every autograded file, as text
    extra: dict = field(default_factory=dict)


def collect(course: Path, seconds: float, log: str) -> Outcome:
    from nbgrader.api import Gradebook

    out = Outcome(seconds, log)
    with Gradebook(f"sqlite:///{course}/gradebook.db", course_id=COURSE_ID) as gb:
        for sub in gb.find_assignment(corpus.ASSIGNMENT).submissions:
            student = sub.student.id
            out.rows[student] += 1
            grades = [g for nb in sub.notebooks for g in nb.grades]
            out.scores[student] = sum(g.auto_score or 0 for g in grades)
            out.empty[student] = [g.name for g in grades if g.auto_score is None]
    for html_file in sorted(course.glob(f"feedback/*/{corpus.ASSIGNMENT}/*.html")):
        out.feedback[html_file.parts[-3]] = report.plain_text(html_file.read_text(errors="replace"))
    for folder in sorted(course.glob(f"autograded/*/{corpus.ASSIGNMENT}")):
        out.graded[folder.parent.name] = "\n".join(
            p.read_bytes().decode("utf-8", errors="replace") for p in sorted(folder.rglob("*")) if p.is_file()
        )
    return out


def grade_serially(course: Path, env: dict[str, str]) -> Outcome:
    started = time.perf_counter()
    first = run(course, env, "-m", "course.classroom.preflight", corpus.ASSIGNMENT, "--root", str(course))
    after_first = digest(course / "submitted")
    second = run(course, env, "-m", "course.classroom.preflight", corpus.ASSIGNMENT, "--root", str(course))
    idempotent = digest(course / "submitted") == after_first
    autograde = nbgrader(course, env, "autograde", corpus.ASSIGNMENT, "--force")
    feedback = nbgrader(course, env, "generate_feedback", corpus.ASSIGNMENT, "--force")
    log = "\n".join(f"{p.args}\nrc={p.returncode}\n{p.stdout}\n{p.stderr}" for p in (first, autograde, feedback))
    out = collect(course, time.perf_counter() - started, log)
    out.extra = {"preflight": first, "preflight_again": second, "idempotent": idempotent, "autograde": autograde}
    return out


def grade_in_parallel(course: Path, env: dict[str, str]) -> Outcome:
    from course.classroom import grade

    started = time.perf_counter()
    with environment(env):  # the workers are started, and inherit everything, in the planted environment
        client = grade.make_client(None, 2)
    try:
        results = grade.grade_class(client, course, corpus.ASSIGNMENT, progress=False)
    finally:
        cluster = client.cluster
        client.close()
        cluster.close()
    feedback = nbgrader(course, env, "generate_feedback", corpus.ASSIGNMENT, "--force")
    failed = "\n".join(f"{r.student}: {r.error}\n{r.log[-3000:]}" for r in results if not r.ok)
    out = collect(course, time.perf_counter() - started, f"{failed}\n{feedback.stdout}\n{feedback.stderr}")
    out.extra = {"results": {r.student: r for r in results}, "summary": grade.summary(results)}
    return out


@dataclass
class Graded:
    kit: corpus.Kit
    cases: tuple[corpus.Case, ...]
    outcomes: dict[str, Outcome]
    checks: dict[str, list[str]]  # case -> problems its own check found after both graders ran


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Graded:
    cases = enabled()
    tmp = tmp_path_factory.mktemp("hostile")
    base = corpus.make_course(tmp)
    with (base / "nbgrader_config.py").open("a") as fh:
        fh.write(LIMITS)
    home = plant_home(tmp / "grader-home")
    tag = uuid.uuid4().hex[:12]
    courses = {g: tmp / g for g in GRADERS}
    kit = corpus.Kit(tuple(courses.values()), home, Path(f"/tmp/aip-escape-{tag}"), f"AIP-ESCAPE-{tag}")
    corpus.build_class(base / "submitted", kit, cases)
    for target in courses.values():
        shutil.copytree(base, target)
    env = planted_env(home)
    outcomes: dict[str, Outcome] = {}
    checks: dict[str, list[str]] = {c.name: [] for c in cases}
    try:
        for name, grader in (("serial", grade_serially), ("parallel", grade_in_parallel)):
            outcomes[name] = grader(courses[name], env)
            for case in cases:  # right after each grader, so every escape is pinned on the right one
                checks[case.name] += [f"{name}: {p}" for p in (case.check(kit) if case.check else [])]
    finally:
        kit.escape.unlink(missing_ok=True)
    print(", ".join(f"{name}: {out.seconds:.0f} s" for name, out in outcomes.items()), f"({len(cases)} cases)")
    return Graded(kit, cases, outcomes, checks)


# -- verdicts ----------------------------------------------------------------------------------


def problems(graded: Graded, case: corpus.Case) -> list[str]:
    """Everything the course promises for ``case`` that did not hold (empty: the case passed)."""
    found = []
    low, high = case.score
    for name, out in graded.outcomes.items():
        student = case.name
        if out.rows[student] != 1:
            found.append(f"{name}: {out.rows[student]} submission rows (expected 1)")
            continue
        if out.empty[student]:
            found.append(f"{name}: no score recorded for {out.empty[student]}")
        if not low <= out.scores[student] <= high:
            found.append(f"{name}: score {out.scores[student]:g}, expected {low:g}..{high:g}")
        text = out.feedback.get(student)
        if text is None:
            found.append(f"{name}: no feedback was generated")
            continue
        for phrase in (case.message, *case.more):
            if report.line_with(text, phrase) is None:
                found.append(f"{name}: the feedback does not say {phrase!r}")
    serial, parallel = (graded.outcomes[g].scores.get(case.name) for g in GRADERS)
    if case.same_in_both and serial != parallel:
        found.append(f"serial score {serial} but parallel score {parallel}")
    found += graded.checks.get(case.name, [])
    return found


def case_param(case: corpus.Case):
    marks = [pytest.mark.skipif(case not in selected(), reason="not in AIP_HOSTILE_ONLY")]
    return pytest.param(case, id=case.name, marks=marks)


@pytest.mark.parametrize("case", [case_param(c) for c in corpus.CASES])
def test_case_is_graded_and_explained(graded, case):
    """Is a grade recorded in both graders, within bounds, with the case's message in the feedback?"""
    if case not in graded.cases:
        needs.missing(f"the grading jail cannot be set up here ({jail_problem()}): kernel-level case not graded")
    assert not problems(graded, case), "\n".join(problems(graded, case)) + _logs(graded, case.name)


def _logs(graded: Graded, student: str) -> str:
    parts = []
    for name, out in graded.outcomes.items():
        parts.append(f"\n--- {name}: feedback of {student} ---\n{out.feedback.get(student, '(none)')[-4000:]}")
        result = out.extra.get("results", {}).get(student)
        if result is not None and not result.ok:
            parts.append(f"\n--- parallel task log ---\n{result.log[-4000:]}")
    return "".join(parts)


def test_good_students_get_full_marks_in_both_graders(graded):
    """Do the two students with full solutions get every point, whatever their classmates handed in?"""
    for name, out in graded.outcomes.items():
        for student in corpus.GOOD:
            assert out.scores.get(student) == corpus.FULL, (name, student, out.scores.get(student), out.log[-3000:])
            assert not out.empty[student]


def test_gradebook_has_exactly_one_submission_row_per_student(graded):
    """Is every student in each gradebook once, and nobody else?"""
    students = {*corpus.GOOD, *(c.name for c in graded.cases)}
    for name, out in graded.outcomes.items():
        assert set(out.rows) == students, (name, sorted(set(out.rows) ^ students))
        assert all(n == 1 for n in out.rows.values()), (name, out.rows)


def test_no_planted_secret_and_no_request_reach_any_student(graded):
    """Are the grader's credentials absent from every graded notebook and feedback, and did nothing connect out?"""
    for name, out in graded.outcomes.items():
        for student, text in [*out.graded.items(), *out.feedback.items()]:
            assert corpus.SECRET not in text, f"{name}: a planted secret reached {student}'s files"
            assert corpus.LEAK not in text, f"{name}: {student}'s code reached the network"


def test_serial_preflight_is_idempotent_and_lists_every_student(graded):
    """Does a second preflight run change nothing, and does its table name every student?"""
    serial = graded.outcomes["serial"].extra
    assert serial["preflight"].returncode == 0, serial["preflight"].stderr
    assert serial["idempotent"], "the second preflight run changed the submitted files"
    assert serial["preflight_again"].stdout == serial["preflight"].stdout
    for case in graded.cases:
        assert case.name in serial["preflight"].stdout


def test_parallel_summary_shows_the_preflight_findings(graded):
    """Does the parallel grader's table show, per student, what the preflight found?"""
    parallel = graded.outcomes["parallel"].extra
    lines = {line.split()[1]: line for line in parallel["summary"].splitlines() if line.startswith(corpus.ASSIGNMENT)}
    expected = {
        "not-json": "unreadable-notebook",
        "renamed-notebook": "renamed-notebook",
        "no-notebook": "missing-notebook",
        "duplicate-grade-id": "duplicate-cell",
        "deleted-test-cell": "restored-cell",
    }
    for student, kind in expected.items():
        if corpus.BY_NAME[student] in graded.cases:
            assert kind in lines[student], parallel["summary"]
    for student in corpus.GOOD:
        assert lines[student].split()[-1] == "ok", parallel["summary"]


def rows(graded: Graded) -> list[report.Row]:
    """The table's rows for the graded cases (a case that failed says so instead of its message)."""
    serial, parallel = graded.outcomes["serial"], graded.outcomes["parallel"]
    out = []
    for case in graded.cases:
        score = f"{serial.scores.get(case.name, float('nan')):g} / {corpus.FULL:g}"
        if not case.same_in_both:  # timing decides: the promise, not one run's score
            score = f"{case.score[0]:g} to {case.score[1]:g} / {corpus.FULL:g}"
        elif parallel.scores.get(case.name) != serial.scores.get(case.name):
            score += f" (parallel: {parallel.scores.get(case.name, float('nan')):g})"
        found = problems(graded, case)
        message = report.line_with(serial.feedback.get(case.name, ""), case.message)
        out.append(report.Row(case.name, case.summary, score, f"FAILED: {'; '.join(found)}" if found else message))
    return out


def test_outcomes_are_written_to_the_docs(graded, tmp_path_factory):
    """When every case passed, is docs/grading-safety.md the table of this run's outcomes?"""
    table = rows(graded)
    failed = [c.name for c in graded.cases if problems(graded, c)]
    if failed or set(graded.cases) != set(corpus.CASES):
        preview = tmp_path_factory.mktemp("docs") / "grading-safety.md"
        report.update(table, preview)
        pytest.skip(f"docs left alone: not every case was graded and passed (failed: {failed}); preview: {preview}")
    report.update(table)
    assert report.listed() == [(c.name, report.cell(c.summary)) for c in corpus.CASES]
