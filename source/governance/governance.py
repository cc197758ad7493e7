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
# # Management & Governance for GenAI workloads
#
# **Who this is for:** developers preparing for the AWS Certified Generative AI Developer –
# Professional exam (AIP-C01) who can read Python and boto3, and want to know how to *run* a
# generative AI application once it works: watch its latency and token use, keep an audit trail
# of who called which model, hold prompts and model IDs as configuration, keep the bill under
# control, and govern many accounts and teams.
#
# **What you will do here:**
#
# - read 15 short service sections, each with an *Exam tip* and self-check questions;
# - complete **7 graded exercises** against a simulated AWS account: CloudWatch metrics, a
#   usage report and an alarm, a CloudWatch Logs group with a metric filter, a CloudTrail trail
#   for Bedrock data events, a Parameter Store hierarchy, and a spend-anomaly detector in pandas;
# - read one chart of daily Amazon Bedrock spend against its rolling baseline;
# - answer the **graded quiz** at the end.
#
# **Exam tasks trained:** mostly 4.3 (monitoring systems) and 4.1 (cost optimisation), plus 3.3
# (AI governance and compliance), 1.6 (prompt management and governance), 4.2 (application
# performance), 5.2 (troubleshooting) and 1.1 (solution design with the Well-Architected lens).
#
# **How to work:** run the cells from top to bottom (every cell is safe to run again). In an
# exercise, replace `raise NotImplementedError()` with your code, run that cell, then run the
# test cell under it: its message says what is missing. Graded-quiz answers are saved beside this
# notebook as soon as you pick them.
#
# Everything runs offline: the first code cell starts a fake AWS account (the
# [moto](https://github.com/getmoto/moto) simulator) with fake credentials and blocks the
# network. moto stores what you configure but does not *run* it: alarms never change state,
# metric filters never emit metrics, and percentiles are not computed. Where that matters, the
# exercise grades the configuration you wrote, and the text says so.

# %% kind="setup"
from course import sandbox, checks, quiz

aws = sandbox.start()  # fake credentials, moto, network blocked; safe to re-run

# %%
# Libraries the exercises use. Run this cell once before the exercises.
import datetime as dt
import json
import uuid

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

# %% [markdown]
# # Part 1 — Observability: metrics, logs, traces of activity

# %% [markdown]
# ## Amazon CloudWatch: metrics, alarms and dashboards <a id="cloudwatch"></a>
#
# **Metrics.** A metric is a time series identified by *namespace* + *name* + *dimensions*
# (up to 30 name/value pairs). Change one dimension value and you have a different metric, so a
# query must name the exact dimension set that was published. Statistics: `Sum`, `Average`,
# `Minimum`, `Maximum`, `SampleCount` and percentiles such as `p90` or `p99` (the tail
# latency users feel). Custom metrics arrive through `PutMetricData`, the CloudWatch agent or
# the **Embedded Metric Format** (structured JSON log lines that CloudWatch turns into metrics).
# Standard resolution is 1 minute; high resolution goes down to 1 second. Data are rolled up
# as they age: 1-minute points for 15 days, 5-minute for 63 days, 1-hour for 455 days (15 months).
#
# *Note:* the notes call standard resolution "5 minutes". Five minutes is *basic monitoring* of
# EC2; a standard-resolution custom metric has 1-minute granularity.
#
# **Amazon Bedrock publishes runtime metrics** in the `AWS/Bedrock` namespace, per `ModelId`:
# `Invocations`, `InvocationLatency` (ms), `InvocationClientErrors`, `InvocationServerErrors`,
# `InvocationThrottles`, `InputTokenCount`, `OutputTokenCount`. Throttled requests are counted
# only in `InvocationThrottles`, not in `Invocations` or the error metrics, and there is no cost
# metric: cost follows from token counts. Agents, guardrails and knowledge bases have their own
# metrics. SageMaker endpoints publish `Invocations`, `ModelLatency` (microseconds),
# `OverheadLatency`, `Invocation4XXErrors`/`5XXErrors` per endpoint and variant.
# Per-tenant or per-feature figures (cost per customer, answer quality) are *your* custom metrics.
#
# **Alarms** watch one metric or a metric-math expression: `Period`, `EvaluationPeriods` and
# `DatapointsToAlarm` ("3 of 5 minutes" = M of N), a threshold or an **anomaly-detection band**,
# and `TreatMissingData` (`missing`, `notBreaching`, `breaching`, `ignore`). States: `OK`,
# `ALARM`, `INSUFFICIENT_DATA`. Actions: SNS, EC2 and Auto Scaling actions, Systems Manager
# OpsItems/incidents, and (since 2023) Lambda; every state change is also an EventBridge event.
# **Composite alarms** combine alarms with `AND`/`OR`/`NOT` to cut noise.
#
# **Dashboards** are JSON documents of widgets, shareable by email, publicly or via SSO, and can
# span accounts and Regions; custom widgets call a Lambda function.
#
# | Need | Use |
# |---|---|
# | p90 latency of one Bedrock model above 2 s for 3 of 5 minutes | metric alarm, `ExtendedStatistic="p90"` |
# | page only if latency **and** error rate are high | composite alarm |
# | token use per tenant from application logs | EMF log lines or a metric filter |
# | baseline that follows daily traffic | anomaly-detection alarm |
#
# **GenAI angle.** Token metrics arrive within minutes, billing data only hours later: an
# **anomaly-detection alarm** on `InputTokenCount` or `OutputTokenCount` catches an agent stuck
# in a tool-calling loop long before the bill does, and its band follows the daily rhythm that a
# fixed threshold would trip over. For agents, **CloudWatch generative AI observability** shows
# curated views of model invocations and of agents on AgentCore (agents, sessions, traces with
# each model and tool call, tokens and latency); AgentCore Observability emits the telemetry in
# OpenTelemetry format, and agents elsewhere can send theirs with the AWS Distro for
# OpenTelemetry.
#
# **Exam tip:** "who called the model?" → CloudTrail. "How slow / how many tokens?" →
# CloudWatch `AWS/Bedrock` metrics. "What exactly was the prompt?" → Bedrock model invocation
# logging (off by default) to CloudWatch Logs or S3.

# %%
quiz.show("governance", "cloudwatch")

# %% [markdown]
# ### Exercise 1 — publish per-model invocation metrics (3 points)
#
# Your RAG application calls several Bedrock models through a gateway Lambda. The gateway keeps
# one record per call and you want the same numbers CloudWatch shows for Bedrock, but in your
# own namespace so that you can add your own metrics later.
#
# Write `publish_invocation_metrics(cw, namespace, records)`. Each record is a dict with
# `model_id`, `latency_ms`, `input_tokens`, `output_tokens` and `timestamp` (an aware
# `datetime`). For every record publish three data points in `namespace`, each with exactly one
# dimension `ModelId` = the record's model ID and the record's timestamp:
#
# | metric name | value | unit |
# |---|---|---|
# | `InvocationLatency` | `latency_ms` | `Milliseconds` |
# | `InputTokenCount` | `input_tokens` | `Count` |
# | `OutputTokenCount` | `output_tokens` | `Count` |
#
# Send them with `cw.put_metric_data(Namespace=..., MetricData=[...])` in batches of at most
# 500 data points (a real request carries at most 1,000 and 1 MB). Return the number of data
# points sent. The test reads your metrics back with `get_metric_data`, by dimension and unit.

# %% kind="solution" grade_id="cw-publish-metrics"
def publish_invocation_metrics(cw, namespace, records):
    """Publish latency and token metrics per ModelId for each record; return the data-point count."""
    ### BEGIN SOLUTION
    spec = [
        ("InvocationLatency", "latency_ms", "Milliseconds"),
        ("InputTokenCount", "input_tokens", "Count"),
        ("OutputTokenCount", "output_tokens", "Count"),
    ]
    points = [
        {
            "MetricName": name,
            "Dimensions": [{"Name": "ModelId", "Value": r["model_id"]}],
            "Timestamp": r["timestamp"],
            "Value": float(r[field]),
            "Unit": unit,
        }
        for r in records
        for name, field, unit in spec
    ]
    for start in range(0, len(points), 500):
        cw.put_metric_data(Namespace=namespace, MetricData=points[start : start + 500])
    return len(points)
    ### END SOLUTION


# %% kind="tests" grade_id="cw-publish-metrics-tests" points=3
"""Do the published metrics carry the right names, ModelId dimension, units and values?"""


def _metric_sum(cw, namespace, name, model_id, unit, stat="Sum", minutes=120, end=None):
    end = end or dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2)
    query = {
        "Id": "q",
        "MetricStat": {
            "Metric": {"Namespace": namespace, "MetricName": name, "Dimensions": [{"Name": "ModelId", "Value": model_id}]},
            "Period": 60,
            "Stat": stat,
            "Unit": unit,
        },
    }
    res = cw.get_metric_data(MetricDataQueries=[query], StartTime=end - dt.timedelta(minutes=minutes), EndTime=end)
    return sum(res["MetricDataResults"][0]["Values"])


_cw = aws.client("cloudwatch")
_now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
_ns = f"GenAI/Gateway-{uuid.uuid4().hex[:6]}"
_records = [
    {"model_id": "anthropic.claude-3-haiku-20240307-v1:0", "latency_ms": 820, "input_tokens": 1200, "output_tokens": 210,
     "timestamp": _now - dt.timedelta(minutes=3)},
    {"model_id": "anthropic.claude-3-haiku-20240307-v1:0", "latency_ms": 640, "input_tokens": 900, "output_tokens": 150,
     "timestamp": _now - dt.timedelta(minutes=2)},
    {"model_id": "amazon.nova-pro-v1:0", "latency_ms": 1900, "input_tokens": 3000, "output_tokens": 700,
     "timestamp": _now - dt.timedelta(minutes=1)},
]
_n = checks.call(publish_invocation_metrics, _cw, _ns, _records)
checks.expect_equal(_n, 9, "publish_invocation_metrics should return the number of data points (3 per record)")
_haiku = "anthropic.claude-3-haiku-20240307-v1:0"
checks.expect_equal(_metric_sum(_cw, _ns, "InputTokenCount", _haiku, "Count"), 2100.0,
                    "InputTokenCount (unit Count) for the Haiku model should sum its records",
                    hint='Dimensions=[{"Name": "ModelId", "Value": record["model_id"]}], Unit="Count"')
