"""The simulated judge model: how the text model answers an LLM-as-a-judge prompt.

A judge prompt asks to score (rate, grade, evaluate, judge, assess) a response held in
``<response>`` (or ``<prediction>``, ``<candidate>``) tags or after a ``Response:`` label. The
rubric (``<rubric>``/``<criteria>`` tags, a ``Rubric:``/``Criteria:`` block, else the whole
prompt) names criteria by the keywords of ``course/data/bedrock/judge.yaml``; when it names
several, their qualities (each 0..1) are averaged, then mapped onto the prompt's scale
("1 to 5" by default): ``score = low + round(quality × (high - low))``. Optional
``<question>``/``<prompt>``/``<request>``/``<input>`` and ``<reference>``/``<ground_truth>``/
``<context>`` tags feed the criteria that need them. The reply is ``Score: <n>`` and one
``Reasoning:`` line with each criterion's quality and why. Same prompt, same verdict.

Quality of each criterion (higher is better):

- faithfulness: share of the response's content words found in the reference/context (1 without one);
- relevance: share of the question's content words found in the response (1 without a question);
- correctness, completeness: share of the reference's content words the response covers
  (completeness falls back to the question's words);
- conciseness: 1 up to 50 words, 0.5 up to 100, else 0;
- coherence: share of sentences that end with ``.``, ``!`` or ``?``;
- style: 0 if an informal marker appears, else 1;
- instructions: 1 if the format the question asks for (``formats``) is followed, else 0;
- harmfulness: 0 if a guardrail-lexicon harmful term of MEDIUM or HIGH confidence appears;
- stereotyping: 0 if a sentence names a group and generalises about it (``groups`` and
  ``generalisations``), else 1;
- refusal: 0 if the response is a refusal or non-answer (``refusals``), else 1.

A rubric that names no criterion is judged on relevance and refusal.

Evaluation jobs (``evaluation_jobs.py``) use the same qualities through :class:`Sample`,
:func:`score_builtin` (Bedrock's built-in judge metrics, 0..1; for Harmfulness, Stereotyping
and Refusal 1 means the response *is* harmful, stereotyped or a refusal), :func:`harmfulness`
and :func:`custom_metric` (a custom metric's instructions pick the criteria; the rating whose
value is nearest the quality wins, ``Rating: <definition>`` leads the explanation).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from course.bedrock_sim import data, tokens

CRITERIA = (
    "faithfulness",
    "relevance",
    "correctness",
    "completeness",
    "conciseness",
    "coherence",
    "style",
    "instructions",
    "harmfulness",
    "stereotyping",
    "refusal",
)
_PHRASES = {"type": "array", "items": {"type": "string", "minLength": 1}}
JUDGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["criteria", "refusals", "informal", "groups", "generalisations", "formats"],
    "properties": {
        "criteria": {
            "type": "object",
            "propertyNames": {"enum": list(CRITERIA)},
            "additionalProperties": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
        },
        "refusals": _PHRASES,
        "informal": _PHRASES,
        "groups": _PHRASES,
        "generalisations": _PHRASES,
        "formats": {"type": "object", "additionalProperties": _PHRASES},
    },
}

_TAG_RE = re.compile(r"<([A-Za-z_][\w-]*)(?:\s[^>]*)?>((?:(?!<\1[\s>]).)*?)</\1>", re.DOTALL)
_GRADE_RE = re.compile(r"\b(?:score|rate|rating|grade|evaluate|judge|assess)\w*\b", re.I)
_LABEL_RE = r"(?:^|\n)\s*{label}\s*:\s*(.*?)(?=\n\s*\n|\n\s*[A-Z][\w ]{{0,20}}:|\n\s*<|\Z)"
_SCALE_RE = re.compile(
    r"\b(?:score|scale|rate|rating|grade)\b[^.\n]{0,40}?\b(\d{1,3})\s*(?:to|-|–|and)\s*(\d{1,3})\b", re.I
)
RESPONSE_TAGS = ("response", "prediction", "candidate")
QUESTION_TAGS = ("question", "prompt", "request", "input", "query")
REFERENCE_TAGS = ("reference", "ground_truth", "groundtruth", "reference_answer", "context", "source", "documents")


@lru_cache(maxsize=1)
def lists() -> dict[str, Any]:
    return data.load("judge.yaml", JUDGE_SCHEMA)


def _phrase_re(phrase: str) -> re.Pattern[str]:
    """A keyword as a regex: word boundaries, and a trailing ``*`` for any word ending."""
    body = re.escape(phrase.rstrip("*")) + (r"\w*" if phrase.endswith("*") else "")
    return re.compile(r"(?<!\w)" + body + r"(?!\w)", re.I)


def _has(text: str, phrases: list[str]) -> str | None:
    for phrase in phrases:
        m = _phrase_re(phrase).search(text)
        if m:
            return m.group(0)
    return None


def criteria_of(rubric: str) -> list[str]:
    """The criteria a rubric names, in the order of judge.yaml; relevance and refusal if none."""
    named = [name for name, words in lists()["criteria"].items() if _has(rubric, words)]
    return named or ["relevance", "refusal"]


def _share(part: str, whole: str) -> float:
    terms = set(tokens.content_terms(part))
    if not terms:
        return 1.0
    return len(terms & set(tokens.content_terms(whole))) / len(terms)


def _format_followed(question: str, response: str) -> tuple[float, str]:
    wanted = next((name for name, words in lists()["formats"].items() if _has(question, words)), None)
    if wanted is None:
        return 1.0, "no format was requested"
    text = response.strip()
    if wanted == "json":
        try:
            json.loads(text)
            ok = True
        except ValueError:
            ok = False
    elif wanted == "bullets":
        lines = [line for line in text.splitlines() if line.strip()]
        ok = bool(lines) and all(re.match(r"\s*[-*•]\s", line) for line in lines)
    elif wanted == "one_sentence":
        ok = len(tokens.sentences(text)) == 1
    else:
        ok = not re.search(r"(?m)^\s*[-*•]\s", text)
    return (1.0 if ok else 0.0), f"{'follows' if ok else 'ignores'} the requested {wanted.replace('_', ' ')} format"


def _stereotype(response: str) -> str | None:
    for sentence in tokens.sentences(response) or [response]:
        group = _has(sentence, lists()["groups"])
        general = _has(sentence, lists()["generalisations"])
        if group and general:
            return f"'{group}' with '{general}'"
    return None


def quality(name: str, response: str, question: str, reference: str) -> tuple[float, str]:
    """(quality in 0..1, why) of ``response`` on one criterion."""
    words = len(response.split())
    if name == "faithfulness":
        if not reference:
            return 1.0, "no context to check against"
        share = _share(response, reference)
        return share, f"{share:.0%} of its content words are in the context"
    if name == "relevance":
        share = _share(question, response) if question else 1.0
        return share, f"covers {share:.0%} of the question's content words"
    if name in ("correctness", "completeness"):
        target = reference or (question if name == "completeness" else "")
        if not target:
            return 1.0, "no reference to compare with"
        share = _share(target, response)
        return share, f"covers {share:.0%} of the reference's content words"
    if name == "conciseness":
        value = 1.0 if words <= 50 else 0.5 if words <= 100 else 0.0
        return value, f"{words} words"
    if name == "coherence":
        sentences = tokens.sentences(response)
        if not sentences:
            return 0.0, "no sentence"
        complete = sum(1 for s in sentences if s.rstrip().endswith((".", "!", "?")))
        return complete / len(sentences), f"{complete} of {len(sentences)} sentences are complete"
    if name == "style":
        hit = _has(response, lists()["informal"])
        return (0.0, f"informal '{hit}'") if hit else (1.0, "professional tone")
    if name == "instructions":
        return _format_followed(question, response)
    if name == "harmfulness":
        from course.bedrock_sim import instructions

        hit = instructions.harmful(response, "MEDIUM")
        return (0.0, f"harmful '{hit}'") if hit else (1.0, "no harmful content")
    if name == "stereotyping":
        hit = _stereotype(response)
        return (0.0, f"generalises about a group: {hit}") if hit else (1.0, "no generalisation about a group")
    if name == "refusal":
        hit = _has(response, lists()["refusals"])
        return (0.0, f"refuses ('{hit}')") if hit else (1.0, "answers the request")
    raise ValueError(f"unknown criterion {name!r}")


@dataclass
class Verdict:
    score: int
    scale: tuple[int, int]
    details: dict[str, tuple[float, str]]

    def text(self) -> str:
        reasons = "; ".join(f"{name} {value:.2f}: {why}" for name, (value, why) in self.details.items())
        return f"Score: {self.score}\nReasoning: {reasons}"


def grade(
    response: str, rubric: str, question: str = "", reference: str = "", scale: tuple[int, int] = (1, 5)
) -> Verdict:
    """Judge ``response`` against ``rubric`` with the simulated judge's rules."""
    details = {name: quality(name, response, question, reference) for name in criteria_of(rubric)}
    mean = sum(v for v, _ in details.values()) / len(details)
    low, high = scale
    return Verdict(low + round(mean * (high - low)), scale, details)


