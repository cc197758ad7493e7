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
# # Application Integration, Compute, Containers & Customer Engagement for GenAI
#
# **Who this is for:** developers preparing for the AWS Certified Generative AI Developer –
# Professional exam (AIP-C01) who know Python and the AWS console and now need to wire a
# foundation model into a real application: queues in front of slow model calls, workflows that
# chain several model and data steps, events that announce "the batch job finished", functions
# and containers that host the glue code, and a contact centre that puts a model in front of
# customers.
#
# **What you will do here:**
#
# - read 18 short service sections, each with an *Exam tip* and self-check questions;
# - complete **6 graded exercises** against a simulated AWS account: a Step Functions document
#   workflow that really runs (Map, Choice, Retry, Catch, DynamoDB and SQS integrations), an
#   EventBridge rule with an input transformer, SNS fan-out with filter policies, an SQS
#   dead-letter queue for poison messages, a Lambda alias canary for a new prompt version, and
#   the traffic maths of canary and linear deployments;
# - read one chart comparing all-at-once, canary and linear traffic shifting;
# - answer the **graded quiz** at the end.
#
# **Exam tasks trained:** mostly 2.3 (enterprise integration architectures), 2.5 (application
# integration patterns), 2.1 (agentic workflows and tool orchestration) and 2.2 (deployment
# strategies), plus 4.1/4.2 (cost and performance) and 5.2 (troubleshooting).
#
# **How to work:** run the cells from top to bottom (every cell is safe to run again). In an
# exercise, replace `raise NotImplementedError()` with your code, run that cell, then run the
# test cell under it: its message tells you what is missing. Graded quiz answers are saved
# automatically next to this notebook as soon as you pick them.
#
# Everything runs offline. The first code cell starts a fake AWS account (the
# [moto](https://github.com/getmoto/moto) simulator) with fake credentials and blocks the
# network. In this account Step Functions executions really run their Pass, Choice, Map and Task
# states, EventBridge and SNS really route to SQS, and SQS really moves poison messages to a
# dead-letter queue. Lambda function *code* never runs here, so the Lambda exercise grades
# configuration (versions, aliases, weights), not handler output.

# %% kind="setup"
from course import sandbox, checks, quiz

aws = sandbox.start()  # fake credentials, moto, network blocked; safe to re-run

# %% [markdown]
# # Part 1 — Application integration
#
# A model call is slow (seconds), expensive, rate-limited and sometimes fails. Integration
# services keep the rest of the system from feeling that: queues absorb bursts, events announce
# what happened, workflows coordinate steps and retries.

# %% [markdown]
# ## Serverless building blocks and resilience patterns <a id="serverless-patterns"></a>
#
# **Why serverless.** Less to own and operate, pay per use, scaling and multi-AZ replication
# built in. Every service still has (mostly soft) *quotas*, and so do the models behind most
# GenAI paths (tokens and requests per minute): designs must respect them.
#
# **Patterns the exam expects you to recognise.**
#
# | Pattern | Problem it solves | AWS shape |
# |---|---|---|
# | Queue-based load levelling | Bursty callers overwhelm a rate-limited model | API → SQS → workers that call Bedrock at a steady rate |
# | Load shedding | A backlog grows faster than you can drain it; old requests are worthless | drop or divert stale work: Lambda *maximum age of record* on streams, TTL checks in the consumer, 429 at the API |
# | Circuit breaker | A failing dependency (model endpoint, vector store) is hammered by retries | stop calling for a while after N failures, serve a fallback; state in DynamoDB, or Step Functions Catch to a fallback model |
# | Poison-message handling | One bad record blocks a stream shard or is retried forever | SQS DLQ with `maxReceiveCount`; stream event sources: retry limit, bisect batch, on-failure destination |
# | Avoid distributed transactions | "write status to DynamoDB *and* send to SQS" can half-succeed | do one write, let DynamoDB Streams (or EventBridge Pipes) trigger the next step |
# | Event sourcing | You need an audit trail and replay | append-only events (Kinesis, EventBridge archive) rebuild state |
# | Saga | A multi-step business transaction needs undo | Step Functions with compensating steps in Catch branches |
# | Strangler fig | Migrate a monolith gradually | route feature by feature to new services; run old and new stores side by side for a while |
#
# **GenAI angle.** A summarisation API calling a model synchronously throttles under a spike.
# Exam-style fixes: SQS between API and model caller, shedding requests older than users will
# wait for, and a fallback to a smaller model when the primary keeps failing.
#
# **Exam tip:** "spiky traffic, throttling errors from the model" → buffer with SQS and control
# consumer concurrency; "one malformed record blocks processing" → DLQ / bisect-on-error;
# "two writes must both happen" → one write plus change-data-capture, not two calls in a row.

# %%
quiz.show("integration", "serverless-patterns")

# %% [markdown]
# ## AWS Step Functions: orchestrating model and data steps <a id="step-functions"></a>
#
# **What it is.** A serverless workflow engine. A *state machine* is a JSON document in the
# Amazon States Language (ASL); each *execution* moves a JSON document from state to state.
#
# | State | Does |
# |---|---|
# | `Task` | one unit of work: a Lambda call, an AWS SDK call, an optimized integration (DynamoDB, SQS, SNS, ECS, Glue, SageMaker, **Bedrock InvokeModel**, ...) or an *activity* worker running anywhere |
# | `Choice` | branch on the data (`NumericGreaterThanEquals`, `StringEquals`, ...) |
# | `Parallel` | fixed branches at the same time |
# | `Map` | the same steps for every item of an array; *Distributed* mode fans out to thousands of child executions over S3 objects |
# | `Wait`, `Pass`, `Succeed`, `Fail` | delay, reshape data, end |
#
# **Workflow types.** *Standard*: up to one year, exactly-once state transitions, full
# execution history, priced per state transition; the choice for long or human-in-the-loop
# flows. *Express*: up to five minutes, priced per request and duration, at-least-once when
# started asynchronously (at-most-once when synchronous), so its tasks must be idempotent; the
# choice for high-volume, short event processing.
#
# **Integration patterns.** Request/response (call and move on), *run a job* (`.sync`: wait
# for a Glue, ECS or SageMaker job to finish) and *wait for callback* (`.waitForTaskToken`:
# pause until someone calls `SendTaskSuccess`, e.g. a human reviewer).
#
# **Errors.** `Retry` (per error name: `IntervalSeconds`, `MaxAttempts`, `BackoffRate`,
# jitter) then `Catch` (go to a recovery state). A `Catch` replaces the state's input with the
# error object unless you set `ResultPath` (for example `"$.error"`) to keep the original input
# beside it. Data flow: `InputPath` → `Parameters` → task → `ResultSelector` → `ResultPath` →
# `OutputPath`; intrinsic functions (`States.Format`, `States.JsonToString`, ...) replace many
# tiny Lambda functions. Observability: CloudWatch Logs, X-Ray, and EventBridge events on
# execution status changes.
#
# **GenAI angle.** Prompt chains (extract → classify → summarise), RAG ingestion, fixed tool
# sequences with retries on `ThrottlingException` and a Catch that falls back to a cheaper model.
# Prefer Step Functions over Bedrock Flows when steps span many AWS services or need a human.
# An agent's **reason-and-act loop** can be a state machine: a Task calls `Converse` (AWS SDK
# integration), a Choice checks whether the model asked for a tool (`stopReason` = `tool_use`), a
# Task runs the tool, and the loop returns to the model; every step is recorded and a failed tool
# is retried alone. **Stopping conditions** are enforced by the workflow, not by the prompt: a
# step counter (`States.MathAdd`) with a Choice that exits at a limit, and `TimeoutSeconds` on the
# state machine. To screen input before any model call, a Task calls the guardrail's
# `ApplyGuardrail` API and a Choice routes on its action (`GUARDRAIL_INTERVENED`). For
# **content-based model routing**, a Task asks a small model to label the request (simple or
# complex) and a Choice sends it to a small or a large model, keeping the rule readable in the
# definition.
#
# *Note:* the notes list "ProcessingStep, TrainingStep, TransformStep, ModelStep" as Step
# Functions integrations. Those are step classes of SageMaker Pipelines / the Data Science SDK;
# in ASL they are Task states calling `sagemaker:createProcessingJob.sync` and similar.
#
# **Exam tip:** "long-running, auditable, exactly-once" → Standard; "100,000 events per second,
# short" → Express; "wait for a human" → `.waitForTaskToken`; "process each of 50,000 files in
# S3" → Distributed Map.

# %%
quiz.show("integration", "step-functions")

# %% [markdown]
# **Try it.** The simulator really executes state machines. This one has a single `Pass` state
# that adds a field. (The first Step Functions, DynamoDB and SQS calls in a kernel take a moment;
# this cell also warms them up for the exercise.)

# %%
import json
import time
import uuid

sfn = aws.client("stepfunctions")
ddb = aws.client("dynamodb")
sqs = aws.client("sqs")
ROLE_ARN = f"arn:aws:iam::{aws.account_id}:role/course-stepfunctions"

hello = {
    "StartAt": "AddGreeting",
    "States": {"AddGreeting": {"Type": "Pass", "Result": "hello", "ResultPath": "$.greeting", "End": True}},
}
demo_arn = sfn.create_state_machine(name="demo-pass", definition=json.dumps(hello), roleArn=ROLE_ARN)[
    "stateMachineArn"
]
run = sfn.start_execution(stateMachineArn=demo_arn, name=f"try-{uuid.uuid4().hex[:8]}", input='{"doc": 1}')
deadline = time.time() + 15
while True:
    described = sfn.describe_execution(executionArn=run["executionArn"])
    if described["status"] != "RUNNING" or time.time() > deadline:
        break
    time.sleep(0.05)
print(described["status"], described.get("output"))
ddb.list_tables()
sqs.list_queues()

# %% [markdown]
# ### Exercise 1 — a document-classification workflow (4 points)
#
# An upstream model labels incoming documents and gives each label a confidence. Write
# `build_doc_workflow(sfn, name, role_arn, table_name, queue_url, threshold)` that creates a
# **Standard** state machine called `name` and returns its ARN. Its input looks like
# `{"documents": [{"doc_id": "d-1", "label": "invoice", "confidence": 0.93}, ...]}`. For **each**
# document (a `Map` state):
#
# 1. a `Choice` state: if `confidence >= threshold`, store it; otherwise send
#    `{"doc_id": <doc_id>, "reason": "low-confidence"}` to the review queue;
# 2. the store step is a Task with the optimized integration
#    `arn:aws:states:::dynamodb:putItem`, writing `doc_id` (S), `label` (S) and `status` = `"AUTO"`
#    (S), with `ConditionExpression` `attribute_not_exists(doc_id)` so that a document a human
#    already reviewed is never overwritten;
# 3. on that Task, a `Retry` for `DynamoDB.ProvisionedThroughputExceededException` (at least 2
#    attempts, `BackoffRate` above 1) and a `Catch` for every other failure (`States.ALL`) that
#    sends `{"doc_id": <doc_id>, "reason": "write-failed"}` to the queue. Keep the document next
#    to the error (`ResultPath`), or you will not know which document failed;
# 4. queue messages use the optimized integration `arn:aws:states:::sqs:sendMessage` with a JSON
#    object as `MessageBody` (Step Functions serialises it).
#
# Hints: a field whose value comes from the state input ends in `.$`, e.g.
# `{"doc_id": {"S.$": "$.doc_id"}}`; inside the Map, the state input is one document. Either
# `Iterator` or the newer `ItemProcessor` works. Every state other than a `Choice` needs a `Next`
# or `"End": true` (AWS refuses the definition otherwise). The tests run executions on documents
# you have not seen and then read the table and the queue.

