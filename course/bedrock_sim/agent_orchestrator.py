"""One turn of a simulated Bedrock agent: plan, act, observe, answer, and trace every step.

``run`` takes a :class:`Turn` (the agent version, the session, the request) and returns an
:class:`Answer` (final text with citations, or a return-of-control payload), appending trace
parts to ``turn.events`` as ``InvokeAgent`` streams them when ``enableTrace`` is true:

1. pre-processing (only when the agent's PRE_PROCESSING prompt is ENABLED): inputs that probe
   the agent's instructions are rejected;
2. routing (SUPERVISOR_ROUTER): the collaborator whose name, instruction and description best
   match the input takes the request; with none, the supervisor orchestrates;
3. orchestration: ``agent_planner`` picks a function / API operation, knowledge base or (for a
   SUPERVISOR) collaborator. A Lambda executor runs in-process (``lambda_exec``); RETURN_CONTROL
   or ``requireConfirmation`` hands the call to the application; a knowledge base is searched;
   a collaborator runs its own turn. Missing required parameters are asked for;
4. post-processing (only when POST_PROCESSING is ENABLED), then the guardrail (if configured)
   on the final answer.

Failures an action causes (Lambda errors, malformed Lambda responses, responseState FAILURE)
raise :class:`Failure`, which ``InvokeAgent`` streams as a ``failureTrace`` and an exception event.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, field
from typing import Any

from course.bedrock_sim import (
    action_groups,
    agent_links,
    agent_planner,
    catalogue,
    data,
    guardrails,
    knowledge_bases,
    lambda_exec,
    state,
    textmodel,
    tokens,
)
from course.bedrock_sim import agent_store as store

LAMBDA_RESPONSE_ERROR = (
    "The server encountered an error processing the Lambda response. Check the Lambda response and retry the request"
)


class Failure(Exception):
    """An error of the turn, streamed as an exception event (``dependencyFailedException``...)."""

    def __init__(self, kind: str, message: str, reason: str | None = None, resource: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.reason = reason or message
        self.resource = resource


@dataclass
class Turn:
    agent: dict[str, Any]
    version: str
    snap: dict[str, Any]
    alias_id: str
    alias_arn: str
    session_id: str
    session: dict[str, Any]
    region: str
    trace: bool
    events: list[tuple[str, dict[str, Any]]]
    record: dict[str, Any]
    caller_chain: list[dict[str, str]] = field(default_factory=list)
    collaborator_name: str | None = None
    prompt_attributes: dict[str, str] = field(default_factory=dict)
    kb_configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    memory: list[str] = field(default_factory=list)

    @property
    def config(self) -> dict[str, Any]:
        return self.snap["config"]


@dataclass
class Answer:
    text: str = ""
    citations: list[dict[str, Any]] = field(default_factory=list)
    return_control: dict[str, Any] | None = None


# ------------------------------------------------------------------ trace helpers


def _now() -> _dt.datetime:
    return state.get().now()


def _trace_id() -> str:
    st = state.get()
    hexdigits = "0123456789abcdef"
    parts = [st.new_id("trace", n, hexdigits) for n in (8, 4, 4, 4, 12)]
    return "-".join(parts) + "-0"


def emit(turn: Turn, kind: str, body: dict[str, Any]) -> None:
    """Append one trace part (``kind`` is orchestrationTrace, preProcessingTrace, ...)."""
    if not turn.trace:
        return
    part = {
        "agentId": turn.agent["agentId"],
        "agentAliasId": turn.alias_id,
        "sessionId": turn.session_id,
        "agentVersion": turn.version,
        "eventTime": _now(),
        "callerChain": list(turn.caller_chain),
        "trace": {kind: body},
    }
    if turn.collaborator_name:
        part["collaboratorName"] = turn.collaborator_name
    turn.events.append(("trace", part))


def _prompt_config(turn: Turn, prompt_type: str) -> dict[str, Any]:
    override = turn.config.get("promptOverrideConfiguration") or {}
    for item in override.get("promptConfigurations") or []:
        if item.get("promptType") == prompt_type:
            return item
    return {}


def _enabled(turn: Turn, prompt_type: str) -> bool:
    return _prompt_config(turn, prompt_type).get("promptState") == "ENABLED"


def _inference(turn: Turn, prompt_type: str) -> dict[str, Any]:
    configured = _prompt_config(turn, prompt_type).get("inferenceConfiguration") or {}
    defaults = agent_planner.settings()["defaults"]
    return {
        "maximumLength": configured.get("maximumLength", defaults["orchestrationMaximumLength"]),
        "stopSequences": configured.get("stopSequences", ["</invoke>", "</answer>", "</error>"]),
        "temperature": configured.get("temperature", 0.0),
        "topK": configured.get("topK", 250),
        "topP": configured.get("topP", 1.0),
    }


def model_call(turn: Turn, kind: str, prompt_type: str, prompt: str, raw: str, parsed: dict | None = None) -> None:
    """Trace one model invocation: its input (prompt) and its output (raw text, token usage)."""
    trace_id = _trace_id()
    model_id = turn.config.get("foundationModel", "")
    emit(
        turn,
        kind,
        {
            "modelInvocationInput": {
                "traceId": trace_id,
                "text": prompt,
                "type": prompt_type,
                "foundationModel": model_id,
                "inferenceConfiguration": _inference(turn, prompt_type),
                "promptCreationMode": "DEFAULT",
                "parserMode": "DEFAULT",
            }
        },
    )
    input_tokens, output_tokens = tokens.count(prompt), tokens.count(raw)
    record = turn.record.setdefault("usage", {"inputTokens": 0, "outputTokens": 0})
    record["inputTokens"] += input_tokens
    record["outputTokens"] += output_tokens
    latency = catalogue.find(model_id.split(".", 1)[-1]) or catalogue.find(model_id) or {}
    timing = latency.get("latency", {"firstTokenMs": 200, "perTokenMs": 10})
    total = int(timing["firstTokenMs"] + timing["perTokenMs"] * output_tokens)
    start = _now()
    output: dict[str, Any] = {
        "traceId": trace_id,
        "rawResponse": {"content": raw},
        "metadata": {
            "usage": {"inputTokens": input_tokens, "outputTokens": output_tokens},
            "startTime": start,
            "endTime": start + _dt.timedelta(milliseconds=total),
            "totalTimeMs": total,
        },
    }
    if parsed is not None:
        output["parsedResponse"] = parsed
    emit(turn, kind, {"modelInvocationOutput": output})


def _observe(turn: Turn, kind: str, body: dict[str, Any]) -> None:
    emit(turn, kind, {"observation": {"traceId": _trace_id(), **body}})


def _finish(turn: Turn, text: str, kind: str = "orchestrationTrace", observation: str = "FINISH") -> Answer:
    _observe(turn, kind, {"type": observation, "finalResponse": {"text": text}})
    return Answer(text=text)


# ------------------------------------------------------------------ prompts and answers


def _orchestration_prompt(turn: Turn, text: str, actions: list[agent_planner.Action]) -> str:
    settings = agent_planner.settings()
    tools = "\n".join(f"<tool>{a.label}: {a.description} {json.dumps(a.parameters)}</tool>" for a in actions)
    kbs = "\n".join(
        f"<knowledge_base>{k['knowledgeBaseId']}: {k['description']}</knowledge_base>"
        for k in turn.snap["knowledgeBases"].values()
    )
    prompt = settings["orchestrationPrompt"]
    for key, value in {
        "$instruction$": turn.config.get("instruction", ""),
        "$tools$": tools,
        "$knowledge_base_descriptions$": kbs,
        "$memory_content$": "\n".join(turn.memory),
        "$question$": text,
    }.items():
        prompt = prompt.replace(key, value)
    if turn.prompt_attributes:
        prompt += "\n" + "\n".join(f"<{k}>{v}</{k}>" for k, v in turn.prompt_attributes.items())
    return prompt


def _limit(turn: Turn, text: str) -> str:
    inference = _inference(turn, "ORCHESTRATION")
    text, _ = tokens.truncate(text, inference["maximumLength"])
    return text


def _tool_answer(action: agent_planner.Action, arguments: dict[str, Any], body: str, failed: bool) -> str:
    """The model's answer once the action's result is known (same wording as Converse tool use)."""
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = None
    content = [{"json": parsed}] if isinstance(parsed, dict) else [{"text": body}]
    use_id = "tooluse_" + textmodel._digest(action.name, arguments)[:22]
    result = {"toolUseId": use_id, "content": content}
    if failed:
        result["status"] = "error"
    request = textmodel.Request(
        messages=[
            {"role": "user", "content": [{"text": "request"}]},
            {
                "role": "assistant",
                "content": [{"toolUse": {"toolUseId": use_id, "name": action.name, "input": arguments}}],
            },
            {"role": "user", "content": [{"toolResult": result}]},
        ]
    )
    return textmodel.generate(request).text


def _direct_answer(turn: Turn, text: str) -> str:
    """No action fits: the model answers from its instruction, the conversation and memory."""
    history = [{"role": item["role"], "content": [{"text": item["text"]}]} for item in turn.session["history"][-6:]]
    messages = [*history, {"role": "user", "content": [{"text": text}]}]
    no_answer = set(data.phrasing()["noAnswer"])
    if turn.memory:
        remembered = "".join(f"<memory>{m}</memory>" for m in turn.memory)
        answer = textmodel.respond_text(textmodel.Request(system=remembered, messages=messages))
        if answer not in no_answer:
            return answer
    return textmodel.respond_text(textmodel.Request(system=turn.config.get("instruction", ""), messages=messages))


# ------------------------------------------------------------------ actions


def _lambda_event(turn: Turn, action: agent_planner.Action, arguments: dict[str, Any], text: str) -> dict[str, Any]:
    group = action.group
    event: dict[str, Any] = {
        "messageVersion": "1.0",
        "agent": {
            "name": turn.agent["agentName"],
            "id": turn.agent["agentId"],
            "alias": turn.alias_id,
            "version": turn.version,
        },
        "inputText": text,
        "sessionId": turn.session_id,
        "actionGroup": group["actionGroupName"],
        "sessionAttributes": dict(turn.session["sessionAttributes"]),
        "promptSessionAttributes": dict(turn.prompt_attributes),
    }
    if action.kind == "function":
        event["function"] = action.name
        event["parameters"] = agent_planner.wire_parameters(action, arguments)
    else:
        plain = tuple(n for n in arguments if n not in action.body_parameters)
        event["apiPath"] = action.api_path
        event["httpMethod"] = action.verb.upper()
        event["parameters"] = agent_planner.wire_parameters(action, arguments, plain)
        body = agent_planner.wire_parameters(action, arguments, action.body_parameters)
        if body:
            event["requestBody"] = {"content": {"application/json": {"properties": body}}}
    return event


def _read_response(action: agent_planner.Action, payload: Any) -> tuple[str, str | None]:
    """(body text, responseState) of a Lambda response, or Failure when it is malformed."""

    def bad(why: str) -> Failure:
        return Failure("dependencyFailedException", LAMBDA_RESPONSE_ERROR, reason=why)

    if not isinstance(payload, dict) or not isinstance(payload.get("response"), dict):
        raise bad("the Lambda function must return a JSON object with a 'response' object")
    if payload.get("messageVersion") != "1.0":
        raise bad("the Lambda response must have messageVersion '1.0'")
    response = payload["response"]
    if action.kind == "function":
        outer = response.get("functionResponse")
        if not isinstance(outer, dict):
            raise bad("response.functionResponse is missing")
        body = ((outer.get("responseBody") or {}).get("TEXT") or {}).get("body")
        state_value = outer.get("responseState")
        where = "response.functionResponse.responseBody.TEXT.body"
    else:
        bodies = response.get("responseBody") or {}
        body = next((v.get("body") for v in bodies.values() if isinstance(v, dict)), None)
        state_value = response.get("responseState")
        where = "response.responseBody['application/json'].body"
        if not isinstance(response.get("httpStatusCode"), int):
            raise bad("response.httpStatusCode must be an integer")
    if not isinstance(body, str):
        raise bad(f"{where} must be a string")
    if state_value not in (None, "FAILURE", "REPROMPT"):
        raise bad("responseState must be FAILURE or REPROMPT")
    return body, state_value


def run_lambda(turn: Turn, action: agent_planner.Action, arguments: dict[str, Any], text: str) -> tuple[str, bool]:
    """Run the action group's Lambda function; (result body, whether the model should re-prompt)."""
    arn = action.group["actionGroupExecutor"]["lambda"]
    event = _lambda_event(turn, action, arguments, text)
    outcome = lambda_exec.invoke(arn, event, principal="bedrock.amazonaws.com", source_arn=turn.agent["agentArn"])
    call = {"functionArn": arn, "event": event, "response": outcome.payload, "error": outcome.error or outcome.denied}
    turn.record.setdefault("lambdaCalls", []).append(call)
    if outcome.missing:
        raise Failure(
            "dependencyFailedException",
            f"The Lambda function {arn} of action group {action.group['actionGroupName']} was not found. Check the "
            "action group's executor and retry the request.",
            resource=arn,
        )
    if outcome.denied:
        raise Failure(
            "accessDeniedException",
            f"Access denied while invoking Lambda function {arn}. Check the permissions on Lambda function and retry "
            "the request",
            reason=outcome.denied,
        )
    if outcome.error:
        raise Failure(
            "dependencyFailedException",
            f"The Lambda function {arn} failed. Check the function's CloudWatch logs and retry the request.",
            reason=outcome.error,
            resource=arn,
        )
    body, response_state = _read_response(action, outcome.payload)
    if response_state == "FAILURE":
        raise Failure(
            "dependencyFailedException",
            f"The action group {action.group['actionGroupName']} returned responseState FAILURE: {body}",
            resource=arn,
        )
    for key in ("sessionAttributes", "promptSessionAttributes"):
        if isinstance(outcome.payload.get(key), dict):
            target = turn.session["sessionAttributes"] if key == "sessionAttributes" else turn.prompt_attributes
            target.clear()
            target.update({str(k): str(v) for k, v in outcome.payload[key].items()})
    return body, response_state == "REPROMPT"


