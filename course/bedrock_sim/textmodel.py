"""The simulated text model: a small rule-based responder that follows prompts well enough to teach.

It works on a family-neutral request (:class:`Request`, Converse-style content blocks) and
returns a :class:`Result`. Rules, tried in order (see README.md):

1. Tool result in the last user turn -> an answer that restates the result.
2. Tools offered and the request matches a tool (name/description words, or toolChoice
   any/tool) -> a ``toolUse`` block whose input is extracted from the user's words following
   the tool's JSON schema.
3. Few-shot examples with a repeated ``Key: value`` label line -> ``Key: <label>``, the label of
   the example whose input shares most words with the query.
4. Context (XML-tagged documents, a ``Context:`` block, or document blocks) and a question ->
   the best-matching sentence(s) of the context, or "I don't know based on the provided
   context." when no sentence holds at least half of the question's content words.
5. "Summarize ..." -> the first two sentences of the longest text.
6. Otherwise a templated general reply naming the topic words.

Before rules 3-6, :mod:`instructions` applies the instruction-following rules (judge prompts,
injections, refusals, scope, zero-shot labels) and shapes the answer (word limits, JSON,
chain-of-thought); with a Converse ``outputConfig`` schema, :mod:`structured` answers instead.

Then ``stop_sequences`` cut the text and ``max_tokens`` truncates it (stop reason
``max_tokens``). Everything is a pure function of the request: same input, same output.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from course.bedrock_sim import data, tokens

CONTEXT_TAGS_EXCLUDED = {"question", "query", "instructions", "instruction", "example", "examples", "format"}
_ANSWER_THRESHOLD = (
    1 / 3
)  # a third of the question's content words: "How long do refunds take?" finds "Refunds are ..."


@dataclass
class Request:
    system: str = ""
    messages: list[dict[str, Any]] = field(default_factory=list)
    tools: list[dict[str, Any]] = field(default_factory=list)  # {"name", "description", "schema"}
    tool_choice: str | None = None  # None/"auto", "any", "none" or a tool name
    max_tokens: int = 512
    stop_sequences: list[str] = field(default_factory=list)
    output_schema: dict[str, Any] | None = None  # Converse outputConfig JSON schema (structured.py)


@dataclass
class Result:
    blocks: list[dict[str, Any]]
    stop_reason: str
    input_tokens: int
    output_tokens: int
    stop_sequence: str | None = None

    @property
    def text(self) -> str:
        return "".join(b["text"] for b in self.blocks if "text" in b)


# ---------------------------------------------------------------- helpers


def _digest(*parts: Any) -> str:
    raw = json.dumps(parts, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()


def pick(options: list[str], *seed: Any) -> str:
    """Deterministically pick one of ``options`` from a hash of ``seed``."""
    return options[int(_digest(*seed)[:8], 16) % len(options)]


def block_text(block: dict[str, Any]) -> str:
    """The text a content block contributes to the prompt (and to token counts)."""
    if "text" in block:
        return block["text"]
    if "guardContent" in block:
        return block["guardContent"].get("text", {}).get("text", "")
    if "toolUse" in block:
        tu = block["toolUse"]
        return f"{tu.get('name', '')} {json.dumps(tu.get('input', {}), sort_keys=True)}"
    if "toolResult" in block:
        return " ".join(
            block_text(c) if "json" not in c else json.dumps(c["json"]) for c in block["toolResult"]["content"]
        )
    if "document" in block:
        return block["document"].get("_text", "")
    return ""


def message_text(message: dict[str, Any]) -> str:
    return "\n".join(t for t in (block_text(b) for b in message.get("content", [])) if t)


def count_input_tokens(request: Request) -> int:
    total = tokens.count(request.system)
    for message in request.messages:
        total += tokens.count(message_text(message))
    for tool in request.tools:
        total += tokens.count(tool["name"]) + tokens.count(tool.get("description", ""))
        total += tokens.count(json.dumps(tool.get("schema", {}), sort_keys=True))
    return total


def _split_name(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name).replace("_", " ").replace("-", " ")
    return tokens.content_terms(spaced)


# ---------------------------------------------------------------- rule 1 and 2: tools


def _tool_result_answer(request: Request, results: list[dict[str, Any]]) -> str:
    names = {}
    for message in request.messages:
        for block in message.get("content", []):
            if "toolUse" in block:
                names[block["toolUse"].get("toolUseId")] = block["toolUse"].get("name", "tool")
    phrasing = data.phrasing()
    parts = []
    for result in results:
        facts = []
        for item in result.get("content", []):
            if "json" in item:
                facts.append(_facts(item["json"]))
            elif "text" in item:
                facts.append(item["text"].strip().rstrip("."))
        tool = names.get(result.get("toolUseId"), "tool")
        templates = phrasing["toolErrorAnswer"] if result.get("status") == "error" else phrasing["toolResultAnswer"]
        parts.append(pick(templates, tool, facts).format(tool=tool, facts="; ".join(f for f in facts if f)))
    return " ".join(parts)


def _facts(value: Any, prefix: str = "") -> str:
    if isinstance(value, dict):
        items = [
            _facts(v, f"{prefix}{k} ") if isinstance(v, dict) else f"{prefix}{k} is {_scalar(v)}"
            for k, v in value.items()
        ]
        return ", ".join(items)
    return _scalar(value)


def _scalar(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_scalar(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def choose_tool(request: Request, user_text: str) -> dict[str, Any] | None:
    if not request.tools or request.tool_choice == "none":
        return None
    if request.tool_choice not in (None, "auto", "any"):
        return next((t for t in request.tools if t["name"] == request.tool_choice), None)
    asked = set(tokens.content_terms(user_text))
    best, best_score = None, 0.0
    for tool in request.tools:
        name_terms = set(_split_name(tool["name"]))
        desc_terms = set(tokens.content_terms(tool.get("description", ""))) | _schema_terms(tool.get("schema"))
        score = 2.0 * len(asked & name_terms) + len(asked & (desc_terms - name_terms))
        if score > best_score:
            best, best_score = tool, score
    if request.tool_choice == "any":
        return best or request.tools[0]
    return best if best_score >= 2.0 else None


def _schema_terms(schema: dict[str, Any] | None) -> set[str]:
    """Words of a tool's parameter names and descriptions: they count like its description."""
    terms: set[str] = set()
    for name, spec in ((schema or {}).get("properties") or {}).items():
        terms.update(_split_name(name))
        if isinstance(spec, dict):
            terms.update(tokens.content_terms(spec.get("description", "")))
    return terms


