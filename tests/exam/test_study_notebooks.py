"""The study notebooks are committed clean and run top to bottom in a fresh kernel."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from tests.course_files import ROOT

STUDY = ROOT / "study"
NOTEBOOKS = ["practice_exam.ipynb", "dashboard.ipynb", "review.ipynb"]
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_without_outputs(name):
    nb = nbformat.read(STUDY / name, as_version=4)
    assert nb.metadata["kernelspec"] == KERNELSPEC
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)
    assert nb.cells[0].cell_type == "markdown"


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_study_notebook_executes(name, tmp_path, monkeypatch):
    monkeypatch.setenv("AIP_COURSE_HOME", str(tmp_path / "home"))
    nb = nbformat.read(STUDY / name, as_version=4)
    NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"]
    assert any(o.output_type == "display_data" for o in outputs)
