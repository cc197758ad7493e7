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
# # SageMaker and the AWS AI services in a GenAI architecture
#
# **Who this is for:** developers preparing for the AWS Certified Generative AI Developer –
# Professional exam (AIP-C01) who know Python and the AWS console, and who need to decide when a
# generative AI solution should use Amazon Bedrock alone, when it needs Amazon SageMaker AI (to
# host, fine-tune, govern or monitor a model), and which purpose-built AI service (Comprehend,
# Textract, Transcribe, Kendra, Lex, Amazon Q...) does part of the job better and cheaper than a
# prompt.
#
# **What you will do here:**
#
# - read short service sections, each ending with an *Exam tip* and self-check questions;
# - complete **6 graded exercises** with boto3 against a simulated AWS account (SageMaker model
#   registry and hosting, Amazon Transcribe, Amazon S3, Amazon CloudWatch) and with pandas, where
#   you compute the numbers SageMaker Clarify and Model Monitor report;
# - read one chart that shows what data drift looks like to Model Monitor;
# - answer the **graded quiz** at the end.
#
# **Exam tasks trained:** 2.2 (model deployment strategies), 3.3 and 3.4 (governance, responsible
# AI: approval gates, bias metrics, human review), 4.3 (monitoring), 1.3 (data pipelines), 2.3 and
# 2.1 (enterprise integration and conversational agents), 3.2 (PII in audio and text) and 4.1
# (cost-aware inference choices).
#
# **How to work:** run the cells from top to bottom (every cell is safe to run again). In an
# exercise, replace `raise NotImplementedError()` with your code, run that cell, then run the test
# cell under it: its message says what is missing. Graded quiz answers are saved next to this
# notebook as soon as you pick them.
#
# Everything runs offline against the [moto](https://github.com/getmoto/moto) simulator with fake
# credentials and no network. moto creates SageMaker endpoints *InService* at once and returns a
# placeholder for every prediction, and the Comprehend, Rekognition and Textract simulators answer
# the same thing whatever you send. So the exercises grade what you decide and configure (which
# model version is deployed, which redaction is requested, which metric you compute), never a
# prediction.

# %% kind="setup"
from course import sandbox, checks, quiz

aws = sandbox.start()  # fake credentials, moto, network blocked; safe to re-run

# %% [markdown]
# # Part 1 — Amazon SageMaker AI: build, train, deploy, govern

# %% [markdown]
# ## Amazon SageMaker AI: the managed ML platform <a id="sagemaker-ai"></a>
#
# **What it is.** The AWS service for the whole machine-learning life cycle: prepare data, train
# or fine-tune, evaluate, deploy, monitor. Since December 2024 it is called **Amazon SageMaker
# AI**; the name *Amazon SageMaker* now covers the wider data-and-AI platform around it (see
# Unified Studio below).
#
# **Training jobs.** A training job names the training data in S3 (or EFS / FSx for Lustre), the
# instance type and count, an S3 output path for the model artifact (`model.tar.gz`), and a
# container image in ECR: a **built-in algorithm**, an AWS **framework container** (PyTorch,
# TensorFlow, Hugging Face, XGBoost...) running your script, or **your own container**. It runs
# under an execution role that SageMaker assumes.
#
# | Lever | What it buys |
# |---|---|
# | Managed Spot Training + checkpoints in S3 | up to ~90% cheaper; the job resumes after interruption |
# | Distributed training libraries, SageMaker HyperPod | data/model parallel training of large models; HyperPod keeps resilient clusters for weeks-long FM training |
# | VPC config, network isolation, KMS keys for volumes and output | keeps training data and artifacts private |
#
# **GenAI angle.** Bedrock is the default for *using* foundation models through an API. Choose
# SageMaker AI when you need a model Bedrock does not offer (an open-weights model from JumpStart
# or Hugging Face), full control of the serving stack (instance type, container, e.g. the Large
# Model Inference container), training from scratch, or fine-tuning methods beyond Bedrock's
# customization jobs.
#
# **Exam tip:** "least operational overhead to call an FM" → Bedrock. "Custom model / specific
# open-source model / control over instances" → SageMaker AI. "Cut training cost, job can be
# interrupted" → Managed Spot Training with checkpointing.

# %%
quiz.show("sagemaker", "sagemaker-ai")

# %% [markdown]
# ## SageMaker inference: real-time, serverless, asynchronous, batch <a id="inference-options"></a>
#
# You deploy a *model* (image + artifact + role) through an *endpoint configuration* (variants:
# instance type and count, or a serverless config) to an *endpoint*; clients call it through the
# `sagemaker-runtime` API (`InvokeEndpoint`). Four ways to serve:
#
# | Option | Fits | Limits worth knowing |
# |---|---|---|
# | **Real-time** endpoint | steady traffic, low latency, GPUs, response streaming for LLMs | 6 MB payload, 60 s per request; you pay for instances while they run |
# | **Serverless** inference | idle periods between bursts, tolerates cold starts | memory 1–6 GB (`MemorySizeInMB` 1024–6144), `MaxConcurrency` ≤ 200, 4 MB payload, 60 s, **no GPU** |
# | **Asynchronous** inference | large inputs (up to 1 GB, read from S3), long processing (up to 1 hour), near-real-time | requests queue; results land in S3 with SNS notification; can scale to **zero** instances |
# | **Batch transform** | a whole dataset offline, no endpoint needed | job starts and stops its own instances |
#
# Also: **multi-model endpoints** (many models behind one endpoint, loaded on demand),
# **inference components** (several FMs packed on one endpoint, each with its own accelerators and
# scaling), **production variants** for A/B tests and **deployment guardrails** (blue/green with
# canary or linear traffic shifting and automatic rollback on CloudWatch alarms).
#
# *Note:* the notes give asynchronous inference a 15-minute limit. 15 minutes is only the default
# request timeout; `InvocationTimeoutSeconds` can raise it to 3,600 s (one hour).
#
# **LLM payloads.** `InvokeEndpoint` hands the body to the model's container unchanged, so the
# request must use the JSON schema and `ContentType` that container documents (for many JumpStart
# text-generation models: `application/json` with the prompt in `inputs` and settings such as
# `max_new_tokens` in `parameters`). Another model family's field names, or plain text, are
# rejected by the container with a 4xx error.
#
# **Many fine-tunes of one model.** LoRA adapters are small. Host the base model once as an
# inference component and add each adapter as an **adapter inference component**: the adapters
# share the base model's accelerators, and each can be invoked on its own, instead of one GPU
# endpoint per fine-tune.
#
# **Bedrock or SageMaker?** Unknown, spiky traffic on a Bedrock model → Bedrock on demand; a
# steady high load on a Bedrock custom model with reserved throughput → Provisioned Throughput;
# large offline jobs → Bedrock batch inference; open-weight models, adapters, instance choice or
# VPC hosting → SageMaker AI endpoints (see the [bedrock notebook](../bedrock/bedrock.ipynb#inference-options)).
#
# **Exam tip:** "spiky, idle at night, CPU is enough" → serverless. "Documents of hundreds of MB,
# minutes per request" → asynchronous. "Score last month's tickets overnight" → batch transform.
# "GPU LLM with steady traffic" → real-time (with inference components to share the GPUs).

# %%
quiz.show("sagemaker", "inference-options")

# %% [markdown]
# ## SageMaker Unified Studio and SageMaker Studio <a id="unified-studio"></a>
#
# Two different things share the word *Studio*:
#
# | | **SageMaker Studio** (in SageMaker AI) | **SageMaker Unified Studio** (GA March 2025) |
# |---|---|---|
# | Who | data scientists and ML engineers | data engineers, analysts, ML and GenAI builders together |
# | What | ML IDE: JupyterLab, Code Editor, training, experiments (MLflow), pipelines, endpoints | one portal over data and AI: SQL and notebooks on the lakehouse, Glue/EMR/Athena/Redshift, SageMaker AI, and Amazon Bedrock tools for building GenAI apps |
# | Governance | SageMaker domain, user profiles, IAM | *domains* and *projects* with shared catalog and data access control (built on Amazon DataZone) |
#
# The notes describe Unified Studio as a web IDE for ML development with experiment tracking and
# notebook instance choice; that is closer to **SageMaker Studio**. Unified Studio's point is that
# data, analytics and AI work happen in one governed project: a team can find a governed dataset,
# prepare it, fine-tune or prompt a model, and share the result without switching consoles.
#
# *Note:* the notes' description fits SageMaker Studio; Unified Studio is the broader data + AI
# workspace of the "next generation of Amazon SageMaker".
#
# **GenAI angle.** In Unified Studio you can build Bedrock chat agents, knowledge bases,
# guardrails and flows inside a project, over data the project is allowed to use.
#
# **Exam tip:** "one governed workspace for data engineers, analysts and GenAI developers" →
# Unified Studio. "Notebook IDE to train and deploy models" → SageMaker Studio.

# %%
quiz.show("sagemaker", "unified-studio")

# %% [markdown]
# ## SageMaker Data Wrangler: visual data preparation <a id="data-wrangler"></a>
#
# **What it is.** A visual tool to import, explore, clean and transform tabular (and some image)
# data with **300+ built-in transforms**: impute or drop missing values, encode categories, scale,
# handle outliers, plus your own pandas/PySpark/SQL steps. It reads S3, Athena, Redshift, Snowflake
# and other sources, shows quick data-quality and insight reports (target leakage, skew, duplicate
# rows), and exports the flow as a processing job, a SageMaker Pipelines step or features into
# **Feature Store**. Today it lives inside **SageMaker Canvas**, which adds natural-language data
# preparation.
#
# **When to choose it.** Tabular preparation by people who prefer a visual, low-code flow that can
# later run at scale. For code-first Spark ETL pick AWS Glue or EMR; for rule-based cleansing by
# analysts, AWS Glue DataBrew; for unstructured text for a knowledge base, a Bedrock Knowledge Base
# ingestion pipeline (chunking, parsing) or a processing job.
#
# **GenAI angle.** Preparing the tabular features that sit next to an LLM (for example churn
# features used by a recommendation prompt) or cleaning a labelled dataset before fine-tuning a
# classifier.
#
# **Checking data before an FM sees it.** Bad input makes bad answers. For tables that feed
# prompts or embeddings, **AWS Glue Data Quality** evaluates rules written in DQDL (completeness,
# value ranges, uniqueness...) inside the Glue job and can fail the load when they break. For
# single documents, a Lambda function can check them before the model call: `CountTokens` for the
# context window, Amazon Comprehend for the dominant language, a JSON schema for structure; it
# publishes a custom CloudWatch metric of rejected items, by reason, for dashboards and alarms.
#
# **Exam tip:** "visual, 300+ transforms, export to Pipelines/Feature Store" → Data Wrangler.
# "Stop a nightly load when rows break rules" → Glue Data Quality in the job.

# %%
quiz.show("sagemaker", "data-wrangler")

# %% [markdown]
# ## SageMaker Ground Truth: human labelling and feedback <a id="ground-truth"></a>
#
# **What it is.** Managed data labelling. You send a manifest of items in S3 to a labelling job
# with a task template (bounding boxes, 3D point clouds, semantic segmentation, text
# classification, named entities, or your own HTML template) and a **workforce**:
#
# | Workforce | Use when |
# |---|---|
# | Amazon Mechanical Turk | public data, scale, low cost |
# | Private workforce (your employees, Cognito or OIDC sign-in) | confidential or regulated data |
# | Vendor workforce (AWS Marketplace) | outsourced but vetted specialists |
#
# **Quality and cost.** Several workers per item with **annotation consolidation**; **automated
# data labelling** (active learning) trains a model on human labels and labels the confident items
# automatically, sending only the hard ones to people. **Ground Truth Plus** is a turnkey service
# where AWS supplies the expert workforce and workflow.
#
# **GenAI angle.** Ground Truth collects the *human* data that aligns and evaluates FMs:
# demonstration data for supervised fine-tuning, preference rankings of model answers for RLHF, and
# human evaluation of generated output (also offered inside Bedrock model evaluation jobs).
#
# **Exam tip:** labelling *training* data → Ground Truth. Reviewing *predictions* in production
# → Amazon A2I (further down). Confidential data → private workforce.

