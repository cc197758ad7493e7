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
# # Amazon Bedrock and foundation models
#
# **Who this is for:** developers preparing for the AWS Certified Generative AI Developer –
# Professional exam (AIP-C01). This is the course's central notebook: most exam questions are
# about how you call foundation models on Amazon Bedrock, ground them in your data, let them use
# tools, keep them safe, watch what they do, measure their quality and pay as little as possible.
#
# **What you will do here:**
#
# - read 13 short sections, each ending with an *Exam tip* and self-check questions;
# - complete **10 graded exercises** with plain boto3 against an offline Bedrock simulator and a
#   simulated AWS account: a RAG pipeline from scratch (Titan embeddings + S3 Vectors + Converse),
#   the same with a Bedrock knowledge base, a tool-use loop, guardrails, invocation logging with
#   KMS, ROUGE/BLEU evaluation, provisioned-throughput break-even and retries with backoff;
# - read three charts (costs, backoff delays, evaluation scores);
# - answer the **graded quiz** at the end.
#
# **Exam tasks trained:** 1.1–1.6 (FM selection, prompt engineering, RAG, vector stores,
# agents and tools), 2.1–2.5 (implementation and integration), 3.1–3.3 (guardrails, data
# privacy, governance), 4.1–4.3 (cost, performance, monitoring) and 5.1–5.2 (evaluation and
# troubleshooting).
#
# **How to work:** run the cells from top to bottom (every cell is safe to run again). In an
# exercise, replace `raise NotImplementedError()` with your code, run that cell, then run the
# test cell under it: its message tells you what is missing. Graded quiz answers are saved
# automatically next to this notebook as soon as you pick them.
#
# **About the simulator.** The first code cell starts a fake AWS account (moto) and the course's
# offline Bedrock stand-in (`course.bedrock_sim`). Your boto3 calls have the real request and
# response shapes and real error codes, but the "models" are small deterministic rules, not
# neural networks: an embedding is a hash of the words, and the text model answers with the
# context sentence that shares most words with the question (or says it doesn't know). That
# is enough to build and grade real pipelines; just don't expect eloquence. Nothing leaves the
# machine and nothing costs money.

# %% kind="setup"
from course import sandbox, checks, quiz

aws = sandbox.start()  # fake credentials, moto + the offline Bedrock simulator; safe to re-run

# %% [markdown]
# # Part 1 — Calling foundation models

# %% [markdown]
# ## Amazon Bedrock: one API for many foundation models <a id="bedrock"></a>
#
# **What it is.** A fully managed, serverless service that gives you foundation models (FMs)
# from Amazon (Nova, Titan) and other providers (Anthropic, Meta, Mistral AI, Cohere, AI21 Labs,
# Stability AI, DeepSeek and more) behind one AWS API. There are no servers or GPUs to manage;
# you pay per token (or per image), and your prompts and outputs are **not** used to train the
# models. By default they are not shared with the model providers either, but a few newer models
# keep data for a while for abuse detection, and some can only be used if you allow sharing with
# the provider. A per-Region, account-level **data retention mode** controls this: `none` (zero
# data retention) means nothing is stored or shared, and Bedrock then rejects calls to models
# that require retention. Check it whenever a privacy rule says "no retention".
#
# **The APIs you must know** (`bedrock-runtime` is the data plane, `bedrock` the control plane):
#
# | Call | Use it for |
# |---|---|
# | `Converse` / `ConverseStream` | one message format for every chat model: system prompt, turns, `inferenceConfig`, tool use, documents, images, guardrails |
# | `InvokeModel` / `InvokeModelWithResponseStream` | the provider's own JSON body (needed for embeddings, image models and provider-only options) |
# | `ApplyGuardrail` | check any text against a guardrail without calling a model |
# | `CountTokens` | how many input tokens a request would use, before you pay for it |
# | `CreateModelInvocationJob` | batch inference over JSONL files in S3 |
# | `ListFoundationModels`, `GetFoundationModel` | what exists, modalities, inference types |
#
# **Converse messages.** The `messages` list holds only `user` and `assistant` turns and must
# start with a user turn; rules for the whole conversation go in the separate `system` field
# (a `system` role inside `messages` is rejected with a `ValidationException`).
#
# **Switching models without a release.** Keep the model ID out of the code: in AWS AppConfig
# (read at run time through the AppConfig Lambda extension), a change is validated, rolled out
# gradually and rolled back automatically when a CloudWatch alarm fires. Environment variables
# or values baked in at build time turn every switch into a deployment.
#
# **Customising.** Prompt engineering and RAG first (cheap, no training). Then fine-tuning
# (labelled prompt/completion pairs), continued pre-training (unlabelled domain text) or model
# distillation (a smaller student learns from a larger teacher) for supported models, or import
# your own weights with Custom Model Import (supported open architectures such as Llama, served
# serverless and billed for the active copies of the model). To serve a customised model,
# buy Provisioned Throughput (reserved capacity for steady, high volume), or, for supported
# models such as fine-tuned Amazon Nova, create a **custom model deployment for on-demand
# inference** and pay per token.
#
# **Security.** IAM policies on `bedrock:InvokeModel` scoped to model or inference-profile ARNs;
# KMS keys for customisation jobs, knowledge bases and agents; VPC interface endpoints
# (PrivateLink) so traffic never crosses the internet; CloudTrail for API calls; invocation
# logging for prompts and responses (section [invocation-logging](#invocation-logging)).
#
# *Note:* the notes list "GPT-based, BERT-based" models. Bedrock's serverless catalogue has no
# BERT models, and OpenAI models arrived only in 2025, as the open-weight gpt-oss models.
#
# **Exam tip:** "switch models without rewriting code" → Converse API. "No infrastructure,
# pay per use" → Bedrock on demand, not a SageMaker endpoint. "Traffic must stay private" →
# a VPC interface endpoint for `bedrock-runtime`.

# %% [markdown]
# **Try it.** List the catalogue, call a chat model with Converse, and compute an embedding with
# InvokeModel. Notice the `usage` block: every cost calculation starts there.

# %%
import json

bedrock = aws.client("bedrock")
runtime = aws.client("bedrock-runtime")

HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
NOVA_LITE = "amazon.nova-lite-v1:0"
TITAN_EMBED = "amazon.titan-embed-text-v2:0"

for m in bedrock.list_foundation_models(byOutputModality="EMBEDDING")["modelSummaries"]:
    print(f"{m['modelId']:40} {m['providerName']:8} {m['inferenceTypesSupported']}")

reply = runtime.converse(
    modelId=HAIKU,
    system=[{"text": "Answer from the context only."}],
    messages=[{"role": "user", "content": [{"text": (
        "Context: The cafeteria opens at 8 am. Lunch is served until 2 pm.\n"
        "Question: When does the cafeteria open?")}]}],
    inferenceConfig={"maxTokens": 200, "temperature": 0.0},
)
print(reply["output"]["message"]["content"][0]["text"], reply["stopReason"], reply["usage"])

body = json.dumps({"inputText": "vector search with Titan", "dimensions": 256, "normalize": True})
embedding = json.loads(runtime.invoke_model(modelId=TITAN_EMBED, body=body)["body"].read())
print(len(embedding["embedding"]), "dimensions,", embedding["inputTextTokenCount"], "input tokens")

# %%
quiz.show("bedrock", "bedrock")

# %% [markdown]
# ## Inference options: on demand, batch, provisioned, cross-Region, caching <a id="inference-options"></a>
#
# | Option | How you pay | Choose it when |
# |---|---|---|
# | **On demand** | per input and output token | spiky or unknown traffic, prototypes, most apps |
# | **Batch inference** | per token, about half the on-demand price for supported models | large offline jobs (JSONL in S3, results to S3), no latency need |
# | **Provisioned Throughput** | per *model unit* per hour, no commitment or a 1- or 6-month term | steady high volume, guaranteed throughput, serving a customised model |
# | **Cross-Region inference** | same price as the source Region | bursts beyond one Region's quota; higher availability |
# | **Custom model deployment (on demand)** | per token | a supported customised model (for example a fine-tuned Nova Lite) with irregular traffic |
#
# **Service tiers** for on-demand requests (`serviceTier` in the request): *Standard* (the
# default), *Priority* (faster responses for a premium), *Flex* (a discount for work that can
# wait) and *Reserved* (capacity reserved in tokens per minute for one or three months).
#
# **Cross-Region inference profiles** route each request to a Region inside a geography: pass
# `us.`/`eu.`/`apac.` + model id as `modelId`, and the data stays in that geography, which
# matters for data residency. A `global.` profile can route to any commercial Region worldwide,
# so it does not satisfy a residency rule. Some newer models can only be called through a
# profile. *Application inference profiles* you create yourself carry tags, so you can allocate
# model costs per team or app.
#
# **Latency-optimized inference** (`performanceConfig={"latency": "optimized"}`) serves a few
# models (for example Amazon Nova Pro and Claude 3.5 Haiku) on faster hardware for a higher
# price. **Prompt caching** marks a stable prefix (long system prompt, documents, tool list)
# with a `cachePoint` block; later requests that reuse the prefix within the cache lifetime (a
# few minutes) read it at a large discount and with lower latency. Reported as
# `cacheReadInputTokens`/`cacheWriteInputTokens` in `usage`.
#
# **Quotas.** Tokens per minute and requests per minute per model and Region. Over the quota you
# get `ThrottlingException` (HTTP 429): retry with exponential backoff and jitter (Exercise 1),
# use a cross-Region profile, ask for a quota increase, or buy Provisioned Throughput.
#
# **Exam tip:** "nightly job over millions of records, cost matters" → batch inference.
# "Predictable 24/7 load" or "custom model" → Provisioned Throughput. "Throttling at peaks" →
# backoff + cross-Region inference. "Same long system prompt on every call" → prompt caching.

# %%
quiz.show("bedrock", "inference-options")

# %% [markdown]
# **Try it.** The simulator counts attempts, not seconds: `set_quota(model, 2)` lets two
# requests in each window of four through and throttles the rest. A client created with
# `Config(retries={"total_max_attempts": 1})` shows every throttle; a default client would
# quietly retry a few times on its own (note that the legacy `max_attempts` setting counts
# *retries*, not attempts).

# %%
from botocore.config import Config
from botocore.exceptions import ClientError

from course import bedrock_sim

no_retry_runtime = aws.client("bedrock-runtime", config=Config(retries={"total_max_attempts": 1}))
bedrock_sim.set_quota(NOVA_LITE, 2)
for attempt in range(5):
    try:
        no_retry_runtime.converse(modelId=NOVA_LITE, messages=[{"role": "user", "content": [{"text": "hi"}]}])
        print(attempt, "ok")
    except ClientError as err:
        print(attempt, err.response["Error"]["Code"], err.response["ResponseMetadata"]["HTTPStatusCode"])
print(bedrock_sim.quota_status(NOVA_LITE))
bedrock_sim.clear_quota()

# %% [markdown]
# ### Exercise 1 — retries with exponential backoff and full jitter (3 points)
#
# A chat service calls Bedrock through a client whose own retries are switched off, so your
# code decides. Write `converse_with_backoff(runtime, request, *, max_attempts, base_delay,
# max_delay, sleep, rand)`:
#
# 1. call `runtime.converse(**request)` and return the response as soon as one succeeds;
# 2. retry **only** `ThrottlingException` and `ServiceUnavailableException`; raise any other
#    error at once;
# 3. before retry number *n* (n = 1 for the first retry) wait
#    `rand() * min(max_delay, base_delay * 2 ** (n - 1))` seconds by calling `sleep(delay)`
#    (full jitter: `rand()` returns a number in [0, 1));
# 4. make at most `max_attempts` attempts in total; after the last one fails, raise its error.
#
# `sleep` and `rand` are parameters so the test can record the delays instead of waiting.

# %%
import random
import time

# %% kind="solution" grade_id="bedrock-backoff"
def converse_with_backoff(runtime, request, *, max_attempts=5, base_delay=0.2, max_delay=5.0,
                          sleep=time.sleep, rand=random.random):
    """Call runtime.converse(**request), retrying throttling with capped exponential backoff and full jitter."""
    ### BEGIN SOLUTION
    retryable = {"ThrottlingException", "ServiceUnavailableException"}
    for attempt in range(1, max_attempts + 1):
        try:
            return runtime.converse(**request)
        except ClientError as err:
            code = err.response.get("Error", {}).get("Code")
            if code not in retryable or attempt == max_attempts:
                raise
            sleep(rand() * min(max_delay, base_delay * 2 ** (attempt - 1)))
    raise RuntimeError("max_attempts must be at least 1")
    ### END SOLUTION


# %% kind="tests" grade_id="bedrock-backoff-tests" points=3
"""Does converse_with_backoff retry only throttling, with capped, jittered exponential delays?"""
from botocore.config import Config
from botocore.exceptions import ClientError

from course import bedrock_sim

_client = aws.client("bedrock-runtime", config=Config(retries={"total_max_attempts": 1}))
_request = {"modelId": "amazon.nova-micro-v1:0", "messages": [{"role": "user", "content": [{"text": "Hello"}]}]}
_delays = []
bedrock_sim.set_quota("amazon.nova-micro-v1:0", 1, window_attempts=4)  # ok, then 3 throttles, then ok
try:
    checks.call(converse_with_backoff, _client, _request, max_attempts=5, base_delay=0.1, max_delay=10.0,
                sleep=_delays.append, rand=lambda: 1.0)
    _second = checks.call(converse_with_backoff, _client, _request, max_attempts=5, base_delay=0.1, max_delay=10.0,
                          sleep=_delays.append, rand=lambda: 1.0)
    checks.expect(isinstance(_second, dict) and "output" in _second,
                  "the function should return the successful Converse response", found=_second)
    checks.expect_equal([round(d, 6) for d in _delays], [0.1, 0.2, 0.4],
                        "the first call needs no wait; the second waits 0.1, 0.2, 0.4 s before its three retries",
                        hint="delay before retry n = rand() * min(max_delay, base_delay * 2 ** (n - 1))")
    checks.expect_equal(bedrock_sim.quota_status("amazon.nova-micro-v1:0")["attempts"], 5,
                        "exactly five attempts should reach Bedrock (1 + 4)")