_EXAMPLE_RE = re.compile(r"(?:such as|e\.g\.,?|for example|like)\s+[\"']?(\w[\w.@/-]*\w)", re.IGNORECASE)


def _shape(word: str) -> str:
    """Letters and digits in runs: ORD-1234 and ord-77 both have the shape A-9."""
    return re.sub(r"A+", "A", re.sub(r"9+", "9", re.sub(r"[A-Za-z]", "A", re.sub(r"\d", "9", word))))


def shaped_value(description: str | None, text: str) -> str | None:
    """A word of ``text`` shaped like the example in a parameter description ("such as ORD-1234").

    Only examples holding a digit and another character count (codes and ids), so "such as
    France" or "such as 3" shape nothing.
    """
    example = _EXAMPLE_RE.search(description or "")
    if not example or not re.search(r"\d", example.group(1)) or example.group(1).isdigit():
        return None
    wanted = _shape(example.group(1))
    return next((w for w in re.findall(r"\w[\w.@/-]*\w|\w", text) if _shape(w) == wanted), None)


_NUMBER_RE = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.]*\w)")
_QUOTED_RE = re.compile(r"\"([^\"]+)\"|'([^']+)'")
_PROPER_RE = re.compile(r"\b[A-Z][a-zA-Z]+(?:[ -][A-Z][a-zA-Z]+)*")


