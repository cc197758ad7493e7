"""Prompt caching, service tiers, latency-optimised inference, Regions, quotas and metrics."""

import gzip
import json

import pytest
from bedrock_helpers import HAIKU, NOVA, user
from botocore.config import Config
from botocore.exceptions import ClientError
from shapes import valid

import course.bedrock_sim as bedrock_sim
from course.bedrock_sim import caching, catalogue, pricing, tokens

SONNET37 = "us.anthropic.claude-3-7-sonnet-20250219-v1:0"
HAIKU35 = "us.anthropic.claude-3-5-haiku-20241022-v1:0"
POLICY = " ".join(f"Rule {i}: refunds for order class {i} are paid within {i % 9 + 1} days." for i in range(90))
NO_RETRY = Config(retries={"total_max_attempts": 1})


def code(err) -> str:
    return err.value.response["Error"]["Code"]


def cached_call(runtime, question, *, model=SONNET37, ttl=None, system=POLICY):
    point = {"type": "default", **({"ttl": ttl} if ttl else {})}
    return runtime.converse(
        modelId=model,
        system=[{"text": system}, {"cachePoint": point}],
        messages=user(question),
    )


# ------------------------------------------------------------------ prompt caching


def test_cache_write_then_read_then_expiry(runtime):
    prefix = tokens.count(POLICY)
    assert prefix >= 1024
    first = valid(runtime, "Converse", cached_call(runtime, "How fast is class 3 paid?"))
    assert first["usage"]["cacheWriteInputTokens"] == prefix and first["usage"]["cacheReadInputTokens"] == 0
    assert first["usage"]["cacheDetails"] == [{"ttl": "5m", "inputTokens": prefix}]
    second = cached_call(runtime, "And class 4?")
    assert second["usage"]["cacheReadInputTokens"] == prefix and second["usage"]["cacheWriteInputTokens"] == 0
    usage = second["usage"]
    assert usage["totalTokens"] == usage["inputTokens"] + usage["outputTokens"] + prefix
    assert second["metrics"]["latencyMs"] < first["metrics"]["latencyMs"]
    bedrock_sim.advance_clock(299)  # the hit renewed the five-minute TTL
    assert cached_call(runtime, "Class 5?")["usage"]["cacheReadInputTokens"] == prefix
    bedrock_sim.advance_clock(301)
    expired = cached_call(runtime, "Class 6?")
    assert expired["usage"]["cacheReadInputTokens"] == 0 and expired["usage"]["cacheWriteInputTokens"] == prefix


def test_short_prefix_is_not_cached_but_succeeds(runtime):
    reply = cached_call(runtime, "Hi", system="Be brief and polite.")
    assert "cacheWriteInputTokens" not in reply["usage"] and reply["stopReason"] == "end_turn"
    assert caching.entries() == 0


def test_cache_rules_are_enforced(runtime, sim_aws):
    with pytest.raises(ClientError) as err:  # Claude 3 Haiku has no prompt caching
        cached_call(runtime, "Hi", model=HAIKU)
    assert code(err) == "ValidationException" and "prompt caching" in err.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as err:  # no one-hour TTL on Claude 3.7 Sonnet
        cached_call(runtime, "Hi", ttl="1h")
    assert code(err) == "ValidationException"
    with pytest.raises(ClientError) as err:  # five checkpoints
        runtime.converse(
            modelId=SONNET37,
            system=[b for _ in range(5) for b in ({"text": POLICY}, {"cachePoint": {"type": "default"}})],
            messages=user("Hi"),
        )
    assert "maximum of 4" in err.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as err:  # Nova caches system and messages, not tools
        runtime.converse(
            modelId=NOVA,
            messages=user("Hi"),
            toolConfig={
                "tools": [{"toolSpec": {"name": "t", "inputSchema": {"json": {}}}}, {"cachePoint": {"type": "default"}}]
            },
        )
    assert code(err) == "ValidationException"
    with pytest.raises(ClientError) as err:  # the only cache point type is "default"
        runtime.converse(
            modelId=SONNET37, system=[{"text": POLICY}, {"cachePoint": {"type": "other"}}], messages=user("Hi")
        )
    assert code(err) == "ValidationException"
    long_ttl = cached_call(runtime, "Hi", model="global.anthropic.claude-sonnet-4-5-20250929-v1:0", ttl="1h")
    assert long_ttl["usage"]["cacheDetails"][0]["ttl"] == "1h"