# %%
quiz.show("sagemaker", "ground-truth")

# %% [markdown]
# ## SageMaker Processing: managed batch jobs for data and evaluation <a id="processing"></a>
#
# **What it is.** A processing job runs your script in a container on instances SageMaker starts
# and stops for you: inputs are copied (or streamed) from S3 to `/opt/ml/processing/input`, outputs
# written to `/opt/ml/processing/output` are uploaded to S3. Ready-made processors exist for
# scikit-learn, PySpark (distributed over several instances), and framework containers; or bring
# any Docker image. You pay only while the job runs.
#
# **Uses.** Feature engineering and data validation before training, **model evaluation** with
# your own metrics after training, batch preprocessing, and post-processing of batch transform
# output. Clarify bias/explainability jobs and Model Monitor monitoring jobs are themselves
# processing jobs under the hood.
#
# | Need | Best fit |
# |---|---|
# | Python script over S3 data, once or in a pipeline | SageMaker Processing |
# | Serverless Spark ETL with a data catalog | AWS Glue |
# | Long-lived big-data cluster | Amazon EMR |
# | Predictions on a whole dataset | Batch transform |
#
# **GenAI angle.** Chunk and clean documents, compute embeddings in bulk, or score a fine-tuned
# model on an evaluation set (ROUGE, toxicity, exact match) as a step before registering it.
#
# **Exam tip:** "custom evaluation script as a pipeline step" → Processing step.

# %%
quiz.show("sagemaker", "processing")

# %% [markdown]
# ## SageMaker Clarify: bias metrics, explainability and FM evaluation <a id="clarify"></a>
#
# **What it is.** A responsible-AI toolkit that runs as processing jobs (and inside Data Wrangler,
# Autopilot, Model Monitor and Studio).
#
# - **Pre-training bias** on the dataset, for a *facet* (a sensitive attribute such as age group)
#   and a positive label: class imbalance **CI**, difference in proportions of labels **DPL**, KL
#   and JS divergence, and more.
# - **Post-training bias** on the model's predictions: difference in positive proportions of
#   predicted labels **DPPL**, **disparate impact DI**, accuracy and recall differences...
# - **Explainability** with **SHAP** (Kernel SHAP): global feature importance and per-prediction
#   (local) attributions; partial dependence plots.
# - **Foundation model evaluation** (the `fmeval` library, also behind Bedrock/Studio evaluations):
#   accuracy, toxicity, semantic robustness, prompt stereotyping, factual knowledge.
#
# Clarify calls the facet value you study *disadvantaged* (d) and every other row *advantaged* (a):
#
# | Metric | Formula | Fair value |
# |---|---|---|
# | CI | (nₐ − n_d) / (nₐ + n_d) | 0 (range −1…1) |
# | DPL | qₐ − q_d, with q = share of observed positive labels | 0 |
# | DPPL | q̂ₐ − q̂_d, with q̂ = share of *predicted* positives | 0 |
# | DI | q̂_d / q̂ₐ | 1 (the "four-fifths rule" flags < 0.8) |
#
# **Exam tip:** "detect bias *in the training data*" → Clarify pre-training metrics; "explain why
# the model predicted X" → Clarify SHAP; "bias *changes* in production" → Model Monitor bias drift
# (which uses Clarify). Clarify measures; it does not fix the data.

# %%
quiz.show("sagemaker", "clarify")

# %% [markdown]
# ### Exercise 1 — a Clarify-style bias report (3 points)
#
# A bank fine-tunes a small model that pre-screens loan applications before a human and an LLM
# assistant write the answer letter. The evaluation set, with the observed label and the model's
# prediction, is a CSV in S3. Compute the report Clarify would give for one facet and store it in
# S3, as a Clarify job writes its `analysis.json`.
#
# Write `run_bias_report(s3, bucket, data_key, report_key, config)`:
#
# - read the CSV at `s3://bucket/data_key` (pandas: `pd.read_csv(io.BytesIO(body))`);
# - `config` is shaped like Clarify's analysis configuration:
#   `{"label": "approved", "label_values_or_threshold": [1], "predicted_label": "pred",
#   "facet": [{"name_or_index": "age_group", "value_or_threshold": ["60+"]}]}`.
#   A row is *positive* when its value is in `label_values_or_threshold` (the same values for
#   the predicted label); it is in the *disadvantaged* group d when its facet value is in
#   `value_or_threshold`; every other row is in group a;
# - compute `CI`, `DPL` (pre-training) and `DPPL`, `DI` (post-training) with the formulas in the
#   table above, as plain Python floats;
# - write JSON `{"pre_training_bias_metrics": {"CI": ..., "DPL": ...},
#   "post_training_bias_metrics": {"DPPL": ..., "DI": ...}}` to `s3://bucket/report_key` and return
#   the same dict.

# %%
import io
import json

import numpy as np
import pandas as pd

# %% kind="solution" grade_id="clarify-bias"
def run_bias_report(s3, bucket, data_key, report_key, config):
    """Compute CI, DPL, DPPL and DI for one facet of a CSV in S3; store and return the report."""
    ### BEGIN SOLUTION
    body = s3.get_object(Bucket=bucket, Key=data_key)["Body"].read()
    df = pd.read_csv(io.BytesIO(body))
    positive = set(config["label_values_or_threshold"])
    facet = config["facet"][0]
    in_d = df[facet["name_or_index"]].isin(facet["value_or_threshold"])
    label_pos = df[config["label"]].isin(positive)
    pred_pos = df[config["predicted_label"]].isin(positive)
    n_a, n_d = int((~in_d).sum()), int(in_d.sum())
    q_a, q_d = label_pos[~in_d].mean(), label_pos[in_d].mean()
    p_a, p_d = pred_pos[~in_d].mean(), pred_pos[in_d].mean()
    report = {
        "pre_training_bias_metrics": {"CI": float((n_a - n_d) / (n_a + n_d)), "DPL": float(q_a - q_d)},
        "post_training_bias_metrics": {"DPPL": float(p_a - p_d), "DI": float(p_d / p_a)},
    }
    s3.put_object(Bucket=bucket, Key=report_key, Body=json.dumps(report).encode())
    return report
    ### END SOLUTION


# %% kind="tests" grade_id="clarify-bias-tests" points=3
"""Does run_bias_report compute CI, DPL, DPPL and DI for the facet and store the report in S3?"""
import io
import json
import math
import uuid

import numpy as np
import pandas as pd


def _reference(df, cfg):
    pos = set(cfg["label_values_or_threshold"])
    f = cfg["facet"][0]
    d = df[f["name_or_index"]].isin(f["value_or_threshold"])
    y, p = df[cfg["label"]].isin(pos), df[cfg["predicted_label"]].isin(pos)
    na, nd = (~d).sum(), d.sum()
    return {"CI": (na - nd) / (na + nd), "DPL": y[~d].mean() - y[d].mean(),
            "DPPL": p[~d].mean() - p[d].mean(), "DI": p[d].mean() / p[~d].mean()}


def _flat(report):
    out = {}
    for part in ("pre_training_bias_metrics", "post_training_bias_metrics"):
        checks.expect(isinstance(report, dict) and isinstance(report.get(part), dict),
                      f"the report should contain a {part!r} dict", expected=part, found=report)
        out.update(report[part])
    return out


def _compare(found, expected, what):
    for name, value in expected.items():
        checks.expect(name in found, f"{what}: metric {name} is missing", expected=name, found=sorted(found))
        checks.expect(isinstance(found[name], (int, float)) and math.isclose(found[name], value, abs_tol=1e-9),
                      f"{what}: {name} is wrong", expected=round(float(value), 6), found=found[name],
                      hint="group d = rows whose facet value is listed; a = all other rows; DI = q̂_d / q̂_a")


_s3 = aws.client("s3")
_bucket = f"sm-clarify-{uuid.uuid4().hex[:10]}"
_s3.create_bucket(Bucket=_bucket)
_df = pd.DataFrame({
    "age_group": ["18-39"] * 6 + ["40-59"] * 4 + ["60+"] * 5,
    "income": range(15),
    "approved": [1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0],
    "pred": [1, 1, 1, 0, 1, 0, 1, 1, 1, 0, 1, 1, 0, 0, 0],
})
_s3.put_object(Bucket=_bucket, Key="eval/loans.csv", Body=_df.to_csv(index=False).encode())
_cfg = {"label": "approved", "label_values_or_threshold": [1], "predicted_label": "pred",
        "facet": [{"name_or_index": "age_group", "value_or_threshold": ["60+"]}]}
_report = checks.call(run_bias_report, _s3, _bucket, "eval/loans.csv", "clarify/analysis.json", _cfg)
_compare(_flat(_report), _reference(_df, _cfg), "returned report")
with checks.step(f"reading s3://{_bucket}/clarify/analysis.json", "write the report with s3.put_object"):
    _stored = json.loads(_s3.get_object(Bucket=_bucket, Key="clarify/analysis.json")["Body"].read())
_compare(_flat(_stored), _reference(_df, _cfg), "report stored in S3")
print("Visible checks passed: CI =", round(_reference(_df, _cfg)["CI"], 3), "DI =", round(_reference(_df, _cfg)["DI"], 3))

### BEGIN HIDDEN TESTS
_rng = np.random.default_rng()
for _trial in range(3):
    _n = int(_rng.integers(200, 400))
    _regions = np.array(["north", "south", "east", "west"])
    _df2 = pd.DataFrame({
        "region": _rng.choice(_regions, size=_n, p=[0.4, 0.3, 0.2, 0.1]),
        "score": _rng.normal(size=_n),
        "outcome": _rng.choice(["yes", "no", "maybe"], size=_n),
    })
    _df2["predicted"] = np.where(_rng.random(_n) < 0.8, _df2["outcome"], "no")
    _facet_vals = [str(v) for v in _rng.choice(_regions, size=2, replace=False)]
    _other = [str(r) for r in _regions if r not in _facet_vals][0]
    _df2.loc[1, ["region", "outcome", "predicted"]] = [_other, "yes", "yes"]
    _df2.loc[2, ["region", "predicted"]] = [_facet_vals[0], "yes"]
    _cfg2 = {"label": "outcome", "label_values_or_threshold": ["yes", "maybe"], "predicted_label": "predicted",
             "facet": [{"name_or_index": "region", "value_or_threshold": _facet_vals}]}
    _key = f"in/{uuid.uuid4().hex}.csv"
    _out = f"out/{uuid.uuid4().hex}/analysis.json"
    _s3.put_object(Bucket=_bucket, Key=_key, Body=_df2.to_csv(index=False).encode())
    _rep2 = checks.call(run_bias_report, _s3, _bucket, _key, _out, _cfg2)
    _compare(_flat(_rep2), _reference(_df2, _cfg2), "hidden dataset, returned report")
    _stored2 = json.loads(_s3.get_object(Bucket=_bucket, Key=_out)["Body"].read())
    _compare(_flat(_stored2), _reference(_df2, _cfg2), "hidden dataset, stored report")
### END HIDDEN TESTS

