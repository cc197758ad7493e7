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
# # Developer tools: build, ship and observe GenAI applications
#
# **Who this is for:** developers preparing for the AWS Certified Generative AI Developer –
# Professional exam (AIP-C01) who can write Python and have used the AWS console, and who now
# need to put a Bedrock-backed application into production the way AWS expects: as code,
# through a pipeline, with safe releases, tracing and resilient SDK calls.
#
# **What you will do here:**
#
# - read short sections on infrastructure as code (CloudFormation, CDK, SAM, Infrastructure
#   Composer, Amplify), the SDKs and CLI, the CI/CD services (CodePipeline, CodeBuild,
#   CodeDeploy, CodeArtifact), source control and IDE tools, and AWS X-Ray; each ends with an
#   *Exam tip* and self-check questions;
# - complete **6 graded exercises** with boto3 against a simulated AWS account
#   (CloudFormation, S3, SQS, SSM, CodeBuild, CodePipeline, CodeDeploy, X-Ray, Bedrock);
# - read one chart that compares retry delays with and without jitter;
# - answer the **graded quiz** at the end.
#
# **Exam tasks trained:** mostly 2.5 (application integration patterns and development tools)
# and 2.2 (model deployment strategies), plus 2.4 (FM API integrations: retries, timeouts,
# throttling), 4.2 (application performance), 4.3 (monitoring) and 5.2 (troubleshooting).
#
# **How to work:** run the cells from top to bottom (every cell is safe to run again). In an
# exercise, replace `raise NotImplementedError()` with your code, run that cell, then run the
# test cell under it: its message says what is missing. Graded-quiz answers are saved next to
# this notebook as soon as you pick them.
#
# Everything runs offline: the first code cell starts a simulated AWS account
# ([moto](https://github.com/getmoto/moto)) and the course's Bedrock simulator, with fake
# credentials and the network blocked. Where the simulator does not reproduce AWS, the text
# says so.

# %% kind="setup"
from course import sandbox, checks, quiz

aws = sandbox.start()  # fake credentials, moto, network blocked; safe to re-run

# %% [markdown]
# # Part 1 — Infrastructure as code

# %% [markdown]
# ## AWS CloudFormation and the AWS CDK <a id="cdk"></a>
#
# **CloudFormation** is the engine: you describe resources in a JSON or YAML *template*, and it
# creates, updates and deletes them as one unit, a *stack*. Parameters make a template
# reusable, outputs publish values (a queue URL, a bucket name), and intrinsic functions
# (`Ref`, `Fn::GetAtt`, `Fn::Sub`) wire resources together. A failed create or update is
# rolled back to the last working state. *Change sets* preview an update before you run it;
# *drift detection* finds manual edits; *StackSets* deploy one template to many accounts and
# Regions. The *IaC generator* (2024) scans resources that already exist in an account and
# writes a template for them, the quick way to bring hand-made resources under code.
#
# The **AWS CDK** lets you write the same infrastructure in TypeScript, Python, Java, C# or Go.
# `cdk synth` turns your program into a *cloud assembly* (templates plus assets such as Lambda
# code and Docker images) and `cdk deploy` hands it to CloudFormation; `cdk bootstrap` prepares
# each account/Region once with the staging bucket and roles. Building blocks:
#
# | Level | What it is | Example |
# |---|---|---|
# | L1 | one-to-one with a CloudFormation type (`Cfn...`) | `CfnBucket` |
# | L2 | a curated resource with sensible defaults and helper methods | `Bucket`, `bucket.grant_read(fn)` |
# | L3 | a pattern combining several resources | `ApplicationLoadBalancedFargateService` |
#
# An app holds stacks, stacks hold constructs. *Aspects* visit every construct (for example to
# enforce encryption or tags), *CDK Pipelines* deploys the app through CodePipeline, and
# `cdk migrate` turns an existing template or stack into a CDK app. Multi-language support
# comes from *jsii*, which binds each language to the TypeScript implementation.
#
# **GenAI angle.** Knowledge bases, vector stores, guardrails, Lambda tools and agent
# resources all have CloudFormation types, so a whole RAG stack can be reviewed, versioned and
# recreated per environment. Keep the model id in a parameter or SSM, not in code, so a model
# upgrade is a one-line change.
#
# **Exam tip:** "repeatable", "same stack in dev/test/prod", "roll back on failure" → IaC with
# CloudFormation (directly, or through CDK/SAM). "Existing hand-made resources into IaC" → IaC
# generator. "Preview the impact of an update" → change set.

# %%
quiz.show("devtools", "cdk")

# %% [markdown]
# ### Exercise 1 — a GenAI batch stack from a template (4 points)
#
# A batch summarisation service reads jobs from an SQS queue, calls Bedrock, and writes results
# to S3. Write `deploy_genai_stack(cfn, stack_name, bucket_name, queue_name, model_id)` that
# builds a CloudFormation template **as a Python dict**, deploys it with `create_stack`, waits
# for it, and returns the stack outputs as a dict `{OutputKey: OutputValue}`. The template must:
#
# 1. declare a parameter `ModelId` (type `String`) and receive `model_id` through the
#    `Parameters` argument of `create_stack`: the model id must not be written into the
#    template;
# 2. create the bucket `bucket_name` with versioning enabled and default encryption SSE-KMS
#    (`"SSEAlgorithm": "aws:kms"`);
# 3. create a dead-letter queue `<queue_name>-dlq` that keeps messages 14 days (1209600 s) and
#    the job queue `queue_name` with a visibility timeout of 900 s and a redrive policy that
#    moves a message to the DLQ after **3** receives;
# 4. create the SSM String parameter `/genai/<stack_name>/model-id` whose value is the
#    `ModelId` parameter (`{"Ref": "ModelId"}`);
# 5. output `BucketName`, `QueueUrl` (a `Ref` of an SQS queue is its URL) and
#    `ModelIdParameterName`.
#
# Hints: `cfn.create_stack(StackName=..., TemplateBody=json.dumps(template), Parameters=[...])`,
# `cfn.get_waiter("stack_create_complete").wait(StackName=...)`, then `describe_stacks`.
# The test checks the resources through S3, SQS and SSM themselves. (moto creates the bucket
# but does not apply `VersioningConfiguration` from a template, so versioning is checked in the
# stored template.)

# %%
import json  # used by your solution below

