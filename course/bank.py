"""Question banks: load a domain's YAML file and check it against the schema.

Banks are data (``course/banks/<domain>.yaml``); this module only reads and checks
them. Graded questions in a bank carry no answers: their key lives with the
instructor's source notebook (see :func:`validate_key`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache, lru_cache
from importlib import resources
from typing import Any

FORMATS = ("single", "multi", "ordering", "matching", "case_study")


class BankError(ValueError):
    """A bank file is missing, unreadable or breaks the schema."""


def _read_yaml(text: str, origin: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise BankError(f"{origin} is not valid YAML: {exc}") from exc


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(resources.files("course.banks").joinpath("schema.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def _compiled_schema():
    # fastjsonschema compiles the schema to Python once; importing jsonschema instead
    # costs seconds in a fresh kernel, paid at the first quiz of every notebook.
    import fastjsonschema

    return fastjsonschema.compile(schema())


def available() -> list[str]:
    """Domains that have a bank file."""
    return sorted(
        p.name.removesuffix(".yaml") for p in resources.files("course.banks").iterdir() if p.name.endswith(".yaml")
    )


@cache
def load(domain: str) -> dict:
    """The validated bank of ``domain`` (cached: banks do not change while a kernel runs)."""
    path = resources.files("course.banks").joinpath(f"{domain}.yaml")
    if not path.is_file():
        raise BankError(f"There is no question bank for domain {domain!r}. Known domains: {', '.join(available())}")
    data = _read_yaml(path.read_text("utf-8"), f"course/banks/{domain}.yaml")
    problems = validate(data)
    if problems:
        raise BankError(f"course/banks/{domain}.yaml has {len(problems)} problem(s):\n  " + "\n  ".join(problems))
    return data


def validate(data: Any) -> list[str]:
    """Every problem with a bank: schema violations first, then cross-field rules."""
    from fastjsonschema import JsonSchemaValueException

    try:
        _compiled_schema()(data)
    except JsonSchemaValueException as exc:
        return [f"{exc.message} (schema rule: {exc.rule})"]
    problems: list[str] = []
    seen: set[str] = set()
    for q in iter_all(data):
        if q["id"] in seen:
            problems.append(f"{q['id']}: duplicate question id")
        seen.add(q["id"])
    for q in iter_questions(data):
        problems.extend(f"{q['id']}: {p}" for p in answer_problems(q, q["answer"]))
    for q in data.get("graded", []):
        problems.extend(f"{q['id']}: {p}" for p in _graded_shape_problems(q))
    return problems


def choices(q: dict) -> list[dict]:
    """The options a learner picks from (options, items, or prompts + responses)."""
    if q["type"] in ("single", "multi"):
        return q.get("options", [])
    if q["type"] == "ordering":
        return q.get("items", [])
    return q.get("prompts", []) + q.get("responses", [])


def answer_problems(q: dict, answer: Any) -> list[str]:
    """Why ``answer`` is not a well-formed answer to ``q`` (empty list when it is)."""
    kind = q["type"]
    ids = [c["id"] for c in choices(q)]
    if len(ids) != len(set(ids)):
        return ["option ids repeat"]
    if kind == "single":
        return [] if answer in ids else [f"answer {answer!r} is not an option id"]
    if kind == "multi":
        if not isinstance(answer, list) or len(answer) < 2:
            return ["a multiple-response answer lists two or more option ids"]
        missing = [a for a in answer if a not in ids]
        if missing:
            return [f"answer ids {missing} are not options"]
        return [] if len(set(answer)) < len(ids) else ["every option is correct: add a wrong one"]
    if kind == "ordering":
        return [] if sorted(answer or []) == sorted(ids) else ["the answer must list every item id exactly once"]
    if kind == "matching":
        prompts = {p["id"] for p in q.get("prompts", [])}
        responses = {r["id"] for r in q.get("responses", [])}
        if not isinstance(answer, dict) or set(answer) != prompts:
            return ["the answer must pair every prompt id exactly once"]
        bad = [r for r in answer.values() if r not in responses]
        return [f"answer pairs with unknown response ids {bad}"] if bad else []
    return [f"unknown question type {kind!r}"]


def _graded_shape_problems(q: dict) -> list[str]:
    need = {"single": ["options"], "multi": ["options"], "ordering": ["items"], "matching": ["prompts", "responses"]}
    fields = need[q["type"]]
    extra = {"options", "items", "prompts", "responses"} - set(fields)
    problems = [f"a {q['type']} question needs {f!r}" for f in fields if f not in q]
    problems += [f"a {q['type']} question has no {f!r}" for f in sorted(extra) if f in q]
    if q["type"] == "multi":
        if len(q.get("options", [])) < 5:
            problems.append("a multiple-response question has five or more options")
        if "choose" not in q:
            problems.append("a graded multiple-response question says how many to pick ('choose')")
    elif "choose" in q:
        problems.append("only a multiple-response question has 'choose'")
    return problems


def iter_questions(data: dict) -> Iterator[dict]:
    """Self-check questions, with case-study sub-questions in place of their case."""
    for q in data["questions"]:
        if q["type"] == "case_study":
            yield from q["questions"]
        else:
            yield q


def iter_all(data: dict) -> Iterator[dict]:
    """Every question id-bearing entry: cases, their sub-questions, graded questions."""
    for q in data["questions"]:
        yield q
        if q["type"] == "case_study":
            yield from q["questions"]
    yield from data.get("graded", [])


def graded_question(domain: str, qid: str) -> dict:
    for q in load(domain).get("graded", []):
        if q["id"] == qid:
            return q
    raise BankError(f"The {domain} bank has no graded question {qid!r}.")


def validate_key(data: dict, key: Any) -> list[str]:
    """Problems with a graded-quiz key (``source/<domain>/graded_key.yaml``) for bank ``data``."""
    graded = {q["id"]: q for q in data.get("graded", [])}
    if not isinstance(key, dict):
        return ["the key file must map question ids to {answer, why}"]
    problems = [f"{qid}: graded question has no key" for qid in graded if qid not in key]
    problems += [f"{qid}: key for a question the bank does not have" for qid in key if qid not in graded]
    for qid, entry in key.items():
        q = graded.get(qid)
        if q is None:
            continue
        if not isinstance(entry, dict) or set(entry) != {"answer", "why"}:
            problems.append(f"{qid}: a key entry has exactly 'answer' and 'why'")
            continue
        problems.extend(f"{qid}: {p}" for p in answer_problems(q, entry["answer"]))
        if q["type"] == "multi" and isinstance(entry["answer"], list) and len(entry["answer"]) != q.get("choose"):
            problems.append(
                f"{qid}: the answer has {len(entry['answer'])} options but the question says choose {q.get('choose')}"
            )
        ids = {c["id"] for c in choices(q)}
        why = entry["why"] if isinstance(entry["why"], dict) else {}
        missing = sorted(ids - set(why))
        if missing:
            problems.append(f"{qid}: no explanation for {missing}")
        short = sorted(k for k, v in why.items() if not isinstance(v, str) or len(v) < 15)
        if short:
            problems.append(f"{qid}: explanations too short for {short}")
    return problems
