"""Check a submission folder before nbgrader grades it; repair what can be repaired, and say so.

    python -m course.classroom.preflight security                  # every submitted/*/security/, in place
    python -m course.classroom.preflight security --root /srv/course

Run it before ``nbgrader autograde``; the parallel grader (``course.classroom.grade``) runs
it on each task's copy of the submission. What it does, with the release notebook
(``release/<assignment>/``, exactly what the students were given) as the reference:

- a notebook that is not valid JSON or not a notebook is replaced by the release notebook,
  so nbgrader grades it as blank (0 points) and the gradebook stays consistent; the file
  as submitted stays beside it as ``<name>.unreadable``;
- a notebook under another name, when it is the only one, is graded under the right name;
- no notebook at all: the release notebook is graded (0 points), with a note saying so;
- extra notebooks are left alone (nbgrader skips them) and named as not graded;
- symbolic links are removed, never followed;
- a damaged ``graded_answers.json`` is left in place (each graded-quiz check then says "no
  usable answer") and explained; hand-edited entries that cannot be answers are named;
- the graded cells are repaired against the release notebook (``course.classroom.repair``).

Every finding is written, for the student, into a Markdown cell at the top of the graded
notebook (it shows in nbgrader's feedback), and returned for the instructor. A notebook the
preflight changes keeps its submitted bytes beside it as ``<name>.original``. Running it
again changes nothing.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import shutil
import sys
import warnings
from collections.abc import Iterable
from pathlib import Path

import nbformat

from course.classroom import repair
from course.classroom.messages import ANSWERS, Finding, code_list, finding, findings_in, is_notes_cell, notes_cell

UNREADABLE = ".unreadable"
ORIGINAL = ".original"


# -- reading ---------------------------------------------------------------------------


def _json_problem(text: str) -> str | None:
    if not text.strip():
        return "an empty file"
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"{exc.msg.removesuffix(' at')} at line {exc.lineno}, column {exc.colno}"
        return f"a file that is not valid JSON ({where}: cut off, or edited?)"
    except ValueError:
        return "a file that is not valid JSON"
    return None


def read_notebook(path: Path) -> tuple[nbformat.NotebookNode | None, str | None]:
    """The notebook at ``path``, or None and why it cannot be graded."""
    if path.is_dir():
        return None, "a folder, not a notebook file"
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None, "a file that is not text (not UTF-8), so not a notebook"
    except OSError as exc:
        return None, f"a file that could not be opened ({exc.strerror})"
    problem = _json_problem(text)
    if problem:
        return None, problem
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = nbformat.reads(text, as_version=4)
            nbformat.validate(nb)
    except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds for a malformed notebook
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return None, f"JSON that is not a valid Jupyter notebook ({first[:160]})"
    return nb, None


def fingerprint(nb) -> str:
    """A digest of the notebook as it would be saved (so a saved and re-read notebook has the same one)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        saved = nbformat.reads(nbformat.writes(nb), as_version=4)
    return hashlib.sha256(json.dumps(saved, sort_keys=True).encode()).hexdigest()


