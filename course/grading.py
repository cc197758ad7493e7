"""What the graded-quiz test cells call. Visible part: was it answered? Hidden: is it right?"""

from __future__ import annotations

from typing import Any

from course import answers, scoring
from course.checks import fail


def _question(qid: str) -> dict:
    from course import bank

    for name in bank.available():
        # Parse and validate only the banks whose text names the question (a graded kernel
        # otherwise pays for every bank of the course at its first quiz cell).
        if not bank.mentions(name, qid):
            continue
        for q in bank.load(name).get("graded", []):
            if q["id"] == qid:
                return q
    raise bank.BankError(f"No bank has a graded question {qid!r} (looked in: {', '.join(bank.available())}).")


def _saved(qid: str) -> Any:
    saved = answers.read()
    if saved.problem:
        fail(
            f"Graded question {qid}: no usable answer was found.",
            expected=f"your saved answers in {answers.FILENAME}, beside this notebook",
            found=saved.problem,
            hint="answer the graded quiz again (each click saves), then save the notebook and resubmit",
        )
    return saved.responses.get(qid)


def require_answer(qid: str) -> None:
    """Fail unless the learner has given a complete answer to graded question ``qid``."""
    q = _question(qid)
    response = _saved(qid)
    if response is None:
        fail(
            f"Graded question {qid} has no saved answer.",
            expected="an answer chosen in the graded quiz above",
            found=f"nothing recorded in {answers.FILENAME}",
            hint="run the graded-quiz cell, choose your answer (it saves at once), then run this cell again",
        )
    if not scoring.is_complete(q, response):
        fail(
            f"Graded question {qid} is only partly answered.",
            expected="every item placed / every prompt paired / at least one option chosen",
            found=repr(response),
            hint="finish the question in the graded quiz above",
        )


def check_answer(qid: str, answer: Any, why: dict[str, str] | None = None) -> None:
    """Fail unless the saved answer equals ``answer`` (all or nothing, as on the exam).

    The message goes into the student's feedback, so it never gives the key away: it explains
    only the options the student chose that are not in the key (single and multiple
    response; an ordering or a matching has no such option) and names the section to
    review. The key itself reaches students only with ``StudentFeedback.reveal_answers``
    (``course.classroom.feedback``)."""
    q = _question(qid)
    response = _saved(qid)
    if scoring.is_correct(q, response, answer):
        return
    from course import bank

    texts = {c["id"]: c["text"] for c in bank.choices(q)}
    explanation = ""
    if why and q["type"] in ("single", "multi"):
        chosen = [response] if isinstance(response, str) else list(response or [])
        right = {answer} if isinstance(answer, str) else set(answer)
        notes = [f"{texts.get(k, k)}: {why[k]}" for k in chosen if k in why and k not in right]
        explanation = " ".join(notes)
    fail(
        f"Graded question {qid} is not correct. It is taught in {q['taught_in']}.",
        found=repr(response),
        hint=explanation or "review the section named above",
    )
