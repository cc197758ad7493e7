"""Inference profiles, prompt routers and tags: shapes, real error codes, deterministic behaviour."""

import uuid

import pytest
from bedrock_helpers import HAIKU, user
from botocore.exceptions import ClientError
from shapes import valid

import course.bedrock_sim as bedrock_sim
from course.bedrock_sim import catalogue, data, operations_data

US_HAIKU = "us." + HAIKU


def code(err) -> str:
    return err.value.response["Error"]["Code"]


# ------------------------------------------------------------------ catalogue data


def test_every_catalogue_entry_says_when_and_where_it_was_checked():
    for model in catalogue.models():
        assert model.get("checked", "").startswith("20"), model["modelId"]
        assert model.get("sources") and all(s.startswith("https://") for s in model["sources"]), model["modelId"]


def test_catalogue_keeps_old_ids_and_marks_legacy_models(bedrock):
    for old in (
        "amazon.nova-micro-v1:0",
        "amazon.titan-embed-text-v2:0",
        HAIKU,
        "anthropic.claude-3-5-haiku-20241022-v1:0",
    ):
        assert catalogue.find(old) is not None
    details = valid(
        bedrock, "GetFoundationModel", bedrock.get_foundation_model(modelIdentifier="amazon.titan-text-express-v1")
    )
    assert details["modelDetails"]["modelLifecycle"]["status"] == "LEGACY"
    current = bedrock.get_foundation_model(modelIdentifier="anthropic.claude-sonnet-4-5-20250929-v1:0")["modelDetails"]
    assert current["modelLifecycle"]["status"] == "ACTIVE"


def test_cache_and_tier_prices_are_consistent():
    for model in catalogue.models():
        pricing = model["pricing"]
        if "promptCaching" in model:
            assert pricing["cacheReadPer1kTokens"] < pricing["inputPer1kTokens"], model["modelId"]
        for tier in model.get("serviceTiers", []):
            assert f"{tier}InputPer1kTokens" in pricing, model["modelId"]
        if model.get("latencyOptimizedRegions"):
            assert pricing["optimizedInputPer1kTokens"] > pricing["inputPer1kTokens"]
        if model.get("batchInference"):
            assert pricing["batchInputPer1kTokens"] <= pricing["inputPer1kTokens"]


def test_operations_data_is_validated(tmp_path, monkeypatch):
    assert set(operations_data.load()["geographies"]) >= set(data.models()["inferenceProfilePrefixes"])
    broken = tmp_path / "operations.yaml"
    broken.write_text("checked: 2026\n")
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    operations_data.load.cache_clear()
    try:
        with pytest.raises(data.DataFileError):
            operations_data.load()
    finally:
        operations_data.load.cache_clear()


# ------------------------------------------------------------------ system-defined profiles


def test_list_system_profiles_pages_and_filters(bedrock):
    first = valid(bedrock, "ListInferenceProfiles", bedrock.list_inference_profiles(maxResults=3))
    assert len(first["inferenceProfileSummaries"]) == 3 and first["nextToken"]
    seen, token = [], None
    while True:
        page = bedrock.list_inference_profiles(maxResults=4, **({"nextToken": token} if token else {}))
        seen += [p["inferenceProfileId"] for p in page["inferenceProfileSummaries"]]
        token = page.get("nextToken")
        if not token:
            break
    assert US_HAIKU in seen and len(seen) == len(set(seen))
    assert all(i.split(".")[0] in ("us", "global") for i in seen), "us-east-1 lists US and global profiles only"
    assert "global.anthropic.claude-sonnet-4-5-20250929-v1:0" in seen
    apps = bedrock.list_inference_profiles(typeEquals="APPLICATION")["inferenceProfileSummaries"]
    assert apps == []


def test_get_system_profile_and_regions(bedrock, sim_aws):
    got = valid(bedrock, "GetInferenceProfile", bedrock.get_inference_profile(inferenceProfileIdentifier=US_HAIKU))
    assert got["type"] == "SYSTEM_DEFINED" and got["status"] == "ACTIVE"
    regions = [m["modelArn"].split(":")[3] for m in got["models"]]
    assert regions == ["us-east-1", "us-east-2", "us-west-2"]
    by_arn = bedrock.get_inference_profile(inferenceProfileIdentifier=got["inferenceProfileArn"])
    assert by_arn["inferenceProfileId"] == US_HAIKU
    with pytest.raises(ClientError) as err:
        bedrock.get_inference_profile(inferenceProfileIdentifier="eu." + HAIKU)  # not callable from us-east-1
    assert code(err) == "ResourceNotFoundException"
    eu = sim_aws.client("bedrock", region_name="eu-west-1")
    assert eu.get_inference_profile(inferenceProfileIdentifier="eu." + HAIKU)["inferenceProfileId"] == "eu." + HAIKU


