"""Where the course's parts live, for the tests (one place, so tests agree)."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
NOTES = ROOT.parent / "shared" / "notes"


def assignments() -> list[str]:
    return sorted(p.parent.name for p in (ROOT / "source").glob("*/*.py") if p.stem == p.parent.name)


def source_notebook(name: str) -> Path:
    return ROOT / "source" / name / f"{name}.ipynb"


def release_notebook(name: str) -> Path:
    return ROOT / "release" / name / f"{name}.ipynb"


def graded_key(name: str) -> dict:
    path = ROOT / "source" / name / "graded_key.yaml"
    return yaml.safe_load(path.read_text()) if path.exists() else {}


def notes_index() -> dict:
    return yaml.safe_load((ROOT / "course" / "data" / "notes_index.yaml").read_text())


def coverage() -> dict[str, dict]:
    """Each built domain's map from notes sections to notebook anchors, by domain."""
    folder = ROOT / "course" / "data" / "coverage"
    return {p.stem: yaml.safe_load(p.read_text()) for p in sorted(folder.glob("*.yaml"))}