def _invocation_input(
    action: agent_planner.Action, arguments: dict[str, Any], execution: str, invocation_id: str
) -> dict:
    body: dict[str, Any] = {
        "actionGroupName": action.group["actionGroupName"],
        "executionType": execution,
        "invocationId": invocation_id,
    }
    if action.kind == "function":
        body["function"] = action.name
        body["parameters"] = agent_planner.wire_parameters(action, arguments)
    else:
        body["apiPath"] = action.api_path
        body["verb"] = action.verb
        plain = tuple(n for n in arguments if n not in action.body_parameters)
        body["parameters"] = agent_planner.wire_parameters(action, arguments, plain)
        payload = agent_planner.wire_parameters(action, arguments, action.body_parameters)
        if payload:
            body["requestBody"] = {"content": {"application/json": payload}}
    return {"traceId": _trace_id(), "invocationType": "ACTION_GROUP", "actionGroupInvocationInput": body}


def return_control_payload(turn: Turn, action: agent_planner.Action, arguments: dict[str, Any], kind: str) -> dict:
    """What InvokeAgent hands the application: the call to make (or to confirm) and an invocation id."""
    invocation_id = "-".join(state.get().new_id("roc", n, "0123456789abcdef") for n in (8, 4, 4, 4, 12))
    if action.kind == "function":
        member = {
            "functionInvocationInput": {
                "actionGroup": action.group["actionGroupName"],
                "function": action.name,
                "parameters": agent_planner.wire_parameters(action, arguments),
                "actionInvocationType": kind,
                "agentId": turn.agent["agentId"],
            }
        }
    else:
        plain = tuple(n for n in arguments if n not in action.body_parameters)
        api: dict[str, Any] = {
            "actionGroup": action.group["actionGroupName"],
            "apiPath": action.api_path,
            "httpMethod": action.verb.upper(),
            "parameters": agent_planner.wire_parameters(action, arguments, plain),
            "actionInvocationType": kind,
            "agentId": turn.agent["agentId"],
        }
        body = agent_planner.wire_parameters(action, arguments, action.body_parameters)
        if body:
            api["requestBody"] = {"content": {"application/json": {"properties": body}}}
        member = {"apiInvocationInput": api}
    if turn.collaborator_name:
        next(iter(member.values()))["collaboratorName"] = turn.collaborator_name
    turn.session["pending"] = {
        "invocationId": invocation_id,
        "kind": kind,
        "action": {
            "group": action.group["actionGroupId"],
            "name": action.name,
            "apiPath": action.api_path,
            "verb": action.verb,
        },
        "arguments": arguments,
        "text": turn.session.get("lastInput", ""),
    }
    return {"invocationId": invocation_id, "invocationInputs": [member]}