def extract_arguments(schema: dict[str, Any], text: str) -> dict[str, Any]:
    """Fill the properties of a JSON schema from words of ``text`` (numbers, enums, names)."""
    properties = schema.get("properties", {}) or {}
    required = set(schema.get("required", []) or [])
    numbers = [m.group(0) for m in _NUMBER_RE.finditer(text)]
    quoted = [a or b for a, b in _QUOTED_RE.findall(text)]
    first_word = re.match(r"\s*(\w+)", text)
    proper = [
        p
        for p in _PROPER_RE.findall(text)
        if p.lower() not in tokens.STOPWORDS and not (first_word and p == first_word.group(1))
    ]
    lowered = text.lower()
    out: dict[str, Any] = {}
    for name, spec in properties.items():
        kind = spec.get("type", "string")
        value: Any = None
        labelled = re.search(rf"\b{re.escape(name)}\b\s*(?:is|=|:|of)?\s*\"?([\w.@/-]+)", text, re.IGNORECASE)
        if "enum" in spec:
            value = next((e for e in spec["enum"] if str(e).lower() in lowered), None)
            if value is None and name in required:
                value = spec["enum"][0]
        elif kind in ("number", "integer"):
            if labelled and _NUMBER_RE.fullmatch(labelled.group(1)):
                raw = labelled.group(1)
                numbers = [n for n in numbers if n != raw]
            elif numbers:
                raw = numbers.pop(0)
            else:
                raw = None
            if raw is not None:
                value = int(float(raw)) if kind == "integer" else float(raw) if "." in raw else int(raw)
        elif kind == "boolean":
            value = not bool(re.search(r"\b(no|not|false|without|don't)\b", lowered))
        elif kind == "array":
            item_kind = (spec.get("items") or {}).get("type", "string")
            value = (
                [float(n) if "." in n else int(n) for n in numbers]
                if item_kind in ("number", "integer")
                else proper or quoted
            )
        else:
            shaped = shaped_value(spec.get("description"), text)
            if quoted:
                value = quoted.pop(0)
            elif labelled and labelled.group(1).lower() not in tokens.STOPWORDS and not labelled.group(1).isdigit():
                value = labelled.group(1)
            elif shaped:
                value = shaped
                proper = [p for p in proper if p not in shaped]
            elif proper:
                value = proper.pop(0)
            elif name in required:
                terms = [w for w in re.findall(r"[\w'-]+", text) if w.lower() not in tokens.STOPWORDS]
                value = " ".join(terms[-3:]) if terms else text.strip()
        if value is not None and (value != [] or name in required):
            out[name] = value
    return out


# ---------------------------------------------------------------- rule 3: few-shot labels

_KEY_LINE_RE = re.compile(r"^\s*([A-Z][\w ]{0,24}?)\s*:\s*(.*?)\s*$", re.MULTILINE)


def _few_shot(transcript: str, user_text: str, assistant_texts: list[str]) -> str | None:
    lines = [(m.group(1).strip(), m.group(2)) for m in _KEY_LINE_RE.finditer(transcript)]
    if len(lines) < 3:
        return None
    label_key = None
    if lines[-1][1] == "":
        label_key = lines[-1][0]
    elif assistant_texts:
        keys = [_KEY_LINE_RE.match(t.strip()) for t in assistant_texts]
        if keys and all(keys) and len({k.group(1).strip() for k in keys}) == 1:
            label_key = keys[0].group(1).strip()
    if not label_key:
        return None
    examples: list[tuple[str, str]] = []
    for i, (key, value) in enumerate(lines):
        if key == label_key and value and len(value.split()) <= 4:
            previous = lines[i - 1][1] if i > 0 and lines[i - 1][0] != label_key else ""
            examples.append((previous, value.rstrip(".")))
    if len(examples) < 2:
        return None
    if lines[-1][1] == "" and len(lines) >= 2 and lines[-2][0] != label_key:
        query = lines[-2][1]
    else:
        query_match = _KEY_LINE_RE.search(user_text)
        query = query_match.group(2) if query_match else user_text
    asked = set(tokens.content_terms(query))
    scores: dict[str, float] = {}
    for example_input, label in examples:
        overlap = len(asked & set(tokens.content_terms(example_input)))
        scores[label] = max(scores.get(label, 0.0), overlap)
    top = max(scores.values())
    tied = sorted(label for label, score in scores.items() if score == top)
    return f"{label_key}: {pick(tied, query)}"


