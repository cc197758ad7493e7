# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Retrieval engineering: chunking, embeddings, hybrid search, reranking and query handling, measured
#
# **Who this is for:** developers preparing for the AWS Certified Generative AI Developer –
# Professional exam (AIP-C01). The Bedrock notebook builds one RAG pipeline and one knowledge
# base. This notebook is about making retrieval *good*: which chunking, which embedding size,
# when hybrid search or a reranker pays off, how to handle a compound question, which vector store,
# and how to keep vectors current. The exam's largest domain spends 11 of its 28 skills here.
#
# **What you will do here:** measure every choice on a fixed corpus (the support library of
# *Kestrel Home*, an invented maker of thermostats, mesh routers and cameras) and a fixed set of
# 45 golden questions with the passages that answer them:
#
# - read 12 short sections, each ending with an *Exam tip* and self-check questions;
# - complete **8 graded exercises**: recall@k and MRR, metadata filters, a chunking comparison,
#   an embedding-dimension sweep, hybrid against semantic search, reranking, query decomposition
#   and an incremental sync that proves the stale chunk is gone;
# - read the charts the measurements produce (recall against chunk count and index size, gains
#   per question type);
# - answer the **graded quiz** at the end.
#
# **Exam tasks trained:** 1.4 (vector stores: architecture, metadata, scale, connectors,
# freshness), 1.5 (retrieval: chunking, embeddings, vector search, relevance, query handling,
# retrieval APIs and tools), 5.1.6 (retrieval testing) and 5.2.4 (retrieval troubleshooting).
#
# **How to work:** run the cells from top to bottom (every cell is safe to run again). In an
# exercise, replace `raise NotImplementedError()` with your code, run that cell, then run the
# test cell under it: its message tells you what is missing. Graded quiz answers are saved
# automatically next to this notebook as soon as you pick them.
#
# **About the simulator.** The first code cell starts a fake AWS account (moto) and the course's
# offline Bedrock stand-in. Knowledge bases really read S3, chunk, embed, filter and search;
# Rerank and query decomposition really reorder and split. The embedding is not a neural
# network: it hashes words and their letter triples into the vector, adds a shared feature for
# words that mean the same thing in this corpus (a small committed concept table: *guarantee* =
# *warranty*, *money back* = *refund*), and reduces codes such as `E-4021` to their shape. So
# paraphrases match, codes of one shape look alike, and fewer dimensions mean more collisions:
# the same directions you see with real models, deterministically. Synonyms outside the table do
# not match, and nothing understands negation; the numbers are this corpus's, not a benchmark's.

# %% kind="setup"
from course import sandbox, checks, quiz

aws = sandbox.start()  # fake credentials, moto + the offline Bedrock simulator; safe to re-run

# %%
import json
import re
import time
import uuid

from course import retrieval_data

s3, agent, agent_runtime = aws.client("s3"), aws.client("bedrock-agent"), aws.client("bedrock-agent-runtime")
s3vectors = aws.client("s3vectors")

REGION, ACCOUNT = "us-east-1", "123456789012"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/kestrel-kb-role"
EMBED_ARN = f"arn:aws:bedrock:{REGION}::foundation-model/amazon.titan-embed-text-v2:0"
HAIKU_ARN = f"arn:aws:bedrock:{REGION}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
RERANK_ARN = f"arn:aws:bedrock:{REGION}::foundation-model/cohere.rerank-v3-5:0"
CORPUS_BUCKET = "kestrel-support-docs"

if CORPUS_BUCKET not in [b["Name"] for b in s3.list_buckets()["Buckets"]]:
    retrieval_data.upload(s3, CORPUS_BUCKET)  # 25 documents, each with a .metadata.json sidecar
DOCUMENTS = retrieval_data.documents()
QUESTIONS = retrieval_data.questions()
covers = retrieval_data.covers  # covers(passage, sentence): the whole sentence is in the passage
print(len(DOCUMENTS), "documents,", len(QUESTIONS), "golden questions")

# %% [markdown]
# # Part 1 — A test bench for retrieval

# %% [markdown]
# ## The corpus, the golden set and the metrics <a id="golden-set"></a>
#
# **Why measure.** Every retrieval setting trades something: small chunks are precise but lose
# context, fewer dimensions save storage but blur meaning, a reranker adds cost and latency.
# You only know whether a change helps by running the *same* questions before and after. A
# **golden set** is that fixed exam for your retriever: realistic questions, each with the
# passage that answers it.
#
# **Our golden set.** Each of the 45 questions names its evidence: the document and the exact
# sentence that answers it. A retrieved chunk *covers* a sentence when it contains all of it
# (case and white space ignored). The questions come in four kinds, because each stresses a
# different part of retrieval:
#
# | kind | example | what it stresses |
# |---|---|---|
# | paraphrase | "How long is the guarantee on a mesh router?" (the text says *warranty*) | meaning, not words |
# | identifier | "My thermostat shows E-4021. What does that mean?" | exact codes and SKUs |
# | compound | "... how do I reset it, and what is the thermostat warranty?" | two passages in two documents |
# | filtered | "What did the 2025 T2 firmware change ...?" | metadata the text alone does not settle |
#
# **The metrics** (retrieval testing, skill 5.1.6):
#
# - **recall@k**: the share of a question's evidence sentences found in the top *k* chunks,
#   averaged over questions. It answers "did the answer reach the model?".
# - **MRR** (mean reciprocal rank): for each question, 1 / the rank of the first chunk that holds
#   any evidence (0 if none in the top *k*), averaged. It rewards putting the answer *first*.
# - **Context matching** is what `covers` does: judge relevance by the evidence text itself,
#   not by the file name, so a chunk from the right document that misses the answer does not count.
# - **Relevance scores** (`score` in Retrieve results) and **retrieval latency** complete the
#   picture; in production you would also track p95 latency of `Retrieve` in CloudWatch and
#   run the golden set in a pipeline before every change (a regression gate).
#
# Bedrock's own **RAG evaluation jobs** (taught in the evaluation notebook) score retrieval
# with an LLM judge (context relevance, context coverage) when you have no sentence-level labels.
#
# **Exam tip:** "measure whether a chunking change improved retrieval" → a fixed golden set with
# recall@k / MRR before and after, not anecdotes. "The answer is in the knowledge base but the
# model never sees it" → a recall problem (retrieval), not a prompt problem.

# %%
import collections

print(collections.Counter(q["kind"] for q in QUESTIONS))
example = QUESTIONS[2]
print(example["question"])
for evidence in example["evidence"]:
    print("  evidence in", evidence["source"], "->", evidence["text"])

# %%
quiz.show("retrieval", "golden-set")

# %% [markdown]
# ### Exercise 1 — recall@k, reciprocal rank and a golden-set score (3 points)
#
# Write three functions. `passages` is a ranked list of chunk texts (best first); `evidence` is a
# list of evidence sentences; use `covers(passage, sentence)` to decide whether a passage holds a
# sentence.
#
# 1. `recall_at_k(passages, evidence, k)` returns the share (0.0–1.0) of the `evidence`
#    sentences covered by at least one of the first `k` passages. Raise `ValueError` if `k < 1`
#    or `evidence` is empty.
# 2. `reciprocal_rank(passages, evidence, k)` returns `1 / r` where `r` is the 1-based rank of the
#    first of the first `k` passages that covers *any* evidence sentence, or `0.0` if none does.
#    Raise `ValueError` if `k < 1`.
# 3. `evaluate(search, questions, k=3)` scores a retriever. `search(question_text)` returns a
#    ranked list of passages (it may return more than `k`); call it exactly once per question.
#    `questions` are golden-set records (`{"id", "question", "evidence": [{"source", "text"}]}`).
#    Return `{"recall": <mean recall@k>, "mrr": <mean reciprocal rank>, "per_question": {<id>:
#    {"recall": ..., "rr": ...}}}`. Raise `ValueError` if `questions` is empty.

# %% kind="solution" grade_id="retrieval-metrics"
def recall_at_k(passages, evidence, k):
    """Share of the evidence sentences covered by the first k passages."""
    ### BEGIN SOLUTION
    if k < 1:
        raise ValueError("k must be at least 1")
    if not evidence:
        raise ValueError("a question needs at least one evidence sentence")
    top = list(passages)[:k]
    found = sum(1 for sentence in evidence if any(covers(p, sentence) for p in top))
    return found / len(evidence)
    ### END SOLUTION


def reciprocal_rank(passages, evidence, k):
    """1 / rank of the first of the top-k passages that covers any evidence sentence, else 0.0."""
    ### BEGIN SOLUTION
    if k < 1:
        raise ValueError("k must be at least 1")
    for rank, passage in enumerate(list(passages)[:k], start=1):
        if any(covers(passage, sentence) for sentence in evidence):
            return 1 / rank
    return 0.0
    ### END SOLUTION


def evaluate(search, questions, k=3):
    """Mean recall@k and MRR of search() over golden questions, with per-question scores."""
    ### BEGIN SOLUTION
    if not questions:
        raise ValueError("no questions to evaluate")
    per_question = {}
    for q in questions:
        evidence = [e["text"] for e in q["evidence"]]
        passages = search(q["question"])
        per_question[q["id"]] = {"recall": recall_at_k(passages, evidence, k),
                                 "rr": reciprocal_rank(passages, evidence, k)}
    n = len(questions)
    return {"recall": sum(s["recall"] for s in per_question.values()) / n,
            "mrr": sum(s["rr"] for s in per_question.values()) / n,
            "per_question": per_question}
    ### END SOLUTION


# %% kind="tests" grade_id="retrieval-metrics-tests" points=3
"""Do recall_at_k, reciprocal_rank and evaluate score ranked passages against evidence sentences correctly?"""
import math
import random

def _close(found, expected):
    return isinstance(found, (int, float)) and not isinstance(found, bool) and math.isclose(found, expected)


_ev = ["The dial turns blue.", "Refunds take ten days."]
_ps = ["intro text", "Hold it until THE dial  turns blue. Then wait.", "other", "Refunds take ten days."]
checks.expect_equal(checks.call(recall_at_k, _ps, _ev, 2), 0.5, "only one of two sentences is in the top 2")
checks.expect_equal(checks.call(recall_at_k, _ps, _ev, 4), 1.0, "both sentences are in the top 4")
checks.expect_equal(checks.call(reciprocal_rank, _ps, _ev, 3), 0.5, "the first passage with evidence is at rank 2")
checks.expect_equal(checks.call(reciprocal_rank, _ps, _ev, 1), 0.0, "no evidence in the top 1 gives 0.0")
_golden = [{"id": "a", "question": "Q1?", "evidence": [{"source": "x", "text": "alpha beta gamma"}]},
           {"id": "b", "question": "Q2?", "evidence": [{"source": "y", "text": "delta epsilon"}]}]
_answers = {"Q1?": ["alpha beta gamma delta"], "Q2?": ["nothing", "still nothing", "delta epsilon"]}
_scored = checks.call(evaluate, lambda q: _answers[q], _golden, 3)
checks.expect_type(_scored, dict, "evaluate should return a dict")
checks.expect(_close(_scored.get("recall"), 1.0), "both questions are answered in the top 3",
              expected=1.0, found=_scored.get("recall"))
checks.expect(_close(_scored.get("mrr"), (1 + 1 / 3) / 2), "MRR is the mean of 1 and 1/3",
              expected=(1 + 1 / 3) / 2, found=_scored.get("mrr"))
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
def _raises(_expected_error, _call, _what):
    _problem = "no error"
    try:
        _call()
    except _expected_error:
        return
    except Exception as _exc:  # noqa: BLE001
        _problem = f"{type(_exc).__name__}: {_exc}"
    checks.fail(_what, _expected_error.__name__, _problem)


def _ref_recall(ps, ev, k):
    return sum(1 for s in ev if any(covers(p, s) for p in list(ps)[:k])) / len(ev)


def _ref_rr(ps, ev, k):
    return next((1 / r for r, p in enumerate(list(ps)[:k], 1) if any(covers(p, s) for s in ev)), 0.0)


_rng = random.Random()
_pool = [f"sentence number {i} about topic {_rng.randint(0, 10**6)}." for i in range(12)]
for _ in range(40):
    _ev = _rng.sample(_pool, _rng.randint(1, 4))
    _ps = [(" ".join(_rng.sample(_pool, _rng.randint(0, 3)))).upper() for _ in range(_rng.randint(0, 7))]
    _k = _rng.randint(1, 8)
    _found = checks.call(recall_at_k, _ps, _ev, _k)
    checks.expect(_close(_found, _ref_recall(_ps, _ev, _k)), f"recall_at_k with k={_k}",
                  expected=_ref_recall(_ps, _ev, _k), found=_found)
    _found = checks.call(reciprocal_rank, _ps, _ev, _k)
    checks.expect(_close(_found, _ref_rr(_ps, _ev, _k)), f"reciprocal_rank with k={_k}",
                  expected=_ref_rr(_ps, _ev, _k), found=_found)
checks.expect_equal(checks.call(recall_at_k, ["a b c d e"], ["a b c d e"] * 2 + ["zzz yyy"], 1), 2 / 3,
                    "each evidence sentence counts once, found or not")
for _bad in [lambda: recall_at_k(["a"], ["a"], 0), lambda: recall_at_k(["a"], [], 1), lambda: reciprocal_rank(["a"], ["a"], 0)]:
    _raises(ValueError, _bad, "k < 1 or no evidence must raise ValueError")
# evaluate: one search call per question, with the question text; k is honoured.
_calls = []
_qs = [{"id": f"q{i}", "question": f"question {i} {uuid.uuid4().hex[:6]}?",
        "evidence": [{"source": "s", "text": f"answer {i} is here"}]} for i in range(6)]


def _fake(text):
    _calls.append(text)
    i = int(text.split()[1])
    return [f"noise {j}" for j in range(i % 4)] + [f"Answer {i} is here."]


_res = checks.call(evaluate, _fake, _qs, 2)
checks.expect_equal(_calls, [q["question"] for q in _qs], "search is called once per question, with its text")
_exp_r = [1.0 if (i % 4) < 2 else 0.0 for i in range(6)]
_exp_rr = [1 / ((i % 4) + 1) if (i % 4) < 2 else 0.0 for i in range(6)]
checks.expect_type(_res, dict, "evaluate should return a dict")
checks.expect(_close(_res.get("recall"), sum(_exp_r) / 6), "recall@2 averaged over questions",
              expected=sum(_exp_r) / 6, found=_res.get("recall"))
checks.expect(_close(_res.get("mrr"), sum(_exp_rr) / 6), "MRR@2 averaged over questions",
              expected=sum(_exp_rr) / 6, found=_res.get("mrr"))
_per = _res.get("per_question")
checks.expect_type(_per, dict, "per_question should be a dict keyed by question id")
checks.expect_equal(sorted(_per), sorted(q["id"] for q in _qs), "one entry per question id")
checks.expect_equal(_per.get("q1"), {"recall": 1.0, "rr": 0.5}, "per-question scores of q1")
_raises(ValueError, lambda: evaluate(_fake, [], 3), "evaluate with no questions must raise ValueError")
### END HIDDEN TESTS

# %% [markdown]
# **The bench's tools.** Two helpers build and query knowledge bases for the rest of the
# notebook: `build_knowledge_base(chunking, dimensions=..., store=...)` creates the vector store,
# the knowledge base with Titan Text Embeddings V2, an S3 data source over the corpus and runs the
# first sync (you built all of this by hand in the Bedrock notebook; same settings give back the
# same knowledge base), and `retrieve_texts(client, kb_id, question, k, **vector_search)` calls
# `Retrieve` and returns the chunk texts. The **bench knowledge base** uses 100-token chunks on
# OpenSearch Serverless: small chunks make the effects in this notebook easy to see.

# %%
_KNOWLEDGE_BASES = {}
FIXED_100 = {"chunkingStrategy": "FIXED_SIZE", "fixedSizeChunkingConfiguration": {"maxTokens": 100, "overlapPercentage": 20}}