def find_action(turn: Turn, reference: dict[str, Any]) -> agent_planner.Action:
    group = turn.snap["actionGroups"].get(reference["group"])
    for action in action_groups.actions_of(group) if group else []:
        if action.name == reference["name"] and action.api_path == reference["apiPath"]:
            return action
    raise Failure("validationException", "The action of the pending return of control no longer exists.")


def _act(turn: Turn, action: agent_planner.Action, arguments: dict[str, Any], text: str) -> Answer:
    turn.record.setdefault("actions", []).append({"type": "ACTION_GROUP", "name": action.name, "input": arguments})
    executor = action.group.get("actionGroupExecutor") or {}
    confirm = action.kind == "function" and action_groups.requires_confirmation(action.group, action.name)
    if executor.get("customControl") == "RETURN_CONTROL" or confirm:
        kind = "USER_CONFIRMATION" if confirm else "RESULT"
        if confirm and executor.get("customControl") == "RETURN_CONTROL":
            kind = "USER_CONFIRMATION_AND_RESULT"
        payload = return_control_payload(turn, action, arguments, kind)
        emit(
            turn,
            "orchestrationTrace",
            {"invocationInput": _invocation_input(action, arguments, "RETURN_CONTROL", payload["invocationId"])},
        )
        return Answer(return_control=payload)
    invocation_id = "-".join(state.get().new_id("inv", n, "0123456789abcdef") for n in (8, 4, 4, 4, 12))
    emit(turn, "orchestrationTrace", {"invocationInput": _invocation_input(action, arguments, "LAMBDA", invocation_id)})
    body, reprompt = run_lambda(turn, action, arguments, text)
    return observe_result(turn, action, arguments, body, reprompt)


