"""Does every AWS service the notebooks use answer through the sandbox? (seconds, not minutes)

A botocore release can change a service's wire protocol before moto learns it (Athena moved
from json to rest-json in botocore 1.44.18; moto 5.2.5 then answers 404 "Not yet implemented").
One harmless call per service finds that at once and names the service, instead of a notebook
failing deep inside a run.
"""

from __future__ import annotations

import re

import pytest
from botocore.exceptions import ClientError

from tests.course_files import ROOT

# service -> (operation, parameters) that any fresh account answers.
HARMLESS: dict[str, tuple[str, dict]] = {
    "apigateway": ("get_rest_apis", {}),
    "athena": ("list_work_groups", {}),
    "bedrock": ("list_foundation_models", {}),
    "bedrock-agent": ("list_knowledge_bases", {}),
    "bedrock-agent-runtime": ("retrieve", {"knowledgeBaseId": "CANARY0000", "retrievalQuery": {"text": "x"}}),
    "bedrock-runtime": (
        "count_tokens",
        {
            "modelId": "amazon.nova-micro-v1:0",
            "input": {"converse": {"messages": [{"role": "user", "content": [{"text": "hi"}]}]}},
        },
    ),
    "cloudformation": ("list_stacks", {}),
    "cloudfront": ("list_distributions", {}),
    "cloudtrail": ("describe_trails", {}),
    "cloudwatch": ("list_metrics", {}),
    "codebuild": ("list_projects", {}),
    "codedeploy": ("list_applications", {}),
    "codepipeline": ("list_pipelines", {}),
    "cognito-idp": ("list_user_pools", {"MaxResults": 1}),
    "dynamodb": ("list_tables", {}),
    "dynamodbstreams": ("list_streams", {}),
    "ec2": ("describe_vpcs", {}),
    "elasticache": ("describe_cache_clusters", {}),
    "elbv2": ("describe_load_balancers", {}),
    "events": ("list_event_buses", {}),
    "firehose": ("list_delivery_streams", {}),
    "glue": ("get_databases", {}),
    "iam": ("list_roles", {}),
    "kinesis": ("list_streams", {}),
    "kms": ("list_keys", {}),
    "lambda": ("list_functions", {}),
    "logs": ("describe_log_groups", {}),
    "opensearchserverless": ("list_collections", {}),
    "rds": ("describe_db_instances", {}),
    "route53": ("list_hosted_zones", {}),
    "s3": ("list_buckets", {}),
    "s3vectors": ("list_vector_buckets", {}),
    "sagemaker": ("list_endpoints", {}),
    "sagemaker-runtime": None,  # answers only for an endpoint; sagemaker's own call covers the protocol
    "secretsmanager": ("list_secrets", {}),
    "sns": ("list_topics", {}),
    "sqs": ("list_queues", {}),
    "ssm": ("describe_parameters", {}),
    "stepfunctions": ("list_state_machines", {}),
    "sts": ("get_caller_identity", {}),
    "transcribe": ("list_transcription_jobs", {}),
    "xray": ("get_trace_summaries", {"StartTime": 0, "EndTime": 1}),
}

# A not-found answer for a resource the call names is still an answer from the service.
EXPECTED_ERRORS = {"bedrock-agent-runtime": "ResourceNotFoundException"}


def services_in_notebooks() -> set[str]:
    pattern = re.compile(r"""client\(\s*["']([a-z0-9-]+)["']""")
    found: set[str] = set()
    for path in (ROOT / "source").glob("*/*.py"):
        found.update(pattern.findall(path.read_text()))
    return found


def test_every_service_in_the_notebooks_has_a_canary_call():
    """Does the canary know a harmless call for every service a notebook makes a client for?"""
    missing = sorted(services_in_notebooks() - set(HARMLESS))
    assert not missing, f"add a harmless call for {missing} to HARMLESS in {__file__}"


@pytest.mark.parametrize("service", sorted(s for s, call in HARMLESS.items() if call))
def test_service_answers_through_the_sandbox(aws, service):
    """Does one harmless call to the service get a real answer from moto or the simulator?"""
    operation, params = HARMLESS[service]
    client = aws.client(service)
    try:
        getattr(client, operation)(**params)
    except ClientError as err:
        code = err.response.get("Error", {}).get("Code")
        if code == EXPECTED_ERRORS.get(service):
            return
        import botocore

        protocol = client.meta.service_model.protocol
        pytest.fail(
            f"{service}.{operation} failed through the sandbox: {err}. botocore {botocore.__version__} "
            f"speaks {protocol!r} to this service; if moto cannot serve that protocol, pin botocore "
            "below the release that changed it (pyproject.toml, then ./course.sh upgrade).",
            pytrace=False,
        )
