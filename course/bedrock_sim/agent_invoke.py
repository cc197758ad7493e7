"""InvokeAgent and agent memory (bedrock-agent-runtime): sessions, return of control, streams.

``InvokeAgent`` answers with the real event stream: ``trace`` parts (when ``enableTrace``),
``returnControl`` when an action is executed by the application, ``chunk`` parts with the final
answer (one chunk, or pieces of ``applyGuardrailInterval`` characters when
``streamingConfigurations.streamFinalResponse`` is true), and exception events for failures
during the turn. Problems found before the turn starts (unknown agent or alias, bad session id,
a stale ``invocationId``) are ordinary HTTP errors, as on AWS.

Sessions are kept per (agent, alias, sessionId): conversation history, ``sessionAttributes``
(kept for the session), a pending return of control or question. ``endSession`` ends the
session; with memory enabled (``SESSION_SUMMARY``) and a ``memoryId``, a summary of the ended
session is stored and later sessions with the same ``memoryId`` see the most recent ones.
Session idle timeouts are not simulated (there is no clock).

Every invocation is recorded (:func:`records`): input, trace switch, streaming, actions taken,
Lambda calls with their events and responses, token usage, the answer.
"""

from __future__ import annotations

import base64
import copy
import datetime as _dt
import json
import re
from typing import Any

from course.bedrock_sim import agent_orchestrator as orch
from course.bedrock_sim import agent_planner, agent_store, agents, eventstream, protocol, state
from course.bedrock_sim.protocol import Call, Reply, ServiceError, validation

SESSION_RE = re.compile(r"^[0-9a-zA-Z._:-]{2,100}$")
DEFAULT_CHUNK = 50


def records() -> list[dict[str, Any]]:
    """Every InvokeAgent call so far (oldest first): what was asked, done and answered."""
    return state.get().agent_records


def lambda_calls() -> list[dict[str, Any]]:
    """Every Lambda invocation made for an action group: function ARN, event, response, error."""
    return [c for r in records() for c in r.get("lambdaCalls", [])]


# ------------------------------------------------------------------ lookups


def _resolve(agent_id: str, alias_id: str) -> tuple[dict[str, Any], str, dict[str, Any], str]:
    """(agent, version, snapshot, alias ARN) that an alias runs."""
    agent = agent_store.get_agent(agent_id)
    alias = agents.alias_of(agent, alias_id)
    if alias.get("aliasInvocationState") == "REJECT_INVOCATIONS":
        raise ServiceError("ValidationException", f"The agent alias {alias_id} rejects invocations.")
    version = alias["routingConfiguration"][0]["agentVersion"]
    if version == "DRAFT":
        snap = agent["prepared"]
        if snap is None:
            raise ServiceError(
                "ValidationException",
                f"The agent {agent_id} has not been prepared. Call PrepareAgent before invoking the test alias.",
            )
    else:
        snap = agent["versions"].get(version)
        if snap is None:
            raise agent_store.not_found()
    return agent, version, snap, alias["agentAliasArn"]


def _session(agent_id: str, alias_id: str, session_id: str, memory_id: str | None) -> dict[str, Any]:
    key = (agent_id, alias_id, session_id)
    sessions = state.get().agent_sessions
    if key not in sessions:
        sessions[key] = {
            "sessionId": session_id,
            "startedAt": state.get().now(),
            "history": [],
            "sessionAttributes": {},
            "pending": None,
            "memoryId": memory_id,
            "requests": [],
            "answers": [],
        }
    return sessions[key]


def _memory(agent_id: str, alias_id: str, memory_id: str | None, config: dict[str, Any]) -> list[str]:
    memory = config.get("memoryConfiguration") or {}
    if not memory_id or "SESSION_SUMMARY" not in (memory.get("enabledMemoryTypes") or []):
        return []
    limit = (memory.get("sessionSummaryConfiguration") or {}).get(
        "maxRecentSessions", agent_planner.settings()["defaults"]["maxRecentSessions"]
    )
    summaries = state.get().agent_memory.get((agent_id, alias_id, memory_id), [])
    return [s["summaryText"] for s in summaries[-limit:]]


