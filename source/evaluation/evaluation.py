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
# # Evaluating and troubleshooting generative AI applications
#
# **Who this is for:** developers preparing for the AWS Certified Generative AI Developer –
# Professional exam (AIP-C01). Domain 5 (testing, validation and troubleshooting, 11 % of the
# exam) asks two things: how do you *know* a GenAI application is good enough (task 5.1), and
# how do you find out *why* it is not (task 5.2). This notebook also covers golden datasets for
# hallucinations (skill 4.3.6).
#
# **What you will do here:**
#
# - read 13 short sections, each ending with an *Exam tip* and self-check questions;
# - complete **9 graded exercises** against an offline Bedrock simulator: an LLM-as-a-judge
#   harness measured against human labels (Cohen's kappa), a Bedrock evaluation job that compares
#   two models by quality and cost, a RAG evaluation that separates retrieval failures from
#   generation failures, a regression gate for prompt versions, and five broken applications to
#   diagnose and fix (context overflow, silent truncation, throttling, confusing prompts,
#   irrelevant retrieval);
# - read five charts (metric blind spots, quality against cost, per-metric report, regression
#   trend, retrieval scores);
# - answer the **graded quiz** at the end.
#
# **Exam tasks trained:** 5.1 (all nine skills), 5.2 (all five skills) and 4.3.6.
#
# **How to work:** run the cells from top to bottom (every cell is safe to run again). In an
# exercise, replace `raise NotImplementedError()` with your code, run that cell, then run the
# test cell under it: its message tells you what is missing. Graded quiz answers are saved
# automatically next to this notebook as soon as you pick them.
#
# **About the simulator.** The first code cell starts a fake AWS account (moto) and the course's
# offline Bedrock stand-in (`course.bedrock_sim`). The "models" are small deterministic rules:
# the text model answers with the context sentence that shares most words with the question, and
# the **judge** scores answers by readable word-overlap rules (a faithful answer always beats an
# unfaithful one; see `course/bedrock_sim/README.md`). Evaluation jobs read and write real S3
# objects in the real layout, and `bedrock_sim.inject_fault(...)` breaks things on purpose, in
# the same way every time, so that troubleshooting can be practised and graded.

# %% kind="setup"
from course import sandbox, checks, quiz

aws = sandbox.start()  # fake credentials, moto + the offline Bedrock simulator; safe to re-run

# %%
import json
import re

import matplotlib.pyplot as plt
from botocore.config import Config
from botocore.exceptions import ClientError

from course import bedrock_sim

runtime = aws.client("bedrock-runtime")
bedrock = aws.client("bedrock")
s3 = aws.client("s3")

MICRO = "amazon.nova-micro-v1:0"
LITE = "amazon.nova-lite-v1:0"
PRO = "amazon.nova-pro-v1:0"
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
SONNET = "anthropic.claude-3-5-sonnet-20241022-v2:0"
JUDGE = "anthropic.claude-3-5-sonnet-20240620-v1:0"  # the evaluator ("judge") model
BUCKET = "northwind-eval"
s3.create_bucket(Bucket=BUCKET)


def ask(model_id, text, **extra):
    """One Converse call; returns (answer text, the whole response)."""
    response = runtime.converse(modelId=model_id, messages=[{"role": "user", "content": [{"text": text}]}], **extra)
    return response["output"]["message"]["content"][0]["text"], response


# %% [markdown]
# # Part 1 — Measuring quality

# %% [markdown]
# ## Quality beyond accuracy: what to measure, and what ROUGE, BLEU and BERTScore miss <a id="quality-metrics"></a>
#
# A classifier is right or wrong; a generated answer can be right and useless, or fluent and
# invented. GenAI quality has several **dimensions**, and you usually need more than one:
#
# | Dimension | Question it answers | Typical measurement |
# |---|---|---|
# | **Relevance** | Does the answer address what was asked? | judge model, embedding similarity to the question |
# | **Factual accuracy / correctness** | Does it agree with the truth (a reference answer)? | judge with a reference, exact match / F1 on extractive QA |
# | **Faithfulness (groundedness)** | Is every claim supported by the supplied context? | judge against the retrieved context, Guardrails contextual grounding |
# | **Completeness** | Does it cover every part of the question or reference? | judge with a reference |
# | **Consistency** | Same question, same meaning of the answer (across runs, paraphrases, model versions)? | repeat and compare; robustness under prompt perturbation |
# | **Fluency / coherence** | Is it well formed, logically ordered, not cut off? | judge, `stopReason`, readability checks |
# | **Safety and tone** | Harmful, biased, off-brand? | Guardrails, judge metrics (harmfulness, stereotyping, style) |
#
# **Reference-based metrics** (the bedrock notebook's Exercise 10) compare the output with a
# human reference by surface overlap: **ROUGE** (recall of n-grams, for summaries), **BLEU**
# (precision of 1–4-grams with a brevity penalty, for translation) and **BERTScore** (similarity
# of contextual embeddings, so paraphrases score well). They are cheap, deterministic and good
# for *regression tracking*, but they say nothing about **faithfulness**: an answer that copies
# the reference's words and changes one number scores high; a correct paraphrase scores low.
# They need a reference for every prompt, and they cannot tell a harmful answer from a helpful one.
#
# **Exam tip:** "measure whether answers are grounded in the retrieved documents" → a judge
# metric such as faithfulness (or contextual grounding), not ROUGE/BLEU. "Cheap, repeatable
# score to compare summaries against references" → ROUGE. "Meaning matters, wording may differ"
# → BERTScore or an LLM judge.
#
# **Try it.** Four answers to the same question, scored by ROUGE-L against the reference and by
# the simulated judge for faithfulness to the context. The answer that copies the reference but
# changes the number of days is nearly perfect for ROUGE and clearly worse for the judge; the
# faithful paraphrase is the other way round.

# %%
from rouge_score import rouge_scorer

CONTEXT = "Refunds are issued within 14 days of the return. Returned items must be unused and in the original box."
QUESTION = "How long do refunds take?"
REFERENCE = "Refunds are issued within 14 days of the return."
CANDIDATES = {
    "copy of the reference": "Refunds are issued within 14 days of the return.",
    "one number changed": "Refunds are issued within 40 days of the return.",
    "faithful paraphrase": "You get your money back 14 days after the return, if the box is unused.",
    "invented policy": "Refunds are paid instantly in cash at every store.",
}
FAITHFULNESS_RUBRIC = (
    "Rate how faithful the response is to the context on a scale of 1 to 5, where 5 means every claim "
    "is supported by the context. Reply with 'Score: <n>' and one line of reasoning."
)


def judge_prompt(rubric, question, context, response):
    return f"{rubric}\n\n<context>{context}</context>\n<question>{question}</question>\n<response>{response}</response>"


_scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)
_rows = []
for _name, _answer in CANDIDATES.items():
    _rouge = _scorer.score(REFERENCE, _answer)["rougeL"].fmeasure
    _reply, _ = ask(JUDGE, judge_prompt(FAITHFULNESS_RUBRIC, QUESTION, CONTEXT, _answer), inferenceConfig={"temperature": 0})
    _score = int(re.search(r"Score:\s*(\d+)", _reply).group(1))
    _rows.append((_name, round(_rouge, 2), _score))
    print(f"{_name:24} ROUGE-L {_rouge:.2f}   judge faithfulness {_score}/5")

_fig, _ax = plt.subplots(figsize=(6, 3.2))
for _name, _rouge, _score in _rows:
    _ax.scatter(_rouge, _score, s=60)
    _ax.annotate(_name, (_rouge, _score), textcoords="offset points", xytext=(5, 4), fontsize=8)
_ax.set_xlabel("ROUGE-L F1 against the reference")
_ax.set_ylabel("judge: faithfulness (1–5)")
_ax.set_xlim(-0.05, 1.25)
_ax.set_ylim(0.5, 5.5)
_ax.set_title("Surface overlap is not faithfulness")
plt.show()

# %%
quiz.show("evaluation", "quality-metrics")

# %% [markdown]
# ## Amazon Bedrock evaluations: automatic, human and LLM-as-a-judge jobs <a id="bedrock-evaluations"></a>
#
# **What it is.** A managed way to evaluate models and RAG sources on *your* prompts, with
# results in S3 and a report card in the console. `CreateEvaluationJob` (control plane,
# `bedrock` client) starts one; the job reads a **JSONL prompt dataset** from S3, runs the
# model (or uses responses you supply), scores every response, and writes the results to the
# output S3 location.
#
# | Job type | How responses are scored | Fits when |
# |---|---|---|
# | **Automatic (programmatic)** | built-in algorithms per task type: *accuracy* (real-world knowledge, BERTScore, NLP-F1, classification accuracy), *robustness* (how much the output changes when the prompt is perturbed) and *toxicity* | quick, cheap, objective checks; built-in or custom datasets |
# | **Human: bring your own work team** | your reviewers rate responses in a worker portal (thumbs up/down, Likert, comparison, ranking); up to two models side by side | subjective qualities (brand voice, helpfulness) and final sign-off; small datasets |
# | **Model as a judge (LLM-as-a-judge)** | an evaluator model scores each response on built-in metrics (correctness, completeness, faithfulness, helpfulness, coherence, relevance, following instructions, professional style, harmfulness, stereotyping, refusal) or your **custom metrics** (your rubric and rating scale), and writes an **explanation** for every score | human-like judgments at scale, with reasons, no human raters |
#
# **The dataset.** One JSON object per line, up to 1,000 prompts: `prompt`, optional
# `referenceResponse` (ground truth; correctness and completeness use it) and `category` (for a
# per-category breakdown). To evaluate an application *outside* Bedrock, add
# `modelResponses: [{"response": ..., "modelIdentifier": ...}]` and give the job a
# `precomputedInferenceSource` instead of a Bedrock model ("bring your own inference").
#
# **The results** land under `s3://<output>/<job-name>/<job-uuid>/models/<model-id>/taskTypes/
# <task-type>/datasets/<dataset>/<file-uuid>_output.jsonl`: one line per prompt with
# `automatedEvaluationResult.scores` (`metricName`, `result`, and for judge metrics
# `evaluatorDetails[].explanation`), the `inputRecord` and the `modelResponses`. The job name
# is yours; the UUID is not: **list the prefix** rather than guessing keys.
#
# **Exam tip:** "subjective criteria, thousands of responses, need the reasons, no human raters"
# → LLM-as-a-judge. "Brand voice must be approved by our own experts" → human evaluation with
# your work team. "Robustness to typos, toxicity, quick benchmark" → automatic evaluation.
#
# **Try it.** A judge job over a three-prompt golden dataset for Nova Micro (the simulator
# finishes a job at the first `GetEvaluationJob` after creating it).

# %%
iam = aws.client("iam")
_trust = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "bedrock.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": aws.account_id}},
        }
    ],
}
try:
    ROLE_ARN = iam.create_role(RoleName="BedrockEvaluationRole", AssumeRolePolicyDocument=json.dumps(_trust))["Role"]["Arn"]
except iam.exceptions.EntityAlreadyExistsException:
    ROLE_ARN = iam.get_role(RoleName="BedrockEvaluationRole")["Role"]["Arn"]

POLICY = (
    "Refunds are issued within 14 days of the return. Returned items must be unused and in the original box. "
    "Express shipping costs 12 dollars and arrives in two days. Standard shipping is free for orders over 50 dollars."
)
GOLDEN = [
    {"prompt": f"<context>{POLICY}</context>\nQuestion: How long do refunds take?",
     "referenceResponse": "Refunds are issued within 14 days of the return.", "category": "returns"},
    {"prompt": f"<context>{POLICY}</context>\nQuestion: How much does express shipping cost?",
     "referenceResponse": "Express shipping costs 12 dollars.", "category": "shipping"},
    {"prompt": f"<context>{POLICY}</context>\nQuestion: Do you ship to Mars?",
     "referenceResponse": "I don't know based on the provided context.", "category": "out-of-scope"},
]


def put_jsonl(key, records):
    s3.put_object(Bucket=BUCKET, Key=key, Body="".join(json.dumps(r) + "\n" for r in records).encode())
    return f"s3://{BUCKET}/{key}"


GOLDEN_URI = put_jsonl("datasets/golden.jsonl", GOLDEN)
_arn = bedrock.create_evaluation_job(
    jobName="demo-judge-micro",
    roleArn=ROLE_ARN,
    applicationType="ModelEvaluation",
    evaluationConfig={
        "automated": {
            "datasetMetricConfigs": [
                {
                    "taskType": "General",
                    "dataset": {"name": "golden", "datasetLocation": {"s3Uri": GOLDEN_URI}},
                    "metricNames": ["Builtin.Correctness", "Builtin.Faithfulness", "Builtin.Relevance"],
                }
            ],
            "evaluatorModelConfig": {"bedrockEvaluatorModels": [{"modelIdentifier": JUDGE}]},
        }
    },
    inferenceConfig={"models": [{"bedrockModel": {"modelIdentifier": MICRO}}]},
    outputDataConfig={"s3Uri": f"s3://{BUCKET}/results/"},
)["jobArn"]
print(_arn)
print("status:", bedrock.get_evaluation_job(jobIdentifier=_arn)["status"])
_keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix="results/demo-judge-micro/")["Contents"]]
print(*_keys, sep="\n")
_first = json.loads(s3.get_object(Bucket=BUCKET, Key=_keys[0])["Body"].read().decode().splitlines()[0])
print(json.dumps(_first["automatedEvaluationResult"]["scores"][0], indent=2))

# %%
quiz.show("evaluation", "bedrock-evaluations")

# %% [markdown]
# ## LLM-as-a-judge: rubrics, and checking the judge against people <a id="llm-judge"></a>
#
# A judge is itself a model: before you trust its scores, **calibrate** it. Write a rubric
# (criterion, scale, what each end means, the output format), have people label a small sample,
# run the judge on the same sample and measure **agreement**. Raw percent agreement flatters a
# judge when one label dominates; **Cohen's kappa** corrects for the agreement two raters would
# reach by chance:
#
# κ = (p_o − p_e) / (1 − p_e), where p_o is the observed share of items on which the raters
# agree and p_e = Σ over labels of (share of items rater A gave that label × share rater B gave it).
#
# κ = 1 is perfect agreement, 0 is chance level, below 0 worse than chance; above about 0.6 is
# usually called substantial. Good practice: temperature 0, one criterion per prompt, a scale
# with labelled ends, the reference and context in clearly delimited tags, a judge model at least
# as capable as the model judged (and not the same one, to limit self-preference), and a
# periodic re-check against fresh human labels. Bedrock's judge jobs write an explanation per
# score: read a sample of them.
#
# **Exam tip:** "Is our judge trustworthy?" → compare its labels with a human-labelled sample
# and report chance-corrected agreement (Cohen's kappa), not accuracy alone.
#
# **Libraries in this notebook, and why.** Google's `rouge-score` computes ROUGE offline.
# Cohen's kappa is ten lines of arithmetic you write in Exercise 1; the test checks it against
# NLTK's `AnnotationTask.kappa()` (NLTK is already installed with `rouge-score`; scikit-learn's
# `cohen_kappa_score` would add a large dependency for one function). RAG and judge frameworks
# such as Ragas and DeepEval were tried and left out: each pulls in dozens of packages (LangChain,
# OpenAI clients, tokenizers that download their files at run time, telemetry), and their
# metrics call an LLM provider, so they do not run offline against the simulator. BERTScore needs
# model weights, which the course never downloads.

# %%
quiz.show("evaluation", "llm-judge")

# %% [markdown]
# ### Exercise 1 — a rubric judge and its agreement with people (4 points)
#
# Write two functions.
#
# `judge_scores(runtime, judge_model_id, rubric, items)` scores every item with the judge model.
# Each item is a dict with `"question"`, `"context"` and `"response"`. For each item, in order:
#
# 1. build one user message whose text is the `rubric`, a blank line, then
#    `<context>…</context>`, `<question>…</question>` and `<response>…</response>` holding the
#    item's three fields;
# 2. call `runtime.converse` with `modelId=judge_model_id` and `inferenceConfig` temperature `0`;
# 3. read the integer after `Score:` in the reply text (`None` if there is none).
#
# Return the list of scores, one per item.
#
# `cohens_kappa(labels_a, labels_b)` returns Cohen's kappa of two equal-length lists of labels
# (any hashable values) as a float, using the formula above. Raise `ValueError` when the lists
# are empty or of different lengths. When p_e is 1 (both raters always give the same single
# label) return `1.0`.

# %% kind="solution" grade_id="judge-agreement"
def judge_scores(runtime, judge_model_id, rubric, items):
    """Score each item with the judge model; return the integer after 'Score:' per item (or None)."""
    ### BEGIN SOLUTION
    scores = []
    for item in items:
        text = (
            f"{rubric}\n\n<context>{item['context']}</context>\n<question>{item['question']}</question>\n"
            f"<response>{item['response']}</response>"
        )
        response = runtime.converse(
            modelId=judge_model_id,
            messages=[{"role": "user", "content": [{"text": text}]}],
            inferenceConfig={"temperature": 0},
        )
        reply = "".join(b.get("text", "") for b in response["output"]["message"]["content"])
        found = re.search(r"Score:\s*(-?\d+)", reply)
        scores.append(int(found.group(1)) if found else None)
    return scores
    ### END SOLUTION


def cohens_kappa(labels_a, labels_b):
    """Cohen's kappa of two raters' labels for the same items."""
    ### BEGIN SOLUTION
    if not labels_a or len(labels_a) != len(labels_b):
        raise ValueError("need two non-empty label lists of the same length")
    n = len(labels_a)
    observed = sum(1 for a, b in zip(labels_a, labels_b) if a == b) / n
    expected = sum((list(labels_a).count(x) / n) * (list(labels_b).count(x) / n) for x in set(labels_a) | set(labels_b))
    if expected == 1:
        return 1.0
    return (observed - expected) / (1 - expected)
    ### END SOLUTION


# %% kind="tests" grade_id="judge-agreement-tests" points=4
"""Does judge_scores prompt the judge as specified and parse its scores, and is cohens_kappa right?"""
import random
import re

from nltk.metrics.agreement import AnnotationTask

