import json

import pytest
from bedrock_helpers import HAIKU
from botocore.exceptions import ClientError, ParamValidationError

EMBED_ARN = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0"
ROLE = "arn:aws:iam::123456789012:role/kb-role"
DOCS = {
    "docs/returns.md": "# Returns\nRefunds are issued within 14 days of purchase. Items must be unused.",
    "docs/shipping.txt": "Shipping is free for orders over 50 dollars. Express delivery takes two days.",
    "docs/warranty.txt": "The warranty covers manufacturing defects for two years. Batteries are excluded.",
    "other/ignored.txt": "This file is outside the inclusion prefix.",
    "docs/image.png": "not really a png",
}
META = {
    "docs/returns.md": {"metadataAttributes": {"department": "support", "year": 2024}},
    "docs/shipping.txt": {"metadataAttributes": {"department": "logistics", "year": 2023}},
    "docs/warranty.txt": {
        "metadataAttributes": {
            "department": {
                "value": {"type": "STRING", "stringValue": "support"},
                "includeForEmbedding": True,
            },
            "year": {"value": {"type": "NUMBER", "numberValue": 2022}},
        }
    },
}


def make_kb(agent, s3, chunking=None, dimensions=256):
    s3.create_bucket(Bucket="kb-docs")
    for key, text in DOCS.items():
        s3.put_object(Bucket="kb-docs", Key=key, Body=text.encode())
    for key, meta in META.items():
        s3.put_object(Bucket="kb-docs", Key=key + ".metadata.json", Body=json.dumps(meta).encode())
    kb = agent.create_knowledge_base(
        name="course-kb",
        roleArn=ROLE,
        knowledgeBaseConfiguration={
            "type": "VECTOR",
            "vectorKnowledgeBaseConfiguration": {
                "embeddingModelArn": EMBED_ARN,
                "embeddingModelConfiguration": {"bedrockEmbeddingModelConfiguration": {"dimensions": dimensions}},
            },
        },
        storageConfiguration={
            "type": "OPENSEARCH_SERVERLESS",
            "opensearchServerlessConfiguration": {
                "collectionArn": "arn:aws:aoss:us-east-1:123456789012:collection/abc",
                "vectorIndexName": "idx",
                "fieldMapping": {"vectorField": "v", "textField": "t", "metadataField": "m"},
            },
        },
    )["knowledgeBase"]
    params = {
        "knowledgeBaseId": kb["knowledgeBaseId"],
        "name": "s3-docs",
        "dataSourceConfiguration": {
            "type": "S3",
            "s3Configuration": {"bucketArn": "arn:aws:s3:::kb-docs", "inclusionPrefixes": ["docs/"]},
        },
    }
    if chunking:
        params["vectorIngestionConfiguration"] = {"chunkingConfiguration": chunking}
    ds = agent.create_data_source(**params)["dataSource"]
    return kb, ds


def ingest(agent, kb, ds):
    job = agent.start_ingestion_job(knowledgeBaseId=kb["knowledgeBaseId"], dataSourceId=ds["dataSourceId"])[
        "ingestionJob"
    ]
    assert job["status"] == "STARTING"
    return agent.get_ingestion_job(
        knowledgeBaseId=kb["knowledgeBaseId"],
        dataSourceId=ds["dataSourceId"],
        ingestionJobId=job["ingestionJobId"],
    )["ingestionJob"]


def test_kb_crud(agent, s3):
    kb, ds = make_kb(agent, s3)
    assert kb["status"] == "ACTIVE" and kb["knowledgeBaseArn"].endswith(kb["knowledgeBaseId"])
    assert agent.get_knowledge_base(knowledgeBaseId=kb["knowledgeBaseId"])["knowledgeBase"]["name"] == "course-kb"
    assert [k["name"] for k in agent.list_knowledge_bases()["knowledgeBaseSummaries"]] == ["course-kb"]
    assert ds["status"] == "AVAILABLE"
    got = agent.get_data_source(knowledgeBaseId=kb["knowledgeBaseId"], dataSourceId=ds["dataSourceId"])["dataSource"]
    assert got["vectorIngestionConfiguration"]["chunkingConfiguration"]["chunkingStrategy"] == "FIXED_SIZE"
    with pytest.raises(ClientError) as err:
        agent.get_knowledge_base(knowledgeBaseId="NOPE123456")
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_kb_rejects_non_embedding_model(agent):
    with pytest.raises(ClientError) as err:
        agent.create_knowledge_base(
            name="bad",
            roleArn=ROLE,
            knowledgeBaseConfiguration={
                "type": "VECTOR",
                "vectorKnowledgeBaseConfiguration": {
                    "embeddingModelArn": f"arn:aws:bedrock:us-east-1::foundation-model/{HAIKU}"
                },
            },
        )
    assert err.value.response["Error"]["Code"] == "ValidationException"


