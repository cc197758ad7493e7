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
# # Operations: choosing, deploying, routing, scaling, caching, costing and watching models
#
# **Who this is for:** developers preparing for the AWS Certified Generative AI Developer –
# Professional exam (AIP-C01) who can already call a model on Amazon Bedrock and now have to run
# it in production: pick the right model and the right way to pay for it, keep the bill and the
# latency down, survive throttling and Regional trouble, change models without a release, and
# see what the application is doing.
#
# **What you will do here:**
#
# - read 13 short sections, each ending with an *Exam tip* and self-check questions;
# - complete **8 graded exercises** with plain boto3 against the offline Bedrock simulator and a
#   simulated AWS account: a deployment cost model, a token budget with CountTokens, prompt-cache
#   savings, a prompt-router evaluation, a resilient call with a circuit breaker, a model switch
#   driven by Parameter Store, cost per application inference profile from invocation logs, and a
#   CloudWatch dashboard with an anomaly alarm;
# - read five charts (deployment cost curves, cache savings, latency by tier, router quality
#   against cost, tokens per application);
# - answer the **graded quiz** at the end.
#
# **Exam tasks trained:** 4.1–4.3 (cost, performance, monitoring: all 16 skills of domain 4),
# 2.2 (deployment strategies), 2.4.2–2.4.4 (streaming, resilience, routing) and 1.2.2–1.2.4
# (switching models, surviving disruptions, customised-model lifecycle).
#
# **How to work:** run the cells from top to bottom (every cell is safe to run again). In an
# exercise, replace `raise NotImplementedError()` with your code, run that cell, then run the
# test cell under it: its message tells you what is missing. Graded quiz answers are saved
# automatically next to this notebook as soon as you pick them.
#
# **About the simulator.** The "models" are small deterministic rules, not neural networks, but
# the operations around them behave as Bedrock documents them: inference profiles and the Region
# that served a call, batch jobs in S3, prompt caching with cache points, minimum lengths and
# time-to-live, service tiers and latency-optimised inference where a model offers them, prompt
# routers, customisation and import jobs, quotas, Region outages, invocation logs and `AWS/Bedrock`
# metrics. Latencies are simulated (nothing waits), and a simulated clock, moved on with
# `bedrock_sim.advance_clock(seconds)`, makes cache entries expire. Prices come from the course's
# catalogue, each entry with the date it was checked against the AWS pricing page: check the page
# itself before you quote a number.

# %% kind="setup"
from course import sandbox, checks, quiz

aws = sandbox.start()  # fake credentials, moto + the offline Bedrock simulator; safe to re-run

# %% [markdown]
# # Part 1 — Choosing and placing the model

# %% [markdown]
# ## Choosing a model: capability, context, price and lifecycle <a id="choosing-models"></a>
#
# Model choice is the largest cost lever you have. A frontier model can cost fifty times more
# per token than a small one, and most requests (classify, extract, summarise a short text,
# answer from retrieved context) do not need it. Compare candidates on four axes:
#
# | Axis | Where you find it | What to check |
# |---|---|---|
# | Capability | your own evaluation set (Bedrock model evaluation, LLM-as-a-judge) | quality on *your* task, not a leaderboard |
# | Context window | model card, `contextWindow` | longest prompt plus the answer |
# | Price | Bedrock pricing page: per 1,000 input and output tokens, cache reads and writes, batch, tiers | output tokens usually cost 4–5 times input tokens |
# | Lifecycle | `modelLifecycle.status` in `ListFoundationModels`/`GetFoundationModel` | **Active**, **Legacy**, then end of life |
#
# **Lifecycle.** A model stays on Bedrock for at least 12 months after launch before its
# end-of-life date, and is **Legacy** for at least six months before it, so you have time to
# migrate: watch the status, evaluate the successor on your test set, and switch (the section
# [switching models](#switching-models) shows how without a redeploy). Several models are
# offered in some Regions only through cross-Region inference profiles; calling their plain
# model id on demand fails with "on-demand throughput isn't supported".
#
# **Price–performance.** Measure cost *per successful task*, not per token: a cheap model that
# needs two retries or a longer prompt may cost more than a mid-size one. Small task-specific
# models (a fine-tuned or distilled small model) often match a large general model on one
# narrow task at a fraction of the cost.
#
# **Exam tip:** "same quality, lower cost" → a smaller model (or a cascade/router, section
# [routing](#routing)); "model is Legacy" → evaluate the successor and switch through
# configuration; "how long can I keep using it" → Legacy lasts at least six months before EOL.

# %% [markdown]
# **Try it.** The simulator's catalogue carries what the console shows: lifecycle status,
# context window and the prices the course checked (USD per 1,000 tokens).

# %%
import pandas as pd

from course import bedrock_sim
from course.bedrock_sim.catalogue import price as catalogue_price

bedrock = aws.client("bedrock")
runtime = aws.client("bedrock-runtime")

rows = []
for m in bedrock.list_foundation_models(byOutputModality="TEXT")["modelSummaries"]:
    p = catalogue_price(m["modelId"])
    rows.append({"model": m["modelId"], "status": m["modelLifecycle"]["status"],
                 "types": ",".join(t[:4] for t in m["inferenceTypesSupported"]),
                 "in/1k": p["inputPer1kTokens"], "out/1k": p["outputPer1kTokens"],
                 "cache read/1k": p.get("cacheReadPer1kTokens"), "batch in/1k": p.get("batchInputPer1kTokens")})
catalogue_table = pd.DataFrame(rows).sort_values("in/1k")
catalogue_table

# %%
quiz.show("operations", "choosing-models")

# %% [markdown]
# ## Where the model runs: on demand, tiers, batch, Provisioned Throughput, SageMaker <a id="deployment-options"></a>
#
# | Option | You pay | Latency / throughput | Choose it when |
# |---|---|---|---|
# | **On demand, Standard tier** | per token | shared capacity, quotas per model and Region (requests and tokens per minute) | most applications, spiky or unknown traffic |
# | **Priority tier** (`serviceTier={"type": "priority"}`) | per token, at a premium | served ahead of Standard and Flex requests | customer-facing, latency-critical calls on supported models |
# | **Flex tier** (`"flex"`) | per token, discounted | served after other tiers when busy; may wait longer | evaluations, summaries, agent steps that can wait |
# | **Reserved tier** | fixed price per 1,000 tokens per minute, 1- or 3-month term | reserved capacity, overflow goes to Standard | mission-critical steady load; arranged with your AWS account team |
# | **Batch inference** | about half the on-demand price for supported models | asynchronous: JSONL in S3 → results in S3 | large offline jobs with a deadline of a day or more |
# | **Provisioned Throughput** | per model unit per hour (no commitment, or 1 or 6 months) | dedicated throughput | steady high volume; serving some customised models |
# | **SageMaker AI endpoint** | per instance hour | you size instances, containers, auto scaling | open-weight or own models, GPU control, hybrid setups |
#
# Priority, Standard and Flex share the model's on-demand quota; a request without
# `serviceTier` is Standard. Tiers exist only for the models AWS lists (for example Amazon Nova
# Pro and Nova Premier); asking a model for a tier it lacks is a `ValidationException`.
#
# **Provisioned Throughput** is bought in *model units*; each unit gives a model-specific number
# of tokens per minute, so you size it for the peak: units = ⌈peak tokens per minute ÷ tokens per
# minute per unit⌉. It pays off only when the units are busy most of the month.
#
# **Serving from Lambda.** A Lambda function that calls Bedrock on demand is the usual serverless
# shape: no capacity to manage, pay per request and per token. **SageMaker AI** is for models
# Bedrock does not serve: Large Model Inference (LMI) containers shard big models over GPUs
# (tensor parallelism) and batch tokens continuously; load weights from S3 or the container
# image at start-up, keep a warm minimum of instances, and use inference components to pack
# several models (or LoRA adapters) on one endpoint.
#
# **Exam tip:** "nightly, millions of records, by morning" → batch; "steady 24/7 load" or a
# customised model that needs dedicated capacity → Provisioned Throughput; "latency-critical,
# supported model, pay per use" → Priority tier; "can wait, cheapest per token, interactive API"
# → Flex; "custom container, GPU memory, open-weight model" → SageMaker AI endpoint.

# %%
quiz.show("operations", "deployment-options")

# %% [markdown]
# ### Exercise 1 — the cheapest deployment that meets the deadline (3 points)
#
# A claims team summarises documents. Compare a month of on-demand, batch and Provisioned
# Throughput for its traffic and pick the cheapest option that meets its deadline. Write
# `cheapest_deployment(traffic, price, *, deadline_hours, days=30, hours_per_month=730)`.
#
# - `traffic` has `requests_per_day`, `input_tokens` and `output_tokens` (averages per request)
#   and `peak_tokens_per_minute`;
# - `price` has `inputPer1kTokens` and `outputPer1kTokens`, and may have `batchInputPer1kTokens`,
#   `batchOutputPer1kTokens`, `provisionedPerModelUnitHour` and `tokensPerMinutePerModelUnit`
#   (USD per 1,000 tokens, USD per model-unit hour, tokens per minute one unit serves).
#
# Return a dict:
#
# | key | value |
# |---|---|
# | `on_demand` | (input_tokens/1000 × inputPer1kTokens + output_tokens/1000 × outputPer1kTokens) × requests_per_day × days |
# | `batch` | the same with the batch prices; `None` if the price has no batch prices **or** `deadline_hours` is below 24 (batch results can take up to a day) |
# | `model_units` | ⌈peak_tokens_per_minute ÷ tokensPerMinutePerModelUnit⌉, at least 1; `None` without the two Provisioned Throughput keys |
# | `provisioned` | model_units × provisionedPerModelUnitHour × hours_per_month; `None` when `model_units` is `None` |
# | `choice` | `"on_demand"`, `"batch"` or `"provisioned"`: the lowest cost that is not `None` (on a tie, the earlier of those three) |
#
# Raise `ValueError` if `requests_per_day`, `input_tokens` or `output_tokens` is negative.

# %% kind="solution" grade_id="deployment-cost"
def cheapest_deployment(traffic, price, *, deadline_hours, days=30, hours_per_month=730):
    """Monthly cost of on-demand, batch and Provisioned Throughput for `traffic`, and the cheapest that fits."""
    ### BEGIN SOLUTION
    import math

    requests, tokens_in, tokens_out = traffic["requests_per_day"], traffic["input_tokens"], traffic["output_tokens"]
    if min(requests, tokens_in, tokens_out) < 0:
        raise ValueError("traffic figures must not be negative")

    def monthly(price_in, price_out):
        return (tokens_in / 1000 * price_in + tokens_out / 1000 * price_out) * requests * days

    result = {"on_demand": monthly(price["inputPer1kTokens"], price["outputPer1kTokens"]), "batch": None,
              "model_units": None, "provisioned": None}
    if "batchInputPer1kTokens" in price and "batchOutputPer1kTokens" in price and deadline_hours >= 24:
        result["batch"] = monthly(price["batchInputPer1kTokens"], price["batchOutputPer1kTokens"])
    if "provisionedPerModelUnitHour" in price and "tokensPerMinutePerModelUnit" in price:
        units = max(1, math.ceil(traffic["peak_tokens_per_minute"] / price["tokensPerMinutePerModelUnit"]))
        result["model_units"] = units
        result["provisioned"] = units * price["provisionedPerModelUnitHour"] * hours_per_month
    options = [(result[name], order, name) for order, name in enumerate(("on_demand", "batch", "provisioned"))
               if result[name] is not None]
    result["choice"] = min(options)[2]
    return result
    ### END SOLUTION


# %% kind="tests" grade_id="deployment-cost-tests" points=3
"""Does cheapest_deployment price every option as stated and pick the cheapest one that meets the deadline?"""
_price = {"inputPer1kTokens": 0.001, "outputPer1kTokens": 0.005, "batchInputPer1kTokens": 0.0005,
          "batchOutputPer1kTokens": 0.0025, "provisionedPerModelUnitHour": 20.0, "tokensPerMinutePerModelUnit": 10000}


def _near(value, want, tol):
    return isinstance(value, (int, float)) and abs(value - want) < tol


_traffic = {"requests_per_day": 1000, "input_tokens": 2000, "output_tokens": 400, "peak_tokens_per_minute": 15000}
_got = checks.call(cheapest_deployment, _traffic, _price, deadline_hours=2)
checks.expect_type(_got, dict, "cheapest_deployment should return a dict")
for _key in ("on_demand", "batch", "model_units", "provisioned", "choice"):
    checks.expect_in(_key, _got, f"the result should have the key {_key!r}")
checks.expect(_near(_got["on_demand"], 120.0, 1e-9), "on_demand is the monthly on-demand cost",
              expected=120.0, found=_got["on_demand"], hint="(2000/1000*0.001 + 400/1000*0.005) * 1000 * 30")
checks.expect_equal(_got["batch"], None, "a 2-hour deadline rules batch out")
checks.expect_equal(_got["model_units"], 2, "15,000 tokens per minute need two 10,000-token units")
checks.expect(_near(_got["provisioned"], 29200.0, 1e-6), "provisioned = units x hourly price x 730 hours",
              expected=29200.0, found=_got["provisioned"])
checks.expect_equal(_got["choice"], "on_demand", "on demand is the cheapest option that meets the deadline")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
# A nightly job with a day to finish: batch wins, at half the on-demand cost.
_night = checks.call(cheapest_deployment, _traffic, _price, deadline_hours=24)
checks.expect(_night["batch"] is not None and _near(_night["batch"], 60.0, 1e-9),
              "with a 24-hour deadline batch is allowed and costs the batch prices", expected=60.0, found=_night["batch"])
checks.expect_equal(_night["choice"], "batch", "batch is the cheapest option with a 24-hour deadline")
# Very high steady traffic: Provisioned Throughput wins; the other parameters are used.
_heavy = {"requests_per_day": 2_000_000, "input_tokens": 3000, "output_tokens": 500, "peak_tokens_per_minute": 25001}
_h = checks.call(cheapest_deployment, _heavy, _price, deadline_hours=1, days=31, hours_per_month=744)
checks.expect(_near(_h["on_demand"], (3 * 0.001 + 0.5 * 0.005) * 2_000_000 * 31, 1e-6), "days is a parameter",
              expected=(3 * 0.001 + 0.5 * 0.005) * 2_000_000 * 31, found=_h["on_demand"])
checks.expect_equal(_h["model_units"], 3, "units are rounded up: 25,001 tokens per minute need three units")
checks.expect(_near(_h["provisioned"], 3 * 20.0 * 744, 1e-6), "hours_per_month is a parameter",
              expected=3 * 20.0 * 744, found=_h["provisioned"])