finally:
    bedrock_sim.clear_quota()
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
try:
    # Jitter is applied and the cap holds.
    _d2 = []
    bedrock_sim.set_quota("amazon.nova-micro-v1:0", 1, window_attempts=7)
    checks.call(converse_with_backoff, _client, _request, max_attempts=8, base_delay=0.5, max_delay=1.5,
                sleep=_d2.append, rand=lambda: 0.5)
    checks.call(converse_with_backoff, _client, _request, max_attempts=8, base_delay=0.5, max_delay=1.5,
                sleep=_d2.append, rand=lambda: 0.5)
    checks.expect_equal([round(d, 6) for d in _d2], [0.25, 0.5, 0.75, 0.75, 0.75, 0.75],
                        "delays should be rand() times the capped exponential (cap 1.5 s)")
    # Gives up after max_attempts and re-raises the throttling error.
    bedrock_sim.clear_quota()
    bedrock_sim.set_quota("amazon.nova-micro-v1:0", 0, window_attempts=10)
    _d3 = []
    _err = "no error"
    try:
        converse_with_backoff(_client, _request, max_attempts=3, base_delay=0.01, max_delay=1.0,
                              sleep=_d3.append, rand=lambda: 1.0)
    except ClientError as exc:
        _err = exc.response.get("Error", {}).get("Code")
    except Exception as exc:  # noqa: BLE001
        _err = f"{type(exc).__name__}: {exc}"
    checks.expect_equal(_err, "ThrottlingException", "after the last attempt the throttling error should be raised")
    checks.expect_equal(len(_d3), 2, "three attempts mean two waits")
    checks.expect_equal(bedrock_sim.quota_status("amazon.nova-micro-v1:0")["attempts"], 3,
                        "max_attempts counts every attempt, the first included")
    bedrock_sim.clear_quota()
    # A validation error is not retried.
    _d4 = []
    _code = checks.expect_client_error(
        "ValidationException",
        lambda: converse_with_backoff(_client, {"modelId": "acme.not-a-model-v1", "messages": _request["messages"]},
                                      max_attempts=4, base_delay=0.01, max_delay=1.0, sleep=_d4.append,
                                      rand=lambda: 1.0),
        "a ValidationException should be raised at once")
    checks.expect_equal(_d4, [], "errors other than throttling must not be retried")
    # ServiceUnavailableException is retried too (a client that fails twice, then answers).

    class _Unavailable:
        def __init__(self):
            self.calls = 0
            self.exceptions = _client.exceptions  # the real client's modelled error classes

        def converse(self, **kwargs):
            self.calls += 1
            if self.calls <= 2:
                raise self.exceptions.ServiceUnavailableException(
                    {"Error": {"Code": "ServiceUnavailableException", "Message": "Service unavailable"},
                     "ResponseMetadata": {"HTTPStatusCode": 503}}, "Converse")
            return {"output": {"message": {"role": "assistant", "content": [{"text": "ok"}]}}, "stopReason": "end_turn"}

    _d5, _flaky = [], _Unavailable()
    _ok = checks.call(converse_with_backoff, _flaky, _request, max_attempts=4, base_delay=0.2, max_delay=5.0,
                      sleep=_d5.append, rand=lambda: 1.0)
    checks.expect_equal((_flaky.calls, [round(d, 6) for d in _d5]), (3, [0.2, 0.4]),
                        "ServiceUnavailableException should be retried like throttling",
                        hint="retry ThrottlingException and ServiceUnavailableException")
    checks.expect(isinstance(_ok, dict) and _ok.get("stopReason") == "end_turn",
                  "the successful response should be returned", found=_ok)
finally:
    bedrock_sim.clear_quota()
### END HIDDEN TESTS

# %% [markdown]
# **Why jitter?** The chart compares the delay *caps* (plain exponential backoff, what every
# client would wait without jitter) with the full-jitter delays of 200 clients. Without jitter,
# every throttled client retries at the same instants and hits the quota again together; full
# jitter spreads them over the whole interval under the cap.

# %%
import matplotlib.pyplot as plt

_rng = random.Random(7)
retries = list(range(1, 8))
caps = [min(5.0, 0.2 * 2 ** (n - 1)) for n in retries]
fig, ax = plt.subplots(figsize=(7, 3.5))
for n, cap in zip(retries, caps):
    ax.scatter([n] * 200, [_rng.random() * cap for _ in range(200)], s=6, alpha=0.3, color="tab:blue")
ax.plot(retries, caps, "o-", color="tab:red", label="cap = min(max_delay, base × 2^(n-1))")
ax.set_xlabel("retry number n")
ax.set_ylabel("wait before retry (s)")
ax.set_title("Full jitter spreads 200 clients' retries under the exponential cap")
ax.legend()
plt.show()

# %% [markdown]
# ### Exercise 2 — on-demand or Provisioned Throughput? (3 points)
#
# A summarisation service runs on Claude 3 Haiku. Should it stay on demand or buy a model unit?
# Measure real token usage, then find the break-even. Write `cost_comparison(usages, price,
# pt_hourly_per_unit, model_units=1, hours_per_month=730)` where `usages` are the `usage` dicts
# of Converse responses and `price` has the catalogue's shape
# (`{"inputPer1kTokens": ..., "outputPer1kTokens": ...}`, USD per 1,000 tokens). Return a dict:
#
# | key | value |
# |---|---|
# | `avg_input_tokens`, `avg_output_tokens` | means over `usages` |
# | `on_demand_cost_per_request` | cost of an average request at on-demand prices |
# | `provisioned_monthly_cost` | `pt_hourly_per_unit * model_units * hours_per_month` |
# | `break_even_requests` | the smallest whole number of requests per month at which on demand costs at least as much as Provisioned Throughput |
#
# (A real decision also checks that the model units can carry the peak load; the catalogue's
# prices are illustrative, see `course/data/bedrock/models.yaml`.)

# %%
import math

from course.bedrock_sim import catalogue

print("Haiku prices:", catalogue.price(HAIKU))
print("cost of one 1,000-in/200-out call:", bedrock_sim.estimate_cost(HAIKU, 1000, 200))

# %% kind="solution" grade_id="pt-break-even"
def cost_comparison(usages, price, pt_hourly_per_unit, model_units=1, hours_per_month=730):
    """Average token usage, on-demand cost per request, monthly PT cost and the break-even request count."""
    ### BEGIN SOLUTION
    n = len(usages)
    avg_in = sum(u["inputTokens"] for u in usages) / n
    avg_out = sum(u["outputTokens"] for u in usages) / n
    per_request = avg_in / 1000 * price["inputPer1kTokens"] + avg_out / 1000 * price["outputPer1kTokens"]
    monthly = pt_hourly_per_unit * model_units * hours_per_month
    return {
        "avg_input_tokens": avg_in,
        "avg_output_tokens": avg_out,
        "on_demand_cost_per_request": per_request,
        "provisioned_monthly_cost": monthly,
        "break_even_requests": math.ceil(monthly / per_request),
    }
    ### END SOLUTION


# %% kind="tests" grade_id="pt-break-even-tests" points=3
"""Does cost_comparison turn measured token usage into the on-demand vs provisioned break-even?"""
import math
import random

_rt = aws.client("bedrock-runtime")
_texts = [
    "Summarize the following text: The quarterly report shows revenue grew 12 percent. Costs fell. "
    "The board approved a new office in Lisbon. Hiring continues in sales.",
    "Summarize the following text: The outage lasted two hours. A faulty deploy caused it. "
    "Rollback fixed the issue and a new canary stage was added.",
]
_usages = [_rt.converse(modelId="anthropic.claude-3-haiku-20240307-v1:0",
                        messages=[{"role": "user", "content": [{"text": t}]}])["usage"] for t in _texts]
_price = {"inputPer1kTokens": 0.00025, "outputPer1kTokens": 0.00125}
_out = checks.call(cost_comparison, _usages, _price, 44.0)
checks.expect_type(_out, dict, "cost_comparison should return a dict")
_ai = sum(u["inputTokens"] for u in _usages) / 2
_ao = sum(u["outputTokens"] for u in _usages) / 2
checks.expect(math.isclose(_out.get("avg_input_tokens", -1), _ai) and math.isclose(_out.get("avg_output_tokens", -1), _ao),
              "average input/output tokens should come from the usage dicts", expected=(_ai, _ao),
              found=(_out.get("avg_input_tokens"), _out.get("avg_output_tokens")))
_per = _ai / 1000 * 0.00025 + _ao / 1000 * 0.00125
checks.expect(math.isclose(_out.get("on_demand_cost_per_request", -1), _per, rel_tol=1e-9),
              "on-demand cost per request = tokens / 1000 × price per 1k, input and output",
              expected=_per, found=_out.get("on_demand_cost_per_request"))
checks.expect(math.isclose(_out.get("provisioned_monthly_cost", -1), 44.0 * 730),
              "one model unit for 730 hours", expected=44.0 * 730, found=_out.get("provisioned_monthly_cost"))
checks.expect_equal(_out.get("break_even_requests"), math.ceil(44.0 * 730 / _per),
                    "break-even = provisioned monthly cost / cost per request, rounded UP")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_r = random.Random()
for _ in range(3):
    _us = [{"inputTokens": _r.randint(50, 3000), "outputTokens": _r.randint(10, 800), "totalTokens": 0}
           for _ in range(_r.randint(2, 6))]
    _p = {"inputPer1kTokens": _r.choice([0.0002, 0.0008, 0.003]), "outputPer1kTokens": _r.choice([0.0006, 0.004, 0.015])}
    _hourly, _units, _hours = _r.choice([7.1, 20.5, 44.0]), _r.randint(1, 4), _r.choice([730, 720, 24 * 30])
    _res = checks.call(cost_comparison, _us, _p, _hourly, model_units=_units, hours_per_month=_hours)
    _ai2 = sum(u["inputTokens"] for u in _us) / len(_us)
    _ao2 = sum(u["outputTokens"] for u in _us) / len(_us)
    _per2 = _ai2 / 1000 * _p["inputPer1kTokens"] + _ao2 / 1000 * _p["outputPer1kTokens"]
    _monthly = _hourly * _units * _hours
    checks.expect(math.isclose(_res["on_demand_cost_per_request"], _per2, rel_tol=1e-9),
                  "cost per request with other prices", expected=_per2, found=_res["on_demand_cost_per_request"])
    checks.expect(math.isclose(_res["provisioned_monthly_cost"], _monthly, rel_tol=1e-9),
                  "provisioned cost should scale with model units and hours", expected=_monthly,
                  found=_res["provisioned_monthly_cost"])
    checks.expect_equal(_res["break_even_requests"], math.ceil(_monthly / _per2), "break-even with other inputs")
    checks.expect(_res["break_even_requests"] * _per2 >= _monthly > (_res["break_even_requests"] - 1) * _per2,
                  "at break-even on demand should just reach the provisioned cost")
### END HIDDEN TESTS

# %% [markdown]
# **Reading the break-even.** The chart uses your function on two simulated requests: the
# on-demand line rises with traffic, the provisioned line is flat. Left of the crossing, on
# demand is cheaper; right of it, a model unit pays for itself (if one unit can carry the load).
# With these illustrative prices one Haiku model unit only pays off at millions of requests a
# month, which is why on demand is the default and Provisioned Throughput is for steady, very
# high volume or customised models.

# %%
_sample_usages = [
    runtime.converse(modelId=HAIKU, messages=[{"role": "user", "content": [{"text": t}]}])["usage"]
    for t in ["Summarize the following text: Sales grew in every region. Europe led with 15 percent growth.",
              "Explain the difference between batch and on-demand inference for Bedrock workloads."]
]
try:
    _cmp = cost_comparison(_sample_usages, catalogue.price(HAIKU), catalogue.price(HAIKU)["provisionedPerModelUnitHour"])
    _volumes = [i * _cmp["break_even_requests"] / 10 for i in range(0, 21)]
    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.plot([v / 1e6 for v in _volumes], [v * _cmp["on_demand_cost_per_request"] for v in _volumes], label="on demand")
    ax.axhline(_cmp["provisioned_monthly_cost"], color="tab:orange", label="1 model unit, no commitment")
    ax.axvline(_cmp["break_even_requests"] / 1e6, color="grey", linestyle=":", label="break-even")
    ax.set_xlabel("requests per month (millions)")
    ax.set_ylabel("cost per month (USD)")
    ax.set_title("Claude 3 Haiku: on demand vs Provisioned Throughput (illustrative prices)")
    ax.legend()
    plt.show()
except NotImplementedError:
    print("Complete Exercise 2 to see the chart.")

# %% [markdown]
# ## Prompt engineering techniques <a id="prompt-engineering"></a>
#
# **Techniques and when they help.**
#
# | Technique | What you do | Good for |
# |---|---|---|
# | Zero-shot | instruction only | simple, common tasks |
# | Few-shot | add a handful of labelled examples (often 2–5) | fixed labels or formats, tone |
# | Chain-of-thought | ask for step-by-step reasoning before the answer | maths, multi-step logic (costs more output tokens) |
# | Role / system prompt | set persona, rules, audience in `system` | consistent behaviour across turns |
# | Context + delimiters | put documents in XML tags (`<document>`) apart from the question | RAG, and resisting injected instructions |
# | Output format | ask for JSON with a schema, or prefill the answer | parsing by code |
# | Prompt chaining | split a task into several calls | long or mixed tasks (see [flows](#flows)) |
#
# **Inference parameters.** `temperature` and `topP` trade creativity for consistency (use low
# values for extraction and classification); `maxTokens` caps output length and cost;
# `stopSequences` end generation at a marker. A response that stops with `stopReason:
# max_tokens` was cut off.
#
# **Safety.** Say what to do when the context lacks the answer ("say you don't know"), keep
# untrusted text inside tags and never let it override the system prompt; add the Guardrails
# prompt-attack filter for injections and jailbreaks.
#
# **Clean the input first.** What you send is what the model reads and what you pay for. Raw
# e-mails with HTML, signatures, legal footers and quoted reply chains cost tokens and pull the
# model towards old messages: a small Lambda step that strips markup and quoted history and keeps
# only the new message (plus useful metadata such as the customer ID) improves quality and cuts
# cost. `CountTokens` shows the effect before you pay for a call.
#
# **Exam tip:** "model returns inconsistent labels" → few-shot examples + low temperature.
# "Wrong on multi-step arithmetic" → chain-of-thought. "Hallucinated answers in RAG" → ground
# with retrieved context and instruct to answer only from it (plus contextual grounding).

# %% [markdown]
# **Try it.** The simulator honours the few-shot pattern: the label follows the example whose
# input is most like the query.

# %%
few_shot = (
    "Classify the ticket priority.\n"
    "Ticket: the checkout page is down for all customers\nPriority: high\n"
    "Ticket: please change the colour of the footer\nPriority: low\n"
    "Ticket: customers cannot pay, the checkout page shows an error\nPriority:"
)
print(runtime.converse(modelId=HAIKU, messages=[{"role": "user", "content": [{"text": few_shot}]}],
                       inferenceConfig={"temperature": 0.0})["output"]["message"]["content"][0]["text"])

# %%
quiz.show("bedrock", "prompt-engineering")

# %% [markdown]
# ## Amazon Bedrock Prompt Management <a id="prompt-management"></a>
#
# **What it is.** A store for prompt templates. A prompt has `{{variables}}`, one or more
# **variants** (each can use a different model, template text or inference settings, so you
# can compare them side by side), and immutable numbered **versions** you publish from the
# working `DRAFT`. Applications call a version by its ARN: in Converse you pass the prompt ARN
# as `modelId` plus `promptVariables`, so changing the prompt is a new version, not a code
# deployment. Prompts are also building blocks for [Flows](#flows) and agents, and Bedrock can
# suggest an optimised rewrite of a prompt for a chosen model (prompt optimisation).
#
# | Need | Feature |
# |---|---|
# | Roll out a changed prompt safely, roll back fast | publish version N+1; point the app at it |
# | Compare two models or wordings | two variants of one prompt |
# | Keep prompts out of application code | prompt ARN + `promptVariables` |
#
# **Exam tip:** "version control and reuse of prompts across teams", "A/B compare prompt
# variants" → Prompt Management. "Non-developers change prompts without a redeploy" →
# reference a prompt version by ARN.

# %% [markdown]
# **Try it.** Create a prompt, publish version 1, and call it with variables.

