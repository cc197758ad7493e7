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
# # Security, Identity, Compliance & Storage for GenAI workloads
#
# **Who this is for:** developers preparing for the AWS Certified Generative AI Developer –
# Professional exam (AIP-C01) who have used the AWS console and Python, and want to know how
# the security and storage services protect and hold the data a generative AI system lives on:
# training and fine-tuning sets, prompts and responses, model artifacts, vector stores and the
# endpoints that serve models.
#
# **What you will do here:**
#
# - read 22 short service sections, each ending with an *Exam tip* and a few self-check questions;
# - complete **5 graded exercises** with boto3 against a simulated AWS account (IAM, KMS, S3,
#   Secrets Manager, Cognito);
# - read one cost chart that compares S3 storage strategies for a 50 TB training set;
# - answer the **graded quiz** at the end.
#
# **Exam tasks trained:** mostly 3.2 (data security and privacy controls) and 3.3 (AI governance
# and compliance), plus 1.3 (data validation and processing pipelines), 1.4 (vector store
# solutions) and 4.1 (cost optimisation).
#
# **How to work:** run the cells from top to bottom (every cell is safe to run again). In an
# exercise, replace `raise NotImplementedError()` with your code, run that cell, then run the
# test cell under it: its message tells you what is missing. Graded quiz answers are saved
# automatically next to this notebook as soon as you pick them.
#
# Everything runs offline. The first code cell starts a fake AWS account (the
# [moto](https://github.com/getmoto/moto) simulator) with fake credentials and blocks the network,
# so nothing you do here can touch a real account or cost money. The simulator does not
# reproduce every AWS behaviour; where that matters, the text says so.

# %% kind="setup"
from course import sandbox, checks, quiz

aws = sandbox.start()  # fake credentials, moto, network blocked; safe to re-run

# %% [markdown]
# # Part 1 — Identity and access
#
# Who may call which API, on which resource, and how people and programs prove who they are.

# %% [markdown]
# ## IAM: least privilege for GenAI workloads <a id="iam"></a>
#
# **What it is.** AWS Identity and Access Management authorises every AWS API call: a
# *principal* asks to perform an *action* on a *resource*, and policies decide. **Users** hold
# long-term credentials and should be rare (the root user is locked away with MFA); **groups**
# bundle users; **roles** hand out temporary STS credentials to whoever the role's *trust
# policy* allows: a person, another account, or a service such as `sagemaker.amazonaws.com`.
#
# **How a request is judged.** Everything starts denied. An explicit `Deny` in any applicable
# policy wins over every `Allow`. Inside one account, an `Allow` in either the identity policy or
# the resource policy is enough, unless a limiting layer says no: Organizations SCPs/RCPs,
# permissions boundaries and session policies only *cap* what can be granted, they never grant.
# Across accounts both sides must allow.
#
# | Need | Use |
# |---|---|
# | A Lambda function calls two models through cross-Region inference profiles | execution role allowing `bedrock:InvokeModel` on the two profile ARNs **and** on each model's ARN in every Region the profiles route to |
# | Another account reads your training bucket | bucket policy **and** an identity policy in that account |
# | Developers may create roles, but never more powerful than X | permissions boundary |
# | No account in the organisation may disable Bedrock invocation logging | SCP with a `Deny` |
# | One policy for many teams, each reaching only its own resources | ABAC: compare `aws:PrincipalTag/team` with `aws:ResourceTag/team` |
#
# **GenAI angle.** SageMaker training jobs, Bedrock model customization jobs and Knowledge Bases
# run as a *service role* you pass them: S3 read on the data, write on the output prefix, KMS
# use, CloudWatch Logs. Scope Bedrock permissions to model ARNs
# (`arn:aws:bedrock:us-east-1::foundation-model/<model-id>`, no account ID) or inference
# profiles; add `aws:SourceAccount`/`aws:SourceArn` to service trust policies (confused deputy).
#
# **Bedrock-specific controls.**
#
# - *Inference profiles*: a call through a profile is authorised on the profile's ARN and on the
#   foundation model in each destination Region, so a policy naming only one of them is denied.
# - *Enforcing a guardrail*: the condition key `bedrock:GuardrailIdentifier` lets an explicit
#   `Deny` reject every `InvokeModel`/`Converse` request that does not carry the approved
#   guardrail (ARN and version), whatever the calling code does.
# - *Agent action groups*: the Lambda function behind an action group has a resource-based policy
#   that lets `bedrock.amazonaws.com` invoke it; add `AWS:SourceArn` (the agent's ARN) and
#   `AWS:SourceAccount` so that only your agent can.
# - *Bedrock API keys*: short-term keys (at most 12 hours, the permissions of the principal that
#   generated them) or, better, the workload role's own temporary credentials in production;
#   long-term keys belong to an IAM user and AWS recommends them only for exploration.
# - *Private network path*: an interface VPC endpoint (PrivateLink) for `bedrock-runtime` keeps
#   calls off the internet, and its **endpoint policy** can allow only approved models and
#   profiles through that endpoint. Gateway endpoints exist only for S3 and DynamoDB.
#
# *Note:* the notes name managed policies `SageMakerFullAccess`, `BedrockUserPolicy` and
# `S3ReadOnlyForMLData`. The real AWS managed ones are `AmazonSageMakerFullAccess`,
# `AmazonBedrockFullAccess` and `AmazonS3ReadOnlyAccess`; the other two do not exist. None is
# least privilege.
#
# **Exam tip:** "no long-term keys", "temporary credentials", "service needs access" → a role.
# "Deny even if someone grants it" → explicit Deny or SCP. Boundaries and SCPs never grant.

# %%
quiz.show("security", "iam")

# %% [markdown]
# ### Exercise 1 — a least-privilege execution role for a training job (4 points)
#
# Your team fine-tunes a model on SageMaker. The dataset bucket holds several prefixes
# (`curated/`, `raw/` with unreviewed personal data, `eval/`...). The training job may read
# **only** the prefix it trains on.
#
# Write `create_training_role(iam, role_name, bucket, prefix)` that:
#
# 1. creates the role `role_name` with a trust policy that lets **only** the SageMaker service
#    (`sagemaker.amazonaws.com`) assume it;
# 2. gives it `s3:GetObject` on objects under `s3://<bucket>/<prefix>` and nothing more on
#    objects (`prefix` ends with `/`), plus `s3:ListBucket` on the bucket limited by the
#    `s3:prefix` condition key to that prefix;
# 3. returns the role ARN.
#
# Hints: `iam.create_role(RoleName=..., AssumeRolePolicyDocument=json.dumps(...))`,
# `iam.put_role_policy(...)`. Object ARNs look like `arn:aws:s3:::bucket/key`; the bucket ARN is
# `arn:aws:s3:::bucket`. The test assumes your role and, with moto's IAM enforcement switched on,
# tries to read, list and write. (A real SageMaker role also needs CloudWatch Logs and output
# permissions; they are left out to keep the exercise small. moto does not evaluate the
# `s3:prefix` condition, so the test reads it back from your policy: an inline or a managed one.)

# %%
import json  # used by your solution below

# %% kind="solution" grade_id="iam-training-role"
def create_training_role(iam, role_name, bucket, prefix):
    """Create a SageMaker-assumable role that can only read s3://bucket/prefix*; return its ARN."""
    ### BEGIN SOLUTION
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "sagemaker.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    permissions = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/{prefix}*",
            },
            {
                "Effect": "Allow",
                "Action": "s3:ListBucket",
                "Resource": f"arn:aws:s3:::{bucket}",
                "Condition": {"StringLike": {"s3:prefix": [f"{prefix}*"]}},
            },
        ],
    }
    role = iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    iam.put_role_policy(RoleName=role_name, PolicyName="read-training-prefix", PolicyDocument=json.dumps(permissions))
    return role["Arn"]
    ### END SOLUTION


# %% kind="tests" grade_id="iam-training-role-tests" points=4
"""Does the training role trust only SageMaker and read and list only its own prefix?"""
import fnmatch
import json
import urllib.parse
import uuid

from botocore.exceptions import ClientError


def _as_list(value):
    return [value] if isinstance(value, (str, dict)) else list(value or [])


def _document(doc):
    doc = json.loads(urllib.parse.unquote(doc)) if isinstance(doc, str) else doc
    checks.expect(doc.get("Version", "2012-10-17") in ("2012-10-17", "2008-10-17"),
                  "a policy's Version must be one IAM knows", expected="2012-10-17", found=doc.get("Version"))
    return _as_list(doc.get("Statement", []))


def _trust(role):
    """(services that may assume the role with sts:AssumeRole, any other principals allowed)."""
    services, others = set(), []
    for st in _document(role["AssumeRolePolicyDocument"]):
        if st.get("Effect") != "Allow":
            continue
        principal = st.get("Principal", {})
        if not isinstance(principal, dict):
            others.append(principal)
            continue
        assumes = any(fnmatch.fnmatchcase("sts:assumerole", a.lower()) for a in _as_list(st.get("Action")))
        for kind, value in principal.items():
            if kind == "Service" and assumes:
                services.update(_as_list(value))
            elif kind != "Service":
                others.extend(f"{kind}:{v}" for v in _as_list(value))
    return services, others


def _statements(iam, role_name):
    """Every statement of the role's inline and attached managed policies."""
    with checks.step(f"reading the policies of role {role_name}", hint="attach a policy to the role you created"):
        docs = [iam.get_role_policy(RoleName=role_name, PolicyName=n)["PolicyDocument"]
                for n in iam.list_role_policies(RoleName=role_name)["PolicyNames"]]
        for att in iam.list_attached_role_policies(RoleName=role_name)["AttachedPolicies"]:
            version = iam.get_policy(PolicyArn=att["PolicyArn"])["Policy"]["DefaultVersionId"]
            docs.append(iam.get_policy_version(PolicyArn=att["PolicyArn"], VersionId=version)["PolicyVersion"]["Document"])
    return [st for doc in docs for st in _document(doc)]


def _condition_holds(condition, prefix):
    """Does a statement's Condition allow a ListBucket request with s3:prefix = prefix?"""
    for operator, tests in (condition or {}).items():
        base = operator.split(":")[-1].removesuffix("IfExists")
        for key, values in tests.items():
            if key.lower() != "s3:prefix":
                continue
            values = [str(v) for v in _as_list(values)]
            if base == "StringLike" and not any(fnmatch.fnmatchcase(prefix, v) for v in values):
                return False
            if base == "StringEquals" and prefix not in values:
                return False
    return True


def _may_list(statements, bucket, prefix):
    """Would the role's Allow statements let it list `bucket` under `prefix` (s3:prefix condition read back)?"""
    for st in statements:
        if st.get("Effect") != "Allow":
            continue
        if not any(fnmatch.fnmatchcase("s3:listbucket", a.lower()) for a in _as_list(st.get("Action"))):
            continue
        if not any(fnmatch.fnmatchcase(f"arn:aws:s3:::{bucket}", r) for r in _as_list(st.get("Resource"))):
            continue
        if _condition_holds(st.get("Condition"), prefix):
            return True
    return False


def _allowed(call):
    """True if the call succeeds, False if IAM denies it; other errors are reported."""
    try:
        call()
        return True
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("AccessDenied", "403", "AccessDeniedException"):
            return False
        raise


def _job_client(role_arn):
    with checks.step("assuming the role returned", hint="return the ARN of the role you created"):
        creds = aws.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="training-job")["Credentials"]
    return aws.client(
        "s3",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )


def _role(iam, name):
    with checks.step(f"reading role {name}", hint="create the role with the role_name you were given"):
        return iam.get_role(RoleName=name)["Role"]


_iam, _s3 = aws.client("iam"), aws.client("s3")
_bucket = f"sec-train-{uuid.uuid4().hex[:10]}"
_role_name = f"sec-train-role-{uuid.uuid4().hex[:8]}"
_s3.create_bucket(Bucket=_bucket)
_s3.put_object(Bucket=_bucket, Key="curated/part-000.jsonl", Body=b'{"prompt": "hi"}')
_s3.put_object(Bucket=_bucket, Key="raw/part-000.jsonl", Body=b'{"email": "a@example.com"}')

