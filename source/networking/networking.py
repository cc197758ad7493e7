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
# # Networking, Migration & Content Delivery for GenAI workloads
#
# **Who this is for:** developers preparing for the AWS Certified Generative AI Developer –
# Professional exam (AIP-C01) who know Python and the AWS console and want to know how requests
# reach a model, how model traffic stays private, and how training and retrieval data gets into
# AWS in the first place.
#
# **What you will do here:**
#
# - read 13 short service sections (VPC, PrivateLink, load balancers, Route 53, Cloud Map,
#   Global Accelerator, CloudFront, API Gateway, AppSync, DataSync, Transfer Family, DMS, and a
#   guide to choosing a migration path), each with an *Exam tip* and self-check questions;
# - complete **6 graded exercises**: five with boto3 against a simulated AWS account (EC2/VPC,
#   API Gateway, Elastic Load Balancing, Route 53, CloudFront with S3) and one decision function
#   graded on many migration scenarios;
# - read two charts: how DNS caching blurs a weighted canary rollout, and when shipping a
#   device beats the network;
# - answer the **graded quiz** at the end.
#
# **Exam tasks trained:** mostly 2.3 (enterprise integration architectures), 2.2 (model
# deployment strategies), 2.4 (FM API integrations) and 3.2 (data security: private
# connectivity), plus 1.3 (data pipelines: getting data into AWS), 4.1 (cost) and 4.2
# (performance).
#
# **How to work:** run the cells from top to bottom (every cell is safe to run again). In an
# exercise, replace `raise NotImplementedError()` with your code, run that cell, then run the
# test cell under it: its message tells you what is missing. Graded quiz answers are saved
# automatically next to this notebook as soon as you pick them.
#
# Everything runs offline. The first code cell starts a fake AWS account (the
# [moto](https://github.com/getmoto/moto) simulator) with fake credentials and blocks the network,
# so nothing you create here is real or costs money. The simulator stores configuration
# faithfully but moves no packets: no DNS answer is really resolved, no load balancer really
# forwards. The tests therefore read your configuration back and reason about it the way AWS
# would.

# %% kind="setup"
from course import sandbox, checks, quiz

aws = sandbox.start()  # fake credentials, moto, network blocked; safe to re-run

# %% [markdown]
# # Part 1 — The private network around your models

# %% [markdown]
# ## Amazon VPC: subnets, routes and firewalls <a id="vpc"></a>
#
# **What it is.** A Virtual Private Cloud is your own isolated IP network in one Region. You
# pick a CIDR block (for example `10.0.0.0/16`) and cut it into **subnets**, each living in one
# Availability Zone. A subnet is *public* only because its **route table** sends `0.0.0.0/0` to
# an **internet gateway**; a *private* subnet has no such route. Private workloads that must
# start connections to the internet (a call to a third-party model API, say) go through a **NAT
# gateway** in a public subnet: one per AZ for resilience, billed per hour and per GB.
#
# | | Security group | Network ACL |
# |---|---|---|
# | attached to | an ENI (instance, endpoint, Lambda in VPC...) | a subnet |
# | state | stateful: replies are allowed automatically | stateless: allow both directions explicitly |
# | rules | allow only | allow and deny, numbered, first match wins |
# | typical use | "port 443 only from the app tier's security group" | block an IP range at subnet level |
#
# Connect VPCs with **VPC peering** (one-to-one, *not transitive*: A↔B and B↔C does not give
# A↔C) or a **Transit Gateway** (a regional hub for many VPCs and on-premises links).
# **VPC Flow Logs** record accepted/rejected IP traffic for audits; **prefix lists** name a set
# of CIDRs for reuse in routes and rules.
#
# **GenAI angle.** Put inference containers, SageMaker endpoints, vector databases and
# Lambda functions in private subnets; reach S3, Bedrock and Secrets Manager through VPC
# endpoints (next section) rather than a NAT gateway, which is cheaper for heavy S3 traffic and
# keeps prompts off the internet. SageMaker training jobs and Bedrock model customization jobs
# can run attached to your VPC to read private data.
#
# *Note:* the notes draw an "S3 VPC endpoint" inside a data subnet. An S3 *gateway* endpoint lives
# in no subnet: it is a target in route tables. Only *interface* endpoints are placed in subnets.
#
# **Exam tip:** "stateful" → security group; "explicit deny of an address range" → NACL;
# "many VPCs plus on-premises, hub and spoke" → Transit Gateway; "private subnet needs outbound
# internet" → NAT gateway; "avoid NAT charges for S3" → gateway endpoint.
#
# **Try it.** What does a brand-new VPC contain? Run the cell (the first EC2 call of the
# simulator takes a couple of seconds).

# %%
ec2 = aws.client("ec2")
demo_vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
main_table = ec2.describe_route_tables(
    Filters=[{"Name": "vpc-id", "Values": [demo_vpc]}, {"Name": "association.main", "Values": ["true"]}]
)["RouteTables"][0]
print("Routes of the main route table:", [(r["DestinationCidrBlock"], r["GatewayId"]) for r in main_table["Routes"]])
print("DNS hostnames on?", ec2.describe_vpc_attribute(VpcId=demo_vpc, Attribute="enableDnsHostnames")["EnableDnsHostnames"])

# %% [markdown]
# Only the `local` route exists: the VPC can talk to itself and nothing else until you add an
# internet gateway, a NAT gateway or endpoints. DNS hostnames are off in a VPC you create
# yourself (only the default VPC has them on), which matters for private DNS on interface
# endpoints (Exercise 1).

# %%
quiz.show("networking", "vpc")

# %% [markdown]
# ## AWS PrivateLink and VPC endpoints: reach AWS services privately <a id="privatelink"></a>
#
# **What it is.** A **VPC endpoint** lets resources in a private subnet call an AWS service (or
# a partner's service) without an internet gateway, NAT device, VPN or Direct Connect. Traffic
# stays on the AWS network. There are two kinds:
#
# | | Gateway endpoint | Interface endpoint (PrivateLink) |
# |---|---|---|
# | services | **only Amazon S3 and DynamoDB** | most AWS services (Bedrock, SageMaker Runtime, Secrets Manager, ...), S3 and DynamoDB too, and your own *endpoint services* |
# | how traffic gets there | a route to the service's prefix list in the **route tables** you choose | an **ENI with a private IP** in each subnet you choose; reached through DNS |
# | security | endpoint policy; no security group | endpoint policy **and a security group** |
# | reachable from on-premises / peered VPCs | no | yes (over VPN, Direct Connect, peering, Transit Gateway) |
# | cost | free | per hour per AZ plus per GB |
#
# With **private DNS** on, the public name (for example `bedrock-runtime.us-east-1.amazonaws.com`)
# resolves inside the VPC to the endpoint's private IPs, so SDK code needs no change. It needs the
# VPC attributes *DNS support* and *DNS hostnames* turned on. An **endpoint policy** limits what
# can be done through the endpoint (for example, only `bedrock:InvokeModel` on approved models);
# S3 bucket policies can in turn demand `aws:SourceVpce`. A provider exposes its own service to
# other VPCs as a **VPC endpoint service** behind a Network Load Balancer.
#
# **GenAI angle.** Bedrock has separate interface endpoints for the control plane
# (`com.amazonaws.<region>.bedrock`), model invocation (`bedrock-runtime`), Agents and Knowledge
# Bases build time (`bedrock-agent`) and run time (`bedrock-agent-runtime`). A RAG app in a
# private subnet typically needs `bedrock-runtime` and `bedrock-agent-runtime` interface
# endpoints plus an S3 gateway endpoint for documents. Place interface endpoints in at least two
# AZs.
#
# Two details that trip teams up. **From on-premises**, private DNS does not help: it answers only
# inside the VPC, so clients arriving over Direct Connect or VPN call the endpoint through its
# *endpoint-specific* DNS name (`vpce-...bedrock-runtime...vpce.amazonaws.com`, which resolves to the
# private IPs) or forward their DNS queries into the VPC. **Inference profiles**: a call made
# through a cross-Region inference profile is authorised on the profile *and* on the foundation
# model in whichever destination Region serves it. A role (or endpoint policy) that allows
# `bedrock:InvokeModel` only on one model's ARN in one Region fails with `AccessDeniedException`
# once the app switches to the profile; allow the profile's ARN plus that model's ARN in every
# destination Region, which still limits the caller to one model. **Bucket policies that demand
# `aws:SourceVpce`** also block AWS services that read the bucket from outside your VPC, such as a
# Bedrock knowledge base's ingestion job (it reads S3 with the knowledge base's service role from
# the Bedrock service): exempt that role with a condition on `aws:PrincipalArn` rather than
# dropping the rule.
#
# **Exam tip:** "S3 or DynamoDB, no cost, from inside the VPC" → gateway endpoint. "Bedrock,
# SageMaker Runtime, any other service, or access from on-premises" → interface endpoint.
# "Share my service privately with other accounts' VPCs" → endpoint service (PrivateLink) + NLB.

# %%
quiz.show("networking", "privatelink")

# %% [markdown]
# ### Exercise 1 — a private path from a VPC to S3 and Bedrock (4 points)
#
# A document-summarisation service runs in private subnets with no internet gateway and no NAT.
# It reads PDFs from S3 and calls Bedrock Runtime. Write
# `add_private_bedrock_access(ec2, vpc_id, subnet_ids, route_table_id)` that:
#
# 1. turns on **DNS support** and **DNS hostnames** on the VPC (private DNS needs both; set them
#    with two separate `modify_vpc_attribute` calls: AWS accepts one attribute per call);
# 2. creates a **security group** in the VPC that allows inbound **TCP 443 only from the VPC's
#    own CIDR block** (read it with `describe_vpcs`), and nothing else inbound;
# 3. creates an S3 **gateway** endpoint attached to `route_table_id`;
# 4. creates a Bedrock Runtime **interface** endpoint in **every** subnet of `subnet_ids`, with
#    that security group and private DNS enabled;
# 5. returns `{"s3_endpoint": <id>, "bedrock_endpoint": <id>, "security_group": <id>}`.
#
# Service names have the form `com.amazonaws.<region>.<service>`. Do not hard-code the Region:
# read it from the client, `ec2.meta.region_name` (the hidden test uses another Region).
# Hints: `modify_vpc_attribute`, `create_security_group`, `authorize_security_group_ingress`,
# `create_vpc_endpoint(VpcEndpointType=..., ServiceName=..., ...)`. The simulator accepts some
# things AWS would refuse (a "gateway" endpoint for Bedrock, for instance), so the test reads
# everything back and checks it.

