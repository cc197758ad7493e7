"""The order in which a learner sees a question's choices.

Options (single and multiple response), items (ordering) and responses (matching) are shown
in an order drawn from a seed, so that the position and letter of a key teach nothing:

- self-checks, practice mode, reviews and the graded quiz: the learner's id (kept in
  ``$AIP_COURSE_HOME/learner.json``, created on first use) and the question id, so the order
  is the same after a kernel restart and differs between learners;
- the practice exam: the attempt id (saved in the attempt) and the question id.

Only the display changes: answers are stored as choice ids, so grading, saved answers and the
banks are unaffected. Letters in feedback follow the displayed order because the feedback is
rendered from the same displayed copy of the question. Matching prompts keep their order
(they are numbered); an ordering question is never shown already in its answer's order, nor a
matching question with its keyed responses in the prompts' order.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from functools import cache
from typing import Any

from course import jsonstore as store
from course import progress

LEARNER_FILE = "learner.json"
_TRIES = 12


@cache
def _learner_id(home: str) -> str:
    path = progress.home() / LEARNER_FILE
    loaded = store.read_json(path, "learner id", lambda d: isinstance(d, dict) and isinstance(d.get("id"), str))
    if loaded.data is not None:
        return loaded.data["id"]
    new = uuid.uuid4().hex
    try:
        store.write_json(path, {"id": new})
    except OSError:
        # A read-only home: an order that is stable for this folder is better than none.
        return f"home:{home}"
    return new


def learner_id() -> str:
    """This learner's id (created on first use); it seeds the order of self-check and graded choices."""
    return _learner_id(str(progress.home()))


def seed(owner: str, qid: str) -> str:
    """The seed of question ``qid`` for ``owner`` (a learner id or a practice-exam attempt id)."""
    return f"{owner}:{qid}"


def learner_seed(qid: str) -> str:
    return seed(learner_id(), qid)


def attempt_seed(attempt_id: str, qid: str) -> str:
    return seed(attempt_id, qid)


def order(ids: list[str], seed_text: str, avoid: Callable[[list[str]], bool] = lambda _o: False) -> list[str]:
    """``ids`` in the order drawn from ``seed_text``; a few more draws if the first one is to be avoided."""
    rng = random.Random(seed_text)  # a str seed is hashed with SHA-512: stable across runs and machines
    out = list(ids)
    for _ in range(_TRIES):
        rng.shuffle(out)
        if not avoid(out):
            break
    return out


def _reorder(choices: list[dict], ids: list[str]) -> list[dict]:
    by_id = {c["id"]: c for c in choices}
    return [by_id[i] for i in ids]


def displayed(q: dict, seed_text: str) -> dict:
    """A shallow copy of question ``q`` with its choices in display order (``q`` is not changed)."""
    kind = q.get("type")
    out: dict[str, Any] = dict(q)
    if kind in ("single", "multi") and q.get("options"):
        out["options"] = _reorder(q["options"], order([o["id"] for o in q["options"]], seed_text))
    elif kind == "ordering" and q.get("items"):
        answer = list(q["answer"]) if isinstance(q.get("answer"), list) else None
        ids = order([i["id"] for i in q["items"]], seed_text, lambda o: o == answer)
        out["items"] = _reorder(q["items"], ids)
    elif kind == "matching" and q.get("responses"):
        answer = q.get("answer") if isinstance(q.get("answer"), dict) else None

        def in_prompt_order(ids: list[str]) -> bool:
            if answer is None or len(q.get("prompts", [])) < 2:
                return False
            where = {r: n for n, r in enumerate(ids)}
            placed = [where.get(answer.get(p["id"]), -1) for p in q["prompts"]]
            return all(a < b for a, b in zip(placed, placed[1:]))

        ids = order([r["id"] for r in q["responses"]], seed_text, in_prompt_order)
        out["responses"] = _reorder(q["responses"], ids)
    return out


def for_learner(q: dict) -> dict:
    """``q`` as this learner sees it in self-checks, practice mode, reviews and the graded quiz."""
    return displayed(q, learner_seed(q["id"]))


def for_attempt(q: dict, attempt_id: str) -> dict:
    """``q`` as shown in the practice-exam attempt ``attempt_id``."""
    return displayed(q, attempt_seed(attempt_id, q["id"]))