# Try it: the first CloudFormation call in a kernel loads every moto backend (about 5 s).
# This cell pays that cost once, so the test cell below stays fast.
_warm = aws.client("cloudformation")
_warm.create_stack(StackName="warm-up", TemplateBody=json.dumps(
    {"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}))
print(_warm.describe_stacks(StackName="warm-up")["Stacks"][0]["StackStatus"])


# %% kind="solution" grade_id="cfn-genai-stack"
def deploy_genai_stack(cfn, stack_name, bucket_name, queue_name, model_id):
    """Deploy the bucket, queue + DLQ and model-id parameter as one stack; return its outputs."""
    ### BEGIN SOLUTION
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "GenAI batch summarisation: artifact bucket, job queue with DLQ, model id",
        "Parameters": {"ModelId": {"Type": "String", "Description": "Bedrock model id used by the workers"}},
        "Resources": {
            "ArtifactBucket": {
                "Type": "AWS::S3::Bucket",
                "Properties": {
                    "BucketName": bucket_name,
                    "VersioningConfiguration": {"Status": "Enabled"},
                    "BucketEncryption": {
                        "ServerSideEncryptionConfiguration": [
                            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}
                        ]
                    },
                },
            },
            "DeadLetterQueue": {
                "Type": "AWS::SQS::Queue",
                "Properties": {"QueueName": f"{queue_name}-dlq", "MessageRetentionPeriod": 1209600},
            },
            "JobQueue": {
                "Type": "AWS::SQS::Queue",
                "Properties": {
                    "QueueName": queue_name,
                    "VisibilityTimeout": 900,
                    "RedrivePolicy": {
                        "deadLetterTargetArn": {"Fn::GetAtt": ["DeadLetterQueue", "Arn"]},
                        "maxReceiveCount": 3,
                    },
                },
            },
            "ModelIdParameter": {
                "Type": "AWS::SSM::Parameter",
                "Properties": {
                    "Name": f"/genai/{stack_name}/model-id",
                    "Type": "String",
                    "Value": {"Ref": "ModelId"},
                },
            },
        },
        "Outputs": {
            "BucketName": {"Value": {"Ref": "ArtifactBucket"}},
            "QueueUrl": {"Value": {"Ref": "JobQueue"}},
            "ModelIdParameterName": {"Value": {"Ref": "ModelIdParameter"}},
        },
    }
    cfn.create_stack(
        StackName=stack_name,
        TemplateBody=json.dumps(template),
        Parameters=[{"ParameterKey": "ModelId", "ParameterValue": model_id}],
    )
    cfn.get_waiter("stack_create_complete").wait(StackName=stack_name)
    stack = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    ### END SOLUTION


# %% kind="tests" grade_id="cfn-genai-stack-tests" points=4
"""Does the stack create an encrypted versioned bucket, a queue with a DLQ and the model-id parameter?"""
import json
import uuid


def _stack_check(stack_name, bucket, queue, model_id):
    cfn, s3, sqs, ssm = (aws.client(s) for s in ("cloudformation", "s3", "sqs", "ssm"))
    outputs = checks.call(deploy_genai_stack, cfn, stack_name, bucket, queue, model_id)
    checks.expect_type(outputs, dict, "deploy_genai_stack should return the outputs as a dict")
    with checks.step(f"reading the stack {stack_name}", hint="cfn.create_stack(StackName=stack_name, ...)"):
        stack = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
    checks.expect_equal(stack["StackStatus"], "CREATE_COMPLETE", "the stack should be created")
    for key in ("BucketName", "QueueUrl", "ModelIdParameterName"):
        checks.expect_in(key, outputs, f"the outputs should include {key}")
    checks.expect_equal(outputs["BucketName"], bucket, "BucketName should be the bucket's name")
    with checks.step(f"reading the encryption of bucket {bucket}"):
        rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    algos = [r["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] for r in rules]
    checks.expect_in("aws:kms", algos, "the bucket should encrypt by default with SSE-KMS",
                     hint='BucketEncryption -> ServerSideEncryptionConfiguration -> {"SSEAlgorithm": "aws:kms"}')
    with checks.step(f"reading the queues {queue} and {queue}-dlq"):
        url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
        attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        dlq_url = sqs.get_queue_url(QueueName=f"{queue}-dlq")["QueueUrl"]
        dlq = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["All"])["Attributes"]
    checks.expect_equal(outputs["QueueUrl"], url, "QueueUrl should be the job queue's URL")
    checks.expect_in("RedrivePolicy", attrs, "the job queue needs a redrive policy to its DLQ")
    redrive = json.loads(attrs["RedrivePolicy"])
    checks.expect_equal(redrive.get("deadLetterTargetArn"), dlq["QueueArn"], "the redrive policy should target the DLQ",
                        hint='{"Fn::GetAtt": ["DeadLetterQueue", "Arn"]}')
    checks.expect_equal(int(redrive.get("maxReceiveCount", 0)), 3, "a job should move to the DLQ after 3 receives")
    with checks.step(f"reading the SSM parameter /genai/{stack_name}/model-id"):
        value = ssm.get_parameter(Name=f"/genai/{stack_name}/model-id")["Parameter"]["Value"]
    checks.expect_equal(value, model_id, "the SSM parameter should hold the model id")
    return cfn, stack, attrs, dlq, outputs


_suffix = uuid.uuid4().hex[:8]
_stack_check(f"genai-batch-{_suffix}", f"genai-artifacts-{_suffix}", f"summaries-{_suffix}",
             "anthropic.claude-3-haiku-20240307-v1:0")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_s2 = uuid.uuid4().hex[:8]
_model2 = f"amazon.nova-lite-v1:0-{_s2}"
_cfn, _stack, _attrs, _dlq, _out = _stack_check(f"rag-{_s2}", f"rag-art-{_s2}", f"jobs-{_s2}", _model2)
_params = {p["ParameterKey"]: p["ParameterValue"] for p in _stack.get("Parameters", [])}
checks.expect_equal(_params.get("ModelId"), _model2, "the model id should arrive as the stack parameter ModelId",
                    hint='Parameters=[{"ParameterKey": "ModelId", "ParameterValue": model_id}]')
_body = _cfn.get_template(StackName=f"rag-{_s2}")["TemplateBody"]
_body = json.loads(_body) if isinstance(_body, str) else _body
checks.expect(_model2 not in json.dumps(_body), "the model id must not be written into the template",
              expected="a Ref to the ModelId parameter", found="the literal model id in the template")
_buckets = [r for r in _body.get("Resources", {}).values() if r.get("Type") == "AWS::S3::Bucket"]
checks.expect(len(_buckets) == 1, "the template should have one S3 bucket", expected=1, found=len(_buckets))
checks.expect_equal(_body.get("AWSTemplateFormatVersion", "2010-09-09"), "2010-09-09",
                    "AWSTemplateFormatVersion, if given, must be 2010-09-09 (the only valid value)")
checks.expect_equal(((_body.get("Parameters") or {}).get("ModelId") or {}).get("Type"), "String",
                    "the template parameter ModelId should have the type String")
checks.expect_equal(_buckets[0].get("Properties", {}).get("VersioningConfiguration", {}).get("Status"), "Enabled",
                    "the bucket should have versioning enabled")
checks.expect_equal(int(_attrs["VisibilityTimeout"]), 900, "the job queue's visibility timeout should be 900 s")
checks.expect_equal(int(_dlq["MessageRetentionPeriod"]), 1209600, "the DLQ should keep messages 14 days")
checks.expect_equal(_out.get("ModelIdParameterName"), f"/genai/rag-{_s2}/model-id",
                    "ModelIdParameterName should be the parameter's name")
### END HIDDEN TESTS

# %% [markdown]
# ## AWS SAM and AWS Infrastructure Composer <a id="sam"></a>
#
# **AWS SAM** (Serverless Application Model) is CloudFormation with shorthand for serverless
# apps. A template that starts with `Transform: AWS::Serverless-2016-10-31` may use types such
# as `AWS::Serverless::Function`, `::Api`, `::HttpApi`, `::StateMachine`,
# `::SimpleTable` and `::LayerVersion`; during deployment CloudFormation expands them into
# plain resources (a function plus its role, permissions and event sources). Because the
# transform is a macro, deploying a SAM template needs the `CAPABILITY_AUTO_EXPAND` capability
# (and usually `CAPABILITY_IAM`).
#
# The **SAM CLI** adds the developer loop: `sam init`, `sam build`, `sam local invoke` and
# `sam local start-api` (runs functions and an API Gateway emulation in Docker on your
# machine), `sam deploy --guided`, and `sam sync --watch` to push code changes to a dev stack in
# seconds. A function's `AutoPublishAlias` plus `DeploymentPreference` (for example
# `Type: Canary10Percent5Minutes`, `Alarms`, pre/post traffic hooks) makes every deploy a
# CodeDeploy traffic shift: safe releases with a few lines of YAML.
#
# **AWS Infrastructure Composer** is a visual designer: drag cards (Lambda, API Gateway, SQS,
# DynamoDB, Step Functions...) onto a canvas, connect them, and it writes the CloudFormation or
# SAM template (and the IAM permissions the connections need). It runs in its own console, in
# the CloudFormation console and in VS Code through the AWS Toolkit.
#
# *Note:* the notes call it "AWS Application Composer": AWS renamed it **AWS Infrastructure
# Composer** in 2024, when it grew beyond serverless to any CloudFormation resource.
#
# **GenAI angle.** A typical Bedrock API is a SAM app: an HTTP API, a Lambda function that
# calls `bedrock-runtime`, a DynamoDB table for chat history. `sam local` tests the handler
# offline; a `DeploymentPreference` canaries new prompts or model versions.
#
# **Exam tip:** "serverless", "least YAML", "test Lambda locally" → SAM. "Visual design that
# produces a template" → Infrastructure Composer. "Gradual Lambda release with automatic
# rollback" → SAM `DeploymentPreference` (CodeDeploy underneath).

# %%
quiz.show("devtools", "sam")

# %% [markdown]
# ## AWS Amplify: full-stack web and mobile front ends <a id="amplify"></a>
#
# **What it is.** A set of tools and a hosting service for web and mobile apps. In the current
# generation (**Amplify Gen 2**) you describe the backend in TypeScript (`defineAuth`,
# `defineData`, `defineStorage`, `defineFunction`); Amplify turns it into CDK/CloudFormation
# and provisions Cognito for sign-in, AppSync (GraphQL) with DynamoDB for data, S3 for files and
# Lambda for logic. Every developer gets a personal cloud *sandbox*, and every Git branch can
# become its own full-stack environment.
#
# **Amplify Hosting** is managed CI/CD and hosting: connect a Git repository and each push
# builds and deploys the front end to a CDN, including server-side rendered frameworks such as
# Next.js and Nuxt, with preview URLs for pull requests and custom domains.
#
# | Need | Choose |
# |---|---|
# | Front end + auth + data for a web/mobile app, quickly | Amplify |
# | Backend-only serverless API, Lambda-centric | SAM |
# | Arbitrary infrastructure in a general-purpose language | CDK |
#
# **GenAI angle.** Amplify's *AI kit* adds conversation and generation routes to the data
# schema that call Bedrock models on the user's behalf, with Cognito identity and chat history
# handled for you, and React UI components for a chat window. It is the fastest way to put a
# chat front end in front of Bedrock.
#
# *Note:* the notes mix generations: the "Amplify CLI" that provisions categories (auth, api,
# storage) is Gen 1; Gen 2 is code-first TypeScript. "Amplify Console" is now Amplify Hosting.
#
# **Exam tip:** "web or mobile front end", "hosting with CI/CD from Git", "sign-in + data with
# little backend code" → Amplify.

# %%
quiz.show("devtools", "amplify")

# %% [markdown]
# # Part 2 — Calling AWS from code

# %% [markdown]
# ## AWS CLI and SDKs: credentials, retries and timeouts <a id="sdk"></a>
#
# **CLI.** `aws configure` writes `~/.aws/credentials` (keys) and `~/.aws/config` (Region,
# output format, profiles, SSO settings); `aws sso login` gets short-lived credentials from IAM
# Identity Center. `--generate-cli-skeleton` prints a JSON template of a command's input and
# `--cli-input-json file://req.json` replays it: handy for long requests such as a CodeBuild
# `start-build`. `--query` (JMESPath) filters output; `--dry-run` exists for EC2.
#
# **SDKs** (Python/boto3, JavaScript, Java, .NET, Go, C++, PHP, Ruby, Rust, Kotlin, Swift...)
# all find credentials in the same chain: explicit arguments, environment variables, shared
# files and profiles, then the container or instance role. In code that runs on AWS, rely on
# the role, never on keys.
#
# **Retries and timeouts (boto3/botocore `Config`).**
#
# | Setting | Meaning | Default |
# |---|---|---|
# | `retries={"mode": ...}` | `legacy`, `standard` (exponential backoff with jitter, more error codes retried, retry quota) or `adaptive` (standard + client-side rate limiting when throttled) | standard in current botocore (legacy in older releases) |
# | `retries={"total_max_attempts": n}` | attempts **including** the first call | mode-dependent (standard: 3) |
# | `retries={"max_attempts": n}` | *retries*, not counting the first call | |
# | `connect_timeout`, `read_timeout` | seconds to open the connection / to wait for response bytes | 60, 60 |
# | `max_pool_connections` | HTTP connections kept per client | 10 |
#
# **GenAI angle.** A non-streaming `Converse` call with a large `maxTokens` can take longer than
# the 60-second default read timeout: raise `read_timeout` to cover the longest generation, or
# stream the response. An interactive chat should fail fast (few attempts, short connect
# timeout); a batch job can wait longer and retry more. Many workers sharing one Bedrock quota
# benefit from `adaptive` mode. Every Bedrock error you should retry (`ThrottlingException`,
# `ServiceUnavailableException`, `ModelNotReadyException`) is transient; a
# `ValidationException` or `AccessDeniedException` never fixes itself.
#
# **Exam tip:** "ThrottlingException under load" → retries with exponential backoff and
# jitter, then a quota increase, cross-Region inference or provisioned throughput. "Timeouts on
# long answers" → raise the read timeout or use streaming.

# %%
quiz.show("devtools", "sdk")

# %% [markdown]
# ### Exercise 2 — SDK settings for a GenAI call profile (2 points)
#
# Your platform team publishes one rule book for Bedrock clients. Write
# `genai_client_config(profile)` that returns a `botocore.config.Config` built from a profile
# dict with the keys `interactive` (bool), `max_output_tokens` (int), `tokens_per_second`
# (float: expected generation speed), `shared_quota` (bool: many workers share one quota) and
# `concurrency` (int: parallel calls through this client). The rules:
#
# | Setting | Rule |
# |---|---|
# | `read_timeout` | `ceil(max_output_tokens / tokens_per_second) + 10` seconds (an int) |
# | `connect_timeout` | 2 s if interactive, else 10 s |
# | retry mode | `"adaptive"` if `shared_quota`, else `"standard"` |
# | attempts | **2 attempts in total** if interactive, else **6 in total** (use `total_max_attempts`) |
# | `max_pool_connections` | `max(10, concurrency)` |
#
# The test reads the settings back from the `Config` object (`cfg.retries`, `cfg.read_timeout`...).

# %%
import math  # used by your solution below

from botocore.config import Config


# %% kind="solution" grade_id="sdk-config"
def genai_client_config(profile):
    """Return the botocore Config the rule book prescribes for this call profile."""
    ### BEGIN SOLUTION
    interactive = bool(profile["interactive"])
    read_timeout = math.ceil(profile["max_output_tokens"] / profile["tokens_per_second"]) + 10
    return Config(
        connect_timeout=2 if interactive else 10,
        read_timeout=read_timeout,
        retries={
            "mode": "adaptive" if profile["shared_quota"] else "standard",
            "total_max_attempts": 2 if interactive else 6,
        },
        max_pool_connections=max(10, int(profile["concurrency"])),
    )
    ### END SOLUTION


# %% kind="tests" grade_id="sdk-config-tests" points=2
"""Does the Config follow the rule book for chat and batch profiles?"""
import math
import random

from botocore.config import Config


def _settings(cfg):
    checks.expect_type(cfg, Config, "genai_client_config should return a botocore.config.Config")
    retries = dict(cfg.retries or {})
    return {
        "connect_timeout": cfg.connect_timeout,
        "read_timeout": cfg.read_timeout,
        "mode": retries.get("mode"),
        "total_max_attempts": retries.get("total_max_attempts"),
        "max_attempts": retries.get("max_attempts"),
        "max_pool_connections": cfg.max_pool_connections,
    }


def _expected(p):
    return {
        "connect_timeout": 2 if p["interactive"] else 10,
        "read_timeout": math.ceil(p["max_output_tokens"] / p["tokens_per_second"]) + 10,
        "mode": "adaptive" if p["shared_quota"] else "standard",
        "total_max_attempts": 2 if p["interactive"] else 6,
        "max_attempts": None,
        "max_pool_connections": max(10, p["concurrency"]),
    }


_chat = {"interactive": True, "max_output_tokens": 1000, "tokens_per_second": 50.0, "shared_quota": False,
         "concurrency": 4}
_found = _settings(checks.call(genai_client_config, _chat))
checks.expect_equal(_found, _expected(_chat), "settings for an interactive chat profile",
                    hint="attempts go in retries={'total_max_attempts': n}; max_attempts would count retries only")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_rng = random.Random()
_profiles = [
    {"interactive": False, "max_output_tokens": 8192, "tokens_per_second": 40.0, "shared_quota": True,
     "concurrency": 64},
    {"interactive": True, "max_output_tokens": 333, "tokens_per_second": 100.0, "shared_quota": True,
     "concurrency": 10},
]
for _ in range(4):
    _profiles.append({"interactive": _rng.random() < 0.5, "max_output_tokens": _rng.randint(100, 20000),
                      "tokens_per_second": _rng.choice([25.0, 33.3, 60.0, 120.0]),
                      "shared_quota": _rng.random() < 0.5, "concurrency": _rng.randint(1, 80)})
for _p in _profiles:
    checks.expect_equal(_settings(checks.call(genai_client_config, dict(_p))), _expected(_p),
                        f"settings for the profile {_p}")
### END HIDDEN TESTS

# %% [markdown]
# ## Retries with backoff and jitter against Bedrock throttling <a id="backoff"></a>
#
# When Bedrock rejects a call with `ThrottlingException` (HTTP 429), retrying at once makes
# things worse: every rejected client comes back at the same moment and is rejected again.
# The fix has three parts:
#
# - **exponential backoff**: wait `base × 2^k` before retry `k` (0, 1, 2...), so pressure falls
#   quickly;
# - a **cap**: never wait more than `cap` seconds for one retry, and stop after a fixed number
#   of attempts (then fail, queue the work or fall back to another model or Region);
# - **jitter**: randomise the wait so clients spread out. *Full jitter* waits
#   `random(0, min(cap, base × 2^k))`; *equal jitter* keeps half of it fixed and randomises the
#   other half.
#
# Retry only *transient* errors: throttling, `ServiceUnavailableException`,
# `ModelNotReadyException`, timeouts. botocore's `standard` and `adaptive` modes already do
# this for you; write your own loop when you need a different budget, logging of each retry,
# or a fallback after the last attempt (then set the client's `total_max_attempts` to 1 so the
# two layers do not multiply). Beyond retries: request a quota increase, use a cross-Region
# inference profile (`us.`/`eu.`/`global.` prefixes) to spread load, buy provisioned
# throughput for steady high volume, or move non-urgent work to batch inference. A geographic
# profile (`us.`, `eu.`...) keeps processing inside that geography; a `global.` profile may route
# to any commercial Region, so check data-residency rules before choosing it.
#
# The chart below simulates 200 clients throttled at the same instant and shows when each one
# retries.

# %%
import random

import matplotlib.pyplot as plt


def backoff_delay(k, base, cap, jitter, rng):
    ceiling = min(cap, base * 2**k)
    if jitter == "none":
        return ceiling
    if jitter == "equal":
        return ceiling / 2 + rng.uniform(0, ceiling / 2)
    return rng.uniform(0, ceiling)  # full jitter


_rng = random.Random(7)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.8))
for jitter, colour in (("none", "tab:red"), ("equal", "tab:orange"), ("full", "tab:blue")):
    samples = [[backoff_delay(k, 0.5, 8.0, jitter, _rng) for _ in range(200)] for k in range(6)]
    means = [sum(s) / len(s) for s in samples]
    lows, highs = [min(s) for s in samples], [max(s) for s in samples]
    label = "no jitter" if jitter == "none" else f"{jitter} jitter"
    ax1.plot(range(1, 7), means, marker="o", color=colour, label=f"{label} (mean)")
    ax1.fill_between(range(1, 7), lows, highs, color=colour, alpha=0.15)
    ax2.hist([s for s in samples[3]], bins=40, range=(0, 4.2), color=colour, alpha=0.6, label=label)
