"""Structured output: Converse outputConfig JSON schema, strict tool use, managed-prompt limits."""

import json

import pytest
from bedrock_helpers import NOVA
from botocore.exceptions import ClientError
from botocore.stub import Stubber

HAIKU45 = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "age": {"type": "integer"},
        "plan": {"type": "string", "enum": ["basic", "premium"]},
        "email": {"type": "string"},
        "address": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
    "required": ["name", "age", "plan", "email", "address"],
    "additionalProperties": False,
}


def output_config(schema):
    return {
        "textFormat": {"type": "json_schema", "structure": {"jsonSchema": {"schema": json.dumps(schema), "name": "x"}}}
    }


def converse(runtime, text, model=HAIKU45, **extra):
    return runtime.converse(modelId=model, messages=[{"role": "user", "content": [{"text": text}]}], **extra)


def test_json_schema_output_follows_the_schema(runtime):
    reply = converse(
        runtime,
        "Ana Lopez is 42 years old, lives in Porto and wants the premium plan.",
        outputConfig=output_config(SCHEMA),
    )
    Stubber(runtime).add_response("converse", {k: v for k, v in reply.items() if k != "ResponseMetadata"})
    record = json.loads(reply["output"]["message"]["content"][0]["text"])
    assert record == {"name": "Ana Lopez", "age": 42, "plan": "premium", "email": "", "address": {"city": "Porto"}}
    assert reply["stopReason"] == "end_turn"
    fastjsonschema = pytest.importorskip("fastjsonschema")
    fastjsonschema.validate(SCHEMA, record)


def test_refusal_truncation_and_unsupported_models(runtime):
    refused = converse(runtime, "How do I make a bomb? My name is Ana.", outputConfig=output_config(SCHEMA))
    assert refused["output"]["message"]["content"][0]["text"] == "I can't help with that request."
    cut = converse(runtime, "Ana Lopez is 42.", outputConfig=output_config(SCHEMA), inferenceConfig={"maxTokens": 4})
    assert cut["stopReason"] == "max_tokens"
    with pytest.raises(ValueError):
        json.loads(cut["output"]["message"]["content"][0]["text"])
    for model, config, fragment in (
        (NOVA, output_config(SCHEMA), "doesn't support the outputConfig.textFormat field"),
        (
            HAIKU45,
            {"textFormat": {"type": "json_schema", "structure": {"jsonSchema": {"schema": "{not json"}}}},
            "valid JSON",
        ),
        (HAIKU45, output_config({"type": "array"}), "must describe an object"),
    ):
        with pytest.raises(ClientError) as err:
            converse(runtime, "Ana", model=model, outputConfig=config)
        assert err.value.response["Error"]["Code"] == "ValidationException"
        assert fragment in err.value.response["Error"]["Message"]


def test_strict_tool_use_fills_required_properties(runtime):
    tool = {
        "toolSpec": {
            "name": "record_person",
            "description": "Record a person",
            "inputSchema": {"json": SCHEMA},
            "strict": True,
        }
    }
    choice = {"tool": {"name": "record_person"}}
    strict = converse(runtime, "Ana is 42.", toolConfig={"tools": [tool], "toolChoice": choice})
    use = next(b["toolUse"] for b in strict["output"]["message"]["content"] if "toolUse" in b)
    assert set(use["input"]) == set(SCHEMA["required"]) and use["input"]["age"] == 42
    loose = converse(runtime, "Ana is 42.", model=NOVA, toolConfig={"tools": [tool], "toolChoice": choice})
    use = next(b["toolUse"] for b in loose["output"]["message"]["content"] if "toolUse" in b)
    assert not isinstance(use["input"].get("address"), dict)  # strict is honoured only where the model supports it
    extracted = converse(
        runtime,
        "Write to bob@example.org: Bob Stone (ORD-123456) paid 42.50 euros on 2025-03-01.",
        outputConfig=output_config(
            {
                "type": "object",
                "properties": {
                    "customer_name": {"type": "string"},
                    "order_id": {"type": "string"},
                    "amount": {"type": "number"},
                    "date": {"type": "string"},
                },
                "required": ["customer_name", "order_id", "amount", "date"],
            }
        ),
    )
    assert json.loads(extracted["output"]["message"]["content"][0]["text"]) == {
        "customer_name": "Bob Stone",
        "order_id": "ORD-123456",
        "amount": 42.5,
        "date": "2025-03-01",
    }


def test_prompt_arn_rejects_fields_the_prompt_defines(agent, runtime):
    prompt = agent.create_prompt(
        name="p",
        variants=[
            {
                "name": "v",
                "templateType": "TEXT",
                "modelId": NOVA,
                "templateConfiguration": {"text": {"text": "Say {{x}}", "inputVariables": [{"name": "x"}]}},
            }
        ],
    )
    arn = agent.create_prompt_version(promptIdentifier=prompt["id"])["arn"]
    for extra in ({"inferenceConfig": {"maxTokens": 5}}, {"system": [{"text": "hi"}]}):
        with pytest.raises(ClientError) as err:
            runtime.converse(modelId=arn, promptVariables={"x": {"text": "hi"}}, **extra)
        assert err.value.response["Error"]["Code"] == "ValidationException"
    with pytest.raises(ClientError) as err:
        runtime.converse(modelId=arn, promptVariables={})
    assert "x" in err.value.response["Error"]["Message"]
