"""Print how long each domain notebook takes to run end to end, and what its first cell costs.

    python benchmarks/notebook_times.py [assignment ...]

Runs the instructor notebook (solutions included) in a fresh kernel, in a scratch
folder with the right graded-quiz answers saved. Goal: first cell well under 3 s.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(name: str) -> tuple[float, float, float]:
    import nbformat
    from nbclient import NotebookClient

    from tests import grading_pipeline as gp

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / name
        shutil.copytree(ROOT / "source" / name, folder)
        gp.write_answers(folder, gp.correct_answers(name))
        nb = nbformat.read(folder / f"{name}.ipynb", as_version=4)
        client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}})
        started = time.perf_counter()
        with client.setup_kernel():
            kernel_ready = time.perf_counter()
            first = None
            for index, cell in enumerate(nb.cells):
                t = time.perf_counter()
                client.execute_cell(cell, index)
                if cell.cell_type == "code" and first is None:
                    first = time.perf_counter() - t
        total = time.perf_counter() - started
        return kernel_ready - started, first or 0.0, total


def main(names: list[str]) -> None:
    from tests.course_files import assignments

    names = names or assignments()
    print(f"{'notebook':<22}{'kernel start':>14}{'first cell':>12}{'end to end':>12}")
    for name in names:
        kernel, first, total = measure(name)
        flag = "" if first < 3 else "   <-- first cell over 3 s"
        print(f"{name:<22}{kernel:>13.2f}s{first:>11.2f}s{total:>11.2f}s{flag}")


if __name__ == "__main__":
    main(sys.argv[1:])