checks.expect_equal(_metric_sum(_cw, _ns, "InvocationLatency", "amazon.nova-pro-v1:0", "Milliseconds"), 1900.0,
                    "InvocationLatency should be published in Milliseconds per ModelId",
                    hint='MetricName="InvocationLatency", Unit="Milliseconds"')
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_rng = np.random.default_rng()
_ns2 = f"GenAI/{uuid.uuid4().hex[:8]}"
_models = [f"model-{uuid.uuid4().hex[:5]}", f"model-{uuid.uuid4().hex[:5]}"]
_recs = [
    {"model_id": _models[i % 2], "latency_ms": int(_rng.integers(100, 5000)), "input_tokens": int(_rng.integers(10, 9000)),
     "output_tokens": int(_rng.integers(1, 2000)), "timestamp": _now - dt.timedelta(minutes=int(_rng.integers(1, 50)))}
    for i in range(260)
]
_n2 = checks.call(publish_invocation_metrics, _cw, _ns2, _recs)
checks.expect_equal(_n2, 780, "the return value should count every data point sent")
for _m in _models:
    _mine = [r for r in _recs if r["model_id"] == _m]
    for _name, _field, _unit in (("InvocationLatency", "latency_ms", "Milliseconds"), ("InputTokenCount", "input_tokens", "Count"),
                                 ("OutputTokenCount", "output_tokens", "Count")):
        checks.expect_equal(_metric_sum(_cw, _ns2, _name, _m, _unit), float(sum(r[_field] for r in _mine)),
                            f"{_name} for {_m} should sum every record of that model (unit {_unit})")
    checks.expect_equal(_metric_sum(_cw, _ns2, "OutputTokenCount", _m, "Count", stat="SampleCount"), float(len(_mine)),
                        "each record should produce exactly one OutputTokenCount data point")
# Each data point carries its record's timestamp: a record from 3 hours ago is found there, not now.
_old = {"model_id": _models[0], "latency_ms": 777, "input_tokens": 5, "output_tokens": 6,
        "timestamp": _now - dt.timedelta(hours=3)}
_ns3 = f"GenAI/{uuid.uuid4().hex[:8]}"
checks.call(publish_invocation_metrics, _cw, _ns3, [_old])
checks.expect_equal(_metric_sum(_cw, _ns3, "InvocationLatency", _models[0], "Milliseconds", minutes=20,
                                end=_now - dt.timedelta(hours=3) + dt.timedelta(minutes=10)), 777.0,
                    "each data point should carry its record's timestamp", hint='"Timestamp": record["timestamp"]')
_listed = _cw.list_metrics(Namespace=_ns2)["Metrics"]
_dimsets = {tuple(sorted(d["Name"] for d in m["Dimensions"])) for m in _listed}
checks.expect_equal(_dimsets, {("ModelId",)}, "every metric should have exactly one dimension, ModelId")
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 2 — a per-model usage report from CloudWatch (3 points)
#
# Finance asks for a table of the last hour: per model, how many invocations, how many input and
# output tokens, and the average latency. Write `model_usage_report(cw, namespace, model_ids,
# start, end)` that reads the metrics of Exercise 1 with **one** `get_metric_data` call and
# returns a pandas DataFrame indexed by model ID (in the order given) with the columns
# `invocations`, `input_tokens`, `output_tokens` (integers) and `avg_latency_ms` (float).
#
# - `invocations` is the `SampleCount` of `InvocationLatency`; token columns are `Sum`s.
# - `avg_latency_ms` = total latency / number of invocations over the **whole** window
#   (0.0 for a model without data). Careful: the mean of per-minute averages is not the same
#   number when minutes hold different numbers of calls.
# - Use `Period=60` and add up every returned value: a query returns one value per period.
# - Query `Id`s must start with a lowercase letter and be unique, e.g. `f"m{i}_tokens_in"`.
#
# (In a real account you would add a `p90` query for tail latency. moto does not compute
# percentiles, so it is left out here.)

# %% kind="solution" grade_id="cw-usage-report"
def model_usage_report(cw, namespace, model_ids, start, end):
    """A DataFrame per model: invocations, input_tokens, output_tokens, avg_latency_ms."""
    ### BEGIN SOLUTION
    wanted = {
        "calls": ("InvocationLatency", "SampleCount"),
        "latency": ("InvocationLatency", "Sum"),
        "tin": ("InputTokenCount", "Sum"),
        "tout": ("OutputTokenCount", "Sum"),
    }
    queries = []
    for i, model in enumerate(model_ids):
        for key, (metric, stat) in wanted.items():
            queries.append(
                {
                    "Id": f"m{i}_{key}",
                    "MetricStat": {
                        "Metric": {
                            "Namespace": namespace,
                            "MetricName": metric,
                            "Dimensions": [{"Name": "ModelId", "Value": model}],
                        },
                        "Period": 60,
                        "Stat": stat,
                    },
                }
            )
    totals = {}
    kwargs = {"MetricDataQueries": queries, "StartTime": start, "EndTime": end}
    while True:
        page = cw.get_metric_data(**kwargs)
        for result in page["MetricDataResults"]:
            totals[result["Id"]] = totals.get(result["Id"], 0.0) + sum(result["Values"])
        if not page.get("NextToken"):
            break
        kwargs["NextToken"] = page["NextToken"]
    rows = []  # CloudWatch returns a result for every query, with no values when there is no data
    for i, model in enumerate(model_ids):
        calls = totals[f"m{i}_calls"]
        rows.append(
            {
                "model_id": model,
                "invocations": int(calls),
                "input_tokens": int(totals[f"m{i}_tin"]),
                "output_tokens": int(totals[f"m{i}_tout"]),
                "avg_latency_ms": totals[f"m{i}_latency"] / calls if calls else 0.0,
            }
        )
    return pd.DataFrame(rows).set_index("model_id")
    ### END SOLUTION


# %% kind="tests" grade_id="cw-usage-report-tests" points=3
"""Does the report total each model's calls and tokens and weight the average latency by calls?"""
_cw = aws.client("cloudwatch")
_now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)


def _seed(ns, model, minute_ago, latencies, tin, tout):
    ts = _now - dt.timedelta(minutes=minute_ago)
    dims = [{"Name": "ModelId", "Value": model}]
    _cw.put_metric_data(Namespace=ns, MetricData=[
        {"MetricName": "InvocationLatency", "Dimensions": dims, "Timestamp": ts, "Values": latencies,
         "Counts": [1.0] * len(latencies), "Unit": "Milliseconds"},
        {"MetricName": "InputTokenCount", "Dimensions": dims, "Timestamp": ts, "Value": tin, "Unit": "Count"},
        {"MetricName": "OutputTokenCount", "Dimensions": dims, "Timestamp": ts, "Value": tout, "Unit": "Count"},
    ])


_ns = f"GenAI/Report-{uuid.uuid4().hex[:6]}"
_seed(_ns, "model-a", 10, [100.0, 100.0, 100.0], 3000, 600)
_seed(_ns, "model-a", 5, [1000.0], 500, 100)
_seed(_ns, "model-b", 7, [400.0, 600.0], 800, 90)
from course import paging

_requests = []
_cw.meta.events.register("provide-client-params.cloudwatch.GetMetricData",
                         lambda params, **kw: _requests.append(params), unique_id="aip-record-gmd")


def _report_of(*args):
    """The learner's report, with AWS's right to answer in pages used (NextToken must be followed)."""
    _requests.clear()
    with paging.small_pages(3):
        report = checks.call(model_usage_report, _cw, *args)
    checks.expect_type(report, pd.DataFrame, "model_usage_report should return a pandas DataFrame")
    for col in ("invocations", "input_tokens", "output_tokens", "avg_latency_ms"):
        checks.expect_in(col, list(report.columns), "the report's columns")
    first = [r for r in _requests if not r.get("NextToken")]
    checks.expect_equal(len(first), 1, "one get_metric_data request for every model and metric (then its next pages)",
                        hint="build all the queries first, then call get_metric_data once and follow NextToken")
    periods = {q.get("MetricStat", {}).get("Period") for r in _requests for q in r.get("MetricDataQueries", [])
               if "MetricStat" in q}
    checks.expect_equal(periods, {60}, "every query should use Period=60")
    return report


_report = _report_of(_ns, ["model-a", "model-b"], _now - dt.timedelta(hours=1), _now + dt.timedelta(minutes=1))
checks.expect_equal(list(_report.index), ["model-a", "model-b"], "the report should be indexed by model ID, in the order given",
                    hint="pd.DataFrame(rows).set_index('model_id')")
checks.expect_equal(int(_report.loc["model-a", "invocations"]), 4, "model-a made 4 calls (SampleCount over the window)")
checks.expect_equal(int(_report.loc["model-a", "input_tokens"]), 3500, "model-a input tokens should be summed over every minute",
                    hint="sum(result['Values']): one value per 60-second period")
checks.expect(abs(float(_report.loc["model-a", "avg_latency_ms"]) - 325.0) < 1e-6,
              "avg latency of model-a should be total latency / calls = 1300 / 4",
              expected=325.0, found=float(_report.loc["model-a", "avg_latency_ms"]),
              hint="the mean of per-minute averages (550) over-weights the quiet minute")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_rng = np.random.default_rng()
