"""Put a submitted notebook's graded cells back in the shape the release notebook gave them.

nbgrader 0.9.6 already restores the code of an edited read-only cell (it compares checksums
with the gradebook), but on its own:

- a **deleted test cell** is never run: its grade stays empty ("needs manual grade"), and the
  student is not told why;
- a **deleted read-only set-up cell** (the one that starts the simulated AWS account) is not
  put back, so every later test fails;
- a **copied cell** (a duplicate grade id) makes ``DeduplicateIds`` leave an empty
  ``nbgrader`` metadata block on the earlier copy, which ``CheckCellMetadata`` rejects as an
  old format: ``nbgrader autograde`` then stops for the whole class;
- **grading metadata removed or altered** by hand turns a test cell into an ordinary cell.

``repair`` fixes these in the notebook, before nbgrader reads it, and returns one
:class:`~course.classroom.messages.Finding` per problem, worded for the student.
"""

from __future__ import annotations

import copy
from collections import Counter

from nbformat import NotebookNode

from course.classroom.messages import Finding, describe_cell, finding


def grade_id(cell) -> str | None:
    meta = cell.get("metadata", {}).get("nbgrader")
    if isinstance(meta, dict) and isinstance(meta.get("grade_id"), str):
        return meta["grade_id"]
    return None


def _nbgrader(cell) -> dict | None:
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta if isinstance(meta, dict) else None


def _strip(cell) -> None:
    """Make ``cell`` an ordinary cell: no grading metadata, no read-only flags."""
    for key in ("nbgrader", "editable", "deletable"):
        cell.metadata.pop(key, None)


def _key(cell) -> tuple[str, str | None]:
    gid = grade_id(cell)
    return ("grade", gid) if gid else ("id", cell.get("id"))


def _fresh_copy(cell, taken: set[str]) -> NotebookNode:
    new = copy.deepcopy(cell)
    if new.cell_type == "code":
        new.outputs = []
        new.execution_count = None
    if "id" in new and new.id in taken:
        n = 1
        while f"{cell.id}-restored-{n}" in taken:
            n += 1
        new.id = f"{cell.id}-restored-{n}"
    return new


def strip_foreign(nb, release_ids: set[str]) -> list[Finding]:
    """Grading metadata that the release notebook does not have: the cell becomes ordinary."""
    found = []
    for cell in nb.cells:
        if "nbgrader" not in cell.get("metadata", {}):
            continue
        gid = grade_id(cell)
        if gid in release_ids:
            continue
        _strip(cell)
        found.append(finding("foreign-cell", grade_id=gid or "(none)"))
    return found


def drop_duplicates(nb) -> list[Finding]:
    """Keep the last cell of each grade id (as nbgrader does); earlier copies become ordinary cells."""
    counts = Counter(gid for gid in map(grade_id, nb.cells) if gid)
    found = []
    for gid, n in counts.items():
        if n < 2:
            continue
        copies = [cell for cell in nb.cells if grade_id(cell) == gid]
        for cell in copies[:-1]:
            _strip(cell)
        found.append(finding("duplicate-cell", grade_id=gid, count=n))
    return found


def _changes(cell, original) -> list[str]:
    changes = []
    if cell.cell_type != original.cell_type:
        changes.append(f"it was turned into a {cell.cell_type} cell")
    if cell.source != original.source:
        changes.append("its code was edited")
    if _nbgrader(cell) != _nbgrader(original):
        changes.append("its grading settings were changed")
    return changes


def restore_changed(nb, release: dict[str, NotebookNode]) -> list[Finding]:
    """Read-only cells go back to their release version; other graded cells get their settings back."""
    found = []
    taken = {c.get("id") for c in nb.cells}
    for index, cell in enumerate(nb.cells):
        gid = grade_id(cell)
        if gid is None:
            continue
        original = release[gid]
        locked = bool(_nbgrader(original).get("locked"))
        changes = _changes(cell, original) if locked else _changes_of_settings(cell, original)
        if not changes:
            continue
        if locked:
            taken.discard(cell.get("id"))
            nb.cells[index] = _fresh_copy(original, taken)
            taken.add(nb.cells[index].get("id"))
        else:
            cell.metadata["nbgrader"] = copy.deepcopy(_nbgrader(original))
        found.append(finding("edited-cell", grade_id=gid, what=describe_cell(original), change="; ".join(changes)))
    return found


def _changes_of_settings(cell, original) -> list[str]:
    return ["its grading settings were changed"] if _nbgrader(cell) != _nbgrader(original) else []


def _insert_at(nb, release_cells: list, position: int) -> int:
    """Where in ``nb`` the release cell at ``position`` belongs: after its nearest surviving predecessor."""
    where = {_key(c): i for i, c in enumerate(nb.cells)}
    for before in reversed(release_cells[:position]):
        if _key(before) in where:
            return where[_key(before)] + 1
    for after in release_cells[position + 1 :]:
        if _key(after) in where:
            return where[_key(after)]
    return len(nb.cells)


def restore_missing(nb, release_nb) -> list[Finding]:
    """Put back deleted read-only and test cells; report deleted answer cells (not put back)."""
    present = {gid for gid in map(grade_id, nb.cells) if gid}
    found = []
    for position, original in enumerate(release_nb.cells):
        gid = grade_id(original)
        if gid is None or gid in present:
            continue
        meta = _nbgrader(original)
        if not (meta.get("locked") or meta.get("grade")):
            # An answer cell: putting the blank one back could hide the student's own code.
            found.append(finding("missing-answer-cell", grade_id=gid))
            continue
        taken = {c.get("id") for c in nb.cells}
        nb.cells.insert(_insert_at(nb, release_nb.cells, position), _fresh_copy(original, taken))
        present.add(gid)
        found.append(finding("restored-cell", grade_id=gid, what=describe_cell(original)))
    return found


def repair(nb, release_nb) -> list[Finding]:
    """Make ``nb``'s graded cells match ``release_nb`` (in place); one finding per problem."""
    release = {gid: cell for cell in release_nb.cells if (gid := grade_id(cell))}
    found = strip_foreign(nb, set(release))
    found += drop_duplicates(nb)
    found += restore_changed(nb, release)
    found += restore_missing(nb, release_nb)
    return found
