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
# # Databases for GenAI applications
#
# **Who this is for:** developers preparing for the AWS Certified Generative AI Developer –
# Professional exam (AIP-C01) who know some SQL and Python and want to choose, configure and use
# the AWS databases that sit around a foundation model: conversation memory, agent state, vector
# stores, knowledge graphs, caches of model answers and audit trails.
#
# **What you will do here:**
#
# - read short sections on Aurora, Aurora Serverless v2, RDS, DynamoDB, DynamoDB Streams,
#   DocumentDB, Neptune, ElastiCache (with MemoryDB and DAX) and Cloud Directory, each ending
#   with an *Exam tip* and self-check questions;
# - complete **6 graded exercises** with boto3 against a simulated AWS account (DynamoDB,
#   DynamoDB Streams, RDS/Aurora, Secrets Manager and the course's offline Bedrock simulator);
# - read one chart that shows how a cache's time to live changes its hit ratio and the model bill;
# - answer the **graded quiz** at the end.
#
# **Exam tasks trained:** mostly 1.4 (vector store solutions) and 1.5 (retrieval mechanisms), plus
# 2.1 (agents and their memory), 2.4 (FM API integrations), 4.1 (cost optimisation), 4.2
# (performance: caching) and 3.2 (data security).
#
# **How to work:** run the cells from top to bottom (every cell is safe to run again). In an
# exercise, replace `raise NotImplementedError()` with your code, run that cell, then run the test
# cell under it: its message tells you what is missing. Graded quiz answers are saved
# automatically next to this notebook as soon as you pick them.
#
# Everything runs offline: the first code cell starts a fake AWS account (the
# [moto](https://github.com/getmoto/moto) simulator plus the course's Bedrock simulator) with fake
# credentials and no network. The simulator does not reproduce every AWS behaviour (for example
# DynamoDB TTL never deletes anything in it); where that matters, the text says so.

# %% kind="setup"
from course import sandbox, checks, quiz

aws = sandbox.start()  # fake credentials, moto, network blocked; safe to re-run

# %% [markdown]
# ## Choosing a database for a GenAI workload <a id="choose"></a>
#
# A generative AI application rarely has *one* database. The model is stateless, so everything it
# should remember or look up lives somewhere else, and each kind of data has a natural home:
#
# | Data the application keeps | Shape and access | Usual AWS home |
# |---|---|---|
# | Chat history, agent session state, per-user settings | lookups by key, any scale, expiry | **DynamoDB** (TTL, on-demand) |
# | Orders, tickets, catalogues with joins, plus embeddings next to them | relational, SQL, transactions | **Aurora PostgreSQL** with pgvector (or RDS for PostgreSQL) |
# | JSON documents already served through MongoDB drivers | document queries, MongoDB API | **DocumentDB** |
# | Entities and relationships, multi-hop questions, GraphRAG | graph traversal | **Neptune** (Database or Analytics) |
# | Model answers, retrieved context, sessions that must be read in microseconds | in-memory, expiring | **ElastiCache** (Valkey/Redis OSS/Memcached) |
# | In-memory data that is also the system of record | in-memory, durable | **MemoryDB** |
# | Embeddings with no other data around them | vector search only | OpenSearch Serverless, S3 Vectors (see the vector-store material) |
#
# Two more stores appear in the notes but belong to the analytics notebook: **Redshift Serverless**
# (a data warehouse billed in RPU-hours, for SQL analytics over large history; see
# [analytics › Redshift Serverless](../analytics/analytics.ipynb#redshift-serverless)) and **Amazon
# Timestream** (time-series measurements such as token usage per minute; see
# [analytics › Timestream](../analytics/analytics.ipynb#timestream)). They are taught there.
#
# Questions to ask in this order: *what shape is the data* (graph? relational? key-value?), *how
# fast must reads be* (milliseconds or microseconds?), *must it survive a failure as the only
# copy*, *what API do existing applications speak*, and *do I need vector search in the same
# place*. Exercise 6 turns these questions into a function.
#
# **Exam tip:** the exam rewards "least operational overhead": keep vectors in a database you
# already run (pgvector in Aurora, vector search in DocumentDB or MemoryDB) when the data already
# lives there; pick a dedicated vector store when vectors are all you have.

# %%
quiz.show("databases", "choose")

# %% [markdown]
# ## Amazon Aurora: cloud-native MySQL and PostgreSQL <a id="aurora"></a>
#
# **What it is.** A relational engine compatible with MySQL or PostgreSQL whose compute and storage
# are separate. A *cluster* is one writer instance, up to **15 Aurora Replicas**, and one shared
# *cluster volume* that keeps **six copies of the data across three Availability Zones** and grows
# automatically as data arrives (the long-standing limit is 128 TiB). Because replicas read the
# same volume, their lag is usually well under 100 ms, and if the writer fails a replica is
# promoted automatically, typically in well under a minute.
#
# **Endpoints.** The *cluster endpoint* always points at the writer (DDL and DML); the *reader
# endpoint* load-balances connections across replicas; *custom endpoints* group instances you
# choose (for example big instances for reporting); *instance endpoints* reach one instance.
# **Global Database** replicates a cluster to other Regions with typically sub-second lag for
# disaster recovery and local reads.
#
# **GenAI angle.**
#
# - **pgvector** on Aurora PostgreSQL stores embeddings in a `vector` column next to relational
#   data, with HNSW or IVFFlat indexes: one SQL query can filter by tenant, price or date *and*
#   rank by similarity. When many tenants share one table, PostgreSQL **row-level security**
#   (a policy on `tenant_id` that compares it with a per-session setting the application sets)
#   makes the database filter every query, so a retrieval bug cannot leak another tenant's chunks.
# - **Bedrock Knowledge Bases** accept Aurora PostgreSQL as a vector store (storage type `RDS`):
#   the cluster needs the pgvector extension and a table with vector, text and metadata columns,
#   the **RDS Data API** enabled (Bedrock talks to the cluster over HTTPS, not a driver), and the
#   credentials in a **Secrets Manager** secret.
# - **Aurora machine learning** exposes SQL functions that call SageMaker endpoints, Amazon
#   Comprehend and Amazon Bedrock through an IAM role associated with the cluster, so scoring or
#   sentiment runs inside a query without an ETL job.
#
# *Note:* the notes' SQL is schematic. In Aurora PostgreSQL the functions come from the `aws_ml`
# extension (`aws_comprehend.detect_sentiment`, `aws_sagemaker.invoke_endpoint`, ...); Aurora
# MySQL has built-in `aws_comprehend_detect_sentiment` and you declare SageMaker functions with
# `ALIAS AWS_SAGEMAKER_INVOKE_ENDPOINT`. The notes also quote "sub-10 ms" replica lag; AWS
# documents "typically less than 100 ms".
#
# **Exam tip:** "RAG over data that already lives in PostgreSQL", "SQL filters plus similarity" →
# Aurora PostgreSQL with pgvector. "Bedrock Knowledge Base on Aurora" → Data API + Secrets Manager
# secret + pgvector table. "Reads must not slow the writer" → reader endpoint.

# %%
quiz.show("databases", "aurora")

# %% [markdown]
# ## Aurora Serverless v2: capacity that follows demand <a id="aurora-serverless"></a>
#
# **What it is.** Aurora instances of class `db.serverless` whose capacity is measured in **Aurora
# Capacity Units** (ACU: about 2 GiB of memory with matching CPU and network). Each instance scales
# in steps of 0.5 ACU between the cluster's `MinCapacity` and `MaxCapacity` while it keeps serving
# connections. The maximum is 256 ACU on recent engine versions (128 on older ones). On versions
# that support **automatic pause**, `MinCapacity` can be **0**: after `SecondsUntilAutoPause` of
# inactivity (5 minutes to 1 day) the instance pauses and costs only storage; the first connection
# resumes it after a short delay. Otherwise the floor is 0.5 ACU.
#
# | | Serverless v2 | Provisioned instance |
# |---|---|---|
# | Capacity | 0 (paused) or 0.5 – 256 ACU, changes in seconds | fixed instance class |
# | Billing | ACU-hours + storage + I/O | instance-hours + storage + I/O |
# | Fits | spiky, unpredictable, dev/test, many small tenants | steady, predictable load |
#
# A cluster can **mix** serverless and provisioned instances, use readers in other AZs, Global
# Database, RDS Proxy and the Data API. In the API it is an ordinary cluster (engine mode
# `provisioned`) with a `ServerlessV2ScalingConfiguration`, plus instances of class
# `db.serverless`.
#
# *Note:* the notes' "Aurora Serverless" features describe the first generation. **Aurora
# Serverless v1** (engine mode `serverless`, `ScalingConfiguration`) reached **end of life on
# March 31, 2025**; since January 8, 2025 new v1 clusters cannot be created, and remaining
# clusters were upgraded to v2 (or converted to provisioned) in their maintenance windows.
#
# **GenAI angle.** A pgvector store behind a Bedrock Knowledge Base or an internal RAG tool is
# busy during office hours and idle at night: Serverless v2 with a low minimum pays for what is
# used. Let **RDS manage the master password** in Secrets Manager (`ManageMasterUserPassword`),
# and let application roles connect with **IAM database authentication** (short-lived tokens
# instead of passwords).
#
# **Exam tip:** "unpredictable or intermittent relational workload, minimal capacity management" →
# Aurora Serverless v2. Any option that says "Serverless v1" or `EngineMode=serverless` for a new
# design is outdated.