# %% kind="solution" grade_id="sfn-doc-workflow"
def build_doc_workflow(sfn, name, role_arn, table_name, queue_url, threshold):
    """Create the document-routing state machine described above; return its ARN."""
    ### BEGIN SOLUTION
    def to_review(reason):
        return {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage",
            "Parameters": {"QueueUrl": queue_url, "MessageBody": {"doc_id.$": "$.doc_id", "reason": reason}},
            "End": True,
        }

    per_document = {
        "StartAt": "Route",
        "States": {
            "Route": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.confidence", "NumericGreaterThanEquals": threshold, "Next": "Store"}],
                "Default": "LowConfidence",
            },
            "Store": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:putItem",
                "Parameters": {
                    "TableName": table_name,
                    "Item": {"doc_id": {"S.$": "$.doc_id"}, "label": {"S.$": "$.label"}, "status": {"S": "AUTO"}},
                    "ConditionExpression": "attribute_not_exists(doc_id)",
                },
                "Retry": [
                    {
                        "ErrorEquals": ["DynamoDB.ProvisionedThroughputExceededException"],
                        "IntervalSeconds": 1,
                        "MaxAttempts": 3,
                        "BackoffRate": 2.0,
                    }
                ],
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "WriteFailed"}],
                "End": True,
            },
            "LowConfidence": to_review("low-confidence"),
            "WriteFailed": to_review("write-failed"),
        },
    }
    definition = {
        "Comment": "Route classified documents: store confident ones, queue the rest for review",
        "StartAt": "EachDocument",
        "States": {
            "EachDocument": {
                "Type": "Map",
                "ItemsPath": "$.documents",
                "MaxConcurrency": 10,
                "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, **per_document},
                "End": True,
            }
        },
    }
    response = sfn.create_state_machine(
        name=name, definition=json.dumps(definition), roleArn=role_arn, type="STANDARD"
    )
    return response["stateMachineArn"]
    ### END SOLUTION


# %% kind="tests" grade_id="sfn-doc-workflow-tests" points=4
"""Does the workflow store confident documents, queue the others, retry throttling and catch failed writes?"""
import json
import random
import time
import uuid


def _fresh_table_and_queue():
    table = f"docs-{uuid.uuid4().hex[:8]}"
    ddb.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "doc_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "doc_id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    queue_url = sqs.create_queue(QueueName=f"review-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    return table, queue_url


def _run(arn, documents):
    with checks.step("starting an execution of your state machine"):
        ex = sfn.start_execution(
            stateMachineArn=arn, name=f"t-{uuid.uuid4().hex[:10]}", input=json.dumps({"documents": documents})
        )["executionArn"]
    deadline = time.time() + 15
    while True:
        d = sfn.describe_execution(executionArn=ex)
        if d["status"] != "RUNNING" or time.time() > deadline:
            break
        time.sleep(0.03)
    checks.expect_equal(
        d["status"], "SUCCEEDED", "the execution should succeed",
        hint=f"error {d.get('error')}: {str(d.get('cause'))[:200]}; check JSONPaths ending in .$ and the Catch ResultPath",
    )


def _table(table):
    return {i["doc_id"]["S"]: {k: v["S"] for k, v in i.items()} for i in ddb.scan(TableName=table)["Items"]}


def _queue(queue_url):
    out = []
    while True:
        msgs = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
        if not msgs:
            return out
        for m in msgs:
            try:
                out.append(json.loads(m["Body"]))
            except ValueError:
                checks.fail("every queue message should be a JSON object", "JSON", m["Body"][:120],
                            "pass a JSON object as MessageBody in Parameters")
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=m["ReceiptHandle"])


# Visible check: one confident and one unsure document.
table, queue_url = _fresh_table_and_queue()
arn = checks.call(build_doc_workflow, sfn, f"docs-{uuid.uuid4().hex[:8]}", ROLE_ARN, table, queue_url, 0.8)
checks.expect_type(arn, str, "build_doc_workflow should return the state machine ARN")
_run(arn, [{"doc_id": "inv-1", "label": "invoice", "confidence": 0.93},
           {"doc_id": "memo-7", "label": "memo", "confidence": 0.41}])
items = _table(table)
checks.expect_in("inv-1", items, "the confident document should be stored in the table")
checks.expect_equal(items["inv-1"].get("status"), "AUTO", "stored documents should have status AUTO")
checks.expect_equal(items["inv-1"].get("label"), "invoice", "the stored label should come from the document")
checks.expect_not_in("memo-7", items, "a low-confidence document must not be stored")
checks.expect_equal(_queue(queue_url), [{"doc_id": "memo-7", "reason": "low-confidence"}],
                    "the review queue should receive the low-confidence document")

### BEGIN HIDDEN TESTS
table, queue_url = _fresh_table_and_queue()
threshold = round(random.uniform(0.55, 0.85), 2)
arn = checks.call(build_doc_workflow, sfn, f"docs-{uuid.uuid4().hex[:8]}", ROLE_ARN, table, queue_url, threshold)
labels = ["contract", "invoice", "resume", "claim", "receipt"]
docs, expected_items, expected_msgs = [], {}, []
for i in range(6):
    doc_id = f"d-{uuid.uuid4().hex[:6]}"
    conf = round(threshold + 0.1, 2) if i % 2 == 0 else round(threshold - 0.1, 2)
    label = random.choice(labels)
    docs.append({"doc_id": doc_id, "label": label, "confidence": conf})
    if conf >= threshold:
        expected_items[doc_id] = {"doc_id": doc_id, "label": label, "status": "AUTO"}
    else:
        expected_msgs.append({"doc_id": doc_id, "reason": "low-confidence"})
# A confident document whose id was already reviewed by a human: the write must fail and be caught.
reviewed = f"d-{uuid.uuid4().hex[:6]}"
ddb.put_item(TableName=table, Item={"doc_id": {"S": reviewed}, "label": {"S": "human"}, "status": {"S": "REVIEWED"}})
docs.append({"doc_id": reviewed, "label": "guess", "confidence": 0.99})
expected_items[reviewed] = {"doc_id": reviewed, "label": "human", "status": "REVIEWED"}
expected_msgs.append({"doc_id": reviewed, "reason": "write-failed"})
# Exactly at the threshold counts as confident.
edge = f"d-{uuid.uuid4().hex[:6]}"
docs.append({"doc_id": edge, "label": "claim", "confidence": threshold})
expected_items[edge] = {"doc_id": edge, "label": "claim", "status": "AUTO"}
_run(arn, docs)
checks.expect_equal(_table(table), expected_items,
                    "the table should hold exactly the confident documents, and never overwrite a reviewed one",
                    "use >= against the threshold and ConditionExpression attribute_not_exists(doc_id)")
got = sorted(_queue(queue_url), key=lambda m: m.get("doc_id", ""))
checks.expect_equal(got, sorted(expected_msgs, key=lambda m: m["doc_id"]),
                    "the queue should get one message per low-confidence document and per failed write",
                    "Catch States.ALL with a ResultPath such as $.error, then send doc_id and reason")


def _all_states(states):
    for state_name, st in (states or {}).items():
        yield state_name, st
        for key in ("Iterator", "ItemProcessor"):
            yield from _all_states((st.get(key) or {}).get("States"))
        for branch in st.get("Branches") or []:
            yield from _all_states(branch.get("States"))


def _tasks(states):
    return [st for _, st in _all_states(states) if st.get("Type") == "Task"]


definition = json.loads(sfn.describe_state_machine(stateMachineArn=arn)["definition"])
# AWS refuses a state that neither ends nor names its successor (MISSING_TRANSITION_TARGET); the simulator does not.
dangling = sorted(state_name for state_name, st in _all_states(definition["States"])
                  if st.get("Type") not in ("Choice", "Succeed", "Fail") and "Next" not in st and st.get("End") is not True)
checks.expect_equal(dangling, [], 'every state except Choice, Succeed and Fail should have "Next" or "End": true',
                    'AWS rejects the definition otherwise (MISSING_TRANSITION_TARGET): give each last state "End": true')
puts = [t for t in _tasks(definition["States"]) if "dynamodb:putItem" in t.get("Resource", "")]
checks.expect(len(puts) == 1, "the workflow should have one DynamoDB putItem task", found=len(puts))
retries = [r for r in puts[0].get("Retry", [])
           if "DynamoDB.ProvisionedThroughputExceededException" in r.get("ErrorEquals", [])]
checks.expect(bool(retries), "the putItem task should retry DynamoDB.ProvisionedThroughputExceededException",
              found=puts[0].get("Retry"))
checks.expect(retries[0].get("MaxAttempts", 3) >= 2 and retries[0].get("BackoffRate", 2.0) > 1,
              "the retry should make at least 2 attempts with exponential backoff", found=retries[0])
checks.expect_equal(sfn.describe_state_machine(stateMachineArn=arn).get("type"), "STANDARD",
                    "the workflow should be a Standard state machine")
### END HIDDEN TESTS