_jr = aws.client("bedrock-runtime")
_sent, _replies = [], []
_jr.meta.events.register("provide-client-params.bedrock-runtime.Converse", lambda params, **kw: _sent.append(params))
_jr.meta.events.register(
    "after-call.bedrock-runtime.Converse",
    lambda parsed, **kw: _replies.append(str(((parsed.get("output") or {}).get("message") or {"content": [{}]})["content"][0].get("text"))),
)
_rubric = "Rate how faithful the response is to the context on a scale of 1 to 5. Reply with 'Score: <n>'."
_items = [
    {"question": "How long do refunds take?", "context": "Refunds are issued within 14 days.", "response": "Refunds are issued within 14 days."},
    {"question": "How long do refunds take?", "context": "Refunds are issued within 14 days.", "response": "Refunds are paid instantly in cash at every airport."},
]
_scores = checks.call(judge_scores, _jr, "anthropic.claude-3-5-sonnet-20240620-v1:0", _rubric, _items)
checks.expect_type(_scores, list, "judge_scores should return a list")
checks.expect_equal(len(_sent), 2, "one Converse call per item")
checks.expect_equal(_sent[0].get("modelId"), "anthropic.claude-3-5-sonnet-20240620-v1:0", "call the judge model")
checks.expect_equal((_sent[0].get("inferenceConfig") or {}).get("temperature"), 0, "judge with temperature 0")
_expected = [int(re.search(r"Score:\s*(\d+)", r).group(1)) for r in _replies]
checks.expect_equal(_scores, _expected, "the scores should be the numbers after 'Score:' in the judge's replies")
checks.expect(_scores[0] > _scores[1], "the faithful answer should score higher than the invented one", found=_scores)
_kappa = checks.call(cohens_kappa, ["y"] * 25 + ["n"] * 25, ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15)
checks.expect(isinstance(_kappa, float) and abs(_kappa - 0.4) < 1e-9,
              "the textbook example (agree on 35 of 50 items, chance agreement 0.5) has kappa 0.4", found=_kappa)
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
# The prompt holds the rubric first, then the three tagged fields; each call carries one item.
_sent.clear()
_replies.clear()
_r2 = f"Rubric {random.randint(100, 999)}: rate relevance of the response from 1 to 5. Reply with 'Score: <n>'."
_items2 = [
    {"question": f"Is express shipping free {i}?", "context": "Express shipping costs 12 dollars.",
     "response": r} for i, r in enumerate(["Express shipping costs 12 dollars.", "Our stores open at nine.", "Yes."])
]
_s2 = checks.call(judge_scores, _jr, "amazon.nova-pro-v1:0", _r2, _items2)
checks.expect_equal(len(_sent), 3, "one Converse call per item, in order")
for _p, _it in zip(_sent, _items2):
    _text = "".join(b.get("text", "") for m in _p.get("messages", []) for b in m.get("content", []))
    checks.expect(_text.startswith(_r2 + "\n\n"), "the message should start with the rubric and a blank line", found=_text[:80])
    checks.expect(_text.rstrip().endswith(f"<response>{_it['response']}</response>"),
                  "the message should end with the <response>…</response> block", found=_text[-120:])
    for _tag, _field in (("context", "context"), ("question", "question"), ("response", "response")):
        checks.expect(f"<{_tag}>{_it[_field]}</{_tag}>" in _text, f"the message should hold <{_tag}>…</{_tag}> with the item's {_field}",
                      found=_text[:200])
    checks.expect_equal(_p.get("modelId"), "amazon.nova-pro-v1:0", "use judge_model_id")
    checks.expect_equal((_p.get("inferenceConfig") or {}).get("temperature"), 0, "temperature 0 on every call")
checks.expect_equal(_s2, [int(re.search(r"Score:\s*(\d+)", r).group(1)) for r in _replies], "parse every reply")
checks.expect_equal(checks.call(judge_scores, _jr, "amazon.nova-pro-v1:0", _r2, []), [], "no items, no scores")


class _NoScore:
    def converse(self, **kwargs):
        return {"output": {"message": {"role": "assistant", "content": [{"text": "I cannot grade this."}]}}}


checks.expect_equal(checks.call(judge_scores, _NoScore(), "m", _r2, _items2[:1]), [None], "a reply without 'Score:' gives None")


class _Chatty:
    def converse(self, **kwargs):
        return {"output": {"message": {"role": "assistant", "content": [
            {"text": "Reasoning: 3 of 4 facts are supported by the 2 passages.\nScore: 4"}]}}}


checks.expect_equal(checks.call(judge_scores, _Chatty(), "m", _r2, _items2[:2]), [4, 4],
                    "read the integer after 'Score:', not the first number of the reply")
# Kappa against a well-kept implementation (NLTK's AnnotationTask), on random labels.
_rnd = random.Random()
for _ in range(6):
    _n = _rnd.randint(8, 40)
    _labels = _rnd.sample(["pass", "fail", "maybe", 1, 2], _rnd.randint(2, 4))
    _a = [_rnd.choice(_labels) for _ in range(_n)]
    _b = [x if _rnd.random() < 0.6 else _rnd.choice(_labels) for x in _a]
    _task = AnnotationTask(data=[("a", i, str(x)) for i, x in enumerate(_a)] + [("b", i, str(x)) for i, x in enumerate(_b)])
    if len({str(x) for x in _a} | {str(x) for x in _b}) > 1:
        _k = checks.call(cohens_kappa, _a, _b)
        checks.expect(isinstance(_k, (int, float)) and abs(_k - _task.kappa()) < 1e-9,
                      "cohens_kappa should match Cohen's formula", expected=_task.kappa(), found=_k)
checks.expect_equal(checks.call(cohens_kappa, ["a", "b", "a"], ["a", "b", "a"]), 1.0, "identical labels give kappa 1")
_k = checks.call(cohens_kappa, ["a", "b"], ["b", "a"])
checks.expect(isinstance(_k, (int, float)) and abs(_k + 1.0) < 1e-9, "opposite labels give kappa -1", found=_k)
checks.expect_equal(checks.call(cohens_kappa, ["x", "x"], ["x", "x"]), 1.0, "one shared label everywhere gives 1.0")
for _bad in (([], []), (["a"], ["a", "b"])):
    try:
        cohens_kappa(*_bad)
    except ValueError:
        pass
    else:
        checks.fail("cohens_kappa should raise ValueError for empty or unequal lists", "ValueError", f"no error for {_bad}")
### END HIDDEN TESTS

# %% [markdown]
# **Try it: calibrate the judge.** Ten answers that two support leads labelled *pass* or *fail*.
# The judge (your `judge_scores`) passes an answer at 4 or 5. Look at the disagreement: "Refunds
# are not issued within 14 days" uses only words from the context, so a word-overlap judge calls
# it faithful; a person sees the negation. Real judges make subtler mistakes of the same kind,
# which is why you measure agreement before you let a judge gate anything.

# %%
SUPPORT_CONTEXT = (
    "Refunds are issued within 14 days of the return. Returned items must be unused and in the original box. "
    "Express shipping costs 12 dollars and arrives in two days. Gift cards cannot be returned."
)
HUMAN_LABELLED = [
    ("How long do refunds take?", "Refunds are issued within 14 days of the return.", "pass"),
    ("How long do refunds take?", "Refunds are not issued within 14 days of the return.", "fail"),
    ("How long do refunds take?", "Refunds arrive the same day by courier.", "fail"),
    ("Can I return a gift card?", "Gift cards cannot be returned.", "pass"),
    ("Can I return a gift card?", "Yes, gift cards can be exchanged for cash at any time.", "fail"),
    ("What does express shipping cost?", "Express shipping costs 12 dollars and arrives in two days.", "pass"),
    ("What does express shipping cost?", "Express shipping is free on weekends for everyone.", "fail"),
    ("What condition must returns be in?", "Returned items must be unused and in the original box.", "pass"),
    ("What condition must returns be in?", "Items must be unused.", "pass"),
    ("What condition must returns be in?", "Anything can be returned, even used items, within a year.", "fail"),
]
try:
    _items = [{"question": q, "context": SUPPORT_CONTEXT, "response": r} for q, r, _ in HUMAN_LABELLED]
    _judged = judge_scores(runtime, JUDGE, FAITHFULNESS_RUBRIC, _items)
    _judge_labels = ["pass" if (s or 0) >= 4 else "fail" for s in _judged]
    _human_labels = [label for _, _, label in HUMAN_LABELLED]
    print("agreement:", sum(a == b for a, b in zip(_judge_labels, _human_labels)), "of", len(_human_labels))
    print("Cohen's kappa:", round(cohens_kappa(_human_labels, _judge_labels), 3))
    for (_q, _r, _h), _j, _s in zip(HUMAN_LABELLED, _judge_labels, _judged):
        if _h != _j:
            print(f"  disagree: human {_h}, judge {_j} (score {_s}): {_r}")
except NotImplementedError:
    print("Complete Exercise 1 to see the judge's agreement with people.")

# %% [markdown]
# ## Choosing a configuration: model comparison, cost and A/B or canary tests <a id="model-comparison"></a>
#
# **Offline first.** A Bedrock evaluation job can run **two models** (or two inference sources)
# over the same dataset with the same metrics, so the comparison is fair. Put the mean quality
# next to the **cost per request** (input and output tokens × the on-demand price of each
# model) and latency, and pick the cheapest configuration that clears your quality bar — not
# simply the best score. The same job design compares prompt variants, inference parameters
# (temperature, maximum tokens) and RAG configurations.
#
# **Then online.** Offline scores do not capture real users. Two common release patterns:
#
# - **A/B test**: split live traffic between the current and the new configuration (for
#   example by a feature flag in AWS AppConfig, or by routing in your API layer), collect the
#   same quality signals (user ratings, task completion, judge scores on sampled traffic,
#   latency, cost), and compare with enough traffic to be statistically meaningful.
# - **Canary release**: send a small share of traffic (say 5 %) to the new version, watch
#   alarms on quality and error metrics, then widen or roll back automatically (API Gateway
#   canary settings, Lambda alias weights, AppConfig gradual deployments).
#
# Amazon CloudWatch Evidently, formerly the AWS service for feature launches and A/B
# experiments, reached end of support on 16 October 2025; AWS AppConfig now covers feature
# flags and experimentation.
#
# **Exam tip:** "choose between two FMs for our use case, balancing quality and cost" → one
# evaluation job over both models on your dataset, then quality against cost per request. "Roll
# out a new prompt to 5 % of users and roll back on a quality drop" → canary release with
# alarms.

# %%
quiz.show("evaluation", "model-comparison")

# %% [markdown]
# ### Exercise 2 — compare two models with an evaluation job, then pick by quality and cost (4 points)
#
# Write `compare_models(bedrock, s3, *, job_name, role_arn, dataset_uri, output_uri, model_ids,
# judge_model_id, metric_names)`:
#
# 1. create **one** LLM-as-a-judge evaluation job named `job_name` (application type
#    `ModelEvaluation`, task type `General`, one dataset named `golden` at `dataset_uri`, the
#    `metric_names`, the evaluator `judge_model_id`, one Bedrock model entry per id of
#    `model_ids`, results to `output_uri`);
# 2. call `get_evaluation_job` until the status is no longer `InProgress`, calling
#    `sleep(<seconds>)` between two calls; if it is not `Completed`, raise `RuntimeError` with
#    the job's `failureMessages` in the message;
# 3. list **every** object under `<output_uri>/<job_name>/` (results can be many; page through
#    the listing) and read each key ending in `_output.jsonl` (JSON Lines: one record per line;
#    skip blank lines);
# 4. return a dict `{model id: mean result}` over every score of every line of that model's
#    results (the model is `modelResponses[0]["modelIdentifier"]`); skip `null` results.
#
# `output_uri` looks like `s3://bucket/some/prefix` (with or without a trailing `/`).
#
# Then write `pick_model(scores, costs, min_quality)`: among the models whose score is at least
# `min_quality`, return the one with the **lowest cost** (`costs` maps model id to USD per 1,000
# requests; on a tie, the higher score wins); return `None` if no model qualifies.

# %%
import time

# %% kind="solution" grade_id="model-choice"
def compare_models(bedrock, s3, *, job_name, role_arn, dataset_uri, output_uri, model_ids, judge_model_id,
                   metric_names, sleep=time.sleep):
    """Run one judge job over several models; return {model id: mean judge score}."""
    ### BEGIN SOLUTION
    arn = bedrock.create_evaluation_job(
        jobName=job_name,
        roleArn=role_arn,
        applicationType="ModelEvaluation",
        evaluationConfig={
            "automated": {
                "datasetMetricConfigs": [
                    {
                        "taskType": "General",
                        "dataset": {"name": "golden", "datasetLocation": {"s3Uri": dataset_uri}},
                        "metricNames": list(metric_names),
                    }
                ],
                "evaluatorModelConfig": {"bedrockEvaluatorModels": [{"modelIdentifier": judge_model_id}]},
            }
        },
        inferenceConfig={"models": [{"bedrockModel": {"modelIdentifier": m}} for m in model_ids]},
        outputDataConfig={"s3Uri": output_uri},
    )["jobArn"]
    job = bedrock.get_evaluation_job(jobIdentifier=arn)
    while job["status"] == "InProgress":
        sleep(5)
        job = bedrock.get_evaluation_job(jobIdentifier=arn)
    if job["status"] != "Completed":
        raise RuntimeError(f"evaluation job {job_name} is {job['status']}: {job.get('failureMessages')}")
    bucket, _, prefix = output_uri.removeprefix("s3://").partition("/")
    prefix = "/".join(p for p in (prefix.strip("/"), job_name) if p) + "/"
    totals = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for obj in page.get("Contents", []):
            if not obj["Key"].endswith("_output.jsonl"):
                continue
            body = s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read().decode()
            for line in body.splitlines():
                if not line.strip():
                    continue
                record = json.loads(line)
                model = record["modelResponses"][0]["modelIdentifier"]
                for score in record["automatedEvaluationResult"]["scores"]:
                    if score.get("result") is not None:
                        totals.setdefault(model, []).append(score["result"])
    return {model: sum(values) / len(values) for model, values in totals.items()}
    ### END SOLUTION


def pick_model(scores, costs, min_quality):
    """The cheapest model whose score reaches min_quality (higher score breaks ties), else None."""
    ### BEGIN SOLUTION
    good = [m for m, q in scores.items() if q >= min_quality]
    if not good:
        return None
    return min(good, key=lambda m: (costs[m], -scores[m]))
    ### END SOLUTION


# %% kind="tests" grade_id="model-choice-tests" points=4
"""Does compare_models run one judge job over both models and average their results, and pick_model choose by cost?"""
import json
import random
import uuid

_br = aws.client("bedrock")
_s3 = aws.client("s3")
_created = []
_br.meta.events.register("provide-client-params.bedrock.CreateEvaluationJob", lambda params, **kw: _created.append(params))
_bucket = f"eval-{uuid.uuid4().hex[:10]}"
_s3.create_bucket(Bucket=_bucket)
_ctx = "Refunds are issued within 14 days of the return. Express shipping costs 12 dollars."
_rows = [{"prompt": f"<context>{_ctx}</context>\nQuestion: How long do refunds take?", "referenceResponse": "Refunds are issued within 14 days."},
         {"prompt": f"<context>{_ctx}</context>\nQuestion: How much is express shipping?", "referenceResponse": "Express shipping costs 12 dollars."}]
_s3.put_object(Bucket=_bucket, Key="in/golden.jsonl", Body="".join(json.dumps(r) + "\n" for r in _rows).encode())
_job = f"cmp-{uuid.uuid4().hex[:8]}"
_models = ["amazon.nova-micro-v1:0", "anthropic.claude-3-haiku-20240307-v1:0"]
_metrics = ["Builtin.Correctness", "Builtin.Faithfulness"]
_res = checks.call(compare_models, _br, _s3, job_name=_job, role_arn=ROLE_ARN, dataset_uri=f"s3://{_bucket}/in/golden.jsonl",
                   output_uri=f"s3://{_bucket}/results/", model_ids=_models, judge_model_id=JUDGE, metric_names=_metrics,
                   sleep=lambda s: None)
checks.expect_equal(len(_created), 1, "create exactly one evaluation job")
_cfg = _created[0]
checks.expect_equal(_cfg.get("jobName"), _job, "the job should be named job_name")
checks.expect_equal([m.get("bedrockModel", {}).get("modelIdentifier") for m in (_cfg.get("inferenceConfig") or {}).get("models", [])],
                    _models, "one Bedrock model entry per model id, in order")
checks.expect_type(_res, dict, "compare_models should return a dict")
checks.expect_equal(sorted(_res), sorted(_models), "one mean score per model")


def _means(bucket, prefix):
    got = {}
    for page in _s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for o in page.get("Contents", []):
            if o["Key"].endswith("_output.jsonl"):
                for line in _s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read().decode().splitlines():
                    if not line.strip():
                        continue
                    rec = json.loads(line)
                    for sc in rec["automatedEvaluationResult"]["scores"]:
                        if sc["result"] is not None:
                            got.setdefault(rec["modelResponses"][0]["modelIdentifier"], []).append(sc["result"])
    return {k: sum(v) / len(v) for k, v in got.items()}


_exp = _means(_bucket, f"results/{_job}/")
for _m in _models:
    checks.expect(isinstance(_res.get(_m), (int, float)) and abs(_res[_m] - _exp[_m]) < 1e-9,
                  f"the mean of every result of {_m}", expected=_exp[_m], found=_res.get(_m))
checks.expect_equal(checks.call(pick_model, {"a": 0.9, "b": 0.7}, {"a": 5.0, "b": 1.0}, 0.6), "b",
                    "both clear 0.6: the cheaper one wins")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_cfg_auto = _cfg.get("evaluationConfig", {}).get("automated", {})
_dmc = (_cfg_auto.get("datasetMetricConfigs") or [{}])[0]
checks.expect_equal(_cfg.get("applicationType"), "ModelEvaluation", "applicationType ModelEvaluation")
checks.expect_equal(_dmc.get("taskType"), "General", "taskType General")
checks.expect_equal(_dmc.get("dataset", {}).get("name"), "golden", "the dataset is named golden")
checks.expect_equal(_dmc.get("metricNames"), _metrics, "the metric names as given")
checks.expect_equal(((_cfg_auto.get("evaluatorModelConfig") or {}).get("bedrockEvaluatorModels") or [{}])[0].get("modelIdentifier"),
                    JUDGE, "the evaluator model is judge_model_id")
