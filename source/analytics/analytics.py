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
# # Analytics services for GenAI workloads
#
# **Who this is for:** developers preparing for the AWS Certified Generative AI Developer –
# Professional exam (AIP-C01) who know Python and the AWS console, and want to know where the
# analytics services fit around a generative AI application: moving prompts and responses as
# streams, landing them in a data lake, cataloguing and querying them, preparing training and
# retrieval data at scale, storing and searching embeddings, and showing the results to people.
#
# **What you will do here:**
#
# - read 15 short service sections, each ending with an *Exam tip* and a few self-check questions;
# - complete **6 graded exercises** with boto3 against a simulated AWS account (Glue, Athena,
#   Kinesis Data Streams, Amazon Data Firehose with S3, OpenSearch Serverless with KMS, and the
#   course's offline Bedrock embeddings with pandas);
# - read one chart of Athena query cost with and without partitions and columnar files;
# - answer the **graded quiz** at the end.
#
# **Exam tasks trained:** mostly 1.3 (data validation and processing pipelines for FM
# consumption), 1.4 (vector store solutions) and 1.5 (retrieval mechanisms), plus 4.1 (cost
# optimisation), 4.3 (monitoring), 5.1 (evaluation) and 3.2 (data security).
#
# **How to work:** run the cells from top to bottom (every cell is safe to run again). In an
# exercise, replace `raise NotImplementedError()` with your code, run that cell, then run the
# test cell under it: its message tells you what is missing. Graded quiz answers are saved
# automatically next to this notebook as soon as you pick them.
#
# Everything runs offline. The first code cell starts a fake AWS account (the
# [moto](https://github.com/getmoto/moto) simulator plus the course's Bedrock simulator) with
# fake credentials and blocks the network, so nothing you do can touch a real account or cost
# money. Where the simulator differs from AWS in a way that matters, the text says so.

# %% kind="setup"
from course import sandbox, checks, quiz

aws = sandbox.start()  # fake credentials, moto, network blocked; safe to re-run

# %% [markdown]
# The imports the exercises use, and a first call to each simulated service (the first call of
# a service in a kernel is slower; doing it here keeps the test cells quick).

# %%
import gzip
import json
import re
import uuid

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

for _service in ("glue", "athena", "kinesis", "firehose", "opensearchserverless", "s3", "kms"):
    aws.client(_service)
aws.client("glue").get_databases()
aws.client("athena").list_work_groups()
aws.client("kinesis").list_streams()
aws.client("firehose").list_delivery_streams()
aws.client("opensearchserverless").list_collections()
print("Simulated services ready:", aws)

# %% [markdown]
# # Part 1 — Catalogue, query and prepare data in the lake
#
# A GenAI application produces data worth keeping: prompts, responses, token counts, latencies,
# user feedback, guardrail interventions. Training and retrieval need data too. The pattern AWS
# pushes is a **data lake on S3**, described by the **Glue Data Catalog**, governed by **Lake
# Formation**, queried by **Athena** and processed by **Glue**, **DataBrew** or **EMR**.

# %% [markdown]
# ## AWS Glue: Data Catalog, crawlers and serverless ETL <a id="glue"></a>
#
# **What it is.** A serverless data-integration service with three parts you must tell apart:
#
# - **Data Catalog**: one metadata store per account and Region (Hive-metastore compatible) of
#   *databases* and *tables*. A table records the schema, the S3 location, the format (SerDe)
#   and the **partition keys**; each **partition** (e.g. `dt=2025-06-01`) has its own location.
#   Athena, EMR, Redshift Spectrum, Lake Formation and Firehose format conversion all read it.
# - **Crawlers** scan S3, JDBC sources or DynamoDB, infer schemas with *classifiers* and create
#   or update tables and partitions, on a schedule or on demand.
# - **ETL jobs**: Apache Spark (PySpark or Scala, with *DynamicFrames* that tolerate messy
#   schemas), Python shell and Ray jobs, and **streaming ETL** that reads Kinesis Data Streams or
#   Kafka in micro-batches. **Job bookmarks** make a rerun process only new data; **triggers** and
#   **workflows** chain crawlers and jobs (EventBridge can start a workflow). **Glue Data Quality**
#   evaluates rules written in DQDL inside a job: it can stop the job when rules fail, or only
#   publish its results as CloudWatch metrics so that an alarm warns without stopping the load;
#   **FindMatches** is an ML transform that links or deduplicates records with no common key.
#
# Develop jobs in **Glue Studio** (visual) or **interactive sessions** (Jupyter, serverless,
# billed per second with a one-minute minimum).
#
# **GenAI angle.** Catalogue Bedrock invocation logs and prompt logs so Athena can query them;
# run a Spark job that cleans, deduplicates (FindMatches) and chunks documents before a
# knowledge-base sync; gate a fine-tuning dataset on Data Quality rules (no empty completions,
# no PII columns).
#
# *Note:* the notes suggest "development endpoints with SageMaker notebooks": Glue interactive
# sessions have replaced development endpoints. The notes also say the Data Catalog is a schema
# registry for streams: stream schemas live in the separate **Glue Schema Registry**.
#
# **Exam tip:** "schema discovery" → crawler; "only new files each run" → job bookmarks;
# "one metadata store for Athena, EMR and Redshift Spectrum" → Glue Data Catalog; "deduplicate
# without a shared key" → FindMatches.

# %%
quiz.show("analytics", "glue")

# %% [markdown]
# ### Exercise 1 — catalogue the prompt logs (3 points)
#
# Your chat assistant writes one JSON line per model call to
# `s3://<bucket>/prompt-logs/dt=YYYY-MM-DD/`. Analysts will query it with Athena, so it needs a
# catalogue table whose partitions match the folders.
#
# Write `register_prompt_log_table(glue, database, table, location, dates)` that:
#
# 1. creates the database `database` if it does not exist yet (a second call must not fail);
# 2. creates the table `table` if it does not exist: `TableType="EXTERNAL_TABLE"`, columns
#    `request_id` (string), `model_id` (string), `input_tokens` (int), `output_tokens` (int),
#    `latency_ms` (int); **partition key** `dt` (string), which must *not* also be a column;
#    `Location=location` (it ends with `/`); SerDe `org.openx.data.jsonserde.JsonSerDe`, with
#    `InputFormat` `org.apache.hadoop.mapred.TextInputFormat` and `OutputFormat`
#    `org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat`;
# 3. adds one partition per date in `dates` (strings such as `"2025-06-01"`), with the table's
#    storage format (columns, SerDe, input and output formats) and, as location, the Hive-style
#    folder `f"{location}dt={date}/"`. Dates that already have a partition are skipped, not an
#    error; `dates` can be long (a year of logs), and one `BatchCreatePartition` call takes at
#    most 100 partitions;
# 4. returns the sorted list of all partition values (`["2025-06-01", ...]`) now in the table.
#
# Hints: `glue.create_database(DatabaseInput=...)`, `glue.create_table(DatabaseName=...,
# TableInput={..., "StorageDescriptor": {...}, "PartitionKeys": [...]})`,
# `glue.batch_create_partition(...)` (it reports existing partitions in `Errors` instead of
# failing), `glue.get_partitions(...)`. Catch `glue.exceptions.AlreadyExistsException`. In real
# life a crawler or `MSCK REPAIR TABLE` (or partition projection) could add the partitions; here
# you do it by hand to see what they are.

# %% kind="solution" grade_id="glue-prompt-table"
def register_prompt_log_table(glue, database, table, location, dates):
    """Create (if needed) the database, the partitioned JSON table and one partition per date."""
    ### BEGIN SOLUTION
    try:
        glue.create_database(DatabaseInput={"Name": database})
    except glue.exceptions.AlreadyExistsException:
        pass
    storage = {
        "Columns": [
            {"Name": "request_id", "Type": "string"},
            {"Name": "model_id", "Type": "string"},
            {"Name": "input_tokens", "Type": "int"},
            {"Name": "output_tokens", "Type": "int"},
            {"Name": "latency_ms", "Type": "int"},
        ],
        "Location": location,
        "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
        "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
        "SerdeInfo": {"SerializationLibrary": "org.openx.data.jsonserde.JsonSerDe"},
    }
    try:
        glue.create_table(
            DatabaseName=database,
            TableInput={
                "Name": table,
                "TableType": "EXTERNAL_TABLE",
                "StorageDescriptor": storage,
                "PartitionKeys": [{"Name": "dt", "Type": "string"}],
            },
        )
    except glue.exceptions.AlreadyExistsException:
        pass
    if dates:
        partitions = [
            {"Values": [d], "StorageDescriptor": {**storage, "Location": f"{location}dt={d}/"}}
            for d in dates
        ]
        for start in range(0, len(partitions), 100):  # BatchCreatePartition takes up to 100
            glue.batch_create_partition(
                DatabaseName=database, TableName=table, PartitionInputList=partitions[start : start + 100]
            )
    values = []
    for page in glue.get_paginator("get_partitions").paginate(DatabaseName=database, TableName=table):
        values += [p["Values"][0] for p in page["Partitions"]]
    return sorted(values)
    ### END SOLUTION


# %% kind="tests" grade_id="glue-prompt-table-tests" points=3
"""Is the prompt-log table partitioned by dt, with Hive-style partition folders, and safe to re-run?"""
import datetime
import uuid

_glue = aws.client("glue")


from course import paging

COLUMNS = {"request_id": "string", "model_id": "string", "input_tokens": "int", "output_tokens": "int",
           "latency_ms": "int"}
FORMAT = {"SerDe": "org.openx.data.jsonserde.JsonSerDe", "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
          "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"}
_batch_sizes = []
_glue.meta.events.register("provide-client-params.glue.BatchCreatePartition",
                           lambda params, **kw: _batch_sizes.append(len(params.get("PartitionInputList") or [])))


def _storage(sd):
    """The columns and the format of a storage descriptor, as the exercise names them."""
    sd = sd or {}
    return ({c.get("Name"): c.get("Type") for c in sd.get("Columns") or []},
            {"SerDe": (sd.get("SerdeInfo") or {}).get("SerializationLibrary"), "InputFormat": sd.get("InputFormat"),
             "OutputFormat": sd.get("OutputFormat")})


def _check_table(db, name, location):
    t = checks.read(f"the table {db}.{name}", _glue.get_table, DatabaseName=db, Name=name)["Table"]
    sd = t.get("StorageDescriptor") or {}
    checks.expect_equal(t.get("TableType"), "EXTERNAL_TABLE", "the table should be an EXTERNAL_TABLE")
    checks.expect_equal([(k.get("Name"), k.get("Type")) for k in t.get("PartitionKeys", [])], [("dt", "string")],
                        "the only partition key should be dt (string)", hint='PartitionKeys=[{"Name": "dt", "Type": "string"}]')
    cols, fmt = _storage(sd)
    checks.expect_equal(cols, COLUMNS, "the table columns (dt is a partition key, not a column)")
    checks.expect_equal(sd.get("Location"), location, "the table location")
    checks.expect_equal(fmt, FORMAT, "the SerDe, InputFormat and OutputFormat for JSON lines")