checks.expect_equal(_h["choice"], "provisioned", "steady heavy traffic makes Provisioned Throughput the cheapest")
# A model without batch or PT prices, and a tiny peak that still needs one unit.
_plain = checks.call(cheapest_deployment, {"requests_per_day": 10, "input_tokens": 100, "output_tokens": 10,
                                           "peak_tokens_per_minute": 5}, {"inputPer1kTokens": 0.002,
                                                                          "outputPer1kTokens": 0.004}, deadline_hours=48)
checks.expect_equal(tuple(_plain.get(k, "missing") for k in ("batch", "model_units", "provisioned", "choice")),
                    (None, None, None, "on_demand"), "without batch or PT prices only on demand is possible")
_half = checks.call(cheapest_deployment, _traffic, {k: v for k, v in _price.items()
                                                     if k not in ("tokensPerMinutePerModelUnit", "batchOutputPer1kTokens")},
                    deadline_hours=48)
checks.expect_equal(tuple(_half.get(k, "missing") for k in ("batch", "model_units", "provisioned")), (None, None, None),
                    "batch needs both batch prices and Provisioned Throughput needs both of its keys")
_tiny = checks.call(cheapest_deployment, {"requests_per_day": 0, "input_tokens": 0, "output_tokens": 0,
                                          "peak_tokens_per_minute": 0}, _price, deadline_hours=30)
checks.expect_equal(_tiny["model_units"], 1, "at least one model unit")
checks.expect_equal(_tiny["choice"], "on_demand", "on a tie (all zero) the earlier option, on demand, wins")
for _bad in ({"requests_per_day": -1}, {"input_tokens": -5}, {"output_tokens": -1}):
    try:
        cheapest_deployment(_traffic | _bad, _price, deadline_hours=2)
    except ValueError:
        continue
    except Exception as _exc:  # noqa: BLE001
        checks.fail("negative traffic should raise ValueError", "ValueError", type(_exc).__name__)
    checks.fail("negative traffic should raise ValueError", "ValueError", f"no error for {_bad}")
### END HIDDEN TESTS

# %% [markdown]
# **Cost curves.** Where do the options cross? On demand and batch grow with traffic;
# Provisioned Throughput is flat until the peak needs another unit. (The model-unit throughput
# here is an assumed figure; AWS quotes it per model.)

# %%
import matplotlib.pyplot as plt

