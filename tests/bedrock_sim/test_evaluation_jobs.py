"""Evaluation jobs: model (automatic, LLM-as-a-judge, custom metrics, bring your own inference),
RAG (retrieve only, retrieve and generate) and human; shapes checked by botocore, real errors,
results in S3 in the documented layout, deterministic and meaningful scores."""

import json

import pytest
from bedrock_helpers import HAIKU, NOVA
from botocore.exceptions import ClientError
from botocore.stub import Stubber
from test_knowledge_bases import ingest, make_kb

ROLE = "arn:aws:iam::123456789012:role/eval-role"
MICRO = "amazon.nova-micro-v1:0"
JUDGE = "anthropic.claude-3-5-sonnet-20240620-v1:0"
CONTEXT = "Refunds are issued within 14 days of the return. Items must be unused and in their box."
PROMPTS = [
    {
        "prompt": f"<context>{CONTEXT}</context> Question: How long do refunds take?",
        "referenceResponse": "Refunds are issued within 14 days.",
        "category": "refunds",
    },
    {
        "prompt": f"<context>{CONTEXT}</context> Question: What condition must returned items be in?",
        "referenceResponse": "Items must be unused and in their box.",
        "category": "returns",
    },
]


def valid(client, method, response):
    """Fail unless ``response`` matches the operation's output shape (botocore's own validator)."""
    body = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    Stubber(client).add_response(method, body)


def put_dataset(s3, records, bucket="eval-data", key="datasets/prompts.jsonl"):
    if bucket not in [b["Name"] for b in s3.list_buckets()["Buckets"]]:
        s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key=key, Body="".join(json.dumps(r) + "\n" for r in records).encode())
    return f"s3://{bucket}/{key}"


def judge_config(uri, metrics, custom=None, evaluator=JUDGE):
    automated = {
        "datasetMetricConfigs": [
            {
                "taskType": "General",
                "dataset": {"name": "golden", "datasetLocation": {"s3Uri": uri}},
                "metricNames": metrics,
            }
        ],
        "evaluatorModelConfig": {"bedrockEvaluatorModels": [{"modelIdentifier": evaluator}]},
    }
    if custom:
        automated["customMetricConfig"] = {
            "customMetrics": [{"customMetricDefinition": c} for c in custom],
            "evaluatorModelConfig": {"bedrockEvaluatorModels": [{"modelIdentifier": evaluator}]},
        }
    return {"automated": automated}


def outputs(s3, bucket, prefix):
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        keys += [o["Key"] for o in page.get("Contents", [])]
    return keys


def records(s3, bucket, key):
    return [json.loads(line) for line in s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode().splitlines()]


def test_judge_job_two_models_layout_and_shapes(bedrock, s3):
    uri = put_dataset(s3, PROMPTS)
    s3.create_bucket(Bucket="eval-out")
    created = bedrock.create_evaluation_job(
        jobName="compare-two",
        roleArn=ROLE,
        applicationType="ModelEvaluation",
        evaluationConfig=judge_config(uri, ["Builtin.Correctness", "Builtin.Faithfulness"]),
        inferenceConfig={
            "models": [{"bedrockModel": {"modelIdentifier": MICRO}}, {"bedrockModel": {"modelIdentifier": HAIKU}}]
        },
        outputDataConfig={"s3Uri": "s3://eval-out/results/"},
    )
    valid(bedrock, "create_evaluation_job", created)
    arn = created["jobArn"]
    assert arn.startswith("arn:aws:bedrock:us-east-1:123456789012:evaluation-job/") and len(arn.rsplit("/", 1)[1]) == 12
    assert outputs(s3, "eval-out", "results/") == []  # nothing written before the job completes
    job = bedrock.get_evaluation_job(jobIdentifier=arn)
    valid(bedrock, "get_evaluation_job", job)
    assert job["status"] == "Completed" and job["jobType"] == "Automated"
    assert job["evaluationConfig"]["automated"]["datasetMetricConfigs"][0]["metricNames"] == [
        "Builtin.Correctness",
        "Builtin.Faithfulness",
    ]
    keys = outputs(s3, "eval-out", "results/compare-two/")
    assert len(keys) == 2
    for key in keys:
        parts = key.split("/")
        assert parts[:2] == ["results", "compare-two"] and parts[3] == "models"
        assert parts[5:10] == ["taskTypes", "General", "datasets", "golden", parts[9]] and parts[9].endswith(
            "_output.jsonl"
        )
    lines = records(s3, "eval-out", keys[0])
    assert len(lines) == 2
    score = lines[0]["automatedEvaluationResult"]["scores"][0]
    assert score["metricName"] == "Builtin.Correctness" and 0 <= score["result"] <= 1
    assert score["evaluatorDetails"][0]["modelIdentifier"] == JUDGE and score["evaluatorDetails"][0]["explanation"]
    assert lines[0]["inputRecord"]["category"] == "refunds"
    assert lines[0]["modelResponses"][0]["modelIdentifier"] in (MICRO, HAIKU)