# %% kind="solution" grade_id="private-bedrock-path"
def add_private_bedrock_access(ec2, vpc_id, subnet_ids, route_table_id):
    """Give a private VPC an S3 gateway endpoint and a Bedrock Runtime interface endpoint; return their ids."""
    ### BEGIN SOLUTION
    region = ec2.meta.region_name
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsSupport={"Value": True})
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
    cidr = ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]["CidrBlock"]

    group_id = ec2.create_security_group(
        GroupName=f"bedrock-runtime-endpoint-{vpc_id}",
        Description="HTTPS from inside the VPC to the Bedrock Runtime endpoint",
        VpcId=vpc_id,
    )["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group_id,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "IpRanges": [{"CidrIp": cidr}],
            }
        ],
    )
    s3_endpoint = ec2.create_vpc_endpoint(
        VpcId=vpc_id,
        VpcEndpointType="Gateway",
        ServiceName=f"com.amazonaws.{region}.s3",
        RouteTableIds=[route_table_id],
    )["VpcEndpoint"]["VpcEndpointId"]
    bedrock_endpoint = ec2.create_vpc_endpoint(
        VpcId=vpc_id,
        VpcEndpointType="Interface",
        ServiceName=f"com.amazonaws.{region}.bedrock-runtime",
        SubnetIds=list(subnet_ids),
        SecurityGroupIds=[group_id],
        PrivateDnsEnabled=True,
    )["VpcEndpoint"]["VpcEndpointId"]
    return {"s3_endpoint": s3_endpoint, "bedrock_endpoint": bedrock_endpoint, "security_group": group_id}
    ### END SOLUTION


# %% kind="tests" grade_id="private-bedrock-path-tests" points=4
"""Does the VPC get an S3 gateway endpoint on its route table and a locked-down Bedrock interface endpoint?"""
import random
import uuid


def _private_vpc(ec2, cidr_prefix, azs):
    """A VPC with one private subnet per AZ and one route table shared by them (no internet route)."""
    vpc = ec2.create_vpc(CidrBlock=f"{cidr_prefix}.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsSupport={"Value": False})  # both DNS attributes start off
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"{cidr_prefix}.{n + 1}.0/24", AvailabilityZone=az)["Subnet"]["SubnetId"]
        for n, az in enumerate(azs)
    ]
    rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    for s in subnets:
        ec2.associate_route_table(RouteTableId=rtb, SubnetId=s)
    return vpc, subnets, rtb


def _check_private_path(ec2, vpc, subnets, rtb, result):
    region = ec2.meta.region_name
    cidr = ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"][0]["CidrBlock"]
    checks.expect_type(result, dict, "add_private_bedrock_access should return a dict")
    for key in ("s3_endpoint", "bedrock_endpoint", "security_group"):
        checks.expect_in(key, result, f"the result should have the key {key!r}")
    endpoints = {e["VpcEndpointId"]: e for e in ec2.describe_vpc_endpoints(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}])["VpcEndpoints"]}
    checks.expect_in(result["s3_endpoint"], endpoints, "the S3 endpoint should exist in the VPC")
    checks.expect_in(result["bedrock_endpoint"], endpoints, "the Bedrock endpoint should exist in the VPC")
    s3_ep, br_ep = endpoints[result["s3_endpoint"]], endpoints[result["bedrock_endpoint"]]

    checks.expect_equal(s3_ep.get("ServiceName"), f"com.amazonaws.{region}.s3", "S3 endpoint service name",
                        hint="build it from ec2.meta.region_name")
    checks.expect_equal(s3_ep.get("VpcEndpointType"), "Gateway", "S3 should use a gateway endpoint (free, route-table based)")
    routes = ec2.describe_route_tables(RouteTableIds=[rtb])["RouteTables"][0]["Routes"]
    checks.expect(any(r.get("GatewayId") == result["s3_endpoint"] and r.get("DestinationPrefixListId") for r in routes),
                  "the private route table should send S3's prefix list to the gateway endpoint",
                  expected=f"a route with GatewayId {result['s3_endpoint']}", found=routes,
                  hint="pass RouteTableIds=[route_table_id] when you create the gateway endpoint")
    checks.expect(not any(str(r.get("GatewayId", "")).startswith("igw-") or r.get("NatGatewayId") for r in routes),
                  "the private route table must not gain an internet or NAT route", found=routes)

    checks.expect_equal(br_ep.get("ServiceName"), f"com.amazonaws.{region}.bedrock-runtime",
                        "Bedrock endpoint service name (model invocation is bedrock-runtime)")
    checks.expect_equal(br_ep.get("VpcEndpointType"), "Interface",
                        "Bedrock needs an interface endpoint (gateway endpoints exist only for S3 and DynamoDB)")
    checks.expect_equal(sorted(br_ep.get("SubnetIds") or []), sorted(subnets), "the Bedrock endpoint should have an ENI in every subnet",
                        hint="SubnetIds=list(subnet_ids)")
    checks.expect(br_ep.get("PrivateDnsEnabled"), "private DNS should be enabled on the Bedrock endpoint")
    checks.expect_equal([g.get("GroupId") for g in br_ep.get("Groups") or []], [result["security_group"]],
                        "the Bedrock endpoint should use exactly the new security group")

    sg = ec2.describe_security_groups(GroupIds=[result["security_group"]])["SecurityGroups"][0]
    checks.expect_equal(sg["VpcId"], vpc, "the security group should belong to the VPC")
    rules = [(p.get("IpProtocol"), p.get("FromPort"), p.get("ToPort"), sorted(r["CidrIp"] for r in p.get("IpRanges", [])),
              bool(p.get("UserIdGroupPairs")) or bool(p.get("PrefixListIds")) or bool(p.get("Ipv6Ranges")))
             for p in sg["IpPermissions"]]
    checks.expect_equal(rules, [("tcp", 443, 443, [cidr], False)],
                        "inbound rules should be exactly TCP 443 from the VPC CIDR",
                        hint=f"one IpPermissions entry: tcp 443-443 from {cidr}; never 0.0.0.0/0")
    for attr, key in (("enableDnsSupport", "EnableDnsSupport"), ("enableDnsHostnames", "EnableDnsHostnames")):
        value = ec2.describe_vpc_attribute(VpcId=vpc, Attribute=attr)[key]["Value"]
        checks.expect(value, f"the VPC attribute {attr} should be on (private DNS needs it)", expected=True, found=value)


_ec2 = aws.client("ec2")
_vpc, _subnets, _rtb = _private_vpc(_ec2, "10.42", ["us-east-1a", "us-east-1b"])
_result = checks.call(add_private_bedrock_access, _ec2, _vpc, _subnets, _rtb)
_check_private_path(_ec2, _vpc, _subnets, _rtb, _result)
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_ec2_eu = aws.client("ec2", region_name="eu-west-1")
_prefix = f"172.{random.randint(16, 31)}"
_vpc2, _subnets2, _rtb2 = _private_vpc(_ec2_eu, _prefix, ["eu-west-1a", "eu-west-1b", "eu-west-1c"])
_ec2_eu.create_tags(Resources=[_vpc2], Tags=[{"Key": "run", "Value": uuid.uuid4().hex}])
_result2 = checks.call(add_private_bedrock_access, _ec2_eu, _vpc2, _subnets2, _rtb2)
_check_private_path(_ec2_eu, _vpc2, _subnets2, _rtb2, _result2)
### END HIDDEN TESTS

# %% [markdown]
# ## Elastic Load Balancing: ALB, NLB, GWLB (and the legacy CLB) <a id="elb"></a>
#
# **What it is.** A managed load balancer spreads traffic over healthy *targets* (instances, IP
# addresses, Lambda functions, or an ALB behind an NLB) in several AZs. The building blocks are
# load balancer → **listener** (protocol + port) → **rules** → **target groups** (with health
# checks).
#
# | | Application LB | Network LB | Gateway LB | Classic LB |
# |---|---|---|---|---|
# | layer | 7 (HTTP/HTTPS, gRPC, WebSocket) | 4 (TCP, UDP, TLS) | 3 (IP packets, GENEVE) | 4/7, legacy: avoid |
# | routes on | path, host, header, method, query string, source IP | port | — | — |
# | strengths | content-based routing, weighted target groups, Lambda targets, OIDC/Cognito auth | very low latency, millions of req/s, static IP per AZ, keeps client IP, PrivateLink endpoint services | inserts firewalls/IDS appliances transparently | none for new work |
#
# **Rules.** Each ALB listener rule has a **priority** (1–50,000); rules are checked from the
# lowest number up and the **first match wins**; the default rule runs last. So a specific
# pattern such as `/chat/premium/*` must get a *lower* number than a broader `/chat/*`.
# A rule can forward to several target groups with **weights** (90/10 canary) and optional
# target-group stickiness. **Health checks** (path, interval, healthy/unhealthy thresholds) take
# failing targets out of rotation; watch `UnHealthyHostCount` and `HTTPCode_Target_5XX_Count`.
# Cross-zone load balancing is on by default for ALB and off by default for NLB.
#
# **GenAI angle.** One ALB in front of self-hosted models on ECS/EKS: `/chat/*` to an LLM
# service on GPU instances, `/embed/*` to a cheaper embedding service, a weighted rule to try a
# new model version on 10% of traffic. Streaming responses over long connections need a large
# enough *idle timeout* (60 s by default). SageMaker real-time endpoints balance across their own
# instances: you do not put an ALB in front of one to spread load.
#
# **Exam tip:** HTTP routing on paths/hosts/headers → ALB. Static IPs, non-HTTP protocols,
# extreme throughput or exposing a service through PrivateLink → NLB. Third-party firewall
# appliances → GWLB.

# %%
quiz.show("networking", "elb")

# %% [markdown]
# ### Exercise 2 — path-based routing to model services (3 points)
#
# One ALB serves several model services. You receive `routes`, a dict mapping an ALB path
# pattern (`*` wildcards) to a target group ARN, in no particular order, for example
# `{"/chat/*": chat_tg, "/chat/premium/*": premium_tg, "/embed/*": embed_tg}`.
# Write `add_model_routes(elbv2, listener_arn, routes)` that:
#
# 1. creates one listener rule per pattern (a `path-pattern` condition, a `forward` action),
#    giving the **most specific patterns the lowest priority numbers**. Measure specificity by
#    the length of the pattern's literal part before its first `*`: longer is more specific.
#    Use priorities 10, 20, 30, ... (gaps leave room to insert rules later);
# 2. changes the listener's **default action** to a `fixed-response` with status `404`, content
#    type `application/json` and a short JSON body, so unknown paths never reach a model;
# 3. returns `{pattern: rule_arn}`.
#
# The test sends sample paths through your rules the way an ALB does (lowest priority first,
# first match wins). Hints: `elbv2.create_rule(ListenerArn=..., Priority=...,
# Conditions=[{"Field": "path-pattern", "PathPatternConfig": {"Values": [...]}}],
# Actions=[{"Type": "forward", "TargetGroupArn": ...}])`, `elbv2.modify_listener(...)`.

