"""Practice-exam settings, read from ``course/data/exam.yaml`` (defaults built in)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from importlib import resources

DEFAULT_WEIGHTS = {1: 31, 2: 26, 3: 20, 4: 12, 5: 11}
DEFAULT_NAMES = {
    1: "Foundation Model Integration, Data Management, and Compliance",
    2: "Implementation and Integration",
    3: "AI Safety, Security, and Governance",
    4: "Operational Efficiency and Optimization for GenAI Applications",
    5: "Testing, Validation, and Troubleshooting",
}


@dataclass(frozen=True)
class Settings:
    duration_minutes: float = 180
    scored_questions: int = 65
    unscored_questions: int = 10
    domain_weights: dict[int, int] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    domain_names: dict[int, str] = field(default_factory=lambda: dict(DEFAULT_NAMES))
    passing_score: int = 750
    scale_anchors: tuple[tuple[Fraction, int], ...] = (
        (Fraction(0), 100),
        (Fraction(72, 100), 750),
        (Fraction(1), 1000),
    )
    recent_attempts: int = 3

    @property
    def total_questions(self) -> int:
        return self.scored_questions + self.unscored_questions

    def with_(self, **changes) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def load() -> Settings:
    """The settings in ``course/data/exam.yaml``; missing keys keep their defaults."""

    from course import yamlio

    path = resources.files("course.data").joinpath("exam.yaml")
    data = yamlio.load(path.read_text("utf-8")) if path.is_file() else None
    if not isinstance(data, dict):
        return Settings()
    values: dict = {}
    for key in ("duration_minutes", "passing_score"):
        if key in data:
            values[key] = data[key]
    for key in ("scored_questions", "unscored_questions", "recent_attempts"):
        if key in data:
            values[key] = int(data[key])
    if "domain_weights" in data:
        values["domain_weights"] = {int(k): int(v) for k, v in data["domain_weights"].items()}
    if "domain_names" in data:
        values["domain_names"] = {int(k): str(v) for k, v in data["domain_names"].items()}
    if "scale_anchors" in data:
        values["scale_anchors"] = tuple((Fraction(str(p)), int(s)) for p, s in data["scale_anchors"])
    return Settings(**values)
