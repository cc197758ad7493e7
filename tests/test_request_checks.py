"""Requests AWS refuses are refused in the sandbox too, with AWS's error class and message."""

from __future__ import annotations

import uuid

import pytest

from course import checks


def test_an_unknown_enumeration_value_is_refused_where_it_is_sent(aws):
    """Does a misspelt setting fail at the call that sends it, with Cognito's error and AWS's sentence?"""
    idp = aws.client("cognito-idp")
    pool = idp.create_user_pool(PoolName=f"p-{uuid.uuid4().hex[:6]}")["UserPool"]["Id"]
    with pytest.raises(idp.exceptions.InvalidParameterException) as info:
        idp.create_user_pool_client(
            UserPoolId=pool, ClientName="web", RefreshTokenValidity=30, TokenValidityUnits={"RefreshToken": "dayz"}
        )
    assert info.value.response["Error"]["Message"] == (
        "1 validation error detected: Value 'dayz' at 'tokenValidityUnits.refreshToken' failed to satisfy "
        "constraint: Member must satisfy enum value set: [seconds, minutes, hours, days]"
    )
    made = idp.create_user_pool_client(UserPoolId=pool, ClientName="web", TokenValidityUnits={"RefreshToken": "days"})
    assert made["UserPoolClient"]["ClientName"] == "web"


def test_every_broken_member_is_named(aws):
    """Are several violations counted, each with its member path, as AWS words them (Parameter Store)?"""
    ssm = aws.client("ssm")
    with pytest.raises(ssm.exceptions.ValidationException) as info:
        ssm.put_parameter(Name="/app/model-id", Value="x", Type="Securestring", Tier="Premium")
    message = info.value.response["Error"]["Message"]
    assert message.startswith("2 validation errors detected: ")
    assert "Value 'Securestring' at 'type' failed to satisfy constraint: Member must satisfy enum value set" in message
    assert "Value 'Premium' at 'tier'" in message
    ssm.put_parameter(Name="/app/model-id", Value="x", Type="SecureString", Tier="Standard")


def test_lists_are_numbered_and_lengths_checked(aws):
    """Are list items named 1-based (``explicitAuthFlows.1.member``) and over-long values refused?"""
    idp = aws.client("cognito-idp")
    with pytest.raises(idp.exceptions.InvalidParameterException) as info:
        idp.create_user_pool(PoolName="p" * 200)
    assert "at 'poolName' failed to satisfy constraint: Member must have length less than or equal to 128" in str(
        info.value
    )
    pool = idp.create_user_pool(PoolName="p")["UserPool"]["Id"]
    with pytest.raises(idp.exceptions.InvalidParameterException, match=r"'explicitAuthFlows\.2\.member'"):
        idp.create_user_pool_client(
            UserPoolId=pool, ClientName="c", ExplicitAuthFlows=["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_PASSWORD"]
        )


def test_a_vector_of_the_wrong_dimension_is_refused(aws):
    """Are vectors and queries whose dimension differs from the index's refused with ValidationException?"""
    sv = aws.client("s3vectors")
    bucket, index = f"vb-{uuid.uuid4().hex[:8]}", "docs-index"
    sv.create_vector_bucket(vectorBucketName=bucket)
    sv.create_index(vectorBucketName=bucket, indexName=index, dataType="float32", dimension=4, distanceMetric="cosine")
    for vector in ([0.1, 0.2, 0.3], [0.1] * 5):
        with pytest.raises(sv.exceptions.ValidationException):
            sv.put_vectors(
                vectorBucketName=bucket, indexName=index, vectors=[{"key": "a", "data": {"float32": vector}}]
            )
    sv.put_vectors(vectorBucketName=bucket, indexName=index, vectors=[{"key": "a", "data": {"float32": [0.1] * 4}}])
    with pytest.raises(sv.exceptions.ValidationException):
        sv.query_vectors(vectorBucketName=bucket, indexName=index, topK=1, queryVector={"float32": [0.1] * 3})


def test_the_learner_sees_the_refusal_as_a_course_message(aws):
    """Does checks.call turn the refusal into the course's message, naming the member and the allowed values?"""
    idp = aws.client("cognito-idp")
    pool = idp.create_user_pool(PoolName="p")["UserPool"]["Id"]

    def make_client():
        idp.create_user_pool_client(UserPoolId=pool, ClientName="c", ExplicitAuthFlows=["ALLOW_USER_PASSWORD"])

    with pytest.raises(
        checks.CheckFailed, match=r"CreateUserPoolClient: InvalidParameterException: .*explicitAuthFlows"
    ):
        checks.call(make_client)


def test_services_not_checked_are_left_to_the_simulators(aws):
    """Is a service whose validation errors are not listed left alone, rather than its error guessed?"""
    from course import request_checks

    assert "bedrock" not in request_checks.CHECKED
    bedrock = aws.client("bedrock")
    made = bedrock.create_guardrail(name="g1", blockedInputMessaging="no", blockedOutputsMessaging="no")
    assert made["guardrailId"]