_ns2 = f"GenAI/{uuid.uuid4().hex[:8]}"
_models = [f"m-{uuid.uuid4().hex[:4]}", f"m-{uuid.uuid4().hex[:4]}-lite", f"m-{uuid.uuid4().hex[:4]}"]
_truth = {m: {"calls": 0, "lat": 0.0, "tin": 0, "tout": 0} for m in _models}
for _m in _models[:2]:
    for _minute in _rng.choice(np.arange(2, 55), size=6, replace=False):
        _lat = [float(x) for x in _rng.integers(50, 3000, size=int(_rng.integers(1, 6)))]
        _tin, _tout = int(_rng.integers(10, 5000)), int(_rng.integers(1, 900))
        _seed(_ns2, _m, int(_minute), _lat, _tin, _tout)
        _truth[_m]["calls"] += len(_lat)
        _truth[_m]["lat"] += sum(_lat)
        _truth[_m]["tin"] += _tin
        _truth[_m]["tout"] += _tout
_seed(_ns2, _models[0], 150, [99999.0], 77777, 55555)  # before the window: must be ignored
_rep = _report_of(_ns2, _models, _now - dt.timedelta(hours=1), _now + dt.timedelta(minutes=1))
checks.expect_equal(list(_rep.index), _models, "one row per model, in the order given (even with no data)")
for _m in _models:
    _t = _truth[_m]
    _got = (int(_rep.loc[_m, "invocations"]), int(_rep.loc[_m, "input_tokens"]), int(_rep.loc[_m, "output_tokens"]))
    checks.expect_equal(_got, (_t["calls"], _t["tin"], _t["tout"]),
                        f"invocations/input/output tokens of {_m} within the window")
    _avg = _t["lat"] / _t["calls"] if _t["calls"] else 0.0
    checks.expect(abs(float(_rep.loc[_m, "avg_latency_ms"]) - _avg) < 1e-6, f"avg_latency_ms of {_m}",
                  expected=_avg, found=float(_rep.loc[_m, "avg_latency_ms"]))
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 3 — a p90 latency alarm with M-of-N evaluation (2 points)
#
# The support chatbot's SLO: "p90 latency of the model below `threshold_ms`". One slow minute is
# noise; three slow minutes out of five is an incident. A quiet night without traffic is not an
# incident.
#
# Write `create_latency_alarm(cw, model_id, threshold_ms, topic_arn)` that creates the metric
# alarm `bedrock-p90-latency-<model_id>` on the **Bedrock** metric `InvocationLatency`
# (namespace `AWS/Bedrock`, dimension `ModelId`), using the 90th percentile over 60-second
# periods, alarming when it is greater than the threshold in 3 of the last 5 periods, treating
# missing data as not breaching, and notifying `topic_arn` both when it goes into ALARM and when
# it returns to OK. Return the alarm name.
#
# Hint: percentiles go in `ExtendedStatistic`, not `Statistic`. moto stores the alarm but never
# evaluates it, so the test reads its definition with `describe_alarms`.

# %% kind="solution" grade_id="cw-latency-alarm"
def create_latency_alarm(cw, model_id, threshold_ms, topic_arn):
    """Create a p90 InvocationLatency alarm (3 of 5 minutes) for one Bedrock model; return its name."""
    ### BEGIN SOLUTION
    name = f"bedrock-p90-latency-{model_id}"
    cw.put_metric_alarm(
        AlarmName=name,
        Namespace="AWS/Bedrock",
        MetricName="InvocationLatency",
        Dimensions=[{"Name": "ModelId", "Value": model_id}],
        ExtendedStatistic="p90",
        Period=60,
        EvaluationPeriods=5,
        DatapointsToAlarm=3,
        Threshold=float(threshold_ms),
        ComparisonOperator="GreaterThanThreshold",
        TreatMissingData="notBreaching",
        AlarmActions=[topic_arn],
        OKActions=[topic_arn],
    )
    return name
    ### END SOLUTION


# %% kind="tests" grade_id="cw-latency-alarm-tests" points=2
"""Is the alarm a p90, 3-of-5-minute, notBreaching alarm on AWS/Bedrock InvocationLatency for the model?"""
_cw = aws.client("cloudwatch")
_model = "anthropic.claude-3-5-sonnet-20240620-v1:0"
_topic = "arn:aws:sns:us-east-1:123456789012:genai-oncall"
_name = checks.call(create_latency_alarm, _cw, _model, 2500, _topic)
checks.expect_equal(_name, f"bedrock-p90-latency-{_model}", "the alarm name should be bedrock-p90-latency-<model_id>")
_alarms = checks.read(f"the alarm {_name}", _cw.describe_alarms, AlarmNames=[_name])["MetricAlarms"]
checks.expect(len(_alarms) == 1, "describe_alarms should find the alarm", expected=_name, found=_alarms)
_a = _alarms[0]
checks.expect_equal((_a.get("Namespace"), _a.get("MetricName"), _a.get("Dimensions")),
                    ("AWS/Bedrock", "InvocationLatency", [{"Name": "ModelId", "Value": _model}]),
                    "the alarm should watch AWS/Bedrock InvocationLatency for this ModelId")
checks.expect_equal((_a.get("ExtendedStatistic"), _a.get("Statistic")), ("p90", None),
                    "the alarm should use the p90 percentile (ExtendedStatistic) and no Statistic",
                    hint='ExtendedStatistic="p90"')
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_model2 = f"custom.model-{uuid.uuid4().hex[:6]}"
_topic2 = f"arn:aws:sns:us-east-1:123456789012:t-{uuid.uuid4().hex[:6]}"
_thr = int(np.random.default_rng().integers(800, 9000))
_name2 = checks.call(create_latency_alarm, _cw, _model2, _thr, _topic2)
_b = checks.get(checks.read(f"the alarm {_name2}", _cw.describe_alarms, AlarmNames=[_name2])["MetricAlarms"], 0,
               f"the alarms named {_name2}", hint="return the name of the alarm you created")
checks.expect_equal(_b.get("Dimensions"), [{"Name": "ModelId", "Value": _model2}], "the dimension should be the model passed in")
checks.expect_equal((_b.get("Period"), _b.get("EvaluationPeriods"), _b.get("DatapointsToAlarm")), (60, 5, 3),
                    "evaluate 60-second periods, alarming on 3 of the last 5")
checks.expect_equal((_b.get("Threshold"), _b.get("ComparisonOperator")), (float(_thr), "GreaterThanThreshold"),
                    "alarm when p90 is greater than the threshold given")
checks.expect_equal(_b.get("TreatMissingData"), "notBreaching", "periods without traffic should not count as breaching")
checks.expect_equal((_b.get("AlarmActions"), _b.get("OKActions")), ([_topic2], [_topic2]),
                    "notify the topic on ALARM and on return to OK")
### END HIDDEN TESTS

# %% [markdown]
# ## Amazon CloudWatch Logs and Logs Insights <a id="cloudwatch-logs"></a>
#
# **Concepts.** A *log group* (for example `/aws/lambda/rag-gateway`) holds *log streams*, each a
# sequence of timestamped *events* from one source. Settings live on the group: **retention**
# (1 day to 10 years, or never expire; only the values 1, 3, 5, 7, 14, 30, 60, 90, 120, 150,
# 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653 days are accepted), **KMS
# encryption** with a customer managed key, a log class (Standard or the cheaper
# Infrequent Access), and **data protection policies** that mask PII such as emails in events.
#
# **Getting value out of logs.**
#
# - **Metric filters** turn matching events into a CloudWatch metric: a pattern (text, or JSON such
#   as `{ $.output.outputTokenCount > 0 }`), a value (`1`, or a field like
#   `$.output.outputTokenCount`) and up to three dimensions taken from fields. Never use a
#   high-cardinality field (request ID, user ID) as a dimension: every value is a new billed metric,
#   and CloudWatch disables a filter that produces 1,000 dimension combinations.
# - **Subscription filters** stream events in near real time to Lambda, Kinesis Data Streams,
#   Firehose or OpenSearch; **export** to S3 is a batch task for archives.
# - **Logs Insights** is a piped query language, for example
#   `fields @timestamp, modelId, output.outputTokenCount | filter operation = "Converse" | stats sum(output.outputTokenCount) by modelId, bin(1h)`.
#   Commands include `fields`, `filter`, `stats`, `sort`, `limit`, `parse`, `dedup`; JSON fields
#   are discovered automatically. Queries are billed by the amount of data scanned.
#
# **GenAI angle.** Bedrock **model invocation logging** (off by default, one setting per Region)
# writes a JSON record per call (model ID, operation, identity, token counts and, if enabled,
# the full prompt and response) to a log group and/or S3. Protect that group like the data it
# holds: KMS key, retention matched to policy, data protection masking. Two more GenAI uses:
# a metric filter that counts responses containing the prompt's fallback phrase ("I could not
# find this...") turns a prompt regression into an alarm right after a release; and a **knowledge
# base** can deliver its own logs to CloudWatch Logs, with the status of every document processed
# by an ingestion job and the reason for each failure, which the job statistics alone do not show.
#
# *Note:* the notes list "SageMaker endpoint invocation logs (request/response payloads)" as a
# CloudWatch Logs source. Endpoint **data capture** writes payloads to **S3**; the endpoint's
# log group holds the container's own output. CloudWatch Events is now **Amazon EventBridge**.
#
# **Exam tip:** count or sum something that appears in logs → metric filter; react to each
# event in near real time → subscription filter; ad-hoc investigation → Logs Insights.

# %%
quiz.show("governance", "cloudwatch-logs")

# %% [markdown]
# ### Exercise 4 — a log group for Bedrock invocation logs (3 points)
#
# Compliance says: invocation logs must be encrypted with the team's KMS key and kept **at
# least** `min_retention_days` days; storage should not be kept much longer than needed. The
# FinOps team also wants a metric of output tokens per model taken from those logs.
#
# Write `create_invocation_log_group(logs, group_name, kms_key_arn, min_retention_days,
# namespace)` that:
#
# 1. creates the log group encrypted with `kms_key_arn`;
# 2. sets retention to the **smallest allowed value** (`ALLOWED_RETENTION` below) that is at
#    least `min_retention_days`; if no allowed value is large enough, sets no retention (never
#    expire);
# 3. adds the metric filter `output-tokens-by-model` with the pattern
#    `{ $.output.outputTokenCount > 0 }` that publishes `OutputTokenCount` (unit `Count`) in
#    `namespace`, valued by the log field `$.output.outputTokenCount`, with the dimension
#    `ModelId` taken from `$.modelId`;
# 4. returns the retention it set (or `None`).
#
# moto accepts any retention number and never runs metric filters, so the test checks the
# values you chose and the filter's definition.