_arn = checks.call(create_training_role, _iam, _role_name, _bucket, "curated/")
_role1 = _role(_iam, _role_name)
checks.expect_equal(_arn, _role1["Arn"], "create_training_role should return the new role's ARN")
_services, _others = _trust(_role1)
checks.expect_in("sagemaker.amazonaws.com", _services, "the trust policy should let SageMaker assume the role",
                 hint='Principal: {"Service": "sagemaker.amazonaws.com"}, Action: "sts:AssumeRole"')
checks.expect(not _others, "only the SageMaker service should be trusted", expected="no AWS/Federated/* principals",
              found=_others)

_job = _job_client(_arn)
with aws.iam_enforced():
    with checks.step("reading s3://{}/curated/part-000.jsonl as the role".format(_bucket)):
        _read_ok = _allowed(lambda: _job.get_object(Bucket=_bucket, Key="curated/part-000.jsonl"))
    with checks.step("reading s3://{}/raw/part-000.jsonl as the role".format(_bucket)):
        _raw_ok = _allowed(lambda: _job.get_object(Bucket=_bucket, Key="raw/part-000.jsonl"))
checks.expect(_read_ok, "the role should be able to read objects under the training prefix",
              expected="GetObject on curated/ allowed", found="AccessDenied",
              hint="allow s3:GetObject on arn:aws:s3:::<bucket>/<prefix>*")
checks.expect(not _raw_ok, "the role must NOT read objects outside the training prefix",
              expected="GetObject on raw/ denied", found="allowed",
              hint="scope the Resource to the prefix, not the whole bucket")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_bucket2 = f"sec-ds-{uuid.uuid4().hex[:10]}"
_sibling = f"{_bucket2}-backup"
_prefix2 = f"datasets/{uuid.uuid4().hex[:6]}/"
_role2 = f"sec-role-{uuid.uuid4().hex[:8]}"
for _b in (_bucket2, _sibling):
    _s3.create_bucket(Bucket=_b)
    _s3.put_object(Bucket=_b, Key=f"{_prefix2}shard-1.jsonl", Body=b"{}")
_s3.put_object(Bucket=_bucket2, Key=f"{_prefix2.rstrip('/')}-pii/shard-1.jsonl", Body=b"{}")
_s3.put_object(Bucket=_bucket2, Key="eval/holdout.jsonl", Body=b"{}")
_arn2 = checks.call(create_training_role, _iam, _role2, _bucket2, _prefix2)
checks.expect_equal(_arn2, _role(_iam, _role2)["Arn"], "the returned ARN should be the new role's")
_services2, _others2 = _trust(_role(_iam, _role2))
checks.expect(_services2 == {"sagemaker.amazonaws.com"} and not _others2,
              "only sagemaker.amazonaws.com may assume the role (Action sts:AssumeRole)",
              expected={"sagemaker.amazonaws.com"}, found=sorted(_services2) + _others2)
_job2 = _job_client(_arn2)
with aws.iam_enforced():
    with checks.step("probing what the role can do"):
        _results = {
            "read own prefix": _allowed(lambda: _job2.get_object(Bucket=_bucket2, Key=f"{_prefix2}shard-1.jsonl")),
            "list own prefix": _allowed(lambda: _job2.list_objects_v2(Bucket=_bucket2, Prefix=_prefix2)),
            "read eval/": _allowed(lambda: _job2.get_object(Bucket=_bucket2, Key="eval/holdout.jsonl")),
            "read look-alike prefix": _allowed(lambda: _job2.get_object(
                Bucket=_bucket2, Key=f"{_prefix2.rstrip('/')}-pii/shard-1.jsonl")),
            "read look-alike bucket": _allowed(lambda: _job2.get_object(Bucket=_sibling, Key=f"{_prefix2}shard-1.jsonl")),
            "list look-alike bucket": _allowed(lambda: _job2.list_objects_v2(Bucket=_sibling, Prefix=_prefix2)),
            "write own prefix": _allowed(lambda: _job2.put_object(Bucket=_bucket2, Key=f"{_prefix2}x.jsonl", Body=b"x")),
            "delete own prefix": _allowed(lambda: _job2.delete_object(Bucket=_bucket2, Key=f"{_prefix2}shard-1.jsonl")),
        }
_expected = {k: k in ("read own prefix", "list own prefix") for k in _results}
checks.expect_equal(_results, _expected, "the role should read and list its own prefix and nothing else",
                    hint="GetObject on exactly arn:aws:s3:::<bucket>/<prefix>*, ListBucket on arn:aws:s3:::<bucket>; "
                         "no s3:* and no wildcard bucket names")
# moto does not evaluate the s3:prefix condition, so the tests read it back from the policies.
_st2 = _statements(_iam, _role2)
_listing = {p: _may_list(_st2, _bucket2, p) for p in (_prefix2, f"{_prefix2}sub/", "eval/", "", "datasets/")}
checks.expect_equal(_listing, {p: p.startswith(_prefix2) for p in _listing},
                    "ListBucket should be limited to the training prefix by the s3:prefix condition key",
                    hint='"Condition": {"StringLike": {"s3:prefix": ["<prefix>*"]}} on the ListBucket statement')
### END HIDDEN TESTS

# %% [markdown]
# ## IAM Identity Center: workforce sign-in across accounts <a id="identity-center"></a>
#
# **What it is.** The AWS service for *your own people* (employees, contractors) to sign in once
# and reach many AWS accounts and business applications. It was called **AWS Single Sign-On**
# until July 2022. It works with AWS Organizations: one organisation instance manages access to
# every member account (an account instance exists for single-account apps).
#
# **Key facts.**
#
# - *Identity source* (exactly one): the built-in Identity Center directory, Active Directory
#   (AWS Managed Microsoft AD, or your own AD through AD Connector), or an external SAML 2.0 IdP
#   such as Okta or Microsoft Entra ID, with SCIM to provision users and groups automatically.
# - *Permission sets* are templates of policies. Assigning one to a user or group in an account
#   creates an IAM role there (named `AWSReservedSSO_...`) which the user assumes with
#   short-lived credentials, from the access portal or `aws sso login` in the CLI.
# - MFA, session duration per permission set, attribute-based access control from IdP
#   attributes, and CloudTrail records of who did what.
#
# | Who signs in | Service |
# |---|---|
# | employees into AWS accounts and AWS-managed apps | IAM Identity Center |
# | customers into *your* application | Amazon Cognito |
# | a program or AWS service | IAM role |
#
# **GenAI angle.** Amazon Q Business, Amazon Q Developer Pro subscriptions, SageMaker Unified
# Studio and QuickSight authenticate users through Identity Center. With *trusted identity
# propagation* the user's identity flows to the service, so Q Business can return only
# documents that user may see. Data scientists get a "ML-dev" permission set in dev accounts and
# a read-only one in production, without any IAM users.
#
# *Note:* the notes still use the old name "AWS SSO" and "Azure AD"; Microsoft renamed Azure AD
# to **Microsoft Entra ID** in 2023.
#
# **Exam tip:** "workforce", "many accounts", "corporate IdP", "no IAM users" → IAM Identity
# Center with permission sets. "App end users" → Cognito.

# %%
quiz.show("security", "identity-center")

# %% [markdown]
# ## IAM Access Analyzer: find unintended and unused access <a id="access-analyzer"></a>
#
# **What it is.** A set of analyses that use automated reasoning over policies, rather than
# waiting for traffic, to tell you who *could* reach your resources.
#
# **Key facts.**
#
# - **External access analyzer** (free): you choose a *zone of trust* (the account or the whole
#   organisation). Every resource policy that grants access to a principal outside it becomes
#   a finding. Supported types include S3 buckets, IAM role trust policies, KMS keys, Lambda
#   functions, SQS queues, SNS topics, Secrets Manager secrets, EBS and RDS snapshots, ECR
#   repositories, EFS file systems and DynamoDB tables and streams. Findings are re-evaluated
#   when policies change; archive rules hide expected ones.
# - **Unused access analyzer** (paid, per analysed role/user): unused roles, access keys,
#   passwords, and services or actions granted but not used.
# - **Policy validation** (free): errors, security warnings and suggestions while you write a policy.
#   **Policy generation** builds a least-privilege policy from a role's CloudTrail activity.
# - **Custom policy checks** (paid per call): `CheckNoNewAccess`, `CheckAccessNotGranted`,
#   `CheckNoPublicAccess`: put them in a CI/CD pipeline so a change that grants, say,
#   `s3:GetObject` on the training bucket is blocked before deployment.
# - Findings go to EventBridge and Security Hub for automated remediation.
#
# **GenAI angle.** Find a training-data bucket or KMS key shared with an unknown account; shrink
# a Bedrock application role that was granted `bedrock:*` to the two actions it really used;
# gate infrastructure-as-code changes to model and data roles with custom policy checks.
#
# *Note:* the notes list SageMaker endpoints among the analysed resources: they are not an
# external-access resource type. The course sandbox has no Access Analyzer simulator, so this
# section has no exercise.
#
# **Exam tip:** "which resources are shared outside the account/organisation" or "remove unused
# permissions" → Access Analyzer. "What *happened*" → CloudTrail instead.

# %%
quiz.show("security", "access-analyzer")

# %% [markdown]
# ## Amazon Cognito: sign-in for your GenAI app's users <a id="cognito"></a>
#
# **What it is.** Customer identity for web and mobile apps.
#
# - A **user pool** is a user directory and token issuer: sign-up, sign-in, password policy,
#   MFA (SMS, TOTP, email), federation with Google, Apple, Facebook, Amazon, SAML and OIDC
#   providers, a hosted sign-in page (managed login) and Lambda triggers (for example a *pre
#   token generation* trigger that adds a `tenant_id` claim). A sign-in returns three tokens:
#   the **ID token** (who the user is, including `cognito:groups`), the **access token** (what
#   the client may do: scopes, groups) and the **refresh token**. Access and ID tokens last
#   60 minutes by default (5 minutes to 1 day); refresh tokens 30 days by default.
# - An **identity pool** swaps a token from a user pool or another IdP for temporary AWS
#   credentials via STS: an *authenticated* role, an optional *unauthenticated* (guest) role,
#   or a role chosen by rules or by the `cognito:preferred_role` of the user's group.
#
# **GenAI angle.** A chat front end signs users in with a user pool; an API Gateway Cognito
# authorizer validates the token before a Lambda function calls Bedrock. Groups such as
# `premium` choose model, quota or features; a tenant claim (added at sign-in by a pre token
# generation trigger) drives a metadata filter so each tenant's RAG queries only see its own
# documents. Build that filter from the validated token, never from a field the client sends in
# the request body, which any user can change. An identity pool *can* let a browser call
# Bedrock directly, but routing through your backend keeps guardrails, logging and throttling in
# one place.
#
# *Note:* the notes mention "magic links". Cognito's built-in passwordless sign-in (since
# November 2024) uses email/SMS one-time codes and passkeys (WebAuthn); magic links need a
# custom auth flow with Lambda triggers. Risk-based adaptive authentication is part of the
# *Plus* feature plan (threat protection).
#
# **Exam tip:** user pool = authentication and JWTs; identity pool = AWS credentials. "Give app
# users temporary, scoped AWS access" → identity pool; "protect an API with user sign-in" →
# user pool + API Gateway authorizer.

# %%
quiz.show("security", "cognito")