def _partitions(db, name):
    """{date: (location, columns, format)} of every partition."""
    parts = checks.read(f"the partitions of {db}.{name}", _glue.get_partitions, DatabaseName=db, TableName=name)
    out = {}
    for p in parts["Partitions"]:
        sd = p.get("StorageDescriptor") or {}
        out[(p.get("Values") or [None])[0]] = (sd.get("Location"), *_storage(sd))
    return out


def _partition_locations(db, name):
    return {day: found[0] for day, found in _partitions(db, name).items()}


def _register(*args):
    with paging.small_pages(7):  # AWS may return partitions a few at a time: follow NextToken
        return checks.call(register_prompt_log_table, _glue, *args)


_db, _tb = f"genai_{uuid.uuid4().hex[:6]}", "prompt_logs"
_loc = f"s3://ana-logs-{uuid.uuid4().hex[:8]}/prompt-logs/"
_res = _register(_db, _tb, _loc, ["2025-06-02", "2025-06-01"])
_check_table(_db, _tb, _loc)
checks.expect_equal(_res, ["2025-06-01", "2025-06-02"], "the function should return the sorted partition values")
checks.expect_equal(_partition_locations(_db, _tb),
                    {"2025-06-01": f"{_loc}dt=2025-06-01/", "2025-06-02": f"{_loc}dt=2025-06-02/"},
                    "each partition should point at its Hive-style folder", hint='f"{location}dt={date}/"')
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_db2, _tb2 = f"logs_{uuid.uuid4().hex[:8]}", f"calls_{uuid.uuid4().hex[:4]}"
_loc2 = f"s3://ana-h-{uuid.uuid4().hex[:8]}/{uuid.uuid4().hex[:5]}/"
_days = [f"2024-12-{d:02d}" for d in range(20, 32)] + [f"2025-01-{d:02d}" for d in range(1, 4)]
_r1 = _register(_db2, _tb2, _loc2, _days[:9])
checks.expect_equal(_r1, sorted(_days[:9]), "the returned partition values (first call)")
with checks.step("calling register_prompt_log_table a second time with overlapping dates",
                 hint="existing database, table and partitions must not raise an error"), paging.small_pages(7):
    _r2 = register_prompt_log_table(_glue, _db2, _tb2, _loc2, _days[5:])
checks.expect_equal(_r2, sorted(_days), "after the second call every date should have exactly one partition")
_check_table(_db2, _tb2, _loc2)
checks.expect_equal(_partition_locations(_db2, _tb2), {d: f"{_loc2}dt={d}/" for d in _days},
                    "every partition location", hint='f"{location}dt={date}/"')
_formats = {day: found[1:] for day, found in _partitions(_db2, _tb2).items()}
checks.expect_equal(_formats, {d: (COLUMNS, FORMAT) for d in _days},
                    "every partition should have the table's columns, SerDe and formats",
                    hint="reuse the table's StorageDescriptor, with the partition's own Location")
_r3 = _register(_db2, _tb2, _loc2, [])
checks.expect_equal(_r3, sorted(_days), "with no new dates the function should just list the partitions")
# A year of logs: more than one BatchCreatePartition call is needed (at most 100 partitions each).
_year = [str(datetime.date(2023, 1, 1) + datetime.timedelta(days=n)) for n in range(230 + uuid.uuid4().int % 40)]
_batch_sizes.clear()
_r4 = _register(_db2, _tb2, _loc2, _year)
checks.expect_equal(_r4, sorted(_days + _year), "after adding a year of dates, every date once, sorted")
checks.expect(_batch_sizes and max(_batch_sizes) <= 100, "BatchCreatePartition takes at most 100 partitions per call",
              expected="calls of <= 100 partitions", found=_batch_sizes, hint="send the partitions in slices of 100")
### END HIDDEN TESTS

# %% [markdown]
# ## Amazon Athena: serverless SQL on the data lake <a id="athena"></a>
#
# **What it is.** Interactive SQL (a Trino-based engine, ANSI SQL with joins, window functions,
# arrays and maps) straight over files in S3, with table definitions from the Glue Data Catalog.
# No cluster: you pay per query for the **data scanned** (about $5 per TB in us-east-1, rounded
# up to the next MB with a **10 MB minimum per query**; DDL and failed queries are free), or buy
# provisioned capacity for steady workloads. Results are written to an S3 location.
#
# **Make queries cheap and fast** (the exam asks this constantly):
#
# | Technique | Effect |
# |---|---|
# | Partition by the columns you filter on (`dt=2025-06-01/`), and filter on them | whole folders are skipped (partition pruning) |
# | Columnar formats (Parquet, ORC) with Snappy/ZSTD | only the columns you select are read, and compressed |
# | Partition projection | partitions computed from the query, no catalogue lookups for very many partitions |
# | CTAS / `INSERT INTO` | rewrite raw JSON as partitioned Parquet once |
# | Query result reuse | a repeated query returns stored results without scanning |
#
# **Workgroups** separate teams or applications: each can fix the results location and its
# encryption (SSE-S3, SSE-KMS, CSE-KMS), *override client-side settings* so users cannot change
# them, cap the **bytes scanned per query** (queries above the limit are cancelled), publish
# CloudWatch metrics, and raise workgroup-wide data-usage alarms. **Federated queries** use Lambda
# connectors to read DynamoDB, RDS, CloudWatch Logs and more; **named queries** and **prepared
# statements** store SQL for reuse.
#
# **GenAI angle.** Analyse Bedrock model-invocation logs (token usage per model and team), RAG
# feedback logs, evaluation outputs, or profile a fine-tuning dataset before training, all
# without loading a database. An agent can even use Athena as a tool for text-to-SQL. Bedrock
# **model invocation logging** with an S3 destination writes each call's model ID, input, output
# and token counts as JSON objects, ready to catalogue and query here.
#
# **Exam tip:** "ad hoc SQL on S3, no infrastructure" → Athena. "Reduce Athena cost" →
# partitions + Parquet + compression, and a workgroup byte limit. "Stop users from writing
# results elsewhere" → workgroup with enforced configuration.

# %% [markdown]
# ### How much does one query cost? Partitions and columns decide
#
# A year of prompt logs, 3 GB of JSON per day. Three layouts answer the same question ("token use
# per model over the last N days", which needs 3 of the 20 columns):
#
# - JSON in one folder: every query scans the whole year;
# - JSON partitioned by day: only the N days are scanned;
# - Parquet partitioned by day: the N days, only 3 columns, compressed (assumed 4× smaller).

# %%
PRICE_PER_TB = 5.0
MB = 1024**2


def athena_query_cost(bytes_scanned):
    """Dollars for one query: rounded up to the MB, 10 MB minimum, $5 per TB."""
    billed_mb = np.maximum(np.ceil(np.asarray(bytes_scanned, dtype=float) / MB), 10)
    return billed_mb * MB / 1024**4 * PRICE_PER_TB


days = np.arange(1, 366)
daily_json = 3 * 1024**3
layouts = {
    "JSON, not partitioned": np.full(days.shape, 365 * daily_json),
    "JSON, partitioned by dt": days * daily_json,
    "Parquet, partitioned, 3 of 20 columns": days * daily_json / 4 * (3 / 20),
}
costs = pd.DataFrame({name: athena_query_cost(b) for name, b in layouts.items()}, index=days)

fig, ax = plt.subplots(figsize=(7, 4))
for name in costs:
    ax.plot(costs.index, costs[name], label=name)
ax.set_yscale("log")
ax.set_xlabel("days of logs the query asks for (window size)")
ax.set_ylabel("cost of one query (USD, log scale)")
ax.set_title("Athena cost per query for a year of 3 GB/day prompt logs")
ax.legend()
plt.show()
print(costs.loc[[1, 7, 30, 365]].round(4))

# %% [markdown]
# **Reading the chart.** Without partitions, every query costs the same (the whole year, about
# $5.35) even when it asks for one day. Partitioning makes cost proportional to the window:
# a one-day query costs 1/365 of that. Parquet with column pruning cuts it by another ~27×,
# so a dashboard that runs "last 7 days" every few minutes costs cents a day instead of dollars
# per run. Partition pruning only works if the query **filters on the partition column**.

# %%
quiz.show("analytics", "athena")

# %% [markdown]
# ### Exercise 2 — a governed Athena workgroup and a saved query (3 points)
#
# The analytics team will query the prompt-log table. Security wants every result encrypted with
# the team's KMS key in one bucket, whatever the analysts set in their SQL client; finance wants no
# single query to scan more than a set number of bytes.
#
# 1. `create_analyst_workgroup(athena, name, results_s3, kms_key_arn, max_bytes)` creates the
#    workgroup `name` whose configuration writes results to `results_s3` encrypted with
#    **SSE_KMS** and `kms_key_arn`, **enforces** the workgroup configuration over client-side
#    settings, publishes CloudWatch metrics, and cancels any query that scans more than
#    `max_bytes` bytes. Return the workgroup name.
# 2. `save_daily_token_query(athena, workgroup, database, table, day)` saves a **named query**
#    (in that workgroup and database, name `f"tokens-by-model-{day}"`) that returns, for the one
#    day `day` (a string such as `"2025-06-01"`), the total `input_tokens` and `output_tokens` per
#    `model_id`. It must **filter on the partition column** (`dt = '<day>'`), name the columns it
#    needs (no `SELECT *`), read from `table` and `GROUP BY model_id`. Return the named query id.
#
# Hints: `athena.create_work_group(Name=..., Configuration={"ResultConfiguration": {...},
# "EnforceWorkGroupConfiguration": ..., "PublishCloudWatchMetricsEnabled": ...,
# "BytesScannedCutoffPerQuery": ...})` and `athena.create_named_query(...)`. The simulator does not
# run SQL (any query "succeeds" with empty results), so the test reads your configuration and the
# text of your SQL.

# %% kind="solution" grade_id="athena-workgroup"
def create_analyst_workgroup(athena, name, results_s3, kms_key_arn, max_bytes):
    """Create a workgroup that enforces KMS-encrypted results in results_s3 and a per-query scan limit."""
    ### BEGIN SOLUTION
    athena.create_work_group(
        Name=name,
        Configuration={
            "ResultConfiguration": {
                "OutputLocation": results_s3,
                "EncryptionConfiguration": {"EncryptionOption": "SSE_KMS", "KmsKey": kms_key_arn},
            },
            "EnforceWorkGroupConfiguration": True,
            "PublishCloudWatchMetricsEnabled": True,
            "BytesScannedCutoffPerQuery": max_bytes,
        },
    )
    return name
    ### END SOLUTION