# %%
quiz.show("databases", "aurora-serverless")

# %% [markdown]
# ### Try it: warm up the RDS simulator
#
# The first RDS call in a kernel takes a second or two while moto loads its RDS model. Run this
# cell once before Exercise 1 so the test cell stays fast. It lists the Aurora clusters in the
# simulated account (none yet).

# %%
_clusters = aws.client("rds").describe_db_clusters()["DBClusters"]
print(f"{len(_clusters)} DB clusters in the simulated account")

# %% [markdown]
# ### Exercise 1 — an Aurora Serverless v2 vector store for a knowledge base (4 points)
#
# Your team will store document embeddings with pgvector and later attach the cluster to a
# Bedrock Knowledge Base. Write `create_vector_cluster(rds, cluster_id, min_acu, max_acu)` that:
#
# 1. creates the DB cluster `cluster_id` with engine `aurora-postgresql` (version `"16.6"`), a
#    database named `rag`, master user `kbadmin`, and
#    - Serverless **v2** scaling between `min_acu` and `max_acu` (do **not** use the v1 engine mode);
#    - the master password **managed by RDS in Secrets Manager** (never pass a password yourself);
#    - IAM database authentication enabled, storage encrypted, and the **Data API** (HTTP endpoint)
#      enabled, which Bedrock Knowledge Bases require;
# 2. creates one writer instance `<cluster_id>-writer` of class `db.serverless` in that cluster;
# 3. returns `{"cluster_arn": ..., "secret_arn": ..., "writer_id": ...}` where `secret_arn` is
#    the ARN of the secret RDS created (`MasterUserSecret` in the response).
#
# Hints: `rds.create_db_cluster(...)` takes `ServerlessV2ScalingConfiguration={"MinCapacity": ...,
# "MaxCapacity": ...}`, `ManageMasterUserPassword=True`, `EnableIAMDatabaseAuthentication=True`,
# `StorageEncrypted=True`, `EnableHttpEndpoint=True`; then `rds.create_db_instance(...)`.
# (moto records the Data API flag only for v1 clusters, so the test reads your request for that
# one setting; everything else is checked in the simulated account.)

# %% kind="solution" grade_id="aurora-serverless-v2"
def create_vector_cluster(rds, cluster_id, min_acu, max_acu):
    """Create an Aurora PostgreSQL Serverless v2 cluster + writer; return its ARNs and writer id."""
    ### BEGIN SOLUTION
    cluster = rds.create_db_cluster(
        DBClusterIdentifier=cluster_id,
        Engine="aurora-postgresql",
        EngineVersion="16.6",
        DatabaseName="rag",
        MasterUsername="kbadmin",
        ManageMasterUserPassword=True,
        EnableIAMDatabaseAuthentication=True,
        StorageEncrypted=True,
        EnableHttpEndpoint=True,
        ServerlessV2ScalingConfiguration={"MinCapacity": min_acu, "MaxCapacity": max_acu},
    )["DBCluster"]
    writer_id = f"{cluster_id}-writer"
    rds.create_db_instance(
        DBInstanceIdentifier=writer_id,
        DBClusterIdentifier=cluster_id,
        Engine="aurora-postgresql",
        DBInstanceClass="db.serverless",
    )
    return {
        "cluster_arn": cluster["DBClusterArn"],
        "secret_arn": cluster["MasterUserSecret"]["SecretArn"],
        "writer_id": writer_id,
    }
    ### END SOLUTION


# %% kind="tests" grade_id="aurora-serverless-v2-tests" points=4
"""Is the cluster Serverless v2 with a managed secret, IAM auth, encryption, Data API and a db.serverless writer?"""
import uuid


def _recording_rds():
    """An RDS client that remembers every CreateDBCluster request it sends."""
    client = aws.client("rds")
    sent = []
    client.meta.events.register(
        "provide-client-params.rds.CreateDBCluster", lambda params, **kw: sent.append(dict(params))
    )
    return client, sent


def _check_cluster(client, sent, cluster_id, lo, hi, out):
    checks.expect_type(out, dict, "create_vector_cluster should return a dict")
    for key in ("cluster_arn", "secret_arn", "writer_id"):
        checks.expect_in(key, out, "the returned dict is missing a key")
    cl = checks.read(f"the cluster {cluster_id}", client.describe_db_clusters, DBClusterIdentifier=cluster_id)[
        "DBClusters"][0]
    checks.expect_equal(out["cluster_arn"], cl["DBClusterArn"], "cluster_arn should be the new cluster's ARN")
    checks.expect_equal(cl["Engine"], "aurora-postgresql", "the engine should be aurora-postgresql")
    checks.expect_equal((cl.get("EngineVersion"), cl.get("DatabaseName"), cl.get("MasterUsername")),
                        ("16.6", "rag", "kbadmin"), "engine version, database name and master user")
    checks.expect_equal(cl.get("EngineMode"), "provisioned",
                        "Serverless v2 clusters use the ordinary (provisioned) engine mode",
                        hint="do not pass EngineMode='serverless': that is Aurora Serverless v1, retired in 2025")
    scaling = cl.get("ServerlessV2ScalingConfiguration") or {}
    checks.expect_equal((scaling.get("MinCapacity"), scaling.get("MaxCapacity")), (float(lo), float(hi)),
                        "the Serverless v2 scaling range should be (min_acu, max_acu)",
                        hint="ServerlessV2ScalingConfiguration={'MinCapacity': min_acu, 'MaxCapacity': max_acu}")
    secret = (cl.get("MasterUserSecret") or {}).get("SecretArn")
    checks.expect(secret is not None, "RDS should manage the master password in Secrets Manager",
                  expected="a MasterUserSecret on the cluster", found="none",
                  hint="ManageMasterUserPassword=True (and no MasterUserPassword)")
    checks.expect_equal(out["secret_arn"], secret, "secret_arn should be the secret RDS created")
    with checks.step("looking up the managed secret in Secrets Manager"):
        aws.client("secretsmanager").describe_secret(SecretId=secret)
    checks.expect(cl.get("IAMDatabaseAuthenticationEnabled") is True, "IAM database authentication should be on",
                  expected=True, found=cl.get("IAMDatabaseAuthenticationEnabled"))
    checks.expect(cl.get("StorageEncrypted") is True, "storage should be encrypted",
                  expected=True, found=cl.get("StorageEncrypted"))
    request = next((p for p in sent if p.get("DBClusterIdentifier") == cluster_id), {})
    checks.expect(request.get("EnableHttpEndpoint") is True, "the Data API (HTTP endpoint) should be enabled",
                  expected="EnableHttpEndpoint=True in create_db_cluster", found=request.get("EnableHttpEndpoint"),
                  hint="Bedrock Knowledge Bases reach Aurora through the RDS Data API")
    checks.expect("MasterUserPassword" not in request, "never send a master password when RDS manages it",
                  expected="no MasterUserPassword", found="a password in the request")
    checks.expect_equal(out["writer_id"], f"{cluster_id}-writer", "writer_id should be '<cluster_id>-writer'")
    inst = checks.read(f"the writer instance {out['writer_id']}", client.describe_db_instances,
                       DBInstanceIdentifier=out["writer_id"])["DBInstances"][0]
    checks.expect_equal(inst["DBInstanceClass"], "db.serverless", "the writer should be a db.serverless instance")
    checks.expect_equal(inst.get("DBClusterIdentifier"), cluster_id, "the writer should belong to the cluster")
    return cl


_rds, _sent = _recording_rds()
_cid = f"kb-vectors-{uuid.uuid4().hex[:8]}"
_out = checks.call(create_vector_cluster, _rds, _cid, 0.5, 8)
_check_cluster(_rds, _sent, _cid, 0.5, 8, _out)
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_rds2, _sent2 = _recording_rds()
_cid2 = f"rag-store-{uuid.uuid4().hex[:8]}"
_out2 = checks.call(create_vector_cluster, _rds2, _cid2, 0, 32)
_cl2 = _check_cluster(_rds2, _sent2, _cid2, 0, 32, _out2)
checks.expect_equal(len(_cl2.get("DBClusterMembers", [])), 1, "the cluster should have exactly one instance (the writer)")
checks.expect(_out2["secret_arn"] != _out["secret_arn"], "each cluster should get its own managed secret",
              expected="a new secret ARN", found=_out2["secret_arn"])
### END HIDDEN TESTS

