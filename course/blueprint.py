"""The AIP-C01 blueprint (``course/data/blueprint.yaml``): domains, task statements, skills.

Read-only lookups for the banks' validation, the practice exam's draw by task statement
and the coverage report. The file is checked against ``course/data/blueprint.schema.json``
and against its own numbering (a skill's id starts with its task's id, a task's with its
domain's) when it is loaded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


class BlueprintError(ValueError):
    """The blueprint file is missing, unreadable or inconsistent."""


@dataclass(frozen=True)
class Skill:
    id: str
    text: str
    services: tuple[str, ...]

    @property
    def task(self) -> str:
        return task_of(self.id)


@dataclass(frozen=True)
class Task:
    id: str
    title: str
    skills: tuple[Skill, ...]

    @property
    def domain(self) -> int:
        return int(self.id.split(".", 1)[0])


@dataclass(frozen=True)
class Domain:
    id: int
    name: str
    weight: int
    tasks: tuple[Task, ...]


@dataclass(frozen=True)
class Blueprint:
    source: str
    domains: tuple[Domain, ...]
    pending: dict[str, dict]

    @property
    def tasks(self) -> tuple[Task, ...]:
        return tuple(t for d in self.domains for t in d.tasks)

    @property
    def skills(self) -> tuple[Skill, ...]:
        return tuple(s for t in self.tasks for s in t.skills)

    def skill(self, skill_id: str) -> Skill:
        for s in self.skills:
            if s.id == skill_id:
                return s
        raise KeyError(skill_id)

    def task(self, task_id: str) -> Task:
        for t in self.tasks:
            if t.id == task_id:
                return t
        raise KeyError(task_id)

    def domain(self, domain_id: int) -> Domain:
        for d in self.domains:
            if d.id == domain_id:
                return d
        raise KeyError(domain_id)

    def task_weights(self, domain_id: int) -> dict[str, int]:
        """Each task of a domain weighted by its number of skills (the practice exam's draw)."""
        return {t.id: len(t.skills) for t in self.domain(domain_id).tasks}


def task_of(skill_id: str) -> str:
    """``"1.2.3"`` -> ``"1.2"``."""
    return skill_id.rsplit(".", 1)[0]


def _schema() -> dict:
    return json.loads(resources.files("course.data").joinpath("blueprint.schema.json").read_text("utf-8"))


def problems(data: Any) -> list[str]:
    """Every problem with blueprint data: schema violations first, then numbering rules."""
    import fastjsonschema

    try:
        fastjsonschema.compile(_schema())(data)
    except fastjsonschema.JsonSchemaValueException as exc:
        return [f"{exc.message} (schema rule: {exc.rule})"]
    out: list[str] = []
    seen: set[str] = set()
    for d in data["domains"]:
        for t in d["tasks"]:
            if not t["id"].startswith(f"{d['id']}."):
                out.append(f"task {t['id']} is listed under domain {d['id']}")
            for s in t["skills"]:
                if task_of(s["id"]) != t["id"]:
                    out.append(f"skill {s['id']} is listed under task {t['id']}")
                if s["id"] in seen:
                    out.append(f"skill {s['id']} is listed twice")
                seen.add(s["id"])
    out += [f"pending skill {k} is not in the blueprint" for k in sorted(data.get("pending") or {}) if k not in seen]
    return out


def parse(data: dict) -> Blueprint:
    return Blueprint(
        source=data["source"],
        domains=tuple(
            Domain(
                id=d["id"],
                name=d["name"],
                weight=d["weight"],
                tasks=tuple(
                    Task(
                        id=t["id"],
                        title=t["title"],
                        skills=tuple(Skill(s["id"], s["text"], tuple(s["services"])) for s in t["skills"]),
                    )
                    for t in d["tasks"]
                ),
            )
            for d in data["domains"]
        ),
        pending=dict(data.get("pending") or {}),
    )


@cache
def load() -> Blueprint:
    """The validated blueprint (cached: it does not change while a kernel runs)."""
    import yaml

    from course import yamlio

    path = resources.files("course.data").joinpath("blueprint.yaml")
    try:
        data = yamlio.load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise BlueprintError(f"course/data/blueprint.yaml cannot be read: {exc}") from exc
    found = problems(data)
    if found:
        raise BlueprintError("course/data/blueprint.yaml has problems:\n  " + "\n  ".join(found))
    return parse(data)


@cache
def skill_ids() -> frozenset[str]:
    return frozenset(s.id for s in load().skills)