def test_minimum_cacheable_length_is_per_model(runtime):
    # 1,440-token prefix: enough for Claude 3.7 Sonnet (1,024), not for Claude 3.5 Haiku (2,048).
    assert "cacheWriteInputTokens" not in cached_call(runtime, "Hi", model=HAIKU35)["usage"]
    doubled = POLICY + " " + POLICY
    assert cached_call(runtime, "Hi", model=HAIKU35, system=doubled)["usage"]["cacheWriteInputTokens"] > 2048


def test_two_checkpoints_read_the_longest_live_prefix(runtime):
    other = " ".join(f"Note {i}: shipping zone {i} takes {i % 5 + 2} days." for i in range(110))
    system = [
        {"text": POLICY},
        {"cachePoint": {"type": "default"}},
        {"text": other},
        {"cachePoint": {"type": "default"}},
    ]
    first = runtime.converse(modelId=SONNET37, system=system, messages=user("Hi"))
    total = tokens.count(POLICY) + tokens.count(other)
    assert first["usage"]["cacheWriteInputTokens"] == total
    only_first = runtime.converse(
        modelId=SONNET37, system=[{"text": POLICY}, {"cachePoint": {"type": "default"}}], messages=user("Hi")
    )
    assert only_first["usage"]["cacheReadInputTokens"] == tokens.count(POLICY)


def test_invoke_model_cache_control_and_nova_cache_point(runtime):
    body = {
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": 100,
        "system": [{"type": "text", "text": POLICY, "cache_control": {"type": "ephemeral"}}],
        "messages": [{"role": "user", "content": "Which class pays fastest?"}],
    }
    first = runtime.invoke_model(modelId=SONNET37, body=json.dumps(body))
    usage = json.loads(first["body"].read())["usage"]
    assert usage["cache_creation_input_tokens"] == tokens.count(POLICY) and usage["cache_read_input_tokens"] == 0
    second = runtime.invoke_model(modelId=SONNET37, body=json.dumps(body))
    assert json.loads(second["body"].read())["usage"]["cache_read_input_tokens"] == tokens.count(POLICY)
    headers = second["ResponseMetadata"]["HTTPHeaders"]
    assert headers["x-amzn-bedrock-cache-read-input-token-count"] == str(tokens.count(POLICY))
    nova = {
        "schemaVersion": "messages-v1",
        "system": [{"text": POLICY}, {"cachePoint": {"type": "default"}}],
        "messages": [{"role": "user", "content": [{"text": "Hi"}]}],
    }
    for expected in ("cacheWriteInputTokenCount", "cacheReadInputTokenCount"):
        out = json.loads(runtime.invoke_model(modelId=NOVA, body=json.dumps(nova))["body"].read())["usage"]
        assert out[expected] == tokens.count(POLICY)


def test_cached_tokens_are_billed_at_cache_rates():
    model = catalogue.find("anthropic.claude-3-7-sonnet-20250219-v1:0")
    plain = pricing.call_cost(model, 2000, 100)
    written = pricing.call_cost(model, 0, 100, cache_details=[{"ttl": "5m", "inputTokens": 2000}])
    read = pricing.call_cost(model, 0, 100, cache_read=2000)
    assert read < plain < written
    assert written - plain == pytest.approx(2 * (0.00375 - 0.003))


# ------------------------------------------------------------------ tiers and latency-optimised