# %%
ALLOWED_RETENTION = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]

# %% kind="solution" grade_id="logs-invocation-group"
def create_invocation_log_group(logs, group_name, kms_key_arn, min_retention_days, namespace):
    """Create an encrypted log group with minimal compliant retention and a token metric filter."""
    ### BEGIN SOLUTION
    logs.create_log_group(logGroupName=group_name, kmsKeyId=kms_key_arn)
    retention = next((d for d in ALLOWED_RETENTION if d >= min_retention_days), None)
    if retention is not None:
        logs.put_retention_policy(logGroupName=group_name, retentionInDays=retention)
    logs.put_metric_filter(
        logGroupName=group_name,
        filterName="output-tokens-by-model",
        filterPattern="{ $.output.outputTokenCount > 0 }",
        metricTransformations=[
            {
                "metricName": "OutputTokenCount",
                "metricNamespace": namespace,
                "metricValue": "$.output.outputTokenCount",
                "dimensions": {"ModelId": "$.modelId"},
                "unit": "Count",
            }
        ],
    )
    return retention
    ### END SOLUTION


# %% kind="tests" grade_id="logs-invocation-group-tests" points=3
"""Is the log group encrypted, kept no shorter and not much longer than required, with the right metric filter?"""
_logs, _kms = aws.client("logs"), aws.client("kms")
_key = _kms.create_key(Description="invocation logs")["KeyMetadata"]["Arn"]
_group = f"/genai/bedrock/invocations-{uuid.uuid4().hex[:6]}"
_ret = checks.call(create_invocation_log_group, _logs, _group, _key, 45, "GenAI/Usage")
_g = _logs.describe_log_groups(logGroupNamePrefix=_group)["logGroups"]
checks.expect(len(_g) == 1, "the log group should exist", expected=_group, found=[g["logGroupName"] for g in _g])
checks.expect_equal(_g[0].get("kmsKeyId"), _key, "the log group should be encrypted with the KMS key given",
                    hint="create_log_group(logGroupName=..., kmsKeyId=kms_key_arn)")
checks.expect_equal((_ret, _g[0].get("retentionInDays")), (60, 60),
                    "45 days is not an allowed value: the smallest allowed value >= 45 is 60",
                    hint="next(d for d in ALLOWED_RETENTION if d >= min_retention_days)")
_f = _logs.describe_metric_filters(logGroupName=_group)["metricFilters"]
checks.expect_equal([f["filterName"] for f in _f], ["output-tokens-by-model"], "one metric filter named output-tokens-by-model")
_t = _f[0]["metricTransformations"][0]
checks.expect_equal(_t.get("metricValue"), "$.output.outputTokenCount",
                    "the metric value should be the token count field, not a constant 1")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_ns = f"GenAI/{uuid.uuid4().hex[:6]}"
for _need, _expected in ((1, 1), (2, 3), (30, 30), (366, 400), (401, 545), (1000, 1096), (3653, 3653), (4000, None)):
    _grp = f"/genai/inv-{uuid.uuid4().hex[:8]}"
    _r = checks.call(create_invocation_log_group, _logs, _grp, _key, _need, _ns)
    _desc = _logs.describe_log_groups(logGroupNamePrefix=_grp)["logGroups"][0]
    checks.expect_equal((_r, _desc.get("retentionInDays")), (_expected, _expected),
                        f"retention for a minimum of {_need} days (None means never expire)")
_ff = _logs.describe_metric_filters(logGroupName=_grp)["metricFilters"][0]
_tt = _ff["metricTransformations"][0]
checks.expect_equal(_ff.get("filterPattern", "").replace(" ", ""), "{$.output.outputTokenCount>0}", "the filter pattern")
checks.expect_equal((_tt.get("metricName"), _tt.get("metricNamespace"), _tt.get("unit")), ("OutputTokenCount", _ns, "Count"),
                    "metric name, namespace and unit of the transformation")
checks.expect_equal(_tt.get("dimensions"), {"ModelId": "$.modelId"},
                    "exactly one dimension, ModelId from $.modelId (no high-cardinality fields such as requestId)")
### END HIDDEN TESTS

# %% [markdown]
# ## Amazon CloudWatch Synthetics: canaries <a id="synthetics"></a>
#
# **What it is.** A *canary* is a script that CloudWatch runs on a schedule (as often as every
# minute, or once) from AWS infrastructure, doing what a user would do: call an API, load a page,
# click through a flow. Runtimes: Node.js (Puppeteer or Playwright) and Python (Selenium).
# Blueprints include heartbeat monitoring, API canary, broken link checker, visual monitoring
# (screenshot comparison against a baseline), the canary recorder and the GUI workflow builder.
# Each run stores screenshots, HAR files and logs in S3 and publishes `SuccessPercent` and
# `Duration` metrics, on which you alarm. A canary can run inside your VPC to test private
# endpoints.
#
# **Why it matters.** Real-user metrics are silent when no one is using the application (night,
# a new Region, a private endpoint). A canary produces steady traffic, so an outage shows up
# before customers see it, and a failing canary right after a deployment points at the change.
#
# **GenAI angle.** A canary sends a fixed question to the RAG API every five minutes and checks
# status, latency and that the answer cites a known document; another calls the SageMaker
# endpoint with a sample payload. Keep canary prompts cheap (short, low `maxTokens`): they are
# billed model calls.
#
# | Signal | Source |
# |---|---|
# | is the chatbot up when nobody uses it? | Synthetics canary |
# | how slow is it for real users? | CloudWatch RUM / application metrics |
# | which service in the chain is slow? | AWS X-Ray / Application Signals traces |
#
# **Exam tip:** "detect failures before customers do", "test the endpoint on a schedule",
# "monitor the login → ask → answer workflow" → CloudWatch Synthetics canary plus an alarm.

# %%
quiz.show("governance", "synthetics")

# %% [markdown]
# ## AWS CloudTrail: who called what, when <a id="cloudtrail"></a>
#
# **What it is.** The audit log of API activity in an account: who (identity), when, from where
# (source IP, user agent), which action, on which resources, and whether it failed.
#
# - **Event history** keeps the last **90 days of management events** for free, per Region,
#   with no setup. Anything else needs a **trail** (delivers files to S3, optionally CloudWatch
#   Logs) or a **CloudTrail Lake** event data store (SQL queries, long retention).
# - **Management events** are control-plane calls (`CreateKnowledgeBase`,
#   `PutModelInvocationLoggingConfiguration`) and are logged by default. **Data events** are
#   high-volume data-plane calls (S3 object reads, Lambda invokes) and are **not** logged unless
#   you add selectors, at extra cost. **Insights events** flag unusual API call rates.
# - **Advanced event selectors** filter on `eventCategory`, `resources.type`, `eventName`,
#   `resources.ARN`, `readOnly`... to log only what you need.
# - **Log file integrity validation** writes hourly signed digest files (SHA-256) so you can
#   prove log files were not changed or deleted. Organization trails cover every account.
# - Management events also reach **Amazon EventBridge**: a rule on, say, `UpdateGuardrail` or
#   `DeleteGuardrail` can notify the security team through SNS within minutes, with the caller's
#   identity. To *prevent* a change (such as turning off invocation logging), use an SCP instead.
#
# **GenAI angle.** Bedrock runtime calls such as `InvokeModel` and `Converse` are recorded as
# management events (who called which model, not the prompt). Calls on Bedrock *resources* such
# as `Retrieve`/`RetrieveAndGenerate` on a knowledge base (`AWS::Bedrock::KnowledgeBase`),
# `InvokeAgent` on an agent alias (`AWS::Bedrock::AgentAlias`), flows, guardrails and prompts are
# **data events** that need selectors. Prompt and response *content* comes from model
# invocation logging, not CloudTrail.
#
# | Question | Service |
# |---|---|
# | who deleted the guardrail yesterday? | CloudTrail |
# | what did the user ask the model? | Bedrock model invocation logging |
# | how many throttles per minute? | CloudWatch metrics |
#
# **Exam tip:** audit, "who did what", compliance evidence, tamper-evident logs → CloudTrail with
# log file validation, delivered to a locked-down (Object Lock) bucket in a log-archive account.

# %%
quiz.show("governance", "cloudtrail")

# %% [markdown]
# ### Exercise 5 — an audit trail for a RAG assistant (3 points)
#
# Auditors want a record of every management event in every Region, plus every knowledge-base
# retrieval and every agent invocation of the company's Bedrock assistant, with evidence that log
# files were not altered.
#
# Write `create_genai_audit_trail(cloudtrail, s3, trail_name, bucket)` that:
#
# 1. creates the S3 bucket `bucket` and a bucket policy that lets the principal
#    `cloudtrail.amazonaws.com` call `s3:GetBucketAcl` on the bucket and `s3:PutObject` on
#    `arn:aws:s3:::<bucket>/AWSLogs/<account>/*` (the account is `123456789012`);
# 2. creates the trail `trail_name` as a **multi-Region** trail with **log file validation**;
# 3. puts **advanced** event selectors: one for all management events
#    (`eventCategory` = `Management`), and one data-event selector per resource type,
#    `AWS::Bedrock::KnowledgeBase` and `AWS::Bedrock::AgentAlias` (`eventCategory` = `Data`,
#    `resources.type` = the type);
# 4. starts logging and returns the trail ARN.
#
# moto checks that the bucket exists, but it does not check the bucket policy or the selector
# field names, so the test reads back what you configured.