# %% kind="solution" grade_id="alb-path-routing"
def add_model_routes(elbv2, listener_arn, routes):
    """Create path rules, most specific first, and a 404 default; return {pattern: rule_arn}."""
    ### BEGIN SOLUTION
    def literal_length(pattern):
        return len(pattern.split("*", 1)[0])

    ordered = sorted(routes, key=lambda p: (-literal_length(p), p))
    arns = {}
    for n, pattern in enumerate(ordered, start=1):
        rule = elbv2.create_rule(
            ListenerArn=listener_arn,
            Priority=10 * n,
            Conditions=[{"Field": "path-pattern", "PathPatternConfig": {"Values": [pattern]}}],
            Actions=[{"Type": "forward", "TargetGroupArn": routes[pattern]}],
        )["Rules"][0]
        arns[pattern] = rule["RuleArn"]
    elbv2.modify_listener(
        ListenerArn=listener_arn,
        DefaultActions=[
            {
                "Type": "fixed-response",
                "FixedResponseConfig": {
                    "StatusCode": "404",
                    "ContentType": "application/json",
                    "MessageBody": '{"error": "unknown route"}',
                },
            }
        ],
    )
    return arns
    ### END SOLUTION


# %% kind="tests" grade_id="alb-path-routing-tests" points=3
"""Do requests reach the right model service, with the most specific rule first and a 404 default?"""
import fnmatch
import json
import uuid


def _alb_with_listener(elbv2, ec2, names):
    vpc = ec2.create_vpc(CidrBlock="10.77.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.77.{n}.0/24", AvailabilityZone=az)["Subnet"]["SubnetId"]
               for n, az in enumerate(["us-east-1a", "us-east-1b"], start=1)]
    tag = uuid.uuid4().hex[:8]
    lb = elbv2.create_load_balancer(Name=f"genai-{tag}", Subnets=subnets, Type="application")["LoadBalancers"][0]
    tgs = {n: elbv2.create_target_group(Name=f"{n}-{tag}"[:32], Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="ip",
                                        HealthCheckPath="/health")["TargetGroups"][0]["TargetGroupArn"] for n in names}
    listener = elbv2.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80,
                                     DefaultActions=[{"Type": "forward", "TargetGroupArn": tgs[names[0]]}])
    return listener["Listeners"][0]["ListenerArn"], tgs


def _route(elbv2, listener_arn, path):
    """Where the ALB sends `path`: a target group ARN, or ("fixed", status)."""
    rules = elbv2.describe_rules(ListenerArn=listener_arn)["Rules"]
    ordered = sorted((r for r in rules if not r["IsDefault"]), key=lambda r: int(r["Priority"]))
    for rule in ordered + [r for r in rules if r["IsDefault"]]:
        patterns = []
        for c in rule["Conditions"]:
            if c.get("Field") == "path-pattern":
                patterns += c.get("PathPatternConfig", {}).get("Values", []) or c.get("Values", [])
        if rule["IsDefault"] or any(fnmatch.fnmatchcase(path, p) for p in patterns):
            action = (rule.get("Actions") or [{}])[0]
            if action.get("Type") == "fixed-response":
                return ("fixed", (action.get("FixedResponseConfig") or {}).get("StatusCode"))
            if action.get("TargetGroupArn"):
                return action["TargetGroupArn"]
            groups = (action.get("ForwardConfig") or {}).get("TargetGroups") or [{}]
            return groups[0].get("TargetGroupArn")
    return None


_elbv2, _ec2 = aws.client("elbv2"), aws.client("ec2")
_listener, _tgs = _alb_with_listener(_elbv2, _ec2, ["chat", "premium", "embed"])
_routes = {"/chat/*": _tgs["chat"], "/chat/premium/*": _tgs["premium"], "/embed/*": _tgs["embed"]}
_arns = checks.call(add_model_routes, _elbv2, _listener, _routes)
checks.expect_type(_arns, dict, "add_model_routes should return a dict {pattern: rule_arn}")
_existing = {r["RuleArn"] for r in _elbv2.describe_rules(ListenerArn=_listener)["Rules"]}
checks.expect(set(_arns) == set(_routes) and set(_arns.values()) <= _existing,
              "the result should map every pattern to a rule that exists on the listener", found=_arns)
_prios = sorted(int(r["Priority"]) for r in _elbv2.describe_rules(ListenerArn=_listener)["Rules"] if not r["IsDefault"])
checks.expect_equal(_prios, [10, 20, 30], "rule priorities should be 10, 20, 30")
for _path, _want in [("/chat/completions", "chat"), ("/chat/premium/completions", "premium"), ("/embed/batch", "embed")]:
    checks.expect_equal(_route(_elbv2, _listener, _path), _tgs[_want], f"where the ALB sends {_path}",
                        hint="sort patterns by the length of the text before the first '*', longest first")
checks.expect_equal(_route(_elbv2, _listener, "/admin"), ("fixed", "404"), "an unknown path should get a fixed 404 response",
                    hint="modify_listener(ListenerArn=..., DefaultActions=[{'Type': 'fixed-response', ...}])")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_names = ["rag", "ragv2", "img", "imghd", "guard", "llm", "stream"]
_listener2, _tgs2 = _alb_with_listener(_elbv2, _ec2, _names)
_v = uuid.uuid4().hex[:5]
_routes2 = {
    f"/{_v}/img/*": _tgs2["img"],
    f"/{_v}/rag/*": _tgs2["rag"],
    f"/{_v}/img/hd/*": _tgs2["imghd"],
    f"/{_v}/rag/v2/stream/*": _tgs2["ragv2"],
    "/*/guardrail": _tgs2["guard"],
    f"/{_v}/llm/*": _tgs2["llm"],
    "/*/invoke-with-response-stream": _tgs2["stream"],  # long, but only "/" before its first *
}
_arns2 = checks.call(add_model_routes, _elbv2, _listener2, _routes2)
checks.expect_equal(sorted(_arns2), sorted(_routes2), "one rule per pattern")
_prios2 = sorted(int(r["Priority"]) for r in _elbv2.describe_rules(ListenerArn=_listener2)["Rules"] if not r["IsDefault"])
checks.expect_equal(_prios2, [10, 20, 30, 40, 50, 60, 70], "priorities 10..70")
for _path, _want in [
    (f"/{_v}/img/x.png", "img"), (f"/{_v}/img/hd/x.png", "imghd"), (f"/{_v}/rag/query", "rag"),
    (f"/{_v}/rag/v2/stream/abc", "ragv2"), (f"/{_v}/rag/v2/other", "rag"), ("/tenant9/guardrail", "guard"),
    (f"/{_v}/llm/invoke-with-response-stream", "llm"), ("/tenant9/invoke-with-response-stream", "stream"),
]:
    checks.expect_equal(_route(_elbv2, _listener2, _path), _tgs2[_want], f"where the ALB sends {_path}",
                        hint="specificity is the length of the text before the first '*', not of the whole pattern")
checks.expect_equal(_route(_elbv2, _listener2, f"/{_v}/audio/x"), ("fixed", "404"), "unknown paths get 404")
_default = [r for r in _elbv2.describe_rules(ListenerArn=_listener2)["Rules"] if r["IsDefault"]][0]["Actions"][0]
checks.expect_equal(_default.get("FixedResponseConfig", {}).get("ContentType"), "application/json",
                    "the 404 should be JSON")
_body = _default.get("FixedResponseConfig", {}).get("MessageBody") or ""
try:
    _parsed = json.loads(_body)
except ValueError:
    _parsed = None
checks.expect(isinstance(_parsed, (dict, list)), "the 404's MessageBody should be a short JSON document",
              expected='e.g. {"error": "unknown route"}', found=_body)
### END HIDDEN TESTS

# %% [markdown]
# # Part 2 — Getting users to the right endpoint

# %% [markdown]
# ## Amazon Route 53: DNS, routing policies and health checks <a id="route53"></a>
#
# **What it is.** Managed DNS: domain registration, **public hosted zones** (internet names)
# and **private hosted zones** (names that resolve only inside associated VPCs), health checks,
# and routing policies that choose an answer per query.
#
# | Policy | Answers with | Typical GenAI use |
# |---|---|---|
# | simple | one record (may hold several values) | one ALB for the app |
# | weighted | records in proportion to weights 0–255 | canary: 95% model v1, 5% v2 |
# | latency | the Region with the lowest measured latency to the user | active-active inference in two Regions |
# | failover | PRIMARY while healthy, else SECONDARY | disaster recovery to a second Region |
# | geolocation | by continent/country/state of the user | EU users to an EU endpoint for data residency |
# | geoproximity | by distance, shifted with a *bias* | move more users to a bigger Region |
# | multivalue answer | up to 8 healthy records at random | simple client-side spreading |
# | IP-based | by the client's CIDR | route a partner's network to a dedicated endpoint |
#
# **Alias records** are a Route 53 extension that points a name at an AWS resource (CloudFront,
# ALB/NLB, API Gateway, S3 website, VPC interface endpoint...). Unlike a CNAME, an alias works at
# the zone apex (`example.com`) and alias queries to AWS resources are free. **Health checks**
# probe an endpoint over HTTP, HTTPS (optionally matching a string in the body) or TCP from
# checkers on the internet; *calculated* checks combine others, and *CloudWatch alarm* checks
# cover private resources that the checkers cannot reach. A record with a health check is left
# out of answers while unhealthy. A weight of 0 sends no traffic (unless every record is 0).
#
# **The catch: DNS is cached.** Resolvers and clients keep an answer for the record's **TTL**, so
# a weight change or failover takes effect only as caches expire. The chart below shows it.
#
# **Residency does not stop at DNS.** Geolocation keeps EU users on an EU deployment, but where
# their prompts are processed depends on how that deployment calls Bedrock: a *geographic*
# cross-Region inference profile (EU, US, APAC...) spreads bursts over Regions of that geography
# only, while a *global* profile may route to any commercial Region, and a plain model ID stays in
# one Region with that Region's capacity.
#
# **Exam tip:** "gradual rollout by percentage" → weighted; "lowest latency" → latency;
# "country/legal requirement" → geolocation; "standby Region" → failover with a health check on
# the primary; "zone apex to an ALB/CloudFront" → alias record.

# %%
import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(7)
STEP, CLIENTS = 10, 2000  # seconds per step; clients, each caching its own DNS answer
minutes = np.arange(0, 60 * 60, STEP) / 60


def configured_v2_weight(minute):
    """Canary plan: 0% -> 10% at minute 10 -> 50% at minute 25 -> rollback to 0% at minute 40."""
    return 0.0 if minute < 10 else 0.10 if minute < 25 else 0.50 if minute < 40 else 0.0


def simulate(ttl):
    """Share of clients using v2 at every step when each re-resolves only after its cached answer expires."""
    expires = rng.uniform(0, ttl, CLIENTS)  # caches start out of phase
    on_v2 = np.zeros(CLIENTS, bool)
    share = []
    for t, minute in zip(np.arange(0, 3600, STEP), minutes):
        due = expires <= t
        on_v2[due] = rng.random(due.sum()) < configured_v2_weight(minute)
        expires[due] = t + ttl
        share.append(on_v2.mean())
    return np.array(share)


fig, ax = plt.subplots(figsize=(9, 4))
ax.step(minutes, [configured_v2_weight(m) for m in minutes], where="post", color="black", lw=2,
        label="weight configured in Route 53")
for ttl, colour in ((60, "tab:blue"), (900, "tab:orange")):
    ax.plot(minutes, simulate(ttl), color=colour, label=f"traffic observed on v2, TTL {ttl} s")