checks.expect_equal(_cfg.get("roleArn"), ROLE_ARN, "pass role_arn")
# Many objects under the job's prefix (one a results file of blank lines), small listing pages,
# another output prefix, and a job that answers InProgress twice: every result file must be found.
_created.clear()
_job2 = f"cmp-{uuid.uuid4().hex[:8]}"
_pfx2 = f"Xruns-{uuid.uuid4().hex[:6]}/out"
for _i in range(7):
    _s3.put_object(Bucket=_bucket, Key=f"{_pfx2}/{_job2}/-notes/{_i:03d}.txt", Body=b"not a result")
_s3.put_object(Bucket=_bucket, Key=f"{_pfx2}/{_job2}/-notes/blank_output.jsonl", Body=b"\n  \n\n")
_s3.put_object(Bucket=_bucket, Key=f"{_pfx2}/{_job2}-old/run/0_output.jsonl", Body=json.dumps(  # another job's results
    {"modelResponses": [{"modelIdentifier": "amazon.nova-lite-v1:0"}],
     "automatedEvaluationResult": {"scores": [{"metricName": "Builtin.Relevance", "result": 7.0}]}}).encode())
_s3.meta.events.register("provide-client-params.s3.ListObjectsV2", lambda params, **kw: params.update(MaxKeys=2))
_polls = {"fake": 2, "gets": 0}


def _in_progress(parsed, **kw):
    _polls["gets"] += 1
    if _polls["fake"] > 0 and parsed.get("status") == "Completed":
        _polls["fake"] -= 1
        parsed["status"] = "InProgress"


_br.meta.events.register("after-call.bedrock.GetEvaluationJob", _in_progress)
_naps = []
_models2 = ["amazon.nova-lite-v1:0", "mistral.mistral-7b-instruct-v0:2"]
try:
    _res2 = checks.call(compare_models, _br, _s3, job_name=_job2, role_arn=ROLE_ARN,
                        dataset_uri=f"s3://{_bucket}/in/golden.jsonl", output_uri=f"s3://{_bucket}/{_pfx2}",
                        model_ids=_models2, judge_model_id="amazon.nova-pro-v1:0",
                        metric_names=["Builtin.Relevance", "Builtin.FollowingInstructions", "Builtin.Coherence"],
                        sleep=_naps.append)
finally:
    _br.meta.events.unregister("after-call.bedrock.GetEvaluationJob", _in_progress)
checks.expect(_polls["gets"] >= 3, "call get_evaluation_job again while the job is InProgress (it was twice here)",
              found=f"{_polls['gets']} GetEvaluationJob calls")
checks.expect(len(_naps) >= 2, "call sleep(seconds) between two get_evaluation_job calls", found=_naps)
_exp2 = _means(_bucket, f"{_pfx2}/{_job2}/")
_cfg2 = (_created[-1].get("evaluationConfig") or {}).get("automated") or {}
checks.expect_equal(((_cfg2.get("evaluatorModelConfig") or {}).get("bedrockEvaluatorModels") or [{}])[0].get("modelIdentifier"),
                    "amazon.nova-pro-v1:0", "the evaluator model is judge_model_id")
checks.expect(isinstance(_res2, dict) and sorted(_res2) == sorted(_models2),
              "one score per model of this job only (other jobs share the output prefix), skipping null results",
              found=_res2)
for _m in _models2:
    checks.expect(abs(_res2[_m] - _exp2[_m]) < 1e-9, f"page through every object: mean for {_m}", expected=_exp2[_m],
                  found=_res2[_m])
# A failed job raises RuntimeError naming the reason (the output bucket does not exist).
_missing = f"nobucket-{uuid.uuid4().hex[:8]}"
try:
    compare_models(_br, _s3, job_name=f"cmp-{uuid.uuid4().hex[:8]}", role_arn=ROLE_ARN,
                   dataset_uri=f"s3://{_bucket}/in/golden.jsonl", output_uri=f"s3://{_missing}/out",
                   model_ids=_models[:1], judge_model_id=JUDGE, metric_names=_metrics, sleep=lambda s: None)
except RuntimeError as _exc:
    checks.expect(_missing in str(_exc), "the RuntimeError should carry the job's failureMessages", found=str(_exc))
except Exception as _exc:  # noqa: BLE001
    checks.fail("a failed job should raise RuntimeError", "RuntimeError", f"{type(_exc).__name__}: {_exc}")
else:
    checks.fail("a failed job should raise RuntimeError", "RuntimeError", "no error")
# pick_model: threshold, cost, tie on cost broken by score, nobody qualifies.
_rng = random.Random()
_names = [f"m{i}" for i in range(6)]
_sc = {n: round(_rng.uniform(0.3, 1.0), 3) for n in _names}
_co = {n: _rng.choice([1.0, 2.0, 3.0]) for n in _names}
_bar = 0.6
_ok = [n for n in _names if _sc[n] >= _bar]
_want = min(_ok, key=lambda n: (_co[n], -_sc[n])) if _ok else None
checks.expect_equal(checks.call(pick_model, _sc, _co, _bar), _want, "cheapest model at or above min_quality")
checks.expect_equal(checks.call(pick_model, {"a": 0.8, "b": 0.9}, {"a": 2.0, "b": 2.0}, 0.5), "b", "same cost: the higher score wins")
checks.expect_equal(checks.call(pick_model, {"a": 0.6, "b": 0.9}, {"a": 1.0, "b": 9.0}, 0.6), "a", "a score equal to the bar qualifies")
checks.expect_equal(checks.call(pick_model, {"a": 0.2}, {"a": 1.0}, 0.5), None, "no model qualifies: None")
### END HIDDEN TESTS

# %% [markdown]
# **Try it: quality against cost.** Four Nova and Claude models on the golden dataset, with the
# cost of one average request from each model's on-demand prices (token counts from `CountTokens`
# would be exact; here we use the simulator's catalogue). The best choice is the cheapest model
# above the quality bar, not the top scorer.

# %%
PRICES = {  # USD per 1,000 tokens (input, output), from the simulator's catalogue; check the pricing page
    MICRO: (0.000035, 0.00014), LITE: (0.00006, 0.00024), PRO: (0.0008, 0.0032), HAIKU: (0.00025, 0.00125),
}
COSTS = {m: round(1000 * (400 / 1000 * p_in + 60 / 1000 * p_out), 4) for m, (p_in, p_out) in PRICES.items()}  # 400 in, 60 out
try:
    QUALITY = compare_models(bedrock, s3, job_name=f"compare-four-{int(time.time())}", role_arn=ROLE_ARN, dataset_uri=GOLDEN_URI,
                             output_uri=f"s3://{BUCKET}/results", model_ids=list(PRICES), judge_model_id=JUDGE,
                             metric_names=["Builtin.Correctness", "Builtin.Faithfulness", "Builtin.Completeness"],
                             sleep=lambda s: None)
except NotImplementedError:
    QUALITY = None
    print("Complete Exercise 2 to see the comparison.")
if QUALITY:
    print("choice at quality >= 0.8:", pick_model(QUALITY, COSTS, 0.8))
    _fig, _ax = plt.subplots(figsize=(6, 3.2))
    for _m, _q in QUALITY.items():
        _ax.scatter(COSTS[_m], _q, s=60)
        _ax.annotate(_m.split(".")[1].split("-2")[0], (COSTS[_m], _q), textcoords="offset points", xytext=(5, 4), fontsize=8)
    _ax.axhline(0.8, linestyle="--", linewidth=1)
    _ax.set_xscale("log")
    _ax.set_xlabel("USD per 1,000 requests (log scale)")
    _ax.set_ylabel("mean judge score")
    _ax.set_title("Pick the cheapest model above the quality bar")
    plt.show()

# %% [markdown]
# # Part 2 — Evaluating RAG, agents and users' experience

# %% [markdown]
# ## RAG evaluation: retrieval and generation, measured apart <a id="rag-evaluation"></a>
#
# A RAG answer can fail in two places: the **retriever** did not bring back the passages that
# hold the answer, or the **generator** had them and still answered badly. Fixes differ
# (chunking, embeddings, hybrid search, reranking, metadata filters for the first; prompt,
# model, maximum tokens for the second), so measure both.
#
# **Bedrock RAG evaluation jobs** (`applicationType="RagEvaluation"`) evaluate a knowledge base
# (or your own RAG system's outputs) with an evaluator model:
#
# | Job | What Bedrock runs | Built-in metrics |
# |---|---|---|
# | **Retrieve only** (`retrieveConfig`) | `Retrieve` on your knowledge base | **context relevance** (are the retrieved passages about the question?), **context coverage** (do they hold everything in the ground truth? needs `referenceResponses`) |
# | **Retrieve and generate** (`retrieveAndGenerateConfig`) | `RetrieveAndGenerate` with your generator model | correctness, completeness, helpfulness, logical coherence, **faithfulness**, **citation precision** and **citation coverage**, harmfulness, stereotyping, refusal |
#
# The dataset uses `conversationTurns`: each turn has a `prompt` and (recommended)
# `referenceResponses`; retrieve-only jobs take a single turn per conversation,
# retrieve-and-generate up to five.
#
# Retrieval testing also has operational measures you collect yourself: **retrieval latency**
# (time of the `Retrieve` call, or the knowledge base's CloudWatch metrics), the **score
# distribution** of the top results (relevant chunks should stand clearly above the rest), hit
# rate / recall at k on a labelled set, and how answers change when you change the chunking or
# the number of results.
#
# **Exam tip:** "answers are wrong: is it the retriever or the model?" → run a retrieve-only
# evaluation (context coverage/relevance) and a retrieve-and-generate evaluation (correctness,
# faithfulness) on the same questions; low coverage means retrieval, high coverage with low
# correctness means generation.
#
# **Try it.** Build the help-desk knowledge base the rest of the notebook uses, then run both
# RAG evaluation jobs over eight golden questions.

# %%
agent = aws.client("bedrock-agent")
agent_runtime = aws.client("bedrock-agent-runtime")
HELP_DOCS = {
    "policies/returns.md": "# Returns\nRefunds are issued within 14 days of the return. Returned items must be unused and in "
    "the original box. Gift cards cannot be returned.",
    "policies/shipping.md": "# Shipping\nStandard shipping is free for orders over 50 dollars. Express shipping costs 12 dollars "
    "and arrives in two days. We ship to 30 countries.",
    "policies/warranty.md": "# Warranty\nThe warranty covers manufacturing defects for two years. Batteries are covered for six "
    "months. Accidental damage is not covered.",
    "policies/loyalty.md": "# Loyalty\nMembers earn one point per dollar spent. Points expire after 12 months. Gold members get "
    "free express shipping.",
    "about/support-charter.md": "# Support charter\nOur friendly customer support assistants answer every customer politely. "
    "They help customers with orders, accounts, deliveries and membership questions, and always stay helpful.",
}


def build_kb(bucket, docs, name):
    """A knowledge base over `docs` (key -> text) in a new bucket; returns the knowledge base id."""
    s3.create_bucket(Bucket=bucket)
    for key, text in docs.items():
        s3.put_object(Bucket=bucket, Key=key, Body=text.encode())
    kb_id = agent.create_knowledge_base(
        name=name,
        roleArn=ROLE_ARN,
        knowledgeBaseConfiguration={
            "type": "VECTOR",
            "vectorKnowledgeBaseConfiguration": {
                "embeddingModelArn": "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0"
            },
        },
        storageConfiguration={
            "type": "OPENSEARCH_SERVERLESS",
            "opensearchServerlessConfiguration": {
                "collectionArn": f"arn:aws:aoss:us-east-1:{aws.account_id}:collection/help",
                "vectorIndexName": "help",
                "fieldMapping": {"vectorField": "vector", "textField": "text", "metadataField": "metadata"},
            },
        },
    )["knowledgeBase"]["knowledgeBaseId"]
    ds_id = agent.create_data_source(
        knowledgeBaseId=kb_id,
        name="docs",
        dataSourceConfiguration={"type": "S3", "s3Configuration": {"bucketArn": f"arn:aws:s3:::{bucket}"}},
        vectorIngestionConfiguration={
            "chunkingConfiguration": {
                "chunkingStrategy": "FIXED_SIZE",
                "fixedSizeChunkingConfiguration": {"maxTokens": 60, "overlapPercentage": 10},
            }
        },
    )["dataSource"]["dataSourceId"]
    job = agent.start_ingestion_job(knowledgeBaseId=kb_id, dataSourceId=ds_id)["ingestionJob"]
    status = agent.get_ingestion_job(knowledgeBaseId=kb_id, dataSourceId=ds_id, ingestionJobId=job["ingestionJobId"])
    assert status["ingestionJob"]["status"] == "COMPLETE", status
    return kb_id


try:
    HELP_KB
except NameError:
    HELP_KB = build_kb("northwind-help-docs", HELP_DOCS, "northwind-help")
RAG_GOLDEN = [
    ("How long do refunds take?", "Refunds are issued within 14 days of the return."),
    ("How much does express shipping cost and how fast is it?", "Express shipping costs 12 dollars and arrives in two days."),
    ("Can I return a gift card?", "Gift cards cannot be returned."),
    ("How long are batteries covered?", "Batteries are covered for six months."),
    ("Do loyalty points expire?", "Points expire after 12 months."),
    ("Which payment methods do you accept?", "We accept credit cards and PayPal."),
    ("What condition must returned items be in and when is the refund issued?",
     "Returned items must be unused and in the original box. Refunds are issued within 14 days."),
    ("Do gold members pay for express shipping?", "Gold members get free express shipping."),
]
RAG_URI = put_jsonl("datasets/rag-golden.jsonl", [
    {"conversationTurns": [{"prompt": {"content": [{"text": q}]}, "referenceResponses": [{"content": [{"text": a}]}]}]}
    for q, a in RAG_GOLDEN
])


def rag_job(name, metrics, rag_config):
    return bedrock.create_evaluation_job(
        jobName=name, roleArn=ROLE_ARN, applicationType="RagEvaluation",
        evaluationConfig={"automated": {
            "datasetMetricConfigs": [{"taskType": "General", "dataset": {"name": "rag-golden", "datasetLocation": {"s3Uri": RAG_URI}},
                                      "metricNames": metrics}],
            "evaluatorModelConfig": {"bedrockEvaluatorModels": [{"modelIdentifier": JUDGE}]},
        }},
        inferenceConfig={"ragConfigs": [{"knowledgeBaseConfig": rag_config}]},
        outputDataConfig={"s3Uri": f"s3://{BUCKET}/rag-results/"},
    )["jobArn"]


_stamp = int(time.time())
RETRIEVE_JOB = rag_job(f"kb-retrieve-{_stamp}", ["Builtin.ContextRelevance", "Builtin.ContextCoverage"], {
    "retrieveConfig": {"knowledgeBaseId": HELP_KB,
                       "knowledgeBaseRetrievalConfiguration": {"vectorSearchConfiguration": {"numberOfResults": 3}}}})
GENERATE_JOB = rag_job(f"kb-generate-{_stamp}", ["Builtin.Correctness", "Builtin.Faithfulness", "Builtin.CitationPrecision"], {
    "retrieveAndGenerateConfig": {"type": "KNOWLEDGE_BASE", "knowledgeBaseConfiguration": {
        "knowledgeBaseId": HELP_KB, "modelArn": f"arn:aws:bedrock:us-east-1::foundation-model/{LITE}",
        "retrievalConfiguration": {"vectorSearchConfiguration": {"numberOfResults": 3}}}}})
for _arn in (RETRIEVE_JOB, GENERATE_JOB):
    print(_arn.rsplit("/", 1)[1], bedrock.get_evaluation_job(jobIdentifier=_arn)["status"])

# %%
quiz.show("evaluation", "rag-evaluation")

# %% [markdown]
# ### Exercise 3 — tell retrieval failures from generation failures (3 points)
#
# Write `triage_rag(bedrock, s3, retrieve_job_arn, generate_job_arn, *, threshold=0.75)`:
#
# 1. for each of the two jobs, call `get_evaluation_job` until the status is no longer
#    `InProgress`; raise `RuntimeError` if it is not `Completed`;
# 2. read every `_output.jsonl` object under `<outputDataConfig.s3Uri>/<jobName>/` of that job
#    (page through the listing; skip blank lines). Each line holds `conversationTurns` (one or
#    more); in each turn the question
#    is `inputRecord["prompt"]["content"][0]["text"]` and `results` is a list of
#    `{"metricName", "result"}`;
# 3. take `Builtin.ContextCoverage` for each question from the retrieve-only job and
#    `Builtin.Correctness` from the retrieve-and-generate job;
# 4. return `{question: verdict}` for every question of the retrieve-only job: `"retrieval"`
#    when its coverage is below `threshold` (or missing or `null`), otherwise `"generation"`
#    when its correctness is below `threshold` (or missing or `null`), otherwise `"ok"`.

# %% kind="solution" grade_id="rag-triage"
def triage_rag(bedrock, s3, retrieve_job_arn, generate_job_arn, *, threshold=0.75):
    """Classify each golden question as a retrieval failure, a generation failure or ok."""
    ### BEGIN SOLUTION
    def metric_by_question(job_arn, metric):
        job = bedrock.get_evaluation_job(jobIdentifier=job_arn)
        while job["status"] == "InProgress":
            job = bedrock.get_evaluation_job(jobIdentifier=job_arn)
        if job["status"] != "Completed":
            raise RuntimeError(f"{job['jobName']} is {job['status']}: {job.get('failureMessages')}")
        bucket, _, prefix = job["outputDataConfig"]["s3Uri"].removeprefix("s3://").partition("/")
        prefix = "/".join(p for p in (prefix.strip("/"), job["jobName"]) if p) + "/"
        found = {}
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for obj in page.get("Contents", []):
                if not obj["Key"].endswith("_output.jsonl"):
                    continue
                for line in s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read().decode().splitlines():
                    if not line.strip():
                        continue
                    for turn in json.loads(line)["conversationTurns"]:
                        question = turn["inputRecord"]["prompt"]["content"][0]["text"]
                        scores = {r["metricName"]: r.get("result") for r in turn.get("results", [])}
                        found[question] = scores.get(metric)
        return found

    coverage = metric_by_question(retrieve_job_arn, "Builtin.ContextCoverage")
    correctness = metric_by_question(generate_job_arn, "Builtin.Correctness")
    verdicts = {}
    for question, covered in coverage.items():
        right = correctness.get(question)
        if covered is None or covered < threshold:
            verdicts[question] = "retrieval"
        elif right is None or right < threshold:
            verdicts[question] = "generation"
        else:
            verdicts[question] = "ok"
    return verdicts
    ### END SOLUTION


