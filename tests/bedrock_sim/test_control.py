import gzip
import json

import pytest
from bedrock_helpers import HAIKU, NOVA, TITAN_EMBED, claude_body, user
from botocore.config import Config
from botocore.exceptions import ClientError

import course.bedrock_sim as bedrock_sim


def test_list_foundation_models_filters(bedrock):
    everything = bedrock.list_foundation_models()["modelSummaries"]
    assert len(everything) > 10
    first = everything[0]
    assert {
        "modelArn",
        "modelId",
        "providerName",
        "inputModalities",
        "outputModalities",
        "inferenceTypesSupported",
    } <= set(first)
    anthropic = bedrock.list_foundation_models(byProvider="Anthropic")["modelSummaries"]
    assert anthropic and all(m["providerName"] == "Anthropic" for m in anthropic)
    embed = bedrock.list_foundation_models(byOutputModality="EMBEDDING")["modelSummaries"]
    assert TITAN_EMBED in [m["modelId"] for m in embed]
    provisioned = bedrock.list_foundation_models(byInferenceType="PROVISIONED")["modelSummaries"]
    assert all("PROVISIONED" in m["inferenceTypesSupported"] for m in provisioned)


def test_get_foundation_model(bedrock):
    details = bedrock.get_foundation_model(modelIdentifier=HAIKU)["modelDetails"]
    assert details["modelId"] == HAIKU and details["responseStreamingSupported"] is True
    with pytest.raises(ClientError) as err:
        bedrock.get_foundation_model(modelIdentifier="acme.nothing-v1")
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_cost_estimate_uses_catalogue():
    assert bedrock_sim.estimate_cost(HAIKU, 1000, 1000) == pytest.approx(0.00025 + 0.00125)


def test_provisioned_throughput(bedrock, runtime):
    arn = bedrock.create_provisioned_model_throughput(modelUnits=1, provisionedModelName="pt1", modelId=HAIKU)[
        "provisionedModelArn"
    ]
    got = bedrock.get_provisioned_model_throughput(provisionedModelId=arn)
    assert got["status"] == "InService" and got["modelUnits"] == 1
    assert [
        p["provisionedModelName"] for p in bedrock.list_provisioned_model_throughputs()["provisionedModelSummaries"]
    ] == ["pt1"]
    out = runtime.converse(modelId=arn, messages=user("Hello"))
    assert out["stopReason"] == "end_turn"
    with pytest.raises(ClientError) as err:
        bedrock.create_provisioned_model_throughput(
            modelUnits=1, provisionedModelName="pt2", modelId="amazon.nova-lite-v1:0x"
        )
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"
    bedrock.delete_provisioned_model_throughput(provisionedModelId=arn)
    assert bedrock.list_provisioned_model_throughputs()["provisionedModelSummaries"] == []


def test_throttling_quota(sim_aws):
    bedrock_sim.set_quota(NOVA, 2)
    client = sim_aws.client("bedrock-runtime", config=Config(retries={"total_max_attempts": 1}))
    outcomes = []
    for _ in range(5):
        try:
            client.converse(modelId=NOVA, messages=user("hi"))
            outcomes.append("ok")
        except ClientError as err:
            assert err.response["ResponseMetadata"]["HTTPStatusCode"] == 429
            outcomes.append(err.response["Error"]["Code"])
    assert outcomes == ["ok", "ok", "ThrottlingException", "ThrottlingException", "ok"]
    assert bedrock_sim.quota_status(NOVA)["throttled"] == 2
    # botocore's own retries get through the throttled attempts
    bedrock_sim.set_quota(NOVA, 1)
    retrying = sim_aws.client("bedrock-runtime", config=Config(retries={"total_max_attempts": 4, "mode": "standard"}))
    retrying.converse(modelId=NOVA, messages=user("hi"))
    response = retrying.converse(modelId=NOVA, messages=user("hi"))
    assert response["ResponseMetadata"]["RetryAttempts"] == 2
    bedrock_sim.clear_quota()


def test_invocation_logging_to_cloudwatch_and_s3(sim_aws, bedrock, runtime):
    logs = sim_aws.client("logs")
    s3 = sim_aws.client("s3")
    logs.create_log_group(logGroupName="/bedrock/invocations")
    s3.create_bucket(Bucket="bedrock-logs")
    bedrock.put_model_invocation_logging_configuration(
        loggingConfig={
            "cloudWatchConfig": {
                "logGroupName": "/bedrock/invocations",
                "roleArn": "arn:aws:iam::123456789012:role/logs",
            },
            "s3Config": {"bucketName": "bedrock-logs", "keyPrefix": "invocations"},
            "textDataDeliveryEnabled": True,
            "embeddingDataDeliveryEnabled": True,
        }
    )
    runtime.converse(modelId=NOVA, messages=user("Hello"))
    runtime.invoke_model(modelId=HAIKU, body=claude_body("Hello"))
    events = logs.get_log_events(logGroupName="/bedrock/invocations", logStreamName="aws/bedrock/modelinvocations")[
        "events"
    ]
    records = [json.loads(e["message"]) for e in events]
    assert [r["operation"] for r in records] == ["Converse", "InvokeModel"]
    first = records[0]
    assert first["schemaType"] == "ModelInvocationLog" and first["modelId"] == NOVA
    assert first["input"]["inputTokenCount"] == 1 and first["output"]["outputTokenCount"] > 0
    assert first["output"]["outputBodyJson"]["stopReason"] == "end_turn"
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="bedrock-logs")["Contents"]]
    assert len(keys) == 2 and all(
        k.startswith("invocations/AWSLogs/123456789012/BedrockModelInvocationLogs/us-east-1/") for k in keys
    )
    line = gzip.decompress(s3.get_object(Bucket="bedrock-logs", Key=keys[0])["Body"].read())
    assert json.loads(line)["schemaType"] == "ModelInvocationLog"
    assert bedrock.get_model_invocation_logging_configuration()["loggingConfig"]["textDataDeliveryEnabled"] is True