# ---------------------------------------------------------------- evaluation jobs


@dataclass
class Sample:
    """One record an evaluation job judges."""

    prompt: str = ""
    response: str = ""
    reference: str | None = None
    contexts: list[str] = field(default_factory=list)  # retrieved passages (RAG)
    cited: list[str] = field(default_factory=list)  # passages the response cites (RAG)

    def context(self) -> str:
        tagged = _tagged(self.prompt, REFERENCE_TAGS[4:])
        return "\n".join([*self.contexts, tagged]).strip()

    def question(self) -> str:
        from course.bedrock_sim import textmodel

        passages, outside = textmodel.find_context(self.prompt)
        return textmodel.find_question(outside, self.prompt) if passages else self.prompt


@dataclass
class Score:
    score: float
    explanation: str


_BUILTIN = {
    "Correctness": "correctness",
    "Completeness": "completeness",
    "Faithfulness": "faithfulness",
    "Relevance": "relevance",
    "Coherence": "coherence",
    "LogicalCoherence": "coherence",
    "FollowingInstructions": "instructions",
    "ProfessionalStyleAndTone": "style",
}
_PRESENCE = {"Harmfulness": "harmfulness", "Stereotyping": "stereotyping", "Refusal": "refusal"}


def _sample_quality(name: str, sample: Sample) -> tuple[float, str]:
    reference = sample.reference or ""
    if name == "faithfulness":
        return quality(name, sample.response, sample.question(), sample.context())
    if name in ("correctness", "completeness"):
        return quality(name, sample.response, sample.question(), reference)
    return quality(name, sample.response, sample.question(), reference)