# %% kind="tests" grade_id="rag-triage-tests" points=3
"""Does triage_rag read both RAG jobs' results and classify each question by coverage, then correctness?"""
import json
import uuid

_br = aws.client("bedrock")
_s3 = aws.client("s3")
_verdicts = checks.call(triage_rag, _br, _s3, RETRIEVE_JOB, GENERATE_JOB)
checks.expect_type(_verdicts, dict, "triage_rag should return a dict")
checks.expect_equal(len(_verdicts), len(RAG_GOLDEN), "one verdict per golden question")
checks.expect_equal(_verdicts.get("Which payment methods do you accept?"), "retrieval",
                    "nothing in the knowledge base covers payment methods: a retrieval failure")
checks.expect_equal(_verdicts.get("How long do refunds take?"), "ok", "a question answered right is ok")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS


def _turns(job_arn):
    _desc = _br.get_evaluation_job(jobIdentifier=job_arn)
    _parts = _desc["outputDataConfig"]["s3Uri"][len("s3://"):].split("/")
    _where = "/".join([x for x in _parts[1:] if x] + [_desc["jobName"], ""])
    out = {}
    for page in _s3.get_paginator("list_objects_v2").paginate(Bucket=_parts[0], Prefix=_where):
        for o in page.get("Contents", []):
            if o["Key"].endswith("_output.jsonl"):
                for line in _s3.get_object(Bucket=_parts[0], Key=o["Key"])["Body"].read().decode().splitlines():
                    if not line.strip():
                        continue
                    for t in json.loads(line)["conversationTurns"]:
                        out[t["inputRecord"]["prompt"]["content"][0]["text"]] = {r["metricName"]: r["result"] for r in t["results"]}
    return out


def _expected(threshold):
    cov, cor = _turns(RETRIEVE_JOB), _turns(GENERATE_JOB)
    result = {}
    for q, m in cov.items():
        c, r = m.get("Builtin.ContextCoverage"), cor.get(q, {}).get("Builtin.Correctness")
        result[q] = "retrieval" if c is None or c < threshold else "generation" if r is None or r < threshold else "ok"
    return result


checks.expect_equal(_verdicts, _expected(0.75), "every verdict with the default threshold 0.75")
checks.expect("generation" in _verdicts.values(), "at least one golden question is a generation failure", found=_verdicts)
for _t in (0.3, 0.5, 1.0):
    checks.expect_equal(checks.call(triage_rag, _br, _s3, RETRIEVE_JOB, GENERATE_JOB, threshold=_t), _expected(_t),
                        f"verdicts with threshold {_t}")
# Small listing pages: results must still all be read.
_s3.meta.events.register("provide-client-params.s3.ListObjectsV2", lambda params, **kw: params.update(MaxKeys=1))
for _i in range(3):
    _job = _br.get_evaluation_job(jobIdentifier=RETRIEVE_JOB)
    _s3.put_object(Bucket=BUCKET, Key=f"rag-results/{_job['jobName']}/-extra-{_i}.txt", Body=b"x")
checks.expect_equal(checks.call(triage_rag, _br, _s3, RETRIEVE_JOB, GENERATE_JOB), _expected(0.75),
                    "page through the listing of each job's results")
# The jobs' names and locations come from get_evaluation_job, not from this notebook's constants:
# swap the roles of two fresh jobs with other names and another prefix.
_q = f"What does the warranty cover {uuid.uuid4().hex[:4]}?"
_key = f"hidden/{uuid.uuid4().hex[:6]}.jsonl"
_s3.put_object(Bucket=BUCKET, Key=_key, Body=(json.dumps({"conversationTurns": [{"prompt": {"content": [{"text": _q}]},
               "referenceResponses": [{"content": [{"text": "The warranty covers manufacturing defects for two years."}]}]}]}) + "\n").encode())


def _job_for(name, metrics, config):
    return _br.create_evaluation_job(
        jobName=name, roleArn=ROLE_ARN, applicationType="RagEvaluation",
        evaluationConfig={"automated": {"datasetMetricConfigs": [{"taskType": "General", "dataset": {"name": "d", "datasetLocation": {"s3Uri": f"s3://{BUCKET}/{_key}"}}, "metricNames": metrics}],
                                        "evaluatorModelConfig": {"bedrockEvaluatorModels": [{"modelIdentifier": JUDGE}]}}},
        inferenceConfig={"ragConfigs": [{"knowledgeBaseConfig": config}]},
        outputDataConfig={"s3Uri": f"s3://{BUCKET}/other/{uuid.uuid4().hex[:6]}X/"})["jobArn"]


_r = _job_for(f"r-{uuid.uuid4().hex[:8]}", ["Builtin.ContextCoverage"], {"retrieveConfig": {"knowledgeBaseId": HELP_KB, "knowledgeBaseRetrievalConfiguration": {"vectorSearchConfiguration": {"numberOfResults": 2}}}})
_g = _job_for(f"g-{uuid.uuid4().hex[:8]}", ["Builtin.Correctness"], {"retrieveAndGenerateConfig": {"type": "KNOWLEDGE_BASE", "knowledgeBaseConfiguration": {"knowledgeBaseId": HELP_KB, "modelArn": f"arn:aws:bedrock:us-east-1::foundation-model/{HAIKU}", "generationConfiguration": {"kbInferenceConfig": {"textInferenceConfig": {"maxTokens": 4}}}}}})
_v = checks.call(triage_rag, _br, _s3, _r, _g)
checks.expect_equal(_v, {_q: "generation"}, "the question is retrieved but the 4-token answer is cut: a generation failure")
# A question without a reference (coverage null) is a retrieval verdict; one the generate job
# never answered (correctness missing) is a generation verdict.
_q2, _q3 = f"How long do refunds take {uuid.uuid4().hex[:4]}?", f"Do loyalty points expire {uuid.uuid4().hex[:4]}?"
_turn = lambda q, ref: {"conversationTurns": [{"prompt": {"content": [{"text": q}]},  # noqa: E731
                                               **({"referenceResponses": [{"content": [{"text": ref}]}]} if ref else {})}]}
_key = f"hidden/{uuid.uuid4().hex[:6]}.jsonl"
_s3.put_object(Bucket=BUCKET, Key=_key, Body="".join(json.dumps(r) + "\n" for r in [
    _turn(_q2, None), _turn(_q3, "Points expire after 12 months.")]).encode())
_r2 = _job_for(f"r-{uuid.uuid4().hex[:8]}", ["Builtin.ContextCoverage"], {"retrieveConfig": {"knowledgeBaseId": HELP_KB, "knowledgeBaseRetrievalConfiguration": {"vectorSearchConfiguration": {"numberOfResults": 2}}}})
_key = f"hidden/{uuid.uuid4().hex[:6]}.jsonl"
_s3.put_object(Bucket=BUCKET, Key=_key, Body=(json.dumps(_turn(_q2, "Refunds are issued within 14 days.")) + "\n").encode())
_g2 = _job_for(f"g-{uuid.uuid4().hex[:8]}", ["Builtin.Correctness"], {"retrieveAndGenerateConfig": {"type": "KNOWLEDGE_BASE", "knowledgeBaseConfiguration": {"knowledgeBaseId": HELP_KB, "modelArn": f"arn:aws:bedrock:us-east-1::foundation-model/{HAIKU}"}}})
checks.expect_equal(checks.call(triage_rag, _br, _s3, _r2, _g2), {_q2: "retrieval", _q3: "generation"},
                    "a null or missing coverage is a retrieval verdict; a missing correctness a generation verdict")
# A job that answers InProgress at first, several results files in one listing page (one with
# blank lines) and a conversation of two turns: every turn of every file counts.
_s3b, _brb = aws.client("s3"), aws.client("bedrock")
_polls = {"fake": 2, "gets": 0}


def _in_progress(parsed, **kw):
    _polls["gets"] += 1
    if _polls["fake"] > 0 and parsed.get("status") == "Completed":
        _polls["fake"] -= 1
        parsed["status"] = "InProgress"


_q4, _q5, _q6 = (f"{q} {uuid.uuid4().hex[:4]}?" for q in ("How long do refunds take", "What does express shipping cost",
                                                          "Can gift cards be returned"))
_refs = {_q4: "Refunds are issued within 14 days.", _q5: "Express shipping costs 12 dollars.", _q6: "Gift cards cannot be returned."}
_key = f"hidden/{uuid.uuid4().hex[:6]}.jsonl"
_s3.put_object(Bucket=BUCKET, Key=_key, Body="".join(json.dumps(_turn(q, _refs[q])) + "\n" for q in (_q4, _q5)).encode())
_r3 = _job_for(f"r-{uuid.uuid4().hex[:8]}", ["Builtin.ContextCoverage"], {"retrieveConfig": {"knowledgeBaseId": HELP_KB, "knowledgeBaseRetrievalConfiguration": {"vectorSearchConfiguration": {"numberOfResults": 3}}}})
_key = f"hidden/{uuid.uuid4().hex[:6]}.jsonl"
_s3.put_object(Bucket=BUCKET, Key=_key, Body=(json.dumps({"conversationTurns": [
    _turn(q, _refs[q])["conversationTurns"][0] for q in (_q4, _q5, _q6)]}) + "\n").encode())
_g3 = _job_for(f"g-{uuid.uuid4().hex[:8]}", ["Builtin.Correctness"], {"retrieveAndGenerateConfig": {"type": "KNOWLEDGE_BASE", "knowledgeBaseConfiguration": {"knowledgeBaseId": HELP_KB, "modelArn": f"arn:aws:bedrock:us-east-1::foundation-model/{HAIKU}"}}})
_desc3 = _br.get_evaluation_job(jobIdentifier=_r3)  # completes the job: its results are written
_loc3 = _desc3["outputDataConfig"]["s3Uri"][len("s3://"):].split("/", 1)[1].strip("/")
_s3.put_object(Bucket=BUCKET, Key=f"{_loc3}/{_desc3['jobName']}/zz-more_output.jsonl", Body=("\n" + json.dumps(
    {"conversationTurns": [{"inputRecord": {"prompt": {"content": [{"text": _q6}]}},
                            "results": [{"metricName": "Builtin.ContextCoverage", "result": 0.9}]}]}) + "\n\n").encode())
_brb.meta.events.register("after-call.bedrock.GetEvaluationJob", _in_progress)
_v3 = checks.call(triage_rag, _brb, _s3b, _r3, _g3, threshold=0.0)
checks.expect(_polls["gets"] >= 3, "call get_evaluation_job again while a job is InProgress (it was twice here)",
              found=f"{_polls['gets']} GetEvaluationJob calls")
checks.expect_equal(_v3, {_q4: "ok", _q5: "ok", _q6: "ok"},
                    "read every results file of the job and every turn of each line (threshold 0: every scored question is ok)")
# A failed job raises RuntimeError.
_bad = _br.create_evaluation_job(
    jobName=f"bad-{uuid.uuid4().hex[:8]}", roleArn=ROLE_ARN, applicationType="RagEvaluation",
    evaluationConfig={"automated": {"datasetMetricConfigs": [{"taskType": "General", "dataset": {"name": "d", "datasetLocation": {"s3Uri": f"s3://{BUCKET}/missing.jsonl"}}, "metricNames": ["Builtin.ContextCoverage"]}],
                                    "evaluatorModelConfig": {"bedrockEvaluatorModels": [{"modelIdentifier": JUDGE}]}}},
    inferenceConfig={"ragConfigs": [{"knowledgeBaseConfig": {"retrieveConfig": {"knowledgeBaseId": HELP_KB, "knowledgeBaseRetrievalConfiguration": {"vectorSearchConfiguration": {}}}}}]},
    outputDataConfig={"s3Uri": f"s3://{BUCKET}/other"})["jobArn"]
try:
    triage_rag(_br, _s3, _bad, _g)
except RuntimeError:
    pass
except Exception as _exc:  # noqa: BLE001
    checks.fail("a failed job should raise RuntimeError", "RuntimeError", f"{type(_exc).__name__}: {_exc}")
else:
    checks.fail("a failed job should raise RuntimeError", "RuntimeError", "no error")
### END HIDDEN TESTS

# %% [markdown]
# **Try it: the RAG evaluation's report.** Context coverage (retrieve-only job) against
# correctness (retrieve-and-generate job), per golden question, with your `triage_rag`.

# %%
try:
    _v = triage_rag(bedrock, s3, RETRIEVE_JOB, GENERATE_JOB)
    for _q, _verdict in _v.items():
        print(f"{_verdict:10} {_q}")
except NotImplementedError:
    print("Complete Exercise 3 to see which questions fail where.")

# %% [markdown]
# ## Agent evaluation: task completion, tool use and reasoning <a id="agent-evaluation"></a>
#
# An agent is judged on the **trajectory**, not only the final text:
#
# | Measure | Question |
# |---|---|
# | **Task completion (goal success) rate** | Did the agent achieve what the user wanted, end to end? |
# | **Tool selection accuracy** | Did it call the right tool (and avoid tools it did not need)? |
# | **Tool parameter accuracy** | Were the arguments right (order id, currency, dates)? |
# | **Efficiency** | How many model calls, tool calls, tokens and seconds did it take? |
# | **Reasoning quality / faithfulness** | Does the final answer follow from the tool results, without invented steps? |
#
# You need a **ground-truth set** of tasks with the expected tool calls and outcomes, traces of
# each run (tool inputs and outputs, model turns), and a scorer (code for exact checks, a judge
# for open-ended ones). **Amazon Bedrock AgentCore Evaluations** does this as a managed service:
# built-in evaluators (LLM-as-a-judge) for response quality, safety, task completion and tool
# use, custom evaluators, **online evaluation** that samples and scores production traces
# continuously, and **on-demand evaluation** for CI/CD regression tests. It reads OpenTelemetry
# traces from agents built with frameworks such as Strands Agents and LangGraph, hosted on
# AgentCore Runtime or elsewhere. For Bedrock Agents, the trace (`enableTrace`) shows each
# orchestration step to score the same way.
#
# **Exam tip:** "measure whether our agent calls the right tools with the right parameters and
# completes the task, continuously in production" → agent traces scored by AgentCore
# Evaluations (online evaluation), not a text-similarity metric on the final answer.
#
# **Try it.** Five support tasks with the tool and arguments a correct agent would use. One
# Converse turn each shows which tool the model picks; the tool result then goes back for the
# final answer, which must contain the expected fact.

# %%
TOOLS = {"tools": [
    {"toolSpec": {"name": "get_order_status", "description": "Look up the delivery status of an order by its order id.",
                  "inputSchema": {"json": {"type": "object", "properties": {"order_id": {"type": "string", "description": "such as A-1001"}},
                                           "required": ["order_id"]}}}},
    {"toolSpec": {"name": "get_refund_policy", "description": "Return the refund policy for a product category.",
                  "inputSchema": {"json": {"type": "object", "properties": {"category": {"type": "string", "enum": ["shoes", "electronics", "books"]}},
                                           "required": ["category"]}}}},
]}
TOOL_RESULTS = {"get_order_status": {"status": "shipped", "eta": "Friday"}, "get_refund_policy": {"days": 30}}
TASKS = [
    ("Where is my order A-1001?", "get_order_status", {"order_id": "A-1001"}, "shipped"),
    ("What is the refund policy for shoes?", "get_refund_policy", {"category": "shoes"}, "30"),
    ("Check the delivery status of order B-2002 please", "get_order_status", {"order_id": "B-2002"}, "Friday"),
    ("Can I get a refund on electronics?", "get_refund_policy", {"category": "electronics"}, "30"),
    ("Tell me a joke about penguins", None, None, None),
]
_right_tool = _right_args = _completed = 0
for _task, _tool, _args, _fact in TASKS:
    _messages = [{"role": "user", "content": [{"text": _task}]}]
    _r = runtime.converse(modelId=HAIKU, messages=_messages, toolConfig=TOOLS)
    _uses = [b["toolUse"] for b in _r["output"]["message"]["content"] if "toolUse" in b]
    _called = _uses[0]["name"] if _uses else None
    _right_tool += _called == _tool
    _right_args += bool(_uses) and _uses[0]["input"] == _args
    if _uses:
        _messages += [_r["output"]["message"], {"role": "user", "content": [{"toolResult": {
            "toolUseId": _uses[0]["toolUseId"], "content": [{"json": TOOL_RESULTS[_called]}]}}]}]
        _final = runtime.converse(modelId=HAIKU, messages=_messages, toolConfig=TOOLS)["output"]["message"]["content"][0]["text"]
        _completed += _fact is not None and _fact in _final
    else:
        _completed += _tool is None
    print(f"{_task[:45]:45} -> {_called or 'no tool'} {_uses[0]['input'] if _uses else ''}")
print(f"tool selection accuracy {_right_tool}/{len(TASKS)}, parameter accuracy {_right_args}/{len(TASKS) - 1}, "
      f"task completion {_completed}/{len(TASKS)}")

# %%
quiz.show("evaluation", "agent-evaluation")

# %% [markdown]
# ## User-centred evaluation: feedback, ratings and annotation <a id="user-feedback"></a>
#
# Offline datasets age; users tell you what matters now. A feedback loop has four parts:
#
# 1. **Capture** in the interface: thumbs up/down, a 1–5 rating, a reason ("wrong", "not
#    helpful", "unsafe"), an optional comment, and implicit signals (copied the answer, asked
#    again, escalated to a person). Store each with the request id, prompt version, model id and
#    retrieved sources (DynamoDB or S3, plus the invocation log).
# 2. **Route** low-rated or uncertain answers to people: a review queue with **Amazon Augmented AI
#    (A2I)** human review workflows, or labelling jobs in **SageMaker Ground Truth** (your own
#    workforce or a vendor) with clear annotation instructions and several annotators per item.
# 3. **Learn**: reviewed items become new golden-set entries (with the corrected answer as the
#    reference), regression tests and, where useful, fine-tuning or preference data.
# 4. **Watch**: dashboards of satisfaction rate per prompt version, model and topic, with alarms
#    on drops.
#
# Keep personal data out of feedback stores (or mask it) and sample fairly: only angry users
# click thumbs down.
#
# **Exam tip:** "collect end-user ratings and have domain experts review the worst answers" →
# feedback capture in the app, a human review workflow (A2I or Ground Truth), and the reviewed
# items fed back into the golden dataset.
#
# **Try it.** Thumbs-down feedback in DynamoDB, grouped by prompt version, and the items to send
# to review.

