"""Docs that cannot drift: generated blocks are current, and every documented command is run by a test.

Each command that README.md, docs/*.md or deploy/README.md shows (tests/documented.py finds
them) must be listed below: either with the test file that runs it as written (that file must
contain the command's exact text, which it looks up in the document, so an edited command is
run in its edited form), or with the reason no test can run it. A new or changed command that
is in neither list fails this test.
"""

from __future__ import annotations

import pytest

from tests import documented
from tests.course_files import ROOT
from tools import docs as readme_blocks

WORKFLOW = "tests/classroom/test_documented_workflow.py"
COURSE_SH = "tests/test_course_sh.py"
HUB = "tests/classroom/test_hub.py"

# (document, command) -> the test file that runs it as written.
RUN_BY: dict[tuple[str, str], str] = {
    ("README.md", "./course.sh open"): COURSE_SH,
    ("docs/maintenance.md", "./course.sh open"): COURSE_SH,
    ("docs/maintenance.md", "./course.sh setup"): COURSE_SH,
    ("README.md", "./course.sh setup --dev"): COURSE_SH,
    ("docs/maintenance.md", "./course.sh setup --dev"): COURSE_SH,
    ("deploy/README.md", "./course.sh setup --dev"): COURSE_SH,
    ("README.md", "nbgrader generate_assignment security --force"): WORKFLOW,
    ("README.md", "nbgrader autograde security"): WORKFLOW,
    ("README.md", "nbgrader generate_feedback security"): WORKFLOW,
    ("README.md", "nbgrader export"): WORKFLOW,
    ("README.md", "python -m course.classroom.grade security"): WORKFLOW,
    ("README.md", "python -m course.classroom.analytics security --out reports/security"): WORKFLOW,
    ("docs/classroom.md", "nbgrader generate_assignment security --force"): WORKFLOW,
    ("docs/classroom.md", 'nbgrader db assignment add security --duedate="2026-11-20 17:00:00 UTC"'): WORKFLOW,
    ("docs/classroom.md", "nbgrader release_assignment security"): WORKFLOW,
    ("docs/classroom.md", "nbgrader fetch_assignment security --course aip-c01"): WORKFLOW,
    ("docs/classroom.md", "nbgrader submit security --course aip-c01"): WORKFLOW,
    ("docs/classroom.md", "nbgrader collect security"): WORKFLOW,
    ("docs/classroom.md", "python -m course.classroom.preflight security"): WORKFLOW,
    ("docs/classroom.md", "nbgrader autograde security"): WORKFLOW,
    ("docs/classroom.md", "python -m course.classroom.grade security"): WORKFLOW,
    ("docs/classroom.md", "python -m course.classroom.grade security governance --workers 4"): WORKFLOW,
    ("docs/classroom.md", "python -m course.classroom.grade security --scheduler tcp://grader-1:8786"): WORKFLOW,
    ("docs/classroom.md", "python -m course.classroom.grade security --db postgresql://grader@db/aip_c01"): WORKFLOW,
    ("docs/classroom.md", "nbgrader generate_feedback security"): WORKFLOW,
    ("docs/classroom.md", "nbgrader release_feedback security"): WORKFLOW,
    ("docs/classroom.md", "nbgrader fetch_feedback security --course aip-c01"): WORKFLOW,
    ("docs/classroom.md", "python -m course.classroom.feedback security"): WORKFLOW,
    (
        "docs/classroom.md",
        "nbgrader generate_feedback security --force --StudentFeedback.reveal_answers=True",
    ): WORKFLOW,
    ("docs/classroom.md", "nbgrader export --to grades.csv"): WORKFLOW,
    ("docs/classroom.md", "python -m course.classroom.analytics security --out reports/security"): WORKFLOW,
}

# (document, command) -> why no test runs it.
MUTATION = "a benchmark: grades hundreds of versions of each exercise (minutes per notebook; docs/mutation.md)"