def save_daily_token_query(athena, workgroup, database, table, day):
    """Save a named query: input/output tokens per model_id for one dt partition; return its id."""
    ### BEGIN SOLUTION
    sql = (
        "SELECT model_id, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens\n"
        f"FROM {table}\n"
        f"WHERE dt = '{day}'\n"
        "GROUP BY model_id"
    )
    response = athena.create_named_query(
        Name=f"tokens-by-model-{day}",
        Database=database,
        QueryString=sql,
        WorkGroup=workgroup,
    )
    return response["NamedQueryId"]
    ### END SOLUTION


# %% kind="tests" grade_id="athena-workgroup-tests" points=3
"""Does the workgroup enforce encrypted results and a scan limit, and does the saved query prune partitions?"""
import re
import uuid

_athena = aws.client("athena")
_kms_arn = aws.client("kms").create_key(Description="athena results")["KeyMetadata"]["Arn"]


def _check_workgroup(name, results, key, limit):
    found = checks.read(f"the workgroup {name}", _athena.get_work_group, WorkGroup=name)
    cfg = checks.get(found, "WorkGroup", f"the workgroup {name}", hint="create the workgroup with the name given").get(
        "Configuration", {})
    rc = cfg.get("ResultConfiguration", {})
    checks.expect_equal(rc.get("OutputLocation"), results, "the workgroup results location")
    checks.expect_equal(rc.get("EncryptionConfiguration"), {"EncryptionOption": "SSE_KMS", "KmsKey": key},
                        "results should be encrypted with SSE_KMS and the team's key")
    checks.expect(cfg.get("EnforceWorkGroupConfiguration") is True,
                  "the workgroup must override client-side settings", expected="EnforceWorkGroupConfiguration=True",
                  found=cfg.get("EnforceWorkGroupConfiguration"),
                  hint="without it an analyst's SQL client can send results elsewhere, unencrypted")
    checks.expect(cfg.get("PublishCloudWatchMetricsEnabled") is True, "the workgroup should publish CloudWatch metrics",
                  expected=True, found=cfg.get("PublishCloudWatchMetricsEnabled"))
    checks.expect_equal(cfg.get("BytesScannedCutoffPerQuery"), limit, "the per-query bytes-scanned limit")


def _norm(sql):
    return re.sub(r"\s+", " ", sql.strip().lower())


def _check_sql(qid, workgroup, database, table, day):
    checks.expect_type(qid, str, "save_daily_token_query should return the named query id (a string)")
    nq = checks.read("the named query whose id you returned", _athena.get_named_query, NamedQueryId=qid)["NamedQuery"]
    checks.expect_equal((nq.get("WorkGroup"), nq.get("Database"), nq.get("Name")),
                        (workgroup, database, f"tokens-by-model-{day}"), "the named query's workgroup, database and name")
    sql = _norm(nq["QueryString"])
    checks.expect(re.search(r"\bdt\s*=\s*'" + re.escape(day) + "'", sql) is not None,
                  "the query must filter on the partition column for that day", expected=f"dt = '{day}'",
                  found=nq["QueryString"], hint="without a filter on dt Athena scans every partition")
    checks.expect(re.search(r"select\s+\*", sql) is None, "name the columns you need instead of SELECT *",
                  found=nq["QueryString"])
    checks.expect(re.search(r"\bfrom\s+(\"?[\w]+\"?\.)?\"?" + re.escape(table.lower()) + r"\"?(\s|$)", sql) is not None,
                  "the query should read from the table", expected=f"FROM {table}", found=nq["QueryString"])
    for pattern, what in ((r"group\s+by\s+(\"?\w+\"?\.)?\"?model_id\"?", "GROUP BY model_id"),
                          (r"sum\s*\(\s*\"?input_tokens\"?\s*\)", "SUM(input_tokens)"),
                          (r"sum\s*\(\s*\"?output_tokens\"?\s*\)", "SUM(output_tokens)")):
        checks.expect(re.search(pattern, sql) is not None, f"the query should contain {what}", found=nq["QueryString"])


_wg = f"analysts-{uuid.uuid4().hex[:6]}"
_results = f"s3://ana-results-{uuid.uuid4().hex[:8]}/athena/"
_got = checks.call(create_analyst_workgroup, _athena, _wg, _results, _kms_arn, 10 * 1024**3)
checks.expect_equal(_got, _wg, "create_analyst_workgroup should return the workgroup name")
_check_workgroup(_wg, _results, _kms_arn, 10 * 1024**3)
_qid = checks.call(save_daily_token_query, _athena, _wg, "genai_logs", "prompt_logs", "2025-06-01")
_check_sql(_qid, _wg, "genai_logs", "prompt_logs", "2025-06-01")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_kms2 = aws.client("kms").create_key(Description="other team")["KeyMetadata"]["Arn"]
_wg2 = f"team-{uuid.uuid4().hex[:8]}"
_results2 = f"s3://res-{uuid.uuid4().hex[:10]}/{uuid.uuid4().hex[:4]}/"
_limit2 = 10_000_000 + 7 * 1024**2 * (1 + uuid.uuid4().int % 50)
checks.call(create_analyst_workgroup, _athena, _wg2, _results2, _kms2, _limit2)
_check_workgroup(_wg2, _results2, _kms2, _limit2)
_day2 = f"2024-{1 + uuid.uuid4().int % 12:02d}-{1 + uuid.uuid4().int % 28:02d}"
_db2, _tb2 = f"db_{uuid.uuid4().hex[:6]}", f"calls_{uuid.uuid4().hex[:6]}"
_qid2 = checks.call(save_daily_token_query, _athena, _wg2, _db2, _tb2, _day2)
_check_sql(_qid2, _wg2, _db2, _tb2, _day2)
checks.expect_in(_qid2, _athena.list_named_queries(WorkGroup=_wg2)["NamedQueryIds"],
                 "the named query should be listed in the team's workgroup")
### END HIDDEN TESTS

# %% [markdown]
# ## AWS Glue DataBrew: visual data preparation <a id="databrew"></a>
#
# **What it is.** A no-code, serverless tool in which analysts clean and normalise data through
# a spreadsheet-like grid, choosing from more than 250 ready-made transformations (filter, split,
# pivot/unpivot, impute missing values, encode categories, deduplicate, mask or hash PII...).
#
# | Concept | Meaning |
# |---|---|
# | Dataset | a pointer to data (S3, Glue Data Catalog tables, JDBC, Redshift, Snowflake...) |
# | Project | an interactive session on a **sample** of the dataset; you see each step's effect |
# | Recipe | the ordered, versioned list of steps; reusable on new data |
# | Job | a *recipe job* applies a recipe to the full dataset and writes the output (CSV, Parquet, JSON...) to S3; a *profile job* produces statistics, column correlations and data-quality results |
#
# Jobs can run on a schedule; data-quality rulesets validate a profile (e.g. "no more than 1 %
# empty completions"). DataBrew suits analysts and exploratory work; engineers who need code,
# streaming or complex joins write Glue ETL jobs (a recipe can be exported as code for that).
#
# **GenAI angle.** Profile and clean a prompt/completion dataset before Bedrock model
# customization or SageMaker training: drop empty rows, normalise text case and whitespace,
# deduplicate, and mask emails and phone numbers with the PII transformations.
#
# **Exam tip:** "analysts", "no code", "visual", "profile data quality" → DataBrew. "Reusable
# list of cleaning steps" → recipe. Developers and pipelines at scale → Glue ETL or EMR.

# %%
quiz.show("analytics", "databrew")

# %% [markdown]
# ## AWS Lake Formation: permissions for the data lake <a id="lake-formation"></a>
#
# **What it is.** A governance layer over the Glue Data Catalog and S3. Instead of writing a
# bucket policy per prefix and an IAM policy per table, you **register** S3 locations with Lake
# Formation and **grant** principals permissions on catalogue resources, much like SQL `GRANT`:
#
# - database, table and **column-level** permissions (exclude the `email` column);
# - **data filters** for row-level and cell-level security (`region = 'EU'`);
# - **LF-Tags** (tag-based access control): tag databases, tables or columns
#   (`sensitivity=pii`) and grant on tag expressions, which scales to thousands of tables;
# - **cross-account sharing** of databases and tables (through AWS RAM), without copying data;
# - blueprints and workflows to ingest data from databases and logs into the lake.
#
# Integrated engines (Athena, Redshift Spectrum, EMR, Glue ETL, SageMaker) receive temporary,
# scoped credentials to read only what was granted; grants and data access show up in CloudTrail.
#
# **GenAI angle.** A data-science role may read the support-ticket table for fine-tuning but
# not the `customer_email` column; a tenant's analysts see only their rows of a shared
# prompt-log table; a central data lake account shares curated training sets with an ML account.
# When an agent writes SQL for Athena (text-to-SQL), grant the tool's role only the columns it may
# see: Lake Formation enforces that whatever the model writes, while a prompt instruction is no
# access control.
#
# **Exam tip:** "column-level / row-level / cell-level access in the data lake", "tag-based
# access for many tables", "share catalogue tables across accounts" → Lake Formation (not bucket
# policies). Encryption of the data is still S3/KMS's job.

# %%
quiz.show("analytics", "lake-formation")

# %% [markdown]
# ## Amazon EMR: managed Spark, Hive, Presto and friends <a id="emr"></a>
#
# **What it is.** Managed big-data frameworks (Spark, Hive, Presto/Trino, HBase, Flink, Hudi,
# Iceberg...) with full control over versions, configuration and libraries. Three ways to run it:
#
# | Option | You manage | Fits |
# |---|---|---|
# | EMR on EC2 | a cluster: **primary** node (coordination), **core** nodes (tasks + HDFS), **task** nodes (tasks only; ideal for Spot) | long-running or heavily customised clusters |
# | EMR Serverless | nothing: an *application* (Spark or Hive) runs jobs on workers it scales; you can set worker size, pre-initialised capacity and maximum capacity | sporadic or variable jobs without idle clusters |
# | EMR on EKS | your Kubernetes cluster | teams standardised on EKS |
#
# Keep data in S3 (not HDFS) so clusters can be transient and several can share it. Managed
# scaling resizes clusters; Spot task nodes cut cost (if interrupted, only tasks are retried).
# EMR Serverless bills vCPU, memory and storage per second from worker start to stop (one-minute
# minimum). **EMR Studio** gives notebooks for interactive Spark.
#
# **EMR vs Glue vs SageMaker.** Glue is serverless Spark with less to manage and fewer knobs;
# EMR gives you the whole open-source stack and tuning; SageMaker manages the ML lifecycle
# (training, endpoints). Spark on EMR can prepare data *for* SageMaker or Bedrock.
#
# **GenAI angle.** Chunk, clean and deduplicate millions of documents before ingestion; compute
# embeddings for a large corpus in a distributed batch job; run large-scale batch inference with
# a model loaded on each worker; build features from clickstreams.
#
# *Note:* the notes call the coordinating node the "master node"; EMR now calls it the
# **primary node**.
#
# **Exam tip:** "existing Spark/Hadoop jobs", "custom frameworks or versions", "petabyte-scale
# transformation" → EMR. "No cluster to manage, occasional Spark jobs" → EMR Serverless (or Glue).
# "Cut cost of task nodes" → Spot.

