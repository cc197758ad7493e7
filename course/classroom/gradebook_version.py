"""nbgrader's gradebook schema version, read in this process.

Each time nbgrader creates a gradebook it runs the ``alembic heads`` command to learn the schema
version it stamps into the new database: a new Python process and seconds of CPU, for an answer
the installed nbgrader fixes. ``install()`` makes nbgrader read it once, in this process, from
its own migration scripts (the same answer: tests/classroom/test_gradebook_version.py compares).
"""

from __future__ import annotations

import functools


@functools.cache
def head() -> str:
    """The revision ``alembic heads`` reports for nbgrader's migrations."""
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    return ScriptDirectory(ALEMBIC_DIR).get_current_head()


def install() -> None:
    """Make nbgrader, in this process, stamp new gradebooks without starting ``alembic``."""
    import nbgrader.api

    nbgrader.api.get_alembic_version = head