# %% [markdown]
# ### Exercise 2 — sign-in for a chat assistant (3 points)
#
# Your product team launches a GenAI chat assistant. Paying users are in a `premium` group,
# which the backend reads from the ID token to pick a larger model.
#
# 1. `create_chat_user_pool(idp, pool_name)` creates a user pool where users sign in with their
#    **email address** (`UsernameAttributes=["email"]`), email is auto-verified, and passwords
#    have **at least 12 characters** with upper case, lower case, numbers and symbols. It adds a
#    **public app client** (no client secret: the code runs in a browser) that allows
#    `ALLOW_USER_PASSWORD_AUTH` and `ALLOW_REFRESH_TOKEN_AUTH`, hides whether a user exists
#    (`PreventUserExistenceErrors="ENABLED"`) and issues refresh tokens valid for **7 days**;
#    and a group named `premium`. Return `{"pool_id": ..., "client_id": ...}`.
# 2. `sign_in(idp, client_id, email, password)` signs a confirmed user in with
#    `USER_PASSWORD_AUTH` and returns the `AuthenticationResult` dict (with `IdToken`,
#    `AccessToken`, `RefreshToken`). Let errors such as a wrong password propagate.
#
# Hints: `create_user_pool(PoolName=..., Policies={"PasswordPolicy": {...}}, ...)`,
# `create_user_pool_client(...)`, `create_group(...)`, `initiate_auth(...)`. Browsers normally
# use the SRP flow so the password never leaves the device; moto supports `USER_PASSWORD_AUTH`
# more simply, which is why we use it. moto also accepts any confirmation code and does not
# enforce `ExplicitAuthFlows`, so the tests read your configuration back.

# %% kind="solution" grade_id="cognito-chat-auth"
def create_chat_user_pool(idp, pool_name):
    """Create the chat app's user pool, public app client and 'premium' group; return their ids."""
    ### BEGIN SOLUTION
    pool = idp.create_user_pool(
        PoolName=pool_name,
        UsernameAttributes=["email"],
        AutoVerifiedAttributes=["email"],
        Policies={
            "PasswordPolicy": {
                "MinimumLength": 12,
                "RequireUppercase": True,
                "RequireLowercase": True,
                "RequireNumbers": True,
                "RequireSymbols": True,
            }
        },
    )["UserPool"]
    client = idp.create_user_pool_client(
        UserPoolId=pool["Id"],
        ClientName=f"{pool_name}-web",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        PreventUserExistenceErrors="ENABLED",
        RefreshTokenValidity=7,  # days, the default unit
    )["UserPoolClient"]
    idp.create_group(UserPoolId=pool["Id"], GroupName="premium")
    return {"pool_id": pool["Id"], "client_id": client["ClientId"]}
    ### END SOLUTION


def sign_in(idp, client_id, email, password):
    """Sign a confirmed user in with USER_PASSWORD_AUTH; return the AuthenticationResult dict."""
    ### BEGIN SOLUTION
    response = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": password},
    )
    return response["AuthenticationResult"]
    ### END SOLUTION


# %% kind="tests" grade_id="cognito-chat-auth-tests" points=3
"""Is the chat user pool configured safely, and does sign-in return tokens with the group claim?"""
import base64
import json
import uuid


def _claims(jwt):
    """Decode a JWT's payload (no signature check: the test only reads the claims)."""
    with checks.step("reading the claims of the IdToken sign_in returned",
                     hint="return the AuthenticationResult dict as initiate_auth gives it"):
        payload = jwt.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def _ids_of(result):
    checks.expect_type(result, dict, "create_chat_user_pool should return a dict")
    checks.expect(set(result) >= {"pool_id", "client_id"}, "the dict needs pool_id and client_id",
                  expected="{'pool_id': ..., 'client_id': ...}", found=result)
    return result


def _read_pool(idp, ids):
    with checks.step("reading back the user pool and app client whose ids you returned",
                     hint="return the Id of the user pool and the ClientId of the app client you created"):
        return (idp.describe_user_pool(UserPoolId=ids["pool_id"])["UserPool"],
                idp.describe_user_pool_client(UserPoolId=ids["pool_id"], ClientId=ids["client_id"])["UserPoolClient"])


def _new_user(idp, client_id, email, password):
    idp.sign_up(ClientId=client_id, Username=email, Password=password,
                UserAttributes=[{"Name": "email", "Value": email}])


_idp = aws.client("cognito-idp")
_ids = _ids_of(checks.call(create_chat_user_pool, _idp, f"chat-users-{uuid.uuid4().hex[:6]}"))
_pool, _client = _read_pool(_idp, _ids)
_pw = _pool.get("Policies", {}).get("PasswordPolicy", {})
checks.expect(_pw.get("MinimumLength", 0) >= 12, "passwords need at least 12 characters",
              expected="MinimumLength >= 12", found=_pw.get("MinimumLength"))
checks.expect(all(_pw.get(k) for k in ("RequireUppercase", "RequireLowercase", "RequireNumbers", "RequireSymbols")),
              "the password policy should require upper, lower, numbers and symbols", found=_pw)
checks.expect_equal(_pool.get("UsernameAttributes"), ["email"], "users should sign in with their email address")
checks.expect("ClientSecret" not in _client, "a browser app client must not have a client secret",
              hint="GenerateSecret=False")
for _flow in ("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"):
    checks.expect_in(_flow, _client.get("ExplicitAuthFlows", []), "the app client should allow this auth flow")
_email, _password = f"ana-{uuid.uuid4().hex[:6]}@example.com", "Correct-Horse-42!"
_new_user(_idp, _ids["client_id"], _email, _password)
_idp.admin_confirm_sign_up(UserPoolId=_ids["pool_id"], Username=_email)
_tokens = checks.call(sign_in, _idp, _ids["client_id"], _email, _password)
checks.expect_type(_tokens, dict, "sign_in should return the AuthenticationResult dict")
for _t in ("IdToken", "AccessToken", "RefreshToken"):
    checks.expect_in(_t, _tokens, "sign_in should return all three tokens")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_ids2 = _ids_of(checks.call(create_chat_user_pool, _idp, f"chat-{uuid.uuid4().hex[:8]}"))
checks.expect(_ids2["pool_id"] != _ids["pool_id"], "each call should create a new user pool")
_pool2, _client2 = _read_pool(_idp, _ids2)
checks.expect_equal(_client2.get("PreventUserExistenceErrors"), "ENABLED",
                    "the client should not reveal whether a user exists")
_units = _client2.get("TokenValidityUnits", {}).get("RefreshToken", "days")
_refresh_days = {"days": 1, "hours": 1 / 24, "minutes": 1 / 1440, "seconds": 1 / 86400}[_units] * _client2.get(
    "RefreshTokenValidity", 30)
checks.expect(abs(_refresh_days - 7) < 1e-6, "refresh tokens should be valid for 7 days",
              expected=7, found=_refresh_days)
checks.expect_equal(_pool2.get("AutoVerifiedAttributes"), ["email"], "email should be auto-verified")
_groups = [g["GroupName"] for g in _idp.list_groups(UserPoolId=_ids2["pool_id"])["Groups"]]
checks.expect_in("premium", _groups, "the pool needs a 'premium' group")
checks.expect_client_error("InvalidPasswordException",
                           lambda: _new_user(_idp, _ids2["client_id"], "weak@example.com", "Abcdef1!xyz"),
                           "an 11-character password should be refused")
checks.expect_client_error("InvalidPasswordException",
                           lambda: _new_user(_idp, _ids2["client_id"], "weak2@example.com", "nouppercase1!xyz"),
                           "a password without upper case should be refused")
with checks.step("signing up with a 12-character password (upper, lower, number, symbol)",
                 hint="MinimumLength is 12: a 12-character password is long enough"):
    _new_user(_idp, _ids2["client_id"], f"twelve-{uuid.uuid4().hex[:6]}@example.com", "Twelve-Chr1!")
_email2 = f"premium-{uuid.uuid4().hex[:6]}@example.com"
_new_user(_idp, _ids2["client_id"], _email2, "Premium-Tier-2025!")
_idp.admin_confirm_sign_up(UserPoolId=_ids2["pool_id"], Username=_email2)
_idp.admin_add_user_to_group(UserPoolId=_ids2["pool_id"], Username=_email2, GroupName="premium")
_tok2 = checks.call(sign_in, _idp, _ids2["client_id"], _email2, "Premium-Tier-2025!")
_id_claims = _claims(checks.get(_tok2, "IdToken", "the AuthenticationResult sign_in returned"))
checks.expect_equal(_id_claims.get("email"), _email2, "the ID token should belong to the user who signed in")
checks.expect_equal(_id_claims.get("aud"), _ids2["client_id"], "the ID token should be issued to the app client")
checks.expect_in("premium", _id_claims.get("cognito:groups", []), "the ID token should carry the premium group")
_code = checks.expect_client_error("NotAuthorizedException",
                           lambda: sign_in(_idp, _ids2["client_id"], _email2, "Wrong-Password-99!"),
                           "a wrong password should raise NotAuthorizedException (do not swallow errors)")
### END HIDDEN TESTS

# %% [markdown]
# ## AWS Directory Service: managed Active Directory <a id="directory-service"></a>
#
# **What it is.** AWS Directory Service runs or connects Microsoft Active Directory for AWS
# workloads. Three options:
#
# | Option | What it is | Choose when |
# |---|---|---|
# | **AWS Managed Microsoft AD** | real Windows Server AD run by AWS: two domain controllers in two AZs, patched and backed up for you; Standard or Enterprise edition; trusts with your on-premises AD | you need AD in AWS (Kerberos, Group Policy, LDAP), possibly trusting the corporate forest |
# | **AD Connector** | a proxy that forwards authentication to your on-premises AD; stores no directory data in AWS | users stay in the existing AD; you only need AWS services to authenticate against it |
# | **Simple AD** | a small Samba-based AD-compatible directory | a basic, low-cost directory with no trusts or advanced AD features |
#
# **What uses it.** Amazon FSx for Windows File Server and FSx for NetApp ONTAP (SMB), RDS for
# SQL Server Windows authentication, WorkSpaces, EC2 domain join, Storage Gateway SMB shares,
# Transfer Family users, and IAM Identity Center (AD as identity source).
#
# **GenAI angle.** Many enterprise documents a RAG system should index sit on Windows shares
# protected by AD groups. Joining FSx for Windows to AD keeps those ACLs; connectors such as
# those of Amazon Q Business can carry document ACLs so answers respect them. With Identity Center
# using AD as its source, data scientists reach SageMaker with their corporate login.
#
# *Note:* the notes describe Directory Service as offering Amazon Cloud Directory and Amazon
# Cognito. Those are separate services (Cloud Directory was a hierarchical data store for
# applications); Directory Service itself is the three AD options above.
#
# **Exam tip:** "keep using on-premises AD, store nothing in AWS" → AD Connector. "AD-aware
# workloads in AWS with a trust to on-premises" → AWS Managed Microsoft AD.

# %% [markdown]
# # Part 2 — Data protection
#
# Keys, encryption, sensitive-data discovery, secrets, certificates and the web firewall.

# %% [markdown]
# ## AWS KMS: keys and envelope encryption <a id="kms"></a>
#
# **What it is.** AWS Key Management Service creates and guards keys inside FIPS-validated
# hardware; most AWS services encrypt data at rest with KMS keys.
#
# | Key type | Who controls policy and rotation | Visible / audited in your account | Cost |
# |---|---|---|---|
# | **Customer managed** | you: key policy, grants, rotation, disable, deletion (7–30 day wait) | yes, CloudTrail | monthly fee + requests |
# | **AWS managed** (`aws/s3`, `aws/secretsmanager`…) | AWS; rotated every year; cannot be deleted | yes | requests only |
# | **AWS owned** | AWS, shared across accounts | no | none |
#
# **Key facts.** Symmetric keys (AES-256) never leave KMS unencrypted; asymmetric RSA/ECC keys
# sign/verify or encrypt, and their public half can be downloaded. `Encrypt` takes at most 4 KB, so large data uses **envelope encryption**: `GenerateDataKey`
# returns a data key in plaintext and encrypted under the KMS key; you encrypt the data
# locally, throw away the plaintext key and store the encrypted key next to the ciphertext.
# The **encryption context** is a set of non-secret key–value pairs bound to the ciphertext:
# decryption fails unless the same pairs are supplied, CloudTrail logs them, and key policies can
# test them (`kms:EncryptionContext:tenant`). Every key has one **key policy**, the primary
# control: IAM policies count only if the key policy lets the account delegate. **Grants** give
# temporary, narrow permission (services like EBS and Bedrock use them).
#
# **GenAI angle.** Pass a customer managed key to SageMaker (`VolumeKmsKeyId`, output `KmsKeyId`),
# Bedrock customization jobs, custom models, Knowledge Bases and agents, and OpenSearch
# Serverless encryption policies. Put the tenant ID in the encryption context. A Bedrock model
# customization job takes a *custom model KMS key* (the resulting model is encrypted with it) and
# a *VPC configuration* (its subnets and security groups, so the job reaches S3 through your VPC).
# A knowledge base or agent whose data is under a customer managed key needs `kms:Decrypt` for
# its service role, in the key policy or the role's IAM policy; otherwise ingestion fails with
# `AccessDenied` from KMS.
#
# *Note:* the notes call `aws/bedrock` an AWS *owned* key. An `aws/<service>` alias always marks an
# AWS *managed* key; AWS owned keys never appear in your account (Bedrock uses one by default).
# Customer managed keys can now rotate automatically every 90–2,560 days (default 365) or on
# demand, and old key material is kept so older ciphertext still decrypts; "manual rotation"
# means creating a new key and moving the alias. AWS now says "KMS key" instead of "CMK".
#
# **Exam tip:** "audit every use / control who decrypts / cross-account" → customer managed key.
# "Data larger than 4 KB" → data key (envelope encryption).