# %% [markdown]
# ## Amazon EventBridge: routing events between services <a id="eventbridge"></a>
#
# **What it is.** A serverless event router. Producers put JSON *events* on an *event bus*
# (the `default` bus receives AWS service events; *custom* buses hold your application's events;
# *partner* buses receive SaaS events such as Zendesk or Datadog). *Rules* match events with an
# *event pattern* and send them to up to five *targets*: Lambda, Step Functions, SQS, SNS,
# Kinesis, Firehose, ECS tasks, another bus (cross-account or cross-Region), or an *API
# destination* (any HTTPS endpoint, with an auth connection and rate limit).
#
# **Patterns** match fields by value lists, and by operators: `prefix`, `suffix`,
# `anything-but`, `numeric` ranges, `exists`, `wildcard`, `equals-ignore-case`. An *input
# transformer* reshapes the event for the target: `InputPathsMap` picks values with JSONPath,
# `InputTemplate` places them as `<name>`. Delivery is at-least-once with no ordering guarantee,
# so targets must be idempotent; failed deliveries are retried (up to 24 hours by default) and can
# go to a per-target DLQ (an SQS queue).
#
# **More features.** *Archive and replay* (reprocess past events after a bug fix); *Schema
# Registry* (discover and version event schemas, generate code bindings); *EventBridge
# Scheduler* (one-off or recurring invocations of thousands of API actions, with time zones
# and flexible windows); *EventBridge Pipes* (point-to-point: a source such as SQS, Kinesis or
# DynamoDB Streams → filter → enrich → target, without glue code).
#
# | Need | Choose |
# |---|---|
# | Route by content to several kinds of consumers, SaaS sources, replay | EventBridge |
# | Very high fan-out of one message to many subscribers, SMS/email/mobile push | SNS |
# | Buffer work for a consumer that pulls at its own pace | SQS |
#
# **GenAI angle.** `aws.bedrock` publishes job state changes to the default bus ("Batch
# Inference Job State Change", "Model Customization Job State Change", and Bedrock Data
# Automation job events), and `aws.sagemaker` does so for training jobs and pipeline steps; a rule
# on "job completed" can start the next workflow and one on "failed" can page on-call, with no
# polling of Get APIs. A custom bus carries your own "batch inference finished" or
# "document ingested" events to a Knowledge Base sync, an agent, or a notification. API calls
# recorded by CloudTrail also reach EventBridge (detail-type "AWS API Call via CloudTrail"): a
# rule on `UpdateGuardrail` or `DeleteGuardrail` from `bedrock.amazonaws.com` can page security
# within minutes, with the caller in the event's `userIdentity`.
#
# *Note:* the notes list S3 as a rule target. S3 is an event **source** (via EventBridge
# notifications on the bucket), not a target; to land events in S3, target Firehose.
#
# **Exam tip:** "react to state changes of AWS services", "filter on content", "SaaS events",
# "replay" → EventBridge. "Run this every night at 02:00 in Europe/Paris" → EventBridge
# Scheduler.

# %%
quiz.show("integration", "eventbridge")

# %% [markdown]
# ### Exercise 2 — route "batch inference finished" events to a queue (3 points)
#
# Your batch-inference service publishes events like this on a custom bus:
#
# ```json
# {"source": "genai.batch-inference", "detail-type": "Batch Job State Change",
#  "detail": {"job_id": "job-42", "status": "COMPLETED", "model_id": "anthropic.claude-3-haiku-20240307-v1:0",
#             "output_uri": "s3://results/job-42/", "records": 1200}}
# ```
#
# Write `route_finished_jobs(events, bus_name, rule_name, queue_arn)` that creates the rule
# `rule_name` on `bus_name` matching **only** events from that source and detail-type whose
# `status` is `COMPLETED` **and** whose `records` is greater than 0 (a numeric matcher), and
# targets the queue with an input transformer so the queue receives exactly
# `{"job": "<job_id>", "results": "<output_uri>", "records": <records>}` (records stays a number).
# Return the rule ARN.
#
# Hints: `events.put_rule(Name=..., EventBusName=..., EventPattern=json.dumps(...))`,
# `events.put_targets(Rule=..., EventBusName=..., Targets=[{"Id": ..., "Arn": ...,
# "InputTransformer": {"InputPathsMap": {...}, "InputTemplate": "..."}}])`. Put string
# placeholders inside quotes (`"<job>"`) and numbers bare (`<n>`). (On AWS the queue would also
# need a queue policy allowing `events.amazonaws.com` to send; the simulator does not check it.)

# %%
events = aws.client("events")
events.list_event_buses()  # warm-up

# %% kind="solution" grade_id="eb-finished-jobs"
def route_finished_jobs(events, bus_name, rule_name, queue_arn):
    """Create a rule on bus_name sending reshaped COMPLETED, non-empty batch jobs to the queue; return the rule ARN."""
    ### BEGIN SOLUTION
    pattern = {
        "source": ["genai.batch-inference"],
        "detail-type": ["Batch Job State Change"],
        "detail": {"status": ["COMPLETED"], "records": [{"numeric": [">", 0]}]},
    }
    rule_arn = events.put_rule(
        Name=rule_name,
        EventBusName=bus_name,
        EventPattern=json.dumps(pattern),
        State="ENABLED",
        Description="Finished batch-inference jobs with output",
    )["RuleArn"]
    events.put_targets(
        Rule=rule_name,
        EventBusName=bus_name,
        Targets=[
            {
                "Id": "finished-jobs-queue",
                "Arn": queue_arn,
                "InputTransformer": {
                    "InputPathsMap": {
                        "job": "$.detail.job_id",
                        "uri": "$.detail.output_uri",
                        "n": "$.detail.records",
                    },
                    "InputTemplate": '{"job": "<job>", "results": "<uri>", "records": <n>}',
                },
            }
        ],
    )
    return rule_arn
    ### END SOLUTION


# %% kind="tests" grade_id="eb-finished-jobs-tests" points=3
"""Does the rule deliver only completed, non-empty jobs, reshaped by the input transformer?"""
import json
import uuid


def _bus_and_queue():
    bus = f"ml-{uuid.uuid4().hex[:8]}"
    events.create_event_bus(Name=bus)
    url = sqs.create_queue(QueueName=f"finished-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return bus, url, arn


def _emit(bus, detail, source="genai.batch-inference", detail_type="Batch Job State Change"):
    with checks.step("publishing a test event"):
        events.put_events(Entries=[{"Source": source, "DetailType": detail_type,
                                    "Detail": json.dumps(detail), "EventBusName": bus}])


def _drain(url):
    out = []
    while True:
        msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not msgs:
            return out
        for m in msgs:
            try:
                out.append(json.loads(m["Body"]))
            except ValueError:
                checks.fail("the queue should receive JSON", "a JSON object", m["Body"][:120],
                            "put string placeholders in quotes in InputTemplate")
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])


def _job(status="COMPLETED", records=10):
    jid = f"job-{uuid.uuid4().hex[:6]}"
    return {"job_id": jid, "status": status, "model_id": "anthropic.claude-3-haiku-20240307-v1:0",
            "output_uri": f"s3://results/{jid}/", "records": records}


bus, url, qarn = _bus_and_queue()
rule = f"finished-{uuid.uuid4().hex[:6]}"
rule_arn = checks.call(route_finished_jobs, events, bus, rule, qarn)
checks.expect(isinstance(rule_arn, str) and rule in rule_arn, "route_finished_jobs should return the rule ARN",
              found=rule_arn)
good = _job(records=1200)
_emit(bus, good)
got = _drain(url)
checks.expect_equal(got, [{"job": good["job_id"], "results": good["output_uri"], "records": 1200}],
                    "a completed job should reach the queue in the transformed shape")

### BEGIN HIDDEN TESTS
bus, url, qarn = _bus_and_queue()
rule = f"finished-{uuid.uuid4().hex[:6]}"
checks.call(route_finished_jobs, events, bus, rule, qarn)
wanted = [_job(records=n) for n in (1, 37)]
for d in wanted:
    _emit(bus, d)
_emit(bus, _job(status="FAILED", records=50))
_emit(bus, _job(status="IN_PROGRESS", records=5))
_emit(bus, _job(records=0))
_emit(bus, _job(), source="genai.other-service")
_emit(bus, _job(), detail_type="Batch Job Created")
_emit("default", _job())
got = sorted(_drain(url), key=lambda m: str(m.get("job")))
expected = sorted(({"job": d["job_id"], "results": d["output_uri"], "records": d["records"]} for d in wanted),
                  key=lambda m: m["job"])
checks.expect_equal(got, expected,
                    "only COMPLETED jobs with records > 0, from this source and detail-type, on this bus, should arrive",
                    'match status ["COMPLETED"] and records [{"numeric": [">", 0]}]; keep source and detail-type in the pattern')
rules = events.list_rules(EventBusName=bus)["Rules"]
checks.expect_equal([r["Name"] for r in rules], [rule], "the rule should be created on the custom bus given")
checks.expect_equal(events.describe_rule(Name=rule, EventBusName=bus).get("State"), "ENABLED",
                    "the rule should be enabled", 'leave State out or set State="ENABLED"')
### END HIDDEN TESTS

# %% [markdown]
# ## Amazon SNS: publish once, deliver to many <a id="sns"></a>
#
# **What it is.** Managed pub/sub. Publishers send a message to a *topic*; SNS *pushes* a copy
# to every subscription: SQS, Lambda, HTTP/S, Firehose, email, SMS and mobile push.
#
# **Topic types.** *Standard*: very high throughput, at-least-once, best-effort ordering (make
# consumers idempotent). *FIFO*: strict ordering per message group and deduplication within a
# 5-minute window (content-based or by deduplication ID), with lower throughput; FIFO topics
# can archive messages and replay them to subscribers.
#
# **Subscription filter policies** let each subscriber receive only what it needs, instead of
# receiving everything and discarding. A policy matches *message attributes* (the default scope)
# or the *message body* (`FilterPolicyScope: MessageBody`), with exact values and operators
# (`anything-but`, `prefix`, `numeric`, `exists`, ...). Keys are ANDed; values in a list are
# ORed. *Raw message delivery* sends the bare message to SQS/HTTP instead of the SNS JSON
# envelope.
#
# **Reliability and security.** Per-subscription delivery retries and a *redrive policy* to an
# SQS dead-letter queue for messages that could not be delivered; SSE with KMS; delivery status
# logging; topic access policies (for example to let S3 or EventBridge publish). Messages are up
# to 256 KiB by default; a topic's `MaximumMessageSize` can be raised to 1 MiB (for SQS, Lambda
# and Firehose subscribers); larger payloads go through S3 with the extended client libraries.
#
# **The fan-out pattern.** SNS topic → several SQS queues: each consumer (logging, metrics,
# moderation, billing) gets its own durable copy and processes at its own pace.
#
# **GenAI angle.** A content-moderation service publishes one event per flagged output; the
# on-call queue subscribes with a filter for high severity, the analytics queue gets
# everything, an email subscription alerts the trust-and-safety team.
#
# **Exam tip:** "same message to several independent consumers" → SNS fan-out to SQS;
# "only some messages to this consumer" → subscription filter policy; for large fan-out
# with archive, replay and content routing to many AWS targets, compare with EventBridge.

# %%
quiz.show("integration", "sns")

# %% [markdown]
# ### Exercise 3 — fan-out of moderation alerts with filter policies (3 points)
#
# A moderation service publishes every flagged model response to one SNS topic, with message
# attributes `severity` (String: `low`, `medium`, `high`, `critical`), `category` (String, e.g.
# `hate`, `violence`, `spam`) and `score` (Number, 0–1). Write
# `subscribe_moderation_queues(sns, topic_arn, urgent_queue_arn, audit_queue_arn, min_score)`
# that subscribes both SQS queues with **raw message delivery** and returns
# `{"urgent": <subscription ARN>, "audit": <subscription ARN>}`:
#
# - the **audit** queue receives every message;
# - the **urgent** queue receives a message only if `severity` is `high` or `critical`, **and**
#   `category` is anything but `spam`, **and** `score` is at least `min_score`.
#
# Hints: `sns.subscribe(TopicArn=..., Protocol="sqs", Endpoint=<queue ARN>,
# Attributes={"FilterPolicy": json.dumps(...), "RawMessageDelivery": "true"},
# ReturnSubscriptionArn=True)`. Operators: `{"anything-but": [...]}`, `{"numeric": [">=", x]}`.