# %% kind="solution" grade_id="trail-bedrock-audit"
def create_genai_audit_trail(cloudtrail, s3, trail_name, bucket):
    """Create a multi-Region, validated trail with Bedrock KB and agent data events; return its ARN."""
    ### BEGIN SOLUTION
    account = "123456789012"
    s3.create_bucket(Bucket=bucket)
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "s3:GetBucketAcl",
                "Resource": f"arn:aws:s3:::{bucket}",
            },
            {
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "s3:PutObject",
                "Resource": f"arn:aws:s3:::{bucket}/AWSLogs/{account}/*",
            },
        ],
    }
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    trail = cloudtrail.create_trail(
        Name=trail_name,
        S3BucketName=bucket,
        IsMultiRegionTrail=True,
        EnableLogFileValidation=True,
    )
    selectors = [{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}]
    for resource_type in ("AWS::Bedrock::KnowledgeBase", "AWS::Bedrock::AgentAlias"):
        selectors.append(
            {
                "FieldSelectors": [
                    {"Field": "eventCategory", "Equals": ["Data"]},
                    {"Field": "resources.type", "Equals": [resource_type]},
                ],
            }
        )
    cloudtrail.put_event_selectors(TrailName=trail_name, AdvancedEventSelectors=selectors)
    cloudtrail.start_logging(Name=trail_name)
    return trail["TrailARN"]
    ### END SOLUTION


# %% kind="tests" grade_id="trail-bedrock-audit-tests" points=3
"""Does the trail log all Regions with validation, management events, and Bedrock KB and agent data events?"""


def _selector_summary(ct, trail):
    sel = checks.read(f"the event selectors of trail {trail}", ct.get_event_selectors, TrailName=trail)
    management, data_types = False, set()
    for s in sel.get("AdvancedEventSelectors") or []:
        fields = {f.get("Field"): f.get("Equals", []) for f in s.get("FieldSelectors", [])}
        if fields.get("eventCategory") == ["Management"]:
            management = True
        if fields.get("eventCategory") == ["Data"]:
            data_types.update(fields.get("resources.type", []))
    return management, data_types, sel.get("EventSelectors") or []


_ct, _s3 = aws.client("cloudtrail"), aws.client("s3")
_trail = f"genai-audit-{uuid.uuid4().hex[:6]}"
_bucket = f"genai-audit-logs-{uuid.uuid4().hex[:8]}"
_arn = checks.call(create_genai_audit_trail, _ct, _s3, _trail, _bucket)
_info = checks.read(f"the trail {_trail}", _ct.get_trail, Name=_trail)["Trail"]
checks.expect_equal(_arn, _info["TrailARN"], "the function should return the trail's ARN")
checks.expect_equal((_info.get("IsMultiRegionTrail"), _info.get("LogFileValidationEnabled")), (True, True),
                    "the trail should be multi-Region with log file validation",
                    hint="create_trail(..., IsMultiRegionTrail=True, EnableLogFileValidation=True)")
_mgmt, _types, _basic = _selector_summary(_ct, _trail)
checks.expect(_mgmt, "an advanced selector should log management events", expected="eventCategory = Management",
              found="no such selector", hint="put_event_selectors(TrailName=..., AdvancedEventSelectors=[...])")
checks.expect_in("AWS::Bedrock::KnowledgeBase", _types, "knowledge-base retrievals are data events: select them")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_trail2 = f"audit-{uuid.uuid4().hex[:8]}"
_bucket2 = f"audit-{uuid.uuid4().hex[:10]}"
_arn2 = checks.call(create_genai_audit_trail, _ct, _s3, _trail2, _bucket2)
checks.expect_equal(_arn2, checks.read(f"the trail {_trail2}", _ct.get_trail, Name=_trail2)["Trail"]["TrailARN"],
                    "the ARN of the trail just created")
_mgmt2, _types2, _basic2 = _selector_summary(_ct, _trail2)
checks.expect(_mgmt2 and _types2 == {"AWS::Bedrock::KnowledgeBase", "AWS::Bedrock::AgentAlias"},
              "management events plus data events for exactly the KB and agent-alias resource types",
              expected=sorted({"AWS::Bedrock::KnowledgeBase", "AWS::Bedrock::AgentAlias"}), found=sorted(_types2))
checks.expect_equal(_basic2, [], "use advanced event selectors only (no basic EventSelectors)")
checks.expect(_ct.get_trail_status(Name=_trail2)["IsLogging"], "the trail should be logging", hint="start_logging(Name=...)")
with checks.step("reading the bucket policy"):
    _pol = json.loads(_s3.get_bucket_policy(Bucket=_bucket2)["Policy"])
checks.expect(_pol.get("Version", "2012-10-17") in ("2012-10-17", "2008-10-17"), "the bucket policy's Version",
              expected="2012-10-17", found=_pol.get("Version"))
_stmts = _pol.get("Statement", [])
_stmts = _stmts if isinstance(_stmts, list) else [_stmts]


def _grants(action, resource):
    for st in _stmts:
        acts = st.get("Action", [])
        acts = [acts] if isinstance(acts, str) else acts
        res = st.get("Resource", [])
        res = [res] if isinstance(res, str) else res
        svc = st.get("Principal", {}).get("Service", []) if isinstance(st.get("Principal"), dict) else []
        svc = [svc] if isinstance(svc, str) else svc
        if st.get("Effect") == "Allow" and action in acts and resource in res and "cloudtrail.amazonaws.com" in svc:
            return True
    return False


checks.expect(_grants("s3:GetBucketAcl", f"arn:aws:s3:::{_bucket2}"), "the bucket policy should let CloudTrail read the bucket ACL")
checks.expect(_grants("s3:PutObject", f"arn:aws:s3:::{_bucket2}/AWSLogs/123456789012/*"),
              "the bucket policy should let CloudTrail write under AWSLogs/<account>/")
### END HIDDEN TESTS

# %% [markdown]
# ## Amazon Managed Grafana: dashboards across sources <a id="grafana"></a>
#
# **What it is.** A managed Grafana workspace: AWS runs, patches and scales the servers. Built-in
# data sources include CloudWatch, Amazon Managed Service for Prometheus, X-Ray, OpenSearch,
# Timestream, Athena and Redshift, plus many third-party ones (some need Grafana Enterprise).
# Sign-in is through **IAM Identity Center** or any **SAML 2.0** identity provider; Grafana roles
# (admin, editor, viewer) are assigned to users and groups. One workspace can read data from
# many accounts and Regions (with Organizations, through service-managed roles).
#
# *Note:* the notes list OAuth among the sign-in options. Amazon Managed Grafana supports IAM
# Identity Center and SAML; it has no generic OAuth option.
#
# **When to choose it.**
#
# | Need | Choice |
# |---|---|
# | a few dashboards on CloudWatch metrics in one account | CloudWatch dashboards |
# | one view over CloudWatch, Prometheus (EKS) and SQL sources, many accounts | Managed Grafana |
# | business-facing BI over a data warehouse | Amazon QuickSight |
#
# **GenAI angle.** A model-serving platform on EKS exports GPU and vLLM/Triton metrics to
# Managed Prometheus, while Bedrock metrics are in CloudWatch: a Grafana workspace shows both,
# for every team account, on one dashboard.
#
# **Exam tip:** "open-source Grafana", "Prometheus metrics", "single pane across accounts and
# data sources", "no servers to manage" → Amazon Managed Grafana.

# %%
quiz.show("governance", "grafana")

# %% [markdown]
# # Part 2 — Operations: scaling, configuration, ChatOps

# %% [markdown]
# ## AWS Auto Scaling for model endpoints <a id="auto-scaling"></a>
#
# **What it is.** SageMaker endpoint variants, ECS services, DynamoDB capacity, Aurora replicas
# and more scale through **Application Auto Scaling**; EC2 fleets through **EC2 Auto Scaling**
# groups. For a SageMaker endpoint you register the variant's `DesiredInstanceCount` as a
# scalable target (min, max) and attach a policy:
#
# - **Target tracking** keeps a metric near a target, typically the predefined
#   `SageMakerVariantInvocationsPerInstance` (invocations per instance per minute; find the
#   value with a load test), or a custom one such as GPU utilisation. For LLMs, whose requests
#   last from seconds to minutes, the high-resolution **`ConcurrentRequestsPerModel`** (or
#   `ConcurrentRequestsPerCopy` for inference components) tracks load better and lets the policy
#   react faster than a per-minute invocation count.
# - **Step scaling** reacts to alarm breaches by size; **scheduled scaling** changes min/max on a
#   timetable (business hours); endpoints can also **scale to zero** with inference components.
# - **Cooldowns** (default 300 s for SageMaker) stop a new activity from starting before the last
#   one has taken effect. Scale out fast, scale in slowly: new GPU instances take minutes to
#   start and load weights.
#
# **GenAI angle.** Amazon Bedrock on-demand inference is serverless: there is nothing to scale,
# only quotas (tokens and requests per minute) and throttling to handle with retries,
# cross-Region inference profiles or **Provisioned Throughput** for guaranteed capacity.
# Self-hosted models on SageMaker or EKS are where you tune scaling policies.
#
# | Traffic pattern | Policy |
# |---|---|
# | steady growth, varies during the day | target tracking on invocations per instance |
# | predictable 9-to-5 peak | scheduled scaling + target tracking |
# | idle for hours, cost matters | scale to zero (inference components) or serverless inference |
#
# **Exam tip:** "keep invocations per instance at N" → target tracking. Throttling on Bedrock is
# not an Auto Scaling problem: retry with backoff, use cross-Region inference or buy Provisioned
# Throughput.

# %%
quiz.show("governance", "auto-scaling")

