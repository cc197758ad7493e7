"""Every source notebook runs top to bottom without error (with the right quiz answers saved)."""

from __future__ import annotations

import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from tests import grading_pipeline as gp
from tests.course_files import ROOT, assignments

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", assignments())
def test_source_notebook_executes(name, tmp_path, monkeypatch):
    """Does the instructor notebook, solutions and hidden tests included, run without an error?"""
    monkeypatch.setenv("AIP_COURSE_HOME", str(tmp_path / "home"))
    folder = tmp_path / name
    shutil.copytree(ROOT / "source" / name, folder)
    gp.write_answers(folder, gp.correct_answers(name))
    nb = nbformat.read(folder / f"{name}.ipynb", as_version=4)
    NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    # Exercise cells carry "raises-exception" (so Run All goes on for learners), so an error
    # does not stop nbclient: look for one in the outputs instead.
    errors = [
        (c.metadata.get("nbgrader", {}).get("grade_id"), o.get("ename"), o.get("evalue"))
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.get("output_type") == "error"
    ]
    assert not errors, f"cells raised errors: {errors}"
    stderr = [
        (c.metadata.get("nbgrader", {}).get("grade_id"), o.get("text", ""))
        for c in nb.cells
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
        for o in c.outputs
        if o.get("name") == "stderr"
    ]
    assert not stderr, f"test cells wrote to stderr (nbgrader would give them zero): {stderr}"
