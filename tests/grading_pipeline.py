"""Run nbgrader for real on a scratch copy of the course (used by the end-to-end tests)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import nbformat
import yaml

from course.classroom import nbgrader_cli
from tests.course_files import ROOT, graded_key, release_notebook, source_notebook


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    result = nbgrader_cli.run(course, *args, timeout=900)
    assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def make_course(tmp: Path, name: str) -> Path:
    course = tmp / "course"
    (course / "source").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "source" / name, course / "source" / name)
    nbgrader(course, "generate_assignment", name, "--force")
    return course


def write_answers(folder: Path, responses: dict) -> None:
    from course import answers

    for qid, response in responses.items():
        answers.save(qid, response, folder / answers.FILENAME)


def submit(course: Path, student: str, name: str, notebook: Path, responses: dict | None) -> None:
    folder = course / "submitted" / student / name
    folder.mkdir(parents=True)
    shutil.copy(notebook, folder / f"{name}.ipynb")
    (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")
    if responses:
        write_answers(folder, responses)


def wrong_submission(tmp: Path, name: str) -> tuple[Path, dict, set[str]]:
    """The release notebook with the solution in every cell but those the wrong-answer fixture replaces."""
    fixture = yaml.safe_load((ROOT / "tests" / "fixtures" / f"{name}_wrong.yaml").read_text())
    solutions = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in nbformat.read(source_notebook(name), as_version=4).cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }
    nb = nbformat.read(release_notebook(name), as_version=4)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = fixture["cells"].get(gid, solutions[gid])
    path = tmp / f"{name}_wrong.ipynb"
    nbformat.write(nb, path)
    return path, fixture["answers"], set(fixture["cells"])


def scores(course: Path, name: str, student: str) -> dict[str, tuple[float, float]]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course}/gradebook.db", course_id="aip-c01") as gb:
        sub = gb.find_submission_notebook(name, name, student)
        return {g.name: (g.score, g.max_score) for g in sub.grades}


def correct_answers(name: str) -> dict:
    return {qid: entry["answer"] for qid, entry in graded_key(name).items()}


def feedback_json(course: Path, student: str, name: str) -> dict:
    return json.loads((course / "autograded" / student / name / f"{name}.ipynb").read_text())