def test_service_tiers(runtime):
    standard = runtime.converse(modelId="amazon.nova-pro-v1:0", messages=user("Hello"))
    flex = valid(
        runtime,
        "Converse",
        runtime.converse(modelId="amazon.nova-pro-v1:0", messages=user("Hello"), serviceTier={"type": "flex"}),
    )
    priority = runtime.converse(
        modelId="amazon.nova-pro-v1:0", messages=user("Hello"), serviceTier={"type": "priority"}
    )
    assert flex["serviceTier"] == {"type": "flex"} and "serviceTier" not in standard
    assert priority["metrics"]["latencyMs"] < standard["metrics"]["latencyMs"] < flex["metrics"]["latencyMs"]
    costs = [r["costUsd"] for r in bedrock_sim.invocations()[-3:]]
    assert costs[1] < costs[0] < costs[2]
    for tier in ("priority", "reserved"):
        with pytest.raises(ClientError) as err:
            runtime.converse(modelId="amazon.nova-micro-v1:0", messages=user("Hello"), serviceTier={"type": tier})
        assert code(err) == "ValidationException"
    raw = runtime.invoke_model(
        modelId="amazon.nova-pro-v1:0",
        body=json.dumps({"messages": [{"role": "user", "content": [{"text": "Hi"}]}]}),
        serviceTier="flex",
    )
    assert raw["serviceTier"] == "flex"


def test_latency_optimized_only_where_offered(runtime, sim_aws):
    ohio = sim_aws.client("bedrock-runtime", region_name="us-east-2")
    standard = ohio.converse(modelId=HAIKU35, messages=user("Hello"))
    fast = ohio.converse(modelId=HAIKU35, messages=user("Hello"), performanceConfig={"latency": "optimized"})
    assert fast["performanceConfig"] == {"latency": "optimized"}
    assert fast["metrics"]["latencyMs"] < standard["metrics"]["latencyMs"]
    assert bedrock_sim.invocations()[-1]["costUsd"] > bedrock_sim.invocations()[-2]["costUsd"]
    for client, model in ((runtime, HAIKU35), (ohio, NOVA), (ohio, "amazon.nova-pro-v1:0")):
        with pytest.raises(ClientError) as err:  # wrong Region, unsupported model, not via a profile
            client.converse(modelId=model, messages=user("Hello"), performanceConfig={"latency": "optimized"})
        assert code(err) == "ValidationException"


# ------------------------------------------------------------------ Regions, quotas, outages


def test_outage_fails_on_demand_and_profiles_route_around_it(sim_aws):
    client = sim_aws.client("bedrock-runtime", config=NO_RETRY)
    bedrock_sim.set_region_outage("us-east-1")
    with pytest.raises(ClientError) as err:
        client.converse(modelId=NOVA, messages=user("Hello"))
    assert (
        code(err) == "ServiceUnavailableException" and err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
    )
    client.converse(modelId="us." + NOVA, messages=user("Hello"))
    assert bedrock_sim.invocations()[-1]["region"] == "us-east-2"
    for region in ("us-east-2", "us-west-2"):
        bedrock_sim.set_region_outage(region)
    with pytest.raises(ClientError) as err:
        client.converse(modelId="us." + NOVA, messages=user("Hello"))
    assert code(err) == "ServiceUnavailableException"
    bedrock_sim.set_region_outage("us-east-1", down=False)
    client.converse(modelId="us." + NOVA, messages=user("Hello"))
    assert bedrock_sim.invocations()[-1]["region"] == "us-east-1"


def test_regional_and_profile_quotas(sim_aws):
    client = sim_aws.client("bedrock-runtime", config=NO_RETRY)
    bedrock_sim.set_quota(f"{NOVA}@us-east-1", 1, window_attempts=10)
    served = []
    for _ in range(3):
        client.converse(modelId="us." + NOVA, messages=user("Hello"))
        served.append(bedrock_sim.invocations()[-1]["region"])
    assert served == ["us-east-1", "us-east-2", "us-east-2"]
    with pytest.raises(ClientError) as err:  # the single-Region call has nowhere else to go
        client.converse(modelId=NOVA, messages=user("Hello"))
    assert code(err) == "ThrottlingException"
    bedrock_sim.clear_quota()
    bedrock_sim.set_quota("us." + NOVA, 0, window_attempts=5)
    with pytest.raises(ClientError) as err:
        client.converse(modelId="us." + NOVA, messages=user("Hello"))
    assert code(err) == "ThrottlingException"
    client.converse(modelId=NOVA, messages=user("Hello"))  # the profile's quota does not apply here
    bedrock_sim.clear_quota()
    bedrock_sim.set_quota(NOVA, 0, window_attempts=5)  # the model's on-demand quota does not apply to the profile
    client.converse(modelId="us." + NOVA, messages=user("Hello"))
    with pytest.raises(ClientError):
        client.converse(modelId=NOVA, messages=user("Hello"))