# %% [markdown]
# ## Amazon RDS: managed relational engines <a id="rds"></a>
#
# **What it is.** Managed MySQL, PostgreSQL, MariaDB, Oracle, SQL Server and Db2 on instances you
# size. AWS patches, backs up (automated backups with point-in-time restore, plus manual
# snapshots) and monitors; storage autoscaling grows volumes (up to 64 TiB for most engines).
#
# | Feature | What it gives | Readable? |
# |---|---|---|
# | Multi-AZ **instance** deployment | synchronous standby in another AZ, automatic failover | no |
# | Multi-AZ **DB cluster** (MySQL, PostgreSQL) | writer + two readable standbys in three AZs | yes |
# | **Read replicas** | asynchronous copies (also cross-Region) that scale reads; can be promoted | yes |
#
# **Connections from serverless code.** Lambda functions open many short connections;
# **RDS Proxy** pools and reuses them, keeps them across failovers, and can authenticate with IAM
# while it reads the database password from Secrets Manager. Monitoring: Enhanced Monitoring and
# Performance Insights for queries; **Database Activity Streams** push an audit stream to Kinesis
# (on RDS for Oracle and SQL Server; on Aurora for MySQL and PostgreSQL).
#
# **Aurora or RDS?** Aurora for higher availability and scale (shared six-copy storage, 15 fast
# replicas, Serverless v2, Global Database); RDS for the other engines, a specific engine version
# or extension, or the lowest cost for a small steady database. RDS for PostgreSQL also supports
# **pgvector** for your own RAG code.
#
# **GenAI angle.** Application state next to the model: users, entitlements, prompt templates
# with versions, feedback and evaluation results, all with ACID transactions.
#
# *Note:* the notes suggest Amazon Forecast for planning RDS reservations; Amazon Forecast is no
# longer open to new customers, so use Cost Explorer's RI recommendations instead. The notes also
# list "Database Activity Streams - supported for Oracle and SQL Server" under a DocumentDB heading:
# that bullet is about RDS.
#
# **Exam tip:** "Lambda exhausts database connections" → RDS Proxy. "Standby for failover" →
# Multi-AZ; "scale reads" → read replicas. "No passwords in code" → IAM database authentication
# or Secrets Manager.

# %%
quiz.show("databases", "rds")

# %% [markdown]
# ## Amazon DynamoDB: key-value memory for chatbots and agents <a id="dynamodb"></a>
#
# **What it is.** A serverless key-value and document database with single-digit-millisecond reads
# and writes at any scale. A table has a **partition key** (spreads data over partitions) and an
# optional **sort key** (orders the items of one partition, enabling range queries such as
# "the last 20 turns"). Items are schemaless and up to **400 KB**.
#
# **Key facts the exam uses.**
#
# - **Capacity modes:** *on-demand* (pay per request, no planning: new or spiky chatbots) or
#   *provisioned* RCU/WCU with auto scaling (cheaper for steady, predictable traffic).
# - **Indexes:** a *GSI* has its own partition/sort key, can be added at any time and is eventually
#   consistent; a *sparse* GSI only holds items that carry its key attributes. An *LSI* shares the
#   table's partition key, must be defined when the table is created, and caps each partition key
#   value at 10 GB.
# - **Conditional writes** (`attribute_not_exists(...)`) stop one writer from silently overwriting
#   another; **transactions** (`TransactWriteItems`, up to 100 actions) make several writes succeed
#   or fail together.
# - **TTL:** name a Number attribute holding an **epoch time in seconds**; DynamoDB deletes expired
#   items in the background, typically within a few days, without consuming write capacity.
#   Until then expired items are still returned, so filter them in queries.
# - **Point-in-time recovery** (per-second restore within up to 35 days), **global tables**
#   (multi-Region, multi-active), **DAX** (an in-memory read cache with microsecond latency),
#   **Streams** (next section), export to S3, and a **zero-ETL integration with OpenSearch
#   Service** that keeps a search and vector index in step with the table.
#
# **GenAI angle.** Conversation history (partition key `session_id`, sort key a timestamp), agent
# state and tool results, per-tenant quotas with atomic counters, feature and model-metadata
# records. DynamoDB has no native vector search: pair it with OpenSearch when you need semantic
# retrieval over its items.
#
# **Exam tip:** "store chat history, expire after N days, scale without servers" → DynamoDB with
# TTL (epoch **seconds**). "Query by another attribute" → GSI. "Two writes must both happen" →
# transaction. "Microsecond reads of DynamoDB data" → DAX.

# %%
quiz.show("databases", "dynamodb")

# %% [markdown]
# ### Exercise 2 — a conversation-history table (3 points)
#
# A support chatbot keeps every turn of every conversation. Write
# `create_history_table(ddb, table_name)` that creates the table and returns its ARN:
#
# - **on-demand** capacity;
# - partition key `session_id` (string) and sort key `ts` (number: epoch **milliseconds** of the
#   turn; the session's header item uses `ts = 0`);
# - a global secondary index **`by-user`** with partition key `user_id` (string) and sort key
#   `last_turn_at` (number), projecting **all** attributes. Only session header items carry these
#   two attributes, so the index is *sparse*: it lists a user's sessions, newest first, without
#   the turns;
# - a stream with **both old and new images** (Exercise 4 builds an audit log from it);
# - **TTL** on the attribute `expires_at`;
# - **point-in-time recovery** enabled.
#
# Hints: `ddb.create_table(...)` (`BillingMode`, `AttributeDefinitions` for every key attribute of
# the table *and* the index, `KeySchema`, `GlobalSecondaryIndexes`, `StreamSpecification`), then
# `ddb.update_time_to_live(...)` and `ddb.update_continuous_backups(...)`. In moto the table is
# `ACTIVE` at once; on AWS wait with `ddb.get_waiter("table_exists")` before the two updates.