# %%
dynamodb = aws.client("dynamodb")
try:
    dynamodb.create_table(TableName="answer-feedback", BillingMode="PAY_PER_REQUEST",
                          AttributeDefinitions=[{"AttributeName": "requestId", "AttributeType": "S"}],
                          KeySchema=[{"AttributeName": "requestId", "KeyType": "HASH"}])
except dynamodb.exceptions.ResourceInUseException:
    pass
_feedback = [("r1", "v1", "up", ""), ("r2", "v1", "down", "wrong refund period"), ("r3", "v2", "up", ""),
             ("r4", "v2", "up", ""), ("r5", "v2", "down", "too long"), ("r6", "v1", "down", "made up a policy")]
for _rid, _ver, _vote, _comment in _feedback:
    dynamodb.put_item(TableName="answer-feedback", Item={"requestId": {"S": _rid}, "promptVersion": {"S": _ver},
                                                         "vote": {"S": _vote}, "comment": {"S": _comment}})
_items = [i for p in dynamodb.get_paginator("scan").paginate(TableName="answer-feedback") for i in p["Items"]]
for _ver in sorted({i["promptVersion"]["S"] for i in _items}):
    _votes = [i["vote"]["S"] for i in _items if i["promptVersion"]["S"] == _ver]
    print(f"prompt {_ver}: {_votes.count('up')}/{len(_votes)} thumbs up")
print("to review:", sorted((i["requestId"]["S"], i["comment"]["S"]) for i in _items if i["vote"]["S"] == "down"))

# %%
quiz.show("evaluation", "user-feedback")

# %% [markdown]
# # Part 3 — Keeping quality up

# %% [markdown]
# ## Continuous evaluation: golden datasets and regression gates <a id="continuous-evaluation"></a>
#
# Every change can lower quality: a new prompt version, a new model version, a new embedding
# model, re-chunked documents, a guardrail setting. Treat them like code changes and **test
# them before release**:
#
# - A **golden dataset**: questions with reference answers and the facts an answer must (and
#   must not) contain, covering each use case, edge cases and known past failures. Include
#   **hallucination probes** (skill 4.3.6): questions the sources cannot answer, whose right
#   answer is "I don't know", and questions with a trap (a plausible but wrong fact). Version the
#   set and keep it out of any training data.
# - **Output regression tests**: run the golden set against the current and the candidate
#   version, score both the same way, and compare **per item** (which ones regressed) as well as
#   on average. Diffing outputs between versions shows what changed.
# - An **automated deployment gate**: a pipeline step (AWS CodePipeline with a CodeBuild action
#   or a Lambda function, or a Step Functions state) that runs the comparison and **fails the
#   stage** when the candidate's score drops more than the tolerance, or any critical item (a
#   hallucination probe, a safety case) fails. Only then is the new prompt version or model id
#   promoted (for example by updating the alias or parameter the application reads).
# - **After release**: keep evaluating a sample of live traffic (LLM-as-a-judge on sampled
#   invocation logs, user feedback) and alarm on drops.
#
# **Validation during model updates (5.1.9).** When a provider ships a new model version, or
# you move to a new model, replay **synthetic user workflows** (scripted multi-step
# conversations) against both, check **consistency** (same answers to the same and paraphrased
# questions), **semantic drift** (embedding similarity or judge agreement between old and new
# answers) and hallucination rates on the probes. **CloudWatch Synthetics canaries** run such
# scripted checks against your endpoint on a schedule, even when no users are active.
#
# **Exam tip:** "block a prompt change that lowers answer quality before it reaches
# production" → a golden-dataset evaluation step in the CI/CD pipeline that fails the build on a
# regression, not a manual review or an alarm after deployment.

# %%
quiz.show("evaluation", "continuous-evaluation")

# %% [markdown]
# ### Exercise 4 — a regression gate for prompt versions (4 points)
#
# The help-desk prompt lives in Bedrock Prompt Management; the pipeline must decide whether a
# new version may replace the current one. Write `regression_gate(runtime, golden, baseline_arn,
# candidate_arn, *, max_drop=0.0)`. Each golden item is a dict with `"id"`, `"variables"` (a
# dict of prompt variable name → text), `"must_include"` and `"must_not_include"` (lists of
# phrases) and `"critical"` (a boolean: hallucination probes and safety cases).
#
# 1. Run every item, in order, against the baseline version and then against the candidate:
#    `runtime.converse(modelId=<version ARN>, promptVariables={name: {"text": value}, ...})`.
# 2. An item **passes** when the answer text contains every `must_include` phrase and none of
#    the `must_not_include` phrases, ignoring case. A call that raises `ClientError` (for
#    example a variable the template needs but the item lacks) counts as a failure.
# 3. Return a dict:
#    - `"baseline"`, `"candidate"`: the share of items that pass (0.0–1.0);
#    - `"regressions"`: ids that pass on the baseline and fail on the candidate, in golden order;
#    - `"critical_failures"`: ids of critical items that fail on the candidate, in golden order;
#    - `"passed"`: `True` only if the candidate's share is at least the baseline's minus
#      `max_drop` **and** there are no critical failures.

# %% kind="solution" grade_id="regression-gate"
def regression_gate(runtime, golden, baseline_arn, candidate_arn, *, max_drop=0.0):
    """Compare two prompt versions on a golden dataset and decide whether the candidate may ship."""
    ### BEGIN SOLUTION
    def passes(arn, item):
        try:
            response = runtime.converse(
                modelId=arn, promptVariables={k: {"text": v} for k, v in item["variables"].items()}
            )
        except ClientError:
            return False
        text = "".join(b.get("text", "") for b in response["output"]["message"]["content"]).lower()
        return all(p.lower() in text for p in item["must_include"]) and not any(
            p.lower() in text for p in item["must_not_include"]
        )

    before = [passes(baseline_arn, item) for item in golden]
    after = [passes(candidate_arn, item) for item in golden]
    n = len(golden) or 1
    baseline, candidate = sum(before) / n, sum(after) / n
    regressions = [item["id"] for item, b, a in zip(golden, before, after) if b and not a]
    critical = [item["id"] for item, a in zip(golden, after) if item.get("critical") and not a]
    return {
        "baseline": baseline,
        "candidate": candidate,
        "regressions": regressions,
        "critical_failures": critical,
        "passed": candidate >= baseline - max_drop and not critical,
    }
    ### END SOLUTION


# %% kind="tests" grade_id="regression-gate-tests" points=4
"""Does regression_gate run the golden set on both versions, score each item, and gate on drop and critical failures?"""
import random
import uuid

_ag = aws.client("bedrock-agent")
_rt = aws.client("bedrock-runtime")
_calls = []
_rt.meta.events.register("provide-client-params.bedrock-runtime.Converse", lambda params, **kw: _calls.append(params))


def _version(template, variables, model="amazon.nova-lite-v1:0"):
    p = _ag.create_prompt(name=f"gate-{uuid.uuid4().hex[:8]}", defaultVariant="v", variants=[{
        "name": "v", "templateType": "TEXT", "modelId": model,
        "templateConfiguration": {"text": {"text": template, "inputVariables": [{"name": v} for v in variables]}},
        "inferenceConfiguration": {"text": {"maxTokens": 200, "temperature": 0}}}])
    return _ag.create_prompt_version(promptIdentifier=p["id"])["arn"]


_ctx = "Refunds are issued within 14 days of the return. Express shipping costs 12 dollars."
_good = _version("<context>{{context}}</context>\nAnswer from the context only; otherwise say you don't know.\nQuestion: {{question}}",
                 ["context", "question"])
_flat = _version("{{context}}\n\n{{question}}", ["context", "question"])
_gold = [
    {"id": "refund", "variables": {"context": _ctx, "question": "How long do refunds take?"}, "must_include": ["14 days"],
     "must_not_include": [], "critical": False},
    {"id": "express", "variables": {"context": _ctx, "question": "How much does express shipping cost?"},
     "must_include": ["12 dollars"], "must_not_include": ["free"], "critical": False},
    {"id": "probe-mars", "variables": {"context": _ctx, "question": "Do you ship to Mars?"}, "must_include": ["don't know"],
     "must_not_include": [], "critical": True},
]
_out = checks.call(regression_gate, _rt, _gold, _good, _flat)
checks.expect_type(_out, dict, "regression_gate should return a dict")
checks.expect_equal(len(_calls), 6, "three golden items on two versions: six Converse calls")
checks.expect_equal([c.get("modelId") for c in _calls], [_good] * 3 + [_flat] * 3, "baseline first, then the candidate")
checks.expect_equal(_calls[0].get("promptVariables"), {"context": {"text": _ctx}, "question": {"text": "How long do refunds take?"}},
                    "pass each variable as {'text': value}")
checks.expect_equal((_out.get("baseline"), _out.get("candidate")), (1.0, 0.0), "pass shares of the two versions")
checks.expect_equal(_out.get("passed"), False, "a candidate that fails everything must be blocked")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
checks.expect_equal(_out.get("regressions"), ["refund", "express", "probe-mars"], "every item regressed, in golden order")
checks.expect_equal(_out.get("critical_failures"), ["probe-mars"], "the failed probe is a critical failure")
# The same version on both sides passes; so does a reworded template with the same content.
_calls.clear()
_docs = _version("Use only these documents.\n<documents>{{context}}</documents>\nQuestion: {{question}}", ["context", "question"])
_same = checks.call(regression_gate, _rt, _gold, _good, _docs)
checks.expect_equal((_same.get("baseline"), _same.get("candidate"), _same.get("regressions"), _same.get("critical_failures"),
                     _same.get("passed")), (1.0, 1.0, [], [], True), "an equivalent candidate passes the gate")
# Case is ignored; must_not_include blocks; a ClientError (missing variable) is a failure, not a crash.
_tone = _version("<context>{{context}}</context>\nWrite in a {{tone}} voice.\nQuestion: {{question}}", ["context", "question", "tone"])
_gold2 = [
    {"id": f"a{random.randint(0, 99)}", "variables": {"context": _ctx, "question": "How long do refunds take?"},
     "must_include": ["REFUNDS ARE ISSUED"], "must_not_include": [], "critical": False},
    {"id": "no-days", "variables": {"context": _ctx, "question": "How long do refunds take?"}, "must_include": [],
     "must_not_include": ["14 DAYS"], "critical": False},
]
_r = checks.call(regression_gate, _rt, _gold2, _good, _tone)
checks.expect_equal((_r.get("baseline"), _r.get("candidate")), (0.5, 0.0),
                    "phrases match ignoring case; a must_not_include phrase fails the item; a ClientError is a failure")
checks.expect_equal(_r.get("regressions"), [_gold2[0]["id"]], "only items that passed before can regress")
# Tolerance: a drop within max_drop passes when nothing critical fails; a critical failure always blocks.
_gold3 = [dict(g, critical=False) for g in _gold]
_tol = checks.call(regression_gate, _rt, _gold3 + _gold3[:1], _good, _good, max_drop=0.2)
checks.expect_equal(_tol.get("passed"), True, "no drop at all passes")
_part = _version("<context>{{context}}</context>\nQuestion: {{question}}\nAnswer in at most three words.", ["context", "question"])
_calls.clear()
_mixed = checks.call(regression_gate, _rt, _gold3, _good, _part, max_drop=0.7)
checks.expect(isinstance(_mixed.get("candidate"), float) and _mixed["candidate"] < 1.0, "the terse candidate fails some items",
              found=_mixed)
checks.expect_equal(_mixed.get("passed"), _mixed["candidate"] >= 1.0 - 0.7, "within max_drop and nothing critical: passes")
_strict = checks.call(regression_gate, _rt, _gold3, _good, _part, max_drop=0.0)
checks.expect_equal(_strict.get("passed"), False, "with max_drop 0 any drop blocks the candidate")
_crit = checks.call(regression_gate, _rt, _gold, _good, _flat, max_drop=1.0)
checks.expect_equal(_crit.get("passed"), False, "a critical failure blocks even within max_drop")
### END HIDDEN TESTS

# %% [markdown]
# **Try it: the gate in a pipeline.** Four candidate versions of the help-desk prompt, each
# gated against version 1 on a golden set with two hallucination probes. Version 2 drops the
# context tags (the model no longer finds the context), version 3 rewords the instructions
# safely, version 4 adds a `{{tone}}` variable the application does not send.

# %%
def prompt_version(name, template, variables, model=LITE):
    """Create (or update) a Prompt Management prompt and publish a new version; returns the version ARN."""
    existing = [p for p in agent.list_prompts()["promptSummaries"] if p["name"] == name]
    variant = [{"name": "main", "templateType": "TEXT", "modelId": model,
                "templateConfiguration": {"text": {"text": template, "inputVariables": [{"name": v} for v in variables]}},
                "inferenceConfiguration": {"text": {"maxTokens": 200, "temperature": 0}}}]
    if existing:
        prompt_id = agent.update_prompt(promptIdentifier=existing[0]["id"], name=name, defaultVariant="main", variants=variant)["id"]
    else:
        prompt_id = agent.create_prompt(name=name, defaultVariant="main", variants=variant)["id"]
    return agent.create_prompt_version(promptIdentifier=prompt_id)["arn"]


HELP_GOLDEN = [
    {"id": "refund-days", "variables": {"context": POLICY, "question": "How long do refunds take?"},
     "must_include": ["14 days"], "must_not_include": [], "critical": False},
    {"id": "express-price", "variables": {"context": POLICY, "question": "How much does express shipping cost?"},
     "must_include": ["12 dollars"], "must_not_include": [], "critical": False},
    {"id": "returns-condition", "variables": {"context": POLICY, "question": "What condition must returned items be in?"},
     "must_include": ["unused"], "must_not_include": [], "critical": False},
    {"id": "probe-mars", "variables": {"context": POLICY, "question": "Do you ship to Mars?"},
     "must_include": ["don't know"], "must_not_include": [], "critical": True},
    {"id": "probe-ceo", "variables": {"context": POLICY, "question": "What is the CEO's salary?"},
     "must_include": ["don't know"], "must_not_include": [], "critical": True},
]
_templates = {
    "v2 (no tags)": ("{{context}}\n\n{{question}}", ["context", "question"]),
    "v3 (reworded)": ("Use only these documents.\n<documents>{{context}}</documents>\nQuestion: {{question}}", ["context", "question"]),
    "v4 (new variable)": ("<context>{{context}}</context>\nWrite in a {{tone}} voice.\nQuestion: {{question}}",
                          ["context", "question", "tone"]),
}
BASELINE = prompt_version("help-desk-v1", "<context>{{context}}</context>\nAnswer only from the context. If the answer is "
                          "not there, say you don't know.\nQuestion: {{question}}", ["context", "question"])
GATE_RUNS = {}
try:
    for _label, (_template, _vars) in _templates.items():
        _arn = prompt_version("help-desk-" + _label.split()[0], _template, _vars)
        GATE_RUNS[_label] = regression_gate(runtime, HELP_GOLDEN, BASELINE, _arn)
        print(f"{_label:18} {GATE_RUNS[_label]}")
except NotImplementedError:
    print("Complete Exercise 4 to run the gate.")
except ClientError as err:
    print("The gate itself crashed instead of failing the candidate:", err)

# %% [markdown]
# ## Reporting: dashboards, automated reports and model comparisons <a id="reporting"></a>
#
# Evaluation results are only useful if people see them and alarms fire on them:
#
# - **Per-metric, per-version charts**: a bar per metric and model (or prompt version), with the
#   quality bar drawn in; a trend line per release; the worst items with the judge's explanation.
# - **Automated reports**: the pipeline step that runs the golden set writes a summary (JSON or
#   HTML in S3, a comment on the pull request) and publishes the scores as **CloudWatch custom
#   metrics** (namespace, dimensions such as `PromptVersion` and `Model`), so a **CloudWatch
#   dashboard** shows the trend and an **alarm** fires on a drop. Amazon QuickSight suits
#   business-facing reports over results in S3 (through Athena).
# - **Bedrock's own report card** in the console for each evaluation job (score distributions
#   and explanations), and the JSONL results in S3 for anything custom.
#
# **Exam tip:** "stakeholders need a weekly view of answer quality per model version, with an
# alert when it drops" → publish evaluation scores as CloudWatch metrics with a dashboard and
# alarm (or QuickSight over the S3 results), not ad-hoc notebooks.
#
# **Try it.** The gate results as a chart, and the same numbers as CloudWatch metrics with a
# dashboard.

# %%
cloudwatch = aws.client("cloudwatch")
if GATE_RUNS:
    _labels = ["v1 (baseline)"] + list(GATE_RUNS)
    _shares = [next(iter(GATE_RUNS.values()))["baseline"]] + [r["candidate"] for r in GATE_RUNS.values()]
    _colors = ["tab:blue"] + ["tab:green" if r["passed"] else "tab:red" for r in GATE_RUNS.values()]
    _fig, _ax = plt.subplots(figsize=(6.5, 3.2))
    _ax.bar(_labels, _shares, color=_colors)
    _ax.set_ylim(0, 1.05)
    _ax.set_ylabel("golden items passed")
    _ax.set_title("Regression gate per prompt version (green: may ship, red: blocked)")
    plt.show()
    cloudwatch.put_metric_data(Namespace="HelpDesk/Evaluation", MetricData=[
        {"MetricName": "GoldenPassRate", "Dimensions": [{"Name": "PromptVersion", "Value": _label.split()[0]}],
         "Value": _share, "Unit": "None"} for _label, _share in zip(_labels, _shares)])
    cloudwatch.put_dashboard(DashboardName="help-desk-quality", DashboardBody=json.dumps({"widgets": [{
        "type": "metric", "x": 0, "y": 0, "width": 12, "height": 6,
        "properties": {"title": "Golden pass rate", "region": aws.region, "stat": "Average", "period": 300,
                       "metrics": [["HelpDesk/Evaluation", "GoldenPassRate", "PromptVersion", v.split()[0]] for v in _labels]}}]}))
    print([m["Dimensions"][0]["Value"] for m in cloudwatch.list_metrics(Namespace="HelpDesk/Evaluation")["Metrics"]])
