"""Batch inference jobs: statuses, validation failures, outputs and manifest in S3, stop, list."""

import json
import uuid

import pytest
from botocore.exceptions import ClientError
from shapes import valid

import course.bedrock_sim as bedrock_sim

ROLE = "arn:aws:iam::123456789012:role/batch"


def records(n, *, bad=0):
    lines = [
        json.dumps(
            {
                "recordId": f"r{i:04d}",
                "modelInput": {
                    "schemaVersion": "messages-v1",
                    "messages": [{"role": "user", "content": [{"text": f"Summarize: ticket {i} was resolved."}]}],
                    "inferenceConfig": {"max_new_tokens": 40},
                },
            }
        )
        for i in range(n)
    ]
    lines += ['{"recordId": "broken", "modelInput": 7}'] * bad
    return "\n".join(lines).encode()


@pytest.fixture
def buckets(s3):
    tag = uuid.uuid4().hex[:8]
    names = (f"batch-in-{tag}", f"batch-out-{tag}")
    for name in names:
        s3.create_bucket(Bucket=name)
    return names


def create(bedrock, source, target, **extra):
    params = {
        "jobName": f"job-{uuid.uuid4().hex[:8]}",
        "roleArn": ROLE,
        "modelId": "amazon.nova-micro-v1:0",
        "inputDataConfig": {"s3InputDataConfig": {"s3Uri": source}},
        "outputDataConfig": {"s3OutputDataConfig": {"s3Uri": target}},
    } | extra
    return valid(bedrock, "CreateModelInvocationJob", bedrock.create_model_invocation_job(**params))["jobArn"]


def poll(bedrock, arn, times):
    return [
        valid(bedrock, "GetModelInvocationJob", bedrock.get_model_invocation_job(jobIdentifier=arn))
        for _ in range(times)
    ]


def test_job_runs_through_its_statuses_and_writes_outputs(bedrock, s3, buckets):
    source, target = buckets
    s3.put_object(Bucket=source, Key="in/a.jsonl", Body=records(60))
    s3.put_object(Bucket=source, Key="in/b.jsonl", Body=records(50, bad=2))
    arn = create(bedrock, f"s3://{source}/in/", f"s3://{target}/results")
    assert ":model-invocation-job/" in arn
    assert bedrock.list_model_invocation_jobs()["invocationJobSummaries"][0]["status"] == "Submitted"
    statuses = [j["status"] for j in poll(bedrock, arn, 5)]
    assert statuses == ["Validating", "Scheduled", "InProgress", "Completed", "Completed"]
    job = bedrock.get_model_invocation_job(jobIdentifier=arn)
    assert (job["totalRecordCount"], job["successRecordCount"], job["errorRecordCount"]) == (112, 110, 2)
    job_id = arn.rsplit("/", 1)[1]
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=target)["Contents"])
    assert keys == [
        f"results/{job_id}/a.jsonl.out",
        f"results/{job_id}/b.jsonl.out",
        f"results/{job_id}/manifest.json.out",
    ]
    manifest = json.loads(s3.get_object(Bucket=target, Key=keys[2])["Body"].read())
    assert (
        manifest["successRecordCount"] == 110 and manifest["errorRecordCount"] == 2 and manifest["inputTokenCount"] > 0
    )
    lines = [json.loads(x) for x in s3.get_object(Bucket=target, Key=keys[1])["Body"].read().decode().splitlines()]
    assert lines[0]["recordId"] == "r0000" and lines[0]["modelOutput"]["output"]["message"]["role"] == "assistant"
    assert lines[-1]["error"]["errorCode"] == 400
    assert bedrock_sim.invocations() == []  # batch does not go through on-demand inference


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda s3, src: s3.put_object(Bucket=src, Key="in/a.jsonl", Body=records(99)), "at least 100 records"),
        (lambda s3, src: None, "No .jsonl input files"),
    ],
)
def test_validation_failures(bedrock, s3, buckets, setup, message):
    source, target = buckets
    setup(s3, source)
    arn = create(bedrock, f"s3://{source}/in/", f"s3://{target}/out/")
    jobs = poll(bedrock, arn, 2)
    assert [j["status"] for j in jobs] == ["Validating", "Failed"]
    assert message in jobs[-1]["message"]
    assert bedrock.list_model_invocation_jobs(statusEquals="Failed")["invocationJobSummaries"][0]["jobArn"] == arn