# ---------------------------------------------------------------- rule 4: context QA

# A tag's content never holds another opening tag of the same name, so a tag named in the
# instructions ("inside <document> tags") does not pair with the real block's closing tag.
_TAG_RE = re.compile(r"<([A-Za-z_][\w-]*)(?:\s[^>]*)?>((?:(?!<\1[\s>]).)*?)</\1>", re.DOTALL)
_CONTEXT_LABEL_RE = re.compile(
    r"(?:^|\n)\s*(?:context|contexts|documents?|passages?|search results|information|sources?|reference text)\s*:\s*",
    re.IGNORECASE,
)
_QUESTION_LABEL_RE = re.compile(r"(?:^|\n)\s*(?:question|query|q)\s*:\s*(.+)", re.IGNORECASE)


def find_context(text: str) -> tuple[list[str], str]:
    """The context passages found in ``text`` and the text left outside them."""
    passages: list[str] = []
    outside = text
    for m in _TAG_RE.finditer(text):
        tag, inner = m.group(1).lower(), m.group(2)
        if tag in CONTEXT_TAGS_EXCLUDED:
            continue
        nested = find_context(inner)[0] if _TAG_RE.search(inner) else []
        passages.extend(nested or [inner.strip()])
        outside = outside.replace(m.group(0), " ")
    label = _CONTEXT_LABEL_RE.search(outside)
    if label:
        rest = outside[label.end() :]
        stop = re.search(r"\n\s*(?:question|query|q|answer|instructions?)\s*:", rest, re.IGNORECASE)
        block = rest[: stop.start()] if stop else rest
        if block.strip():
            passages.append(block.strip())
            outside = outside[: label.start()] + "\n" + (rest[stop.start() :] if stop else "")
    return [p for p in passages if p.strip()], outside


def find_question(outside: str, full_text: str) -> str:
    for source in (outside, full_text):
        m = _QUESTION_LABEL_RE.search(source)
        if m and m.group(1).strip():
            return m.group(1).strip()
    tagged = re.search(r"<(question|query)>(.*?)</\1>", full_text, re.DOTALL | re.IGNORECASE)
    if tagged:
        return tagged.group(2).strip()
    asked = [s for s in tokens.sentences(outside) if s.endswith("?")]
    if asked:
        return asked[-1]
    return outside.strip()


def answer_from_context(passages: list[str], question: str) -> tuple[str | None, list[int]]:
    """Best sentence(s) of the passages for ``question`` and the indexes of the passages used."""
    asked = set(tokens.content_terms(question))
    if not asked:
        return None, []
    scored = []
    for p_index, passage in enumerate(passages):
        for order, sentence in enumerate(tokens.sentences(passage)):
            overlap = len(asked & set(tokens.content_terms(sentence)))
            scored.append((overlap / len(asked), -p_index, -order, sentence, p_index))
    if not scored:
        return None, []
    scored.sort(reverse=True)
    best = scored[0]
    if best[0] < _ANSWER_THRESHOLD:
        return None, []
    chosen = [best]
    if len(scored) > 1 and scored[1][0] >= max(_ANSWER_THRESHOLD, best[0] - 0.01) and scored[1][3] != best[3]:
        chosen.append(scored[1])
    chosen.sort(key=lambda s: (-s[1], -s[2]))
    return " ".join(s[3] for s in chosen), sorted({s[4] for s in chosen})


# ---------------------------------------------------------------- main entry


def respond_text(request: Request) -> str:
    """The full (untruncated) text answer for a request without tool use."""
    from course.bedrock_sim import instructions  # instruction-following rules run first

    return instructions.respond(request, _plain_text)


def few_shot_label(transcript: str, user_text: str, assistant_texts: list[str]) -> str | None:
    """Rule 3 on its own: the few-shot label answer, or None."""
    return _few_shot(transcript, user_text, assistant_texts)