# %%
quiz.show("security", "kms")

# %% [markdown]
# ### Exercise 3 — envelope encryption of prompt logs with an encryption context (3 points)
#
# A multi-tenant assistant logs prompts and responses for evaluation. Each tenant's records must
# be encrypted so that a record can only be decrypted when the caller states the right tenant.
#
# 1. `envelope_encrypt(kms, key_id, plaintext, context)`: ask KMS for an AES-256 data key **bound
#    to `context`**, encrypt `plaintext` (bytes) locally with AES-GCM using a fresh random
#    12-byte nonce and no associated data, and return
#    `{"encrypted_key": ..., "nonce": ..., "ciphertext": ..., "context": ...}`. Never return the
#    plaintext data key.
# 2. `envelope_decrypt(kms, envelope)`: ask KMS to decrypt the data key with the envelope's
#    context, then decrypt the ciphertext and return the plaintext bytes.
#
# Hints: `kms.generate_data_key(KeyId=..., KeySpec="AES_256", EncryptionContext=...)`,
# `AESGCM(key).encrypt(nonce, data, None)`, `kms.decrypt(CiphertextBlob=..., EncryptionContext=...)`,
# `os.urandom(12)`. In production you would use the AWS Encryption SDK, which does exactly this
# and more (see the next section).

# %%
import os  # os.urandom for the nonce

from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # AES-GCM, authenticated encryption

# %% kind="solution" grade_id="kms-envelope"
def envelope_encrypt(kms, key_id, plaintext, context):
    """Encrypt bytes under a fresh KMS data key bound to `context`; return the envelope dict."""
    ### BEGIN SOLUTION
    data_key = kms.generate_data_key(KeyId=key_id, KeySpec="AES_256", EncryptionContext=context)
    nonce = os.urandom(12)
    ciphertext = AESGCM(data_key["Plaintext"]).encrypt(nonce, plaintext, None)
    return {
        "encrypted_key": data_key["CiphertextBlob"],
        "nonce": nonce,
        "ciphertext": ciphertext,
        "context": dict(context),
    }
    ### END SOLUTION


def envelope_decrypt(kms, envelope):
    """Decrypt an envelope made by envelope_encrypt; KMS must see the same context."""
    ### BEGIN SOLUTION
    data_key = kms.decrypt(CiphertextBlob=envelope["encrypted_key"], EncryptionContext=envelope["context"])
    return AESGCM(data_key["Plaintext"]).decrypt(envelope["nonce"], envelope["ciphertext"], None)
    ### END SOLUTION


# %% kind="tests" grade_id="kms-envelope-tests" points=3
"""Does envelope encryption round-trip, bind the encryption context and keep the data key secret?"""
import uuid

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_kms = aws.client("kms")
_key_arn = _kms.create_key(Description="prompt-log key (test)")["KeyMetadata"]["Arn"]
_ctx = {"tenant": "acme", "purpose": "prompt-log"}
_record = b'{"prompt": "Summarise the Q3 contract", "response": "..."}'
_env = checks.call(envelope_encrypt, _kms, _key_arn, _record, _ctx)
checks.expect_type(_env, dict, "envelope_encrypt should return a dict")
for _k in ("encrypted_key", "nonce", "ciphertext", "context"):
    checks.expect_in(_k, _env, "the envelope is missing a field")
for _k in ("encrypted_key", "nonce", "ciphertext"):
    checks.expect_type(_env[_k], bytes, f"the envelope's {_k} should be bytes")
checks.expect(_record not in _env["ciphertext"], "the ciphertext must not contain the plaintext")
with checks.step("asking KMS to decrypt the envelope's data key with the same context",
                 hint="pass EncryptionContext=context to generate_data_key"):
    _kms.decrypt(CiphertextBlob=_env["encrypted_key"], EncryptionContext=_ctx)
_back = checks.call(envelope_decrypt, _kms, _env)
checks.expect_equal(_back, _record, "envelope_decrypt should return the original bytes")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_key2 = _kms.create_key(Description="tenant key (hidden test)")["KeyMetadata"]["Arn"]
_ctx2 = {"tenant": f"t-{uuid.uuid4().hex[:8]}", "dataset": "eval-logs"}
_data2 = uuid.uuid4().bytes * 300  # > 4 KB: too big for kms.encrypt
_e1 = checks.call(envelope_encrypt, _kms, _key2, _data2, _ctx2)
_e2 = checks.call(envelope_encrypt, _kms, _key2, _data2, _ctx2)
for _e in (_e1, _e2):
    checks.expect_type(_e, dict, "envelope_encrypt should return a dict")
    for _k in ("encrypted_key", "nonce", "ciphertext"):
        checks.expect_type(checks.get(_e, _k, "the envelope"), bytes, f"the envelope's {_k} should be bytes")
checks.expect_equal(len(_e1["nonce"]), 12, "the nonce should be 12 random bytes (AES-GCM's standard size)",
                    hint="os.urandom(12)")
checks.expect(_e1["nonce"] != _e2["nonce"] and _e1["encrypted_key"] != _e2["encrypted_key"],
              "every call should use a fresh data key and a fresh nonce")
with checks.step("decrypting the data key with KMS"):
    _dk = _kms.decrypt(CiphertextBlob=_e1["encrypted_key"], EncryptionContext=_ctx2)
checks.expect_equal(_dk["KeyId"], _key2, "the data key should come from the key_id you were given")
checks.expect(all(_dk["Plaintext"] not in (v if isinstance(v, bytes) else str(v).encode()) for v in _e1.values()),
              "the envelope must not contain the plaintext data key")
with checks.step("decrypting the ciphertext with AES-GCM (12-byte nonce, no associated data)"):
    checks.expect_equal(AESGCM(_dk["Plaintext"]).decrypt(_e1["nonce"], _e1["ciphertext"], None), _data2,
                        "AES-GCM with the data key should recover the data")
checks.expect_equal(checks.call(envelope_decrypt, _kms, _e1), _data2, "round trip of a large record")
checks.expect_client_error("InvalidCiphertextException",
                           lambda: _kms.decrypt(CiphertextBlob=_e1["encrypted_key"]),
                           "the data key must not decrypt without the encryption context")
_wrong = dict(_e1, context={**_ctx2, "tenant": "someone-else"})
_code = checks.expect_client_error("InvalidCiphertextException", lambda: envelope_decrypt(_kms, _wrong),
                           "a record must not decrypt when another tenant's context is given",
                           hint="envelope_decrypt must pass the envelope's context to kms.decrypt")
### END HIDDEN TESTS

# %% [markdown]
# ## AWS Encryption SDK: client-side envelope encryption <a id="encryption-sdk"></a>
#
# **What it is.** An open-source client library (Python, Java, JavaScript, C, .NET, plus a
# CLI) that does envelope encryption for you, so data is encrypted *before* it reaches any
# AWS service. You did its core by hand in Exercise 3.
#
# **Key facts.**
#
# - It writes a portable **encrypted message**: the ciphertext plus the encrypted data key(s)
#   and the encryption context. Decrypting needs only that message and permission to use one
#   of the wrapping keys.
# - **Keyrings** (or master key providers in older APIs) choose the wrapping keys: AWS KMS keys,
#   raw AES or raw RSA keys, or a multi-keyring that wraps the same data key under keys in
#   several Regions for disaster recovery.
# - The default algorithm suite uses AES-256-GCM with key derivation, key commitment and an
#   ECDSA signature; the encryption context is authenticated.
# - **Data key caching** reuses data keys to cut KMS calls and latency, at a security cost
#   you bound with limits.
# - For field-level encryption in DynamoDB there is the AWS Database Encryption SDK.
#
# | | Server-side (SSE-S3 / SSE-KMS) | Client-side (Encryption SDK) |
# |---|---|---|
# | who sees plaintext | the AWS service | only your code |
# | effort | a bucket setting | code in every writer and reader |
# | services can process the data (Bedrock KB ingestion, Athena, Macie) | yes | no |
#
# **GenAI angle.** Encrypt prompt/response logs that contain personal data before they land in
# a shared analytics bucket, or model weights shipped to edge devices. Do not client-side
# encrypt documents a Bedrock Knowledge Base must read: it could not parse them.
#
# *Note:* the notes list "automatic key rotation" as an SDK feature and suggest it to encrypt
# inference payloads in transit. Rotation is done by KMS (the SDK keeps working across rotations),
# and TLS already protects data in transit; the SDK adds end-to-end protection for data that is
# stored or relayed.
#
# **Exam tip:** "AWS must never see the plaintext" or "encrypt before upload" → client-side
# encryption with the Encryption SDK.

# %%
quiz.show("security", "encryption-sdk")

# %% [markdown]
# ## Amazon Macie: find sensitive data in S3 <a id="macie"></a>
#
# **What it is.** A managed service that inventories your S3 buckets and inspects objects for
# sensitive data with machine learning and pattern matching. It looks at **S3 only**.
#
# **Key facts.**
#
# - **Bucket-level monitoring**: which buckets are public, unencrypted or shared with other accounts
#   (policy findings).
# - **Automated sensitive data discovery**: samples objects across the account every day and gives
#   each bucket a sensitivity score on an interactive data map.
# - **Sensitive data discovery jobs**: one-time or scheduled (daily, weekly, monthly), scoped by
#   bucket criteria and sampling depth.
# - **Managed data identifiers** for personal, financial, credential and health data;
#   **custom data identifiers** (regex + keywords + proximity); **allow lists** for
#   known-harmless matches.
# - Findings go to EventBridge and Security Hub; you can optionally retrieve samples of the
#   matching text (needs a KMS key configuration).
#
# | Tool | Inspects | When |
# |---|---|---|
# | Macie | objects at rest in S3 | before training or ingestion, audits |
# | Comprehend `DetectPiiEntities` | text you send it | inside a processing pipeline, to redact |
# | Bedrock Guardrails sensitive-information filters | prompts and model responses | at inference time |
# | CloudWatch Logs data protection policy | log events, such as model invocation logs | when logs are stored and read |
#
# **GenAI angle.** Scan fine-tuning datasets and Knowledge Base source buckets before use, and
# the bucket that receives Bedrock model-invocation logs. A typical pipeline: objects land →
# Macie job → finding in EventBridge → Step Functions quarantines the object or redacts it →
# only clean prefixes feed training or the Knowledge Base sync.
#
# *Note:* the notes suggest monitoring "vector store documents". Macie cannot read OpenSearch
# indexes or other vector databases; scan the S3 documents they are built from. The notes' detector
# count changes over time; the exam tests the concepts above, not the number.
#
# **Exam tip:** "discover PII in S3 / in training data at scale" → Macie. "Redact PII in prompts
# or responses" → Guardrails (or Comprehend in a pipeline).

# %%
quiz.show("security", "macie")