# %% [markdown]
# ## SageMaker Model Monitor: drift and quality in production <a id="model-monitor"></a>
#
# **What it is.** Scheduled monitoring of a deployed endpoint or batch transform job. Turn on
# **data capture** in the endpoint configuration (a sampling percentage of requests and responses
# written to S3), create a **baseline** from the training data (statistics and suggested
# constraints), then a **monitoring schedule** (hourly or daily) compares captured traffic with the
# baseline. Four monitor types:
#
# | Monitor | Compares | Needs |
# |---|---|---|
# | Data quality | feature statistics and distributions vs baseline | data capture |
# | Model quality | accuracy, precision, recall, F1, RMSE... | **ground-truth labels** you upload and merge |
# | Bias drift | Clarify bias metrics over time | data capture (+ labels for some metrics) |
# | Feature attribution drift | SHAP importances vs baseline | data capture |
#
# Violations go to S3 reports and **CloudWatch metrics**; a CloudWatch alarm → EventBridge can
# start a SageMaker Pipelines retraining run. Model Monitor does not retrain by itself.
#
# For numeric features, the data-quality monitor's distribution check compares the baseline and
# current distributions with a distance (in the spirit of the Kolmogorov–Smirnov statistic: the
# largest gap between the two cumulative distributions) and flags drift above a configurable
# comparison threshold in the constraints. Exercise 2 computes exactly that statistic.
#
# *Note:* the current SageMaker AI documentation marks Model Monitor (like SageMaker Debugger) as
# no longer open to new customers; existing customers keep using it, without new features. The
# notes do not mention this. The monitoring concepts (data capture, baseline, scheduled comparison,
# CloudWatch alarm → retraining) are still what the exam asks about, and new projects can build the
# same checks with processing jobs and CloudWatch, as in Exercise 2.
#
# **GenAI angle.** For a self-hosted LLM, capture prompts and responses, track input length,
# language mix or embedding statistics, and run custom monitors (a processing container you
# provide) for toxicity or answer quality.
#
# **Exam tip:** "accuracy dropped, labels arrive later" → model quality monitor with ground truth.
# "Inputs no longer look like training data" → data quality monitor. Data capture first.

# %%
quiz.show("sagemaker", "model-monitor")

# %% [markdown]
# ### Exercise 2 — a drift check that publishes CloudWatch metrics (3 points)
#
# Your endpoint scores requests to a support-ticket router. Compute, for every numeric feature of
# the baseline, the **drift distance** between the baseline and the current window and publish
# it to CloudWatch so that an alarm can start retraining.
#
# Write `drift_report(cloudwatch, baseline, current, endpoint_name, threshold=0.1)`:
#
# - `baseline` and `current` are DataFrames; check every **numeric** column of `baseline`
#   (`baseline.select_dtypes("number")`) that also exists in `current`; ignore missing values;
# - distance D = max over every value x seen in either sample of |F_base(x) − F_cur(x)|, where
#   F(x) is the fraction of the sample ≤ x (`np.searchsorted(sorted_values, xs, side="right") / n`);
# - put one CloudWatch metric per feature: namespace `GenAI/ModelMonitor`, metric name
#   `feature_baseline_drift_<feature>`, one dimension `Endpoint` = `endpoint_name`, value D;
# - return `{"distances": {feature: D, ...}, "violations": sorted features with D > threshold}`.

# %%
import numpy as np
import pandas as pd

# %% kind="solution" grade_id="monitor-drift"
def drift_report(cloudwatch, baseline, current, endpoint_name, threshold=0.1):
    """Per-feature KS distance baseline vs current, published to CloudWatch; returns distances and violations."""
    ### BEGIN SOLUTION
    distances = {}
    for feature in baseline.select_dtypes("number").columns:
        if feature not in current.columns:
            continue
        b = np.sort(baseline[feature].dropna().to_numpy(dtype=float))
        c = np.sort(current[feature].dropna().to_numpy(dtype=float))
        xs = np.union1d(b, c)
        f_b = np.searchsorted(b, xs, side="right") / len(b)
        f_c = np.searchsorted(c, xs, side="right") / len(c)
        distances[feature] = float(np.max(np.abs(f_b - f_c)))
    cloudwatch.put_metric_data(
        Namespace="GenAI/ModelMonitor",
        MetricData=[
            {
                "MetricName": f"feature_baseline_drift_{feature}",
                "Dimensions": [{"Name": "Endpoint", "Value": endpoint_name}],
                "Value": value,
            }
            for feature, value in distances.items()
        ],
    )
    violations = sorted(f for f, d in distances.items() if d > threshold)
    return {"distances": distances, "violations": violations}
    ### END SOLUTION


# %% kind="tests" grade_id="monitor-drift-tests" points=3
"""Does drift_report compute the KS distance per numeric feature, flag violations and publish CloudWatch metrics?"""
import datetime
import math
import uuid

import numpy as np
import pandas as pd


def _ks(b, c):
    b, c = np.sort(b.dropna().to_numpy(dtype=float)), np.sort(c.dropna().to_numpy(dtype=float))
    xs = np.union1d(b, c)
    return float(np.max(np.abs(np.searchsorted(b, xs, side="right") / len(b)
                               - np.searchsorted(c, xs, side="right") / len(c))))


def _published(cw, endpoint, feature):
    now = datetime.datetime.now(datetime.UTC)
    points = cw.get_metric_statistics(
        Namespace="GenAI/ModelMonitor", MetricName=f"feature_baseline_drift_{feature}",
        Dimensions=[{"Name": "Endpoint", "Value": endpoint}], StartTime=now - datetime.timedelta(hours=1),
        EndTime=now + datetime.timedelta(minutes=5), Period=60, Statistics=["Maximum"])["Datapoints"]
    return max((p["Maximum"] for p in points), default=None)


def _check(result, base, cur, endpoint, threshold, cw):
    numeric = [c for c in base.select_dtypes("number").columns if c in cur.columns]
    expected = {f: _ks(base[f], cur[f]) for f in numeric}
    checks.expect(isinstance(result, dict) and isinstance(result.get("distances"), dict),
                  "drift_report should return {'distances': {...}, 'violations': [...]}", found=result)
    checks.expect_equal(sorted(result["distances"]), sorted(expected),
                        "distances should cover exactly the numeric features present in both frames",
                        hint="baseline.select_dtypes('number'), and skip columns missing from current")
    for f, d in expected.items():
        checks.expect(math.isclose(result["distances"][f], d, abs_tol=1e-9), f"distance of {f!r} is wrong",
                      expected=round(d, 6), found=result["distances"][f],
                      hint="max |F_base(x) - F_cur(x)| over every value of both samples, F = share of sample <= x")
    checks.expect_equal(list(result.get("violations", [])), sorted(f for f, d in expected.items() if d > threshold),
                        "violations should list (sorted) the features whose distance exceeds the threshold")
    for f, d in expected.items():
        value = _published(cw, endpoint, f)
        checks.expect(value is not None and math.isclose(value, d, abs_tol=1e-9),
                      f"CloudWatch should hold feature_baseline_drift_{f} for Endpoint={endpoint}",
                      expected=round(d, 6), found=value,
                      hint="namespace GenAI/ModelMonitor, one dimension Endpoint=<endpoint_name>")


_cw = aws.client("cloudwatch")
_base = pd.DataFrame({"prompt_tokens": [120, 80, 95, 130, 110, 70, 100, 90],
                      "attachments": [0, 1, 0, 0, 2, 0, 1, 0],
                      "channel": ["web", "mail", "web", "web", "chat", "mail", "web", "chat"]})
_cur = pd.DataFrame({"prompt_tokens": [300, 280, 90, 310, 295, 260],
                     "attachments": [0, 1, 0, 0, 1, 0],
                     "channel": ["web"] * 6})
_ep = f"ticket-router-{uuid.uuid4().hex[:6]}"
_res = checks.call(drift_report, _cw, _base, _cur, _ep)
_check(_res, _base, _cur, _ep, 0.1, _cw)
print("Visible checks passed:", _res["violations"])

### BEGIN HIDDEN TESTS
_rng = np.random.default_rng()
for _trial in range(3):
    _n1, _n2 = int(_rng.integers(150, 300)), int(_rng.integers(80, 200))
    _b = pd.DataFrame({"latency_ms": _rng.gamma(2.0, 50.0, _n1), "length": _rng.integers(5, 400, _n1),
                       "score": _rng.normal(0, 1, _n1), "lang": _rng.choice(["en", "de"], _n1),
                       "only_in_base": _rng.normal(size=_n1)})
    _c = pd.DataFrame({"latency_ms": _rng.gamma(2.0, 50.0 * _rng.uniform(0.9, 1.6), _n2),
                       "length": _rng.integers(5, int(_rng.integers(300, 700)), _n2),
                       "score": _rng.normal(_rng.uniform(-0.05, 0.6), 1, _n2), "lang": _rng.choice(["en", "fr"], _n2)})
    _c.loc[_rng.choice(_n2, 5, replace=False), "score"] = np.nan
    _thr = float(_rng.uniform(0.05, 0.2))
    _ep2 = f"ep-{uuid.uuid4().hex[:8]}"
    _res2 = checks.call(drift_report, _cw, _b, _c, _ep2, threshold=_thr)
    _check(_res2, _b, _c, _ep2, _thr, _cw)
# a distance equal to the threshold is not a violation (D > threshold); samples of 4 and 8 keep D exact
_b3 = pd.DataFrame({"edge": [1.0, 2.0, 3.0, 4.0], "far": [1.0, 2.0, 3.0, 4.0]})
_c3 = pd.DataFrame({"edge": [3.0, 4.0, 5.0, 6.0, 3.0, 4.0, 5.0, 6.0], "far": [9.0] * 8})
_ep3 = f"ep-{uuid.uuid4().hex[:8]}"
_res3 = checks.call(drift_report, _cw, _b3, _c3, _ep3, threshold=0.5)
_check(_res3, _b3, _c3, _ep3, 0.5, _cw)
### END HIDDEN TESTS

# %% [markdown]
# ### What drift looks like
#
# The cell below draws a baseline window and a production window for three features of the
# ticket router and prints the distance your function computes (using a reference copy, so it
# runs even before you finish the exercise).

# %%
import matplotlib.pyplot as plt


def _ks_distance(b, c):
    b, c = np.sort(np.asarray(b, float)), np.sort(np.asarray(c, float))
    xs = np.union1d(b, c)
    return float(np.max(np.abs(np.searchsorted(b, xs, side="right") / len(b)
                               - np.searchsorted(c, xs, side="right") / len(c))))


rng = np.random.default_rng(7)
baseline_window = {
    "prompt tokens": rng.gamma(4.0, 30.0, 2000),
    "retrieved passages": rng.poisson(4.0, 2000),
    "user satisfaction (1-5)": rng.choice([1, 2, 3, 4, 5], 2000, p=[0.05, 0.1, 0.25, 0.35, 0.25]),
}
production_window = {
    "prompt tokens": rng.gamma(4.0, 45.0, 800),  # users paste longer documents
    "retrieved passages": rng.poisson(4.1, 800),  # unchanged
    "user satisfaction (1-5)": rng.choice([1, 2, 3, 4, 5], 800, p=[0.07, 0.11, 0.25, 0.33, 0.24]),
}
fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
for ax, name in zip(axes, baseline_window):
    b, c = baseline_window[name], production_window[name]
    d = _ks_distance(b, c)
    bins = np.histogram_bin_edges(np.concatenate([b, c]), bins=25)
    ax.hist(b, bins=bins, density=True, alpha=0.55, label="baseline (training)")
    ax.hist(c, bins=bins, density=True, alpha=0.55, label="production (last 24 h)")
    ax.set(title=f"{name}\ndistance D = {d:.3f} {'> 0.1: DRIFT' if d > 0.1 else '≤ 0.1: ok'}",
           xlabel=name, ylabel="share of requests (density)")
    ax.legend(fontsize=8)