if QUALITY:
    _fig, _ax = plt.subplots(figsize=(6.5, 3.2))
    _ax.barh([m.split(".")[1] for m in QUALITY], list(QUALITY.values()))
    _ax.axvline(0.8, linestyle="--", linewidth=1)
    _ax.set_xlim(0, 1)
    _ax.set_xlabel("mean judge score (Exercise 2)")
    _ax.set_title("Model comparison report")
    plt.show()

# %%
quiz.show("evaluation", "reporting")

# %% [markdown]
# # Part 4 — Troubleshooting GenAI applications

# %% [markdown]
# ## Content handling: context-window overflow and truncated answers <a id="content-handling"></a>
#
# Two failures look alike to users ("the answer is wrong or missing") and differ completely in
# the logs:
#
# | Symptom | What the API says | Cause | Fix |
# |---|---|---|---|
# | The call fails | `ValidationException`, e.g. *"Input is too long for requested model."*, *"prompt is too long: 210345 tokens > 200000 maximum"*, or Llama's *"This model's maximum context length is 8192 tokens"* | prompt + history + retrieved context exceed the **context window** | count tokens first (`CountTokens`, or the model's tokenizer), **chunk** long documents and summarise in stages (map-reduce), retrieve fewer/shorter chunks, trim or summarise conversation history, choose a model with a larger window |
# | The answer stops mid-sentence | a normal response with **`stopReason: "max_tokens"`** and `outputTokens` equal to the limit | the output limit (`maxTokens`, or the model's default when you set none) is too small | always check `stopReason`; raise `maxTokens` within the model's maximum, ask for a shorter answer, or continue the generation; never show a `max_tokens` answer as complete |
#
# **Dynamic chunking** sizes chunks by the token budget of the request rather than a fixed
# number of characters: measure, pack paragraphs until the next one would not fit, then
# summarise each chunk and the summaries (map-reduce), or refine a running summary.
#
# **Exam tip:** "responses are cut off mid-sentence and the stop reason is max_tokens" → raise
# the output token limit (or shorten the requested output), not the temperature or the context.
# "ValidationException: input is too long" on long documents → chunk and summarise in stages, or
# trim the context.
#
# **Try it: the broken summariser.** It sends the whole report in one request. Here the model's
# context window is lowered to 120 tokens (a `context_window` fault) so that a short report is
# enough to overflow it.

# %%
REPORT = "\n\n".join(
    f"Region {name} closed the quarter with revenue up {pct} percent. The new support bot answered most tickets. "
    f"Costs in {name} fell because batch inference replaced nightly on-demand calls."
    for name, pct in [("North", 4), ("South", 7), ("East", 2), ("West", 9), ("Central", 5), ("Coast", 3)]
)
bedrock_sim.inject_fault("context_window", SONNET, tokens=120)
print(runtime.count_tokens(modelId=SONNET, input={"converse": {"messages": [
    {"role": "user", "content": [{"text": "Summarize this text:\n\n" + REPORT}]}]}})["inputTokens"], "input tokens")
try:
    ask(SONNET, "Summarize this text:\n\n" + REPORT)
except ClientError as err:
    print(err.response["Error"]["Code"], "-", err.response["Error"]["Message"])
bedrock_sim.clear_faults()

# %% [markdown]
# ### Exercise 5 — fix the overflow: summarise within a token budget (3 points)
#
# Write `summarize_long(runtime, model_id, document, *, max_input_tokens, instruction="Summarize
# this text:")`. The request for a text `t` is the Converse message list
# `[{"role": "user", "content": [{"text": f"{instruction}\n\n{t}"}]}]`.
#
# 1. Split `document` into paragraphs at blank lines (`"\n\n"`), dropping empty ones.
# 2. Pack consecutive paragraphs into chunks (paragraphs of a chunk joined by `"\n\n"`): add the
#    next paragraph to the current chunk while the request for the chunk still counts at most
#    `max_input_tokens` input tokens with `runtime.count_tokens(modelId=model_id,
#    input={"converse": {"messages": ...}})`; otherwise start a new chunk. If one paragraph alone
#    is over the budget, raise `ValueError`.
# 3. Summarise each chunk with `runtime.converse(modelId=model_id, messages=<its request>,
#    inferenceConfig={"maxTokens": 300})`.
# 4. With one chunk, return its summary text. With several, make one more Converse call (same
#    form) on the partial summaries joined by `"\n\n"`, and return that text.

# %% kind="solution" grade_id="fix-overflow"
def summarize_long(runtime, model_id, document, *, max_input_tokens, instruction="Summarize this text:"):
    """Summarise a long document in token-budgeted chunks (map), then the partial summaries (reduce)."""
    ### BEGIN SOLUTION
    def messages(text):
        return [{"role": "user", "content": [{"text": f"{instruction}\n\n{text}"}]}]

    def fits(text):
        counted = runtime.count_tokens(modelId=model_id, input={"converse": {"messages": messages(text)}})
        return counted["inputTokens"] <= max_input_tokens

    def summarise(text):
        response = runtime.converse(modelId=model_id, messages=messages(text), inferenceConfig={"maxTokens": 300})
        return "".join(b.get("text", "") for b in response["output"]["message"]["content"])

    chunks, current = [], None
    for paragraph in [p for p in document.split("\n\n") if p.strip()]:
        if not fits(paragraph):
            raise ValueError("a single paragraph is longer than the token budget")
        if current is not None and fits(current + "\n\n" + paragraph):
            current = current + "\n\n" + paragraph
        else:
            if current is not None:
                chunks.append(current)
            current = paragraph
    if current is not None:
        chunks.append(current)
    partials = [summarise(chunk) for chunk in chunks]
    if len(partials) == 1:
        return partials[0]
    return summarise("\n\n".join(partials))
    ### END SOLUTION


# %% kind="tests" grade_id="fix-overflow-tests" points=3
"""Does summarize_long stay within the token budget, pack chunks greedily and reduce the partial summaries?"""
import random

from course import bedrock_sim

_rt = aws.client("bedrock-runtime")
_conv, _out = [], []
_rt.meta.events.register("provide-client-params.bedrock-runtime.Converse", lambda params, **kw: _conv.append(params))
_rt.meta.events.register(
    "after-call.bedrock-runtime.Converse",
    lambda parsed, **kw: _out.append(((parsed.get("output") or {}).get("message") or {"content": [{}]})["content"][0].get("text")),
)
_model = "anthropic.claude-3-5-sonnet-20241022-v2:0"


def _tokens(text, instruction="Summarize this text:"):
    return _rt.count_tokens(modelId=_model, input={"converse": {"messages": [
        {"role": "user", "content": [{"text": f"{instruction}\n\n{text}"}]}]}})["inputTokens"]


def _greedy(doc, budget, instruction="Summarize this text:"):
    chunks = []
    for para in [p for p in doc.split("\n\n") if p.strip()]:
        if chunks and _tokens(chunks[-1] + "\n\n" + para, instruction) <= budget:
            chunks[-1] = chunks[-1] + "\n\n" + para
        else:
            chunks.append(para)
    return chunks


bedrock_sim.inject_fault("context_window", _model, tokens=120)
try:
    _sum = checks.call(summarize_long, _rt, _model, REPORT, max_input_tokens=120)
    _chunks = _greedy(REPORT, 120)
    checks.expect_equal(len(_conv), len(_chunks) + 1, "one call per chunk plus one to combine the partial summaries",
                        hint="pack paragraphs while count_tokens stays within max_input_tokens")
    checks.expect_equal(_sum, _out[-1], "return the text of the final (combining) call")
    checks.expect(all(c.get("inferenceConfig", {}).get("maxTokens") == 300 for c in _conv), "every call uses maxTokens 300")
finally:
    bedrock_sim.clear_faults("context_window", _model)
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_rng = random.Random()
_words = ["revenue", "support", "tickets", "latency", "tokens", "prompts", "region", "quarter", "model", "costs"]
_plain = aws.client("bedrock-runtime")
while True:  # draw a document whose partial summaries fit one final request
    _paras = [" ".join(_rng.choice(_words) for _ in range(_rng.randint(10, 40))) + "." for _ in range(_rng.randint(6, 10))]
    _doc = "\n\n".join(_paras)
    _budget = _rng.randint(90, 140)
    _ins = f"Summarize section {_rng.randint(1, 9)}:"
    _parts = [_plain.converse(modelId=_model, messages=[{"role": "user", "content": [{"text": f"{_ins}\n\n{c}"}]}],
                              inferenceConfig={"maxTokens": 300})["output"]["message"]["content"][0]["text"]
              for c in _greedy(_doc, _budget, _ins)]
    if len(_parts) > 1 and _tokens("\n\n".join(_parts), _ins) <= _budget:
        break
bedrock_sim.inject_fault("context_window", _model, tokens=_budget)
try:
    _conv.clear()
    _out.clear()
    _res = checks.call(summarize_long, _rt, _model, _doc, max_input_tokens=_budget, instruction=_ins)
    _exp = _greedy(_doc, _budget, _ins)
    _sent = ["".join(b.get("text", "") for m in c.get("messages", []) for b in m.get("content", [])) for c in _conv]
    checks.expect_equal(_sent[:len(_exp)], [f"{_ins}\n\n{c}" for c in _exp],
                        "each chunk holds as many whole paragraphs as fit the budget, in order")
    if len(_exp) > 1:
        checks.expect_equal(_sent[len(_exp):], [f"{_ins}\n\n" + "\n\n".join(_out[:len(_exp)])],
                            "one final call on the partial summaries joined by blank lines")
    checks.expect_equal(_res, _out[-1], "return the final summary text")
    checks.expect(all(_tokens(s.split("\n\n", 1)[1], _ins) <= _budget for s in _sent), "no request over the budget")
    # A document that fits is summarised in one call.
    _conv.clear()
    _one = checks.call(summarize_long, _rt, _model, _paras[0], max_input_tokens=_budget, instruction=_ins)
    checks.expect_equal(len(_conv), 1, "a document within budget needs one call")
    checks.expect_equal(_one, _out[-1], "return the summary of the single chunk")
    # Empty paragraphs are dropped.
    _conv.clear()
    checks.call(summarize_long, _rt, _model, "\n\n" + _paras[0] + "\n\n\n\n", max_input_tokens=_budget, instruction=_ins)
    checks.expect_equal(["".join(b.get("text", "") for m in c.get("messages", []) for b in m.get("content", [])) for c in _conv],
                        [f"{_ins}\n\n{_paras[0]}"], "blank paragraphs are dropped, not sent")
    # A chunk that uses the budget exactly still counts as fitting.
    _a, _b, _c = "Revenue grew in every region this quarter.", "(Support tickets fell after the bot launched.)", "Costs fell."
    _exact = _tokens(f"{_a}\n\n{_b}", _ins)
    bedrock_sim.inject_fault("context_window", _model, tokens=_exact)
    _conv.clear()
    checks.call(summarize_long, _rt, _model, f"{_a}\n\n{_b}\n\n{_c}", max_input_tokens=_exact, instruction=_ins)
    _first = "".join(b.get("text", "") for m in _conv[0].get("messages", []) for b in m.get("content", [])) if _conv else ""
    checks.expect_equal(_first, f"{_ins}\n\n{_a}\n\n{_b}", "a chunk of exactly max_input_tokens tokens fits")
    # One paragraph over the budget: ValueError before any Converse call.
    _conv.clear()
    try:
        summarize_long(_rt, _model, "word " * (_budget + 5), max_input_tokens=_budget, instruction=_ins)
    except ValueError:
        pass
    except Exception as _exc:  # noqa: BLE001
        checks.fail("a paragraph over the budget should raise ValueError", "ValueError", f"{type(_exc).__name__}: {_exc}")
    else:
        checks.fail("a paragraph over the budget should raise ValueError", "ValueError", "no error")
    checks.expect_equal(len(_conv), 0, "no Converse call for a paragraph that cannot fit")
finally:
    bedrock_sim.clear_faults("context_window", _model)
### END HIDDEN TESTS

# %% [markdown]
# **Try it: the broken answerer.** It omits `maxTokens`, so the model's default output limit
# applies; here that default is 12 tokens (a `default_max_tokens` fault). The answer looks
# plausible in the UI, but the response says why it ended.

# %%
bedrock_sim.inject_fault("default_max_tokens", LITE, tokens=12)
_text, _resp = ask(LITE, f"<context>{POLICY}</context>\nQuestion: What condition must returned items be in, and how long do refunds take?")
print(repr(_text))
print("stopReason:", _resp["stopReason"], "| usage:", _resp["usage"])
bedrock_sim.clear_faults()

# %% [markdown]
# ### Exercise 6 — fix the silent truncation (3 points)
#
# Write `complete_answer(runtime, request, *, max_tokens_cap)`. `request` is a dict of Converse
# parameters (`modelId`, `messages`, maybe `inferenceConfig`); do not change the caller's dict.
#
# 1. Call `runtime.converse(**request)`.
# 2. While the response's `stopReason` is `"max_tokens"` and its `usage["outputTokens"]` is
#    below `max_tokens_cap`: call again with the same request but `inferenceConfig["maxTokens"]`
#    set to `min(max_tokens_cap, 2 * usage["outputTokens"])` (keep the other inference settings).
# 3. Return `{"text": <text of the last response>, "stop_reason": <its stopReason>,
#    "attempts": <number of Converse calls>, "truncated": <True if the last one stopped at
#    max_tokens>}`.

# %% kind="solution" grade_id="fix-truncation"
def complete_answer(runtime, request, *, max_tokens_cap):
    """Retry a truncated Converse answer with a doubled output limit, up to a cap."""
    ### BEGIN SOLUTION
    params = dict(request)
    params["inferenceConfig"] = dict(request.get("inferenceConfig") or {})
    response = runtime.converse(**params)
    attempts = 1
    while response["stopReason"] == "max_tokens" and response["usage"]["outputTokens"] < max_tokens_cap:
        params["inferenceConfig"]["maxTokens"] = min(max_tokens_cap, 2 * response["usage"]["outputTokens"])
        response = runtime.converse(**params)
        attempts += 1
    text = "".join(b.get("text", "") for b in response["output"]["message"]["content"])
    return {
        "text": text,
        "stop_reason": response["stopReason"],
        "attempts": attempts,
        "truncated": response["stopReason"] == "max_tokens",
    }
    ### END SOLUTION


# %% kind="tests" grade_id="fix-truncation-tests" points=3
"""Does complete_answer notice max_tokens, double the limit up to the cap, and report the outcome?"""
import copy
import random

from course import bedrock_sim

_rt = aws.client("bedrock-runtime")
_sent, _got = [], []
_rt.meta.events.register("provide-client-params.bedrock-runtime.Converse", lambda params, **kw: _sent.append(copy.deepcopy(params)))
_rt.meta.events.register("after-call.bedrock-runtime.Converse", lambda parsed, **kw: _got.append(parsed))
_q = f"<context>{POLICY}</context>\nQuestion: What condition must returned items be in, and how long do refunds take?"
_req = {"modelId": "amazon.nova-lite-v1:0", "messages": [{"role": "user", "content": [{"text": _q}]}]}
bedrock_sim.inject_fault("default_max_tokens", "amazon.nova-lite-v1:0", tokens=6)
try:
    _res = checks.call(complete_answer, _rt, _req, max_tokens_cap=400)
finally:
    bedrock_sim.clear_faults("default_max_tokens")
checks.expect_type(_res, dict, "complete_answer should return a dict")
checks.expect_equal([(s.get("inferenceConfig") or {}).get("maxTokens") for s in _sent], [None, 12, 24],
                    "first call as given, then maxTokens 2 x outputTokens until the answer ends")
checks.expect_equal((_res.get("stop_reason"), _res.get("truncated"), _res.get("attempts")), ("end_turn", False, 3),
                    "the final answer is complete after three calls")
checks.expect_equal(_res.get("text"), _got[-1]["output"]["message"]["content"][0]["text"], "return the last answer's text")
checks.expect_equal(_req, {"modelId": "amazon.nova-lite-v1:0", "messages": [{"role": "user", "content": [{"text": _q}]}]},
                    "the caller's request must not change")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
# The cap is respected and reported; other inference settings are kept.
_sent.clear()
_got.clear()
_start = random.choice([3, 4, 5])
_cap = _start * 2 + 1
_req2 = {"modelId": "amazon.nova-lite-v1:0", "messages": [{"role": "user", "content": [{"text": _q}]}],
         "inferenceConfig": {"maxTokens": _start, "temperature": 0.2}}
_keep = copy.deepcopy(_req2)
_res2 = checks.call(complete_answer, _rt, _req2, max_tokens_cap=_cap)
checks.expect_equal([s["inferenceConfig"].get("maxTokens") for s in _sent], [_start, _start * 2, _cap],
                    "double the used limit, never above max_tokens_cap")
checks.expect(all(s["inferenceConfig"].get("temperature") == 0.2 for s in _sent), "keep the other inference settings")
checks.expect_equal((_res2.get("truncated"), _res2.get("stop_reason"), _res2.get("attempts")), (True, "max_tokens", 3),
                    "still cut at the cap: truncated is True")
checks.expect_equal(_req2, _keep, "the caller's request (and its inferenceConfig) must not change")
# An answer that ends by itself is not retried.
_sent.clear()
_res3 = checks.call(complete_answer, _rt, {"modelId": "amazon.nova-lite-v1:0", "messages": [{"role": "user", "content": [{"text": "Hello"}]}]},
                    max_tokens_cap=50)
checks.expect_equal((len(_sent), _res3.get("attempts"), _res3.get("truncated")), (1, 1, False), "no retry for a complete answer")
# A truncated answer already at the cap is not retried either.
_sent.clear()
_res4 = checks.call(complete_answer, _rt, dict(_req2, inferenceConfig={"maxTokens": 6}), max_tokens_cap=6)
checks.expect_equal((len(_sent), _res4.get("truncated")), (1, True), "at the cap: return the truncated answer, flagged")
### END HIDDEN TESTS

# %%
quiz.show("evaluation", "content-handling")

