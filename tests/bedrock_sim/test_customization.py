"""Customization jobs, custom models, model import and custom model deployments."""

import json
import uuid

import pytest
from bedrock_helpers import user
from botocore.config import Config
from botocore.exceptions import ClientError
from shapes import valid

import course.bedrock_sim as bedrock_sim

ROLE = "arn:aws:iam::123456789012:role/customize"


def code(err) -> str:
    return err.value.response["Error"]["Code"]


@pytest.fixture
def bucket(s3):
    name = f"custom-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=name)
    return name


def training(s3, bucket, n=10, key="train/data.jsonl"):
    lines = [
        json.dumps({"prompt": f"What does status code {i} mean?", "completion": f"Status {i}: retry in {i} s."})
        for i in range(n)
    ]
    s3.put_object(Bucket=bucket, Key=key, Body="\n".join(lines).encode())
    return f"s3://{bucket}/{key}"


def start(bedrock, bucket, data_uri, **extra):
    params = {
        "jobName": f"ft-{uuid.uuid4().hex[:8]}",
        "customModelName": f"model-{uuid.uuid4().hex[:8]}",
        "roleArn": ROLE,
        "baseModelIdentifier": "amazon.nova-micro-v1:0",
        "customizationType": "FINE_TUNING",
        "trainingDataConfig": {"s3Uri": data_uri},
        "outputDataConfig": {"s3Uri": f"s3://{bucket}/output/"},
        "hyperParameters": {"epochCount": "2", "learningRate": "0.00001"},
    } | extra
    return valid(bedrock, "CreateModelCustomizationJob", bedrock.create_model_customization_job(**params))["jobArn"]


def get(bedrock, arn):
    return valid(bedrock, "GetModelCustomizationJob", bedrock.get_model_customization_job(jobIdentifier=arn))


def test_fine_tuning_lifecycle_and_use(bedrock, runtime, s3, bucket):
    arn = start(bedrock, bucket, training(s3, bucket))
    stages = []
    for _ in range(3):
        job = get(bedrock, arn)
        stages.append(
            (
                job["status"],
                *(
                    job["statusDetails"][k]["status"]
                    for k in ("validationDetails", "dataProcessingDetails", "trainingDetails")
                ),
            )
        )
    assert stages == [
        ("InProgress", "Completed", "InProgress", "NotStarted"),
        ("InProgress", "Completed", "Completed", "InProgress"),
        ("Completed", "Completed", "Completed", "Completed"),
    ]
    model_arn = job["outputModelArn"]
    model = valid(bedrock, "GetCustomModel", bedrock.get_custom_model(modelIdentifier=model_arn))
    assert model["modelStatus"] == "Active" and model["trainingMetrics"]["trainingLoss"] > 0
    listed = valid(bedrock, "ListCustomModels", bedrock.list_custom_models())["modelSummaries"]
    assert [m["modelArn"] for m in listed] == [model_arn] and listed[0]["baseModelName"] == "Nova Micro"
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="output/")["Contents"]]
    assert any(k.endswith("step_wise_training_metrics.csv") for k in keys)
    with pytest.raises(ClientError) as err:  # a custom model is not invoked by its own ARN
        runtime.converse(modelId=model_arn, messages=user("What does status code 3 mean?"))
    assert code(err) == "ValidationException"
    deployment = valid(
        bedrock,
        "CreateCustomModelDeployment",
        bedrock.create_custom_model_deployment(modelDeploymentName="ft-on-demand", modelArn=model_arn),
    )["customModelDeploymentArn"]
    with pytest.raises(ClientError) as err:  # still Creating
        runtime.converse(modelId=deployment, messages=user("Hi"))
    assert code(err) == "ValidationException"
    got = valid(
        bedrock,
        "GetCustomModelDeployment",
        bedrock.get_custom_model_deployment(customModelDeploymentIdentifier=deployment),
    )
    assert got["status"] == "Active"
    answer = runtime.converse(modelId=deployment, messages=user("what does status code 3 mean"))
    assert answer["output"]["message"]["content"][0]["text"] == "Status 3: retry in 3 s."
    other = runtime.converse(modelId=deployment, messages=user("Hello there"))
    assert other["output"]["message"]["content"][0]["text"] != "Status 3: retry in 3 s."
    assert bedrock_sim.invocations()[-1]["servedModelId"] == "amazon.nova-micro-v1:0"
    summaries = valid(bedrock, "ListCustomModelDeployments", bedrock.list_custom_model_deployments())
    assert [d["customModelDeploymentName"] for d in summaries["modelDeploymentSummaries"]] == ["ft-on-demand"]
    with pytest.raises(ClientError) as err:
        bedrock.delete_custom_model(modelIdentifier=model_arn)
    assert code(err) == "ValidationException"
    bedrock.delete_custom_model_deployment(customModelDeploymentIdentifier=deployment)
    bedrock.delete_custom_model(modelIdentifier=model_arn)
    assert bedrock.list_custom_models()["modelSummaries"] == []