def observe_result(
    turn: Turn, action: agent_planner.Action, arguments: dict[str, Any], body: str, failed: bool
) -> Answer:
    """Trace the action's result, let the model turn it into the final answer."""
    if failed:
        _observe(
            turn,
            "orchestrationTrace",
            {"type": "REPROMPT", "repromptResponse": {"source": "ACTION_GROUP", "text": body}},
        )
    else:
        _observe(turn, "orchestrationTrace", {"type": "ACTION_GROUP", "actionGroupInvocationOutput": {"text": body}})
    final = _limit(turn, _tool_answer(action, arguments, body, failed))
    model_call(turn, "orchestrationTrace", "ORCHESTRATION", f"Observation: {body}", f"<answer>{final}</answer>")
    return _finish(turn, final)


def _search_kb(turn: Turn, link: dict[str, Any], text: str) -> Answer:
    kb_id = link["knowledgeBaseId"]
    turn.record.setdefault("actions", []).append({"type": "KNOWLEDGE_BASE", "name": kb_id, "input": {"text": text}})
    emit(
        turn,
        "orchestrationTrace",
        {
            "invocationInput": {
                "traceId": _trace_id(),
                "invocationType": "KNOWLEDGE_BASE",
                "knowledgeBaseLookupInput": {"knowledgeBaseId": kb_id, "text": text},
            }
        },
    )
    try:
        kb = knowledge_bases.get_kb(kb_id)
    except Exception as exc:  # noqa: BLE001 - the KB was deleted after the agent was prepared
        raise Failure(
            "dependencyFailedException", f"The knowledge base {kb_id} is not available.", resource=kb_id
        ) from exc
    config = (turn.kb_configs.get(kb_id) or {}).get("vectorSearchConfiguration") or {}
    results = knowledge_bases.search(kb, text, config.get("numberOfResults", 5), config.get("filter"))
    references = [{"content": r["content"], "location": r["location"], "metadata": r["metadata"]} for r in results]
    _observe(
        turn,
        "orchestrationTrace",
        {"type": "KNOWLEDGE_BASE", "knowledgeBaseLookupOutput": {"retrievedReferences": references}},
    )
    answer = None
    if results:
        passages = "".join(f"<search_result>{r['content']['text']}</search_result>" for r in results)
        prompt = f"<search_results>{passages}</search_results>\nQuestion: {text}"
        generated = textmodel.respond_text(
            textmodel.Request(messages=[{"role": "user", "content": [{"text": prompt}]}])
        )
        answer = None if generated in data.phrasing()["noAnswer"] else generated
    final = _limit(turn, answer or data.phrasing()["ragNoAnswer"])
    model_call(turn, "orchestrationTrace", "KNOWLEDGE_BASE_RESPONSE_GENERATION", text, final)
    used = [r for r in references if answer and any(s in r["content"]["text"] for s in tokens.sentences(answer))]
    result = _finish(turn, final)
    if used:
        span = {"start": 0, "end": max(len(final) - 1, 0)}
        result.citations = [
            {"generatedResponsePart": {"textResponsePart": {"text": final, "span": span}}, "retrievedReferences": used}
        ]
    return result