ax.axvline(40, color="grey", ls=":")
ax.annotate("rollback", (40, 0.52), xytext=(43, 0.55), arrowprops={"arrowstyle": "->"})
ax.set(xlabel="Minutes since the start of the rollout", ylabel="Share of requests on model v2",
       title="Weighted routing: what users see lags what you configure", ylim=(0, 0.65))
ax.grid(alpha=0.3)
ax.legend(loc="upper left")
plt.show()

# %% [markdown]
# **Reading the chart.** With a 60-second TTL the share of traffic on model v2 follows the
# configured weights within about a minute. With a 15-minute TTL each change creeps in over 15
# minutes, and the rollback at minute 40 still leaves users on the faulty version long after it.
# Lower the TTL *before* a DNS-based rollout or failover (and accept more DNS queries), or shift
# traffic where no cache sits in between: ALB weighted target groups, Bedrock inference
# profiles, or SageMaker production variants.

# %%
quiz.show("networking", "route53")

# %% [markdown]
# ### Exercise 3 — a canary and a standby Region in Route 53 (4 points)
#
# Your chat API `api.<zone>` runs model v1 and a new v2 behind separate endpoints; a second
# name, `chat.<zone>`, must survive the loss of the main Region. Write two functions.
#
# 1. `set_canary_weights(route53, zone_id, record_name, endpoints, weights)`: `endpoints` maps a
#    version id (e.g. `"v1"`) to a host name, `weights` maps the same ids to integers. Make the
#    zone hold exactly one **weighted CNAME** per version (`SetIdentifier` = version id, TTL 60)
#    with the given weight. The function is called again with new weights during the rollout,
#    so use `UPSERT`, never `CREATE` (AWS rejects a second `CREATE`). Keep weight-0 versions as
#    records. Return nothing.
# 2. `add_failover(route53, zone_id, record_name, primary_host, secondary_host)`: create a
#    health check of type `HTTPS` on `primary_host`, port 443, path `/health`; then a
#    **PRIMARY** failover CNAME to `primary_host` that uses this health check and a
#    **SECONDARY** failover CNAME to `secondary_host` (`SetIdentifier`s `"primary"` and
#    `"secondary"`, TTL 60). Return the health check id.
#
# Hints: `change_resource_record_sets(HostedZoneId=..., ChangeBatch={"Changes": [{"Action":
# "UPSERT", "ResourceRecordSet": {...}}]})`, `create_health_check(CallerReference=<unique>,
# HealthCheckConfig={...})`. Route 53 stores names with a trailing dot.

# %% kind="solution" grade_id="route53-canary-failover"
def set_canary_weights(route53, zone_id, record_name, endpoints, weights):
    """Upsert one weighted CNAME (TTL 60) per model version; weights may be 0."""
    ### BEGIN SOLUTION
    changes = [
        {
            "Action": "UPSERT",
            "ResourceRecordSet": {
                "Name": record_name,
                "Type": "CNAME",
                "SetIdentifier": version,
                "Weight": int(weights[version]),
                "TTL": 60,
                "ResourceRecords": [{"Value": host}],
            },
        }
        for version, host in endpoints.items()
    ]
    route53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": changes})
    ### END SOLUTION


def add_failover(route53, zone_id, record_name, primary_host, secondary_host):
    """Health-check the primary over HTTPS /health, add PRIMARY/SECONDARY failover CNAMEs; return the check id."""
    import uuid

    ### BEGIN SOLUTION
    check_id = route53.create_health_check(
        CallerReference=str(uuid.uuid4()),
        HealthCheckConfig={
            "Type": "HTTPS",
            "FullyQualifiedDomainName": primary_host,
            "Port": 443,
            "ResourcePath": "/health",
            "RequestInterval": 30,
            "FailureThreshold": 3,
        },
    )["HealthCheck"]["Id"]
    primary = {"SetIdentifier": "primary", "Failover": "PRIMARY", "HealthCheckId": check_id,
               "ResourceRecords": [{"Value": primary_host}]}
    secondary = {"SetIdentifier": "secondary", "Failover": "SECONDARY", "ResourceRecords": [{"Value": secondary_host}]}
    changes = [
        {"Action": "UPSERT", "ResourceRecordSet": {"Name": record_name, "Type": "CNAME", "TTL": 60, **record}}
        for record in (primary, secondary)
    ]
    route53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": changes})
    return check_id
    ### END SOLUTION


# %% kind="tests" grade_id="route53-canary-failover-tests" points=4
"""Do weighted records follow each new set of weights, and does failover health-check the primary?"""
import uuid


def _zone(route53):
    name = f"genai-{uuid.uuid4().hex[:8]}.example.com"
    zone_id = route53.create_hosted_zone(Name=name, CallerReference=str(uuid.uuid4()))["HostedZone"]["Id"]
    return zone_id, name


