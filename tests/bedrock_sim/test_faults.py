"""Faults on request (course.bedrock_sim.inject_fault): real error codes and messages, real
response shapes, deterministic, and gone after clear_faults / reset / re-ingestion."""

import json

import pytest
from bedrock_helpers import HAIKU, NOVA, user
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.stub import Stubber
from test_knowledge_bases import ingest, make_kb

import course.bedrock_sim as bedrock_sim

LLAMA = "meta.llama3-8b-instruct-v1:0"
CONTEXT = "Refunds are issued within 14 days of the return. Items must be unused."


def valid(client, method, response):
    Stubber(client).add_response(method, {k: v for k, v in response.items() if k != "ResponseMetadata"})


def error_of(call):
    with pytest.raises(ClientError) as err:
        call()
    return err.value.response["Error"]["Code"], err.value.response["Error"]["Message"]


def test_context_window_of_the_catalogue_and_the_fault(runtime):
    long_text = "word " * 9000
    code, message = error_of(lambda: runtime.converse(modelId=LLAMA, messages=user(long_text)))
    assert code == "ValidationException"
    assert message == "This model's maximum context length is 8192 tokens. Please reduce the length of the prompt."
    bedrock_sim.inject_fault("context_window", HAIKU, tokens=50)
    prompt = "Summarize this report: " + "The quarter went well. " * 20
    code, message = error_of(lambda: runtime.converse(modelId=HAIKU, messages=user(prompt)))
    assert code == "ValidationException" and message.startswith(
        "The model returned the following errors: prompt is too long:"
    )
    assert message.endswith("tokens > 50 maximum")
    body = json.dumps(
        {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 50, "messages": [{"role": "user", "content": prompt}]}
    )
    assert error_of(lambda: runtime.invoke_model(modelId=HAIKU, body=body))[0] == "ValidationException"
    assert runtime.converse(modelId=HAIKU, messages=user("Hello"))["stopReason"] == "end_turn"
    assert runtime.count_tokens(modelId=HAIKU, input={"converse": {"messages": user(prompt)}})["inputTokens"] > 50
    bedrock_sim.inject_fault("context_window", NOVA, tokens=10)
    assert (
        error_of(lambda: runtime.converse(modelId=NOVA, messages=user(prompt)))[1]
        == "Input is too long for requested model."
    )
    bedrock_sim.clear_faults("context_window")
    assert runtime.converse(modelId=HAIKU, messages=user(prompt))["stopReason"] == "end_turn"


def test_default_max_tokens_truncates_only_requests_without_a_limit(runtime):
    bedrock_sim.inject_fault("default_max_tokens", NOVA, tokens=5)
    question = f"<context>{CONTEXT}</context> Question: How long do refunds take?"
    cut = runtime.converse(modelId=NOVA, messages=user(question))
    valid(runtime, "converse", cut)
    assert cut["stopReason"] == "max_tokens" and cut["usage"]["outputTokens"] == 5
    whole = runtime.converse(modelId=NOVA, messages=user(question), inferenceConfig={"maxTokens": 300})
    assert whole["stopReason"] == "end_turn" and "14 days" in whole["output"]["message"]["content"][0]["text"]
    body = {"messages": [{"role": "user", "content": [{"text": question}]}]}
    raw = json.loads(runtime.invoke_model(modelId=NOVA, body=json.dumps(body))["body"].read())
    assert raw["stopReason"] == "max_tokens"
    body["inferenceConfig"] = {"max_new_tokens": 300}
    raw = json.loads(runtime.invoke_model(modelId=NOVA, body=json.dumps(body))["body"].read())
    assert raw["stopReason"] == "end_turn"


def test_throttle_bursts_and_clearing(sim_aws):
    client = sim_aws.client("bedrock-runtime", config=Config(retries={"total_max_attempts": 1}))
    bedrock_sim.inject_fault("throttle", NOVA, allowed=2, window=4)
    outcomes = []
    for _ in range(8):
        try:
            client.converse(modelId=NOVA, messages=user("Hello"))
            outcomes.append("ok")
        except ClientError as err:
            outcomes.append(err.response["Error"]["Code"])
    assert outcomes == ["ok", "ok", "ThrottlingException", "ThrottlingException"] * 2
    assert bedrock_sim.active_faults() == [{"kind": "throttle", "target": NOVA, "allowed": 2, "window": 4}]
    bedrock_sim.clear_faults(target=NOVA)
    assert bedrock_sim.quota_status(NOVA) is None and bedrock_sim.active_faults() == []


