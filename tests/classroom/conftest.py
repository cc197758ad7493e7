"""Shared fixtures for the classroom tests: a Dask cluster and a real PostgreSQL server."""

from __future__ import annotations

import pytest

from tests import needs
from tests.classroom import pg_server


@pytest.fixture(scope="session")
def dask_client():
    """A two-worker LocalCluster (one single-threaded process per worker), as the grader makes by default."""
    needs.module("distributed", "dask[distributed] is not installed (pip install -e '.[classroom]')")
    from course.classroom import grade

    client = grade.make_client(None, 2)
    yield client
    cluster = client.cluster
    client.close()
    cluster.close()


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server on a free loopback port, torn down at the end of the session."""
    needs.module("psycopg", "psycopg is not installed (pip install -e '.[classroom]'): SQLAlchemy's postgresql driver")
    try:
        server = pg_server.Server()
    except pg_server.Unavailable as exc:
        needs.missing(f"PostgreSQL is not available: {exc}")
    try:
        server.start()
    except pg_server.Unavailable as exc:
        server.stop()
        needs.missing(f"PostgreSQL could not be started: {exc}")
    yield server
    server.stop()