def _records(route53, zone_id, name):
    fqdn = name.rstrip(".") + "."
    return [r for r in route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"] if r["Name"] == fqdn]


def _weights(route53, zone_id, name):
    recs = _records(route53, zone_id, name)
    ids = [r.get("SetIdentifier") for r in recs]
    checks.expect(len(ids) == len(set(ids)), "there should be exactly one record per version",
                  expected="unique SetIdentifiers", found=ids, hint="use UPSERT, not CREATE")
    for r in recs:
        checks.expect(r["Type"] == "CNAME" and r.get("TTL") == 60 and "Weight" in r,
                      "each version should be a weighted CNAME with TTL 60", found=r)
    return {r.get("SetIdentifier"): (r.get("Weight"), _value(r)) for r in recs}


def _value(record):
    """The record's first value without the trailing dot (None when it has no values)."""
    values = record.get("ResourceRecords") or [{}]
    return (values[0].get("Value") or "").rstrip(".") or None


def _check_failover(route53, zone_id, name, primary, secondary, check_id):
    recs = {r.get("Failover"): r for r in _records(route53, zone_id, name)}
    checks.expect_equal(sorted(k for k in recs if k), ["PRIMARY", "SECONDARY"], "failover records on the name")
    checks.expect_equal(_value(recs["PRIMARY"]), primary, "PRIMARY points at")
    checks.expect_equal(_value(recs["SECONDARY"]), secondary, "SECONDARY points at")
    checks.expect_equal(recs["PRIMARY"].get("HealthCheckId"), check_id,
                        "the PRIMARY record should carry the health check (otherwise Route 53 never fails over)")
    cfg = route53.get_health_check(HealthCheckId=check_id)["HealthCheck"]["HealthCheckConfig"]
    found = (cfg.get("Type"), cfg.get("FullyQualifiedDomainName"), cfg.get("Port"), cfg.get("ResourcePath"))
    checks.expect_equal(found, ("HTTPS", primary, 443, "/health"), "health check (type, host, port, path)")


_r53 = aws.client("route53")
_zid, _zname = _zone(_r53)
_api = f"api.{_zname}"
_eps = {"v1": "v1.models.example.net", "v2": "v2.models.example.net"}
checks.call(set_canary_weights, _r53, _zid, _api, _eps, {"v1": 95, "v2": 5})
checks.expect_equal(_weights(_r53, _zid, _api), {"v1": (95, _eps["v1"]), "v2": (5, _eps["v2"])}, "records after the first call")
checks.call(set_canary_weights, _r53, _zid, _api, _eps, {"v1": 50, "v2": 50})
checks.expect_equal(_weights(_r53, _zid, _api), {"v1": (50, _eps["v1"]), "v2": (50, _eps["v2"])},
                    "records after the second call (weights updated in place)")
_chat = f"chat.{_zname}"
_hc = checks.call(add_failover, _r53, _zid, _chat, "chat-use1.models.example.net", "chat-usw2.models.example.net")
_check_failover(_r53, _zid, _chat, "chat-use1.models.example.net", "chat-usw2.models.example.net", _hc)
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_zid2, _zname2 = _zone(_r53)
_api2 = f"{uuid.uuid4().hex[:6]}.{_zname2}"
_eps2 = {f"m{n}-{uuid.uuid4().hex[:4]}": f"{uuid.uuid4().hex[:8]}.serving.example.org" for n in range(3)}
_ids = list(_eps2)
for _w in ({_ids[0]: 100, _ids[1]: 0, _ids[2]: 0}, {_ids[0]: 80, _ids[1]: 20, _ids[2]: 0}, {_ids[0]: 0, _ids[1]: 255, _ids[2]: 1}):
    checks.call(set_canary_weights, _r53, _zid2, _api2, _eps2, _w)
    checks.expect_equal(_weights(_r53, _zid2, _api2), {k: (_w[k], _eps2[k]) for k in _ids}, "weighted records")
_p, _s = f"{uuid.uuid4().hex[:8]}.primary.example.org", f"{uuid.uuid4().hex[:8]}.dr.example.org"
_chat2 = f"{uuid.uuid4().hex[:6]}.{_zname2}"
_hc2 = checks.call(add_failover, _r53, _zid2, _chat2, _p, _s)
checks.expect(_hc2 != _hc, "each call should create its own health check")
_check_failover(_r53, _zid2, _chat2, _p, _s, _hc2)
### END HIDDEN TESTS

# %% [markdown]
# ## AWS Cloud Map: service discovery <a id="cloud-map"></a>
#
# **What it is.** A registry of your application's resources. You create a **namespace** (HTTP
# only, or with private or public DNS), **services** in it, and register **instances** with
# attributes (IP, port, version, stage...). Clients find healthy instances with the
# `DiscoverInstances` API (filtering on attributes) or, in DNS namespaces, by plain DNS queries
# that Cloud Map keeps in a Route 53 hosted zone. Instances can carry Route 53 health checks or
# report custom health.
#
# | Need | Use |
# |---|---|
# | name → address for anything, queried by DNS only | Route 53 (private hosted zone) |
# | dynamic instances with attributes, discovery by API or DNS, health | Cloud Map |
# | ECS services calling each other by name with retries and metrics | ECS Service Connect (built on Cloud Map) |
#
# **GenAI angle.** An agent platform registers tool services and model servers (with attributes
# such as `model=llama-3-8b`, `gpu=true`, `stage=canary`) so an orchestrator discovers the right,
# healthy instance at run time instead of reading hard-coded URLs.
#
# **Exam tip:** "discover services by attributes via API or DNS", "ECS service discovery" → Cloud
# Map. Plain internal names inside a VPC → Route 53 private hosted zone.

# %% [markdown]
# ## AWS Global Accelerator: static anycast IPs over the AWS backbone <a id="global-accelerator"></a>
#
# **What it is.** An accelerator gives you **two static anycast IPv4 addresses** (dual-stack is
# an option). Users connect to the nearest AWS edge location; traffic then rides the AWS global
# network to **endpoint groups** in one or more Regions, whose endpoints are ALBs, NLBs, EC2
# instances or Elastic IPs. Health checks move traffic away from unhealthy endpoints within
# seconds, with no DNS cache in the way because the IPs never change. **Traffic dials** set the
# share of traffic per Region; **endpoint weights** share it inside a Region.
#
# | | Global Accelerator | CloudFront |
# |---|---|---|
# | layer | 4 (TCP, UDP) | 7 (HTTP/HTTPS, WebSocket) |
# | caching | none: every packet goes to your endpoint | caches at the edge |
# | entry | 2 static anycast IPs | DNS name of the distribution |
# | best for | non-HTTP protocols, static IPs for allow-lists, fast regional failover | web content, APIs, assets |
#
# **GenAI angle.** A multi-Region inference service (an NLB in each Region in front of model
# servers) gets fixed IPs that enterprise customers can allow through their firewalls, lower and
# steadier latency for far-away users, and fast failover between Regions. Long-lived streaming
# connections (gRPC, WebSocket) benefit from the stable path.
#
# **Exam tip:** "static IP addresses", "allow-list", "UDP/TCP", "fast regional failover without
# DNS TTL" → Global Accelerator. "Cache", "HTTP content at the edge" → CloudFront.

# %%
quiz.show("networking", "global-accelerator")

# %% [markdown]
# ## Amazon CloudFront: the content delivery network <a id="cloudfront"></a>
#
# **What it is.** A CDN: viewers connect to one of hundreds of edge locations; CloudFront serves
# from cache or fetches from the **origin** (S3, an ALB, API Gateway, any HTTP server, or, since
# 2024, a private ALB/NLB/EC2 in a VPC through *VPC origins*). Regional edge caches and optional
# **Origin Shield** reduce load on the origin.
#
# - **Cache behaviours** match path patterns (`/assets/*`, `/api/*`), each with a *cache
#   policy* (TTLs; which headers, cookies and query strings form the cache key), an *origin
#   request policy*, allowed methods (POST/PUT must be enabled explicitly) and viewer protocol
#   policy (redirect to HTTPS). **Invalidations** remove objects before their TTL ends.
# - **Securing the origin:** **origin access control (OAC)** lets only your distribution read a
#   private S3 bucket: CloudFront signs requests with SigV4, and the bucket policy allows the
#   service principal `cloudfront.amazonaws.com` only when `AWS:SourceArn` is your distribution's
#   ARN. Block Public Access stays on. Custom origin headers play a similar role for ALBs.
# - **Securing viewers:** signed URLs / signed cookies (key groups), geo restriction, AWS WAF,
#   Shield, field-level encryption, ACM certificates (issued in **us-east-1** for CloudFront).
# - **Code at the edge:** *CloudFront Functions* (lightweight JavaScript, sub-millisecond, viewer
#   request/response only, no network access; can read a *KeyValueStore*) versus
#   *Lambda@Edge* (Node.js or Python, network access, viewer and origin events, longer run time).
# - **Resilience:** origin groups fail over to a second origin; custom error responses.
#
# **GenAI angle.** Serve generated images, audio and the chat UI from S3 through CloudFront;
# cache deterministic, read-heavy answers (product descriptions, embeddings of a fixed catalogue)
# but not personalised chat; put WAF rate limits in front of a streaming chat API.
#
# *Note:* the notes list **origin access identity (OAI)**. OAI is legacy: AWS recommends OAC,
# which also supports SSE-KMS encrypted objects, every Region, and PUT/POST/DELETE to the bucket.
#
# **Exam tip:** "only CloudFront may read the bucket" → OAC + bucket policy with `AWS:SourceArn`.
# "Header rewrite / redirect at the edge, cheap" → CloudFront Functions; "call another service or
# inspect the body" → Lambda@Edge. "Stale content after a deploy" → invalidation or versioned
# file names.

# %%
quiz.show("networking", "cloudfront")

# %% [markdown]
# ### Exercise 4 — CloudFront with origin access control for generated images (3 points)
#
# An image-generation feature writes PNGs to a private S3 bucket. Users must download them
# through CloudFront over HTTPS, never from S3 directly. Write
# `serve_generated_assets(cloudfront, s3, bucket)` that:
#
# 1. creates an **origin access control** for S3 that always signs requests with SigV4;
# 2. creates an enabled distribution whose single origin is the bucket's regional domain
#    `<bucket>.s3.<region>.amazonaws.com` (region from `s3.meta.region_name`) with that OAC
#    (`OriginAccessControlId`, plus `S3OriginConfig={"OriginAccessIdentity": ""}`: an empty OAI),
#    and whose default cache behaviour redirects HTTP to HTTPS and uses the managed
#    *CachingOptimized* cache policy (id `658327ea-f89d-4fab-a63d-7e88639e58f6`);
# 3. turns on all four **Block Public Access** settings of the bucket;
# 4. writes a bucket policy that allows `s3:GetObject` on the bucket's objects to the service
#    principal `cloudfront.amazonaws.com` **only for this distribution** (condition
#    `StringEquals` on `AWS:SourceArn` = the distribution ARN);
# 5. returns the distribution id.
#
# The simulator does not store the `OriginAccessControlId` of an origin, so the test watches
# the request your code sends. It does not evaluate the bucket policy either; the test reads it.

# %% kind="solution" grade_id="cloudfront-oac"
def serve_generated_assets(cloudfront, s3, bucket):
    """Private bucket + OAC + HTTPS distribution + bucket policy for that distribution only; return its id."""
    import json
    import uuid

    ### BEGIN SOLUTION
    region = s3.meta.region_name
    oac_id = cloudfront.create_origin_access_control(
        OriginAccessControlConfig={
            "Name": f"{bucket}-oac"[:64],
            "SigningProtocol": "sigv4",
            "SigningBehavior": "always",
            "OriginAccessControlOriginType": "s3",
        }
    )["OriginAccessControl"]["Id"]
    origin_id = f"s3-{bucket}"
    distribution = cloudfront.create_distribution(
        DistributionConfig={
            "CallerReference": str(uuid.uuid4()),
            "Comment": f"generated assets in {bucket}",
            "Enabled": True,
            "Origins": {
                "Quantity": 1,
                "Items": [
                    {
                        "Id": origin_id,
                        "DomainName": f"{bucket}.s3.{region}.amazonaws.com",
                        "S3OriginConfig": {"OriginAccessIdentity": ""},
                        "OriginAccessControlId": oac_id,
                    }
                ],
            },
            "DefaultCacheBehavior": {
                "TargetOriginId": origin_id,
                "ViewerProtocolPolicy": "redirect-to-https",
                "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
            },
        }
    )["Distribution"]
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "cloudfront.amazonaws.com"},
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
                "Condition": {"StringEquals": {"AWS:SourceArn": distribution["ARN"]}},
            }
        ],
    }
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    return distribution["Id"]
    ### END SOLUTION


# %% kind="tests" grade_id="cloudfront-oac-tests" points=3
"""Can only this distribution read the private bucket, through an OAC and over HTTPS?"""
import json
import uuid


def _watch(client):
    """Record the DistributionConfig of every distribution the client asks to create."""
    seen = []

    def record(params, **_):
        params = json.loads(json.dumps(params, default=str))
        seen.append(params.get("DistributionConfigWithTags", params))

    for operation in ("CreateDistribution", "CreateDistributionWithTags"):
        client.meta.events.register(f"provide-client-params.cloudfront.{operation}", record)
    return seen


def _as_list(value):
    return value if isinstance(value, list) else [value]


def _check_assets(cf, s3, bucket, sent, dist_id):
    checks.expect_type(dist_id, str, "serve_generated_assets should return the distribution id")
    dist = checks.read(f"the distribution {dist_id!r}", cf.get_distribution, Id=dist_id,
                       hint="return the Id of the distribution you created")["Distribution"]
    cfg = dist["DistributionConfig"]
    checks.expect(cfg["Enabled"], "the distribution should be enabled")
    checks.expect_equal(len(sent), 1, "one distribution should be created")
    origins = sent[0]["DistributionConfig"]["Origins"]["Items"]
    checks.expect_equal(len(origins), 1, "the distribution should have one origin")
    checks.expect_equal(sent[0]["DistributionConfig"]["Origins"].get("Quantity"), len(origins),
                        "Origins.Quantity should be the number of origins (AWS refuses a mismatch)")
    checks.expect_equal(sent[0]["DistributionConfig"]["DefaultCacheBehavior"].get("CachePolicyId"),
                        "658327ea-f89d-4fab-a63d-7e88639e58f6",
                        "the default cache behaviour should use the managed CachingOptimized cache policy",
                        hint='CachePolicyId="658327ea-f89d-4fab-a63d-7e88639e58f6"')
    origin = origins[0]
    checks.expect_equal(origin["DomainName"], f"{bucket}.s3.{s3.meta.region_name}.amazonaws.com",
                        "the origin should be the bucket's regional S3 domain")
    oacs = {o["Id"]: o for o in cf.list_origin_access_controls()["OriginAccessControlList"].get("Items", [])}
    checks.expect_in(origin.get("OriginAccessControlId"), oacs, "the origin should use an origin access control you created",
                     hint="pass OriginAccessControlId=<the OAC id> in the origin")
    oac = oacs[origin["OriginAccessControlId"]]
    checks.expect_equal((oac["SigningProtocol"], oac["SigningBehavior"], oac["OriginAccessControlOriginType"]),
                        ("sigv4", "always", "s3"), "OAC (signing protocol, behaviour, origin type)")
    checks.expect_equal(origin.get("S3OriginConfig", {}).get("OriginAccessIdentity"), "",
                        "with OAC the legacy origin access identity stays empty")
    checks.expect_in(cfg["DefaultCacheBehavior"]["ViewerProtocolPolicy"], ("redirect-to-https", "https-only"),
                     "viewers should be forced to HTTPS")
    pab = checks.read("the bucket's Block Public Access settings", s3.get_public_access_block, Bucket=bucket,
                      hint="s3.put_public_access_block(Bucket=..., PublicAccessBlockConfiguration={...})")[
        "PublicAccessBlockConfiguration"]
    checks.expect(all(pab.values()) and len(pab) == 4, "all four Block Public Access settings should be on", found=pab)

    document = json.loads(checks.read("the bucket policy", s3.get_bucket_policy, Bucket=bucket,
                                      hint="s3.put_bucket_policy(Bucket=..., Policy=json.dumps({...}))")["Policy"])
    checks.expect_in(document.get("Version", "2012-10-17"), ("2012-10-17", "2008-10-17"),
                     "the bucket policy's Version should be a policy language version", hint='"Version": "2012-10-17"')
    statements = _as_list(document.get("Statement", []))
    allows = [st for st in statements if st.get("Effect") == "Allow"]
    for st in allows:
        checks.expect(st.get("Principal") == {"Service": "cloudfront.amazonaws.com"},
                      "every Allow in the bucket policy should be for the CloudFront service principal only",
                      found=st.get("Principal"), hint='Principal: {"Service": "cloudfront.amazonaws.com"}')
        cond = st.get("Condition", {}).get("StringEquals", {})
        checks.expect_equal(cond.get("AWS:SourceArn"), dist["ARN"],
                            "the Allow should be limited to this distribution's ARN",
                            hint='Condition: {"StringEquals": {"AWS:SourceArn": <distribution ARN>}}; without it any '
                                 "CloudFront distribution, in any account, could read the bucket")
    checks.expect(any("s3:GetObject" in _as_list(st.get("Action")) and f"arn:aws:s3:::{bucket}/*" in _as_list(st.get("Resource"))
                      for st in allows),
                  "the bucket policy should allow s3:GetObject on arn:aws:s3:::<bucket>/*", found=allows)