# %%
quiz.show("analytics", "emr")

# %% [markdown]
# # Part 2 — Streaming: move prompts, events and features in real time

# %% [markdown]
# ## Amazon Kinesis Data Streams: ordered, replayable streams <a id="kinesis"></a>
#
# **What it is.** A durable stream that many consumers can read and re-read. Producers put
# **records** (data blob + **partition key**); Kinesis hashes the key with MD5 to a 128-bit
# number and stores the record in the **shard** whose hash-key range contains it, with a
# sequence number. **Order is guaranteed within a shard**, so all records with the same key stay
# in order.
#
# | Limit per shard (provisioned mode) | Value |
# |---|---|
# | writes | 1 MB/s or 1,000 records/s |
# | shared reads (`GetRecords`) | 2 MB/s, 5 calls/s, shared by all standard consumers |
# | enhanced fan-out | 2 MB/s **per registered consumer**, pushed over HTTP/2 (up to 20 consumers per stream) |
#
# Retention is 24 hours by default, extendable up to 365 days, so consumers can replay.
# Records are up to 1 MiB by default (a stream can be raised to 10 MiB). **On-demand mode**
# scales capacity automatically and bills per GB written and read; **provisioned mode** bills per
# shard-hour and you split or merge shards yourself. Server-side encryption uses KMS.
#
# **Consumers**: Lambda (event source mapping with batch size, batching window, *parallelization
# factor*, bisect-on-error, on-failure destination, starting position TRIM_HORIZON / LATEST /
# AT_TIMESTAMP), the Kinesis Client Library on EC2/ECS, Managed Service for Apache Flink, Firehose,
# Glue streaming ETL. A skewed key creates a **hot shard** that throttles
# (`ProvisionedThroughputExceededException`) while others idle.
#
# **GenAI angle.** Stream chat turns keyed by conversation id so a consumer rebuilds each
# conversation in order; stream clickstream events that refresh features or trigger
# re-embedding of changed documents; fan out the same events to a moderation consumer and an
# analytics consumer.
#
# *Note:* the notes say at most 5 enhanced fan-out consumers per stream; the limit is 20 (50 in
# the newer On-demand Advantage mode).
#
# **Exam tip:** "ordering per entity" → partition key = entity id. "Several consumers each need
# full throughput" → enhanced fan-out. "Replay the last days" → retention. "Throttling on one
# shard" → better key distribution (or more shards / on-demand).

# %%
quiz.show("analytics", "kinesis")

# %% [markdown]
# ### Exercise 3 — keep each conversation in order (3 points)
#
# Your assistant publishes every chat turn to a Kinesis data stream; a moderation consumer
# must read one conversation's turns **in the order they were said**.
#
# 1. `publish_turns(kinesis, stream_name, turns)`: `turns` is a list of dicts
#    `{"conversation_id": ..., "turn": n, "role": ..., "text": ...}` in the order they
#    happened (several conversations interleaved). Write each one, as UTF-8 JSON, so that
#    **all turns of a conversation land on the same shard in order**. Return the list of shard ids
#    used, one per turn, in the same order.
# 2. `read_conversation(kinesis, stream_name, conversation_id)`: read the stream from the oldest
#    record (`TRIM_HORIZON`) and return the list of that conversation's turn dicts, in order.
#    Keep reading a shard until a `get_records` call returns no records and `MillisBehindLatest`
#    is 0 (a stream iterator never runs out by itself).
#
# Hints: `kinesis.put_record(StreamName=..., Data=..., PartitionKey=...)` returns the `ShardId`;
# `describe_stream` (or `list_shards`) gives the shards; `get_shard_iterator(...,
# ShardIteratorType="TRIM_HORIZON")`, then `get_records(ShardIterator=...)` and its
# `NextShardIterator`. Each record has a `PartitionKey`. (Real producers often use `put_records`
# batches, which can partially fail: check `FailedRecordCount` and retry those entries.)

# %% kind="solution" grade_id="kinesis-conversations"
def publish_turns(kinesis, stream_name, turns):
    """Put each turn as JSON with the conversation id as partition key; return the shard ids."""
    ### BEGIN SOLUTION
    shard_ids = []
    for turn in turns:
        response = kinesis.put_record(
            StreamName=stream_name,
            Data=json.dumps(turn).encode("utf-8"),
            PartitionKey=str(turn["conversation_id"]),
        )
        shard_ids.append(response["ShardId"])
    return shard_ids
    ### END SOLUTION


def read_conversation(kinesis, stream_name, conversation_id):
    """Return the turns of one conversation, oldest first, reading from TRIM_HORIZON."""
    ### BEGIN SOLUTION
    shards = kinesis.describe_stream(StreamName=stream_name)["StreamDescription"]["Shards"]
    turns = []
    for shard in shards:
        iterator = kinesis.get_shard_iterator(
            StreamName=stream_name, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        while iterator:
            out = kinesis.get_records(ShardIterator=iterator, Limit=1000)
            for record in out["Records"]:
                if record["PartitionKey"] == conversation_id:
                    turns.append(json.loads(record["Data"]))
            if not out["Records"] and out.get("MillisBehindLatest", 0) == 0:
                break
            iterator = out.get("NextShardIterator")
    return turns
    ### END SOLUTION


# %% kind="tests" grade_id="kinesis-conversations-tests" points=3
"""Do all turns of a conversation share a shard, and does reading return them in order?"""
import json
import uuid

_kin = aws.client("kinesis")


def _new_stream(shards):
    name = f"chat-turns-{uuid.uuid4().hex[:8]}"
    _kin.create_stream(StreamName=name, ShardCount=shards)
    return name


def _stream_contents(name):
    """{shard_id: [(partition_key, data dict), ...]} read straight from the stream."""
    out = {}
    for shard in _kin.describe_stream(StreamName=name)["StreamDescription"]["Shards"]:
        it = _kin.get_shard_iterator(StreamName=name, ShardId=shard["ShardId"],
                                     ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        recs = _kin.get_records(ShardIterator=it, Limit=10000)["Records"]
        out[shard["ShardId"]] = [(r["PartitionKey"], json.loads(r["Data"])) for r in recs]
    return out


def _turns(conversations, n):
    """n turns for each conversation, interleaved round-robin."""
    return [{"conversation_id": c, "turn": i, "role": "user" if i % 2 == 0 else "assistant",
             "text": f"message {i} of {c}"} for i in range(n) for c in conversations]


def _check_grouping(name, turns, shard_ids):
    contents = _stream_contents(name)
    checks.expect_equal(sum(len(v) for v in contents.values()), len(turns), "number of records in the stream")
    where = {}
    for shard, recs in contents.items():
        for _key, data in recs:
            where.setdefault(data["conversation_id"], set()).add(shard)
    split = {c: sorted(s) for c, s in where.items() if len(s) > 1}
    checks.expect(not split, "every conversation should live on exactly one shard",
                  expected="one shard per conversation", found=split,
                  hint="use the conversation id as the partition key")
    checks.expect_equal(shard_ids, [next(iter(where[t["conversation_id"]])) for t in turns],
                        "publish_turns should return the shard id of each turn, in order")


_s1 = _new_stream(4)
_convs = ["conv-alpha", "conv-bravo", "conv-charlie", "conv-delta", "conv-echo"]
_t1 = _turns(_convs, 4)
_ids = checks.call(publish_turns, _kin, _s1, _t1)
_check_grouping(_s1, _t1, _ids)
_got = checks.call(read_conversation, _kin, _s1, "conv-charlie")
checks.expect_equal(_got, [t for t in _t1 if t["conversation_id"] == "conv-charlie"],
                    "read_conversation should return that conversation's turns in order")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_s2 = _new_stream(8)
_convs2 = [f"c-{uuid.uuid4().hex[:10]}" for _ in range(12)]
_t2 = _turns(_convs2, 7)
_ids2 = checks.call(publish_turns, _kin, _s2, _t2)
_check_grouping(_s2, _t2, _ids2)
checks.expect(len(set(_ids2)) > 1, "different conversations should spread over several shards",
              expected="more than one shard used", found=sorted(set(_ids2)))
# Another producer adds more turns for one conversation: the reader must see them too.
_extra = [{"conversation_id": _convs2[3], "turn": 7 + i, "role": "user", "text": f"late {i}"} for i in range(3)]
for _t in _extra:
    _kin.put_record(StreamName=_s2, Data=json.dumps(_t).encode(), PartitionKey=_convs2[3])
for _c in (_convs2[0], _convs2[3], _convs2[11]):
    _want = [t for t in _t2 + _extra if t["conversation_id"] == _c]
    checks.expect_equal(checks.call(read_conversation, _kin, _s2, _c), _want,
                        f"turns of {_c} in order (including turns written by other producers)")
checks.expect_equal(checks.call(read_conversation, _kin, _s2, "no-such-conversation"), [],
                    "an unknown conversation should give an empty list")
### END HIDDEN TESTS

# %% [markdown]
# ## Amazon Data Firehose: load streams into S3, Redshift and OpenSearch <a id="firehose"></a>
#
# **What it is.** A fully managed delivery service: you send records (or point it at a Kinesis
# data stream or an MSK topic) and it **buffers** them and writes them to a destination: S3,
# Redshift (staged in S3, then `COPY`), OpenSearch Service or Serverless, Splunk, Snowflake, Apache
# Iceberg tables, or any HTTP endpoint. No shards and no consumer code; it scales by itself. It is
# *near* real time: records wait until a buffer fills (size, in MiB) or its interval passes (in
# seconds, up to 900), whichever comes first. Larger buffers give fewer, bigger S3 objects, which
# Athena reads more efficiently.
#
# Useful features:
#
# - **Lambda transformation** of each batch (enrich, redact, reformat); failures go to an error
#   prefix.
# - **Record format conversion** from JSON to **Parquet or ORC** using a Glue table's schema.
# - **Dynamic partitioning**: S3 prefixes built from fields in the data (`customer_id=...`);
#   `!{timestamp:yyyy-MM-dd}` expressions build time-based prefixes, and `ErrorOutputPrefix`
#   (with `!{firehose:error-output-type}`) keeps failed records apart.
# - Compression (GZIP, Snappy, ZIP) and encryption with KMS.
#
# Firehose writes records **back to back** without a separator: add a newline after each JSON
# record if you want JSON Lines that Athena can read. `PutRecordBatch` takes up to 500 records
# (4 MiB) per call and reports partial failures in `FailedPutCount`. Firehose keeps no history
# and has no replay: use Kinesis Data Streams in front if consumers need to re-read.
#
# **GenAI angle.** The standard way to land prompts, responses, feedback and guardrail events in
# S3 (Parquet, partitioned by date) for Athena, QuickSight and future fine-tuning; or to stream
# documents into an OpenSearch index.
#
# *Note:* the notes call it **Kinesis Data Firehose**; AWS renamed it **Amazon Data Firehose** in
# February 2024 (the API is still `firehose`).
#
# **Exam tip:** "load streaming data into S3/Redshift/OpenSearch with the least operational
# effort" → Firehose. "Convert to Parquet on the way" → format conversion. "Sub-second latency,
# custom consumers, replay" → Kinesis Data Streams instead.

# %%
quiz.show("analytics", "firehose")

# %% [markdown]
# ### Exercise 4 — deliver prompt logs to S3 as JSON Lines (3 points)
#
# 1. `create_prompt_log_stream(firehose, name, bucket_arn, role_arn)` creates a **DirectPut**
#    Firehose stream `name` with an **extended S3** destination in `bucket_arn`, using the role
#    `role_arn`: `Prefix` `"prompt-logs/dt=!{timestamp:yyyy-MM-dd}/"`, `ErrorOutputPrefix`
#    `"prompt-logs-errors/!{firehose:error-output-type}/"`, buffering of **64 MiB or 300
#    seconds**, and **GZIP** compression. Return the stream ARN.
# 2. `send_prompt_logs(firehose, name, records)` sends the list of dicts `records` so that each
#    becomes **one JSON line** in S3 (JSON followed by `"\n"`), using `put_record_batch` with at
#    most **500 records per call**, and returns the number of records Firehose accepted
#    (records minus `FailedPutCount`).
#
# The simulator delivers every batch to S3 at once and does not expand the `!{...}` expressions,
# compress or honour the buffer; the test reads your configuration, counts your batches and reads
# the objects back.

# %% kind="solution" grade_id="firehose-prompt-logs"
def create_prompt_log_stream(firehose, name, bucket_arn, role_arn):
    """Create a DirectPut stream writing GZIP JSON lines to S3 with date prefixes; return its ARN."""
    ### BEGIN SOLUTION
    response = firehose.create_delivery_stream(
        DeliveryStreamName=name,
        DeliveryStreamType="DirectPut",
        ExtendedS3DestinationConfiguration={
            "RoleARN": role_arn,
            "BucketARN": bucket_arn,
            "Prefix": "prompt-logs/dt=!{timestamp:yyyy-MM-dd}/",
            "ErrorOutputPrefix": "prompt-logs-errors/!{firehose:error-output-type}/",
            "BufferingHints": {"SizeInMBs": 64, "IntervalInSeconds": 300},
            "CompressionFormat": "GZIP",
        },
    )
    return response["DeliveryStreamARN"]
    ### END SOLUTION


def send_prompt_logs(firehose, name, records):
    """Send records as newline-delimited JSON in batches of at most 500; return how many were accepted."""
    ### BEGIN SOLUTION
    accepted = 0
    for start in range(0, len(records), 500):
        batch = [{"Data": (json.dumps(r) + "\n").encode("utf-8")} for r in records[start : start + 500]]
        response = firehose.put_record_batch(DeliveryStreamName=name, Records=batch)
        accepted += len(batch) - response["FailedPutCount"]
    return accepted
    ### END SOLUTION


# %% kind="tests" grade_id="firehose-prompt-logs-tests" points=3
"""Is the Firehose stream configured for partitioned GZIP JSON lines, and do the records arrive one per line?"""
import gzip
import json
import uuid

_s3, _fh, _iam = aws.client("s3"), aws.client("firehose"), aws.client("iam")
_batches = []
_fh.meta.events.register("provide-client-params.firehose.PutRecordBatch",
                         lambda params, **kw: _batches.append(len(params.get("Records", []))))


def _role():
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "firehose.amazonaws.com"},
                                                      "Action": "sts:AssumeRole"}]}
    return _iam.create_role(RoleName=f"firehose-{uuid.uuid4().hex[:8]}",
                            AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]


