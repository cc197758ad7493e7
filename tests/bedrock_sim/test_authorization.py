"""IAM for simulated requests under aws.iam_enforced(): actions, resources, conditions (authorization.py)."""

import json

import pytest
from bedrock_helpers import NOVA, user
from botocore.exceptions import ClientError

from course.bedrock_sim import authorization


def guardrail(bedrock):
    created = bedrock.create_guardrail(
        name="g",
        blockedInputMessaging="no",
        blockedOutputsMessaging="no",
        wordPolicyConfig={"wordsConfig": [{"text": "forbidden"}]},
    )
    version = bedrock.create_guardrail_version(guardrailIdentifier=created["guardrailId"])["version"]
    return created["guardrailId"], created["guardrailArn"], version


def user_client(sim_aws, service, statements):
    iam = sim_aws.client("iam")
    iam.create_user(UserName="alice")
    iam.put_user_policy(
        UserName="alice", PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": statements})
    )
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    return sim_aws.client(service, aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])


def code_and_message(fn):
    with pytest.raises(ClientError) as err:
        fn()
    return err.value.response["Error"]["Code"], err.value.response["Error"]["Message"]


def test_guardrail_identifier_condition_enforces_one_guardrail(sim_aws, bedrock):
    gid, arn, version = guardrail(bedrock)
    pinned = f"{arn}:{version}"
    client = user_client(
        sim_aws,
        "bedrock-runtime",
        [
            {
                "Effect": "Allow",
                "Action": ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
                "Resource": "arn:aws:bedrock:*::foundation-model/*",
                "Condition": {"StringEquals": {"bedrock:GuardrailIdentifier": pinned}},
            },
            {
                "Effect": "Deny",
                "Action": ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
                "Resource": "*",
                "Condition": {"StringNotEquals": {"bedrock:GuardrailIdentifier": pinned}},
            },
            {"Effect": "Allow", "Action": "bedrock:ApplyGuardrail", "Resource": arn},
        ],
    )
    with sim_aws.iam_enforced():
        applied = client.apply_guardrail(
            guardrailIdentifier=gid, guardrailVersion=version, source="INPUT", content=[{"text": {"text": "x"}}]
        )
        assert applied["action"] == "NONE"
        code, message = code_and_message(
            lambda: client.count_tokens(modelId=NOVA, input={"converse": {"messages": user("hi")}})
        )
        assert code == "AccessDeniedException"
        assert message.endswith("because no identity-based policy allows the bedrock:CountTokens action")


def test_apply_guardrail_permission_is_needed_for_guarded_inference(sim_aws, bedrock):
    gid, _, version = guardrail(bedrock)
    client = user_client(
        sim_aws, "bedrock-runtime", [{"Effect": "Allow", "Action": "bedrock:InvokeModel", "Resource": "*"}]
    )
    with sim_aws.iam_enforced():
        assert client.converse(modelId=NOVA, messages=user("hi"))["stopReason"] == "end_turn"
        code, message = code_and_message(
            lambda: client.converse(
                modelId=NOVA,
                messages=user("hi"),
                guardrailConfig={"guardrailIdentifier": gid, "guardrailVersion": version},
            )
        )
        assert code == "AccessDeniedException" and "bedrock:ApplyGuardrail" in message


def test_unknown_keys_and_enforcement_off(sim_aws, runtime):
    with sim_aws.iam_enforced():
        code, message = code_and_message(lambda: runtime.converse(modelId=NOVA, messages=user("hi")))
    assert (code, message) == ("UnrecognizedClientException", "The security token included in the request is invalid.")
    assert runtime.converse(modelId=NOVA, messages=user("hi"))["stopReason"] == "end_turn"


def test_condition_operators_follow_iam_rules():
    need = authorization.Need("bedrock:InvokeModel", "arn:x", {"bedrock:GuardrailIdentifier": "g:1"})
    bare = authorization.Need("bedrock:InvokeModel", "arn:x", {})
    holds = authorization.conditions_hold
    assert holds({"StringEquals": {"bedrock:guardrailidentifier": "g:1"}}, need.context)  # keys ignore case
    assert not holds({"StringEquals": {"bedrock:GuardrailIdentifier": "g:1"}}, bare.context)
    assert holds({"StringNotEquals": {"bedrock:GuardrailIdentifier": "g:1"}}, bare.context)
    assert holds({"StringEqualsIfExists": {"bedrock:GuardrailIdentifier": "g:2"}}, bare.context)
    assert holds({"Null": {"bedrock:GuardrailIdentifier": "true"}}, bare.context)
    assert not holds({"Null": {"bedrock:GuardrailIdentifier": "true"}}, need.context)
    assert holds({"StringLike": {"bedrock:GuardrailIdentifier": ["x", "g:*"]}}, need.context)
    allow = {"Statement": [{"Effect": "Allow", "NotAction": "bedrock:Delete*", "Resource": "*"}]}
    assert authorization.decide([allow], need) == "ALLOW"
    assert authorization.decide([allow], authorization.Need("bedrock:DeleteFlow", "*")) == "IMPLICIT_DENY"