# %%
agent = aws.client("bedrock-agent")
created = agent.create_prompt(
    name="faq-answer",
    defaultVariant="concise",
    variants=[{
        "name": "concise",
        "templateType": "TEXT",
        "modelId": NOVA_LITE,
        "templateConfiguration": {"text": {
            "text": "Context: {{context}}\nQuestion: {{question}}",
            "inputVariables": [{"name": "context"}, {"name": "question"}],
        }},
        "inferenceConfiguration": {"text": {"maxTokens": 200, "temperature": 0.1}},
    }],
)
version = agent.create_prompt_version(promptIdentifier=created["id"])
print(version["arn"])
answer = runtime.converse(modelId=version["arn"], promptVariables={
    "context": {"text": "Parking costs 5 euros per day. The garage closes at midnight."},
    "question": {"text": "How much does parking cost per day?"},
})
print(answer["output"]["message"]["content"][0]["text"])
agent.delete_prompt(promptIdentifier=created["id"])

# %%
quiz.show("bedrock", "prompt-management")

# %% [markdown]
# ## Amazon Bedrock Flows (formerly Prompt Flows) <a id="flows"></a>
#
# **What it is.** A visual builder and runtime for multi-step generative AI workflows. A flow is
# a graph of **nodes** connected by data: an input node, prompt nodes (inline or from Prompt
# Management), knowledge-base nodes, agent nodes, Lambda function nodes for custom code,
# condition nodes for branching, iterator/collector nodes to loop over lists, storage nodes
# (S3) and an output node. You test the draft in the console, publish immutable **versions**,
# and call an **alias** with `InvokeFlow` (bedrock-agent-runtime), so applications switch
# versions without code changes.
#
# | Choose | When |
# |---|---|
# | Bedrock Flows | a known sequence of prompts/RAG/Lambda steps with branches, built low-code |
# | Bedrock Agents / AgentCore | the model itself decides which tools to call and in what order |
# | AWS Step Functions | general workflow orchestration with long waits, human approval, many AWS services |
#
# *Note:* the notes call the service "Prompt Flows"; it became generally available in November
# 2024 as **Amazon Bedrock Flows**. The simulator does not run flows, so this section has no
# exercise.
#
# **Exam tip:** "chain prompts with conditional branching, low-code, versioned and aliased" →
# Bedrock Flows. "Deterministic order of steps" points away from agents.

# %%
quiz.show("bedrock", "flows")

# %% [markdown]
# ## Amazon Titan and Amazon Nova: Amazon's own models <a id="titan-nova"></a>
#
# | Family | Models | Use |
# |---|---|---|
# | Titan Text Embeddings V2 | `amazon.titan-embed-text-v2:0`: 256, 512 or 1,024 dimensions, optional normalisation, up to 8,192 tokens in | the default embedding model for knowledge bases and RAG |
# | Titan Multimodal Embeddings G1 | text and images in one vector space | search images by text |
# | Titan Text G1 (Lite, Express, Premier) | older text generation models | legacy workloads |
# | Titan Image Generator | text-to-image and editing, invisible watermark | image generation |
# | Amazon Nova understanding | Micro (text only, lowest cost), Lite, Pro, Premier (multimodal) | chat, RAG, agents, documents and video |
# | Amazon Nova creative | Canvas (images), Reel (video) | content generation |
# | Amazon Nova Sonic | speech to speech | voice assistants |
#
# **Choosing dimensions.** Smaller embeddings (256) cut vector-store memory and search cost with
# a small loss of accuracy; normalised vectors make cosine similarity and dot product agree.
# The request body is Titan's own: `{"inputText": ..., "dimensions": 256|512|1024, "normalize":
# true}`; other providers' embedding bodies (for example a `texts` list) are rejected.
#
# **Choosing a model.** First drop every model that cannot take the inputs the use case sends:
# input and output modalities (text, image, video, speech) and the context window are listed by
# `GetFoundationModel` and on each model card. Then compare the remaining candidates on *your*
# data with a Bedrock evaluation job (section [evaluation](#evaluation)), weighed against
# latency and price per token; public leaderboards rarely reflect your documents.
#
# *Note:* the notes present Titan Text as Amazon's LLM family and say Titan has "built-in
# guardrails". For new text workloads AWS now points to **Amazon Nova**, which replaces Titan
# Text (Nova Canvas likewise follows Titan Image Generator). Titan models filter harmful content
# and watermark images, but configurable safety policies come from **Bedrock Guardrails**, a
# separate feature that works with any model.
#
# **Exam tip:** "cheapest text-only model for high-volume simple tasks" → Nova Micro.
# "Embeddings for a knowledge base, reduce storage" → Titan Text Embeddings V2 at 256/512
# dimensions.

# %%
quiz.show("bedrock", "titan-nova")

# %% [markdown]
# # Part 2 — Retrieval-augmented generation

# %% [markdown]
# ## RAG building blocks: chunks, embeddings, vector stores <a id="rag"></a>
#
# **The pipeline.** *Ingest*: split documents into chunks, embed each chunk, store vector +
# text + metadata. *Query*: embed the question with the **same** model and dimensions, find the
# top-k nearest chunks, put them in the prompt with an instruction to answer only from them, and
# return the answer with citations.
#
# **Chunking.** Fixed size with overlap is the baseline: overlap keeps a sentence that straddles
# a boundary whole in at least one chunk. Small chunks retrieve precisely but lose context;
# large ones carry context but dilute similarity and cost tokens. Hierarchical chunking searches
# small child chunks and returns their larger parents; semantic chunking splits where meaning
# changes.
#
# **Vector stores on AWS.**
#
# | Store | Choose it when |
# |---|---|
# | Amazon S3 Vectors | lowest-cost, large, infrequently queried vector sets; sub-second queries |
# | OpenSearch Serverless / OpenSearch Service | hybrid (keyword + vector) search, filters, high QPS, low latency |
# | Aurora PostgreSQL with pgvector | vectors next to relational data, SQL joins |
# | Neptune Analytics | GraphRAG: relationships between entities matter |
# | DocumentDB, MemoryDB | vector search inside an existing document database or an in-memory store |
#
# **Exam tip:** "answers must cite sources", "data changes daily", "no retraining" → RAG, not
# fine-tuning. "Retrieval misses answers split across chunks" → add overlap or larger/
# hierarchical chunks. Query and documents must use the same embedding model.

# %%
quiz.show("bedrock", "rag")

# %% [markdown]
# ### Exercise 3 — fixed-size chunking with overlap (2 points)
#
# Write `chunk_words(text, size, overlap)` that splits `text` on whitespace into words and
# returns chunks of `size` words (joined with single spaces), each chunk starting `size -
# overlap` words after the previous one, and stopping with the first chunk that reaches the last
# word. Raise `ValueError` unless `size > 0` and `0 <= overlap < size`. Empty text gives `[]`.
#
# Example: 10 words, `size=4`, `overlap=1` → words 0–3, 3–6, 6–9.
# (Real chunkers count model tokens, not words; the idea is the same.)

# %% kind="solution" grade_id="chunking"
def chunk_words(text, size, overlap):
    """Split text into chunks of `size` words, consecutive chunks sharing `overlap` words."""
    ### BEGIN SOLUTION
    if size <= 0 or overlap < 0 or overlap >= size:
        raise ValueError("need size > 0 and 0 <= overlap < size")
    words = text.split()
    chunks = []
    for start in range(0, len(words), size - overlap):
        chunks.append(" ".join(words[start:start + size]))
        if start + size >= len(words):
            break
    return chunks
    ### END SOLUTION


# %% kind="tests" grade_id="chunking-tests" points=2
"""Does chunk_words cut fixed-size chunks with the requested overlap and no lost words?"""
import random

_words = [f"w{i}" for i in range(10)]
_chunks = checks.call(chunk_words, " ".join(_words), 4, 1)
checks.expect_equal(_chunks, ["w0 w1 w2 w3", "w3 w4 w5 w6", "w6 w7 w8 w9"],
                    "10 words, size 4, overlap 1 should give three chunks sharing one word")
checks.expect_equal(checks.call(chunk_words, "", 5, 2), [], "empty text has no chunks")
try:
    chunk_words("a b c", 3, 3)
    checks.fail("overlap equal to size must be rejected", "ValueError", "no error")
except ValueError:
    pass
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_r = random.Random()
for _ in range(25):
    _n = _r.randint(1, 60)
    _size = _r.randint(1, 12)
    _ov = _r.randint(0, _size - 1)
    _ws = [f"t{_r.randint(0, 10**6)}x{i}" for i in range(_n)]
    _got = checks.call(chunk_words, "  ".join(_ws) + "\n", _size, _ov)
    _exp = []
    for _s in range(0, _n, _size - _ov):
        _exp.append(" ".join(_ws[_s:_s + _size]))
        if _s + _size >= _n:
            break
    checks.expect_equal(_got, _exp, f"chunking {_n} words with size={_size}, overlap={_ov}")
for _bad in [(0, 0), (3, -1), (2, 5)]:
    try:
        chunk_words("a b c", *_bad)
        checks.fail(f"size/overlap {_bad} must be rejected", "ValueError", "no error")
    except ValueError:
        pass
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 4 — a RAG pipeline from scratch: Titan + S3 Vectors + Converse (4 points)
#
# Write `answer_with_rag(runtime, s3vectors, documents, question, *, vector_bucket, index_name,
# model_id, chunk_size=40, overlap=10, top_k=3, dimensions=256)` where `documents` maps a source
# key (e.g. `"policies/returns.txt"`) to its text. It must:
#
# 1. create the S3 vector bucket `vector_bucket` and the index `index_name` (`float32`,
#    `dimension=dimensions`, `cosine`; declare `"text"` as non-filterable metadata);
# 2. chunk every document with your `chunk_words(text, chunk_size, overlap)`, embed every chunk
#    with `amazon.titan-embed-text-v2:0` through `invoke_model` (`dimensions`, `normalize:
#    true`), and `put_vectors` them with key `"<source>#<chunk number from 0>"` and metadata
#    `{"source": <source>, "text": <chunk>}`;
# 3. embed the question the same way and `query_vectors` the `top_k` nearest chunks (with
#    metadata);
# 4. build a grounded prompt: a system prompt telling the model to answer only from the
#    documents and to say it doesn't know otherwise, and a user message with each retrieved
#    chunk in `<document source="...">...</document>` tags followed by `Question: <question>`;
# 5. call `converse` with `model_id` (temperature 0) and return `{"answer": <text>,
#    "citations": <sorted list of the distinct sources of the retrieved chunks that support the
#    answer>, "chunks_indexed": <number of vectors stored>}`. Use the helper `supports(chunk_text,
#    answer)` below to decide whether a chunk supports the answer. An answer the documents do
#    not contain must come back as "I don't know..." with **no** citations.

# %%
import re


def supports(chunk_text, answer):
    """True if a sentence or fragment (3+ words) of the chunk appears word for word in the answer."""
    pieces = [p.strip() for p in re.split(r"(?<=[.!?])\s+|\n", chunk_text)]
    return any(len(p.split()) >= 3 and p in answer for p in pieces)


# %% kind="solution" grade_id="rag-pipeline"
def answer_with_rag(runtime, s3vectors, documents, question, *, vector_bucket, index_name, model_id,
                    chunk_size=40, overlap=10, top_k=3, dimensions=256):
    """Index the documents in S3 Vectors, retrieve the top-k chunks, answer with Converse and cite sources."""
    ### BEGIN SOLUTION
    def embed(text):
        body = json.dumps({"inputText": text, "dimensions": dimensions, "normalize": True})
        response = runtime.invoke_model(modelId="amazon.titan-embed-text-v2:0", body=body,
                                        contentType="application/json", accept="application/json")
        return json.loads(response["body"].read())["embedding"]

    s3vectors.create_vector_bucket(vectorBucketName=vector_bucket)
    s3vectors.create_index(
        vectorBucketName=vector_bucket, indexName=index_name, dataType="float32", dimension=dimensions,
        distanceMetric="cosine", metadataConfiguration={"nonFilterableMetadataKeys": ["text"]},
    )
    vectors = []
    for source in sorted(documents):
        for number, chunk in enumerate(chunk_words(documents[source], chunk_size, overlap)):
            vectors.append({"key": f"{source}#{number}", "data": {"float32": embed(chunk)},
                            "metadata": {"source": source, "text": chunk}})
    for start in range(0, len(vectors), 500):  # PutVectors takes at most 500 vectors per call
        s3vectors.put_vectors(vectorBucketName=vector_bucket, indexName=index_name,
                              vectors=vectors[start:start + 500])

    hits = s3vectors.query_vectors(
        vectorBucketName=vector_bucket, indexName=index_name, topK=top_k,
        queryVector={"float32": embed(question)}, returnMetadata=True,
    )["vectors"]
    context = "\n".join(f'<document source="{h["metadata"]["source"]}">{h["metadata"]["text"]}</document>'
                        for h in hits)
    system = [{"text": "Answer the question using only the documents provided. If the documents do not "
                       "contain the answer, say that you don't know."}]
    prompt = f"<documents>\n{context}\n</documents>\n\nQuestion: {question}"
    response = runtime.converse(
        modelId=model_id, system=system,
        messages=[{"role": "user", "content": [{"text": prompt}]}],
        inferenceConfig={"maxTokens": 400, "temperature": 0.0},
    )
    answer = "".join(block.get("text", "") for block in response["output"]["message"]["content"]).strip()
    citations = sorted({h["metadata"]["source"] for h in hits if supports(h["metadata"]["text"], answer)})
    return {"answer": answer, "citations": citations, "chunks_indexed": len(vectors)}
    ### END SOLUTION


# %% kind="tests" grade_id="rag-pipeline-tests" points=4
"""Does answer_with_rag index chunks in S3 Vectors, answer from them with citations, and admit when it can't?"""
import json
import math
import uuid

_rt, _sv = aws.client("bedrock-runtime"), aws.client("s3vectors")
_docs = {
    "policies/returns.txt": "Unused items can be returned within 30 days of delivery. Refunds are paid to the "
                            "original payment method within five business days. Sale items are final.",
    "policies/shipping.txt": "We ship to all EU countries. Standard shipping takes three to five working days. "
                             "Shipping is free for orders above 60 euros.",
}
_vb, _ix = f"rag-{uuid.uuid4().hex[:10]}", "docs-index"
_res = checks.call(answer_with_rag, _rt, _sv, _docs, "When is shipping free?", vector_bucket=_vb, index_name=_ix,
                   model_id="anthropic.claude-3-haiku-20240307-v1:0", chunk_size=40, overlap=10, top_k=2)
checks.expect_type(_res, dict, "answer_with_rag should return a dict")
checks.expect_in("60 euros", _res.get("answer", ""), "the answer should come from the shipping document")
checks.expect_equal(_res.get("citations"), ["policies/shipping.txt"], "only the supporting source should be cited")
_listed = _sv.list_vectors(vectorBucketName=_vb, indexName=_ix, returnMetadata=True)["vectors"]
checks.expect_equal(sorted(v["key"] for v in _listed), ["policies/returns.txt#0", "policies/shipping.txt#0"],
                    "each short document is one chunk, stored under '<source>#0'")
checks.expect_equal(_res.get("chunks_indexed"), 2, "chunks_indexed should count the stored vectors")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
import copy

# Record what reaches the simulator: the embedding requests, the index settings and the Converse call.
_embed_calls, _index_calls, _chat_calls = [], [], []
_rt.meta.events.register("provide-client-params.bedrock-runtime.InvokeModel",
                         lambda params, **kw: _embed_calls.append(dict(params)))