def _end_session(turn: orch.Turn, memory_id: str | None) -> None:
    session = turn.session
    memory = turn.config.get("memoryConfiguration") or {}
    if memory_id and "SESSION_SUMMARY" in (memory.get("enabledMemoryTypes") or []) and session["requests"]:
        days = memory.get("storageDays", agent_planner.settings()["defaults"]["memoryStorageDays"])
        text = agent_planner.settings()["phrasing"]["sessionSummary"].format(
            session=session["sessionId"],
            requests=" ".join(session["requests"]),
            answers=" ".join(session["answers"]),
        )
        state.get().agent_memory.setdefault((turn.agent["agentId"], turn.alias_id, memory_id), []).append(
            {
                "memoryId": memory_id,
                "sessionId": session["sessionId"],
                "sessionStartTime": session["startedAt"],
                "sessionExpiryTime": session["startedAt"] + _dt.timedelta(days=days),
                "summaryText": text,
            }
        )
    state.get().agent_sessions.pop((turn.agent["agentId"], turn.alias_id, session["sessionId"]), None)


# ------------------------------------------------------------------ return of control results


def _results(turn: orch.Turn, session_state: dict[str, Any]) -> orch.Answer:
    pending = turn.session.get("pending")
    given = session_state.get("invocationId")
    if pending is None or given != pending["invocationId"]:
        raise validation(
            f"The invocationId {given} does not match a pending return of control in session {turn.session_id}."
        )
    results = session_state.get("returnControlInvocationResults") or []
    if len(results) != 1:
        raise validation("returnControlInvocationResults must hold one result for each invocation input.")
    result = results[0].get("functionResult") or results[0].get("apiResult") or {}
    action = orch.find_action(turn, pending["action"])
    if result.get("actionGroup") != action.group["actionGroupName"]:
        raise validation(f"The result's actionGroup must be {action.group['actionGroupName']}.")
    if action.kind == "function" and result.get("function") != action.name:
        raise validation(f"The functionResult's function must be {action.name}, the function that returned control.")
    if action.kind == "api" and (result.get("apiPath"), str(result.get("httpMethod")).upper()) != (
        action.api_path,
        str(action.verb).upper(),
    ):
        raise validation(
            f"The apiResult must name apiPath {action.api_path} and httpMethod {str(action.verb).upper()}."
        )
    turn.session["pending"] = None
    arguments = pending["arguments"]
    if pending["kind"] != "RESULT":  # the user was asked to confirm the call
        if result.get("confirmationState") != "CONFIRM":
            reason = "the user did not confirm it"
            text = agent_planner.phrase("actionDenied", action.name, action=action.name, reason=reason)
            orch._observe(
                turn, "orchestrationTrace", {"type": "ACTION_GROUP", "actionGroupInvocationOutput": {"text": text}}
            )
            return orch.finish(turn, orch._finish(turn, text))
        if pending["kind"] == "USER_CONFIRMATION":  # confirmed: the Lambda function runs now
            body, reprompt = orch.run_lambda(turn, action, arguments, pending["text"])
            return orch.finish(turn, orch.observe_result(turn, action, arguments, body, reprompt))
    bodies = result.get("responseBody") or {}
    if set(bodies) - {"TEXT"}:  # the content type is the key; results carry TEXT
        raise validation(f"Unsupported responseBody content type {sorted(set(bodies) - {'TEXT'})[0]}: use TEXT.")
    body = (bodies.get("TEXT") or {}).get("body")
    if not isinstance(body, str):
        raise validation("Each return-of-control result needs responseBody {'TEXT': {'body': '...'}}.")
    if result.get("responseState") == "FAILURE":
        raise orch.Failure(
            "dependencyFailedException",
            f"The application reported responseState FAILURE for {action.name}: {body}",
        )
    turn.record.setdefault("actions", []).append(
        {"type": "RETURN_CONTROL_RESULT", "name": action.name, "input": arguments}
    )
    return orch.finish(
        turn, orch.observe_result(turn, action, arguments, body, result.get("responseState") == "REPROMPT")
    )