def _collaborators(turn: Turn) -> list[agent_planner.Action]:
    actions = []
    for collaborator in turn.snap["collaborators"].values():
        try:
            target, _ = agent_links.collaborator_target(collaborator["agentDescriptor"]["aliasArn"])
            description = target["config"].get("description", "")
        except Exception:  # noqa: BLE001 - a deleted collaborator is skipped, as an unreachable one
            continue
        actions.append(
            agent_planner.Action(
                kind="collaborator",
                name=collaborator["collaboratorName"],
                description=f"{collaborator['collaborationInstruction']} {description}",
                target=collaborator,
            )
        )
    return actions


def _delegate(turn: Turn, action: agent_planner.Action, text: str, kind: str) -> Answer:
    """Run the collaborator's own turn; its answer is the supervisor's observation."""
    from course.bedrock_sim import agent_invoke  # the collaborator's turn is built like a top-level one

    collaborator = action.target
    arn = collaborator["agentDescriptor"]["aliasArn"]
    turn.record.setdefault("actions", []).append(
        {"type": "AGENT_COLLABORATOR", "name": action.name, "input": {"text": text}}
    )
    emit(
        turn,
        kind,
        {
            "invocationInput": {
                "traceId": _trace_id(),
                "invocationType": "AGENT_COLLABORATOR",
                "agentCollaboratorInvocationInput": {
                    "agentCollaboratorName": action.name,
                    "agentCollaboratorAliasArn": arn,
                    "input": {"type": "TEXT", "text": text},
                },
            }
        },
    )
    history = turn.session["history"] if collaborator.get("relayConversationHistory") == "TO_COLLABORATOR" else []
    answer = agent_invoke.collaborate(turn, collaborator, text, history)
    if answer.return_control is not None:
        return answer
    _observe(
        turn,
        kind,
        {
            "type": "AGENT_COLLABORATOR",
            "agentCollaboratorInvocationOutput": {
                "agentCollaboratorName": action.name,
                "agentCollaboratorAliasArn": arn,
                "output": {"type": "TEXT", "text": answer.text},
            },
        },
    )
    return answer