_cf, _s3 = aws.client("cloudfront"), aws.client("s3")
_bucket = f"net-genimg-{uuid.uuid4().hex[:10]}"
_s3.create_bucket(Bucket=_bucket)
_sent = _watch(_cf)
_dist = checks.call(serve_generated_assets, _cf, _s3, _bucket)
_check_assets(_cf, _s3, _bucket, _sent, _dist)
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_cf2 = aws.client("cloudfront")
_s3_eu = aws.client("s3", region_name="eu-central-1")
_bucket2 = f"net-audio-{uuid.uuid4().hex[:12]}"
_s3_eu.create_bucket(Bucket=_bucket2, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
_sent2 = _watch(_cf2)
_dist2 = checks.call(serve_generated_assets, _cf2, _s3_eu, _bucket2)
checks.expect(_dist2 != _dist, "each call should create its own distribution")
_check_assets(_cf2, _s3_eu, _bucket2, _sent2, _dist2)
### END HIDDEN TESTS

# %% [markdown]
# # Part 3 — APIs in front of models

# %% [markdown]
# ## Amazon API Gateway: REST, HTTP and WebSocket APIs <a id="api-gateway"></a>
#
# **What it is.** A managed front door for APIs: authentication, throttling, transformation and
# monitoring before a request reaches Lambda, an HTTP backend, or an AWS service directly
# (*AWS service integrations*, e.g. SageMaker Runtime, Step Functions, SQS, with no Lambda glue).
#
# | Feature | REST API | HTTP API | WebSocket API |
# |---|---|---|---|
# | price / latency | higher | lower (cheapest) | per message and connection minute |
# | API keys, usage plans (quotas) | yes | no | no |
# | caching, request validation, VTL mapping templates | yes | no (parameter mapping only) | routes by message |
# | AWS WAF, resource policies, private endpoint | yes | no | WAF no |
# | authorizers | IAM, Cognito, Lambda | IAM, **JWT (native)**, Lambda | IAM, Lambda |
# | endpoint types | edge-optimized, Regional, private | Regional | Regional |
#
# **Limits the exam likes.** Payload up to **10 MB**. Integration timeout **29 s** by default;
# since June 2024 Regional and private **REST** APIs can raise it (at the cost of lower
# account-level throttling), while HTTP APIs stop at 30 s. Account throttling defaults to 10,000
# requests/s with a 5,000 burst per Region; clients over a limit get **429 Too Many Requests**.
# A **usage plan** ties API keys to stages with a *throttle* (`rateLimit` = steady requests per
# **second**, `burstLimit` = bucket size) and a *quota* (requests per DAY, WEEK or MONTH). API
# keys identify and meter callers; they are not authentication. Stages and stage variables
# separate dev/prod; canary release settings on a stage send a percentage to a new deployment.
#
# **GenAI angle.** Client → API Gateway (Cognito or Lambda authorizer) → Lambda → Bedrock is the
# standard synchronous pattern; usage plans give per-customer quotas for a paid model API; a
# cache absorbs repeated identical prompts. For long generations, stream through a **WebSocket
# API** or return a job id and poll, rather than holding a request open near the timeout.
# A platform team can also use a REST API as a central **GenAI gateway**: one API key and usage
# plan per team, a function behind it that maps each team to a model and calls the model-agnostic
# `Converse` API (so the model changes centrally, not in each team's code), and Bedrock model
# invocation logging as the central record of prompts and responses.
#
# **Response streaming (REST).** A REST API's proxy integration (Lambda proxy or HTTP proxy)
# can set its *response transfer mode* to `STREAM`: API Gateway then forwards bytes
# as the backend produces them instead of waiting for the whole response. For Lambda it calls
# `InvokeWithResponseStream`, and the function writes a small metadata JSON, a delimiter, then the
# payload (for example each `ConverseStream` chunk). Streaming lowers time to first token, goes
# past the 29-second timeout and the 10 MB response limit, and keeps API keys, usage plans and
# authorizers. It is one-way: if the browser must also send messages mid-stream (stop, follow-up),
# use a WebSocket API, where the backend pushes to each connection through the `@connections` API.
# Clients that can only parse one complete JSON document still need a buffered response (and a
# raised integration timeout for long generations).
#
# *Note:* the notes treat 29 s as a hard limit. It is the default; REST APIs can request more
# since 2024. They also call caching "memcached": it is a dedicated per-stage cache (0.5–237 GB)
# billed per hour.
#
# **Exam tip:** "per-customer quota / API keys / tiers" → REST API usage plan. "Cheapest, JWT
# auth, simple proxy" → HTTP API. "Server pushes tokens to the browser" → WebSocket API (or
# AppSync subscriptions).
#
# **Try it.** A REST API is a tree of resources, each with methods; a method has an integration;
# a deployment freezes the tree into a stage that clients call. (The simulator's first API
# Gateway call loads a large library and can take several seconds.)

# %%
apigateway = aws.client("apigateway")
demo_api = apigateway.create_rest_api(name="demo-genai", endpointConfiguration={"types": ["REGIONAL"]})["id"]
demo_root = apigateway.get_resources(restApiId=demo_api)["items"][0]["id"]
demo_res = apigateway.create_resource(restApiId=demo_api, parentId=demo_root, pathPart="generate")["id"]
apigateway.put_method(restApiId=demo_api, resourceId=demo_res, httpMethod="POST",
                      authorizationType="NONE", apiKeyRequired=True)
apigateway.put_integration(restApiId=demo_api, resourceId=demo_res, httpMethod="POST", type="MOCK")
apigateway.create_deployment(restApiId=demo_api, stageName="dev")
for item in apigateway.get_resources(restApiId=demo_api, embed=["methods"])["items"]:
    methods = {m: v.get("apiKeyRequired") for m, v in item.get("resourceMethods", {}).items()}
    print(item["path"], "methods (API key required?):", methods)
print("stages:", [s["stageName"] for s in apigateway.get_stages(restApiId=demo_api)["item"]])
print(f"a client would call https://{demo_api}.execute-api.{aws.region}.amazonaws.com/dev/generate")

# %%
quiz.show("networking", "api-gateway")

# %% [markdown]
# ### Exercise 5 — tiered access to a text-generation API (3 points)
#
# A REST API exposes `POST /generate` (its method already requires an API key) and is deployed
# to a stage. Product management defines tiers in **requests per minute**, for example
# `{"free": {"requests_per_minute": 60, "burst": 5, "requests_per_day": 500}, ...}`.
#
# 1. `create_tier_plans(apigateway, api_id, stage, tiers)` creates one usage plan per tier,
#    attached to the API's stage, with a throttle and a **daily** quota, and returns
#    `{tier: usage_plan_id}`. Careful: a usage plan's `rateLimit` is in requests per **second**.
# 2. `issue_api_key(apigateway, plan_id, customer)` creates an **enabled** API key named after the
#    customer, adds it to the plan and returns `{"id": <key id>, "value": <key value>}`.
#
# Hints: `create_usage_plan(name=..., apiStages=[{"apiId": ..., "stage": ...}],
# throttle={"rateLimit": ..., "burstLimit": ...}, quota={"limit": ..., "period": "DAY"})`,
# `create_api_key(...)`, `create_usage_plan_key(usagePlanId=..., keyId=..., keyType="API_KEY")`.
# The simulator does not enforce keys or limits on calls, so the test reads the plans back.

# %% kind="solution" grade_id="apigw-usage-plans"
def create_tier_plans(apigateway, api_id, stage, tiers):
    """One usage plan per tier on api_id/stage (throttle per second, daily quota); return {tier: plan_id}."""
    ### BEGIN SOLUTION
    plans = {}
    for tier, spec in tiers.items():
        plan = apigateway.create_usage_plan(
            name=f"{api_id}-{stage}-{tier}",
            apiStages=[{"apiId": api_id, "stage": stage}],
            throttle={"rateLimit": spec["requests_per_minute"] / 60, "burstLimit": spec["burst"]},
            quota={"limit": spec["requests_per_day"], "period": "DAY"},
        )
        plans[tier] = plan["id"]
    return plans
    ### END SOLUTION


def issue_api_key(apigateway, plan_id, customer):
    """Create an enabled API key for the customer, add it to the plan; return {"id": ..., "value": ...}."""
    ### BEGIN SOLUTION
    key = apigateway.create_api_key(name=customer, enabled=True, tags={"customer": customer})
    apigateway.create_usage_plan_key(usagePlanId=plan_id, keyId=key["id"], keyType="API_KEY")
    return {"id": key["id"], "value": key["value"]}
    ### END SOLUTION


# %% kind="tests" grade_id="apigw-usage-plans-tests" points=3
"""Does every tier get a plan on the right stage with per-second throttling and a daily quota, and keys land in their plan?"""
import math
import random
import uuid


def _genai_api(apig, stage):
    api_id = apig.create_rest_api(name=f"genai-{uuid.uuid4().hex[:6]}", endpointConfiguration={"types": ["REGIONAL"]})["id"]
    root = [r for r in apig.get_resources(restApiId=api_id)["items"] if r["path"] == "/"][0]["id"]
    res = apig.create_resource(restApiId=api_id, parentId=root, pathPart="generate")["id"]
    apig.put_method(restApiId=api_id, resourceId=res, httpMethod="POST", authorizationType="NONE", apiKeyRequired=True)
    apig.put_integration(restApiId=api_id, resourceId=res, httpMethod="POST", type="MOCK",
                         requestTemplates={"application/json": '{"statusCode": 200}'})
    apig.create_deployment(restApiId=api_id, stageName=stage)
    return api_id


def _check_plans(apig, api_id, stage, tiers, plans):
    checks.expect_type(plans, dict, "create_tier_plans should return a dict {tier: plan_id}")
    checks.expect_equal(sorted(plans), sorted(tiers), "one plan per tier")
    checks.expect_equal(len(set(plans.values())), len(tiers), "each tier should have its own plan")
    for tier, spec in tiers.items():
        plan = apig.get_usage_plan(usagePlanId=plans[tier])
        checks.expect_equal(plan.get("apiStages"), [{"apiId": api_id, "stage": stage}],
                            f"the {tier} plan should be attached to the API stage",
                            hint='apiStages=[{"apiId": api_id, "stage": stage}]')
        throttle, quota = plan.get("throttle", {}), plan.get("quota", {})
        checks.expect(math.isclose(throttle.get("rateLimit", -1), spec["requests_per_minute"] / 60, rel_tol=1e-6),
                      f"the {tier} plan's rateLimit is in requests per SECOND",
                      expected=spec["requests_per_minute"] / 60, found=throttle.get("rateLimit"),
                      hint="divide requests_per_minute by 60")
        checks.expect_equal(throttle.get("burstLimit"), spec["burst"], f"the {tier} plan's burstLimit")
        checks.expect_equal((quota.get("limit"), quota.get("period")), (spec["requests_per_day"], "DAY"),
                            f"the {tier} plan's quota (limit, period)")


def _check_key(apig, plans, tier, key, customer):
    checks.expect(isinstance(key, dict) and {"id", "value"} <= set(key), "issue_api_key should return {'id', 'value'}",
                  found=key)
    stored = apig.get_api_key(apiKey=key["id"], includeValue=True)
    checks.expect_equal((stored["name"], stored["enabled"], stored["value"]), (customer, True, key["value"]),
                        "the stored key (name, enabled, value)")
    for other, plan_id in plans.items():
        ids = [k["id"] for k in apig.get_usage_plan_keys(usagePlanId=plan_id)["items"]]
        checks.expect((key["id"] in ids) == (other == tier), f"the key for {customer} should be in the {tier} plan only",
                      found=f"{other} plan keys: {ids}")


_apig = aws.client("apigateway")
_api = _genai_api(_apig, "prod")
_tiers = {"free": {"requests_per_minute": 60, "burst": 5, "requests_per_day": 500},
          "pro": {"requests_per_minute": 600, "burst": 50, "requests_per_day": 20000}}
_plans = checks.call(create_tier_plans, _apig, _api, "prod", _tiers)
_check_plans(_apig, _api, "prod", _tiers, _plans)
_key = checks.call(issue_api_key, _apig, _plans["pro"], "acme-corp")
_check_key(_apig, _plans, "pro", _key, "acme-corp")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_stage2 = f"v{random.randint(2, 9)}-{uuid.uuid4().hex[:4]}"
_api2 = _genai_api(_apig, _stage2)
_tiers2 = {f"t{n}-{uuid.uuid4().hex[:4]}": {"requests_per_minute": random.choice([30, 90, 150, 1200]),
                                            "burst": random.randint(2, 400), "requests_per_day": random.randint(100, 90000)}
           for n in range(3)}
_plans2 = checks.call(create_tier_plans, _apig, _api2, _stage2, _tiers2)
_check_plans(_apig, _api2, _stage2, _tiers2, _plans2)
_tier = random.choice(list(_tiers2))
_cust = f"customer-{uuid.uuid4().hex[:6]}"
_key2 = checks.call(issue_api_key, _apig, _plans2[_tier], _cust)
_check_key(_apig, _plans2, _tier, _key2, _cust)
checks.expect(_key2["id"] != _key["id"], "each customer should get a new key")
### END HIDDEN TESTS

# %% [markdown]
# ## AWS AppSync: managed GraphQL and real-time APIs <a id="appsync"></a>
#
# **What it is.** A managed **GraphQL** service: you write a schema; **resolvers** (JavaScript
# or VTL, unit or *pipeline* resolvers of several functions) fetch each field from **data
# sources**: DynamoDB, Aurora (Data API), OpenSearch, Lambda, HTTP endpoints, EventBridge, and
# Amazon Bedrock. Clients get exactly the fields they ask for from several sources in one
# request. **Subscriptions** push changes to clients over WebSockets. Authorisation modes: API
# key, IAM, Cognito user pools, OIDC and Lambda, several at once. **Merged APIs** combine the
# schemas of several source APIs (owned by different teams) into one endpoint. **AppSync Events**
# is a simpler serverless WebSocket pub/sub API without GraphQL.
#
# **GenAI angle.** Since late 2024 a resolver can call **Bedrock Runtime directly** (for example
# `InvokeModel` or `Converse`); such synchronous calls must finish within AppSync's
# 10-second limit. For longer generations, start the work asynchronously (a Lambda or Step
# Functions workflow) and push partial results back to the browser through a **subscription**.
# A chat screen can fetch the user's profile (DynamoDB), history (Aurora) and a model answer
# (Bedrock) in one query.
#
# | Need | Choose |
# |---|---|
# | flexible queries over several data sources, real-time updates to clients | AppSync |
# | REST resources, API keys with quotas, caching, VTL transforms | API Gateway REST |
# | cheapest JWT-protected proxy to Lambda or HTTP | API Gateway HTTP API |
#
# *Note:* the notes speak of "federation" and a "supergraph": AppSync's feature for this is
# **Merged APIs**. Offline sync for mobile comes from the Amplify client libraries on top of
# AppSync, not from AppSync alone.
#
# **Exam tip:** "GraphQL", "subscriptions", "one request, many sources" → AppSync. "Bedrock call
# longer than about 10 s from AppSync" → asynchronous pattern with subscriptions.

# %%
quiz.show("networking", "appsync")

# %% [markdown]
# # Part 4 — Moving data into AWS

# %% [markdown]
# ## AWS DataSync: online file and object transfers <a id="datasync"></a>
#
# **What it is.** A managed service that copies files and objects between storage systems over
# the network, with parallelism, integrity verification, incremental copies, scheduling,
# bandwidth limits, include/exclude filters and CloudWatch/EventBridge reporting. AWS claims up to
# 10× the speed of open-source copy tools.
#
# - **Locations:** NFS, SMB, HDFS, self-managed object storage, other clouds; on AWS: S3, EFS,
#   and FSx for Windows File Server, Lustre, OpenZFS and NetApp ONTAP.
# - **Agent:** needed when one side is self-managed storage (on-premises or another cloud): a VM
#   on VMware ESXi, KVM or Hyper-V, or an EC2 instance. **No agent** for transfers between AWS
#   storage services, in the same or another account or Region.
# - A **task** links a source and destination location with options (verify, overwrite,
#   filters, schedule). The agent can reach AWS through a VPC interface endpoint, so the copy
#   stays off the public internet (use Direct Connect or VPN to get to the VPC).
#
# **GenAI angle.** Move a 200 TB archive of manuals from an on-premises NAS to S3 for a
# Bedrock Knowledge Base, keep it synchronised nightly (incremental), or copy a training dataset
# from the data-science account to the production account's bucket. Cross-account copies to S3
# need a bucket policy in the destination that trusts the DataSync role. DataSync reports each
# task execution's state to EventBridge, so a successful nightly copy can start the knowledge
# base's ingestion job, which embeds only the files added, changed or deleted since the last sync.
#
# **Exam tip:** "online, recurring or one-off copy of files/objects with verification, NFS/SMB/
# HDFS to S3/EFS/FSx" → DataSync. "Keep the source file share mounted and cache in the cloud" →
# Storage Gateway instead.

# %%
quiz.show("networking", "datasync")

# %% [markdown]
# ## AWS Transfer Family: managed SFTP, FTPS, FTP and AS2 <a id="transfer-family"></a>
#
# **What it is.** Fully managed file-transfer servers that store files directly in **S3 or
# EFS**. Protocols: **SFTP**, **FTPS**, **FTP** (only inside a VPC, never internet-facing) and
# **AS2** (business-to-business EDI messages). Partners keep their existing clients and scripts;
# you run no servers.
#
# - **Identity:** service-managed users with SSH keys (SFTP), AWS Directory Service for Microsoft
#   AD, or a **custom identity provider** (a Lambda function or API Gateway, in front of LDAP,
#   Okta, a database...). Each user maps to an IAM role, optionally scoped down per user with a
#   session policy and a *logical home directory* so they see only their prefix.
# - **Endpoints:** public, or VPC-hosted (internal or internet-facing with Elastic IPs to give
#   partners fixed addresses).
# - **Managed workflows** run steps after an upload (copy, tag, decrypt, custom Lambda); S3
#   event notifications work too. **SFTP connectors** push files *to* partners' SFTP servers.
#
# **GenAI angle.** Hospitals or suppliers drop labelled data or documents by SFTP; a workflow
# or EventBridge rule starts Macie scanning, PII redaction and ingestion into a Knowledge Base.
#
# **Exam tip:** "external partners", "existing SFTP/FTPS clients", "AS2" → Transfer Family.
# "Our own bulk copy from a NAS" → DataSync.

# %%
quiz.show("networking", "transfer-family")

# %% [markdown]
# ## AWS DMS: database migration and change data capture <a id="dms"></a>
#
# **What it is.** AWS Database Migration Service copies data between databases and data stores
# while the source stays in use. You define a **source endpoint** and a **target endpoint**
# (engine, server, port, credentials, SSL mode) and a **replication task** that runs on a
# **replication instance** (an EC2-based server you size, optionally Multi-AZ, 50 or 100 GB of
# storage depending on the instance class; public or private) or on **DMS Serverless**.
#
# - **Task types:** full load; full load + **CDC** (change data capture); CDC only. A full load +
#   CDC task loads existing data, applies changes cached during the load, then replicates
#   ongoing changes (with lag at first while it works through the backlog).
# - **Homogeneous** (Oracle → Oracle) vs **heterogeneous** (Oracle → Aurora PostgreSQL): DMS
#   moves data, not schemas or code. Convert schemas, views and procedures first with **DMS
#   Schema Conversion** (managed, in the DMS console) or the downloadable **AWS Schema
#   Conversion Tool**.
# - Targets include RDS/Aurora, Redshift, DynamoDB, S3, OpenSearch, Kinesis Data Streams and
#   Kafka. Data is encrypted at rest (KMS) and in flight (SSL/TLS).
#
# **GenAI angle.** Stream CDC from an operational database to Kinesis or S3 so that embeddings
# and a vector index stay current, or to OpenSearch for hybrid search; migrate a product catalogue
# into Aurora PostgreSQL with pgvector with minimal downtime.
#
# *Note:* the notes say "DMS doesn't perform schema conversion — use SCT". Since 2023 DMS itself
# includes **DMS Schema Conversion**; SCT remains an option.
#
# **Exam tip:** "database", "minimal downtime", "ongoing replication" → DMS with full load + CDC.
# "Different engines" → DMS Schema Conversion or SCT first, then DMS.

# %%
quiz.show("networking", "dms")

# %% [markdown]
# ## Choosing a migration path <a id="migration-choice"></a>
#
# | Situation | Service |
# |---|---|
# | rows in a live database, keep it in sync until cut-over | DMS (full load + CDC) |
# | external partners send files with their own SFTP/FTPS/AS2 clients | Transfer Family |
# | your files/objects, the network can move them in time | DataSync |
# | your files/objects, the network **cannot** move them in time | an offline device from the AWS Snow Family (Snowball Edge), shipped both ways |
#
# *Availability:* AWS Snowball Edge is no longer offered to new customers. Existing customers keep
# ordering devices; new customers move bulk data online with DataSync (over a bigger link if need
# be), through AWS Data Transfer Terminal (bring your own storage to an AWS facility), or with a
# partner solution. Snow devices are also outside the AIP-C01 exam's scope.
#
# How long does the network take? Data in bits divided by the *usable* bandwidth. A link is
# rarely yours alone: plan on about 80% of it.
# `days = size_TB × 8 × 10¹² bits ÷ (Mbps × 10⁶ × 0.8) ÷ 86,400`. 100 TB over 1 Gbps: about
# 11.6 days; over 100 Mbps: about 116 days.

# %%
import matplotlib.pyplot as plt
import numpy as np

bandwidth_mbps = np.logspace(1, 4, 200)  # 10 Mbps .. 10 Gbps
fig, ax = plt.subplots(figsize=(8, 4.5))
for size_tb in (1, 10, 100, 1000):
    days = size_tb * 8e12 / (bandwidth_mbps * 1e6 * 0.8) / 86400
    ax.loglog(bandwidth_mbps, days, label=f"{size_tb:,} TB")
ax.axhline(14, color="black", ls="--")
ax.text(12, 16, "deadline: 14 days", fontsize=9)
ax.set(xlabel="Network bandwidth (Mbps, 80% usable)", ylabel="Days to transfer online",
       title="Online transfer time by data size and bandwidth")
ax.grid(alpha=0.3, which="both")
ax.legend(title="data to move")
plt.show()

# %% [markdown]
# **Reading the chart.** Every tenfold increase in data or decrease in bandwidth multiplies the
# days by ten. Anything above the dashed line misses a two-week deadline online: 100 TB needs
# roughly 0.8 Gbps or more, 1 PB roughly 8 Gbps or more. Below the line, DataSync is simpler and
# cheaper than shipping devices, and it keeps working for the incremental copies afterwards.

# %% [markdown]
# ### Exercise 6 — pick the migration service (3 points)
#
# Write `choose_migration_service(scenario)` that returns one of `"dms"`, `"transfer-family"`,
# `"snowball"` or `"datasync"` for a scenario dict with these keys:
#
# - `data`: `"database"` or `"files"`;
# - `sender`: `"us"` or `"partners"` (external organisations that push the files);
# - `protocol`: how files arrive, e.g. `"nfs"`, `"smb"`, `"hdfs"`, `"s3"`, `"sftp"`, `"ftps"`, `"as2"`;
# - `size_tb`, `bandwidth_mbps`, `deadline_days`: numbers.
#
# Rules, in this order: (1) a database → `"dms"`; (2) files pushed by partners over SFTP, FTPS,
# FTP or AS2 → `"transfer-family"`; (3) otherwise compute the online transfer time with 80% of the
# bandwidth usable (formula above; TB = 10¹² bytes, Mbps = 10⁶ bits/s): if it is **longer than**
# `deadline_days` → `"snowball"`, else `"datasync"`.

# %% kind="solution" grade_id="migration-choice"
def choose_migration_service(scenario):
    """Return "dms", "transfer-family", "snowball" or "datasync" for one migration scenario."""
    ### BEGIN SOLUTION
    if scenario["data"] == "database":
        return "dms"
    if scenario["sender"] == "partners" and scenario["protocol"].lower() in {"sftp", "ftps", "ftp", "as2"}:
        return "transfer-family"
    usable_bits_per_second = scenario["bandwidth_mbps"] * 1e6 * 0.8
    days = scenario["size_tb"] * 8e12 / usable_bits_per_second / 86400
    return "snowball" if days > scenario["deadline_days"] else "datasync"
    ### END SOLUTION


# %% kind="tests" grade_id="migration-choice-tests" points=3
"""Does the function pick DMS, Transfer Family, Snowball or DataSync correctly across many scenarios?"""
import random


def _scenario(data="files", sender="us", protocol="nfs", size_tb=10, bandwidth_mbps=1000, deadline_days=30):
    return {"data": data, "sender": sender, "protocol": protocol, "size_tb": size_tb,
            "bandwidth_mbps": bandwidth_mbps, "deadline_days": deadline_days}


_cases = [
    (_scenario(data="database", protocol="oracle", size_tb=5), "dms"),
    (_scenario(data="database", size_tb=500, bandwidth_mbps=10, deadline_days=1), "dms"),
    (_scenario(sender="partners", protocol="sftp", size_tb=0.2), "transfer-family"),
    (_scenario(sender="partners", protocol="as2", size_tb=0.01), "transfer-family"),
    (_scenario(protocol="nfs", size_tb=10, bandwidth_mbps=1000, deadline_days=30), "datasync"),
    (_scenario(protocol="smb", size_tb=500, bandwidth_mbps=1000, deadline_days=30), "snowball"),
    # 100 TB at 1 Gbps (80% usable) takes 11.57 days: fits 12 days, misses 11.
    (_scenario(protocol="hdfs", size_tb=100, bandwidth_mbps=1000, deadline_days=12), "datasync"),
    (_scenario(protocol="hdfs", size_tb=100, bandwidth_mbps=1000, deadline_days=11), "snowball"),
]
for _s, _want in _cases:
    checks.expect_equal(checks.call(choose_migration_service, dict(_s)), _want, f"service for {_s}")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
def _reference(s):
    if s["data"] == "database":
        return "dms"
    if s["sender"] == "partners" and s["protocol"] in {"sftp", "ftps", "ftp", "as2"}:
        return "transfer-family"
    days = s["size_tb"] * 8e12 / (s["bandwidth_mbps"] * 1e6 * 0.8) / 86400
    return "snowball" if days > s["deadline_days"] else "datasync"


_rng = random.Random()
_hidden = [
    # Bits vs bytes and the 80% factor matter near the boundary.
    (_scenario(size_tb=8.6, bandwidth_mbps=1000, deadline_days=1), "datasync"),       # 0.995 days
    (_scenario(size_tb=10, bandwidth_mbps=1000, deadline_days=1), "snowball"),        # 1.16 days
    (_scenario(size_tb=40, bandwidth_mbps=500, deadline_days=8), "snowball"),         # 9.26 days
    (_scenario(size_tb=86.4004, bandwidth_mbps=1000, deadline_days=10), "snowball"),  # 10.00005 days
    (_scenario(size_tb=86.3996, bandwidth_mbps=1000, deadline_days=10), "datasync"),  # 9.99995 days
    (_scenario(sender="partners", protocol="s3", size_tb=300, bandwidth_mbps=100, deadline_days=7), "snowball"),
    (_scenario(sender="us", protocol="sftp", size_tb=1, bandwidth_mbps=1000, deadline_days=7), "datasync"),
    (_scenario(sender="partners", protocol="ftps", size_tb=900, bandwidth_mbps=10, deadline_days=1), "transfer-family"),
]
_hidden = [(s, _reference(s)) for s, _ in _hidden]
for _ in range(200):
    _s = _scenario(
        data=_rng.choice(["files", "files", "files", "database"]),
        sender=_rng.choice(["us", "partners"]),
        protocol=_rng.choice(["nfs", "smb", "hdfs", "s3", "sftp", "ftps", "ftp", "as2"]),
        size_tb=round(_rng.uniform(0.05, 2000), 2),
        bandwidth_mbps=_rng.choice([50, 100, 500, 1000, 2000, 10000]),
        deadline_days=_rng.randint(1, 120),
    )
    _hidden.append((_s, _reference(_s)))
_wrong = [(s, w, checks.call(choose_migration_service, dict(s))) for s, w in _hidden]
_wrong = [(s, w, got) for s, w, got in _wrong if got != w]
checks.expect(not _wrong, f"{len(_wrong)} of {len(_hidden)} scenarios got the wrong service",
              expected=_wrong[0][1] if _wrong else None, found=_wrong[0] if _wrong else None,
              hint="data is in bits (8 per byte) and only 80% of the bandwidth is usable")
### END HIDDEN TESTS

# %%
quiz.show("networking", "migration-choice")

# %% [markdown]
# ## Amazon IVS: managed low-latency live video <a id="ivs"></a>
#
# **What it is.** Amazon Interactive Video Service (IVS) is a managed live-streaming service. You
# create a *channel*, send it a stream from standard broadcast software (RTMPS ingest, e.g. OBS),
# and IVS transcodes it and delivers it worldwide to viewers through its own player SDKs, with
# end-to-end latency of a few seconds for standard channels and sub-second latency with
# **IVS Real-Time Streaming** (*stages* where many participants publish and watch, over WebRTC).
# **Timed metadata** carries small messages in sync with the video (a poll, a product card),
# and **IVS Chat** adds moderated chat rooms; streams can be recorded to S3.
#
# **How it differs from CloudFront.** CloudFront caches and delivers content you already have
# (files, video on demand, your own streaming origin). IVS *is* the live-video pipeline: ingest,
# transcoding and playback, with no origin servers or media pipeline to build. Elemental
# MediaLive/MediaPackage give broadcast-grade control when you need to build that pipeline yourself.
#
# **GenAI angle.** A live shopping or learning stream can send generated captions, summaries or
# product recommendations to viewers as timed metadata, and chat messages can be screened by a
# model (or a Bedrock guardrail) before they are shown.
#
# **Exam tip:** "interactive live stream with low latency, no video infrastructure to manage" →
# Amazon IVS; "deliver files and on-demand video from an origin worldwide" → CloudFront.

# %% [markdown]
# ## Graded quiz <a id="graded-quiz"></a>
#
# Six questions across the whole notebook. Pick your answers in the widget below; they are saved
# automatically beside this notebook and graded when you submit. Leave the cells under the widget
# as they are.

# %%
quiz.graded("networking")

# %% kind="quiz" question="net-g1" points=1

# %% kind="quiz" question="net-g2" points=1

# %% kind="quiz" question="net-g3" points=1

# %% kind="quiz" question="net-g4" points=1

# %% kind="quiz" question="net-g5" points=1

# %% kind="quiz" question="net-g6" points=1

# %% [markdown]
# ## Summary / what to review <a id="summary"></a>
#
# **Private network.** Private subnets for models, data stores and functions; security groups
# (stateful) for "443 only from the app tier", NACLs (stateless) for subnet-wide denies. Gateway
# endpoints (free, route tables) exist only for S3 and DynamoDB; everything else, including every
# Bedrock API, uses interface endpoints with private DNS and a security group (Exercise 1).
#
# **Traffic to models.** ALB for HTTP routing by path/host/header with rule priorities, lowest
# first (Exercise 2); NLB for layer 4, static IPs and PrivateLink services. Route 53 weighted
# records for canaries and failover records with a health check on the primary (Exercise 3), and
# mind the TTL (chart). Global Accelerator for static anycast IPs and fast regional failover;
# CloudFront for edge caching, with OAC to keep the S3 origin private (Exercise 4). Cloud Map for
# discovering services by attributes.
#
# **APIs.** API Gateway REST for usage plans, keys, caching, validation and WAF (Exercise 5:
# `rateLimit` is per second); HTTP API for the cheapest JWT-protected proxy; WebSocket or AppSync
# subscriptions to push generated tokens. The 29 s integration timeout is a default that REST
# APIs can raise.
#
# **Data in.** DMS for databases (full load + CDC; schema conversion first when engines differ),
# Transfer Family for partners' SFTP/FTPS/AS2, DataSync for your own files when the network is
# fast enough, an offline Snow device when it is not (Exercise 6 and the chart).
#
# **Review checklist (the notes' exam focus areas):** choose gateway vs interface endpoints;
# secure Bedrock and SageMaker traffic with PrivateLink; front a model with API Gateway (Lambda
# proxy vs direct AWS integration, authorizers, throttling, caching); choose ALB vs NLB and write
# routing rules; choose the Route 53 policy for a rollout, latency or DR need; decide between
# CloudFront and Global Accelerator; pick DataSync, Transfer Family or DMS for a migration.