def test_ingestion_reads_s3(agent, s3):
    kb, ds = make_kb(agent, s3)
    job = ingest(agent, kb, ds)
    assert job["status"] == "COMPLETE"
    stats = job["statistics"]
    assert stats["numberOfDocumentsScanned"] == 4  # three text files and the png, under docs/
    assert stats["numberOfNewDocumentsIndexed"] == 3
    assert stats["numberOfDocumentsFailed"] == 1
    assert stats["numberOfMetadataDocumentsScanned"] == 3
    # Re-ingestion: unchanged files are skipped, modified and deleted ones are counted.
    s3.put_object(Bucket="kb-docs", Key="docs/shipping.txt", Body=b"Shipping now costs 5 dollars.")
    s3.delete_object(Bucket="kb-docs", Key="docs/warranty.txt")
    second = ingest(agent, kb, ds)["statistics"]
    assert second["numberOfNewDocumentsIndexed"] == 0
    assert second["numberOfModifiedDocumentsIndexed"] == 1
    assert second["numberOfDocumentsDeleted"] == 1
    jobs = agent.list_ingestion_jobs(knowledgeBaseId=kb["knowledgeBaseId"], dataSourceId=ds["dataSourceId"])
    assert len(jobs["ingestionJobSummaries"]) == 2


def test_ingestion_of_missing_bucket_fails(agent, s3):
    kb, ds = make_kb(agent, s3)
    s3.delete_objects(
        Bucket="kb-docs",
        Delete={"Objects": [{"Key": k} for k in list(DOCS) + [m + ".metadata.json" for m in META]]},
    )
    s3.delete_bucket(Bucket="kb-docs")
    job = ingest(agent, kb, ds)
    assert job["status"] == "FAILED" and job["failureReasons"]


def retrieve(agent_runtime, kb, text, number=5, flt=None):
    config = {"vectorSearchConfiguration": {"numberOfResults": number}}
    if flt:
        config["vectorSearchConfiguration"]["filter"] = flt
    return agent_runtime.retrieve(
        knowledgeBaseId=kb["knowledgeBaseId"], retrievalQuery={"text": text}, retrievalConfiguration=config
    )["retrievalResults"]


def test_retrieve_shape_and_ranking(agent, s3, agent_runtime):
    kb, ds = make_kb(agent, s3)
    ingest(agent, kb, ds)
    results = retrieve(agent_runtime, kb, "How many days until refunds are issued?")
    top = results[0]
    assert top["content"] == {"text": DOCS["docs/returns.md"], "type": "TEXT"}
    assert top["location"] == {"type": "S3", "s3Location": {"uri": "s3://kb-docs/docs/returns.md"}}
    assert top["metadata"]["department"] == "support" and top["metadata"]["year"] == 2024
    assert top["metadata"]["x-amz-bedrock-kb-source-uri"] == "s3://kb-docs/docs/returns.md"
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    assert len(retrieve(agent_runtime, kb, "refunds", number=1)) == 1


def test_retrieve_metadata_filters(agent, s3, agent_runtime):
    kb, ds = make_kb(agent, s3)
    ingest(agent, kb, ds)

    def uris(flt):
        return sorted(
            r["location"]["s3Location"]["uri"].rsplit("/", 1)[1] for r in retrieve(agent_runtime, kb, "policy", flt=flt)
        )

    assert uris({"equals": {"key": "department", "value": "support"}}) == ["returns.md", "warranty.txt"]
    assert uris({"notEquals": {"key": "department", "value": "support"}}) == ["shipping.txt"]
    assert uris({"greaterThan": {"key": "year", "value": 2022}}) == ["returns.md", "shipping.txt"]
    assert uris({"in": {"key": "year", "value": [2022, 2023]}}) == ["shipping.txt", "warranty.txt"]
    assert uris(
        {
            "andAll": [
                {"equals": {"key": "department", "value": "support"}},
                {"lessThan": {"key": "year", "value": 2024}},
            ]
        }
    ) == ["warranty.txt"]
    assert uris(
        {"orAll": [{"equals": {"key": "year", "value": 2024}}, {"equals": {"key": "year", "value": 2023}}]}
    ) == ["returns.md", "shipping.txt"]
    assert uris({"startsWith": {"key": "department", "value": "log"}}) == ["shipping.txt"]
    with pytest.raises(ParamValidationError):  # botocore itself checks andAll has >= 2 filters
        retrieve(agent_runtime, kb, "x", flt={"andAll": [{"equals": {"key": "year", "value": 1}}]})


def test_fixed_size_chunking(agent, s3, agent_runtime):
    kb, ds = make_kb(
        agent,
        s3,
        {
            "chunkingStrategy": "FIXED_SIZE",
            "fixedSizeChunkingConfiguration": {"maxTokens": 8, "overlapPercentage": 25},
        },
    )
    ingest(agent, kb, ds)
    results = retrieve(agent_runtime, kb, "warranty batteries", number=20)
    texts = [r["content"]["text"] for r in results if r["location"]["s3Location"]["uri"].endswith("warranty.txt")]
    assert len(texts) > 1
    assert all(len(t.split()) <= 8 for t in texts)