def test_missing_buckets_fail_the_job(bedrock):
    arn = create(bedrock, "s3://no-such-input-bucket/in/", "s3://no-such-output-bucket/out/")
    assert poll(bedrock, arn, 2)[-1]["status"] == "Failed"


def test_create_validation_and_conflicts(bedrock, buckets):
    source, target = buckets
    uri_in, uri_out = f"s3://{source}/in/", f"s3://{target}/out/"
    for extra in (
        {"modelId": "anthropic.claude-3-7-sonnet-20250219-v1:0"},  # needs a profile
        {"modelId": "meta.llama3-8b-instruct-v1:0"},  # no batch inference
        {"jobName": "bad name!"},
    ):
        with pytest.raises(ClientError) as err:
            create(bedrock, uri_in, uri_out, **extra)
        assert err.value.response["Error"]["Code"] == "ValidationException", extra
    with pytest.raises(ClientError) as err:
        create(bedrock, "bucket/in", uri_out)
    assert err.value.response["Error"]["Code"] == "ValidationException"
    create(bedrock, uri_in, uri_out, jobName="same-name")
    with pytest.raises(ClientError) as err:
        create(bedrock, uri_in, uri_out, jobName="same-name")
    assert err.value.response["Error"]["Code"] == "ConflictException"
    token = uuid.uuid4().hex
    assert create(bedrock, uri_in, uri_out, clientRequestToken=token) == create(
        bedrock, uri_in, uri_out, clientRequestToken=token
    )
    profile = create(bedrock, uri_in, uri_out, modelId="us.anthropic.claude-3-7-sonnet-20250219-v1:0")
    assert bedrock.get_model_invocation_job(jobIdentifier=profile)["modelId"].startswith("us.")


def test_stop_list_filters_and_paging(bedrock, s3, buckets):
    source, target = buckets
    s3.put_object(Bucket=source, Key="in/a.jsonl", Body=records(100))
    arns = [create(bedrock, f"s3://{source}/in/", f"s3://{target}/out/", jobName=f"night-{i}") for i in range(5)]
    bedrock.stop_model_invocation_job(jobIdentifier=arns[0])
    assert [j["status"] for j in poll(bedrock, arns[0], 2)] == ["Stopped", "Stopped"]
    with pytest.raises(ClientError) as err:
        bedrock.stop_model_invocation_job(jobIdentifier=arns[0])
    assert err.value.response["Error"]["Code"] == "ValidationException"
    seen, token = [], None
    while True:
        page = valid(
            bedrock,
            "ListModelInvocationJobs",
            bedrock.list_model_invocation_jobs(
                maxResults=2, sortOrder="Ascending", **({"nextToken": token} if token else {})
            ),
        )
        seen += [j["jobArn"] for j in page["invocationJobSummaries"]]
        token = page.get("nextToken")
        if not token:
            break
    assert seen == arns
    assert [
        j["jobName"] for j in bedrock.list_model_invocation_jobs(nameContains="night-3")["invocationJobSummaries"]
    ] == ["night-3"]
    with pytest.raises(ClientError) as err:
        bedrock.get_model_invocation_job(jobIdentifier=arns[0] + "x")
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_converse_format_records(bedrock, s3, buckets):
    source, target = buckets
    lines = [
        json.dumps(
            {"recordId": f"c{i}", "modelInput": {"messages": [{"role": "user", "content": [{"text": f"Hi {i}"}]}]}}
        )
        for i in range(100)
    ]
    s3.put_object(Bucket=source, Key="conv.jsonl", Body="\n".join(lines).encode())
    arn = create(bedrock, f"s3://{source}/conv.jsonl", f"s3://{target}/", modelInvocationType="Converse")
    assert poll(bedrock, arn, 4)[-1]["successRecordCount"] == 100
    key = f"{arn.rsplit('/', 1)[1]}/conv.jsonl.out"
    first = json.loads(s3.get_object(Bucket=target, Key=key)["Body"].read().decode().splitlines()[0])
    assert first["modelOutput"]["usage"]["inputTokens"] > 0