_rt.meta.events.register("provide-client-params.bedrock-runtime.Converse",
                         lambda params, **kw: _chat_calls.append(copy.deepcopy(params)))
_sv.meta.events.register("provide-client-params.s3vectors.CreateIndex",
                         lambda params, **kw: _index_calls.append(copy.deepcopy(params)))
_tag = uuid.uuid4().hex[:6]
_hotel = {
    f"faq/{_tag}/checkin.md": "Check-in starts at 3 pm and check-out is at 11 am. Guests arriving after midnight "
                              "must call the night desk in advance. Early check-in costs 25 euros when a room is free.",
    f"faq/{_tag}/parking.md": "The hotel garage has 40 spaces. Parking costs 18 euros per night. Electric cars can "
                              "charge at four stations on level minus one.",
    f"faq/{_tag}/pets.md": "Dogs and cats are welcome in rooms on the ground floor. A cleaning fee of 30 euros is "
                           "charged per stay. Pets may not be left alone in the room.",
    f"faq/{_tag}/breakfast.md": "Breakfast is served from 7 am to 10:30 am in the garden restaurant. Vegan and "
                                "gluten-free options are available every day.",
}
_vb2 = f"hotel-{uuid.uuid4().hex[:10]}"
_res2 = checks.call(answer_with_rag, _rt, _sv, _hotel, "How much does parking cost per night?", vector_bucket=_vb2,
                    index_name="faq-index", model_id="amazon.nova-lite-v1:0", chunk_size=16, overlap=4, top_k=3)
checks.expect_in("18 euros", _res2["answer"], "the parking answer should state the nightly price")
checks.expect_equal(_res2["citations"], [f"faq/{_tag}/parking.md"], "the parking document should be the only citation")
checks.expect(bool(_embed_calls) and all(c.get("accept", "application/json") in ("application/json", "*/*")
                                         and c.get("contentType", "application/json") == "application/json"
                                         for c in _embed_calls),
              "embedding requests should send and accept application/json", found=_embed_calls[:1])
checks.expect(len(_index_calls) == 1 and "text" in ((_index_calls[-1].get("metadataConfiguration") or {})
                                                    .get("nonFilterableMetadataKeys") or []),
              'the index should declare "text" as non-filterable metadata', found=_index_calls,
              hint='metadataConfiguration={"nonFilterableMetadataKeys": ["text"]}')
checks.expect(len(_chat_calls) == 1, "one converse call answers the question", found=len(_chat_calls))
_chat = _chat_calls[-1]
checks.expect(bool(_chat.get("system")), "the converse call needs a system prompt: answer only from the documents, "
              "otherwise say you don't know", found=_chat.get("system"))
checks.expect_equal((_chat.get("inferenceConfig") or {}).get("temperature"), 0, "converse should run at temperature 0")
_user_text = "\n".join(b.get("text", "") for m in _chat.get("messages", []) if m.get("role") == "user"
                       for b in m.get("content", []) if isinstance(b, dict))
_question_vector = json.loads(_rt.invoke_model(modelId="amazon.titan-embed-text-v2:0", body=json.dumps(
    {"inputText": "How much does parking cost per night?", "dimensions": 256, "normalize": True}))["body"].read())
_nearest = _sv.query_vectors(vectorBucketName=_vb2, indexName="faq-index", topK=3, returnMetadata=True,
                             queryVector={"float32": _question_vector["embedding"]})["vectors"]
for _hit in _nearest:
    _tagged = f'<document source="{_hit["metadata"]["source"]}">{_hit["metadata"]["text"]}</document>'
    checks.expect_in(_tagged, _user_text, "each retrieved chunk should reach the prompt in its <document> tags",
                     hint='f\'<document source="{source}">{chunk}</document>\'')
checks.expect_in("Question: How much does parking cost per night?", _user_text,
                 "the prompt should end with 'Question: <question>'")
# The index holds exactly the expected chunks, with source/text metadata and Titan V2 vectors.
_expected_chunks = {f"{s}#{i}": (s, c) for s in _hotel for i, c in enumerate(chunk_words(_hotel[s], 16, 4))}
_stored = {}
_token = None
while True:
    _kw = {"vectorBucketName": _vb2, "indexName": "faq-index", "returnMetadata": True}
    if _token:
        _kw["nextToken"] = _token
    _page = _sv.list_vectors(**_kw)
    _stored.update({v["key"]: v["metadata"] for v in _page["vectors"]})
    _token = _page.get("nextToken")
    if not _token:
        break
checks.expect_equal(sorted(_stored), sorted(_expected_chunks), "every 16-word chunk (overlap 4) should be stored once")
checks.expect(all(_stored[k] == {"source": s, "text": c} for k, (s, c) in _expected_chunks.items()),
              "each vector's metadata should be {'source': ..., 'text': <chunk>}")
checks.expect_equal(_res2["chunks_indexed"], len(_expected_chunks), "chunks_indexed should count the stored vectors")
checks.expect_equal(_sv.get_index(vectorBucketName=_vb2, indexName="faq-index")["index"]["dimension"], 256,
                    "the index dimension should be the `dimensions` argument")
_key = sorted(_expected_chunks)[1]
_got = _sv.get_vectors(vectorBucketName=_vb2, indexName="faq-index", keys=[_key], returnData=True)["vectors"][0]
_ref = json.loads(_rt.invoke_model(modelId="amazon.titan-embed-text-v2:0", body=json.dumps(
    {"inputText": _expected_chunks[_key][1], "dimensions": 256, "normalize": True}))["body"].read())["embedding"]
checks.expect(all(math.isclose(a, b, abs_tol=1e-4) for a, b in zip(_got["data"]["float32"], _ref)),
              "stored vectors should be Titan Text Embeddings V2 (normalised) of the chunk text")
# A question the documents cannot answer.
_res3 = checks.call(answer_with_rag, _rt, _sv, _hotel, "Is there a rooftop swimming pool?",
                    vector_bucket=f"pool-{uuid.uuid4().hex[:10]}", index_name="faq-index",
                    model_id="anthropic.claude-3-haiku-20240307-v1:0", chunk_size=16, overlap=4, top_k=3)
checks.expect("don't know" in _res3["answer"].lower(), "an unanswerable question should get 'I don't know'",
              found=_res3["answer"])
checks.expect_equal(_res3["citations"], [], "an answer not found in the documents must cite nothing")
# top_k is honoured: with top_k=1 only the single nearest chunk reaches the prompt.
_res4 = checks.call(answer_with_rag, _rt, _sv, _hotel, "What is the cleaning fee for pets per stay?",
                    vector_bucket=f"pets-{uuid.uuid4().hex[:10]}", index_name="faq-index",
                    model_id="amazon.nova-lite-v1:0", chunk_size=60, overlap=10, top_k=1)
checks.expect_in("30 euros", _res4["answer"], "the pets answer should state the cleaning fee")
checks.expect_equal(_res4["citations"], [f"faq/{_tag}/pets.md"], "the pets document should be cited")
### END HIDDEN TESTS

# %% [markdown]
# **Try it.** Ask your pipeline something, then make the chunks tiny (`chunk_size=6,
# overlap=0`) and ask again: sentences get cut and the answer degrades. That is the chunk-size
# trade-off from the section above, in miniature.

# %%
import uuid

_try_docs = {"it/vpn.md": "The VPN client must be updated every quarter. Support for the old client ends in March. "
                          "Contact the service desk on extension 4400 for help."}
for _size, _ov in [(40, 10), (6, 0)]:
    try:
        _out = answer_with_rag(runtime, aws.client("s3vectors"), _try_docs, "When does support for the old client end?",
                               vector_bucket=f"try-{uuid.uuid4().hex[:8]}", index_name="try-index",
                               model_id=HAIKU, chunk_size=_size, overlap=_ov, top_k=2)
        print(_size, _ov, _out)
    except NotImplementedError:
        print("Complete Exercise 4 first.")
        break

# %% [markdown]
# ## Amazon Bedrock Knowledge Bases: managed RAG <a id="knowledge-bases"></a>
#
# **What it is.** Everything you just built, managed: connect a **data source** (S3, web
# crawler, Confluence, SharePoint, Salesforce, or push documents yourself), choose parsing,
# **chunking** (default, fixed size with overlap, hierarchical, semantic, none, or a Lambda
# function for custom chunking) and an **embedding model** (Titan Text Embeddings V2, Cohere
# Embed...), and a **vector store**: OpenSearch Serverless (the console can create it for you),
# OpenSearch managed clusters, Aurora PostgreSQL, Neptune Analytics (GraphRAG), S3 Vectors,
# Pinecone, Redis Enterprise Cloud or MongoDB Atlas. A knowledge base can also query structured
# data (Amazon Redshift) by generating SQL.
#
# **Sync.** `StartIngestionJob` reads the source, skips unchanged files and updates changed or
# deleted ones. Metadata for filtering comes from a sidecar `<file>.metadata.json` with
# `metadataAttributes`.
#
# **Parsing.** The default parser extracts the text of each document. For tables, charts and
# images inside PDFs, set the data source's parsing strategy to a **foundation model** parser or
# the **Bedrock Data Automation** parser (if either fails on a file, the default parser is used).
# Bedrock Data Automation is also a service of its own: it turns documents, images, audio and
# video into structured output, a generic *standard output* or, through **blueprints** that list
# the fields you want, a *custom output* (documents, images and audio) with no extraction code.
#
# **Validate before you ingest.** A knowledge base indexes whatever lands in the bucket. A Lambda
# function triggered by each upload can check size, extractable text and the metadata sidecar,
# move failures to a quarantine prefix and publish a custom CloudWatch metric of rejected files
# (AWS Glue Data Quality does the same for tabular data). For a quick proof of concept, the
# console can create the vector store for you, and the console's test window shows cited
# answers and token usage.
#
# **Query.** `Retrieve` returns scored chunks with their S3 location and metadata (build your
# own prompt); `RetrieveAndGenerate` also calls the model and returns the answer with
# **citations**, and keeps a `sessionId` for follow-up questions. Both take a
# `vectorSearchConfiguration`: `numberOfResults`, metadata `filter` (`equals`, `in`,
# `greaterThan`, `andAll`...), hybrid search (where the store supports it) and a reranking
# model; query decomposition splits complex questions.
#
# **Exam tip:** "fully managed RAG with citations, least code" → Knowledge Bases +
# RetrieveAndGenerate. "Users must only see their department's documents" → metadata filters
# (plus access control). "Keyword and semantic matches both matter" → hybrid search.

# %%
quiz.show("bedrock", "knowledge-bases")

# %% [markdown]
# ### Exercise 5 — a knowledge base with a metadata filter (4 points)
#
# HR keeps handbooks for two departments in one bucket; each file has a `.metadata.json` sidecar
# with `department`. Write `build_kb_and_ask(agent, agent_runtime, *, name, role_arn, bucket,
# prefix, vector_bucket_arn, index_name, max_tokens, overlap_percentage, question, department,
# model_arn)` that:
#
# 1. creates a VECTOR knowledge base using Titan Text Embeddings V2
#    (`arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0`, 256
#    dimensions) stored in the existing S3 Vectors index (`S3_VECTORS` storage);
# 2. adds an S3 data source for `bucket`, limited to `prefix` (`inclusionPrefixes`), with
#    FIXED_SIZE chunking of `max_tokens` tokens and `overlap_percentage` % overlap;
# 3. starts an ingestion job and polls `get_ingestion_job`, waiting `poll_seconds` between polls,
#    until it is `COMPLETE` (raise `RuntimeError` if it ends `FAILED`);
# 4. calls `retrieve_and_generate` with `model_arn`, retrieving only chunks whose `department`
#    equals `department`;
# 5. returns `{"knowledge_base_id": ..., "answer": <output text>, "citations": <sorted distinct
#    S3 URIs of the retrieved references in the citations>}`.

# %% kind="solution" grade_id="kb-rag"
def build_kb_and_ask(agent, agent_runtime, *, name, role_arn, bucket, prefix, vector_bucket_arn, index_name,
                     max_tokens, overlap_percentage, question, department, model_arn, poll_seconds=2.0):
    """Create a KB over s3://bucket/prefix, ingest it, and answer the question for one department."""
    ### BEGIN SOLUTION
    kb = agent.create_knowledge_base(
        name=name,
        roleArn=role_arn,
        knowledgeBaseConfiguration={
            "type": "VECTOR",
            "vectorKnowledgeBaseConfiguration": {
                "embeddingModelArn": "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0",
                "embeddingModelConfiguration": {"bedrockEmbeddingModelConfiguration": {"dimensions": 256}},
            },
        },
        storageConfiguration={
            "type": "S3_VECTORS",
            "s3VectorsConfiguration": {"vectorBucketArn": vector_bucket_arn, "indexName": index_name},
        },
    )["knowledgeBase"]
    kb_id = kb["knowledgeBaseId"]
    source = agent.create_data_source(
        knowledgeBaseId=kb_id,
        name=f"{name}-s3",
        dataSourceConfiguration={
            "type": "S3",
            "s3Configuration": {"bucketArn": f"arn:aws:s3:::{bucket}", "inclusionPrefixes": [prefix]},
        },
        vectorIngestionConfiguration={"chunkingConfiguration": {
            "chunkingStrategy": "FIXED_SIZE",
            "fixedSizeChunkingConfiguration": {"maxTokens": max_tokens, "overlapPercentage": overlap_percentage},
        }},
    )["dataSource"]
    job = agent.start_ingestion_job(knowledgeBaseId=kb_id, dataSourceId=source["dataSourceId"])["ingestionJob"]
    while True:
        job = agent.get_ingestion_job(knowledgeBaseId=kb_id, dataSourceId=source["dataSourceId"],
                                      ingestionJobId=job["ingestionJobId"])["ingestionJob"]
        if job["status"] == "COMPLETE":
            break
        if job["status"] in ("FAILED", "STOPPED"):
            raise RuntimeError(f"ingestion ended {job['status']}: {job.get('failureReasons')}")
        time.sleep(poll_seconds)
    response = agent_runtime.retrieve_and_generate(
        input={"text": question},
        retrieveAndGenerateConfiguration={
            "type": "KNOWLEDGE_BASE",
            "knowledgeBaseConfiguration": {
                "knowledgeBaseId": kb_id,
                "modelArn": model_arn,
                "retrievalConfiguration": {"vectorSearchConfiguration": {
                    "numberOfResults": 5,
                    "filter": {"equals": {"key": "department", "value": department}},
                }},
            },
        },
    )
    uris = {ref["location"]["s3Location"]["uri"]
            for citation in response.get("citations", []) for ref in citation.get("retrievedReferences", [])}
    return {"knowledge_base_id": kb_id, "answer": response["output"]["text"], "citations": sorted(uris)}
    ### END SOLUTION


# %% kind="tests" grade_id="kb-rag-tests" points=4
"""Does build_kb_and_ask create, ingest and query a knowledge base, filtered to one department?"""
import json
import time
import uuid

_agent, _ar = aws.client("bedrock-agent"), aws.client("bedrock-agent-runtime")
_s3, _sv = aws.client("s3"), aws.client("s3vectors")
_HAIKU_ARN = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"