def test_provisioned_throughput_serves_a_custom_model(bedrock, runtime, s3, bucket):
    arn = start(bedrock, bucket, training(s3, bucket), baseModelIdentifier="meta.llama3-1-8b-instruct-v1:0")
    for _ in range(3):
        job = get(bedrock, arn)
    with pytest.raises(ClientError) as err:  # Llama custom models have no on-demand deployment here
        bedrock.create_custom_model_deployment(modelDeploymentName="d", modelArn=job["outputModelArn"])
    assert code(err) == "ValidationException"
    pt = bedrock.create_provisioned_model_throughput(
        modelUnits=1, provisionedModelName="ft-pt", modelId=job["outputModelArn"]
    )
    described = bedrock.get_provisioned_model_throughput(provisionedModelId=pt["provisionedModelArn"])
    assert described["modelArn"] == job["outputModelArn"]
    reply = runtime.converse(modelId=pt["provisionedModelArn"], messages=user("What does status code 7 mean?"))
    assert reply["output"]["message"]["content"][0]["text"] == "Status 7: retry in 7 s."


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("\n".join(json.dumps({"prompt": "p", "completion": "c"}) for _ in range(3)), "at least 8 are required"),
        ('{"prompt": "p", "completion": "c"}\nnot json', "Invalid JSON"),
        ("\n".join(json.dumps({"text": "x"}) for _ in range(9)), "prompt"),
    ],
)
def test_bad_training_data_fails_validation(bedrock, s3, bucket, body, message):
    s3.put_object(Bucket=bucket, Key="bad/data.jsonl", Body=body.encode())
    arn = start(bedrock, bucket, f"s3://{bucket}/bad/data.jsonl")
    job = get(bedrock, arn)
    assert job["status"] == "Failed" and message in job["failureMessage"]
    assert job["statusDetails"]["validationDetails"]["status"] == "Failed"
    assert (
        bedrock.list_model_customization_jobs(statusEquals="Failed")["modelCustomizationJobSummaries"][0]["jobArn"]
        == arn
    )


def test_create_rules(bedrock, s3, bucket):
    uri = training(s3, bucket)
    bad = [
        {"baseModelIdentifier": "amazon.nova-premier-v1:0"},  # no fine-tuning
        {"customizationType": "CONTINUED_PRE_TRAINING"},  # Nova Micro offers FT and distillation
        {"hyperParameters": {"epochCount": "50"}},
        {"hyperParameters": {"dropout": "0.1"}},
        {"customizationType": "DISTILLATION"},  # no teacher
        {
            "customizationType": "DISTILLATION",
            "customizationConfig": {
                "distillationConfig": {
                    "teacherModelConfig": {"teacherModelIdentifier": "us.anthropic.claude-3-7-sonnet-20250219-v1:0"}
                }
            },
        },
    ]
    for extra in bad:
        with pytest.raises(ClientError) as err:
            start(bedrock, bucket, uri, **extra)
        assert code(err) == "ValidationException", extra
    teacher = {"distillationConfig": {"teacherModelConfig": {"teacherModelIdentifier": "us.amazon.nova-premier-v1:0"}}}
    arn = start(bedrock, bucket, uri, customizationType="DISTILLATION", customizationConfig=teacher, hyperParameters={})
    assert get(bedrock, arn)["customizationType"] == "DISTILLATION"
    start(bedrock, bucket, uri, jobName="dup")
    with pytest.raises(ClientError) as err:
        start(bedrock, bucket, uri, jobName="dup")
    assert code(err) == "ConflictException"


