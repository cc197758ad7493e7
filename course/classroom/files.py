"""Folders as ``{relative posix path: bytes}`` maps, so a course can travel to a remote worker."""

from __future__ import annotations

import shutil
from fnmatch import fnmatch
from pathlib import Path

Tree = dict[str, bytes]


def read_tree(folder: Path, ignore: tuple[str, ...] = ()) -> Tree:
    """Every file under ``folder`` (skipping names that match an ``ignore`` pattern)."""
    out: Tree = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(fnmatch(part, pat) for part in rel.parts for pat in ignore):
            continue
        if path.is_file():
            out[rel.as_posix()] = path.read_bytes()
    return out


def write_tree(folder: Path, tree: Tree, replace: bool = False) -> None:
    """Write ``tree`` under ``folder``; with ``replace``, empty the folder first."""
    if replace and folder.exists():
        shutil.rmtree(folder)
    for rel, data in tree.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
