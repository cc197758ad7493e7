"""Builders for the Bedrock Agents tests: Lambda functions, roles, agents, validated calls."""

from __future__ import annotations

import io
import json
import textwrap
import zipfile

from botocore.stub import Stubber
from botocore.validate import validate_parameters

MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
AGENT_ROLE = "arn:aws:iam::123456789012:role/agent-role"
INSTRUCTION = "You are a shop assistant. Help customers with their orders and deliveries."
LAMBDA_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}

ORDER_HANDLER = """
import json

def lambda_handler(event, context):
    print("called", event["function"])
    params = {p["name"]: p["value"] for p in event["parameters"]}
    body = {"order_id": params.get("order_id"), "status": "shipped", "attributes": event["sessionAttributes"]}
    return {
        "messageVersion": "1.0",
        "response": {
            "actionGroup": event["actionGroup"],
            "function": event["function"],
            "functionResponse": {"responseBody": {"TEXT": {"body": json.dumps(body)}}},
        },
        "sessionAttributes": {**event["sessionAttributes"], "last_order": params.get("order_id", "")},
    }
"""

ORDER_FUNCTIONS = {
    "functions": [
        {
            "name": "get_order_status",
            "description": "Look up the delivery status of a customer order.",
            "parameters": {
                "order_id": {"type": "string", "description": "The order id, such as ORD-1234.", "required": True}
            },
        }
    ]
}


def zip_source(source: str, name: str = "lambda_function.py") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, textwrap.dedent(source))
    return buffer.getvalue()


def make_function(
    iam,
    lam,
    name: str,
    source: str,
    *,
    role_name: str | None = None,
    permit_for: str | None = "*",
    timeout: int = 3,
    env: dict | None = None,
) -> str:
    role_name = role_name or f"{name}-role"
    try:
        role = iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST))["Role"]["Arn"]
    except iam.exceptions.EntityAlreadyExistsException:
        role = iam.get_role(RoleName=role_name)["Role"]["Arn"]
    kwargs = {"Environment": {"Variables": env}} if env else {}
    arn = lam.create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=role,
        Handler="lambda_function.lambda_handler",
        Code={"ZipFile": zip_source(source)},
        Timeout=timeout,
        **kwargs,
    )["FunctionArn"]
    if permit_for is not None:
        extra = {} if permit_for == "*" else {"SourceArn": permit_for}
        lam.add_permission(
            FunctionName=name,
            StatementId="bedrock",
            Action="lambda:InvokeFunction",
            Principal="bedrock.amazonaws.com",
            **extra,
        )
    return arn


def make_agent(agent, name: str = "shop", **extra) -> dict:
    params = {
        "agentName": name,
        "foundationModel": MODEL,
        "instruction": INSTRUCTION,
        "agentResourceRoleArn": AGENT_ROLE,
        **extra,
    }
    return agent.create_agent(**params)["agent"]


VALIDATED: set[str] = set()  # every operation whose answer was checked, for the coverage assertion


def validated(client, method: str, **kwargs):
    """Call ``client.method`` and check the answer against botocore's output shape (as Stubber does)."""
    VALIDATED.add(method)
    response = getattr(client, method)(**kwargs)
    body = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    Stubber(client).add_response(method, body)
    return response


def invoke(agent_runtime, **kwargs) -> tuple[list[dict], str]:
    """InvokeAgent with every event checked against the ResponseStream shape; (events, answer text)."""
    VALIDATED.add("invoke_agent")
    response = agent_runtime.invoke_agent(**kwargs)
    operation = agent_runtime.meta.service_model.operation_model("InvokeAgent")
    output = operation.output_shape
    headers = {k: v for k, v in response.items() if k not in ("ResponseMetadata", "completion")}
    for key, value in headers.items():
        validate_parameters({key: value}, _only(output, key))
    stream_shape = output.members["completion"]
    events = []
    for event in response["completion"]:
        validate_parameters(event, stream_shape)
        events.append(event)
    text = "".join(e["chunk"]["bytes"].decode() for e in events if "chunk" in e)
    return events, text


def _only(shape, member):
    """A copy of a structure shape with one member (to validate header members on their own)."""
    from botocore.model import StructureShape

    return StructureShape(
        shape.name,
        {"type": "structure", "members": {member: shape._shape_model["members"][member]}},
        shape._shape_resolver,
    )


def traces(events: list[dict], kind: str = "orchestrationTrace") -> list[dict]:
    return [e["trace"]["trace"][kind] for e in events if "trace" in e and kind in e["trace"]["trace"]]