def test_stop_and_list_jobs(bedrock, s3, bucket):
    uri = training(s3, bucket)
    arns = [start(bedrock, bucket, uri, jobName=f"tune-{i}") for i in range(3)]
    bedrock.stop_model_customization_job(jobIdentifier=arns[1])
    assert get(bedrock, arns[1])["status"] == "Stopped"
    with pytest.raises(ClientError) as err:
        bedrock.stop_model_customization_job(jobIdentifier=arns[1])
    assert code(err) == "ValidationException"
    page = valid(
        bedrock,
        "ListModelCustomizationJobs",
        bedrock.list_model_customization_jobs(maxResults=2, sortOrder="Ascending"),
    )
    assert [j["jobArn"] for j in page["modelCustomizationJobSummaries"]] == arns[:2] and page["nextToken"]
    rest = bedrock.list_model_customization_jobs(maxResults=2, sortOrder="Ascending", nextToken=page["nextToken"])
    assert [j["jobArn"] for j in rest["modelCustomizationJobSummaries"]] == arns[2:]


def import_files(s3, bucket, *, architecture="llama", weights=True, tokenizer=True):
    s3.put_object(Bucket=bucket, Key="weights/config.json", Body=json.dumps({"model_type": architecture}).encode())
    if weights:
        s3.put_object(Bucket=bucket, Key="weights/model-00001.safetensors", Body=b"\x00")
    if tokenizer:
        s3.put_object(Bucket=bucket, Key="weights/tokenizer.json", Body=b"{}")
        s3.put_object(
            Bucket=bucket, Key="weights/tokenizer_config.json", Body=json.dumps({"chat_template": "{{x}}"}).encode()
        )
    return f"s3://{bucket}/weights/"


def test_model_import_and_cold_start(bedrock, s3, bucket, sim_aws):
    uri = import_files(s3, bucket)
    arn = valid(
        bedrock,
        "CreateModelImportJob",
        bedrock.create_model_import_job(
            jobName="import-1",
            importedModelName="support-llama",
            roleArn=ROLE,
            modelDataSource={"s3DataSource": {"s3Uri": uri}},
        ),
    )["jobArn"]
    job = valid(bedrock, "GetModelImportJob", bedrock.get_model_import_job(jobIdentifier=arn))
    assert job["status"] == "Completed"
    model = valid(bedrock, "GetImportedModel", bedrock.get_imported_model(modelIdentifier=job["importedModelArn"]))
    assert model["modelArchitecture"] == "llama" and model["instructSupported"] is True
    valid(bedrock, "ListImportedModels", bedrock.list_imported_models())
    valid(bedrock, "ListModelImportJobs", bedrock.list_model_import_jobs())
    client = sim_aws.client("bedrock-runtime", config=Config(retries={"total_max_attempts": 1}))
    with pytest.raises(ClientError) as err:
        client.converse(modelId=model["modelArn"], messages=user("Hello"))
    assert code(err) == "ModelNotReadyException"
    assert client.converse(modelId=model["modelArn"], messages=user("Hello"))["stopReason"] == "end_turn"
    bedrock_sim.advance_clock(3601)
    with pytest.raises(ClientError) as err:
        client.converse(modelId=model["modelArn"], messages=user("Hello"))
    assert code(err) == "ModelNotReadyException"
    retrying = sim_aws.client("bedrock-runtime")  # the SDK retries a 429 by itself
    bedrock_sim.advance_clock(3601)
    assert retrying.converse(modelId=model["modelArn"], messages=user("Hello"))["stopReason"] == "end_turn"
    bedrock.delete_imported_model(modelIdentifier=model["modelArn"])
    with pytest.raises(ClientError) as err:
        client.converse(modelId=model["modelArn"], messages=user("Hello"))
    assert code(err) == "ResourceNotFoundException"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"architecture": "bert"}, "architecture bert isn't supported"),
        ({"weights": False}, "safetensors"),
        ({"tokenizer": False}, "tokenizer"),
    ],
)
def test_import_failures_say_why(bedrock, s3, bucket, kwargs, message):
    uri = import_files(s3, bucket, **kwargs)
    arn = bedrock.create_model_import_job(
        jobName=f"imp-{uuid.uuid4().hex[:6]}",
        importedModelName=f"m-{uuid.uuid4().hex[:6]}",
        roleArn=ROLE,
        modelDataSource={"s3DataSource": {"s3Uri": uri}},
    )["jobArn"]
    job = bedrock.get_model_import_job(jobIdentifier=arn)
    assert job["status"] == "Failed" and message in job["failureMessage"]
