"""The sandbox: fake credentials only, moto in front of every client, nothing leaves the machine."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap

import pytest


def test_start_is_idempotent_and_keeps_state(aws):
    """Does re-running the first cell keep the same account and its resources?"""
    from course import sandbox

    aws.client("s3").create_bucket(Bucket="keep-me-bucket")
    again = sandbox.start()
    assert again is aws
    assert [b["Name"] for b in again.client("s3").list_buckets()["Buckets"]] == ["keep-me-bucket"]


def test_reset_empties_the_account(aws):
    """Does reset() leave an empty account behind?"""
    aws.client("s3").create_bucket(Bucket="gone-soon-bucket")
    aws.client("sqs").create_queue(QueueName="gone-soon")
    aws.reset()
    assert aws.client("s3").list_buckets()["Buckets"] == []
    assert aws.client("sqs").list_queues().get("QueueUrls", []) == []


def test_environment_points_at_no_real_credentials(aws):
    """Are credential files, profiles and instance metadata all switched off?"""
    assert os.environ["AWS_SHARED_CREDENTIALS_FILE"] == os.devnull
    assert os.environ["AWS_CONFIG_FILE"] == os.devnull
    assert os.environ["AWS_EC2_METADATA_DISABLED"] == "true"
    assert "AWS_PROFILE" not in os.environ
    assert os.environ["AWS_ACCOUNT_ID_ENDPOINT_MODE"] == "disabled"


def test_planted_credentials_are_never_used(tmp_path):
    """With real-looking keys in the environment and ~/.aws, does boto3 still see only fake ones?"""
    home = tmp_path / "home"
    (home / ".aws").mkdir(parents=True)
    (home / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIAPLANTEDHOMEKEY\naws_secret_access_key = planted\n"
    )
    (home / ".aws" / "config").write_text("[default]\nregion = eu-west-1\n[profile planted]\nregion = eu-west-2\n")
    env = dict(
        os.environ,
        HOME=str(home),
        AWS_ACCESS_KEY_ID="AKIAPLANTEDENVKEY",
        AWS_SECRET_ACCESS_KEY="planted",
        AWS_PROFILE="planted",
    )
    for name in ("AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE"):
        env.pop(name, None)
    code = textwrap.dedent(
        """
        from course import sandbox
        aws = sandbox.start()
        import boto3
        creds = boto3.Session().get_credentials().get_frozen_credentials()
        print(creds.access_key, boto3.Session().region_name)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[0] not in ("AKIAPLANTEDHOMEKEY", "AKIAPLANTEDENVKEY")
    assert out[1] == "us-east-1"


def test_unmocked_api_is_blocked_not_sent(aws):
    """Does a call moto does not answer stop on the machine with a message naming it?"""
    from course.netguard import NetworkBlocked

    with pytest.raises(NetworkBlocked, match="does not simulate this request"):
        aws.client("qbusiness").list_applications()


def test_raw_sockets_to_the_internet_are_blocked(aws):
    """Is a direct connection to a public address refused while loopback still works?"""
    from course.netguard import NetworkBlocked

    with pytest.raises(NetworkBlocked):
        socket.create_connection(("203.0.113.10", 443), timeout=1)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname(), timeout=1)
    client.close()
    server.close()


def test_iam_enforcement_denies_what_the_policy_does_not_allow(aws):
    """Inside iam_enforced(), are requests checked against the caller's policy?"""
    import json

    from botocore.exceptions import ClientError

    aws.client("s3").create_bucket(Bucket="enforced-bucket")
    iam = aws.client("iam")
    iam.create_user(UserName="reader")
    iam.put_user_policy(
        UserName="reader",
        PolicyName="list-only",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}
        ),
    )
    key = iam.create_access_key(UserName="reader")["AccessKey"]
    with aws.iam_enforced():
        s3 = aws.client(
            "s3",
            aws_access_key_id=key["AccessKeyId"],
            aws_secret_access_key=key["SecretAccessKey"],
            aws_session_token=None,
        )
        s3.list_objects_v2(Bucket="enforced-bucket")
        with pytest.raises(ClientError, match="AccessDenied"):
            s3.put_object(Bucket="enforced-bucket", Key="x", Body=b"1")


def test_importing_the_helpers_loads_no_aws_library():
    """Are boto3 and moto imported only when the sandbox starts (so imports stay cheap)?"""
    code = "import sys; from course import sandbox, checks; print(any(m in sys.modules for m in ('boto3', 'moto', 'botocore')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"
