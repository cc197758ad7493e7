"""The gradebook schema version read in-process is the one nbgrader's own `alembic heads` reports."""

from __future__ import annotations

import sqlite3
import subprocess

from course.classroom import gradebook_version, nbgrader_cli


def test_head_is_what_alembic_reports():
    """Does the in-process reading give the revision nbgrader would get from the alembic command?"""
    from nbgrader.dbutil import _temp_alembic_ini

    with _temp_alembic_ini("sqlite:////tmp/gradebook.db") as ini:
        output = subprocess.check_output(["alembic", "-c", ini, "heads"], env=nbgrader_cli.env(), text=True)
    assert output.split("\n")[0].split(" ")[0] == gradebook_version.head()


def test_a_new_gradebook_is_stamped_with_it(tmp_path, monkeypatch):
    """Does a gradebook created after install() carry that revision, with no alembic process started?"""
    import nbgrader.api

    monkeypatch.setattr(nbgrader.api, "get_alembic_version", nbgrader.api.get_alembic_version)
    gradebook_version.install()
    started = []
    monkeypatch.setattr(nbgrader.api.sp, "check_output", lambda *a, **k: started.append(a))
    with nbgrader.api.Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}", course_id="aip-c01"):
        pass
    with sqlite3.connect(tmp_path / "gradebook.db") as db:
        assert db.execute("select version_num from alembic_version").fetchall() == [(gradebook_version.head(),)]
    assert not started