# %% [markdown]
# ## FM API faults: throttling, validation errors and what to log <a id="api-faults"></a>
#
# Read the **error code** first; it decides what to do:
#
# | Error (HTTP) | Meaning | Retry? |
# |---|---|---|
# | `ThrottlingException` (429) | over the requests- or tokens-per-minute quota | yes, with exponential backoff and jitter; then cross-Region inference profiles, a quota increase or Provisioned Throughput |
# | `ServiceUnavailableException` (503), `ModelNotReadyException` (429), `InternalServerException` (500) | transient service side | yes, with backoff |
# | `ValidationException` (400) | the request is wrong: unknown model id, bad parameter, input too long, unsupported field | **no**: fix the request |
# | `AccessDeniedException` (403) | IAM policy or model access | no: fix permissions |
# | `ResourceNotFoundException` (404) | wrong model/profile/guardrail id or Region | no |
#
# **Error logging.** Log, for every call: request id (`ResponseMetadata.RequestId`), model id,
# prompt version, input and output token counts, latency, `stopReason` and, on failure, the
# error code and message, as structured JSON in CloudWatch Logs. Turn on **model invocation
# logging** for full request and response bodies, and watch the `InvocationThrottles`,
# `InvocationClientErrors` and `InvocationServerErrors` metrics of `AWS/Bedrock`.
# **Request validation** before the call (parameter ranges, token counts, required variables)
# turns failures into clear messages; **response analysis** after it (stop reason, empty text,
# expected format) catches what the API does not call an error.
#
# A batch job must also **isolate failures**: one prompt that can never succeed (too long) must
# not stop the other 9,999, and a throttle must slow the job down, not kill it.
#
# **Exam tip:** "intermittent ThrottlingException at peaks" → retry with exponential backoff and
# jitter (the SDKs' standard or adaptive retry modes do this), then capacity options.
# "ValidationException" → never retry; fix the request.
#
# **Try it: the broken batch job.** No retries and no error handling: the first throttle (a
# `throttle` fault: one request accepted in every window of three) stops the whole batch.

# %%
no_retry = aws.client("bedrock-runtime", config=Config(retries={"total_max_attempts": 1}))
BATCH = [f"<context>{POLICY}</context>\nQuestion: {q}" for q in
         ["How long do refunds take?", "How much does express shipping cost?", "What condition must returns be in?"]]
bedrock_sim.inject_fault("throttle", MICRO, allowed=1, window=3)
_answers = []
try:
    for _prompt in BATCH:
        _answers.append(no_retry.converse(modelId=MICRO, messages=[{"role": "user", "content": [{"text": _prompt}]}]))
except ClientError as err:
    print(f"batch stopped after {len(_answers)} of {len(BATCH)}:", err.response["Error"]["Code"])
print(bedrock_sim.quota_status(MICRO))
bedrock_sim.clear_faults("throttle")

# %% [markdown]
# ### Exercise 7 — fix the batch job: back off on throttling, isolate failures (3 points)
#
# Write `answer_batch(runtime, model_id, prompts, *, max_attempts, base_delay, sleep, rand)`.
# `runtime` has botocore's own retries switched off; `rand()` returns a random number in [0, 1)
# (when `rand` is `None`, use `random.random`). For each prompt, by its index `i`:
#
# 1. call `runtime.converse(modelId=model_id, messages=[{"role": "user", "content": [{"text":
#    prompt}]}])`;
# 2. on `ThrottlingException`, `ServiceUnavailableException` or `ModelNotReadyException`, retry:
#    before retry *n* (n = 1 for the first retry) call `sleep(rand() * base_delay * 2 ** (n -
#    1))`; make at most `max_attempts` attempts for the prompt;
# 3. on any other `ClientError`, do **not** retry;
# 4. whatever happens, go on with the next prompt.
#
# Return `{"answers": {i: answer text}, "failed": {i: error code}}`, where a prompt that still
# fails after its last attempt (or fails with a non-retryable error) is in `"failed"` with the
# code of its last error.

# %% kind="solution" grade_id="fix-throttling"
def answer_batch(runtime, model_id, prompts, *, max_attempts, base_delay, sleep=time.sleep, rand=None):
    """Answer every prompt; back off on throttling, record the prompts that fail."""
    ### BEGIN SOLUTION
    import random as _random

    rand = rand or _random.random
    retryable = {"ThrottlingException", "ServiceUnavailableException", "ModelNotReadyException"}
    answers, failed = {}, {}
    for index, prompt in enumerate(prompts):
        for attempt in range(1, max_attempts + 1):
            try:
                response = runtime.converse(
                    modelId=model_id, messages=[{"role": "user", "content": [{"text": prompt}]}]
                )
            except ClientError as err:
                code = err.response.get("Error", {}).get("Code", "?")
                if code not in retryable or attempt == max_attempts:
                    failed[index] = code
                    break
                sleep(rand() * base_delay * 2 ** (attempt - 1))
            else:
                answers[index] = "".join(b.get("text", "") for b in response["output"]["message"]["content"])
                break
    return {"answers": answers, "failed": failed}
    ### END SOLUTION


# %% kind="tests" grade_id="fix-throttling-tests" points=3
"""Does answer_batch retry throttling with exponential backoff and jitter, and isolate failing prompts?"""
from botocore.config import Config
from botocore.exceptions import ClientError

from course import bedrock_sim

_nr = aws.client("bedrock-runtime", config=Config(retries={"total_max_attempts": 1}))
_calls = []
_nr.meta.events.register("provide-client-params.bedrock-runtime.Converse", lambda params, **kw: _calls.append(params))
_delays = []
bedrock_sim.inject_fault("throttle", "amazon.nova-micro-v1:0", allowed=1, window=3)  # ok, throttle, throttle, ok, ...
try:
    _res = checks.call(answer_batch, _nr, "amazon.nova-micro-v1:0", BATCH, max_attempts=3, base_delay=0.5,
                       sleep=_delays.append, rand=lambda: 1.0)
finally:
    bedrock_sim.clear_faults("throttle")
checks.expect_type(_res, dict, "answer_batch should return a dict")
checks.expect_type(_res.get("answers"), dict, "the result's 'answers' should be a dict {index: text}")
checks.expect_equal(sorted(_res["answers"]), [0, 1, 2], "every prompt is answered after backing off")
checks.expect_equal(_res.get("failed"), {}, "nothing failed")
checks.expect_equal(len(_calls), 7, "1 + 3 + 3 attempts reach Bedrock")
checks.expect_equal(_delays, [0.5, 1.0, 0.5, 1.0], "wait rand() * base_delay * 2 ** (n - 1) before retry n")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
# The answers are the model's texts, keyed by prompt index.
_plain = aws.client("bedrock-runtime")
_want = {i: _plain.converse(modelId="amazon.nova-micro-v1:0", messages=[{"role": "user", "content": [{"text": p}]}])
         ["output"]["message"]["content"][0]["text"] for i, p in enumerate(BATCH)}
checks.expect_equal(_res.get("answers"), _want, "answers keyed by prompt index, with the model's text")
# Gives up after max_attempts, keeps going, and never retries a ValidationException.
_calls.clear()
_d = []
bedrock_sim.inject_fault("throttle", "amazon.nova-micro-v1:0", allowed=1, window=5)  # ok, then 4 throttles
bedrock_sim.inject_fault("context_window", "amazon.nova-micro-v1:0", tokens=30)
try:
    _long = "Summarize this text: " + "The quarter went well. " * 20
    _res2 = checks.call(answer_batch, _nr, "amazon.nova-micro-v1:0", ["Hello", "Hi there", _long, "Hello again"],
                        max_attempts=2, base_delay=0.1, sleep=_d.append, rand=lambda: 0.5)
finally:
    bedrock_sim.clear_faults()
checks.expect(isinstance(_res2, dict) and isinstance(_res2.get("answers"), dict), "return {'answers': {...}, 'failed': {...}}",
              found=_res2)
checks.expect_equal(sorted(_res2["answers"]), [0], "only the first prompt gets through")
checks.expect_equal(_res2.get("failed"), {1: "ThrottlingException", 2: "ValidationException", 3: "ThrottlingException"},
                    "failed prompts keep the code of their last error; the batch goes on")
checks.expect_equal(len(_calls), 1 + 2 + 1 + 2, "two attempts for throttled prompts, one for the invalid prompt")
checks.expect_equal([round(x, 6) for x in _d], [0.05, 0.05], "one jittered wait per retry")
# Exponential growth over more attempts.
_calls.clear()
_d3 = []
bedrock_sim.inject_fault("throttle", "amazon.nova-micro-v1:0", allowed=1, window=5)
try:
    checks.call(answer_batch, _nr, "amazon.nova-micro-v1:0", ["one", "two"], max_attempts=5, base_delay=0.2,
                sleep=_d3.append, rand=lambda: 0.25)
finally:
    bedrock_sim.clear_faults()
checks.expect_equal([round(x, 6) for x in _d3], [0.05, 0.1, 0.2, 0.4], "delays double before each retry")
# ServiceUnavailableException and ModelNotReadyException are retried too; without rand, random.random jitters.


class _Flaky:
    """A runtime whose first calls fail with the given error codes."""

    def __init__(self, codes):
        self.codes, self.calls = list(codes), 0

    def converse(self, **kwargs):
        self.calls += 1
        if self.codes:
            _code = self.codes.pop(0)
            raise ClientError({"Error": {"Code": _code, "Message": f"simulated {_code}"}}, "Converse")
        return {"output": {"message": {"role": "assistant", "content": [{"text": "fine"}]}}, "stopReason": "end_turn",
                "usage": {"inputTokens": 1, "outputTokens": 1, "totalTokens": 2}}


for _codes in (["ServiceUnavailableException", "ModelNotReadyException"], ["ModelNotReadyException", "ThrottlingException"]):
    _fl, _d5 = _Flaky(_codes), []
    _res5 = checks.call(answer_batch, _fl, "m", ["q"], max_attempts=3, base_delay=1.0, sleep=_d5.append)
    checks.expect(isinstance(_res5, dict) and _res5.get("answers") == {0: "fine"} and _res5.get("failed") == {},
                  f"{' and '.join(_codes)} are retryable: the third attempt answers", found=_res5)
    checks.expect_equal(_fl.calls, 3, "three attempts reach the model")
    checks.expect(len(_d5) == 2 and all(isinstance(x, (int, float)) for x in _d5) and 0 <= _d5[0] < 1.0 and 0 <= _d5[1] < 2.0,
                  "with rand=None, wait random.random() * base_delay * 2 ** (n - 1) before retry n", found=_d5)
### END HIDDEN TESTS

# %%
quiz.show("evaluation", "api-faults")

# %% [markdown]
# ## Prompt problems: confusion, unfilled variables, versions and template tests <a id="prompt-troubleshooting"></a>
#
# Prompt failures rarely raise errors; the model just does something else. Typical causes:
#
# - **Unfilled variables**: the application's own templating leaves `{{customer_name}}` or
#   `{product}` in the text (a renamed variable, a missing field). The model answers about the
#   placeholder. Prompt Management refuses a call whose `promptVariables` lack a variable
#   (`ValidationException`); your own templates need the same check.
# - **Confusing or conflicting instructions**: "answer in JSON" and "use bullet points" in the
#   same prompt; a format instruction buried before several pages of context; several tasks in
#   one prompt. The model follows one of them, not the one your parser expects.
# - **Drift between versions**: a "harmless" rewording that drops the delimiters around the
#   context, a new model version that follows instructions differently.
#
# **Diagnose** from the evidence: model **invocation logs** (CloudWatch Logs, S3) hold the exact
# prompt the model saw and its answer; **CloudWatch Logs Insights** queries find patterns across
# thousands of calls (prompts containing `{{`, answers that fail to parse, a spike of refusals);
# **AWS X-Ray** traces show which step of a chain (retrieval, prompt assembly, model, parser)
# went wrong and how long each took.
#
# **Fix systematically**: template tests in CI (every variable filled, rendered prompt within
# the token budget, no leftover placeholders); **schema validation** of structured outputs
# (parse, validate against a JSON Schema, retry or fall back), or Converse structured output /
# tool use with a JSON schema so the format is enforced; version prompts in Prompt Management,
# compare versions on the golden set (Exercise 4) and roll out gradually; change one thing at a
# time and keep a changelog of what each version fixed.
#
# **Exam tip:** "the model ignores the output format in some requests" → make the instruction
# unambiguous (one format, in the system prompt or at the end), enforce a schema (structured
# output or tool use) and validate the output; "investigate across many requests what the
# model actually received" → model invocation logs queried with CloudWatch Logs Insights.
#
# **Try it.** Two faults: `unfilled_variable` (the model answers about a placeholder it was sent
# literally) and `format_confusion` (the model drops a JSON instruction when the prompt also
# asks for bullet points).

# %%
bedrock_sim.inject_fault("unfilled_variable", LITE)
_template = "Write a one-line welcome for {{customer_name}} who just joined the {{tier}} tier."
_filled = _template.replace("{{tier}}", "gold")  # the app forgot customer_name
print(ask(LITE, _filled)[0])
bedrock_sim.inject_fault("format_confusion", LITE)
_clear = f"<context>{POLICY}</context>\nRespond only with a JSON object.\nQuestion: How long do refunds take?"
for _label, _prompt in [("clear", _clear), ("confusing", "Answer in bullet points.\n" + _clear)]:
    _text = ask(LITE, _prompt)[0]
    try:
        json.loads(_text)
        _parsed = "valid JSON"
    except ValueError:
        _parsed = "NOT JSON"
    print(f"{_label:10} {_parsed:11} {_text!r}")
bedrock_sim.clear_faults()

# %% [markdown]
# ### Exercise 8 — triage a failed call from its log record (3 points)
#
# An on-call engineer gets one record per failed or suspicious call: `{"request": <the Converse
# parameters>, "response": <the Converse response or None>, "error": <{"Code", "Message"} or
# None>, "expects_json": <bool>, "retrieval_scores": <list of the retrieved chunks' scores, or
# None when there was no retrieval>}`. Write `diagnose(record)` returning the **first** of these
# that applies:
#
# 1. `"throttling"`: the error code is `ThrottlingException`;
# 2. `"context_overflow"`: the error code is `ValidationException` and the message contains
#    `"too long"` or `"maximum context length"` (ignoring case);
# 3. `"unfilled_variable"`: any text block of the request's `system` or `messages` contains a
#    `{{name}}` placeholder (two braces, a name of letters, digits, `_`, `.` or `-`, two braces;
#    spaces around the name are allowed, as in `{{ name }}`);
# 4. `"truncation"`: the response's `stopReason` is `"max_tokens"`;
# 5. `"format"`: `expects_json` is true and the response's text (its text blocks joined) is not
#    valid JSON;
# 6. `"retrieval"`: `retrieval_scores` is a list that is empty or whose best score is below 0.6;
# 7. `"ok"`.
#
# Keys may be missing from a record (treat a missing key as `None`, or `False` for
# `expects_json`).

# %% kind="solution" grade_id="diagnose-logs"
def diagnose(record):
    """Name the most likely cause of a failed or suspicious Converse call from its log record."""
    ### BEGIN SOLUTION
    error = record.get("error") or {}
    request = record.get("request") or {}
    response = record.get("response")
    code, message = error.get("Code"), str(error.get("Message", "")).lower()
    if code == "ThrottlingException":
        return "throttling"
    if code == "ValidationException" and ("too long" in message or "maximum context length" in message):
        return "context_overflow"
    blocks = list(request.get("system") or []) + [b for m in request.get("messages") or [] for b in m.get("content", [])]
    if any(re.search(r"\{\{\s*[\w.-]+\s*\}\}", b.get("text", "")) for b in blocks):
        return "unfilled_variable"
    if response and response.get("stopReason") == "max_tokens":
        return "truncation"
    if record.get("expects_json") and response:
        text = "".join(b.get("text", "") for b in response["output"]["message"]["content"])
        try:
            json.loads(text)
        except ValueError:
            return "format"
    scores = record.get("retrieval_scores")
    if scores is not None and (not scores or max(scores) < 0.6):
        return "retrieval"
    return "ok"
    ### END SOLUTION


# %% kind="tests" grade_id="diagnose-logs-tests" points=3
"""Does diagnose name the right cause for records made from real simulated failures, in the stated order?"""
from botocore.config import Config
from botocore.exceptions import ClientError

from course import bedrock_sim

_nr = aws.client("bedrock-runtime", config=Config(retries={"total_max_attempts": 1}))


def _record(request, expects_json=False, scores=None):
    try:
        response, error = _nr.converse(**request), None
        response = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    except ClientError as err:
        response, error = None, {"Code": err.response["Error"]["Code"], "Message": err.response["Error"]["Message"]}
    return {"request": request, "response": response, "error": error, "expects_json": expects_json, "retrieval_scores": scores}


def _req(text, model="amazon.nova-micro-v1:0", **extra):
    return {"modelId": model, "messages": [{"role": "user", "content": [{"text": text}]}], **extra}


_ok = _record(_req(f"<context>{POLICY}</context>\nQuestion: How long do refunds take?"))
checks.expect_equal(checks.call(diagnose, _ok), "ok", "a normal answer is ok")
bedrock_sim.inject_fault("throttle", "amazon.nova-micro-v1:0", allowed=0, window=2)
try:
    checks.expect_equal(checks.call(diagnose, _record(_req("Hello"))), "throttling", "a ThrottlingException is throttling")
finally:
    bedrock_sim.clear_faults()
_cut = _record(_req(f"<context>{POLICY}</context>\nQuestion: How long do refunds take?", inferenceConfig={"maxTokens": 4}))
checks.expect_equal(checks.call(diagnose, _cut), "truncation", "stopReason max_tokens is truncation")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_long = "Summarize this text: " + "The quarter went well. " * 40
bedrock_sim.inject_fault("context_window", "meta.llama3-8b-instruct-v1:0", tokens=50)
bedrock_sim.inject_fault("context_window", "anthropic.claude-3-haiku-20240307-v1:0", tokens=20)
try:
    checks.expect_equal(checks.call(diagnose, _record(_req(_long, model="meta.llama3-8b-instruct-v1:0"))), "context_overflow",
                        "Llama's 'maximum context length' message is an overflow")
    checks.expect_equal(checks.call(diagnose, _record(_req(_long, model="anthropic.claude-3-haiku-20240307-v1:0"))),
                        "context_overflow", "Claude's 'prompt is too long' message is an overflow")
    checks.expect_equal(checks.call(diagnose, _record(_req(_long, model="anthropic.claude-3-haiku-20240307-v1:0"),
                                                      scores=[0.1])), "context_overflow", "the error comes before retrieval")