# %% kind="solution" grade_id="dynamodb-history-table"
def create_history_table(ddb, table_name):
    """Create the on-demand chat-history table (GSI by-user, stream, TTL, PITR); return its ARN."""
    ### BEGIN SOLUTION
    table = ddb.create_table(
        TableName=table_name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": "session_id", "AttributeType": "S"},
            {"AttributeName": "ts", "AttributeType": "N"},
            {"AttributeName": "user_id", "AttributeType": "S"},
            {"AttributeName": "last_turn_at", "AttributeType": "N"},
        ],
        KeySchema=[
            {"AttributeName": "session_id", "KeyType": "HASH"},
            {"AttributeName": "ts", "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-user",
                "KeySchema": [
                    {"AttributeName": "user_id", "KeyType": "HASH"},
                    {"AttributeName": "last_turn_at", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )["TableDescription"]
    ddb.get_waiter("table_exists").wait(TableName=table_name)
    ddb.update_time_to_live(
        TableName=table_name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"}
    )
    ddb.update_continuous_backups(
        TableName=table_name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    return table["TableArn"]
    ### END SOLUTION


# %% kind="tests" grade_id="dynamodb-history-table-tests" points=3
"""Does the table have the right keys, an on-demand sparse by-user index, a two-image stream, TTL and PITR?"""
import json
import uuid

_ddb = aws.client("dynamodb")


def _check_history_table(name, arn):
    t = checks.read(f"the table {name}", _ddb.describe_table, TableName=name)["Table"]
    checks.expect_equal(arn, t["TableArn"], "create_history_table should return the table ARN")
    keys = {k["AttributeName"]: k["KeyType"] for k in t["KeySchema"]}
    checks.expect_equal(keys, {"session_id": "HASH", "ts": "RANGE"}, "the table key should be session_id + ts")
    types = {a["AttributeName"]: a["AttributeType"] for a in t["AttributeDefinitions"]}
    wanted = {"session_id": "S", "ts": "N", "user_id": "S", "last_turn_at": "N"}
    checks.expect_equal({k: types.get(k) for k in wanted}, wanted, "key attribute types",
                        hint="ts and last_turn_at are numbers (N), session_id and user_id strings (S)")
    checks.expect_equal((t.get("BillingModeSummary") or {}).get("BillingMode"), "PAY_PER_REQUEST",
                        "the table should use on-demand capacity", hint="BillingMode='PAY_PER_REQUEST'")
    gsis = {g["IndexName"]: g for g in t.get("GlobalSecondaryIndexes", [])}
    checks.expect_in("by-user", gsis, "the table needs a GSI named by-user")
    gkeys = {k["AttributeName"]: k["KeyType"] for k in gsis["by-user"]["KeySchema"]}
    checks.expect_equal(gkeys, {"user_id": "HASH", "last_turn_at": "RANGE"}, "the by-user index key")
    checks.expect_equal(gsis["by-user"].get("Projection", {}).get("ProjectionType"), "ALL", "the index should project ALL")
    spec = t.get("StreamSpecification") or {}
    checks.expect_equal((spec.get("StreamEnabled"), spec.get("StreamViewType")), (True, "NEW_AND_OLD_IMAGES"),
                        "the stream should carry both old and new images",
                        hint="an audit log needs the item before AND after each change")
    ttl = _ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    checks.expect_equal((ttl.get("TimeToLiveStatus"), ttl.get("AttributeName")), ("ENABLED", "expires_at"),
                        "TTL should be enabled on expires_at")
    pitr = _ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    checks.expect_equal(pitr["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"], "ENABLED",
                        "point-in-time recovery should be enabled", hint="ddb.update_continuous_backups(...)")


from botocore.awsrequest import AWSResponse

# As on AWS, a new table is CREATING for a moment: updating it before it is seen ACTIVE is refused.
_seen_active = set()


def _note_active(parsed, **kwargs):
    table = (parsed or {}).get("Table", {})
    if table.get("TableStatus") == "ACTIVE":
        _seen_active.add(table.get("TableName"))


def _refuse_while_creating(params, model, **kwargs):
    name = json.loads(params.get("body") or b"{}").get("TableName")  # the request as it would be sent
    if name in _seen_active:
        return None
    error = {"Code": "ResourceInUseException", "Message": f"Attempt to change a resource which is still in use: "
             f"Table is being created: {name}"}
    return AWSResponse("", 400, {}, None), {"Error": error, "ResponseMetadata": {"HTTPStatusCode": 400}}


def _refuse_disabled_stream_view(params, model, **kwargs):
    # As on AWS: a view type is only valid for an enabled stream.
    spec = json.loads(params.get("body") or b"{}").get("StreamSpecification") or {}
    if spec.get("StreamEnabled") or "StreamViewType" not in spec:
        return None
    error = {"Code": "ValidationException", "Message": "One or more parameter values were invalid: Table is being "
             "created with a stream disabled, UpdateViewType should not be specified"}
    return AWSResponse("", 400, {}, None), {"Error": error, "ResponseMetadata": {"HTTPStatusCode": 400}}


_ddb.meta.events.register("after-call.dynamodb.DescribeTable", _note_active, unique_id="aip-note-active")
_ddb.meta.events.register("before-call.dynamodb.CreateTable", _refuse_disabled_stream_view,
                          unique_id="aip-disabled-stream-view")
for _op in ("UpdateTimeToLive", "UpdateContinuousBackups"):
    _ddb.meta.events.register(f"before-call.dynamodb.{_op}", _refuse_while_creating, unique_id=f"aip-creating-{_op}")

_name = f"chat-history-{uuid.uuid4().hex[:8]}"
_arn = checks.call(create_history_table, _ddb, _name,
                   hint="wait until the table is ACTIVE (ddb.get_waiter('table_exists')) before updating it")
_check_history_table(_name, _arn)
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_name2 = f"agent-memory-{uuid.uuid4().hex[:8]}"
_arn2 = checks.call(create_history_table, _ddb, _name2)
_check_history_table(_name2, _arn2)
_user = f"u-{uuid.uuid4().hex[:6]}"
_ddb.put_item(TableName=_name2, Item={"session_id": {"S": "s1"}, "ts": {"N": "0"}, "user_id": {"S": _user},
                                       "last_turn_at": {"N": "1700000000000"}})
_ddb.put_item(TableName=_name2, Item={"session_id": {"S": "s1"}, "ts": {"N": "1700000000000"}, "text": {"S": "hi"}})
_found = _ddb.query(TableName=_name2, IndexName="by-user", KeyConditionExpression="user_id = :u",
                    ExpressionAttributeValues={":u": {"S": _user}})["Items"]
checks.expect_equal(len(_found), 1, "the by-user index should hold only the session header (sparse index)")
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 3 — append a turn atomically (4 points)
#
# Each turn is written as its own item, and the session's header item (`ts = 0`) keeps a turn
# counter and the time of the last turn. Both writes must happen together, and a retried request
# must never overwrite a turn that is already stored.
#
# Write `append_turn(ddb, table_name, session_id, user_id, ts, role, text, ttl_days)` that, in
# **one transaction**:
#
# 1. puts the turn item `{session_id, ts, role, text, expires_at}` **only if no item with that key
#    exists** (condition `attribute_not_exists(session_id)`);
# 2. updates the header item `(session_id, ts=0)`: adds 1 to `turn_count`, and sets `user_id`,
#    `last_turn_at = ts` and `expires_at`.
#
# `ts` is epoch **milliseconds**; `expires_at` must be epoch **seconds**: `ts // 1000 + ttl_days *
# 86400` (TTL ignores values it cannot read as seconds). Return `True` when the turn was written
# and `False` when a turn with the same `ts` already existed (the transaction is cancelled with
# `TransactionCanceledException`); let other errors propagate.
#
# Hints: `ddb.transact_write_items(TransactItems=[{"Put": {...}}, {"Update": {...}}])` with
# low-level attribute values (`{"S": ...}`, `{"N": str(...)}`); `UpdateExpression="ADD turn_count
# :one SET user_id = :u, last_turn_at = :t, expires_at = :e"`. Catch
# `ddb.exceptions.TransactionCanceledException`.

# %% kind="solution" grade_id="dynamodb-append-turn"
def append_turn(ddb, table_name, session_id, user_id, ts, role, text, ttl_days):
    """Write one turn and bump the session header in a single transaction; False on a duplicate ts."""
    ### BEGIN SOLUTION
    expires_at = ts // 1000 + ttl_days * 86400
    try:
        ddb.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": table_name,
                        "Item": {
                            "session_id": {"S": session_id},
                            "ts": {"N": str(ts)},
                            "role": {"S": role},
                            "text": {"S": text},
                            "expires_at": {"N": str(expires_at)},
                        },
                        "ConditionExpression": "attribute_not_exists(session_id)",
                    }
                },
                {
                    "Update": {
                        "TableName": table_name,
                        "Key": {"session_id": {"S": session_id}, "ts": {"N": "0"}},
                        "UpdateExpression": "ADD turn_count :one SET user_id = :u, last_turn_at = :t, expires_at = :e",
                        "ExpressionAttributeValues": {
                            ":one": {"N": "1"},
                            ":u": {"S": user_id},
                            ":t": {"N": str(ts)},
                            ":e": {"N": str(expires_at)},
                        },
                    }
                },
            ]
        )
    except ddb.exceptions.TransactionCanceledException:
        return False
    return True
    ### END SOLUTION


# %% kind="tests" grade_id="dynamodb-append-turn-tests" points=4
"""Does append_turn write the turn and the header together, with TTL in seconds, and refuse duplicates?"""
import uuid

_ddb = aws.client("dynamodb")