ax1.set_xlabel("retry number")
ax1.set_ylabel("wait before the retry (s)")
ax1.set_title("Backoff delay per retry (base 0.5 s, cap 8 s)")
ax1.legend()
ax2.set_xlabel("wait before the 4th retry (s)")
ax2.set_ylabel("clients retrying (of 200)")
ax2.set_title("How 200 throttled clients spread their 4th retry")
ax2.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# **Reading the chart.** Without jitter every client waits exactly the same time, so all 200
# hit the model again in the same instant (the single red bar at 4 s) and are throttled
# again. Equal jitter spreads them over half the window; full jitter spreads them over the
# whole window, which gives the lowest peak load and the shortest average wait. The shaded
# bands on the left show the range of waits; the cap flattens the curve after the fifth retry.

# %%
quiz.show("devtools", "backoff")

# %% [markdown]
# ### Exercise 3 — Converse with capped exponential backoff and full jitter (3 points)
#
# Write `converse_with_backoff(runtime, model_id, prompt, max_attempts=5, base=0.5, cap=8.0,
# sleep=time.sleep, rand=random.random)` that:
#
# 1. calls `runtime.converse(modelId=model_id, messages=[{"role": "user", "content": [{"text": prompt}]}])`;
# 2. on a `ClientError` whose code is `ThrottlingException`, `ServiceUnavailableException` or
#    `ModelNotReadyException`, waits `rand() * min(cap, base * 2**k)` seconds by calling
#    `sleep(delay)` (k = 0 before the first retry, 1 before the second, ...), then tries again;
# 3. re-raises any other error at once, and re-raises the last throttling error after
#    `max_attempts` attempts in total (no sleep after the last attempt);
# 4. returns `{"text": <the reply text>, "attempts": <attempts used>, "delays": [<each delay slept>]}`.
#
# `sleep` and `rand` are parameters so the tests can run instantly and predictably. The
# client passed in is made with `Config(retries={"total_max_attempts": 1})`, so botocore does
# not retry behind your back. The Bedrock simulator throttles deterministically:
# `bedrock_sim.set_quota(model_id, n, window)` lets the first `n` attempts of every `window`
# attempts through and throttles the rest.

# %%
import time  # used by your solution below

from botocore.exceptions import ClientError

from course import bedrock_sim

RETRYABLE = {"ThrottlingException", "ServiceUnavailableException", "ModelNotReadyException"}

# Try it: 1 call in 4 gets through; a client without botocore retries sees every throttle.
_rt = aws.client("bedrock-runtime", config=Config(retries={"total_max_attempts": 1}))
bedrock_sim.set_quota("anthropic.claude-3-haiku-20240307-v1:0", 1, 4)
for _i in range(5):
    try:
        _rt.converse(modelId="anthropic.claude-3-haiku-20240307-v1:0",
                     messages=[{"role": "user", "content": [{"text": "Say hello"}]}])
        print(_i + 1, "ok")
    except ClientError as _e:
        print(_i + 1, _e.response["Error"]["Code"])