# %% [markdown]
# ## AWS Systems Manager and Parameter Store <a id="systems-manager"></a>
#
# **Systems Manager** is a family of operations tools: **Parameter Store** (configuration and
# secrets), **Session Manager** (shell on instances without SSH keys or open ports, logged),
# **Run Command**, **Patch Manager**, **State Manager**, **Automation** runbooks, **AppConfig**
# (validated, gradual configuration and feature-flag deployments) and OpsCenter.
#
# **Parameter Store** keeps values in a hierarchy (`/genai/support-bot/prod/model-id`).
#
# - Types: `String`, `StringList`, `SecureString` (encrypted with KMS: the AWS managed key
#   `aws/ssm` or your own). `WithDecryption=True` is needed to read the plaintext.
# - Tiers: **Standard** (free, up to 10,000 parameters, values up to 4 KB) and **Advanced**
#   (charged, up to 100,000 parameters, 8 KB values, parameter policies such as expiration).
# - Every change creates a **version**; **labels** (`stable`, `canary`) point at versions and
#   can be read as `name:label`. `GetParametersByPath` reads a whole subtree (`Recursive=True`),
#   10 results per page. IAM policies can grant access by path.
# - Parameter Store does not rotate secrets; **Secrets Manager** does (and costs more).
#
# **GenAI angle.** Keep model IDs, inference parameters and prompt templates outside the code:
# switching a model or rolling back a prompt is a parameter change (with a version history),
# not a deployment. Bedrock **Prompt Management** is the managed alternative for prompts with
# versions and variants; AppConfig adds validation and gradual rollout.
#
# **Exam tip:** configuration and simple secrets, hierarchy, free → Parameter Store. Automatic
# rotation of database credentials → Secrets Manager. Safe gradual rollout of a configuration
# change → AppConfig.

# %%
quiz.show("governance", "systems-manager")

# %% [markdown]
# ### Exercise 6 — load an application's configuration from Parameter Store (3 points)
#
# The support bot keeps its settings under `/genai/<app>/<env>/`: model IDs, temperatures,
# prompt templates and a vendor API key (a `SecureString`). There are more than ten of them and
# some are nested (`prompts/system`, `prompts/summarize`).
#
# Write `load_app_config(ssm, prefix)` that returns a dict of **every** parameter under `prefix`
# (at any depth), keyed by its name relative to the prefix without a leading slash
# (`/genai/bot/prod/prompts/system` → `prompts/system`), with `SecureString` values
# **decrypted**. Parameters of other applications whose names merely start with the same letters
# (`/genai/bot-v2/...`) must not be included.
#
# Hint: `ssm.get_parameters_by_path(Path=..., Recursive=True, WithDecryption=True)` returns at
# most 10 parameters per call; follow `NextToken` or use
# `ssm.get_paginator("get_parameters_by_path")`.

# %% kind="solution" grade_id="ssm-app-config"
def load_app_config(ssm, prefix):
    """Every parameter under prefix (any depth), keyed by relative name, SecureStrings decrypted."""
    ### BEGIN SOLUTION
    path = prefix.rstrip("/")
    config = {}
    paginator = ssm.get_paginator("get_parameters_by_path")
    for page in paginator.paginate(Path=path, Recursive=True, WithDecryption=True):
        for p in page["Parameters"]:
            config[p["Name"][len(path) + 1 :]] = p["Value"]
    return config
    ### END SOLUTION


# %% kind="tests" grade_id="ssm-app-config-tests" points=3
"""Does load_app_config read every parameter under the prefix, decrypted, and nothing outside it?"""
_ssm = aws.client("ssm")
_app = f"bot{uuid.uuid4().hex[:5]}"
_prefix = f"/genai/{_app}/prod"
_expected = {
    "model-id": "anthropic.claude-3-haiku-20240307-v1:0",
    "fallback-model-id": "amazon.nova-lite-v1:0",
    "temperature": "0.2",
    "max-tokens": "800",
    "top-p": "0.9",
    "kb-id": "KB12345678",
    "guardrail-id": "gr-abc123",
    "guardrail-version": "3",
    "prompts/system": "You are a helpful support assistant. Answer only from the context.",
    "prompts/summarize": "Summarize the ticket in three bullet points.",
    "prompts/escalate": "Say that a human agent will follow up.",
    "vendor-api-key": "sk-test-1234",
}
for _k, _v in _expected.items():
    _ssm.put_parameter(Name=f"{_prefix}/{_k}", Value=_v, Type="SecureString" if _k == "vendor-api-key" else "String",
                       Overwrite=True)
_ssm.put_parameter(Name=f"/genai/{_app}-v2/prod/model-id", Value="other-app", Type="String", Overwrite=True)
_cfg = checks.call(load_app_config, _ssm, _prefix)
checks.expect_type(_cfg, dict, "load_app_config should return a dict")
checks.expect_equal(_cfg.get("prompts/system"), _expected["prompts/system"],
                    "nested parameters should be keyed by their path relative to the prefix", hint="Recursive=True")
checks.expect_equal(_cfg.get("vendor-api-key"), "sk-test-1234", "SecureString values should be decrypted",
                    hint="WithDecryption=True")
checks.expect_equal(len(_cfg), len(_expected), "every parameter under the prefix, and nothing else",
                    hint="get_parameters_by_path returns 10 per call: follow NextToken or use a paginator")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_app2 = f"rag{uuid.uuid4().hex[:6]}"
_prefix2 = f"/genai/{_app2}/staging"
_rng = np.random.default_rng()
_exp2 = {}
for _i in range(int(_rng.integers(21, 33))):
    _depth = ["", "prompts/", "prompts/v2/", "models/"][_i % 4]
    _exp2[f"{_depth}p{_i}-{uuid.uuid4().hex[:4]}"] = uuid.uuid4().hex
for _k, _v in _exp2.items():
    _ssm.put_parameter(Name=f"{_prefix2}/{_k}", Value=_v, Type="SecureString" if _k.startswith("models/") else "String")
_ssm.put_parameter(Name=f"/genai/{_app2}/staging-old/x", Value="nope", Type="String")
_ssm.put_parameter(Name=f"/genai/{_app2}/prod/x", Value="nope", Type="String")
checks.expect_equal(checks.call(load_app_config, _ssm, _prefix2), _exp2,
                    "the whole subtree, relative names, decrypted values, nothing from sibling paths")
checks.expect_equal(checks.call(load_app_config, _ssm, _prefix2 + "/"), _exp2, "a prefix given with a trailing slash works too")
_prefix3 = f"/genai/{_app2}/QAX"  # names may end in any character
_ssm.put_parameter(Name=f"{_prefix3}/model-id", Value="m-x", Type="String")
checks.expect_equal(checks.call(load_app_config, _ssm, _prefix3), {"model-id": "m-x"},
                    "a prefix that ends in a letter other than / is kept whole")
### END HIDDEN TESTS

# %% [markdown]
# ## Amazon Q Developer in chat applications (formerly AWS Chatbot) <a id="chatbot"></a>
#
# **What it is.** The ChatOps service that connects AWS to **Slack**, **Microsoft Teams** and
# **Amazon Chime** channels. It was called **AWS Chatbot** until 2025, and the console and
# documentation now use the new name.
#
# - **Notifications:** services publish to an **SNS topic** that a channel configuration
#   subscribes to: CloudWatch alarms, EventBridge events (Security Hub, GuardDuty, Health,
#   Bedrock job state changes), Budgets and Cost Anomaly Detection alerts. Custom notifications
#   let your own applications post formatted messages.
# - **Actions from chat:** run AWS CLI-style commands, runbooks (Systems Manager Automation)
#   and custom actions from the channel, and ask Amazon Q questions about your resources.
# - **Permissions:** a channel IAM role and/or per-user roles, always capped by **channel
#   guardrail policies**; every action is logged in CloudTrail. Start read-only.
#
# *Note:* the notes describe "AWS Chatbot". The service is now **Amazon Q Developer in chat
# applications**; its API and IAM prefix are still `chatbot`, and existing configurations keep
# working.
#
# **GenAI angle.** Post Bedrock throttling alarms, failed model-customization jobs and cost
# anomaly alerts to the ML team's channel; the channel can also invoke an **Amazon Bedrock
# agent** (a connector) so the team can ask it operational questions in the thread.
#
# **Exam tip:** "alerts in Slack/Teams with no custom code" → SNS topic + Amazon Q Developer in
# chat applications; limit what chat users can do with guardrail policies.

# %%
quiz.show("governance", "chatbot")

# %% [markdown]
# # Part 3 — Cost management

# %% [markdown]
# ## AWS Cost Explorer and AWS Budgets <a id="cost-explorer"></a>
#
# **Cost Explorer** charts cost and usage for up to the last 13 months (longer at monthly
# granularity when enabled), daily or monthly (hourly with an opt-in), filtered and grouped by
# service, account, Region, usage type, **cost allocation tag** or cost category, and forecasts
# future spend. The same data is in the API (`ce:GetCostAndUsage`, `GetCostForecast`) and, in
# full detail, in the Cost and Usage Report (CUR 2.0 via Data Exports) for Athena.
# Rightsizing and Savings Plans recommendations also appear here (and in Cost Optimization Hub).
#
# **Tags** must be *activated* as cost allocation tags in the Billing console before they show
# up, and only apply from then on. For Bedrock, on-demand calls to a foundation model cannot be
# tagged by caller: create an **application inference profile** per team or product, tag it, and
# call the model through it to split Bedrock cost by tag.
#
# **AWS Budgets** sets a cost, usage, reservation or Savings Plans budget (monthly, quarterly,
# yearly) with alerts on **actual** or **forecasted** spend, by email or SNS, and **budget
# actions** that can apply an IAM or SCP policy or stop instances when a threshold is crossed.
#
# **Savings:** SageMaker Savings Plans (up to 64 % off SageMaker ML instance usage for a 1- or
# 3-year commitment), Compute Savings Plans for EC2/Fargate/Lambda; Bedrock offers batch inference
# (about half the on-demand price), prompt caching and Provisioned Throughput commitments.
#
# | Question | Tool |
# |---|---|
# | what did each team spend on Bedrock last month? | Cost Explorer grouped by tag (inference profiles) |
# | tell me before we exceed $5,000 this month | AWS Budgets, forecasted alert |
# | something unusual happened overnight | Cost Anomaly Detection |
#
# **Exam tip:** chargeback per team → cost allocation tags (activated) and application inference
# profiles; hard reaction to overspend → Budgets actions.

# %%
quiz.show("governance", "cost-explorer")