def _kb_fixture(files, tag):
    bucket = f"kb-docs-{tag}"
    _s3.create_bucket(Bucket=bucket)
    for key, (text, dept) in files.items():
        _s3.put_object(Bucket=bucket, Key=key, Body=text.encode())
        _s3.put_object(Bucket=bucket, Key=key + ".metadata.json",
                       Body=json.dumps({"metadataAttributes": {"department": dept}}).encode())
    _sv.create_vector_bucket(vectorBucketName=f"kb-vec-{tag}")
    _sv.create_index(vectorBucketName=f"kb-vec-{tag}", indexName="kb-index", dataType="float32", dimension=256,
                     distanceMetric="cosine")
    return bucket, f"arn:aws:s3vectors:us-east-1:123456789012:bucket/kb-vec-{tag}"


_rag_requests = []
_ar.meta.events.register("provide-client-params.bedrock-agent-runtime.RetrieveAndGenerate",
                         lambda params, **kw: _rag_requests.append(params))
_tag = uuid.uuid4().hex[:8]
_files = {
    "handbook/retail-returns.txt": ("Retail customers can return products within 14 days. Refunds go to the "
                                    "original card.", "retail"),
    "handbook/wholesale-returns.txt": ("Wholesale customers can return products within 60 days. Refunds are "
                                       "issued as store credit.", "wholesale"),
    "handbook/retail-hours.txt": ("Retail stores open at 9 am and close at 8 pm.", "retail"),
    "archive/old-returns.txt": ("Customers could return products within 7 days in 2019.", "retail"),
}
_bucket, _vba = _kb_fixture(_files, _tag)
_out = checks.call(build_kb_and_ask, _agent, _ar, name=f"hr-{_tag}", role_arn="arn:aws:iam::123456789012:role/kb-role",
                   bucket=_bucket, prefix="handbook/", vector_bucket_arn=_vba, index_name="kb-index", max_tokens=100,
                   overlap_percentage=20, question="Within how many days can customers return products?",
                   department="retail", model_arn=_HAIKU_ARN)
checks.expect(isinstance(_out, dict) and {"knowledge_base_id", "answer", "citations"} <= set(_out),
              "build_kb_and_ask should return {'knowledge_base_id': ..., 'answer': ..., 'citations': [...]}",
              found=_out)
with checks.step("reading your knowledge base back with get_knowledge_base"):
    _kb = _agent.get_knowledge_base(knowledgeBaseId=str(_out["knowledge_base_id"]))["knowledgeBase"]
checks.expect_in("14 days", str(_out["answer"]), "the retail answer should come from the retail handbook")
checks.expect_equal(_out["citations"], [f"s3://{_bucket}/handbook/retail-returns.txt"],
                    "only the retail returns document should be cited",
                    hint="filter with {'equals': {'key': 'department', 'value': department}}")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_vec = (_kb.get("knowledgeBaseConfiguration") or {}).get("vectorKnowledgeBaseConfiguration") or {}
checks.expect(str(_vec.get("embeddingModelArn")).endswith("amazon.titan-embed-text-v2:0"),
              "the knowledge base should embed with Titan Text Embeddings V2", found=_vec.get("embeddingModelArn"))
checks.expect_equal((_kb.get("storageConfiguration") or {}).get("type"), "S3_VECTORS",
                    "the vectors should be stored in S3 Vectors")
_dss = _agent.list_data_sources(knowledgeBaseId=_kb["knowledgeBaseId"])["dataSourceSummaries"]
checks.expect_equal(len(_dss), 1, "one data source")
_ds = _agent.get_data_source(knowledgeBaseId=_kb["knowledgeBaseId"], dataSourceId=_dss[0]["dataSourceId"])["dataSource"]
checks.expect_equal(_ds["dataSourceConfiguration"]["s3Configuration"].get("inclusionPrefixes"), ["handbook/"],
                    "the data source should be limited to the prefix")
_want_chunking = {"fixedSizeChunkingConfiguration": {"maxTokens": 100, "overlapPercentage": 20}, "chunkingStrategy": "FIXED_SIZE"}
checks.expect_equal(_ds["vectorIngestionConfiguration"]["chunkingConfiguration"], _want_chunking,
                    "chunking should be FIXED_SIZE with the given size and overlap")
_jobs = _agent.list_ingestion_jobs(knowledgeBaseId=_kb["knowledgeBaseId"], dataSourceId=_ds["dataSourceId"])
checks.expect_equal([j["status"] for j in _jobs["ingestionJobSummaries"]], ["COMPLETE"], "one completed ingestion job")
checks.expect(len(_sv.list_vectors(vectorBucketName=f"kb-vec-{_tag}", indexName="kb-index")["vectors"]) == 3,
              "the three handbook files (not the archive) should be embedded into the S3 Vectors index")
# Another department, other names, other chunking: the filter decides the answer.
_tag2 = uuid.uuid4().hex[:8]
_files2 = {
    f"policies-{_tag2}/eng-laptops.md": ("Engineers receive a new laptop every three years. The laptop budget is "
                                         "2500 euros.", "engineering"),
    f"policies-{_tag2}/sales-laptops.md": ("Sales staff receive a new laptop every four years. The laptop budget "
                                           "is 1200 euros.", "sales"),
    f"policies-{_tag2}/eng-oncall.md": ("Engineers on call are paid 300 euros per week.", "engineering"),
}
_bucket2, _vba2 = _kb_fixture(_files2, _tag2)
_out2 = checks.call(build_kb_and_ask, _agent, _ar, name=f"it-{_tag2}", role_arn="arn:aws:iam::123456789012:role/kb",
                    bucket=_bucket2, prefix=f"policies-{_tag2}/", vector_bucket_arn=_vba2, index_name="kb-index",
                    max_tokens=50, overlap_percentage=10, question="How often do staff receive a new laptop?",
                    department="sales", model_arn=_HAIKU_ARN)
checks.expect_in("four years", _out2["answer"], "the sales answer should come from the sales policy")
checks.expect_equal(_out2["citations"], [f"s3://{_bucket2}/policies-{_tag2}/sales-laptops.md"],
                    "only the sales document should be cited")
_vsc = (_rag_requests[-1].get("retrieveAndGenerateConfiguration", {}).get("knowledgeBaseConfiguration", {})
        .get("retrievalConfiguration", {}).get("vectorSearchConfiguration", {}))
_filter = _vsc.get("filter")
checks.expect(isinstance(_filter, dict) and bool(_filter),
              "retrieval should be restricted with a metadata filter on department, not by rewording the question",
              found=_filter, hint="filter with {'equals': {'key': 'department', 'value': department}}")
# Any filter form will do ("equals", "in", ...) if it keeps only the department's documents,
# even for a question another department's document answers best.
with checks.step("retrieving with your metadata filter"):
    _hits = _ar.retrieve(knowledgeBaseId=_out2["knowledge_base_id"],
                         retrievalQuery={"text": "How much are engineers on call paid per week?"},
                         retrievalConfiguration={"vectorSearchConfiguration": {"numberOfResults": 5,
                                                                               "filter": _filter}})
_hit_uris = sorted({h["location"]["s3Location"]["uri"] for h in _hits["retrievalResults"]})
checks.expect_equal(_hit_uris, [f"s3://{_bucket2}/policies-{_tag2}/sales-laptops.md"],
                    "your filter should let through only the department's documents, whatever the question")
checks.expect_equal(_rag_requests[-1].get("input"), {"text": "How often do staff receive a new laptop?"},
                    "the question should be sent unchanged")
_kb2 = _agent.get_knowledge_base(knowledgeBaseId=_out2["knowledge_base_id"])["knowledgeBase"]
checks.expect_equal(_kb2["name"], f"it-{_tag2}", "the knowledge base should have the requested name")
_ds2 = _agent.list_data_sources(knowledgeBaseId=_kb2["knowledgeBaseId"])["dataSourceSummaries"][0]
_cfg2 = _agent.get_data_source(knowledgeBaseId=_kb2["knowledgeBaseId"], dataSourceId=_ds2["dataSourceId"])
checks.expect_equal(_cfg2["dataSource"]["vectorIngestionConfiguration"]["chunkingConfiguration"]
                    ["fixedSizeChunkingConfiguration"], {"maxTokens": 50, "overlapPercentage": 10},
                    "chunk size and overlap should follow the arguments")
# An ingestion job that ends FAILED: this client reports the job in progress, then failed.
_failing_agent = aws.client("bedrock-agent")
_polls = []


def _report_failed(parsed, **kwargs):
    _polls.append(1)
    job = parsed.get("ingestionJob")
    if isinstance(job, dict):
        job["status"] = "IN_PROGRESS" if len(_polls) == 1 else "FAILED"
        if len(_polls) > 1:
            job["failureReasons"] = ["The knowledge base role is not allowed to read the bucket."]
    if len(_polls) > 30:
        checks.fail("polling should stop when the ingestion job ends FAILED", "RuntimeError raised",
                    f"{len(_polls)} calls of get_ingestion_job", "raise RuntimeError when the status is FAILED")


_failing_agent.meta.events.register("after-call.bedrock-agent.GetIngestionJob", _report_failed)
_tag3 = uuid.uuid4().hex[:8]
_bucket3, _vba3 = _kb_fixture({"docs/a.txt": ("Travel must be booked through the portal.", "travel")}, _tag3)
_asked = len(_rag_requests)
_raised = "no error"
_began = time.monotonic()
try:
    build_kb_and_ask(_failing_agent, _ar, name=f"fail-{_tag3}", role_arn="arn:aws:iam::123456789012:role/kb",
                     bucket=_bucket3, prefix="docs/", vector_bucket_arn=_vba3, index_name="kb-index", max_tokens=60,
                     overlap_percentage=10, question="How is travel booked?", department="travel",
                     model_arn=_HAIKU_ARN, poll_seconds=0.3)
except RuntimeError:
    _raised = None
except checks.CheckFailed:
    raise
except Exception as _exc:  # noqa: BLE001
    _raised = f"{type(_exc).__name__}: {_exc}"
checks.expect(_raised is None, "an ingestion job that ends FAILED should raise RuntimeError",
              expected="RuntimeError", found=_raised, hint="poll get_ingestion_job; on status FAILED raise RuntimeError")
checks.expect(len(_polls) >= 2, "keep polling get_ingestion_job while the job is still in progress",
              found=f"{len(_polls)} call(s)")
checks.expect(time.monotonic() - _began >= 0.3, "wait poll_seconds between two polls of get_ingestion_job",
              found=f"{time.monotonic() - _began:.2f} s for a job that stayed in progress over one poll",
              hint="time.sleep(poll_seconds) before polling again")
checks.expect_equal(len(_rag_requests), _asked, "after a failed ingestion, the knowledge base should not be queried")
### END HIDDEN TESTS

# %% [markdown]
# # Part 3 — Agents and tools

# %% [markdown]
# ## Agents: tool use, Bedrock Agents and Amazon Bedrock AgentCore <a id="agentcore"></a>
#
# **Tool use (function calling)** is the base of every agent. You describe tools (name,
# description, JSON schema) in `toolConfig`; when the model wants one it stops with
# `stopReason: "tool_use"` and a `toolUse` block; **your code** runs the tool and sends a
# `toolResult` in the next user turn; you loop until `end_turn`, with an iteration limit.
#
# **Amazon Bedrock Agents** is the configure-only option: instructions, **action groups**
# (an OpenAPI schema or function definitions, run by a Lambda function or returned to your
# application with *return of control*), attached knowledge bases, versions and aliases,
# multi-agent collaboration (a supervisor agent with sub-agents), traces of each reasoning step.
# You call an alias with `InvokeAgent`.
#
# **Amazon Bedrock AgentCore** (generally available since October 2025) runs agents you write
# in **any framework** (Strands Agents, LangGraph, CrewAI...) with **any model**, as modular
# services:
#
# | Service | What it gives the agent |
# |---|---|
# | Runtime | serverless hosting with isolated sessions and long-running tasks |
# | Memory | short-term (session) and long-term memory (extracted facts, preferences, summaries) |
# | Gateway | turns APIs, Lambda functions and existing services into MCP tools |
# | Identity | inbound authentication and outbound credentials (OAuth, API keys) for tools |
# | Code Interpreter | a sandbox to run code safely |
# | Browser | a managed cloud browser for web tasks |
# | Observability | traces, metrics and dashboards (OpenTelemetry, CloudWatch) |
#
# *Note:* the notes describe AgentCore only as a platform for "chaining tasks". It is the
# production platform for agents built with any framework, made of the services above.
#
# **Exam tip:** "agent built with LangGraph/Strands must run securely at scale" → AgentCore
# Runtime. "Expose internal APIs as MCP tools" → AgentCore Gateway. "Agent must remember user
# preferences across sessions" → AgentCore Memory. "No-code agent with Lambda actions" →
# Bedrock Agents.

# %%
quiz.show("bedrock", "agentcore")

# %% [markdown]
# ### Exercise 6 — a Converse tool-use loop (3 points)
#
# Write `run_tool_loop(runtime, model_id, question, tool_specs, tool_functions,
# max_iterations=5)`. `tool_specs` is the list for `toolConfig={"tools": tool_specs}` and
# `tool_functions` maps each tool name to a Python function called with the tool input as
# keyword arguments.
#
# 1. Start the conversation with the question as a user message; call `converse` with the tools.
# 2. Append every assistant message to the conversation. While `stopReason` is `"tool_use"`,
#    run **every** `toolUse` block of the message and answer them all in **one** user message of
#    `toolResult` blocks (same `toolUseId`; a dict result goes in as `{"json": result}`, anything
#    else as `{"text": str(result)}`; if the function raises, send `{"text": str(error)}` with
#    `"status": "error"`), then call the model again.
# 3. When the model stops for any other reason, return `{"answer": <text of the final message>,
#    "tool_calls": [{"name": ..., "input": ...}, ...], "iterations": <number of converse calls>}`.
# 4. Never call `converse` more than `max_iterations` times; if there is still no final answer,
#    raise `RuntimeError`.

# %%
ORDER_TOOL = {"toolSpec": {
    "name": "get_order_status",
    "description": "Look up the shipping status of a customer order by its order id.",
    "inputSchema": {"json": {"type": "object",
                             "properties": {"order_id": {"type": "string", "description": "such as A-1001"}},
                             "required": ["order_id"]}},
}}


def get_order_status(order_id):
    """A stand-in for the order system."""
    return {"order_id": order_id, "status": "shipped", "carrier": "DHL"}


# %% kind="solution" grade_id="tool-loop"
def run_tool_loop(runtime, model_id, question, tool_specs, tool_functions, max_iterations=5):
    """Let the model call local Python tools through Converse until it gives a final answer."""
    ### BEGIN SOLUTION
    messages = [{"role": "user", "content": [{"text": question}]}]
    calls = []
    for iteration in range(1, max_iterations + 1):
        response = runtime.converse(modelId=model_id, messages=messages, toolConfig={"tools": tool_specs})
        message = response["output"]["message"]
        messages.append(message)
        if response["stopReason"] != "tool_use":
            text = "".join(block.get("text", "") for block in message["content"])
            return {"answer": text, "tool_calls": calls, "iterations": iteration}
        results = []
        for block in message["content"]:
            if "toolUse" not in block:
                continue
            use = block["toolUse"]
            calls.append({"name": use["name"], "input": use["input"]})
            try:
                value = tool_functions[use["name"]](**use["input"])
                content = [{"json": value}] if isinstance(value, dict) else [{"text": str(value)}]
                results.append({"toolResult": {"toolUseId": use["toolUseId"], "content": content}})
            except Exception as error:  # the model should hear about the failure
                results.append({"toolResult": {"toolUseId": use["toolUseId"], "content": [{"text": str(error)}],
                                               "status": "error"}})
        messages.append({"role": "user", "content": results})
    raise RuntimeError(f"no final answer after {max_iterations} model calls")
    ### END SOLUTION