bedrock_sim.clear_quota()


# %% kind="solution" grade_id="bedrock-backoff"
def converse_with_backoff(runtime, model_id, prompt, max_attempts=5, base=0.5, cap=8.0,
                          sleep=time.sleep, rand=random.random):
    """Call Converse, retrying transient errors with capped exponential backoff and full jitter."""
    ### BEGIN SOLUTION
    delays = []
    for attempt in range(1, max_attempts + 1):
        try:
            response = runtime.converse(
                modelId=model_id,
                messages=[{"role": "user", "content": [{"text": prompt}]}],
            )
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code not in RETRYABLE or attempt == max_attempts:
                raise
            delay = rand() * min(cap, base * 2 ** (attempt - 1))
            delays.append(delay)
            sleep(delay)
            continue
        text = "".join(block.get("text", "") for block in response["output"]["message"]["content"])
        return {"text": text, "attempts": attempt, "delays": delays}
    raise RuntimeError("unreachable")
    ### END SOLUTION


# %% kind="tests" grade_id="bedrock-backoff-tests" points=3
"""Does the retry loop back off exponentially with full jitter, cap the wait and stop at the right errors?"""
import random
import uuid

from botocore.config import Config
from botocore.exceptions import ClientError

from course import bedrock_sim

_MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
_rt = aws.client("bedrock-runtime", config=Config(retries={"total_max_attempts": 1}))
_slept = []
try:
    bedrock_sim.set_quota(_MODEL, 1, 5)  # attempt 1 ok, 2-5 throttled, 6 ok
    _rt.converse(modelId=_MODEL, messages=[{"role": "user", "content": [{"text": "warm up"}]}])
    _res = checks.call(converse_with_backoff, _rt, _MODEL, "Summarize: the build passed.", max_attempts=6,
                       base=0.5, cap=8.0, sleep=_slept.append, rand=lambda: 0.5)
finally:
    bedrock_sim.clear_quota()
checks.expect_type(_res, dict, "converse_with_backoff should return a dict")
checks.expect(isinstance(_res.get("text"), str) and _res["text"] != "", "the reply text should be returned",
              expected="a non-empty string under 'text'", found=_res.get("text"))
checks.expect_equal(_res.get("attempts"), 5, "four throttled attempts, then success on the fifth")
checks.expect_equal(_slept, [0.25, 0.5, 1.0, 2.0], "waits with rand()=0.5 and base 0.5 s",
                    hint="delay = rand() * min(cap, base * 2**k), k = 0 before the first retry")
checks.expect_equal(_res.get("delays"), _slept, "'delays' should list every wait that was slept")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
# Never succeeds: exactly max_attempts attempts, capped waits, no sleep after the last attempt.
_slept2 = []
_seq = iter([0.9, 0.1, 0.7, 0.3, 0.99, 0.5])
try:
    bedrock_sim.set_quota(_MODEL, 0, 1000)
    _code = checks.expect_client_error(
        "ThrottlingException",
        lambda: converse_with_backoff(_rt, _MODEL, "hello", max_attempts=6, base=1.0, cap=3.0,
                                      sleep=_slept2.append, rand=lambda: next(_seq)),
        "after the last attempt the ThrottlingException should be raised again")
    _status = bedrock_sim.quota_status(_MODEL)
finally:
    bedrock_sim.clear_quota()
checks.expect_equal(_status["attempts"], 6, "max_attempts=6 means six calls to Bedrock in total")
_want = [0.9 * 1.0, 0.1 * 2.0, 0.7 * 3.0, 0.3 * 3.0, 0.99 * 3.0]
checks.expect(len(_slept2) == 5 and all(abs(a - b) < 1e-9 for a, b in zip(_slept2, _want)),
              "waits should be rand() * min(cap, base * 2**k), with no wait after the last attempt",
              expected=_want, found=_slept2)
# A non-retryable error is raised at once.
_slept3 = []
checks.expect_client_error(
    "ValidationException",
    lambda: converse_with_backoff(_rt, f"no-such-model-{uuid.uuid4().hex[:6]}", "hi", sleep=_slept3.append),
    "an invalid model id should raise ValidationException without retrying")
checks.expect_equal(_slept3, [], "a ValidationException must not be retried")
# Success on the first attempt: no waits.
_res4 = checks.call(converse_with_backoff, _rt, "amazon.nova-lite-v1:0", "Say hi", sleep=_slept3.append)
checks.expect_type(_res4, dict, "converse_with_backoff should return a dict")
checks.expect_equal((_res4.get("attempts"), _res4.get("delays")), (1, []), "a first-time success needs no retry")


class _Flaky:
    """A client that fails with the given transient errors first, then answers."""

    def __init__(self, codes):
        self.codes, self.calls = list(codes), 0
        self.exceptions = _rt.exceptions  # the real client's modelled error classes

    def converse(self, **kwargs):
        self.calls += 1
        if self.codes:
            code = self.codes.pop(0)
            raise getattr(self.exceptions, code)(
                {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": 503}}, "Converse")
        return {"output": {"message": {"role": "assistant", "content": [{"text": "fine"}]}}, "stopReason": "end_turn",
                "usage": {"inputTokens": 1, "outputTokens": 1, "totalTokens": 2}}


_slept5, _flaky = [], _Flaky(["ServiceUnavailableException", "ModelNotReadyException"])
_res5 = checks.call(converse_with_backoff, _flaky, _MODEL, "hi", base=0.5, cap=8.0, sleep=_slept5.append,
                    rand=lambda: 1.0)
checks.expect_type(_res5, dict, "converse_with_backoff should return a dict")
checks.expect_equal((_flaky.calls, _res5.get("attempts"), _res5.get("delays"), _res5.get("text")),
                    (3, 3, [0.5, 1.0], "fine"),
                    "ServiceUnavailableException and ModelNotReadyException should be retried like throttling",
                    hint="retry every code in RETRYABLE")
### END HIDDEN TESTS

# %% [markdown]
# # Part 3 — Continuous integration and delivery

# %% [markdown]
# ## AWS CodeBuild and AWS CodePipeline <a id="codepipeline"></a>
#
# **CodeBuild** runs builds and tests in fresh, managed containers: no build servers to patch,
# billed per build minute, many builds in parallel (the managed answer to Jenkins, Travis or
# CircleCI). A *build project* names the source, the *environment* (Linux/Windows/ARM/GPU
# compute type and a curated `aws/codebuild/...` image or your own from ECR), a service role,
# a VPC if needed, and a timeout of 5 minutes to 36 hours. The steps live in **`buildspec.yml`**:
# `env` (variables, with `parameter-store` and `secrets-manager` references), `phases`
# (`install`, `pre_build`, `build`, `post_build`), `reports` (test results) and `artifacts`.
# Project environment variables have three types: `PLAINTEXT`, `PARAMETER_STORE` and
# `SECRETS_MANAGER`; never put a secret in plaintext. CodeBuild can also run as a
# GitHub Actions runner, and it suits ad-hoc jobs that outlive Lambda's 15-minute limit.
#
# **CodePipeline** orchestrates the release: *stages* (at least two, the first holding the
# source) contain *actions* by category, such as Source (S3, GitHub/GitLab/Bitbucket through
# a CodeConnections connection, CodeCommit, ECR), Build, Test, Deploy (CloudFormation,
# CodeDeploy, ECS, S3, Elastic Beanstalk...), Approval (manual) and Invoke (Lambda, Step
# Functions). Actions pass *artifacts* through an S3 artifact store: an action's
# `outputArtifacts` become the next one's `inputArtifacts`. V2 pipelines add triggers on Git
# tags and branches, pipeline variables and stage conditions; start changes through
# EventBridge events rather than polling.
#
# **GenAI angle.** Treat prompts, guardrail configurations and evaluation datasets as code:
# the build stage runs unit tests *and* an evaluation of the prompt set against the model (for
# example a Bedrock evaluation job or an LLM-as-judge script), failing the build if quality
# drops; a manual approval gates production; the deploy stage updates the SAM/CloudFormation
# stack. The model id comes from a variable, the evaluation API key from Secrets Manager.
# Security checks belong in the same pipeline: scan the container image of an agent or gateway
# (ECR enhanced scanning with Amazon Inspector) and replay a set of prompt-injection attacks
# against the staging deployment, failing the stage on critical findings or on any leaked system
# prompt. Long jobs fit CodeBuild too, for example re-embedding a whole corpus into a new index
# after an embedding-model upgrade (vectors from two embedding models cannot be mixed).
#
# **Exam tip:** "compile/test/package" → CodeBuild (buildspec). "Orchestrate source → build →
# approve → deploy" → CodePipeline. "Secret in a build" → a `SECRETS_MANAGER` or
# `PARAMETER_STORE` variable, not plaintext.

# %%
quiz.show("devtools", "codepipeline")

# %% [markdown]
# ### Exercise 4 — a release pipeline for a RAG API (3 points)
#
# Write `create_rag_pipeline(codebuild, codepipeline, name, role_arn, artifact_bucket, source,
# model_id, deploy)` that creates:
#
# 1. the CodeBuild project `<name>-build`: source type `CODEPIPELINE` with the buildspec
#    `RAG_BUILDSPEC` below, artifacts type `CODEPIPELINE`, environment `LINUX_CONTAINER`,
#    image `aws/codebuild/standard:7.0`, compute `BUILD_GENERAL1_SMALL`, service role
#    `role_arn`, and two environment variables: `MODEL_ID` = `model_id` (plaintext) and
#    `EVAL_API_KEY` that **references** the Secrets Manager secret `genai/eval-api-key`;
# 2. the pipeline `name` (role `role_arn`, S3 artifact store `artifact_bucket`) with three
#    stages, in order:
#    - `Source`: an S3 source action reading `source["bucket"]`/`source["key"]`, with
#      `PollForSourceChanges` `"false"` (EventBridge starts it), output artifact `SourceOutput`;
#    - `Build`: a CodeBuild action running your project, input `SourceOutput`, output `BuildOutput`;
#    - `Deploy`: a CloudFormation action with `ActionMode` `CREATE_UPDATE`, `StackName`
#      `deploy["stack"]`, `TemplatePath` `BuildOutput::<deploy["template"]>`, `Capabilities`
#      `CAPABILITY_IAM,CAPABILITY_AUTO_EXPAND` (a SAM template needs the second) and
#      `RoleArn` `deploy["role_arn"]`, input `BuildOutput`;
# 3. returns `codepipeline.get_pipeline(name=name)["pipeline"]`.
#
# Action type ids look like `{"category": "Build", "owner": "AWS", "provider": "CodeBuild",
# "version": "1"}`; the providers are `S3`, `CodeBuild` and `CloudFormation`. (moto insists on a
# `location` in the CodeBuild `source` and `artifacts` even for type `CODEPIPELINE`; real
# CodeBuild does not need it. Pass the pipeline name.)

# %%
RAG_BUILDSPEC = """\
version: 0.2
phases:
  install:
    commands:
      - pip install -r requirements.txt
  build:
    commands:
      - pytest tests/unit
      - python eval/run_prompt_eval.py --model "$MODEL_ID" --min-score 0.8
      - sam package --s3-bucket "$ARTIFACT_BUCKET" --output-template-file packaged.yaml
artifacts:
  files:
    - packaged.yaml
"""

_iam = aws.client("iam")


def make_role(name, service):
    """A role that `service` may assume (helper for the exercises and tests)."""
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]}
    try:
        return _iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    except _iam.exceptions.EntityAlreadyExistsException:
        return _iam.get_role(RoleName=name)["Role"]["Arn"]


