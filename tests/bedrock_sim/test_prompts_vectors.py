import pytest
from bedrock_helpers import NOVA
from botocore.exceptions import ClientError

VARIANT = {
    "name": "v1",
    "templateType": "TEXT",
    "modelId": NOVA,
    "templateConfiguration": {
        "text": {
            "text": "Context: {{context}}\nQuestion: {{question}}",
            "inputVariables": [{"name": "context"}, {"name": "question"}],
        }
    },
    "inferenceConfiguration": {"text": {"maxTokens": 100, "temperature": 0.1}},
}


def test_prompt_management(agent, runtime):
    created = agent.create_prompt(name="faq", description="FAQ prompt", defaultVariant="v1", variants=[VARIANT])
    assert created["version"] == "DRAFT" and created["arn"].endswith(created["id"])
    version = agent.create_prompt_version(promptIdentifier=created["id"])
    assert version["version"] == "1" and version["arn"] == created["arn"] + ":1"
    got = agent.get_prompt(promptIdentifier=created["id"], promptVersion="1")
    assert got["variants"][0]["templateConfiguration"]["text"]["text"].startswith("Context: {{context}}")
    assert [p["name"] for p in agent.list_prompts()["promptSummaries"]] == ["faq"]
    versions = agent.list_prompts(promptIdentifier=created["id"])["promptSummaries"]
    assert [p["version"] for p in versions] == ["DRAFT", "1"]
    answer = runtime.converse(
        modelId=version["arn"],
        promptVariables={
            "context": {"text": "The library opens at 8am. Fines are 10 cents per day."},
            "question": {"text": "When does the library open?"},
        },
    )
    assert answer["output"]["message"]["content"][0]["text"] == "The library opens at 8am."
    with pytest.raises(ClientError) as err:
        runtime.converse(modelId=version["arn"], promptVariables={"context": {"text": "x"}})
    assert "question" in err.value.response["Error"]["Message"]
    agent.delete_prompt(promptIdentifier=created["id"])
    with pytest.raises(ClientError) as err:
        agent.get_prompt(promptIdentifier=created["id"])
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_prompt_validation(agent):
    bad = dict(
        VARIANT,
        templateConfiguration={"text": {"text": "Hi {{name}}", "inputVariables": [{"name": "other"}]}},
    )
    with pytest.raises(ClientError) as err:
        agent.create_prompt(name="bad", variants=[bad])
    assert err.value.response["Error"]["Code"] == "ValidationException"


def test_s3vectors_query(aws_s3vectors):
    client = aws_s3vectors
    client.create_vector_bucket(vectorBucketName="vecs")
    client.create_index(
        vectorBucketName="vecs", indexName="docs", dataType="float32", dimension=3, distanceMetric="cosine"
    )
    client.put_vectors(
        vectorBucketName="vecs",
        indexName="docs",
        vectors=[
            {"key": "a", "data": {"float32": [1.0, 0.0, 0.0]}, "metadata": {"genre": "drama", "year": 2020}},
            {"key": "b", "data": {"float32": [0.9, 0.1, 0.0]}, "metadata": {"genre": "comedy", "year": 2022}},
            {"key": "c", "data": {"float32": [0.0, 1.0, 0.0]}, "metadata": {"genre": "drama", "year": 2024}},
        ],
    )
    r = client.query_vectors(
        vectorBucketName="vecs",
        indexName="docs",
        topK=2,
        queryVector={"float32": [1.0, 0.0, 0.0]},
        returnDistance=True,
        returnMetadata=True,
    )
    assert r["distanceMetric"] == "cosine"
    assert [v["key"] for v in r["vectors"]] == ["a", "b"]
    assert r["vectors"][0]["distance"] == pytest.approx(0.0, abs=1e-6)
    assert r["vectors"][0]["metadata"] == {"genre": "drama", "year": 2020}
    filtered = client.query_vectors(
        vectorBucketName="vecs",
        indexName="docs",
        topK=3,
        queryVector={"float32": [1.0, 0.0, 0.0]},
        filter={"$and": [{"genre": "drama"}, {"year": {"$gte": 2021}}]},
    )
    assert [v["key"] for v in filtered["vectors"]] == ["c"] and "distance" not in filtered["vectors"][0]
    with pytest.raises(ClientError) as err:
        client.query_vectors(vectorBucketName="vecs", indexName="docs", topK=1, queryVector={"float32": [1.0]})
    assert err.value.response["Error"]["Code"] == "ValidationException"
    with pytest.raises(ClientError) as err:
        client.query_vectors(vectorBucketName="vecs", indexName="nope", topK=1, queryVector={"float32": [1.0, 0, 0]})
    assert err.value.response["Error"]["Code"] == "NotFoundException"