def test_judge_scores_are_meaningful_with_precomputed_responses(bedrock, s3):
    question = f"<context>{CONTEXT}</context> Question: How long do refunds take?"
    rows = [
        {
            "prompt": question,
            "referenceResponse": "Refunds are issued within 14 days.",
            "modelResponses": [
                {"response": "Refunds are issued within 14 days of the return.", "modelIdentifier": "app-v1"}
            ],
        },
        {
            "prompt": question,
            "referenceResponse": "Refunds are issued within 14 days.",
            "modelResponses": [
                {"response": "Refunds are paid instantly in cash at every airport lounge.", "modelIdentifier": "app-v1"}
            ],
        },
        {
            "prompt": question,
            "referenceResponse": "Refunds are issued within 14 days.",
            "modelResponses": [{"response": "Our stores open at nine in the morning.", "modelIdentifier": "app-v1"}],
        },
    ]
    uri = put_dataset(s3, rows)
    s3.create_bucket(Bucket="eval-out")
    arn = bedrock.create_evaluation_job(
        jobName="byoi",
        roleArn=ROLE,
        evaluationConfig=judge_config(uri, ["Builtin.Faithfulness", "Builtin.Relevance", "Builtin.Correctness"]),
        inferenceConfig={"models": [{"precomputedInferenceSource": {"inferenceSourceIdentifier": "app-v1"}}]},
        outputDataConfig={"s3Uri": "s3://eval-out"},
    )["jobArn"]
    assert bedrock.get_evaluation_job(jobIdentifier=arn)["status"] == "Completed"
    (key,) = outputs(s3, "eval-out", "byoi/")
    assert "/models/app-v1/" in key
    scores = [
        {s["metricName"]: s["result"] for s in r["automatedEvaluationResult"]["scores"]}
        for r in records(s3, "eval-out", key)
    ]
    faithful, invented, off_topic = scores
    assert faithful["Builtin.Faithfulness"] > invented["Builtin.Faithfulness"]
    assert faithful["Builtin.Relevance"] > off_topic["Builtin.Relevance"]
    assert faithful["Builtin.Correctness"] > invented["Builtin.Correctness"] >= off_topic["Builtin.Correctness"]
    # Same job again: same scores (deterministic).
    arn2 = bedrock.create_evaluation_job(
        jobName="byoi-again",
        roleArn=ROLE,
        evaluationConfig=judge_config(uri, ["Builtin.Faithfulness", "Builtin.Relevance", "Builtin.Correctness"]),
        inferenceConfig={"models": [{"precomputedInferenceSource": {"inferenceSourceIdentifier": "app-v1"}}]},
        outputDataConfig={"s3Uri": "s3://eval-out"},
    )["jobArn"]
    bedrock.get_evaluation_job(jobIdentifier=arn2)
    (key2,) = outputs(s3, "eval-out", "byoi-again/")
    again = [
        {s["metricName"]: s["result"] for s in r["automatedEvaluationResult"]["scores"]}
        for r in records(s3, "eval-out", key2)
    ]
    assert again == scores


def test_custom_metric_uses_the_rating_scale_and_stores_its_definition(bedrock, s3):
    uri = put_dataset(s3, PROMPTS)
    s3.create_bucket(Bucket="eval-out")
    metric = {
        "name": "grounded-answer",
        "instructions": "Is the answer grounded in the context? Prompt: {{prompt}} Response: {{prediction}}",
        "ratingScale": [
            {"definition": "Good", "value": {"floatValue": 1.0}},
            {"definition": "Poor", "value": {"floatValue": 0.0}},
        ],
    }
    arn = bedrock.create_evaluation_job(
        jobName="custom-metric",
        roleArn=ROLE,
        evaluationConfig=judge_config(uri, ["grounded-answer"], custom=[metric]),
        inferenceConfig={"models": [{"bedrockModel": {"modelIdentifier": MICRO}}]},
        outputDataConfig={"s3Uri": "s3://eval-out/out"},
    )["jobArn"]
    bedrock.get_evaluation_job(jobIdentifier=arn)
    keys = outputs(s3, "eval-out", "out/custom-metric/")
    assert any(k.endswith("/custom_metrics/grounded-answer.json") for k in keys)
    (key,) = [k for k in keys if k.endswith("_output.jsonl")]
    for record in records(s3, "eval-out", key):
        (score,) = record["automatedEvaluationResult"]["scores"]
        assert score["metricName"] == "grounded-answer" and score["result"] in (0.0, 1.0)
        assert score["evaluatorDetails"][0]["explanation"].startswith("Rating: ")