def test_unfilled_variable_answers_about_the_placeholder(runtime):
    prompt = "Write a short welcome note for {{customer_name}} about their new order."
    plain = runtime.converse(modelId=NOVA, messages=user(prompt))["output"]["message"]["content"][0]["text"]
    bedrock_sim.inject_fault("unfilled_variable", NOVA)
    out = runtime.converse(modelId=NOVA, messages=user(prompt))
    valid(runtime, "converse", out)
    text = out["output"]["message"]["content"][0]["text"]
    assert "{{customer_name}}" in text and "customer name" in text and text != plain
    assert runtime.converse(modelId=NOVA, messages=user(prompt))["output"] == out["output"]  # deterministic
    filled = runtime.converse(modelId=NOVA, messages=user(prompt.replace("{{customer_name}}", "Ana")))
    assert "{{" not in filled["output"]["message"]["content"][0]["text"]


def test_format_confusion_drops_json_only_when_the_prompt_is_confusing(runtime):
    clear = f"<context>{CONTEXT}</context>\nRespond only with a JSON object.\nQuestion: How long do refunds take?"
    confusing = "Answer in bullet points.\n" + clear
    bedrock_sim.inject_fault("format_confusion", NOVA)
    good = runtime.converse(modelId=NOVA, messages=user(clear))["output"]["message"]["content"][0]["text"]
    assert json.loads(good)
    bad = runtime.converse(modelId=NOVA, messages=user(confusing))["output"]["message"]["content"][0]["text"]
    with pytest.raises(ValueError):
        json.loads(bad)
    assert "14 days" in bad
    buried = (
        "Respond only with a JSON object.\n" + f"<context>{CONTEXT * 12}</context>\nQuestion: How long do refunds take?"
    )
    text = runtime.converse(modelId=NOVA, messages=user(buried))["output"]["message"]["content"][0]["text"]
    with pytest.raises(ValueError):
        json.loads(text)
    in_system = runtime.converse(
        modelId=NOVA, system=[{"text": "Respond only with a JSON object."}], messages=user(buried.split("\n", 1)[1])
    )["output"]["message"]["content"][0]["text"]
    assert json.loads(in_system)


def test_embedding_drift_scrambles_retrieval_until_reingestion(agent, agent_runtime, s3):
    kb, ds = make_kb(agent, s3)
    ingest(agent, kb, ds)
    query = {"text": "How long do refunds take?"}
    before = agent_runtime.retrieve(knowledgeBaseId=kb["knowledgeBaseId"], retrievalQuery=query)["retrievalResults"]
    assert "Refunds" in before[0]["content"]["text"]
    bedrock_sim.inject_fault("embedding_drift", kb["knowledgeBaseId"])
    drifted = agent_runtime.retrieve(knowledgeBaseId=kb["knowledgeBaseId"], retrievalQuery=query)
    valid(agent_runtime, "retrieve", drifted)
    results = drifted["retrievalResults"]
    assert max(r["score"] for r in results) < before[0]["score"]
    assert (
        results
        == agent_runtime.retrieve(knowledgeBaseId=kb["knowledgeBaseId"], retrievalQuery=query)["retrievalResults"]
    )
    ingest(agent, kb, ds)  # re-embeds everything with the current model
    healed = agent_runtime.retrieve(knowledgeBaseId=kb["knowledgeBaseId"], retrievalQuery=query)["retrievalResults"]
    assert healed[0]["content"]["text"] == before[0]["content"]["text"] and bedrock_sim.active_faults() == []


def test_bad_fault_requests_say_what_is_wrong():
    with pytest.raises(ValueError, match="known kinds"):
        bedrock_sim.inject_fault("gremlins", NOVA)
    with pytest.raises(ValueError, match="tokens"):
        bedrock_sim.inject_fault("context_window", NOVA)
    with pytest.raises(ValueError, match="positive integer"):
        bedrock_sim.inject_fault("context_window", NOVA, tokens=0)
    with pytest.raises(ValueError, match="catalogue"):
        bedrock_sim.inject_fault("unfilled_variable", "acme.none-v1")
    with pytest.raises(ValueError, match="knowledge base"):
        bedrock_sim.inject_fault("embedding_drift", "NOKB")
    bedrock_sim.inject_fault("unfilled_variable", NOVA)
    bedrock_sim.reset()
    assert bedrock_sim.active_faults() == []