# %% [markdown]
# ## AWS Secrets Manager: credentials for models and vector stores <a id="secrets-manager"></a>
#
# **What it is.** A store for secrets (text or binary, up to 64 KB) such as database passwords,
# API keys and OAuth tokens, encrypted with a KMS key (the `aws/secretsmanager` AWS managed key
# unless you choose a customer managed key, which cross-account access requires).
#
# **Key facts.**
#
# - **Versions and staging labels**: `AWSCURRENT` (what readers get), `AWSPREVIOUS` (the
#   last one, for rollback) and `AWSPENDING` (during rotation). Writing a new value moves
#   `AWSCURRENT` to it and `AWSPREVIOUS` to the old one.
# - **Rotation**: *managed rotation* for some services (e.g. RDS and Aurora master passwords
#   managed by RDS); otherwise a rotation Lambda function with four steps (`createSecret`,
#   `setSecret`, `testSecret`, `finishSecret`), as often as every four hours. *Single user*
#   changes the password in place; *alternating users* switch between two users so
#   connections never break.
# - Resource policies for cross-account access, replication to other Regions, CloudTrail audit,
#   client-side caching libraries to cut calls and latency.
#
# | | Secrets Manager | SSM Parameter Store (SecureString) |
# |---|---|---|
# | built-in rotation | yes | no |
# | cross-Region replication | yes | no |
# | size | 64 KB | 4 KB standard, 8 KB advanced |
# | price | per secret per month + API calls | standard tier free |
#
# **GenAI angle.** Keys for third-party model APIs called from Lambda or agent action groups;
# credentials of the vector store. Bedrock Knowledge Bases that use Aurora PostgreSQL
# (pgvector), Pinecone, Redis Enterprise Cloud or MongoDB Atlas take a *Secrets Manager secret
# ARN* for those credentials.
#
# **Credentials of agents.** An agent on AgentCore Runtime that calls third-party APIs uses
# **AgentCore Identity**: credential providers for OAuth 2.0 (including per-user consent, so the
# agent acts on behalf of the signed-in user) and API keys, with tokens kept in a managed vault
# and fetched at run time, never pasted into code, environment variables or prompts.
#
# *Note:* the notes suggest rotating "SageMaker endpoint authentication tokens" and storing
# model-artifact encryption keys here. SageMaker endpoints are called with SigV4-signed IAM
# requests, so there is no token; encryption keys belong in KMS.
#
# **Exam tip:** "rotate automatically" → Secrets Manager (Parameter Store cannot). "Never in
# code or environment variables" → read from Secrets Manager at runtime with IAM.

# %%
quiz.show("security", "secrets-manager")

# %% [markdown]
# ### Exercise 4 — a model-provider API key with versioned rotation (3 points)
#
# Your RAG service calls an external embedding provider. Its credentials are a JSON object like
# `{"provider": "...", "api_key": "...", "org_id": "..."}`.
#
# 1. `store_provider_credentials(sm, name, credentials, kms_key_id)` creates the secret `name`
#    holding `credentials` as a **JSON string**, encrypted with the customer managed key
#    `kms_key_id`; return the secret ARN.
# 2. `rotate_api_key(sm, name, new_api_key)` writes a **new version** in which only `api_key`
#    changes (other fields are kept); return the new version's `VersionId`. Secrets Manager
#    must then label the new version `AWSCURRENT` and the old one `AWSPREVIOUS`.
# 3. `read_current_credentials(sm, name)` returns the current credentials as a dict.
#
# Hints: `create_secret(Name=..., SecretString=..., KmsKeyId=...)`, `get_secret_value`,
# `put_secret_value`. (A real rotation would also change the key at the provider, typically in a
# rotation Lambda; moto runs no Lambda code, so you write the new version yourself.)

# %%
import json  # secrets are stored as JSON strings

# %% kind="solution" grade_id="secrets-rotation"
def store_provider_credentials(sm, name, credentials, kms_key_id):
    """Create a JSON secret encrypted with kms_key_id; return its ARN."""
    ### BEGIN SOLUTION
    response = sm.create_secret(Name=name, SecretString=json.dumps(credentials), KmsKeyId=kms_key_id)
    return response["ARN"]
    ### END SOLUTION


def rotate_api_key(sm, name, new_api_key):
    """Write a new version with api_key replaced; return its VersionId."""
    ### BEGIN SOLUTION
    current = json.loads(sm.get_secret_value(SecretId=name)["SecretString"])
    current["api_key"] = new_api_key
    response = sm.put_secret_value(SecretId=name, SecretString=json.dumps(current))
    return response["VersionId"]
    ### END SOLUTION


def read_current_credentials(sm, name):
    """Return the AWSCURRENT credentials as a dict."""
    ### BEGIN SOLUTION
    return json.loads(sm.get_secret_value(SecretId=name, VersionStage="AWSCURRENT")["SecretString"])
    ### END SOLUTION


# %% kind="tests" grade_id="secrets-rotation-tests" points=3
"""Is the secret stored as encrypted JSON, and does rotation move AWSCURRENT/AWSPREVIOUS correctly?"""
import json
import uuid

_sm, _kms = aws.client("secretsmanager"), aws.client("kms")
_cmk = _kms.create_key(Description="secrets key (test)")["KeyMetadata"]["Arn"]
_name = f"genai/dev/embedding-provider-{uuid.uuid4().hex[:6]}"
_creds = {"provider": "example-embeddings", "api_key": "ek-live-0001", "org_id": "org-42"}


def _describe(name):
    with checks.step(f"reading back the secret {name}", hint="create the secret with the name you were given"):
        return _sm.describe_secret(SecretId=name)


def _version_id(value, what):
    checks.expect_type(value, str, f"{what} should return the new version's VersionId (a string)")
    return value


_sec_arn = checks.call(store_provider_credentials, _sm, _name, _creds, _cmk)
_desc = _describe(_name)
checks.expect_equal(_sec_arn, _desc["ARN"], "store_provider_credentials should return the secret ARN")
checks.expect_equal(_desc.get("KmsKeyId"), _cmk, "the secret should be encrypted with the given customer managed key")
with checks.step("parsing the stored SecretString as JSON", hint="store json.dumps(credentials)"):
    _stored = json.loads(_sm.get_secret_value(SecretId=_name)["SecretString"])
checks.expect_equal(_stored, _creds, "the secret should hold the credentials as JSON")
_v_new = _version_id(checks.call(rotate_api_key, _sm, _name, "ek-live-0002"), "rotate_api_key")
_stages = _describe(_name)["VersionIdsToStages"]
checks.expect_in("AWSCURRENT", _stages.get(_v_new, []), "the new version should be AWSCURRENT")
_read = checks.call(read_current_credentials, _sm, _name)
checks.expect_equal(checks.get(_read, "api_key", "the credentials read_current_credentials returned"), "ek-live-0002",
                    "read_current_credentials should return the rotated key")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_name2 = f"genai/prod/llm-provider-{uuid.uuid4().hex[:8]}"
_creds2 = {"provider": f"p-{uuid.uuid4().hex[:4]}", "api_key": uuid.uuid4().hex, "org_id": uuid.uuid4().hex[:6]}
checks.call(store_provider_credentials, _sm, _name2, _creds2, _cmk)
_v0 = [v for v, s in _describe(_name2)["VersionIdsToStages"].items() if "AWSCURRENT" in s][0]
_k1, _k2 = uuid.uuid4().hex, uuid.uuid4().hex
_v1 = _version_id(checks.call(rotate_api_key, _sm, _name2, _k1), "rotate_api_key")
_v2 = _version_id(checks.call(rotate_api_key, _sm, _name2, _k2), "rotate_api_key")
_stages2 = _describe(_name2)["VersionIdsToStages"]
checks.expect(len({_v0, _v1, _v2}) == 3, "each rotation should create a new version", found=[_v0, _v1, _v2])
checks.expect_in("AWSCURRENT", _stages2.get(_v2, []), "the latest version should be AWSCURRENT")
checks.expect_in("AWSPREVIOUS", _stages2.get(_v1, []), "the version before it should be AWSPREVIOUS")
checks.expect_equal(_stages2.get(_v0, []), [], "the original version should have no label after two rotations")
_prev = json.loads(_sm.get_secret_value(SecretId=_name2, VersionStage="AWSPREVIOUS")["SecretString"])
checks.expect_equal(_prev, dict(_creds2, api_key=_k1), "AWSPREVIOUS should hold the first rotated key, other fields kept")
_now = checks.call(read_current_credentials, _sm, _name2)
checks.expect_equal(_now, dict(_creds2, api_key=_k2), "the current credentials should keep provider and org_id")
_sm.put_secret_value(SecretId=_name2, SecretString=json.dumps(dict(_creds2, api_key="set-by-rotation-lambda")))
_read2 = checks.call(read_current_credentials, _sm, _name2)
checks.expect_equal(checks.get(_read2, "api_key", "the credentials read_current_credentials returned"),
                    "set-by-rotation-lambda",
                    "read_current_credentials should read the secret each time (no hard-coded or cached value)")
### END HIDDEN TESTS

# %% [markdown]
# ## AWS Certificate Manager: TLS for GenAI endpoints <a id="acm"></a>
#
# **What it is.** ACM issues, stores and renews X.509 certificates for TLS.
#
# **Key facts.**
#
# - **Public certificates** are free when used with integrated services: Elastic Load Balancing,
#   CloudFront, API Gateway custom domains, App Runner, AppSync and others. You prove domain
#   control by **DNS validation** (a CNAME record; renewal is then automatic while the record
#   stays) or by email.
# - **Private certificates** come from **AWS Private CA** (a paid private certificate
#   authority) for internal service-to-service TLS and mutual TLS.
# - ACM renews certificates it issued; **imported** third-party certificates must be renewed and
#   re-imported by you (ACM sends expiry events to EventBridge).
# - Certificates are Regional. CloudFront (and edge-optimised API Gateway endpoints) use
#   certificates from **us-east-1**; an ALB or Regional API uses one from its own Region.
# - By default an ACM public certificate's private key cannot be exported, so you cannot install
#   it on your own EC2 web server; since 2025 you can request an *exportable* public certificate
#   for a fee.
#
# **GenAI angle.** A custom domain such as `chat.example.com` for the API Gateway or ALB in
# front of a Bedrock-backed app; TLS on the ALB that fronts a self-hosted model on EC2 or EKS;
# mutual TLS (API Gateway with a truststore in S3) for a B2B inference API whose callers present
# client certificates issued by your Private CA.
#
# **Exam tip:** "CloudFront + ACM certificate" → request it in us-east-1. "Certificate renewals
# keep failing / expiring" → switch to DNS validation, and remember imported certificates are
# not auto-renewed.

# %% [markdown]
# ## AWS WAF: filter traffic to GenAI APIs <a id="waf"></a>
#
# **What it is.** A layer-7 firewall. A **web ACL** holds ordered **rules** and **rule groups**;
# each rule has a statement (what to inspect) and an action (Allow, Block, Count, CAPTCHA,
# Challenge). Attach a web ACL to CloudFront, an Application Load Balancer, an API Gateway REST
# API stage, AppSync, a Cognito user pool, App Runner, Verified Access or Amplify.
#
# **Key facts.**
#
# - **Managed rule groups**: AWS Core rule set (OWASP-style), Known bad inputs, SQL injection,
#   IP reputation, paid Bot Control and account-takeover/fraud groups, plus Marketplace sellers.
# - **Custom rules**: string or regex match, size constraints, geo match, IP sets, labels.
# - **Rate-based rules**: block or count clients above a limit in a window of 1, 2, 5 or 10
#   minutes, keyed by IP, forwarded IP, or custom keys such as a header (e.g. an API key)
#   or query argument.
# - **Body inspection limit**: ALB and AppSync inspect the first 8 KB; CloudFront, API Gateway,
#   Cognito, App Runner and Verified Access 16 KB by default, raisable to 64 KB. Choose what
#   happens to oversized bodies.
# - Logs to CloudWatch Logs, S3 or Firehose; Firewall Manager applies web ACLs across an organisation.
#
# **GenAI angle.** Rate-limit per user or API key so one client cannot exhaust Bedrock quotas
# or your bill ("denial of wallet"); block oversized prompts with a size constraint; stop bots
# scraping generated content; geo-restrict where required. Regex rules catch only crude prompt
# injection; semantic attacks need Bedrock Guardrails' prompt-attack filter behind the firewall.
#
# *Note:* the notes say WAF protects "API Gateway REST/HTTP APIs". HTTP APIs cannot be associated
# with WAF: use a REST API, or put CloudFront with WAF in front. The rate limit is configurable
# (minimum 10 requests per window), not a fixed 2,000 per 5 minutes.
#
# **Exam tip:** "SQL injection / XSS / bad bots / request floods from IPs" → WAF. "DDoS at
# layers 3/4" → Shield. "Harmful prompt content" → Guardrails.