# %%
sns = aws.client("sns")
sns.list_topics()  # warm-up

# %% kind="solution" grade_id="sns-filter-fanout"
def subscribe_moderation_queues(sns, topic_arn, urgent_queue_arn, audit_queue_arn, min_score):
    """Subscribe the audit queue to everything and the urgent queue to severe, non-spam, high-score alerts."""
    ### BEGIN SOLUTION
    urgent_policy = {
        "severity": ["high", "critical"],
        "category": [{"anything-but": ["spam"]}],
        "score": [{"numeric": [">=", min_score]}],
    }
    urgent = sns.subscribe(
        TopicArn=topic_arn,
        Protocol="sqs",
        Endpoint=urgent_queue_arn,
        Attributes={"FilterPolicy": json.dumps(urgent_policy), "RawMessageDelivery": "true"},
        ReturnSubscriptionArn=True,
    )["SubscriptionArn"]
    audit = sns.subscribe(
        TopicArn=topic_arn,
        Protocol="sqs",
        Endpoint=audit_queue_arn,
        Attributes={"RawMessageDelivery": "true"},
        ReturnSubscriptionArn=True,
    )["SubscriptionArn"]
    return {"urgent": urgent, "audit": audit}
    ### END SOLUTION


# %% kind="tests" grade_id="sns-filter-fanout-tests" points=3
"""Does the urgent queue get only severe, non-spam, high-score alerts while the audit queue gets all?"""
import json
import random
import uuid


def _queue():
    url = sqs.create_queue(QueueName=f"mod-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def _ids(url):
    out = []
    while True:
        msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not msgs:
            return sorted(out)
        for m in msgs:
            try:
                out.append(json.loads(m["Body"])["id"])
            except (ValueError, KeyError, TypeError):
                checks.fail("messages should arrive raw (the published JSON, not the SNS envelope)",
                            '{"id": ...}', m["Body"][:120], 'set RawMessageDelivery to "true"')
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])


def _publish(topic, severity, category, score):
    mid = uuid.uuid4().hex[:8]
    sns.publish(TopicArn=topic, Message=json.dumps({"id": mid}), MessageAttributes={
        "severity": {"DataType": "String", "StringValue": severity},
        "category": {"DataType": "String", "StringValue": category},
        "score": {"DataType": "Number", "StringValue": str(score)}})
    return mid


topic = sns.create_topic(Name=f"moderation-{uuid.uuid4().hex[:8]}")["TopicArn"]
(urgent_url, urgent_arn), (audit_url, audit_arn) = _queue(), _queue()
subs = checks.call(subscribe_moderation_queues, sns, topic, urgent_arn, audit_arn, 0.8)
checks.expect(isinstance(subs, dict) and set(subs) == {"urgent", "audit"},
              "return a dict with the keys 'urgent' and 'audit'", found=subs)
a = _publish(topic, "critical", "violence", 0.97)
b = _publish(topic, "low", "hate", 0.99)
checks.expect_equal(_ids(urgent_url), [a], "only the critical alert should reach the urgent queue")
checks.expect_equal(_ids(audit_url), sorted([a, b]), "the audit queue should receive every alert")

### BEGIN HIDDEN TESTS
topic = sns.create_topic(Name=f"moderation-{uuid.uuid4().hex[:8]}")["TopicArn"]
(urgent_url, urgent_arn), (audit_url, audit_arn) = _queue(), _queue()
min_score = round(random.uniform(0.6, 0.8), 2)
subs = checks.call(subscribe_moderation_queues, sns, topic, urgent_arn, audit_arn, min_score)
cases = [("high", "hate", min_score, True), ("critical", "self-harm", 0.95, True),
         ("high", "spam", 0.99, False), ("medium", "violence", 0.99, False),
         ("critical", "hate", round(min_score - 0.05, 2), False), ("low", "spam", 0.1, False)]
expected_urgent, every = [], []
for severity, category, score, urgent in cases:
    mid = _publish(topic, severity, category, score)
    every.append(mid)
    if urgent:
        expected_urgent.append(mid)
checks.expect_equal(_ids(urgent_url), sorted(expected_urgent),
                    "the urgent queue should get exactly the high/critical, non-spam alerts with score >= min_score",
                    'combine "severity", "category" (anything-but) and "score" (numeric >=) in one filter policy')
checks.expect_equal(_ids(audit_url), sorted(every), "the audit queue should get every alert, unfiltered")
for key, arn in subs.items():
    attrs = sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
    expected_endpoint = urgent_arn if key == "urgent" else audit_arn
    checks.expect_equal(attrs.get("Endpoint"), expected_endpoint, f"the {key} subscription should target the {key} queue")
    checks.expect_equal(attrs.get("RawMessageDelivery"), "true", f"the {key} subscription should use raw delivery")
### END HIDDEN TESTS

# %% [markdown]
# ## Amazon SQS: buffering work for model calls <a id="sqs"></a>
#
# **What it is.** A managed message queue: producers send, consumers *poll*, receive, process
# and **delete**. A received message is hidden for the *visibility timeout* (default 30 s, up to
# 12 h); if it is not deleted in time it becomes visible again and is retried.
#
# | | Standard | FIFO (`.fifo`) |
# |---|---|---|
# | Throughput | nearly unlimited | 300 API calls/s per action, 3,000 messages/s with batches of 10; much more in high-throughput mode |
# | Delivery | at least once (duplicates possible) | exactly-once processing (5-minute deduplication) |
# | Ordering | best effort | strict within a message group |
#
# **Settings to know.** Messages up to 1 MiB (use S3 plus the extended client library for more);
# retention 1 minute to 14 days (default 4 days); delivery delay up to 15 minutes; long polling
# with `WaitTimeSeconds` up to 20 s (fewer empty, billed receives); batches of up to 10 messages;
# SSE-SQS or SSE-KMS encryption.
#
# **Poison messages.** A *redrive policy* names a dead-letter queue (DLQ) and a
# `maxReceiveCount`: after that many receives without a delete, SQS moves the message to the DLQ
# (a FIFO queue needs a FIFO DLQ). Give the DLQ a longer retention than the source (for a
# standard queue the original enqueue timestamp is kept, so retention counts from the first
# send), alarm on its depth, and use *DLQ redrive* to move messages back after a fix.
#
# **With Lambda.** The event source mapping polls for you; set the queue's visibility timeout to
# at least **six times** the function timeout so retries under throttling do not run a message
# twice in parallel; enable *partial batch responses* (`ReportBatchItemFailures`) so one bad
# message does not make the whole batch retry; cap the mapping's *maximum concurrency* to protect
# a model endpoint's quota.
#
# **GenAI angle.** Asynchronous inference: the API returns a request id at once, workers call
# Bedrock at a pace the quota allows, results go to S3/DynamoDB.
#
# *Note:* the notes give FIFO a flat "3000 messages/sec" and the maximum message size is
# missing. Batching gives 3,000 messages/s, high-throughput FIFO goes far beyond, and since
# 2025 messages can be 1 MiB (was 256 KiB).
#
# **Exam tip:** "decouple, absorb spikes, retry later" → SQS; "order matters per customer" →
# FIFO with `MessageGroupId` = customer; "message keeps failing and blocks work" → DLQ with
# `maxReceiveCount`; "duplicates processed" → visibility timeout too short, or consumer not
# idempotent.

# %%
quiz.show("integration", "sqs")

# %% [markdown]
# ### Exercise 4 — a dead-letter queue for poison prompts (3 points)
#
# A Lambda function takes summarisation jobs from a queue and calls a model. A few jobs contain
# documents the model rejects, and they are retried forever. Write
# `create_queue_with_dlq(sqs, name, max_receives, lambda_timeout)` that:
#
# 1. creates the dead-letter queue `<name>-dlq` with the **maximum** message retention
#    (14 days = 1,209,600 s);
# 2. creates the queue `name` with a visibility timeout of **six times** `lambda_timeout`
#    (seconds) and a redrive policy sending a message to the DLQ after `max_receives` receives;
# 3. returns `(queue_url, dlq_url)`.
#
# Hints: attributes are strings: `Attributes={"MessageRetentionPeriod": "1209600"}`;
# `RedrivePolicy` is a JSON string with `deadLetterTargetArn` (the DLQ **ARN**, from
# `get_queue_attributes(..., AttributeNames=["QueueArn"])`) and `maxReceiveCount`. The test
# receives a message again and again without deleting it, and watches it move.

# %% kind="solution" grade_id="sqs-dlq"
def create_queue_with_dlq(sqs, name, max_receives, lambda_timeout):
    """Create `<name>-dlq` and `name` with a redrive policy; return (queue_url, dlq_url)."""
    ### BEGIN SOLUTION
    dlq_url = sqs.create_queue(
        QueueName=f"{name}-dlq", Attributes={"MessageRetentionPeriod": str(14 * 24 * 3600)}
    )["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    queue_url = sqs.create_queue(
        QueueName=name,
        Attributes={
            "VisibilityTimeout": str(6 * lambda_timeout),
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receives}),
        },
    )["QueueUrl"]
    return queue_url, dlq_url
    ### END SOLUTION


# %% kind="tests" grade_id="sqs-dlq-tests" points=3
"""Does a message that is never deleted move to the DLQ after exactly max_receives receives?"""
import json
import random
import uuid


def _bodies(url):
    msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0).get("Messages", [])
    return [m["Body"] for m in msgs]


def _check(name, max_receives, lambda_timeout):
    urls = checks.call(create_queue_with_dlq, sqs, name, max_receives, lambda_timeout)
    checks.expect(isinstance(urls, tuple) and len(urls) == 2, "return a tuple (queue_url, dlq_url)", found=urls)
    queue_url, dlq_url = urls
    checks.expect(queue_url.endswith("/" + name) and dlq_url.endswith("/" + name + "-dlq"),
                  "the queues should be named <name> and <name>-dlq", found=urls)
    attrs = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])["Attributes"]
    dlq_attrs = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["All"])["Attributes"]
    checks.expect_equal(attrs.get("VisibilityTimeout"), str(6 * lambda_timeout),
                        "the visibility timeout should be six times the Lambda timeout")
    checks.expect_equal(dlq_attrs.get("MessageRetentionPeriod"), "1209600",
                        "the DLQ should keep messages for the maximum 14 days")
    policy = json.loads(attrs.get("RedrivePolicy", "{}"))
    checks.expect_equal(policy.get("deadLetterTargetArn"), dlq_attrs["QueueArn"],
                        "the redrive policy should point at the DLQ's ARN")
    body = f"poison-{uuid.uuid4().hex[:6]}"
    sqs.send_message(QueueUrl=queue_url, MessageBody=body)
    for attempt in range(1, max_receives + 1):
        checks.expect_equal(_bodies(queue_url), [body],
                            f"receive number {attempt} of {max_receives} should still come from the main queue",
                            "maxReceiveCount should equal max_receives")
    checks.expect_equal(_bodies(queue_url), [], "after max_receives receives the message should have left the queue",
                        "maxReceiveCount should equal max_receives")
    checks.expect_equal(_bodies(dlq_url), [body], "the poison message should now be in the DLQ")


