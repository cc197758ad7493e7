"""The question pool of the practice exam: every self-check question of every bank.

Graded questions carry no answers, so they never enter an exam. A case study is one
*unit*: its sub-questions stay together, and each counts toward its own exam domain.
Items are plain, JSON-ready dicts so an attempt can keep a copy of what it asked::

    {"id": "sec-kms-1", "bank": "security", "domain": 3, "task": "3.2",
     "case": None | {"id": ..., "title": ..., "scenario": ...},
     "question": {...the bank's question, answer and explanations included...}}
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass

from course import bank


def exam_domain(q: dict) -> int:
    """The official exam domain (1-5): the first digit of the question's ``exam_task``."""
    return int(str(q["exam_task"]).split(".", 1)[0])


@dataclass(frozen=True)
class Unit:
    """A question, or a case study with its sub-questions, that an exam takes whole."""

    key: str
    items: tuple[dict, ...]

    @property
    def is_case(self) -> bool:
        return self.items[0]["case"] is not None

    def domain_counts(self) -> dict[int, int]:
        return self.counts("domain")

    def counts(self, key: str) -> dict:
        """How many of the unit's questions fall in each exam ``"domain"`` or ``"task"``."""
        out: dict = {}
        for item in self.items:
            out[item[key]] = out.get(item[key], 0) + 1
        return out


def load_banks() -> dict[str, dict]:
    """Every bank that loads; a broken bank is skipped with a warning (others still work)."""
    out = {}
    for name in bank.available():
        try:
            out[name] = bank.load(name)
        except bank.BankError as exc:
            warnings.warn(f"Skipping the {name} bank: {exc}", stacklevel=2)
    return out


def _item(name: str, q: dict, case: dict | None) -> dict:
    return {
        "id": q["id"],
        "bank": name,
        "domain": exam_domain(q),
        "task": str(q["exam_task"]),
        "case": None if case is None else {"id": case["id"], "title": case["title"], "scenario": case["scenario"]},
        "question": q,
    }


def units(banks: Mapping[str, dict] | None = None) -> list[Unit]:
    """All exam units, in bank order (banks sorted by name). Question ids repeated across
    banks are kept once (the first bank wins) so that no exam can show one twice."""
    banks = load_banks() if banks is None else banks
    seen: set[str] = set()
    out: list[Unit] = []
    for name in sorted(banks):
        for q in banks[name].get("questions", []):
            if q["type"] == "case_study":
                items = tuple(_item(name, sub, q) for sub in q["questions"] if sub["id"] not in seen)
                key = f"{name}/{q['id']}"
            else:
                items = (_item(name, q, None),) if q["id"] not in seen else ()
                key = f"{name}/{q['id']}"
            if not items:
                continue
            seen.update(i["id"] for i in items)
            out.append(Unit(key, items))
    return out


def items(banks: Mapping[str, dict] | None = None) -> list[dict]:
    """Every question of the pool, case sub-questions in place of their case."""
    return [item for unit in units(banks) for item in unit.items]


def domain_counts(all_units: list[Unit]) -> dict[int, int]:
    """How many questions the pool has per exam domain (sub-questions counted one by one)."""
    return counts(all_units, "domain")


def counts(all_units: list[Unit], key: str) -> dict:
    """How many questions the pool has per exam ``"domain"`` or ``"task"``."""
    out: dict = {}
    for unit in all_units:
        for k, n in unit.counts(key).items():
            out[k] = out.get(k, 0) + n
    return out