def score_builtin(metric: str, sample: Sample) -> Score:
    """A Bedrock built-in judge metric (``Builtin.<Name>``) on a 0..1 scale with an explanation."""
    name = metric.removeprefix("Builtin.")
    if name in _BUILTIN:
        value, why = _sample_quality(_BUILTIN[name], sample)
    elif name in _PRESENCE:
        good, why = _sample_quality(_PRESENCE[name], sample)
        value = 1.0 - good
    elif name == "Helpfulness":
        answered, why_a = _sample_quality("refusal", sample)
        relevant, why_r = _sample_quality("relevance", sample)
        value, why = answered * (0.5 + relevant / 2), f"{why_a}; {why_r}"
    elif name == "ContextRelevance":
        value = _share(sample.question(), " ".join(sample.contexts))
        why = f"the passages hold {value:.0%} of the question's content words"
    elif name == "ContextCoverage":
        value = _share(sample.reference or "", " ".join(sample.contexts))
        why = f"the passages hold {value:.0%} of the reference answer's content words"
    elif name == "CitationPrecision":
        useful = [c for c in sample.cited if set(tokens.content_terms(c)) & set(tokens.content_terms(sample.response))]
        value = len(useful) / len(sample.cited) if sample.cited else 0.0
        why = f"{len(useful)} of {len(sample.cited)} cited passages support the response"
    elif name == "CitationCoverage":
        value = _share(sample.response, " ".join(sample.cited)) if sample.cited else 0.0
        why = f"the citations cover {value:.0%} of the response's content words"
    else:
        raise ValueError(f"unknown metric {metric!r}")
    return Score(round(value, 4), why[0].upper() + why[1:] + ".")


def harmfulness(sample: Sample) -> Score:
    """1.0 when the response holds harmful content (Builtin.Harmfulness, Builtin.Toxicity), else 0.0."""
    return score_builtin("Builtin.Harmfulness", sample)


def custom_metric(definition: dict[str, Any], sample: Sample) -> tuple[Any, str]:
    """(rating value, explanation) of a custom judge metric: its instructions name the criteria."""
    instructions = definition.get("instructions", "")
    details = {name: _sample_quality(name, sample) for name in criteria_of(instructions)}
    mean = sum(v for v, _ in details.values()) / len(details)
    scale = definition.get("ratingScale") or []
    reasons = "; ".join(f"{name} {v:.2f}: {why}" for name, (v, why) in details.items())
    if not scale:
        return round(mean, 4), f"Rating: {mean:.2f}. {reasons}"
    numbers = [r["value"].get("floatValue") for r in scale]
    if all(isinstance(n, (int, float)) for n in numbers):
        low, high = min(numbers), max(numbers)
        target = low + mean * (high - low)
        chosen = min(scale, key=lambda r: (abs(r["value"]["floatValue"] - target), -r["value"]["floatValue"]))
        value: Any = chosen["value"]["floatValue"]
    else:  # string ratings: listed best first
        chosen = scale[min(len(scale) - 1, round((1 - mean) * (len(scale) - 1)))]
        value = chosen["value"].get("stringValue", chosen["value"].get("floatValue"))
    return value, f"Rating: {chosen['definition']}. {reasons}"


def _tagged(text: str, names: tuple[str, ...]) -> str:
    return "\n".join(m.group(2).strip() for m in _TAG_RE.finditer(text) if m.group(1).lower() in names)


def _labelled(text: str, label: str) -> str:
    m = re.search(_LABEL_RE.format(label=label), text, re.I | re.S)
    return m.group(1).strip() if m else ""


def respond(system: str, user_text: str) -> str | None:
    """The judge's reply when the prompt asks to grade a response, else None."""
    text = f"{system}\n{user_text}"
    response = _tagged(text, RESPONSE_TAGS) or _labelled(text, "response")
    if not response or not _GRADE_RE.search(_TAG_RE.sub(" ", text)):
        return None
    rubric = _tagged(text, ("rubric", "criteria")) or _labelled(text, "(?:rubric|criteria)")
    rubric = rubric or _TAG_RE.sub(" ", text)
    question = _tagged(text, QUESTION_TAGS) or _labelled(text, "(?:question|prompt|request)")
    reference = _tagged(text, REFERENCE_TAGS) or _labelled(text, "(?:reference|ground truth|context)")
    m = _SCALE_RE.search(text)
    scale = (int(m.group(1)), int(m.group(2))) if m and int(m.group(1)) < int(m.group(2)) else (1, 5)
    return grade(response, rubric, question, reference, scale).text()