fig.suptitle("Baseline vs production distributions, with the data-quality monitor's distance")
fig.tight_layout()
plt.show()

# %% [markdown]
# **Reading the chart.** Only *prompt tokens* crosses the 0.1 threshold: the whole distribution
# has shifted right (people now paste long documents), so the cumulative curves differ by more
# than 10 percentage points somewhere. The small changes in retrieved passages and satisfaction
# stay under the threshold, which is the point of a distance threshold: it ignores noise between
# two samples. Drift in inputs is a warning, not proof that quality fell; confirm it with a
# model-quality monitor (ground truth) or human review before you retrain.

# %% [markdown]
# ## SageMaker JumpStart: pre-trained and foundation models <a id="jumpstart"></a>
#
# **What it is.** A hub inside SageMaker AI (Studio, Unified Studio and the Python SDK) of
# hundreds of pre-trained models: open-weights foundation models (Llama, Mistral, Falcon, Stable
# Diffusion...), proprietary models offered through AWS Marketplace, and classic vision, text and
# tabular models. With a few clicks or two SDK calls you **deploy** a model to a SageMaker endpoint
# in your account, or **fine-tune** it on your data in S3 (many text models offer instruction
# tuning and parameter-efficient methods such as LoRA), then evaluate it. Private hubs let
# administrators curate which models teams may use.
#
# **JumpStart vs Bedrock.** Bedrock: serverless API, pay per token, no infrastructure, managed
# guardrails/agents/knowledge bases. JumpStart: the model runs on *your* SageMaker instances in
# your VPC, you choose instance types and scaling, you pay for instance hours, and you can use
# models Bedrock does not host. Some JumpStart models can be registered in **Bedrock Marketplace**
# so that Bedrock APIs call them.
#
# **Exam tip:** "deploy an open-source FM in our VPC on instances we control, quickly" →
# JumpStart. "No infrastructure, pay per request" → Bedrock.

# %%
quiz.show("sagemaker", "jumpstart")

# %% [markdown]
# ## SageMaker Model Registry and Pipelines: MLOps with approval gates <a id="model-registry"></a>
#
# **Model Registry.** A **model package group** holds the versions of one model; each **model
# package** (version 1, 2, 3...) records the inference image, model artifact, metrics, lineage,
# free-form metadata and a **model approval status**: `PendingManualApproval`, `Approved` or
# `Rejected`. Changing the status emits an EventBridge event, which is how CI/CD (CodePipeline, a
# Lambda function, a pipeline) deploys only approved versions, typically to staging first and then,
# after another approval, to production accounts (groups can be shared across accounts with a
# resource policy). **Model cards** document intended use, limitations, risk rating, training
# details and evaluation results for governance; they are created in the console or through the
# API, linked to a model package version, and can be exported as PDF for auditors.
#
# **SageMaker Pipelines.** Serverless workflow orchestration of ML steps, defined with the
# SageMaker Python SDK as a DAG: Processing → Training → evaluation Processing → **Condition step**
# (is the metric good enough?) → **RegisterModel** (status pending) → optional deployment. Runs are
# tracked with lineage; steps can be cached; executions start on a schedule, from EventBridge, or
# from code.
#
# **GenAI angle.** The same flow governs a fine-tuned LLM: a pipeline fine-tunes, evaluates
# (ROUGE, toxicity, an LLM-as-a-judge score), registers, and a reviewer approves before the model
# reaches users.
#
# **Exam tip:** "only approved model versions reach production, with an audit trail" → Model
# Registry approval status + EventBridge-triggered deployment. "Automate preprocess–train–evaluate–
# register" → SageMaker Pipelines.

# %%
quiz.show("sagemaker", "model-registry")

# %% [markdown]
# ### Exercise 3 — an automatic approval gate (3 points)
#
# Your fine-tuning pipeline registers every candidate as `PendingManualApproval`. Write the gate
# that runs after evaluation.
#
# Write `gate_model_package(sm, package_arn, metrics, thresholds)`:
#
# - `metrics`: evaluation results, e.g. `{"rougeL": 0.43, "toxicity_rate": 0.004}`;
# - `thresholds`: one rule per metric, `{"rougeL": {"min": 0.40}, "toxicity_rate": {"max": 0.01}}`
#   (inclusive: a value equal to the bound passes). A metric that has a rule but no value fails;
# - only a package whose status is currently `PendingManualApproval` may be changed: for any other
#   status change nothing and return the current status;
# - otherwise set the status with `sm.update_model_package`: `Approved` when every rule passes, else
#   `Rejected` with an `ApprovalDescription` that names each failing metric (and no passing one);
# - return the new status.

# %% kind="solution" grade_id="registry-gate"
def gate_model_package(sm, package_arn, metrics, thresholds):
    """Approve or reject a pending model package from its evaluation metrics; return the status."""
    ### BEGIN SOLUTION
    current = sm.describe_model_package(ModelPackageName=package_arn).get("ModelApprovalStatus")
    if current != "PendingManualApproval":
        return current
    failing = []
    for name, rule in thresholds.items():
        value = metrics.get(name)
        too_low = "min" in rule and value is not None and value < rule["min"]
        too_high = "max" in rule and value is not None and value > rule["max"]
        if value is None or too_low or too_high:
            failing.append(name)
    if failing:
        sm.update_model_package(ModelPackageArn=package_arn, ModelApprovalStatus="Rejected",
                                ApprovalDescription="failed evaluation gate: " + ", ".join(sorted(failing)))
        return "Rejected"
    sm.update_model_package(ModelPackageArn=package_arn, ModelApprovalStatus="Approved")
    return "Approved"
    ### END SOLUTION


# %% kind="tests" grade_id="registry-gate-tests" points=3
"""Does gate_model_package approve only pending packages that pass every rule, and name the failures?"""
import uuid

_sm = aws.client("sagemaker")


def _package(sm, group, status="PendingManualApproval"):
    return sm.create_model_package(
        ModelPackageGroupName=group,
        InferenceSpecification={
            "Containers": [{"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/llm-serving:1",
                            "ModelDataUrl": f"s3://models/{uuid.uuid4().hex}/model.tar.gz"}],
            "SupportedContentTypes": ["application/json"], "SupportedResponseMIMETypes": ["application/json"],
        },
        ModelApprovalStatus=status,
    )["ModelPackageArn"]


def _state(sm, arn):
    d = sm.describe_model_package(ModelPackageName=arn)
    return d.get("ModelApprovalStatus"), d.get("ApprovalDescription") or ""


_group = f"support-summarizer-{uuid.uuid4().hex[:6]}"
_sm.create_model_package_group(ModelPackageGroupName=_group)
_rules = {"rougeL": {"min": 0.40}, "toxicity_rate": {"max": 0.01}}

_good = _package(_sm, _group)
_st = checks.call(gate_model_package, _sm, _good, {"rougeL": 0.43, "toxicity_rate": 0.004}, _rules)
checks.expect_equal(_st, "Approved", "a candidate that passes every rule should be approved")
checks.expect_equal(_state(_sm, _good)[0], "Approved", "the registry should show the package as Approved",
                    hint="sm.update_model_package(ModelPackageArn=..., ModelApprovalStatus='Approved')")

_bad = _package(_sm, _group)
_st = checks.call(gate_model_package, _sm, _bad, {"rougeL": 0.45, "toxicity_rate": 0.03}, _rules)
_status, _desc = _state(_sm, _bad)
checks.expect_equal((_st, _status), ("Rejected", "Rejected"), "a toxic candidate should be rejected (returned and in the registry)")
checks.expect("toxicity_rate" in _desc and "rougeL" not in _desc,
              "ApprovalDescription should name the failing metric and only it", expected="mentions toxicity_rate only",
              found=_desc)
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_g2 = f"grp-{uuid.uuid4().hex[:8]}"
_sm.create_model_package_group(ModelPackageGroupName=_g2)
_m1, _m2, _m3 = (f"m_{uuid.uuid4().hex[:5]}" for _ in range(3))
_rules2 = {_m1: {"min": 0.7}, _m2: {"max": 250.0}, _m3: {"min": 0.9}}
# boundary values pass
_p = _package(_sm, _g2)
checks.expect_equal(checks.call(gate_model_package, _sm, _p, {_m1: 0.7, _m2: 250.0, _m3: 0.95}, _rules2), "Approved",
                    "values equal to a bound pass (the rules are inclusive)")
checks.expect_equal(_state(_sm, _p)[0], "Approved", "the boundary candidate should be Approved in the registry")
# a missing metric fails; two failures are both named
_p = _package(_sm, _g2)
checks.call(gate_model_package, _sm, _p, {_m1: 0.69, _m2: 120.0}, _rules2)
_status, _desc = _state(_sm, _p)
checks.expect_equal(_status, "Rejected", "a low metric and a missing metric should reject the candidate")
checks.expect(_m1 in _desc and _m3 in _desc and _m2 not in _desc,
              "ApprovalDescription should name every failing metric (a missing one too) and no passing one",
              expected=f"{_m1} and {_m3}, not {_m2}", found=_desc)
# an extra metric without a rule does not matter
_p = _package(_sm, _g2)
checks.expect_equal(checks.call(gate_model_package, _sm, _p, {_m1: 0.8, _m2: 1.0, _m3: 0.99, "other": -5}, _rules2),
                    "Approved", "metrics without a rule should be ignored")
# a package a human already rejected (or approved) is never changed by the gate
_rej = _package(_sm, _g2, "Rejected")
checks.expect_equal(checks.call(gate_model_package, _sm, _rej, {_m1: 0.99, _m2: 1.0, _m3: 0.99}, _rules2), "Rejected",
                    "a package that is not pending should keep (and return) its status")
checks.expect_equal(_state(_sm, _rej)[0], "Rejected", "a rejected package must not be re-approved by the gate")
_app = _package(_sm, _g2, "Approved")
checks.call(gate_model_package, _sm, _app, {_m1: 0.1}, _rules2)
checks.expect_equal(_state(_sm, _app)[0], "Approved", "an approved package must not be changed by the gate")
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 4 — deploy the latest *approved* version (4 points)
#
# The deployment side of the gate: when the registry changes, deploy the newest version that is
# approved, never a pending or rejected one, even if it is newer.
#
# Write `deploy_latest_approved(sm, group_name, endpoint_name, role_arn, instance_type="ml.m5.large")`:
#
# 1. find the **Approved** package with the highest `ModelPackageVersion` in the group
#    (`sm.list_model_packages(ModelPackageGroupName=..., ModelApprovalStatus="Approved")`); if there
#    is none, raise `ValueError` and create nothing;
# 2. create a model from it: `sm.create_model(ModelName=..., ExecutionRoleArn=role_arn,
#    PrimaryContainer={"ModelPackageName": <package ARN>})`;
# 3. create an endpoint configuration with one variant `AllTraffic` on `instance_type`, 1 instance;
# 4. create the endpoint `endpoint_name` with that configuration;
# 5. return `{"endpoint_arn": ..., "model_package_arn": ..., "version": <int>}`.
#
# Name the model and configuration after the endpoint and version (e.g. `f"{endpoint_name}-v{version}"`)
# so that names stay unique. (moto accepts only older instance families: use `ml.m5.large` or
# `ml.t2.medium` here; a real LLM would use a GPU type such as `ml.g5.xlarge`.)