NOT_RUN: dict[tuple[str, str], str] = {
    ("README.md", "./course.sh test"): "it is the test run itself (CI runs it: .ci/run)",
    ("docs/maintenance.md", "./course.sh test"): "it is the test run itself (CI runs it: .ci/run)",
    ("docs/authoring.md", "make test"): "the same as ./course.sh test, the test run itself",
    ("README.md", './course.sh test -m "not slow"'): "a subset of the test run itself",
    ("docs/maintenance.md", "./course.sh test -m release"): "the class-scale part of the test run itself",
    (
        "README.md",
        "./course.sh test -m release",
    ): "the class-scale part of the test run itself (its tests run the commands)",
    ("docs/maintenance.md", "./course.sh upgrade"): "re-locks from the package index and rewrites requirements/",
    ("docs/maintenance.md", "python -m tools.lock --upgrade"): "re-locks from the package index",
    (
        "docs/maintenance.md",
        "python -m tools.lock",
    ): "resolves against the package index (tests/test_lock.py checks its output)",
    ("README.md", "source .venv/bin/activate"): "changes the reader's own shell",
    ("deploy/README.md", "source .venv/bin/activate"): "changes the reader's own shell",
    ("deploy/README.md", "export PATH=$PWD/.venv/node_modules/.bin:$PATH"): "changes the reader's own shell",
    (
        "README.md",
        "conda env create -f environment.yml",
    ): "conda is not part of this machine (tests/test_lock.py checks the file)",
    ("docs/maintenance.md", "conda env create -f environment.yml"): "conda is not part of this machine",
    ("README.md", "pip install -e . --no-deps"): "the conda route, inside a conda environment",
    ("README.md", "make notebooks"): "rewrites source/ and release/ (tests/test_notebooks.py checks they are current)",
    (
        "docs/authoring.md",
        "make notebooks",
    ): "rewrites source/ and release/ (tests/test_notebooks.py checks they are current)",
    ("README.md", "python -m tools.docs"): "rewrites README.md; the test below runs its check (`--check`)",
    (
        "docs/authoring.md",
        "python -m tools.blueprint_report",
    ): "rewrites docs/blueprint.md; tests/test_blueprint.py runs its check",
    (
        "docs/blueprint.md",
        "python -m tools.blueprint_report",
    ): "rewrites docs/blueprint.md; tests/test_blueprint.py runs its check",
    ("README.md", "make bench"): "a benchmark: it measures and prints for minutes",
    ("docs/authoring.md", "nice -n 10 .venv/bin/python benchmarks/mutation.py --notebook security"): MUTATION,
    (
        "docs/authoring.md",
        "nice -n 10 .venv/bin/python benchmarks/mutation.py --notebook security --exercise kms-envelope --raw",
    ): MUTATION,
    (
        "docs/authoring.md",
        "nice -n 10 .venv/bin/python benchmarks/mutation.py --notebook security --verify 12",
    ): MUTATION,
    ("docs/authoring.md", "nice -n 10 .venv/bin/python benchmarks/mutation.py --notebook security --broken"): MUTATION,
    ("docs/maintenance.md", "nice -n 10 .venv/bin/python benchmarks/mutation.py --notebook security"): MUTATION,
    (
        "docs/maintenance.md",
        "nice -n 10 .venv/bin/python benchmarks/mutation.py --notebook security --broken",
    ): MUTATION,
    (
        "docs/maintenance.md",
        "nice -n 10 .venv/bin/python benchmarks/mutation.py --notebook security --alternatives",
    ): MUTATION,
    (
        "docs/maintenance.md",
        "nice -n 10 .venv/bin/python benchmarks/mutation.py --notebook security --verify 12",
    ): MUTATION,
    (
        "docs/classroom.md",
        "python benchmarks/parallel_grading.py --submissions 40 --workers 2",
    ): "a benchmark (minutes)",
    ("deploy/README.md", "mkdir -p /srv/nbgrader/exchange && chmod 1777 /srv/nbgrader/exchange"): (
        "creates the site's exchange under /srv; the hub test uses a scratch exchange (AIP_EXCHANGE_ROOT)"
    ),
    (
        "deploy/README.md",
        "AIP_HUB_PASSWORD=choose-one AIP_INSTRUCTORS=alice AIP_FORMGRADER=1  jupyterhub -f deploy/jupyterhub_config.py"
        " --ip 127.0.0.1 --port 8000",
    ): "a long-running hub on port 8000; tests/classroom/test_hub.py starts deploy/jupyterhub_config.py on free ports",
    (
        "deploy/README.md",
        "python -m course.classroom.student_env /srv/aip-c01/student-env --python /usr/bin/python3.11",
    ): (
        "downloads the locked packages; the hub test builds the same environment from this one's (student_env --share)"
    ),
    ("deploy/README.md", "python -m course.classroom.student_env"): "the same command, named in a table",
    (
        "deploy/README.md",
        "groupadd aip-c01-staff && usermod -aG aip-c01-staff alice && usermod -aG aip-c01-staff grader-aip-c01",
    ): "site administration of real accounts; the hub test makes its own accounts and a private course directory",
    ("deploy/README.md", "chgrp -R aip-c01-staff /srv/aip-c01/course"): "site administration (see groupadd above)",
    ("deploy/README.md", "chmod -R u+rwX,g+rwX,o-rwx /srv/aip-c01/course"): "site administration (see groupadd above)",
    ("deploy/README.md", "find /srv/aip-c01/course -type d -exec chmod g+s {} +"): "site administration (see above)",
    (
        "deploy/README.md",
        "npm install --prefix .venv configurable-http-proxy",
    ): "what tools/system-deps.sh runs for ./course.sh test, from tools/npm-packages.txt",
}


def test_readme_blocks_are_generated_from_the_data():
    """Is the README's notebook table what the course's coverage data says today?"""
    assert not readme_blocks.stale(), "README.md is out of date: run `python -m tools.docs`"


def test_every_documented_command_is_run_or_explained():
    """Is each command the docs show run by a test, or listed with the reason it cannot be?"""
    shown = {(c.path, c.text) for c in documented.commands()}
    unlisted = sorted(shown - set(RUN_BY) - set(NOT_RUN))
    assert not unlisted, f"documented commands no test runs (add them to RUN_BY or NOT_RUN): {unlisted}"
    stale = sorted((set(RUN_BY) | set(NOT_RUN)) - shown)
    assert not stale, f"listed here but no longer documented: {stale}"


@pytest.mark.parametrize("key", sorted(RUN_BY), ids=lambda k: f"{k[0]}: {k[1]}")
def test_the_named_test_runs_the_command(key):
    """Does the test named for a documented command contain that command's exact text?"""
    path, text = key
    runner = ROOT / RUN_BY[key]
    assert runner.exists(), f"{RUN_BY[key]} does not exist"
    assert text in runner.read_text(), f"{RUN_BY[key]} does not run `{text}` (from {path})"