_volumes = [1_000 * 2 ** k for k in range(12)]
try:
    _curves = [cheapest_deployment({"requests_per_day": v, "input_tokens": 2000, "output_tokens": 400,
                                    "peak_tokens_per_minute": v * 2400 / 1440 * 3}, {
        "inputPer1kTokens": 0.001, "outputPer1kTokens": 0.005, "batchInputPer1kTokens": 0.0005,
        "batchOutputPer1kTokens": 0.0025, "provisionedPerModelUnitHour": 20.0,
        "tokensPerMinutePerModelUnit": 200_000}, deadline_hours=24) for v in _volumes]
    fig, ax = plt.subplots(figsize=(7, 3.5))
    for key, label in (("on_demand", "on demand"), ("batch", "batch"), ("provisioned", "Provisioned Throughput")):
        ax.plot(_volumes, [c[key] for c in _curves], marker="o", label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("requests per day (2,000 in + 400 out tokens each)")
    ax.set_ylabel("USD per month")
    ax.set_title("Monthly cost by deployment option")
    ax.legend()
    plt.show()
except NotImplementedError:
    print("Complete Exercise 1 to see the cost curves.")

# %% [markdown]
# ## Batch inference in practice <a id="batch-inference"></a>
#
# A batch job reads JSONL records from S3 — one per line, `{"recordId": ..., "modelInput":
# {...}}` with the model's InvokeModel body (or a Converse request) — and writes one `.out` file
# per input file plus a `manifest.json.out` with record and token counts under
# `<output prefix>/<job id>/`. Lines that fail carry an `error` object instead of `modelOutput`.
#
# - `CreateModelInvocationJob` needs a role Bedrock can assume to read and write the buckets;
#   the job then moves through **Submitted → Validating → Scheduled → InProgress → Completed**
#   (or **Failed**, with a `message`; **Stopping → Stopped** after `StopModelInvocationJob`).
# - Each model has a quota for the minimum (and maximum) number of records per job and per file;
#   a job below the minimum fails validation. Use an inference profile id as `modelId` to let the
#   job run across Regions. Batch does not run on provisioned models, and it does not do tool
#   calling: each record is one independent request.
# - Poll `GetModelInvocationJob`, or react to the job's state-change events in **Amazon
#   EventBridge** instead of polling.
#
# In the simulator a job moves one status per `GetModelInvocationJob` call; the minimum is 100
# records.
#
# **Exam tip:** "thousands of documents, results tomorrow, lowest cost" → batch inference;
# "notify when the batch finishes" → EventBridge rule on the job state change; "job failed at
# once" → check the record count, the JSONL format and the role's S3 permissions.

# %% [markdown]
# **Try it.** Submit a batch job over 120 support tickets and read its manifest.

# %%
import json
import uuid

s3 = aws.client("s3")
_tag = uuid.uuid4().hex[:8]
BATCH_IN, BATCH_OUT = f"ops-batch-in-{_tag}", f"ops-batch-out-{_tag}"
for _bucket in (BATCH_IN, BATCH_OUT):
    s3.create_bucket(Bucket=_bucket)
_records = [{"recordId": f"T{i:05d}", "modelInput": {
    "schemaVersion": "messages-v1",
    "messages": [{"role": "user", "content": [{"text": f"Summarize: ticket {i} asks for a refund of order {1000 + i}."}]}],
    "inferenceConfig": {"max_new_tokens": 60}}} for i in range(120)]
s3.put_object(Bucket=BATCH_IN, Key="tickets/day1.jsonl", Body="\n".join(json.dumps(r) for r in _records).encode())
job_arn = bedrock.create_model_invocation_job(
    jobName=f"tickets-{_tag}", roleArn="arn:aws:iam::123456789012:role/bedrock-batch",
    modelId="amazon.nova-micro-v1:0",
    inputDataConfig={"s3InputDataConfig": {"s3Uri": f"s3://{BATCH_IN}/tickets/"}},
    outputDataConfig={"s3OutputDataConfig": {"s3Uri": f"s3://{BATCH_OUT}/results/"}})["jobArn"]
status = "Submitted"
while status not in ("Completed", "Failed", "Stopped"):
    status = bedrock.get_model_invocation_job(jobIdentifier=job_arn)["status"]
    print(status)
_job_id = job_arn.rsplit("/", 1)[1]
print(json.loads(s3.get_object(Bucket=BATCH_OUT, Key=f"results/{_job_id}/manifest.json.out")["Body"].read()))

# %%
quiz.show("operations", "batch-inference")

# %% [markdown]
# # Part 2 — Spending fewer tokens

# %% [markdown]
# ## Token budgets: counting, trimming, compressing <a id="token-budgets"></a>
#
# Every input token is paid and every prompt must fit the model's context window together with
# the answer. Count before you send: the **CountTokens** API returns the input tokens a Converse
# or InvokeModel request would use, for the model you name, without running (or billing) it.
#
# Techniques, cheapest first:
#
# - **Response limits**: set `maxTokens` in `inferenceConfig`; ask for short formats ("one
#   sentence", JSON with named fields). Output tokens cost several times input tokens.
# - **Context pruning**: keep the system prompt and the newest turns, drop the oldest whole
#   user/assistant pairs, or replace them with a running summary.
# - **Retrieval instead of stuffing**: send the three passages that answer the question, not the
#   whole manual.
# - **Prompt compression**: remove boilerplate, repeated instructions and verbose examples;
#   shorter few-shot sets.
# - **Watch the pattern**: log `usage` per call (invocation logs, CloudWatch `InputTokenCount`
#   and `OutputTokenCount`) and plan capacity in tokens per minute, the unit quotas use. A request
#   first reserves quota for its input plus `maxTokens`, so an oversized `maxTokens` lowers how
#   many requests fit in the quota; some models also count each output token several times
#   against it (the `EstimatedTPMQuotaUsage` metric shows the result).
#
# **Exam tip:** "estimate tokens before calling, for the exact model" → CountTokens;
# "conversation grows until it fails" → prune old turns or summarise; "answers too long and
# costly" → `maxTokens` and an output format.

# %%
quiz.show("operations", "token-budgets")

# %% [markdown]
# ### Exercise 2 — fit a conversation into a token and price budget (3 points)
#
# Write `fit_history(runtime, model_id, system, history, question, *, context_window,
# max_output_tokens, price_per_1k_input, max_input_cost)`.
#
# - `history` is a list of Converse messages in complete pairs (user, assistant, user,
#   assistant, ...); `question` is the new user text; `system` is the system prompt text.
# - The input budget is the smaller of `context_window - max_output_tokens` and
#   `floor(max_input_cost / price_per_1k_input * 1000)`.
# - Candidate requests are `history[2*k:] + [{"role": "user", "content": [{"text": question}]}]`
#   for k = 0, 1, 2, ... (drop whole pairs, oldest first). Measure each candidate with
#   `runtime.count_tokens(modelId=model_id, input={"converse": {"system": [{"text": system}],
#   "messages": candidate}})` and keep the first that fits the budget (`inputTokens` ≤ budget).
# - Return `{"messages": candidate, "input_tokens": its count, "dropped_pairs": k}`.
# - If even the question alone does not fit, raise `ValueError`.

# %% kind="solution" grade_id="token-budget"
def fit_history(runtime, model_id, system, history, question, *, context_window, max_output_tokens,
                price_per_1k_input, max_input_cost):
    """Drop the oldest user/assistant pairs until the request fits the token and cost budget."""
    ### BEGIN SOLUTION
    import math

    budget = min(context_window - max_output_tokens, math.floor(max_input_cost / price_per_1k_input * 1000))
    ask = {"role": "user", "content": [{"text": question}]}
    for k in range(len(history) // 2 + 1):
        candidate = list(history[2 * k:]) + [ask]
        counted = runtime.count_tokens(
            modelId=model_id, input={"converse": {"system": [{"text": system}], "messages": candidate}})["inputTokens"]
        if counted <= budget:
            return {"messages": candidate, "input_tokens": counted, "dropped_pairs": k}
    raise ValueError(f"the question alone needs more than {budget} input tokens")
    ### END SOLUTION


# %% kind="tests" grade_id="token-budget-tests" points=3
"""Does fit_history use CountTokens, drop the fewest oldest pairs, and respect both the window and the price cap?"""
import math


class _Recorder:
    """Delegates to a client and records the name and keyword arguments of each call."""

    def __init__(self, client):
        self._client, self.calls = client, []

    def __getattr__(self, name):
        attr = getattr(self._client, name)
        if not callable(attr):
            return attr

        def record(*args, **kwargs):
            self.calls.append((name, kwargs))
            return attr(*args, **kwargs)

        return record


def _turns(n, words=30):
    out = []
    for i in range(n):
        out.append({"role": "user", "content": [{"text": f"Question {i}: " + " ".join(["detail"] * words)}]})
        out.append({"role": "assistant", "content": [{"text": f"Answer {i}: " + " ".join(["reply"] * words)}]})
    return out


def _count(model, system, messages):
    return runtime.count_tokens(modelId=model, input={"converse": {"system": [{"text": system}],
                                                                   "messages": messages}})["inputTokens"]


_rt = _Recorder(aws.client("bedrock-runtime"))
_model, _system = "amazon.nova-micro-v1:0", "You answer questions about the claims policy."
_history = _turns(6)
_full = _count(_model, _system, _history + [{"role": "user", "content": [{"text": "What next?"}]}])
_got = checks.call(fit_history, _rt, _model, _system, _history, "What next?", context_window=_full + 10,
                   max_output_tokens=40, price_per_1k_input=0.001, max_input_cost=1.0)
checks.expect_type(_got, dict, "fit_history should return a dict")
checks.expect(any(name == "count_tokens" for name, _ in _rt.calls), "fit_history should measure with CountTokens",
              expected="runtime.count_tokens(...) calls", found=[n for n, _ in _rt.calls])
_keep = _got.get("messages") or []
checks.expect(bool(_keep) and _keep[-1] == {"role": "user", "content": [{"text": "What next?"}]},
              "the last message should be the new question", found=_keep[-1:] or None)
checks.expect_equal(_got.get("dropped_pairs"), 1, "dropping the oldest pair is enough here")
checks.expect_equal(_keep[:-1], _history[2:], "the oldest pair goes; the rest of the history stays, in order")
checks.expect_equal(_got.get("input_tokens"), _count(_model, _system, _keep), "input_tokens is the CountTokens result")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
# The price cap binds: floor(cost / price * 1000) tokens, not the window.
_rt2 = _Recorder(aws.client("bedrock-runtime"))
_long_system = "Policy: " + " ".join(f"clause {i} applies" for i in range(60))
_h2 = _turns(8, words=20)
_sizes = [_count(_model, _long_system, _h2[2 * k:] + [{"role": "user", "content": [{"text": "Go on"}]}])
          for k in range(9)]
_cap = _sizes[3] + 0.4  # tokens; the price makes it fractional and floor() matters
_price = 0.0005
_got2 = checks.call(fit_history, _rt2, _model, _long_system, _h2, "Go on", context_window=10 ** 6,
                    max_output_tokens=100, price_per_1k_input=_price, max_input_cost=_cap * _price / 1000)
checks.expect_equal(_got2.get("dropped_pairs"), 3, "the cost cap allows the history from the fourth pair on",
                    hint="budget = min(context_window - max_output_tokens, floor(max_input_cost / price * 1000))")
checks.expect_equal(_got2.get("input_tokens"), _sizes[3], "the count includes the system prompt")
_called = [kw for name, kw in _rt2.calls if name == "count_tokens"]
checks.expect(all(kw.get("input", {}).get("converse", {}).get("system") == [{"text": _long_system}] for kw in _called),
              "every CountTokens call should include the system prompt")
checks.expect(all(kw.get("modelId") == _model for kw in _called), "CountTokens should count for the given model")
# The window binds exactly at the limit (<=), and max_output_tokens is subtracted.
_exact = checks.call(fit_history, _rt2, _model, _long_system, _h2, "Go on", context_window=_sizes[5] + 77,
                     max_output_tokens=77, price_per_1k_input=_price, max_input_cost=1.0)
checks.expect_equal(_exact.get("dropped_pairs"), 5, "a request exactly at the budget fits")
checks.expect_equal(_exact.get("messages"), _h2[10:] + [{"role": "user", "content": [{"text": "Go on"}]}],
                    "the kept messages are the newest pairs plus the question")
# A cost cap just below a candidate's size forces one more pair out (floor, not rounding up).
_tight = checks.call(fit_history, _rt2, _model, _long_system, _h2, "Go on", context_window=10 ** 6,
                     max_output_tokens=100, price_per_1k_input=_price, max_input_cost=(_sizes[3] - 0.3) * _price / 1000)
checks.expect_equal(_tight.get("dropped_pairs"), 4, "a budget of a fraction less than the size does not fit it")
# Only the question fits: every pair is dropped.
_only = checks.call(fit_history, _rt2, _model, _long_system, _h2, "Go on", context_window=_sizes[8] + 100,
                    max_output_tokens=100, price_per_1k_input=_price, max_input_cost=1.0)
checks.expect_equal((_only.get("dropped_pairs"), _only.get("messages")),
                    (8, [{"role": "user", "content": [{"text": "Go on"}]}]), "all eight pairs dropped, the question kept")
# Everything fits: nothing is dropped.
_all = checks.call(fit_history, _rt2, _model, _long_system, _h2, "Go on", context_window=10 ** 6,
                   max_output_tokens=100, price_per_1k_input=_price, max_input_cost=1.0)
checks.expect_equal(_all.get("dropped_pairs"), 0, "when the whole history fits, keep it all")
# Even the question alone is too long.
try:
    fit_history(_rt2, _model, _long_system, _h2, "Go on", context_window=_sizes[8] + 99, max_output_tokens=100,
                price_per_1k_input=_price, max_input_cost=1.0)
except ValueError:
    pass
except Exception as _exc:  # noqa: BLE001
    checks.fail("an impossible budget should raise ValueError", "ValueError", type(_exc).__name__)
else:
    checks.fail("an impossible budget should raise ValueError", "ValueError", "no error")
### END HIDDEN TESTS

# %% [markdown]
# ## Caching: prompt caching, semantic caches and result fingerprints <a id="caching"></a>
#
# **Prompt caching** (Bedrock) keeps the model's processed state of a *prompt prefix* for a
# few minutes so that later requests that start with the same prefix skip that work: lower
# latency and a lower price for the cached tokens.
#
# - Mark the end of the stable prefix with a **cache point**: a `{"cachePoint": {"type":
#   "default"}}` block in Converse `system`, `messages` or `toolConfig.tools` (Anthropic's
#   InvokeModel body uses `cache_control`). Put the stable parts first (tools, then the system
#   prompt, then fixed documents) and the changing question last.
# - Each model has a **minimum** number of tokens per cache checkpoint (for example 1,024 for
#   Claude 3.7 Sonnet, more for the Haiku models) and a maximum number of checkpoints per request;
#   a shorter prefix is simply not cached, and the call still succeeds.
# - The cache lives for a **time-to-live**, five minutes by default and renewed by every hit;
#   some newer Claude models also offer one hour (`"ttl": "1h"`).
# - `usage` reports `cacheWriteInputTokens` (first call: written, usually billed above the input
#   price) and `cacheReadInputTokens` (later calls: billed at a large discount); `inputTokens`
#   counts only the rest. Cached reads also shorten the time to the first token.
#
# **Other caches** sit in front of the model and skip the call altogether:
#
# - **Deterministic request hashing / result fingerprinting**: hash the normalised request
#   (model, parameters, prompt) and store the answer in DynamoDB or ElastiCache; an identical
#   request returns the stored answer (only safe with deterministic settings such as temperature 0).
# - **Semantic caching**: embed the question and look up a similar earlier question in a vector
#   store such as **ElastiCache for Valkey** (vector search); reuse its answer above a similarity
#   threshold.
# - **Edge caching**: CloudFront or API Gateway caching for identical public requests.
#
# **Exam tip:** "every request repeats a long system prompt or document" → prompt caching with a
# cache point after the stable prefix; "users ask the same questions in different words" →
# semantic cache (ElastiCache for Valkey vector search); "identical requests" → hash the request
# and cache the result.

# %%
quiz.show("operations", "caching")

# %% [markdown]
# ### Exercise 3 — measure prompt-cache savings over a session (3 points)
#
# An assistant answers questions about one long policy document. Write `cached_session(runtime,
# model_id, reference, questions, price)`:
#
# 1. For each question make one call `runtime.converse(modelId=model_id, system=[{"text":
#    reference}, {"cachePoint": {"type": "default"}}], messages=[{"role": "user", "content":
#    [{"text": question}]}])`.
# 2. From each response's `usage` take `inputTokens`, `outputTokens`, `cacheReadInputTokens` and
#    `cacheWriteInputTokens` (a missing cache field means 0).
# 3. `price` has `inputPer1kTokens`, `outputPer1kTokens`, `cacheReadPer1kTokens` and
#    `cacheWritePer1kTokens`. A call's `cost` is input × input price + read × read price + write
#    × write price + output × output price (tokens / 1000 × USD per 1,000); its `baseline`, what it
#    would cost without caching, is (input + read + write) × input price + output × output price.
#
# Return `{"calls": [{"input_tokens", "cache_read", "cache_write", "output_tokens", "cost",
# "baseline"} per call, in order], "cost": sum of costs, "baseline": sum of baselines,
# "savings": baseline - cost}`.

# %% kind="solution" grade_id="prompt-cache-savings"
def cached_session(runtime, model_id, reference, questions, price):
    """Ask each question with `reference` cached as the system prompt; report costs with and without the cache."""
    ### BEGIN SOLUTION
    per_k = {k: v / 1000 for k, v in price.items()}
    calls = []
    for question in questions:
        usage = runtime.converse(
            modelId=model_id,
            system=[{"text": reference}, {"cachePoint": {"type": "default"}}],
            messages=[{"role": "user", "content": [{"text": question}]}],
        )["usage"]
        read, write = usage.get("cacheReadInputTokens", 0), usage.get("cacheWriteInputTokens", 0)
        tokens_in, tokens_out = usage["inputTokens"], usage["outputTokens"]
        cost = (tokens_in * per_k["inputPer1kTokens"] + read * per_k["cacheReadPer1kTokens"]
                + write * per_k["cacheWritePer1kTokens"] + tokens_out * per_k["outputPer1kTokens"])
        baseline = (tokens_in + read + write) * per_k["inputPer1kTokens"] + tokens_out * per_k["outputPer1kTokens"]
        calls.append({"input_tokens": tokens_in, "cache_read": read, "cache_write": write,
                      "output_tokens": tokens_out, "cost": cost, "baseline": baseline})
    total, baseline_total = sum(c["cost"] for c in calls), sum(c["baseline"] for c in calls)
    return {"calls": calls, "cost": total, "baseline": baseline_total, "savings": baseline_total - total}
    ### END SOLUTION


# %% kind="tests" grade_id="prompt-cache-savings-tests" points=3
"""Does cached_session put a cache point after the document, read the cache usage and price it correctly?"""
import uuid

from course import bedrock_sim
from course.bedrock_sim.catalogue import price as catalogue_price


def _document(tag, clauses=90):
    return " ".join(f"Clause {i} of policy {tag}: claims of type {i} are settled within {i % 7 + 2} days."
                    for i in range(clauses))


def _expected(records, price):
    out = []
    for r in records:
        cost = (r["inputTokens"] * price["inputPer1kTokens"] + r["cacheReadInputTokens"] * price["cacheReadPer1kTokens"]
                + r["cacheWriteInputTokens"] * price["cacheWritePer1kTokens"]
                + r["outputTokens"] * price["outputPer1kTokens"]) / 1000
        base = ((r["inputTokens"] + r["cacheReadInputTokens"] + r["cacheWriteInputTokens"]) * price["inputPer1kTokens"]
                + r["outputTokens"] * price["outputPer1kTokens"]) / 1000
        out.append((cost, base))
    return out


_model = "us.anthropic.claude-3-7-sonnet-20250219-v1:0"
_price = catalogue_price("anthropic.claude-3-7-sonnet-20250219-v1:0")
_questions = ["How fast is type 3 settled?", "And type 4?", "What about type 5?"]
_start = len(bedrock_sim.invocations())
_got = checks.call(cached_session, runtime, _model, _document(uuid.uuid4().hex[:6]), _questions, _price)
_records = bedrock_sim.invocations()[_start:]
checks.expect_equal(len(_records), 3, "one Converse call per question")
checks.expect(_records[0]["cacheWriteInputTokens"] > 0 and _records[1]["cacheReadInputTokens"] > 0,
              "the first call should write the document to the cache and the next ones read it",
              found=[(r["cacheWriteInputTokens"], r["cacheReadInputTokens"]) for r in _records],
              hint='system=[{"text": reference}, {"cachePoint": {"type": "default"}}]')
checks.expect_type(_got, dict, "cached_session should return a dict")
_calls = _got.get("calls") or []
checks.expect_equal(len(_calls), 3, "one entry in calls per question")
checks.expect_equal([(c.get("cache_write"), c.get("cache_read")) for c in _calls],
                    [(r["cacheWriteInputTokens"], r["cacheReadInputTokens"]) for r in _records],
                    "cache_write and cache_read come from each response's usage")
_exp = _expected(_records, _price)
checks.expect(all(abs(c.get("cost", -1) - e[0]) < 1e-12 for c, e in zip(_calls, _exp)),
              "each call's cost uses the cache read and write prices", expected=[e[0] for e in _exp],
              found=[c.get("cost") for c in _calls])
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
checks.expect(all(abs(c.get("baseline", -1) - e[1]) < 1e-12 for c, e in zip(_calls, _exp)),
              "each call's baseline prices every input token at the input price", expected=[e[1] for e in _exp],
              found=[c.get("baseline") for c in _calls])
checks.expect_equal([(c.get("input_tokens"), c.get("output_tokens")) for c in _calls],
                    [(r["inputTokens"], r["outputTokens"]) for r in _records], "input_tokens and output_tokens per call")
checks.expect(abs(_got.get("cost", -1) - sum(e[0] for e in _exp)) < 1e-12, "cost is the sum of the calls' costs")
checks.expect(abs(_got.get("baseline", -1) - sum(e[1] for e in _exp)) < 1e-12, "baseline is the sum of baselines")
checks.expect(abs(_got.get("savings", -1) - (sum(e[1] for e in _exp) - sum(e[0] for e in _exp))) < 1e-12,
              "savings = baseline - cost")
checks.expect(_got["savings"] > 0, "three questions over one cached document should save money")
# Another model and price list, more questions, and an expired cache between sessions.
_nova_price = catalogue_price("amazon.nova-pro-v1:0")
_doc = _document(uuid.uuid4().hex[:6], clauses=70)
_qs = [f"Question {i}: how long does type {i} take?" for i in range(6)]
_start = len(bedrock_sim.invocations())
_got2 = checks.call(cached_session, runtime, "amazon.nova-pro-v1:0", _doc, _qs, _nova_price)
_recs2 = bedrock_sim.invocations()[_start:]
checks.expect_equal([r["modelId"] for r in _recs2], ["amazon.nova-pro-v1:0"] * 6, "call the model_id given")
checks.expect(all(abs(c["cost"] - e[0]) < 1e-12 for c, e in zip(_got2["calls"], _expected(_recs2, _nova_price))),
              "costs use the price dict passed in")
bedrock_sim.advance_clock(600)
_start = len(bedrock_sim.invocations())
_again = checks.call(cached_session, runtime, "amazon.nova-pro-v1:0", _doc, _qs[:1], _nova_price)
checks.expect(_again["calls"][0]["cache_write"] > 0 and _again["calls"][0]["cache_read"] == 0,
              "after the TTL the cache is written again; read the usage, do not assume a hit")
# A document too short to cache: no cache fields, so cost == baseline.
_short = checks.call(cached_session, runtime, _model, "Be brief.", ["Hi", "Hello"], _price)
checks.expect(all(c["cache_read"] == 0 and c["cache_write"] == 0 for c in _short["calls"]),
              "a missing cache field in usage counts as 0")
checks.expect(abs(_short["savings"]) < 1e-15, "with nothing cached there are no savings")
### END HIDDEN TESTS

# %% [markdown]
# **The savings over a session.** Twenty questions over one 1,400-token policy with Claude 3.7
# Sonnet: the first call pays the cache write premium, every later one reads the prefix at a
# tenth of the input price.

# %%
try:
    _doc = " ".join(f"Clause {i}: claims of type {i} are settled within {i % 7 + 2} days." for i in range(90))
    _session = cached_session(runtime, "us.anthropic.claude-3-7-sonnet-20250219-v1:0", _doc,
                              [f"How fast is type {i} settled?" for i in range(20)],
                              catalogue_price("anthropic.claude-3-7-sonnet-20250219-v1:0"))
    import itertools

    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.plot(list(itertools.accumulate(c["baseline"] for c in _session["calls"])), marker=".", label="without cache")
    ax.plot(list(itertools.accumulate(c["cost"] for c in _session["calls"])), marker=".", label="with prompt caching")
    ax.set_xlabel("question number")
    ax.set_ylabel("cumulative USD")
    ax.set_title(f"Prompt caching saved ${_session['savings']:.4f} over 20 questions")
    ax.legend()
    plt.show()
except NotImplementedError:
    print("Complete Exercise 3 to see the savings.")

# %% [markdown]
# # Part 3 — Fast, right-sized and resilient

# %% [markdown]
# ## Latency: streaming, time to first token, tiers and latency-optimised inference <a id="latency"></a>
#
# Two numbers describe a model call's speed: **time to first token (TTFT)**, how long the user
# stares at nothing, and **output tokens per second**, how fast the rest arrives. Total latency
# ≈ TTFT + output tokens ÷ speed, so long answers are slow answers.
#
# | Lever | Effect | Cost |
# |---|---|---|
# | **Streaming** (`ConverseStream`, `InvokeModelWithResponseStream`) | the user sees text after TTFT, not after the whole answer; pass the chunks on through API Gateway WebSocket APIs or response streaming, or Lambda response streaming (SSE) | none |
# | **Latency-optimised inference** (`performanceConfig={"latency": "optimized"}`) | faster serving for a few models (Amazon Nova Pro, Claude 3.5 Haiku, Llama 3.1 70B/405B), through cross-Region inference from listed Regions | higher price per token |
# | **Priority tier** | requests served ahead of others when the service is busy | premium per token |
# | **Prompt caching** | shorter TTFT for long, repeated prefixes | cheaper |
# | **Smaller model / shorter output** | less work per token and fewer tokens | cheaper |
# | **Parallel requests** | independent sub-tasks run at once (threads, Step Functions Map state) | same tokens, more concurrency |
# | **Pre-computation** | answers or summaries prepared ahead (batch at night) | cheaper |
#
# A request that asks for a tier or latency mode the model does not offer fails with a
# `ValidationException`; when the latency-optimised capacity is used up, Bedrock serves the
# request at standard latency and price. The response echoes what served it (`serviceTier`,
# `performanceConfig`), and CloudWatch shows such calls under the model id with `+priority`,
# `+flex` or `+latency-optimized`.
#
# **Measure, don't guess:** time the stream in the client (first `contentBlockDelta` → TTFT),
# read `metrics.latencyMs`, and watch the CloudWatch metrics `InvocationLatency` and
# `TimeToFirstToken` by percentile (p50, p90, p99), not by average.
#
# **Exam tip:** "users complain the chatbot feels slow, answers are long" → streaming first;
# "lowest latency for Nova Pro or Claude 3.5 Haiku, pay more" → latency-optimised inference;
# "fastest processing at busy times, per request, no reservation" → Priority tier.

# %% [markdown]
# **Try it.** Stream an answer and time it, then compare the simulated latencies of the tiers
# and of latency-optimised inference (called from us-east-2 through the `us.` profile, where the
# model offers it).

# %%
import time

_t0 = time.perf_counter()
_first = None
for event in runtime.converse_stream(modelId="amazon.nova-lite-v1:0",
                                     messages=[{"role": "user", "content": [{"text": "Describe our refund process."}]}])["stream"]:
    if "contentBlockDelta" in event and _first is None:
        _first = time.perf_counter() - _t0
    if "metadata" in event:
        print("simulated latencyMs:", event["metadata"]["metrics"]["latencyMs"], "| usage:", event["metadata"]["usage"])
print(f"client-side time to first chunk here: {_first * 1000:.1f} ms (the simulator does not wait)")

ohio = aws.client("bedrock-runtime", region_name="us-east-2")
_prompts = [f"Summarise ticket {i}: the customer reports issue number {i} with billing." for i in range(40)]
_modes = {
    "Nova Pro standard": dict(client=runtime, modelId="amazon.nova-pro-v1:0"),
    "Nova Pro flex": dict(client=runtime, modelId="amazon.nova-pro-v1:0", serviceTier={"type": "flex"}),
    "Nova Pro priority": dict(client=runtime, modelId="amazon.nova-pro-v1:0", serviceTier={"type": "priority"}),
    "Nova Pro optimized": dict(client=ohio, modelId="us.amazon.nova-pro-v1:0", performanceConfig={"latency": "optimized"}),
}
latencies = {}
for label, spec in _modes.items():
    spec = dict(spec)
    client = spec.pop("client")
    latencies[label] = [client.converse(messages=[{"role": "user", "content": [{"text": p}]}], **spec)["metrics"]["latencyMs"]
                        for p in _prompts]
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.boxplot(list(latencies.values()), orientation="horizontal")
ax.set_yticks(range(1, len(latencies) + 1), list(latencies))
ax.set_xlabel("simulated latency (ms)")
ax.set_title("Latency by service tier and latency mode (40 prompts)")
plt.show()

# %%
quiz.show("operations", "latency")

# %% [markdown]
# ## Tuning the output: inference parameters and A/B tests <a id="output-tuning"></a>
#
# The Converse API's `inferenceConfig` is the same for every model: `maxTokens`, `temperature`,
# `topP` and `stopSequences`; model-specific settings (Anthropic's `top_k`, for example) go in
# `additionalModelRequestFields`.
#
# - **Low temperature (0–0.3)** for extraction, classification and anything you cache or
#   compare; higher for creative text. Change temperature *or* top-p, not both at once.
# - **`maxTokens`** caps cost and latency; a stop reason `max_tokens` means the answer was cut.
# - **Stop sequences** end generation at a marker ("</answer>") instead of paying for more.
# - **A/B tests**: keep two prompt or parameter variants (Prompt Management variants, or two
#   configurations behind a feature flag in AppConfig), split traffic, and compare quality
#   (evaluation job or user feedback), latency and tokens per answer before you switch.
#
# **Exam tip:** "answers stop mid-sentence" → raise `maxTokens` (stop reason `max_tokens`);
# "inconsistent classifications" → lower temperature; "compare two prompt variants on live
# traffic" → an A/B test with a traffic split and metrics per variant.

# %%
quiz.show("operations", "output-tuning")

# %% [markdown]
# ## Right-sizing and routing: cascades and Intelligent Prompt Routing <a id="routing"></a>
#
# Most traffic is easy. Send easy requests to a small, cheap model and only hard ones to a
# strong model:
#
# - **Static routing**: the task decides the model (a classifier endpoint uses Nova Micro, the
#   report writer Claude Sonnet), kept in configuration.
# - **Content-based routing**: inspect the request (length, language, keywords, a cheap
#   classifier call) and branch, for example with a Step Functions Choice state or in the
#   Lambda function, or transform requests in API Gateway.
# - **Cascade**: try the small model first; escalate when a check fails (low confidence, invalid
#   JSON, "I don't know").
# - **Metric-based routing**: shift traffic by measured latency, error rate or cost.
# - **Amazon Bedrock Intelligent Prompt Routing**: a *prompt router* is a single `modelId` (its
#   ARN) that predicts, per request, how well each of its two models (same family) would answer
#   and sends the prompt to the cheaper one unless the stronger one's predicted quality is better
#   by more than the **response quality difference** you set; a **fallback model** is used when
#   neither meets the criteria. Default routers exist per family; you create your own with
#   `CreatePromptRouter`. The Converse response names the model used in
#   `trace.promptRouter.invokedModelId`. Routers handle English text prompts.
#
# In the simulator the router scores a prompt's complexity from its length and "reasoning" words
# (explain, compare, design, justify...) and applies the documented criterion to that score.
#
# **Exam tip:** "one endpoint, route between Claude Haiku and Sonnet automatically to cut cost"
# → Intelligent Prompt Routing; "route by request type with our own rules" → Step Functions or
# Lambda content-based routing; "tune how often the cheap model answers" → the response quality
# difference.

# %% [markdown]
# **Try it.** The default routers, and which model each of two prompts reaches.

# %%
for router in bedrock.list_prompt_routers(type="default")["promptRouterSummaries"]:
    print(router["promptRouterName"], "->", [m["modelArn"].rsplit("/", 1)[1] for m in router["models"]],
          "criteria", router["routingCriteria"])
_anthropic_router = bedrock.list_prompt_routers(type="default")["promptRouterSummaries"][0]["promptRouterArn"]
for _text in ("What are your opening hours?",
              "Compare the two retention designs, explain the trade-offs step by step and justify the architecture."):
    _reply = runtime.converse(modelId=_anthropic_router, messages=[{"role": "user", "content": [{"text": _text}]}])
    print(_reply["trace"]["promptRouter"]["invokedModelId"].rsplit("/", 1)[1], "<-", _text[:50])

# %%
quiz.show("operations", "routing")

# %% [markdown]
# ### Exercise 4 — evaluate a prompt router on a labelled set (3 points)
#
# The support team labelled prompts `"easy"` or `"hard"`; hard ones need the strong model.
# Write `evaluate_router(bedrock, runtime, dataset, *, name, models, fallback,
# quality_difference, prices)`:
#
# 1. Create a prompt router: `bedrock.create_prompt_router(promptRouterName=name,
#    models=[{"modelArn": m} for m in models], fallbackModel={"modelArn": fallback},
#    routingCriteria={"responseQualityDifference": quality_difference})`. The fallback is the
#    strong model.
# 2. For each item of `dataset` (`{"prompt": ..., "label": "easy" | "hard"}`), call Converse
#    with the router ARN as `modelId` and the prompt as the user message; the model used is
#    `response["trace"]["promptRouter"]["invokedModelId"]`.
# 3. A call costs `inputTokens/1000 × prices[model]["inputPer1kTokens"] +
#    outputTokens/1000 × prices[model]["outputPer1kTokens"]` for the model used (`prices` is keyed
#    by model ARN; tokens from `usage`).
# 4. An item is handled well if it is easy, or if it is hard and went to the fallback.
# 5. Always delete the router at the end (also when a call fails).
#
# Return `{"router_arn": ..., "routed": [model ARN per item], "cost": total, "accuracy": share
# handled well, "strong_share": share of items sent to the fallback}`.

# %% kind="solution" grade_id="router-evaluation"
def evaluate_router(bedrock, runtime, dataset, *, name, models, fallback, quality_difference, prices):
    """Run a labelled dataset through a new prompt router; report cost, accuracy and routing, then delete it."""
    ### BEGIN SOLUTION
    arn = bedrock.create_prompt_router(
        promptRouterName=name,
        models=[{"modelArn": m} for m in models],
        fallbackModel={"modelArn": fallback},
        routingCriteria={"responseQualityDifference": quality_difference},
    )["promptRouterArn"]
    try:
        routed, cost, good = [], 0.0, 0
        for item in dataset:
            reply = runtime.converse(modelId=arn, messages=[{"role": "user", "content": [{"text": item["prompt"]}]}])
            used = reply["trace"]["promptRouter"]["invokedModelId"]
            usage = reply["usage"]
            cost += (usage["inputTokens"] / 1000 * prices[used]["inputPer1kTokens"]
                     + usage["outputTokens"] / 1000 * prices[used]["outputPer1kTokens"])
            routed.append(used)
            good += item["label"] == "easy" or used == fallback
        n = len(dataset)
        return {"router_arn": arn, "routed": routed, "cost": cost, "accuracy": good / n if n else 0.0,
                "strong_share": sum(r == fallback for r in routed) / n if n else 0.0}
    finally:
        bedrock.delete_prompt_router(promptRouterArn=arn)
    ### END SOLUTION


# %% kind="tests" grade_id="router-evaluation-tests" points=3
"""Does evaluate_router create the router as asked, price each call by the model used, score it, and delete it?"""
import uuid

from course import bedrock_sim
from course.bedrock_sim.catalogue import model_arn as _fm_arn
from course.bedrock_sim.catalogue import price as catalogue_price

_lite, _pro = _fm_arn("amazon.nova-lite-v1:0", "us-east-1"), _fm_arn("amazon.nova-pro-v1:0", "us-east-1")
_prices = {_lite: catalogue_price("amazon.nova-lite-v1:0"), _pro: catalogue_price("amazon.nova-pro-v1:0")}
_data = [
    {"prompt": "What time do you open?", "label": "easy"},
    {"prompt": "Compare both plans, explain the trade-offs step by step and justify your choice.", "label": "hard"},
    {"prompt": "Reset my password please.", "label": "easy"},
    {"prompt": "Design an architecture to analyze churn and evaluate the plan and its strategy.", "label": "hard"},
]


def _score(routed, records, data, fallback, prices):
    cost = sum(r["inputTokens"] / 1000 * prices[m]["inputPer1kTokens"] + r["outputTokens"] / 1000
               * prices[m]["outputPer1kTokens"] for r, m in zip(records, routed))
    good = sum(d["label"] == "easy" or m == fallback for d, m in zip(data, routed))
    return cost, good / len(data), sum(m == fallback for m in routed) / len(data)


_name = f"eval-{uuid.uuid4().hex[:6]}"
_start = len(bedrock_sim.invocations())
_got = checks.call(evaluate_router, bedrock, runtime, _data, name=_name, models=[_lite, _pro], fallback=_pro,
                   quality_difference=10.0, prices=_prices)
_recs = bedrock_sim.invocations()[_start:]
checks.expect_type(_got, dict, "evaluate_router should return a dict")
checks.expect(str(_got.get("router_arn", "")).startswith("arn:aws:bedrock:") and ":prompt-router/" in _got["router_arn"],
              "router_arn should be the ARN of the router you created", found=_got.get("router_arn"))
checks.expect_equal([r["modelId"] for r in _recs], [_got["router_arn"]] * 4, "each prompt goes to the router ARN")
checks.expect_equal(_got.get("routed"), [r["invokedModelId"] for r in _recs],
                    "routed lists trace.promptRouter.invokedModelId of each response")
checks.expect_equal(bedrock.list_prompt_routers(type="custom")["promptRouterSummaries"], [],
                    "the router should be deleted at the end")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_cost, _acc, _share = _score(_got["routed"], _recs, _data, _pro, _prices)
checks.expect(abs(_got.get("cost", -1) - _cost) < 1e-12, "cost prices each call at the model that served it",
              expected=_cost, found=_got.get("cost"))
checks.expect(abs(_got.get("accuracy", -1) - _acc) < 1e-12, "accuracy: easy items, and hard items sent to the fallback",
              expected=_acc, found=_got.get("accuracy"))
checks.expect(abs(_got.get("strong_share", -1) - _share) < 1e-12, "strong_share: share of items sent to the fallback",
              expected=_share, found=_got.get("strong_share"))
# The quality difference is passed through: 100 % sends everything to the cheap model, 0 % to the strong one.
_wide = checks.call(evaluate_router, bedrock, runtime, _data, name=f"w-{uuid.uuid4().hex[:6]}", models=[_lite, _pro],
                    fallback=_pro, quality_difference=100.0, prices=_prices)
checks.expect_equal(_wide["routed"], [_lite] * 4, "quality_difference=100 routes every prompt to the cheaper model")
checks.expect_equal((_wide["accuracy"], _wide["strong_share"]), (0.5, 0.0), "hard items on the cheap model count as misses")
_narrow = checks.call(evaluate_router, bedrock, runtime, _data[::-1], name=f"n-{uuid.uuid4().hex[:6]}",
                      models=[_pro, _lite], fallback=_pro, quality_difference=0.0, prices=_prices)
checks.expect_equal(_narrow["routed"], [_pro] * 4, "quality_difference=0 routes every prompt to the strong model")
checks.expect_equal((_narrow["accuracy"], _narrow["strong_share"]), (1.0, 1.0), "all on the strong model")
# The router is deleted even when a call fails (a prompt that is not text fails in boto3).
try:
    evaluate_router(bedrock, runtime, [{"prompt": None, "label": "easy"}], name=f"f-{uuid.uuid4().hex[:6]}",
                    models=[_lite, _pro], fallback=_pro, quality_difference=12.5, prices=_prices)
except Exception:  # noqa: BLE001 - the call is meant to fail
    pass
checks.expect_equal(bedrock.list_prompt_routers(type="custom")["promptRouterSummaries"], [],
                    "the router should be deleted even when a Converse call fails", hint="try/finally")


class _Calls:
    """Delegates to a client and records the name and keyword arguments of each call."""

    def __init__(self, client):
        self._client, self.calls = client, []

    def __getattr__(self, name):
        attr = getattr(self._client, name)

        def record(*args, **kwargs):
            self.calls.append((name, kwargs))
            return attr(*args, **kwargs)

        return record if callable(attr) else attr


_br = _Calls(bedrock)
_name = f"named-{uuid.uuid4().hex[:6]}"
checks.call(evaluate_router, _br, runtime, _data[:1], name=_name, models=[_pro, _lite], fallback=_pro,
            quality_difference=42.5, prices=_prices)
_created = [kw for n, kw in _br.calls if n == "create_prompt_router"]
checks.expect(len(_created) == 1 and _created[0].get("promptRouterName") == _name
              and _created[0].get("models") == [{"modelArn": _pro}, {"modelArn": _lite}]
              and _created[0].get("fallbackModel") == {"modelArn": _pro}
              and _created[0].get("routingCriteria") == {"responseQualityDifference": 42.5},
              "create_prompt_router should get the name, models, fallback and criteria given", found=_created)
### END HIDDEN TESTS

# %% [markdown]
# **Quality against cost.** Run the labelled set through routers with different response quality
# differences: a wider tolerance sends more prompts to the cheap model, which costs less and
# misses more hard ones.

# %%
try:
    from course.bedrock_sim.catalogue import model_arn as foundation_model_arn

    _lite = foundation_model_arn("amazon.nova-lite-v1:0", "us-east-1")
    _pro = foundation_model_arn("amazon.nova-pro-v1:0", "us-east-1")
    _set = ([{"prompt": f"Where is order {i}?", "label": "easy"} for i in range(12)]
            + [{"prompt": f"Explain and compare refund plan {i}, evaluate the risks step by step and justify it.",
                "label": "hard"} for i in range(8)]
            + [{"prompt": f"Summarise the complaint about invoice {i} and suggest a reason.", "label": "easy"}
               for i in range(6)])
    _prices = {_lite: catalogue_price("amazon.nova-lite-v1:0"), _pro: catalogue_price("amazon.nova-pro-v1:0")}
    _points = []
    for _difference in (0, 5, 10, 15, 20, 30, 50):
        _r = evaluate_router(bedrock, runtime, _set, name=f"curve-{_difference}-{uuid.uuid4().hex[:4]}",
                             models=[_lite, _pro], fallback=_pro, quality_difference=_difference, prices=_prices)
        _points.append((_difference, _r["cost"], _r["accuracy"]))
    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.plot([p[1] * 1000 for p in _points], [p[2] for p in _points], marker="o")
    for _difference, _cost, _accuracy in _points:
        ax.annotate(f"{_difference}%", (_cost * 1000, _accuracy), textcoords="offset points", xytext=(4, 4))
    ax.set_xlabel("cost of the set (USD per 1,000 sets)")
    ax.set_ylabel("share handled well")
    ax.set_title("Prompt router: quality against cost by response quality difference")
    plt.show()
except NotImplementedError:
    print("Complete Exercise 4 to see the trade-off.")

# %% [markdown]
# ## Resilience: throttling, back-off, cross-Region inference and circuit breakers <a id="resilience"></a>
#
# Failures come in three kinds, each with its own remedy:
#
# | Failure | Signal | Remedy |
# |---|---|---|
# | Over quota | `ThrottlingException` (HTTP 429) | retry with exponential back-off and jitter (the SDK's `standard`/`adaptive` retry modes do it); request a quota increase; spread load with a cross-Region profile; rate-limit callers in API Gateway (usage plans, throttling) |
# | Service trouble in a Region | `ServiceUnavailableException` (503), `InternalServerException`, timeouts | route elsewhere: a **cross-Region inference profile** sends requests to other Regions of its geography (`us.`, `eu.`, `apac.`) or worldwide (`global.`); a second deployment in another Region |
# | Persistent failure | many failures in a row | a **circuit breaker** stops calling the failing dependency for a cooldown, then tries again; meanwhile **degrade gracefully** (a smaller model, a cached or canned answer) |
#
# **Cross-Region inference.** Geographic profiles keep processing inside the geography (data
# residency); global profiles use any commercial Region and offer the most capacity (for some
# newer models at a lower price than geographic ones). Which Region served a call appears in
# the invocation log and CloudTrail, not in your code. You can call a geographic profile only
# from a Region of that geography.
#
# **Circuit breakers on AWS.** In code (as in Exercise 5), or as a **Step Functions** workflow
# that keeps the breaker's state in DynamoDB and skips the failing call while the circuit is open.
# **AWS X-Ray** traces show which dependency fails or slows down.
#
# **Exam tip:** "throttling at peak, keep the data in the EU" → the `eu.` cross-Region profile plus
# back-off; "a Regional outage must not stop the chatbot" → cross-Region inference and a
# fallback; "stop hammering a failing model" → circuit breaker (Step Functions + DynamoDB);
# "still answer something" → graceful degradation.

# %% [markdown]
# **Try it.** Take us-east-1 down in the simulator: the on-demand model id fails, the `us.`
# profile is served from another Region (the invocation record shows which).

# %%
from botocore.config import Config
from botocore.exceptions import ClientError

no_retry = aws.client("bedrock-runtime", config=Config(retries={"total_max_attempts": 1}))
bedrock_sim.set_region_outage("us-east-1")
try:
    no_retry.converse(modelId="amazon.nova-micro-v1:0", messages=[{"role": "user", "content": [{"text": "Hi"}]}])
except ClientError as err:
    print("on demand:", err.response["Error"]["Code"], err.response["ResponseMetadata"]["HTTPStatusCode"])
no_retry.converse(modelId="us.amazon.nova-micro-v1:0", messages=[{"role": "user", "content": [{"text": "Hi"}]}])
print("us. profile served from:", bedrock_sim.invocations()[-1]["region"])
bedrock_sim.set_region_outage("us-east-1", down=False)

# %%
quiz.show("operations", "resilience")

# %% [markdown]
# ### Exercise 5 — retries, a cross-Region fallback and a circuit breaker (3 points)
#
# Write `resilient_converse(runtime, request, *, fallback_model_id, breaker, threshold, cooldown,
# clock, max_attempts=3, base_delay=0.2, sleep=time.sleep, rand=random.random,
# degraded_text="Sorry, the assistant is busy. Please try again shortly.")`. `request` holds the
# keyword arguments of a Converse call with the primary model; `breaker` is a dict
# `{"failures": int, "opened_at": None or a time}` that you update in place; `clock()` returns the
# current time in seconds.
#
# 1. `now = clock()`. The breaker is **open** when `breaker["opened_at"]` is not `None` and
#    `now - breaker["opened_at"] < cooldown`. When it is open, skip step 2.
# 2. Call `runtime.converse(**request)`, at most `max_attempts` times. After a
#    `ThrottlingException` on attempt *n* (not the last), call `sleep(rand() * base_delay * 2 ** (n
#    - 1))` and try again. A `ServiceUnavailableException`, `InternalServerException` or
#    `ModelTimeoutException` ends the attempts at once; raise any other error.
#    - Success: set `breaker["failures"] = 0` and `breaker["opened_at"] = None` and return
#      `{"text": <first text block of the answer>, "source": "primary"}`.
#    - Failure (every attempt throttled, or one of the three errors): add 1 to
#      `breaker["failures"]`; when it reaches `threshold`, set `breaker["opened_at"] = now`.
# 3. Call `runtime.converse(**{**request, "modelId": fallback_model_id})` once. Success: return
#    `{"text": ..., "source": "fallback"}`; a `ClientError`: return `{"text": degraded_text,
#    "source": "degraded"}`.

# %%
import random

# %% kind="solution" grade_id="resilient-call"
def resilient_converse(runtime, request, *, fallback_model_id, breaker, threshold, cooldown, clock,
                       max_attempts=3, base_delay=0.2, sleep=time.sleep, rand=random.random,
                       degraded_text="Sorry, the assistant is busy. Please try again shortly."):
    """Primary model with back-off and a circuit breaker, then a cross-Region fallback, then a canned answer."""
    ### BEGIN SOLUTION
    def text(reply):
        return next(b["text"] for b in reply["output"]["message"]["content"] if "text" in b)

    now = clock()
    is_open = breaker.get("opened_at") is not None and now - breaker["opened_at"] < cooldown
    if not is_open:
        for attempt in range(1, max_attempts + 1):
            try:
                reply = runtime.converse(**request)
            except ClientError as err:
                code = err.response.get("Error", {}).get("Code")
                if code == "ThrottlingException":
                    if attempt < max_attempts:
                        sleep(rand() * base_delay * 2 ** (attempt - 1))
                        continue
                    break
                if code in ("ServiceUnavailableException", "InternalServerException", "ModelTimeoutException"):
                    break
                raise
            breaker["failures"], breaker["opened_at"] = 0, None
            return {"text": text(reply), "source": "primary"}
        breaker["failures"] = breaker.get("failures", 0) + 1
        if breaker["failures"] >= threshold:
            breaker["opened_at"] = now
    try:
        return {"text": text(runtime.converse(**{**request, "modelId": fallback_model_id})), "source": "fallback"}
    except ClientError:
        return {"text": degraded_text, "source": "degraded"}
    ### END SOLUTION


# %% kind="tests" grade_id="resilient-call-tests" points=3
"""Does resilient_converse back off on throttling, fail over to the profile, keep a circuit breaker and degrade?"""
from botocore.config import Config
from botocore.exceptions import ClientError

from course import bedrock_sim

_client = aws.client("bedrock-runtime", config=Config(retries={"total_max_attempts": 1}))
_primary, _fallback = "amazon.nova-micro-v1:0", "us.amazon.nova-micro-v1:0"
_request = {"modelId": _primary, "messages": [{"role": "user", "content": [{"text": "Where is my parcel?"}]}]}
_now = [1000.0]
_breaker = {"failures": 0, "opened_at": None}
_start = len(bedrock_sim.invocations())
bedrock_sim.set_region_outage("us-east-1")
try:
    _got = checks.call(resilient_converse, _client, _request, fallback_model_id=_fallback, breaker=_breaker,
                       threshold=2, cooldown=60, clock=lambda: _now[0], sleep=lambda s: None, rand=lambda: 1.0)
finally:
    bedrock_sim.set_region_outage("us-east-1", down=False)
_recs = bedrock_sim.invocations()[_start:]
checks.expect_type(_got, dict, "resilient_converse should return a dict")
checks.expect_equal(_got.get("source"), "fallback", "with us-east-1 down the cross-Region profile answers")
checks.expect_equal([(r["modelId"], r["status"]) for r in _recs],
                    [(_primary, "ServiceUnavailableException"), (_fallback, "ok")],
                    "one primary attempt (503 is not retried), then one fallback call")
checks.expect(isinstance(_got.get("text"), str) and _got["text"], "text is the answer's first text block")
checks.expect_equal(_breaker, {"failures": 1, "opened_at": None}, "one failure below the threshold: still closed")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
def _again(state, **changes):
    options = dict(fallback_model_id=_fallback, breaker=state, threshold=2, cooldown=60, clock=lambda: _now[0],
                   sleep=lambda _seconds: None, rand=lambda: 1.0)
    options.update(changes)
    return checks.call(resilient_converse, _client, _request, **options)


try:
    # Second failure opens the breaker at the current time; while open the primary is not called.
    bedrock_sim.set_region_outage("us-east-1")
    _now[0] = 1010.0
    _again(_breaker)
    checks.expect_equal(_breaker, {"failures": 2, "opened_at": 1010.0}, "reaching the threshold opens the breaker")
    _now[0] = 1069.0
    _start = len(bedrock_sim.invocations())
    _open = _again(_breaker)
    checks.expect_equal([r["modelId"] for r in bedrock_sim.invocations()[_start:]], [_fallback],
                        "while the breaker is open only the fallback is called")
    checks.expect_equal((_open or {}).get("source"), "fallback", "an open breaker still answers from the fallback")
    # After the cooldown the primary is tried again; success closes the breaker.
    bedrock_sim.set_region_outage("us-east-1", down=False)
    _now[0] = 1070.0
    _start = len(bedrock_sim.invocations())
    _back = _again(_breaker)
    checks.expect_equal(((_back or {}).get("source"), [r["modelId"] for r in bedrock_sim.invocations()[_start:]]),
                        ("primary", [_primary]), "after the cooldown the primary answers again")
    checks.expect_equal(_breaker, {"failures": 0, "opened_at": None}, "a primary success resets the breaker")
    _direct = _client.converse(**_request)["output"]["message"]["content"][0]["text"]
    checks.expect_equal(_back.get("text"), _direct, "text is the primary model's answer")
    # Throttling: jittered exponential back-off between attempts, then success.
    bedrock_sim.set_quota(_primary, 1, window_attempts=3)
    _client.converse(**_request)  # use the window's one accepted attempt
    _delays = []
    _t = _again(_breaker, max_attempts=3, base_delay=0.5, sleep=_delays.append, rand=lambda: 0.5)
    checks.expect_equal(((_t or {}).get("source"), [round(d, 6) for d in _delays]), ("primary", [0.25, 0.5]),
                        "two throttles wait rand()*base*2**(n-1): 0.25 s then 0.5 s, and the third attempt succeeds")
    # Every attempt throttled: one failure, then the fallback (the profile's quota is separate).
    bedrock_sim.set_quota(_primary, 0, window_attempts=10)
    _delays = []
    _f = _again(_breaker, threshold=5, max_attempts=2, base_delay=0.1, sleep=_delays.append)
    checks.expect_equal(((_f or {}).get("source"), _delays, _breaker["failures"]), ("fallback", [0.1], 1),
                        "max_attempts counts every attempt; no wait after the last one")
    checks.expect_equal(bedrock_sim.quota_status(_primary)["attempts"], 2, "exactly max_attempts primary attempts")
    bedrock_sim.clear_quota()
    # Everything down: the degraded answer.
    for _r in ("us-east-1", "us-east-2", "us-west-2"):
        bedrock_sim.set_region_outage(_r)
    _d = _again({"failures": 0, "opened_at": None}, threshold=3, clock=lambda: 5.0, degraded_text="Busy, sorry.")
    checks.expect_equal(_d, {"text": "Busy, sorry.", "source": "degraded"}, "with no Region left, degrade gracefully")
finally:
    bedrock_sim.clear_quota()
    for _r in ("us-east-1", "us-east-2", "us-west-2"):
        bedrock_sim.set_region_outage(_r, down=False)
# InternalServerException and ModelTimeoutException end the primary attempts at once, like a 503.


class _Failing:
    """The simulated client, except that calls to the primary model fail with the given error code."""

    def __init__(self, client, code):
        self._client, self._code, self.primary_calls = client, code, 0

    def __getattr__(self, name):
        return getattr(self._client, name)

    def converse(self, **kwargs):
        if kwargs.get("modelId") == _primary:
            self.primary_calls += 1
            error = self._client.exceptions.from_code(self._code)  # the modelled exception class, as boto3 raises
            raise error({"Error": {"Code": self._code, "Message": "simulated"}}, "Converse")
        return self._client.converse(**kwargs)


for _error in ("InternalServerException", "ModelTimeoutException"):
    _failing = _Failing(_client, _error)
    _state = {"failures": 0, "opened_at": None}
    _out = checks.call(resilient_converse, _failing, _request, fallback_model_id=_fallback, breaker=_state,
                       threshold=1, cooldown=30, clock=lambda: 42.0, max_attempts=4, sleep=lambda _seconds: None,
                       rand=lambda: 0.9)
    checks.expect_equal(((_out or {}).get("source"), _failing.primary_calls, _state), ("fallback", 1, {"failures": 1, "opened_at": 42.0}),
                        f"{_error} is not retried: one primary attempt, then the fallback, and the breaker counts it")
# A request error is not retried and not hidden.
_code = checks.expect_client_error(
    "ValidationException",
    lambda: resilient_converse(_client, {**_request, "modelId": "acme.not-a-model-v1"}, fallback_model_id=_fallback,
                               breaker={"failures": 0, "opened_at": None}, threshold=2, cooldown=60,
                               clock=lambda: 0.0, sleep=lambda _seconds: None, rand=lambda: 1.0),
    "a ValidationException from the primary should be raised, not retried or replaced")
### END HIDDEN TESTS

# %% [markdown]
# ## Switching models without a code change <a id="switching-models"></a>
#
# Models change faster than releases: a new version launches, an old one becomes Legacy, a
# cheaper one passes your evaluation. Keep the choice out of the code:
#
# - **The Converse API** gives every chat model the same request and response shape, so only
#   `modelId` (and maybe `inferenceConfig`) changes between providers.
# - **Configuration**: keep the model id and its parameters in **AWS AppConfig** (validators,
#   gradual deployment, automatic rollback on a CloudWatch alarm) or **Systems Manager Parameter
#   Store** (versions, labels, history), read at run time with a short cache; Lambda functions
#   can use the AppConfig extension.
# - **Behind an API**: API Gateway (request transformation, stage variables) or a Lambda "model
#   gateway" hides the provider from clients.
# - **Keep a last known good configuration**: a typo in the configuration must not take the
#   application down.
#
# **Exam tip:** "change the model without redeploying, roll out gradually, roll back
# automatically" → AppConfig with a deployment strategy and alarm-based rollback; "one code path
# for Claude, Nova and Llama" → Converse API.

# %%
quiz.show("operations", "switching-models")

# %% [markdown]
# ### Exercise 6 — the model id comes from Parameter Store, live (3 points)
#
# Write `converse_with_config(ssm, runtime, parameter_name, messages, cache)`:
#
# 1. Read the parameter on **every** call: `ssm.get_parameter(Name=parameter_name)["Parameter"]`
#    gives `Value` and `Version` (errors from SSM, such as a missing parameter, propagate).
# 2. The value is JSON. It is a **valid** configuration if it is an object with a string
#    `modelId`; it may also have `maxTokens`, `temperature` and `topP`.
# 3. Valid: store it as `cache["config"]` and its version as `cache["version"]`. Not valid: use
#    `cache["config"]` (the last good one, with `cache["version"]`) if there is one, else raise
#    `ValueError`.
# 4. Call `runtime.converse(modelId=config["modelId"], messages=messages, ...)` with
#    `inferenceConfig` holding exactly those of `maxTokens`, `temperature`, `topP` that the
#    configuration has (leave `inferenceConfig` out, or pass `{}`, when it has none).
# 5. Return `{"text": <first text block>, "model_id": the model id used, "version": the version of
#    the configuration used}`.

# %% kind="solution" grade_id="config-model-switch"
def converse_with_config(ssm, runtime, parameter_name, messages, cache):
    """Call Converse with the model and parameters currently stored in Parameter Store (last good on errors)."""
    ### BEGIN SOLUTION
    parameter = ssm.get_parameter(Name=parameter_name)["Parameter"]
    try:
        config = json.loads(parameter["Value"])
    except ValueError:
        config = None
    if isinstance(config, dict) and isinstance(config.get("modelId"), str):
        cache["config"], cache["version"] = config, parameter["Version"]
    elif "config" not in cache:
        raise ValueError(f"{parameter_name} holds no valid model configuration")
    config = cache["config"]
    inference = {k: config[k] for k in ("maxTokens", "temperature", "topP") if k in config}
    kwargs = {"inferenceConfig": inference} if inference else {}
    reply = runtime.converse(modelId=config["modelId"], messages=messages, **kwargs)
    text = next(b["text"] for b in reply["output"]["message"]["content"] if "text" in b)
    return {"text": text, "model_id": config["modelId"], "version": cache["version"]}
    ### END SOLUTION


# %% kind="tests" grade_id="config-model-switch-tests" points=3
"""Does converse_with_config read Parameter Store on every call, apply a change live and keep the last good config?"""
import json
import uuid

from botocore.exceptions import ClientError


class _Calls:
    """Delegates to a client and records the name and keyword arguments of each call."""

    def __init__(self, client):
        self._client, self.calls = client, []

    def __getattr__(self, name):
        attr = getattr(self._client, name)

        def record(*args, **kwargs):
            self.calls.append((name, kwargs))
            return attr(*args, **kwargs)

        return record if callable(attr) else attr


_ssm = aws.client("ssm")
_param = f"/apps/claims-{uuid.uuid4().hex[:6]}/model"
_ssm.put_parameter(Name=_param, Type="String", Value=json.dumps({"modelId": "amazon.nova-micro-v1:0", "maxTokens": 200}))
_rt = _Calls(aws.client("bedrock-runtime"))
_cache = {}
_messages = [{"role": "user", "content": [{"text": "Summarise the refund rules."}]}]
_first = checks.call(converse_with_config, _ssm, _rt, _param, _messages, _cache)
checks.expect_type(_first, dict, "converse_with_config should return a dict")
checks.expect_equal((_first.get("model_id"), _first.get("version")), ("amazon.nova-micro-v1:0", 1),
                    "the first call uses version 1 of the configuration")
_ssm.put_parameter(Name=_param, Type="String", Overwrite=True,
                   Value=json.dumps({"modelId": "amazon.nova-lite-v1:0", "temperature": 0.2}))
_second = checks.call(converse_with_config, _ssm, _rt, _param, _messages, _cache)
_sent = [kw for name, kw in _rt.calls if name == "converse"]
checks.expect_equal([kw.get("modelId") for kw in _sent], ["amazon.nova-micro-v1:0", "amazon.nova-lite-v1:0"],
                    "a changed parameter takes effect on the next call, without a restart",
                    hint="read the parameter on every call")
checks.expect_equal(_second.get("version"), 2, "the second call reports version 2")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
checks.expect_equal([kw.get("inferenceConfig", {}) for kw in _sent], [{"maxTokens": 200}, {"temperature": 0.2}],
                    "inferenceConfig holds exactly the parameters the configuration has")
checks.expect_equal([kw.get("messages") for kw in _sent], [_messages, _messages], "the messages are passed through")
checks.expect(isinstance(_second.get("text"), str) and _second["text"], "text is the first text block of the answer")
# A broken value (bad JSON, then no modelId) falls back to the last good configuration and its version.
for _bad in ("{not json", json.dumps({"model": "amazon.nova-pro-v1:0"}), json.dumps(["amazon.nova-pro-v1:0"])):
    _ssm.put_parameter(Name=_param, Type="String", Overwrite=True, Value=_bad)
    _kept = checks.call(converse_with_config, _ssm, _rt, _param, _messages, _cache)
    checks.expect_equal((_kept.get("model_id"), _kept.get("version")), ("amazon.nova-lite-v1:0", 2),
                        f"an invalid value ({_bad[:20]}...) keeps the last good configuration")
checks.expect_equal(_rt.calls[-1][1].get("inferenceConfig", {}), {"temperature": 0.2},
                    "the last good configuration's parameters are used too")
_ssm.put_parameter(Name=_param, Type="String", Overwrite=True,
                   Value=json.dumps({"modelId": "amazon.nova-pro-v1:0", "maxTokens": 50, "temperature": 0.0,
                                     "topP": 0.9, "note": "ignored"}))
_fixed = checks.call(converse_with_config, _ssm, _rt, _param, _messages, _cache)
checks.expect_equal((_fixed["model_id"], _fixed["version"], _rt.calls[-1][1].get("inferenceConfig")),
                    ("amazon.nova-pro-v1:0", 6, {"maxTokens": 50, "temperature": 0.0, "topP": 0.9}),
                    "a valid value is used again, with only the three inference parameters")
checks.expect_equal(_cache.get("version"), 6, "cache['version'] follows the last good configuration")
# No good configuration yet: ValueError. A missing parameter: the SSM error.
_param2 = f"/apps/new-{uuid.uuid4().hex[:6]}/model"
_ssm.put_parameter(Name=_param2, Type="String", Value="{}")
try:
    converse_with_config(_ssm, _rt, _param2, _messages, {})
except ValueError:
    pass
except Exception as _exc:  # noqa: BLE001
    checks.fail("with no valid configuration yet, raise ValueError", "ValueError", type(_exc).__name__)
else:
    checks.fail("with no valid configuration yet, raise ValueError", "ValueError", "no error")
_missing = checks.expect_client_error(
    "ParameterNotFound", lambda: converse_with_config(_ssm, _rt, f"/missing/{uuid.uuid4().hex}", _messages, {}),
    "a missing parameter should raise the SSM error")
### END HIDDEN TESTS

# %% [markdown]
# ## Customised models: fine-tune, distil, import, deploy, retire <a id="custom-models"></a>
#
# Prompt engineering and RAG come first; customise a model when they are not enough:
#
# | Path | Input | Result |
# |---|---|---|
# | **Fine-tuning** | labelled prompt/completion pairs (JSONL in S3) | a custom model that follows your format and terminology |
# | **Continued pre-training** | unlabelled domain text | a model fluent in your domain's language |
# | **Distillation** | prompts (or invocation logs); a larger *teacher* writes the answers | a smaller, cheaper *student* close to the teacher on your task |
# | **Custom Model Import** | open-weight model files (Hugging Face safetensors, supported architectures such as Llama, Mistral, Qwen) from S3 or SageMaker | an imported model served on demand, billed per Custom Model Unit while copies are active |
#
# A customization job (`CreateModelCustomizationJob`) validates the data, processes it and
# trains; its status is InProgress until Completed (with training metrics written to S3) or
# Failed (with a `failureMessage`). Serve the result through **Provisioned Throughput** or, for
# the models that support it, a **custom model deployment** (`CreateCustomModelDeployment`) for
# on-demand, pay-per-token use; the deployment's ARN is the `modelId`. An imported model that has
# been idle answers `ModelNotReadyException` while a copy loads: retry (the SDKs do).
#
# **Lifecycle on SageMaker AI.** Register every version in the **SageMaker Model Registry**
# (approval status, lineage), deploy through a pipeline, keep the previous version for
# **rollback**, and retire old versions. **LoRA adapters** fine-tune a small set of weights on top
# of a shared base model; **inference components** host several models or adapters on one
# endpoint, each with its own scaling.
#
# **Exam tip:** "the fine-tuned model must be called per token, no hourly commitment" → a custom
# model deployment (on-demand) where supported, else Provisioned Throughput; "bring our own
# fine-tuned Llama weights" → Custom Model Import; "approve, version and roll back models" →
# SageMaker Model Registry; "many fine-tuned variants, one endpoint" → adapters with inference
# components.

# %% [markdown]
# **Try it.** Fine-tune Nova Micro on ten support answers, deploy it on demand and ask it one of
# the trained questions. The simulator's job moves one stage per `GetModelCustomizationJob`.

# %%
_train_bucket = f"ops-train-{uuid.uuid4().hex[:8]}"
s3.create_bucket(Bucket=_train_bucket)
_pairs = [{"prompt": f"What does error code E{i} mean?", "completion": f"E{i}: the card was declined, ask for another card."}
          for i in range(10)]
s3.put_object(Bucket=_train_bucket, Key="train.jsonl", Body="\n".join(json.dumps(p) for p in _pairs).encode())
_job = bedrock.create_model_customization_job(
    jobName=f"support-ft-{_tag}", customModelName=f"support-nova-{_tag}",
    roleArn="arn:aws:iam::123456789012:role/bedrock-customize", baseModelIdentifier="amazon.nova-micro-v1:0",
    customizationType="FINE_TUNING", hyperParameters={"epochCount": "2"},
    trainingDataConfig={"s3Uri": f"s3://{_train_bucket}/train.jsonl"},
    outputDataConfig={"s3Uri": f"s3://{_train_bucket}/output/"})["jobArn"]
while (_state := bedrock.get_model_customization_job(jobIdentifier=_job))["status"] == "InProgress":
    print({k: v["status"] for k, v in _state["statusDetails"].items()})
print(_state["status"], _state["trainingMetrics"])
_deployment = bedrock.create_custom_model_deployment(modelDeploymentName=f"support-{_tag}",
                                                     modelArn=_state["outputModelArn"])["customModelDeploymentArn"]
print(bedrock.get_custom_model_deployment(customModelDeploymentIdentifier=_deployment)["status"])
print(runtime.converse(modelId=_deployment, messages=[{"role": "user", "content": [{"text": "What does error code E3 mean?"}]}])
      ["output"]["message"]["content"][0]["text"])

# %%
quiz.show("operations", "custom-models")

# %% [markdown]
# # Part 4 — Watching it run

# %% [markdown]
# ## Observability: logs, metrics, dashboards and cost per application <a id="observability"></a>
#
# | Source | What it tells you | Turn it on |
# |---|---|---|
# | CloudWatch metrics `AWS/Bedrock` (by `ModelId`) | `Invocations`, `InvocationLatency`, `TimeToFirstToken` (streaming), `InputTokenCount`, `OutputTokenCount`, cache token counts, `EstimatedTPMQuotaUsage`, `InvocationThrottles`, client and server errors | always on |
# | **Model invocation logs** | every request and response: model, tokens, and (if enabled) the bodies, to CloudWatch Logs and/or S3 | `PutModelInvocationLoggingConfiguration` |
# | CloudTrail | who called which API, from where (including the Region that served a cross-Region call) | always on (management events) |
# | X-Ray / CloudWatch application signals | traces through API Gateway, Lambda, Bedrock and tools | instrument the application |
# | CloudWatch generative AI observability, AgentCore Observability | model and agent traces, tokens, latency, tool calls in one view | instrument with OpenTelemetry (AWS Distro) |
#
# **Cost per team or application.** Create an **application inference profile** per team or
# application (copied from a foundation model or a cross-Region profile), tag it (for example
# `CostCenter`), and have the application call that profile's ARN. Its usage is metered and
# logged under the profile, and after you activate the tags as cost allocation tags Cost Explorer
# splits the Bedrock bill by them. **AWS Cost Anomaly Detection** alerts on unusual spend;
# CloudWatch **anomaly detection** alarms catch a token burst within minutes.
#
# **What to put on the dashboard:** tokens in and out per model or profile, latency and time to
# first token at p90, throttles and errors, cost per application (tokens × price), and the
# business outcome (resolved tickets, thumbs-up rate). Alarm on symptoms users feel.
#
# **Exam tip:** "allocate Bedrock costs to departments" → application inference profiles with
# cost allocation tags; "see the exact prompts and responses" → model invocation logging (text
# data delivery on); "alert when token use spikes unusually" → a CloudWatch anomaly detection alarm
# on `InputTokenCount`; "unexpected spend across the account" → AWS Cost Anomaly Detection.

# %%
quiz.show("operations", "observability")

# %% [markdown]
# ### Exercise 7 — tokens and cost per application inference profile, from the invocation logs (3 points)
#
# Write `usage_by_profile(logs, bedrock, *, log_group, start_ms, end_ms, prices)`:
#
# 1. Read **every** event of `log_group` between `start_ms` and `end_ms` (epoch milliseconds)
#    with `logs.filter_log_events(logGroupName=..., startTime=start_ms, endTime=end_ms)`,
#    following `nextToken` (or a paginator) until there is none.
# 2. Each event's `message` is a JSON model invocation log record; skip messages that are not
#    JSON objects with a `modelId`.
# 3. Group the records by `modelId`. For each group find the model and the tags:
#    - an application inference profile ARN (contains `:application-inference-profile/`): the model
#      is the part after `foundation-model/` in
#      `bedrock.get_inference_profile(inferenceProfileIdentifier=arn)["models"][0]["modelArn"]`, and
#      the tags are `bedrock.list_tags_for_resource(resourceARN=arn)["tags"]` as a `{key: value}` dict;
#    - a cross-Region profile id such as `us.amazon.nova-micro-v1:0`: the model is the part after the
#      first dot; no tags (`{}`);
#    - anything else: the model is the `modelId` itself; no tags.
# 4. Sum `input.inputTokenCount` and `output.outputTokenCount` and count the records;
#    `cost = input/1000 × prices[model]["inputPer1kTokens"] + output/1000 ×
#    prices[model]["outputPer1kTokens"]`.
#
# Return `{modelId: {"model": ..., "tags": {...}, "invocations": n, "input_tokens": ...,
# "output_tokens": ..., "cost": ...}}`.

# %% kind="solution" grade_id="usage-by-profile"
def usage_by_profile(logs, bedrock, *, log_group, start_ms, end_ms, prices):
    """Tokens, invocations and cost per modelId (application inference profiles with their tags)."""
    ### BEGIN SOLUTION
    records = []
    kwargs = {"logGroupName": log_group, "startTime": start_ms, "endTime": end_ms}
    while True:
        page = logs.filter_log_events(**kwargs)
        for event in page["events"]:
            try:
                record = json.loads(event["message"])
            except ValueError:
                continue
            if isinstance(record, dict) and "modelId" in record:
                records.append(record)
        if not page.get("nextToken"):
            break
        kwargs["nextToken"] = page["nextToken"]
    report = {}
    for record in records:
        model_id = record["modelId"]
        if model_id not in report:
            tags = {}
            if ":application-inference-profile/" in model_id:
                profile = bedrock.get_inference_profile(inferenceProfileIdentifier=model_id)
                model = profile["models"][0]["modelArn"].split("foundation-model/", 1)[1]
                tags = {t["key"]: t["value"] for t in bedrock.list_tags_for_resource(resourceARN=model_id)["tags"]}
            elif model_id.split(".", 1)[0] in ("us", "eu", "apac", "global"):
                model = model_id.split(".", 1)[1]
            else:
                model = model_id
            report[model_id] = {"model": model, "tags": tags, "invocations": 0, "input_tokens": 0,
                                "output_tokens": 0, "cost": 0.0}
        entry = report[model_id]
        entry["invocations"] += 1
        entry["input_tokens"] += record["input"]["inputTokenCount"]
        entry["output_tokens"] += record["output"]["outputTokenCount"]
    for entry in report.values():
        price = prices[entry["model"]]
        entry["cost"] = (entry["input_tokens"] / 1000 * price["inputPer1kTokens"]
                         + entry["output_tokens"] / 1000 * price["outputPer1kTokens"])
    return report
    ### END SOLUTION


# %% kind="tests" grade_id="usage-by-profile-tests" points=3
"""Does usage_by_profile read every log event in the window and report tokens, tags and cost per profile?"""
import json
import time
import uuid

from course import bedrock_sim
from course.bedrock_sim.catalogue import model_arn as _fm_arn
from course.bedrock_sim.catalogue import price as catalogue_price

_logs = aws.client("logs")
_group = f"/bedrock/invocations-{uuid.uuid4().hex[:6]}"
_logs.create_log_group(logGroupName=_group)
bedrock.put_model_invocation_logging_configuration(loggingConfig={"cloudWatchConfig": {
    "logGroupName": _group, "roleArn": "arn:aws:iam::123456789012:role/bedrock-logging"}})
_us_micro = bedrock.get_inference_profile(inferenceProfileIdentifier="us.amazon.nova-micro-v1:0")["inferenceProfileArn"]
_claims = bedrock.create_inference_profile(inferenceProfileName=f"claims-{uuid.uuid4().hex[:6]}",
                                           modelSource={"copyFrom": _us_micro},
                                           tags=[{"key": "CostCenter", "value": "claims"}])["inferenceProfileArn"]
_support = bedrock.create_inference_profile(inferenceProfileName=f"support-{uuid.uuid4().hex[:6]}",
                                            modelSource={"copyFrom": _fm_arn("amazon.nova-lite-v1:0", "us-east-1")},
                                            tags=[{"key": "CostCenter", "value": "support"},
                                                  {"key": "App", "value": "chat"}])["inferenceProfileArn"]
_prices = {m: catalogue_price(m) for m in ("amazon.nova-micro-v1:0", "amazon.nova-lite-v1:0",
                                           "amazon.titan-embed-text-v2:0")}
_start_ms = int(time.time() * 1000) - 1
_first = len(bedrock_sim.invocations())
_plan = [_claims] * 3 + [_support] * 2 + ["amazon.nova-micro-v1:0", "us.amazon.nova-lite-v1:0"]
for _i, _model in enumerate(_plan):
    runtime.converse(modelId=_model, messages=[{"role": "user", "content": [{"text": f"Question {_i} about claims."}]}])
_made = bedrock_sim.invocations()[_first:]
_end_ms = int(time.time() * 1000) + 1000


def _expected(model_id, model):
    rows = [r for r in _made if r["modelId"] == model_id]
    tokens_in, tokens_out = sum(r["inputTokens"] for r in rows), sum(r["outputTokens"] for r in rows)
    return len(rows), tokens_in, tokens_out, tokens_in / 1000 * _prices[model]["inputPer1kTokens"] + \
        tokens_out / 1000 * _prices[model]["outputPer1kTokens"]


_got = checks.call(usage_by_profile, _logs, bedrock, log_group=_group, start_ms=_start_ms, end_ms=_end_ms,
                   prices=_prices)
checks.expect_type(_got, dict, "usage_by_profile should return a dict keyed by modelId")
checks.expect_equal(sorted(_got), sorted(set(_plan)), "one entry per modelId in the logs")
_entry = _got[_claims]
checks.expect_equal((_entry.get("model"), _entry.get("tags"), _entry.get("invocations")),
                    ("amazon.nova-micro-v1:0", {"CostCenter": "claims"}, 3),
                    "an application profile: its model, its tags and its number of calls")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
try:
    for _model_id, _model in ((_claims, "amazon.nova-micro-v1:0"), (_support, "amazon.nova-lite-v1:0"),
                              ("amazon.nova-micro-v1:0", "amazon.nova-micro-v1:0"),
                              ("us.amazon.nova-lite-v1:0", "amazon.nova-lite-v1:0")):
        _n, _tin, _tout, _cost = _expected(_model_id, _model)
        _e = _got[_model_id]
        checks.expect_equal((_e["model"], _e["invocations"], _e["input_tokens"], _e["output_tokens"]),
                            (_model, _n, _tin, _tout), f"model, calls and token sums for {_model_id}")
        checks.expect(abs(_e["cost"] - _cost) < 1e-12, f"cost of {_model_id} at its model's prices", expected=_cost,
                      found=_e["cost"])
    checks.expect_equal(_got[_support]["tags"], {"CostCenter": "support", "App": "chat"}, "all the profile's tags")
    checks.expect_equal((_got["amazon.nova-micro-v1:0"]["tags"], _got["us.amazon.nova-lite-v1:0"]["tags"]), ({}, {}),
                        "model ids and system profiles carry no tags")
    # Events outside the window are ignored; non-JSON lines are skipped; 12,000 more records need two pages.
    _stream = "aws/bedrock/modelinvocations"
    _noise = json.dumps({"schemaType": "ModelInvocationLog", "modelId": "amazon.titan-embed-text-v2:0",
                         "input": {"inputTokenCount": 7}, "output": {"outputTokenCount": 0}})
    _now = int(time.time() * 1000)
    _logs.put_log_events(logGroupName=_group, logStreamName=_stream, logEvents=[
        {"timestamp": _start_ms - 120_000, "message": _noise}])
    _other = [{"modelId": f"{geo}.amazon.nova-lite-v1:0", "input": {"inputTokenCount": 3},
               "output": {"outputTokenCount": 2}} for geo in ("eu", "apac", "global")]
    _logs.put_log_events(logGroupName=_group, logStreamName=_stream, logEvents=[
        {"timestamp": _now, "message": "not a log record"}, {"timestamp": _now, "message": "[1, 2]"},
        {"timestamp": _now, "message": json.dumps({"schemaType": "SomethingElse"})}]
        + [{"timestamp": _now, "message": json.dumps(r)} for r in _other])
    for _block in range(2):
        _logs.put_log_events(logGroupName=_group, logStreamName=_stream,
                             logEvents=[{"timestamp": _now + _block, "message": _noise} for _ in range(6000)])
    _big = checks.call(usage_by_profile, _logs, bedrock, log_group=_group, start_ms=_start_ms, end_ms=_now + 5000,
                       prices=_prices)
    _embed = _big.get("amazon.titan-embed-text-v2:0", {})
    checks.expect_equal((_embed.get("invocations"), _embed.get("input_tokens")), (12000, 84000),
                        "every page of events is read, and only those in the time window",
                        hint="follow nextToken until it is missing; pass startTime and endTime")
    checks.expect_equal(_big[_claims]["invocations"], 3, "the earlier records are still counted")
    checks.expect_equal({k: _big[k]["model"] for k in _big if k[:3] in ("eu.", "apa", "glo")},
                        {f"{g}.amazon.nova-lite-v1:0": "amazon.nova-lite-v1:0" for g in ("eu", "apac", "global")},
                        "eu., apac. and global. profile ids map to the model after the first dot")
    checks.expect(all(set(v) == {"model", "tags", "invocations", "input_tokens", "output_tokens", "cost"}
                      for v in _big.values()), "each entry has exactly the six keys listed",
                  found=sorted({k for v in _big.values() for k in v}))
    _late = checks.call(usage_by_profile, _logs, bedrock, log_group=_group, start_ms=_now - 1, end_ms=_now + 5000,
                        prices=_prices)
    checks.expect_equal(sorted(_late), sorted(["amazon.titan-embed-text-v2:0"] + [r["modelId"] for r in _other]),
                        "start_ms excludes the earlier calls")
finally:
    bedrock.delete_model_invocation_logging_configuration()
### END HIDDEN TESTS

# %% [markdown]
# **Tokens per application.** The same report for the calls this notebook has made since the
# logs were switched on above would feed a chargeback table; here it is drawn for two tagged
# applications sending different amounts of traffic.

# %%
try:
    _demo_group = f"/bedrock/demo-{uuid.uuid4().hex[:6]}"
    _logs_client = aws.client("logs")
    _logs_client.create_log_group(logGroupName=_demo_group)
    bedrock.put_model_invocation_logging_configuration(loggingConfig={"cloudWatchConfig": {
        "logGroupName": _demo_group, "roleArn": "arn:aws:iam::123456789012:role/bedrock-logging"}})
    _apps = {}
    for _team in ("claims", "support"):
        _apps[_team] = bedrock.create_inference_profile(
            inferenceProfileName=f"{_team}-demo-{uuid.uuid4().hex[:4]}",
            modelSource={"copyFrom": bedrock.get_inference_profile(
                inferenceProfileIdentifier="us.amazon.nova-lite-v1:0")["inferenceProfileArn"]},
            tags=[{"key": "CostCenter", "value": _team}])["inferenceProfileArn"]
    _t0 = int(time.time() * 1000) - 1
    for _i in range(30):
        _team = "claims" if _i % 3 else "support"
        runtime.converse(modelId=_apps[_team], messages=[{"role": "user", "content": [
            {"text": f"Summarize case {_i}: " + "details " * (10 + _i)}]}])
    _report = usage_by_profile(_logs_client, bedrock, log_group=_demo_group, start_ms=_t0,
                               end_ms=int(time.time() * 1000) + 1000,
                               prices={"amazon.nova-lite-v1:0": catalogue_price("amazon.nova-lite-v1:0")})
    bedrock.delete_model_invocation_logging_configuration()
    _labels = [v["tags"]["CostCenter"] for v in _report.values()]
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.barh(_labels, [v["input_tokens"] for v in _report.values()], label="input tokens")
    ax.barh(_labels, [v["output_tokens"] for v in _report.values()],
            left=[v["input_tokens"] for v in _report.values()], label="output tokens")
    for _y, _v in enumerate(_report.values()):
        ax.text(_v["input_tokens"] + _v["output_tokens"], _y, f"  ${_v['cost']:.5f}", va="center")
    ax.set_xlabel("tokens")
    ax.set_title("Tokens and cost per application inference profile (CostCenter tag)")
    ax.legend(loc="lower right")
    plt.show()
except NotImplementedError:
    bedrock.delete_model_invocation_logging_configuration()
    print("Complete Exercise 7 to see the chart.")

# %% [markdown]
# ### Exercise 8 — a GenAI dashboard and a token-anomaly alarm (3 points)
#
# Write `create_genai_dashboard(cloudwatch, *, dashboard_name, model_ids, alarm_name,
# alarm_model_id, topic_arn, band_width=2)`:
#
# 1. `cloudwatch.put_dashboard(DashboardName=dashboard_name, DashboardBody=json.dumps(body))`
#    where `body = {"widgets": [...]}` has one `"metric"` widget per metric of `InputTokenCount`,
#    `OutputTokenCount`, `InvocationLatency`, `TimeToFirstToken`, `InvocationThrottles` and
#    `InvocationServerErrors`. Each widget's `properties` has `"title"` (the metric name),
#    `"region"` (`cloudwatch.meta.region_name`), `"period": 300`, a `"stat"` (`"p90"` for the two
#    latency metrics, `"Sum"` for the others) and `"metrics"` with one line
#    `["AWS/Bedrock", <metric>, "ModelId", <model id>]` per model id.
# 2. `cloudwatch.put_metric_alarm(...)` named `alarm_name`: an anomaly detection alarm on the
#    `Sum` of `InputTokenCount` for `alarm_model_id` over 300-second periods. `Metrics` holds the
#    metric (`MetricStat`, id `"m1"`) and the band `{"Id": "ad1", "Expression":
#    f"ANOMALY_DETECTION_BAND(m1, {band_width})"}` (both with `ReturnData=True`);
#    `ThresholdMetricId="ad1"`, `ComparisonOperator="GreaterThanUpperThreshold"`,
#    `EvaluationPeriods=3`, `DatapointsToAlarm=2`, `TreatMissingData="notBreaching"` and
#    `AlarmActions=[topic_arn]`.
# 3. Return `body`.

# %% kind="solution" grade_id="genai-dashboard-alarm"
def create_genai_dashboard(cloudwatch, *, dashboard_name, model_ids, alarm_name, alarm_model_id, topic_arn,
                           band_width=2):
    """A CloudWatch dashboard of Bedrock tokens, latency and errors per model, and a token-anomaly alarm."""
    ### BEGIN SOLUTION
    stats = {"InputTokenCount": "Sum", "OutputTokenCount": "Sum", "InvocationLatency": "p90",
             "TimeToFirstToken": "p90", "InvocationThrottles": "Sum", "InvocationServerErrors": "Sum"}
    widgets = []
    for index, (metric, stat) in enumerate(stats.items()):
        widgets.append({
            "type": "metric", "x": (index % 2) * 12, "y": (index // 2) * 6, "width": 12, "height": 6,
            "properties": {"title": metric, "region": cloudwatch.meta.region_name, "period": 300, "stat": stat,
                           "metrics": [["AWS/Bedrock", metric, "ModelId", m] for m in model_ids]},
        })
    body = {"widgets": widgets}
    cloudwatch.put_dashboard(DashboardName=dashboard_name, DashboardBody=json.dumps(body))
    cloudwatch.put_metric_alarm(
        AlarmName=alarm_name,
        Metrics=[
            {"Id": "m1", "ReturnData": True, "MetricStat": {
                "Metric": {"Namespace": "AWS/Bedrock", "MetricName": "InputTokenCount",
                           "Dimensions": [{"Name": "ModelId", "Value": alarm_model_id}]},
                "Period": 300, "Stat": "Sum"}},
            {"Id": "ad1", "Expression": f"ANOMALY_DETECTION_BAND(m1, {band_width})", "ReturnData": True},
        ],
        ThresholdMetricId="ad1",
        ComparisonOperator="GreaterThanUpperThreshold",
        EvaluationPeriods=3,
        DatapointsToAlarm=2,
        TreatMissingData="notBreaching",
        AlarmActions=[topic_arn],
    )
    return body
    ### END SOLUTION


# %% kind="tests" grade_id="genai-dashboard-alarm-tests" points=3
"""Does create_genai_dashboard chart every metric for every model and set a token-anomaly alarm as specified?"""
import json
import re
import uuid

_cw = aws.client("cloudwatch")
_stats = {"InputTokenCount": "Sum", "OutputTokenCount": "Sum", "InvocationLatency": "p90", "TimeToFirstToken": "p90",
          "InvocationThrottles": "Sum", "InvocationServerErrors": "Sum"}


def _lines(body):
    """(widget title, namespace, metric, dimension, value, stat, period, region) for every metric line."""
    out = []
    for widget in (body or {}).get("widgets", []):
        props = widget.get("properties", {})
        previous = []
        for line in props.get("metrics", []):
            options = line[-1] if line and isinstance(line[-1], dict) else {}
            values = [v for v in line if not isinstance(v, dict)]
            values = [previous[i] if v == "." and i < len(previous) else v for i, v in enumerate(values)]
            previous = values
            if len(values) >= 4:
                out.append((props.get("title"), values[0], values[1], values[2], values[3],
                            options.get("stat", props.get("stat")), options.get("period", props.get("period")),
                            props.get("region")))
    return out


def _dashboard(name):
    with checks.step(f"reading the dashboard {name!r}", hint="create it with cloudwatch.put_dashboard(DashboardName=dashboard_name, ...)"):
        return json.loads(_cw.get_dashboard(DashboardName=name)["DashboardBody"])


_models = ["amazon.nova-micro-v1:0", f"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/{uuid.uuid4().hex[:12]}"]
_name = f"genai-{uuid.uuid4().hex[:6]}"
_topic = f"arn:aws:sns:us-east-1:123456789012:genai-alerts-{uuid.uuid4().hex[:4]}"
_got = checks.call(create_genai_dashboard, _cw, dashboard_name=_name, model_ids=_models, alarm_name=f"{_name}-tokens",
                   alarm_model_id=_models[1], topic_arn=_topic)
_body = _dashboard(_name)
_found = _lines(_body)
for _metric in _stats:
    for _model in _models:
        checks.expect(any(l[1:5] == ("AWS/Bedrock", _metric, "ModelId", _model) for l in _found),
                      f"the dashboard should chart {_metric} for {_model}",
                      hint='["AWS/Bedrock", metric, "ModelId", model_id] in the widget\'s metrics')
checks.expect_equal(len(_cw.describe_alarms(AlarmNames=[f"{_name}-tokens"])["MetricAlarms"]), 1,
                    "the alarm should exist under alarm_name")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
checks.expect_equal(_got, _body, "the function returns the dashboard body it stored")
for _metric, _stat in _stats.items():
    _mine = [l for l in _found if l[2] == _metric]
    checks.expect(all(l[5] == _stat for l in _mine), f"{_metric} should use the statistic {_stat}",
                  found=sorted({str(l[5]) for l in _mine}))
    checks.expect(all(l[6] == 300 for l in _mine), f"{_metric} should use 300-second periods")
    checks.expect(all(l[0] == _metric for l in _mine), f"{_metric} has a widget of its own, titled {_metric}")
    checks.expect(all(l[7] == "us-east-1" for l in _mine), "each widget names the client's Region")
checks.expect(all(w.get("type") == "metric" for w in _body.get("widgets", []) if w.get("properties", {}).get("metrics")),
              'the charts are "metric" widgets')
_alarm = _cw.describe_alarms(AlarmNames=[f"{_name}-tokens"])["MetricAlarms"][0]
checks.expect_equal((_alarm.get("ComparisonOperator"), _alarm.get("EvaluationPeriods"), _alarm.get("DatapointsToAlarm"),
                     _alarm.get("TreatMissingData"), _alarm.get("AlarmActions")),
                    ("GreaterThanUpperThreshold", 3, 2, "notBreaching", [_topic]),
                    "operator, 2 of 3 periods, missing data not breaching, and the SNS action")
_queries = {q["Id"]: q for q in _alarm.get("Metrics", [])}
checks.expect(bool(_queries) and all(q.get("ReturnData") is True for q in _queries.values()),
              "both the metric and the band are returned (ReturnData=True)", found=list(_queries.values()))
_band = _queries.get(_alarm.get("ThresholdMetricId"), {})
_match = re.fullmatch(r"\s*ANOMALY_DETECTION_BAND\(\s*(\w+)\s*,\s*([0-9.]+)\s*\)\s*", _band.get("Expression", ""))
checks.expect(_match is not None and float(_match.group(2)) == 2.0,
              "ThresholdMetricId should name an ANOMALY_DETECTION_BAND(<metric id>, 2) expression", found=_band)
_stat = _queries.get(_match.group(1), {}).get("MetricStat", {})
checks.expect_equal((_stat.get("Metric", {}).get("Namespace"), _stat.get("Metric", {}).get("MetricName"),
                     _stat.get("Metric", {}).get("Dimensions"), _stat.get("Period"), _stat.get("Stat")),
                    ("AWS/Bedrock", "InputTokenCount", [{"Name": "ModelId", "Value": _models[1]}], 300, "Sum"),
                    "the band wraps the Sum of InputTokenCount for alarm_model_id over 300 s")
# Other names, one model, a wider band.
_name2 = f"genai-{uuid.uuid4().hex[:6]}"
checks.call(create_genai_dashboard, _cw, dashboard_name=_name2, model_ids=["us.amazon.nova-lite-v1:0"],
            alarm_name=f"{_name2}-a", alarm_model_id="us.amazon.nova-lite-v1:0", topic_arn=_topic, band_width=3)
checks.expect_equal({l[4] for l in _lines(_dashboard(_name2))}, {"us.amazon.nova-lite-v1:0"},
                    "only the given model ids are charted")
_alarm2 = _cw.describe_alarms(AlarmNames=[f"{_name2}-a"])["MetricAlarms"][0]
_band2 = {q["Id"]: q for q in _alarm2["Metrics"]}[_alarm2["ThresholdMetricId"]]["Expression"]
checks.expect(re.search(r",\s*3(\.0+)?\s*\)", _band2) is not None, "band_width sets the band's width", found=_band2)
### END HIDDEN TESTS

# %% [markdown]
# ## Watching the rest of the system: tools, vector stores and failure modes <a id="system-monitoring"></a>
#
# The model call is one step of a request. Watch the others too:
#
# - **Retrieval performance.** Most RAG latency is often retrieval, not generation: keep the
#   vector index right-sized (HNSW parameters, dimensions — a 256-dimension embedding searches
#   faster than 1,024), filter with metadata before the vector search, rewrite or decompose vague
#   queries, and use hybrid search (keywords plus vectors, with your own score weights) where
#   exact terms matter. Cache embeddings of repeated queries.
# - **Efficient service calls.** Profile where the time goes (X-Ray segments per call), batch
#   embeddings (many texts per request where the model allows), reuse clients and connections,
#   and call independent steps in parallel.
# - **Tools and agents.** Trace each tool call (name, arguments, latency, errors) — Bedrock
#   Agents traces, AgentCore Observability or OpenTelemetry spans — and keep a baseline of normal
#   call patterns so a loop or a failing tool stands out.
# - **Vector store operations.** Monitor query latency, index size and ingestion failures
#   (OpenSearch Serverless and knowledge-base ingestion job metrics), re-index on a schedule,
#   validate data quality before ingestion.
# - **GenAI failure modes.** Hallucination and drift are not HTTP errors. Keep a **golden
#   dataset** of questions with known answers and run it on every change (model, prompt,
#   retrieval), diff the outputs against the last run, trace the reasoning and retrieved
#   passages of bad answers, and alarm on quality scores as on latency.
#
# **Exam tip:** "answers got worse after a prompt change, no errors" → golden-dataset regression
# runs and output diffing; "an agent loops calling the same tool" → tool-call tracing against a
# usage baseline; "RAG queries slow" → smaller embeddings, metadata pre-filtering, index tuning,
# caching query embeddings.

# %%
quiz.show("operations", "system-monitoring")

# %% [markdown]
# ## Graded quiz <a id="graded-quiz"></a>
#
# Eight questions across the whole notebook. Pick your answers in the widget below; they are
# saved automatically beside this notebook and graded when you submit. Leave the cells under the
# widget as they are.

# %%
quiz.graded("operations")

# %% kind="quiz" question="ops-g1" points=1

# %% kind="quiz" question="ops-g2" points=1

# %% kind="quiz" question="ops-g3" points=1

# %% kind="quiz" question="ops-g4" points=1

# %% kind="quiz" question="ops-g5" points=1

# %% kind="quiz" question="ops-g6" points=1

# %% kind="quiz" question="ops-g7" points=1

# %% kind="quiz" question="ops-g8" points=1

# %% [markdown]
# ## Summary / what to review <a id="summary"></a>
#
# **Choose and place.** Compare models on your own evaluation set, context window, price per
# token (input, output, cache, batch, tier) and lifecycle status. On demand (Standard) by
# default; Priority for latency-critical calls on supported models, Flex for work that can wait;
# batch for large offline jobs with a day to finish; Provisioned Throughput for steady high
# volume and some customised models; SageMaker AI endpoints for models you host (Exercise 1).
#
# **Spend fewer tokens.** Count with CountTokens, cap outputs, prune history (Exercise 2);
# cache stable prefixes with cache points and watch `cacheReadInputTokens` (Exercise 3); put a
# semantic or exact-match cache in front of the model for repeated questions.
#
# **Fast and right-sized.** Stream, measure time to first token, use latency-optimised inference
# or the Priority tier where offered; route easy prompts to small models with a cascade or
# Intelligent Prompt Routing and measure quality against cost (Exercise 4).
#
# **Resilient and switchable.** Back off on throttling, fail over with cross-Region inference
# profiles, break the circuit and degrade gracefully (Exercise 5); keep the model id in
# configuration with a last known good value (Exercise 6); customise with fine-tuning,
# distillation or import, deploy on demand or with Provisioned Throughput, version and roll
# back with the Model Registry.
#
# **Watch it.** `AWS/Bedrock` metrics, invocation logs and application inference profiles with
# cost allocation tags (Exercise 7); dashboards of tokens, latency, time to first token and
# errors, with anomaly alarms (Exercise 8); trace tools and retrieval, and guard quality with a
# golden dataset.
