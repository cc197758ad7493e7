import json

import pytest
from bedrock_helpers import HAIKU, NOVA, SONNET, TITAN_EMBED, claude_body, user
from botocore.exceptions import ClientError

WEATHER_TOOL = {
    "toolSpec": {
        "name": "get_weather",
        "description": "Get the current weather for a city",
        "inputSchema": {
            "json": {
                "type": "object",
                "properties": {
                    "city": {"type": "string"},
                    "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                    "days": {"type": "integer"},
                },
                "required": ["city"],
            }
        },
    }
}
CONTEXT = (
    "Context: Our store opens at 9am on weekdays. Refunds are issued within 14 days of purchase. "
    "Shipping is free for orders over 50 dollars.\n"
)


def test_titan_embedding_shape_and_dimensions(runtime):
    for dims in (256, 512, 1024):
        r = runtime.invoke_model(modelId=TITAN_EMBED, body=json.dumps({"inputText": "hello world", "dimensions": dims}))
        body = json.loads(r["body"].read())
        assert r["contentType"] == "application/json"
        assert len(body["embedding"]) == dims
        assert body["inputTextTokenCount"] == 2
        assert all(isinstance(v, float) for v in body["embedding"])
    norm = sum(v * v for v in body["embedding"]) ** 0.5
    assert abs(norm - 1) < 1e-3


def test_titan_embedding_validation(runtime):
    with pytest.raises(ClientError) as err:
        runtime.invoke_model(modelId=TITAN_EMBED, body=json.dumps({"inputText": "x", "dimensions": 100}))
    assert err.value.response["Error"]["Code"] == "ValidationException"
    with pytest.raises(ClientError) as err:
        runtime.invoke_model(modelId=TITAN_EMBED, body=json.dumps({"messages": []}))
    assert "required key [inputText]" in err.value.response["Error"]["Message"]


def test_claude_messages_extractive_answer(runtime):
    r = runtime.invoke_model(
        modelId=HAIKU,
        body=claude_body(CONTEXT + "Question: When are refunds issued?", system="Answer from the context only."),
    )
    body = json.loads(r["body"].read())
    assert body["type"] == "message" and body["role"] == "assistant"
    assert body["content"] == [{"type": "text", "text": "Refunds are issued within 14 days of purchase."}]
    assert body["stop_reason"] == "end_turn" and body["stop_sequence"] is None
    assert set(body["usage"]) == {"input_tokens", "output_tokens"}
    headers = r["ResponseMetadata"]["HTTPHeaders"]
    assert int(headers["x-amzn-bedrock-output-token-count"]) == body["usage"]["output_tokens"]


def test_claude_unanswerable_says_it_does_not_know(runtime):
    r = runtime.invoke_model(modelId=SONNET, body=claude_body(CONTEXT + "Question: Who founded the company?"))
    text = json.loads(r["body"].read())["content"][0]["text"]
    assert "don't know" in text


def test_claude_max_tokens_and_stop_sequences(runtime):
    r = runtime.invoke_model(
        modelId=HAIKU, body=claude_body(CONTEXT + "Question: When are refunds issued?", max_tokens=3)
    )
    body = json.loads(r["body"].read())
    assert body["stop_reason"] == "max_tokens"
    assert body["usage"]["output_tokens"] == 3
    assert body["content"][0]["text"] == "Refunds are issued"
    r = runtime.invoke_model(
        modelId=HAIKU, body=claude_body(CONTEXT + "Question: When are refunds issued?", stop_sequences=["14"])
    )
    body = json.loads(r["body"].read())
    assert body["stop_reason"] == "stop_sequence" and body["stop_sequence"] == "14"
    assert body["content"][0]["text"] == "Refunds are issued within "


def test_claude_body_validation(runtime):
    bad = {"max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]}
    with pytest.raises(ClientError) as err:
        runtime.invoke_model(modelId=HAIKU, body=json.dumps(bad))
    assert err.value.response["Error"]["Code"] == "ValidationException"
    assert "anthropic_version" in err.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as err:
        runtime.invoke_model(modelId=HAIKU, body=json.dumps({"inputText": "hi"}))
    assert err.value.response["Error"]["Code"] == "ValidationException"
    two_users = json.dumps(
        {
            "anthropic_version": "bedrock-2023-05-31",
            "max_tokens": 10,
            "messages": [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}],
        }
    )
    with pytest.raises(ClientError) as err:
        runtime.invoke_model(modelId=HAIKU, body=two_users)
    assert "alternate" in err.value.response["Error"]["Message"]