# %% kind="solution" grade_id="registry-deploy"
def deploy_latest_approved(sm, group_name, endpoint_name, role_arn, instance_type="ml.m5.large"):
    """Deploy the newest Approved package of a model package group to a new endpoint."""
    ### BEGIN SOLUTION
    approved = []
    paginator = sm.get_paginator("list_model_packages")
    for page in paginator.paginate(ModelPackageGroupName=group_name, ModelApprovalStatus="Approved"):
        approved.extend(page["ModelPackageSummaryList"])
    approved = [p for p in approved if p.get("ModelApprovalStatus") == "Approved"]
    if not approved:
        raise ValueError(f"no approved model package in {group_name}")
    latest = max(approved, key=lambda p: p["ModelPackageVersion"])
    version, package_arn = latest["ModelPackageVersion"], latest["ModelPackageArn"]
    name = f"{endpoint_name}-v{version}"
    sm.create_model(ModelName=name, ExecutionRoleArn=role_arn, PrimaryContainer={"ModelPackageName": package_arn})
    sm.create_endpoint_config(
        EndpointConfigName=name,
        ProductionVariants=[{"VariantName": "AllTraffic", "ModelName": name,
                             "InstanceType": instance_type, "InitialInstanceCount": 1}],
    )
    endpoint_arn = sm.create_endpoint(EndpointName=endpoint_name, EndpointConfigName=name)["EndpointArn"]
    return {"endpoint_arn": endpoint_arn, "model_package_arn": package_arn, "version": version}
    ### END SOLUTION


# %% kind="tests" grade_id="registry-deploy-tests" points=4
"""Does deploy_latest_approved serve the newest Approved version, skip pending/rejected ones, and refuse when none is approved?"""
import uuid

from botocore.exceptions import ClientError

_sm = aws.client("sagemaker")
_ROLE = "arn:aws:iam::123456789012:role/sagemaker-inference"


def _pkg(group, status):
    return _sm.create_model_package(
        ModelPackageGroupName=group,
        InferenceSpecification={
            "Containers": [{"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/llm-serving:2",
                            "ModelDataUrl": f"s3://models/{uuid.uuid4().hex}/model.tar.gz"}],
            "SupportedContentTypes": ["application/json"], "SupportedResponseMIMETypes": ["application/json"],
        },
        ModelApprovalStatus=status,
    )["ModelPackageArn"]


_roles = []  # the execution role of each model served, filled by _served_packages


def _served_packages(endpoint):
    """Follow endpoint -> endpoint config -> model(s) -> model package ARNs, as the account records them."""
    _roles.clear()
    ep = checks.read(f"the endpoint {endpoint}", _sm.describe_endpoint, EndpointName=endpoint,
                     hint="create the endpoint named endpoint_name with sm.create_endpoint")
    cfg = _sm.describe_endpoint_config(EndpointConfigName=ep["EndpointConfigName"])
    found, types = [], []
    for v in cfg["ProductionVariants"]:
        types.append((v.get("VariantName"), v.get("InstanceType"), v.get("InitialInstanceCount")))
        model = _sm.describe_model(ModelName=v["ModelName"])
        _roles.append(model.get("ExecutionRoleArn"))
        for c in [model.get("PrimaryContainer") or {}] + list(model.get("Containers") or []):
            if c.get("ModelPackageName"):
                found.append(c["ModelPackageName"])
    return ep, found, types


_group = f"claims-summarizer-{uuid.uuid4().hex[:6]}"
_sm.create_model_package_group(ModelPackageGroupName=_group)
_v1 = _pkg(_group, "Approved")
_v2 = _pkg(_group, "Approved")
_v3 = _pkg(_group, "PendingManualApproval")
_ep = f"claims-{uuid.uuid4().hex[:6]}"
_out = checks.call(deploy_latest_approved, _sm, _group, _ep, _ROLE)
_desc, _served, _types = _served_packages(_ep)
checks.expect_equal(_desc["EndpointStatus"], "InService", "the endpoint should exist")
checks.expect_equal(_served, [_v2], "the endpoint should serve exactly the newest APPROVED version (v2, not pending v3)",
                    hint="filter on ModelApprovalStatus='Approved', then take the highest ModelPackageVersion")
checks.expect_equal(_types, [("AllTraffic", "ml.m5.large", 1)],
                    "one variant AllTraffic on the given instance type with 1 instance")
checks.expect_equal(_roles, [_ROLE], "the model should run with the execution role given (ExecutionRoleArn=role_arn)")
checks.expect(isinstance(_out, dict) and _out.get("endpoint_arn") == _desc["EndpointArn"]
              and _out.get("model_package_arn") == _v2 and _out.get("version") == 2,
              "the return value should describe what was deployed",
              expected={"endpoint_arn": _desc["EndpointArn"], "model_package_arn": _v2, "version": 2}, found=_out)
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_g = f"grp-{uuid.uuid4().hex[:8]}"
_sm.create_model_package_group(ModelPackageGroupName=_g)
_statuses = ["Approved", "Rejected", "Approved", "Approved", "PendingManualApproval", "Rejected"]
_arns = [_pkg(_g, s) for s in _statuses]
# a reviewer later rejects version 4: version 3 is now the newest approved one
_sm.update_model_package(ModelPackageArn=_arns[3], ModelApprovalStatus="Rejected")
_ep2 = f"ep-{uuid.uuid4().hex[:8]}"
from course import paging

_role2 = f"arn:aws:iam::{uuid.uuid4().int % 10**12:012d}:role/inference-{uuid.uuid4().hex[:6]}"
with paging.small_pages(1):  # one package per page: the newest approved one is not on the first page
    _out2 = checks.call(deploy_latest_approved, _sm, _g, _ep2, _role2, instance_type="ml.t2.medium")
_d2, _served2, _types2 = _served_packages(_ep2)
checks.expect_equal(_served2, [_arns[2]], "after v4 was rejected the newest approved version is v3",
                    hint="read approval statuses from the registry each time, do not assume order")
checks.expect_equal(_types2, [("AllTraffic", "ml.t2.medium", 1)], "use the instance_type argument")
checks.expect_equal(_roles, [_role2], "the model should run with the execution role given")
_served1, _types1 = _served_packages(_ep)[1:]
checks.expect_equal((_served1, _types1), ([_v2], [("AllTraffic", "ml.m5.large", 1)]),
                    "the first endpoint should still serve its own model and configuration after a second deployment",
                    hint="give each model and endpoint configuration a new name (AWS refuses a name that exists)")
checks.expect(isinstance(_out2, dict) and _out2.get("version") == 3 and _out2.get("model_package_arn") == _arns[2],
              "the return value should name version 3", found=_out2)
# no approved version: ValueError, and no endpoint
_g3 = f"grp-{uuid.uuid4().hex[:8]}"
_sm.create_model_package_group(ModelPackageGroupName=_g3)
_pkg(_g3, "PendingManualApproval")
_pkg(_g3, "Rejected")
_ep3 = f"ep-{uuid.uuid4().hex[:8]}"
def _model_names():
    return {m["ModelName"] for page in _sm.get_paginator("list_models").paginate() for m in page["Models"]}


_models_before = _model_names()
try:
    deploy_latest_approved(_sm, _g3, _ep3, _ROLE)
    _raised = None
except ValueError:
    _raised = "ValueError"
except Exception as _exc:  # noqa: BLE001
    _raised = type(_exc).__name__
checks.expect_equal(_raised, "ValueError", "with no approved version the function should raise ValueError")
try:
    _sm.describe_endpoint(EndpointName=_ep3)
    _exists = True
except ClientError:
    _exists = False
checks.expect(not _exists, "no endpoint may be created when nothing is approved", found=f"endpoint {_ep3} exists")
_models_after = _model_names()
checks.expect_equal(sorted(_models_after - _models_before), [], "no model may be created when nothing is approved")
### END HIDDEN TESTS

# %% [markdown]
# After the endpoint exists, an application calls it with
# `aws.client("sagemaker-runtime").invoke_endpoint(EndpointName=..., ContentType="application/json",
# Body=json.dumps({"inputs": "..."}))`. In this simulator the answer is a placeholder, so the
# exercise stops at the deployment chain.

# %% [markdown]
# ## SageMaker Neo: compile once, run faster on the target <a id="neo"></a>
#
# **What it is.** A compiler for trained models. You give Neo a model (TensorFlow, PyTorch, MXNet,
# ONNX, XGBoost, TFLite...) and a **target**: a SageMaker instance family (including AWS Inferentia
# `ml_inf`) or an edge platform (ARM, Intel, NVIDIA Jetson, and others). The compilation job
# optimises the graph for that hardware and produces an artifact with a small runtime. AWS
# advertises up to about twice the speed with a much smaller memory footprint, without accuracy
# loss, and you keep the same deployment flow (SageMaker endpoint, or the device).
#
# **When to choose it.** Inference latency or cost on a specific hardware target matters and the
# model is a classic deep-learning or tree model: vision at the edge, small NLP models on CPU
# instances or Inferentia. For large language models, the usual levers are different: the LMI
# container with its optimised engines, quantisation, speculative decoding, and the SageMaker
# inference optimisation toolkit; for mobile or IoT fleets you also need a device-management
# layer such as AWS IoT Greengrass.
#
# **Exam tip:** "run the same trained model on ARM/NVIDIA edge devices and cloud instances,
# optimised for each" → SageMaker Neo.

# %%
quiz.show("sagemaker", "neo")

# %% [markdown]
# # Part 2 — Purpose-built AI services
#
# Pre-trained models behind an API: no training, no endpoint. In a GenAI design they pre- or
# post-process what the FM sees (extract text, find PII, transcribe audio) or replace a prompt
# when a specialised model is cheaper and more predictable.

# %% [markdown]
# ## Amazon Comprehend: NLP, PII and toxicity <a id="comprehend"></a>
#
# **What it is.** Natural-language processing as an API: **entities** (people, places,
# organisations, dates...), **key phrases**, **sentiment** (positive, negative, neutral, mixed) and
# targeted sentiment, **syntax**, **dominant language** (100+ languages), **topic modelling**
# (asynchronous, over a document collection), and **custom classification** and **custom entity
# recognition** trained on your labelled examples. **PII**: `ContainsPiiEntities` (which types are
# present) and `DetectPiiEntities` (types and offsets), plus asynchronous jobs that write redacted
# copies of documents. Real-time calls take a document at a time; batch and async jobs read from
# S3. **Comprehend Medical** is a separate service for clinical text (conditions, medications,
# PHI).
#
# **Trust and safety for GenAI.** `DetectToxicContent` scores text for categories such as hate
# speech, insults, profanity and violence, and a prompt-safety classifier flags unsafe prompts:
# both can screen LLM inputs and outputs.
#
# | Need | Tool |
# |---|---|
# | Redact PII from documents before indexing them for RAG | Comprehend PII (or Macie to *find* PII in S3) |
# | Block PII in live prompts and answers | Bedrock Guardrails sensitive-information filters |
# | Route support emails to 12 queues by your own categories | Comprehend custom classification |
#
# **GenAI angle.** When a model garbles identifiers it reads in free text (order or shipment
# IDs), extract them first with a custom entity recognizer trained on annotated examples and pass
# them to the prompt as structured fields; deterministic extraction beats asking the model.
#
# **Exam tip:** sentiment, entities, language, topics or PII in *text* → Comprehend.

# %%
quiz.show("sagemaker", "comprehend")