def _history_table():
    name = f"turns-{uuid.uuid4().hex[:8]}"
    _ddb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": t} for n, t in
                              (("session_id", "S"), ("ts", "N"), ("user_id", "S"), ("last_turn_at", "N"))],
        KeySchema=[{"AttributeName": "session_id", "KeyType": "HASH"}, {"AttributeName": "ts", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[{"IndexName": "by-user", "Projection": {"ProjectionType": "ALL"},
                                 "KeySchema": [{"AttributeName": "user_id", "KeyType": "HASH"},
                                               {"AttributeName": "last_turn_at", "KeyType": "RANGE"}]}],
    )
    return name


def _item(table, session, ts):
    return _ddb.get_item(TableName=table, Key={"session_id": {"S": session}, "ts": {"N": str(ts)}}).get("Item", {})


_t = _history_table()
_t0 = 1_700_000_000_000
_ok1 = checks.call(append_turn, _ddb, _t, "s-1", "u-1", _t0, "user", "My router keeps rebooting.", 7)
_ok2 = checks.call(append_turn, _ddb, _t, "s-1", "u-1", _t0 + 1500, "assistant", "Let's check the firmware.", 7)
checks.expect(_ok1 is True and _ok2 is True, "append_turn should return True for new turns", expected=(True, True),
              found=(_ok1, _ok2))
_turn = _item(_t, "s-1", _t0)
checks.expect_equal(_turn.get("text", {}).get("S"), "My router keeps rebooting.", "the turn's text should be stored")
checks.expect_equal(_turn.get("role", {}).get("S"), "user", "the turn's role should be stored")
checks.expect_equal(_turn.get("expires_at", {}).get("N"), str(_t0 // 1000 + 7 * 86400),
                    "expires_at should be epoch SECONDS: ts // 1000 + ttl_days * 86400",
                    hint="TTL reads seconds; a millisecond value lies tens of thousands of years in the future")
_head = _item(_t, "s-1", 0)
checks.expect_equal(_head.get("turn_count", {}).get("N"), "2", "the header's turn_count should count the turns",
                    hint="ADD turn_count :one in the Update part of the transaction")
checks.expect_equal(_head.get("last_turn_at", {}).get("N"), str(_t0 + 1500), "last_turn_at should be the last ts")
checks.expect_equal(_head.get("user_id", {}).get("S"), "u-1", "the header should carry user_id")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_t2 = _history_table()
_user = f"user-{uuid.uuid4().hex[:6]}"
_s1, _s2 = f"sess-{uuid.uuid4().hex[:6]}", f"sess-{uuid.uuid4().hex[:6]}"
_base = 1_712_345_678_901
checks.call(append_turn, _ddb, _t2, _s1, _user, _base, "user", "first", 30)
checks.call(append_turn, _ddb, _t2, _s2, _user, _base + 60_000, "user", "other session", 30)
_dup = checks.call(append_turn, _ddb, _t2, _s1, _user, _base, "user", "RETRY THAT MUST NOT OVERWRITE", 30)
checks.expect(_dup is False, "a second turn with the same ts should return False", expected=False, found=_dup,
              hint="ConditionExpression attribute_not_exists(session_id) on the Put, and catch TransactionCanceledException")
checks.expect_equal(_item(_t2, _s1, _base).get("text", {}).get("S"), "first", "a duplicate must not overwrite the turn")
checks.expect_equal(_item(_t2, _s1, 0).get("turn_count", {}).get("N"), "1",
                    "a refused duplicate must not bump the counter (both writes in ONE transaction)")
_exp = str(_base // 1000 + 30 * 86400)
checks.expect_equal((_item(_t2, _s1, _base).get("expires_at", {}).get("N"), _item(_t2, _s1, 0).get("expires_at", {}).get("N")),
                    (_exp, _exp), "turn and header should both expire at ts // 1000 + ttl_days * 86400")
_sessions = _ddb.query(TableName=_t2, IndexName="by-user", KeyConditionExpression="user_id = :u",
                       ExpressionAttributeValues={":u": {"S": _user}}, ScanIndexForward=False)["Items"]
checks.expect_equal([i["session_id"]["S"] for i in _sessions], [_s2, _s1],
                    "the by-user index should list the user's sessions, newest first")
### END HIDDEN TESTS

# %% [markdown]
# ### Try it: expired items are still there until TTL deletes them
#
# TTL deletion is a background job (typically within a few days, and never in moto). A query that
# must not show expired turns filters on `expires_at`. Run the cell: the filter hides the turn
# whose `expires_at` lies in the past.

# %%
import time
import uuid

_demo_ddb = aws.client("dynamodb")
_demo = f"ttl-demo-{uuid.uuid4().hex[:6]}"
_demo_ddb.create_table(
    TableName=_demo, BillingMode="PAY_PER_REQUEST",
    AttributeDefinitions=[{"AttributeName": "session_id", "AttributeType": "S"},
                          {"AttributeName": "ts", "AttributeType": "N"}],
    KeySchema=[{"AttributeName": "session_id", "KeyType": "HASH"}, {"AttributeName": "ts", "KeyType": "RANGE"}],
)
_now = int(time.time())
for _ts, _expires, _text in ((1, _now - 3600, "expired an hour ago"), (2, _now + 86400, "still valid")):
    _demo_ddb.put_item(TableName=_demo, Item={"session_id": {"S": "demo"}, "ts": {"N": str(_ts)},
                                              "expires_at": {"N": str(_expires)}, "text": {"S": _text}})
_all = _demo_ddb.query(TableName=_demo, KeyConditionExpression="session_id = :s",
                       ExpressionAttributeValues={":s": {"S": "demo"}})["Items"]
_live = _demo_ddb.query(TableName=_demo, KeyConditionExpression="session_id = :s",
                        FilterExpression="expires_at > :now",
                        ExpressionAttributeValues={":s": {"S": "demo"}, ":now": {"N": str(_now)}})["Items"]
print("without a filter:", [i["text"]["S"] for i in _all])
print("with the filter: ", [i["text"]["S"] for i in _live])

# %% [markdown]
# ## DynamoDB Streams: react to every change <a id="dynamodb-streams"></a>
#
# **What it is.** An ordered log of item-level changes to one table, kept for **24 hours**. Each
# record says `INSERT`, `MODIFY` or `REMOVE` and carries, depending on the *view type* you pick:
#
# | View type | Record contains | Use it for |
# |---|---|---|
# | `KEYS_ONLY` | the key | "something changed, go and read it" |
# | `NEW_IMAGE` | the item after the change | re-embedding or re-indexing the new version |
# | `OLD_IMAGE` | the item before the change | archiving what was deleted |
# | `NEW_AND_OLD_IMAGES` | both | audit logs and diffs ("who changed which field") |
#
# Records for one item appear in the order of the changes, each exactly once in the stream. A
# write that changes nothing produces no record. Items removed by **TTL** appear as `REMOVE` with
# `userIdentity` principal `dynamodb.amazonaws.com`, which lets a consumer archive expired chats to
# S3 while ignoring user deletions.
#
# **Consumers.** Usually a **Lambda event source mapping**: batches of 1 to 10,000 records,
# optional filter criteria, a parallelization factor, bisect-on-error and an on-failure
# destination. Lambda retries failed batches, so consumers must be **idempotent**. Readers can also
# call the `dynamodbstreams` API (`DescribeStream` → `GetShardIterator` → `GetRecords`) as
# Exercise 4 does. For longer retention or more consumers, stream changes into **Kinesis Data
# Streams** instead.
#
# **GenAI angle.** Keep a vector index in step with a product or FAQ table (stream → Lambda →
# Titan embeddings → upsert); record who edited a prompt template; trigger summarisation when a
# ticket closes. For search and vectors over a whole table, the managed **DynamoDB zero-ETL
# integration with OpenSearch Service** avoids writing that Lambda.
#
# *Note:* the notes give a Lambda batch size of 1–1000 records; for DynamoDB streams the maximum
# is 10,000.
#
# **Exam tip:** "before and after values" → `NEW_AND_OLD_IMAGES`. "React to changes in near real
# time without polling the table" → Streams + Lambda. "Duplicate processing" → idempotent
# consumer.

# %%
quiz.show("databases", "dynamodb-streams")

# %% [markdown]
# ### Exercise 4 — an audit log of prompt-template changes (3 points)
#
# Prompt templates live in a DynamoDB table with a `NEW_AND_OLD_IMAGES` stream. Compliance wants
# to know, for every change, which attributes changed. Write `audit_log(streams, stream_arn)` that
# reads **every record** of the stream from the beginning and returns one dict per record, in
# stream order:
#
# ```python
# {"event": "MODIFY", "keys": {"template_id": "summarise"}, "changed": ["body", "version"]}
# ```
#
# - `event` is the record's `eventName`;
# - `keys` is the record's `Keys` converted to plain Python (use
#   `boto3.dynamodb.types.TypeDeserializer`; numbers become `Decimal`, which compares equal to int);
# - `changed` is the **sorted** list of attribute names whose value differs between `OldImage`
#   and `NewImage` (an attribute present on one side only counts as changed). For an `INSERT`
#   that is every attribute of the new image; for a `REMOVE` every attribute of the old image.
#
# A stream can have several shards (a shard splits as the table grows): read every shard, in the
# order `describe_stream` lists them.
#
# Hints: `streams.describe_stream(StreamArn=...)["StreamDescription"]["Shards"]`; for each shard
# `streams.get_shard_iterator(..., ShardIteratorType="TRIM_HORIZON")`, then call
# `streams.get_records(ShardIterator=...)` and follow `NextShardIterator` until a call returns no
# records.

# %%
from boto3.dynamodb.types import TypeDeserializer  # used by your solution below

# %% kind="solution" grade_id="streams-audit-log"
def audit_log(streams, stream_arn):
    """Read the whole stream; return [{'event', 'keys', 'changed'}] in stream order."""
    ### BEGIN SOLUTION
    deserializer = TypeDeserializer()
    entries = []
    shards = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]
    for shard in shards:
        iterator = streams.get_shard_iterator(
            StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        while iterator:
            page = streams.get_records(ShardIterator=iterator)
            if not page["Records"]:
                break
            for record in page["Records"]:
                change = record["dynamodb"]
                old, new = change.get("OldImage", {}), change.get("NewImage", {})
                changed = sorted(name for name in set(old) | set(new) if old.get(name) != new.get(name))
                entries.append(
                    {
                        "event": record["eventName"],
                        "keys": {k: deserializer.deserialize(v) for k, v in change["Keys"].items()},
                        "changed": changed,
                    }
                )
            iterator = page.get("NextShardIterator")
    return entries
    ### END SOLUTION


# %% kind="tests" grade_id="streams-audit-log-tests" points=3
"""Does audit_log report every stream record, in order, with its keys and the attributes that changed?"""
import uuid

_ddb, _streams = aws.client("dynamodb"), aws.client("dynamodbstreams")


def _table_with_stream(keys):
    name = f"prompts-{uuid.uuid4().hex[:8]}"
    _ddb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": t} for n, t, _ in keys],
        KeySchema=[{"AttributeName": n, "KeyType": k} for n, _, k in keys],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    return name, _ddb.describe_table(TableName=name)["Table"]["LatestStreamArn"]


_tbl, _sarn = _table_with_stream([("template_id", "S", "HASH")])
_ddb.put_item(TableName=_tbl, Item={"template_id": {"S": "summarise"}, "body": {"S": "Summarise {doc}"},
                                    "version": {"N": "1"}})
_ddb.put_item(TableName=_tbl, Item={"template_id": {"S": "summarise"}, "body": {"S": "Summarise {doc} in 3 bullets"},
                                    "version": {"N": "2"}})
_ddb.put_item(TableName=_tbl, Item={"template_id": {"S": "translate"}, "body": {"S": "Translate {text}"},
                                    "version": {"N": "1"}})
_ddb.update_item(TableName=_tbl, Key={"template_id": {"S": "translate"}}, UpdateExpression="SET approved_by = :a",
                 ExpressionAttributeValues={":a": {"S": "maria"}})
_ddb.delete_item(TableName=_tbl, Key={"template_id": {"S": "summarise"}})
from course import paging


def _audit(arn):
    with paging.small_pages(2):  # a stream read returns a few records at a time: follow NextShardIterator
        return checks.call(audit_log, _streams, arn)


_log = _audit(_sarn)
checks.expect_type(_log, list, "audit_log should return a list")
checks.expect(all(isinstance(e, dict) for e in _log), "each entry of the audit log should be a dict", found=_log[:2])
checks.expect_equal([e.get("event") for e in _log], ["INSERT", "MODIFY", "INSERT", "MODIFY", "REMOVE"],
                    "one entry per stream record, in order",
                    hint="start at TRIM_HORIZON (LATEST skips everything already in the stream)")
checks.expect_equal([e.get("keys") for e in _log],
                    [{"template_id": "summarise"}, {"template_id": "summarise"}, {"template_id": "translate"},
                     {"template_id": "translate"}, {"template_id": "summarise"}], "keys as plain Python")
checks.expect_equal(_log[1].get("changed"), ["body", "version"], "a MODIFY lists the attributes whose value changed")
checks.expect_equal(_log[3].get("changed"), ["approved_by"], "an attribute added by an update counts as changed")
checks.expect_equal(_log[4].get("changed"), ["body", "template_id", "version"],
                    "a REMOVE lists every attribute of the old image")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_tbl2, _sarn2 = _table_with_stream([("doc_id", "S", "HASH"), ("chunk", "N", "RANGE")])
_doc = f"doc-{uuid.uuid4().hex[:6]}"
_ddb.put_item(TableName=_tbl2, Item={"doc_id": {"S": _doc}, "chunk": {"N": "3"}, "text": {"S": "alpha"},
                                     "embedded": {"BOOL": False}, "owner": {"S": "ops"}})
_ddb.update_item(TableName=_tbl2, Key={"doc_id": {"S": _doc}, "chunk": {"N": "3"}},
                 UpdateExpression="SET embedded = :t REMOVE #o", ExpressionAttributeNames={"#o": "owner"},
                 ExpressionAttributeValues={":t": {"BOOL": True}})
_ddb.put_item(TableName=_tbl2, Item={"doc_id": {"S": _doc}, "chunk": {"N": "4"}, "text": {"S": "beta"}})
_ddb.delete_item(TableName=_tbl2, Key={"doc_id": {"S": _doc}, "chunk": {"N": "4"}})
_log2 = _audit(_sarn2)
checks.expect_equal(
    [(e.get("event"), e.get("keys"), e.get("changed")) for e in _log2],
    [("INSERT", {"doc_id": _doc, "chunk": 3}, ["chunk", "doc_id", "embedded", "owner", "text"]),
     ("MODIFY", {"doc_id": _doc, "chunk": 3}, ["embedded", "owner"]),
     ("INSERT", {"doc_id": _doc, "chunk": 4}, ["chunk", "doc_id", "text"]),
     ("REMOVE", {"doc_id": _doc, "chunk": 4}, ["chunk", "doc_id", "text"])],
    "the audit log of a second table (composite numeric key, removed attribute)",
)

# A stream with two shards: the parent shard's records, then its child's. moto gives a stream one
# shard, so the child shard here is another table's stream, listed under the first stream's ARN.
_tbl3, _sarn3 = _table_with_stream([("template_id", "S", "HASH")])
_tbl4, _sarn4 = _table_with_stream([("template_id", "S", "HASH")])
_ddb.put_item(TableName=_tbl3, Item={"template_id": {"S": "classify"}, "body": {"S": "Classify {ticket}"}})
_ddb.put_item(TableName=_tbl4, Item={"template_id": {"S": "extract"}, "body": {"S": "Extract {fields}"}})
_ddb.delete_item(TableName=_tbl4, Key={"template_id": {"S": "extract"}})
_real_shard = _streams.describe_stream(StreamArn=_sarn4)["StreamDescription"]["Shards"][0]
_child = f"shardId-{uuid.uuid4().int % 10**20:020d}-{uuid.uuid4().hex[:8]}"


def _list_child_shard(parsed, **kwargs):
    desc = (parsed or {}).get("StreamDescription") or {}
    if desc.get("StreamArn") == _sarn3 and desc.get("Shards"):
        desc["Shards"] = desc["Shards"] + [{**_real_shard, "ShardId": _child, "ParentShardId": desc["Shards"][0]["ShardId"]}]


def _read_child_shard(params, **kwargs):
    if params.get("ShardId") == _child:
        params.update(StreamArn=_sarn4, ShardId=_real_shard["ShardId"])


_hooks = [("after-call.dynamodbstreams.DescribeStream", _list_child_shard, "aip-child-shard-list"),
          ("before-parameter-build.dynamodbstreams.GetShardIterator", _read_child_shard, "aip-child-shard-read")]
for _event, _fn, _uid in _hooks:
    _streams.meta.events.register(_event, _fn, unique_id=_uid)
try:
    _log3 = _audit(_sarn3)
finally:
    for _event, _fn, _uid in _hooks:
        _streams.meta.events.unregister(_event, _fn, unique_id=_uid)
checks.expect_equal(
    [(e.get("event"), e.get("keys")) if isinstance(e, dict) else e for e in _log3] if isinstance(_log3, list) else _log3,
    [("INSERT", {"template_id": "classify"}), ("INSERT", {"template_id": "extract"}),
     ("REMOVE", {"template_id": "extract"})],
    "the records of every shard of a stream with two shards (parent, then child)",
    hint="loop over every shard that describe_stream lists, not only the first",
)
### END HIDDEN TESTS

# %% [markdown]
# ## Amazon DocumentDB: managed MongoDB-compatible documents <a id="documentdb"></a>
#
# **What it is.** A JSON document database that speaks the **MongoDB API**, so existing MongoDB
# drivers, tools and most queries work. Two flavours:
#
# - **Instance-based clusters**: Aurora-like design with storage separated from compute, six
#   copies across three AZs, storage growing automatically up to 128 TiB, up to 15 read replicas,
#   point-in-time restore, **global clusters** for cross-Region reads and disaster recovery.
# - **Elastic clusters**: sharded, for very high write throughput and storage beyond a single
#   cluster volume.
#
# **Key features.** Flexible schema with nested documents and arrays, secondary and compound
# indexes, aggregation pipelines, **change streams** (the document equivalent of DynamoDB Streams),
# encryption at rest with KMS, VPC-only access.
#
# **GenAI angle.** **Vector search** on DocumentDB 5.0 (and later) instance-based clusters: a
# `vector` index (HNSW, or IVFFlat which needs data to build) with euclidean, cosine or dot-product
# similarity, queried with `$search` / `vectorSearch` in an aggregation. That suits teams whose
# product catalogue, user profiles or chat transcripts are already documents in MongoDB form and
# who want semantic search without moving them. DocumentDB is **not** one of the vector stores a
# Bedrock Knowledge Base can use directly (MongoDB Atlas is); with DocumentDB you run retrieval in
# your own code.
#
# *Note:* the notes list MongoDB 3.6, 4.0 and 5.0 compatibility; DocumentDB 8.0 has been added
# since, and vector search needs 5.0 or later.
#
# **Exam tip:** "existing MongoDB application", "JSON documents with nested fields", "migrate with
# minimal code change" → DocumentDB. "Add semantic search to those documents" → DocumentDB vector
# index (HNSW).

# %%
quiz.show("databases", "documentdb")

# %% [markdown]
# ## Amazon Neptune: graphs and GraphRAG <a id="neptune"></a>
#
# **What it is.** A managed graph database service with two engines:
#
# | | Neptune Database | Neptune Analytics |
# |---|---|---|
# | Purpose | transactional graph workloads (OLTP) | in-memory analytics over a whole graph |
# | Models and languages | property graph with **Gremlin** or **openCypher**; RDF with **SPARQL** | property graph with openCypher |
# | Capacity | provisioned instances or **Neptune Serverless**; up to 15 read replicas | memory-optimised graphs sized in m-NCUs |
# | Extras | Neptune ML (graph neural networks trained with SageMaker) | built-in algorithms (PageRank, communities, shortest path) and **vector similarity search** |
#
# **GraphRAG.** Plain vector retrieval finds chunks that *look like* the question; it misses facts
# spread over several documents ("which suppliers of our failing component also supply our
# competitor?"). A graph links entities across documents so retrieval can follow relationships
# (multi-hop). **Bedrock Knowledge Bases** offer this managed: choose **Neptune Analytics** as the
# store (storage type `NEPTUNE_ANALYTICS`), and during ingestion Bedrock extracts entities and
# relations from your S3 documents, builds a lexical graph with embeddings in Neptune Analytics, and
# at query time combines similarity search with graph traversal. You can also bring your own
# knowledge graph and query it, for example with the open-source GraphRAG toolkit.
#
# *Note:* the notes call Neptune Database "serverless"; serverless is one capacity option, and
# provisioned instances remain the default. They also omit openCypher, now a main query language.
#
# **Exam tip:** "relationships", "multi-hop", "knowledge graph", "GraphRAG", "explainable
# connections between entities" → Neptune; for a managed GraphRAG knowledge base → Neptune
# Analytics. "Fraud rings, recommendations over social links" → Neptune Database.

# %%
quiz.show("databases", "neptune")

# %% [markdown]
# ## ElastiCache, MemoryDB and DAX: in-memory speed <a id="elasticache"></a>
#
# **ElastiCache** is a managed in-memory store with three engines: **Valkey** (the open-source fork
# of Redis, priced below Redis OSS on ElastiCache), **Redis OSS**, and **Memcached**. Deploy it as
# *serverless* (no nodes to size, billed per GB stored and per ElastiCache Processing Unit) or as
# *node-based clusters* you size.
#
# | | Valkey / Redis OSS | Memcached |
# |---|---|---|
# | Data types | strings, hashes, lists, sets, sorted sets, streams, JSON | strings only |
# | Availability | replicas, Multi-AZ automatic failover, Global Datastore across Regions | none (nodes are independent) |
# | Persistence | snapshots (RDB backups) | none |
# | Scaling | cluster mode: shards | add nodes; multi-threaded |
#
# **Caching patterns.** *Cache-aside* (lazy loading): read the cache; on a miss compute or fetch,
# then store with a **TTL**. *Write-through*: update the cache whenever the database is written.
# TTL trades freshness against hit ratio; watch `CacheHitRate`, `Evictions` and CPU in CloudWatch.
#
# **GenAI angle.** Cache model answers to repeated prompts (exact match on a normalised prompt
# hash), retrieved context for popular queries, prompt templates and session state. **Semantic
# caching** goes further: embed the prompt and reuse an answer whose prompt is *similar enough*;
# ElastiCache for **Valkey 8.2** node-based clusters add **vector search** for this (and for RAG and
# agent memory). Never cache answers that were truncated, blocked by a guardrail, or personalised
# for another user.
#
# **Neighbours.** **MemoryDB** is Valkey/Redis-compatible but *durable* (a Multi-AZ transaction
# log), so it can be the primary database, and it also offers vector search. **DAX** is a
# write-through cache in front of DynamoDB with microsecond reads and the DynamoDB API.
#
# *Note:* the notes write "RDS snapshots" for Redis persistence; they mean **RDB** snapshots (the
# Redis file format), which ElastiCache calls backups.
#
# **Exam tip:** "sub-millisecond", "reduce repeated calls to the model", "session store shared by
# instances" → ElastiCache. "In-memory *and* durable, system of record" → MemoryDB. "Microsecond
# reads on an existing DynamoDB table without code changes to queries" → DAX.

# %%
quiz.show("databases", "elasticache")

# %% [markdown]
# ### Try it: a Valkey replication group for a semantic cache
#
# The configuration an exam answer expects for a production cache: Valkey 8.2 (vector search),
# one replica in another AZ with automatic failover, encryption in transit and at rest. moto stores
# the configuration (it runs no cache engine).

# %%
import uuid

_ec = aws.client("elasticache")
_rg_id = f"sem-cache-{uuid.uuid4().hex[:6]}"
_rg = _ec.create_replication_group(
    ReplicationGroupId=_rg_id, ReplicationGroupDescription="semantic cache for the support bot",
    Engine="valkey", EngineVersion="8.2", CacheNodeType="cache.r7g.large",
    NumNodeGroups=1, ReplicasPerNodeGroup=1, AutomaticFailoverEnabled=True, MultiAZEnabled=True,
    TransitEncryptionEnabled=True, AtRestEncryptionEnabled=True,
)["ReplicationGroup"]
print({k: _rg.get(k) for k in ("Engine", "AutomaticFailover", "MultiAZ", "TransitEncryptionEnabled",
                                "AtRestEncryptionEnabled")})

# %% [markdown]
# ### Exercise 5 — cache-aside for model answers (3 points)
#
# An FAQ assistant receives the same questions again and again. Put a cache in front of Bedrock.
# In production the cache would be ElastiCache; here it is a plain `dict` so the test can inspect
# it, and the clock is a parameter (`now`, in seconds) so expiry can be tested without waiting.
#
# Write `cached_answer(bedrock, cache, model_id, prompt, ttl_seconds, now, max_tokens=300)` that
# returns `(text, hit)`:
#
# 1. key: `"llm:" + sha256(f"{model_id}|{normalised}")` as a hex digest, where `normalised` is the
#    prompt lower-cased with runs of whitespace collapsed to one space and no leading/trailing
#    space (`" ".join(prompt.lower().split())`);
# 2. if `cache[key]` exists and `now < cache[key]["expires_at"]`, return `(cache[key]["text"], True)`
#    without calling the model;
# 3. otherwise call `bedrock.converse(modelId=model_id, messages=[{"role": "user", "content":
#    [{"text": prompt}]}], inferenceConfig={"maxTokens": max_tokens})` and take the text of the
#    first content block;
# 4. store `{"text": text, "expires_at": now + ttl_seconds}` under the key **only if the answer is
#    complete** (`stopReason == "end_turn"`): a truncated answer (`"max_tokens"`) must not be served
#    to the next user; return `(text, False)`.

# %%
import hashlib  # used by your solution below

HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"

# %% kind="solution" grade_id="cache-aside"
def cached_answer(bedrock, cache, model_id, prompt, ttl_seconds, now, max_tokens=300):
    """Cache-aside around Bedrock Converse; return (text, hit)."""
    ### BEGIN SOLUTION
    normalised = " ".join(prompt.lower().split())
    key = "llm:" + hashlib.sha256(f"{model_id}|{normalised}".encode()).hexdigest()
    entry = cache.get(key)
    if entry is not None and now < entry["expires_at"]:
        return entry["text"], True
    response = bedrock.converse(
        modelId=model_id,
        messages=[{"role": "user", "content": [{"text": prompt}]}],
        inferenceConfig={"maxTokens": max_tokens},
    )
    text = response["output"]["message"]["content"][0]["text"]
    if response.get("stopReason") == "end_turn":
        cache[key] = {"text": text, "expires_at": now + ttl_seconds}
    return text, False
    ### END SOLUTION


# %% kind="tests" grade_id="cache-aside-tests" points=3
"""Does cached_answer serve repeats from the cache until the TTL ends, and never cache truncated answers?"""
import hashlib
import uuid


def _counting_bedrock():
    client = aws.client("bedrock-runtime")
    calls = []
    client.meta.events.register("before-call.bedrock-runtime.Converse", lambda **kw: calls.append(1))
    return client, calls


def _answer(*args, **kwargs):
    """cached_answer's (text, hit) pair, checked before it is unpacked."""
    out = checks.call(cached_answer, *args, **kwargs)
    checks.expect(isinstance(out, tuple) and len(out) == 2, "cached_answer should return a (text, hit) tuple",
                  expected="(text, hit)", found=out)
    checks.expect_type(out[1], bool, "hit should be True or False")
    return out


_br, _calls = _counting_bedrock()
_cache = {}
_q = "How long do you keep my chat history?"
_a1, _h1 = _answer(_br, _cache, HAIKU, _q, 3600, 1000.0)
_a2, _h2 = _answer(_br, _cache, HAIKU, _q, 3600, 1500.0)
checks.expect_equal((_h1, _h2), (False, True), "the first call misses, the repeat within the TTL hits")
checks.expect_equal(_a2, _a1, "a hit returns the cached answer")
checks.expect_equal(len(_calls), 1, "a hit must not call the model", hint="return before bedrock.converse on a hit")
_a3, _h3 = _answer(_br, _cache, HAIKU, _q, 3600, 4600.0)
checks.expect(_h3 is False and len(_calls) == 2, "at now == expires_at the entry has expired: call the model again",
              expected="a miss and a second model call", found=f"hit={_h3}, model calls={len(_calls)}")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_br2, _calls2 = _counting_bedrock()
_cache2 = {}
_q2 = f"Which plan includes roaming {uuid.uuid4().hex[:5]}?"
_answer(_br2, _cache2, HAIKU, _q2, 600, 0.0)
_key = "llm:" + hashlib.sha256(f"{HAIKU}|{' '.join(_q2.lower().split())}".encode()).hexdigest()
checks.expect_in(_key, _cache2, "the cache key should be llm: + sha256(model_id|normalised prompt)")
checks.expect_equal(_cache2[_key].get("expires_at"), 600.0, "expires_at should be now + ttl_seconds")
_, _hv = _answer(_br2, _cache2, HAIKU, "  " + _q2.upper().replace(" ", "   ") + " ", 600, 10.0)
checks.expect(_hv is True, "case and extra whitespace should not defeat the cache", expected=True, found=_hv)
_, _hm = _answer(_br2, _cache2, "amazon.nova-micro-v1:0", _q2, 600, 10.0)
checks.expect(_hm is False, "another model's answer is a different cache entry", expected=False, found=_hm)
_n = len(_calls2)
_long_q = "Explain in detail how roaming charges are calculated for prepaid plans abroad."
_t1, _x1 = _answer(_br2, _cache2, HAIKU, _long_q, 600, 20.0, max_tokens=3)
_t2, _x2 = _answer(_br2, _cache2, HAIKU, _long_q, 600, 21.0, max_tokens=3)
checks.expect(_x1 is False and _x2 is False and len(_calls2) == _n + 2,
              "a truncated answer (stopReason max_tokens) must not be cached",
              expected="two misses and two model calls", found=f"hits={(_x1, _x2)}, calls={len(_calls2) - _n}",
              hint="store the entry only when response['stopReason'] == 'end_turn'")
### END HIDDEN TESTS

# %% [markdown]
# ### Figure: what the TTL buys
#
# The chart below replays one simulated week of an FAQ assistant (120,000 questions drawn from
# 4,000 distinct ones, a few very popular) through the cache-aside logic of Exercise 5 with
# different TTLs, and prices the model calls that remain with the Bedrock simulator's list price
# for Claude 3 Haiku (600 input and 250 output tokens per answer).

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from course.bedrock_sim import estimate_cost

_rng = np.random.default_rng(7)
_n_req, _n_q = 120_000, 4_000
_p = 1.0 / np.arange(1, _n_q + 1) ** 1.1
_questions = _rng.choice(_n_q, size=_n_req, p=_p / _p.sum()).tolist()
_times = np.sort(_rng.uniform(0, 7 * 86400, size=_n_req)).tolist()


def _replay(ttl):
    """Hit ratio of cache-aside with a fixed TTL counted from the write (no refresh on read)."""
    expires, hits = {}, 0
    for q, t in zip(_questions, _times):
        if expires.get(q, -1.0) > t:
            hits += 1
        else:
            expires[q] = t + ttl
    return hits / _n_req


_ttls = {"1 min": 60, "5 min": 300, "15 min": 900, "1 h": 3600, "6 h": 6 * 3600, "1 day": 86400, "7 days": 7 * 86400}
_per_call = estimate_cost(HAIKU, 600, 250)
_rows = []
for _label, _ttl in _ttls.items():
    _hit = _replay(_ttl)
    _rows.append({"TTL": _label, "seconds": _ttl, "hit ratio": _hit,
                  "model calls": round(_n_req * (1 - _hit)), "model cost per week ($)": _n_req * (1 - _hit) * _per_call})
_table = pd.DataFrame(_rows)
_no_cache = _n_req * _per_call

fig, (ax_hit, ax_cost) = plt.subplots(1, 2, figsize=(11, 4))
ax_hit.plot(_table["seconds"], _table["hit ratio"] * 100, marker="o")
ax_hit.set_xscale("log")
ax_hit.set_xticks(_table["seconds"], _table["TTL"])
ax_hit.set_xlabel("cache TTL")
ax_hit.set_ylabel("requests served from cache (%)")
ax_hit.set_title("Hit ratio grows with TTL, then flattens")
ax_cost.bar(_table["TTL"], _table["model cost per week ($)"], color="#4c72b0")
ax_cost.axhline(_no_cache, color="#c44e52", linestyle="--", label=f"no cache (${_no_cache:,.2f})")
ax_cost.set_xlabel("cache TTL")
ax_cost.set_ylabel("Bedrock cost per week (USD)")
ax_cost.set_title("Model spend left after caching")
ax_cost.legend()
fig.tight_layout()
plt.show()
_table.round(3)

# %% [markdown]
# **Reading the chart.** Popular questions repeat within minutes, so even a short TTL removes a
# large share of the model calls; each longer TTL adds less than the one before, because the
# remaining misses are rare questions that seldom come back inside any window. A long TTL costs
# little on the bill but serves old answers after the documents behind them change: pick the
# longest TTL your content's freshness allows, and invalidate entries when a source document is
# re-ingested.

# %% [markdown]
# ## Amazon Cloud Directory (closed to new customers) <a id="cloud-directory"></a>
#
# **What it was for.** A managed directory store for application objects (users, devices, groups,
# policies) organised in **several hierarchies at once** according to a schema, scaling to
# hundreds of millions of objects: for example devices by owner, by location and by manufacturer.
#
# **Status.** AWS stopped accepting new customers for Cloud Directory on November 7, 2025, and
# support ends on July 24, 2027. AWS points to **Amazon Neptune** (relationships and multiple
# hierarchies as a graph) and **Amazon DynamoDB** (hierarchies through composite sort keys such as
# `region#site#device`) as alternatives.
#
# *Note:* the notes still present Cloud Directory as a current option; do not choose it for a new
# design.
#
# **Exam tip:** if an answer proposes Cloud Directory for a new application, prefer Neptune for
# rich relationships or DynamoDB for simple hierarchies looked up by key. For people who sign in,
# the answer is IAM Identity Center or Cognito, not a database.

# %% [markdown]
# ### Exercise 6 — choose the database (2 points)
#
# An architecture review board wants a first answer for each new GenAI component. Write
# `choose_database(needs)` where `needs` is a dict with these keys (any may be missing; defaults
# in brackets):
#
# - `data_shape`: `"key-value"`, `"document"`, `"relational"` or `"graph"` [`"key-value"`]
# - `latency`: `"milliseconds"` or `"microseconds"` [`"milliseconds"`]
# - `durable`: the store is the only copy of the data (system of record) [`False`]
# - `existing_api`: `None`, `"postgresql"` or `"mongodb"` (what existing code speaks) [`None`]
# - `vector_search`: similarity search over embeddings is needed [`False`]
#
# Apply the rules **in this order** and return the first match:
#
# 1. graph data → `"neptune"` (Neptune Analytics also does the vector part of GraphRAG);
# 2. microsecond latency → `"memorydb"` if `durable`, else `"elasticache"`;
# 3. relational data, or existing PostgreSQL code → `"aurora-postgresql"` (pgvector covers vectors);
# 4. existing MongoDB code → `"documentdb"` (vector search on 5.0+);
# 5. vector search still needed → `"opensearch-serverless"` (DynamoDB has no vector search);
# 6. otherwise → `"dynamodb"` (key-value and plain JSON documents at any scale).

# %% kind="solution" grade_id="choose-database"
def choose_database(needs):
    """Return the AWS database for a component's needs, applying the six rules in order."""
    ### BEGIN SOLUTION
    shape = needs.get("data_shape", "key-value")
    if shape == "graph":
        return "neptune"
    if needs.get("latency", "milliseconds") == "microseconds":
        return "memorydb" if needs.get("durable", False) else "elasticache"
    api = needs.get("existing_api")
    if shape == "relational" or api == "postgresql":
        return "aurora-postgresql"
    if api == "mongodb":
        return "documentdb"
    if needs.get("vector_search", False):
        return "opensearch-serverless"
    return "dynamodb"
    ### END SOLUTION


# %% kind="tests" grade_id="choose-database-tests" points=2
"""Does choose_database apply the six rules, in order, to every scenario?"""
_visible = [
    ({"data_shape": "graph", "vector_search": True}, "neptune"),
    ({"latency": "microseconds"}, "elasticache"),
    ({"data_shape": "relational", "vector_search": True}, "aurora-postgresql"),
    ({"data_shape": "document", "existing_api": "mongodb"}, "documentdb"),
    ({}, "dynamodb"),
]
for _needs, _want in _visible:
    _got = checks.call(choose_database, dict(_needs))
    checks.expect_equal(_got, _want, f"choose_database({_needs})")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_hidden = [
    ({"data_shape": "graph", "latency": "microseconds", "durable": True}, "neptune"),
    ({"latency": "microseconds", "durable": True}, "memorydb"),
    ({"latency": "microseconds", "data_shape": "relational"}, "elasticache"),
    ({"latency": "microseconds", "vector_search": True, "durable": True, "existing_api": "mongodb"}, "memorydb"),
    ({"existing_api": "postgresql"}, "aurora-postgresql"),
    ({"data_shape": "document", "existing_api": "postgresql"}, "aurora-postgresql"),
    ({"data_shape": "relational", "existing_api": "mongodb"}, "aurora-postgresql"),
    ({"existing_api": "mongodb", "vector_search": True}, "documentdb"),
    ({"data_shape": "document"}, "dynamodb"),
    ({"data_shape": "document", "vector_search": True}, "opensearch-serverless"),
    ({"vector_search": True}, "opensearch-serverless"),
    ({"data_shape": "key-value", "durable": True}, "dynamodb"),
    ({"data_shape": "key-value", "latency": "milliseconds", "existing_api": None}, "dynamodb"),
]
_got = [checks.call(choose_database, dict(n)) for n, _ in _hidden]
_wrong = [(n, w, g) for (n, w), g in zip(_hidden, _got) if g != w]
checks.expect(not _wrong, "every scenario should follow the rules in order",
              expected="no mismatches", found=[f"{n} -> {g} (want {w})" for n, w, g in _wrong[:3]],
              hint="check the order of the rules and the defaults of missing keys")
### END HIDDEN TESTS

# %% [markdown]
# ## Graded quiz <a id="graded-quiz"></a>
#
# Six questions across the whole notebook. Pick your answers in the widget below; they are saved
# automatically beside this notebook and graded when you submit. Leave the cells under the widget
# as they are.

# %%
quiz.graded("databases")

# %% kind="quiz" question="db-g1" points=1

# %% kind="quiz" question="db-g2" points=1

# %% kind="quiz" question="db-g3" points=1

# %% kind="quiz" question="db-g4" points=1

# %% kind="quiz" question="db-g5" points=1

# %% kind="quiz" question="db-g6" points=1

# %% [markdown]
# ## Summary / what to review <a id="summary"></a>
#
# **Relational.** Aurora separates compute from a six-copy, three-AZ volume; 15 replicas behind a
# reader endpoint; Global Database for Regions. Aurora PostgreSQL + pgvector keeps embeddings next
# to relational data and can back a Bedrock Knowledge Base (Data API + Secrets Manager secret).
# Serverless v2 (`db.serverless`, 0/0.5–256 ACU, auto-pause) replaced the retired v1 (Exercise 1).
# RDS covers the other engines; RDS Proxy for Lambda connections; Multi-AZ for failover, read
# replicas for reads.
#
# **Key-value and streams.** DynamoDB for chat history and agent state: partition + sort key,
# on-demand for unknown traffic, sparse GSIs, conditional writes and transactions (Exercises 2–3),
# TTL in epoch seconds with reads that filter expired items, PITR, global tables, DAX. Streams
# deliver ordered INSERT/MODIFY/REMOVE records for 24 hours; `NEW_AND_OLD_IMAGES` for audits
# (Exercise 4); idempotent Lambda consumers; zero-ETL to OpenSearch for search and vectors.
#
# **Documents, graphs, memory.** DocumentDB for MongoDB-compatible documents, with vector search
# on 5.0+ instance-based clusters. Neptune for relationships: Neptune Analytics is the managed
# GraphRAG store of Bedrock Knowledge Bases. ElastiCache (Valkey) for cache-aside with TTLs,
# sessions and semantic caching (Exercise 5 and the TTL chart); MemoryDB when in-memory data must
# be durable; never cache truncated or blocked answers. Cloud Directory is closed to new
# customers. Choose by data shape, latency, durability, existing API and vector needs
# (Exercise 6).
#
# **Review checklist (the notes' exam focus areas):** pick the store for feature/session data
# (DynamoDB), GraphRAG (Neptune), flexible metadata (DocumentDB), caching (ElastiCache) and
# in-database ML (Aurora); wire real-time updates with Streams and Lambda; know where vector search
# lives (pgvector, DocumentDB, MemoryDB/ElastiCache Valkey, Neptune Analytics, OpenSearch via
# zero-ETL); isolate heavy reads on replicas; encrypt with KMS, reach databases through VPC
# endpoints or private subnets, and audit with CloudTrail and database logs.