def test_profile_prefix_must_exist_and_suit_the_caller(runtime, sim_aws):
    with pytest.raises(ClientError) as err:
        runtime.converse(modelId="global." + HAIKU, messages=user("hi"))  # Claude 3 Haiku has no global profile
    assert code(err) == "ValidationException"
    with pytest.raises(ClientError) as err:
        runtime.converse(modelId="eu." + HAIKU, messages=user("hi"))  # EU profile from a US Region
    assert "model identifier is invalid" in err.value.response["Error"]["Message"]
    eu = sim_aws.client("bedrock-runtime", region_name="eu-central-1")
    assert eu.converse(modelId="eu." + HAIKU, messages=user("hi"))["stopReason"] == "end_turn"


# ------------------------------------------------------------------ application profiles and tags


def test_application_profile_lifecycle_tags_and_use(bedrock, runtime):
    name = f"team-{uuid.uuid4().hex[:6]}"
    source = bedrock.get_inference_profile(inferenceProfileIdentifier=US_HAIKU)["inferenceProfileArn"]
    out = valid(
        bedrock,
        "CreateInferenceProfile",
        bedrock.create_inference_profile(
            inferenceProfileName=name,
            description="claims team",
            modelSource={"copyFrom": source},
            tags=[{"key": "CostCenter", "value": "claims"}],
        ),
    )
    arn = out["inferenceProfileArn"]
    assert ":application-inference-profile/" in arn and out["status"] == "ACTIVE"
    got = valid(bedrock, "GetInferenceProfile", bedrock.get_inference_profile(inferenceProfileIdentifier=arn))
    assert got["type"] == "APPLICATION" and len(got["models"]) == 3 and got["description"] == "claims team"
    tags = valid(bedrock, "ListTagsForResource", bedrock.list_tags_for_resource(resourceARN=arn))
    assert tags["tags"] == [{"key": "CostCenter", "value": "claims"}]
    bedrock.tag_resource(resourceARN=arn, tags=[{"key": "App", "value": "chat"}])
    bedrock.untag_resource(resourceARN=arn, tagKeys=["CostCenter"])
    assert bedrock.list_tags_for_resource(resourceARN=arn)["tags"] == [{"key": "App", "value": "chat"}]
    reply = runtime.converse(modelId=arn, messages=user("Hello"))
    assert reply["stopReason"] == "end_turn"
    record = bedrock_sim.invocations()[-1]
    assert record["modelId"] == arn and record["servedModelId"] == HAIKU and record["via"] == "APPLICATION_PROFILE"
    with pytest.raises(ClientError) as err:
        bedrock.create_inference_profile(inferenceProfileName=name, modelSource={"copyFrom": source})
    assert code(err) == "ConflictException"
    listed = bedrock.list_inference_profiles(typeEquals="APPLICATION")["inferenceProfileSummaries"]
    assert [p["inferenceProfileArn"] for p in listed] == [arn]
    bedrock.delete_inference_profile(inferenceProfileIdentifier=arn)
    with pytest.raises(ClientError) as err:
        runtime.converse(modelId=arn, messages=user("Hello"))
    assert code(err) == "ResourceNotFoundException"


def test_application_profile_from_a_foundation_model_and_bad_sources(bedrock, runtime):
    fm = catalogue.model_arn("amazon.nova-micro-v1:0", "us-east-1")
    arn = bedrock.create_inference_profile(inferenceProfileName="single", modelSource={"copyFrom": fm})[
        "inferenceProfileArn"
    ]
    assert bedrock.get_inference_profile(inferenceProfileIdentifier=arn)["models"] == [{"modelArn": fm}]
    runtime.converse(modelId=arn, messages=user("Hello"))
    assert bedrock_sim.invocations()[-1]["region"] == "us-east-1"
    no_on_demand = catalogue.model_arn("anthropic.claude-3-7-sonnet-20250219-v1:0", "us-east-1")
    for source in (no_on_demand, "not-an-arn", "arn:aws:bedrock:us-east-1:123456789012:guardrail/x"):
        with pytest.raises(ClientError) as err:
            bedrock.create_inference_profile(
                inferenceProfileName=f"x{uuid.uuid4().hex[:5]}", modelSource={"copyFrom": source}
            )
        assert code(err) == "ValidationException"
    with pytest.raises(ClientError) as err:
        bedrock.delete_inference_profile(inferenceProfileIdentifier=US_HAIKU)
    assert code(err) == "ValidationException"


