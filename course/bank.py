"""Question banks: load a domain's YAML file and check it against the schema.

Banks are data (``course/banks/<domain>.yaml``); this module only reads and checks
them. Graded questions in a bank carry no answers: their key lives with the
instructor's source notebook (see :func:`validate_key`).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from functools import cache, lru_cache
from importlib import resources
from typing import Any

FORMATS = ("single", "multi", "ordering", "matching", "case_study")
# Blueprint tags and sourcing every question carries (skills, GenAI or background knowledge,
# supporting documentation, date last checked), and the two of them every graded key entry
# carries. TAGS_REQUIRED is the switch: while banks are still being tagged the fields are
# optional (tests/test_banks.py lists the banks not converted yet); set it to True once every
# bank and key has them, and the schema then requires them everywhere.
TAG_FIELDS = ("skills", "genai", "sources", "reviewed")
KEY_TAG_FIELDS = ("sources", "reviewed")
TAGS_REQUIRED = True
_QUESTION_DEFS = ("single", "multi", "ordering", "matching", "graded_question")


class BankError(ValueError):
    """A bank file is missing, unreadable or breaks the schema."""


def _read_yaml(text: str, origin: str) -> Any:
    import yaml

    from course import yamlio

    try:
        return yamlio.load(text)
    except yaml.YAMLError as exc:
        raise BankError(f"{origin} is not valid YAML: {exc}") from exc


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(resources.files("course.banks").joinpath("schema.json").read_text("utf-8"))


def effective_schema(tags_required: bool | None = None) -> dict:
    """The schema with the tag fields required on every question when the switch is on."""
    required = TAGS_REQUIRED if tags_required is None else tags_required
    if not required:
        return schema()
    out = copy.deepcopy(schema())
    for name in _QUESTION_DEFS:
        rule = out["$defs"][name]
        rule["required"] = [*rule["required"], *(f for f in TAG_FIELDS if f not in rule["required"])]
    return out


@lru_cache(maxsize=2)
def _compiled_schema(tags_required: bool):
    # fastjsonschema compiles the schema to Python once; importing jsonschema instead
    # costs seconds in a fresh kernel, paid at the first quiz of every notebook.
    import fastjsonschema

    return fastjsonschema.compile(effective_schema(tags_required))


def available() -> list[str]:
    """Domains that have a bank file."""
    return sorted(
        p.name.removesuffix(".yaml") for p in resources.files("course.banks").iterdir() if p.name.endswith(".yaml")
    )


def mentions(domain: str, text: str) -> bool:
    """Whether ``domain``'s bank file contains ``text`` (without parsing it); True if unreadable."""
    try:
        return text in resources.files("course.banks").joinpath(f"{domain}.yaml").read_text("utf-8")
    except OSError:
        return True  # let load() report the problem


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
        _compiled_schema(bool(TAGS_REQUIRED))(data)
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
    for q in iter_all(data):
        problems.extend(f"{q['id']}: {p}" for p in skill_problems(q))
    return problems


def skill_problems(q: dict) -> list[str]:
    """Skills that are not in the blueprint, and an ``exam_task`` that is not the first skill's task."""
    skills = q.get("skills")
    if not skills:
        return []
    from course import blueprint

    known = blueprint.skill_ids()
    out = [f"skill {s!r} is not in course/data/blueprint.yaml" for s in skills if s not in known]
    task = blueprint.task_of(skills[0])
    if q["type"] != "case_study" and q.get("exam_task") != task:
        out.append(
            f"exam_task is {q.get('exam_task')!r} but the first skill, {skills[0]}, belongs to task {task}: "
            "put first the skill the decisive constraint tests and make exam_task its task"
        )
    return out


def missing_tags(q: dict, fields: tuple[str, ...] = TAG_FIELDS) -> list[str]:
    """Which of the tag fields a question (or a graded key entry) still lacks."""
    return [f for f in fields if f not in q]


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


def _key_tag_problems(entry: dict) -> list[str]:
    out = []
    if TAGS_REQUIRED:
        out += [f"the key entry needs {f!r}" for f in missing_tags(entry, KEY_TAG_FIELDS)]
    sources = entry.get("sources", ["https://"])
    if (
        not isinstance(sources, list)
        or not sources
        or not all(isinstance(u, str) and u.startswith("https://") for u in sources)
    ):
        out.append("'sources' is a list of one or more https:// documentation pages")
    if "reviewed" in entry and not re.fullmatch(r"20[0-9]{2}-[01][0-9]-[0-3][0-9]", str(entry["reviewed"])):
        out.append("'reviewed' is a date written YYYY-MM-DD (in quotes)")
    return out


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
        if not isinstance(entry, dict) or not {"answer", "why"} <= set(entry) <= {"answer", "why", *KEY_TAG_FIELDS}:
            problems.append(f"{qid}: a key entry has 'answer' and 'why', and may have {', '.join(KEY_TAG_FIELDS)}")
            continue
        problems.extend(f"{qid}: {p}" for p in _key_tag_problems(entry))
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