def test_automatic_job_programmatic_metrics(bedrock, s3):
    uri = put_dataset(s3, PROMPTS)
    s3.create_bucket(Bucket="eval-out")
    arn = bedrock.create_evaluation_job(
        jobName="auto-qa",
        roleArn=ROLE,
        evaluationConfig={
            "automated": {
                "datasetMetricConfigs": [
                    {
                        "taskType": "QuestionAndAnswer",
                        "dataset": {"name": "qa", "datasetLocation": {"s3Uri": uri}},
                        "metricNames": ["Builtin.Accuracy", "Builtin.Robustness", "Builtin.Toxicity"],
                    }
                ]
            }
        },
        inferenceConfig={
            "models": [
                {
                    "bedrockModel": {
                        "modelIdentifier": NOVA,
                        "inferenceParams": json.dumps({"inferenceConfig": {"maxTokens": 256}}),
                    }
                }
            ]
        },
        outputDataConfig={"s3Uri": "s3://eval-out"},
    )["jobArn"]
    assert bedrock.get_evaluation_job(jobIdentifier=arn)["status"] == "Completed"
    (key,) = outputs(s3, "eval-out", "auto-qa/")
    assert "/taskTypes/QuestionAndAnswer/datasets/qa/" in key
    first = records(s3, "eval-out", key)[0]
    names = [s["metricName"] for s in first["automatedEvaluationResult"]["scores"]]
    assert names == ["Accuracy", "Robustness", "Toxicity"]
    accuracy = first["automatedEvaluationResult"]["scores"][0]["result"]
    assert 0.5 < accuracy <= 1.0  # the simulated model answers from the context


def test_validation_errors(bedrock, s3):
    uri = put_dataset(s3, PROMPTS)
    base = {
        "roleArn": ROLE,
        "evaluationConfig": judge_config(uri, ["Builtin.Correctness"]),
        "inferenceConfig": {"models": [{"bedrockModel": {"modelIdentifier": MICRO}}]},
        "outputDataConfig": {"s3Uri": "s3://eval-data/out"},
    }
    cases = [
        ({"jobName": "Bad_Name"}, "ValidationException", "jobName"),
        (
            {"jobName": "bad-metric", "evaluationConfig": judge_config(uri, ["Builtin.Accuracy"])},
            "ValidationException",
            "Builtin.Accuracy",
        ),
        (
            {
                "jobName": "bad-model",
                "inferenceConfig": {"models": [{"bedrockModel": {"modelIdentifier": "acme.none-v1"}}]},
            },
            "ValidationException",
            "model identifier",
        ),
        ({"jobName": "rag-no-kb", "applicationType": "RagEvaluation"}, "ValidationException", "ragConfigs"),
        (
            {
                "jobName": "no-dataset",
                "evaluationConfig": {
                    "automated": {
                        "datasetMetricConfigs": [
                            {
                                "taskType": "General",
                                "dataset": {"name": "Builtin.BoolQ"},
                                "metricNames": ["Builtin.Accuracy"],
                            }
                        ]
                    }
                },
            },
            "ValidationException",
            "Built-in datasets",
        ),
    ]
    for extra, code, words in cases:
        with pytest.raises(ClientError) as err:
            bedrock.create_evaluation_job(**(base | extra))
        assert err.value.response["Error"]["Code"] == code, extra
        assert words in err.value.response["Error"]["Message"], err.value.response["Error"]["Message"]
    bedrock.create_evaluation_job(jobName="twice", **base)
    with pytest.raises(ClientError) as err:
        bedrock.create_evaluation_job(jobName="twice", **base)
    assert err.value.response["Error"]["Code"] == "ConflictException"
    with pytest.raises(ClientError) as err:
        bedrock.get_evaluation_job(jobIdentifier="arn:aws:bedrock:us-east-1:123456789012:evaluation-job/zzzzzzzzzzzz")
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_failed_jobs_report_why(bedrock, s3):
    uri = put_dataset(s3, [{"prompt": "Hello"}])
    missing = bedrock.create_evaluation_job(
        jobName="no-output-bucket",
        roleArn=ROLE,
        evaluationConfig=judge_config(uri, ["Builtin.Relevance"]),
        inferenceConfig={"models": [{"bedrockModel": {"modelIdentifier": MICRO}}]},
        outputDataConfig={"s3Uri": "s3://no-such-bucket/out"},
    )["jobArn"]
    job = bedrock.get_evaluation_job(jobIdentifier=missing)
    assert job["status"] == "Failed" and "no-such-bucket" in job["failureMessages"][0]
    byoi = bedrock.create_evaluation_job(
        jobName="wrong-source",
        roleArn=ROLE,
        evaluationConfig=judge_config(uri, ["Builtin.Relevance"]),
        inferenceConfig={"models": [{"precomputedInferenceSource": {"inferenceSourceIdentifier": "app-v2"}}]},
        outputDataConfig={"s3Uri": "s3://eval-data/out"},
    )["jobArn"]
    job = bedrock.get_evaluation_job(jobIdentifier=byoi)
    assert job["status"] == "Failed" and "app-v2" in job["failureMessages"][0]