def test_metrics_and_invocation_log_show_region_and_cache(sim_aws, runtime, bedrock):
    logs = sim_aws.client("logs")
    logs.create_log_group(logGroupName="/bedrock/invocations")
    bedrock.put_model_invocation_logging_configuration(
        loggingConfig={
            "cloudWatchConfig": {"logGroupName": "/bedrock/invocations", "roleArn": "arn:aws:iam::123456789012:role/l"}
        }
    )
    bedrock_sim.set_region_outage("us-east-1")
    runtime.converse(modelId="us." + NOVA, messages=user("Hello"))
    bedrock_sim.set_region_outage("us-east-1", down=False)
    cached_call(runtime, "Hi")
    events = logs.get_log_events(logGroupName="/bedrock/invocations", logStreamName="aws/bedrock/modelinvocations")[
        "events"
    ]
    records = [json.loads(e["message"]) for e in events]
    assert records[0]["inferenceRegion"] == "us-east-2"
    assert records[1]["input"]["cacheWriteInputTokenCount"] == tokens.count(POLICY)
    stream = list(runtime.converse_stream(modelId="us." + NOVA, messages=user("Hello"))["stream"])
    assert "metadata" in stream[-1]
    cw = sim_aws.client("cloudwatch")
    names = {
        (m["MetricName"], m["Dimensions"][0]["Value"]) for m in cw.list_metrics(Namespace="AWS/Bedrock")["Metrics"]
    }
    assert ("CacheWriteInputTokenCount", SONNET37) in names
    assert ("TimeToFirstToken", "us." + NOVA) in names
    assert ("Invocations", "us." + NOVA) in names


def test_throttles_are_published_and_streams_echo_tiers(sim_aws, runtime):
    client = sim_aws.client("bedrock-runtime", config=NO_RETRY)
    bedrock_sim.set_quota(NOVA, 0, window_attempts=3)
    with pytest.raises(ClientError):
        client.converse(modelId=NOVA, messages=user("Hello"))
    cw = sim_aws.client("cloudwatch")
    names = {m["MetricName"] for m in cw.list_metrics(Namespace="AWS/Bedrock")["Metrics"]}
    assert "InvocationThrottles" in names
    assert bedrock_sim.invocations()[-1]["status"] == "ThrottlingException"
    bedrock_sim.clear_quota()
    events = list(
        runtime.converse_stream(modelId="amazon.nova-pro-v1:0", messages=user("Hello"), serviceTier={"type": "flex"})[
            "stream"
        ]
    )
    assert events[-1]["metadata"]["serviceTier"] == {"type": "flex"}


def test_s3_invocation_log_has_cache_counts(sim_aws, runtime, bedrock, s3):
    s3.create_bucket(Bucket="invocation-logs-ops")
    bedrock.put_model_invocation_logging_configuration(
        loggingConfig={"s3Config": {"bucketName": "invocation-logs-ops"}}
    )
    cached_call(runtime, "Hi")
    cached_call(runtime, "Hello")
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket="invocation-logs-ops")["Contents"])
    last = json.loads(gzip.decompress(s3.get_object(Bucket="invocation-logs-ops", Key=keys[-1])["Body"].read()))
    first = json.loads(gzip.decompress(s3.get_object(Bucket="invocation-logs-ops", Key=keys[0])["Body"].read()))
    assert {first["input"]["cacheReadInputTokenCount"], last["input"]["cacheReadInputTokenCount"]} == {
        0,
        tokens.count(POLICY),
    }