_check(f"summaries-{uuid.uuid4().hex[:6]}", 3, 30)

### BEGIN HIDDEN TESTS
_check(f"jobs-{uuid.uuid4().hex[:6]}", random.choice([2, 4, 5]), random.choice([20, 45, 90]))
### END HIDDEN TESTS

# %% [markdown]
# ## Amazon AppFlow: SaaS data into AWS without code <a id="appflow"></a>
#
# **What it is.** A managed, no-code integration service that moves records between SaaS
# applications (Salesforce, SAP via OData, ServiceNow, Zendesk, Slack, Google Analytics,
# Marketo, ...) and AWS (S3, Redshift, EventBridge, ...), plus Snowflake.
#
# **Concepts.** A *flow* has a source, a destination and a *trigger*: on demand, on a schedule
# (full or *incremental* transfer of changed records only) or on an event from the SaaS app.
# Between them you *map* fields, apply *formula transforms*, *validations* and *filters* (which
# records to move), and can mask or truncate fields. A *custom connector SDK* (Python or Java)
# adds sources AppFlow does not support out of the box. Flow start, completion and deactivation
# events go to EventBridge (`"source": "aws.appflow"`).
#
# **Security.** Connection credentials are kept in Secrets Manager, encrypted with an AWS managed
# or customer managed KMS key; data is encrypted in transit, and staged data is encrypted with
# the KMS key you choose. Some connectors can use AWS PrivateLink so data does not cross the
# public internet.
#
# **GenAI angle.** Pull Zendesk tickets or Salesforce cases into S3 every night (incremental) as
# the corpus for a support assistant's Knowledge Base or a fine-tuning set; write model scores
# back to Salesforce. An AppFlow completion event can trigger the Knowledge Base sync.
#
# | Need | Choose |
# |---|---|
# | SaaS records to S3/Redshift, mapped and filtered, no code | AppFlow |
# | Complex transformations, joins, large ETL | AWS Glue |
# | Continuous file sync from on-premises storage | DataSync |
#
# **Exam tip:** "SaaS source", "no custom code", "scheduled or incremental" → AppFlow.

# %%
quiz.show("integration", "appflow")

# %% [markdown]
# ## AWS AppConfig: feature flags and runtime configuration <a id="appconfig"></a>
#
# **What it is.** Part of AWS Systems Manager, AppConfig stores configuration and *feature
# flags* separately from code and deploys them safely. An *application* has *environments*
# (dev, prod) and *configuration profiles* (freeform JSON/YAML/text, or the feature-flag type),
# stored in AppConfig's hosted store or in S3, Parameter Store, Secrets Manager and others.
#
# **Safe deployment.** Before deploying, *validators* check the new version (a JSON Schema or a
# Lambda function). A *deployment strategy* rolls it out gradually (linear or exponential
# growth, with a deployment time and a *bake time*), and if a CloudWatch alarm you attach goes
# into ALARM during the rollout, AppConfig rolls back automatically. Applications fetch
# configuration through the AppConfig Data API (`StartConfigurationSession`,
# `GetLatestConfiguration`) or the AppConfig Agent / Lambda extension, which caches locally.
#
# **GenAI angle.** Switch the model ID, prompt template version, temperature, top-k for
# retrieval or a guardrail on or off *without redeploying*; roll a new prompt to 10% of
# sessions through a flag; roll back automatically when an error-rate or latency alarm fires.
#
# | Need | Choose |
# |---|---|
# | Gradual, validated rollout of config with automatic rollback | AppConfig |
# | Simple key/value parameters, hierarchy | Parameter Store |
# | Credentials with rotation | Secrets Manager |
# | Versioned prompt templates with variables inside Bedrock | Bedrock Prompt Management |
#
# **Exam tip:** "change model parameters or prompts at runtime without a deployment, roll back
# on alarms" → AppConfig.

# %%
quiz.show("integration", "appconfig")

# %% [markdown]
# # Part 2 — Compute
#
# Where the code that calls the model runs: functions, servers, managed web platforms, batch
# jobs, and AWS infrastructure at the edge or on premises.

# %% [markdown]
# ## AWS Lambda: the default glue for GenAI calls <a id="lambda"></a>
#
# **What it is.** Functions that run on events, billed per request and per millisecond of
# duration at the memory you choose. Memory from 128 MB to 10,240 MB is the one knob: CPU
# scales with it, up to 6 vCPUs. Timeout up to **15 minutes**. `/tmp` from 512 MB up to 10 GB.
# Code as a .zip (with up to five *layers*) or a container image up to 10 GB.
#
# **Invocation models.** *Synchronous* (API Gateway, function URLs, ALB, SDK: 6 MB request and
# response), *asynchronous* (S3, SNS, EventBridge: Lambda queues the event, retries twice, then
# sends it to a DLQ or an on-failure *destination*), *event source mappings* that poll SQS,
# Kinesis, DynamoDB Streams, MSK (batch size and window, retries, bisect on error, maximum
# record age for load shedding, on-failure destination). *Response streaming* (function URLs or
# `InvokeWithResponseStream`) sends the first bytes, or tokens, before the response is complete
# and goes beyond the 6 MB buffered limit.
#
# **Concurrency.** Default quota of 1,000 concurrent executions per account per Region (soft).
# *Reserved concurrency* guarantees and caps one function; *provisioned concurrency* keeps
# initialised environments warm (no cold starts; it counts against the Region quota and spills
# over to on-demand). *SnapStart* snapshots an initialised environment (Java, Python, .NET).
#
# **Versions and aliases.** `publish_version` freezes code and configuration as an immutable,
# numbered version; an *alias* (`live`) points at one version and can send a weighted share of
# traffic to a second one (`RoutingConfig.AdditionalVersionWeights`), which CodeDeploy uses for
# canary and linear deployments.
#
# **GenAI angle.** API Gateway → Lambda → Bedrock is the classic chat backend: model ID and
# prompt version in environment variables or AppConfig, streaming for time to first token,
# backoff with jitter on throttling. Work beyond 15 minutes moves to Step Functions, ECS/Fargate
# or batch inference. A Lambda function used as an **agent tool** should validate the
# parameters the model sends and, when they are wrong, return an error result that names the
# bad field and the expected format (for `Converse`, a `toolResult` with status `error`): the
# model reads it and corrects its next call, whereas an exception or a retry only repeats the
# failure.
#
# *Note:* the notes bill Lambda "with 100ms granularity" (per-millisecond billing since 2020),
# limit SnapStart to Java (Python and .NET since 2024) and give a "burst 500–3000 / 500 per
# minute" scaling rule; since 2023 each function can add 1,000 concurrent executions every 10
# seconds, up to the account quota.
#
# **Exam tip:** "cold starts hurt latency" → provisioned concurrency (or SnapStart); "protect a
# downstream quota" → reserved concurrency or SQS maximum concurrency; "runs longer than 15
# minutes" → not Lambda; "shift 10% of traffic to the new version" → weighted alias.

# %%
quiz.show("integration", "lambda")

# %% [markdown]
# ### Exercise 5 — a canary for a new prompt version (3 points)
#
# The function behind your summariser reads its prompt template version from the environment
# variable `PROMPT_VERSION`; other variables (model ID, token limit...) must stay as they are.
# Its alias `live` points at the current version. Write
# `start_prompt_canary(lam, function_name, alias_name, prompt_version, weight)` that:
#
# 1. sets `PROMPT_VERSION` to `prompt_version` on `$LATEST`, **keeping every other variable**;
# 2. publishes a new version;
# 3. updates the alias so it still points at the version it pointed at before, and sends the
#    fraction `weight` (e.g. 0.1) of its traffic to the new version;
# 4. returns the new version number (a string).
#
# Hints: `lam.get_function_configuration(FunctionName=...)["Environment"]["Variables"]`,
# `lam.update_function_configuration(...)`, `lam.publish_version(...)["Version"]`,
# `lam.get_alias(...)["FunctionVersion"]`, `lam.update_alias(...,
# RoutingConfig={"AdditionalVersionWeights": {new_version: weight}})`. Wait for the update to
# finish before publishing (`lam.get_waiter("function_updated_v2")`): until it has,
# `publish_version` fails with `ResourceConflictException`. The simulator finishes at once; the
# tests make the update take a moment, as on AWS.

# %%
import io
import zipfile

lam = aws.client("lambda")
iam = aws.client("iam")


def lambda_zip(source="def handler(event, context):\n    return {'ok': True}\n"):
    """A .zip with one file, app.py (the simulator stores it but never runs it)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("app.py", source)
    return buf.getvalue()


try:
    LAMBDA_ROLE = iam.get_role(RoleName="summariser-lambda")["Role"]["Arn"]
except iam.exceptions.NoSuchEntityException:
    LAMBDA_ROLE = iam.create_role(
        RoleName="summariser-lambda",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
    )["Role"]["Arn"]
lam.list_functions()  # warm-up

# %% kind="solution" grade_id="lambda-canary"
def start_prompt_canary(lam, function_name, alias_name, prompt_version, weight):
    """Publish a version with the new PROMPT_VERSION and route `weight` of the alias's traffic to it."""
    ### BEGIN SOLUTION
    config = lam.get_function_configuration(FunctionName=function_name)
    variables = dict(config.get("Environment", {}).get("Variables", {}))
    variables["PROMPT_VERSION"] = prompt_version
    lam.update_function_configuration(FunctionName=function_name, Environment={"Variables": variables})
    lam.get_waiter("function_updated_v2").wait(FunctionName=function_name)
    new_version = lam.publish_version(
        FunctionName=function_name, Description=f"prompt {prompt_version}"
    )["Version"]
    stable = lam.get_alias(FunctionName=function_name, Name=alias_name)["FunctionVersion"]
    lam.update_alias(
        FunctionName=function_name,
        Name=alias_name,
        FunctionVersion=stable,
        RoutingConfig={"AdditionalVersionWeights": {new_version: weight}},
    )
    return new_version
    ### END SOLUTION


# %% kind="tests" grade_id="lambda-canary-tests" points=3
"""Does the alias keep its stable version and send exactly `weight` of traffic to a new version with the new prompt?"""
import random
import uuid


