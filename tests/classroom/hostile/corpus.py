"""Broken and hostile submissions, built at test time from the real release notebook.

Every case starts from ``release/governance/governance.ipynb`` (the fastest notebook to
grade), the real solutions from ``source/`` and the real graded-quiz answers, then breaks one
thing. A case says what the course promises for it: the score (bounds, out of the notebook's
maximum), a phrase the student's feedback must contain, and any further check (files that
must stay untouched, strings that must never leak).

File- and cell-level cases are handled by ``course.classroom.preflight``; ``kernel`` cases by
the grading kernel's jail and limits (``course.classroom.limits``).
"""

from __future__ import annotations

import copy
import json
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from tests import grading_pipeline as gp
from tests.course_files import release_notebook, source_notebook

ASSIGNMENT = "governance"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
FIRST = "cw-publish-metrics"  # the first exercise: hostile code goes into its answer cell
SECRET = "PLANTEDGRADERSECRET"  # in every credential planted in the grader's environment and home
LEAK = "REQUEST-LEFT-THE-MACHINE"  # printed by student code if a connection ever succeeds
GOOD = ("good-1", "good-2")  # two students with full solutions
ESCAPED = "student-was-here.txt"  # what student code tries to create in the course's source folder


def release_nb():
    return nbformat.read(release_notebook(ASSIGNMENT), as_version=4)


def _points(pred: Callable[[str], bool]) -> float:
    return sum(
        float(c.metadata["nbgrader"]["points"])
        for c in release_nb().cells
        if c.metadata.get("nbgrader", {}).get("grade") and pred(c.metadata["nbgrader"]["grade_id"])
    )


FULL = _points(lambda gid: True)  # 26
QUIZ = _points(lambda gid: gid.startswith("quiz-"))  # 6
ONE = _points(lambda gid: gid == f"{FIRST}-tests")  # 3: the first exercise's tests


@dataclass(frozen=True)
class Kit:
    """What the builders use: the real materials, and the places a hostile student aims at."""

    courses: tuple[Path, ...]  # absolute roots of the graded course copies
    grader_home: Path  # the grader's HOME, with planted ~/.aws files
    escape: Path  # a file outside every course that student code tries to create
    marker: str  # what student code tries to write where it must not

    def solved(self):
        """The release notebook with the real solution in every answer cell."""
        solutions = {
            c.metadata["nbgrader"]["grade_id"]: c.source
            for c in nbformat.read(source_notebook(ASSIGNMENT), as_version=4).cells
            if c.metadata.get("nbgrader", {}).get("solution")
        }
        nb = release_nb()
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("solution"):
                cell.source = solutions[cell.metadata["nbgrader"]["grade_id"]]
        return nb

    def hostile(self, code: str, cells: tuple[str, ...] = (FIRST,)):
        """The solved notebook with ``code`` run at the top of the given answer cells."""
        nb = self.solved()
        for cell in nb.cells:
            if grade_id(cell) in cells:
                cell.source = textwrap.dedent(code).strip() + "\n\n\n" + cell.source
        return nb


def _split(marker: str) -> str:
    """``marker`` as a Python expression that does not contain it (so only output can contain it)."""
    half = len(marker) // 2
    return f"{marker[:half]!r} + {marker[half:]!r}"


def grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def index(nb, gid: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if grade_id(c) == gid)


