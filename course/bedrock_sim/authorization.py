"""IAM checks for simulated requests while the sandbox enforces IAM (``aws.iam_enforced()``).

moto authorises the requests it answers itself; the simulator answers Bedrock-family requests
before moto sees them, so it checks them here the same way: it counts requests against moto's
``INITIAL_NO_AUTH_ACTION_COUNT`` (so enforcement switches on and off with moto's), finds the
caller from the SigV4 credentials with moto's IAM backend (users, groups, assumed roles; the
signature itself is not recomputed), and evaluates their identity policies. Unlike moto 5.2.5, conditions follow IAM's rules: a
statement applies only when all its conditions hold; negated operators (``StringNotEquals``,
``ArnNotLike``...) hold when the key is absent, positive ones do not; ``...IfExists`` and
``Null`` behave as documented. An explicit Deny wins, else an Allow is needed.

Actions and resources follow the Service Authorization Reference: Converse and InvokeModel need
``bedrock:InvokeModel`` (the streaming forms ``bedrock:InvokeModelWithResponseStream``) on the
model or inference-profile ARN, with ``bedrock:GuardrailIdentifier`` = ``<guardrail ARN>:<version>``
in the request context when a guardrail is given, plus ``bedrock:ApplyGuardrail`` on the
guardrail; a prompt ARN as model id also needs ``bedrock:RenderPrompt`` on the prompt. Other
operations need ``<service>:<Operation>`` on the ARN their identifiers name, else ``*``.
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass, field
from typing import Any

from course.bedrock_sim import state
from course.bedrock_sim.protocol import Call, ServiceError

_STREAMING = {"ConverseStream", "InvokeModelWithResponseStream"}
_INFERENCE = {"Converse", "ConverseStream", "InvokeModel", "InvokeModelWithResponseStream"}
_PREFIX = {"s3vectors": "s3vectors"}


@dataclass
class Need:
    """One permission a request needs: an action on a resource in a request context."""

    action: str
    resource: str
    context: dict[str, str] = field(default_factory=dict)


def enforced() -> bool:
    """Is moto checking IAM now? Counts the request as moto does when it is not."""
    from moto import settings
    from moto.core.authorization import ActionAuthenticatorMixin

    if ActionAuthenticatorMixin.request_count >= settings.INITIAL_NO_AUTH_ACTION_COUNT:
        return True
    ActionAuthenticatorMixin.request_count += 1
    return False


# ---------------------------------------------------------------- what a request needs


def _guardrail_arn(identifier: str, region: str) -> str:
    if identifier.startswith("arn:"):
        return identifier
    return f"arn:aws:bedrock:{region}:{state.ACCOUNT_ID}:guardrail/{identifier}"


def _model_arns(model_id: str, region: str) -> list[str]:
    """The ARNs a model id stands for (a profile needs its foundation model too)."""
    from course.bedrock_sim import catalogue

    if model_id.startswith("arn:"):
        if ":inference-profile/" in model_id or ":application-inference-profile/" in model_id:
            base = model_id.rsplit("/", 1)[-1].split(".", 1)[-1]
            return [model_id, catalogue.model_arn(base, region)]
        return [model_id]
    prefix, _, rest = model_id.partition(".")
    if catalogue.find(model_id) is None and catalogue.find(rest) is not None:  # us./eu./global. profile
        return [
            f"arn:aws:bedrock:{region}:{state.ACCOUNT_ID}:inference-profile/{model_id}",
            catalogue.model_arn(rest, region),
        ]
    return [catalogue.model_arn(model_id, region)]


def _inference_needs(call: Call) -> list[Need]:
    params, region = call.params, call.region
    action = "bedrock:InvokeModelWithResponseStream" if call.operation in _STREAMING else "bedrock:InvokeModel"
    config = params.get("guardrailConfig") or {}
    identifier = config.get("guardrailIdentifier") or params.get("guardrailIdentifier")
    version = config.get("guardrailVersion") or params.get("guardrailVersion")
    context: dict[str, str] = {"aws:RequestedRegion": region}
    needs: list[Need] = []
    if identifier:
        arn = _guardrail_arn(identifier, region)
        context["bedrock:GuardrailIdentifier"] = f"{arn}:{version}" if version else arn
        needs.append(Need("bedrock:ApplyGuardrail", arn, {"aws:RequestedRegion": region}))
    model_id = params.get("modelId", "")
    if ":prompt/" in model_id:
        from course.bedrock_sim import prompts

        needs.append(Need("bedrock:RenderPrompt", model_id, {"aws:RequestedRegion": region}))
        try:
            model_id = prompts.render(model_id, params.get("promptVariables") or {})["modelId"]
        except ServiceError:
            return needs  # the request fails validation later, as on AWS
    return [Need(action, arn, context) for arn in _model_arns(model_id, region)] + needs


_RESOURCE_PARAMS = (
    ("guardrailIdentifier", "guardrail/{id}"),
    ("promptIdentifier", "prompt/{id}"),
    ("flowIdentifier", "flow/{id}"),
    ("knowledgeBaseId", "knowledge-base/{id}"),
)


def needs_of(call: Call) -> list[Need]:
    """The permissions ``call`` needs."""
    if call.service == "bedrock-runtime" and call.operation in _INFERENCE:
        return _inference_needs(call)
    prefix = _PREFIX.get(call.service, "bedrock")
    context = {"aws:RequestedRegion": call.region}
    resource = "*"
    for name, template in _RESOURCE_PARAMS:
        value = call.params.get(name)
        if value:
            resource = (
                value
                if str(value).startswith("arn:")
                else (f"arn:aws:bedrock:{call.region}:{state.ACCOUNT_ID}:" + template.format(id=value))
            )
            if name == "flowIdentifier" and call.params.get("flowAliasIdentifier"):
                resource += f"/alias/{call.params['flowAliasIdentifier']}"
            break
    if call.operation == "ApplyGuardrail":
        return [Need("bedrock:ApplyGuardrail", resource, context)]
    if call.operation == "CountTokens":
        return [Need("bedrock:CountTokens", arn, context) for arn in _model_arns(call.params["modelId"], call.region)]
    return [Need(f"{prefix}:{call.operation}", resource, context)]


# ---------------------------------------------------------------- policy evaluation

_NEGATED = {"StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "ArnNotEquals", "ArnNotLike"}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _like(pattern: str, value: str, case: bool = True) -> bool:
    if not case:
        pattern, value = pattern.lower(), value.lower()
    return fnmatch.fnmatchcase(value, pattern)


def _compare(operator: str, expected: list[Any], actual: str) -> bool:
    base = operator.removesuffix("IfExists")
    expected = [str(e) for e in expected]
    if base in ("StringEquals", "ArnEquals"):
        return actual in expected
    if base in ("StringNotEquals", "ArnNotEquals"):
        return actual not in expected
    if base == "StringEqualsIgnoreCase":
        return actual.lower() in [e.lower() for e in expected]
    if base == "StringNotEqualsIgnoreCase":
        return actual.lower() not in [e.lower() for e in expected]
    if base in ("StringLike", "ArnLike"):
        return any(_like(e, actual) for e in expected)
    if base in ("StringNotLike", "ArnNotLike"):
        return not any(_like(e, actual) for e in expected)
    if base == "Bool":
        return actual.lower() in [e.lower() for e in expected]
    return False  # an operator the simulator does not know never matches


def conditions_hold(conditions: dict[str, Any], context: dict[str, str]) -> bool:
    lowered = {k.lower(): v for k, v in context.items()}
    for raw_operator, pairs in (conditions or {}).items():
        operator = raw_operator.split(":", 1)[-1]  # ForAnyValue:/ForAllValues: on single values
        for key, expected in pairs.items():
            actual = lowered.get(key.lower())
            if operator == "Null":
                wants_absent = str(_as_list(expected)[0]).lower() == "true"
                if (actual is None) != wants_absent:
                    return False
                continue
            if actual is None:
                if operator.endswith("IfExists") or operator in _NEGATED:
                    continue
                return False
            if not _compare(operator, _as_list(expected), actual):
                return False
    return True


def _statement_applies(statement: dict[str, Any], need: Need) -> bool:
    if "NotAction" in statement:
        if any(_like(a, need.action, case=False) for a in _as_list(statement["NotAction"])):
            return False
    elif not any(_like(a, need.action, case=False) for a in _as_list(statement.get("Action", []))):
        return False
    if "NotResource" in statement:
        if any(_like(r, need.resource) for r in _as_list(statement["NotResource"])):
            return False
    elif not any(_like(r, need.resource) for r in _as_list(statement.get("Resource", []))):
        return False
    return conditions_hold(statement.get("Condition") or {}, need.context)


def _documents(policies: list[Any]) -> list[dict[str, Any]]:
    from moto.iam.models import Policy

    documents = []
    for policy in policies:
        if isinstance(policy, Policy):
            text = next(v.document for v in policy.versions if v.is_default)
        elif isinstance(policy, str):
            text = policy
        else:
            text = policy["policy_document"]
        documents.append(json.loads(text) if isinstance(text, str) else text)
    return documents


def decide(documents: list[dict[str, Any]], need: Need) -> str:
    """ "ALLOW", "EXPLICIT_DENY" or "IMPLICIT_DENY" for ``need`` under identity policies."""
    allowed = False
    for document in documents:
        for statement in _as_list(document.get("Statement", [])):
            if not _statement_applies(statement, need):
                continue
            if statement.get("Effect") == "Deny":
                return "EXPLICIT_DENY"
            allowed = True
    return "ALLOW" if allowed else "IMPLICIT_DENY"


# ---------------------------------------------------------------- entry point


def _caller(request):
    """moto's view of the caller's access key (raises the error AWS gives for a bad key)."""
    from moto.iam.access_control import CreateAccessKeyFailure, create_access_key

    headers = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in request.headers.items()}
    authorization = headers.get("Authorization", "")
    key_id = authorization.partition("Credential=")[2].partition("/")[0]
    try:
        return create_access_key(state.ACCOUNT_ID, "aws", key_id, headers)
    except CreateAccessKeyFailure as exc:
        raise ServiceError(
            "UnrecognizedClientException", "The security token included in the request is invalid.", 403
        ) from exc


def check(request, call: Call) -> None:
    """Raise AccessDeniedException (as AWS words it) if IAM is enforced and ``call`` is not allowed."""
    if not enforced():
        return
    caller = _caller(request)
    documents = _documents(caller.collect_policies())
    for need in needs_of(call):
        verdict = decide(documents, need)
        if verdict == "ALLOW":
            continue
        reason = (
            "with an explicit deny in an identity-based policy"
            if verdict == "EXPLICIT_DENY"
            else f"because no identity-based policy allows the {need.action} action"
        )
        raise ServiceError(
            "AccessDeniedException",
            f"User: {caller.arn} is not authorized to perform: {need.action} on resource: {need.resource} {reason}",
            403,
        )