finally:
    bedrock_sim.clear_faults()
checks.expect_equal(checks.call(diagnose, _record(_req("Hi", model="acme.unknown-v1"))), "ok",
                    "another ValidationException is not an overflow (nothing else applies)")
checks.expect_equal(checks.call(diagnose, {"request": _ok["request"], "response": None,
                                           "error": {"Code": "ModelErrorException", "Message": "The model output was too long."}}),
                    "ok", "only a ValidationException about length is a context overflow")
bedrock_sim.inject_fault("unfilled_variable", "amazon.nova-micro-v1:0")
try:
    _var = _record(_req("Write a welcome for {{ customer.name }} today."))
    checks.expect_equal(checks.call(diagnose, _var), "unfilled_variable", "a {{placeholder}} in a message")
    _sysvar = _record({"modelId": "amazon.nova-micro-v1:0", "system": [{"text": "You help {{company-name}} customers."}],
                       "messages": [{"role": "user", "content": [{"text": "Hello"}]}], "inferenceConfig": {"maxTokens": 3}})
    checks.expect_equal(checks.call(diagnose, _sysvar), "unfilled_variable", "a placeholder in the system prompt, before truncation")
finally:
    bedrock_sim.clear_faults()
checks.expect_equal(checks.call(diagnose, _record(_req("Price in {USD} please"))), "ok", "single braces are not a placeholder")
bedrock_sim.inject_fault("format_confusion", "amazon.nova-micro-v1:0")
try:
    _clear = f"<context>{POLICY}</context>\nRespond only with a JSON object.\nQuestion: How long do refunds take?"
    checks.expect_equal(checks.call(diagnose, _record(_req(_clear), expects_json=True)), "ok", "valid JSON when JSON is expected is ok")
    checks.expect_equal(checks.call(diagnose, _record(_req("Answer in bullet points.\n" + _clear), expects_json=True)), "format",
                        "prose when JSON is expected is a format problem")
    checks.expect_equal(checks.call(diagnose, _record(_req("Answer in bullet points.\n" + _clear))), "ok",
                        "prose is fine when JSON is not expected")
finally:
    bedrock_sim.clear_faults()
checks.expect_equal(checks.call(diagnose, dict(_ok, retrieval_scores=[0.52, 0.59])), "retrieval", "best retrieval score below 0.6")
checks.expect_equal(checks.call(diagnose, dict(_ok, retrieval_scores=[])), "retrieval", "nothing retrieved")
checks.expect_equal(checks.call(diagnose, dict(_ok, retrieval_scores=[0.2, 0.6])), "ok", "a best score of 0.6 is enough")
checks.expect_equal(checks.call(diagnose, {"request": _ok["request"], "response": _ok["response"]}), "ok", "missing keys are allowed")
checks.expect_equal(checks.call(diagnose, dict(_cut, retrieval_scores=[0.1], expects_json=True)), "truncation",
                    "truncation comes before format and retrieval")
# The response's text is its text blocks joined: a reasoning block has no text, and JSON may span blocks.
_split = {"output": {"message": {"role": "assistant", "content": [
    {"reasoningContent": {"reasoningText": {"text": "The refund policy says 14 days."}}},
    {"text": '{"refund_days": '}, {"text": "14}"}]}}, "stopReason": "end_turn"}
checks.expect_equal(checks.call(diagnose, dict(_ok, response=_split, expects_json=True)), "ok",
                    "JSON split over two text blocks (after a reasoning block) is still valid JSON")
### END HIDDEN TESTS

# %%
quiz.show("evaluation", "prompt-troubleshooting")

# %% [markdown]
# ## Retrieval problems: relevance, embeddings, drift, chunking and search tuning <a id="retrieval-troubleshooting"></a>
#
# When RAG answers are wrong, look at **what was retrieved** before touching the prompt:
#
# | Evidence | Likely cause | Fix |
# |---|---|---|
# | The right document is missing from the top results; scores of all results are low and close together | the **query** is not the question (whole chat history, system prompt or boilerplate sent as the query), or the question uses words the documents do not | send only the (rewritten) question as the query; query reformulation or decomposition; hybrid search for exact terms |
# | Scores dropped for every query after a change | **embedding drift**: queries embedded by a different model or version than the index (or dimensions changed) | re-embed (re-ingest) the corpus with the same model as the queries; pin model versions |
# | Results are on-topic but miss the key sentence, or mix topics | **chunking**: chunks too large (diluted) or too small (facts split), no overlap | tune chunk size and overlap, semantic or hierarchical chunking, better preprocessing (remove boilerplate, keep headings) |
# | The answer uses an irrelevant chunk | no **relevance threshold**; too many results | keep results above a score threshold, fewer results, a reranking model, metadata filters |
# | Answers are stale | the index is behind the source | re-sync on change (event-driven ingestion), not only on a schedule |
#
# **Relevance analysis**: log the retrieved chunk ids and scores with each answer; compare
# score distributions of good and bad answers; run retrieve-only evaluations (context relevance,
# coverage) after every change to chunking, embeddings or search settings.
#
# **Exam tip:** "after switching the embedding model, retrieval quality collapsed" → re-embed
# the whole corpus with the new model (queries and documents must share one model). "Irrelevant
# chunks reach the prompt" → a score threshold and/or reranking, and query only with the
# question.
#
# **Try it.** The broken assistant sends its system prompt with the question as the retrieval
# query: the support charter (full of "customer", "help", "friendly") wins every search. Then an
# `embedding_drift` fault scrambles all scores until the next ingestion job re-embeds.

# %%
SYSTEM_PROMPT = ("You are a friendly customer support assistant. Always answer the customer politely and help with "
                 "their order, account, delivery or membership question.")
_question = "How long do refunds take?"
_fig, _axes = plt.subplots(1, 2, figsize=(8, 3), sharey=True)
for _ax, (_label, _query) in zip(_axes, [("system prompt + question", f"{SYSTEM_PROMPT}\nCustomer: {_question}"),
                                         ("question only", _question)]):
    _hits = agent_runtime.retrieve(knowledgeBaseId=HELP_KB, retrievalQuery={"text": _query},
                                   retrievalConfiguration={"vectorSearchConfiguration": {"numberOfResults": 5}})["retrievalResults"]
    _names = [h["location"]["s3Location"]["uri"].rsplit("/", 1)[1] for h in _hits]
    _ax.barh(_names[::-1], [h["score"] for h in _hits][::-1])
    _ax.axvline(0.6, linestyle="--", linewidth=1)
    _ax.set_title(_label, fontsize=10)
    _ax.set_xlim(0.4, 1.0)
    _ax.set_xlabel("retrieval score")
plt.tight_layout()
plt.show()
bedrock_sim.inject_fault("embedding_drift", HELP_KB)
_drifted = agent_runtime.retrieve(knowledgeBaseId=HELP_KB, retrievalQuery={"text": _question})["retrievalResults"]
print("with drift:", [(h["location"]["s3Location"]["uri"].rsplit("/", 1)[1], h["score"]) for h in _drifted[:3]])
_ds = agent.list_data_sources(knowledgeBaseId=HELP_KB)["dataSourceSummaries"][0]["dataSourceId"]
agent.start_ingestion_job(knowledgeBaseId=HELP_KB, dataSourceId=_ds)
_healed = agent_runtime.retrieve(knowledgeBaseId=HELP_KB, retrievalQuery={"text": _question})["retrievalResults"]
print("re-ingested:", [(h["location"]["s3Location"]["uri"].rsplit("/", 1)[1], h["score"]) for h in _healed[:3]])

# %% [markdown]
# ### Exercise 9 — fix the retrieval: query with the question, keep only relevant chunks (3 points)
#
# Write `grounded_answer(agent_runtime, runtime, *, kb_id, model_id, question, top_k=3,
# min_score=0.6)`:
#
# 1. call `agent_runtime.retrieve(knowledgeBaseId=kb_id, retrievalQuery={"text": question},
#    retrievalConfiguration={"vectorSearchConfiguration": {"numberOfResults": top_k}})`: the
#    query is the question alone;
# 2. keep the results whose `score` is at least `min_score`;
# 3. if none is left, return `{"answer": "I don't know.", "sources": []}` **without** calling the
#    model;
# 4. otherwise call `runtime.converse(modelId=model_id, ...)` with one user message holding each
#    kept chunk's text in `<document>…</document>` tags followed by `Question: <question>`, and
#    return `{"answer": <the reply text>, "sources": <the kept results' S3 URIs
#    (location.s3Location.uri), without duplicates, in retrieval order>}`.

# %% kind="solution" grade_id="fix-retrieval"
def grounded_answer(agent_runtime, runtime, *, kb_id, model_id, question, top_k=3, min_score=0.6):
    """Retrieve with the question only, keep chunks above min_score, answer from them (or say you don't know)."""
    ### BEGIN SOLUTION
    results = agent_runtime.retrieve(
        knowledgeBaseId=kb_id,
        retrievalQuery={"text": question},
        retrievalConfiguration={"vectorSearchConfiguration": {"numberOfResults": top_k}},
    )["retrievalResults"]
    kept = [r for r in results if r["score"] >= min_score]
    if not kept:
        return {"answer": "I don't know.", "sources": []}
    documents = "\n".join(f"<document>{r['content']['text']}</document>" for r in kept)
    response = runtime.converse(
        modelId=model_id,
        messages=[{"role": "user", "content": [{"text": f"{documents}\nQuestion: {question}"}]}],
    )
    sources = []
    for r in kept:
        uri = r["location"]["s3Location"]["uri"]
        if uri not in sources:
            sources.append(uri)
    answer = "".join(b.get("text", "") for b in response["output"]["message"]["content"])
    return {"answer": answer, "sources": sources}
    ### END SOLUTION


# %% kind="tests" grade_id="fix-retrieval-tests" points=3
"""Does grounded_answer query with the question only, drop weak chunks, and skip the model when nothing is relevant?"""
import random
import uuid

_ar = aws.client("bedrock-agent-runtime")
_rt = aws.client("bedrock-runtime")
_retr, _conv, _hits = [], [], []
_ar.meta.events.register("provide-client-params.bedrock-agent-runtime.Retrieve", lambda params, **kw: _retr.append(params))
_ar.meta.events.register("after-call.bedrock-agent-runtime.Retrieve", lambda parsed, **kw: _hits.append(parsed.get("retrievalResults", [])))
_rt.meta.events.register("provide-client-params.bedrock-runtime.Converse", lambda params, **kw: _conv.append(params))
_res = checks.call(grounded_answer, _ar, _rt, kb_id=HELP_KB, model_id="amazon.nova-lite-v1:0", question="How long do refunds take?")
checks.expect_type(_res, dict, "grounded_answer should return a dict")
checks.expect(len(_retr) == 1, "one agent_runtime.retrieve call", found=f"{len(_retr)} Retrieve calls")
checks.expect_equal(_retr[0].get("retrievalQuery"), {"text": "How long do refunds take?"}, "query with the question only")
checks.expect("14 days" in str(_res.get("answer")), "the answer should come from the returns policy", found=_res.get("answer"))
checks.expect_equal(_res.get("sources"), ["s3://northwind-help-docs/policies/returns.md"], "cite only the chunks kept")
_conv.clear()
_none = checks.call(grounded_answer, _ar, _rt, kb_id=HELP_KB, model_id="amazon.nova-lite-v1:0",
                    question="Which payment methods do you accept?")
checks.expect_equal(_none, {"answer": "I don't know.", "sources": []}, "no relevant chunk: say you don't know")
checks.expect_equal(len(_conv), 0, "and do not call the model")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
# numberOfResults is top_k; the prompt holds exactly the kept chunks, tagged, then the question.
_retr.clear()
_conv.clear()
_hits.clear()
_k = random.choice([2, 4, 5])
_min = random.choice([0.55, 0.5])
_q = "Is express shipping free for gold members?"
_r = checks.call(grounded_answer, _ar, _rt, kb_id=HELP_KB, model_id="anthropic.claude-3-haiku-20240307-v1:0", question=_q,
                 top_k=_k, min_score=_min)
checks.expect(len(_retr) == 1 and len(_hits) == 1, "one agent_runtime.retrieve call", found=f"{len(_retr)} Retrieve calls")
checks.expect_equal(_retr[-1].get("retrievalConfiguration"), {"vectorSearchConfiguration": {"numberOfResults": _k}},
                    "numberOfResults should be top_k")
_kept = [h for h in _hits[-1] if h["score"] >= _min]
_dropped = [h for h in _hits[-1] if h["score"] < _min]
checks.expect(len(_conv) == 1, "one Converse call when chunks are kept", found=len(_conv))
_text = "".join(b.get("text", "") for m in _conv[0].get("messages", []) for b in m.get("content", []))
checks.expect_equal(_conv[0].get("modelId"), "anthropic.claude-3-haiku-20240307-v1:0", "call model_id")
for _h in _kept:
    checks.expect(f"<document>{_h['content']['text']}</document>" in _text, "every kept chunk in <document> tags", found=_text[:200])
for _h in _dropped:
    checks.expect(_h["content"]["text"] not in _text, "chunks below min_score must not reach the prompt", found=_text[:200])
checks.expect(_text.rstrip().endswith(f"Question: {_q}"), "the message ends with 'Question: <question>'", found=_text[-80:])
_uris = []
for _h in _kept:
    if _h["location"]["s3Location"]["uri"] not in _uris:
        _uris.append(_h["location"]["s3Location"]["uri"])
checks.expect_equal(_r.get("sources"), _uris, "sources: the kept chunks' URIs, deduplicated, in retrieval order")
# Several chunks of one document give one source; a high threshold keeps nothing.
_bucket = f"kb-{uuid.uuid4().hex[:8]}"
_kb = build_kb(_bucket, {"z-guide.md": "Refunds are issued within 14 days. " * 30 + "\n\nRefund questions go to the returns desk.",
                         "a-other.md": "Gift cards are sold in stores."},
               f"t-{uuid.uuid4().hex[:6]}")
_r2 = checks.call(grounded_answer, _ar, _rt, kb_id=_kb, model_id="amazon.nova-lite-v1:0", question="How long do refunds take?",
                  top_k=5, min_score=0.0)
checks.expect_equal(_r2.get("sources"), [f"s3://{_bucket}/z-guide.md", f"s3://{_bucket}/a-other.md"],
                    "one source per document, in retrieval order (best first)")
_top = aws.client("bedrock-agent-runtime").retrieve(knowledgeBaseId=_kb, retrievalQuery={"text": "How long do refunds take?"})
_edge = min(h["score"] for h in _top["retrievalResults"] if h["location"]["s3Location"]["uri"].endswith("a-other.md"))
_r4 = checks.call(grounded_answer, _ar, _rt, kb_id=_kb, model_id="amazon.nova-lite-v1:0", question="How long do refunds take?",
                  top_k=5, min_score=_edge)
checks.expect_equal(_r4.get("sources"), [f"s3://{_bucket}/z-guide.md", f"s3://{_bucket}/a-other.md"],
                    "a chunk whose score equals min_score is kept")
_conv.clear()
_r3 = checks.call(grounded_answer, _ar, _rt, kb_id=_kb, model_id="amazon.nova-lite-v1:0", question="How long do refunds take?",
                  top_k=3, min_score=0.999)
checks.expect_equal((_r3, len(_conv)), ({"answer": "I don't know.", "sources": []}, 0), "min_score applies")
### END HIDDEN TESTS

# %%
quiz.show("evaluation", "retrieval-troubleshooting")

# %% [markdown]
# ## Graded quiz <a id="graded-quiz"></a>
#
# Seven questions across the whole notebook. Pick your answers in the widget below; they are
# saved automatically beside this notebook and graded when you submit. Leave the cells under the
# widget as they are.

# %%
quiz.graded("evaluation")

# %% kind="quiz" question="ev-g1" points=1

# %% kind="quiz" question="ev-g2" points=1

# %% kind="quiz" question="ev-g3" points=1

# %% kind="quiz" question="ev-g4" points=1

# %% kind="quiz" question="ev-g5" points=1

# %% kind="quiz" question="ev-g6" points=1

# %% kind="quiz" question="ev-g7" points=1

# %% [markdown]
# ## Summary / what to review <a id="summary"></a>
#
# **Measure more than accuracy.** Relevance, correctness, faithfulness, completeness,
# consistency, fluency and safety; ROUGE/BLEU/BERTScore track surface or semantic overlap with a
# reference, not faithfulness.
#
# **Bedrock evaluations.** Automatic (accuracy, robustness, toxicity), human with your own team,
# and LLM-as-a-judge with built-in or custom metrics and explanations; datasets in JSONL, results
# in S3 (list the prefix). Calibrate a judge against human labels with Cohen's kappa (Exercise 1);
# compare models on one job and pick the cheapest above the bar (Exercise 2); A/B and canary
# releases for live traffic (AppConfig; Evidently is retired).
#
# **RAG and agents.** Retrieve-only (context relevance, coverage) versus retrieve-and-generate
# (correctness, faithfulness, citations) separates retrieval from generation failures
# (Exercise 3). Agents: task completion, tool selection and parameters, efficiency; AgentCore
# Evaluations online and on demand. User feedback, A2I and Ground Truth feed the golden set.
#
# **Keep quality up.** Golden datasets with hallucination probes, per-item regression tests and
# a pipeline gate (Exercise 4); synthetic workflows and CloudWatch Synthetics canaries for model
# updates; scores as CloudWatch metrics, dashboards and alarms.
#
# **Troubleshoot by evidence.** `ValidationException` "too long" → token budgets and staged
# summaries (Exercise 5); `stopReason: max_tokens` → a higher output limit (Exercise 6);
# throttling → backoff with jitter and isolated failures (Exercise 7); invocation logs, Logs
# Insights and X-Ray to see what the model received, template tests and schema validation for
# prompt problems (Exercise 8); retrieval: query with the question, thresholds, reranking,
# chunking, and re-embedding after an embedding-model change (Exercise 9).