# %% kind="solution" grade_id="rag-pipeline"
def create_rag_pipeline(codebuild, codepipeline, name, role_arn, artifact_bucket, source, model_id, deploy):
    """Create the build project and the Source → Build → Deploy pipeline; return the pipeline."""
    ### BEGIN SOLUTION
    project = f"{name}-build"
    codebuild.create_project(
        name=project,
        source={"type": "CODEPIPELINE", "location": name, "buildspec": RAG_BUILDSPEC},
        artifacts={"type": "CODEPIPELINE", "location": name},
        environment={
            "type": "LINUX_CONTAINER",
            "image": "aws/codebuild/standard:7.0",
            "computeType": "BUILD_GENERAL1_SMALL",
            "environmentVariables": [
                {"name": "MODEL_ID", "value": model_id, "type": "PLAINTEXT"},
                {"name": "EVAL_API_KEY", "value": "genai/eval-api-key", "type": "SECRETS_MANAGER"},
            ],
        },
        serviceRole=role_arn,
    )

    def action_type(category, provider):
        return {"category": category, "owner": "AWS", "provider": provider, "version": "1"}

    pipeline = {
        "name": name,
        "roleArn": role_arn,
        "artifactStore": {"type": "S3", "location": artifact_bucket},
        "stages": [
            {"name": "Source", "actions": [{
                "name": "Source",
                "actionTypeId": action_type("Source", "S3"),
                "configuration": {"S3Bucket": source["bucket"], "S3ObjectKey": source["key"],
                                  "PollForSourceChanges": "false"},
                "outputArtifacts": [{"name": "SourceOutput"}],
            }]},
            {"name": "Build", "actions": [{
                "name": "BuildAndEvaluate",
                "actionTypeId": action_type("Build", "CodeBuild"),
                "configuration": {"ProjectName": project},
                "inputArtifacts": [{"name": "SourceOutput"}],
                "outputArtifacts": [{"name": "BuildOutput"}],
            }]},
            {"name": "Deploy", "actions": [{
                "name": "DeployStack",
                "actionTypeId": action_type("Deploy", "CloudFormation"),
                "configuration": {
                    "ActionMode": "CREATE_UPDATE",
                    "StackName": deploy["stack"],
                    "TemplatePath": f"BuildOutput::{deploy['template']}",
                    "Capabilities": "CAPABILITY_IAM,CAPABILITY_AUTO_EXPAND",
                    "RoleArn": deploy["role_arn"],
                },
                "inputArtifacts": [{"name": "BuildOutput"}],
            }]},
        ],
    }
    codepipeline.create_pipeline(pipeline=pipeline)
    return codepipeline.get_pipeline(name=name)["pipeline"]
    ### END SOLUTION


# %% kind="tests" grade_id="rag-pipeline-tests" points=3
"""Does the pipeline chain Source → Build → Deploy through artifacts, with a secret-safe build project?"""
import uuid


def _check_pipeline(name, model_id, template):
    cb, cp = aws.client("codebuild"), aws.client("codepipeline")
    role = make_role(f"dev-pipe-{uuid.uuid4().hex[:8]}", "codepipeline.amazonaws.com")
    cfn_role = make_role(f"dev-cfn-{uuid.uuid4().hex[:8]}", "cloudformation.amazonaws.com")
    source = {"bucket": f"src-{uuid.uuid4().hex[:8]}", "key": f"rag-api/{uuid.uuid4().hex[:6]}.zip"}
    deploy = {"stack": f"rag-api-{uuid.uuid4().hex[:6]}", "template": template, "role_arn": cfn_role}
    store = f"art-{uuid.uuid4().hex[:8]}"
    returned = checks.call(create_rag_pipeline, cb, cp, name, role, store, source, model_id, deploy)
    projects = cb.batch_get_projects(names=[f"{name}-build"])["projects"]
    checks.expect(len(projects) == 1, f"a CodeBuild project named {name}-build should exist",
                  expected=f"{name}-build", found=cb.list_projects()["projects"])
    project = projects[0]
    checks.expect_equal(project["source"].get("type"), "CODEPIPELINE", "the project's source type")
    checks.expect_equal(project["source"].get("buildspec"), RAG_BUILDSPEC, "the project should use RAG_BUILDSPEC")
    checks.expect_equal((project.get("artifacts") or {}).get("type"), "CODEPIPELINE", "the project's artifacts type")
    build_env = project.get("environment") or {}
    checks.expect_equal((build_env.get("type"), build_env.get("image"), build_env.get("computeType")),
                        ("LINUX_CONTAINER", "aws/codebuild/standard:7.0", "BUILD_GENERAL1_SMALL"),
                        "the build environment: type, image and compute type")
    checks.expect_equal(project.get("serviceRole"), role, "the project's service role should be role_arn")
    env = {v["name"]: v for v in project["environment"].get("environmentVariables", [])}
    checks.expect_in("MODEL_ID", env, "the build needs the MODEL_ID variable")
    checks.expect_equal((env["MODEL_ID"]["value"], env["MODEL_ID"].get("type", "PLAINTEXT")), (model_id, "PLAINTEXT"),
                        "MODEL_ID should be the model id, in plaintext")
    checks.expect_in("EVAL_API_KEY", env, "the build needs the EVAL_API_KEY variable")
    checks.expect_equal((env["EVAL_API_KEY"]["value"], env["EVAL_API_KEY"].get("type")),
                        ("genai/eval-api-key", "SECRETS_MANAGER"),
                        "EVAL_API_KEY should reference the Secrets Manager secret, not hold a value",
                        hint='{"name": "EVAL_API_KEY", "value": "genai/eval-api-key", "type": "SECRETS_MANAGER"}')
    pipe = cp.get_pipeline(name=name)["pipeline"]
    checks.expect_equal(returned, pipe, 'create_rag_pipeline should return codepipeline.get_pipeline(name=name)["pipeline"]')
    checks.expect_equal(pipe.get("artifactStore"), {"type": "S3", "location": store}, "the S3 artifact store")
    checks.expect_equal(pipe.get("roleArn"), role, "the pipeline's role should be role_arn")
    stages = pipe["stages"]
    checks.expect_equal([s["name"] for s in stages], ["Source", "Build", "Deploy"], "the stages, in order")
    acts = [s["actions"][0] for s in stages]
    checks.expect_equal([(a["actionTypeId"]["category"], a["actionTypeId"]["provider"]) for a in acts],
                        [("Source", "S3"), ("Build", "CodeBuild"), ("Deploy", "CloudFormation")],
                        "the action category and provider of each stage")
    checks.expect_equal([(a["actionTypeId"].get("owner"), a["actionTypeId"].get("version")) for a in acts],
                        [("AWS", "1")] * 3, 'every action type id has owner "AWS" and version "1"')
    return stages, acts, source, deploy


_name = f"rag-api-{uuid.uuid4().hex[:8]}"
_check_pipeline(_name, "anthropic.claude-3-haiku-20240307-v1:0", "packaged.yaml")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_name2 = f"kb-api-{uuid.uuid4().hex[:8]}"
_model2 = f"amazon.nova-lite-v1:0-{uuid.uuid4().hex[:4]}"
_tpl2 = f"out/{uuid.uuid4().hex[:6]}.yaml"
_stages, _acts, _src, _dep = _check_pipeline(_name2, _model2, _tpl2)
_names = lambda arts: [a["name"] for a in arts or []]  # noqa: E731
_conf = [a.get("configuration", {}) for a in _acts]
checks.expect_equal((_conf[0].get("S3Bucket"), _conf[0].get("S3ObjectKey")), (_src["bucket"], _src["key"]),
                    "the source action should read the given bucket and key")
checks.expect_equal(str(_conf[0].get("PollForSourceChanges")).lower(), "false",
                    "the S3 source should not poll (EventBridge starts the pipeline)")
checks.expect_equal(_conf[1].get("ProjectName"), f"{_name2}-build", "the build action should run your project")
checks.expect_equal(_names(_acts[0].get("outputArtifacts")), ["SourceOutput"], "the source output artifact")
checks.expect_equal((_names(_acts[1].get("inputArtifacts")), _names(_acts[1].get("outputArtifacts"))),
                    (["SourceOutput"], ["BuildOutput"]), "the build reads SourceOutput and writes BuildOutput")