# %% kind="tests" grade_id="tool-loop-tests" points=3
"""Does run_tool_loop run the requested tools, feed results back, stop at end_turn and respect the limit?"""
import random
import uuid

_rt = aws.client("bedrock-runtime")
_seen = []


def _order_tool(order_id):
    _seen.append(order_id)
    return {"order_id": order_id, "status": "delayed", "eta_days": 3}


_res = checks.call(run_tool_loop, _rt, "anthropic.claude-3-haiku-20240307-v1:0", 'Where is my order "A-1001"?',
                   [ORDER_TOOL], {"get_order_status": _order_tool})
checks.expect_type(_res, dict, "run_tool_loop should return a dict")
checks.expect_equal(_seen, ["A-1001"], "the local tool should be called once with the order id")
checks.expect_equal(_res.get("tool_calls"), [{"name": "get_order_status", "input": {"order_id": "A-1001"}}],
                    "tool_calls should list the calls the model asked for")
checks.expect("delayed" in _res.get("answer", ""), "the final answer should use the tool result", found=_res.get("answer"))
checks.expect_equal(_res.get("iterations"), 2, "one tool round trip = two converse calls")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
import copy

# A currency tool with a value only known at test time.
_rate = round(random.uniform(100, 200), 3)
_fx_properties = {"amount": {"type": "number"}, "currency": {"type": "string", "enum": ["EUR", "JPY", "GBP"]}}
_fx = {"toolSpec": {"name": "convert_currency",
                    "description": "Convert an amount of money into another currency using today's exchange rate.",
                    "inputSchema": {"json": {"required": ["amount", "currency"], "properties": _fx_properties,
                                             "type": "object"}}}}
_fx_calls = []


def _convert(amount, currency):
    _fx_calls.append((amount, currency))
    return f"{amount} USD is {round(amount * _rate, 2)} {currency}"


_loop_requests = []
_rt.meta.events.register("provide-client-params.bedrock-runtime.Converse",
                         lambda params, **kw: _loop_requests.append(copy.deepcopy(params)))


def _tool_results():
    """The toolResult blocks of the last Converse request the simulator received."""
    messages = (_loop_requests[-1].get("messages") or []) if _loop_requests else []
    return [b["toolResult"] for m in messages if isinstance(m, dict) for b in m.get("content") or []
            if isinstance(b, dict) and isinstance(b.get("toolResult"), dict)]


_res2 = checks.call(run_tool_loop, _rt, "amazon.nova-pro-v1:0", "Please convert 250 dollars to JPY currency.",
                    [ORDER_TOOL, _fx], {"get_order_status": _order_tool, "convert_currency": _convert})
checks.expect_equal(_fx_calls, [(250, "JPY")], "the currency tool should be called with the model's input")
checks.expect_in(str(round(250 * _rate, 2)), _res2["answer"], "a text tool result should reach the model")
checks.expect_equal([r.get("content") for r in _tool_results()], [[{"text": _convert(250, "JPY")}]],
                    "a result that is not a dict goes back as a text block", 'content=[{"text": str(result)}]')
_res5 = checks.call(run_tool_loop, _rt, "anthropic.claude-3-haiku-20240307-v1:0", 'Where is order "C-3003"?',
                    [ORDER_TOOL], {"get_order_status": _order_tool})
checks.expect_equal([r.get("content") for r in _tool_results()], [[{"json": _order_tool("C-3003")}]],
                    "a dict result goes back as a json block", 'content=[{"json": result}]')
# No tool needed: one call, no tool calls.
_res3 = checks.call(run_tool_loop, _rt, "anthropic.claude-3-haiku-20240307-v1:0", "Write a short poem about autumn",
                    [ORDER_TOOL], {"get_order_status": _order_tool})
checks.expect_equal((_res3["iterations"], _res3["tool_calls"]), (1, []), "no tool use means one call and no tool calls")
# A failing tool is reported to the model with status error.
_res4 = checks.call(run_tool_loop, _rt, "anthropic.claude-3-haiku-20240307-v1:0", 'Status of order "Z-9"?',
                    [ORDER_TOOL], {"get_order_status": lambda order_id: 1 / 0})
checks.expect_in("error", _res4["answer"], "a tool exception should go back as a toolResult with status 'error'")


class _AlwaysTool:
    """A fake client whose model asks for two tools on every turn and never finishes."""

    def __init__(self):
        self.calls = 0
        self.requests = []
        self.issued = []

    def converse(self, **kwargs):
        self.calls += 1
        self.requests.append(copy.deepcopy(kwargs))
        uid = uuid.uuid4().hex[:8]
        self.issued.append(sorted([f"a{uid}", f"b{uid}"]))
        return {"output": {"message": {"role": "assistant", "content": [
            {"text": "checking"},
            {"toolUse": {"toolUseId": f"a{uid}", "name": "get_order_status", "input": {"order_id": "A-1"}}},
            {"toolUse": {"toolUseId": f"b{uid}", "name": "get_order_status", "input": {"order_id": "B-2"}}}]}},
            "stopReason": "tool_use", "usage": {"inputTokens": 1, "outputTokens": 1, "totalTokens": 2}}


_fake = _AlwaysTool()
_limit = random.randint(2, 4)
_raised = "a return value"
try:
    run_tool_loop(_fake, "m", "loop forever", [ORDER_TOOL], {"get_order_status": _order_tool}, max_iterations=_limit)
except RuntimeError:
    _raised = None
except Exception as _exc:  # noqa: BLE001
    _raised = f"{type(_exc).__name__}: {_exc}"
checks.expect(_raised is None, "a model that never stops must end in RuntimeError", expected="RuntimeError",
              found=_raised, hint="after max_iterations converse calls without a final answer, raise RuntimeError")
checks.expect_equal(_fake.calls, _limit, "converse must be called at most max_iterations times")
_last = (_fake.requests[-1].get("messages") or [None])[-1] if _fake.requests else None
_last = _last if isinstance(_last, dict) else {}
_results = sorted(b["toolResult"].get("toolUseId") for b in _last.get("content") or []
                  if isinstance(b, dict) and isinstance(b.get("toolResult"), dict))
checks.expect(_results == _fake.issued[-2] and _last.get("role") == "user",
              "both toolUse blocks should be answered in one user message of toolResult blocks, with their toolUseIds",
              expected=_fake.issued[-2], found=_last)
### END HIDDEN TESTS

# %% [markdown]
# # Part 4 — Safety and operations

# %% [markdown]
# ## Amazon Bedrock Guardrails <a id="guardrails"></a>
#
# **What it is.** Configurable safeguards checked on the user's input and on the model's
# output, independent of the model. Policies:
#
# | Policy | Catches | Action |
# |---|---|---|
# | Content filters | hate, insults, sexual, violence, misconduct, **prompt attack** (jailbreak/injection), text and images | strength NONE/LOW/MEDIUM/HIGH per direction |
# | Denied topics | subjects you define in plain language, with examples (e.g. investment advice) | block |
# | Word filters | your words/phrases, managed profanity list | block |
# | Sensitive information | PII types (EMAIL, PHONE, ...), your regexes | BLOCK, or ANONYMIZE (mask as `{EMAIL}`) |
# | Contextual grounding check | answers not supported by the source (grounding) or off the question (relevance) | block below a threshold |
# | Automated Reasoning checks | claims that break rules formalised from your policy documents | detect only: findings (valid, invalid...) with the rules involved; your application rewrites or withholds the answer |
#
# **How to apply.** Pass `guardrailConfig` (id + version, optional trace) to Converse or the
# guardrail headers to InvokeModel; attach it to an agent or a knowledge-base query; or call
# **`ApplyGuardrail`** on any text, for example before a costly retrieval or for a model hosted
# outside Bedrock. In Converse, wrap only the user's text in a `guardContent` block so that
# trusted retrieved context is not judged as user input. Work on the `DRAFT`, publish numbered
# versions, and point production at a version. Intervention shows as
# `stopReason: guardrail_intervened` (Converse) or `action: GUARDRAIL_INTERVENED` (ApplyGuardrail).
#
# **Streaming.** With `ConverseStream` or `InvokeModelWithResponseStream` a guardrail works in
# *synchronous* mode by default: it buffers and scans chunks before they reach the user, which
# adds latency. *Asynchronous* mode (`streamProcessingMode`) sends chunks at once and scans in
# the background, blocking later chunks once it finds harm; it cannot mask sensitive
# information. **Detect first:** a policy's action can be `NONE`, which only reports detections
# in the trace, so you can tune a guardrail on live traffic before it blocks anything.
#
# **Exam tip:** "mask PII in responses" → sensitive-information filter with ANONYMIZE.
# "Reduce hallucinations in RAG answers" → contextual grounding check. "Stop jailbreaks" →
# prompt-attack filter. "Same policy for a SageMaker-hosted model" → ApplyGuardrail.

# %%
quiz.show("bedrock", "guardrails")

# %% [markdown]
# ### Exercise 7 — a guardrail for a customer-support bot (3 points)
#
# The bank's support bot must never give investment advice, and must not show customers'
# e-mail addresses or phone numbers, but it should still answer (masked) rather than refuse.
# Write `create_support_guardrail(bedrock, name, blocked_message)` that creates a guardrail
# named `name` with:
#
# - the denied topic `INVESTMENT_TOPIC` below (use it as given);
# - PII filters for `EMAIL` and `PHONE` that **anonymize**;
# - `blocked_message` as both the blocked-input and blocked-output message;
#
# then publishes a version and returns `{"guardrail_id": ..., "version": <the published
# version>}`.

# %%
INVESTMENT_TOPIC = {
    "name": "Investment advice",
    "definition": "Recommendations about which stocks, bonds, funds or other investments to buy, sell or hold.",
    "examples": ["Which stocks should I buy?", "Is now a good time to invest in bonds?",
                 "Should I move my savings into an index fund?"],
    "type": "DENY",
}

# %% kind="solution" grade_id="guardrail-create"
def create_support_guardrail(bedrock, name, blocked_message):
    """Create and version a guardrail that denies investment advice and masks e-mails and phone numbers."""
    ### BEGIN SOLUTION
    created = bedrock.create_guardrail(
        name=name,
        description="Support bot: no investment advice, mask contact details",
        topicPolicyConfig={"topicsConfig": [INVESTMENT_TOPIC]},
        sensitiveInformationPolicyConfig={"piiEntitiesConfig": [
            {"type": "EMAIL", "action": "ANONYMIZE"},
            {"type": "PHONE", "action": "ANONYMIZE"},
        ]},
        blockedInputMessaging=blocked_message,
        blockedOutputsMessaging=blocked_message,
    )
    version = bedrock.create_guardrail_version(guardrailIdentifier=created["guardrailId"],
                                               description="first release")["version"]
    return {"guardrail_id": created["guardrailId"], "version": version}
    ### END SOLUTION


# %% kind="tests" grade_id="guardrail-create-tests" points=3
"""Does the published guardrail block investment advice and anonymize e-mails and phone numbers?"""
import uuid

_br, _rt = aws.client("bedrock"), aws.client("bedrock-runtime")
_msg = f"Sorry, I can't help with that ({uuid.uuid4().hex[:4]})."
_g = checks.call(create_support_guardrail, _br, f"support-{uuid.uuid4().hex[:8]}", _msg)
checks.expect(isinstance(_g, dict) and {"guardrail_id", "version"} <= set(_g),
              "create_support_guardrail should return {'guardrail_id': ..., 'version': ...}", found=_g)
checks.expect(isinstance(_g["version"], str) and _g["version"].isdigit(),
              "return a published (numbered) version, not DRAFT", found=_g["version"],
              hint="bedrock.create_guardrail_version(guardrailIdentifier=...)['version']")


def _apply(text, source="INPUT"):
    return _rt.apply_guardrail(guardrailIdentifier=_g["guardrail_id"], guardrailVersion=_g["version"], source=source,
                               content=[{"text": {"text": text}}])


_r1 = _apply("Which stocks should I buy this year?")
checks.expect_equal((_r1["action"], _r1["outputs"]), ("GUARDRAIL_INTERVENED", [{"text": _msg}]),
                    "an investment question should be blocked with your message")
_r2 = _apply("Write to ann@example.org or call 555-123-4567.", source="OUTPUT")
checks.expect_equal(_r2["outputs"], [{"text": "Write to {EMAIL} or call {PHONE}."}],
                    "e-mail and phone should be masked, not blocked", hint='action "ANONYMIZE" for EMAIL and PHONE')
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_v = _br.get_guardrail(guardrailIdentifier=_g["guardrail_id"], guardrailVersion=_g["version"])
checks.expect_equal([(t["name"], t["type"]) for t in _v["topicPolicy"]["topics"]], [("Investment advice", "DENY")],
                    "the published version should deny the investment-advice topic")
checks.expect_equal(sorted((p["type"], p["action"]) for p in _v["sensitiveInformationPolicy"]["piiEntities"]),
                    [("EMAIL", "ANONYMIZE"), ("PHONE", "ANONYMIZE")], "EMAIL and PHONE should be anonymized")
checks.expect_equal((_v["blockedInputMessaging"], _v["blockedOutputsMessaging"]), (_msg, _msg),
                    "both blocked messages should be the one given")
for _q in ["Is it a good time to invest in index funds?", "Which bonds should I buy for my retirement?"]:
    checks.expect_equal(_apply(_q)["action"], "GUARDRAIL_INTERVENED", f"'{_q}' should be blocked")
_r3 = _apply("My number is 555-987-6543, what are your opening hours?")
checks.expect_equal(_r3["outputs"], [{"text": "My number is {PHONE}, what are your opening hours?"}],
                    "a phone number in the input should be masked")
checks.expect_equal(_apply("What are your opening hours?")["action"], "NONE", "harmless questions should pass")
_name2 = f"support-{uuid.uuid4().hex[:8]}"
_g2 = checks.call(create_support_guardrail, _br, _name2, "Not available.")
_all = [x["name"] for x in _br.list_guardrails()["guardrails"]]
checks.expect_in(_name2, _all, "the guardrail should have the requested name")
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 8 — input check, then a guarded answer (3 points)
#
# Retrieval and generation cost money, so check the user's question first. Write
# `guarded_answer(runtime, guardrail_id, guardrail_version, model_id, question, context)`:
#
# 1. run `apply_guardrail` on the question (`source="INPUT"`). If the guardrail intervenes,
#    do **not** call the model: return `{"text": <the guardrail's output text>, "stage":
#    "input"}`;
# 2. otherwise call `converse` with the guardrail (`guardrailConfig` with id, version and
#    `"trace": "enabled"`), the system prompt "Answer from the context only.", and one user
#    message holding the context as `<context>...</context>` text and the question in a
#    **`guardContent`** block (so only the question is judged as user input);
# 3. return `{"text": <answer text>, "stage": "output"}` if the response's `stopReason` is
#    `guardrail_intervened`, else `{"text": <answer text>, "stage": None}`.