def _describe(name):
    return checks.read(f"the Firehose stream {name}", _fh.describe_delivery_stream,
                       DeliveryStreamName=name)["DeliveryStreamDescription"]


def _check_config(name, bucket, role):
    d = _describe(name)
    checks.expect_equal(d.get("DeliveryStreamType"), "DirectPut", "the stream type")
    dest = (d.get("Destinations") or [{}])[0].get("ExtendedS3DestinationDescription", {})
    checks.expect(bool(dest), "the destination should be an extended S3 destination",
                  hint="use ExtendedS3DestinationConfiguration")
    checks.expect_equal((dest.get("BucketARN"), dest.get("RoleARN")), (f"arn:aws:s3:::{bucket}", role),
                        "destination bucket and role")
    checks.expect_equal(dest.get("Prefix"), "prompt-logs/dt=!{timestamp:yyyy-MM-dd}/", "the S3 prefix")
    checks.expect_equal(dest.get("ErrorOutputPrefix"), "prompt-logs-errors/!{firehose:error-output-type}/",
                        "the error output prefix")
    checks.expect_equal(dest.get("BufferingHints"), {"SizeInMBs": 64, "IntervalInSeconds": 300}, "the buffering hints")
    checks.expect_equal(dest.get("CompressionFormat"), "GZIP", "the compression format")


def _lines(bucket):
    out = []
    for obj in _s3.list_objects_v2(Bucket=bucket, Prefix="prompt-logs/").get("Contents", []):
        body = _s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read()
        if body[:2] == b"\x1f\x8b":
            body = gzip.decompress(body)
        out += [line for line in body.decode().split("\n") if line]
    return out


def _check_delivery(bucket, records):
    lines = _lines(bucket)
    try:
        parsed = [json.loads(line) for line in lines]
    except json.JSONDecodeError:
        checks.fail("every line in S3 should be one JSON record", "one JSON object per line",
                    f"{len(lines)} line(s) starting {lines[0][:80]!r}" if lines else "no lines",
                    hint='end each record with "\\n": Firehose writes records back to back')
    key = lambda r: r["request_id"]  # noqa: E731
    checks.expect_equal(sorted(parsed, key=key), sorted(records, key=key), "the records read back from S3")


_b1 = f"ana-fh-{uuid.uuid4().hex[:8]}"
_s3.create_bucket(Bucket=_b1)
_r1, _n1 = _role(), f"prompt-logs-{uuid.uuid4().hex[:6]}"
_arn = checks.call(create_prompt_log_stream, _fh, _n1, f"arn:aws:s3:::{_b1}", _r1)
checks.expect_equal(_arn, _describe(_n1)["DeliveryStreamARN"], "create_prompt_log_stream should return the stream ARN")
_check_config(_n1, _b1, _r1)
_recs = [{"request_id": f"r{i}", "model_id": "anthropic.claude-3-haiku-20240307-v1:0", "input_tokens": 10 + i,
          "output_tokens": 3 * i} for i in range(5)]
checks.expect_equal(checks.call(send_prompt_logs, _fh, _n1, _recs), 5, "send_prompt_logs should return 5")
_check_delivery(_b1, _recs)
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_b2 = f"ana-h-{uuid.uuid4().hex[:10]}"
_s3.create_bucket(Bucket=_b2)
_r2, _n2 = _role(), f"logs-{uuid.uuid4().hex[:8]}"
checks.call(create_prompt_log_stream, _fh, _n2, f"arn:aws:s3:::{_b2}", _r2)
_check_config(_n2, _b2, _r2)
_count = 1000 + uuid.uuid4().int % 300
_recs2 = [{"request_id": uuid.uuid4().hex, "model_id": "amazon.nova-lite-v1:0", "input_tokens": i % 97,
           "output_tokens": i % 13, "text": f"line {i}\twith tab"} for i in range(_count)]
_batches.clear()
checks.expect_equal(checks.call(send_prompt_logs, _fh, _n2, _recs2), _count, "the number of accepted records")
checks.expect(_batches and max(_batches) <= 500, "PutRecordBatch takes at most 500 records per call",
              expected="batches of <= 500", found=_batches, hint="send the records in slices of 500")
checks.expect_equal(sum(_batches), _count, "every record should be sent exactly once")
_check_delivery(_b2, _recs2)
checks.expect_equal(checks.call(send_prompt_logs, _fh, _n2, []), 0, "an empty list sends nothing")


def _fail_two(parsed, **kwargs):
    """Firehose refuses the first two records of each batch (as under throttling): FailedPutCount says so."""
    answers = parsed.get("RequestResponses") if isinstance(parsed, dict) else None
    if answers:
        for answer in answers[:2]:
            answer.pop("RecordId", None)
            answer.update(ErrorCode="ServiceUnavailableException", ErrorMessage="Slow down.")
        parsed["FailedPutCount"] = min(2, len(answers))


_n3 = f"logs-{uuid.uuid4().hex[:8]}"
checks.call(create_prompt_log_stream, _fh, _n3, f"arn:aws:s3:::{_b2}", _r2)
_fh.meta.events.register("after-call.firehose.PutRecordBatch", _fail_two, unique_id="aip-fail-two")
_batches.clear()
try:
    _accepted = checks.call(send_prompt_logs, _fh, _n3, _recs2[:700])
finally:
    _fh.meta.events.unregister("after-call.firehose.PutRecordBatch", unique_id="aip-fail-two")
checks.expect_equal(_accepted, 700 - sum(min(2, _b) for _b in _batches),
                    "records Firehose refused (FailedPutCount) are not accepted",
                    hint="add len(batch) - response['FailedPutCount'] for each call")
### END HIDDEN TESTS

# %% [markdown]
# ## Amazon Managed Service for Apache Flink (formerly Kinesis Data Analytics) <a id="managed-flink"></a>
#
# **What it is.** Serverless **Apache Flink**: stateful stream processing with exactly-once
# state, event-time windows, joins and pattern detection over Kinesis Data Streams, MSK/Kafka
# and other sources, writing to streams, Firehose, S3, OpenSearch or databases. You write Flink
# applications in Java, Scala or Python (Table API / SQL included), or explore with **Studio
# notebooks** (Zeppelin) in SQL, Python or Scala and promote them to applications. Capacity is
# measured in KPUs (1 vCPU + 4 GB memory) with automatic scaling; snapshots and checkpoints keep
# state across updates and failures.
#
# | Need | Choose |
# |---|---|
# | Windowed aggregates, joins, anomaly detection on a stream | Managed Service for Apache Flink |
# | Per-record work, simple and short | Lambda consumer |
# | Just land the data in S3/Redshift/OpenSearch | Firehose |
# | Micro-batch ETL into the data lake with Spark | Glue streaming ETL |
#
# **GenAI angle.** Compute per-tenant token usage in sliding windows and alert on spikes; enrich
# events and call a model or a guardrail's `ApplyGuardrail` API asynchronously (Flink async I/O)
# to classify, screen or embed them in flight, keeping per-user counts in Flink's own state;
# keep a real-time feature or vector index fresh from a change stream.
#
# *Note:* the notes describe "Kinesis Data Analytics: SQL or Java". The service was renamed
# **Amazon Managed Service for Apache Flink** in August 2023, and the older **Kinesis Data
# Analytics for SQL applications** is discontinued: no new SQL applications since October 15, 2025,
# and existing ones deleted from January 27, 2026. Use Flink SQL (Studio or applications) instead.
#
# **Exam tip:** "real-time SQL or analytics over a stream with windows and state" → Managed
# Service for Apache Flink. Don't pick "Kinesis Data Analytics for SQL" for new designs.

