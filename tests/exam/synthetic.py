"""Builders of synthetic, schema-valid banks, so the tests never depend on the real banks' sizes."""

from __future__ import annotations

WHY = "An explanation long enough for the schema."


def _opts(n: int) -> list[dict]:
    return [{"id": chr(ord("a") + k), "text": f"Option {k}", "why": WHY} for k in range(n)]


def _where(qid: str) -> dict:
    return {"notes_section": "Some notes section", "taught_in": f"syn#{qid}"}


def _tags(task: str) -> dict:
    return {
        "skills": [f"{task}.1"],
        "genai": True,
        "sources": ["https://docs.aws.amazon.com/bedrock/latest/userguide/what-is-bedrock.html"],
        "reviewed": "2026-12-07",
    }


def single(qid: str, task: str) -> dict:
    return {
        "id": qid,
        "type": "single",
        "exam_task": task,
        **_where(qid),
        **_tags(task),
        "stem": f"Stem {qid}",
        "options": _opts(4),
        "answer": "b",
    }


def multi(qid: str, task: str) -> dict:
    return {
        "id": qid,
        "type": "multi",
        "exam_task": task,
        **_where(qid),
        **_tags(task),
        "stem": f"Stem {qid}",
        "options": _opts(5),
        "answer": ["a", "c"],
    }


def ordering(qid: str, task: str) -> dict:
    return {
        "id": qid,
        "type": "ordering",
        "exam_task": task,
        **_where(qid),
        **_tags(task),
        "stem": f"Stem {qid}",
        "items": _opts(3),
        "answer": ["b", "a", "c"],
    }


def matching(qid: str, task: str) -> dict:
    prompts = [{"id": f"p{k}", "text": f"Prompt {k}", "why": WHY} for k in range(1, 4)]
    responses = [{"id": f"r{k}", "text": f"Response {k}", "why": WHY} for k in range(1, 5)]
    return {
        "id": qid,
        "type": "matching",
        "exam_task": task,
        **_where(qid),
        **_tags(task),
        "stem": f"Stem {qid}",
        "prompts": prompts,
        "responses": responses,
        "answer": {"p1": "r1", "p2": "r2", "p3": "r3"},
    }


def case(cid: str, tasks: list[str]) -> dict:
    return {
        "id": cid,
        "type": "case_study",
        "title": f"Case {cid}",
        "scenario": "A scenario that is long enough to satisfy the schema's minimum length for case studies, surely.",
        "questions": [single(f"{cid}-{k + 1}", t) for k, t in enumerate(tasks)],
    }


MAKERS = (single, multi, ordering, matching)


def make_bank(
    name: str, per_domain: dict[int, int], cases: list[list[str]] = (), tasks: dict[int, list[str]] | None = None
) -> dict:
    """A valid bank with ``per_domain[d]`` standalone questions of mixed formats per exam
    domain (in task d.1, or spread in turn over ``tasks[d]``), plus one case study per entry
    of ``cases`` (the sub-questions' exam tasks)."""
    questions = []
    for d, n in per_domain.items():
        cycle = (tasks or {}).get(d) or [f"{d}.1"]
        for k in range(n):
            questions.append(MAKERS[k % 4](f"{name}-d{d}-{k}", cycle[k % len(cycle)]))
    for k, tasks in enumerate(cases):
        questions.append(case(f"{name}-case{k}", tasks))
    return {
        "domain": name,
        "title": f"Bank {name}",
        "notebook": f"{name}/{name}.ipynb",
        "questions": questions,
        "graded": [
            {
                "id": f"{name}-g1",
                "type": "single",
                "exam_task": "1.1",
                **_where("g1"),
                **_tags("1.1"),
                "stem": "Graded",
                "options": [{"id": o["id"], "text": o["text"]} for o in _opts(4)],
            }
        ],
    }