def _wait_for_job(kb_id, ds_id, job_id):
    while True:
        job = agent.get_ingestion_job(knowledgeBaseId=kb_id, dataSourceId=ds_id, ingestionJobId=job_id)["ingestionJob"]
        if job["status"] in ("COMPLETE", "FAILED", "STOPPED"):
            return job
        time.sleep(1)


def build_knowledge_base(chunking, *, dimensions=1024, store="S3_VECTORS", bucket=CORPUS_BUCKET, reuse=True):
    """Create and sync a knowledge base over s3://bucket; returns its ids and the first sync's statistics."""
    key = (json.dumps(chunking, sort_keys=True), dimensions, store, bucket)
    if reuse and key in _KNOWLEDGE_BASES:
        return _KNOWLEDGE_BASES[key]
    tag = uuid.uuid4().hex[:10]
    vector_bucket = index_name = None
    if store == "S3_VECTORS":
        vector_bucket, index_name = f"kb-vectors-{tag}", "chunks"
        s3vectors.create_vector_bucket(vectorBucketName=vector_bucket)
        s3vectors.create_index(vectorBucketName=vector_bucket, indexName=index_name, dataType="float32",
                               dimension=dimensions, distanceMetric="cosine",
                               metadataConfiguration={"nonFilterableMetadataKeys": ["AMAZON_BEDROCK_TEXT"]})
        storage = {"type": "S3_VECTORS", "s3VectorsConfiguration": {
            "vectorBucketArn": f"arn:aws:s3vectors:{REGION}:{ACCOUNT}:bucket/{vector_bucket}", "indexName": index_name}}
    elif store == "OPENSEARCH_SERVERLESS":
        storage = {"type": "OPENSEARCH_SERVERLESS", "opensearchServerlessConfiguration": {
            "collectionArn": f"arn:aws:aoss:{REGION}:{ACCOUNT}:collection/kestrel-vectors",
            "vectorIndexName": f"kb-{tag}",
            "fieldMapping": {"vectorField": "embedding", "textField": "AMAZON_BEDROCK_TEXT",
                             "metadataField": "AMAZON_BEDROCK_METADATA"}}}
    else:
        raise ValueError(f"unknown store {store}")
    kb = agent.create_knowledge_base(
        name=f"kestrel-{tag}", roleArn=ROLE_ARN, storageConfiguration=storage,
        knowledgeBaseConfiguration={"type": "VECTOR", "vectorKnowledgeBaseConfiguration": {
            "embeddingModelArn": EMBED_ARN,
            "embeddingModelConfiguration": {"bedrockEmbeddingModelConfiguration": {"dimensions": dimensions}}}},
    )["knowledgeBase"]
    ds = agent.create_data_source(
        knowledgeBaseId=kb["knowledgeBaseId"], name="support-library",
        dataSourceConfiguration={"type": "S3", "s3Configuration": {"bucketArn": f"arn:aws:s3:::{bucket}"}},
        vectorIngestionConfiguration={"chunkingConfiguration": chunking},
    )["dataSource"]
    job = agent.start_ingestion_job(knowledgeBaseId=kb["knowledgeBaseId"], dataSourceId=ds["dataSourceId"])
    job = _wait_for_job(kb["knowledgeBaseId"], ds["dataSourceId"], job["ingestionJob"]["ingestionJobId"])
    built = {"kb_id": kb["knowledgeBaseId"], "ds_id": ds["dataSourceId"], "vector_bucket": vector_bucket,
             "index_name": index_name, "store": store, "statistics": job["statistics"]}
    _KNOWLEDGE_BASES[key] = built
    return built


def retrieve_texts(client, kb_id, question, k=3, **vector_search):
    """Retrieve the top-k chunk texts; vector_search adds vectorSearchConfiguration fields (filter, ...)."""
    config = {"numberOfResults": k, **vector_search}
    response = client.retrieve(knowledgeBaseId=kb_id, retrievalQuery={"text": question},
                               retrievalConfiguration={"vectorSearchConfiguration": config})
    return [r["content"]["text"] for r in response["retrievalResults"]]


BENCH = build_knowledge_base(FIXED_100, store="OPENSEARCH_SERVERLESS")
print(BENCH["statistics"])
try:
    baseline = evaluate(lambda q: retrieve_texts(agent_runtime, BENCH["kb_id"], q, 3), QUESTIONS, 3)
    print(f"bench, semantic search: recall@3 = {baseline['recall']:.3f}, MRR = {baseline['mrr']:.3f}")
except NotImplementedError:
    print("Complete Exercise 1 to score the bench.")

# %% [markdown]
# # Part 2 — Where vectors live

# %% [markdown]
# ## Vector stores on AWS and when each fits <a id="vector-stores"></a>
#
# A vector store keeps each chunk's embedding with its text and metadata, and answers "the *k*
# nearest vectors to this one" fast, usually with an approximate index such as HNSW. A Bedrock
# knowledge base can use a store it creates for you or one you bring:
#
# | Store | Choose it when | Knowledge-base notes |
# |---|---|---|
# | **Amazon OpenSearch Serverless** (vector search collection) | managed, low-latency search with hybrid (keyword + vector) queries and rich filters, no cluster to run | the console's quick-create default; hybrid search |
# | **Amazon OpenSearch Service** managed cluster | you need control of shards, replicas and instance types, or OpenSearch features such as the neural plugin that calls Bedrock embeddings at ingest and query time | supported as a store |
# | **Amazon Aurora PostgreSQL** (pgvector) | vectors must sit next to relational data, joined with SQL; one database to operate | hybrid search with a filterable text field |
# | **Amazon Neptune Analytics** | GraphRAG: answers depend on relationships between entities (who reports to whom, which part fits which model) | builds a graph from your chunks |
# | **Amazon S3 Vectors** | the lowest cost for large, rarely queried vector sets; sub-second queries; pay for storage and queries, not for servers | semantic search through a knowledge base |
# | **A managed knowledge base** | you want no store at all: Bedrock runs storage, indexing and retrieval (knowledge-base type `MANAGED`) | fewest decisions |
# | Pinecone, Redis Enterprise Cloud, MongoDB Atlas | a third-party store the company already runs | bring your own |
#
# Around the store, three patterns appear on the exam: **documents in S3 with their vectors in
# RDS/Aurora** (the database holds a pointer to the object), **metadata in DynamoDB** keyed by
# document id (fast lookups of owner, version, access), and a **hierarchical knowledge base**
# (parent/child chunks, or several knowledge bases behind a router, below).
#
# **What this sandbox hosts.** S3 Vectors is real here: moto stores vector buckets, indexes and
# vectors, and the simulator answers `QueryVectors` and pages `ListVectors`. A knowledge base
# with `S3_VECTORS` storage writes its chunk vectors into your index, so you can count and
# inspect them. An **OpenSearch Serverless** collection cannot be hosted (moto has no search
# engine): a knowledge base accepts the `OPENSEARCH_SERVERLESS` configuration and the simulator
# keeps its vectors itself, which is enough to practise hybrid search. Aurora, Neptune Analytics,
# the managed store and third-party stores are taught from the table above.
#
# **Exam tip:** "hybrid keyword + semantic search, managed, no servers" → OpenSearch Serverless.
# "vectors joined with customer tables in SQL" → Aurora PostgreSQL with pgvector. "billions of
# vectors, queried occasionally, cheapest" → S3 Vectors. "relationships between entities" →
# Neptune Analytics (GraphRAG).

# %% [markdown]
# **Try it.** The knowledge base below stores its vectors in S3 Vectors. List the index (the
# first page only), then run a raw `QueryVectors` with an embedding you compute yourself: this is
# what `Retrieve` does for you.

# %%
runtime = aws.client("bedrock-runtime")
on_s3_vectors = build_knowledge_base(FIXED_100)
page = s3vectors.list_vectors(vectorBucketName=on_s3_vectors["vector_bucket"], indexName=on_s3_vectors["index_name"],
                              maxResults=3, returnMetadata=True)
for v in page["vectors"]:
    print(v["key"], "|", v["metadata"]["x-amz-bedrock-kb-source-uri"], "|", v["metadata"]["AMAZON_BEDROCK_TEXT"][:50])
print("more pages:", "nextToken" in page)
body = json.dumps({"inputText": "How long is the router warranty?", "dimensions": 1024, "normalize": True})
query = json.loads(runtime.invoke_model(modelId="amazon.titan-embed-text-v2:0", body=body)["body"].read())["embedding"]
hits = s3vectors.query_vectors(vectorBucketName=on_s3_vectors["vector_bucket"], indexName=on_s3_vectors["index_name"],
                               topK=2, queryVector={"float32": query}, returnDistance=True, returnMetadata=True)
for v in hits["vectors"]:
    print(round(v["distance"], 3), v["metadata"]["AMAZON_BEDROCK_TEXT"][:80].replace("\n", " "))

# %%
quiz.show("retrieval", "vector-stores")

# %% [markdown]
# ## Metadata for precise retrieval <a id="metadata"></a>
#
# **Where metadata comes from.** For an S3 data source, each object can have a sidecar
# `<key>.metadata.json` with `{"metadataAttributes": {...}}` (plain values, or typed values with
# `includeForEmbedding`); other connectors bring their own fields (author, last modified), and
# Bedrock adds system fields such as `x-amz-bedrock-kb-source-uri`. S3 object metadata and tags
# are another place to keep attributes upstream. Our corpus carries `product`, `category`,
# `doc_type`, `year` and `audience`.
#
# **Designing attributes.** Keep them few, low-cardinality and typed (years as numbers, lists as
# string lists); add the ones your users filter by (product line, region, department, effective
# date) and the ones **access control** needs (tenant, role). A filter is applied by the store
# before ranking, so it also makes search faster on big indexes.
#
# **Filters.** `vectorSearchConfiguration.filter` takes `equals`, `notEquals`, `greaterThan`,
# `greaterThanOrEquals`, `lessThan`, `lessThanOrEquals`, `in`, `notIn`, `startsWith`,
# `listContains`, `stringContains`, combined with `andAll` / `orAll` (each at least two
# conditions). **Implicit filtering** (`implicitFilterConfiguration`) lets a model read the
# question and build the filter from the attributes you describe; you list up to 25 attributes
# with a key, a type and a description. S3 Vectors itself filters on metadata you did not declare
# non-filterable.
#
# **Exam tip:** "users must only see their department's documents" → a metadata filter built by
# your application from the caller's identity, never a sentence in the prompt. "questions mention
# a year or a product and results mix versions" → metadata filters, or implicit filtering.

# %% [markdown]
# **Try it.** The same question with no filter, with an explicit filter and with implicit
# filtering: only the filtered searches reach the 2024 release notes.

# %%
_q33 = next(q for q in QUESTIONS if q["id"] == "q33")
print(_q33["question"], "->", _q33["evidence"][0]["text"])
_explicit = {"andAll": [{"equals": {"key": "product", "value": "t2"}}, {"equals": {"key": "year", "value": 2024}}]}
_implicit = {"modelArn": HAIKU_ARN, "metadataAttributes": [
    {"key": "product", "type": "STRING", "description": "Product code such as t2, t3, r5, r7, c1, h1"},
    {"key": "year", "type": "NUMBER", "description": "Year the document was published"}]}
for _label, _extra in [("no filter", {}), ("explicit filter", {"filter": _explicit}),
                       ("implicit filter", {"implicitFilterConfiguration": _implicit})]:
    _texts = retrieve_texts(agent_runtime, BENCH["kb_id"], _q33["question"], 3, **_extra)
    print(f"{_label:16} found: {any(covers(t, _q33['evidence'][0]['text']) for t in _texts)}")

# %%
quiz.show("retrieval", "metadata")

# %% [markdown]
# ### Exercise 2 — filters built from attributes (3 points)
#
# 1. `build_filter(*, product=None, doc_type=None, min_year=None, audience=None)` returns the
#    Retrieve `filter` that keeps only chunks whose metadata matches every attribute given:
#    `product`, `doc_type` and `audience` equal to the value, `year` at least `min_year`.
#    Attributes left as `None` are ignored. With no attribute it returns `None`; with one, that
#    single condition; with several, all of them joined so that each must hold.
# 2. `retrieve_filtered(agent_runtime, kb_id, question, *, k=3, **attributes)` calls `Retrieve`
#    with `numberOfResults=k` and the filter `build_filter(**attributes)` (no `filter` key at all
#    when it is `None`) and returns the texts of the results, in order.

# %% kind="solution" grade_id="metadata-filter"
def build_filter(*, product=None, doc_type=None, min_year=None, audience=None):
    """The Retrieve filter for the given attributes, or None when no attribute is given."""
    ### BEGIN SOLUTION
    conditions = []
    if product is not None:
        conditions.append({"equals": {"key": "product", "value": product}})
    if doc_type is not None:
        conditions.append({"equals": {"key": "doc_type", "value": doc_type}})
    if min_year is not None:
        conditions.append({"greaterThanOrEquals": {"key": "year", "value": min_year}})
    if audience is not None:
        conditions.append({"equals": {"key": "audience", "value": audience}})
    if not conditions:
        return None
    return conditions[0] if len(conditions) == 1 else {"andAll": conditions}
    ### END SOLUTION


def retrieve_filtered(agent_runtime, kb_id, question, *, k=3, **attributes):
    """The texts of the top-k chunks for the question, restricted by build_filter(**attributes)."""
    ### BEGIN SOLUTION
    config = {"numberOfResults": k}
    flt = build_filter(**attributes)
    if flt is not None:
        config["filter"] = flt
    response = agent_runtime.retrieve(knowledgeBaseId=kb_id, retrievalQuery={"text": question},
                                      retrievalConfiguration={"vectorSearchConfiguration": config})
    return [r["content"]["text"] for r in response["retrievalResults"]]
    ### END SOLUTION


# %% kind="tests" grade_id="metadata-filter-tests" points=3
"""Do build_filter and retrieve_filtered keep exactly the chunks whose metadata matches every given attribute?"""
import itertools
import random

from course.bedrock_sim import knowledge_bases as _kbs

_records = [{"product": p, "doc_type": d, "year": y, "audience": a}
            for p, d, y, a in itertools.product(["t2", "t3", "all"], ["manual", "policy"], [2023, 2024, 2025],
                                                ["customer", "installer"])]


def _kept(flt):
    with checks.step("applying your filter to sample metadata", "build the filter from equals / "
                     "greaterThanOrEquals / andAll objects, as Retrieve expects"):
        return [r for r in _records if _kbs.matches(flt, r)]


checks.expect_equal(checks.call(build_filter), None, "no attribute gives no filter")
_f = checks.call(build_filter, product="t2")
checks.expect_equal(_kept(_f), [r for r in _records if r["product"] == "t2"], "product='t2' keeps only t2 chunks")
_f = checks.call(build_filter, product="t3", min_year=2024)
checks.expect_equal(_kept(_f), [r for r in _records if r["product"] == "t3" and r["year"] >= 2024],
                    "product and min_year must both hold (year >= min_year)")