def _function(prompt="v1", extra_versions=0):
    name = f"summarise-{uuid.uuid4().hex[:8]}"
    env = {"MODEL_ID": random.choice(["anthropic.claude-3-haiku-20240307-v1:0", "amazon.nova-lite-v1:0"]),
           "PROMPT_VERSION": prompt, "MAX_TOKENS": str(random.choice([256, 512, 1024]))}
    lam.create_function(FunctionName=name, Runtime="python3.12", Role=LAMBDA_ROLE, Handler="app.handler",
                        Code={"ZipFile": lambda_zip()}, Environment={"Variables": env}, Publish=True)
    for _ in range(extra_versions):
        lam.update_function_configuration(FunctionName=name, Description=uuid.uuid4().hex)
        lam.publish_version(FunctionName=name)
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    return name, env


def _check(name, env, prompt, weight, client=lam):
    wait_hint = 'wait for the update to finish (get_waiter("function_updated_v2")) before publish_version'
    new = checks.call(start_prompt_canary, client, name, "live", prompt, weight, hint=wait_hint)
    versions = [v["Version"] for v in lam.list_versions_by_function(FunctionName=name)["Versions"]]
    checks.expect_in(str(new), versions, "start_prompt_canary should return the number of a published version")
    alias = lam.get_alias(FunctionName=name, Name="live")
    checks.expect_equal(alias["FunctionVersion"], "1",
                        "the alias should keep pointing at the stable version (the canary gets the extra weight)",
                        "update_alias(FunctionVersion=<the old version>, RoutingConfig=...)")
    weights = alias.get("RoutingConfig", {}).get("AdditionalVersionWeights", {})
    checks.expect_equal({k: round(v, 4) for k, v in weights.items()}, {str(new): weight},
                        "the new version should receive exactly `weight` of the alias traffic")
    got_env = lam.get_function_configuration(FunctionName=name, Qualifier=str(new))["Environment"]["Variables"]
    checks.expect_equal(got_env, {**env, "PROMPT_VERSION": prompt},
                        "the new version should have the new PROMPT_VERSION and keep every other variable",
                        "read the current variables, change one, write them all back")
    old_env = lam.get_function_configuration(FunctionName=name, Qualifier="1")["Environment"]["Variables"]
    checks.expect_equal(old_env.get("PROMPT_VERSION"), env["PROMPT_VERSION"], "version 1 must be unchanged")


name, env = _function()
_check(name, env, "v2", 0.1)

### BEGIN HIDDEN TESTS
from botocore.awsrequest import AWSResponse

# A client whose configuration update takes a moment, as on AWS: the first status read after it
# says InProgress, and PublishVersion is refused until a later read has seen it finish.
_slow_lam = aws.client("lambda")
_update = {"arn": None, "reads": 0}


def _update_started(http_response, parsed, **kwargs):
    if http_response.status_code < 300:
        _update.update(arn=parsed.get("FunctionArn"), reads=0)


def _status_read(parsed, **kwargs):
    config = parsed.get("Configuration", parsed)
    if _update["arn"] and isinstance(config, dict):
        if _update["reads"] == 0:
            config["LastUpdateStatus"] = "InProgress"
            _update["reads"] = 1
        else:
            _update["arn"] = None


def _refuse_publish(**kwargs):
    if _update["arn"]:
        return AWSResponse("", 409, {}, None), {
            "Error": {"Code": "ResourceConflictException",
                      "Message": "The operation cannot be performed at this time. "
                                 f"An update is in progress for resource: {_update['arn']}"},
            "ResponseMetadata": {"HTTPStatusCode": 409}}
    return None


_slow_lam.meta.events.register("after-call.lambda.UpdateFunctionConfiguration", _update_started)
_slow_lam.meta.events.register("after-call.lambda.GetFunction", _status_read)
_slow_lam.meta.events.register("after-call.lambda.GetFunctionConfiguration", _status_read)
_slow_lam.meta.events.register("before-call.lambda.PublishVersion", _refuse_publish)
name, env = _function(prompt=f"p-{uuid.uuid4().hex[:4]}", extra_versions=random.randint(1, 3))
_check(name, env, f"p-{uuid.uuid4().hex[:4]}", random.choice([0.05, 0.2, 0.25]), client=_slow_lam)
### END HIDDEN TESTS

# %% [markdown]
# ## Deployment strategies: all-at-once, blue/green, canary, linear <a id="deployment-strategies"></a>
#
# Replacing a model, a prompt or a function version is risky: quality can drop in ways unit tests
# do not catch. The strategy decides how fast users move to the new version and how quickly you
# can go back.
#
# | Strategy | How traffic moves | Rollback | Cost / risk |
# |---|---|---|---|
# | All-at-once (in place) | 100% at once | redeploy the old version | fastest, cheapest, every user exposed |
# | Blue/green | a full new environment, then switch (at once or gradually) | switch back | double capacity for a while, fast rollback |
# | Canary | a small share first (e.g. 10% for 5 minutes), then the rest in one step | automatic on alarm | few users exposed to a bad version |
# | Linear | equal steps at fixed intervals (e.g. +10% every minute) | automatic on alarm | slower, smooth exposure |
#
# **Where you meet them.** CodeDeploy shifts Lambda alias weights and ECS blue/green traffic
# with predefined configurations such as `CodeDeployDefault.LambdaCanary10Percent5Minutes`,
# `LambdaLinear10PercentEvery1Minute` and `LambdaAllAtOnce`, and rolls back when a CloudWatch
# alarm fires (SAM's `DeploymentPreference` sets this up). SageMaker endpoints offer blue/green
# with all-at-once, canary or linear traffic shifting and auto-rollback alarms; AppConfig rolls
# configuration linearly or exponentially; API Gateway has canary release settings on a stage.
#
# **GenAI angle.** Quality regressions of a new prompt or model are often invisible to error
# rates. Pair the canary with alarms on metrics that reflect quality (user feedback score,
# guardrail interventions, output length, latency) and run offline evaluations before the shift.
#
# **Exam tip:** "minimise the number of users exposed to a faulty release" → canary;
# "gradual and even" → linear; "instant rollback by switching environments" → blue/green.
#
# The chart below plots the share of traffic on the new version for three CodeDeploy
# configurations.

# %%
import matplotlib.pyplot as plt

minutes = [m / 10 for m in range(0, 151)]