# %% kind="solution" grade_id="guarded-answer"
def guarded_answer(runtime, guardrail_id, guardrail_version, model_id, question, context):
    """Screen the question with ApplyGuardrail, then answer with Converse under the same guardrail."""
    ### BEGIN SOLUTION
    check = runtime.apply_guardrail(guardrailIdentifier=guardrail_id, guardrailVersion=guardrail_version,
                                    source="INPUT", content=[{"text": {"text": question}}])
    if check["action"] == "GUARDRAIL_INTERVENED":
        return {"text": " ".join(o["text"] for o in check.get("outputs", [])), "stage": "input"}
    response = runtime.converse(
        modelId=model_id,
        system=[{"text": "Answer from the context only."}],
        messages=[{"role": "user", "content": [
            {"text": f"<context>{context}</context>"},
            {"guardContent": {"text": {"text": question}}},
        ]}],
        guardrailConfig={"guardrailIdentifier": guardrail_id, "guardrailVersion": guardrail_version,
                         "trace": "enabled"},
    )
    text = "".join(block.get("text", "") for block in response["output"]["message"]["content"])
    stage = "output" if response["stopReason"] == "guardrail_intervened" else None
    return {"text": text, "stage": stage}
    ### END SOLUTION


# %% kind="tests" grade_id="guarded-answer-tests" points=3
"""Does guarded_answer stop blocked questions before the model and mask PII in answers?"""
import uuid

_br, _rt = aws.client("bedrock"), aws.client("bedrock-runtime")
_gid = _br.create_guardrail(
    name=f"ga-{uuid.uuid4().hex[:8]}", blockedInputMessaging="Blocked question.", blockedOutputsMessaging="Blocked answer.",
    topicPolicyConfig={"topicsConfig": [INVESTMENT_TOPIC]},
    sensitiveInformationPolicyConfig={"piiEntitiesConfig": [{"type": "PHONE", "action": "ANONYMIZE"},
                                                            {"type": "EMAIL", "action": "ANONYMIZE"}]},
)["guardrailId"]
_ver = _br.create_guardrail_version(guardrailIdentifier=_gid)["version"]
_converse_calls = []
_rt.meta.events.register("provide-client-params.bedrock-runtime.Converse",
                      lambda params, **kw: _converse_calls.append(params))
_NOVA = "amazon.nova-lite-v1:0"
_r1 = checks.call(guarded_answer, _rt, _gid, _ver, _NOVA, "Which stocks should I buy?", "Our fund grew 8 percent.")
checks.expect_equal(_r1, {"text": "Blocked question.", "stage": "input"}, "a denied topic should be stopped at input")
checks.expect_equal(len(_converse_calls), 0, "the model must not be called for a blocked question")
_r2 = checks.call(guarded_answer, _rt, _gid, _ver, _NOVA, "When is breakfast served?",
                  "Breakfast is served from 7 am. Dinner starts at 6 pm.")
checks.expect_equal(_r2, {"text": "Breakfast is served from 7 am.", "stage": None}, "a normal question gets an answer")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_r3 = checks.call(guarded_answer, _rt, _gid, _ver, _NOVA, "How can I reach the night desk after 10 pm?",
                  "The night desk can be reached on 555-010-7788 after 10 pm. Parking is free.")
checks.expect_equal(_r3, {"text": "The night desk can be reached on {PHONE} after 10 pm.", "stage": "output"},
                    "a phone number in the answer should be masked and reported as an output intervention")
_last = _converse_calls[-1]
checks.expect_equal(_last.get("guardrailConfig", {}).get("guardrailIdentifier"), _gid,
                    "converse should be called with the guardrail")
checks.expect_equal(_last.get("guardrailConfig", {}).get("guardrailVersion"), _ver, "and with its version")
checks.expect_equal(_last.get("guardrailConfig", {}).get("trace"), "enabled", "trace should be enabled")
_blocks = _last["messages"][-1]["content"]
checks.expect(any(b.get("guardContent", {}).get("text", {}).get("text") == "How can I reach the night desk after 10 pm?"
                  for b in _blocks), "the question should be sent in a guardContent block", found=_blocks)
checks.expect(_last.get("system") == [{"text": "Answer from the context only."}], "use the given system prompt")
_n = len(_converse_calls)
_r4 = checks.call(guarded_answer, _rt, _gid, _ver, _NOVA, "Is now a good time to invest in bonds?",
                  "Bonds pay 3 percent.")
checks.expect_equal((_r4["stage"], len(_converse_calls)), ("input", _n), "another denied question stops at input")
### END HIDDEN TESTS

# %% [markdown]
# ## Model invocation logging and monitoring <a id="invocation-logging"></a>
#
# **What it is.** An account-level, per-Region Bedrock setting, **off by default**, that records
# every `InvokeModel`/`Converse` call: request id, model id, identity, input and output token
# counts and, if you enable them, the full request and response bodies (text, image and
# embedding data are separate switches). Destinations: **CloudWatch Logs** (a log group, and a
# service role Bedrock assumes to write to it; bodies over 100 KB go to an S3 bucket you name)
# and/or **S3** (gzipped JSON under `AWSLogs/<account>/BedrockModelInvocationLogs/...`; the
# bucket policy must let `bedrock.amazonaws.com` write, ideally with an `aws:SourceAccount`
# condition).
#
# **Protect the logs.** Prompts and responses may contain personal data: encrypt the log group
# with a customer managed KMS key (its key policy must allow the `logs.<region>.amazonaws.com`
# service principal), use SSE-KMS on the bucket, set retention, restrict read access. Mask PII
# with Guardrails before it is logged, or leave bodies out. When some people must read the logs
# without the personal data and others (compliance) must see everything, add a CloudWatch Logs
# **data protection policy** to the log group: it masks the chosen data types for every reader,
# and only principals allowed `logs:Unmask` see the original values.
#
# | Question | Where to look |
# |---|---|
# | Who changed a guardrail or called `CreateModelInvocationJob`? | CloudTrail |
# | Which prompt produced this bad answer? | invocation logs (bodies enabled), Logs Insights |
# | Invocations, latency, throttles, token counts per model | CloudWatch `AWS/Bedrock` metrics — see the [governance notebook](../governance/governance.ipynb#cloudwatch) |
#
# **Exam tip:** "audit the exact prompts and responses" → model invocation logging (not
# CloudTrail, which records API calls without bodies). "Logs must be encrypted with our key" →
# KMS key on the log group and SSE-KMS on the bucket.

# %%
quiz.show("bedrock", "invocation-logging")

# %% [markdown]
# ### Exercise 9 — invocation logging to S3 and CloudWatch Logs with a KMS key (3 points)
#
# Write `enable_invocation_logging(bedrock, logs, s3, kms, *, log_group, bucket, key_prefix,
# role_arn, region="us-east-1", account_id="123456789012")` that returns the ARN of a new KMS key
# after it has:
#
# 1. created a customer managed KMS key whose key policy gives the account root full access and
#    lets the service principal `logs.<region>.amazonaws.com` use the key (`kms:Encrypt*`,
#    `kms:Decrypt*`, `kms:ReEncrypt*`, `kms:GenerateDataKey*`, `kms:Describe*`), with automatic
#    key rotation enabled;
# 2. created the log group `log_group` encrypted with that key, with a 90-day retention;
# 3. created the bucket `bucket` with default SSE-KMS encryption under that key and a bucket
#    policy that lets `bedrock.amazonaws.com` `s3:PutObject` under `<key_prefix>/AWSLogs/<account_id>/`
#    on condition `aws:SourceAccount` = `account_id`;
# 4. turned on invocation logging to **both** destinations (CloudWatch Logs with `role_arn`, S3
#    with `key_prefix`) with text bodies delivered (`textDataDeliveryEnabled`).

# %% kind="solution" grade_id="invocation-logging"
def enable_invocation_logging(bedrock, logs, s3, kms, *, log_group, bucket, key_prefix, role_arn,
                              region="us-east-1", account_id="123456789012"):
    """Send Bedrock invocation logs to an encrypted log group and an encrypted bucket; return the KMS key ARN."""
    ### BEGIN SOLUTION
    key_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "AccountAdmin", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
             "Action": "kms:*", "Resource": "*"},
            {"Sid": "CloudWatchLogs", "Effect": "Allow", "Principal": {"Service": f"logs.{region}.amazonaws.com"},
             "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
             "Resource": "*",
             "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn":
                                       f"arn:aws:logs:{region}:{account_id}:log-group:{log_group}"}}},
        ],
    }
    key_arn = kms.create_key(Description="Bedrock invocation logs", Policy=json.dumps(key_policy))["KeyMetadata"]["Arn"]
    kms.enable_key_rotation(KeyId=key_arn)

    logs.create_log_group(logGroupName=log_group, kmsKeyId=key_arn)
    logs.put_retention_policy(logGroupName=log_group, retentionInDays=90)

    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [{
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn},
        "BucketKeyEnabled": True}]})
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "BedrockLogsWrite", "Effect": "Allow", "Principal": {"Service": "bedrock.amazonaws.com"},
            "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{bucket}/{key_prefix}/AWSLogs/{account_id}/*",
            "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
        }],
    }))
    bedrock.put_model_invocation_logging_configuration(loggingConfig={
        "cloudWatchConfig": {"logGroupName": log_group, "roleArn": role_arn,
                             "largeDataDeliveryS3Config": {"bucketName": bucket, "keyPrefix": f"{key_prefix}-large"}},
        "s3Config": {"bucketName": bucket, "keyPrefix": key_prefix},
        "textDataDeliveryEnabled": True,
        "imageDataDeliveryEnabled": False,
        "embeddingDataDeliveryEnabled": False,
    })
    return key_arn
    ### END SOLUTION


# %% kind="tests" grade_id="invocation-logging-tests" points=3
"""Do invocation log records arrive in both destinations, encrypted with the new KMS key?"""
import fnmatch
import gzip
import json
import uuid

_br, _rt, _logs, _s3, _kms = (aws.client(s) for s in ("bedrock", "bedrock-runtime", "logs", "s3", "kms"))
_tag = uuid.uuid4().hex[:8]
_group, _bucket, _prefix = f"/genai/bedrock/{_tag}", f"bedrock-logs-{_tag}", f"invocations-{_tag}"
_key = checks.call(enable_invocation_logging, _br, _logs, _s3, _kms, log_group=_group, bucket=_bucket,
                   key_prefix=_prefix, role_arn="arn:aws:iam::123456789012:role/bedrock-logging")
checks.expect(isinstance(_key, str) and _key.startswith("arn:aws:kms:"), "return the KMS key ARN", found=_key)
_rt.converse(modelId="amazon.nova-micro-v1:0", messages=[{"role": "user", "content": [{"text": f"Hello {_tag}"}]}])
with checks.step("reading the log stream aws/bedrock/modelinvocations"):
    _events = _logs.get_log_events(logGroupName=_group, logStreamName="aws/bedrock/modelinvocations")["events"]