# ------------------------------------------------------------------ streaming


def _chunks(text: str, streaming: dict[str, Any] | None) -> list[str]:
    if not text:
        return []
    if not (streaming or {}).get("streamFinalResponse"):
        return [text]
    size = (streaming or {}).get("applyGuardrailInterval") or DEFAULT_CHUNK
    pieces, current = [], ""
    for word in re.findall(r"\S+\s*", text):
        if current and len(current) + len(word) > size:
            pieces.append(current)
            current = ""
        current += word
    return [*pieces, current] if current else pieces


def _encode(events: list[tuple[str, dict[str, Any]]], failure: orch.Failure | None) -> bytes:
    # Timestamps become ISO strings, as the service writes them in event payloads.
    body = eventstream.stream((kind, json.loads(protocol.dumps(part))) for kind, part in events)
    if failure is not None:
        body += eventstream.exception(failure.kind, failure.message)
    return body


def collaborate(turn: orch.Turn, collaborator: dict[str, Any], text: str, history: list[dict[str, Any]]) -> orch.Answer:
    """Run a collaborator's turn inside a supervisor's (same session id, its own session state)."""
    agent_id, alias_id = agent_store.parse_alias_arn(collaborator["agentDescriptor"]["aliasArn"])
    agent, version, snap, alias_arn = _resolve(agent_id, alias_id)
    session = _session(agent_id, alias_id, turn.session_id, None)
    if history:
        session["history"] = copy.deepcopy(history)
    inner = orch.Turn(
        agent=agent,
        version=version,
        snap=snap,
        alias_id=alias_id,
        alias_arn=alias_arn,
        session_id=turn.session_id,
        session=session,
        region=turn.region,
        trace=turn.trace,
        events=turn.events,
        record=turn.record,
        caller_chain=[*turn.caller_chain, {"agentAliasArn": alias_arn}],
        collaborator_name=collaborator["collaboratorName"],
    )
    session["lastInput"] = text
    answer = orch.run(inner, text)
    session["history"] += [{"role": "user", "text": text}, {"role": "assistant", "text": answer.text}]
    return answer


