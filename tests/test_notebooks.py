"""Source and release notebooks: nbgrader metadata, no outputs, built from their text form."""

from __future__ import annotations

import ast
import inspect
import json

import nbformat
import pytest

from course import bank
from tests.course_files import ROOT, assignments, release_notebook, source_notebook
from tools import build

NAMES = assignments()


def cells(path):
    return json.loads(path.read_text())["cells"]


def test_there_is_at_least_one_assignment():
    """Is there a domain notebook at all (so the tests below are not vacuous)?"""
    assert NAMES


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("which", [source_notebook, release_notebook])
def test_committed_without_outputs_and_with_a_kernel(name, which):
    """Is the notebook free of outputs and does it name a kernel (no 'Select Kernel' dialog)?"""
    nb = nbformat.read(which(name), as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("name", NAMES)
def test_nbgrader_metadata(name):
    """Are grade ids unique, points positive, and every solution and test cell well formed?"""
    ids, points = [], 0.0
    graded = {q["id"] for q in bank.load(name).get("graded", [])}
    quiz_cells = set()
    for cell in cells(source_notebook(name)):
        meta = cell["metadata"].get("nbgrader")
        if not meta:
            continue
        assert meta["schema_version"] == 3
        ids.append(meta["grade_id"])
        source = "".join(cell["source"])
        if meta["solution"]:
            assert "### BEGIN SOLUTION" in source and "### END SOLUTION" in source, meta["grade_id"]
            assert source.lstrip().startswith("def "), f"{meta['grade_id']}: keep the def line outside the solution"
        if meta["grade"]:
            assert meta["points"] > 0 and meta["locked"]
            assert source.lstrip().startswith('"""') and "?" in source.split('"""')[1], (
                f"{meta['grade_id']}: docstring question first"
            )
            points += meta["points"]
            if meta["grade_id"].startswith("quiz-"):
                quiz_cells.add(meta["grade_id"].removeprefix("quiz-"))
            else:
                assert "### BEGIN HIDDEN TESTS" in source, f"{meta['grade_id']}: hidden tests defeat hard-coded answers"
                visible = source.split("### BEGIN HIDDEN TESTS")[0]
                assert "checks." in visible, f"{meta['grade_id']}: a visible check comes first"
    assert len(ids) == len(set(ids)), "duplicate grade ids"
    assert quiz_cells == graded, "one quiz cell per graded question"
    exercises = [i for i in ids if i.endswith("-tests")]
    assert len(exercises) >= 5 and points > 0


def _returns_nothing(fn) -> bool:
    return inspect.signature(fn).return_annotation in (None, "None")


def _ends_with_a_value(source: str) -> str | None:
    """The cell's last statement if it may leave a value (IPython shows it; nbgrader reads it as a grade)."""
    tree = ast.parse(source)
    last = tree.body[-1] if tree.body else None
    if not isinstance(last, ast.Expr):
        return None
    call = last.value
    if isinstance(call, ast.Call):
        func = call.func
        if isinstance(func, ast.Name) and func.id == "print":
            return None
        helpers = {
            n.name: n
            for n in tree.body
            if isinstance(n, ast.FunctionDef)
            and not any(isinstance(x, (ast.Yield, ast.YieldFrom)) for x in ast.walk(n))
        }
        if isinstance(func, ast.Name) and func.id in helpers:  # a helper of the cell that returns nothing
            returns = [r for r in ast.walk(helpers[func.id]) if isinstance(r, ast.Return) and r.value is not None]
            if not returns:
                return None
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in ("checks", "grading")
        ):
            from course import checks, grading

            fn = getattr({"checks": checks, "grading": grading}[func.value.id], func.attr, None)
            if fn is not None and _returns_nothing(fn):
                return None
    return ast.unparse(last)[:120]


@pytest.mark.parametrize("name", NAMES)
def test_test_cells_end_without_a_value(name):
    """Does every test cell end with a statement, not a value (shown as Out[..], read by nbgrader as a grade)?"""
    ending = {}
    for cell in cells(source_notebook(name)):
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution") and cell["cell_type"] == "code":
            last = _ends_with_a_value("".join(cell["source"]))
            if last:
                ending[meta["grade_id"]] = last
    assert not ending, f"test cells that end with a value (assign it, e.g. `_code = ...`): {ending}"


@pytest.mark.parametrize("name", NAMES)
def test_source_notebook_is_built_from_its_text_form(name):
    """Is the committed .ipynb exactly what the build makes from the .py?"""
    fresh = nbformat.writes(build.build_notebook(ROOT / "source" / name / f"{name}.py")) + "\n"
    assert source_notebook(name).read_text() == fresh, "run `make notebooks`"


@pytest.mark.parametrize("name", NAMES)
def test_release_has_no_solutions_hidden_tests_or_key(name):
    """Does the student version carry no solution, hidden test, answer key or text form?"""
    folder = ROOT / "release" / name
    shipped = {p.name for p in folder.iterdir()}
    assert shipped == {f"{name}.ipynb"}, shipped
    text = release_notebook(name).read_text()
    for secret in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "check_answer", "graded_key"):
        assert secret not in text


@pytest.mark.parametrize("name", NAMES)
def test_answer_key_is_not_shipped(name):
    """Does no file in release/ or the course package contain the graded key's explanations?"""
    from tests.course_files import graded_key

    secrets = [why for entry in graded_key(name).values() for why in entry["why"].values()]
    assert secrets
    shipped = [p for top in ("release", "course") for p in (ROOT / top).rglob("*") if p.is_file()]
    for path in shipped:
        text = path.read_text(errors="replace")
        leaked = [w for w in secrets if w in text]
        assert not leaked, f"{path.relative_to(ROOT)} contains the answer key: {leaked[0][:80]}"
    for q in bank.load(name).get("graded", []):
        assert "answer" not in q and all("why" not in c for c in bank.choices(q))


@pytest.mark.slow
def test_release_is_in_sync_with_source():
    """Does a fresh build reproduce every committed source notebook and release/ byte for byte?"""
    assert build.check(ROOT, NAMES) == []


@pytest.mark.parametrize("name", NAMES)
def test_every_self_check_cell_has_questions(name):
    """Does every quiz.show(...) cell have at least one question to show (never "no questions yet")?"""
    import re

    text = (ROOT / "source" / name / f"{name}.py").read_text()
    empty = []
    for domain, anchor in re.findall(r'quiz\.show\("([a-z_]+)", "([a-z0-9-]+)"\)', text):
        target = f"{domain}#{anchor}"
        questions = [
            q
            for q in bank.load(domain)["questions"]
            if q.get("taught_in") == target or any(s["taught_in"] == target for s in q.get("questions", []))
        ]
        if not questions:
            empty.append(target)
    assert not empty, f"self-check cells with no question (write questions or drop the cell): {empty}"