# %% [markdown]
# ## Amazon Textract: text, forms and tables from documents <a id="textract"></a>
#
# **What it is.** Document OCR that keeps structure. `DetectDocumentText` returns lines and words;
# `AnalyzeDocument` adds feature types **FORMS** (key-value pairs), **TABLES** (cells, merged cells,
# titles), **QUERIES** (ask "What is the policy number?" and get the answer span),
# **SIGNATURES** and **LAYOUT** (titles, headers, paragraphs, lists: useful for chunking).
# Specialised APIs: `AnalyzeExpense` (invoices, receipts), `AnalyzeID` (identity documents),
# Analyze Lending (mortgage packages). Custom queries adapters tune Queries to your documents.
#
# | Mode | Input | Use |
# |---|---|---|
# | Synchronous (`Analyze...`) | one-page image or PDF as bytes or S3 object (PNG, JPEG, TIFF, PDF) | interactive apps |
# | Asynchronous (`Start...` + SNS) | multi-page PDF/TIFF in S3 | large documents, pipelines |
#
# Every block carries a **confidence score**; Textract integrates with **Amazon A2I** to send
# low-confidence fields to human reviewers.
#
# **GenAI angle.** Textract is the ingestion front end of document RAG and intelligent document
# processing: extract text and tables with layout, chunk by section, embed, and let an FM answer or
# summarise. Bedrock Data Automation and FM-based parsing in Bedrock Knowledge Bases are newer
# alternatives for multimodal parsing.
#
# **Exam tip:** scanned forms or tables → Textract (not Rekognition text detection, which is for
# short text in images and video).

# %%
quiz.show("sagemaker", "textract")

# %% [markdown]
# ## Amazon Transcribe: speech to text with redaction <a id="transcribe"></a>
#
# **What it is.** Automatic speech recognition. **Batch** jobs (`StartTranscriptionJob`, media in
# S3, results as JSON in an S3 bucket) and **streaming** (HTTP/2 or WebSocket) for live audio.
# Options:
#
# - **Custom vocabulary** (product names, acronyms) and **custom language models** (trained on
#   domain text) for accuracy; **vocabulary filters** to mask, remove or tag words (profanity);
# - **speaker diarization** (`ShowSpeakerLabels`) or **channel identification** (agent and caller
#   on separate channels); automatic **language identification**;
# - **PII redaction** (`ContentRedaction`: `RedactionType="PII"`, `RedactionOutput="redacted"` or
#   `"redacted_and_unredacted"`, optionally a list of `PiiEntityTypes`), for supported languages;
# - **Transcribe Call Analytics** (sentiment, talk time, interruptions, categories, and generative
#   call summaries) and **Transcribe Medical** for clinical speech.
#
# Batch jobs are asynchronous: you poll `GetTranscriptionJob` (status `QUEUED` → `IN_PROGRESS` →
# `COMPLETED` or `FAILED`) or react to the EventBridge event "Transcribe Job State Change".
#
# **GenAI angle.** Transcribe → (redacted) transcript → Bedrock summarises the call or answers
# questions about it. Redact *before* the transcript reaches prompts, logs or a vector store.
#
# **Exam tip:** "remove card numbers from call recordings' transcripts" → Transcribe PII redaction
# with `redacted` output only. Unredacted copies should exist only if someone must see them.

# %%
quiz.show("sagemaker", "transcribe")

# %% [markdown]
# ### Exercise 5 — transcribe a call with PII redaction and wait for it (3 points)
#
# A contact-centre assistant summarises calls with an FM. Transcripts must never contain card
# numbers, names or other PII, and the unredacted transcript must not be stored at all.
#
# Write `transcribe_redacted(transcribe, job_name, media_uri, output_bucket, language_code="en-US",
# poll_seconds=5, max_polls=60)`:
#
# 1. start a batch job: `Media={"MediaFileUri": media_uri}`, the language code, output to
#    `output_bucket` under the key `f"redacted/{job_name}.json"` (`OutputBucketName`, `OutputKey`),
#    **PII redaction with only the redacted output**, and speaker labels for the 2 speakers (agent,
#    caller: `Settings={"ShowSpeakerLabels": True, "MaxSpeakerLabels": 2}`);
# 2. poll `get_transcription_job` until the status is `COMPLETED` or `FAILED`, sleeping
#    `poll_seconds` **between** polls (`time.sleep`), at most `max_polls` calls;
# 3. on `COMPLETED` return the `TranscriptionJob` dict; on `FAILED` raise `RuntimeError` with the
#    job's `FailureReason`; if it is still running after `max_polls` polls raise `TimeoutError`.
#
# (moto moves a job one status further on each poll and does not keep `ContentRedaction`, so the
# test watches the request your function sends.)

# %%
import time

# %% kind="solution" grade_id="transcribe-redaction"
def transcribe_redacted(transcribe, job_name, media_uri, output_bucket, language_code="en-US",
                        poll_seconds=5, max_polls=60):
    """Start a PII-redacted transcription job, poll it to the end, return the finished job."""
    ### BEGIN SOLUTION
    transcribe.start_transcription_job(
        TranscriptionJobName=job_name,
        LanguageCode=language_code,
        Media={"MediaFileUri": media_uri},
        OutputBucketName=output_bucket,
        OutputKey=f"redacted/{job_name}.json",
        ContentRedaction={"RedactionType": "PII", "RedactionOutput": "redacted"},
        Settings={"ShowSpeakerLabels": True, "MaxSpeakerLabels": 2},
    )
    for attempt in range(max_polls):
        if attempt:
            time.sleep(poll_seconds)
        job = transcribe.get_transcription_job(TranscriptionJobName=job_name)["TranscriptionJob"]
        status = job["TranscriptionJobStatus"]
        if status == "COMPLETED":
            return job
        if status == "FAILED":
            raise RuntimeError(f"transcription job {job_name} failed: {job.get('FailureReason')}")
    raise TimeoutError(f"transcription job {job_name} still running after {max_polls} polls")
    ### END SOLUTION


# %% kind="tests" grade_id="transcribe-redaction-tests" points=3
"""Does transcribe_redacted request redacted-only PII output with speaker labels, and poll the job to its end?"""
import uuid


class _Recorder:
    """Records the parameters of every StartTranscriptionJob request a client sends."""

    def __init__(self, client):
        self.sent, self.polls = [], 0
        client.meta.events.register("provide-client-params.transcribe.StartTranscriptionJob", self._start)
        client.meta.events.register("provide-client-params.transcribe.GetTranscriptionJob", self._poll)

    def _start(self, params, **kwargs):
        self.sent.append(dict(params))

    def _poll(self, params, **kwargs):
        self.polls += 1


class _StubTranscribe:
    """A stand-in client whose job ends in a given way (the simulator's jobs always succeed)."""

    def __init__(self, statuses, reason="Unsupported media format"):
        self.statuses, self.reason, self.polls = list(statuses), reason, 0

    def start_transcription_job(self, **kwargs):
        self.name = kwargs["TranscriptionJobName"]
        return {"TranscriptionJob": {"TranscriptionJobName": self.name, "TranscriptionJobStatus": "QUEUED"}}

    def get_transcription_job(self, TranscriptionJobName):
        status = self.statuses[min(self.polls, len(self.statuses) - 1)]
        self.polls += 1
        job = {"TranscriptionJobName": TranscriptionJobName, "TranscriptionJobStatus": status}
        if status == "FAILED":
            job["FailureReason"] = self.reason
        return {"TranscriptionJob": job}


def _check_request(req, bucket, name, uri, lang):
    redaction = req.get("ContentRedaction") or {}
    checks.expect_equal(redaction.get("RedactionType"), "PII", "the job should request PII redaction",
                        hint='ContentRedaction={"RedactionType": "PII", "RedactionOutput": ...}')
    checks.expect_equal(redaction.get("RedactionOutput"), "redacted",
                        "only the redacted transcript may be produced (no unredacted copy)")
    settings = req.get("Settings") or {}
    checks.expect(settings.get("ShowSpeakerLabels") is True and settings.get("MaxSpeakerLabels") == 2,
                  "the job should label 2 speakers", expected={"ShowSpeakerLabels": True, "MaxSpeakerLabels": 2},
                  found=settings)
    checks.expect_equal((req.get("OutputBucketName"), req.get("OutputKey")), (bucket, f"redacted/{name}.json"),
                        "the transcript should go to the output bucket under redacted/<job>.json")
    checks.expect_equal((req.get("Media") or {}).get("MediaFileUri"), uri, "Media.MediaFileUri should be the call")
    checks.expect_equal(req.get("LanguageCode"), lang, "use the language_code argument")


_tr, _s3 = aws.client("transcribe"), aws.client("s3")
_bucket = f"sm-calls-{uuid.uuid4().hex[:8]}"
_s3.create_bucket(Bucket=_bucket)
_s3.put_object(Bucket=_bucket, Key="calls/call-0001.wav", Body=b"RIFF....WAVE")
_rec = _Recorder(_tr)
_name = f"call-0001-{uuid.uuid4().hex[:6]}"
_uri = f"s3://{_bucket}/calls/call-0001.wav"
_job = checks.call(transcribe_redacted, _tr, _name, _uri, _bucket, poll_seconds=0)
checks.expect_equal(len(_rec.sent), 1, "exactly one StartTranscriptionJob request should be sent")
_check_request(_rec.sent[0], _bucket, _name, _uri, "en-US")
checks.expect(isinstance(_job, dict) and _job.get("TranscriptionJobStatus") == "COMPLETED"
              and _job.get("TranscriptionJobName") == _name,
              "return the finished TranscriptionJob dict", expected="status COMPLETED", found=_job)
checks.expect(_rec.polls >= 3, "the job passes QUEUED and IN_PROGRESS first: keep polling until COMPLETED",
              expected="3 or more get_transcription_job calls", found=_rec.polls)
print("Visible checks passed after", _rec.polls, "polls.")

### BEGIN HIDDEN TESTS
_tr2 = aws.client("transcribe")
_rec2 = _Recorder(_tr2)
_name2 = f"job-{uuid.uuid4().hex}"
_uri2 = f"s3://{_bucket}/calls/{uuid.uuid4().hex}.wav"
_job2 = checks.call(transcribe_redacted, _tr2, _name2, _uri2, _bucket, language_code="en-GB", poll_seconds=0)
_check_request(_rec2.sent[0], _bucket, _name2, _uri2, "en-GB")
_listed = {j["TranscriptionJobName"]: j["TranscriptionJobStatus"]
           for j in _tr2.list_transcription_jobs(JobNameContains=_name2[:20])["TranscriptionJobSummaries"]}
checks.expect_equal(_listed.get(_name2), "COMPLETED", "the job should exist in the account and be COMPLETED")
checks.expect_equal(_rec2.polls, 3, "stop polling as soon as the job is COMPLETED (QUEUED, IN_PROGRESS, COMPLETED)")
# a failed job raises RuntimeError with the reason
_reason = f"reason-{uuid.uuid4().hex[:6]}"
_stub = _StubTranscribe(["QUEUED", "IN_PROGRESS", "FAILED"], reason=_reason)
try:
    transcribe_redacted(_stub, "x", "s3://b/x.wav", "b", poll_seconds=0, max_polls=10)
    _outcome = "returned"
except RuntimeError as _exc:
    _outcome = "RuntimeError" if _reason in str(_exc) else "RuntimeError without FailureReason"
except Exception as _exc:  # noqa: BLE001
    _outcome = type(_exc).__name__
checks.expect_equal(_outcome, "RuntimeError", "a FAILED job should raise RuntimeError naming the FailureReason")
checks.expect_equal(_stub.polls, 3, "stop polling once the job has FAILED")
# a job that never ends: exactly max_polls polls, then TimeoutError
_stub = _StubTranscribe(["QUEUED", "IN_PROGRESS"])
try:
    transcribe_redacted(_stub, "y", "s3://b/y.wav", "b", poll_seconds=0, max_polls=7)
    _outcome = "returned"