def invoke_agent(call: Call) -> Reply:
    p = call.params
    session_id = p["sessionId"]
    if not SESSION_RE.match(session_id):
        raise agent_store.constraint(
            "sessionId", session_id, "Member must satisfy regular expression pattern: ^[0-9a-zA-Z._:-]+$"
        )
    memory_id = p.get("memoryId")
    if memory_id is not None and not SESSION_RE.match(memory_id):
        raise agent_store.constraint(
            "memoryId", memory_id, "Member must satisfy regular expression pattern: ^[0-9a-zA-Z._:-]+$"
        )
    agent, version, snap, alias_arn = _resolve(p["agentId"], p["agentAliasId"])
    session_state = p.get("sessionState") or {}
    text = p.get("inputText") or ""
    has_results = bool(session_state.get("returnControlInvocationResults"))
    if not text and not has_results and not p.get("endSession"):
        raise validation("inputText must not be empty unless you return control results or end the session.")
    session = _session(agent["agentId"], p["agentAliasId"], session_id, memory_id)
    session["sessionAttributes"].update(session_state.get("sessionAttributes") or {})
    record = {
        "agentId": agent["agentId"],
        "agentAliasId": p["agentAliasId"],
        "agentVersion": version,
        "sessionId": session_id,
        "inputText": text,
        "enableTrace": bool(p.get("enableTrace")),
        "endSession": bool(p.get("endSession")),
        "memoryId": memory_id,
        "streamFinalResponse": bool((p.get("streamingConfigurations") or {}).get("streamFinalResponse")),
        "sessionState": copy.deepcopy(session_state),
        "actions": [],
    }
    state.get().agent_records.append(record)
    events: list[tuple[str, dict[str, Any]]] = []
    turn = orch.Turn(
        agent=agent,
        version=version,
        snap=snap,
        alias_id=p["agentAliasId"],
        alias_arn=alias_arn,
        session_id=session_id,
        session=session,
        region=call.region,
        trace=bool(p.get("enableTrace")),
        events=events,
        record=record,
        caller_chain=[{"agentAliasArn": alias_arn}],
        prompt_attributes=dict(session_state.get("promptSessionAttributes") or {}),
        kb_configs={
            c["knowledgeBaseId"]: c.get("retrievalConfiguration") or {}
            for c in session_state.get("knowledgeBaseConfigurations") or []
        },
        memory=_memory(agent["agentId"], p["agentAliasId"], memory_id, snap["config"]),
    )
    orch.ensure_known(turn)
    failure = None
    answer = orch.Answer()
    try:
        if has_results:
            answer = _results(turn, session_state)
        elif text:
            session["lastInput"] = text
            answer = orch.run(turn, text)
    except orch.Failure as exc:
        if exc.kind == "validationException" and not events:
            raise validation(exc.message) from exc
        failure = exc
        orch.emit(turn, "failureTrace", {"traceId": orch._trace_id(), "failureReason": exc.reason, "failureCode": 424})
    if answer.return_control is not None:
        events.append(("returnControl", answer.return_control))
        record["returnControl"] = copy.deepcopy(answer.return_control)
    elif failure is None:
        pieces = _chunks(answer.text, p.get("streamingConfigurations"))
        for index, piece in enumerate(pieces):
            chunk: dict[str, Any] = {"bytes": base64.b64encode(piece.encode("utf-8")).decode("ascii")}
            if answer.citations and index == len(pieces) - 1:
                chunk["attribution"] = {"citations": answer.citations}
            events.append(("chunk", chunk))
        if text:
            session["history"] += [{"role": "user", "text": text}, {"role": "assistant", "text": answer.text}]
            session["requests"].append(text)
            session["answers"].append(answer.text)
    record["answer"] = answer.text if failure is None else None
    record["failure"] = (
        None if failure is None else {"code": failure.kind, "message": failure.message, "reason": failure.reason}
    )
    if p.get("endSession"):
        _end_session(turn, memory_id)
    headers = {"Content-Type": "application/vnd.amazon.eventstream"}
    output = {"contentType": "application/json", "sessionId": session_id}
    if memory_id:
        output["memoryId"] = memory_id
    return Reply(output, raw_body=_encode(events, failure), headers=headers)


# ------------------------------------------------------------------ memory


def get_agent_memory(call: Call) -> Reply:
    p = call.params
    agent = agent_store.get_agent(p["agentId"])
    agents.alias_of(agent, p["agentAliasId"])
    summaries = state.get().agent_memory.get((p["agentId"], p["agentAliasId"], p["memoryId"]), [])
    items = [{"sessionSummary": copy.deepcopy(s)} for s in reversed(summaries)]
    size = p.get("maxItems") or 1000
    start = int(p.get("nextToken") or 0)
    output: dict[str, Any] = {"memoryContents": items[start : start + size]}
    if start + size < len(items):
        output["nextToken"] = str(start + size)
    return Reply(output)


def delete_agent_memory(call: Call) -> Reply:
    p = call.params
    agent = agent_store.get_agent(p["agentId"])
    agents.alias_of(agent, p["agentAliasId"])
    store = state.get().agent_memory
    for key in [k for k in store if k[0] == p["agentId"] and k[1] == p["agentAliasId"]]:
        if p.get("memoryId") and key[2] != p["memoryId"]:
            continue
        if p.get("sessionId"):
            store[key] = [s for s in store[key] if s["sessionId"] != p["sessionId"]]
        else:
            del store[key]
    return Reply({})


OPERATIONS = {"InvokeAgent": invoke_agent, "GetAgentMemory": get_agent_memory, "DeleteAgentMemory": delete_agent_memory}