# ------------------------------------------------------------------ the turn


def _pre_process(turn: Turn, text: str) -> Answer | None:
    settings = agent_planner.settings()
    prompt = settings["preProcessingPrompt"].replace("$question$", text)
    valid = not agent_planner.probing(text)
    rationale = settings["phrasing"]["preProcessingValid" if valid else "preProcessingInvalid"]
    category = "D" if valid else "B"
    model_call(
        turn,
        "preProcessingTrace",
        "PRE_PROCESSING",
        prompt,
        f"<thinking>{rationale}</thinking><category>{category}</category>",
        parsed={"isValid": valid, "rationale": rationale},
    )
    if valid:
        return None
    return Answer(text=settings["phrasing"]["preProcessingRejected"])


def _route(turn: Turn, text: str) -> Answer | None:
    candidates = _collaborators(turn)
    chosen, _ = agent_planner.choose(candidates, text)
    prompt = (
        agent_planner.settings()["routingPrompt"]
        .replace("$reachable_agents$", "\n".join(f"<agent>{a.name}: {a.description}</agent>" for a in candidates))
        .replace("$question$", text)
    )
    model_call(
        turn,
        "routingClassifierTrace",
        "ROUTING_CLASSIFIER",
        prompt,
        f"<a>{chosen.name if chosen else 'undecidable'}</a>",
    )
    if chosen is None:
        return None
    return _delegate(turn, chosen, text, "routingClassifierTrace")