checks.expect(len(_events) >= 1, "a log record should arrive in CloudWatch Logs after a Converse call")
_rec = json.loads(_events[-1]["message"])
checks.expect_equal(_rec["modelId"], "amazon.nova-micro-v1:0", "the record names the model")
_objs = _s3.list_objects_v2(Bucket=_bucket, Prefix=f"{_prefix}/AWSLogs/").get("Contents", [])
checks.expect(len(_objs) >= 1, "a gzipped record should arrive in S3 under <key_prefix>/AWSLogs/")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
checks.expect_in(_tag, json.dumps(_rec["input"].get("inputBodyJson", {})), "text bodies should be delivered")
_s3rec = json.loads(gzip.decompress(_s3.get_object(Bucket=_bucket, Key=_objs[-1]["Key"])["Body"].read()))
checks.expect_equal(_s3rec["operation"], "Converse", "the S3 record should be the Converse call")
_lg = [g for g in _logs.describe_log_groups(logGroupNamePrefix=_group)["logGroups"] if g["logGroupName"] == _group][0]
checks.expect_equal(_lg.get("kmsKeyId"), _key, "the log group should be encrypted with the new key")
checks.expect_equal(_lg.get("retentionInDays"), 90, "the log group should keep records for 90 days")
with checks.step(f"reading the default encryption of bucket {_bucket}"):
    _enc = _s3.get_bucket_encryption(Bucket=_bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
_default = _enc.get("ApplyServerSideEncryptionByDefault") or {}
checks.expect(_default.get("SSEAlgorithm") == "aws:kms" and _default.get("KMSMasterKeyID") in (_key, _key.split("/")[-1]),
              "the bucket should default to SSE-KMS with the new key", found=_default)


def _as_list(value):
    return value if isinstance(value, list) else [value]


def _conditions_hold(condition, context):
    for operator, pairs in (condition or {}).items():
        for key, values in (pairs or {}).items():
            got, wanted = context.get(key), [str(v) for v in _as_list(values)]
            if operator in ("StringEquals", "ArnEquals"):
                ok = got in wanted
            elif operator in ("StringLike", "ArnLike"):
                ok = got is not None and any(fnmatch.fnmatchcase(got, w) for w in wanted)
            else:
                ok = False  # an operator this check does not know: not counted as a grant
            if not ok:
                return False
    return True


def _grants(policy, principal, action, resource, context):
    """Does an Allow statement of `policy` give `principal` (kind, names) `action` on `resource` in `context`?"""
    if not isinstance(policy, dict) or policy.get("Version", "2012-10-17") not in ("2012-10-17", "2008-10-17"):
        return False
    kind, names = principal
    for st in _as_list(policy.get("Statement", [])):
        if not isinstance(st, dict) or st.get("Effect") != "Allow":
            continue
        who = st.get("Principal")
        if who != "*" and not (isinstance(who, dict) and set(names) & set(map(str, _as_list(who.get(kind, []))))):
            continue
        if not any(fnmatch.fnmatchcase(action.lower(), str(a).lower()) for a in _as_list(st.get("Action", []))):
            continue
        if not any(fnmatch.fnmatchcase(resource, str(r)) for r in _as_list(st.get("Resource", []))):
            continue
        if _conditions_hold(st.get("Condition"), context):
            return True
    return False


_account = "123456789012"
with checks.step(f"reading the policy of bucket {_bucket}"):
    _pol = json.loads(_s3.get_bucket_policy(Bucket=_bucket)["Policy"])
_bedrock = ("Service", ["bedrock.amazonaws.com"])
_log_object = f"arn:aws:s3:::{_bucket}/{_prefix}/AWSLogs/{_account}/us-east-1/2026/12/07/record.json.gz"
checks.expect(_grants(_pol, _bedrock, "s3:PutObject", _log_object, {"aws:SourceAccount": _account}),
              "the bucket policy should let bedrock.amazonaws.com s3:PutObject under <key_prefix>/AWSLogs/<account_id>/",
              found=_pol)
checks.expect(not _grants(_pol, _bedrock, "s3:PutObject", _log_object, {"aws:SourceAccount": "999999999999"}),
              "Bedrock may write only on behalf of your account", found=_pol,
              hint='"Condition": {"StringEquals": {"aws:SourceAccount": account_id}}')
checks.expect(not _grants(_pol, _bedrock, "s3:PutObject", f"arn:aws:s3:::{_bucket}/elsewhere/x.json",
                          {"aws:SourceAccount": _account}),
              "Bedrock should be able to write only under <key_prefix>/AWSLogs/<account_id>/", found=_pol)
with checks.step("reading the key policy of the new key"):
    _kp = json.loads(_kms.get_key_policy(KeyId=_key, PolicyName="default")["Policy"])
_root = ("AWS", [f"arn:aws:iam::{_account}:root", _account])
checks.expect(all(_grants(_kp, _root, a, _key, {}) for a in ("kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:Decrypt")),
              "the key policy should give the account root full access (kms:*)", found=_kp)
_logs_context = {"kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:us-east-1:{_account}:log-group:{_group}"}
_logs_principal = ("Service", ["logs.us-east-1.amazonaws.com"])
_missing = [a for a in ("kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey",
                        "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey")
            if not _grants(_kp, _logs_principal, a, _key, _logs_context)]
checks.expect(not _missing, "the key policy should let CloudWatch Logs (logs.<region>.amazonaws.com) use the key "
              "for your log group", expected="kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey*, "
              "kms:Describe*", found=f"not allowed: {_missing}")
checks.expect(_kms.get_key_rotation_status(KeyId=_key)["KeyRotationEnabled"], "automatic key rotation should be on")
_cfg = _br.get_model_invocation_logging_configuration().get("loggingConfig") or {}
checks.expect_equal(((_cfg.get("cloudWatchConfig") or {}).get("logGroupName"),
                     (_cfg.get("cloudWatchConfig") or {}).get("roleArn"), (_cfg.get("s3Config") or {}).get("bucketName")),
                    (_group, "arn:aws:iam::123456789012:role/bedrock-logging", _bucket),
                    "the logging configuration should name both destinations and the role")
### END HIDDEN TESTS

# %% [markdown]
# # Part 5 — Evaluating model output

# %% [markdown]
# ## Evaluating foundation models: ROUGE, BLEU, BERTScore and Bedrock Evaluations <a id="evaluation"></a>
#
# **Reference-based metrics** compare a generated text with a human-written reference:
#
# | Metric | Measures | Typical task | Blind spot |
# |---|---|---|---|
# | ROUGE-N (1, 2) | overlap of words / word pairs, recall-oriented (F1 often reported) | summarisation | synonyms and paraphrase score zero |
# | ROUGE-L | longest common subsequence (word order) | summarisation | same |
# | BLEU | n-gram precision (1–4) with a brevity penalty, on a corpus, 0–100 | translation | meaning, short references |
# | BERTScore | similarity of contextual embeddings, token by token | paraphrase-tolerant comparison | needs a model; less interpretable |
#
# Other checks: exact match / F1 for extractive QA, accuracy for classification, perplexity for
# language modelling, toxicity classifiers, and **human evaluation** (helpfulness, style,
# brand voice) for what metrics miss.
#
# **Amazon Bedrock Evaluations** runs model evaluation jobs: *automatic* (built-in datasets or
# your own JSONL prompt dataset in S3, up to 1,000 prompts per automatic job; accuracy,
# robustness, toxicity), *human* (a work team you bring, such as your own employees), and
# **LLM-as-a-judge** (a judge model scores correctness, completeness, faithfulness,
# harmfulness... and explains each score). **RAG evaluation** scores a knowledge base's
# retrieval (context relevance, coverage) and its generated answers. SageMaker Clarify's FMEval
# library offers the same kinds of metrics (see the
# [sagemaker notebook](../sagemaker/sagemaker.ipynb#clarify)).
#
# **A proof of concept is an evaluation.** To decide whether a generative AI idea is worth
# building, agree measurable success criteria first (quality score, latency, monthly cost),
# build a test set from real past cases, run the candidate models on it and score them (an
# LLM-as-a-judge job scales this), project the monthly cost from the measured token usage, and
# only then recommend go or no-go. Use on-demand inference for the test; capacity commitments
# and fine-tuning come later, if at all.
#
# **Exam tip:** "summary quality against references" → ROUGE. "Machine translation quality" →
# BLEU. "Meaning matters, wording may differ" → BERTScore or LLM-as-a-judge. "Compare two models
# on our prompts, at scale, with subjective criteria" → Bedrock Evaluations (LLM-as-a-judge or
# human).

# %%
quiz.show("bedrock", "evaluation")

# %% [markdown]
# ### Exercise 10 — ROUGE and BLEU for generated summaries (3 points)
#
# You compare summaries from several models against human references with two well-kept
# libraries: Google's `rouge-score` and `sacrebleu` (both run offline; `rouge-score`'s
# tokenizer needs no downloads). Write `evaluate_summaries(references, candidates)` where
# `references` is a list of reference summaries and `candidates` maps a model name to its list
# of summaries (same order). Return a pandas DataFrame indexed by model name with columns:
#
# - `rouge1`, `rouge2`, `rougeL`: the **mean F-measure** over the pairs, from
#   `rouge_scorer.RougeScorer([...], use_stemmer=True).score(reference, candidate)`;
# - `bleu`: `sacrebleu.corpus_bleu(candidate_list, [references]).score`;
#
# sorted by `rougeL`, best first.

# %%
import pandas as pd
import sacrebleu
from rouge_score import rouge_scorer

_demo = rouge_scorer.RougeScorer(["rouge1", "rougeL"], use_stemmer=True).score(
    "the model summarises the quarterly report", "the quarterly report is summarised by the model")
print(_demo)
print(sacrebleu.corpus_bleu(["the cat sat on the mat"], [["the cat is on the mat"]]))

# %% kind="solution" grade_id="eval-metrics"
def evaluate_summaries(references, candidates):
    """Mean ROUGE-1/2/L F-measure and corpus BLEU per model, best ROUGE-L first."""
    ### BEGIN SOLUTION
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    rows = {}
    for model, outputs in candidates.items():
        scores = [scorer.score(ref, out) for ref, out in zip(references, outputs)]
        rows[model] = {
            name: sum(s[name].fmeasure for s in scores) / len(scores) for name in ("rouge1", "rouge2", "rougeL")
        }
        rows[model]["bleu"] = sacrebleu.corpus_bleu(list(outputs), [list(references)]).score
    frame = pd.DataFrame.from_dict(rows, orient="index")[["rouge1", "rouge2", "rougeL", "bleu"]]
    return frame.sort_values("rougeL", ascending=False)
    ### END SOLUTION


# %% kind="tests" grade_id="eval-metrics-tests" points=3
"""Does evaluate_summaries compute mean ROUGE F-measures and corpus BLEU per model, best first?"""
import math
import random

import pandas as pd
import sacrebleu
from rouge_score import rouge_scorer

_refs = ["Revenue grew 12 percent and the board approved a new office.",
         "A faulty deploy caused a two hour outage that a rollback fixed."]
_cands = {
    "model-a": ["Revenue grew 12 percent. The board approved a new office.",
                "A two hour outage was caused by a faulty deploy and fixed by rollback."],
    "model-b": ["The company did well this quarter.", "There was an outage."],
}
_df = checks.call(evaluate_summaries, _refs, _cands)
checks.expect_type(_df, pd.DataFrame, "evaluate_summaries should return a pandas DataFrame")
checks.expect_equal(list(_df.index), ["model-a", "model-b"], "rows are models, best ROUGE-L first")
checks.expect_equal(list(_df.columns), ["rouge1", "rouge2", "rougeL", "bleu"], "columns rouge1, rouge2, rougeL, bleu")
_sc = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
_exp_r1 = sum(_sc.score(r, c)["rouge1"].fmeasure for r, c in zip(_refs, _cands["model-a"])) / 2
checks.expect(math.isclose(_df.loc["model-a", "rouge1"], _exp_r1, rel_tol=1e-9),
              "rouge1 should be the mean F-measure (use_stemmer=True)", expected=_exp_r1, found=_df.loc["model-a", "rouge1"])
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_r = random.Random()
_vocab = ["model", "data", "summary", "report", "cloud", "cost", "latency", "token", "prompt", "answer",
          "quality", "review", "user", "team", "models", "reports", "costs", "answered", "reviewing", "users"]
_refs2 = [" ".join(_r.choice(_vocab) for _ in range(_r.randint(8, 14))) for _ in range(4)]
_cands2 = {}
for _name in [f"m{i}-{_r.randint(0, 999)}" for i in range(3)]:
    _cands2[_name] = [" ".join(w if _r.random() < 0.6 else _r.choice(_vocab) for w in ref.split()) for ref in _refs2]
_df2 = checks.call(evaluate_summaries, _refs2, _cands2)
for _name, _outs in _cands2.items():
    _scores = [_sc.score(r, c) for r, c in zip(_refs2, _outs)]
    for _m in ("rouge1", "rouge2", "rougeL"):
        _e = sum(s[_m].fmeasure for s in _scores) / len(_scores)
        checks.expect(math.isclose(_df2.loc[_name, _m], _e, rel_tol=1e-9, abs_tol=1e-12),
                      f"{_m} for {_name} should be the mean F-measure", expected=_e, found=_df2.loc[_name, _m])
    _b = sacrebleu.corpus_bleu(_outs, [_refs2]).score
    checks.expect(math.isclose(_df2.loc[_name, "bleu"], _b, rel_tol=1e-9, abs_tol=1e-9),
                  f"bleu for {_name} should be sacrebleu's corpus BLEU", expected=_b, found=_df2.loc[_name, "bleu"])
checks.expect(list(_df2["rougeL"]) == sorted(_df2["rougeL"], reverse=True), "rows should be sorted by rougeL, best first")
### END HIDDEN TESTS

# %% [markdown]
# **Try it: score the simulator's summaries.** The simulated model "summarises" by keeping the
# first two sentences. Nova Micro gets the instruction as written; for the other model we cap
# the output at 12 tokens. The chart shows how the truncated summaries lose on every metric, and
# that BLEU (precision of 1–4-grams) punishes them harder than ROUGE-1.

# %%
_articles = [
    "The city council approved a new bike lane network. Construction starts in May. "
    "The project costs 4 million euros and takes two years.",
    "The support team cut response times by half. A new triage bot routes tickets. "
    "Customer satisfaction rose to 92 percent.",
    "Heavy rain flooded the main road on Tuesday. Two bridges were closed. Crews reopened them by Friday.",
]
_references = [
    "The council approved a bike lane network. Construction starts in May.",
    "The support team halved response times. A triage bot routes tickets.",
    "Heavy rain flooded the main road. Two bridges were closed until Friday.",
]
_summaries = {}
for _model, _limit in [("amazon.nova-micro-v1:0", 400), ("mistral.mistral-7b-instruct-v0:2", 12)]:
    _summaries[_model] = [
        runtime.converse(modelId=_model, messages=[{"role": "user", "content": [{"text": f"Summarize this article: {a}"}]}],
                         inferenceConfig={"maxTokens": _limit})["output"]["message"]["content"][0]["text"]
        .removeprefix("Summary: ")
        for a in _articles
    ]
try:
    _scores = evaluate_summaries(_references, _summaries)
    print(_scores.round(3))
    ax = (_scores[["rouge1", "rouge2", "rougeL"]].assign(bleu=_scores["bleu"] / 100)
          .plot.bar(figsize=(7, 3.5), rot=0))
    ax.set_xlabel("model")
    ax.set_ylabel("score (BLEU scaled to 0–1)")
    ax.set_title("Reference-based scores of simulated summaries")
    plt.show()
except NotImplementedError:
    print("Complete Exercise 10 to see the scores.")

# %% [markdown]
# ## GenAI topics taught in other notebooks <a id="elsewhere"></a>
#
# Some exam topics sit on the border of Bedrock and another service; they are taught where
# that service is:
#
# - **GraphRAG with Amazon Neptune** (Neptune Analytics as a knowledge-base store, so retrieval
#   follows relationships between entities): the
#   [databases notebook, Amazon Neptune](../databases/databases.ipynb#neptune).
# - **The OpenSearch vector engine** (k-NN indexes, HNSW, hybrid search, OpenSearch Serverless
#   vector collections) and **zero-ETL** integrations that keep a search index in sync with
#   operational databases: the
#   [analytics notebook, Amazon OpenSearch Service](../analytics/analytics.ipynb#opensearch).
# - **Model invocation metrics** in CloudWatch (`Invocations`, `InvocationLatency`,
#   `InvocationThrottles`, `InputTokenCount`, `OutputTokenCount` per `ModelId`) and alarms on
#   them: the [governance notebook](../governance/governance.ipynb#cloudwatch).
# - **PII discovery before ingestion** (Macie) and KMS key design: the
#   [security notebook](../security/security.ipynb#kms).
# - **SageMaker endpoints, JumpStart and Clarify** for models you host or evaluate yourself:
#   the [sagemaker notebook](../sagemaker/sagemaker.ipynb#jumpstart).

# %% [markdown]
# ## Graded quiz <a id="graded-quiz"></a>
#
# Eight questions across the whole notebook. Pick your answers in the widget below; they are
# saved automatically beside this notebook and graded when you submit. Leave the cells under the
# widget as they are.

# %%
quiz.graded("bedrock")

# %% kind="quiz" question="br-g1" points=1

# %% kind="quiz" question="br-g2" points=1

# %% kind="quiz" question="br-g3" points=1

# %% kind="quiz" question="br-g4" points=1

# %% kind="quiz" question="br-g5" points=1

# %% kind="quiz" question="br-g6" points=1

# %% kind="quiz" question="br-g7" points=1

# %% kind="quiz" question="br-g8" points=1

# %% [markdown]
# ## Summary / what to review <a id="summary"></a>
#
# **Calling models.** Converse for portable chat code, InvokeModel for embeddings and
# provider-specific bodies, ApplyGuardrail for model-independent checks. On demand by default;
# batch for big offline jobs; Provisioned Throughput for steady high volume (custom models with
# irregular traffic can use an on-demand custom model deployment where supported),
# chosen by break-even (Exercise 2); cross-Region profiles and backoff with jitter against
# throttling (Exercise 1); prompt caching for repeated prefixes; latency-optimized inference for
# a few models.
#
# **Prompts.** Zero-/few-shot, chain-of-thought, system roles, XML-delimited context, low
# temperature for extraction. Prompt Management versions and variants; Bedrock Flows (formerly
# Prompt Flows) chains prompts, knowledge bases, Lambda and conditions.
#
# **RAG.** Chunk with overlap (Exercise 3), embed with Titan Text Embeddings V2, store in S3
# Vectors/OpenSearch/Aurora/Neptune, retrieve top-k, ground the prompt, cite sources and admit
# "I don't know" (Exercise 4). Knowledge Bases do it managed, with metadata filters and
# citations (Exercise 5).
#
# **Agents.** The tool-use loop with an iteration guard (Exercise 6); Bedrock Agents for
# configured agents with action groups; AgentCore (Runtime, Memory, Gateway, Identity, Code
# Interpreter, Browser, Observability) for framework-agnostic agents in production.
#
# **Safety and operations.** Guardrails: denied topics, content and prompt-attack filters, PII
# BLOCK vs ANONYMIZE, contextual grounding, Automated Reasoning; versions; guardContent
# (Exercises 7–8). Invocation logging to CloudWatch Logs and S3, encrypted with KMS
# (Exercise 9); metrics in CloudWatch.
#
# **Evaluation.** ROUGE for summaries, BLEU for translation, BERTScore for meaning (Exercise
# 10); Bedrock Evaluations with LLM-as-a-judge, human review and RAG evaluation.
#
# **Titan and Nova.** Titan for embeddings (and legacy text/image); Nova Micro/Lite/Pro/Premier
# for new text and multimodal work.