# %%
quiz.show("analytics", "managed-flink")

# %% [markdown]
# ## Amazon MSK: managed Apache Kafka <a id="msk"></a>
#
# **What it is.** Apache Kafka clusters that AWS provisions, patches and heals, using the
# open-source Kafka APIs, so existing producers, consumers, Kafka Connect and Kafka Streams code
# work unchanged.
#
# - **MSK Provisioned**: you choose broker type and count, storage (with tiered storage for long
#   retention) and Multi-AZ layout; **MSK Serverless** scales capacity for you.
# - **MSK Connect**: managed Kafka Connect workers for source and sink connectors (S3 sink,
#   Debezium change data capture, OpenSearch sink...).
# - Security: IAM access control, TLS in transit, KMS at rest, SASL/SCRAM or mTLS.
# - Integrations: Lambda event source mapping, Firehose (MSK as source), Flink, Glue streaming
#   ETL, Glue Schema Registry.
#
# | | Kinesis Data Streams | Amazon MSK |
# |---|---|---|
# | API | AWS-native | open-source Kafka |
# | Unit of scale | shard (or on-demand) | partition on brokers (or serverless) |
# | Retention | 24 h – 365 days | configurable, effectively unlimited with tiered storage |
# | Ordering | per shard | per partition |
# | Pick it when | new AWS-native app, least operations | existing Kafka apps, skills or ecosystem; Kafka features such as transactions and compacted topics |
#
# **GenAI angle.** Many enterprises already move events through Kafka: change-data-capture
# topics from operational databases feed the pipeline that re-chunks and re-embeds documents for
# a RAG knowledge base; model outputs go back on a topic for downstream services.
#
# **Exam tip:** "migrate existing Kafka workloads", "Kafka APIs", "open source compatibility" →
# MSK (Serverless when capacity planning should disappear). Otherwise Kinesis is usually the
# simpler answer.

# %%
quiz.show("analytics", "msk")

# %% [markdown]
# # Part 3 — Search and vector stores

# %% [markdown]
# ## Amazon OpenSearch Service: search, log analytics and k-NN <a id="opensearch"></a>
#
# **What it is.** Managed OpenSearch (the open-source fork of Elasticsearch 7.10; legacy
# Elasticsearch versions are still offered) in **domains** you size: data nodes, dedicated
# cluster-manager (formerly "master") nodes, Multi-AZ with standby, UltraWarm and cold storage
# for older indices. **OpenSearch Dashboards** (the Kibana fork) visualises data; **Index State
# Management (ISM)** policies roll indices over, move them to warm storage and delete them by age.
# Security: VPC access, fine-grained access control (index-, document- and field-level), IAM or
# SAML/Cognito sign-in for Dashboards, encryption at rest and node-to-node.
#
# **Vector search.** The **k-NN plugin** adds a `knn_vector` field (you set its `dimension`,
# e.g. 1024 for Titan Text Embeddings V2) and approximate nearest-neighbour search with **HNSW**
# or **IVF** (engines Faiss or Lucene), space types `l2`, `cosinesimil`, `innerproduct`. Tune
# `m`/`ef_construction` (index quality) and `ef_search` (recall vs latency); **filtered k-NN**
# applies metadata filters during the search, so a restrictive filter (one tenant) still returns
# *k* results, unlike post-filtering the top *k*; vector **quantization** (byte, FP16, binary)
# shrinks the in-memory graphs at a small cost in recall; **hybrid
# search** (neural search plugin, search pipelines) mixes BM25 keyword scores with vector scores.
# Size shards at roughly 10–50 GB.
#
# **GenAI angle.** The most common vector store for RAG on AWS: Bedrock Knowledge Bases writes
# chunks, embeddings and metadata to an OpenSearch index and runs the k-NN query; the same
# cluster can serve keyword search and log analytics for the application.
#
# *Note:* the notes' "index lifecycle policies" are Elasticsearch's ILM; in OpenSearch the
# feature is **Index State Management**.
#
# **Exam tip:** "keyword + semantic (hybrid) search", "full control of the cluster",
# "k-NN with metadata filters" → OpenSearch. Existing domain vs no capacity planning →
# Service vs Serverless (next section).

# %%
quiz.show("analytics", "opensearch")

# %% [markdown]
# ## Amazon OpenSearch Serverless: collections without clusters <a id="opensearch-serverless"></a>
#
# **What it is.** OpenSearch without domains: you create a **collection** and use the same
# OpenSearch APIs; compute scales in **OpenSearch Compute Units** (OCU = 6 GiB memory plus vCPU
# and S3 transfer), with indexing and search scaling separately and index data durably in S3.
# Every collection has one **type**, fixed at creation:
#
# | Type | For |
# |---|---|
# | `SEARCH` | full-text search |
# | `TIMESERIES` | logs and metrics (recent data hot, older data warm) |
# | `VECTORSEARCH` | k-NN vector indexes for semantic search and RAG |
#
# **Three kinds of policy**, all matched to collections by name patterns:
#
# 1. **Encryption policy**: an AWS owned key or a customer managed KMS key (`KmsARN`). Every
#    collection needs a key when it is created, taken from a matching encryption policy or given
#    directly in the `CreateCollection` request (`encryptionConfig`, which wins if both exist); it
#    cannot be changed later.
# 2. **Network policy**: public endpoint, or private access only, through OpenSearch Serverless
#    VPC endpoints (`SourceVPCEs`) and/or for AWS services such as Amazon Bedrock
#    (`SourceServices: ["bedrock.amazonaws.com"]`), separately for the collection and its
#    Dashboards. A knowledge base does not come through your VPC endpoint, so a private
#    collection behind a knowledge base must also allow the Bedrock service.
# 3. **Data access policy**: which IAM principals may do what on collections and indexes
#    (`aoss:ReadDocument`, `aoss:CreateIndex`...). A Bedrock knowledge base's service role needs
#    an entry here.
#
# **Costs.** You pay OCU-hours for indexing and search plus S3 storage. With the default
# redundancy (standby replicas in another AZ) the first collection starts 4 OCUs (2 indexing,
# 2 search); disabling redundancy for dev/test starts 2. Collections share OCUs when they use the
# same KMS key, but vector collections never share OCUs with search or time-series ones. Set
# account-level maximum OCUs to cap spend.
#
# **GenAI angle.** The default vector store when Bedrock Knowledge Bases "quick-creates" one;
# no shards or nodes to plan for spiky RAG traffic.
#
# *Note:* the notes list two collection types (time series and search); there is a third,
# **vector search**.
#
# **Exam tip:** "vector store for a knowledge base with the least operational overhead" →
# OpenSearch Serverless vector search collection. "AccessDenied from the knowledge base" →
# missing data access policy entry for its role.

# %%
quiz.show("analytics", "opensearch-serverless")

# %% [markdown]
# ### Exercise 5 — a private vector collection for a knowledge base (3 points)
#
# Write `create_private_vector_collection(aoss, name, kms_key_arn, vpce_id)` that:
#
# 1. creates an **encryption policy** named `f"{name}-enc"` covering `collection/<name>` with
#    the customer managed key `kms_key_arn` (`"KmsARN"`);
# 2. creates the collection `name` of type **VECTORSEARCH** with standby replicas
#    **ENABLED**;
# 3. creates a **network policy** named `f"{name}-net"` that allows access to the collection
#    **and** its Dashboards (`"ResourceType": "dashboard"`) **only** from the VPC endpoint
#    `vpce_id` (`"AllowFromPublic": False`, `"SourceVPCEs": [vpce_id]`);
# 4. returns the collection id.
#
# Policies are JSON strings: the encryption policy is an object with `Rules` (each rule has
# `ResourceType` and `Resource`), the network policy is a **list** of such objects. Hints:
# `aoss.create_security_policy(name=..., type="encryption" | "network", policy=json.dumps(...))`,
# `aoss.create_collection(name=..., type=..., standbyReplicas=...)`. In the simulator, create the
# network policy **after** the collection, as listed (AWS accepts either order); the simulator
# does not implement data access policies, so there is none to write here.

# %% kind="solution" grade_id="aoss-vector-collection"
def create_private_vector_collection(aoss, name, kms_key_arn, vpce_id):
    """Create a CMK-encrypted VECTORSEARCH collection reachable only from one VPC endpoint; return its id."""
    ### BEGIN SOLUTION
    encryption = {
        "Rules": [{"ResourceType": "collection", "Resource": [f"collection/{name}"]}],
        "KmsARN": kms_key_arn,
    }
    aoss.create_security_policy(name=f"{name}-enc", type="encryption", policy=json.dumps(encryption))
    collection = aoss.create_collection(name=name, type="VECTORSEARCH", standbyReplicas="ENABLED")[
        "createCollectionDetail"
    ]
    network = [
        {
            "Rules": [
                {"ResourceType": "collection", "Resource": [f"collection/{name}"]},
                {"ResourceType": "dashboard", "Resource": [f"collection/{name}"]},
            ],
            "AllowFromPublic": False,
            "SourceVPCEs": [vpce_id],
        }
    ]
    aoss.create_security_policy(name=f"{name}-net", type="network", policy=json.dumps(network))
    return collection["id"]
    ### END SOLUTION


# %% kind="tests" grade_id="aoss-vector-collection-tests" points=3
"""Is the vector collection encrypted with the customer key and reachable only through the VPC endpoint?"""
import json
import uuid

_aoss, _kms = aws.client("opensearchserverless"), aws.client("kms")


def _policy(name, kind):
    detail = checks.read(f"the {kind} policy {name}", _aoss.get_security_policy, name=name, type=kind,
                         hint=f"create a security policy of type {kind} named {name}")["securityPolicyDetail"]
    with checks.step(f"parsing the {kind} policy {name} as JSON", hint="pass policy=json.dumps(...)"):
        p = detail["policy"]
        return json.loads(p) if isinstance(p, str) else p


def _rules(blocks):
    return {(r.get("ResourceType"), res) for block in blocks for r in block.get("Rules", []) for res in r.get("Resource", [])}