# %% [markdown]
# ## AWS Cost Anomaly Detection <a id="cost-anomaly-detection"></a>
#
# **What it is.** A free Billing feature that learns the normal spending pattern of a *monitor*
# and raises an **anomaly** when spend departs from it, with a root-cause breakdown (service,
# account, Region, usage type) and an estimated **impact** in dollars.
#
# - **Monitors:** AWS services (one managed monitor that follows every service), linked
#   accounts, cost categories or cost allocation tags.
# - **Alert subscriptions:** individual alerts (through SNS, so also to Slack/Teams) or daily /
#   weekly email summaries; thresholds as an absolute impact (say $100) and/or a percentage
#   above expected spend, so small noise stays quiet.
# - It needs some history before it can judge a new service (roughly 10 days) and works on
#   billing data, which arrive with a delay of hours, not seconds. For per-call protection, use
#   quotas, budgets actions and application-level limits.
#
# **GenAI angle.** A retry loop in an agent, a prompt that suddenly carries a 100k-token context,
# or an endpoint left running all weekend show up as a step in daily Bedrock or SageMaker spend.
# The chart below is what the service does in principle: compare each day with a baseline
# learned from the days before, and alert only when the difference is large in dollars **and**
# in percent.
#
# *Note:* the notes describe a "rolling 24-hour window" detection change announced in November
# 2025; the principles above (baseline, impact thresholds, monitors, SNS alerts) are what the
# exam tests.
#
# **Exam tip:** "notify us of unusual spend without setting fixed thresholds per service" → Cost
# Anomaly Detection. A fixed monthly limit → Budgets.

# %%
# Daily Amazon Bedrock spend of a fictitious RAG platform (USD): weekly rhythm, slow growth,
# and three incidents. The baseline is the median of the previous 14 days.
_rng = np.random.default_rng(7)
days = pd.date_range("2025-03-01", periods=90, freq="D")
weekday = np.where(days.dayofweek < 5, 1.0, 0.55)
spend = pd.Series(180 * weekday * np.linspace(1.0, 1.35, 90) + _rng.normal(0, 9, 90), index=days).round(2)
spend.iloc[31] += 260  # agent retry loop
spend.iloc[55:58] += [150, 210, 190]  # 100k-token context shipped by mistake
spend.iloc[80] += 120  # load test against the production model
spend.name = "cost"

baseline = spend.shift(1).rolling(14, min_periods=7).median()
flag = ((spend - baseline) >= 40) & (spend >= baseline * 1.25)

fig, ax = plt.subplots(figsize=(10, 4))
ax.plot(spend.index, spend, label="daily Bedrock spend", color="#1f77b4")
ax.plot(baseline.index, baseline, label="baseline: median of previous 14 days", color="#7f7f7f", linestyle="--")
ax.fill_between(baseline.index, baseline, np.maximum(baseline * 1.25, baseline + 40), color="#7f7f7f", alpha=0.15,
                label="alert threshold (+25 % and +$40)")