def test_tagging_unknown_resources(bedrock):
    missing = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/nothing"
    with pytest.raises(ClientError) as err:
        bedrock.list_tags_for_resource(resourceARN=missing)
    assert code(err) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as err:
        bedrock.tag_resource(resourceARN="arn:aws:s3:::not-a-bedrock-resource", tags=[{"key": "a", "value": "b"}])
    assert code(err) == "ValidationException"


# ------------------------------------------------------------------ prompt routers


def test_default_routers_listed_and_shaped(bedrock):
    routers = valid(bedrock, "ListPromptRouters", bedrock.list_prompt_routers())["promptRouterSummaries"]
    assert [r["type"] for r in routers] == ["default"] * 3
    arn = routers[0]["promptRouterArn"]
    assert arn.endswith(":default-prompt-router/anthropic.claude:1")
    got = valid(bedrock, "GetPromptRouter", bedrock.get_prompt_router(promptRouterArn=arn))
    assert got["fallbackModel"]["modelArn"] in [m["modelArn"] for m in got["models"]]
    with pytest.raises(ClientError) as err:
        bedrock.delete_prompt_router(promptRouterArn=arn)
    assert code(err) == "ValidationException"


def test_router_picks_by_the_documented_rule(runtime, bedrock):
    arn = bedrock.list_prompt_routers(type="default")["promptRouterSummaries"][0]["promptRouterArn"]
    easy = runtime.converse(modelId=arn, messages=user("Hi there"))
    hard = runtime.converse(
        modelId=arn, messages=user("Explain and compare both designs step by step, and justify the architecture.")
    )
    valid(runtime, "Converse", easy)
    assert easy["trace"]["promptRouter"]["invokedModelId"].endswith("us.anthropic.claude-3-haiku-20240307-v1:0")
    assert hard["trace"]["promptRouter"]["invokedModelId"].endswith("us.anthropic.claude-3-5-sonnet-20240620-v1:0")
    records = bedrock_sim.invocations()
    assert [r["servedModelId"] for r in records[-2:]] == [HAIKU, "anthropic.claude-3-5-sonnet-20240620-v1:0"]


def test_custom_router_create_validate_route_delete(bedrock, runtime):
    lite = catalogue.model_arn("amazon.nova-lite-v1:0", "us-east-1")
    pro = catalogue.model_arn("amazon.nova-pro-v1:0", "us-east-1")
    created = valid(
        bedrock,
        "CreatePromptRouter",
        bedrock.create_prompt_router(
            promptRouterName="support",
            models=[{"modelArn": lite}, {"modelArn": pro}],
            fallbackModel={"modelArn": pro},
            routingCriteria={"responseQualityDifference": 0.0},
        ),
    )
    arn = created["promptRouterArn"]
    # With a 0 % tolerance only a prompt of zero complexity goes to the cheaper model.
    reply = runtime.converse(modelId=arn, messages=user("What is the capital of France?"))
    assert reply["trace"]["promptRouter"]["invokedModelId"] == pro
    bedrock.delete_prompt_router(promptRouterArn=arn)
    wide = bedrock.create_prompt_router(
        promptRouterName="wide",
        models=[{"modelArn": lite}, {"modelArn": pro}],
        fallbackModel={"modelArn": pro},
        routingCriteria={"responseQualityDifference": 100.0},
    )["promptRouterArn"]
    reply = runtime.converse(modelId=wide, messages=user("Explain and justify the plan in detail."))
    assert reply["trace"]["promptRouter"]["invokedModelId"] == lite
    haiku = catalogue.model_arn(HAIKU, "us-east-1")
    cases = [
        ([lite, haiku], pro),  # different providers
        ([lite, lite], lite),  # the same model twice
        ([lite, pro], haiku),  # fallback not among the models
        ([lite, catalogue.model_arn("amazon.nova-micro-v1:0", "us-east-1")], lite),  # not routable
    ]
    for models, fallback in cases:
        with pytest.raises(ClientError) as err:
            bedrock.create_prompt_router(
                promptRouterName=f"bad{uuid.uuid4().hex[:5]}",
                models=[{"modelArn": m} for m in models],
                fallbackModel={"modelArn": fallback},
                routingCriteria={"responseQualityDifference": 10.0},
            )
        assert code(err) == "ValidationException"
    with pytest.raises(ClientError) as err:
        bedrock.create_prompt_router(
            promptRouterName="wide",
            models=[{"modelArn": lite}, {"modelArn": pro}],
            fallbackModel={"modelArn": pro},
            routingCriteria={"responseQualityDifference": 5.0},
        )
    assert code(err) == "ConflictException"
    assert [r["type"] for r in bedrock.list_prompt_routers(type="custom")["promptRouterSummaries"]] == ["custom"]
    with pytest.raises(ClientError) as err:
        bedrock.get_prompt_router(promptRouterArn=arn)
    assert code(err) == "ResourceNotFoundException"