def _check_collection(name, key, vpce, cid):
    details = checks.read(f"the collection {name}", _aoss.batch_get_collection, names=[name])["collectionDetails"]
    checks.expect(len(details) == 1, f"a collection named {name} should exist", found=details)
    c = details[0]
    checks.expect_equal(cid, c["id"], "the function should return the collection id")
    checks.expect_equal(c.get("type"), "VECTORSEARCH", "the collection type")
    checks.expect_equal(c.get("standbyReplicas"), "ENABLED", "standby replicas")
    checks.expect_equal(c.get("kmsKeyArn"), key, "the collection should be encrypted with the customer managed key")
    enc = _policy(f"{name}-enc", "encryption")
    checks.expect_type(enc, dict, "the encryption policy should be one JSON object")
    checks.expect(enc.get("AWSOwnedKey") is not True and enc.get("KmsARN") == key,
                  "the encryption policy should name the customer managed key", expected={"KmsARN": key}, found=enc)
    checks.expect_in(("collection", f"collection/{name}"), _rules([enc]),
                     "the encryption policy should cover the collection",
                     hint='"Rules": [{"ResourceType": "collection", "Resource": ["collection/<name>"]}]')
    net = _policy(f"{name}-net", "network")
    checks.expect_type(net, list, "the network policy should be a list of rule sets")
    checks.expect(all(isinstance(b, dict) for b in net), "each rule set of the network policy should be an object",
                  found=net)
    covered = _rules(net)
    for kind in ("collection", "dashboard"):
        checks.expect_in((kind, f"collection/{name}"), covered, f"the network policy should cover the {kind}")
    checks.expect_equal([b.get("AllowFromPublic") for b in net], [False] * len(net),
                        "every rule set should state AllowFromPublic: false",
                        hint="a knowledge base in a regulated account reaches the collection through a VPC endpoint")
    checks.expect(all(b.get("SourceVPCEs") == [vpce] for b in net), "access only from the given VPC endpoint",
                  expected=[vpce], found=[b.get("SourceVPCEs") for b in net])


_key = _kms.create_key(Description="rag vectors")["KeyMetadata"]["Arn"]
_name = f"rag-{uuid.uuid4().hex[:8]}"
_cid = checks.call(create_private_vector_collection, _aoss, _name, _key, "vpce-0123456789abcdef0")
_check_collection(_name, _key, "vpce-0123456789abcdef0", _cid)
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_key2 = _kms.create_key(Description="tenant vectors")["KeyMetadata"]["Arn"]
_name2 = f"kb{uuid.uuid4().hex[:10]}"
_vpce2 = f"vpce-{uuid.uuid4().hex[:17]}"
_cid2 = checks.call(create_private_vector_collection, _aoss, _name2, _key2, _vpce2)
_check_collection(_name2, _key2, _vpce2, _cid2)
checks.expect(_cid2 != _cid, "each call should create its own collection", found=[_cid, _cid2])
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 6 — measure retrieval quality before you tune anything (3 points)
#
# Before choosing an index engine or a chunk size, measure how well plain vector search finds the
# right passage. Given a small corpus and questions labelled with the one passage that answers
# each, compute two standard retrieval metrics:
#
# - **recall@k**: the share of questions whose relevant passage is among the top *k* results;
# - **MRR** (mean reciprocal rank): the mean over questions of `1 / rank` of the relevant
#   passage in the **full** ranking (rank 1 = best; no cut-off at *k*).
#
# Write `evaluate_retrieval(bedrock_runtime, docs, queries, k)`:
#
# - `docs` is a dict `{doc_id: text}`; `queries` a DataFrame with columns `question` and
#   `relevant_id`;
# - embed every passage and question with `amazon.titan-embed-text-v2:0`
#   (`{"inputText": ..., "dimensions": 256, "normalize": True}`), score each passage by cosine
#   similarity (the dot product of normalised vectors) and rank passages by descending score
#   (equal scores keep the order of `docs`);
# - return a tuple `(per_query, summary)`: `per_query` is a DataFrame with one row per question,
#   in the input order, and columns `question`, `relevant_id`, `rank` (int, 1-based rank of the
#   relevant passage), `hit` (bool, `rank <= k`) and `reciprocal_rank` (`1 / rank`); `summary` is
#   `{"recall_at_k": ..., "mrr": ...}` (floats).
#
# The Bedrock simulator's embeddings are deterministic and reward shared words, like a weak real
# embedding model.

# %%
rag_docs = {
    "refund": "Refunds are issued to the original payment method within 14 days of the return.",
    "shipping": "Standard shipping takes three to five business days; express shipping takes one day.",
    "warranty": "The warranty covers manufacturing defects for two years from the purchase date.",
    "password": "To reset your password, open account settings and choose forgot password.",
    "privacy": "We never sell personal data and delete chat transcripts after thirty days.",
    "stores": "Our stores open at nine in the morning and close at eight in the evening.",
}
rag_queries = pd.DataFrame(
    {
        "question": [
            "How long does express shipping take?",
            "When will my refund arrive?",
            "How do I get my money back?",
            "Can I change my login credentials?",
            "Do you keep my conversations?",
            "What time do you close?",
        ],
        "relevant_id": ["shipping", "refund", "refund", "password", "privacy", "stores"],
    }
)

# %% kind="solution" grade_id="retrieval-eval"
def evaluate_retrieval(bedrock_runtime, docs, queries, k):
    """Rank docs for each question by Titan embedding cosine similarity; return (per_query, summary)."""
    ### BEGIN SOLUTION
    def embed(text):
        body = json.dumps({"inputText": text, "dimensions": 256, "normalize": True})
        response = bedrock_runtime.invoke_model(modelId="amazon.titan-embed-text-v2:0", body=body)
        return np.array(json.loads(response["body"].read())["embedding"])

    ids = list(docs)
    doc_matrix = np.vstack([embed(docs[i]) for i in ids])
    rows = []
    for question, relevant in zip(queries["question"], queries["relevant_id"]):
        scores = doc_matrix @ embed(question)
        order = [ids[j] for j in np.argsort(-scores, kind="stable")]
        rank = order.index(relevant) + 1
        rows.append({"question": question, "relevant_id": relevant, "rank": rank,
                     "hit": rank <= k, "reciprocal_rank": 1.0 / rank})
    per_query = pd.DataFrame(rows, columns=["question", "relevant_id", "rank", "hit", "reciprocal_rank"])
    summary = {"recall_at_k": float(per_query["hit"].mean()), "mrr": float(per_query["reciprocal_rank"].mean())}
    return per_query, summary
    ### END SOLUTION


# %% kind="tests" grade_id="retrieval-eval-tests" points=3
"""Are rank, hit@k, reciprocal rank, recall@k and MRR computed from the Titan embeddings as specified?"""
import json
import uuid

import numpy as np
import pandas as pd

_br = aws.client("bedrock-runtime")


def _emb(text):
    body = json.dumps({"inputText": text, "dimensions": 256, "normalize": True})
    return np.array(json.loads(_br.invoke_model(modelId="amazon.titan-embed-text-v2:0", body=body)["body"].read())["embedding"])


def _reference_ranks(docs, queries):
    ids = list(docs)
    m = np.vstack([_emb(docs[i]) for i in ids])
    ranks = []
    for q, rel in zip(queries["question"], queries["relevant_id"]):
        s = m @ _emb(q)
        j = ids.index(rel)
        ranks.append(int((s > s[j]).sum()) + int((s[:j] == s[j]).sum()) + 1)  # ties: earlier doc first
    return ranks


def _check(docs, queries, k):
    out = checks.call(evaluate_retrieval, _br, docs, queries, k)
    checks.expect(isinstance(out, tuple) and len(out) == 2, "evaluate_retrieval should return (per_query, summary)",
                  found=type(out).__name__)
    per_query, summary = out
    checks.expect_type(per_query, pd.DataFrame, "per_query should be a DataFrame")
    for col in ("question", "relevant_id", "rank", "hit", "reciprocal_rank"):
        checks.expect_in(col, list(per_query.columns), "per_query columns")
    checks.expect_equal(list(per_query["question"]), list(queries["question"]), "one row per question, in input order")
    checks.expect_equal(list(per_query["relevant_id"]), list(queries["relevant_id"]), "the relevant_id of each row")
    checks.expect(bool(per_query["rank"].notna().all()), "every row needs its rank", found=list(per_query["rank"]))
    ranks = _reference_ranks(docs, queries)
    checks.expect_equal([int(r) for r in per_query["rank"]], ranks, "the 1-based rank of each relevant passage",
                        hint="embed with dimensions=256, normalize=True; sort by descending cosine similarity")
    checks.expect_equal([bool(h) for h in per_query["hit"]], [r <= k for r in ranks], f"hit means rank <= k (k={k})")
    checks.expect(np.allclose(per_query["reciprocal_rank"].astype(float), [1 / r for r in ranks]),
                  "reciprocal_rank should be 1/rank over the full ranking (no cut-off at k)",
                  expected=[round(1 / r, 4) for r in ranks], found=[round(float(x), 4) for x in per_query["reciprocal_rank"]])
    checks.expect_type(summary, dict, "summary should be a dict")
    want = {"recall_at_k": float(np.mean([r <= k for r in ranks])), "mrr": float(np.mean([1 / r for r in ranks]))}
    for name, value in want.items():
        checks.expect(name in summary and abs(float(summary[name]) - value) < 1e-9, f"summary[{name!r}]",
                      expected=round(value, 6), found=summary.get(name))
    return ranks


_ranks = _check(rag_docs, rag_queries, 1)
print("Visible checks passed. Ranks:", _ranks)

### BEGIN HIDDEN TESTS
_words = ["llama", "quartz", "harbor", "violet", "ember", "tundra", "saffron", "cobalt", "meadow", "lantern",
          "orchid", "basalt", "falcon", "juniper", "pebble", "cinder"]
_rng = np.random.default_rng(uuid.uuid4().int % 2**32)
_docs2 = {}
for _i in range(9):
    _docs2[f"d{uuid.uuid4().hex[:6]}"] = " ".join(_rng.choice(_words, size=6, replace=False))
_ids2 = list(_docs2)
_qs, _rels = [], []
for _j in range(7):
    _rel = _ids2[_rng.integers(len(_ids2))]
    _shared = list(_rng.choice(_docs2[_rel].split(), size=2 if _j % 2 else 1, replace=False))
    _qs.append(" ".join(_shared + list(_rng.choice(_words, size=3))))
    _rels.append(_rel)
_qdf = pd.DataFrame({"question": _qs, "relevant_id": _rels})
_r2 = _check(_docs2, _qdf, 2)
_r3 = _check(_docs2, _qdf, 4)
# A passage ranked below k still counts in MRR (1/rank, no cut-off).
_fixed = {"a": "llama quartz harbor lantern", "b": "violet ember tundra orchid", "c": "saffron cobalt meadow basalt"}
_far = pd.DataFrame({"question": ["violet ember orchid", "saffron meadow"], "relevant_id": ["a", "c"]})
_far_ranks = _check(_fixed, _far, 1)
checks.expect(_far_ranks[0] > 1, "internal check: the first fixed question should rank its passage below 1",
              found=_far_ranks)