def test_no_chunking_and_hierarchical(agent, s3, agent_runtime):
    kb, ds = make_kb(agent, s3, {"chunkingStrategy": "NONE"})
    ingest(agent, kb, ds)
    results = retrieve(agent_runtime, kb, "shipping", number=10)
    assert len(results) == 3
    agent.delete_knowledge_base(knowledgeBaseId=kb["knowledgeBaseId"])
    s3.delete_objects(
        Bucket="kb-docs",
        Delete={"Objects": [{"Key": k} for k in list(DOCS) + [m + ".metadata.json" for m in META]]},
    )
    s3.delete_bucket(Bucket="kb-docs")
    hierarchical = {
        "chunkingStrategy": "HIERARCHICAL",
        "hierarchicalChunkingConfiguration": {
            "levelConfigurations": [{"maxTokens": 40}, {"maxTokens": 6}],
            "overlapTokens": 2,
        },
    }
    kb, ds = make_kb(agent, s3, hierarchical)
    ingest(agent, kb, ds)
    results = retrieve(agent_runtime, kb, "batteries excluded", number=10)
    # Children are matched, parents returned (deduplicated): one result per parent chunk.
    assert results[0]["content"]["text"] == DOCS["docs/warranty.txt"]
    assert len({r["content"]["text"] for r in results}) == len(results)


def test_semantic_chunking(agent, s3, agent_runtime):
    semantic = {
        "chunkingStrategy": "SEMANTIC",
        "semanticChunkingConfiguration": {
            "maxTokens": 20,
            "bufferSize": 0,
            "breakpointPercentileThreshold": 95,
        },
    }
    kb, ds = make_kb(agent, s3, semantic)
    assert ingest(agent, kb, ds)["status"] == "COMPLETE"
    assert retrieve(agent_runtime, kb, "refunds")[0]["content"]["text"]


def test_bad_chunking_config(agent, s3):
    with pytest.raises(ClientError) as err:
        make_kb(agent, s3, {"chunkingStrategy": "FIXED_SIZE"})
    assert err.value.response["Error"]["Code"] == "ValidationException"


def test_retrieve_and_generate_with_citations(agent, s3, agent_runtime):
    kb, ds = make_kb(agent, s3)
    ingest(agent, kb, ds)
    config = {
        "type": "KNOWLEDGE_BASE",
        "knowledgeBaseConfiguration": {
            "knowledgeBaseId": kb["knowledgeBaseId"],
            "modelArn": f"arn:aws:bedrock:us-east-1::foundation-model/{HAIKU}",
        },
    }
    r = agent_runtime.retrieve_and_generate(
        input={"text": "When are refunds issued?"}, retrieveAndGenerateConfiguration=config
    )
    assert r["output"]["text"] == "Refunds are issued within 14 days of purchase."
    assert r["sessionId"]
    citation = r["citations"][0]
    part = citation["generatedResponsePart"]["textResponsePart"]
    assert part["text"] == r["output"]["text"] and part["span"]["start"] == 0
    reference = citation["retrievedReferences"][0]
    assert reference["location"]["s3Location"]["uri"] == "s3://kb-docs/docs/returns.md"
    assert "Refunds" in reference["content"]["text"]
    assert reference["metadata"]["department"] == "support"
    unknown = agent_runtime.retrieve_and_generate(
        input={"text": "Who is the chief executive officer?"},
        retrieveAndGenerateConfiguration=config,
        sessionId=r["sessionId"],
    )
    assert unknown["output"]["text"] == "Sorry, I am unable to assist you with this request."
    assert unknown["citations"][0]["retrievedReferences"] == []


def test_s3_vectors_storage_mirrors_vectors(agent, s3, aws_s3vectors):
    aws_s3vectors.create_vector_bucket(vectorBucketName="kbvec")
    aws_s3vectors.create_index(
        vectorBucketName="kbvec",
        indexName="kb-index",
        dataType="float32",
        dimension=256,
        distanceMetric="cosine",
    )
    s3.create_bucket(Bucket="kb-docs")
    s3.put_object(Bucket="kb-docs", Key="a.txt", Body=b"Refunds are issued within 14 days.")
    kb = agent.create_knowledge_base(
        name="vec-kb",
        roleArn=ROLE,
        knowledgeBaseConfiguration={
            "type": "VECTOR",
            "vectorKnowledgeBaseConfiguration": {
                "embeddingModelArn": EMBED_ARN,
                "embeddingModelConfiguration": {"bedrockEmbeddingModelConfiguration": {"dimensions": 256}},
            },
        },
        storageConfiguration={
            "type": "S3_VECTORS",
            "s3VectorsConfiguration": {
                "vectorBucketArn": "arn:aws:s3vectors:us-east-1:123456789012:bucket/kbvec",
                "indexName": "kb-index",
            },
        },
    )["knowledgeBase"]
    ds = agent.create_data_source(
        knowledgeBaseId=kb["knowledgeBaseId"],
        name="d",
        dataSourceConfiguration={"type": "S3", "s3Configuration": {"bucketArn": "arn:aws:s3:::kb-docs"}},
    )["dataSource"]
    ingest(agent, kb, ds)
    listed = aws_s3vectors.list_vectors(vectorBucketName="kbvec", indexName="kb-index")["vectors"]
    assert len(listed) == 1