except TimeoutError:
    _outcome = "TimeoutError"
except Exception as _exc:  # noqa: BLE001
    _outcome = type(_exc).__name__
checks.expect_equal(_outcome, "TimeoutError", "a job still running after max_polls polls should raise TimeoutError")
checks.expect_equal(_stub.polls, 7, "poll exactly max_polls times before giving up")
# poll_seconds between polls: the gaps between polls are observed, and so are the sleeps when time.sleep is used
# (only this thread's: the kernel's own threads sleep too)
import threading as _threading
import time as _time


class _TimedStub(_StubTranscribe):
    def get_transcription_job(self, TranscriptionJobName):
        self.times = getattr(self, "times", []) + [_time.monotonic()]
        return super().get_transcription_job(TranscriptionJobName)


_stub = _TimedStub(["QUEUED", "IN_PROGRESS", "IN_PROGRESS", "COMPLETED"])
_sleeps, _real_sleep, _this_thread = [], _time.sleep, _threading.get_ident()


def _recorded_sleep(seconds):
    if _threading.get_ident() == _this_thread:
        _sleeps.append(seconds)
    _real_sleep(seconds)


_time.sleep = _recorded_sleep
try:
    _job3 = checks.call(transcribe_redacted, _stub, "z", "s3://b/z.wav", "b", poll_seconds=0.05, max_polls=10)
finally:
    _time.sleep = _real_sleep
_times = getattr(_stub, "times", [])
checks.expect_equal(len(_times), 4, "poll until the job is COMPLETED (QUEUED, IN_PROGRESS, IN_PROGRESS, COMPLETED)")
_gaps = [round(b - a, 3) for a, b in zip(_times, _times[1:])]
checks.expect(min(_gaps) >= 0.045, "wait poll_seconds between two polls", expected="gaps of at least 0.05 s",
              found=_gaps, hint="time.sleep(poll_seconds) before every poll except the first")
if _sleeps:
    checks.expect_equal(_sleeps, [0.05] * 3, "sleep poll_seconds between polls only (not before the first poll)")
### END HIDDEN TESTS

# %% [markdown]
# ## Amazon Rekognition: image and video analysis <a id="rekognition"></a>
#
# **What it is.** Computer vision as an API, for images (synchronous) and stored or streaming
# video (asynchronous). Labels (objects, scenes, activities), **content moderation**
# (`DetectModerationLabels`: explicit, violent, hateful... with a hierarchical taxonomy and
# confidence scores), **face** detection and analysis (age range, emotions, eyewear...), face
# comparison and search in collections, face liveness, celebrity recognition, text in images
# (`DetectText`), PPE detection, and **Custom Labels** to train your own object or scene
# classifier from a few hundred labelled images.
#
# **GenAI angle.** Screen user-uploaded images before a multimodal FM sees them, and generated
# images before users see them; the moderation result plus A2I gives a human review path for
# borderline cases. Face search involves biometric data: check consent and local law.
#
# | Need | Service |
# |---|---|
# | Is this uploaded photo explicit? | Rekognition moderation |
# | Extract a table from a scanned PDF | Textract |
# | Describe an image in prose / answer questions about it | a multimodal FM in Bedrock |
#
# **Exam tip:** moderation of images/video or face search → Rekognition; rich descriptions or
# reasoning over images → multimodal FM.

# %%
quiz.show("sagemaker", "rekognition")

# %% [markdown]
# ## Amazon Polly and Amazon Translate: speech out, other languages <a id="polly-translate"></a>
#
# **Amazon Polly** turns text into lifelike speech. Voice engines: standard, **neural** (NTTS),
# long-form and **generative**. Output formats MP3, OGG Vorbis and raw PCM, plus *speech marks*
# (JSON timing of words, sentences and visemes for lip-sync or highlighting). **SSML** controls
# pauses, emphasis, pronunciation and speaking rate; **lexicons** fix how names and acronyms are
# spoken; long texts go through asynchronous synthesis tasks to S3.
#
# **Amazon Translate** is neural machine translation between 75 languages, in real time or as
# batch jobs over S3 documents. **Custom terminology** forces how brand and product names are
# translated; **Active Custom Translation** adapts output to your parallel data; settings for
# formality and profanity masking.
#
# **GenAI angle.** A voice assistant chains Transcribe (speech → text) → Lex or a Bedrock agent →
# Polly (text → speech). Translate can normalise multilingual documents before embedding, or
# translate an FM's answer; many FMs translate well too, so choose Translate for predictable
# cost, batch volume, and enforced terminology.
#
# **Exam tip:** "read answers aloud" → Polly; "translate documents at scale with our product
# glossary" → Translate with custom terminology.

# %%
quiz.show("sagemaker", "polly-translate")

# %% [markdown]
# ## Amazon Forecast and Amazon Personalize <a id="forecast-personalize"></a>
#
# **Amazon Forecast** produced time-series forecasts (demand, capacity) from historical data and
# related series with AutoML predictors, quantiles and what-if analyses.
#
# *Note:* Amazon Forecast is **no longer available to new customers** (since July 2024); existing
# customers can keep using it. AWS points new time-series work to **SageMaker Canvas** (no-code
# forecasting) or to SageMaker AI with your own or JumpStart models (e.g. Chronos).
#
# **Amazon Personalize** builds real-time recommendations from interaction data (clicks,
# purchases), item metadata and user metadata, with no ML expertise. **Recipes / use cases**:
# personalised recommendations for a user (*User-Personalization*), **similar items**,
# **personalised ranking** (re-rank a list for one user), trending and popular items, and
# user segmentation for promotions. Campaigns serve real time; batch inference jobs score offline;
# an event tracker keeps it learning from live events; filters exclude items (out of stock,
# already bought).
#
# **GenAI angle.** Personalize chooses *what* to show, an FM writes *how* to say it: recommended
# items go into a Bedrock prompt that writes a personalised email, and Personalize can return item
# metadata and generated themes for that purpose. A recommendation system that must learn from
# clicks is Personalize's job, not an FM's.
#
# **Exam tip:** "recommendations / re-rank for each user in real time" → Personalize.

# %%
quiz.show("sagemaker", "forecast-personalize")

# %% [markdown]
# # Part 3 — Search, conversation and assistants

# %% [markdown]
# ## Amazon Kendra: enterprise search and a retriever for RAG <a id="kendra"></a>
#
# **What it is.** Managed intelligent search. An **index** holds documents (HTML, PDF, Word,
# PowerPoint, plain text...) from **data sources**: native connectors (S3, SharePoint, Confluence,
# Salesforce, ServiceNow, OneDrive, databases, web crawler...) or custom sources through the API.
# Queries are natural-language; results include suggested answers, FAQs, ranked documents and
# facets over document attributes (built-in and your own custom attributes). **ACLs and user
# context** filter results to what each user may see; relevance tuning and feedback improve
# ranking.
#
# **For RAG.** The `Retrieve` API returns up to 100 semantically relevant passages (about 200
# tokens each) to put in a prompt; Bedrock Knowledge Bases and Amazon Q Business can use a Kendra
# index as retriever. Editions: Developer, Enterprise, and the **GenAI Enterprise Edition** index
# (December 2024) built for RAG.
#
# | Choose | When |
# |---|---|
# | Kendra | many enterprise connectors, ACL-aware search, little tuning |
# | Bedrock Knowledge Base + vector store | you control chunking, embeddings and the vector store |
#
# *Note:* the notes list developer and enterprise editions; there is now a GenAI Enterprise
# Edition as well.
#
# **Exam tip:** "RAG over SharePoint and Confluence respecting document permissions, minimal
# effort" → Kendra (or a finished assistant: Q Business for existing customers, Amazon Quick for new
# ones).

# %%
quiz.show("sagemaker", "kendra")

# %% [markdown]
# ## Amazon Lex: chat and voice bots <a id="lex"></a>
#
# **What it is.** A service to build conversational interfaces with speech recognition and
# language understanding (the Lex V2 console and APIs). A bot has **intents** (what the user
# wants, e.g. *BookAppointment*) with sample utterances, **slots** (the data the intent needs, with
# built-in or custom slot types), prompts and confirmation, and multi-turn **session state**.
# **Lambda code hooks** validate slots and fulfil the intent. Channels: web and mobile SDKs,
# Amazon Connect contact centres (voice and chat), Slack, Facebook, Twilio. Sentiment analysis of
# utterances can be switched on.
#
# **Generative AI in Lex.** The descriptive bot builder drafts a bot from a description; assisted
# slot resolution uses an FM to understand messy answers; **`AMAZON.QnAIntent`** answers questions
# from a Bedrock knowledge base (or Kendra) when no intent matches; the `AMAZON.BedrockAgentIntent`
# hands over to a Bedrock agent.
#
# | Choose | When |
# |---|---|
# | Lex | structured, deterministic flows (slots, confirmations), telephony with Connect |
# | Bedrock agent | open-ended tasks that need reasoning and tool calls |
#
# **Exam tip:** "IVR / contact-centre bot that collects a claim number and date" → Lex with Amazon
# Connect; "fall back to answers from our documents" → QnAIntent with a knowledge base.

# %%
quiz.show("sagemaker", "lex")

# %% [markdown]
# ## Amazon Q Business: the enterprise assistant <a id="q-business"></a>
#
# **What it is.** A fully managed generative AI assistant for employees: answers questions,
# summarises and drafts content **grounded in company data** (managed RAG) and can act in other
# applications. An **application** has a retriever (a native index or an existing Kendra index)
# fed by **40+ connectors** (S3, SharePoint, Confluence, Salesforce, Jira, Slack...). Users sign in
# through **IAM Identity Center** (or IAM federation), and Q Business enforces the **ACLs** crawled
# from each source, so users only get answers from documents they may read. Admin controls:
# topic blocking, allowing or not general LLM knowledge, response personalisation. **Plugins**
# (built-in for Jira, ServiceNow, Salesforce... or custom from an OpenAPI schema) take actions.
#
# *Note:* Amazon Q Business is no longer open to new customers (since 31 July 2026, per its
# documentation); existing customers keep using it. AWS points new customers to **Amazon Quick**,
# which offers chat agents and *spaces* over **knowledge bases** (Amazon S3, SharePoint,
# Confluence, Google Drive, OneDrive, web crawler...) with document-level access control,
# **action integrations** (Jira, Salesforce, ServiceNow, Slack, MCP, OpenAPI...), flows for
# repeated tasks, and sign-in through IAM Identity Center. The exam guide still covers Q Business.
#
# | Need | Choice |
# |---|---|
# | Ready-made employee assistant over company data, minimal code, new customer | Amazon Quick |
# | The same, for an existing Q Business customer | Q Business |
# | Custom RAG app inside your own product UI | Bedrock Knowledge Bases + FM |
# | Developer help in the IDE | Kiro (see Q Developer below) |
#
# **Exam tip:** "employees, many SaaS sources, respect permissions, no ML team" → Q Business for
# its existing customers, Amazon Quick for new ones.

# %%
quiz.show("sagemaker", "q-business")