def test_unknown_model_and_profile_only_model(runtime):
    with pytest.raises(ClientError) as err:
        runtime.invoke_model(modelId="acme.unknown-v1", body="{}")
    assert err.value.response["Error"]["Code"] == "ValidationException"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(ClientError) as err:
        runtime.converse(modelId="anthropic.claude-3-7-sonnet-20250219-v1:0", messages=user("hi"))
    assert "inference profile" in err.value.response["Error"]["Message"]
    r = runtime.converse(modelId="us.anthropic.claude-3-7-sonnet-20250219-v1:0", messages=user("hi"))
    assert r["stopReason"] == "end_turn"


def test_nova_messages_v1(runtime):
    body = {
        "schemaVersion": "messages-v1",
        "system": [{"text": "Be brief."}],
        "messages": [{"role": "user", "content": [{"text": CONTEXT + "Question: Is shipping free?"}]}],
        "inferenceConfig": {"max_new_tokens": 100, "temperature": 0.2},
    }
    out = json.loads(runtime.invoke_model(modelId=NOVA, body=json.dumps(body))["body"].read())
    assert out["output"]["message"]["role"] == "assistant"
    assert out["output"]["message"]["content"][0]["text"] == "Shipping is free for orders over 50 dollars."
    assert out["stopReason"] == "end_turn"
    assert out["usage"]["totalTokens"] == out["usage"]["inputTokens"] + out["usage"]["outputTokens"]


def test_titan_text(runtime):
    body = {
        "inputText": CONTEXT + "Question: When does the store open?",
        "textGenerationConfig": {"maxTokenCount": 50},
    }
    out = json.loads(runtime.invoke_model(modelId="amazon.titan-text-express-v1", body=json.dumps(body))["body"].read())
    assert out["results"][0]["outputText"] == "Our store opens at 9am on weekdays."
    assert out["results"][0]["completionReason"] == "FINISH"
    assert out["inputTextTokenCount"] > 0


def test_converse_shape(runtime):
    r = runtime.converse(
        modelId=HAIKU,
        system=[{"text": "Answer from the context."}],
        messages=user(CONTEXT + "Question: When are refunds issued?"),
        inferenceConfig={"maxTokens": 100, "temperature": 0.0, "stopSequences": ["###"]},
    )
    assert r["output"]["message"] == {
        "role": "assistant",
        "content": [{"text": "Refunds are issued within 14 days of purchase."}],
    }
    assert r["stopReason"] == "end_turn"
    usage = r["usage"]
    assert usage["totalTokens"] == usage["inputTokens"] + usage["outputTokens"]
    assert isinstance(r["metrics"]["latencyMs"], int)


def test_converse_max_tokens(runtime):
    r = runtime.converse(modelId=NOVA, messages=user("Tell me about cloud computing"), inferenceConfig={"maxTokens": 4})
    assert r["stopReason"] == "max_tokens" and r["usage"]["outputTokens"] == 4


def test_converse_validation(runtime):
    with pytest.raises(ClientError) as err:
        runtime.converse(modelId=HAIKU, messages=[{"role": "assistant", "content": [{"text": "hi"}]}])
    assert "start with a user message" in err.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as err:
        runtime.converse(modelId=HAIKU, messages=user("a") + user("b"))
    assert "alternate" in err.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as err:
        runtime.converse(modelId=TITAN_EMBED, messages=user("a"))
    assert err.value.response["Error"]["Code"] == "ValidationException"
    with pytest.raises(ClientError) as err:
        runtime.converse(modelId="amazon.titan-text-express-v1", system=[{"text": "x"}], messages=user("a"))
    assert "system" in err.value.response["Error"]["Message"]


def test_converse_tool_use_round_trip(runtime):
    messages = user("What is the weather in Paris in celsius for 3 days?")
    tool_config = {"tools": [WEATHER_TOOL]}
    first = runtime.converse(modelId=SONNET, messages=messages, toolConfig=tool_config)
    assert first["stopReason"] == "tool_use"
    blocks = first["output"]["message"]["content"]
    use = next(b["toolUse"] for b in blocks if "toolUse" in b)
    assert use["name"] == "get_weather"
    assert use["input"] == {"city": "Paris", "unit": "celsius", "days": 3}
    messages.append(first["output"]["message"])
    messages.append(
        {
            "role": "user",
            "content": [
                {
                    "toolResult": {
                        "toolUseId": use["toolUseId"],
                        "content": [{"json": {"temperature": 21, "sky": "sunny"}}],
                    }
                }
            ],
        }
    )
    final = runtime.converse(modelId=SONNET, messages=messages, toolConfig=tool_config)
    assert final["stopReason"] == "end_turn"
    text = final["output"]["message"]["content"][0]["text"]
    assert "21" in text and "sunny" in text


