"""Fixture chain as in moto's own suite: isolated environment -> mock -> clients."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTES = ROOT.parent / "shared" / "notes"


def pytest_configure(config):
    # nbgrader's gradebook runs `alembic` by name: the environment's own bin folder goes first
    # on PATH, so the tests work without an activated environment (as ./course.sh runs them).
    from course.classroom import gc_tuning, nbgrader_cli

    nbgrader_cli.put_on_path()
    # As in the grading processes: the test workers grade in process too.
    gc_tuning.tune()


@pytest.hookimpl(trylast=True)  # after the slowest durations, beside the tests' own time
def pytest_terminal_summary(terminalreporter):
    # ./course.sh test times its set-up, so a first run on a new machine shows where time went.
    summary = os.environ.get("COURSE_SETUP_SUMMARY")
    if summary:
        terminalreporter.write_line(summary)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture
def aws():
    """A running sandbox, emptied after each test."""
    from course import sandbox

    box = sandbox.start()
    yield box
    box.reset()


@pytest.fixture
def course_home(tmp_path, monkeypatch):
    """A private progress folder so tests never touch the learner's own."""
    monkeypatch.setenv("AIP_COURSE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


# The groups that take longest, longest first (see the durations at the end of a full run).
LONGEST_FIRST = (
    "tests/classroom/hostile/test_hostile.py",
    "tests/classroom/test_documented_workflow.py",
    "tests/classroom/hostile/test_unprivileged.py",
    "tests/classroom/test_hub.py",
    "tests/browser/",
    "tests/test_grading_end_to_end.py",
    "tests/test_alternatives.py",
)

# Session- and module-scoped fixtures that cost nothing to build again on another worker.
CHEAP_SHARED_FIXTURES = {"root", "sim_aws"}


@pytest.hookimpl(tryfirst=True)  # before xdist tags node ids with their groups
def pytest_collection_modifyitems(config, items):
    """Keep tests that share an expensive fixture on one xdist worker (``--dist loadgroup``).

    A module- or session-scoped fixture (a graded class, a hub, a browser) is built once per
    worker that runs a test using it. Tests linked by such a fixture, directly or through each
    other, form one group; every other test is scheduled on its own. Explicit
    ``xdist_group`` marks (e.g. one group per graded notebook) are kept.
    """
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    linked: dict[int, str] = {}
    for n, item in enumerate(items):
        if item.get_closest_marker("xdist_group"):
            continue
        info = getattr(item, "_fixtureinfo", None)
        params = getattr(getattr(item, "callspec", None), "params", {})
        keys = []
        for name in info.names_closure if info else ():
            defs = info.name2fixturedefs.get(name)
            if not defs or name in CHEAP_SHARED_FIXTURES:
                continue
            fixture = defs[-1]
            if not fixture.baseid.startswith("tests"):
                continue  # pytest's own (tmp_path_factory, ...)
            if fixture.scope == "session":
                keys.append(f"{fixture.baseid}::{name}[{params.get(name, '')}]")
            elif fixture.scope == "module":
                keys.append(f"{item.nodeid.split('::')[0]}::{name}[{params.get(name, '')}]")
        for key in keys[1:]:
            parent[find(key)] = find(keys[0])
        if keys:
            linked[n] = keys[0]
    for n, key in linked.items():
        # xdist reads a group from the text after the last "@", and only when no "]" follows it.
        items[n].add_marker(pytest.mark.xdist_group(find(key).translate(str.maketrans("[]@", "(),"))))
    # Workers take groups in collection order: the longest start first, so no worker is left
    # running one long group alone at the end (a stable sort keeps each module in one piece).
    items.sort(key=lambda item: next((i for i, p in enumerate(LONGEST_FIRST) if item.nodeid.startswith(p)), 99))