def _plain_text(request: Request) -> str:
    """Rules 3 to 6 (few-shot labels, context QA, summary, general reply)."""
    phrasing = data.phrasing()
    user_turns = [m for m in request.messages if m.get("role") == "user"]
    user_text = message_text(user_turns[-1]) if user_turns else ""
    transcript = "\n".join([request.system] + [message_text(m) for m in request.messages])
    assistant_texts = [message_text(m) for m in request.messages if m.get("role") == "assistant"]

    labelled = _few_shot(transcript, user_text, assistant_texts)
    if labelled:
        return labelled

    context_source = "\n".join([request.system, user_text])
    passages, outside = find_context(context_source)
    if passages:
        question = find_question(outside, user_text)
        answer, _ = answer_from_context(passages, question)
        return answer or pick(phrasing["noAnswer"], question)

    if re.search(r"\b(summari[sz]e|summary|tl;dr)\b", user_text, re.IGNORECASE):
        instruction = re.match(r"[^:\n]*\b(summari[sz]e|summary|tl;dr)\b[^:\n]*:", user_text, re.IGNORECASE)
        remainder = user_text[instruction.end() :] if instruction else user_text
        body = max(re.split(r"\n\s*\n", remainder), key=len)
        return phrasing["summaryPrefix"] + " ".join(tokens.sentences(body)[:2])

    if re.fullmatch(r"\s*(hi|hello|hey|good (morning|afternoon|evening))[\s!.]*", user_text, re.IGNORECASE):
        return pick(phrasing["greeting"], user_text)

    seen: list[str] = []
    for word in tokens.words(find_question(user_text, user_text)):
        if word not in tokens.STOPWORDS and word not in seen:
            seen.append(word)
    topic = " ".join(seen[:3]) or phrasing["emptyTopic"]
    return pick(phrasing["generic"], user_text).format(topic=topic)


def _apply_limits(text: str, request: Request) -> tuple[str, str, str | None]:
    stop_reason, matched = "end_turn", None
    cut = None
    for sequence in request.stop_sequences:
        if sequence and sequence in text:
            position = text.index(sequence)
            if cut is None or position < cut:
                cut, matched = position, sequence
    if cut is not None:
        text, stop_reason = text[:cut], "stop_sequence"
    text, truncated = tokens.truncate(text, request.max_tokens)
    if truncated:
        stop_reason, matched = "max_tokens", None
    return text, stop_reason, matched


def generate(request: Request) -> Result:
    """Run the simulated model on ``request``."""
    input_tokens = count_input_tokens(request)
    last = request.messages[-1] if request.messages else {"content": []}
    results = [b["toolResult"] for b in last.get("content", []) if "toolResult" in b]
    user_text = message_text(last)

    if results:
        text, stop_reason, matched = _apply_limits(_tool_result_answer(request, results), request)
        return Result([{"text": text}], stop_reason, input_tokens, tokens.count(text), matched)

    tool = choose_tool(request, user_text)
    if tool is not None:
        if tool.get("strict"):  # strict tool use: the input is filled like structured output (structured.py)
            from course.bedrock_sim import structured

            arguments = structured.fill(tool.get("schema", {}), user_text)
        else:
            arguments = extract_arguments(tool.get("schema", {}), user_text)
        preamble = pick(data.phrasing()["toolPreamble"], tool["name"]).format(tool=tool["name"])
        tool_use_id = "tooluse_" + _digest(request.messages, tool["name"])[:22]
        use = {"toolUseId": tool_use_id, "name": tool["name"], "input": arguments}
        output_tokens = tokens.count(preamble) + tokens.count(block_text({"toolUse": use}))
        return Result([{"text": preamble}, {"toolUse": use}], "tool_use", input_tokens, output_tokens)

    if request.output_schema is not None:  # structured output: JSON that follows the schema
        from course.bedrock_sim import structured

        answer = structured.respond(request)
    else:
        answer = respond_text(request)
    text, stop_reason, matched = _apply_limits(answer, request)
    return Result([{"text": text}], stop_reason, input_tokens, tokens.count(text), matched)