checks.expect_equal(_names(_acts[2].get("inputArtifacts")), ["BuildOutput"],
                    "the deploy action must deploy the BUILT template (BuildOutput), not the raw source")
checks.expect_equal(_conf[2].get("ActionMode"), "CREATE_UPDATE", "the CloudFormation action mode")
checks.expect_equal(_conf[2].get("StackName"), _dep["stack"], "the stack to deploy")
checks.expect_equal(_conf[2].get("TemplatePath"), f"BuildOutput::{_tpl2}", "the template path inside BuildOutput")
checks.expect_equal(_conf[2].get("RoleArn"), _dep["role_arn"], "CloudFormation's deployment role")
checks.expect_equal({c.strip() for c in str(_conf[2].get("Capabilities", "")).split(",")},
                    {"CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"},
                    "a SAM template needs CAPABILITY_IAM and CAPABILITY_AUTO_EXPAND")
### END HIDDEN TESTS

# %% [markdown]
# ## AWS CodeDeploy: safe releases for Lambda, ECS and servers <a id="codedeploy"></a>
#
# **What it is.** CodeDeploy releases a new version to EC2 instances, on-premises servers,
# Lambda functions or ECS services. An *application* (with a compute platform) holds
# *deployment groups*: where to deploy, which *deployment configuration*, which CloudWatch
# *alarms* to watch, and when to *roll back*. The `appspec` file describes the release and its
# lifecycle *hooks* (for Lambda and ECS: `BeforeAllowTraffic`/`AfterAllowTraffic` validation
# functions).
#
# **Lambda and ECS deployments shift traffic** between the old and new version (for Lambda:
# the weights of an alias), always blue/green:
#
# | Predefined configuration | Traffic shift |
# |---|---|
# | `CodeDeployDefault.LambdaCanary10Percent5Minutes` (also 10, 15, 30 minutes) | 10 %, then the rest after 5 min |
# | `CodeDeployDefault.LambdaLinear10PercentEvery1Minute` (also Every2/3/10Minutes) | +10 % every minute |
# | `CodeDeployDefault.LambdaAllAtOnce` | everything at once |
# | `CodeDeployDefault.ECSCanary10Percent5Minutes`, `...ECSLinear10PercentEvery1Minutes`, `...ECSAllAtOnce` | same ideas for ECS |
#
# Custom configurations (`create-deployment-config` with a time-based canary or linear rule)
# cover other percentages. EC2/on-premises deployments are in-place (`OneAtATime`,
# `HalfAtATime`, `AllAtOnce`, or a minimum healthy hosts rule) or blue/green behind a load
# balancer. **Automatic rollback** redeploys the last good revision when the deployment fails
# (`DEPLOYMENT_FAILURE`) or when a watched alarm fires (`DEPLOYMENT_STOP_ON_ALARM`).
#
# **GenAI angle.** A new prompt template, model version or agent handler can degrade answers
# without a single error. Canary it: 10 % of traffic for a few minutes while alarms watch
# latency, 5xx errors, guardrail interventions or a custom quality metric, and roll back
# automatically. SageMaker endpoints have their own equivalent (deployment guardrails with
# canary/linear traffic shifting and auto-rollback), so CodeDeploy is for the *application*
# tier.
#
# **Exam tip:** "gradual", "test on a small share of users", "automatic rollback on alarm" →
# CodeDeploy canary/linear (directly, or via SAM `DeploymentPreference`). "Lambda" always means
# traffic shifting on an alias; there is no in-place option.

# %%
quiz.show("devtools", "codedeploy")

# %% [markdown]
# ### Exercise 5 — a canary release group for the chat Lambda (3 points)
#
# Write `create_lambda_release_group(codedeploy, app_name, group_name, role_arn, alarm_names,
# shift)` that:
#
# 1. creates the CodeDeploy application `app_name` for the **Lambda** compute platform;
# 2. picks the predefined deployment configuration that matches `shift`, a dict such as
#    `{"type": "canary", "percent": 10, "minutes": 5}`, `{"type": "linear", "percent": 10,
#    "minutes": 1}` or `{"type": "all-at-once"}`, using the names in the table above (mind
#    `Minute` vs `Minutes`), and raises `ValueError` when no predefined configuration matches
#    (for example a 20 % canary, or a 7-minute canary);
# 3. creates the deployment group `group_name` with that configuration, service role
#    `role_arn`, deployment style `BLUE_GREEN` with traffic control
#    (`WITH_TRAFFIC_CONTROL`), the CloudWatch alarms `alarm_names` enabled, and automatic
#    rollback on both deployment failure and alarm;
# 4. returns the deployment group id.
#
# (moto accepts the alarm configuration but does not store it, so the test also records what
# your code sends.)

# %%
LAMBDA_CANARY_MINUTES = (5, 10, 15, 30)
LAMBDA_LINEAR_MINUTES = (1, 2, 3, 10)