def write(folder: Path, nb=None, answers: dict | None = None, name: str = NOTEBOOK) -> None:
    """A submission folder as ``nbgrader collect`` leaves it."""
    folder.mkdir(parents=True, exist_ok=True)
    if nb is not None:
        nbformat.write(nb, folder / name)
    gp.write_answers(folder, gp.correct_answers(ASSIGNMENT) if answers is None else answers)
    (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")


@dataclass(frozen=True)
class Case:
    name: str  # also the student id
    summary: str  # what the student handed in
    build: Callable[[Kit, Path], None]
    score: tuple[float, float]  # bounds, inclusive
    message: str  # must appear in the student's feedback (case and spacing ignored); shown in the docs
    kernel: bool = False  # relies on the grading kernel's jail and limits
    check: Callable[[Kit], list[str]] | None = field(default=None, compare=False)  # problems after grading
    same_in_both: bool = True  # the serial and the parallel grader must agree on the score
    more: tuple[str, ...] = ()  # further phrases the feedback must contain


# -- file- and cell-level builders ------------------------------------------------------


def good(kit: Kit, folder: Path) -> None:
    write(folder, kit.solved())


def not_json(kit: Kit, folder: Path) -> None:
    write(folder)
    text = nbformat.writes(kit.solved())
    (folder / NOTEBOOK).write_text(text[: len(text) // 2])  # cut off half-way, as by a full disk


def renamed(kit: Kit, folder: Path) -> None:
    write(folder, kit.solved(), name=f"{ASSIGNMENT}-Copy1.ipynb")


def no_notebook(kit: Kit, folder: Path) -> None:
    write(folder)


def extra_notebooks(kit: Kit, folder: Path) -> None:
    write(folder, kit.solved())
    nbformat.write(kit.solved(), folder / "scratch.ipynb")
    (folder / "old-attempt.ipynb").write_text("{ this is not json")


def deleted_test_cell(kit: Kit, folder: Path) -> None:
    nb = kit.solved()
    del nb.cells[index(nb, "cw-usage-report-tests")]
    write(folder, nb)


def edited_test_cell(kit: Kit, folder: Path) -> None:
    nb = kit.solved()
    nb.cells[index(nb, FIRST)] = release_nb().cells[index(nb, FIRST)]  # the exercise left blank
    nb.cells[index(nb, f"{FIRST}-tests")].source = "# the tests pass, promise\npass"
    write(folder, nb)


def duplicate_grade_id(kit: Kit, folder: Path) -> None:
    nb = kit.solved()
    at = index(nb, FIRST)
    answer = copy.deepcopy(nb.cells[at])
    answer.id = "pasted-copy"
    nb.cells[at] = release_nb().cells[at]  # the original left blank, the answer written in a pasted copy
    nb.cells.insert(at + 1, answer)
    write(folder, nb)


def sandbox_cell_deleted(kit: Kit, folder: Path) -> None:
    nb = kit.solved()
    del nb.cells[index(nb, "setup-1")]
    write(folder, nb)


def answers_not_json(kit: Kit, folder: Path) -> None:
    write(folder, kit.solved())
    path = folder / "graded_answers.json"
    path.write_text(path.read_text()[:-40])


def answers_hand_edited(kit: Kit, folder: Path) -> None:
    write(folder, kit.solved())
    path = folder / "graded_answers.json"
    data = json.loads(path.read_text())
    data["answers"]["gov-g1"] = data["answers"]["gov-g1"]["response"]  # not the saved format
    data["answers"]["gov-g2"]["response"] = "a, b"  # a string for a multiple-response question
    path.write_text(json.dumps(data))


# -- kernel-level builders (student code in an answer cell) -----------------------------


def code_case(code: Callable[[Kit], str] | str, cells: tuple[str, ...] = (FIRST,)):
    def build(kit: Kit, folder: Path) -> None:
        write(folder, kit.hostile(code(kit) if callable(code) else code, cells))

    return build


def writes_code(kit: Kit) -> str:
    courses = [str(c) for c in kit.courses]
    marker = kit.marker
    return f"""
    import pathlib
    here = pathlib.Path.cwd()
    gradebooks = {{"the gradebook 3 folders up": here / "../../../gradebook.db",
                  "the gradebook 4 folders up": here / "../../../../gradebook.db"}}
    sources = {{}}
    for parent in here.parents:  # walk up to the course: its gradebook and its source folder
        if (parent / "gradebook.db").exists():
            gradebooks["the gradebook found above"] = parent / "gradebook.db"
            sources["the source folder found above"] = parent / "source" / "{ASSIGNMENT}"
    for n, root in enumerate({courses!r}, 1):  # and every course copy, by absolute path
        gradebooks[f"the gradebook of course copy {{n}}"] = pathlib.Path(root) / "gradebook.db"
        sources[f"the source folder of course copy {{n}}"] = pathlib.Path(root) / "source" / "{ASSIGNMENT}"
    def attempt(label, how):
        try:
            how()
            print("wrote", label)
        except Exception as exc:
            print("blocked:", label, "->", type(exc).__name__, getattr(exc, "strerror", None) or exc)
    def append(path):
        with open(path, "r+b") as fh:
            fh.seek(0, 2)
            fh.write({marker!r}.encode())
    for label, path in gradebooks.items():
        attempt(label, lambda path=path: append(path))
    for label, folder in sources.items():
        attempt(label, lambda folder=folder: open(folder / "{ESCAPED}", "x").write({marker!r}))
    attempt("/tmp", lambda: open({str(kit.escape)!r}, "x").write({marker!r}))
    """


def credentials_code(kit: Kit) -> str:
    home = str(kit.grader_home)
    return f"""
    import os
    def show(label, read):
        try:
            print(label, "->", read()[:3000])
        except Exception as exc:
            print(label, "->", type(exc).__name__, getattr(exc, "strerror", None) or exc)
    show("environment", lambda: repr(dict(os.environ)))
    show("AWS_SECRET_ACCESS_KEY", lambda: os.environ["AWS_SECRET_ACCESS_KEY"])
    show("/proc/self/environ", lambda: open("/proc/self/environ", "rb").read().decode(errors="replace"))
    show("the grader's environment", lambda: open(f"/proc/{{os.getppid()}}/environ", "rb").read().decode(errors="replace"))
    show("~/.aws/credentials", lambda: open(os.path.expanduser("~/.aws/credentials")).read())
    show("~/.aws/config", lambda: open(os.path.expanduser("~/.aws/config")).read())
    show("the grader's ~/.aws/credentials", lambda: open({home!r} + "/.aws/credentials").read())
    show("the grader's ~/.aws/config", lambda: open({home!r} + "/.aws/config").read())
    for pid in filter(str.isdigit, os.listdir("/proc")):  # every process's environment
        try:
            items = open(f"/proc/{{pid}}/environ", "rb").read().decode(errors="replace").split("\\0")
        except Exception:
            continue
        print(*[f"pid {{pid}}: {{item}}" for item in items if {_split(SECRET)} in item], sep="\\n")
    """


NETWORK_CODE = f"""
import socket
from course import netguard, sandbox
sandbox.stop()
netguard.uninstall()
try:
    socket.create_connection(("8.8.8.8", 53), timeout=5).close()
    print({_split(LEAK)}, "socket to 8.8.8.8")
except Exception as exc:
    print("socket to 8.8.8.8 refused:", type(exc).__name__, getattr(exc, "strerror", None) or exc)
import boto3
from botocore.config import Config
try:
    s3 = boto3.client("s3", endpoint_url="https://s3.amazonaws.com", region_name="us-east-1",
                      config=Config(retries={{"max_attempts": 1}}, connect_timeout=5, read_timeout=5))
    print({_split(LEAK)}, "real S3 answered", s3.list_buckets())
except Exception as exc:
    print("call to real S3 refused:", type(exc).__name__)
"""

FLOOD_CODE = """
for _ in range(200 * 1024):  # 200 MB of debugging output
    print("x" * 1023)
"""

TAMPER_HELPERS = """
import course.checks as c
c.expect_equal = lambda *a, **k: None
c.expect = lambda *a, **k: None
c.fail = lambda *a, **k: None
"""

TAMPER_ASSERT = """
import builtins
builtins.AssertionError = type("AssertionError", (Exception,), {})
"""

SLOW_CELLS = (FIRST, "cw-usage-report", "cw-latency-alarm", "logs-invocation-group", "trail-bedrock-audit")


# -- checks after grading ---------------------------------------------------------------


def nothing_written_outside(kit: Kit) -> list[str]:
    """Did any write outside the submission folder land? (Removes what it finds.)"""
    problems = []
    for course in kit.courses:
        if kit.marker.encode() in (course / "gradebook.db").read_bytes():
            problems.append(f"student code wrote into {course / 'gradebook.db'}")
        planted = course / "source" / ASSIGNMENT / ESCAPED
        if planted.exists():
            problems.append(f"student code created {planted}")
            planted.unlink()
    if kit.escape.exists():
        problems.append(f"student code created {kit.escape}")
        kit.escape.unlink()
    return problems


# -- the corpus -------------------------------------------------------------------------

CASES: tuple[Case, ...] = (
    Case(
        "not-json",
        "the notebook is cut off half-way (not valid JSON); right graded-quiz answers",
        not_json,
        (QUIZ, QUIZ),
        "could not be read, so the blank assignment notebook was graded in its place",
    ),
    Case(
        "renamed-notebook",
        f"the work is in `{ASSIGNMENT}-Copy1.ipynb`, no `{NOTEBOOK}`",
        renamed,
        (FULL, FULL),
        "was graded under the name",
    ),
    Case(
        "no-notebook",
        "no notebook at all, only the (right) graded-quiz answers",
        no_notebook,
        (QUIZ, QUIZ),
        "no notebook was submitted",
    ),
    Case(
        "extra-notebooks",
        "the solved notebook plus a scratch notebook and a broken one",
        extra_notebooks,
        (FULL, FULL),
        "not graded: `old-attempt.ipynb`, `scratch.ipynb`",
    ),
    Case(
        "deleted-test-cell",
        "a test cell (`cw-usage-report-tests`) deleted",
        deleted_test_cell,
        (FULL, FULL),
        "a read-only cell was missing and was put back: `cw-usage-report-tests`",
    ),
    Case(
        "edited-test-cell",
        "an exercise left blank, its test cell replaced by `pass`",
        edited_test_cell,
        (FULL - ONE, FULL - ONE),
        f"the cell `{FIRST}-tests` (the tests of an exercise, 3 points) was changed; the original was graded",
    ),
    Case(
        "duplicate-grade-id",
        "an answer cell copied (same grade id); the answer written in the copy",
        duplicate_grade_id,
        (FULL, FULL),
        f"the cell `{FIRST}` appears 2 times",
    ),
    Case(
        "sandbox-cell-deleted",
        "the read-only cell that starts the simulated AWS account deleted",
        sandbox_cell_deleted,
        (FULL, FULL),
        "a read-only cell was missing and was put back: `setup-1`",
    ),
    Case(
        "answers-not-json",
        "`graded_answers.json` cut off (not valid JSON)",
        answers_not_json,
        (FULL - QUIZ, FULL - QUIZ),
        "your graded-quiz answers could not be used",
        more=("graded question gov-g1: no usable answer was found",),
    ),
    Case(
        "answers-hand-edited",
        "`graded_answers.json` edited by hand: one entry not in the saved format, one of the wrong type",
        answers_hand_edited,
        (FULL - 2, FULL - 2),
        "some saved graded-quiz answers could not be used: `gov-g1`, `gov-g2`",
    ),
    Case(
        "infinite-loop",
        "`while True: pass` in an answer cell",
        code_case("while True:\n    pass"),
        (FULL - ONE, FULL - ONE),
        "this cell ran for longer than",
        kernel=True,
    ),
    Case(
        "kernel-exit",
        "`os._exit(1)` in an answer cell (the kernel dies)",
        code_case("import os\nos._exit(1)"),
        (FULL - ONE, FULL - ONE),
        "the python kernel stopped while running this cell",
        kernel=True,
    ),
    Case(
        "memory-exhaustion",
        "`bytearray(50 * 2**30)` (50 GiB) in an answer cell",
        code_case("x = bytearray(50 * 2**30)"),
        (FULL - ONE, FULL - ONE),
        "grading kernels may use at most",
        kernel=True,
    ),
    Case(
        "output-flood",
        "200 MB printed by an answer cell",
        code_case(FLOOD_CODE),
        (FULL - ONE, FULL),
        "output truncated",
        kernel=True,
        same_in_both=False,
    ),
    Case(
        "writes-outside",
        "writes to the gradebook (relative and absolute paths), into the course's source folder and /tmp",
        code_case(writes_code),
        (FULL, FULL),
        "blocked: the gradebook found above -> OSError Read-only file system",
        kernel=True,
        check=nothing_written_outside,
    ),
    Case(
        "reads-credentials",
        "reads the grader's environment, /proc, ~/.aws/credentials, ~/.aws/config and the grader's home",
        code_case(credentials_code),
        (FULL, FULL),
        "~/.aws/credentials -> FileNotFoundError No such file or directory",
        kernel=True,
    ),
    Case(
        "calls-real-aws",
        "stops the mock and the network guard, then opens a socket to 8.8.8.8 and calls real S3",
        code_case(NETWORK_CODE),
        (FULL, FULL),
        "socket to 8.8.8.8 refused: OSError Network is unreachable",
        more=("call to real S3 refused",),
        kernel=True,
    ),
    Case(
        "stops-moto",
        "`sandbox.stop()` in an answer cell",
        code_case("from course import sandbox\nsandbox.stop()"),
        (FULL, FULL),
        "the simulated aws (moto) was stopped",
        kernel=True,
    ),
    Case(
        "redefines-check-helpers",
        "`course.checks.expect_equal` (and others) replaced by no-ops, all answers right",
        code_case(TAMPER_HELPERS),
        (0, 0),
        "this test did not count",
        kernel=True,
    ),
    Case(
        "redefines-assert-machinery",
        "`builtins.AssertionError` replaced, all answers right",
        code_case(TAMPER_ASSERT),
        (0, 0),
        "this test did not count",
        kernel=True,
    ),
    Case(
        "notebook-too-slow",
        "five answer cells that each sleep 19 s (under the cell limit, over the notebook limit)",
        code_case("import time\ntime.sleep(19)", SLOW_CELLS),
        (0, FULL - QUIZ),
        "the notebook used all of its",
        kernel=True,
        same_in_both=False,
    ),
)

BY_NAME = {case.name: case for case in CASES}


def build_class(submitted: Path, kit: Kit, cases: tuple[Case, ...]) -> None:
    """One student per case, plus the good students, under ``submitted/<student>/<assignment>/``."""
    for student in GOOD:
        good(kit, submitted / student / ASSIGNMENT)
    for case in cases:
        case.build(kit, submitted / case.name / ASSIGNMENT)