def write_notebook(nb, path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        text = nbformat.writes(nb)
    path.write_text(text, encoding="utf-8")


# -- the quiz answers file -------------------------------------------------------------


def _questions(assignment: str) -> dict[str, dict] | None:
    """The graded questions of ``assignment`` by id (None when the course has no bank for it)."""
    from course import bank

    try:
        if assignment not in bank.available():
            return None
        return {q["id"]: q for q in bank.load(assignment).get("graded", [])}
    except Exception:  # noqa: BLE001 - a broken bank must not stop the grading of a class
        return None


KINDS = {
    "single": "single-answer",
    "multi": "multiple-response",
    "ordering": "ordering",
    "matching": "matching",
}


def _response_problem(q: dict, response) -> str | None:
    from course import bank, scoring

    if response is None:
        return None
    shape = scoring.normalise(q, response)
    if shape is None:
        return f"not a possible answer to a {KINDS.get(q['type'], q['type'])} question"
    ids = {c["id"] for c in bank.choices(q)}
    if isinstance(shape, str):
        picked = [shape]
    elif isinstance(shape, dict):
        picked = [*shape.keys(), *shape.values()]
    else:
        picked = list(shape)
    unknown = sorted({x for x in picked if x not in ids})
    return f"names options the question does not have ({', '.join(map(repr, unknown))})" if unknown else None


def check_answers(path: Path, assignment: str) -> list[Finding]:
    """Findings about the graded-quiz answers file (never changes it)."""
    from course import answers

    if not path.exists():
        return []
    if answers.read(path).problem:
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return [finding("unreadable-answers", reason="a file that could not be read as text")]
        reason = _json_problem(text) or 'JSON without the layout the quiz saves (no "answers" table)'
        return [finding("unreadable-answers", reason=reason)]
    entries = json.loads(path.read_text("utf-8"))["answers"]
    questions = _questions(assignment)
    bad: dict[str, str] = {}
    for qid, entry in entries.items():
        if not isinstance(entry, dict) or "response" not in entry:
            bad[qid] = "not in the format the quiz saves"
        elif questions is not None and qid not in questions:
            bad[qid] = "not a question of this quiz"
        elif questions is not None and (problem := _response_problem(questions[qid], entry["response"])):
            bad[qid] = problem
    if not bad:
        return []
    details = "; ".join(f"`{qid}`: {why}" for qid, why in bad.items())
    return [finding("unusable-answers", ids=code_list(bad), details=details)]


# -- files of the folder ---------------------------------------------------------------


def remove_links(folder: Path) -> list[str]:
    """Delete every symbolic link under ``folder`` (without following it); their relative names."""
    removed = []
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in [*dirnames, *filenames]:
            path = Path(dirpath) / name
            if path.is_symlink():
                path.unlink()
                removed.append(path.relative_to(folder).as_posix())
    return sorted(removed)


def notebooks_in(folder: Path) -> list[str]:
    """The notebooks nbgrader would see: top-level ``*.ipynb`` entries, hidden ones excepted."""
    return sorted(p.name for p in folder.glob("*.ipynb") if not p.name.startswith("."))


def _found(present: list[str], expected: str) -> str:
    if not present:
        return "no notebook at all"
    return f"{code_list(present)}, none of them named `{expected}`"


def _unique(findings: Iterable[Finding]) -> list[Finding]:
    out: list[Finding] = []
    for f in findings:
        if f not in out:
            out.append(f)
    return out


# -- one notebook ----------------------------------------------------------------------


def check_notebook(
    path: Path, release_path: Path, submitted_as: str, before: list[Finding], after: list[Finding]
) -> list[Finding]:
    """Repair the notebook at ``path`` and record ``before`` + its own findings + ``after`` in it."""
    release_nb = nbformat.read(release_path, as_version=4)
    nb, problem = read_notebook(path) if path.exists() else (None, None)
    own: list[Finding] = []
    kept = True  # the submitted bytes are safe (or there were none)
    if problem:
        aside = path.with_name(submitted_as + UNREADABLE)
        if aside.is_dir():
            shutil.rmtree(aside)
        os.replace(path, aside)
        own.append(finding("unreadable-notebook", name=submitted_as, reason=problem, kept=aside.name))
    elif nb is not None:
        kept = False
    if nb is None:
        nb = copy.deepcopy(release_nb)
    notes = [cell for cell in nb.cells if is_notes_cell(cell)]
    nb.cells = [cell for cell in nb.cells if not is_notes_cell(cell)]
    previous = [f for cell in notes for f in findings_in(cell, fingerprint(nb))]
    own += repair.repair(nb, release_nb)
    merged = _unique([*previous, *before, *own, *after])
    if merged == previous and path.exists() and (merged or not notes):
        return merged
    if not kept and not path.with_name(submitted_as + ORIGINAL).exists():
        shutil.copyfile(path, path.with_name(submitted_as + ORIGINAL))
    if merged:
        nb.cells.insert(0, notes_cell(merged, fingerprint(nb)))
    write_notebook(nb, path)
    return merged


# -- one submission --------------------------------------------------------------------


def check_submission(folder: Path, release: Path, links: Iterable[str] = ()) -> list[Finding]:
    """Check and repair one ``submitted/<student>/<assignment>/`` folder in place; every finding."""
    folder, release = Path(folder), Path(release)
    expected = notebooks_in(release)
    if not expected:
        raise FileNotFoundError(f"no release notebook in {release}: run nbgrader generate_assignment first")
    shared: list[Finding] = []
    removed = sorted({*links, *remove_links(folder)})
    if removed:
        shared.append(finding("unsafe-link", names=code_list(removed)))
    present = notebooks_in(folder)
    missing = [n for n in expected if n not in present]
    extra = [n for n in present if n not in expected]
    first: dict[str, list[Finding]] = {n: [] for n in expected}
    submitted_as = {n: n for n in expected}
    if len(missing) == 1 and len(extra) == 1 and (folder / extra[0]).is_file():
        found, target = extra.pop(), missing.pop()
        os.replace(folder / found, folder / target)
        submitted_as[target] = found
        first[target].append(finding("renamed-notebook", found=found, expected=target))
    for name in missing:
        first[name].append(finding("missing-notebook", expected=name, found=_found(present, name)))
    if extra:
        shared.append(finding("extra-notebooks", names=code_list(extra), expected=", ".join(expected)))
    shared += check_answers(folder / ANSWERS, folder.name)
    out: list[Finding] = []
    for name in expected:
        out += check_notebook(folder / name, release / name, submitted_as[name], first[name], shared)
    return _unique(out)


# -- a whole class (serial grading) ----------------------------------------------------


FAILED = "preflight-failed"


def check_course(root: Path, assignment: str) -> dict[str, list[Finding]]:
    """Run :func:`check_submission` on every ``submitted/*/<assignment>/`` of the course, in place.

    One submission that cannot be checked is reported (kind ``preflight-failed``) and the
    others are still checked."""
    release = root / "release" / assignment
    results = {}
    for folder in sorted((root / "submitted").glob(f"*/{assignment}")):
        if folder.is_dir() and not folder.is_symlink():
            try:
                results[folder.parent.name] = check_submission(folder, release)
            except Exception as exc:  # noqa: BLE001 - one broken folder must not stop the class
                results[folder.parent.name] = [Finding(FAILED, f"{type(exc).__name__}: {exc}")]
    return results


def table(results: dict[str, list[Finding]]) -> str:
    """One line per student: what was found (by kind), then the totals."""
    width = max([20, *(len(s) + 2 for s in results)])
    lines = [f"{'student':<{width}}findings", "-" * (width + 40)]
    for student, findings in results.items():
        lines.append(f"{student:<{width}}{', '.join(f.kind for f in findings) or '-'}")
        lines += [f"{'':<{width}}  {f.text}" for f in findings if f.kind == FAILED]
    noted = sum(bool(f) for f in results.values())
    lines += [
        "-" * (width + 40),
        f"{len(results)} submissions checked, {noted} with findings "
        f"(explained at the top of each graded notebook; submitted files kept as *{ORIGINAL} / *{UNREADABLE})",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="course directory (default: here)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if not notebooks_in(root / "release" / args.assignment):
        print(
            f"no release notebook in {root / 'release' / args.assignment}: "
            f"run `nbgrader generate_assignment {args.assignment}` first",
            file=sys.stderr,
        )
        return 2
    results = check_course(root, args.assignment)
    if not results:
        print(f"no submissions found in {root / 'submitted'}/*/{args.assignment}", file=sys.stderr)
        return 1
    print(table(results))
    return 1 if any(f.kind == FAILED for fs in results.values() for f in fs) else 0


if __name__ == "__main__":
    sys.exit(main())