_ar = aws.client("bedrock-agent-runtime")
_sent = []
_ar.meta.events.register("provide-client-params.bedrock-agent-runtime.Retrieve", lambda params, **kw: _sent.append(params))
_texts = checks.call(retrieve_filtered, _ar, BENCH["kb_id"], "What changed in the firmware?", k=4, product="t2", min_year=2025)
checks.expect_type(_texts, list, "retrieve_filtered should return a list of texts")
checks.expect(bool(_texts) and all("T2 firmware release notes, 2025" in t or "Version 3.4" in t for t in _texts),
              "only 2025 T2 chunks may come back", found=[t[:60] for t in _texts])
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_rng = random.Random()
for _ in range(30):
    _args = {name: _rng.choice([None, value]) for name, value in [
        ("product", _rng.choice(["t2", "t3", "all"])), ("doc_type", _rng.choice(["manual", "policy"])),
        ("min_year", _rng.choice([2023, 2024, 2025])), ("audience", _rng.choice(["customer", "installer"]))]}
    _expected = [r for r in _records
                 if (_args["product"] is None or r["product"] == _args["product"])
                 and (_args["doc_type"] is None or r["doc_type"] == _args["doc_type"])
                 and (_args["min_year"] is None or r["year"] >= _args["min_year"])
                 and (_args["audience"] is None or r["audience"] == _args["audience"])]
    _given = {k: v for k, v in _args.items() if v is not None}
    _f = checks.call(build_filter, **_given)
    if not _given:
        checks.expect_equal(_f, None, "no attribute gives None")
        continue
    checks.expect_equal(_kept(_f), _expected, f"build_filter(**{_given}) should keep exactly the matching chunks")
    if len(_given) > 1:
        checks.expect("andAll" in _f, "several attributes must all hold: join them with andAll", found=_f)
_sent.clear()
_plain = checks.call(retrieve_filtered, _ar, BENCH["kb_id"], "How do I reset the router?", k=2)
checks.expect_equal(len(_sent), 1, "one Retrieve call")
_vsc = _sent[-1].get("retrievalConfiguration", {}).get("vectorSearchConfiguration", {})
checks.expect_equal(_vsc.get("numberOfResults"), 2, "numberOfResults should be k")
checks.expect("filter" not in _vsc, "with no attribute, send no filter at all", found=_vsc)
checks.expect_equal(_plain, retrieve_texts(agent_runtime, BENCH["kb_id"], "How do I reset the router?", 2),
                    "the texts of the results, in order")
_q = f"Which installer guidance applies {uuid.uuid4().hex[:4]}?"
_got = checks.call(retrieve_filtered, _ar, BENCH["kb_id"], _q, k=5, audience="installer", doc_type="faq")
_want = retrieve_texts(agent_runtime, BENCH["kb_id"], _q, 5, filter={"andAll": [
    {"equals": {"key": "audience", "value": "installer"}}, {"equals": {"key": "doc_type", "value": "faq"}}]})
checks.expect_equal(_got, _want, "audience and doc_type filter the results")
checks.expect_equal(_sent[-1].get("retrievalQuery"), {"text": _q}, "the question is sent unchanged")
# One attribute: Retrieve must accept the filter (andAll needs at least two conditions) and apply it.
_year = _rng.choice([2024, 2025])
_got = checks.call(retrieve_filtered, _ar, BENCH["kb_id"], "What changed in the firmware?", k=3, min_year=_year)
_want = retrieve_texts(agent_runtime, BENCH["kb_id"], "What changed in the firmware?", 3,
                       filter={"greaterThanOrEquals": {"key": "year", "value": _year}})
checks.expect_equal(_got, _want, f"min_year={_year} alone: only chunks of {_year} or later")
### END HIDDEN TESTS

# %% [markdown]
# ## Search at scale: shards, several indexes, hierarchy <a id="scale"></a>
#
# **Shards and replicas** (OpenSearch Service managed clusters). An index is split into primary
# shards, fixed when the index is created, and each has replicas for availability and read
# throughput. Too few shards and one node does all the work; too many and every query fans out to
# tiny shards. Vector indexes are memory-hungry (HNSW graphs live in memory), so size the cluster
# for the graph, and choose quantisation or smaller dimensions to fit more vectors per node.
# OpenSearch Serverless hides shards: it scales compute units for indexing and search separately.
#
# **Several indexes (multi-index).** One index per domain, product line or tenant keeps each
# index small and lets you tune or rebuild one without touching the others; a router (rules, a
# classifier or a small model) sends each question to the right index, or you query several and
# merge. One shared index with a metadata filter is simpler and enough when domains share a
# vocabulary and the filter is selective. Tenant isolation for regulated data usually argues for
# separate indexes (or knowledge bases) per tenant.
#
# **Hierarchical indexing.** Two levels of granularity: search small, precise units and return
# the larger unit they belong to. Bedrock's HIERARCHICAL chunking does this inside one index
# (children searched, parents returned); at a larger scale, a summary index of documents routes
# the query to a detailed index of their chunks.
#
# **Exam tip:** "search latency grows with a huge single index mixing unrelated domains" →
# separate indexes per domain with routing, or a selective metadata filter. "answers need more
# context than the small matching chunk" → hierarchical (parent/child) chunking.

# %%
quiz.show("retrieval", "scale")

# %% [markdown]
# # Part 3 — Chunks and embeddings

# %% [markdown]
# ## Chunking strategies <a id="chunking"></a>
#
# Bedrock knowledge bases chunk each document at ingestion:
#
# | `chunkingStrategy` | What it does | Fits |
# |---|---|---|
# | default | about 300 tokens, keeping sentences whole | a sensible start |
# | `FIXED_SIZE` | `maxTokens` per chunk, `overlapPercentage` overlap | uniform text; tune size and overlap |
# | `HIERARCHICAL` | parent chunks (`levelConfigurations[0].maxTokens`) split into children (`[1]`), with `overlapTokens`; children are searched, parents returned | precise matching *and* enough context |
# | `SEMANTIC` | groups sentences (`bufferSize` neighbours) and breaks where meaning shifts (`breakpointPercentileThreshold`), up to `maxTokens` | topic-structured prose |
# | `NONE` | one chunk per file | files you already split yourself |
#
# The chunking strategy is fixed when the data source is created. For anything else (split on
# your own document structure, add titles or summaries, attach chunk-level metadata) add a
# **custom transformation Lambda** (`customTransformationConfiguration`, step `POST_CHUNKING`):
# Bedrock writes each file's chunks to an intermediate S3 location, calls your function, and
# embeds what it writes back. **Parsing** comes before chunking: the default parser reads text;
# Bedrock Data Automation or a foundation model as parser extract text from tables, figures and
# scanned pages.
#
# **The trade-off.** Small chunks match precisely but cut answers in half and lose the context
# that says *which* product a sentence is about; large chunks keep context but dilute the match
# and send more tokens to the model; overlap stops a sentence being lost at a boundary;
# hierarchical gets both at the price of more vectors.
#
# **Exam tip:** "answers are split across chunk boundaries" → more overlap or larger/semantic
# chunks. "retrieval finds the right paragraph but the model lacks the surrounding section" →
# hierarchical chunking. "chunk by our own headings / add metadata per chunk" → a custom
# transformation Lambda.

# %% [markdown]
# **Try it: a custom transformation Lambda.** Fixed-size chunks of the T2 and T3 manuals look
# alike once the title is cut off, so a common idea is a *contextual header*: the function
# below (a real Lambda deployment package, run by the simulator) prefixes every chunk with its
# document's title and records the title as chunk metadata. Does it help? Measure it.

# %%
import io
import zipfile

TITLE_HANDLER = '''
import json
import boto3

s3 = boto3.client("s3")


def handler(event, context):
    bucket = event["bucketName"]
    output_files = []
    for file in event["inputFiles"]:
        batches = []
        for batch in file["contentBatches"]:
            body = json.loads(s3.get_object(Bucket=bucket, Key=batch["key"])["Body"].read())
            contents = body["fileContents"]
            first = contents[0]["contentBody"].strip().splitlines()[0] if contents else ""
            title = first.lstrip("# ").strip()
            for item in contents:
                if not item["contentBody"].lstrip().startswith("# "):
                    item["contentBody"] = title + "\\n" + item["contentBody"]
                item["contentMetadata"] = {"document_title": title}
            key = batch["key"].replace("/input/", "/output/")
            s3.put_object(Bucket=bucket, Key=key, Body=json.dumps(body))
            batches.append({"key": key})
        output_files.append({**file, "contentBatches": batches})
    return {"outputFiles": output_files}
'''