# %%
quiz.show("security", "waf")

# %% [markdown]
# # Part 3 — Storage for GenAI data
#
# Where training data, documents, artifacts and logs live, how they are protected, and what it costs.

# %% [markdown]
# ## Amazon S3: the training-data and artifact store <a id="s3"></a>
#
# **What it is.** Object storage: buckets (globally unique names, one Region) hold objects (up to
# 5 TB; a single PUT up to 5 GB; multipart parts of 5 MiB–5 GiB) with strong read-after-write
# consistency; each prefix sustains 3,500 writes and 5,500 reads per second. **Access points**
# give each application its own hostname and policy on a shared bucket; **event notifications**
# (SQS, SNS, Lambda, EventBridge) start pipelines; **Mountpoint for Amazon S3** reads a bucket
# like a local file system, handy for training jobs.
#
# | Storage class | Min. storage duration | Min. billable size | First byte |
# |---|---|---|---|
# | Standard | none | none | milliseconds |
# | Intelligent-Tiering | none | objects < 128 KB are not tiered | ms (optional archive tiers: hours) |
# | Standard-IA / One Zone-IA (one AZ) | 30 days | 128 KB | ms, per-GB retrieval fee |
# | Glacier Instant Retrieval | 90 days | 128 KB | ms, higher retrieval fee |
# | Glacier Flexible Retrieval | 90 days | ~40 KB overhead per object | expedited 1–5 min, standard 3–5 h, bulk 5–12 h |
# | Glacier Deep Archive | 180 days | ~40 KB overhead per object | standard within 12 h, bulk within 48 h |
#
# **Security.** Since January 2023 every new object is encrypted at rest by default with
# **SSE-S3**. Stronger options: **SSE-KMS** (key policy and CloudTrail audit; an **S3 Bucket
# Key** cuts KMS requests and cost), **DSSE-KMS** (two layers), SSE-C (your key, sent with each
# request; since April 2026 new general purpose buckets block SSE-C uploads unless you enable it)
# and client-side encryption. Since April 2023 new buckets have **Block Public Access**
# on and ACLs disabled. Bucket policies can require TLS (`aws:SecureTransport`) or a VPC endpoint
# (`aws:SourceVpce`). **Object Lock** (write once, read
# many) needs versioning: *Governance* mode lets principals with `s3:BypassGovernanceRetention`
# delete early, *Compliance* mode lets nobody, not even root, until the date passes; legal
# holds have no end date. Presigned URLs last up to 7 days (SigV4) and no longer than the
# credentials that signed them.
#
# **GenAI angle.** Training data, model artifacts, Knowledge Base sources, batch-inference input
# and output, model-invocation logs.
#
# *Note:* the notes omit the SSE-S3 default and DSSE-KMS; they list S3 Select, which AWS closed to
# new customers in July 2024 (use Athena or a GET with a byte range); Deep Archive's "12 hours"
# is the standard tier only (bulk takes up to 48 h); and multipart parts range from 5 MiB to 5 GiB.
#
# **Exam tip:** "tamper-proof training data / audit retention" → Object Lock. "Audit who decrypted"
# → SSE-KMS with a customer managed key. "Lower KMS cost for many objects" → Bucket Key.

# %%
quiz.show("security", "s3")

# %% [markdown]
# ### Exercise 5 — a tamper-resistant training-data bucket (3 points)
#
# Auditors ask that the curated fine-tuning dataset cannot be silently altered or deleted for a
# retention period, is encrypted with the ML platform's customer managed key, and can never be
# made public. Data-protection officers must still be able to erase a record when a person
# exercises their right to erasure, so you choose **Governance** mode (a privileged role can
# bypass it) rather than Compliance mode.
#
# Write `create_training_data_bucket(s3, bucket, kms_key_arn, retention_days)` that creates
# `bucket` with:
#
# 1. **Object Lock** enabled (it switches on versioning) with a default retention of
#    `retention_days` days in **GOVERNANCE** mode;
# 2. default encryption **SSE-KMS** with `kms_key_arn` and the **S3 Bucket Key** enabled;
# 3. all four **Block Public Access** settings on.
#
# Hints: `create_bucket(Bucket=..., ObjectLockEnabledForBucket=True)` (in us-east-1 there is no
# `CreateBucketConfiguration`), `put_object_lock_configuration`, `put_bucket_encryption`,
# `put_public_access_block`. (The simulator does not apply the SSE-S3 default that real S3 applies
# to buckets without a configuration, which does not matter here.)

# %% kind="solution" grade_id="s3-locked-bucket"
def create_training_data_bucket(s3, bucket, kms_key_arn, retention_days):
    """Create a versioned, Object-Lock (GOVERNANCE), SSE-KMS, non-public bucket for training data."""
    ### BEGIN SOLUTION
    s3.create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=True)
    s3.put_object_lock_configuration(
        Bucket=bucket,
        ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": retention_days}},
        },
    )
    s3.put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [
                {
                    "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": kms_key_arn},
                    "BucketKeyEnabled": True,
                }
            ]
        },
    )
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    ### END SOLUTION


# %% kind="tests" grade_id="s3-locked-bucket-tests" points=3
"""Is the bucket versioned, Object-Locked in Governance mode, SSE-KMS with a Bucket Key and non-public?"""
import datetime
import uuid

_s3, _kms = aws.client("s3"), aws.client("kms")


def _read_config(bucket):
    with checks.step(f"reading the configuration of bucket {bucket}",
                     hint="create the bucket and put the lock, encryption and public-access-block settings"):
        return {
            "versioning": _s3.get_bucket_versioning(Bucket=bucket).get("Status"),
            "lock": _s3.get_object_lock_configuration(Bucket=bucket)["ObjectLockConfiguration"],
            "sse": _s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0],
            "pab": _s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"],
        }


_ml_key = _kms.create_key(Description="ML platform key (test)")["KeyMetadata"]["Arn"]
_bkt = f"sec-curated-{uuid.uuid4().hex[:10]}"
checks.call(create_training_data_bucket, _s3, _bkt, _ml_key, 30)
_cfg = _read_config(_bkt)
checks.expect_equal(_cfg["versioning"], "Enabled", "versioning should be enabled")
checks.expect_equal(_cfg["lock"].get("ObjectLockEnabled"), "Enabled", "Object Lock should be enabled")
_ret = _cfg["lock"].get("Rule", {}).get("DefaultRetention", {})
checks.expect_equal((_ret.get("Mode"), _ret.get("Days")), ("GOVERNANCE", 30),
                    "default retention should be GOVERNANCE for retention_days days")
_by_default = _cfg["sse"].get("ApplyServerSideEncryptionByDefault", {})
checks.expect_equal((_by_default.get("SSEAlgorithm"), _by_default.get("KMSMasterKeyID")), ("aws:kms", _ml_key),
                    "default encryption should be SSE-KMS with the given key")
checks.expect(_cfg["sse"].get("BucketKeyEnabled") is True, "the S3 Bucket Key should be enabled",
              hint="BucketKeyEnabled=True in the encryption rule")
checks.expect(all(_cfg["pab"].get(k) for k in ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy",
                                                 "RestrictPublicBuckets")),
              "all four Block Public Access settings should be on", found=_cfg["pab"])
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_key3 = _kms.create_key(Description="other key (hidden)")["KeyMetadata"]["Arn"]
_bkt3 = f"sec-ft-{uuid.uuid4().hex[:12]}"
_days3 = 7 + uuid.uuid4().int % 50
checks.call(create_training_data_bucket, _s3, _bkt3, _key3, _days3)
_cfg3 = _read_config(_bkt3)
checks.expect_equal(_cfg3["lock"].get("Rule", {}).get("DefaultRetention", {}).get("Days"), _days3,
                    "the retention should use the retention_days argument")
_v1 = _s3.put_object(Bucket=_bkt3, Key="curated/train.jsonl", Body=b'{"text": "v1"}')
_v2 = _s3.put_object(Bucket=_bkt3, Key="curated/train.jsonl", Body=b'{"text": "v2"}')
_head = _s3.head_object(Bucket=_bkt3, Key="curated/train.jsonl", VersionId=_v1["VersionId"])
checks.expect_equal((_head.get("ServerSideEncryption"), _head.get("SSEKMSKeyId"), _head.get("BucketKeyEnabled")),
                    ("aws:kms", _key3, True), "a new object should be SSE-KMS encrypted with the bucket key by default")
checks.expect_equal(_head.get("ObjectLockMode"), "GOVERNANCE", "a new object should get the default retention")
_until = _head.get("ObjectLockRetainUntilDate")
_expected_until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=_days3)
checks.expect(_until is not None and abs((_until - _expected_until).total_seconds()) < 2 * 86400,
              "objects should be retained for retention_days", expected=_expected_until, found=_until)
_versions = _s3.list_object_versions(Bucket=_bkt3, Prefix="curated/").get("Versions", [])
checks.expect(len(_versions) == 2, "overwriting should keep both versions", found=len(_versions))
_code = checks.expect_client_error("AccessDenied",
                           lambda: _s3.delete_object(Bucket=_bkt3, Key="curated/train.jsonl", VersionId=_v1["VersionId"]),
                           "deleting a locked version without bypass should be refused")
### END HIDDEN TESTS

# %% [markdown]
# ## S3 Intelligent-Tiering: automatic tiers for unknown access patterns <a id="s3-intelligent-tiering"></a>
#
# **What it is.** A storage class that watches each object's access and moves it between tiers
# for you, with **no retrieval fees** and **no minimum storage duration**.
#
# | Tier | Object moves there after | Access |
# |---|---|---|
# | Frequent Access | upload, or any access | ms |
# | Infrequent Access | 30 consecutive days without access | ms |
# | Archive Instant Access | 90 days without access | ms |
# | Archive Access (optional) | a threshold you set, 90–730 days | restore first: minutes to hours |
# | Deep Archive Access (optional) | a threshold you set, 180–730 days | restore first: within 12 h |
#
# Any access to an object in the first three tiers moves it back to Frequent Access. The optional
# tiers are switched on per bucket (prefix or tag filters) with an **Intelligent-Tiering archive
# configuration**; objects there must be restored before they can be read.
#
# **Costs.** A monitoring and automation fee per object (in us-east-1 $0.0025 per 1,000 objects
# per month) applies only to objects of **128 KB or more**. Smaller objects are never moved: they
# always pay the Frequent Access rate and no monitoring fee.
#
# **When to choose it.** Long-lived data with unknown or changing access: RAG corpora where a
# few documents are hot, experiment datasets, model checkpoints someone may compare later.
# Prefer lifecycle rules when the pattern is known in advance (they reach cheaper classes sooner),
# and skip it for data made of many tiny objects.
#
# *Note:* two statements in the notes are wrong. Objects under 128 KB are *not* billed as 128 KB
# in Intelligent-Tiering; they stay in Frequent Access without the monitoring fee (the 128 KB
# minimum billable size belongs to Standard-IA, One Zone-IA and Glacier Instant Retrieval). And
# the archive tiers are activated with the bucket's Intelligent-Tiering configuration, not with a
# lifecycle rule; lifecycle rules can only move objects *into* Intelligent-Tiering.
#
# **Exam tip:** "unpredictable access, no retrieval fees, no operational effort" →
# Intelligent-Tiering. "Known access pattern, cheapest" → lifecycle transitions.

