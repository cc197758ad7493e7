"""How the simulated text model follows (and is fooled by) instructions.

These rules sit in front of the answer rules of :mod:`textmodel` so that prompt engineering has
outcomes a learner can predict: delimiters, data rules, role scope, label lists, output-format
specifications and chain-of-thought all change the answer in documented ways (README.md,
"Instruction following"). Patterns and replies live in ``course/data/bedrock/instruction_rules.yaml``.

Order: a judge prompt is scored by :mod:`judge`; an obeyed injection answers as the attacker
asked; a harmful request is refused; a question outside a declared scope is declined; then
few-shot labels (textmodel), zero-shot classification (here), or textmodel's other rules give
the answer, which is finally shaped by word limits, JSON format and chain-of-thought requests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from course.bedrock_sim import data, tokens

_REGEX = {"type": "string", "minLength": 1}
_REGEXES = {"type": "array", "minItems": 1, "items": _REGEX}
_WORDS = {"type": "array", "items": {"type": "string", "minLength": 1}}
RULES_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "injection",
        "leak",
        "jailbreak",
        "dictated",
        "dataRule",
        "instructionTags",
        "scope",
        "classify",
        "labelList",
        "labelBullet",
        "fallbackLabels",
        "classifiedInput",
        "onlyAnswer",
        "jsonRequest",
        "jsonOnly",
        "jsonKeys",
        "labelKeys",
        "chainOfThought",
        "wordLimit",
        "oneSentence",
        "replies",
    ],
    "properties": {
        "injection": _REGEXES,
        "leak": _REGEX,
        "jailbreak": _REGEX,
        "dictated": _REGEX,
        "dataRule": _REGEXES,
        "instructionTags": _WORDS,
        "scope": _REGEXES,
        "classify": _REGEX,
        "labelList": _REGEXES,
        "labelBullet": _REGEX,
        "fallbackLabels": _WORDS,
        "classifiedInput": _REGEX,
        "onlyAnswer": _REGEX,
        "jsonRequest": _REGEX,
        "jsonOnly": _REGEX,
        "jsonKeys": _REGEX,
        "labelKeys": _WORDS,
        "chainOfThought": _REGEX,
        "wordLimit": _REGEX,
        "oneSentence": _REGEX,
        "replies": {
            "type": "object",
            "additionalProperties": False,
            "required": [
                "obeyed",
                "leak",
                "noSystem",
                "jailbreak",
                "refusal",
                "outOfScope",
                "classified",
                "jsonPreamble",
                "reasoningHeader",
                "answerLabel",
            ],
            "properties": {
                k: {"type": "string", "minLength": 1}
                for k in (
                    "obeyed",
                    "leak",
                    "noSystem",
                    "jailbreak",
                    "refusal",
                    "outOfScope",
                    "classified",
                    "jsonPreamble",
                    "reasoningHeader",
                    "answerLabel",
                )
            },
        },
    },
}

_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
}


@dataclass(frozen=True)
class Rules:
    injection: tuple[re.Pattern[str], ...]
    leak: re.Pattern[str]
    jailbreak: re.Pattern[str]
    dictated: re.Pattern[str]
    data_rule: tuple[re.Pattern[str], ...]
    instruction_tags: frozenset[str]
    scope: tuple[re.Pattern[str], ...]
    classify: re.Pattern[str]
    label_list: tuple[re.Pattern[str], ...]
    label_bullet: re.Pattern[str]
    fallback_labels: tuple[str, ...]
    classified_input: re.Pattern[str]
    only_answer: re.Pattern[str]
    json_request: re.Pattern[str]
    json_only: re.Pattern[str]
    json_keys: re.Pattern[str]
    label_keys: tuple[str, ...]
    chain_of_thought: re.Pattern[str]
    word_limit: re.Pattern[str]
    one_sentence: re.Pattern[str]
    replies: dict[str, str]


@lru_cache(maxsize=1)
def rules() -> Rules:
    raw = data.load("instruction_rules.yaml", RULES_SCHEMA)
    flags = re.IGNORECASE | re.MULTILINE

    def one(pattern: str) -> re.Pattern[str]:
        try:
            return re.compile(pattern, flags)
        except re.error as exc:
            raise data.DataFileError(f"instruction_rules.yaml: bad regex {pattern!r}: {exc}") from exc

    return Rules(
        injection=tuple(one(p) for p in raw["injection"]),
        leak=one(raw["leak"]),
        jailbreak=one(raw["jailbreak"]),
        dictated=one(raw["dictated"]),
        data_rule=tuple(one(p) for p in raw["dataRule"]),
        instruction_tags=frozenset(t.lower() for t in raw["instructionTags"]),
        scope=tuple(one(p) for p in raw["scope"]),
        classify=one(raw["classify"]),
        label_list=tuple(one(p) for p in raw["labelList"]),
        label_bullet=one(raw["labelBullet"]),
        fallback_labels=tuple(raw["fallbackLabels"]),
        classified_input=one(raw["classifiedInput"]),
        only_answer=one(raw["onlyAnswer"]),
        json_request=one(raw["jsonRequest"]),
        json_only=one(raw["jsonOnly"]),
        json_keys=one(raw["jsonKeys"]),
        label_keys=tuple(raw["labelKeys"]),
        chain_of_thought=one(raw["chainOfThought"]),
        word_limit=one(raw["wordLimit"]),
        one_sentence=one(raw["oneSentence"]),
        replies=dict(raw["replies"]),
    )


# ---------------------------------------------------------------- reading a request

_TAG_RE = re.compile(r"<([A-Za-z_][\w-]*)(?:\s[^>]*)?>((?:(?!<\1[\s>]).)*?)</\1>", re.DOTALL)
_FENCE_RE = re.compile(r"```[\w-]*\n?(.*?)```|\"\"\"(.*?)\"\"\"", re.DOTALL)


@dataclass
class Reading:
    """What the model sees: instructions apart from delimited data."""

    system: str
    user: str  # the last user turn
    outside: str  # the last user turn without its delimited data blocks
    data: list[str] = field(default_factory=list)  # delimited blocks of the last user turn
    data_rule: bool = False  # the prompt says delimited content is data, not instructions

    @property
    def instructions(self) -> str:
        return f"{self.system}\n{self.outside}"


def split_data(text: str) -> tuple[str, list[str]]:
    """(text outside delimited blocks, the blocks): XML-tagged content and fenced blocks."""
    tags = rules().instruction_tags
    blocks: list[str] = []

    def keep(m: re.Match[str]) -> str:
        if m.group(1).lower() in tags:
            return m.group(2)
        blocks.append(m.group(2).strip())
        return " "

    outside = _TAG_RE.sub(keep, text)

    def fence(m: re.Match[str]) -> str:
        blocks.append((m.group(1) or m.group(2) or "").strip())
        return " "

    outside = _FENCE_RE.sub(fence, outside)
    return outside, [b for b in blocks if b]


def read(request: Any) -> Reading:
    from course.bedrock_sim import textmodel

    user_turns = [m for m in request.messages if m.get("role") == "user"]
    user = textmodel.message_text(user_turns[-1]) if user_turns else ""
    outside, blocks = split_data(user)
    _, system_blocks = split_data(request.system or "")
    combined = f"{request.system}\n{outside}"
    has_rule = any(p.search(combined) for p in rules().data_rule)
    return Reading(request.system or "", user, outside, blocks + system_blocks, has_rule)


# ---------------------------------------------------------------- answers


@dataclass
class Answer:
    text: str
    steps: list[str] = field(default_factory=list)
    value: Any = None  # a label, when classification produced the answer
    final: bool = False  # not reshaped (refusals, obeyed injections, judge verdicts)


def find_injection(reading: Reading) -> str | None:
    """The injected instruction the model will obey, from its start to the end of its turn."""
    segments = [reading.outside] + ([] if reading.data_rule else reading.data)
    for segment in segments:
        for pattern in rules().injection:
            m = pattern.search(segment)
            if m:
                return segment[m.start() :]
    return None


def obey(reading: Reading, injected: str) -> str:
    r = rules()
    if r.leak.search(injected):
        return r.replies["leak"].format(system=reading.system.strip() or r.replies["noSystem"])
    dictated = r.dictated.search(injected)
    if dictated:
        return dictated.group(1).strip()
    if r.jailbreak.search(injected):
        return r.replies["jailbreak"]
    return r.replies["obeyed"]


_CONFIDENCE = {"LOW": 1, "MEDIUM": 2, "HIGH": 3}


def harmful(text: str, at_least: str = "HIGH") -> str | None:
    """A harmful term of the guardrail lexicon of at least that confidence (models refuse HIGH ones)."""
    lexicon = data.lexicon()["contentFilters"]
    lowered = text.lower()
    for kind, entries in lexicon.items():
        if kind == "PROMPT_ATTACK":
            continue
        for entry in entries:
            strong = _CONFIDENCE[entry["confidence"]] >= _CONFIDENCE[at_least]
            if strong and re.search(r"(?<!\w)" + re.escape(entry["term"]) + r"(?!\w)", lowered):
                return entry["term"]
    return None


def out_of_scope(reading: Reading) -> str | None:
    """The declared topic, when the system prompt limits the scope and the question is outside it."""
    for pattern in rules().scope:
        m = pattern.search(reading.system)
        if not m:
            continue
        topic = m.group(1).strip().rstrip(".;:")
        from course.bedrock_sim import textmodel

        passages, outside = textmodel.find_context(reading.outside)
        question = textmodel.find_question(outside, reading.outside) if passages else reading.outside
        asked = set(tokens.content_terms(question)) or set(tokens.content_terms(reading.user))
        if asked and not asked & set(tokens.content_terms(topic)):
            return topic
        return None
    return None


def _split_list(raw: str) -> list[str]:
    parts = re.split(r",|;|/|\bor\b|\band\b|\|", raw)
    items = []
    for part in parts:
        item = part.strip().strip("\"'`“”*").strip().rstrip(".:")
        if re.fullmatch(r"[A-Za-z][\w-]*(?: [A-Za-z][\w-]*){0,2}", item):
            items.append(item)
    return list(dict.fromkeys(items))


def parse_labels(instructions: str) -> list[tuple[str, str]]:
    """(label, description) pairs declared in the instructions, or []."""
    r = rules()
    lines = instructions.splitlines()
    bullets: list[tuple[str, str]] = []
    for index, line in enumerate(lines):
        m = r.label_bullet.match(line)
        if not m:
            continue
        if not bullets:
            before = " ".join(lines[max(0, index - 2) : index]).lower()
            if not re.search(r"categor|label|class|intent|queue|option|topic|route", before):
                continue
        bullets.append((m.group(1).strip(), (m.group(2) or "").strip()))
    if len(bullets) >= 2:
        return bullets
    for pattern in r.label_list:
        m = pattern.search(instructions)
        if m:
            labels = _split_list(m.group(1))
            if len(labels) >= 2:
                return [(label, "") for label in labels]
    return []


def _label_terms(label: str, description: str) -> set[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", label).replace("_", " ").replace("-", " ")
    return set(tokens.content_terms(spaced)) | set(tokens.content_terms(description))


def classified_text(reading: Reading) -> str:
    """The text a classification prompt asks about."""
    if reading.data:
        return "\n".join(reading.data)
    found = rules().classified_input.findall(reading.outside)
    if found:
        return found[-1]
    r = rules()
    kept = [
        line
        for line in reading.outside.splitlines()
        if not (r.classify.search(line) or r.label_bullet.match(line) or any(p.search(line) for p in r.label_list))
    ]
    return "\n".join(kept)


def classify(reading: Reading) -> Answer | None:
    r = rules()
    if not r.classify.search(reading.instructions):
        return None
    labels = parse_labels(reading.instructions)
    if len(labels) < 2:
        return None
    text = classified_text(reading)
    asked = set(tokens.content_terms(text))
    best, best_score, matched = labels[0][0], 0, set()
    for label, description in labels:
        overlap = asked & _label_terms(label, description)
        if len(overlap) > best_score:
            best, best_score, matched = label, len(overlap), overlap
    if best_score == 0:
        fallback = next((lab for lab, _ in labels if lab.lower() in r.fallback_labels), labels[0][0])
        steps = ["The text shares no words with any category.", f"So the fallback category {fallback} applies."]
        best = fallback
    else:
        said = [w for w in dict.fromkeys(tokens.words(text)) if tokens.stem(w) in matched]
        steps = [f"The text mentions: {', '.join(said)}.", f"Those words match the category {best}."]
    only = bool(r.only_answer.search(reading.instructions))
    text_out = best if only else r.replies["classified"].format(label=best)
    return Answer(text_out, steps, value=best)


def _context_steps(request: Any, reading: Reading, answer: str) -> list[str]:
    from course.bedrock_sim import textmodel

    passages, outside = textmodel.find_context("\n".join([request.system, reading.user]))
    question = textmodel.find_question(outside if passages else reading.user, reading.user)
    asked = list(dict.fromkeys(tokens.content_terms(question)))
    steps = [f"The request is about: {', '.join(asked[:6]) or 'nothing specific'}."]
    if passages:
        found, _ = textmodel.answer_from_context(passages, question)
        steps.append(
            f'The context sentence that answers it: "{found}"'
            if found
            else "No context sentence holds a third of those words."
        )
    return steps


# ---------------------------------------------------------------- shaping the answer


def _json_example(text: str) -> dict[str, Any] | None:
    decoder = json.JSONDecoder()
    for m in re.finditer(r"\{", text):
        try:
            value, _ = decoder.raw_decode(text[m.start() :])
        except ValueError:
            continue
        if isinstance(value, dict) and value:
            return value
    return None


def _schema_from_keys(reading: Reading) -> dict[str, Any] | None:
    example = _json_example(reading.instructions)
    kinds = {str: "string", bool: "boolean", int: "integer", float: "number", list: "array"}
    if example:
        props = {k: {"type": kinds.get(type(v), "string")} for k, v in example.items()}
        return {"type": "object", "properties": props}
    m = rules().json_keys.search(reading.instructions)
    if m:
        keys = [k.replace(" ", "_") for k in _split_list(m.group(1))]
        if keys:
            return {"type": "object", "properties": {k: {"type": "string"} for k in keys}}
    return None


def to_json(reading: Reading, answer: Answer) -> str:

    r = rules()
    schema = _schema_from_keys(reading)
    if schema is None:
        obj: dict[str, Any] = {"answer": answer.value if answer.value is not None else answer.text}
    else:
        props = schema["properties"]
        if answer.value is not None:
            key = next((k for k in props if k.lower() in r.label_keys), next(iter(props)))
            obj = {k: (answer.value if k == key else None) for k in props}
        else:
            from course.bedrock_sim import structured

            found = structured.extract(schema, classified_text(reading))
            obj = {k: found.get(k) for k in props}
    body = json.dumps(obj)
    if r.json_only.search(reading.instructions):
        return body
    return f"{r.replies['jsonPreamble']}\n```json\n{json.dumps(obj, indent=2)}\n```"


def _limit(reading: Reading, text: str) -> str:
    r = rules()
    m = r.word_limit.search(reading.instructions)
    if m:
        raw = m.group(1).lower()
        limit = int(raw) if raw.isdigit() else _NUMBERS[raw]
        words = text.split()
        if len(words) > limit:
            text = " ".join(words[:limit])
    if r.one_sentence.search(reading.instructions):
        first = tokens.sentences(text)
        text = first[0] if first else text
    return text


def shape(reading: Reading, answer: Answer) -> str:
    if answer.final:
        return answer.text
    r = rules()
    text = _limit(reading, answer.text)
    if r.json_request.search(reading.instructions):
        text = to_json(reading, answer)
    if r.chain_of_thought.search(reading.instructions):
        numbered = "\n".join(f"{i}. {step}" for i, step in enumerate(answer.steps, 1))
        text = f"{r.replies['reasoningHeader']}\n{numbered}\n{r.replies['answerLabel']} {text}"
    return text


# ---------------------------------------------------------------- entry point


def respond(request: Any, plain: Callable[[Any], str]) -> str:
    """The text answer: these rules first, then ``plain`` (textmodel's answer rules)."""
    from course.bedrock_sim import judge, textmodel

    reading = read(request)
    r = rules()
    verdict = judge.respond(request.system, reading.user)
    if verdict is not None:
        return verdict
    injected = find_injection(reading)
    if injected is not None:
        return obey(reading, injected)
    if harmful(reading.user):
        return r.replies["refusal"]
    topic = out_of_scope(reading)
    if topic is not None:
        return r.replies["outOfScope"].format(topic=topic)
    transcript = "\n".join([request.system] + [textmodel.message_text(m) for m in request.messages])
    assistant_texts = [textmodel.message_text(m) for m in request.messages if m.get("role") == "assistant"]
    if textmodel.few_shot_label(transcript, reading.user, assistant_texts) is None:
        classified = classify(reading)
        if classified is not None:
            return shape(reading, classified)
    text = plain(request)
    return shape(reading, Answer(text, _context_steps(request, reading, text)))