def title_lambda():
    """Deploy the handler above as a Lambda function (once) and return its ARN."""
    lam, iam = aws.client("lambda"), aws.client("iam")
    try:
        return lam.get_function(FunctionName="kb-add-titles")["Configuration"]["FunctionArn"]
    except lam.exceptions.ResourceNotFoundException:
        pass
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                     "Principal": {"Service": "lambda.amazonaws.com"}}]}
    role = iam.create_role(RoleName="kb-add-titles-role", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("titles.py", TITLE_HANDLER)
    return lam.create_function(FunctionName="kb-add-titles", Runtime="python3.12", Role=role,
                               Handler="titles.handler", Code={"ZipFile": package.getvalue()})["FunctionArn"]


_work = "kb-intermediate-" + ACCOUNT
if _work not in [b["Name"] for b in s3.list_buckets()["Buckets"]]:
    s3.create_bucket(Bucket=_work)
_titled = agent.create_knowledge_base(
    name=f"titled-{uuid.uuid4().hex[:8]}", roleArn=ROLE_ARN,
    knowledgeBaseConfiguration={"type": "VECTOR", "vectorKnowledgeBaseConfiguration": {"embeddingModelArn": EMBED_ARN}},
    storageConfiguration={"type": "OPENSEARCH_SERVERLESS", "opensearchServerlessConfiguration": {
        "collectionArn": f"arn:aws:aoss:{REGION}:{ACCOUNT}:collection/kestrel-vectors", "vectorIndexName": "titled",
        "fieldMapping": {"vectorField": "embedding", "textField": "AMAZON_BEDROCK_TEXT",
                         "metadataField": "AMAZON_BEDROCK_METADATA"}}},
)["knowledgeBase"]["knowledgeBaseId"]
_ds = agent.create_data_source(
    knowledgeBaseId=_titled, name="support-library",
    dataSourceConfiguration={"type": "S3", "s3Configuration": {"bucketArn": f"arn:aws:s3:::{CORPUS_BUCKET}"}},
    vectorIngestionConfiguration={
        "chunkingConfiguration": FIXED_100,
        "customTransformationConfiguration": {
            "intermediateStorage": {"s3Location": {"uri": f"s3://{_work}/transform"}},
            "transformations": [{"stepToApply": "POST_CHUNKING", "transformationFunction": {
                "transformationLambdaConfiguration": {"lambdaArn": title_lambda()}}}]}},
)["dataSource"]["dataSourceId"]
_job = agent.start_ingestion_job(knowledgeBaseId=_titled, dataSourceId=_ds)["ingestionJob"]
print(_wait_for_job(_titled, _ds, _job["ingestionJobId"])["statistics"])
_sample = agent_runtime.retrieve(knowledgeBaseId=_titled, retrievalQuery={"text": "How do I reset the T3?"},
                                 retrievalConfiguration={"vectorSearchConfiguration": {"numberOfResults": 1}})
print("a transformed chunk:", _sample["retrievalResults"][0]["content"]["text"][:90].replace("\n", " | "))
print("its metadata:", _sample["retrievalResults"][0]["metadata"]["document_title"])
try:
    for _label, _kb in [("plain 100-token chunks", BENCH["kb_id"]), ("with titles", _titled)]:
        _s = evaluate(lambda q, kb=_kb: retrieve_texts(agent_runtime, kb, q, 3), QUESTIONS, 3)
        print(f"{_label:24} recall@3 = {_s['recall']:.3f}  MRR = {_s['mrr']:.3f}")
except NotImplementedError:
    print("Complete Exercise 1 to score both knowledge bases.")

# %% [markdown]
# On this corpus the headers do not pay: recall and MRR drop slightly, because every chunk of a
# document now repeats the title's words, which dilutes what makes each chunk different. A
# contextual header helps when chunks are ambiguous without their document; here the golden set
# says no, and that is the point of having one.

# %%
quiz.show("retrieval", "chunking")

# %% [markdown]
# ### Exercise 3 — compare chunking strategies and pick one (4 points)
#
# 1. `count_vectors(s3vectors, vector_bucket, index_name)` returns the number of vectors in an S3
#    Vectors index. `ListVectors` returns one page at a time: follow `nextToken` until it is
#    absent (a paginator is fine).
# 2. `compare_chunking(agent_runtime, s3vectors, build, strategies, questions, *, k=3,
#    tolerance=0.02, score=None)`: `strategies` maps a name to a `chunkingConfiguration`. For each
#    one, in order:
#    - call `build(chunking)` exactly once; it returns a dict like `build_knowledge_base` does
#      (`kb_id`, `vector_bucket`, `index_name`);
#    - call `score(search, questions, k)` exactly once, where `search(question_text)` calls
#      `Retrieve` on that knowledge base with `numberOfResults=k` and returns the texts; `score`
#      is your `evaluate` unless another function is passed (the tests pass their own, so this
#      exercise is graded on its own);
#    - count its vectors with `count_vectors`.
#
#    Return `{"results": {name: {"recall": ..., "mrr": ..., "chunks": ...}}, "best": name}` with
#    the `recall` and `mrr` that `score` returned. The best strategy is the one with the **fewest
#    chunks** among those whose recall is at least (highest recall − `tolerance`); if several have
#    that fewest count, the first in `strategies`. Raise `ValueError` if `strategies` is empty.

# %% kind="solution" grade_id="chunking-compare"
def count_vectors(s3vectors, vector_bucket, index_name):
    """Number of vectors in an S3 Vectors index, over every ListVectors page."""
    ### BEGIN SOLUTION
    total = 0
    for page in s3vectors.get_paginator("list_vectors").paginate(vectorBucketName=vector_bucket, indexName=index_name):
        total += len(page["vectors"])
    return total
    ### END SOLUTION


def compare_chunking(agent_runtime, s3vectors, build, strategies, questions, *, k=3, tolerance=0.02, score=None):
    """Build, score and count each chunking strategy; pick the smallest index within tolerance of the best recall."""
    ### BEGIN SOLUTION
    score = score or evaluate
    if not strategies:
        raise ValueError("no chunking strategies to compare")
    results = {}
    for name, chunking in strategies.items():
        kb = build(chunking)
        scores = score(lambda q, kb_id=kb["kb_id"]: retrieve_texts(agent_runtime, kb_id, q, k), questions, k)
        results[name] = {"recall": scores["recall"], "mrr": scores["mrr"],
                         "chunks": count_vectors(s3vectors, kb["vector_bucket"], kb["index_name"])}
    top = max(r["recall"] for r in results.values())
    candidates = [name for name in strategies if results[name]["recall"] >= top - tolerance]
    best = min(candidates, key=lambda name: results[name]["chunks"])
    return {"results": results, "best": best}
    ### END SOLUTION


# %% kind="tests" grade_id="chunking-compare-tests" points=4
"""Does compare_chunking build, count (every page) and score each strategy, and pick by recall, then chunk count?"""
from moto.s3vectors.models import s3vectors_backends as _vector_backends


class _Scorer:
    """Stands in for evaluate(): records what search() returns and hands back the scores it is given."""

    def __init__(self, values):
        self.values, self.calls = list(values), []

    def __call__(self, search, questions, k=3):
        self.calls.append({"outputs": [search(q["question"]) for q in questions], "k": k, "n": len(questions)})
        recall, mrr = self.values[len(self.calls) - 1] if len(self.calls) <= len(self.values) else (-1.0, -1.0)
        return {"recall": recall, "mrr": mrr, "per_question": {}}


def _true_count(kb):
    return len(_vector_backends[ACCOUNT]["aws"].get_index(kb["vector_bucket"], kb["index_name"], None).vectors)


_built = []


def _build(chunking):
    _built.append(chunking)
    return build_knowledge_base(chunking)


_TINY = {"chunkingStrategy": "FIXED_SIZE", "fixedSizeChunkingConfiguration": {"maxTokens": 40, "overlapPercentage": 10}}
_BIG = {"chunkingStrategy": "FIXED_SIZE", "fixedSizeChunkingConfiguration": {"maxTokens": 300, "overlapPercentage": 20}}
_qs = QUESTIONS[:6]
_score = _Scorer([(0.31, 0.25), (0.77, 0.6)])
_out = checks.call(compare_chunking, agent_runtime, s3vectors, _build, {"tiny": _TINY, "big": _BIG}, _qs, k=3,
                   score=_score)
checks.expect_type(_out, dict, "compare_chunking should return a dict")
checks.expect_equal(_built, [_TINY, _BIG], "build should be called once per strategy, in order, with its configuration")
checks.expect_equal(len(_score.calls), 2, "score should be called once per strategy")
for _i, (_name, _cfg) in enumerate([("tiny", _TINY), ("big", _BIG)]):
    _kb = build_knowledge_base(_cfg)
    checks.expect_equal(_score.calls[_i]["outputs"], [retrieve_texts(agent_runtime, _kb["kb_id"], q["question"], 3)
                                                      for q in _qs],
                        f"search for {_name} should Retrieve from its own knowledge base, numberOfResults=k")
    _r = _out.get("results", {}).get(_name, {})
    checks.expect_equal((_r.get("recall"), _r.get("mrr")), _score.values[_i], f"recall and mrr of {_name} from score()")
    checks.expect_equal(_r.get("chunks"), _true_count(_kb), f"chunk count of {_name}")
checks.expect_equal(_out.get("best"), "big", "much higher recall wins")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
def _raises(_expected_error, _call, _what):
    _problem = "no error"
    try:
        _call()
    except _expected_error:
        return
    except Exception as _exc:  # noqa: BLE001
        _problem = f"{type(_exc).__name__}: {_exc}"
    checks.fail(_what, _expected_error.__name__, _problem)


# Every page counts: pages are forced down to 7 vectors.
_sv = aws.client("s3vectors")
_sv.meta.events.register("provide-client-params.s3vectors.ListVectors",
                         lambda params, **kw: params.update(maxResults=min(params.get("maxResults") or 7, 7)))
_kb = build_knowledge_base(_TINY)
checks.expect_equal(checks.call(count_vectors, _sv, _kb["vector_bucket"], _kb["index_name"]), _true_count(_kb),
                    "count_vectors must follow nextToken over every page", hint="loop until nextToken is absent")
_HIER = {"chunkingStrategy": "HIERARCHICAL", "hierarchicalChunkingConfiguration": {
    "levelConfigurations": [{"maxTokens": 240}, {"maxTokens": 50}], "overlapTokens": 12}}
_strategies = {"hier": _HIER, "big": _BIG, "tiny": _TINY}
_counts = {n: _true_count(build_knowledge_base(c)) for n, c in _strategies.items()}
_qs = QUESTIONS[20:24]
# (recall per strategy, tolerance) -> best: fewest chunks within tolerance of the top recall, ties -> first.
for _values, _tol in [((0.80, 0.79, 0.30), 0.02), ((0.80, 0.79, 0.30), 0.0), ((0.80, 0.79, 0.79), 0.015),
                      ((0.50, 0.90, 0.905), 0.0), ((0.60, 0.60, 0.60), 0.0)]:
    _score = _Scorer([(r, r / 2) for r in _values])
    _out = checks.call(compare_chunking, agent_runtime, _sv, build_knowledge_base, _strategies, _qs, k=2,
                       tolerance=_tol, score=_score)
    _recalls = dict(zip(_strategies, _values))
    _top = max(_values)
    _close = [n for n in _strategies if _recalls[n] >= _top - _tol]
    _want = min(_close, key=lambda n: _counts[n])
    checks.expect_equal(_out.get("best"), _want, f"recalls {_recalls}, chunks {_counts}, tolerance {_tol}: best")
    checks.expect_equal({n: r.get("chunks") for n, r in _out.get("results", {}).items()}, _counts,
                        "chunk counts over every page")
    checks.expect({c["k"] for c in _score.calls} == {2} and all(c["n"] == len(_qs) for c in _score.calls),
                  "score should get k and all the questions", found=[(c["k"], c["n"]) for c in _score.calls])
# Equal chunk counts (the same configuration twice): the first in strategies wins.
_twins = {"later": _BIG, "earlier": _BIG, "small": _TINY}
_o = checks.call(compare_chunking, agent_runtime, _sv, build_knowledge_base, _twins, _qs[:1], k=2, tolerance=0.0,
                 score=_Scorer([(0.5, 0.5), (0.5, 0.5), (0.5, 0.5)]))
checks.expect_equal(_o.get("best"), "later", "equal recall and equal chunk counts: the first strategy given wins")
_score = _Scorer([(0.3, 0.3), (0.2, 0.2), (0.1, 0.1)])
checks.call(compare_chunking, agent_runtime, _sv, build_knowledge_base, _strategies, _qs, k=2, score=_score)
checks.expect_equal(len(_score.calls), 3, "score should be called once per strategy")
for _i, _name in enumerate(_strategies):
    _kb = build_knowledge_base(_strategies[_name])
    checks.expect_equal(_score.calls[_i]["outputs"], [retrieve_texts(agent_runtime, _kb["kb_id"], q["question"], 2)
                                                      for q in _qs], f"Retrieve with numberOfResults=k for {_name}")
_raises(ValueError, lambda: compare_chunking(agent_runtime, s3vectors, build_knowledge_base, {}, _qs, score=_Scorer([])),
        "no strategies must raise ValueError")

def _with_default_scorer(fake, fn, *args, **kwargs):
    """Call fn without score=, with evaluate temporarily replaced by a recording stand-in."""
    saved = globals().get("evaluate")
    globals()["evaluate"] = fake
    try:
        return checks.call(fn, *args, **kwargs)
    finally:
        globals()["evaluate"] = saved

_default = _Scorer([(0.4, 0.3)])
_o = _with_default_scorer(_default, compare_chunking, agent_runtime, _sv, build_knowledge_base, {"big": _BIG}, _qs[:2], k=2)
checks.expect_equal(len(_default.calls), 1, "without score=, compare_chunking should use evaluate")
### END HIDDEN TESTS

# %% [markdown]
# **Try it: recall against index size.** Five strategies on the full golden set. Each point is
# one knowledge base; further right means more vectors to store and search, higher means more
# answers reach the model. The label gives the average number of tokens one retrieved chunk
# sends to the model.

# %%
import matplotlib.pyplot as plt

STRATEGIES = {
    "fixed 40": {"chunkingStrategy": "FIXED_SIZE", "fixedSizeChunkingConfiguration": {"maxTokens": 40, "overlapPercentage": 10}},
    "fixed 100": FIXED_100,
    "fixed 300": {"chunkingStrategy": "FIXED_SIZE", "fixedSizeChunkingConfiguration": {"maxTokens": 300, "overlapPercentage": 20}},
    "semantic": {"chunkingStrategy": "SEMANTIC", "semanticChunkingConfiguration": {
        "maxTokens": 300, "bufferSize": 1, "breakpointPercentileThreshold": 90}},
    "hierarchical": {"chunkingStrategy": "HIERARCHICAL", "hierarchicalChunkingConfiguration": {
        "levelConfigurations": [{"maxTokens": 300}, {"maxTokens": 60}], "overlapTokens": 15}},
    "none": {"chunkingStrategy": "NONE"},
}
try:
    comparison = compare_chunking(agent_runtime, s3vectors, build_knowledge_base, STRATEGIES, QUESTIONS, k=3)
    fig, ax = plt.subplots(figsize=(7, 4))
    for name, r in comparison["results"].items():
        kb = build_knowledge_base(STRATEGIES[name])
        sample = retrieve_texts(agent_runtime, kb["kb_id"], "How do I reset the thermostat?", 3)
        tokens = sum(len(re.findall(r"\w+|[^\w\s]", t)) for t in sample) / max(len(sample), 1)
        ax.scatter(r["chunks"], r["recall"], s=60)
        ax.annotate(f"{name} (~{tokens:.0f} tok)", (r["chunks"], r["recall"]), textcoords="offset points", xytext=(5, 5))
        print(f"{name:13} chunks={r['chunks']:4}  recall@3={r['recall']:.3f}  MRR={r['mrr']:.3f}")
    ax.set_xlabel("vectors in the index (chunks)")
    ax.set_ylabel("recall@3 on the golden set")
    ax.set_title(f"Chunking: recall against index size (best: {comparison['best']})")
    plt.show()
except NotImplementedError:
    print("Complete Exercises 1 and 3 to draw the chart.")

# %% [markdown]
# **Reading the chart.** Tiny chunks lose most answers: sentences are cut at boundaries and a
# 40-token window rarely says which product it is about. Semantic chunking keeps sentences and
# sections whole and beats fixed chunks of similar size. Hierarchical chunking searches small
# children and returns their parents: the best recall here, paid for with one of the largest
# indexes. The rule of Exercise 3 picks **no chunking**: within two points of the best with a
# quarter of the vectors, because most documents of this corpus are short. Look at the labels,
# though: each retrieved "chunk" is now a whole document, so every answer sends several times
# more tokens to the model, and with long manuals whole-document vectors dilute the match and the
# choice flips. A selection rule is only as good as what it measures: add prompt tokens or cost
# to it when they matter.

# %% [markdown]
# ## Embedding models and dimensions <a id="embeddings"></a>
#
# **Models on Bedrock.** *Amazon Titan Text Embeddings V2* (`amazon.titan-embed-text-v2:0`): 256,
# 512 or 1,024 dimensions (default 1,024), up to 8,192 input tokens, `normalize` (default true),
# and `embeddingTypes` `float` and/or `binary`; trained on 100+ languages and code. *Titan
# Embeddings G1 – Text*: 1,536 dimensions, the older model. *Cohere Embed* English and
# Multilingual: 1,024 dimensions, with `input_type` `search_document` for chunks and
# `search_query` for questions. *Titan Multimodal Embeddings* put images and text in one space.
# Pick by language, domain fit (test on *your* golden set) and cost.
#
# **Dimensions.** Price per input token is the same at every size; what changes is **storage,
# memory and search time**, which grow with the dimension (a float32 vector takes 4 bytes per
# dimension), and **recall**, which drops a little as you go smaller. AWS reports that Titan V2
# keeps about 99 % of its 1,024-dimension retrieval accuracy at 512 and about 97 % at 256. Binary
# embeddings cut storage 32-fold again, for stores that accept them (OpenSearch). The query and
# the documents must use the **same model and dimension**: a mismatch is an error at best and
# silent garbage at worst.
#
# **Embedding at scale.** A knowledge base embeds for you at sync time. Your own pipeline embeds
# with `InvokeModel` from a Lambda function (in batches, with backoff) or, for large one-off
# loads, with batch inference jobs.
#
# **Exam tip:** "cut vector storage cost with the least recall loss" → a smaller Titan V2
# dimension (or binary embeddings), measured on your golden set. "multilingual documents" →
# a multilingual embedding model. "recall collapsed after changing the embedding model" → the
# index still holds vectors from the old model: re-embed everything.

# %%
quiz.show("retrieval", "embeddings")

# %% [markdown]
# ### Exercise 4 — sweep Titan V2 dimensions: recall against index size (4 points)
#
# Write `sweep_dimensions(agent, agent_runtime, s3vectors, *, name, dimensions, chunking,
# questions, k=3, bucket=CORPUS_BUCKET, role_arn=ROLE_ARN, poll_seconds=1.0, score=None)`.
# Create the S3 vector bucket `name` once, then for each `d` in `dimensions`, in order:
#
# 1. create the index `f"{name}-{d}"` in it (`float32`, `cosine`, dimension `d`);
# 2. create the knowledge base `f"{name}-{d}"` (role `role_arn`) with Titan Text Embeddings V2
#    (`EMBED_ARN`) producing `d` dimensions, stored in that index (`S3_VECTORS`);
# 3. add an S3 data source over `bucket` with the given `chunking`, start one ingestion job and
#    poll `get_ingestion_job` every `poll_seconds` until it is `COMPLETE`; raise `RuntimeError`
#    if it ends `FAILED` or `STOPPED`;
# 4. call `score(search, questions, k)` once (`score` is your `evaluate` unless another function
#    is passed), where `search` calls `Retrieve` on this knowledge base with `numberOfResults=k`,
#    and count the index's vectors with `count_vectors`.
#
# Return `{d: {"recall", "mrr", "vectors", "index_bytes", "knowledge_base_id"}}`, with `recall`
# and `mrr` from `score` and `index_bytes = vectors * d * 4` (float32 storage of the vectors).

# %% kind="solution" grade_id="dimension-sweep"
def sweep_dimensions(agent, agent_runtime, s3vectors, *, name, dimensions, chunking, questions, k=3,
                     bucket=CORPUS_BUCKET, role_arn=ROLE_ARN, poll_seconds=1.0, score=None):
    """One S3 Vectors index and knowledge base per embedding dimension; recall and storage of each."""
    ### BEGIN SOLUTION
    score = score or evaluate
    s3vectors.create_vector_bucket(vectorBucketName=name)
    sweep = {}
    for d in dimensions:
        index = f"{name}-{d}"
        s3vectors.create_index(vectorBucketName=name, indexName=index, dataType="float32", dimension=d,
                               distanceMetric="cosine")
        kb = agent.create_knowledge_base(
            name=index, roleArn=role_arn,
            knowledgeBaseConfiguration={"type": "VECTOR", "vectorKnowledgeBaseConfiguration": {
                "embeddingModelArn": EMBED_ARN,
                "embeddingModelConfiguration": {"bedrockEmbeddingModelConfiguration": {"dimensions": d}}}},
            storageConfiguration={"type": "S3_VECTORS", "s3VectorsConfiguration": {
                "vectorBucketArn": f"arn:aws:s3vectors:{REGION}:{ACCOUNT}:bucket/{name}", "indexName": index}},
        )["knowledgeBase"]
        kb_id = kb["knowledgeBaseId"]
        ds = agent.create_data_source(
            knowledgeBaseId=kb_id, name=f"{index}-docs",
            dataSourceConfiguration={"type": "S3", "s3Configuration": {"bucketArn": f"arn:aws:s3:::{bucket}"}},
            vectorIngestionConfiguration={"chunkingConfiguration": chunking},
        )["dataSource"]
        job = agent.start_ingestion_job(knowledgeBaseId=kb_id, dataSourceId=ds["dataSourceId"])["ingestionJob"]
        while True:
            job = agent.get_ingestion_job(knowledgeBaseId=kb_id, dataSourceId=ds["dataSourceId"],
                                          ingestionJobId=job["ingestionJobId"])["ingestionJob"]
            if job["status"] == "COMPLETE":
                break
            if job["status"] in ("FAILED", "STOPPED"):
                raise RuntimeError(f"ingestion for {index} ended {job['status']}: {job.get('failureReasons')}")
            time.sleep(poll_seconds)
        scores = score(lambda q, kb_id=kb_id: retrieve_texts(agent_runtime, kb_id, q, k), questions, k)
        vectors = count_vectors(s3vectors, name, index)
        sweep[d] = {"recall": scores["recall"], "mrr": scores["mrr"], "vectors": vectors,
                    "index_bytes": vectors * d * 4, "knowledge_base_id": kb_id}
    return sweep
    ### END SOLUTION


# %% kind="tests" grade_id="dimension-sweep-tests" points=4
"""Does sweep_dimensions build one index and knowledge base per dimension, wait for the sync, and report recall and size?"""
from moto.s3vectors.models import s3vectors_backends as _vector_backends


class _Scorer:
    """Stands in for evaluate(): records what search() returns and hands back the scores it is given."""

    def __init__(self, values):
        self.values, self.calls = list(values), []

    def __call__(self, search, questions, k=3):
        self.calls.append({"outputs": [search(q["question"]) for q in questions], "k": k, "n": len(questions)})
        recall, mrr = self.values[len(self.calls) - 1] if len(self.calls) <= len(self.values) else (-1.0, -1.0)
        return {"recall": recall, "mrr": mrr, "per_question": {}}


def _count(bucket, index):
    return len(_vector_backends[ACCOUNT]["aws"].get_index(bucket, index, None).vectors)


class _JobStatus:
    """Makes GetIngestionJob answer IN_PROGRESS for a job's first `pending` polls, then `final` (or the real status)."""

    def __init__(self, pending, final=None):
        self.pending, self.final, self.polls = pending, final, {}

    def __call__(self, parsed=None, **kwargs):
        job = parsed.get("ingestionJob") if isinstance(parsed, dict) else None
        if not isinstance(job, dict):
            return
        seen = self.polls.setdefault(job.get("ingestionJobId"), [])
        seen.append(time.monotonic())
        if len(seen) > 12:
            checks.fail("stop polling once the job has ended", "RuntimeError after a FAILED or STOPPED status, "
                        "or a return after COMPLETE", f"still polling after {len(seen) - 1} polls, last status "
                        f"{job['status']}")
        if len(seen) <= self.pending:
            job["status"] = "IN_PROGRESS"
        elif self.final:
            job["status"] = self.final


def _client_with(status):
    client = aws.client("bedrock-agent")
    client.meta.events.register("after-call.bedrock-agent.GetIngestionJob", status)
    return client


def _check_polling(status, poll_seconds):
    counts = [len(v) for v in status.polls.values()]
    checks.expect_equal(counts, [status.pending + 1], "poll get_ingestion_job until the job is COMPLETE (here it "
                        f"was IN_PROGRESS for the first {status.pending} polls)")
    gaps = [b - a for v in status.polls.values() for a, b in zip(v, v[1:])]
    checks.expect(bool(gaps) and min(gaps) >= 0.8 * poll_seconds, "wait poll_seconds between two polls",
                  expected=f">= {poll_seconds} s", found=[round(g, 3) for g in gaps],
                  hint="call time.sleep(poll_seconds) when the job is still running")


_ag = _client_with(_JobStatus(0))  # the real status; stops a wait that never ends
_ar, _sv = aws.client("bedrock-agent-runtime"), aws.client("s3vectors")
_name = f"dims-{uuid.uuid4().hex[:8]}"
_qs = QUESTIONS[:5]
_score = _Scorer([(0.61, 0.5), (0.66, 0.55)])
_sweep = checks.call(sweep_dimensions, _ag, _ar, _sv, name=_name, dimensions=(256, 1024), chunking=FIXED_100,
                     questions=_qs, k=3, poll_seconds=0, score=_score)
checks.expect_type(_sweep, dict, "sweep_dimensions should return a dict keyed by dimension")
checks.expect_equal(sorted(_sweep), [256, 1024], "one entry per dimension")
for _i, _d in enumerate((256, 1024)):
    _r = _sweep[_d]
    checks.expect_type(_r, dict, f"the entry for {_d} dimensions should be a dict")
    _idx = checks.read(f"the S3 Vectors index {_name}-{_d}", _sv.get_index, vectorBucketName=_name,
                       indexName=f"{_name}-{_d}", hint="name each index f\"{name}-{d}\" in the bucket `name`")["index"]
    checks.expect_equal(_idx["dimension"], _d, f"index {_name}-{_d} should have dimension {_d}")
    checks.expect_type(_r.get("knowledge_base_id"), str, f"knowledge_base_id at {_d} dimensions")
    _kb = checks.read("the knowledge base whose id you returned", _ag.get_knowledge_base,
                      knowledgeBaseId=_r["knowledge_base_id"])["knowledgeBase"]
    _conf = _kb["knowledgeBaseConfiguration"]["vectorKnowledgeBaseConfiguration"]
    checks.expect_equal(_conf.get("embeddingModelConfiguration", {}).get("bedrockEmbeddingModelConfiguration", {})
                        .get("dimensions"), _d, f"the knowledge base should embed with {_d} dimensions")
    _n = _count(_name, f"{_name}-{_d}")
    checks.expect(_n > 0, "the sync should have written vectors into the index", found=_n)
    checks.expect_equal(_r.get("vectors"), _n, f"vectors counted in the {_d} index")
    checks.expect_equal(_r.get("index_bytes"), _n * _d * 4, "index_bytes = vectors x dimension x 4 bytes")
    checks.expect_equal((_r.get("recall"), _r.get("mrr")), _score.values[_i], f"recall and mrr at {_d} from score()")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
def _raises(_expected_error, _call, _what):
    _problem = "no error"
    try:
        _call()
    except _expected_error:
        return
    except Exception as _exc:  # noqa: BLE001
        _problem = f"{type(_exc).__name__}: {_exc}"
    checks.fail(_what, _expected_error.__name__, _problem)


checks.expect_equal(len(_score.calls), 2, "score should be called once per dimension")
checks.expect_type(_sweep[1024].get("knowledge_base_id"), str, "knowledge_base_id should be the knowledge base's id")
for _i, _d in enumerate((256, 1024)):
    _kb_id = _sweep[_d]["knowledge_base_id"]
    _kb = _ag.get_knowledge_base(knowledgeBaseId=_kb_id)["knowledgeBase"]
    checks.expect_equal(_kb["name"], f"{_name}-{_d}", "knowledge base name")
    checks.expect_equal(_kb["roleArn"], ROLE_ARN, "the role given")
    checks.expect_equal(_kb["storageConfiguration"]["type"], "S3_VECTORS", "stored in S3 Vectors")
    checks.expect(_kb["knowledgeBaseConfiguration"]["vectorKnowledgeBaseConfiguration"]["embeddingModelArn"]
                  .endswith("amazon.titan-embed-text-v2:0"), "embedding model should be Titan Text Embeddings V2")
    _ds = _ag.list_data_sources(knowledgeBaseId=_kb_id)["dataSourceSummaries"]
    checks.expect_equal(len(_ds), 1, "one data source per knowledge base")
    _dsd = _ag.get_data_source(knowledgeBaseId=_kb_id, dataSourceId=_ds[0]["dataSourceId"])["dataSource"]
    checks.expect_equal(_dsd["vectorIngestionConfiguration"]["chunkingConfiguration"], FIXED_100, "chunking as given")
    checks.expect_equal(_dsd["dataSourceConfiguration"]["s3Configuration"]["bucketArn"],
                        f"arn:aws:s3:::{CORPUS_BUCKET}", "the data source reads the bucket given")
    _jobs = _ag.list_ingestion_jobs(knowledgeBaseId=_kb_id, dataSourceId=_ds[0]["dataSourceId"])["ingestionJobSummaries"]
    checks.expect_equal([j["status"] for j in _jobs], ["COMPLETE"], "exactly one completed ingestion job")
    checks.expect_equal(_score.calls[_i]["outputs"], [retrieve_texts(agent_runtime, _kb_id, q["question"], 3) for q in _qs],
                        f"search at {_d} dimensions should Retrieve from that knowledge base with numberOfResults=k")
# Another chunking, role, one dimension, k=2; then a data source over a missing bucket must raise RuntimeError.
_name2 = f"dims-{uuid.uuid4().hex[:8]}"
_role2 = f"arn:aws:iam::{ACCOUNT}:role/kb-{uuid.uuid4().hex[:6]}"
_TINY = {"chunkingStrategy": "FIXED_SIZE", "fixedSizeChunkingConfiguration": {"maxTokens": 40, "overlapPercentage": 10}}
_score2 = _Scorer([(0.42, 0.33)])
_s2 = checks.call(sweep_dimensions, _ag, _ar, _sv, name=_name2, dimensions=(512,), chunking=_TINY, questions=_qs[:3],
                  k=2, role_arn=_role2, poll_seconds=0, score=_score2)
_ds2 = _ag.list_data_sources(knowledgeBaseId=_s2.get(512, {}).get("knowledge_base_id", "none"))["dataSourceSummaries"]
checks.expect_equal(_ag.get_data_source(knowledgeBaseId=_s2[512]["knowledge_base_id"], dataSourceId=_ds2[0]["dataSourceId"])
                    ["dataSource"]["vectorIngestionConfiguration"]["chunkingConfiguration"], _TINY,
                    "the chunking argument is the data source's chunking")
_n2 = _count(_name2, f"{_name2}-512")
checks.expect_equal(_s2.get(512, {}).get("vectors"), _n2, "vectors with 40-token chunks")
checks.expect_equal(_s2[512].get("index_bytes"), _n2 * 512 * 4, "index_bytes at 512 dimensions")
checks.expect_equal(_score2.calls[0]["k"], 2, "score gets k")
checks.expect_equal(_score2.calls[0]["outputs"], [retrieve_texts(agent_runtime, _s2[512]["knowledge_base_id"],
                                                                 q["question"], 2) for q in _qs[:3]], "k=2 retrievals")
checks.expect_equal(_ag.get_knowledge_base(knowledgeBaseId=_s2[512]["knowledge_base_id"])["knowledgeBase"]["roleArn"],
                    _role2, "the role_arn given")
_raises(RuntimeError, lambda: sweep_dimensions(
    _ag, _ar, _sv, name=f"dims-{uuid.uuid4().hex[:8]}", dimensions=(256,), chunking=FIXED_100, questions=_qs[:2],
    bucket=f"missing-{uuid.uuid4().hex[:8]}", poll_seconds=0, score=_Scorer([(0, 0)])),
    "an ingestion job that FAILED must raise RuntimeError")

# A job still IN_PROGRESS for two polls: keep polling, poll_seconds apart; a STOPPED job raises RuntimeError.
_pending = _JobStatus(2)
_s4 = checks.call(sweep_dimensions, _client_with(_pending), _ar, _sv, name=f"dims-{uuid.uuid4().hex[:8]}",
                  dimensions=(256,), chunking=_TINY, questions=_qs[:1], k=2, poll_seconds=0.25,
                  score=_Scorer([(0.3, 0.2)]))
_check_polling(_pending, 0.25)
checks.expect_equal((_s4 or {}).get(256, {}).get("recall"), 0.3, "the sweep goes on once the job is COMPLETE")
_raises(RuntimeError, lambda: sweep_dimensions(
    _client_with(_JobStatus(1, "STOPPED")), _ar, _sv, name=f"dims-{uuid.uuid4().hex[:8]}", dimensions=(256,),
    chunking=_TINY, questions=_qs[:1], poll_seconds=0, score=_Scorer([(0, 0)])),
    "an ingestion job that ends STOPPED must raise RuntimeError")

def _with_default_scorer(fake, fn, *args, **kwargs):
    """Call fn without score=, with evaluate temporarily replaced by a recording stand-in."""
    saved = globals().get("evaluate")
    globals()["evaluate"] = fake
    try:
        return checks.call(fn, *args, **kwargs)
    finally:
        globals()["evaluate"] = saved

_default = _Scorer([(0.4, 0.3)])
_with_default_scorer(_default, sweep_dimensions, _ag, _ar, _sv, name=f"dims-{uuid.uuid4().hex[:8]}", dimensions=(256,),
                     chunking=_TINY, questions=_qs[:1], poll_seconds=0)
checks.expect_equal(len(_default.calls), 1, "without score=, sweep_dimensions should use evaluate")
### END HIDDEN TESTS

# %% [markdown]
# **Try it: the recall–storage curve.** Three dimensions, hierarchical chunking, the whole golden
# set.

# %%
try:
    dims = sweep_dimensions(agent, agent_runtime, s3vectors, name=f"sweep-{uuid.uuid4().hex[:8]}",
                            dimensions=(256, 512, 1024), chunking=STRATEGIES["hierarchical"], questions=QUESTIONS,
                            poll_seconds=0)
    xs = [dims[d]["index_bytes"] / 1024 for d in sorted(dims)]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(xs, [dims[d]["recall"] for d in sorted(dims)], marker="o", label="recall@3")
    ax.plot(xs, [dims[d]["mrr"] for d in sorted(dims)], marker="s", label="MRR")
    for d, x in zip(sorted(dims), xs):
        ax.annotate(f"{d} dims", (x, dims[d]["recall"]), textcoords="offset points", xytext=(4, 6))
    ax.set_xlabel("float32 vector storage (KiB)")
    ax.set_ylabel("score on the golden set")
    ax.set_title("Titan V2 dimensions: quality against storage")
    ax.legend()
    plt.show()
except NotImplementedError:
    print("Complete Exercises 1, 3 and 4 to draw the curve.")

# %% [markdown]
# Recall and MRR rise with the dimension while storage grows fourfold: the same shape AWS reports
# for the real model, though steeper here (hashed features collide more than a trained model's).
# On a real corpus, measure it: with millions of chunks, 256 dimensions can be the difference
# between an index that fits in memory and one that does not.

# %% [markdown]
# # Part 4 — Search quality

# %% [markdown]
# ## Hybrid search <a id="hybrid"></a>
#
# **Why semantic search misses codes.** An embedding model represents meaning; `E-4021` and
# `E-4012` mean nearly the same to it (an error code of a thermostat), so a question about one
# retrieves whichever code section is closest in wording. Keyword search (BM25) scores exact
# terms, weighting rare ones: product codes, SKUs, error codes, acronyms, names. **Hybrid
# search** runs both and fuses the rankings (normalised scores or reciprocal-rank fusion), so a
# question gets meaning *and* exact matches.
#
# **On Bedrock.** Set `overrideSearchType: "HYBRID"` in `vectorSearchConfiguration`. The user
# guide lists hybrid search for Amazon RDS (Aurora PostgreSQL), OpenSearch Serverless and MongoDB
# Atlas stores with a filterable text field; on other stores the query runs as a semantic search.
# In OpenSearch directly you write a hybrid query with a normalisation processor.
# S3 Vectors itself can also run full-text and hybrid queries (`QueryVectors` with query texts on
# fields you declared full-text searchable, fused by reciprocal-rank fusion) when you query it
# directly; a knowledge base's `Retrieve` on an S3 Vectors store still runs SEMANTIC. The sandbox
# does not simulate S3 Vectors full-text search.
#
# The simulator fuses min-max-normalised cosine and BM25 scores with equal weights, and runs
# HYBRID only on those three store types (`HYBRID_STORES` below), as the user guide says.
#
# **Exam tip:** "exact product codes and error codes are missed, paraphrases work" → hybrid
# search, not bigger chunks. "HYBRID made no difference" → check the store: on an unsupported
# store the search stays semantic.

# %%
HYBRID_STORES = ("OPENSEARCH_SERVERLESS", "RDS", "MONGO_DB_ATLAS")

# %%
quiz.show("retrieval", "hybrid")

# %% [markdown]
# ### Exercise 5 — hybrid against semantic, measured (3 points)
#
# Write `compare_search_types(agent, agent_runtime, kb_id, questions, *, k=3, score=None)`:
#
# 1. read the knowledge base (`get_knowledge_base`); if its `storageConfiguration` type is not in
#    `HYBRID_STORES`, raise `ValueError` **before** any retrieval (hybrid would silently be
#    semantic there);
# 2. call `score(search, questions, k)` twice (`score` is your `evaluate` unless another
#    function is passed): first with a `search` that calls `Retrieve` with `numberOfResults=k`
#    and `overrideSearchType="SEMANTIC"`, then with one that uses `"HYBRID"`;
# 3. return `{"SEMANTIC": {"recall", "mrr"}, "HYBRID": {"recall", "mrr"}, "gain": <HYBRID recall −
#    SEMANTIC recall>}`.

# %% kind="solution" grade_id="hybrid-search"
def compare_search_types(agent, agent_runtime, kb_id, questions, *, k=3, score=None):
    """Recall and MRR of SEMANTIC and HYBRID search on one knowledge base, and the recall gain."""
    ### BEGIN SOLUTION
    score = score or evaluate
    store = agent.get_knowledge_base(knowledgeBaseId=kb_id)["knowledgeBase"]["storageConfiguration"]["type"]
    if store not in HYBRID_STORES:
        raise ValueError(f"{store} knowledge bases run HYBRID as SEMANTIC; nothing to compare")
    out = {}
    for search_type in ("SEMANTIC", "HYBRID"):
        scores = score(lambda q, st=search_type: retrieve_texts(agent_runtime, kb_id, q, k, overrideSearchType=st),
                       questions, k)
        out[search_type] = {"recall": scores["recall"], "mrr": scores["mrr"]}
    out["gain"] = out["HYBRID"]["recall"] - out["SEMANTIC"]["recall"]
    return out
    ### END SOLUTION


# %% kind="tests" grade_id="hybrid-search-tests" points=3
"""Does compare_search_types measure SEMANTIC and HYBRID retrieval, and refuse stores where hybrid is not available?"""
import math


class _Scorer:
    """Stands in for evaluate(): records what search() returns and hands back the scores it is given."""

    def __init__(self, values):
        self.values, self.calls = list(values), []

    def __call__(self, search, questions, k=3):
        self.calls.append({"outputs": [search(q["question"]) for q in questions], "k": k, "n": len(questions)})
        recall, mrr = self.values[len(self.calls) - 1] if len(self.calls) <= len(self.values) else (-1.0, -1.0)
        return {"recall": recall, "mrr": mrr, "per_question": {}}


def _close(found, expected):
    return isinstance(found, (int, float)) and not isinstance(found, bool) and math.isclose(found, expected)


_ar = aws.client("bedrock-agent-runtime")
_sent = []
_ar.meta.events.register("provide-client-params.bedrock-agent-runtime.Retrieve", lambda params, **kw: _sent.append(params))
_ids = retrieval_data.questions("identifier")
_score = _Scorer([(0.5, 0.4), (0.9, 0.8)])
_out = checks.call(compare_search_types, agent, _ar, BENCH["kb_id"], _ids, k=3, score=_score)
checks.expect_type(_out, dict, "compare_search_types should return a dict")
checks.expect_equal(len(_score.calls), 2, "score should be called twice: SEMANTIC, then HYBRID")
for _i, _st in enumerate(("SEMANTIC", "HYBRID")):
    _want = [retrieve_texts(agent_runtime, BENCH["kb_id"], q["question"], 3, overrideSearchType=_st) for q in _ids]
    checks.expect_equal(_score.calls[_i]["outputs"] if len(_score.calls) > _i else None, _want,
                        f"call {_i + 1} of score should search with overrideSearchType={_st}")
    checks.expect_equal(_out.get(_st), {"recall": _score.values[_i][0], "mrr": _score.values[_i][1]},
                        f"{_st} recall and mrr from score()")
checks.expect(_close(_out.get("gain"), 0.4), "gain = HYBRID recall - SEMANTIC recall", found=_out.get("gain"))
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
def _raises(_expected_error, _call, _what):
    _problem = "no error"
    try:
        _call()
    except _expected_error:
        return
    except Exception as _exc:  # noqa: BLE001
        _problem = f"{type(_exc).__name__}: {_exc}"
    checks.fail(_what, _expected_error.__name__, _problem)


_types = [p.get("retrievalConfiguration", {}).get("vectorSearchConfiguration", {}).get("overrideSearchType") for p in _sent]
checks.expect_equal(_types, ["SEMANTIC"] * len(_ids) + ["HYBRID"] * len(_ids),
                    "both search types must be requested explicitly, SEMANTIC first")
_para = retrieval_data.questions("paraphrase")[:5]
_sent.clear()
_score = _Scorer([(0.7, 0.61), (0.65, 0.5)])
_o2 = checks.call(compare_search_types, agent, _ar, BENCH["kb_id"], _para, k=2, score=_score)
checks.expect({p["retrievalConfiguration"]["vectorSearchConfiguration"].get("numberOfResults") for p in _sent} == {2},
              "numberOfResults should be k")
checks.expect({c["k"] for c in _score.calls} == {2}, "score gets k")
checks.expect(isinstance(_o2, dict) and _close(_o2.get("gain"), 0.65 - 0.7),
              "gain can be negative: HYBRID minus SEMANTIC recall",
              found=_o2)
# S3 Vectors: refuse before retrieving. RDS (Aurora): hybrid is available.
_sent.clear()
_s3kb = build_knowledge_base(FIXED_100)
_raises(ValueError, lambda: compare_search_types(agent, _ar, _s3kb["kb_id"], _ids, k=3, score=_Scorer([(0, 0)] * 2)),
        "an S3 Vectors knowledge base must raise ValueError")
checks.expect_equal(_sent, [], "no Retrieve call before the store check")
_rds = agent.create_knowledge_base(
    name=f"aurora-{uuid.uuid4().hex[:8]}", roleArn=ROLE_ARN,
    knowledgeBaseConfiguration={"type": "VECTOR", "vectorKnowledgeBaseConfiguration": {"embeddingModelArn": EMBED_ARN}},
    storageConfiguration={"type": "RDS", "rdsConfiguration": {
        "resourceArn": f"arn:aws:rds:{REGION}:{ACCOUNT}:cluster:kestrel", "databaseName": "kb",
        "credentialsSecretArn": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:kb-creds", "tableName": "chunks",
        "fieldMapping": {"primaryKeyField": "id", "vectorField": "embedding", "textField": "chunks",
                         "metadataField": "metadata"}}})["knowledgeBase"]["knowledgeBaseId"]
_o3 = checks.call(compare_search_types, agent, _ar, _rds, _ids[:2], k=3, score=_Scorer([(0.1, 0.1), (0.2, 0.2)]))
checks.expect(isinstance(_o3, dict) and "HYBRID" in _o3, "an Aurora (RDS) knowledge base supports hybrid search")

def _with_default_scorer(fake, fn, *args, **kwargs):
    """Call fn without score=, with evaluate temporarily replaced by a recording stand-in."""
    saved = globals().get("evaluate")
    globals()["evaluate"] = fake
    try:
        return checks.call(fn, *args, **kwargs)
    finally:
        globals()["evaluate"] = saved

_default = _Scorer([(0.4, 0.3), (0.5, 0.4)])
_with_default_scorer(_default, compare_search_types, agent, _ar, BENCH["kb_id"], _ids[:1], k=2)
checks.expect_equal(len(_default.calls), 2, "without score=, compare_search_types should use evaluate")
### END HIDDEN TESTS

# %% [markdown]
# **Try it: where does hybrid help?** Recall@3 by question kind on the bench.

# %%
try:
    kinds = ["paraphrase", "identifier", "compound", "filtered"]
    by_kind = {kind: compare_search_types(agent, agent_runtime, BENCH["kb_id"], retrieval_data.questions(kind))
               for kind in kinds}
    fig, ax = plt.subplots(figsize=(7, 3.5))
    for offset, st in [(-0.2, "SEMANTIC"), (0.2, "HYBRID")]:
        ax.bar([i + offset for i in range(len(kinds))], [by_kind[k][st]["recall"] for k in kinds], width=0.4, label=st)
    ax.set_xticks(range(len(kinds)), kinds)
    ax.set_ylabel("recall@3")
    ax.set_title("Semantic against hybrid search, by question kind")
    ax.legend()
    plt.show()
except NotImplementedError:
    print("Complete Exercises 1 and 5 to draw the chart.")

# %% [markdown]
# ## Reranking <a id="reranking"></a>
#
# **Two-stage retrieval.** The vector search is a *bi-encoder*: question and chunks are embedded
# separately, which is fast but coarse. A **reranker** is a *cross-encoder*: it reads the question
# and each candidate together and scores how well the candidate answers it. So you retrieve more
# candidates than you need (say 20), rerank them, and keep the best few (say 3). Fewer, better
# chunks also mean a shorter prompt: less cost and latency at generation time.
#
# **On Bedrock.** The `Rerank` API (`bedrock-agent-runtime`) takes one text query, up to 1,000
# inline sources (text or JSON) and `numberOfResults`, and returns `results` with the original
# `index` of each source and a `relevanceScore`. Inside a knowledge base query, add
# `rerankingConfiguration` to `vectorSearchConfiguration` (`numberOfRerankedResults`, and
# `metadataConfiguration` to let the reranker read selected metadata fields). Models: *Amazon
# Rerank 1.0* and *Cohere Rerank 3.5*; Regions differ (Amazon Rerank 1.0 is not offered in us-east-1,
# where this sandbox runs). Reranking is priced per query, where a query holds up to 100 document
# chunks.
#
# **Exam tip:** "the right chunk is retrieved but ranked 8th, and only the top 3 fit the prompt"
# → rerank a larger candidate set. "cut prompt tokens without losing the answer" → retrieve more,
# rerank, keep fewer. "model not available" with Amazon Rerank in us-east-1 → use Cohere Rerank
# 3.5 or a supported Region.

# %%
quiz.show("retrieval", "reranking")

# %% [markdown]
# ### Exercise 6 — rerank the candidates (4 points)
#
# 1. `rerank_passages(agent_runtime, question, passages, *, model_arn, top_n)` calls `Rerank`
#    with the question as one `TEXT` query, every passage as an `INLINE` `TEXT` source (in the
#    given order), the `BEDROCK_RERANKING_MODEL` `model_arn`, and `numberOfResults =
#    min(top_n, len(passages))`. It returns the passages themselves, best first, as the results'
#    `index` values point them out. No passages: return `[]` without calling `Rerank`.
# 2. `retrieve_and_rerank(agent_runtime, kb_id, question, *, fetch=20, top_n=3,
#    model_arn=RERANK_ARN)` retrieves `fetch` chunks (`numberOfResults=fetch`) and returns
#    `rerank_passages(...)` of their texts, in retrieval order, keeping `top_n`.

# %% kind="solution" grade_id="rerank"
def rerank_passages(agent_runtime, question, passages, *, model_arn, top_n):
    """The top_n passages, reordered by the Rerank API (best first)."""
    ### BEGIN SOLUTION
    passages = list(passages)
    if not passages:
        return []
    response = agent_runtime.rerank(
        queries=[{"type": "TEXT", "textQuery": {"text": question}}],
        sources=[{"type": "INLINE", "inlineDocumentSource": {"type": "TEXT", "textDocument": {"text": p}}}
                 for p in passages],
        rerankingConfiguration={"type": "BEDROCK_RERANKING_MODEL", "bedrockRerankingConfiguration": {
            "numberOfResults": min(top_n, len(passages)), "modelConfiguration": {"modelArn": model_arn}}},
    )
    return [passages[result["index"]] for result in response["results"]]
    ### END SOLUTION


def retrieve_and_rerank(agent_runtime, kb_id, question, *, fetch=20, top_n=3, model_arn=RERANK_ARN):
    """Retrieve fetch candidates from the knowledge base, rerank them, keep top_n."""
    ### BEGIN SOLUTION
    candidates = retrieve_texts(agent_runtime, kb_id, question, fetch)
    return rerank_passages(agent_runtime, question, candidates, model_arn=model_arn, top_n=top_n)
    ### END SOLUTION


# %% kind="tests" grade_id="rerank-tests" points=4
"""Do rerank_passages and retrieve_and_rerank call Rerank correctly and map its results back to passages?"""
import random

_ar = aws.client("bedrock-agent-runtime")
_reranks, _retrieves = [], []
_ar.meta.events.register("provide-client-params.bedrock-agent-runtime.Rerank", lambda params, **kw: _reranks.append(params))
_ar.meta.events.register("provide-client-params.bedrock-agent-runtime.Retrieve", lambda params, **kw: _retrieves.append(params))
_docs = ["Shipping is free for orders over 50 dollars.", "Kestrel routers are covered for two years.",
         "The warranty does not cover water damage.", "Refunds take ten business days."]
_got = checks.call(rerank_passages, _ar, "How long is the guarantee on a router?", _docs, model_arn=RERANK_ARN, top_n=2)
checks.expect_type(_got, list, "rerank_passages should return a list of passages")
checks.expect_equal(_got, [_docs[1], _docs[2]], "the two passages about the warranty, most relevant first")
checks.expect_equal(len(_reranks), 1, "one Rerank call")
_cfg = _reranks[-1].get("rerankingConfiguration", {}).get("bedrockRerankingConfiguration", {})
checks.expect_equal(_cfg.get("modelConfiguration", {}).get("modelArn"), RERANK_ARN, "the reranker model ARN")
checks.expect_equal(_cfg.get("numberOfResults"), 2, "numberOfResults should be top_n")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
def _direct(question, passages, n):
    _ref_sources = [dict(type="INLINE", inlineDocumentSource=dict(type="TEXT", textDocument=dict(text=_doc)))
                    for _doc in passages]
    _ref_config = dict(type="BEDROCK_RERANKING_MODEL", bedrockRerankingConfiguration=dict(
        numberOfResults=n, modelConfiguration=dict(modelArn=RERANK_ARN)))
    _ref_ranked = agent_runtime.rerank(queries=[dict(type="TEXT", textQuery=dict(text=question))],
                                       sources=_ref_sources, rerankingConfiguration=_ref_config)["results"]
    return [passages[_item["index"]] for _item in _ref_ranked]


_rng = random.Random()
_pool = [t for t in retrieve_texts(agent_runtime, BENCH["kb_id"], "reset warranty router thermostat code", 40)]
for _trial in range(4):
    _ps = _rng.sample(_pool, _rng.randint(3, 12))
    _q = _rng.choice(QUESTIONS)["question"]
    _n = _rng.randint(1, 5)
    _reranks.clear()
    _got = checks.call(rerank_passages, _ar, _q, _ps, model_arn=RERANK_ARN, top_n=_n)
    checks.expect_equal(_got, _direct(_q, _ps, min(_n, len(_ps))), "passages in the order Rerank ranks them "
                        "(map each result's index back to the input list)")
    checks.expect_equal(len(_reranks), 1, "one Rerank call per rerank_passages call")
    _src = [s["inlineDocumentSource"]["textDocument"]["text"] for s in _reranks[-1]["sources"]]
    checks.expect_equal(_src, _ps, "every passage is a source, in the given order")
    checks.expect_equal(_reranks[-1]["queries"], [{"type": "TEXT", "textQuery": {"text": _q}}], "the question is the query")
# Another Region and reranker model: the model_arn given is the one used.
_west = aws.client("bedrock-agent-runtime", region_name="us-west-2")
_west_calls = []
_west.meta.events.register("provide-client-params.bedrock-agent-runtime.Rerank", lambda params, **kw: _west_calls.append(params))
_amazon = "arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0"
_got = checks.call(rerank_passages, _west, "router warranty years", _docs, model_arn=_amazon, top_n=3)
checks.expect_equal(_west_calls[-1]["rerankingConfiguration"]["bedrockRerankingConfiguration"]["modelConfiguration"]
                    .get("modelArn") if _west_calls else None, _amazon, "the model_arn argument must be sent as given")
checks.expect_equal(len(_got), 3, "top_n passages")
_reranks.clear()
checks.expect_equal(checks.call(rerank_passages, _ar, "q", [], model_arn=RERANK_ARN, top_n=3), [], "no passages: []")
checks.expect_equal(_reranks, [], "no Rerank call without passages")
_got = checks.call(rerank_passages, _ar, "router warranty", _docs[:2], model_arn=RERANK_ARN, top_n=5)
checks.expect_equal(len(_reranks), 1, "one Rerank call")
checks.expect_equal(_reranks[-1]["rerankingConfiguration"]["bedrockRerankingConfiguration"].get("numberOfResults"), 2,
                    "numberOfResults is at most the number of passages")
for _q in [q["question"] for q in _rng.sample(QUESTIONS, 3)]:
    _retrieves.clear()
    _reranks.clear()
    _fetch, _top = _rng.randint(8, 15), _rng.randint(1, 4)
    _got = checks.call(retrieve_and_rerank, _ar, BENCH["kb_id"], _q, fetch=_fetch, top_n=_top, model_arn=RERANK_ARN)
    checks.expect_equal(len(_retrieves), 1, "one Retrieve")
    checks.expect_equal(_retrieves[-1]["retrievalConfiguration"]["vectorSearchConfiguration"].get("numberOfResults"),
                        _fetch, "Retrieve should fetch `fetch` candidates")
    _cands = retrieve_texts(agent_runtime, BENCH["kb_id"], _q, _fetch)
    checks.expect_equal(len(_reranks), 1, "one Rerank call")
    checks.expect_equal([s["inlineDocumentSource"]["textDocument"]["text"] for s in _reranks[-1]["sources"]], _cands,
                        "the retrieved candidates are reranked, in retrieval order")
    checks.expect_equal(_got, _direct(_q, _cands, _top), "the top_n reranked passages")
### END HIDDEN TESTS

# %% [markdown]
# **Try it: what reranking buys.** MRR@3 of plain top-3 retrieval against top-20 reranked to 3,
# by question kind.

# %%
try:
    plain_mrr, reranked_mrr = {}, {}
    for kind in ["paraphrase", "identifier", "compound", "filtered"]:
        qs = retrieval_data.questions(kind)
        plain_mrr[kind] = evaluate(lambda q: retrieve_texts(agent_runtime, BENCH["kb_id"], q, 3), qs, 3)["mrr"]
        reranked_mrr[kind] = evaluate(lambda q: retrieve_and_rerank(agent_runtime, BENCH["kb_id"], q), qs, 3)["mrr"]
    fig, ax = plt.subplots(figsize=(7, 3.5))
    names = list(plain_mrr)
    ax.bar([i - 0.2 for i in range(4)], [plain_mrr[n] for n in names], width=0.4, label="top 3")
    ax.bar([i + 0.2 for i in range(4)], [reranked_mrr[n] for n in names], width=0.4, label="top 20, reranked to 3")
    ax.set_xticks(range(4), names)
    ax.set_ylabel("MRR@3")
    ax.set_title("Reranking puts the answer first")
    ax.legend()
    plt.show()
except NotImplementedError:
    print("Complete Exercises 1 and 6 to draw the chart.")

# %% [markdown]
# ## Query expansion and decomposition <a id="query-handling"></a>
#
# The question a user types is rarely the best search query.
#
# - **Query expansion** rewrites or enriches the query: synonyms and spelled-out abbreviations,
#   a model-written rewrite ("what the user means"), or a hypothetical answer embedded instead of
#   the question (HyDE). It raises recall when users and documents use different words.
# - **Query decomposition** splits a compound question into sub-questions, retrieves for each
#   and merges the results, so neither part crowds the other out of the top *k*. In
#   RetrieveAndGenerate set `orchestrationConfiguration.queryTransformationConfiguration.type` to
#   `QUERY_DECOMPOSITION`; Bedrock retrieves for each sub-query. For your own pipelines, a Lambda
#   function (or a Bedrock Flow / Step Functions workflow for multi-step transformations) can
#   expand, decompose, route and merge before calling `Retrieve`.
# - **Conversation context**: RetrieveAndGenerate keeps a `sessionId`, so follow-up questions
#   ("and for the T3?") are rewritten with the earlier turns.
#
# **Exam tip:** "questions that ask two things get half an answer" → query decomposition.
# "users say 'money back', documents say 'refund'" → query expansion (or a better embedding).
# "multi-step query transformation with retries, in your own code" → Step Functions or a Lambda
# function in front of Retrieve.

# %%
quiz.show("retrieval", "query-handling")

# %% [markdown]
# ### Exercise 7 — decompose, retrieve, merge (3 points)
#
# 1. `decompose(question)` returns the sub-questions:
#    - split after every `?` that is followed by white space;
#    - split each piece at every `", and "` (a comma, white space, `and`, white space) whose next
#      word is one of `how what when where which who why is are can do does` (any case);
#    - strip each part, drop trailing `?`, `.` and `,`, drop empty parts, make the first letter
#      upper case and end each part with exactly one `?`.
#
#    `"How do I reset the R7, and how far does night vision reach?"` →
#    `["How do I reset the R7?", "How far does night vision reach?"]`; a question with nothing to
#    split comes back as a one-element list.
# 2. `retrieve_decomposed(agent_runtime, kb_id, question, *, k=3)` retrieves `k` chunks for each
#    sub-question (`numberOfResults=k`), then merges them round robin: the first result of each
#    sub-question in order, then the second of each, and so on, skipping texts already taken, and
#    returns the first `k` texts.

# %%
QUESTION_WORDS = ("how", "what", "when", "where", "which", "who", "why", "is", "are", "can", "do", "does")


# %% kind="solution" grade_id="decompose"
def decompose(question):
    """The sub-questions of a compound question (the question itself when it has one part)."""
    ### BEGIN SOLUTION
    parts = []
    for piece in re.split(r"(?<=\?)\s+", question.strip()):
        start = 0
        for match in re.finditer(r",\s+and\s+", piece, flags=re.IGNORECASE):
            following = re.match(r"\w+", piece[match.end():])
            if following and following.group(0).lower() in QUESTION_WORDS:
                parts.append(piece[start:match.start()])
                start = match.end()
        parts.append(piece[start:])
    out = []
    for part in parts:
        text = part.strip().rstrip("?.,").strip()
        if text:
            out.append(text[0].upper() + text[1:] + "?")
    return out
    ### END SOLUTION


def retrieve_decomposed(agent_runtime, kb_id, question, *, k=3):
    """Top-k chunk texts, merged round robin from a retrieval per sub-question."""
    ### BEGIN SOLUTION
    lists = [retrieve_texts(agent_runtime, kb_id, sub, k) for sub in decompose(question)]
    merged = []
    for rank in range(k):
        for hits in lists:
            if rank < len(hits) and hits[rank] not in merged:
                merged.append(hits[rank])
    return merged[:k]
    ### END SOLUTION


# %% kind="tests" grade_id="decompose-tests" points=3
"""Does decompose split compound questions by the stated rules, and retrieve_decomposed merge round robin?"""
checks.expect_equal(checks.call(decompose, "How do I reset the R7, and how far does night vision reach?"),
                    ["How do I reset the R7?", "How far does night vision reach?"], "the example from the text")
checks.expect_equal(checks.call(decompose, "Does the T3 control heating, and cooling?"),
                    ["Does the T3 control heating, and cooling?"], "', and cooling' is not a new question")
checks.expect_equal(checks.call(decompose, "What is the T2 price? how do I reset it"),
                    ["What is the T2 price?", "How do I reset it?"], "split after '?', capitalise, end with '?'")
_ar = aws.client("bedrock-agent-runtime")
_sent = []
_ar.meta.events.register("provide-client-params.bedrock-agent-runtime.Retrieve", lambda params, **kw: _sent.append(params))
_q = "How do I reset the R7 router, and how far does the camera night vision reach?"
_got = checks.call(retrieve_decomposed, _ar, BENCH["kb_id"], _q, k=3)
checks.expect_equal([p.get("retrievalQuery", {}).get("text") for p in _sent],
                    ["How do I reset the R7 router?", "How far does the camera night vision reach?"],
                    "one Retrieve per sub-question, with the sub-question's text")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
import random


def _merge(_question, _k):
    _lists = [retrieve_texts(agent_runtime, BENCH["kb_id"], _sub, _k) for _sub in decompose(_question)]
    _merged_ref = []
    for _rank in range(_k):
        for _hits in _lists:
            if _rank < len(_hits) and _hits[_rank] not in _merged_ref:
                _merged_ref.append(_hits[_rank])
    return _merged_ref[:_k]


_cases = {
    "what is covered,   AND Which codes exist?  How long is shipping.": ["What is covered?", "Which codes exist?",
                                                                         "How long is shipping?"],
    "Can I return it, and can I get a refund, and when does it arrive?": ["Can I return it?", "Can I get a refund?",
                                                                         "When does it arrive?"],
    "  reset the hub,  and  do automations survive?? ": ["Reset the hub?", "Do automations survive?"],
    "Tell me about warranty, and repairs.": ["Tell me about warranty, and repairs?"],
    "Where is the SKU list, and whose list is it?": ["Where is the SKU list, and whose list is it?"],
    "Is it IP65? Is it cheap?": ["Is it IP65?", "Is it cheap?"],
    "What is covered? ? How long is shipping?": ["What is covered?", "How long is shipping?"],
    "Is the hub rated IPX, and does it need a box?": ["Is the hub rated IPX?", "Does it need a box?"],
}
for _text, _want in _cases.items():
    checks.expect_equal(checks.call(decompose, _text), _want, f"decompose({_text!r})")
for _q in [q["question"] for q in retrieval_data.questions("compound")]:
    checks.expect_equal(len(checks.call(decompose, _q)), 2, f"each golden compound question has two parts: {_q!r}")
_rng = random.Random()
for _q in _rng.sample([q["question"] for q in retrieval_data.questions("compound")], 4):
    _k = _rng.randint(2, 6)
    _sent.clear()
    _got = checks.call(retrieve_decomposed, _ar, BENCH["kb_id"], _q, k=_k)
    checks.expect_equal(_got, _merge(_q, _k), f"round-robin merge of the sub-questions' top {_k}, without duplicates")
    checks.expect({p["retrievalConfiguration"]["vectorSearchConfiguration"].get("numberOfResults") for p in _sent} == {_k},
                  "numberOfResults should be k for every sub-question")
_twice = "How do I reset the R7 router, and how do I reset the R7 router?"
_got = checks.call(retrieve_decomposed, _ar, BENCH["kb_id"], _twice, k=4)
checks.expect_equal(_got, _merge(_twice, 4), "texts already taken are skipped, so no chunk appears twice")
_single = "How long is the guarantee on a mesh router?"
checks.expect_equal(checks.call(retrieve_decomposed, _ar, BENCH["kb_id"], _single, k=3),
                    retrieve_texts(agent_runtime, BENCH["kb_id"], _single, 3), "one part: plain top-k")
### END HIDDEN TESTS

# %% [markdown]
# **Try it.** Recall@3 on the compound questions: one retrieval for the whole question, your
# decomposition, and the knowledge base's own `QUERY_DECOMPOSITION` answering with citations.

# %%
try:
    compound = retrieval_data.questions("compound")
    whole = evaluate(lambda q: retrieve_texts(agent_runtime, BENCH["kb_id"], q, 3), compound, 3)
    parts = evaluate(lambda q: retrieve_decomposed(agent_runtime, BENCH["kb_id"], q, k=3), compound, 3)
    print(f"one retrieval: recall@3 = {whole['recall']:.3f}    decomposed: recall@3 = {parts['recall']:.3f}")
except NotImplementedError:
    print("Complete Exercises 1 and 7 to compare.")
_rag = {"type": "KNOWLEDGE_BASE", "knowledgeBaseConfiguration": {
    "knowledgeBaseId": BENCH["kb_id"], "modelArn": HAIKU_ARN,
    "orchestrationConfiguration": {"queryTransformationConfiguration": {"type": "QUERY_DECOMPOSITION"}}}}
_answer = agent_runtime.retrieve_and_generate(
    input={"text": "How long are routers covered by the warranty, and how far does the camera night vision reach?"},
    retrieveAndGenerateConfiguration=_rag)
print(_answer["output"]["text"])
for _c in _answer["citations"]:
    print("  cited:", [r["location"]["s3Location"]["uri"].rsplit("/", 1)[-1] for r in _c["retrievedReferences"]])

# %% [markdown]
# # Part 5 — Serving and operating retrieval

# %% [markdown]
# ## Retrieve, RetrieveAndGenerate, tools and MCP <a id="retrieval-apis"></a>
#
# | Call | You get | Use it when |
# |---|---|---|
# | `Retrieve` | ranked chunks with scores, locations and metadata | you build the prompt yourself, rerank, merge several sources, or feed an agent |
# | `RetrieveAndGenerate` | an answer with citations (and a `sessionId`) | managed RAG with the least code; prompt template with `$search_results$`, guardrails, query decomposition |
# | `RetrieveAndGenerateStream` | the same, streamed | chat interfaces |
#
# **Uniform access for models.** A model reaches retrieval the same way it reaches any tool:
#
# - **Function calling**: describe a `search_knowledge_base(query)` tool in Converse's
#   `toolConfig`; when the model asks for it, your code calls `Retrieve` and returns the chunks
#   as the tool result. The same tool serves every model that supports tool use.
# - **MCP** (Model Context Protocol): wrap retrieval in an MCP server (AWS publishes one for
#   Bedrock knowledge bases) so any MCP client (an agent framework, an IDE assistant) can list and
#   call it through one standard interface.
# - **Bedrock Agents** attach a knowledge base directly; the agent decides when to search.
#
# **Exam tip:** "cited answers, least code" → RetrieveAndGenerate. "custom prompt, own reranking
# or several knowledge bases" → Retrieve plus your own prompt. "many agents and tools must reach
# the same search in a standard way" → an MCP server (or one function-calling tool) in front of
# Retrieve.

# %% [markdown]
# **Try it: retrieval as a tool.** The model decides to call the tool; our code runs `Retrieve`
# (10 candidates, reranked inside the knowledge base to the best one) and hands back the
# passage; the model answers from it.

# %%
SEARCH_TOOL = {"toolSpec": {
    "name": "search_knowledge_base",
    "description": "Search the Kestrel support knowledge base for passages that answer a support question.",
    "inputSchema": {"json": {"type": "object", "required": ["query"],
                             "properties": {"query": {"type": "string", "description": "the question to search for"}}}},
}}
_messages = [{"role": "user", "content": [{"text": 'Search the knowledge base: "How long is the guarantee on a mesh router?"'}]}]
_first = runtime.converse(modelId="anthropic.claude-3-haiku-20240307-v1:0", messages=_messages,
                          toolConfig={"tools": [SEARCH_TOOL]})
_use = next(b["toolUse"] for b in _first["output"]["message"]["content"] if "toolUse" in b)
print("the model asked for:", _use["name"], _use["input"])
_best = {"type": "BEDROCK_RERANKING_MODEL", "bedrockRerankingConfiguration": {
    "modelConfiguration": {"modelArn": RERANK_ARN}, "numberOfRerankedResults": 1}}
_chunks = retrieve_texts(agent_runtime, BENCH["kb_id"], _use["input"]["query"], 10, rerankingConfiguration=_best)
_messages += [_first["output"]["message"], {"role": "user", "content": [{"toolResult": {
    "toolUseId": _use["toolUseId"], "content": [{"json": {"passages": _chunks}}]}}]}]
_final = runtime.converse(modelId="anthropic.claude-3-haiku-20240307-v1:0", messages=_messages,
                          toolConfig={"tools": [SEARCH_TOOL]})
print(_final["output"]["message"]["content"][0]["text"][:300])

# %%
quiz.show("retrieval", "retrieval-apis")

# %% [markdown]
# ## Data sources and keeping vectors current <a id="sync"></a>
#
# **Connectors.** A knowledge base data source can be Amazon S3, a web crawler, Confluence,
# Microsoft SharePoint, Salesforce, or a *custom* source you push documents into. Other document
# systems reach a knowledge base through S3 (export or sync them there: AWS Transfer Family,
# DataSync, AppFlow, a Lambda function) or through the custom source's APIs.
#
# **Sync is incremental.** `StartIngestionJob` scans the source and processes only what changed
# since the last sync: new and modified documents are chunked and embedded again, deleted ones
# are removed from the vector store, unchanged ones are skipped. A change to a `.metadata.json`
# sidecar alone updates metadata. The job's `statistics` say exactly what happened
# (`numberOfNewDocumentsIndexed`, `numberOfModifiedDocumentsIndexed`,
# `numberOfDocumentsDeleted`, `numberOfMetadataDocumentsModified`, `numberOfDocumentsFailed`).
#
# **Triggering it.** On a schedule (EventBridge Scheduler calling `StartIngestionJob`), or on
# change: S3 event notifications → EventBridge rule → Lambda function → `StartIngestionJob`
# (debounce bursts; one sync at a time per data source). For changes that must be searchable at
# once, **direct ingestion** (`IngestKnowledgeBaseDocuments`, `DeleteKnowledgeBaseDocuments`)
# adds, updates or deletes specific documents without a full scan. The data source's
# `dataDeletionPolicy` (`DELETE` or `RETAIN`) decides whether vectors go when the data source does.
#
# **Exam tip:** "changed documents must be searchable within minutes" → event-driven sync or
# direct ingestion, not a nightly full re-index. "deleted policies still appear in answers" → the
# sync is not running (or the deletion policy retains vectors). "re-embedding everything every
# night is expensive" → rely on incremental sync: only changes are embedded.

# %%
quiz.show("retrieval", "sync")

# %% [markdown]
# ### Exercise 8 — an incremental sync that proves the stale chunk is gone (4 points)
#
# Write `update_and_sync(s3, agent, agent_runtime, s3vectors, kb, *, bucket, key, new_text,
# stale_text, poll_seconds=1.0)`. `kb` is a dict as `build_knowledge_base` returns it (S3 Vectors
# storage):
#
# 1. write `new_text` to `s3://bucket/key`;
# 2. start an ingestion job for the knowledge base's data source and poll `get_ingestion_job`
#    every `poll_seconds` until it is `COMPLETE`; raise `RuntimeError` if it ends `FAILED` or
#    `STOPPED`;
# 3. check the results: `stale_in_results` is whether any of the top 10 `Retrieve` results for
#    the query `stale_text` covers `stale_text`; `stale_in_index` is whether any vector in the S3
#    Vectors index (every page of `ListVectors`, with `returnMetadata=True`) has an
#    `AMAZON_BEDROCK_TEXT` that covers `stale_text`.
#
# Return `{"statistics": <the finished job's statistics>, "stale_in_results": bool,
# "stale_in_index": bool}`.

# %% kind="solution" grade_id="incremental-sync"
def update_and_sync(s3, agent, agent_runtime, s3vectors, kb, *, bucket, key, new_text, stale_text, poll_seconds=1.0):
    """Change one document, sync, and check that the old text is gone from results and from the index."""
    ### BEGIN SOLUTION
    s3.put_object(Bucket=bucket, Key=key, Body=new_text.encode("utf-8"))
    job = agent.start_ingestion_job(knowledgeBaseId=kb["kb_id"], dataSourceId=kb["ds_id"])["ingestionJob"]
    while True:
        job = agent.get_ingestion_job(knowledgeBaseId=kb["kb_id"], dataSourceId=kb["ds_id"],
                                      ingestionJobId=job["ingestionJobId"])["ingestionJob"]
        if job["status"] == "COMPLETE":
            break
        if job["status"] in ("FAILED", "STOPPED"):
            raise RuntimeError(f"sync ended {job['status']}: {job.get('failureReasons')}")
        time.sleep(poll_seconds)
    hits = retrieve_texts(agent_runtime, kb["kb_id"], stale_text, 10)
    in_index = False
    paginator = s3vectors.get_paginator("list_vectors")
    for page in paginator.paginate(vectorBucketName=kb["vector_bucket"], indexName=kb["index_name"], returnMetadata=True):
        if any(covers(v.get("metadata", {}).get("AMAZON_BEDROCK_TEXT", ""), stale_text) for v in page["vectors"]):
            in_index = True
    return {"statistics": job["statistics"], "stale_in_results": any(covers(h, stale_text) for h in hits),
            "stale_in_index": in_index}
    ### END SOLUTION


# %% kind="tests" grade_id="incremental-sync-tests" points=4
"""Does update_and_sync write the change, wait for the sync, and report the statistics and any stale text correctly?"""
_bucket = f"kestrel-copy-{uuid.uuid4().hex[:8]}"
retrieval_data.upload(s3, _bucket)
_kb = build_knowledge_base(FIXED_100, bucket=_bucket, reuse=False)
_old = "Express shipping costs 12.99 dollars and arrives the next business day when you order before 2 pm."
_doc = next(d["text"] for d in DOCUMENTS if d["key"] == "policies/shipping.md")
_new = _doc.replace(_old, "Express shipping costs 14.50 dollars and arrives within one business day.")
class _JobStatus:
    """Makes GetIngestionJob answer IN_PROGRESS for a job's first `pending` polls, then `final` (or the real status)."""

    def __init__(self, pending, final=None):
        self.pending, self.final, self.polls = pending, final, {}

    def __call__(self, parsed=None, **kwargs):
        job = parsed.get("ingestionJob") if isinstance(parsed, dict) else None
        if not isinstance(job, dict):
            return
        seen = self.polls.setdefault(job.get("ingestionJobId"), [])
        seen.append(time.monotonic())
        if len(seen) > 12:
            checks.fail("stop polling once the job has ended", "RuntimeError after a FAILED or STOPPED status, "
                        "or a return after COMPLETE", f"still polling after {len(seen) - 1} polls, last status "
                        f"{job['status']}")
        if len(seen) <= self.pending:
            job["status"] = "IN_PROGRESS"
        elif self.final:
            job["status"] = self.final


def _client_with(status):
    client = aws.client("bedrock-agent")
    client.meta.events.register("after-call.bedrock-agent.GetIngestionJob", status)
    return client


def _check_polling(status, poll_seconds):
    counts = [len(v) for v in status.polls.values()]
    checks.expect_equal(counts, [status.pending + 1], "poll get_ingestion_job until the job is COMPLETE (here it "
                        f"was IN_PROGRESS for the first {status.pending} polls)")
    gaps = [b - a for v in status.polls.values() for a, b in zip(v, v[1:])]
    checks.expect(bool(gaps) and min(gaps) >= 0.8 * poll_seconds, "wait poll_seconds between two polls",
                  expected=f">= {poll_seconds} s", found=[round(g, 3) for g in gaps],
                  hint="call time.sleep(poll_seconds) when the job is still running")


_sv, _ag = aws.client("s3vectors"), _client_with(_JobStatus(0))  # _JobStatus(0): stops a wait that never ends
_out = checks.call(update_and_sync, s3, _ag, agent_runtime, _sv, _kb, bucket=_bucket, key="policies/shipping.md",
                   new_text=_new, stale_text=_old, poll_seconds=0)
checks.expect_type(_out, dict, "update_and_sync should return a dict")
_stats = _out.get("statistics") or {}
checks.expect_equal(_stats.get("numberOfModifiedDocumentsIndexed"), 1, "exactly one document was re-embedded")
checks.expect_equal(_stats.get("numberOfNewDocumentsIndexed"), 0, "no new documents")
checks.expect_equal(_out.get("stale_in_results"), False, "the old sentence must be gone from the results")
checks.expect_equal(_out.get("stale_in_index"), False, "the old sentence must be gone from the vector index")
checks.expect(s3.get_object(Bucket=_bucket, Key="policies/shipping.md")["Body"].read().decode() == _new,
              "the new text should be written to S3")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
def _raises(_expected_error, _call, _what):
    _problem = "no error"
    try:
        _call()
    except _expected_error:
        return
    except Exception as _exc:  # noqa: BLE001
        _problem = f"{type(_exc).__name__}: {_exc}"
    checks.fail(_what, _expected_error.__name__, _problem)


_ag = _client_with(_JobStatus(0))
_polls = []
_ag.meta.events.register("provide-client-params.bedrock-agent.GetIngestionJob", lambda params, **kw: _polls.append(params))
_sv = aws.client("s3vectors")
_sv.meta.events.register("provide-client-params.s3vectors.ListVectors",
                         lambda params, **kw: params.update(maxResults=min(params.get("maxResults") or 7, 7)))
# Text that still stands in another document: both checks must say so (every index page is read).
_doc2 = next(d["text"] for d in DOCUMENTS if d["key"] == "policies/returns.md")
_kept = "Products bought from other shops are returned to that shop."
_new2 = _doc2.replace("within 30 days of delivery", f"within {31 + uuid.uuid4().int % 9} days of delivery")
_ar = aws.client("bedrock-agent-runtime")
_asked = []
_ar.meta.events.register("provide-client-params.bedrock-agent-runtime.Retrieve", lambda params, **kw: _asked.append(params))
_out2 = checks.call(update_and_sync, s3, _ag, _ar, _sv, _kb, bucket=_bucket, key="policies/returns.md",
                    new_text=_new2, stale_text=_kept, poll_seconds=0)
checks.expect_equal([(p.get("retrievalQuery"), p.get("retrievalConfiguration", {}).get("vectorSearchConfiguration", {})
                      .get("numberOfResults")) for p in _asked], [({"text": _kept}, 10)],
                    "one Retrieve of the stale text with numberOfResults=10")
checks.expect(len(_polls) >= 1, "poll get_ingestion_job until the job is COMPLETE")
checks.expect_type(_out2, dict, "update_and_sync should return a dict")
checks.expect_equal((_out2.get("statistics") or {}).get("numberOfModifiedDocumentsIndexed"), 1, "one modified document")
checks.expect_equal(_out2.get("stale_in_results"), True, "text that is still in the documents is found in the results")
checks.expect_equal(_out2.get("stale_in_index"), True, "text that is still in the documents is found in the index")
_job_stats = _ag.list_ingestion_jobs(knowledgeBaseId=_kb["kb_id"], dataSourceId=_kb["ds_id"],
                                     sortBy={"attribute": "STARTED_AT", "order": "DESCENDING"})["ingestionJobSummaries"]
checks.expect_equal(_out2.get("statistics"), _job_stats[0]["statistics"], "the statistics of the finished job")
# A sync that fails raises RuntimeError.
_gone = f"kestrel-gone-{uuid.uuid4().hex[:8]}"
retrieval_data.upload(s3, _gone)
_kb3 = build_knowledge_base(FIXED_100, bucket=_gone, reuse=False)
for _o in s3.list_objects_v2(Bucket=_gone).get("Contents", []):
    s3.delete_object(Bucket=_gone, Key=_o["Key"])
s3.delete_bucket(Bucket=_gone)
_raises(RuntimeError, lambda: update_and_sync(s3, _ag, agent_runtime, _sv, _kb3, bucket=_bucket, key="policies/privacy.md",
                                               new_text="x y z", stale_text="nothing here", poll_seconds=0),
        "a FAILED ingestion job must raise RuntimeError")

# A sync still IN_PROGRESS for two polls: keep polling, poll_seconds apart; a STOPPED sync raises RuntimeError.
_pending = _JobStatus(2)
_new3 = _doc.replace("Standard shipping", "Standard delivery")
_out3 = checks.call(update_and_sync, s3, _client_with(_pending), agent_runtime, _sv, _kb, bucket=_bucket,
                    key="policies/shipping.md", new_text=_new3, stale_text=_old, poll_seconds=0.25)
_check_polling(_pending, 0.25)
_job_stats = _ag.list_ingestion_jobs(knowledgeBaseId=_kb["kb_id"], dataSourceId=_kb["ds_id"],
                                     sortBy={"attribute": "STARTED_AT", "order": "DESCENDING"})["ingestionJobSummaries"]
checks.expect_equal((_out3 or {}).get("statistics"), _job_stats[0]["statistics"],
                    "the statistics of the job once it is COMPLETE")
_raises(RuntimeError, lambda: update_and_sync(s3, _client_with(_JobStatus(1, "STOPPED")), agent_runtime, _sv, _kb,
                                               bucket=_bucket, key="policies/shipping.md", new_text=_doc,
                                               stale_text="nothing here", poll_seconds=0),
        "a sync that ends STOPPED must raise RuntimeError")
### END HIDDEN TESTS

# %% [markdown]
# ## Troubleshooting retrieval <a id="troubleshooting"></a>
#
# Work from the symptom, and measure before and after every fix with the golden set.
#
# | Symptom | Likely cause | Fix |
# |---|---|---|
# | answers quote an outdated policy | the index is stale: no sync, or deletions retained | event-driven or scheduled sync; check job statistics; `dataDeletionPolicy` |
# | exact codes, SKUs or names are missed | dense embeddings blur identifiers | hybrid search (or a keyword pre-filter) |
# | the right document, the wrong passage | chunks too large or too small, answers cut at boundaries | tune size/overlap, semantic or hierarchical chunking; rerank |
# | recall collapsed after a change | query and index embedded with different models or dimensions (embedding drift) | re-embed everything with one model; check dimensions end to end |
# | results mix products or years | no metadata filter | filters (explicit or implicit) |
# | empty results | a filter that is too strict, or the sync failed | log the filter; check `failureReasons` |
# | scores of all results nearly equal | the query is too vague, or vectors collide (very low dimension) | query expansion; larger dimension |
# | tables and figures never retrieved | the parser dropped them | a foundation-model or Bedrock Data Automation parser |
# | good retrieval, wrong answer | generation, not retrieval | prompt, model, guardrails (the evaluation notebook) |
#
# **Embedding diagnostics.** Look at the vectors themselves: check their dimension, embed a
# known question and compare its similarity to the chunk that should answer it, list what the
# index actually holds (`ListVectors` with metadata), and watch the distribution of top scores
# over time: a drift in that distribution after a corpus or model change is an early warning.
#
# **Exam tip:** "it worked last month, now answers are wrong and the documents changed" →
# stale index / sync. "after switching to a new embedding model only some answers are found" →
# mixed embeddings: re-index. "HYBRID configured, identifiers still missed" → the store does not
# support hybrid.

# %% [markdown]
# **Try it: two faults and their evidence.** A query vector of the wrong dimension is rejected
# by the store; HYBRID on an S3 Vectors knowledge base quietly runs as SEMANTIC.

# %%
from botocore.exceptions import ClientError

_small = json.loads(runtime.invoke_model(modelId="amazon.titan-embed-text-v2:0", body=json.dumps(
    {"inputText": "router warranty", "dimensions": 256}))["body"].read())["embedding"]
try:
    s3vectors.query_vectors(vectorBucketName=on_s3_vectors["vector_bucket"], indexName=on_s3_vectors["index_name"],
                            topK=3, queryVector={"float32": _small})
except ClientError as error:
    print("dimension mismatch:", error.response["Error"]["Code"], "-", error.response["Error"]["Message"])
_question = "What does R-512 mean for a router unit?"
_same = (retrieve_texts(agent_runtime, on_s3_vectors["kb_id"], _question, 3, overrideSearchType="HYBRID")
         == retrieve_texts(agent_runtime, on_s3_vectors["kb_id"], _question, 3, overrideSearchType="SEMANTIC"))
print("S3 Vectors store, HYBRID results identical to SEMANTIC:", _same)

# %%
quiz.show("retrieval", "troubleshooting")

# %% [markdown]
# ## Graded quiz <a id="graded-quiz"></a>
#
# Eight questions in the exam's style. Your choices are saved as you click and graded with the
# notebook.

# %%
quiz.graded("retrieval")

# %% kind="quiz" question="ret-g1" points=1

# %% kind="quiz" question="ret-g2" points=1

# %% kind="quiz" question="ret-g3" points=1

# %% kind="quiz" question="ret-g4" points=1

# %% kind="quiz" question="ret-g5" points=1

# %% kind="quiz" question="ret-g6" points=1

# %% kind="quiz" question="ret-g7" points=1

# %% kind="quiz" question="ret-g8" points=1

# %% [markdown]
# ## Summary <a id="summary"></a>
#
# - **Measure first**: a golden set with evidence sentences, recall@k for "did the answer reach
#   the model", MRR for "was it first"; rerun it for every change.
# - **Stores**: OpenSearch Serverless for managed hybrid search, Aurora pgvector next to SQL data,
#   Neptune Analytics for GraphRAG, S3 Vectors for cheap scale, a managed knowledge base for no
#   store at all. Metadata and filters (explicit or implicit) make results precise and enforce
#   access; several indexes or hierarchy keep large corpora fast.
# - **Chunking** decides what can be found: too small cuts answers, too large dilutes;
#   hierarchical and semantic chunking and custom transformation Lambdas fix most structure
#   problems. **Dimensions** trade a little recall for a lot of storage.
# - **Search quality**: hybrid search for exact identifiers, reranking to put the answer first and
#   send fewer tokens, decomposition and expansion for questions that do not look like documents.
# - **Operations**: incremental sync on a schedule or on change, direct ingestion for urgent
#   updates, and a troubleshooting table that starts from the symptom.