# %% kind="solution" grade_id="codedeploy-canary"
def create_lambda_release_group(codedeploy, app_name, group_name, role_arn, alarm_names, shift):
    """Create a Lambda application and a traffic-shifting deployment group; return the group id."""
    ### BEGIN SOLUTION
    kind = shift.get("type")
    if kind == "all-at-once":
        config = "CodeDeployDefault.LambdaAllAtOnce"
    elif kind == "canary" and shift.get("percent") == 10 and shift.get("minutes") in LAMBDA_CANARY_MINUTES:
        config = f"CodeDeployDefault.LambdaCanary10Percent{shift['minutes']}Minutes"
    elif kind == "linear" and shift.get("percent") == 10 and shift.get("minutes") in LAMBDA_LINEAR_MINUTES:
        minutes = shift["minutes"]
        config = f"CodeDeployDefault.LambdaLinear10PercentEvery{minutes}Minute{'s' if minutes > 1 else ''}"
    else:
        raise ValueError(f"no predefined Lambda deployment configuration for {shift}")
    codedeploy.create_application(applicationName=app_name, computePlatform="Lambda")
    response = codedeploy.create_deployment_group(
        applicationName=app_name,
        deploymentGroupName=group_name,
        serviceRoleArn=role_arn,
        deploymentConfigName=config,
        deploymentStyle={"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"},
        alarmConfiguration={"enabled": True, "alarms": [{"name": n} for n in alarm_names]},
        autoRollbackConfiguration={"enabled": True, "events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]},
    )
    return response["deploymentGroupId"]
    ### END SOLUTION


# %% kind="tests" grade_id="codedeploy-canary-tests" points=3
"""Does the deployment group shift traffic as asked and roll back on failure and on alarm?"""
import uuid

_cd = aws.client("codedeploy")
_sent = []


def _record(params, **kwargs):
    _sent.append(dict(params))


def _release(shift, alarms):
    app, group = f"chat-{uuid.uuid4().hex[:8]}", f"prod-{uuid.uuid4().hex[:6]}"
    role = make_role(f"dev-cd-{uuid.uuid4().hex[:8]}", "codedeploy.amazonaws.com")
    _sent.clear()
    _cd.meta.events.register("provide-client-params.codedeploy.CreateDeploymentGroup", _record)
    try:
        gid = checks.call(create_lambda_release_group, _cd, app, group, role, alarms, shift)
    finally:
        _cd.meta.events.unregister("provide-client-params.codedeploy.CreateDeploymentGroup", _record)
    with checks.step(f"reading the application {app} and its deployment group {group}",
                     hint="create_application(applicationName=app_name, ...), then create_deployment_group(...)"):
        platform = _cd.get_application(applicationName=app)["application"].get("computePlatform")
        info = _cd.get_deployment_group(applicationName=app, deploymentGroupName=group)["deploymentGroupInfo"]
    checks.expect_equal(platform, "Lambda", "the application's compute platform")
    checks.expect_equal(gid, info["deploymentGroupId"], "the function should return the deployment group id")
    checks.expect_equal(info.get("deploymentStyle"),
                        {"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"},
                        "Lambda deployments are blue/green with traffic control")
    rollback = info.get("autoRollbackConfiguration") or {}
    checks.expect(rollback.get("enabled") is True and set(rollback.get("events", [])) ==
                  {"DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"},
                  "automatic rollback should be on, for failures and for alarms",
                  expected={"enabled": True, "events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]},
                  found=rollback)
    alarm_cfg = (_sent[-1] if _sent else {}).get("alarmConfiguration") or {}
    checks.expect(alarm_cfg.get("enabled") is True and sorted(str(a.get("name")) for a in alarm_cfg.get("alarms", []))
                  == sorted(alarms), "the alarms should be enabled in alarmConfiguration",
                  expected={"enabled": True, "alarms": [{"name": n} for n in alarms]}, found=alarm_cfg)
    return info["deploymentConfigName"]


_cfg = _release({"type": "canary", "percent": 10, "minutes": 5}, ["chat-5xx", "chat-p99-latency"])
checks.expect_equal(_cfg, "CodeDeployDefault.LambdaCanary10Percent5Minutes", "the deployment configuration")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_cases = [
    ({"type": "canary", "percent": 10, "minutes": 30}, "CodeDeployDefault.LambdaCanary10Percent30Minutes"),
    ({"type": "linear", "percent": 10, "minutes": 1}, "CodeDeployDefault.LambdaLinear10PercentEvery1Minute"),
    ({"type": "linear", "percent": 10, "minutes": 3}, "CodeDeployDefault.LambdaLinear10PercentEvery3Minutes"),
    ({"type": "linear", "percent": 10, "minutes": 2}, "CodeDeployDefault.LambdaLinear10PercentEvery2Minutes"),
    ({"type": "all-at-once"}, "CodeDeployDefault.LambdaAllAtOnce"),
]
for _shift, _want in _cases:
    _alarms = [f"guardrail-blocks-{uuid.uuid4().hex[:4]}"]
    checks.expect_equal(_release(_shift, _alarms), _want, f"the deployment configuration for {_shift}")
for _bad in ({"type": "canary", "percent": 20, "minutes": 5}, {"type": "canary", "percent": 10, "minutes": 7},
             {"type": "linear", "percent": 10, "minutes": 5}):
    try:
        create_lambda_release_group(_cd, f"x-{uuid.uuid4().hex[:8]}", "g", "arn:aws:iam::123456789012:role/x",
                                    ["a"], _bad)
    except ValueError:
        continue
    except Exception as _exc:  # noqa: BLE001
        checks.fail(f"{_bad} should raise ValueError", "ValueError", f"{type(_exc).__name__}: {_exc}")
    checks.fail(f"{_bad} has no predefined configuration: raise ValueError", "ValueError", "no error")
### END HIDDEN TESTS

# %% [markdown]
# ## AWS CodeArtifact: a private package repository <a id="codeartifact"></a>
#
# **What it is.** A managed artifact repository (the AWS counterpart of JFrog Artifactory or
# Sonatype Nexus) for npm, PyPI, Maven/Gradle, NuGet, Swift, Ruby, Cargo and generic packages.
# A *domain* groups *repositories* and stores each package asset once, encrypted with a KMS
# key; a repository can have *upstream* repositories and one *external connection* to a public
# registry (for example PyPI), so the first fetch of a public package caches it for everyone.
#
# **How clients use it.** `aws codeartifact login --tool pip|npm|twine ...` fetches a
# temporary authorisation token (12 hours by default) and points the tool at the repository
# endpoint. Access is controlled with IAM and resource policies on domains and repositories;
# in a VPC without internet, reach it through interface VPC endpoints. Publishing a new
# package version emits an EventBridge event, which can start a pipeline.
#
# **GenAI angle.** Pin and vet the Python dependencies of training, RAG and agent code
# (`boto3`, `langchain`, model SDKs): builds in CodeBuild pull only approved versions, SageMaker
# jobs in private subnets install packages without internet access, and internal libraries
# (prompt templates, evaluation helpers) are shared across teams as versioned packages.
#
# The course sandbox has no CodeArtifact simulator, so this section has no exercise.
#
# **Exam tip:** "private or approved packages", "cache public packages", "no internet access
# from builds" → CodeArtifact (+ VPC endpoints). It stores *packages*; container images go to
# ECR, build outputs to S3.

# %%
quiz.show("devtools", "codeartifact")

# %% [markdown]
# ## Source control and IDEs: CodeCommit, Cloud9, CodeCatalyst and Amazon Q Developer <a id="ide-source"></a>
#
# **AWS CodeCommit** hosts private Git repositories with IAM access control, encryption at rest
# and triggers to SNS/Lambda/EventBridge. **AWS Cloud9** was a browser IDE backed by an EC2
# instance. **Amazon CodeCatalyst** is an all-in-one DevOps space (repositories, workflows, dev
# environments, issues).
#
# *Note: availability changed after the notes were written.*
#
# - **Cloud9** has been closed to new customers since July 2024; AWS points new users to the
#   AWS Toolkits for VS Code and JetBrains and to **AWS CloudShell** (a browser shell with the
#   CLI preinstalled).
# - **CodeCommit** was closed to new customers in July 2024; AWS reversed that decision in late
#   2025 and announced that it is generally available again. Most pipelines today take their
#   source from GitHub, GitLab or Bitbucket through **AWS CodeConnections** (formerly CodeStar
#   Connections), which works just as well.
# - **CodeCatalyst** is no longer open to new customers (existing spaces keep working).
#
# **Amazon Q Developer** (formerly Amazon CodeWhisperer) is the AI assistant for builders: in
# VS Code, JetBrains, Visual Studio and Eclipse it completes code inline, chats about your
# workspace, runs *agentic* tasks that edit several files, generates unit tests and
# documentation, reviews code for security issues, and performs code transformations (for
# example Java version upgrades); it also answers questions in the console and the CLI. The Pro
# tier adds organisation-level administration through IAM Identity Center and customisations
# trained on your own code base.
#
# *Note:* the IDE side is changing. AWS ends support for the **Q Developer IDE plug-ins on
# April 30, 2027** and points IDE users to **Kiro**, its agentic IDE and CLI (the Q Developer CLI
# became the Kiro CLI in November 2025). Kiro keeps inline suggestions, chat and code generation
# and adds spec-driven development (a feature request becomes requirements, a design and tasks),
# hooks, steering files and MCP servers. Q Developer in the AWS Management Console (which can
# also **diagnose common console errors**) and in chat applications continues.
#
# **GenAI angle.** Q Developer is itself a GenAI service built on Bedrock: expect questions that
# ask which AWS tool *helps developers write code* (Q Developer) versus which service *hosts
# models for your application* (Bedrock).
#
# **Exam tip:** "AI coding assistant in the IDE", "generate tests", "upgrade Java with AI" →
# Amazon Q Developer (the exam guide's name); for a new team today, Kiro. "Explain this console
# error" → Q Developer in the console. "Browser IDE on AWS" for a new account → a local IDE with the AWS
# Toolkit, or CloudShell, not Cloud9.

# %%
quiz.show("devtools", "ide-source")

# %% [markdown]
# # Part 4 — Observability

# %% [markdown]
# ## AWS X-Ray: distributed tracing for GenAI requests <a id="xray"></a>
#
# **What it is.** X-Ray follows one request through every service it touches. A **trace**
# (id `1-<8 hex digits of the epoch second>-<24 hex digits>`) is made of **segments**, one per
# service that handled the request, and **subsegments** for the calls inside it (an AWS SDK
# call, an HTTP call, a SQL query). The trace id travels in the `X-Amzn-Trace-Id` header, so
# API Gateway, Lambda, ECS, EC2, Elastic Beanstalk, SQS, SNS and Step Functions join the same
# trace. X-Ray builds a **trace map** (service graph) with latency and error rates per node and
# lets you search traces with **filter expressions**.
#
# **What goes where.**
#
# | Field | Indexed? | Use for |
# |---|---|---|
# | `annotations` (string, number, boolean; up to 50 per trace) | yes, searchable | model id, tenant, token counts, prompt version |
# | `metadata` (any JSON) | no | prompt text, retrieved chunk ids, debugging details |
# | `error` / `throttle` / `fault` | yes | 4xx / 429 (error + throttle) / 5xx |
#
# A filter such as `annotation.model_id = "anthropic.claude-3-haiku-20240307-v1:0" AND
# annotation.output_tokens > 2000` finds the expensive calls; `responsetime > 5` the slow ones.
# **Sampling** keeps costs down: the default rule records the first request each second and
# 5 % of the rest; custom sampling rules change that per service, URL or method.
#
# *Note:* the notes describe the X-Ray SDKs and daemon. AWS now recommends **OpenTelemetry**
# for instrumentation (the AWS Distro for OpenTelemetry, ADOT, or the CloudWatch agent): the
# X-Ray SDKs and daemon entered maintenance mode on 25 February 2026 and reach end of support
# on 25 February 2027. X-Ray itself, its console and its APIs stay; CloudWatch Application
# Signals and Transaction Search build on the same traces.
#
# **GenAI angle.** A slow RAG answer may come from retrieval, reranking, the model, or a tool
# an agent called. One trace shows which: a subsegment per Bedrock call, with the model id and
# token counts as annotations. Bedrock AgentCore Observability emits OpenTelemetry traces of
# agent steps for the same purpose.
#
# **Exam tip:** "which service in the chain is slow / failing" → X-Ray traces and the trace
# map. "Search traces by model or tenant" → annotations (metadata is not searchable). Metrics
# and alarms → CloudWatch; API audit → CloudTrail.

# %%
quiz.show("devtools", "xray")

# %% [markdown]
# ### Exercise 6 — trace one LLM call (3 points)
#
# Your chat API does not use an X-Ray SDK yet, so you send segments yourself with
# `put_trace_segments`. Write `trace_llm_call(xray, service, model_id, prompt, usage, start,
# end, status)` that sends **one segment document** (a JSON string) and returns its trace id:
#
# - `trace_id`: a new id `1-<int(start) as 8 hex digits>-<24 random hex digits>`; `id`: 16
#   random hex digits; `name`: `service`; `start_time`/`end_time`: `start`/`end` (epoch
#   seconds, floats);
# - `annotations`: `model_id`, `input_tokens` and `output_tokens` (numbers from
#   `usage["inputTokens"]`/`usage["outputTokens"]`), and nothing else;
# - `metadata`: `{"genai": {"prompt": prompt}}` (never put the prompt in an annotation: it is
#   indexed, size-limited and may hold personal data);
# - `http`: `{"response": {"status": status}}`, and the flags: `"error": true` for any 4xx,
#   plus `"throttle": true` for 429, and `"fault": true` for any 5xx;
# - `subsegments`: one subsegment for the Bedrock call with its own 16-hex `id`, `name`
#   `"Bedrock Runtime"`, `namespace` `"aws"`, the same start and end times, and
#   `"aws": {"operation": "Converse"}`.
#
# Hints: `os.urandom(8).hex()` gives 16 hex digits; `f"{int(start):08x}"` the time part. Check
# the `UnprocessedTraceSegments` list in the response: raise `RuntimeError` if X-Ray rejected
# the segment. (moto stores segments and returns them
# with `batch_get_traces`, which the test uses; it does not evaluate filter expressions.)

# %%
import os  # used by your solution below

# Try it: a minimal segment, read back with batch_get_traces.
_xr = aws.client("xray")
_now = time.time()
_tid = f"1-{int(_now):08x}-{os.urandom(12).hex()}"
_xr.put_trace_segments(TraceSegmentDocuments=[json.dumps(
    {"trace_id": _tid, "id": os.urandom(8).hex(), "name": "demo", "start_time": _now - 0.2, "end_time": _now})])
print(_xr.batch_get_traces(TraceIds=[_tid])["Traces"][0]["Segments"][0]["Document"])


# %% kind="solution" grade_id="xray-llm-trace"
def trace_llm_call(xray, service, model_id, prompt, usage, start, end, status):
    """Send one X-Ray segment (with a Bedrock subsegment) describing an LLM call; return the trace id."""
    ### BEGIN SOLUTION
    trace_id = f"1-{int(start):08x}-{os.urandom(12).hex()}"
    segment = {
        "trace_id": trace_id,
        "id": os.urandom(8).hex(),
        "name": service,
        "start_time": start,
        "end_time": end,
        "annotations": {
            "model_id": model_id,
            "input_tokens": int(usage["inputTokens"]),
            "output_tokens": int(usage["outputTokens"]),
        },
        "metadata": {"genai": {"prompt": prompt}},
        "http": {"response": {"status": status}},
        "subsegments": [{
            "id": os.urandom(8).hex(),
            "name": "Bedrock Runtime",
            "namespace": "aws",
            "start_time": start,
            "end_time": end,
            "aws": {"operation": "Converse"},
        }],
    }
    if 400 <= status < 500:
        segment["error"] = True
        if status == 429:
            segment["throttle"] = True
    elif status >= 500:
        segment["fault"] = True
    response = xray.put_trace_segments(TraceSegmentDocuments=[json.dumps(segment)])
    if response.get("UnprocessedTraceSegments"):
        raise RuntimeError(f"X-Ray rejected the segment: {response['UnprocessedTraceSegments']}")
    return trace_id
    ### END SOLUTION


# %% kind="tests" grade_id="xray-llm-trace-tests" points=3
"""Does the segment carry searchable annotations, the prompt as metadata, a Bedrock subsegment and the right flags?"""
import json
import re
import time
import uuid

_xr = aws.client("xray")


def _segment(trace_id):
    with checks.step(f"reading trace {trace_id} with batch_get_traces"):
        traces = _xr.batch_get_traces(TraceIds=[trace_id])["Traces"]
    checks.expect(len(traces) == 1 and traces[0]["Segments"], "the trace should hold your segment",
                  expected="one trace with one segment", found=traces)
    return json.loads(traces[0]["Segments"][0]["Document"])


def _send(status, model_id, usage, prompt):
    end = time.time()
    start = end - 1.7
    tid = checks.call(trace_llm_call, _xr, "chat-api", model_id, prompt, usage, start, end, status)
    checks.expect(isinstance(tid, str) and re.fullmatch(r"1-[0-9a-f]{8}-[0-9a-f]{24}", tid) is not None,
                  "the trace id should look like 1-<8 hex>-<24 hex>", expected="1-5f84c7a1-0123456789abcdef01234567",
                  found=tid)
    checks.expect_equal(int(tid.split("-")[1], 16), int(start), "the trace id's time part should be int(start) in hex")
    doc = _segment(tid)
    checks.expect_equal(doc.get("trace_id"), tid, "the segment's trace_id")
    checks.expect(re.fullmatch(r"[0-9a-f]{16}", str(doc.get("id"))) is not None, "the segment id should be 16 hex digits",
                  found=doc.get("id"))
    checks.expect_equal((doc.get("name"), doc.get("start_time"), doc.get("end_time")), ("chat-api", start, end),
                        "the segment's name, start_time and end_time")
    return doc, start, end


_doc, _start, _end = _send(200, "anthropic.claude-3-haiku-20240307-v1:0", {"inputTokens": 812, "outputTokens": 230},
                           "What is our refund policy?")
checks.expect_equal(_doc.get("annotations"), {"model_id": "anthropic.claude-3-haiku-20240307-v1:0",
                                              "input_tokens": 812, "output_tokens": 230}, "the annotations")
checks.expect_equal(_doc.get("metadata"), {"genai": {"prompt": "What is our refund policy?"}}, "the metadata")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_model = f"amazon.nova-lite-v1:0-{uuid.uuid4().hex[:4]}"
_prompt = f"Summarise ticket {uuid.uuid4().hex[:6]} for jane@example.com"
for _status, _flags in ((429, {"error": True, "throttle": True}), (404, {"error": True}), (400, {"error": True}),
                        (503, {"fault": True}), (500, {"fault": True}), (200, {})):
    _d, _s, _e = _send(_status, _model, {"inputTokens": 99, "outputTokens": 4096}, _prompt)
    checks.expect_equal(_d.get("annotations"), {"model_id": _model, "input_tokens": 99, "output_tokens": 4096},
                        "annotations: the model id and the token counts, as numbers")
    checks.expect(_prompt not in json.dumps(_d.get("annotations")), "the prompt must not be an annotation")
    checks.expect_equal(_d.get("metadata", {}).get("genai", {}).get("prompt"), _prompt, "the prompt in metadata")
    checks.expect_equal(_d.get("http", {}).get("response", {}).get("status"), _status, "http.response.status")
    _got = {k: _d[k] for k in ("error", "throttle", "fault") if _d.get(k)}
    checks.expect_equal(_got, _flags, f"the error/throttle/fault flags for HTTP {_status}",
                        hint="4xx -> error; 429 -> error and throttle; 5xx -> fault")
    _subs = _d.get("subsegments") or []
    checks.expect(len(_subs) == 1, "one subsegment for the Bedrock call", expected=1, found=len(_subs))
    _sub = _subs[0]
    checks.expect_equal((_sub.get("name"), _sub.get("namespace"), (_sub.get("aws") or {}).get("operation")),
                        ("Bedrock Runtime", "aws", "Converse"), "the subsegment's name, namespace and operation")
    checks.expect(re.fullmatch(r"[0-9a-f]{16}", str(_sub.get("id"))) is not None and _sub.get("id") != _d.get("id"),
                  "the subsegment needs its own 16-hex id", found=_sub.get("id"))
    checks.expect(_s <= _sub.get("start_time", -1) <= _sub.get("end_time", -1) <= _e,
                  "the subsegment must lie inside the segment's time window", found=_sub)



class _RejectingXRay:
    """An X-Ray client that rejects every segment, as X-Ray does with a malformed one."""

    def put_trace_segments(self, TraceSegmentDocuments):  # noqa: N803 - boto3's parameter name
        ids = [json.loads(d).get("id", "?") for d in TraceSegmentDocuments]
        return {"UnprocessedTraceSegments": [{"Id": i, "ErrorCode": "InvalidSegment", "Message": "rejected"}
                                             for i in ids]}


_problem = "no error"
try:
    trace_llm_call(_RejectingXRay(), "chat-api", _model, "hi", {"inputTokens": 1, "outputTokens": 1},
                   time.time() - 1, time.time(), 200)
except RuntimeError:
    _problem = None
except Exception as _exc:  # noqa: BLE001
    _problem = f"{type(_exc).__name__}: {_exc}"
checks.expect(_problem is None, "a segment X-Ray reports in UnprocessedTraceSegments should raise RuntimeError",
              expected="RuntimeError", found=_problem, hint="if response['UnprocessedTraceSegments']: raise RuntimeError(...)")
### END HIDDEN TESTS

# %% [markdown]
# ## AWS Proton (retired): platform templates for self-service <a id="proton"></a>
#
# **What it was.** AWS Proton let a platform team publish versioned *environment* and *service
# templates* (infrastructure as code, CloudFormation or Terraform, plus a CI/CD pipeline) so that
# application teams could deploy new microservices in a self-service way while compute, DNS,
# load balancing, logging and monitoring stayed consistent with the organisation's standards;
# when a template changed, Proton showed which deployed services were out of date.
#
# *Note:* AWS closed Proton to new customers on 7 October 2025 and **ended support on 7 October
# 2026**; deployed infrastructure stays in place, managed as ordinary CloudFormation stacks or
# Terraform. The same goal, "golden path" templates for teams, is now met with **Service
# Catalog** products (see the governance notebook), CloudFormation or CDK constructs shared as
# packages, and CodePipeline.
#
# **GenAI angle.** A platform team that offers "a RAG service with our guardrail, logging and
# VPC endpoints already wired in" as a template gives every team a compliant starting point;
# today that template is a Service Catalog product or a shared CDK construct.
#
# **Exam tip:** "self-service, standardised infrastructure for many application teams" →
# Service Catalog (or shared IaC); Proton is retired.

# %%
quiz.show("devtools", "proton")

# %% [markdown]
# ## Graded quiz <a id="graded-quiz"></a>
#
# Six questions across the whole notebook. Pick your answers in the widget below; they are
# saved automatically beside this notebook and graded when you submit. Leave the cells under
# the widget as they are.

# %%
quiz.graded("devtools")

# %% kind="quiz" question="dev-g1" points=1

# %% kind="quiz" question="dev-g2" points=1

# %% kind="quiz" question="dev-g3" points=1

# %% kind="quiz" question="dev-g4" points=1

# %% kind="quiz" question="dev-g5" points=1

# %% kind="quiz" question="dev-g6" points=1

# %% [markdown]
# ## Summary / what to review <a id="summary"></a>
#
# **Infrastructure as code.** CloudFormation stacks create, update and roll back resources as
# one unit; parameters keep values such as the model id out of the template (Exercise 1).
# CDK writes templates in a programming language (L1/L2/L3 constructs, `synth`, `bootstrap`);
# SAM is serverless shorthand with local testing and built-in canary deployments;
# Infrastructure Composer draws the template; Amplify gives web/mobile apps auth, data and
# hosting.
#
# **Calling AWS from code.** Roles, not keys. Choose retry mode, attempts (`total_max_attempts`
# includes the first call) and timeouts per call profile (Exercise 2); back off exponentially
# with a cap and full jitter, and retry only transient errors (Exercise 3).
#
# **CI/CD.** CodeBuild runs the buildspec (secrets by reference); CodePipeline chains Source →
# Build (with a prompt evaluation) → Deploy through artifacts (Exercise 4); CodeDeploy shifts
# Lambda traffic by canary or linear steps and rolls back on alarms (Exercise 5); CodeArtifact
# serves vetted packages. Q Developer helps write the code; Cloud9 is closed to new customers.
#
# **Observability.** X-Ray traces show where a GenAI request spends its time; annotations are
# searchable, metadata is not; 429 is error + throttle, 5xx is fault (Exercise 6). New
# instrumentation should use OpenTelemetry (ADOT).