def test_converse_no_tool_when_unrelated(runtime):
    r = runtime.converse(
        modelId=SONNET, messages=user("Write a haiku about autumn"), toolConfig={"tools": [WEATHER_TOOL]}
    )
    assert r["stopReason"] == "end_turn"


def test_claude_tool_use_invoke_model(runtime):
    tools = [
        {
            "name": "get_weather",
            "description": "Get the weather for a city",
            "input_schema": {
                "type": "object",
                "properties": {"city": {"type": "string"}},
                "required": ["city"],
            },
        }
    ]
    body = json.loads(
        runtime.invoke_model(modelId=HAIKU, body=claude_body("What's the weather in Berlin?", tools=tools))[
            "body"
        ].read()
    )
    assert body["stop_reason"] == "tool_use"
    tool_use = body["content"][-1]
    assert tool_use["type"] == "tool_use" and tool_use["input"] == {"city": "Berlin"}
    assert tool_use["id"].startswith("toolu_bdrk_")


def test_few_shot_label_format(runtime):
    prompt = (
        "Classify the sentiment.\n"
        "Review: I love this blender, it works great\nSentiment: positive\n"
        "Review: terrible quality, broke after a day\nSentiment: negative\n"
        "Review: works great and I love the color\nSentiment:"
    )
    r = runtime.converse(modelId=HAIKU, messages=user(prompt))
    assert r["output"]["message"]["content"][0]["text"] == "Sentiment: positive"


def test_converse_document_block(runtime):
    doc = b"The warranty lasts two years. Batteries are not covered."
    messages = [
        {
            "role": "user",
            "content": [
                {"document": {"format": "txt", "name": "warranty", "source": {"bytes": doc}}},
                {"text": "How long does the warranty last?"},
            ],
        }
    ]
    r = runtime.converse(modelId=SONNET, messages=messages)
    assert r["output"]["message"]["content"][0]["text"] == "The warranty lasts two years."


def test_converse_stream_decoded_by_botocore(runtime):
    r = runtime.converse_stream(modelId=NOVA, messages=user(CONTEXT + "Question: When are refunds issued?"))
    events = list(r["stream"])
    kinds = [next(iter(e)) for e in events]
    assert kinds[0] == "messageStart" and kinds[-2:] == ["messageStop", "metadata"]
    text = "".join(e["contentBlockDelta"]["delta"]["text"] for e in events if "contentBlockDelta" in e)
    assert text == "Refunds are issued within 14 days of purchase."
    assert events[-1]["metadata"]["usage"]["outputTokens"] > 0
    assert "latencyMs" in events[-1]["metadata"]["metrics"]


def test_converse_stream_tool_use(runtime):
    r = runtime.converse_stream(modelId=SONNET, messages=user("weather in Rome?"), toolConfig={"tools": [WEATHER_TOOL]})
    events = list(r["stream"])
    start = next(e["contentBlockStart"] for e in events if "contentBlockStart" in e)
    assert start["start"]["toolUse"]["name"] == "get_weather"
    delta = next(
        e["contentBlockDelta"]["delta"]["toolUse"]
        for e in events
        if "toolUse" in e.get("contentBlockDelta", {}).get("delta", {})
    )
    assert json.loads(delta["input"]) == {"city": "Rome"}
    assert events[-2]["messageStop"]["stopReason"] == "tool_use"


def test_invoke_model_with_response_stream(runtime):
    r = runtime.invoke_model_with_response_stream(
        modelId=HAIKU, body=claude_body(CONTEXT + "Question: When are refunds issued?")
    )
    chunks = [json.loads(e["chunk"]["bytes"]) for e in r["body"]]
    assert chunks[0]["type"] == "message_start"
    text = "".join(c["delta"]["text"] for c in chunks if c["type"] == "content_block_delta")
    assert text == "Refunds are issued within 14 days of purchase."
    assert chunks[-1]["type"] == "message_stop"
    assert chunks[-1]["amazon-bedrock-invocationMetrics"]["outputTokenCount"] > 0
    assert r["contentType"] == "application/json"


def test_count_tokens(runtime):
    r = runtime.count_tokens(modelId=HAIKU, input={"converse": {"messages": user("Hello, world!")}})
    assert r["inputTokens"] == 4
    r = runtime.count_tokens(modelId=HAIKU, input={"invokeModel": {"body": claude_body("Hello, world!")}})
    assert r["inputTokens"] == 4


def test_determinism(runtime):
    outputs = {
        json.dumps(runtime.converse(modelId=NOVA, messages=user("Explain vector databases"))["output"])
        for _ in range(3)
    }
    assert len(outputs) == 1