ax.scatter(spend.index[flag], spend[flag], color="#d62728", zorder=3, label="flagged anomaly")
ax.set_xlabel("date")
ax.set_ylabel("spend (USD per day)")
ax.set_title("Daily Amazon Bedrock spend against its rolling baseline")
ax.legend(loc="upper left", fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# **Reading the chart.** Weekends drop to about half of weekdays, and weekdays sit a little
# above the baseline, yet no ordinary day is flagged: the two-week median absorbs the weekly
# rhythm and the double threshold (+25 % *and* +$40) ignores noise. The three incidents stand
# out: the 1 April retry loop, all three days of the late-April context bug, and the May load
# test. The late-April days are all caught because the baseline uses only *earlier* days and a
# *median*: the first bad day barely moves the baseline of the next ones. A mean that included
# the current day would let a big spike partly hide itself.

# %%
quiz.show("governance", "cost-anomaly-detection")

# %% [markdown]
# ### Exercise 7 — flag spend anomalies against a rolling baseline (3 points)
#
# Turn the chart's logic into a function you could run on the daily cost export.
# Write `flag_spend_anomalies(daily_cost, window=14, min_history=7, pct=0.25, min_usd=40.0)`.
# `daily_cost` is a pandas Series of daily spend indexed by date (sorted). Return a DataFrame
# with the same index and the columns:
#
# - `cost`: the input;
# - `baseline`: the **median of the previous `window` days**, excluding the day itself, and
#   `NaN` when fewer than `min_history` previous days exist;
# - `impact`: `cost - baseline`;
# - `anomaly`: `True` when `impact >= min_usd` **and** `cost >= baseline * (1 + pct)`, otherwise
#   `False` (also `False` when the baseline is `NaN`).

# %% kind="solution" grade_id="cost-anomalies"
def flag_spend_anomalies(daily_cost, window=14, min_history=7, pct=0.25, min_usd=40.0):
    """DataFrame with cost, baseline (median of previous days), impact and anomaly flag."""
    ### BEGIN SOLUTION
    cost = daily_cost.astype(float)
    baseline = cost.shift(1).rolling(window, min_periods=min_history).median()
    impact = cost - baseline
    anomaly = (impact >= min_usd) & (cost >= baseline * (1 + pct))
    return pd.DataFrame({"cost": cost, "baseline": baseline, "impact": impact, "anomaly": anomaly.fillna(False).astype(bool)})
    ### END SOLUTION


# %% kind="tests" grade_id="cost-anomalies-tests" points=3
"""Does the detector use a median of previous days only, and flag days above both thresholds?"""
_idx = pd.date_range("2025-01-01", periods=12, freq="D")
_cost = pd.Series([100, 102, 98, 101, 99, 100, 103, 97, 300, 100, 130, 104], index=_idx, dtype=float)
_out = checks.call(flag_spend_anomalies, _cost)
checks.expect_type(_out, pd.DataFrame, "flag_spend_anomalies should return a DataFrame")
checks.expect_equal(list(_out.columns[:4]), ["cost", "baseline", "impact", "anomaly"], "the four columns, in order")
checks.expect(bool(_out["baseline"].iloc[:7].isna().all()), "no baseline before 7 previous days exist",
              expected="NaN for the first 7 days", found=list(_out["baseline"].iloc[:7]),
              hint="cost.shift(1).rolling(window, min_periods=min_history).median()")
checks.expect_equal(float(_out["baseline"].iloc[8]), 100.0, "the baseline of day 9 is the median of days 1-8 (its own cost excluded)")
checks.expect_equal(list(_out.index[_out["anomaly"]]), [_idx[8]],
                    "only the $300 day is anomalous ($130 is +30 % but only +$30)")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_rng = np.random.default_rng()
_n = 80
_idx2 = pd.date_range("2025-05-01", periods=_n, freq="D")
_vals = 200 + _rng.normal(0, 12, _n)
for _d in _rng.choice(np.arange(20, _n), size=4, replace=False):
    _vals[_d] += float(_rng.integers(60, 300))
_s = pd.Series(_vals, index=_idx2)
_w, _mh, _p, _mu = int(_rng.integers(5, 21)), 4, float(_rng.uniform(0.1, 0.4)), float(_rng.uniform(20, 60))
_got = checks.call(flag_spend_anomalies, _s, window=_w, min_history=_mh, pct=_p, min_usd=_mu)
_exp_base = [np.nan if _i < _mh else float(np.median(_vals[max(0, _i - _w):_i])) for _i in range(_n)]
_ok = np.allclose(_got["baseline"].to_numpy(dtype=float), np.array(_exp_base), equal_nan=True)
checks.expect(_ok, f"baseline = median of the previous {_w} days (at least {_mh})",
              expected=_exp_base[:12], found=list(_got["baseline"].iloc[:12]))
_eb = pd.Series(_exp_base, index=_idx2)
_exp_flag = ((_s - _eb) >= _mu) & (_s >= _eb * (1 + _p))
checks.expect_equal(list(_got["anomaly"].astype(bool)), list(_exp_flag.fillna(False).astype(bool)),
                    "anomaly flags with the thresholds passed in")
checks.expect(np.allclose(_got["impact"].to_numpy(dtype=float), (_s - _eb).to_numpy(), equal_nan=True),
              "impact = cost - baseline")
checks.expect_equal(str(_got["anomaly"].dtype), "bool", "the anomaly column should be boolean (no NaN)")
# Both thresholds are inclusive (>=) and both must hold.
_at = pd.Series([100.0] * 10 + [125.0, 124.99], index=pd.date_range("2025-03-01", periods=12, freq="D"))
_edge = checks.call(flag_spend_anomalies, _at, window=14, min_history=7, pct=0.25, min_usd=25.0)
checks.expect_equal(list(_edge["anomaly"].astype(bool)), [False] * 10 + [True, False],
                    "a day exactly at both thresholds (+25 %, +$25) is an anomaly; a cent below is not")
_big = pd.Series([1000.0] * 10 + [1100.0], index=pd.date_range("2025-04-01", periods=11, freq="D"))
_pct = checks.call(flag_spend_anomalies, _big, window=14, min_history=7, pct=0.25, min_usd=25.0)
checks.expect_equal(bool(_pct["anomaly"].iloc[-1]), False,
                    "+$100 is above min_usd but only +10 % (below pct): not an anomaly")
### END HIDDEN TESTS

# %% [markdown]
# # Part 4 — Governance across accounts and teams

# %% [markdown]
# ## AWS Organizations and AWS Control Tower <a id="organizations-control-tower"></a>
#
# **AWS Organizations** groups accounts under a management account in **organizational units**
# (OUs), with **consolidated billing** (one bill, shared volume discounts and Savings Plans) and
# **policies**:
#
# - **SCPs** (service control policies) set the *maximum* permissions of IAM principals in member
#   accounts; **RCPs** (resource control policies) cap what resources accept. Neither grants
#   anything, and neither applies to the management account.
# - **Management policies:** tag policies, backup policies, and **AI services opt-out policies**
#   (stop AWS AI services from storing or using your content to improve their services).
# - Delegated administrators run services such as Security Hub or CloudTrail Lake org-wide.
#
# **AWS Control Tower** builds and runs a **landing zone** on Organizations: a log-archive
# account and an audit account, an organization CloudTrail trail, IAM Identity Center, and
# **controls** (formerly "guardrails"): *preventive* (SCPs/RCPs), *detective* (AWS Config rules)
# and *proactive* (CloudFormation hooks). **Account Factory** provisions new, compliant accounts
# (through Service Catalog, or as code with AFT).
#
# **GenAI angle.** An SCP denies `bedrock:InvokeModel` except on approved model ARNs, or denies
# use outside approved Regions (when teams call models through cross-Region inference profiles,
# the exception must list the profile ARNs and the foundation-model ARNs in every Region the
# profiles route to, or approved calls are denied too); another denies
# `bedrock:DeleteModelInvocationLoggingConfiguration` so no team can turn off prompt logging.
# Each GenAI team gets its own account from Account Factory, with logging already on.
#
# **Exam tip:** "set up a governed multi-account environment quickly" → Control Tower.
# "No account may use model X / Region Y, whatever IAM says" → SCP in Organizations.

# %%
quiz.show("governance", "organizations-control-tower")

# %% [markdown]
# ## AWS Service Catalog and the Serverless Application Repository <a id="service-catalog"></a>
#
# **Service Catalog** lets a platform team publish **approved** infrastructure as self-service
# products.
#
# - A **product** is a versioned CloudFormation (or Terraform) template; a **portfolio** groups
#   products and is shared with IAM users, groups or roles, other accounts or the whole
#   organization.
# - **Constraints:** a **launch constraint** names the IAM role that provisions the product, so
#   end users need no permissions on the underlying services; **template constraints** limit
#   parameter values (only `ml.g5` instances, only encrypted volumes); tag update and
#   notification constraints.
# - **Service actions** (Systems Manager documents) let users operate what they launched:
#   restart, snapshot, patch. Every provisioned product is tracked for audit.
#
# **AWS Serverless Application Repository (SAR)** is a catalogue of serverless applications
# (SAM templates) that you publish privately, to chosen accounts, or publicly, and deploy with a
# click or as nested applications; resource policies control who can deploy them.
#
# | Need | Choice |
# |---|---|
# | data scientists launch approved SageMaker domains without IAM rights | Service Catalog + launch constraint |
# | share a reusable Lambda-based document splitter across teams | SAR (or a CDK construct library) |
# | new compliant AWS accounts on demand | Control Tower Account Factory |
#
# **GenAI angle.** A portfolio "GenAI starter kits" offers a RAG stack (Knowledge Base, vector
# store, guardrail, logging on) and a SageMaker notebook product limited to approved instance
# types, so teams start fast and stay within policy.
#
# **Exam tip:** "self-service + standardised + users lack direct permissions" → Service Catalog
# with a launch constraint.

# %%
quiz.show("governance", "service-catalog")

# %% [markdown]
# ## AWS Well-Architected Framework: the six pillars <a id="well-architected"></a>
#
# The Framework is AWS's set of design principles, questions and best practices to judge a
# workload. Its six pillars:
#
# | Pillar | Asks | GenAI example |
# |---|---|---|
# | Operational excellence | can we run, observe and improve it? | prompt and model versions in CI/CD, invocation logging, runbooks |
# | Security | are data, identities and systems protected? | least-privilege model access, guardrails, KMS, private endpoints |
# | Reliability | does it recover and meet demand? | retries with backoff, cross-Region inference, fallback model |
# | Performance efficiency | are resources used well for the need? | right model size, streaming, caching, latency-optimised inference |
# | Cost optimization | is value delivered at the lowest price? | smaller model where quality allows, batch inference, prompt caching |
# | Sustainability | is the environmental impact minimised? | reuse foundation models, PEFT instead of full fine-tuning, right-size hosting |
#
# **Lenses** extend the Framework for a domain: Serverless, SaaS, Data Analytics, Machine
# Learning, **Generative AI** and others. Pillars trade off (a bigger model may improve quality
# but hurts cost and latency); the review makes those trade-offs explicit.
#
# **Exam tip:** map the scenario's worry to the pillar: "recover from a Region outage" →
# reliability; "minimise cost per answer" → cost optimization; "reduce energy and hardware" →
# sustainability.

# %%
quiz.show("governance", "well-architected")

# %% [markdown]
# ## The Generative AI Lens <a id="genai-lens"></a>
#
# The **Generative AI Lens** applies the six pillars to applications built on foundation models
# (Bedrock, SageMaker, self-hosted), along the lifecycle: scoping, model selection,
# customization, development and integration, deployment, continuous improvement. Some of its
# best practices, per pillar:
#
# - **Operational excellence:** evaluate output quality continuously (automatic metrics,
#   LLM-as-a-judge, human review); monitor tokens, latency and errors; trace prompts, responses
#   and model versions; automate the model and prompt lifecycle.
# - **Security:** protect endpoints (least privilege, private connectivity), filter harmful
#   input and output (guardrails), log and audit model access, guard against prompt injection,
#   control what data models and agents can reach, protect training data from poisoning.
# - **Reliability:** handle throughput needs (quotas, cross-Region inference, Provisioned
#   Throughput), retry and degrade gracefully (fallback model, cached answers), version prompts
#   and artifacts, keep agents from looping.
# - **Performance efficiency:** measure model performance against a ground-truth set, choose
#   the smallest model that meets the target, optimise retrieval (chunking, hybrid search,
#   re-ranking).
# - **Cost optimization:** pick models by cost per useful answer, tune prompts for fewer tokens,
#   use caching and batch inference, size vector stores, limit agent tool calls.
# - **Sustainability:** prefer prompt engineering and RAG over training, use parameter-efficient
#   fine-tuning, right-size and auto-scale hosting, use serverless and managed inference.
#
# **Exam tip:** when a question asks what the Generative AI Lens recommends, the answer is the
# AWS-managed, measured, least-effort option: evaluate before choosing, customise only when
# prompting and RAG are not enough, observe everything.

# %%
quiz.show("governance", "genai-lens")

# %% [markdown]
# ## Using the AWS Well-Architected Tool <a id="well-architected-tool"></a>
#
# The **AWS Well-Architected Tool** is a free console service for running reviews.
#
# 1. **Define the workload**: name, description, environment (pre-production or production),
#    Regions, accounts, owners.
# 2. **Apply lenses**: the Framework lens always; others from the **lens catalog**, or **custom
#    lenses** (a JSON file of pillars, questions, choices and improvement plans, importable and
#    shareable with other accounts).
# 3. **Answer the questions** pillar by pillar with the team; mark best practices in place or not
#    applicable.
# 4. The tool reports **high-risk issues (HRIs)** and **medium-risk issues (MRIs)** and builds an
#    **improvement plan** with links to guidance.
# 5. Save a **milestone** to freeze the state, fix issues, review again and compare milestones.
#
# Reviews can be shared with other accounts or the organization, profiles prioritise questions
# by business context, review templates pre-fill common answers, and Trusted Advisor checks can
# be linked to questions. The API (`wellarchitected`) lets you automate reports.
#
# *Note:* the notes say the Generative AI Lens must be downloaded from a GitHub repository and
# imported as a custom lens. Lenses can indeed be imported as custom lenses; check the tool's
# lens catalog first, since AWS adds published lenses there.
#
# **Exam tip:** "track improvement over time" → milestones; "our own internal best practices
# in the review" → custom lens; output of a review → HRIs/MRIs and an improvement plan.

# %%
quiz.show("governance", "well-architected-tool")

# %% [markdown]
# ## Graded quiz <a id="graded-quiz"></a>
#
# Six questions across the whole notebook. Pick your answers in the widget below; they are
# saved automatically beside this notebook and graded when you submit. Leave the cells under the
# widget as they are.

# %%
quiz.graded("governance")

# %% kind="quiz" question="gov-g1" points=1

# %% kind="quiz" question="gov-g2" points=1

# %% kind="quiz" question="gov-g3" points=1

# %% kind="quiz" question="gov-g4" points=1

# %% kind="quiz" question="gov-g5" points=1

# %% kind="quiz" question="gov-g6" points=1

# %% [markdown]
# ## Summary / what to review <a id="summary"></a>
#
# **Observe.** CloudWatch metrics are identified by namespace, name and the exact dimension set;
# Bedrock publishes `Invocations`, `InvocationLatency`, throttles, errors and token counts per
# `ModelId` in `AWS/Bedrock`, and your own metrics fill the gaps (Exercise 1). Aggregate with
# the right statistic: sums for tokens, total/count for an average, percentiles for tail latency
# (Exercise 2). Alarm with M-of-N evaluation and a deliberate missing-data policy (Exercise 3).
# Logs: encrypted groups with compliant retention, metric filters on low-cardinality fields,
# Logs Insights to investigate (Exercise 4). Canaries catch outages without user traffic.
# CloudTrail answers "who did what"; Bedrock knowledge-base and agent calls are data events you
# must select, and log file validation proves integrity (Exercise 5). Managed Grafana unifies
# dashboards across sources and accounts.
#
# **Operate.** Application Auto Scaling target tracking for endpoints; Bedrock on-demand has no
# instances to scale. Parameter Store holds model IDs and prompts by path, versioned, with
# SecureString for secrets (Exercise 6); Secrets Manager when rotation is needed. Alerts reach
# Slack and Teams through Amazon Q Developer in chat applications (formerly AWS Chatbot).
#
# **Spend.** Cost Explorer for analysis by activated cost allocation tags (application
# inference profiles for Bedrock), Budgets for limits and actions, Cost Anomaly Detection for the
# unexpected, judged against a baseline with dollar and percent thresholds (Exercise 7).
#
# **Govern.** Organizations SCPs cap what accounts can do (approved models and Regions);
# Control Tower sets up the landing zone and controls; Service Catalog offers approved stacks
# with launch constraints; the Well-Architected Tool, with the Generative AI Lens, turns best
# practice into HRIs, improvement plans and milestones.
