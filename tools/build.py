"""Build the course's notebooks from their text form, and the student release from those.

    python -m tools.build            # source/*/*.py -> source/*/*.ipynb -> release/
    python -m tools.build --check    # fail if anything committed is out of date

Step 1 reads each ``source/<a>/<a>.py`` (jupytext percent format), expands the short
``kind=`` cell headers into nbgrader metadata, writes the graded-quiz test cells from
``source/<a>/graded_key.yaml`` and saves ``source/<a>/<a>.ipynb`` without outputs.
Step 2 runs ``nbgrader generate_assignment`` in a scratch copy (so no gradebook is left
in the repository) and copies the result to ``release/<a>/``.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import sys
import tempfile
from pathlib import Path
from pprint import pformat

from course.classroom import nbconfig, worker

ROOT = Path(__file__).resolve().parent.parent
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
KEY_FILE = "graded_key.yaml"


class BuildError(Exception):
    pass


def assignments(root: Path = ROOT) -> list[str]:
    return sorted(p.parent.name for p in (root / "source").glob("*/*.py") if p.stem == p.parent.name)


def nbgrader_meta(kind: str, grade_id: str, points: float | None) -> dict:
    base = {"grade_id": grade_id, "schema_version": 3, "task": False}
    if kind == "solution":
        return {**base, "grade": False, "locked": False, "solution": True}
    if kind in ("tests", "quiz"):
        if not points or points <= 0:
            raise BuildError(f"{grade_id}: a {kind} cell needs points > 0")
        return {**base, "grade": True, "locked": True, "points": points, "solution": False}
    if kind == "setup":
        return {**base, "grade": False, "locked": True, "solution": False}
    raise BuildError(f"unknown cell kind {kind!r} (use setup, solution, tests or quiz)")


def quiz_cell_source(qid: str, entry: dict) -> str:
    return "\n".join(
        [
            f'"""Graded question {qid}: is your saved answer complete and correct?"""',
            "from course import grading",
            "",
            f"grading.require_answer({qid!r})",
            "### BEGIN HIDDEN TESTS",
            f"grading.check_answer(\n    {qid!r},\n    {pformat(entry['answer'])},\n    why={pformat(entry['why'], width=100)},\n)",
            "### END HIDDEN TESTS",
        ]
    )


def load_key(folder: Path) -> dict:
    import yaml

    path = folder / KEY_FILE
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text("utf-8")) or {}


def build_notebook(py_path: Path):
    """The nbgrader source notebook for one ``.py`` file."""
    import jupytext
    import nbformat

    nb = jupytext.reads(py_path.read_text("utf-8"), fmt="py:percent")
    key = load_key(py_path.parent)
    used_quiz: set[str] = set()
    setup_n = 0
    for index, cell in enumerate(nb.cells):
        meta = dict(cell.metadata)
        for drop in ("lines_to_next_cell", "lines_to_end_of_cell_marker", "cell_marker"):
            meta.pop(drop, None)
        kind = meta.pop("kind", None)
        grade_id = meta.pop("grade_id", None)
        points = meta.pop("points", None)
        qid = meta.pop("question", None)
        if kind == "quiz":
            if qid not in key:
                raise BuildError(f"{py_path.name}: quiz cell for {qid!r} has no entry in {KEY_FILE}")
            if cell.source.strip():
                raise BuildError(f"{py_path.name}: quiz cell {qid} must be empty; the build writes it")
            cell.source = quiz_cell_source(qid, key[qid])
            grade_id = grade_id or f"quiz-{qid}"
            used_quiz.add(qid)
        if kind == "setup" and not grade_id:
            setup_n += 1
            grade_id = f"setup-{setup_n}"
        if kind:
            if not grade_id:
                raise BuildError(f"{py_path.name}: a {kind} cell needs grade_id")
            meta["nbgrader"] = nbgrader_meta(kind, grade_id, points)
            if kind in ("solution", "tests", "quiz"):
                # An unfinished exercise raises; the tag lets "Run All" go on past it.
                meta["tags"] = sorted(set(meta.get("tags", [])) | {"raises-exception"})
        elif grade_id or points or qid:
            raise BuildError(f"{py_path.name}: grade_id/points/question given without kind= (cell {index})")
        cell.metadata = nbformat.NotebookNode(meta)
        cell["id"] = (grade_id or f"cell-{index:03d}")[:64]
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    missing = sorted(set(key) - used_quiz)
    if missing:
        raise BuildError(f"{py_path.name}: graded questions {missing} have a key but no quiz cell")
    nb.metadata = nbformat.NotebookNode({"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    nb.nbformat, nb.nbformat_minor = 4, 5
    nbformat.validate(nb)
    return nb


def write_notebook(nb, path: Path) -> None:
    import nbformat

    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


def build_sources(root: Path, names: list[str], out_root: Path | None = None) -> list[Path]:
    written = []
    for name in names:
        folder = root / "source" / name
        if (folder / "graded_answers.json").exists():
            raise BuildError(f"{folder}/graded_answers.json exists: it would ship the instructor's answers. Delete it.")
        nb = build_notebook(folder / f"{name}.py")
        target = (out_root or root) / "source" / name / f"{name}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        write_notebook(nb, target)
        written.append(target)
    return written


def generate_release(root: Path, names: list[str], release_root: Path) -> None:
    """Run nbgrader generate_assignment in a scratch course and copy release/ out."""
    with tempfile.TemporaryDirectory(prefix="course-build-") as scratch:
        scratch_path = Path(scratch)
        shutil.copy(root / "nbgrader_config.py", scratch_path / "nbgrader_config.py")
        for name in names:
            shutil.copytree(root / "source" / name, scratch_path / "source" / name)
            # In this process, through nbgrader's API: no interpreter to start per notebook.
            result = worker.nbgrader_api(scratch_path, nbconfig.load(scratch_path)).generate_assignment(name)
            if not result["success"]:
                raise BuildError(
                    f"nbgrader generate_assignment {name} failed:\n{result.get('error')}\n{result.get('log')}"
                )
            target = release_root / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(scratch_path / "release" / name, target)
            for nb_path in target.glob("*.ipynb"):
                _normalise_release(nb_path)


def _normalise_release(path: Path) -> None:
    data = json.loads(path.read_text("utf-8"))
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


def diff_trees(a: Path, b: Path) -> list[str]:
    """Files that differ between two folders (relative paths)."""
    out = []
    cmp = filecmp.dircmp(a, b, ignore=["__pycache__", ".ipynb_checkpoints"])

    def walk(c: filecmp.dircmp, prefix: str) -> None:
        out.extend(f"{prefix}{n} (only in {c.left})" for n in c.left_only)
        out.extend(f"{prefix}{n} (only in {c.right})" for n in c.right_only)
        _, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        out.extend(f"{prefix}{n}" for n in mismatch + errors)
        for sub, subcmp in c.subdirs.items():
            walk(subcmp, f"{prefix}{sub}/")

    walk(cmp, "")
    return out


def check(root: Path, names: list[str]) -> list[str]:
    """What is out of date: built notebooks and release/ versus a fresh build."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="course-check-") as scratch:
        scratch_path = Path(scratch)
        for path in build_sources(root, names, out_root=scratch_path):
            committed = root / path.relative_to(scratch_path)
            if not committed.exists() or committed.read_bytes() != path.read_bytes():
                problems.append(f"{committed.relative_to(root)} is not built from its .py (run make notebooks)")
        release = scratch_path / "release"
        release.mkdir()
        generate_release(root, names, release)
        for name in names:
            if not (root / "release" / name).exists():
                problems.append(f"release/{name} is missing (run make notebooks)")
                continue
            problems += [
                f"release/{name}/{d} differs from a fresh release"
                for d in diff_trees(release / name, root / "release" / name)
            ]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="assignments (default: all)")
    parser.add_argument("--check", action="store_true", help="only report what is out of date")
    args = parser.parse_args(argv)
    names = args.names or assignments()
    try:
        if args.check:
            problems = check(ROOT, names)
            for p in problems:
                print(p)
            return 1 if problems else 0
        build_sources(ROOT, names)
        generate_release(ROOT, names, ROOT / "release")
    except BuildError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 2
    print(f"built {', '.join(names)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