def _ask(turn: Turn, action: agent_planner.Action, arguments: dict[str, Any], missing: list[str]) -> Answer:
    described = [
        f"{name} ({action.parameters[name].get('description') or action.parameters[name].get('type', 'value')})"
        for name in missing
    ]
    question = agent_planner.phrase(
        "askForParameters",
        missing,
        action=action.name,
        parameters=", ".join(described),
        them="it" if len(missing) == 1 else "them",
    )
    turn.session["elicit"] = {
        "group": action.group["actionGroupId"],
        "name": action.name,
        "apiPath": action.api_path,
        "arguments": arguments,
    }
    user_input = any(
        g.get("parentActionSignature") == "AMAZON.UserInput" and g.get("actionGroupState") == "ENABLED"
        for g in turn.snap["actionGroups"].values()
    )
    return _finish(turn, question, observation="ASK_USER" if user_input else "FINISH")


def _orchestrate(turn: Turn, text: str, with_collaborators: bool) -> Answer:
    actions = [a for g in turn.snap["actionGroups"].values() for a in action_groups.actions_of(g)]
    kb_actions = [
        agent_planner.Action(
            kind="knowledge_base", name=link["knowledgeBaseId"], description=link["description"], target=link
        )
        for link in turn.snap["knowledgeBases"].values()
        if link.get("knowledgeBaseState", "ENABLED") == "ENABLED"
    ]
    candidates = actions + kb_actions + (_collaborators(turn) if with_collaborators else [])
    elicit = turn.session.pop("elicit", None)
    chosen, arguments = None, {}
    if elicit:  # the user is answering the agent's question about missing parameters
        chosen = next(
            (
                a
                for a in actions
                if a.group["actionGroupId"] == elicit["group"]
                and a.name == elicit["name"]
                and a.api_path == elicit["apiPath"]
            ),
            None,
        )
        arguments = elicit["arguments"] if chosen else {}
    if chosen is None:
        chosen, _ = agent_planner.choose(candidates, text)
    prompt = _orchestration_prompt(turn, text, actions)
    if chosen is None:
        answer = _limit(turn, _direct_answer(turn, text))
        model_call(turn, "orchestrationTrace", "ORCHESTRATION", prompt, f"<answer>{answer}</answer>")
        emit(
            turn,
            "orchestrationTrace",
            {"rationale": {"traceId": _trace_id(), "text": agent_planner.phrase("rationaleNothing", text)}},
        )
        return _finish(turn, answer)
    if chosen.kind == "knowledge_base":
        rationale = agent_planner.phrase("rationaleKnowledgeBase", text, kb=chosen.name)
        model_call(turn, "orchestrationTrace", "ORCHESTRATION", prompt, f"<thinking>{rationale}</thinking>")
        emit(turn, "orchestrationTrace", {"rationale": {"traceId": _trace_id(), "text": rationale}})
        return _search_kb(turn, chosen.target, text)
    if chosen.kind == "collaborator":
        rationale = agent_planner.phrase("rationaleCollaborator", text, collaborator=chosen.name)
        model_call(turn, "orchestrationTrace", "ORCHESTRATION", prompt, f"<thinking>{rationale}</thinking>")
        emit(turn, "orchestrationTrace", {"rationale": {"traceId": _trace_id(), "text": rationale}})
        answer = _delegate(turn, chosen, text, "orchestrationTrace")
        if answer.return_control is None:
            return _finish(turn, answer.text)
        return answer
    arguments, missing = agent_planner.extract(chosen, text, arguments)
    if missing:
        model_call(
            turn, "orchestrationTrace", "ORCHESTRATION", prompt, f"<thinking>I need {', '.join(missing)}.</thinking>"
        )
        return _ask(turn, chosen, arguments, missing)
    rationale = agent_planner.phrase(
        "rationaleAction",
        text,
        action=chosen.label,
        group=chosen.group["actionGroupName"],
        arguments=json.dumps(arguments),
    )
    call = f"<function_calls><invoke>{chosen.group['actionGroupName']}::{chosen.label}({json.dumps(arguments)})</invoke></function_calls>"
    model_call(turn, "orchestrationTrace", "ORCHESTRATION", prompt, f"<thinking>{rationale}</thinking>{call}")
    emit(turn, "orchestrationTrace", {"rationale": {"traceId": _trace_id(), "text": rationale}})
    return _act(turn, chosen, arguments, text)


