"""The nbgrader configuration a course sees: the same files ``nbgrader`` itself would load."""

from __future__ import annotations

from pathlib import Path

CONFIG_NAME = "nbgrader_config.py"


def config_files(course_root: Path) -> list[Path]:
    """nbgrader_config.py files in Jupyter's config path (lowest priority first), then the course's."""
    from jupyter_core.paths import jupyter_config_path

    found = [Path(d) / CONFIG_NAME for d in reversed(jupyter_config_path())]
    found.append(course_root / CONFIG_NAME)
    seen: list[Path] = []
    for path in found:
        if path.is_file() and path.resolve() not in seen:
            seen.append(path.resolve())
    return seen


def load(course_root: Path, extra: list[Path] | None = None):
    """Merge the config files (later ones win), as nbgrader's command-line tools do."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    for path in [*config_files(course_root), *(extra or [])]:
        config.merge(PyFileConfigLoader(path.name, path=str(path.parent)).load_config())
    return config


def course_id(config) -> str:
    """The course id nbgrader's tools would use (an empty string when none is configured)."""
    return config.get("CourseDirectory", {}).get("course_id", "")
