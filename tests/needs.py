"""A missing tool skips a test on a developer's machine but fails the full run.

``./course.sh test`` (and so CI) sets COURSE_REQUIRE_ALL=1 after installing everything:
there a missing browser, database or proxy is a broken set-up, not a reason to pass quietly.
"""

from __future__ import annotations

import os

import pytest


def strict() -> bool:
    return os.environ.get("COURSE_REQUIRE_ALL") == "1"


def missing(reason: str):
    """Skip with ``reason``, or fail with it when the full suite is required."""
    if strict():
        pytest.fail(f"{reason} (COURSE_REQUIRE_ALL=1: the full test run needs it)", pytrace=False)
    pytest.skip(reason)


def module(name: str, reason: str):
    """Import ``name``, or treat it as missing."""
    try:
        return __import__(name, fromlist=["_"])
    except ImportError:
        missing(reason)