# Equal scores keep the order of docs (a stable sort), also in a longer list.
_same = {f"dup{_i}": "cobalt meadow basalt" for _i in range(24)}
_same["other"] = "llama quartz harbor"
_tie_q = pd.DataFrame({"question": ["cobalt meadow"] * 3, "relevant_id": ["dup0", "dup11", "dup23"]})
checks.expect_equal(_check(_same, _tie_q, 5), [1, 12, 24], "internal check: equal scores keep the order of docs")
### END HIDDEN TESTS

# %% [markdown]
# **Try it** (not graded): once your function passes, run it with `k=1` and `k=3` and compare.
# Recall@k grows with *k* by definition; MRR does not depend on *k*. Look at which questions
# miss: the paraphrases ("money back" for *refunds*, "login credentials" for *password*) share no
# words with their passage. When recall@3 is high but MRR is low, the right passage is found but
# not ranked first: a reranker or hybrid search helps more than a bigger *k*; when a passage is
# missing from the top *k* altogether, look at the embedding model and the chunking.

# %%
try:
    for _k in (1, 3):
        _per_query, _summary = evaluate_retrieval(aws.client("bedrock-runtime"), rag_docs, rag_queries, _k)
        print(f"k={_k}: {_summary}")
    print(_per_query.to_string())
except NotImplementedError:
    print("Write evaluate_retrieval first.")

# %% [markdown]
# # Part 4 — Warehouse, time series, dashboards, and a legacy orchestrator

# %% [markdown]
# ## Amazon Redshift Serverless: a data warehouse without clusters <a id="redshift-serverless"></a>
#
# **What it is.** Amazon Redshift (columnar, massively parallel SQL warehouse) where AWS
# provisions and scales capacity for you. Two objects:
#
# - a **namespace**: the storage side, with databases, schemas, tables, users and KMS keys;
# - a **workgroup**: the compute side, with a base capacity in **Redshift Processing Units
#   (RPUs)**, a maximum capacity to cap cost, network and security settings, and usage limits.
#
# You pay RPU-hours per second only while queries run (nothing for compute when idle), plus
# Redshift Managed Storage for the data. It keeps Redshift's features: **Redshift Spectrum**
# queries over S3 through the Glue Data Catalog, data sharing, **zero-ETL integrations** from
# Aurora, RDS and DynamoDB, streaming ingestion from Kinesis and MSK, the Data API (SQL over
# HTTPS, no drivers or connections to manage), and **Redshift ML**, which can call models,
# including LLMs on Amazon Bedrock, from SQL.
#
# | | Athena | Redshift Serverless |
# |---|---|---|
# | Data lives in | S3 (your files) | Redshift managed storage (plus S3 via Spectrum) |
# | Best for | ad hoc, infrequent queries on the lake | repeated BI/dashboards, complex joins, many users |
# | Pricing | per TB scanned | per RPU-hour while queries run + storage |
#
# **GenAI angle.** The warehouse behind a usage and cost dashboard for a GenAI platform (tokens,
# latency, feedback per team and model); summarise or classify text rows with a Bedrock model
# from SQL; an agent queries it via the Data API as a text-to-SQL tool.
#
# **Exam tip:** "data warehouse, unpredictable or intermittent workloads, no cluster
# management" → Redshift Serverless. "Pay only while queries run" → Serverless. Steady 24/7
# heavy load → provisioned RA3 cluster with reserved nodes may cost less.

# %% [markdown]
# ## Amazon Timestream: time-series databases <a id="timestream"></a>
#
# **What it is.** Purpose-built storage for data points stamped with time. Two engines:
#
# - **Timestream for LiveAnalytics**: serverless; a **database** holds **tables**; each record has
#   **dimensions** (attributes that identify the series, e.g. `model_id`, `tenant`), a
#   **measure** (the value, or several in a *multi-measure record*) and a **timestamp**. Recent
#   data sits in a fast **memory store**, older data moves to a cheaper **magnetic store** by
#   retention settings you choose per table; SQL with time-series functions queries both.
#   **Scheduled queries** run on a cron schedule and write rolled-up results into another table,
#   with SNS notifications for each run. Ingestion and query scale independently.
# - **Timestream for InfluxDB**: managed open-source InfluxDB instances, for single-digit
#   millisecond queries and InfluxDB/Telegraf tooling.
#
# Data arrives from applications, IoT Core, Kinesis/Flink or MSK; Grafana and QuickSight
# visualise it.
#
# **GenAI angle.** Store per-request latency, token counts and cost per model and tenant for
# real-time operational dashboards and anomaly detection; keep sensor readings that an agent
# summarises or reasons over ("what changed on line 3 in the last hour?").
#
# *Note:* AWS documentation now points new workloads looking for LiveAnalytics-like
# capabilities to **Timestream for InfluxDB**; check availability before designing a new system on
# LiveAnalytics.
#
# **Exam tip:** "time-series data, recent data hot and history cheap, SQL with time functions" →
# Timestream. "Periodic roll-ups into another table" → scheduled queries.

# %% [markdown]
# ## Amazon QuickSight: dashboards and natural-language BI <a id="quicksight"></a>
#
# **What it is.** A serverless business-intelligence service: connect data sources (Athena, S3,
# Redshift, RDS/Aurora, OpenSearch, Snowflake, SaaS apps such as Salesforce, uploaded files),
# build **datasets**, **analyses** and published **dashboards**, and share or **embed** them in
# your own application.
#
# - **SPICE**: an in-memory engine that imports a dataset for fast dashboards and fewer queries
#   against the source (scheduled or incremental refresh). *Direct query* hits the source each time.
# - **Row-level security** (by user or group, from a rules dataset) and column-level security;
#   sign-in with IAM Identity Center or another IdP.
# - **ML insights** without code: anomaly detection, forecasting, auto-narratives.
# - **Generative BI**: ask questions in natural language, build visuals and calculations by
#   describing them, and generate executive summaries and data stories.
#
# **GenAI angle.** A dashboard over Athena or Redshift of model usage, latency, guardrail
# interventions and user feedback for a GenAI platform team, with anomaly detection on cost per
# day; business users ask "which team's token spend grew fastest last month?" in plain language.
#
# *Note:* the notes' **QuickSight Q** became **Amazon Q in QuickSight**, and in late 2025
# QuickSight was renamed **Amazon Quick Sight** as part of **Amazon Quick Suite** (the API is
# still `quicksight`).
#
# **Exam tip:** "dashboards for business users", "embed analytics in an app", "natural-language
# questions over business data" → QuickSight. "Fast dashboards, fewer source queries" → SPICE.
# "Each manager sees only their region" → row-level security.

# %%
quiz.show("analytics", "quicksight")

# %% [markdown]
# ## AWS Data Pipeline: a legacy orchestrator <a id="data-pipeline"></a>
#
# **What it is.** An older web service that moved and transformed data on a schedule between
# S3, RDS, DynamoDB, Redshift and EMR, by defining *pipelines* of data nodes, activities (copy,
# SQL, EMR, shell command), preconditions and schedules, which ran on EC2 instances or EMR
# clusters it launched.
#
# **Status.** AWS Data Pipeline is **no longer available to new customers**; existing customers
# can keep using it. AWS recommends migrating to:
#
# | Data Pipeline use | Today |
# |---|---|
# | scheduled ETL between stores | AWS Glue jobs, triggers and workflows |
# | multi-step workflows with branching and retries | AWS Step Functions |
# | Apache Airflow DAGs | Amazon Managed Workflows for Apache Airflow (MWAA) |
# | DynamoDB export to S3 | DynamoDB's native export to S3 |
#
# **GenAI angle.** A nightly "export tickets, clean, chunk, sync the knowledge base" job is built
# with Glue or Step Functions (which can call Bedrock and start a knowledge-base ingestion job),
# not with Data Pipeline.
#
# *Note:* the notes present Data Pipeline as a current option; it is closed to new customers.
#
# **Exam tip:** if Data Pipeline appears as an option for a new design, it is almost always the
# distractor; prefer Glue, Step Functions or MWAA.

# %%
quiz.show("analytics", "data-pipeline")

# %% [markdown]
# ## Graded quiz <a id="graded-quiz"></a>
#
# Six questions across the whole notebook. Pick your answers in the widget below; they are saved
# automatically beside this notebook and graded when you submit. Leave the cells under the widget
# as they are.

# %%
quiz.graded("analytics")

# %% kind="quiz" question="ana-g1" points=1

# %% kind="quiz" question="ana-g2" points=1

# %% kind="quiz" question="ana-g3" points=1

# %% kind="quiz" question="ana-g4" points=1

# %% kind="quiz" question="ana-g5" points=1

# %% kind="quiz" question="ana-g6" points=1

# %% [markdown]
# ## Summary / what to review <a id="summary"></a>
#
# **The lake.** Glue Data Catalog tables with partition keys describe S3 data for every engine
# (Exercise 1); crawlers discover schemas, Glue ETL and EMR transform at scale, DataBrew lets
# analysts clean data without code, Lake Formation grants table-, column-, row- and tag-based
# access. Athena queries it per TB scanned: partitions + Parquet + a filter on the partition
# column cut cost by orders of magnitude (the chart), and workgroups enforce results location,
# encryption and scan limits (Exercise 2).
#
# **Streams.** Kinesis Data Streams keeps order per shard: partition key = the entity whose
# order matters (Exercise 3); enhanced fan-out for many full-speed consumers; retention for
# replay. Amazon Data Firehose lands streams in S3/Redshift/OpenSearch with buffering, format
# conversion and dynamic partitions, newline-delimited JSON and ≤ 500-record batches
# (Exercise 4). Managed Service for Apache Flink (ex-Kinesis Data Analytics; SQL applications
# discontinued) for stateful stream analytics; MSK when Kafka compatibility matters.
#
# **Vectors.** OpenSearch Service (domains, k-NN with HNSW/IVF, hybrid search, ISM) vs
# OpenSearch Serverless (collections of type search, time series or vector search; encryption,
# network and data access policies; OCU billing) (Exercise 5). Measure retrieval with recall@k
# and MRR before tuning (Exercise 6).
#
# **Serving insight.** Redshift Serverless (namespaces + workgroups, RPU-hours only while
# querying) for repeated BI; Timestream for time series; QuickSight (now Amazon Quick Sight) for
# dashboards, SPICE, row-level security and natural-language BI. Data Pipeline is closed to new
# customers: use Glue, Step Functions or MWAA.
#
# **Review checklist:** choose Athena vs EMR vs Glue vs Redshift for a workload; design
# partitions and formats for cheap queries; pick Kinesis Data Streams vs Firehose vs MSK vs Flink;
# set Kinesis partition keys for ordering and even load; set up an OpenSearch Serverless vector
# collection with its three policies for a Bedrock knowledge base; evaluate retrieval with
# recall@k and MRR.