def _post_process(turn: Turn, answer: Answer) -> None:
    prompt = agent_planner.settings()["postProcessingPrompt"].replace("$latest_response$", answer.text)
    model_call(turn, "postProcessingTrace", "POST_PROCESSING", prompt, answer.text, parsed={"text": answer.text})


def _guard(turn: Turn, text: str, source: str) -> str | None:
    """The guardrail's replacement text if it intervenes on ``text``, else None."""
    config = turn.config.get("guardrailConfiguration")
    if not config:
        return None
    _, guard, _ = guardrails.lookup(config["guardrailIdentifier"], config.get("guardrailVersion"), turn.region)
    outcome = guardrails.evaluate(guard, source, [{"text": text}])
    emit(turn, "guardrailTrace", {"traceId": _trace_id(), "action": "INTERVENED" if outcome.intervened else "NONE"})
    if outcome.blocked:
        return (
            guard.get("blockedInputMessaging" if source == "INPUT" else "blockedOutputsMessaging")
            or outcome.outputs[0]["text"]
        )
    return None


def run(turn: Turn, text: str) -> Answer:
    """Plan and run one user input; the final answer or a return-of-control payload."""
    blocked = _guard(turn, text, "INPUT")
    if blocked is not None:
        return Answer(text=blocked)
    if _enabled(turn, "PRE_PROCESSING"):
        rejected = _pre_process(turn, text)
        if rejected is not None:
            return rejected
    mode = turn.config.get("agentCollaboration", "DISABLED")
    answer = None
    if mode == "SUPERVISOR_ROUTER":
        answer = _route(turn, text)
    if answer is None:
        answer = _orchestrate(turn, text, with_collaborators=mode != "DISABLED")
    return finish(turn, answer)


def finish(turn: Turn, answer: Answer) -> Answer:
    """Post-processing and the output guardrail, for answers (not for return of control)."""
    if answer.return_control is not None:
        return answer
    if _enabled(turn, "POST_PROCESSING"):
        _post_process(turn, answer)
    blocked = _guard(turn, answer.text, "OUTPUT")
    if blocked is not None:
        return Answer(text=blocked)
    return answer


def ensure_known(turn: Turn) -> None:
    """The agent version must still be runnable (its model resolvable)."""
    model = turn.config.get("foundationModel")
    if not model:
        raise store.constraint("foundationModel", None, "Member must not be null")