def test_list_filters_pages_stop_and_delete(bedrock, s3):
    uri = put_dataset(s3, PROMPTS[:1])
    arns = []
    for i in range(5):
        arns.append(
            bedrock.create_evaluation_job(
                jobName=f"job-{i}",
                roleArn=ROLE,
                evaluationConfig=judge_config(uri, ["Builtin.Relevance"]),
                inferenceConfig={"models": [{"bedrockModel": {"modelIdentifier": MICRO}}]},
                outputDataConfig={"s3Uri": "s3://eval-data/out"},
            )["jobArn"]
        )
    bedrock.stop_evaluation_job(jobIdentifier=arns[0])
    page = bedrock.list_evaluation_jobs(maxResults=2)
    valid(bedrock, "list_evaluation_jobs", page)
    assert len(page["jobSummaries"]) == 2 and "nextToken" in page
    names = [
        s["jobName"]
        for p in bedrock.get_paginator("list_evaluation_jobs").paginate(PaginationConfig={"PageSize": 2})
        for s in p["jobSummaries"]
    ]
    assert names == [f"job-{i}" for i in (4, 3, 2, 1, 0)]
    assert [s["jobName"] for s in bedrock.list_evaluation_jobs(statusEquals="Stopped")["jobSummaries"]] == ["job-0"]
    assert [s["jobName"] for s in bedrock.list_evaluation_jobs(nameContains="job-3")["jobSummaries"]] == ["job-3"]
    summary = bedrock.list_evaluation_jobs(nameContains="job-3")["jobSummaries"][0]
    assert summary["modelIdentifiers"] == [MICRO] and summary["evaluatorModelIdentifiers"] == [JUDGE]
    with pytest.raises(ClientError) as err:
        bedrock.stop_evaluation_job(jobIdentifier=arns[1])
    assert err.value.response["Error"]["Code"] == "ConflictException"
    deleted = bedrock.batch_delete_evaluation_job(jobIdentifiers=[arns[1], arns[1][:-1] + "q"])
    valid(bedrock, "batch_delete_evaluation_job", deleted)
    assert deleted["evaluationJobs"] == [{"jobIdentifier": arns[1], "jobStatus": "Deleting"}]
    assert deleted["errors"][0]["code"] == "ResourceNotFoundException"
    assert "job-1" not in [s["jobName"] for s in bedrock.list_evaluation_jobs()["jobSummaries"]]


def test_human_job_stays_in_progress(bedrock, s3):
    uri = put_dataset(s3, PROMPTS)
    arn = bedrock.create_evaluation_job(
        jobName="human-review",
        roleArn=ROLE,
        evaluationConfig={
            "human": {
                "humanWorkflowConfig": {
                    "flowDefinitionArn": "arn:aws:sagemaker:us-east-1:123456789012:flow-definition/team",
                    "instructions": "Rate each answer.",
                },
                "customMetrics": [{"name": "helpful", "ratingMethod": "ThumbsUpDown"}],
                "datasetMetricConfigs": [
                    {
                        "taskType": "Generation",
                        "dataset": {"name": "golden", "datasetLocation": {"s3Uri": uri}},
                        "metricNames": ["helpful"],
                    }
                ],
            }
        },
        inferenceConfig={"models": [{"bedrockModel": {"modelIdentifier": MICRO}}]},
        outputDataConfig={"s3Uri": "s3://eval-data/out"},
    )["jobArn"]
    job = bedrock.get_evaluation_job(jobIdentifier=arn)
    valid(bedrock, "get_evaluation_job", job)
    assert job["jobType"] == "Human" and job["status"] == "InProgress"