# %%
quiz.show("security", "s3-intelligent-tiering")

# %% [markdown]
# ## S3 Lifecycle: transitions and expirations by rule <a id="s3-lifecycle"></a>
#
# **What it is.** Rules on a bucket that S3 applies to matching objects asynchronously, once a day:
#
# - **Filters**: prefix, object tags, object size (`ObjectSizeGreaterThan` / `LessThan`), or
#   all objects; up to 1,000 rules per bucket.
# - **Actions**: `Transitions` to a colder class; `Expiration` of current versions;
#   `NoncurrentVersionTransitions` / `NoncurrentVersionExpiration` (optionally keep the newest N
#   noncurrent versions); `AbortIncompleteMultipartUpload`; removal of expired delete markers.
# - **API class names**: `STANDARD_IA`, `ONEZONE_IA`, `INTELLIGENT_TIERING`, `GLACIER_IR`,
#   `GLACIER` (= Glacier Flexible Retrieval), `DEEP_ARCHIVE`.
#
# **Rules the exam likes.** Transitions only go "down" the waterfall. An object must be at least
# 30 days old before it moves to Standard-IA or One Zone-IA. Moving or deleting an object before
# its class's minimum duration bills the remaining days. Since September 2024, by default,
# objects smaller than 128 KB are not transitioned. Each transition is a billed request, so
# millions of tiny objects can cost more to move than they save. Lifecycle cannot delete object
# versions protected by Object Lock.
#
# **GenAI angle.** Expire prompt/response logs after the retention your policy states; expire
# intermediate chunking and embedding outputs after a few days; keep the newest 3 noncurrent
# versions of checkpoints; archive finished fine-tuning datasets that must be kept for audits.
#
# *Note:* the `GLACIER` class in the notes' example policy is the storage class now called
# **S3 Glacier Flexible Retrieval**; Glacier Instant Retrieval is a different class (`GLACIER_IR`).
#
# **Exam tip:** "delete after N days / move to Glacier after training" → lifecycle rule. "Storage
# cost keeps growing from failed uploads" → `AbortIncompleteMultipartUpload`.
#
# ### What the choice costs: a 50 TB training dataset over two years
#
# A 50 TB fine-tuning dataset (about 51,200 GB in 100 MB shards, so 512,000 objects) is read
# heavily in its first month of training, then almost never. Compare three ways to store it,
# using us-east-1 list prices per GB-month as of 2025 (illustrative; check the S3 pricing page):
#
# | Class / tier | $ per GB-month |
# |---|---|
# | S3 Standard (first 50 TB) | 0.023 |
# | Standard-IA; Intelligent-Tiering Infrequent Access | 0.0125 |
# | Intelligent-Tiering Archive Instant Access | 0.004 |
# | Glacier Flexible Retrieval | 0.0036 |
# | Glacier Deep Archive | 0.00099 |
# | Intelligent-Tiering monitoring | $0.0025 per 1,000 objects |
#
# The lifecycle policy is Standard → Standard-IA at 30 days → Glacier Flexible Retrieval at 90
# days → Deep Archive at 180 days. Request, transition and retrieval charges are left out (for
# 512,000 objects the transitions cost tens of dollars once).

# %%
import matplotlib.pyplot as plt
import pandas as pd

GB = 50 * 1024  # 50 TB
OBJECTS = GB * 1024 // 100  # 100 MB shards
PRICE = {"standard": 0.023, "ia": 0.0125, "it_aia": 0.004, "gfr": 0.0036, "deep": 0.00099}
IT_MONITORING = 0.0025 / 1000 * OBJECTS  # dollars per month


def intelligent_tiering(month):
    """Month 1 frequent, months 2-3 infrequent (30 d idle), then Archive Instant Access (90 d idle)."""
    rate = PRICE["standard"] if month == 1 else PRICE["ia"] if month <= 3 else PRICE["it_aia"]
    return GB * rate + IT_MONITORING


def lifecycle(month):
    """Standard for 30 d, Standard-IA to day 90, Glacier Flexible Retrieval to day 180, then Deep Archive."""
    rate = (PRICE["standard"] if month == 1 else PRICE["ia"] if month <= 3
            else PRICE["gfr"] if month <= 6 else PRICE["deep"])
    return GB * rate


months = range(1, 25)
cost = pd.DataFrame(
    {
        "S3 Standard": [GB * PRICE["standard"] for _ in months],
        "Intelligent-Tiering": [intelligent_tiering(m) for m in months],
        "Lifecycle policy": [lifecycle(m) for m in months],
    },
    index=pd.Index(months, name="month"),
)

fig, (ax_month, ax_total) = plt.subplots(1, 2, figsize=(11, 4))
styles = ["-", "-", "--"]  # dashed lifecycle line: it equals Intelligent-Tiering for months 1-3
cost.plot(ax=ax_month, drawstyle="steps-mid", marker=".", style=styles)
ax_month.set(title="Monthly storage cost", xlabel="Month after upload", ylabel="US$ per month", ylim=(0, None))
cost.cumsum().plot(ax=ax_total, style=styles)
ax_total.set(title="Cumulative storage cost", xlabel="Month after upload", ylabel="US$ (cumulative)")
for ax in (ax_month, ax_total):
    ax.grid(alpha=0.3)
fig.suptitle("50 TB training dataset, us-east-1 list prices (2025), storage only")
fig.tight_layout()
plt.show()
print(cost.sum().round(0).to_string())

# %% [markdown]
# **Reading the chart.** All three strategies cost the same in month 1. Intelligent-Tiering cuts
# the two-year bill to about a quarter of Standard's (24%) without anyone writing a rule, and the
# data stays readable in milliseconds with no retrieval fee. The lifecycle policy is cheapest
# (about 14% of Standard's) *because we knew the data would go cold*. The price of that bet: re-running a training job after month 6 first needs a Deep
# Archive restore (up to 12 hours, or 48 hours in bulk) plus retrieval fees. Known pattern →
# lifecycle; unknown pattern → Intelligent-Tiering (optionally with its archive tiers).

# %%
quiz.show("security", "s3-lifecycle")

# %% [markdown]
# ## S3 Cross-Region Replication: copies in another Region <a id="s3-replication"></a>
#
# **What it is.** Replication rules copy new objects asynchronously from a source bucket to a
# destination bucket: in another Region (CRR) or the same Region (SRR), in the same or another
# account. Most objects arrive within seconds to minutes; **Replication Time Control** (RTC)
# adds an SLA of 99.99% of objects within 15 minutes plus replication metrics.
#
# **Requirements.**
#
# - **Versioning on both** the source and the destination bucket.
# - An IAM role that S3 assumes, with permission to read the source and replicate to the destination.
# - Cross-account: a destination bucket policy that allows the role; optionally change replica
#   ownership to the destination account.
# - SSE-KMS objects replicate only if the rule opts in (`SseKmsEncryptedObjects`) and the role
#   may decrypt with the source key and encrypt with the destination key.
# - With Object Lock on the source, the destination needs Object Lock too.
#
# **What is (not) replicated.** Only objects written *after* the rule exists: existing objects,
# and objects that failed, need **S3 Batch Replication**. Delete markers replicate only if you
# enable it; deletions of a specific version never replicate (protection against malicious
# deletes). Replicas of replicas are not chained onward, except with two-way rules between two
# buckets, where *replica modification sync* keeps metadata in step. Filters by prefix or tag
# limit what is copied.
#
# **GenAI angle.** A disaster-recovery copy of fine-tuning datasets and model artifacts; a copy
# near a training cluster in another Region; replicate only the `curated/` prefix so raw personal
# data never leaves its home Region for residency reasons.
#
# *Note:* the notes say versioning is required on the source; it is required on **both** buckets.
# "Replicates existing objects optionally" means running S3 Batch Replication. The simulator stores
# replication configuration but copies nothing.
#
# **Exam tip:** "existing objects not replicated" → Batch Replication. "Replication SLA" → RTC.

# %%
quiz.show("security", "s3-replication")

# %% [markdown]
# ## Amazon EBS: block storage for one instance <a id="ebs"></a>
#
# **What it is.** Network block volumes for EC2, each living in **one Availability Zone** and
# normally attached to one instance (io1/io2 support Multi-Attach within the AZ).
#
# | Volume | For | Notes |
# |---|---|---|
# | **gp3** (SSD) | default choice | 3,000 IOPS and 125 MiB/s baseline at any size; buy more IOPS/throughput separately; cheaper per GB than gp2 |
# | gp2 (SSD) | older general purpose | IOPS grow with size (3 per GB), burst credits |
# | **io2 Block Express** (SSD) | databases, latency-critical I/O | highest provisioned IOPS, sub-millisecond, 99.999% durability |
# | **st1** (HDD) | large sequential reads (logs, ETL) | throughput-optimised; cannot be a boot volume |
# | **sc1** (HDD) | cold, rarely read data | cheapest; cannot be a boot volume |
#
# **Snapshots** are incremental, stored by AWS in S3, copyable to other Regions and accounts,
# restorable in any AZ; Fast Snapshot Restore removes first-read latency, the Recycle Bin
# protects against accidental deletion.
#
# **Encryption** uses KMS, with no noticeable performance cost; data at rest, snapshots and data
# moving between volume and instance are all encrypted. Turn on **encryption by default** per
# Region. To share an encrypted snapshot with another account, it must use a customer managed key
# that the other account may use (snapshots under the AWS managed key cannot be shared).
#
# **GenAI angle.** SageMaker training and notebook instances get an EBS "ML storage volume"
# encrypted with `VolumeKmsKeyId`; a self-managed inference server loads model weights from a gp3
# volume. For data that many nodes read at once, use EFS or FSx for Lustre instead.
#
# *Note:* the notes say encryption "cannot be added later". You cannot encrypt a volume in place,
# but you can snapshot it, copy the snapshot with encryption on, and create a new encrypted
# volume from it.
#
# **Exam tip:** "single instance, low-latency block storage" → EBS gp3 (io2 for extreme IOPS).
# "Shared by many instances" → not EBS.

# %%
quiz.show("security", "ebs")

# %% [markdown]
# ## Amazon EFS: shared NFS file system <a id="efs"></a>
#
# **What it is.** A managed, elastic NFS (v4.0/4.1) file system for **Linux** clients that grows
# and shrinks with your files. Thousands of clients can mount it at once: EC2, ECS, EKS, Lambda
# (in a VPC) and SageMaker (Studio home directories, training input).
#
# **Key facts.**
#
# - **File system types**: *Regional* (data stored across several AZs) or *One Zone* (one AZ,
#   cheaper, for data you can recreate).
# - **Storage classes**: Standard, Infrequent Access (IA) and Archive; lifecycle management moves
#   files that were not read for a chosen number of days, and can move them back on first access.
# - **Throughput modes**: *Elastic* (scales automatically, pay per use; the recommended default),
#   *Provisioned*, *Bursting* (scales with stored size).
# - **Performance modes**: *General Purpose* (recommended); *Max I/O* is a legacy option, not
#   available with Elastic throughput or One Zone.
# - Security: encryption at rest with KMS (chosen at creation), TLS in transit via the mount helper
#   (`-o tls`), security groups on mount targets, file system policies (e.g. require TLS), and
#   **access points** that force a POSIX user and root directory per application.
# - Protected by AWS Backup; replication to another Region.
#
# **GenAI angle.** Shared prompt templates and tool configuration for Lambda-based agents,
# SageMaker Studio home directories, small model files or tokenizers shared across containers.
# For very large datasets feeding GPU clusters at high throughput, FSx for Lustre fits better.
#
# *Note:* the notes list "EFS One Zone" as a storage class and quote fixed savings percentages.
# One Zone is a file system type; the Archive class arrived in late 2023; take discounts from the
# current pricing page rather than memorising them.
#
# **Exam tip:** "shared POSIX file system for many Linux clients, no capacity planning" → EFS.
# "Windows / SMB" → FSx for Windows File Server.

# %%
quiz.show("security", "efs")