# %% [markdown]
# ## Amazon Q Apps: lightweight apps inside Q Business <a id="q-apps"></a>
#
# **What it is.** The notes call it "Q Business Apps"; the AWS name is **Amazon Q Apps**, a
# capability of Amazon Q Business (not a separate service). A user of the Q Business web
# experience **describes** an app in natural language ("a tool that turns meeting notes into a
# customer follow-up email in our tone") or turns a useful **chat conversation** into an app. Q
# Apps generates the app as *cards* (text inputs, file uploads, output cards with prompts, plugin
# actions) that the creator can edit. Apps run with the same data access and guardrails as the Q
# Business application; creators can publish them to a **library** or share them privately, and
# other users run them without changing them.
#
# *Note:* the notes describe a drag-and-drop builder; Q Apps are generated from natural language or
# a conversation and then refined card by card. They follow Q Business's availability change.
#
# **When to choose it.** Business users automating a repeated prompt-based task over company data
# without developers. Developers building a product feature use Bedrock (Agents, Flows, Prompt
# management) instead.
#
# **Exam tip:** "non-technical employees turn a repeated Q Business task into a shareable app" →
# Amazon Q Apps.

# %%
quiz.show("sagemaker", "q-apps")

# %% [markdown]
# ## Amazon Q Developer: the assistant for building on AWS <a id="q-developer"></a>
#
# **What it is.** A generative AI assistant for developers and operators (it absorbed **Amazon
# CodeWhisperer** in 2024). In the IDE (VS Code, JetBrains, Visual Studio and others): inline code
# suggestions, chat about your code, **agents** that implement features across files, write unit
# tests, generate documentation and perform code reviews, **security scanning** of code, and
# **code transformation** (for example Java version upgrades, .NET porting). On the command line:
# completions and natural-language-to-bash. In the AWS console, Slack/Teams and the mobile app:
# answers about AWS services, your resources and costs, and operational troubleshooting.
#
# **Tiers.** Free tier with monthly limits; **Pro** per user (managed through IAM Identity
# Center) with higher limits, administration, and your own code **customisations** so suggestions
# follow internal libraries. Pro content is not used to train the service.
#
# *Note:* AWS ends support for the **Amazon Q Developer IDE plugins** on 30 April 2027 and points
# IDE users to **Kiro**, its agentic IDE and CLI (spec-driven development, steering files, hooks,
# MCP servers, enterprise subscriptions); the Q Developer CLI has already become the Kiro CLI.
# Amazon Q Developer in the AWS console and in chat applications (Slack, Teams) continues. For a
# new IDE assistant chosen today, pick Kiro.
#
# | Need | Tool |
# |---|---|
# | Developers write and modernise code faster (new choice) | Kiro |
# | Employees query company knowledge | Q Business |
# | Your application answers customers | Bedrock |
#
# **Exam tip:** "upgrade 200 Java 8 apps / explain a CloudFormation error / scan code for
# vulnerabilities in the IDE" → Q Developer.

# %%
quiz.show("sagemaker", "q-developer")

# %% [markdown]
# ## Amazon Augmented AI (A2I): human review of predictions <a id="a2i"></a>
#
# **What it is.** Human-in-the-loop for ML predictions. A **flow definition** ties together a
# **workforce** (private team, Mechanical Turk or vendor, the same choices as Ground Truth), a
# **worker task template** (the UI reviewers see), an S3 output path, and **activation
# conditions**. Two kinds of task type:
#
# - **built-in**: Textract `AnalyzeDocument` (conditions `ImportantFormKeyConfidenceCheck`,
#   `MissingImportantFormKey`, `Sampling`) and Rekognition `DetectModerationLabels`
#   (`ModerationLabelConfidenceCheck`, `Sampling`): the service itself starts the human loop when a
#   condition holds;
# - **custom**: any model (a SageMaker endpoint, a Bedrock FM): *your code* decides and calls
#   `StartHumanLoop` in the `sagemaker-a2i-runtime` API.
#
# Reviewers' answers land in S3 as JSON; they can correct outputs and become new training data.
#
# *Note:* AWS documentation now states that A2I is no longer open to new customers (existing
# customers keep using it, without new features). The pattern, confidence-based routing to
# humans, is still examined; alternatives include Ground Truth custom workflows, Bedrock
# human-based model evaluation, or a Step Functions task-token approval step.
#
# **Exam tip:** "send only low-confidence extractions to reviewers, plus a random audit sample"
# → A2I human loop with confidence conditions and sampling.

# %%
quiz.show("sagemaker", "a2i")

# %% [markdown]
# ### Exercise 6 — when should a human review this extraction? (2 points)
#
# A claims pipeline reads forms with Textract and lets an FM summarise them. Implement the
# decision a custom A2I flow would make before calling `StartHumanLoop`, with the same three
# condition types as the built-in Textract integration. Write
# `human_review_reason(fields, important_keys, key_threshold, value_threshold, sample_pct, draw)`:
#
# - `fields` maps each form key Textract found to `{"key_confidence": float, "value_confidence":
#   float}` (percentages 0–100);
# - return `"MissingImportantFormKey"` if any key of `important_keys` is absent from `fields`;
# - else `"ImportantFormKeyConfidenceCheck"` if any important key has `key_confidence <
#   key_threshold` **or** `value_confidence < value_threshold` (strictly less: A2I's
#   `...ConfidenceLessThan`);
# - else `"Sampling"` if `draw < sample_pct` (`draw` is a random number in [0, 100) supplied by
#   the caller, so the decision is testable);
# - else `None` (no human loop). Keys that are not important never trigger a review.

# %% kind="solution" grade_id="a2i-trigger"
def human_review_reason(fields, important_keys, key_threshold, value_threshold, sample_pct, draw):
    """Return the A2I condition type that should start a human loop for this form, or None."""
    ### BEGIN SOLUTION
    if any(key not in fields for key in important_keys):
        return "MissingImportantFormKey"
    for key in important_keys:
        scores = fields[key]
        if scores["key_confidence"] < key_threshold or scores["value_confidence"] < value_threshold:
            return "ImportantFormKeyConfidenceCheck"
    if draw < sample_pct:
        return "Sampling"
    return None
    ### END SOLUTION


# %% kind="tests" grade_id="a2i-trigger-tests" points=2
"""Does human_review_reason apply the missing-key, confidence and sampling conditions in that order?"""
import random


def _expected(fields, keys, kt, vt, pct, draw):
    if any(k not in fields for k in keys):
        return "MissingImportantFormKey"
    if any(fields[k]["key_confidence"] < kt or fields[k]["value_confidence"] < vt for k in keys):
        return "ImportantFormKeyConfidenceCheck"
    return "Sampling" if draw < pct else None


_form = {"Policy number": {"key_confidence": 99.1, "value_confidence": 97.5},
         "Date of loss": {"key_confidence": 98.0, "value_confidence": 71.0},
         "Notes": {"key_confidence": 40.0, "value_confidence": 35.0}}
_keys = ["Policy number", "Date of loss"]
_cases = [
    ((_form, _keys, 90, 80, 5, 50.0), "ImportantFormKeyConfidenceCheck"),
    ((_form, ["Policy number"], 90, 80, 5, 50.0), None),
    ((_form, ["Policy number"], 90, 80, 5, 3.0), "Sampling"),
    ((_form, _keys + ["Claimant name"], 90, 80, 5, 50.0), "MissingImportantFormKey"),
]
for _args, _want in _cases:
    checks.expect_equal(checks.call(human_review_reason, *_args), _want,
                        f"important keys {_args[1]}, thresholds {_args[2]}/{_args[3]}, sample {_args[4]}%, draw {_args[5]}")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_rnd = random.Random()
_names = [f"field_{i}" for i in range(8)]
for _ in range(400):
    _present = [n for n in _names if _rnd.random() < 0.85]
    _fields = {n: {"key_confidence": _rnd.choice([_rnd.uniform(50, 100), 80.0, 90.0]),
                   "value_confidence": _rnd.choice([_rnd.uniform(50, 100), 80.0, 90.0])} for n in _present}
    _imp = _rnd.sample(_names, _rnd.randint(0, 4))
    _kt, _vt = _rnd.choice([80.0, 90.0, _rnd.uniform(60, 99)]), _rnd.choice([80.0, 90.0, _rnd.uniform(60, 99)])
    _pct = _rnd.choice([0, 5, 10, 100, _rnd.uniform(0, 30)])
    _draw = _rnd.choice([_pct, _rnd.uniform(0, 100), 0.0])
    _args = (_fields, _imp, _kt, _vt, _pct, _draw)
    checks.expect_equal(checks.call(human_review_reason, *_args), _expected(*_args),
                        f"decision for important={_imp}, thresholds={_kt:.1f}/{_vt:.1f}, sample={_pct}, draw={_draw}",
                        hint="check missing keys first, then strict < on both confidences of important keys, then draw < sample_pct")
### END HIDDEN TESTS

# %% [markdown]
# The same rules written as the activation conditions of a *built-in* Textract flow definition
# (the JSON string passed in `HumanLoopActivationConfig` of `CreateFlowDefinition`) look like this;
# the conditions in the `Conditions` array are alternatives, and `And`/`Or` can nest them:

# %%
activation_conditions = {
    "Conditions": [
        {"ConditionType": "MissingImportantFormKey", "ConditionParameters": {"ImportantFormKey": "Policy number"}},
        {
            "ConditionType": "ImportantFormKeyConfidenceCheck",
            "ConditionParameters": {
                "ImportantFormKey": "Policy number",
                "KeyValueBlockConfidenceLessThan": 90,
                "WordBlockConfidenceLessThan": 80,
            },
        },
        {"ConditionType": "Sampling", "ConditionParameters": {"RandomSamplingPercentage": 5}},
    ]
}
print(json.dumps(activation_conditions, indent=2))

# %% [markdown]
# ## Graded quiz <a id="graded-quiz"></a>
#
# Six questions across the whole notebook. Pick your answers in the widget below; they are saved
# automatically beside this notebook and graded when you submit. Leave the cells under the widget
# as they are.

# %%
quiz.graded("sagemaker")

# %% kind="quiz" question="sm-g1" points=1

# %% kind="quiz" question="sm-g2" points=1

# %% kind="quiz" question="sm-g3" points=1

# %% kind="quiz" question="sm-g4" points=1

# %% kind="quiz" question="sm-g5" points=1

# %% kind="quiz" question="sm-g6" points=1

# %% [markdown]
# ## Summary / what to review <a id="summary"></a>
#
# **SageMaker AI** is where you train, host and govern models Bedrock does not serve for you.
# Hosting: real-time (steady, GPU, 60 s), serverless (bursty, CPU, ≤ 6 GB memory, 4 MB), async
# (≤ 1 GB from S3, ≤ 1 hour, scale to zero), batch transform (offline). **JumpStart** deploys
# open-weights FMs into your account; **Neo** compiles models for specific hardware.
#
# **MLOps and governance.** Pipelines automate process → train → evaluate → register; the
# **Model Registry** approval status gates what is deployed (Exercises 3 and 4). **Clarify**
# measures bias (CI, DPL pre-training; DPPL, DI post-training; Exercise 1), explains with SHAP and
# evaluates FMs. **Model Monitor** compares captured traffic with a baseline and publishes
# CloudWatch metrics that can trigger retraining (Exercise 2). **Ground Truth** labels training
# data; **A2I** routes low-confidence predictions to humans (Exercise 6). Data Wrangler and
# Processing prepare and evaluate data; Unified Studio puts data, analytics and AI in one governed
# project.
#
# **AI services around an FM.** Comprehend (text insights, PII, toxicity), Textract (documents
# with structure), Transcribe (speech, PII redaction: Exercise 5), Rekognition (image and video
# moderation), Polly (speech out), Translate (terminology-controlled translation), Personalize
# (recommendations; Forecast is closed to new customers). **Search and assistants:** Kendra
# (ACL-aware retrieval), Lex (structured bots, QnAIntent), Q Business and Q Apps (employee
# assistant), Q Developer (software development).