def test_rag_jobs_retrieve_only_and_retrieve_and_generate(bedrock, s3, agent):
    kb, ds = make_kb(agent, s3)
    ingest(agent, kb, ds)
    rows = [
        {
            "conversationTurns": [
                {
                    "prompt": {"content": [{"text": "How long do refunds take?"}]},
                    "referenceResponses": [{"content": [{"text": "Refunds are issued within 14 days of purchase."}]}],
                }
            ]
        },
        {
            "conversationTurns": [
                {
                    "prompt": {"content": [{"text": "Which planets have rings?"}]},
                    "referenceResponses": [{"content": [{"text": "Saturn has rings."}]}],
                }
            ]
        },
    ]
    uri = put_dataset(s3, rows)
    evaluation = {
        "automated": {
            "datasetMetricConfigs": [
                {
                    "taskType": "General",
                    "dataset": {"name": "rag", "datasetLocation": {"s3Uri": uri}},
                    "metricNames": ["Builtin.ContextRelevance", "Builtin.ContextCoverage"],
                }
            ],
            "evaluatorModelConfig": {"bedrockEvaluatorModels": [{"modelIdentifier": JUDGE}]},
        }
    }
    retrieve = bedrock.create_evaluation_job(
        jobName="rag-retrieve",
        roleArn=ROLE,
        applicationType="RagEvaluation",
        evaluationConfig=evaluation,
        inferenceConfig={
            "ragConfigs": [
                {
                    "knowledgeBaseConfig": {
                        "retrieveConfig": {
                            "knowledgeBaseId": kb["knowledgeBaseId"],
                            "knowledgeBaseRetrievalConfiguration": {
                                "vectorSearchConfiguration": {"numberOfResults": 2}
                            },
                        }
                    }
                }
            ]
        },
        outputDataConfig={"s3Uri": "s3://eval-data/rag"},
    )["jobArn"]
    job = bedrock.get_evaluation_job(jobIdentifier=retrieve)
    valid(bedrock, "get_evaluation_job", job)
    assert job["status"] == "Completed" and job["applicationType"] == "RagEvaluation"
    (key,) = outputs(s3, "eval-data", "rag/rag-retrieve/")
    assert f"/knowledgeBases/{kb['knowledgeBaseId']}/taskTypes/RetrieveOnly/datasets/rag/" in key
    found, lost = [r["conversationTurns"][0] for r in records(s3, "eval-data", key)]
    assert len(found["output"]["retrievedPassages"]["retrievalResults"]) == 2
    coverage = {t: {s["metricName"]: s["result"] for s in x["results"]} for t, x in (("found", found), ("lost", lost))}
    assert coverage["found"]["Builtin.ContextCoverage"] > coverage["lost"]["Builtin.ContextCoverage"]
    assert coverage["found"]["Builtin.ContextRelevance"] > coverage["lost"]["Builtin.ContextRelevance"]
    # Retrieve-and-generate metrics are refused for a retrieve-only job.
    with pytest.raises(ClientError) as err:
        bedrock.create_evaluation_job(
            jobName="rag-bad-metric",
            roleArn=ROLE,
            applicationType="RagEvaluation",
            evaluationConfig={
                "automated": {
                    **evaluation["automated"],
                    "datasetMetricConfigs": [
                        {
                            **evaluation["automated"]["datasetMetricConfigs"][0],
                            "metricNames": ["Builtin.CitationPrecision"],
                        }
                    ],
                }
            },
            inferenceConfig={
                "ragConfigs": [
                    {
                        "knowledgeBaseConfig": {
                            "retrieveConfig": {
                                "knowledgeBaseId": kb["knowledgeBaseId"],
                                "knowledgeBaseRetrievalConfiguration": {"vectorSearchConfiguration": {}},
                            }
                        }
                    }
                ]
            },
            outputDataConfig={"s3Uri": "s3://eval-data/rag"},
        )
    assert err.value.response["Error"]["Code"] == "ValidationException"
    generate = bedrock.create_evaluation_job(
        jobName="rag-generate",
        roleArn=ROLE,
        applicationType="RagEvaluation",
        evaluationConfig={
            "automated": {
                **evaluation["automated"],
                "datasetMetricConfigs": [
                    {
                        **evaluation["automated"]["datasetMetricConfigs"][0],
                        "metricNames": ["Builtin.Correctness", "Builtin.Faithfulness", "Builtin.CitationPrecision"],
                    }
                ],
            }
        },
        inferenceConfig={
            "ragConfigs": [
                {
                    "knowledgeBaseConfig": {
                        "retrieveAndGenerateConfig": {
                            "type": "KNOWLEDGE_BASE",
                            "knowledgeBaseConfiguration": {
                                "knowledgeBaseId": kb["knowledgeBaseId"],
                                "modelArn": f"arn:aws:bedrock:us-east-1::foundation-model/{HAIKU}",
                            },
                        }
                    }
                }
            ]
        },
        outputDataConfig={"s3Uri": "s3://eval-data/rag"},
    )["jobArn"]
    assert bedrock.get_evaluation_job(jobIdentifier=generate)["status"] == "Completed"
    (key,) = outputs(s3, "eval-data", "rag/rag-generate/")
    good, bad = [r["conversationTurns"][0] for r in records(s3, "eval-data", key)]
    assert "14 days" in good["output"]["text"] and good["output"]["citations"]
    scores = {t: {s["metricName"]: s["result"] for s in x["results"]} for t, x in (("good", good), ("bad", bad))}
    assert scores["good"]["Builtin.Correctness"] > scores["bad"]["Builtin.Correctness"]
    with pytest.raises(ClientError) as err:
        bedrock.create_evaluation_job(
            jobName="rag-missing-kb",
            roleArn=ROLE,
            applicationType="RagEvaluation",
            evaluationConfig=evaluation,
            inferenceConfig={
                "ragConfigs": [
                    {
                        "knowledgeBaseConfig": {
                            "retrieveConfig": {
                                "knowledgeBaseId": "NOSUCHKB12",
                                "knowledgeBaseRetrievalConfiguration": {"vectorSearchConfiguration": {}},
                            }
                        }
                    }
                ]
            },
            outputDataConfig={"s3Uri": "s3://eval-data/rag"},
        )
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_not_applicable_metrics_are_null(bedrock, s3, agent):
    rows = [
        {"prompt": "What is the capital of France?"},
        {"prompt": "Answer in JSON format: what is the capital of France?"},
    ]
    uri = put_dataset(s3, rows)
    arn = bedrock.create_evaluation_job(
        jobName="na-instructions",
        roleArn=ROLE,
        evaluationConfig=judge_config(uri, ["Builtin.FollowingInstructions"]),
        inferenceConfig={"models": [{"bedrockModel": {"modelIdentifier": MICRO}}]},
        outputDataConfig={"s3Uri": "s3://eval-data/na"},
    )["jobArn"]
    bedrock.get_evaluation_job(jobIdentifier=arn)
    (key,) = outputs(s3, "eval-data", "na/na-instructions/")
    plain, asked = [r["automatedEvaluationResult"]["scores"][0] for r in records(s3, "eval-data", key)]
    assert plain["result"] is None and "not applicable" in plain["evaluatorDetails"][0]["explanation"]
    assert isinstance(asked["result"], float)
    kb, ds = make_kb(agent, s3)
    ingest(agent, kb, ds)
    uri = put_dataset(
        s3, [{"conversationTurns": [{"prompt": {"content": [{"text": "How long do refunds take?"}]}}]}], key="rag.jsonl"
    )
    arn = bedrock.create_evaluation_job(
        jobName="na-coverage",
        roleArn=ROLE,
        applicationType="RagEvaluation",
        evaluationConfig=judge_config(uri, ["Builtin.ContextCoverage", "Builtin.ContextRelevance"]),
        inferenceConfig={
            "ragConfigs": [
                {
                    "knowledgeBaseConfig": {
                        "retrieveConfig": {
                            "knowledgeBaseId": kb["knowledgeBaseId"],
                            "knowledgeBaseRetrievalConfiguration": {"vectorSearchConfiguration": {}},
                        }
                    }
                }
            ]
        },
        outputDataConfig={"s3Uri": "s3://eval-data/na"},
    )["jobArn"]
    bedrock.get_evaluation_job(jobIdentifier=arn)
    (key,) = outputs(s3, "eval-data", "na/na-coverage/")
    coverage, relevance = records(s3, "eval-data", key)[0]["conversationTurns"][0]["results"]
    assert coverage["result"] is None and isinstance(relevance["result"], float)