# %% [markdown]
# ## Amazon FSx: Windows File Server, Lustre and more <a id="fsx"></a>
#
# **What it is.** Managed file systems built on familiar engines; you pick the engine for the
# workload.
#
# | FSx for… | Protocols | Sweet spot | Key facts |
# |---|---|---|---|
# | **Windows File Server** | SMB, NTFS ACLs | Windows apps, home directories, SharePoint-style shares | joins AWS Managed Microsoft AD or your own AD; Single-AZ or Multi-AZ; shadow copies, DFS namespaces, data deduplication |
# | **Lustre** | Lustre (POSIX, Linux client) | ML training, HPC, media | sub-millisecond latency, up to hundreds of GB/s and millions of IOPS; links to S3 through data repository associations (lazy load on first read, export of changes) |
# | **NetApp ONTAP** | NFS, SMB, iSCSI, NVMe/TCP | lift-and-shift NetApp, multiprotocol | Multi-AZ, tiering to a capacity pool, snapshots, SnapMirror, FlexClone |
# | **OpenZFS** | NFS | low-latency Linux workloads moving from ZFS | snapshots and clones |
#
# **FSx for Lustre deployment types.** *Scratch*: temporary, fastest per dollar; data is not
# replicated and is lost if a file server fails. *Persistent*: for longer jobs and storage;
# data is replicated within the file system's AZ and failed servers are replaced.
#
# | Storage at a glance | Attaches to | Shared? | Protocol |
# |---|---|---|---|
# | EBS | one EC2 instance (one AZ) | no (except io2 Multi-Attach) | block |
# | EFS | many Linux clients, multi-AZ | yes | NFS |
# | FSx for Lustre | many Linux clients | yes, parallel | Lustre |
# | FSx for Windows | Windows/SMB clients | yes | SMB |
# | S3 | anything over HTTPS | yes | object API |
#
# **GenAI angle.** FSx for Lustre linked to the S3 data lake keeps GPUs busy during
# fine-tuning and pre-training (SageMaker training jobs and HyperPod clusters can mount it). FSx
# for Windows or ONTAP shares hold enterprise documents a RAG assistant indexes, with their AD
# permissions.
#
# **Exam tip:** "hundreds of GB/s for training, S3-backed" → FSx for Lustre (scratch if temporary).
# "SMB + Active Directory" → FSx for Windows File Server.

# %% [markdown]
# ## AWS Storage Gateway: on-premises access to cloud storage <a id="storage-gateway"></a>
#
# **What it is.** A gateway appliance that you run on premises (a VM on VMware, Hyper-V or KVM)
# or on EC2. It offers local storage protocols, keeps a local cache, and stores the data in AWS.
#
# | Gateway type | Local protocol | Data ends up in | Typical use |
# |---|---|---|---|
# | **S3 File Gateway** | NFS or SMB | S3 objects (one file = one object) | on-premises apps write files that cloud services process |
# | **Volume Gateway** | iSCSI block volumes, *cached* or *stored* mode | S3, with snapshots as EBS snapshots | backup and DR of on-premises volumes |
# | **Tape Gateway** | iSCSI virtual tape library | S3, archived to Glacier Flexible Retrieval / Deep Archive | replace physical tapes without changing backup software |
#
# **Key facts.** SMB shares authenticate users through Active Directory (or guest access).
# An interface VPC endpoint (PrivateLink) lets the gateway talk to the Storage Gateway service
# over private IP addresses through Direct Connect or VPN, instead of the public endpoint.
# Amazon FSx File Gateway is no longer offered to new customers (since late 2024).
#
# **GenAI angle.** A lab or factory writes documents and images to an SMB share; S3 File
# Gateway turns them into S3 objects that trigger a pipeline: Macie scan, then a Knowledge Base
# sync or a training-data update. For one-off or scheduled bulk moves, DataSync is the
# better fit; for partners sending files, Transfer Family.
#
# *Note:* the notes' sentence that with a VPC endpoint "all communication goes through the public
# service endpoint" is muddled: the point of the VPC endpoint is that the traffic stays private.
#
# **Exam tip:** "on-premises apps keep using NFS/SMB but data must land in S3" → S3 File Gateway.
# "Replace tapes" → Tape Gateway.

# %% [markdown]
# ## Amazon File Cache: a fast cache over scattered data <a id="file-cache"></a>
#
# **What it is.** A temporary, high-speed cache (built on Lustre) placed in front of data that
# lives elsewhere: on-premises or in-cloud **NFS (v3)** file systems, or **S3** buckets, possibly
# in several Regions. It shows them under one namespace close to your compute.
#
# **Key facts.**
#
# - Linked through **data repository associations** (up to 8 per cache, all of the same type:
#   all NFS or all S3), each mapping a repository path such as `s3://bucket/prefix/` to a
#   cache path such as `/ns1/`.
# - Data is loaded **lazily** on first read (or preloaded); changes written to the cache reach
#   the repository only when you **export** them.
# - Size: 1.2 TiB, or any multiple of 2.4 TiB. Clients are Linux EC2 instances, ECS or EKS with the
#   **Lustre client** installed.
#
# | | Amazon File Cache | FSx for Lustre |
# |---|---|---|
# | backing data | NFS (incl. on-premises) or S3, several Regions | S3 |
# | lifetime | temporary cache for a burst of work | scratch or persistent file system |
#
# **GenAI angle.** A burst of GPU training or batch inference in the cloud on a dataset that stays
# on the on-premises NAS: the cache fetches what the job reads without migrating everything first.
#
# *Note:* the notes say the cache "mounts NFSv3 or S3". Clients always mount the cache with the
# Lustre client; NFSv3 and S3 are the *repositories behind* it.
#
# **Exam tip:** "burst compute in AWS on data that stays on premises (NFS) or is spread across
# Regions" → File Cache.

# %% [markdown]
# ## AWS Transfer Family: managed SFTP, FTPS, FTP and AS2 <a id="transfer"></a>
#
# **What it is.** Fully managed file-transfer endpoints that store files directly in **S3 or
# EFS**, so partners keep their usual tools and you run no servers.
#
# **Key facts.**
#
# - Protocols: **SFTP**, **FTPS**, **FTP** (only inside a VPC, never public) and **AS2** for
#   business-to-business messages.
# - Endpoints: public, or VPC-hosted (internal, or internet-facing with Elastic IPs and security
#   groups for allow-lists).
# - Users: service-managed (SSH public keys), AWS Directory Service, or a custom identity provider
#   via Lambda or API Gateway. IAM roles and session policies confine each user to a prefix
#   or home directory.
# - **Managed workflows** run steps after an upload: copy, tag, delete, PGP decrypt, or a custom
#   Lambda step. **SFTP connectors** pull from or push to partners' SFTP servers; **web apps**
#   give non-technical users a browser interface.
#
# | Need | Service |
# |---|---|
# | partners send files by SFTP/AS2 | Transfer Family |
# | bulk or scheduled copy between storage systems | DataSync |
# | on-premises apps keep writing to an NFS/SMB share | Storage Gateway |
#
# **GenAI angle.** Suppliers drop contracts by SFTP into `s3://rag-inbox/<partner>/`; a managed
# workflow tags them and calls a Lambda step that starts a Macie scan; clean files move to the
# prefix the Bedrock Knowledge Base syncs from. To make new files searchable within minutes,
# trigger ingestion from the arrival itself (an S3 event notification or EventBridge rule invokes
# a Lambda function that starts an ingestion job): a sync only processes new or changed files,
# and nothing runs when nothing arrives, unlike a fixed hourly or nightly schedule.
#
# *Note:* the notes describe it as "SFTP to S3". It also serves FTPS, FTP and AS2, and can use EFS
# as storage.
#
# **Exam tip:** "existing partners use SFTP, files must land in S3, no servers to manage" →
# Transfer Family.

# %%
quiz.show("security", "transfer")

# %% [markdown]
# ## AWS Backup: one policy for backups across services <a id="backup"></a>
#
# **What it is.** A central, policy-driven backup service for EC2, EBS, S3, DynamoDB, RDS and
# Aurora, EFS, FSx, Storage Gateway volumes, DocumentDB, Neptune, Redshift, Timestream, SAP HANA
# on EC2, VMware VMs, CloudFormation stacks and more.
#
# **Concepts.**
#
# - A **backup plan** holds rules: schedule, backup window, lifecycle (move to cold storage,
#   expire), and copy actions to another Region or account. Each rule names the vault it writes to.
# - **Resource assignments** (selections) attach resources to a plan by tag or ARN: tag a table
#   `backup=daily` and it is protected.
# - A **backup vault** stores the recovery points, encrypted with a KMS key, and has its own
#   access policy. **Vault Lock** makes it WORM (governance or compliance mode); logically
#   air-gapped vaults add isolation against ransomware.
# - Organizations **backup policies** push plans to every account; Backup Audit Manager reports
#   compliance; **restore testing** proves backups can be restored.
#
# **GenAI angle.** Back up the DynamoDB table with conversation history, the Aurora PostgreSQL
# (pgvector) vector store, EFS prompt libraries and S3 training data in one plan, copied to
# another Region and locked for auditors. OpenSearch domains rely on their own automated snapshots.
#
# *Note:* the notes nest "backup plans" and "selections" inside a vault. Plans and vaults are
# separate: a selection belongs to a plan, and each plan rule points to the vault that stores its
# recovery points.
#
# **Exam tip:** "centrally manage and audit backups across services and accounts" → AWS Backup.
# "Backups nobody can delete, even an admin" → Vault Lock in compliance mode.

# %% [markdown]
# ## Graded quiz <a id="graded-quiz"></a>
#
# Six questions across the whole notebook. Pick your answers in the widget below; they are saved
# automatically beside this notebook and graded when you submit. Leave the cells under the widget
# as they are.

# %%
quiz.graded("security")

# %% kind="quiz" question="sec-g1" points=1

# %% kind="quiz" question="sec-g2" points=1

# %% kind="quiz" question="sec-g3" points=1

# %% kind="quiz" question="sec-g4" points=1

# %% kind="quiz" question="sec-g5" points=1

# %% kind="quiz" question="sec-g6" points=1

# %% [markdown]
# ## Summary / what to review <a id="summary"></a>
#
# **Identity and access.** Roles, not users, for every workload; least privilege scoped to the
# exact bucket prefix, model ARN or key (Exercise 1). Explicit Deny wins; SCPs and boundaries only
# limit. Workforce → IAM Identity Center; app customers → Cognito user pools (tokens, groups)
# and identity pools (AWS credentials) (Exercise 2); AD-dependent services → Directory Service.
# Access Analyzer finds external and unused access and checks policies before deployment.
#
# **Data protection.** Customer managed KMS keys when you must control and audit decryption;
# envelope encryption with an encryption context for large or per-tenant data (Exercise 3), or
# the Encryption SDK when AWS must never see plaintext. Macie finds PII in S3 before training or
# ingestion; Guardrails handles it at inference. Secrets Manager stores and rotates provider and
# vector-store credentials, with `AWSCURRENT`/`AWSPREVIOUS` versions (Exercise 4). ACM for TLS
# (us-east-1 for CloudFront); WAF for rate limits and request filtering at the edge.
#
# **Storage.** S3 with SSE-KMS + Bucket Key, Block Public Access, versioning and Object Lock for
# training data that must not change (Exercise 5). Intelligent-Tiering for unknown access,
# lifecycle rules for known patterns (see the cost chart); CRR needs versioning on both buckets
# and Batch Replication for existing objects. EBS for one instance, EFS for shared Linux files,
# FSx for Lustre for training throughput, FSx for Windows for SMB/AD, File Cache for bursts over
# remote data, Storage Gateway and Transfer Family to bring data in, AWS Backup to protect it all.
#
# **Review checklist (the notes' exam focus areas):** write a least-privilege role for
# SageMaker, Lambda or Bedrock; explain user pool vs identity pool; choose a KMS key type and use
# encryption context; place Macie in a data pipeline; rotate secrets; protect an API with WAF;
# design lifecycle and replication for training data; pick EBS volume types and file systems for
# training; know which service answers "who has access" (Access Analyzer) vs "who did what"
# (CloudTrail).