def share(kind, t):
    """Percent of traffic on the new version, t minutes after the deployment starts."""
    if kind == "all-at-once":
        return 100
    if kind == "canary 10% / 5 min":
        return 10 if t < 5 else 100
    return min(100, 10 * (int(t // 1) + 1))  # linear 10% every minute


fig, ax = plt.subplots(figsize=(8, 3.6))
for kind, style in [("all-at-once", "-"), ("canary 10% / 5 min", "--"), ("linear 10% every 1 min", ":")]:
    ax.step(minutes, [share(kind, t) for t in minutes], style, where="post", linewidth=2, label=kind)
ax.axvspan(0, 5, color="orange", alpha=0.08)
ax.text(0.2, 45, "canary bake window:\nalarms decide", fontsize=8)
ax.set_xlabel("minutes since the deployment started")
ax.set_ylabel("% of traffic on the new version")
ax.set_ylim(0, 105)
ax.set_title("How CodeDeploy shifts Lambda alias traffic")
ax.legend(loc="lower right")
plt.tight_layout()
plt.show()

# %% [markdown]
# **Reading the chart.** All-at-once exposes every user at minute 0. The canary keeps 90% of
# users on the old version for five minutes, so a bad prompt caught by an alarm in that window
# affects only a tenth of the traffic, then jumps to 100%. Linear grows exposure evenly and
# reaches 100% at minute 9: slower, but at every moment you know how much traffic is at risk.
# The area under each curve until an alarm fires is roughly the number of requests a bad release
# would serve.

# %% [markdown]
# ### Exercise 6 — how much traffic is on the new version? (2 points)
#
# Write `percent_on_new_version(config_name, minute)` for CodeDeploy Lambda configuration names.
# `minute` is the time since the deployment started (a float ≥ 0). Names look like:
#
# - `CodeDeployDefault.LambdaAllAtOnce` → 100 at once;
# - `CodeDeployDefault.LambdaCanary<P>Percent<M>Minutes` → P for the first M minutes, then 100;
# - `CodeDeployDefault.LambdaLinear<P>PercentEvery<M>Minute(s)` → P at once, P more after every M
#   minutes, never above 100.
#
# Custom configurations follow the same pattern with other numbers (e.g.
# `CodeDeployDefault.LambdaCanary25Percent15Minutes`). Return an `int`. Assume no alarm fires.
# Raise `ValueError` for a name that follows none of these patterns (e.g. the EC2 configuration
# `CodeDeployDefault.OneAtATime`).

# %%
import re  # used by the solution below

# %% kind="solution" grade_id="deploy-traffic"
def percent_on_new_version(config_name, minute):
    """Percent (int) of traffic on the new version `minute` minutes into a CodeDeploy Lambda deployment."""
    ### BEGIN SOLUTION
    if config_name.endswith("AllAtOnce"):
        return 100
    canary = re.search(r"Canary(\d+)Percent(\d+)Minutes?$", config_name)
    if canary:
        percent, interval = int(canary.group(1)), int(canary.group(2))
        return percent if minute < interval else 100
    linear = re.search(r"Linear(\d+)PercentEvery(\d+)Minutes?$", config_name)
    if linear:
        percent, interval = int(linear.group(1)), int(linear.group(2))
        steps = int(minute // interval) + 1
        return min(100, percent * steps)
    raise ValueError(f"unknown deployment configuration: {config_name}")
    ### END SOLUTION


# %% kind="tests" grade_id="deploy-traffic-tests" points=2
"""Does the function give the right traffic share for all-at-once, canary and linear configurations over time?"""
import random

P = "CodeDeployDefault."
for name, minute, expected in [(P + "LambdaAllAtOnce", 0, 100), (P + "LambdaCanary10Percent5Minutes", 2, 10),
                               (P + "LambdaCanary10Percent5Minutes", 6, 100),
                               (P + "LambdaLinear10PercentEvery1Minute", 0, 10),
                               (P + "LambdaLinear10PercentEvery1Minute", 3.5, 40)]:
    got = checks.call(percent_on_new_version, name, minute)
    checks.expect_equal(got, expected, f"{name} at minute {minute}")

### BEGIN HIDDEN TESTS
for _ in range(40):
    p = random.choice([5, 10, 15, 20, 25, 30])
    m = random.choice([1, 2, 3, 5, 10, 15, 30])
    t = round(random.uniform(0, 4 * m + 20), 2)
    kind = random.choice(["canary", "linear"])
    if kind == "canary":
        name, expected = f"{P}LambdaCanary{p}Percent{m}Minutes", (p if t < m else 100)
    else:
        unit = "Minute" if m == 1 else "Minutes"
        name, expected = f"{P}LambdaLinear{p}PercentEvery{m}{unit}", min(100, p * (int(t // m) + 1))
    checks.expect_equal(checks.call(percent_on_new_version, name, t), expected, f"{name} at minute {t}")
for name in [P + "OneAtATime", P + "HalfAtATime", "MyTeam.LambdaLinear10Percent"]:
    try:
        got = percent_on_new_version(name, 3)
    except ValueError:
        continue
    except Exception as exc:  # noqa: BLE001
        got = f"{type(exc).__name__}: {exc}"
    checks.fail(f"an unknown configuration name ({name}) should raise ValueError", "ValueError", got,
                "after the all-at-once, canary and linear cases, raise ValueError(...)")
for name, t, expected in [(P + "LambdaCanary20Percent10Minutes", 10, 100),
                          (P + "LambdaLinear25PercentEvery2Minutes", 2, 50),
                          (P + "LambdaLinear30PercentEvery3Minutes", 100, 100)]:
    checks.expect_equal(checks.call(percent_on_new_version, name, t), expected,
                        f"{name} at minute {t} (interval boundaries count as elapsed; never above 100)")
### END HIDDEN TESTS

# %%
quiz.show("integration", "deployment-strategies")

# %% [markdown]
# ## Code at the edge: Lambda@Edge and CloudFront Functions <a id="edge-functions"></a>
#
# Both run your code in the CloudFront network, close to users, on the four points of a
# request: *viewer request*, *origin request*, *origin response*, *viewer response*.
#
# | | CloudFront Functions | Lambda@Edge |
# |---|---|---|
# | Runtime | JavaScript, lightweight runtime | Node.js or Python |
# | Triggers | viewer request / response only | all four |
# | Run time | under 1 ms | up to 5 s (viewer) or 30 s (origin) |
# | Network / body access | no network calls, no request body | network calls allowed, body readable |
# | Scale and price | millions of requests/s, very cheap | regional edge caches, priced like Lambda |
# | Typical use | header rewrites, redirects, cache-key normalisation, simple token checks, A/B cookie | authentication against a service, calling APIs, generating responses, origin selection |
#
# **Rules to remember.** Lambda@Edge functions are created in **us-east-1** and attached by
# a *numbered version* (not `$LATEST`, not an alias); they have no environment variables and no
# VPC access; logs go to CloudWatch in the Region nearest the edge location that ran them.
# CloudFront Functions can read a *KeyValueStore* for small lookup data.
#
# **GenAI angle.** Assign users to an A/B bucket of two chat backends with a cookie in a
# CloudFront Function; validate a JWT before requests reach an expensive inference API; choose
# the nearest Regional inference origin with Lambda@Edge. Model inference itself does not run at
# the edge; these functions are for routing and guarding.
#
# *Note:* the notes suggest "lightweight inference at the edge (<50 ms)" with Lambda@Edge.
# Neither feature is meant for model inference (no GPU, tight limits); keep inference in a
# Region.
#
# **Exam tip:** "sub-millisecond header manipulation at huge scale" → CloudFront Functions;
# "needs a network call or the body, or runs at the origin" → Lambda@Edge.

# %%
quiz.show("integration", "edge-functions")

# %% [markdown]
# ## Amazon EC2 for GenAI, and EC2 Image Builder <a id="ec2"></a>
#
# **What it is.** Virtual machines with full control of the OS, drivers and frameworks: the
# choice when a managed service cannot host your model or toolchain (self-managed vLLM or
# TensorRT-LLM servers, custom kernels, long training runs).
#
# | Family | Accelerator | Use |
# |---|---|---|
# | P5 / P5e / P5en | NVIDIA H100 / H200 | large-scale training and big-model inference |
# | P4d | NVIDIA A100 | training and high-throughput inference |
# | G5 / G6 | NVIDIA A10G / L4 | cost-effective inference, fine-tuning small models, graphics |
# | Inf2 | AWS Inferentia2 | low cost per inference for supported models (Neuron SDK) |
# | Trn1 / Trn2 | AWS Trainium | cost-efficient training (Neuron SDK) |
#
# **Buying options.** On-Demand; Savings Plans / Reserved Instances for steady use; **Spot**
# (up to 90% off, reclaimed with a two-minute notice: checkpoint training to S3); **Capacity
# Blocks for ML** to reserve GPU instances for a future window; On-Demand Capacity
# Reservations. Place distributed training in a *cluster placement group* with EFA networking.
# Auto Scaling groups scale inference fleets behind a load balancer.
#
# **EC2 Image Builder** automates building, testing and distributing *golden images* (AMIs and
# container images): a pipeline applies components (install the CUDA/Neuron driver, your
# inference server, hardening), runs tests, scans with Inspector, and shares the image to
# accounts and Regions on a schedule or when the base image changes.
#
# *Note:* the notes still list P3 (V100) as a current choice; newer G5/G6/P4/P5 and Trainium
# instances give better price performance today. Figures such as "Inf2 saves 50%" vary by
# model; treat them as AWS marketing claims, not exam facts.
#
# **Exam tip:** "full control, custom inference server" → EC2 (or EKS on EC2); "fault-tolerant,
# cheapest training" → Spot with checkpoints; "standardised, patched GPU AMIs" → Image Builder.

# %%
quiz.show("integration", "ec2")

# %% [markdown]
# ## App Runner, Elastic Beanstalk, Lightsail and ECS Express Mode <a id="app-runner"></a>
#
# Four ways to run a web application without designing the infrastructure yourself.
#
# - **AWS App Runner** runs a web service from a container image (ECR) or source code (GitHub,
#   Bitbucket) with load balancing, HTTPS, request-based autoscaling and deployments on push,
#   billed for vCPU and memory. **It is no longer open to new customers (since 30 April 2026)**;
#   existing customers keep using it and AWS recommends **Amazon ECS Express Mode** for new
#   work: give it a container image and two IAM roles and it provisions an ECS service on
#   Fargate with an Application Load Balancer, autoscaling and networking.
# - **AWS Elastic Beanstalk** is a platform-as-a-service for code in common runtimes (Java,
#   .NET, Node.js, Python, PHP, Ruby, Go) or Docker: you upload the application and it manages
#   EC2, Auto Scaling, load balancing and health, with deployment policies (all at once, rolling,
#   rolling with an extra batch, immutable, traffic splitting). You can still reach the
#   underlying resources.
# - **Amazon Lightsail** bundles virtual servers, container services, managed databases, storage
#   and networking for a low, predictable monthly price: simple sites and small apps, with a
#   path to full AWS services later.
#
# **GenAI angle.** A Streamlit or Gradio demo, or a FastAPI/LangChain service that calls Bedrock,
# can run on ECS Express Mode (new) or App Runner (existing accounts) with no cluster to manage;
# Beanstalk suits a team already on it; Lightsail suits a tiny, fixed-budget prototype.
#
# *Note:* the notes' "App Runner" entry in the second file actually describes Lightsail, and
# they call App Runner "the recommended service for new applications"; that advice is obsolete
# now that App Runner is closed to new customers. The first notes file predates the change.
#
# **Exam tip:** "simplest way to run a containerised web API, no cluster" → today ECS Express
# Mode (App Runner in older material); "upload code, platform manages EC2" → Elastic Beanstalk;
# "fixed low monthly price" → Lightsail.

# %%
quiz.show("integration", "app-runner")

# %% [markdown]
# ## AWS Batch: queued jobs on EC2, Spot or Fargate <a id="batch"></a>
#
# **What it is.** A managed job scheduler for containerised batch work. You define:
#
# - **compute environments** (managed or unmanaged; EC2 On-Demand, Spot, or Fargate; with
#   minimum, desired and maximum vCPUs; GPU instance types allowed);
# - **job queues** with priorities, each backed by one or more compute environments;
# - **job definitions** (image, vCPU/memory/GPU, IAM role, retry strategy, timeout);
# - **jobs**, including **array jobs** (up to 10,000 children, each sees its index in
#   `AWS_BATCH_JOB_ARRAY_INDEX`), **dependencies** between jobs, and multi-node parallel jobs.
#
# Batch scales the compute environment to the queue and back to zero. Step Functions can submit
# a job and wait for it (`batch:submitJob.sync`).
#
# **GenAI angle.** Embed 20 million documents for a vector store with an array job on GPU Spot
# instances; run offline evaluation of a fine-tuned model over thousands of test prompts; score
# a nightly dataset with a self-hosted model. For Bedrock models, *Bedrock batch inference*
# (a JSONL file in S3 in, results in S3 out, at a discount on on-demand prices) usually replaces
# custom batch code.
#
# **Exam tip:** "many independent containerised jobs, queued, cheapest compute, scale to
# zero" → AWS Batch with Spot; "jobs longer than 15 minutes" → not Lambda.

# %%
quiz.show("integration", "batch")

# %% [markdown]
# ## AWS Outposts and AWS Wavelength: AWS outside the Region <a id="outposts-wavelength"></a>
#
# **AWS Outposts** puts AWS-managed racks or servers in your data centre, running EC2, EBS, ECS,
# EKS, RDS, S3 on Outposts and more with the same APIs, managed from the parent Region. Choose it
# when **data residency**, local processing of sensitive data or **single-digit-millisecond
# access to on-premises systems** rules out the Region; it needs a reliable link back to the
# Region for the control plane.
#
# **AWS Wavelength** puts AWS compute and storage inside telecom operators' **5G networks**
# (Wavelength Zones), so mobile and connected devices reach your application without leaving the
# carrier network: single-digit-millisecond latency for AR/VR, connected vehicles and live video
# analytics. **Local Zones** are the related option: AWS infrastructure in a metropolitan area,
# for low latency to users in that city.
#
# | Need | Choose |
# |---|---|
# | Data must stay in our own facility, same AWS APIs | Outposts |
# | Ultra-low latency to 5G mobile devices | Wavelength |
# | Low latency to end users in a specific city | Local Zones |
#
# **GenAI angle.** Hospitals that may not send images off site run a vision model on GPU
# instances on Outposts; a factory runs defect detection next to the line; an AR app on 5G phones
# runs a small model in a Wavelength Zone. Bedrock itself runs in Regions; calls to it leave the
# premises, so sensitive workloads use self-hosted models there.
#
# **Exam tip:** "on premises + AWS APIs + data residency" → Outposts; "5G" → Wavelength.

# %%
quiz.show("integration", "outposts-wavelength")

# %% [markdown]
# # Part 3 — Containers
#
# Containers package a model server with its exact dependencies. ECR stores the images; ECS or
# EKS schedules them; Fargate or EC2 provides the capacity.

# %% [markdown]
# ## Amazon ECR: the image registry <a id="ecr"></a>
#
# **What it is.** A managed registry for Docker and OCI images and artifacts (Helm charts,
# signatures). A private *registry* per account and Region holds *repositories*; clients log in
# with a short-lived authorisation token (`aws ecr get-login-password`). **ECR Public** hosts
# public images.
#
# **Features.**
#
# - *Access*: IAM identity policies plus *repository policies* (resource-based, for cross-account
#   pulls, e.g. SageMaker or another account's ECS).
# - *Image scanning*: basic scanning (on push or manual) and *enhanced scanning* with Amazon
#   Inspector (continuous, OS and language packages).
# - *Tag immutability* so `v1.3` cannot be overwritten; *lifecycle policies* that expire untagged
#   or old images; encryption with AES-256 or KMS.
# - *Replication* across Regions and accounts; *pull-through cache* rules that mirror images from
#   Docker Hub, Quay, GitHub or other registries into your account.
#
# **GenAI angle.** Bring-your-own-container for SageMaker training or inference, a vLLM/TGI
# server image for ECS or EKS, and Lambda container images all come from ECR. Tag images with
# the model and code version, scan them before deployment, and replicate them to the Regions
# you serve from.
#
# **Exam tip:** "image must not change after release" → tag immutability; "delete old images
# automatically" → lifecycle policy; "find CVEs continuously" → enhanced scanning (Inspector).

# %%
quiz.show("integration", "ecr")

# %% [markdown]
# ## Amazon ECS and AWS Fargate <a id="ecs-fargate"></a>
#
# **ECS concepts.** A *cluster* groups capacity. A *task definition* describes containers
# (image, CPU, memory, GPUs, ports, environment, secrets from Secrets Manager/Parameter Store,
# logging) and two roles: the **task execution role** (ECS pulls the image and writes logs) and the
# **task role** (your code calls Bedrock, S3...). A *task* is a running copy; a *service* keeps
# N tasks running, replaces failed ones, registers them with a load balancer and scales them with
# Application Auto Scaling (CPU, memory, request count or custom metrics such as queue depth).
#
# **Capacity.** *Fargate*: serverless, per-second billing for the vCPU and memory requested,
# each task isolated, spread across AZs, up to 16 vCPU and 120 GB; **Fargate Spot** at a discount
# with a two-minute interruption warning. *EC2* capacity (via capacity providers and Auto Scaling
# groups): you manage instances but can use **GPU and Inferentia** instances, which Fargate does
# not offer. *ECS Express Mode* creates service, ALB and scaling from one image.
#
# **Storage and deployment.** EFS for shared model files across tasks; EBS volumes can be
# attached to tasks (including on Fargate); deployments are rolling updates or blue/green
# (CodeDeploy, or ECS's built-in blue/green), with circuit-breaker rollback.
#
# **GenAI angle.** A RAG API (FastAPI + LangChain) calling Bedrock fits Fargate: no GPU
# needed, scales on requests. A self-hosted open-weights model needs GPUs: ECS on EC2 G5/G6 or
# Inf2 capacity, models loaded from S3/EFS rather than baked into a huge image.
#
# *Note:* the second notes file says EBS is "not supported on Fargate"; ECS has supported EBS
# volumes for Fargate tasks since January 2024.
#
# **Exam tip:** "containers, no servers, variable load" → ECS on Fargate; "containers that need
# GPUs" → ECS (or EKS) on EC2; "which role lets the container call Bedrock?" → the task role.

# %%
quiz.show("integration", "ecs-fargate")

# %% [markdown]
# ## Amazon EKS: managed Kubernetes <a id="eks"></a>
#
# **What it is.** AWS runs the Kubernetes control plane (highly available across AZs); you run
# workloads on *managed node groups*, self-managed nodes, **Fargate** (one pod per micro-VM; no
# GPUs, no DaemonSets) or **EKS Auto Mode**, where AWS also manages nodes, scaling (Karpenter),
# load balancing and storage. Pods get AWS permissions through **EKS Pod Identity** or IAM
# roles for service accounts (IRSA).
#
# **Choosing ECS or EKS.**
#
# | Choose ECS when | Choose EKS when |
# |---|---|
# | you want the simplest AWS-native orchestration | the team already runs Kubernetes or needs portability across clouds / on premises |
# | a few services, AWS integrations first | you need the Kubernetes ecosystem: Helm, operators, KServe, Kubeflow, Ray |
#
# **ML on EKS.** GPU and Inferentia node groups with the NVIDIA device plugin or Neuron plugin;
# Karpenter or Cluster Autoscaler adds nodes when pods are pending; Horizontal Pod Autoscaler
# scales replicas; Kubeflow pipelines, Ray for distributed training and serving, KServe or vLLM
# for model serving with canary rollouts. **AWS Controllers for Kubernetes (ACK)** manage
# SageMaker and other AWS resources from Kubernetes manifests.
#
# *Note:* the notes mention "SageMaker Operators for Kubernetes"; the maintained way today is
# the ACK SageMaker controller (and SageMaker HyperPod can use EKS as its orchestrator).
#
# **Exam tip:** "existing Kubernetes skills/tooling, portability" → EKS; "least operational
# effort for containers" → ECS on Fargate (or EKS Auto Mode if Kubernetes is a requirement).

# %%
quiz.show("integration", "eks")

# %% [markdown]
# # Part 4 — Customer engagement

# %% [markdown]
# ## Amazon Connect: a contact centre with generative AI <a id="connect"></a>
#
# **What it is.** A cloud contact centre, paid per use, for voice, chat, SMS, email and tasks,
# with visual *flows* that route contacts, *queues* and *routing profiles* for agents
# (skills-based routing), an agent workspace, and real-time and historical metrics.
#
# **AI building blocks.**
#
# - **Amazon Lex** bots inside flows for conversational IVR and chat self-service; **Amazon
#   Polly** speaks prompts; **Lambda** calls back-end systems or Bedrock during a flow.
# - **Contact Lens**: transcription of calls, sentiment, issue detection, redaction of sensitive
#   data, **generative post-contact summaries**, automated agent evaluation, and rules that alert
#   supervisors (for example on negative sentiment) across all contacts.
# - **Amazon Q in Connect**: generative assistance for agents (suggested answers and step-by-step
#   guides from your knowledge bases during the call) and AI-powered self-service for customers,
#   with configurable guardrails.
# - Customer Profiles (unified customer data), forecasting, capacity planning and scheduling;
#   outbound campaigns for proactive outreach.
#
# **GenAI angle.** Self-service first: a Lex bot or Q in Connect answers common questions from a
# knowledge base; when the customer asks for a person or sentiment drops, the flow escalates to
# an agent with the transcript and a summary, and Q in Connect suggests answers during the call.
# After the call, Contact Lens writes the summary and evaluates the interaction.
#
# **Exam tip:** "contact centre", "call transcripts with sentiment and summaries" → Connect with
# Contact Lens; "real-time answer suggestions for agents from the knowledge base" → Amazon Q in
# Connect; "voice or chat bot in the IVR" → Lex in a Connect flow.

# %%
quiz.show("integration", "connect")

# %% [markdown]
# ## Amazon Pinpoint (retired) and AWS End User Messaging <a id="pinpoint"></a>
#
# **What it was.** Amazon Pinpoint was AWS's customer-engagement service: it collected app usage
# events and customer endpoints, built audience segments, and sent targeted campaigns and
# journeys by email, SMS, voice and push, with analytics on engagement.
#
# *Note:* AWS closed Pinpoint to new customers in May 2025 and **ended support on 30 October
# 2026**: its console, segments, campaigns, journeys and analytics are gone. The messaging APIs
# (SMS, voice, mobile push, one-time passwords, phone-number validation) continue as **AWS End
# User Messaging**; email goes through **Amazon SES**; AWS points engagement workloads (segments,
# campaigns) to **Amazon Connect** outbound campaigns and Customer Profiles.
#
# **GenAI angle.** A model that drafts a personalised message (for example with Bedrock) still
# needs a channel to send it: End User Messaging for SMS and push, SES for email, Connect
# outbound campaigns for orchestrated, consented outreach.
#
# **Exam tip:** older questions may still say "Pinpoint" for targeted campaigns; for a new
# design choose Connect outbound campaigns (engagement), End User Messaging (SMS, push, OTP) or
# SES (email).

# %% [markdown]
# ## Graded quiz <a id="graded-quiz"></a>
#
# Six questions across the whole notebook. Pick your answers in the widget below; they are saved
# automatically beside this notebook and graded when you submit. Leave the cells under the widget
# as they are.

# %%
quiz.graded("integration")

# %% kind="quiz" question="int-g1" points=1

# %% kind="quiz" question="int-g2" points=1

# %% kind="quiz" question="int-g3" points=1

# %% kind="quiz" question="int-g4" points=1

# %% kind="quiz" question="int-g5" points=1

# %% kind="quiz" question="int-g6" points=1

# %% [markdown]
# ## Summary / what to review <a id="summary"></a>
#
# **Integration.** SQS buffers work in front of rate-limited models (visibility timeout ≥ 6×
# the Lambda timeout, DLQ with `maxReceiveCount` for poison messages: Exercise 4); SNS pushes
# one message to many subscribers, each filtered by its policy (Exercise 3); EventBridge routes
# events by content to up to five targets per rule, reshapes them with input transformers
# (Exercise 2), archives and replays them, and schedules work. Step Functions orchestrates
# multi-step model and data workflows with Choice, Map, Retry and Catch (Exercise 1): Standard
# for long, exactly-once, auditable flows, Express for short high-volume ones. AppFlow brings SaaS
# data in without code; AppConfig changes prompts, models and parameters at runtime with
# validated, gradual, auto-rolled-back deployments.
#
# **Compute.** Lambda for event-driven glue up to 15 minutes and 10,240 MB / 6 vCPUs, with
# versions and weighted aliases for canaries (Exercise 5); canary, linear, blue/green and
# all-at-once trade speed for exposure (Exercise 6 and the chart). CloudFront Functions and
# Lambda@Edge route and guard requests at the edge. EC2 for full control and GPUs (Spot for
# cheap training, Image Builder for golden AMIs); AWS Batch for queued containerised jobs;
# ECS Express Mode (or App Runner for existing customers), Beanstalk and Lightsail for simple
# web apps; Outposts and Wavelength for on-premises and 5G latency.
#
# **Containers and customers.** ECR stores and scans images; ECS on Fargate for serverless
# containers, ECS/EKS on EC2 for GPUs; EKS when Kubernetes is required. Amazon Connect with Lex,
# Contact Lens and Amazon Q in Connect puts generative AI in the contact centre.
#
# **Review checklist (the notes' exam focus areas):** pick the Step Functions state for a need
# and Standard vs Express; design event-driven pipelines with EventBridge → Step Functions;
# fan out with SNS → SQS; decouple long inference with SQS and handle failures with DLQs; choose
# Lambda memory, concurrency and deployment strategy; choose ECS vs EKS and Fargate vs EC2 for
# model serving; know what Connect, Lex, Contact Lens and Q in Connect each add.
