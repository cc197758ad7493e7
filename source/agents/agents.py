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
# # Agents and tools: Strands Agents, MCP, Bedrock Agents and AgentCore
#
# **Who this is for:** developers preparing for the AWS Certified Generative AI Developer –
# Professional exam (AIP-C01). Task 2.1, *implement agentic AI solutions and tool
# integrations*, is the largest hands-on part of the exam's second domain: when to build an
# agent at all, how to give it tools it uses reliably, how to connect tools through the Model
# Context Protocol (MCP), how to keep a person in the loop, how to stop an agent that runs away,
# how several agents share work, and how to see and measure what agents do.
#
# **What you will do here:**
#
# - read 12 short sections, each ending with an *Exam tip* and self-check questions;
# - complete **9 graded exercises** against an offline Bedrock and a simulated AWS account: a
#   Strands agent with validated tools, an MCP server started over stdio and used by an agent,
#   a Lambda action group and a Bedrock agent read from its event stream, return of control
#   with a human approval, runaway-agent safeguards (call limits, time budget, circuit breaker),
#   a least-privilege role checked with IAM enforcement, a supervisor that routes to
#   collaborators, and an evaluation of an agent from its traces;
# - read two charts (where an agent spends its tokens, how a golden set scores an agent);
# - answer the **graded quiz** at the end.
#
# **Exam skills trained:** 2.1.1–2.1.7 (agents, structured reasoning, safeguards, model
# coordination, human in the loop, reliable tools, MCP), 1.5.6 (uniform retrieval access through
# function calling and MCP), 2.5.5 (agent orchestration patterns) and 4.3.4 (tool-call tracing).
#
# **How to work:** run the cells from top to bottom (every cell is safe to run again). In an
# exercise, replace `raise NotImplementedError()` with your code, run that cell, then run the
# test cell under it: its message tells you what is missing. Graded quiz answers are saved
# automatically next to this notebook as soon as you pick them.
#
# **About the simulator.** The first code cell starts a fake AWS account (moto) and the course's
# offline Bedrock stand-in (`course.bedrock_sim`). Real frameworks run against it unchanged:
# Strands Agents calls Converse, the MCP SDK starts real servers, boto3 gets the real Bedrock
# Agents event stream. The "model" is a set of small deterministic rules: it picks a tool by the
# words your request shares with the tool's name (counted twice), description and parameters,
# and reads argument values from your words (numbers, quoted strings, values shaped like the
# example in a parameter's description). So a well-described tool is chosen and a vague one is
# not, which is exactly the lesson. The full rules are in `course/bedrock_sim/README.md`.
# Nothing leaves the machine and nothing costs money.

# %% kind="setup"
from course import sandbox, checks, quiz

aws = sandbox.start()  # fake credentials, moto + the offline Bedrock simulator; safe to re-run

# %% [markdown]
# # Part 1 — Agents: when, and on what

# %% [markdown]
# ## When to use an agent instead of a fixed chain <a id="when-agents"></a>
#
# A **workflow** runs steps that your code decides: prompt chaining (extract, then summarise,
# then translate), routing (a classifier picks a branch), parallel calls whose results are
# merged. An **agent** lets the model decide the next step inside a loop: it *reasons* about the
# goal, *acts* by asking for a tool, *observes* the result, and repeats until it can answer. That
# loop is called ReAct (reason + act).
#
# | | Fixed chain (workflow) | Agent |
# |---|---|---|
# | Who picks the next step | your code | the model, at run time |
# | Good for | known, repeatable steps: document pipelines, approvals, ETL with an LLM step | open-ended requests where the tools needed depend on what the user says |
# | Cost and latency | predictable, usually lower | varies per request: several model calls per answer |
# | Testing and audit | each step testable on its own | needs traces and golden-set evaluation |
# | AWS building blocks | Bedrock Flows, Step Functions, Lambda, plain code | Strands Agents, Amazon Bedrock AgentCore, Bedrock Agents |
#
# Start with the simplest thing that works: one prompt, then a chain, and an agent only when
# the path really cannot be written down in advance. The two also combine: an agent can be one
# step of a Step Functions workflow, and a workflow can be one tool of an agent.
#
# **Model coordination.** Agents rarely use one model for everything. A small, fast model can
# classify or route and a larger one reason; a specialised model (code, vision, embeddings) does
# what it is best at; an *ensemble* asks several models and aggregates (votes, or a judge model
# picks); a *model-selection* layer chooses per request. On Bedrock, **Intelligent Prompt
# Routing** sends each request to one model of a family (for example a smaller or larger Claude)
# by predicted quality and cost; in code, a router can pick a `modelId` per step.
#
# **Exam tip:** "the steps are always the same" → a chain (Bedrock Flows or Step Functions), not an
# agent. "The assistant must decide which systems to call from the user's request" → an agent with
# tools. "Cheap routing, expensive reasoning" → different models per step (or prompt routing).

# %%
quiz.show("agents", "when-agents")

# %% [markdown]
# ## Strands Agents, Amazon Bedrock AgentCore and Bedrock Agents <a id="agent-platforms"></a>
#
# | Option | What it is | Choose it when |
# |---|---|---|
# | **Strands Agents** | open-source SDK (Python, TypeScript): an `Agent` = model + tools + system prompt; the model drives the loop; hooks to customise it; multi-agent patterns; any model provider, Bedrock by default | you write the agent in code and want control over tools and behaviour |
# | **Amazon Bedrock AgentCore** | managed services to run and operate agents built with *any* framework (Strands, LangGraph, CrewAI...) and any model | you take an agent to production: hosting, memory, identity, tools, monitoring |
# | **Amazon Bedrock Agents** (now *Bedrock Agents Classic*) | configure-only agents: instruction, action groups (Lambda or return of control), knowledge bases, aliases, `InvokeAgent` | existing workloads; closed to new customers since 30 July 2026, AWS recommends migrating to AgentCore |
# | **Agent Squad** | open-source framework (formerly Multi-Agent Orchestrator) whose classifier routes each request to the best of several agents; also a supervisor agent | routing conversations across many specialised agents, in Lambda or anywhere |
#
# The AgentCore services, each usable on its own:
#
# | AgentCore service | What it is for |
# |---|---|
# | **Runtime** | serverless hosting of agents and MCP servers, isolated sessions, long-running tasks |
# | **Memory** | short-term (the conversation) and long-term memory (facts, preferences, summaries extracted across sessions) |
# | **Gateway** | turns APIs (OpenAPI, Smithy), Lambda functions and MCP servers into MCP tools behind one endpoint, with authorisation and tool search |
# | **Identity** | who may call the agent (inbound OAuth/IAM) and the credentials the agent uses for tools (outbound OAuth tokens, API keys) |
# | **Observability** | traces, metrics and dashboards of agent steps and tool calls (OpenTelemetry, CloudWatch) |
# | **Policy** | Cedar rules that allow or deny each tool call going through a Gateway, from the caller and the tool's arguments |
# | **Evaluations** | built-in and custom evaluators (goal success, correctness, tool use) scored on traces |
# | **Code Interpreter, Browser** | built-in tools: sandboxed code execution, a managed web browser |
#
# AgentCore also offers a *managed harness*: declare the model, tools and instructions and let
# AgentCore run the loop, which is the recommended path for Bedrock Agents Classic workloads.
# Bedrock Agents still teaches the exam's vocabulary well (action groups, return of control,
# traces, supervisors), so Part 3 builds one.
#
# **Exam tip:** "agent written with LangGraph or Strands must run securely at scale with session
# isolation" → AgentCore Runtime. "Existing internal REST APIs must become tools for many agents"
# → AgentCore Gateway. "Remember a user's preferences across sessions" → AgentCore Memory.
# "Control which tools an agent may call and with which arguments" → AgentCore Policy.

# %%
quiz.show("agents", "agent-platforms")

# %% [markdown]
# # Part 2 — Tools the model uses reliably

# %% [markdown]
# ## Reliable tools: definitions, validation and recoverable errors <a id="tools"></a>
#
# **Tool use (function calling).** You describe each tool with a name, a description and a JSON
# schema for its input. With Converse this is `toolConfig={"tools": [{"toolSpec": {...}}]}`;
# `toolChoice` can leave the choice to the model (`auto`), force some tool (`any`) or one named
# tool; `"strict": true` on a tool spec asks the model to follow the schema exactly. The model
# never runs anything: it returns a `toolUse` block, your code runs the tool and sends a
# `toolResult` back.
#
# **A tool the model uses reliably:**
#
# - a name that says what it does (`get_order_status`, not `lookup`) and a description written in
#   the words users use, saying *when* to use it;
# - typed parameters, each described, with an example value or an `enum`, and a `required` list;
# - few tools per agent, each clearly different from the others;
# - input validation inside the tool: the model's arguments are untrusted;
# - errors the model can recover from: return a result with status `error` that says what was
#   wrong and what a valid value looks like ("order_id must look like ORD-1234"), instead of
#   raising an opaque exception;
# - for Lambda-backed tools: catch and report errors, keep the function's timeout and retries
#   short, make side effects idempotent.
#
# **Strands Agents** builds all of that from plain Python: `@tool` turns a function into a tool;
# its docstring's first paragraph becomes the description, the `Args:` section the parameter
# descriptions, and the type hints the JSON schema. A tool may return any value (it becomes a
# text result) or a result dict `{"status": "error", "content": [{"text": "..."}]}`. The agent
# loop then runs until the model answers; hooks (section [safeguards](#safeguards)) customise it.
#
# **Exam tip:** "the model keeps calling the wrong tool" → rewrite names, descriptions and
# parameter docs first. "Arguments sometimes miss required fields" → a stricter schema (strict
# tool use, enums, required) and validation with a clear error result.

# %%
quiz.show("agents", "tools")

# %% [markdown]
# **Try it.** A Strands agent with one tool, talking to the simulated Bedrock through a
# cross-Region inference profile. Strands is imported here, not in the first cell, because it
# takes a few seconds to load. `agent.messages` shows the whole loop: the user turn, the
# model's `toolUse`, the `toolResult`, and the final answer.

# %%
import json

from strands import Agent, tool
from strands.models import BedrockModel

MODEL_ID = "us.anthropic.claude-3-5-haiku-20241022-v1:0"  # a us. inference profile, as Strands uses


@tool
def get_weather(city: str) -> dict:
    """Get today's weather forecast for a city.

    Args:
        city: The city name, such as Lisbon.
    """
    return {"city": city, "forecast": "sunny", "high_c": 24}


demo = Agent(model=BedrockModel(model_id=MODEL_ID), tools=[get_weather], callback_handler=None)
print(demo("What is the weather forecast for Lisbon today?"))
for message in demo.messages:
    print(message["role"], [next(iter(block)) for block in message["content"]])
print(demo.tool_registry.get_all_tool_specs()[0]["inputSchema"]["json"]["properties"])

# %% [markdown]
# ### Exercise 1 — a Strands agent with two well-described, validated tools (3 points)
#
# A parcel shop wants an assistant that answers "Where is my order?" and "What does shipping
# cost?". Write `build_shop_agent(model_id, orders, rates)` that returns a Strands `Agent` (model
# `BedrockModel(model_id=model_id)`, `callback_handler=None`) with exactly two `@tool` functions:
#
# 1. `get_order_status(order_id: str)`: its docstring says it looks up the delivery status of a
#    customer's order, and documents `order_id` with an example value: *"The order id, such as
#    ORD-1234."* (the simulated model, like a real one, copies values shaped like the example).
#    - if `order_id` does not look like `ORD-` followed by four digits, return
#      `{"status": "error", "content": [{"text": ...}]}` whose text contains `order_id` and
#      `ORD-1234`;
#    - if `order_id` is not a key of `orders`, return such an error whose text contains
#      `No order <order_id>`;
#    - otherwise return `{"order_id": order_id, **orders[order_id]}`.
# 2. `estimate_shipping_cost(weight_kg: float, country: str)`: its docstring says it estimates
#    the cost and delivery days to ship a parcel to a country, and documents both parameters.
#    `rates` maps a country name to `{"per_kg": <USD per kg>, "days": <delivery days>}`.
#    - if `weight_kg` is not greater than 0 and at most 30, return an error whose text contains
#      `weight_kg` and `30`;
#    - if `country` is not a key of `rates`, return an error whose text lists every country of
#      `rates`;
#    - otherwise return `{"country": country, "weight_kg": weight_kg, "cost": round(weight_kg *
#      per_kg, 2), "days": days}`.
#
# The tests ask questions such as *"Where is my order ORD-1234?"* and *"What does it cost to
# ship a 2.5 kg parcel to France?"* and look at the tool calls and results in `agent.messages`.

# %%
import re

# %% kind="solution" grade_id="strands-tools"
def build_shop_agent(model_id, orders, rates):
    """A Strands agent with validated get_order_status and estimate_shipping_cost tools."""
    ### BEGIN SOLUTION
    def error(text):
        return {"status": "error", "content": [{"text": text}]}

    @tool
    def get_order_status(order_id: str) -> dict:
        """Look up the delivery status of a customer's order.

        Args:
            order_id: The order id, such as ORD-1234.
        """
        if not re.fullmatch(r"ORD-\d{4}", order_id):
            return error(f"order_id must look like ORD-1234, not {order_id!r}")
        if order_id not in orders:
            return error(f"No order {order_id} exists; check the order id.")
        return {"order_id": order_id, **orders[order_id]}

    @tool
    def estimate_shipping_cost(weight_kg: float, country: str) -> dict:
        """Estimate the cost and delivery days to ship a parcel to a country.

        Args:
            weight_kg: The parcel weight in kilograms (more than 0, at most 30).
            country: The destination country, such as France.
        """
        if not 0 < weight_kg <= 30:
            return error(f"weight_kg must be more than 0 and at most 30 kg, not {weight_kg}")
        if country not in rates:
            return error(f"country must be one of: {', '.join(sorted(rates))}")
        rate = rates[country]
        return {"country": country, "weight_kg": weight_kg, "cost": round(weight_kg * rate["per_kg"], 2),
                "days": rate["days"]}

    return Agent(
        model=BedrockModel(model_id=model_id),
        tools=[get_order_status, estimate_shipping_cost],
        system_prompt="You are the assistant of a parcel shop. Use the tools to answer.",
        callback_handler=None,
    )
    ### END SOLUTION


# %% kind="tests" grade_id="strands-tools-tests" points=3
"""Does build_shop_agent give the model two well-described tools that validate their input?"""
import random
import uuid


def _calls_and_results(agent):
    """(tool uses, tool results) in an agent's conversation."""
    uses, results = [], []
    for message in getattr(agent, "messages", None) or []:
        for block in message.get("content", []):
            if "toolUse" in block:
                uses.append({"name": block["toolUse"]["name"], "input": block["toolUse"]["input"]})
            if "toolResult" in block:
                result = block["toolResult"]
                text = " ".join(c.get("text", json.dumps(c.get("json"))) for c in result.get("content", []))
                results.append({"status": result.get("status"), "text": text})
    return uses, results


def _loaded(results):
    """The first tool result's JSON, or None when there is none or it is not JSON."""
    try:
        return json.loads(results[0]["text"])
    except (IndexError, KeyError, TypeError, ValueError):
        return None


def _ask(question, orders, rates):
    agent = checks.call(build_shop_agent, MODEL_ID, orders, rates)
    checks.expect(isinstance(agent, Agent), "build_shop_agent should return a strands Agent", found=type(agent).__name__)
    with checks.step(f"asking the agent {question!r}"):
        answer = str(agent(question))
    return agent, answer


_orders = {"ORD-1234": {"status": "shipped", "eta_days": 2}}
_rates = {"France": {"per_kg": 4.0, "days": 3}, "Spain": {"per_kg": 5.5, "days": 4}}
_agent, _answer = _ask("Where is my order ORD-1234?", _orders, _rates)
_specs = {s["name"]: s for s in _agent.tool_registry.get_all_tool_specs()}
checks.expect_equal(sorted(_specs), ["estimate_shipping_cost", "get_order_status"],
                    "the agent should have exactly the two tools, with these names")
_uses, _results = _calls_and_results(_agent)
checks.expect_equal(_uses, [{"name": "get_order_status", "input": {"order_id": "ORD-1234"}}],
                    "the model should pick get_order_status with the order id",
                    hint="describe the tool and its order_id parameter (with the example ORD-1234) in the docstring")
checks.expect(_results and _results[0]["status"] == "success" and "shipped" in _results[0]["text"],
              "the tool should return the order's status", found=_results)
_agent, _answer = _ask("What does it cost to ship a 2.5 kg parcel to France?", _orders, _rates)
_uses, _results = _calls_and_results(_agent)
checks.expect_equal(_uses, [{"name": "estimate_shipping_cost", "input": {"weight_kg": 2.5, "country": "France"}}],
                    "the model should pick estimate_shipping_cost with the weight and the country",
                    hint="type weight_kg as float and describe the tool as estimating the cost to ship a parcel")
checks.expect("10.0" in _results[0]["text"] and "3" in _results[0]["text"],
              "2.5 kg to France at 4.0 per kg costs 10.0 and takes 3 days", found=_results[0])
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_rng = random.Random()
_id = f"ORD-{_rng.randint(1000, 9999)}"
_status = _rng.choice(["packed", "in transit", "delivered"])
_eta = _rng.randint(1, 9)
_orders2 = {_id: {"status": _status, "eta_days": _eta}, "ORD-0001": {"status": "lost", "eta_days": 0}}
_per_kg, _weight, _days = 4.0, 1.0, _rng.randint(2, 12)
while round(_weight * _per_kg, 2) == round(_weight * _per_kg, 3):  # a cost whose rounding to cents shows
    _per_kg, _weight = round(_rng.uniform(2, 9), 3), round(_rng.uniform(1, 29), 1)
_rates2 = {"Japan": {"per_kg": _per_kg, "days": _days}, "Canada": {"per_kg": 3.0, "days": 5}}
_agent, _ = _ask(f"Has my order {_id} been delivered?", _orders2, _rates2)
_uses, _results = _calls_and_results(_agent)
checks.expect_equal(_uses, [{"name": "get_order_status", "input": {"order_id": _id}}], "order questions use get_order_status")
_got = _loaded(_results)
checks.expect_equal(_got, {"order_id": _id, "status": _status, "eta_days": _eta},
                    "the order result should be the order id plus every field of orders[order_id]")
_agent, _ = _ask(f"What does it cost to ship a {_weight} kg parcel to Japan?", _orders2, _rates2)
_uses, _results = _calls_and_results(_agent)
checks.expect_equal([u["name"] for u in _uses], ["estimate_shipping_cost"], "shipping questions use estimate_shipping_cost")
_got = _loaded(_results)
checks.expect_equal(_got, {"country": "Japan", "weight_kg": _weight, "cost": round(_weight * _per_kg, 2), "days": _days},
                    "cost = round(weight_kg * per_kg, 2) and days from rates")
for _question, _words, _what in [
    ("What does it cost to ship a 45 kg parcel to Japan?", ["weight_kg", "30"], "a weight over 30 kg"),
    ("What does it cost to ship a 2 kg parcel to Brazil?", ["Canada", "Japan"], "a country that is not in rates"),
    ("Where is my order 12345?", ["order_id", "ORD-1234"], "an order id in the wrong format"),
    ("Where is my order ORD-9999?", ["No order ORD-9999"], "an unknown order"),
    ("What does it cost to ship a 30.5 kg parcel to Japan?", ["weight_kg", "30"], "a weight just over 30 kg"),
    ("What does it cost to ship a 0 kg parcel to Canada?", ["weight_kg"], "a weight of 0"),
]:
    _agent, _answer = _ask(_question, _orders2, _rates2)
    _uses, _results = _calls_and_results(_agent)
    checks.expect(len(_results) == 1 and _results[0]["status"] == "error",
                  f"{_what} should come back to the model as one tool result with status 'error'", found=_results)
    for _word in _words:
        checks.expect_in(_word, _results[0]["text"], f"the error for {_what} should tell the model what to fix")
for _light in (0.5, 30):  # the limits: more than 0, at most 30
    _agent, _ = _ask(f"What does it cost to ship a {_light} kg parcel to Canada?", _orders2, _rates2)
    _uses, _results = _calls_and_results(_agent)
    _got = _loaded(_results)
    checks.expect(_results[0]["status"] == "success" and isinstance(_got, dict) and _got.get("cost") == round(_light * 3.0, 2)
                  if _results else False, f"{_light} kg is a valid weight", found=_results)
_agent, _ = _ask("Write a haiku about the sea", _orders2, _rates2)
checks.expect_equal(_calls_and_results(_agent)[0], [], "a request no tool fits should not call a tool")
_desc = {n: s["description"] for n, s in _specs.items()}
checks.expect(all(len(d.split()) >= 5 for d in _desc.values()), "each tool needs a real description", found=_desc)
_props = _specs["estimate_shipping_cost"]["inputSchema"]["json"]["properties"]
checks.expect_equal((_props["weight_kg"].get("type"), _props["country"].get("type")), ("number", "string"),
                    "typed parameters: weight_kg a float (number), country a str")
checks.expect(all(p.get("description") for p in _props.values()), "document each parameter in the docstring's Args section",
              found=_props)
from strands.handlers.callback_handler import PrintingCallbackHandler

checks.expect(not isinstance(_agent.callback_handler, PrintingCallbackHandler),
              "pass callback_handler=None, so the agent does not print every step")
checks.expect_equal(_agent.model.config.get("model_id"), MODEL_ID, "use BedrockModel(model_id=model_id)")
### END HIDDEN TESTS

# %% [markdown]
# ## The Model Context Protocol (MCP): one way to plug tools into any agent <a id="mcp"></a>
#
# **What it is.** An open protocol that standardises how an AI application (the *host*, with one
# *client* per connection) discovers and calls what a *server* offers: **tools** (functions the
# model may call), **resources** (data it may read) and **prompts** (reusable templates).
# Messages are JSON-RPC; the *transport* is **stdio** (the host starts the server as a child
# process and talks through its standard input and output: local, no network) or **Streamable
# HTTP** (a remote server, usually behind authentication). Write a tool once as an MCP server and
# every MCP client can use it: Strands Agents, other frameworks, coding assistants.
#
# **MCP on AWS.**
#
# | Need | Where the MCP server runs |
# |---|---|
# | simple, short, stateless tools (look up a record, call one API) | **AWS Lambda** (stateless Streamable HTTP), behind API Gateway or AgentCore Gateway: pay per call, scales to zero |
# | complex tools: long operations, big dependencies, warm caches or connections, streaming progress | a **long-running container** on Amazon ECS/AWS Fargate (or AgentCore Runtime, which hosts Streamable HTTP MCP servers serverless, each session in its own microVM) |
# | existing REST APIs, Lambda functions or MCP servers must become tools for many agents, with auth and tool search | **AgentCore Gateway** (its targets are OpenAPI specs, Smithy models, Lambda functions, MCP servers) |
# | the tool needs the user's OAuth token or an API key for a third-party system | **AgentCore Identity** (outbound credentials) |
#
# **Clients.** The `mcp` Python SDK has `ClientSession` with `stdio_client` or
# `streamablehttp_client`; Strands wraps them in `MCPClient`, whose `list_tools_sync()` returns
# tools you pass to an `Agent` like any other.
#
# **Uniform retrieval access (skill 1.5.6).** When several agents and models must query the same
# vector store, give them one interface instead of one integration each: a tool (function
# calling) or an MCP server that wraps the knowledge base's `Retrieve` API or a vector query.
# The model only sees a tool such as `search_knowledge_base(query, max_results)`; the store behind
# it can change without touching any agent. (For retrieval itself, see the retrieval notebook.)
#
# **Exam tip:** "expose a tool to many agents and assistants in a standard way" → an MCP server.
# "Stateless, bursty tool" → MCP on Lambda; "long-running, stateful tool" → MCP on ECS/Fargate.
# "Turn existing APIs into MCP tools without writing servers" → AgentCore Gateway.

# %%
quiz.show("agents", "mcp")

# %% [markdown]
# ### Exercise 2 — an MCP server over stdio, and an agent that uses it (4 points)
#
# Write two functions.
#
# **`create_kb_server(passages)`** returns an `MCPServer` (the `mcp` SDK's server class, imported
# below) named `"knowledge-base"` with one tool, `search_knowledge_base(query: str, max_results:
# int = 3) -> list[dict]`, whose docstring says it searches the company knowledge base for
# passages about a topic. `passages` is a list of `{"id": ..., "text": ...}`.
#
# 1. If `max_results` is not between 1 and 10, raise `ToolError("max_results must be between 1
#    and 10")` (the client then sees that message in an error result).
# 2. The query's words are its lower-cased words (`re.findall(r"\w+", ...)`) of three letters or
#    more; a passage's score is how many *distinct* query words are among the passage's
#    lower-cased words.
# 3. Return `{"id", "text", "score"}` for passages with a score above 0, highest score first
#    (ties: by `id`), at most `max_results` of them.
#
# **`ask_with_mcp(model_id, server_params, question)`** connects a Strands `MCPClient` to the
# server (`MCPClient(lambda: stdio_client(server_params))`, used as a context manager), builds an
# `Agent` with `BedrockModel(model_id=model_id)`, the server's tools (`list_tools_sync()`) and
# `callback_handler=None`, asks it `question`, and returns `{"answer": <the answer as text>,
# "tools_called": [<the name of every toolUse in agent.messages, in order>]}`.
#
# `server_parameters(create_kb_server, passages)` (from `course.agent_lab.mcp_stdio`) gives the
# parameters that start your server in a child process of this venv's Python over stdio, as a
# coding assistant starts a local MCP server: no network, no ports.

# %%
from mcp.client.stdio import stdio_client
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from strands.tools.mcp import MCPClient

from course.agent_lab.mcp_stdio import server_parameters

HANDBOOK = [
    {"id": "refunds", "text": "Refunds are paid within 14 days after the returned parcel arrives."},
    {"id": "shipping", "text": "Shipping is free for orders over 50 dollars; express delivery takes 2 days."},
    {"id": "warranty", "text": "The warranty covers manufacturing defects for two years."},
]

# %% kind="solution" grade_id="mcp-server"
def create_kb_server(passages):
    """An MCP server with a search_knowledge_base tool over the passages."""
    ### BEGIN SOLUTION
    server = MCPServer("knowledge-base")

    @server.tool()
    def search_knowledge_base(query: str, max_results: int = 3) -> list[dict]:
        """Search the company knowledge base for passages about a topic."""
        if not 1 <= max_results <= 10:
            raise ToolError("max_results must be between 1 and 10")
        words = {w for w in re.findall(r"\w+", query.lower()) if len(w) >= 3}
        hits = []
        for passage in passages:
            score = len(words & set(re.findall(r"\w+", passage["text"].lower())))
            if score > 0:
                hits.append({"id": passage["id"], "text": passage["text"], "score": score})
        hits.sort(key=lambda hit: (-hit["score"], hit["id"]))
        return hits[:max_results]

    return server
    ### END SOLUTION


def ask_with_mcp(model_id, server_params, question):
    """Answer a question with a Strands agent whose tools come from an MCP server over stdio."""
    ### BEGIN SOLUTION
    client = MCPClient(lambda: stdio_client(server_params))
    with client:
        agent = Agent(model=BedrockModel(model_id=model_id), tools=client.list_tools_sync(), callback_handler=None)
        answer = str(agent(question))
    called = [block["toolUse"]["name"] for message in agent.messages for block in message["content"] if "toolUse" in block]
    return {"answer": answer, "tools_called": called}
    ### END SOLUTION


# %% kind="tests" grade_id="mcp-server-tests" points=4
"""Does the MCP server search the passages over stdio, and does the agent use it through an MCP client?"""
import random
import uuid


def _unchained(action, *args, **kwargs):
    """Run action; a failure becomes a CheckFailed raised afresh, without the MCP client's exception
    chain (a chained MCP error keeps the notebook from showing the message)."""
    try:
        return action(*args, **kwargs)
    except checks.CheckFailed as failed:
        message = str(failed)
    raise checks.CheckFailed(message)


def _mcp_call(params, arguments):
    """List the server's tools and call search_knowledge_base, through a real stdio client."""

    def talk():
        client = MCPClient(lambda: stdio_client(params))
        with checks.step("starting your MCP server and listing its tools",
                         hint="create_kb_server must return the MCPServer; see its log: mcp_stdio.log_path(params)"):
            with client:
                specs = {t.tool_spec["name"]: t.tool_spec for t in client.list_tools_sync()}
                results = [client.call_tool_sync(f"t{i}", "search_knowledge_base", a)
                           if "search_knowledge_base" in specs else None for i, a in enumerate(arguments)]
        return specs, results

    return _unchained(talk)


def _hits(result):
    checks.expect(result is not None and result.get("status") == "success", "the tool call should succeed", found=result)
    structured = (result.get("structuredContent") or {}).get("result")
    return structured if structured is not None else [json.loads(c["text"]) for c in result["content"]]


_params = server_parameters(create_kb_server, HANDBOOK)
_specs, _results = _mcp_call(_params, [{"query": "How many days until refunds are paid?"}])
checks.expect_equal(sorted(_specs), ["search_knowledge_base"], "the server should offer exactly one tool, search_knowledge_base")
_schema = _specs["search_knowledge_base"]["inputSchema"]["json"]
checks.expect_equal((_schema["properties"]["query"].get("type"), _schema["properties"]["max_results"].get("type"),
                     _schema.get("required")), ("string", "integer", ["query"]),
                    "query: str is required, max_results: int has a default")
checks.expect("knowledge base" in _specs["search_knowledge_base"].get("description", "").lower(),
              "the tool's description should say it searches the knowledge base",
              found=_specs["search_knowledge_base"].get("description"))
checks.expect_equal([(h["id"], h["score"]) for h in _hits(_results[0])], [("refunds", 4), ("shipping", 1)],
                    "'How many days until refunds are paid?' shares days, refunds, are, paid with one passage, days with another")
_out = _unchained(checks.call, ask_with_mcp, MODEL_ID, _params, 'Search the knowledge base for "warranty defects"')
checks.expect_type(_out, dict, "ask_with_mcp should return a dict")
checks.expect_equal(_out.get("tools_called"), ["search_knowledge_base"], "the agent should call the MCP tool once")
checks.expect_in("two years", _out.get("answer", ""), "the answer should come from the passage the tool found")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_rng = random.Random()
_code = f"{_rng.randint(100, 999)}"
_topic = _rng.choice(["parking", "canteen", "badges"])
_passages = [
    {"id": "b-other", "text": f"The {_topic} office opens at nine."},
    {"id": "a-main", "text": f"Code {_code} unlocks the {_topic} gate after six in the evening."},
    {"id": "c-none", "text": "Holidays are booked in the staff portal."},
    {"id": "d-more", "text": f"Evening {_topic} rules: the gate closes at midnight."},
]
_params2 = server_parameters(create_kb_server, _passages)
_specs2, _res = _mcp_call(_params2, [{"query": f"{_topic} gate evening", "max_results": 2},
                                     {"query": f"{_topic.upper()} GATE"}, {"query": "an of to"},
                                     {"query": _topic, "max_results": 11}, {"query": _topic, "max_results": 0},
                                     {"query": f"{_topic} {_topic} office"}, {"query": f"{_topic} gate", "max_results": 1},
                                     {"query": f"{_topic} gate", "max_results": 10}])
checks.expect_equal([(h["id"], h["score"]) for h in _hits(_res[0])], [("a-main", 3), ("d-more", 3)],
                    "ties by id, and at most max_results passages")
checks.expect_equal([h["id"] for h in _hits(_res[1])], ["a-main", "d-more", "b-other"],
                    "words are compared in lower case; the default max_results is 3")
checks.expect_equal(_hits(_res[2]), [], "words shorter than three letters do not count; no match gives an empty list")
for _bad in _res[3:5]:
    checks.expect(_bad.get("status") == "error" and "between 1 and 10" in _bad["content"][0]["text"],
                  "max_results outside 1..10 should raise ToolError('max_results must be between 1 and 10')", found=_bad)
checks.expect_equal([(h["id"], h["score"]) for h in _hits(_res[5])][0], ("b-other", 2),
                    "a repeated query word counts once (distinct words)")
checks.expect(all(set(h) == {"id", "text", "score"} for h in _hits(_res[5])), "each hit has id, text and score")
checks.expect_equal(([h["id"] for h in _hits(_res[6])], len(_hits(_res[7]))), (["a-main"], 3),
                    "max_results 1 and 10 are both allowed")
_server = ((_res[0].get("metadata") or {}).get("io.modelcontextprotocol/serverInfo") or {}).get("name")
checks.expect_equal(_server, "knowledge-base", "name the server 'knowledge-base'")
checks.expect_equal(_specs2["search_knowledge_base"]["inputSchema"]["json"]["properties"]["max_results"].get("default"), 3,
                    "max_results defaults to 3")
import contextlib as _contextlib
import io as _io

_printed = _io.StringIO()
with _contextlib.redirect_stdout(_printed):
    _out2 = _unchained(checks.call, ask_with_mcp, MODEL_ID, _params2, f'Search the knowledge base for "{_topic} gate code"')
checks.expect(_out2["answer"].strip() not in _printed.getvalue(), "pass callback_handler=None: the agent should not print",
              found=_printed.getvalue()[:200])
checks.expect_in(_code, _out2["answer"], "the answer should quote the passage found through the MCP server")
_out3 = _unchained(checks.call, ask_with_mcp, MODEL_ID, _params2, "Write a haiku about autumn")
checks.expect_equal(_out3["tools_called"], [], "tools_called lists only the tools the model really called")
### END HIDDEN TESTS

# %% [markdown]
# # Part 3 — Amazon Bedrock Agents

# %% [markdown]
# ## Bedrock Agents: action groups, aliases and the event stream <a id="bedrock-agents"></a>
#
# *Amazon Bedrock Agents is now called Amazon Bedrock Agents Classic: since 30 July 2026 it takes
# no new customers, existing ones keep using it, and AWS recommends AgentCore for new agents.
# Its concepts are still the clearest way to see how a managed agent works.*
#
# **Building an agent, step by step** (`bedrock-agent` API):
#
# 1. `CreateAgent`: a name, a `foundationModel`, an `instruction` (at least 40 characters: what
#    the agent is for and how it should behave), and `agentResourceRoleArn`, the service role the
#    agent uses (for example `bedrock:InvokeModel` on its model). Optional: a guardrail, memory,
#    an idle-session timeout, a KMS key, advanced prompt overrides.
# 2. `CreateAgentActionGroup` on the `DRAFT` version: the actions, defined by a **function
#    schema** (functions with typed parameters; `requireConfirmation` to ask the user first) or an
#    **OpenAPI schema** (operations with an `operationId`, a description, parameters and a request
#    body), and an executor: a **Lambda function**, or `customControl: RETURN_CONTROL` to hand the
#    call to your application. A group with `parentActionGroupSignature: AMAZON.UserInput` lets
#    the agent ask the user for missing parameters.
# 3. A **resource-based policy** on the Lambda function: `lambda:AddPermission` for the principal
#    `bedrock.amazonaws.com`, with `SourceArn` = the agent's ARN (so no other agent can use it).
# 4. Optionally `AssociateAgentKnowledgeBase`, whose description tells the agent when to search it.
# 5. `PrepareAgent`: the `DRAFT` can now be tested through the test alias `TSTALIASID`.
# 6. `CreateAgentAlias`: takes an immutable numbered **version** of the prepared draft; an alias
#    points at one version, and updating the alias rolls forward or back without code changes.
# 7. `InvokeAgent` (`bedrock-agent-runtime`) with `agentId`, `agentAliasId`, a `sessionId` and
#    `inputText`. The answer is an **event stream**: `chunk` events carry the answer's bytes (read
#    them all and join them; with `streamingConfigurations={"streamFinalResponse": True}` the answer
#    arrives in several pieces), `trace` events show each step when `enableTrace=True`, and a
#    `returnControl` event hands an action to your application.
#
# **The Lambda contract.** For a function-schema group the agent sends an event with
# `messageVersion` `"1.0"`, `agent` (`name`, `id`, `alias`, `version`), `inputText`, `sessionId`,
# `actionGroup`, `function`, `parameters` (a list of `{"name", "type", "value"}`, **values as
# strings**), `sessionAttributes` and `promptSessionAttributes`. (An OpenAPI group sends `apiPath`,
# `httpMethod`, `parameters` and a `requestBody` instead of `function`.) It expects back:
#
# ```python
# {"messageVersion": "1.0",
#  "response": {"actionGroup": ..., "function": ...,
#               "functionResponse": {"responseBody": {"TEXT": {"body": "<a string>"}},
#                                    "responseState": "REPROMPT"}},   # optional: REPROMPT or FAILURE
#  "sessionAttributes": {...}}                                       # optional
# ```
#
# `REPROMPT` sends the body back to the model so it can ask the user again; `FAILURE` ends the
# turn with a `dependencyFailedException`. A malformed response also fails the turn.
#
# **Sessions and memory.** `sessionAttributes` last for the whole session and reach every Lambda
# call (a customer id, a cart); `promptSessionAttributes` last one turn and go into the prompt
# (today's date). With memory (`memoryConfiguration` `SESSION_SUMMARY`) and a `memoryId`, ending a
# session (`endSession=True`) stores a summary that later sessions see.
#
# **Exam tip:** "agent can't call the Lambda function" → the function's resource-based policy for
# `bedrock.amazonaws.com`. "Change the agent without breaking production" → prepare the draft,
# test with `TSTALIASID`, create a new version, move the alias. "Answer is cut off" → read every
# `chunk` of the stream.

# %%
quiz.show("agents", "bedrock-agents")

# %% [markdown]
# The next two exercises build an order-status agent. The orders live in DynamoDB; the
# cells below create the table and the two roles the exercises need: one for the Lambda function
# (trusted by `lambda.amazonaws.com`) and the agent's service role (trusted by
# `bedrock.amazonaws.com`).

# %%
import os
import time

import boto3

ddb = aws.client("dynamodb")
iam = aws.client("iam")
lam = aws.client("lambda")
agents = aws.client("bedrock-agent")
agent_runtime = aws.client("bedrock-agent-runtime")

AGENT_MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
ORDER_FUNCTIONS_FOR_TESTS = [{"name": "get_order_status", "description": "Look up the delivery status of an order.",
                              "parameters": {"order_id": {"type": "string", "required": True,
                                                          "description": "The order id, for example ORD-1234."}}}]
ORDER_AGENT_INSTRUCTION = (
    "You are the order desk of a parcel shop. Look up orders with the get_order_status function "
    "and tell customers where their parcel is and when it arrives."
)


def trust(service):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]})


def ensure_role(name, service):
    try:
        return iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust(service))["Role"]["Arn"]
    except iam.exceptions.EntityAlreadyExistsException:
        return iam.get_role(RoleName=name)["Role"]["Arn"]


def ensure_orders_table(name, orders):
    """A DynamoDB table of orders (order_id -> status, eta_days)."""
    try:
        ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                         KeySchema=[{"AttributeName": "order_id", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "order_id", "AttributeType": "S"}])
    except ddb.exceptions.ResourceInUseException:
        pass
    for order_id, fields in orders.items():
        ddb.put_item(TableName=name, Item={"order_id": {"S": order_id}, "status": {"S": fields["status"]},
                                           "eta_days": {"N": str(fields["eta_days"])}})
    return name


FUNCTION_ROLE = ensure_role("order-function-role", "lambda.amazonaws.com")
AGENT_ROLE = ensure_role("order-agent-role", "bedrock.amazonaws.com")
ORDERS = {"ORD-1234": {"status": "shipped", "eta_days": 2}, "ORD-5678": {"status": "packed", "eta_days": 4}}
ensure_orders_table("orders", ORDERS)
print(FUNCTION_ROLE, AGENT_ROLE)

# %% [markdown]
# ### Exercise 3 — the action group's Lambda handler (3 points)
#
# Write `order_status_handler(event, context)`, the Lambda function behind the agent's `orders`
# action group. It reads the table named by the environment variable `ORDERS_TABLE` with
# `boto3.resource("dynamodb").Table(...)` (key `order_id`) and answers in the format above:
# `messageVersion` `"1.0"`, and `response` with the event's `actionGroup` and `function` and a
# `functionResponse` whose `responseBody` is `{"TEXT": {"body": <string>}}`.
#
# 1. If `function` is not `get_order_status`: body `"Unknown function <name>"`, `responseState`
#    `"FAILURE"`.
# 2. Take `order_id` from `parameters`. If it does not look like `ORD-` and four digits: body
#    `"order_id must look like ORD-1234"`, `responseState` `"REPROMPT"`.
# 3. If the table has no such order: a body that contains the order id, `responseState`
#    `"REPROMPT"`.
# 4. Otherwise (no `responseState`): body `json.dumps({"order_id": ..., "status": ...,
#    "eta_days": ...})` with `eta_days` an `int` (DynamoDB returns numbers as `Decimal`, which
#    `json.dumps` refuses).
# 5. Always return `"sessionAttributes"`: the event's `sessionAttributes`, plus `"last_order_id"`
#    set to the order id when the order was found.
#
# The function will run from a deployment zip that holds only its own source after `import json`,
# `import os` and `import boto3` (see `course.agent_lab.lambda_zip`): import anything else (`re`,
# `decimal`...) inside the function.

# %% kind="solution" grade_id="action-group-handler"
def order_status_handler(event, context):
    """Lambda handler of the orders action group: look up an order in DynamoDB."""
    ### BEGIN SOLUTION
    import re

    function = event.get("function")
    attributes = dict(event.get("sessionAttributes") or {})

    def respond(body, response_state=None):
        function_response = {"responseBody": {"TEXT": {"body": body}}}
        if response_state:
            function_response["responseState"] = response_state
        return {
            "messageVersion": "1.0",
            "response": {"actionGroup": event["actionGroup"], "function": function,
                         "functionResponse": function_response},
            "sessionAttributes": attributes,
        }

    if function != "get_order_status":
        return respond(f"Unknown function {function}", "FAILURE")
    params = {p["name"]: p["value"] for p in event.get("parameters") or []}
    order_id = params.get("order_id", "")
    if not re.fullmatch(r"ORD-\d{4}", order_id):
        return respond("order_id must look like ORD-1234", "REPROMPT")
    table = boto3.resource("dynamodb").Table(os.environ["ORDERS_TABLE"])
    item = table.get_item(Key={"order_id": order_id}).get("Item")
    if item is None:
        return respond(f"No order {order_id} was found.", "REPROMPT")
    attributes["last_order_id"] = order_id
    return respond(json.dumps({"order_id": order_id, "status": item["status"], "eta_days": int(item["eta_days"])}))
    ### END SOLUTION


# %% kind="tests" grade_id="action-group-handler-tests" points=3
"""Does order_status_handler read the order and answer in the format Bedrock Agents expects?"""
import contextlib
import random
import uuid


@contextlib.contextmanager
def _environment(**values):
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _event(function="get_order_status", order_id="ORD-1234", attributes=None, group="orders"):
    return {"messageVersion": "1.0", "agent": {"name": "desk", "id": "AGENT12345", "alias": "TSTALIASID",
                                                "version": "DRAFT"},
            "inputText": f"Where is {order_id}?", "sessionId": "s1", "actionGroup": group, "function": function,
            "parameters": [{"name": "order_id", "type": "string", "value": order_id}],
            "sessionAttributes": dict(attributes or {}), "promptSessionAttributes": {}}


def _run(event, table):
    with _environment(ORDERS_TABLE=table):
        out = checks.call(order_status_handler, event, None)
    checks.expect_type(out, dict, "the handler should return a dict")
    checks.expect_equal(out.get("messageVersion"), "1.0", "every response needs messageVersion '1.0'")
    response = out.get("response") or {}
    checks.expect_equal((response.get("actionGroup"), response.get("function")),
                        (event["actionGroup"], event["function"]), "response echoes the event's actionGroup and function")
    function_response = response.get("functionResponse") or {}
    body = ((function_response.get("responseBody") or {}).get("TEXT") or {}).get("body")
    checks.expect_type(body, str, "functionResponse.responseBody.TEXT.body must be a string")
    return out, body, function_response.get("responseState")


def _json(body):
    try:
        return json.loads(body)
    except ValueError:
        checks.fail("a found order's body should be json.dumps of order_id, status and eta_days", "JSON text", body)


_out, _body, _state = _run(_event(attributes={"customer": "C-7"}), "orders")
checks.expect_equal(_json(_body), {"order_id": "ORD-1234", "status": "shipped", "eta_days": 2},
                    "a found order: body = json.dumps of order_id, status and eta_days (an int)")
checks.expect_equal(_state, None, "a found order has no responseState")
checks.expect_equal(_out.get("sessionAttributes"), {"customer": "C-7", "last_order_id": "ORD-1234"},
                    "sessionAttributes: the event's, plus last_order_id")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_table = f"orders-{uuid.uuid4().hex[:8]}"
_id = f"ORD-{random.randint(1000, 9999)}"
_eta = random.randint(1, 30)
ensure_orders_table(_table, {_id: {"status": "in transit", "eta_days": _eta}})
_group = f"group{uuid.uuid4().hex[:6]}"
_out, _body, _state = _run(_event(order_id=_id, group=_group), _table)
checks.expect_equal((_json(_body), _state), ({"order_id": _id, "status": "in transit", "eta_days": _eta}, None),
                    "the table named by ORDERS_TABLE is read")
checks.expect_not_in("responseState", _out["response"]["functionResponse"],
                     "a found order's functionResponse has no responseState key (its values are FAILURE and REPROMPT)")
checks.expect_equal(_out.get("sessionAttributes"), {"last_order_id": _id}, "last_order_id is added when found")
_out, _body, _state = _run(_event(order_id="ORD-0000", attributes={"customer": "C-1"}), _table)
checks.expect_equal(_state, "REPROMPT", "an order that is not in the table: responseState REPROMPT")
checks.expect_in("ORD-0000", _body, "the body names the missing order")
checks.expect_equal(_out.get("sessionAttributes"), {"customer": "C-1"}, "no last_order_id when the order is not found")
for _bad in ("12345", "ORD-12", "ord-1234", "ORD-12345"):
    _out, _body, _state = _run(_event(order_id=_bad), _table)
    checks.expect_equal((_body, _state), ("order_id must look like ORD-1234", "REPROMPT"),
                        f"{_bad!r} is not an order id: ask again")
_out, _body, _state = _run(_event(function="cancel_order"), _table)
checks.expect_equal((_body, _state), ("Unknown function cancel_order", "FAILURE"), "an unknown function fails the turn")
# The same handler, deployed from a zip and called by an agent.
from course.agent_lab.lambda_zip import handler_name, zip_handler
from course.bedrock_sim import agent_invoke

_name = f"desk{uuid.uuid4().hex[:6]}"
with checks.step("deploying order_status_handler from a zip behind an agent"):
    _fn = lam.create_function(FunctionName=f"{_name}-fn", Runtime="python3.12", Role=FUNCTION_ROLE,
                              Handler=handler_name(order_status_handler), Code={"ZipFile": zip_handler(order_status_handler)},
                              Environment={"Variables": {"ORDERS_TABLE": _table}})["FunctionArn"]
    _agent = agents.create_agent(agentName=_name, foundationModel=AGENT_MODEL, instruction=ORDER_AGENT_INSTRUCTION,
                                 agentResourceRoleArn=AGENT_ROLE)["agent"]
    lam.add_permission(FunctionName=_fn, StatementId="bedrock", Action="lambda:InvokeFunction",
                       Principal="bedrock.amazonaws.com", SourceArn=_agent["agentArn"])
    agents.create_agent_action_group(agentId=_agent["agentId"], agentVersion="DRAFT", actionGroupName="orders",
                                     actionGroupExecutor={"lambda": _fn}, functionSchema={"functions": ORDER_FUNCTIONS_FOR_TESTS})
    agents.prepare_agent(agentId=_agent["agentId"])
    _events = list(agent_runtime.invoke_agent(agentId=_agent["agentId"], agentAliasId="TSTALIASID", sessionId="s1",
                                              inputText=f"Where is my order {_id}?")["completion"])
_text = "".join(e["chunk"]["bytes"].decode() for e in _events if "chunk" in e)
_call = agent_invoke.lambda_calls()[-1]
checks.expect(_call["error"] is None, "the deployed handler failed inside Lambda (did you import re inside it?)",
              found=_call["error"])
checks.expect_in("in transit", _text, "the agent's answer should use the handler's result")
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 4 — deploy the agent and read its event stream (4 points)
#
# Write two functions.
#
# **`deploy_order_agent(lambda_client, agent_client, *, name, model_id, agent_role_arn,
# function_role_arn, table_name, code)`**, where `code` is the bytes of a deployment zip whose
# handler is `lambda_function.order_status_handler`:
#
# 1. create the Lambda function `f"{name}-orders"` (runtime `python3.12`, that handler, role
#    `function_role_arn`, the zip, environment variable `ORDERS_TABLE` = `table_name`, timeout
#    10 seconds);
# 2. create the agent `name` with `model_id`, the instruction `ORDER_AGENT_INSTRUCTION` and the
#    service role `agent_role_arn`;
# 3. let the agent invoke the function: permission for `bedrock.amazonaws.com` with `SourceArn` =
#    the agent's ARN;
# 4. add the action group `"orders"` to the draft, executed by the function, with a function
#    schema of one function `get_order_status` (a description saying it looks up the delivery
#    status of an order) and one required `string` parameter `order_id` described as *"The order
#    id, such as ORD-1234."*;
# 5. prepare the agent and create the alias `"live"` (it takes version 1);
# 6. return `{"agent_id": ..., "alias_id": ..., "function_arn": ...}`.
#
# **`ask_agent(agent_runtime, agent_id, alias_id, session_id, text)`** invokes the agent with
# `streamingConfigurations={"streamFinalResponse": True}` and returns the whole answer: every
# `chunk`'s bytes, decoded as UTF-8, joined in order.

# %%
from course.agent_lab.lambda_zip import handler_name, zip_handler

# %% kind="solution" grade_id="bedrock-agent"
def deploy_order_agent(lambda_client, agent_client, *, name, model_id, agent_role_arn, function_role_arn,
                       table_name, code):
    """Create the Lambda function and the agent with its orders action group; prepare it; alias it."""
    ### BEGIN SOLUTION
    function_arn = lambda_client.create_function(
        FunctionName=f"{name}-orders",
        Runtime="python3.12",
        Role=function_role_arn,
        Handler="lambda_function.order_status_handler",
        Code={"ZipFile": code},
        Environment={"Variables": {"ORDERS_TABLE": table_name}},
        Timeout=10,
    )["FunctionArn"]
    agent = agent_client.create_agent(agentName=name, foundationModel=model_id, instruction=ORDER_AGENT_INSTRUCTION,
                                      agentResourceRoleArn=agent_role_arn)["agent"]
    lambda_client.add_permission(FunctionName=function_arn, StatementId="allow-bedrock-agent",
                                 Action="lambda:InvokeFunction", Principal="bedrock.amazonaws.com",
                                 SourceArn=agent["agentArn"])
    agent_client.create_agent_action_group(
        agentId=agent["agentId"],
        agentVersion="DRAFT",
        actionGroupName="orders",
        actionGroupExecutor={"lambda": function_arn},
        functionSchema={"functions": [{
            "name": "get_order_status",
            "description": "Look up the delivery status of a customer's order.",
            "parameters": {"order_id": {"type": "string", "description": "The order id, such as ORD-1234.",
                                        "required": True}},
        }]},
    )
    agent_client.prepare_agent(agentId=agent["agentId"])
    alias = agent_client.create_agent_alias(agentId=agent["agentId"], agentAliasName="live")["agentAlias"]
    return {"agent_id": agent["agentId"], "alias_id": alias["agentAliasId"], "function_arn": function_arn}
    ### END SOLUTION


def ask_agent(agent_runtime, agent_id, alias_id, session_id, text):
    """Invoke the agent with streaming and return the whole answer from its chunks."""
    ### BEGIN SOLUTION
    response = agent_runtime.invoke_agent(agentId=agent_id, agentAliasId=alias_id, sessionId=session_id,
                                          inputText=text, streamingConfigurations={"streamFinalResponse": True})
    return "".join(event["chunk"]["bytes"].decode("utf-8") for event in response["completion"] if "chunk" in event)
    ### END SOLUTION


# %% kind="tests" grade_id="bedrock-agent-tests" points=4
"""Does deploy_order_agent wire function, permission, action group, version and alias, and ask_agent read every chunk?"""
import uuid

from course.bedrock_sim import agent_invoke


def _reference_handler(event, context):
    params = {p["name"]: p["value"] for p in event.get("parameters") or []}
    item = boto3.resource("dynamodb").Table(os.environ["ORDERS_TABLE"]).get_item(
        Key={"order_id": params.get("order_id", "")}).get("Item") or {}
    body = json.dumps({"order_id": params.get("order_id"), "status": item.get("status", "unknown"),
                       "eta_days": int(item.get("eta_days", 0))})
    return {"messageVersion": "1.0", "response": {"actionGroup": event["actionGroup"], "function": event["function"],
            "functionResponse": {"responseBody": {"TEXT": {"body": body}}}}}


import io as _io
import zipfile as _zipfile

from course.agent_lab.lambda_zip import source_of

_buffer = _io.BytesIO()
with _zipfile.ZipFile(_buffer, "w") as _archive:  # a known-good handler, so this exercise stands on its own
    _archive.writestr("lambda_function.py", source_of(_reference_handler, name="order_status_handler"))
_CODE = _buffer.getvalue()


def _deploy(name, table):
    out = checks.call(deploy_order_agent, lam, agents, name=name, model_id=AGENT_MODEL, agent_role_arn=AGENT_ROLE,
                      function_role_arn=FUNCTION_ROLE, table_name=table, code=_CODE)
    checks.expect(isinstance(out, dict) and {"agent_id", "alias_id", "function_arn"} <= set(out),
                  "deploy_order_agent should return agent_id, alias_id and function_arn", found=out)
    return out


_name = f"desk{uuid.uuid4().hex[:6]}"
_out = _deploy(_name, "orders")
_config = checks.read(f"the function {_name}-orders", lam.get_function_configuration, FunctionName=f"{_name}-orders")
checks.expect_equal((_config.get("Runtime"), _config.get("Handler"), _config.get("Role"),
                     (_config.get("Environment") or {}).get("Variables"), _config.get("Timeout")),
                    ("python3.12", "lambda_function.order_status_handler", FUNCTION_ROLE, {"ORDERS_TABLE": "orders"}, 10),
                    "the function's runtime, handler, role, environment and timeout")
checks.expect_equal(_out["function_arn"], _config.get("FunctionArn"), "function_arn is the new function's ARN")
_answer = checks.call(ask_agent, agent_runtime, _out["agent_id"], _out["alias_id"], "s-1", "Where is my order ORD-5678?")
checks.expect_type(_answer, str, "ask_agent should return the answer text")
checks.expect_in("packed", _answer, "the answer should come from the order in DynamoDB, through the Lambda function")
checks.expect_equal(_answer, agent_invoke.records()[-1]["answer"], "ask_agent should return the whole answer: every chunk")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_agent = checks.read("the agent agent_id names", agents.get_agent, agentId=_out["agent_id"])["agent"]
checks.expect_equal((_agent["agentName"], _agent["foundationModel"], _agent["agentResourceRoleArn"], _agent["agentStatus"]),
                    (_name, AGENT_MODEL, AGENT_ROLE, "PREPARED"), "the agent's name, model, role, and prepared")
checks.expect_equal(_agent.get("instruction"), ORDER_AGENT_INSTRUCTION, "use ORDER_AGENT_INSTRUCTION")
_policy = json.loads(checks.read("the function's resource policy", lam.get_policy, FunctionName=f"{_name}-orders",
                                  hint="add_permission gives the function a resource policy")["Policy"])["Statement"]
checks.expect(any(s.get("Principal", {}).get("Service") == "bedrock.amazonaws.com"
                  and _agent["agentArn"] in json.dumps(s.get("Condition", {})) for s in _policy),
              "the function's policy should allow bedrock.amazonaws.com with SourceArn = the agent's ARN", found=_policy)
_groups = checks.read("the action groups of version 1", agents.list_agent_action_groups, agentId=_out["agent_id"],
                      agentVersion="1", hint="prepare the agent, then create the alias")["actionGroupSummaries"]
checks.expect_equal([g["actionGroupName"] for g in _groups], ["orders"], "version 1 holds the orders action group")
_group = agents.get_agent_action_group(agentId=_out["agent_id"], agentVersion="1",
                                       actionGroupId=_groups[0]["actionGroupId"])["agentActionGroup"]
checks.expect_equal(_group["actionGroupExecutor"], {"lambda": _out["function_arn"]}, "the group runs the function")
_functions = _group.get("functionSchema", {}).get("functions", [])
checks.expect_equal([f["name"] for f in _functions], ["get_order_status"], "one function, get_order_status")
checks.expect("status" in _functions[0].get("description", "").lower(),
              "the function's description says it looks up an order's delivery status", found=_functions[0])
_param = _functions[0].get("parameters", {}).get("order_id", {})
checks.expect_equal((_param.get("type"), _param.get("required")), ("string", True), "order_id: a required string")
checks.expect_in("ORD-1234", _param.get("description", ""), "describe order_id with its example value")
_alias = checks.read("the alias alias_id names", agents.get_agent_alias, agentId=_out["agent_id"],
                     agentAliasId=_out["alias_id"])["agentAlias"]
checks.expect_equal((_alias["agentAliasName"], _alias["routingConfiguration"]), ("live", [{"agentVersion": "1"}]),
                    "the alias 'live' points at version 1")
_table = ensure_orders_table(f"orders-{uuid.uuid4().hex[:6]}", {"ORD-4242": {"status": "out for delivery", "eta_days": 1}})
_name2 = f"desk{uuid.uuid4().hex[:6]}"
_out2 = _deploy(_name2, _table)
_session = f"s-{uuid.uuid4().hex[:8]}"
_answer = checks.call(ask_agent, agent_runtime, _out2["agent_id"], _out2["alias_id"], _session,
                      "What is the status of order ORD-4242?")
_record = agent_invoke.records()[-1]
checks.expect_equal((_record["sessionId"], _record["agentAliasId"], _record["streamFinalResponse"]),
                    (_session, _out2["alias_id"], True), "invoke the given alias and session, with streamFinalResponse")
checks.expect_equal(_answer, _record["answer"], "join every chunk, in order")
checks.expect("out for delivery" in _answer and "ORD-4242" in _answer, "the answer uses the new table", found=_answer)
checks.expect_equal(agent_invoke.lambda_calls()[-1]["event"]["parameters"],
                    [{"name": "order_id", "type": "string", "value": "ORD-4242"}],
                    "the model fills order_id from the example value in its description")
### END HIDDEN TESTS

# %% [markdown]
# Now that you have built an agent by hand, the rest of the notebook builds its agents with the
# small helpers below (the same calls as your `deploy_order_agent`, plus return of control and
# collaboration settings). `order_handler` is a finished version of Exercise 3's handler.

# %%
def order_handler(event, context):
    """A finished orders handler: status and delivery days of an order from ORDERS_TABLE."""
    params = {p["name"]: p["value"] for p in event.get("parameters") or []}
    item = boto3.resource("dynamodb").Table(os.environ["ORDERS_TABLE"]).get_item(
        Key={"order_id": params.get("order_id", "")}).get("Item")
    if item is None:
        body, state = f"No order {params.get('order_id')} was found.", "REPROMPT"
    else:
        body, state = json.dumps({"order_id": item["order_id"], "status": item["status"],
                                  "eta_days": int(item["eta_days"])}), None
    function_response = {"responseBody": {"TEXT": {"body": body}}} | ({"responseState": state} if state else {})
    return {"messageVersion": "1.0", "response": {"actionGroup": event["actionGroup"], "function": event["function"],
                                                  "functionResponse": function_response}}


ORDER_FUNCTIONS = [{"name": "get_order_status", "description": "Look up the delivery status of a customer's order.",
                    "parameters": {"order_id": {"type": "string", "required": True,
                                                "description": "The order id, such as ORD-1234."}}}]


def make_lambda(name, handler, *, role=None, env=None, timeout=10):
    """A Lambda function from a handler written in this notebook; returns its ARN."""
    return lam.create_function(FunctionName=name, Runtime="python3.12", Role=role or FUNCTION_ROLE,
                               Handler=handler_name(handler), Code={"ZipFile": zip_handler(handler)},
                               Environment={"Variables": env or {}}, Timeout=timeout)["FunctionArn"]


def make_agent(name, *, instruction, functions=None, handler=None, function_arn=None, description=None,
               env=None, role=None, collaboration="DISABLED", group="actions"):
    """An agent with one action group (Lambda if a handler or function is given, else return of
    control), prepared, with an alias 'live'. Returns ids and ARNs."""
    agent = agents.create_agent(agentName=name, foundationModel=AGENT_MODEL, instruction=instruction,
                                agentResourceRoleArn=AGENT_ROLE, agentCollaboration=collaboration,
                                **({"description": description} if description else {}))["agent"]
    if functions:
        if handler is not None:
            function_arn = make_lambda(f"{name}-fn", handler, env=env, role=role)
        if function_arn:
            lam.add_permission(FunctionName=function_arn, StatementId=f"agent-{agent['agentId']}",
                               Action="lambda:InvokeFunction", Principal="bedrock.amazonaws.com",
                               SourceArn=agent["agentArn"])
        executor = {"lambda": function_arn} if function_arn else {"customControl": "RETURN_CONTROL"}
        agents.create_agent_action_group(agentId=agent["agentId"], agentVersion="DRAFT", actionGroupName=group,
                                         actionGroupExecutor=executor, functionSchema={"functions": functions})
    if collaboration != "DISABLED":  # a supervisor is prepared once its collaborators are associated
        return {"agent_id": agent["agentId"], "agent_arn": agent["agentArn"]}
    agents.prepare_agent(agentId=agent["agentId"])
    alias = agents.create_agent_alias(agentId=agent["agentId"], agentAliasName="live")["agentAlias"]
    return {"agent_id": agent["agentId"], "alias_id": alias["agentAliasId"], "alias_arn": alias["agentAliasArn"],
            "agent_arn": agent["agentArn"]}


def answer_of(events):
    """The answer text of a list of InvokeAgent events."""
    return "".join(e["chunk"]["bytes"].decode() for e in events if "chunk" in e)


# %% [markdown]
# ## Human in the loop: return of control, confirmation, approvals <a id="human-in-the-loop"></a>
#
# Some actions must not run on the model's word alone: refunds, payments, emails to customers,
# changes to production, regulated decisions. Put a person (or your own application logic)
# between the model's request and the action.
#
# | Mechanism | How it works | Use it for |
# |---|---|---|
# | **Return of control** (Bedrock Agents) | the action group's executor is `customControl: RETURN_CONTROL`; `InvokeAgent` ends with a `returnControl` event (an `invocationId` and the function and parameters the model chose); your application runs the action (after any approval) and calls `InvokeAgent` again with `sessionState={"invocationId": ..., "returnControlInvocationResults": [...]}` | the action must run in your application (its credentials, its approval flow, its network) |
# | **User confirmation** (Bedrock Agents) | `requireConfirmation: ENABLED` on a function: the agent first returns control with `actionInvocationType` `USER_CONFIRMATION`; you send back `confirmationState` `CONFIRM` (the Lambda function runs) or `DENY` | "ask the user before doing it" with the action still in Lambda |
# | **Step Functions task tokens** | a task with `.waitForTaskToken` pauses the workflow and hands a token to a queue, a Lambda function or an email; the reviewer's decision calls `SendTaskSuccess` or `SendTaskFailure` with that token; `TimeoutSeconds`/`HeartbeatSeconds` bound the wait | multi-step approval workflows, audit trails, waits of hours or days |
# | **API Gateway feedback** | an endpoint where users rate or correct answers; store the feedback (DynamoDB, S3) for evaluation and prompt or model improvement | continuous human feedback, not blocking approvals |
# | **Amazon Augmented AI (A2I)** | human review loops (your workforce, a vendor or Mechanical Turk) triggered by low-confidence predictions | reviewing uncertain model outputs |
#
# Code-defined agents do the same: Strands can interrupt the loop to wait for a person, and the
# AgentCore managed harness offers inline function tools for return of control.
#
# **Exam tip:** "refunds above a limit need a manager's approval before they happen" → return of
# control (or a Step Functions `.waitForTaskToken` step), never only an instruction in the
# prompt asking the model to check. "Just confirm with the user" → `requireConfirmation`.

# %%
quiz.show("agents", "human-in-the-loop")

# %% [markdown]
# **Try it.** A refund agent whose action group returns control. The first call ends with a
# `returnControl` event instead of an answer: the model's chosen function and parameters (values
# as strings, with their types), and the `invocationId` to quote when you send the result.

# %%
REFUND_FUNCTIONS = [{"name": "issue_refund", "description": "Issue a refund of an amount of money for an order.",
                     "parameters": {
                         "order_id": {"type": "string", "required": True, "description": "The order id, such as ORD-1234."},
                         "amount": {"type": "number", "required": True, "description": "The amount to refund in USD."}}}]
REFUND_INSTRUCTION = "You handle refund requests of a parcel shop. Use issue_refund to pay refunds to customers."
refund_desk = make_agent(f"refunds{int(time.time() * 1000) % 100000}", instruction=REFUND_INSTRUCTION,
                         functions=REFUND_FUNCTIONS, group="refunds")
first = agent_runtime.invoke_agent(agentId=refund_desk["agent_id"], agentAliasId=refund_desk["alias_id"],
                                   sessionId="try-roc", inputText="Please refund 25.5 dollars for order ORD-1234")
for event in first["completion"]:
    print(json.dumps(event, indent=1, default=str)[:700])

# %% [markdown]
# ### Exercise 5 — return of control with a human approval (3 points)
#
# Write `run_with_return_of_control(agent_runtime, agent_id, alias_id, session_id, text, tools,
# approve)`. `tools` maps a function name to a Python function taking the parameters as keyword
# arguments; `approve(call)` is the human reviewer: it gets `{"function": ..., "parameters":
# {...}}` and returns `True` or `False`.
#
# 1. Invoke the agent with `text` and read the event stream: collect the `chunk` text, and watch
#    for a `returnControl` event.
# 2. For each `functionInvocationInput` of a `returnControl` event, convert the parameter values
#    from strings by their `type` (`number` → `float`, `integer` → `int`, `boolean` → `value ==
#    "true"`, anything else stays a string) and build the call `{"function", "parameters"}`.
#    - If `approve(call)` is true, run `tools[function](**parameters)` and send back its result as
#      `json.dumps(result)`;
#    - otherwise do **not** run it, and send back the text `"The reviewer rejected this action."`
#      with `"responseState": "REPROMPT"`.
# 3. Send the results by invoking the agent again (same session, no `inputText`) with
#    `sessionState={"invocationId": <the event's invocationId>, "returnControlInvocationResults":
#    [{"functionResult": {"actionGroup": ..., "function": ..., "responseBody": {"TEXT": {"body":
#    ...}}}}]}`, and read that stream the same way.
# 4. Repeat until a stream has no `returnControl` event (at most 5 invocations; then raise
#    `RuntimeError`), and return `{"answer": <the chunk text of the last stream>, "calls": [<each
#    call, with "approved": True/False added>]}`.

# %% kind="solution" grade_id="return-of-control"
def run_with_return_of_control(agent_runtime, agent_id, alias_id, session_id, text, tools, approve):
    """Run an agent whose actions return control: approve, execute locally, send the results back."""
    ### BEGIN SOLUTION
    converters = {"number": float, "integer": int, "boolean": lambda value: value == "true"}
    request = {"agentId": agent_id, "agentAliasId": alias_id, "sessionId": session_id, "inputText": text}
    calls = []
    for _ in range(5):
        answer, control = "", None
        for event in agent_runtime.invoke_agent(**request)["completion"]:
            if "chunk" in event:
                answer += event["chunk"]["bytes"].decode("utf-8")
            if "returnControl" in event:
                control = event["returnControl"]
        if control is None:
            return {"answer": answer, "calls": calls}
        results = []
        for member in control["invocationInputs"]:
            invocation = member["functionInvocationInput"]
            parameters = {p["name"]: converters.get(p.get("type"), str)(p["value"]) for p in invocation.get("parameters", [])}
            call = {"function": invocation["function"], "parameters": parameters}
            approved = bool(approve(dict(call)))
            calls.append({**call, "approved": approved})
            result = {"actionGroup": invocation["actionGroup"], "function": invocation["function"]}
            if approved:
                result["responseBody"] = {"TEXT": {"body": json.dumps(tools[invocation["function"]](**parameters))}}
            else:
                result["responseBody"] = {"TEXT": {"body": "The reviewer rejected this action."}}
                result["responseState"] = "REPROMPT"
            results.append({"functionResult": result})
        request = {"agentId": agent_id, "agentAliasId": alias_id, "sessionId": session_id,
                   "sessionState": {"invocationId": control["invocationId"], "returnControlInvocationResults": results}}
    raise RuntimeError("the agent kept returning control")
    ### END SOLUTION


# %% kind="tests" grade_id="return-of-control-tests" points=3
"""Does run_with_return_of_control execute approved actions locally, with typed parameters, and reject the others?"""
import random
import uuid

from course.bedrock_sim import agent_invoke

_ran = []


def _issue_refund(order_id, amount):
    _ran.append((order_id, amount))
    return {"refund_id": f"R-{len(_ran)}", "order_id": order_id, "amount": amount}


_reviews = []
_out = checks.call(run_with_return_of_control, agent_runtime, refund_desk["agent_id"], refund_desk["alias_id"],
                   f"s-{uuid.uuid4().hex[:8]}", "Please refund 25.5 dollars for order ORD-1234",
                   {"issue_refund": _issue_refund}, lambda call: _reviews.append(call) or True)
checks.expect_type(_out, dict, "the function should return a dict")
checks.expect_equal(_ran, [("ORD-1234", 25.5)], "the approved refund should run locally once, with amount as a float")
checks.expect_equal(_out.get("calls"), [{"function": "issue_refund", "parameters": {"order_id": "ORD-1234", "amount": 25.5},
                                         "approved": True}], "calls lists each call and whether it was approved")
checks.expect_in("R-1", _out.get("answer", ""), "the agent's final answer should use the result you sent back")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
checks.expect_equal(_reviews, [{"function": "issue_refund", "parameters": {"order_id": "ORD-1234", "amount": 25.5}}],
                    "approve gets {'function', 'parameters'} before the action runs")
_ran.clear()
_session = f"s-{uuid.uuid4().hex[:8]}"
_out = checks.call(run_with_return_of_control, agent_runtime, refund_desk["agent_id"], refund_desk["alias_id"], _session,
                   "Please refund 999 dollars for order ORD-5678", {"issue_refund": _issue_refund}, lambda call: False)
checks.expect_equal(_ran, [], "a rejected action must not run")
checks.expect_equal(_out["calls"][0]["approved"], False, "a rejected call is recorded with approved False")
checks.expect_in("rejected", _out["answer"], "the agent should hear that the reviewer rejected the action")
_sent = agent_invoke.records()[-1]["sessionState"]["returnControlInvocationResults"][0]["functionResult"]
checks.expect_equal((_sent.get("responseState"), _sent["responseBody"]), ("REPROMPT", {"TEXT": {"body": "The reviewer rejected this action."}}),
                    "a rejection goes back as that text with responseState REPROMPT")
checks.expect_equal(agent_invoke.records()[-1]["sessionId"], _session, "send the results in the same session")
# Typed parameters of every kind, and a tool whose result is used.
_kinds = [{"name": "book_courier", "description": "Book a courier pickup for a number of parcels.",
           "parameters": {"parcels": {"type": "integer", "required": True, "description": "How many parcels"},
                          "weight": {"type": "number", "required": True, "description": "Total weight in kg"},
                          "fragile": {"type": "boolean", "required": True, "description": "Whether parcels are fragile"},
                          "city": {"type": "string", "required": True, "description": "Pickup city, such as Porto"}}}]
_courier = make_agent(f"courier{uuid.uuid4().hex[:6]}", instruction="You book courier pickups for a parcel shop's customers.",
                      functions=_kinds, group="couriers")
_seen = []
_pickup = f"P-{random.randint(100, 999)}"
_out = checks.call(run_with_return_of_control, agent_runtime, _courier["agent_id"], _courier["alias_id"], "s-2",
                   "Book a courier pickup for 3 parcels weighing 7.5 kg in Porto, fragile",
                   {"book_courier": lambda **kw: _seen.append(kw) or {"pickup": _pickup}}, lambda call: True)
checks.expect_equal(_seen, [{"parcels": 3, "weight": 7.5, "fragile": True, "city": "Porto"}],
                    "integer -> int, number -> float, boolean -> True/False, string stays a string")
checks.expect(type(_seen[0]["parcels"]) is int and type(_seen[0]["weight"]) is float, "exact types", found=_seen)
checks.expect_in(_pickup, _out["answer"], "the tool's result is sent back with json.dumps")
checks.expect_equal(_out["answer"], agent_invoke.records()[-1]["answer"],
                    "the answer is the last invocation's chunks joined, with nothing added")
# A request with no action: one invocation, no calls.
_count = len(agent_invoke.records())
_out = checks.call(run_with_return_of_control, agent_runtime, refund_desk["agent_id"], refund_desk["alias_id"], "s-3",
                   "Hello there", {"issue_refund": _issue_refund}, lambda call: True)
checks.expect_equal((_out["calls"], len(agent_invoke.records()) - _count), ([], 1), "no returnControl: answer at once")


class _LoopingRuntime:
    """A fake runtime whose agent returns control forever, asking for two refunds each time."""

    def __init__(self, requests=None):
        self.requests = [] if requests is None else requests

    def invoke_agent(self, **kwargs):
        self.requests.append(kwargs)
        return {"completion": [{"trace": {"trace": {"orchestrationTrace": {}}}},  # traces may come first
                               {"returnControl": {"invocationId": f"inv-{len(self.requests)}", "invocationInputs": [
            {"functionInvocationInput": {"actionGroup": "refunds", "function": "issue_refund",
                                         "parameters": [{"name": "order_id", "type": "string", "value": order},
                                                        {"name": "amount", "type": "number", "value": "1"}]}}
            for order in ("ORD-1", "ORD-2")]}}]}


_fake = _LoopingRuntime()
_ran.clear()
_raised = "a return value"
try:
    run_with_return_of_control(_fake, "A", "B", "s", "go", {"issue_refund": _issue_refund}, lambda call: True)
except RuntimeError:
    _raised = None
except Exception as _exc:  # noqa: BLE001 - any other error is the learner's, reported below
    _raised = f"{type(_exc).__name__}: {_exc}"
checks.expect(_raised is None, "an agent that keeps returning control must end in RuntimeError", expected="RuntimeError",
              found=_raised)
checks.expect_equal(len(_fake.requests), 5, "at most 5 invocations")
_sent = _fake.requests[1].get("sessionState") or {}
checks.expect_equal((_sent.get("invocationId"), [(r.get("functionResult") or {}).get("function")
                                                 for r in _sent.get("returnControlInvocationResults") or []]),
                    ("inv-1", ["issue_refund", "issue_refund"]),
                    "every invocation input gets its result, all in one request quoting the invocationId")
checks.expect_equal(_ran[:2], [("ORD-1", 1.0), ("ORD-2", 1.0)], "each requested call runs once")
### END HIDDEN TESTS

# %% [markdown]
# # Part 4 — Structured reasoning and safeguards

# %% [markdown]
# ## ReAct and chain-of-thought with Step Functions <a id="react-step-functions"></a>
#
# **ReAct** interleaves *reasoning* (the model writes what it knows and what it needs next),
# *acting* (a tool call) and *observing* (the tool's result), until it can answer.
# **Chain-of-thought** asks for the reasoning steps before the answer, in one call or as a chain of
# calls. Frameworks run the ReAct loop in code; **AWS Step Functions** can run it as a state
# machine, which makes every step visible, retryable and auditable:
#
# - a **Reason** task calls the model (the optimized Bedrock integration `bedrock:invokeModel`,
#   or a Lambda function that calls Converse) and returns either a tool request or an answer;
# - a **Choice** state is the stopping condition: final answer? iteration limit reached?
# - an **Act** task runs the tool (Lambda, an AWS SDK integration, or a `Map` state for several
#   tools in parallel), then the loop goes back to Reason;
# - **stopping conditions**: an iteration counter checked in the Choice state, `TimeoutSeconds`
#   on the state machine and on each task, `HeartbeatSeconds` for long tasks, `Retry` with
#   `MaxAttempts` and backoff, `Catch` to a fallback state;
# - **Standard** workflows run up to a year and record every step (approvals, long agents);
#   **Express** workflows run up to five minutes, at high volume and lower cost.
#
# **Exam tip:** "every reasoning step must be auditable and the loop must stop after N
# iterations" → Step Functions with a counter in a Choice state and `TimeoutSeconds`. "Run three
# tools in parallel, then continue" → a `Map` or `Parallel` state.

# %%
quiz.show("agents", "react-step-functions")

# %% [markdown]
# **Try it.** A ReAct skeleton as a state machine: `Reason` counts iterations with the
# intrinsic function `States.MathAdd`, `Stop?` ends the loop when the model says it is done or the
# limit is reached, `Act` stands for the tool call. (Pass states stand in for the model and the
# tool, so the loop runs in the simulated account.) The execution history shows each lap.

# %%
sfn = aws.client("stepfunctions")
react_definition = {
    "Comment": "ReAct loop with an iteration limit",
    "StartAt": "Reason",
    "TimeoutSeconds": 300,
    "States": {
        "Reason": {"Type": "Pass", "Parameters": {"iteration.$": "States.MathAdd($.iteration, 1)",
                                                  "max_iterations.$": "$.max_iterations", "done.$": "$.done"},
                   "Next": "Stop?"},
        "Stop?": {"Type": "Choice", "Choices": [
            {"Variable": "$.done", "BooleanEquals": True, "Next": "Answer"},
            {"Variable": "$.iteration", "NumericGreaterThanEqualsPath": "$.max_iterations", "Next": "Give up"}],
            "Default": "Act"},
        "Act": {"Type": "Pass", "Next": "Reason"},
        "Answer": {"Type": "Succeed"},
        "Give up": {"Type": "Pass", "Result": {"stopped_by": "max_iterations"}, "End": True},
    },
}
sfn_role = ensure_role("react-states-role", "states.amazonaws.com")
machine = sfn.create_state_machine(name=f"react-{int(time.time() * 1000) % 100000}",
                                   definition=json.dumps(react_definition), roleArn=sfn_role)["stateMachineArn"]
run = sfn.start_execution(stateMachineArn=machine, name="run-1",
                          input=json.dumps({"iteration": 0, "max_iterations": 3, "done": False}))["executionArn"]
for _ in range(50):
    status = sfn.describe_execution(executionArn=run)
    if status["status"] != "RUNNING":
        break
    time.sleep(0.05)
history = sfn.get_execution_history(executionArn=run)["events"]
print(status["status"], [e["type"] for e in history if e["type"].endswith("StateEntered")])

# %% [markdown]
# ## Safeguards: limits, timeouts, least privilege, circuit breakers <a id="safeguards"></a>
#
# An agent decides its own next step, so it can loop, call a failing tool again and again, run up
# a bill, or do more than it should. Put limits *outside* the model:
#
# | Safeguard | How |
# |---|---|
# | iteration / tool-call limits | a maximum number of model calls or tool calls per request (a hook in Strands, a counter in a Step Functions Choice state) |
# | time and cost budgets | a deadline per request, `maxTokens`, Lambda function timeouts, Step Functions `TimeoutSeconds` |
# | circuit breakers | after N consecutive failures of a tool, stop calling it for a while and tell the model it is unavailable |
# | least privilege | the agent's service role may invoke only its model; each action group's Lambda role may touch only its own resources; resource-based policies name the agent (`SourceArn`); permissions boundaries cap what roles can ever get |
# | policy on tool calls | AgentCore Policy checks each tool call through a Gateway against Cedar rules (who, which tool, which argument values) |
# | content safety | Amazon Bedrock Guardrails on the agent's input and output |
#
# **Strands hooks** are the place for limits in code: `agent.hooks.add_callback(EventType, fn)`
# runs `fn` at points of the loop. `BeforeInvocationEvent` (a request starts),
# `BeforeToolCallEvent` (set `event.cancel_tool = "message"` to skip the tool; the model gets
# that message as an error result), `AfterToolCallEvent` (`event.result["status"]` is `"success"`
# or `"error"`), `BeforeModelCallEvent` (set `event.cancel = "message"` to end the request with
# that message as the answer).
#
# **Exam tip:** "an agent must never run more than N steps or M seconds" → limits enforced by
# the framework or the workflow, not by an instruction in the prompt. "The action group's Lambda
# function may only read the orders table" → a least-privilege execution role. "Stop hammering a
# failing API" → a circuit breaker.

# %%
quiz.show("agents", "safeguards")

# %% [markdown]
# **Try it.** `ScriptedModel` (from `course.agent_lab.scripted_model`) is a Strands model that
# follows a script instead of thinking; with `repeat_last=True` it asks for the same tool
# forever, the runaway agent every safeguard exists for. Here a single hook stops it after two
# tool calls.

# %%
from strands.hooks import AfterToolCallEvent, BeforeInvocationEvent, BeforeModelCallEvent, BeforeToolCallEvent

from course.agent_lab.scripted_model import ScriptedModel


@tool
def check_stock(item: str = "parcel box") -> str:
    """Check whether an item is in stock."""
    return "still checking"


runaway = Agent(model=ScriptedModel(["check_stock"], repeat_last=True), tools=[check_stock], callback_handler=None)
budget = {"calls": 0}


def count_calls(event):
    budget["calls"] += 1
    if budget["calls"] > 2:
        event.cancel_tool = "tool budget used up"


def stop_model(event):
    if budget["calls"] > 2:
        event.cancel = "Stopped after 2 tool calls."


runaway.hooks.add_callback(BeforeToolCallEvent, count_calls)
runaway.hooks.add_callback(BeforeModelCallEvent, stop_model)
print(runaway("Is the parcel box in stock?"), budget)

# %% [markdown]
# ### Exercise 6 — call limit, time budget and circuit breaker as Strands hooks (3 points)
#
# Write `add_safeguards(agent, *, max_tool_calls, time_budget_s, max_failures=2,
# clock=time.monotonic)`. It registers hooks on `agent` (`agent.hooks.add_callback`) and returns a
# dict `stats` that the hooks keep up to date: `{"tool_calls": <int>, "stopped_by": None or
# "max_tool_calls" or "time_budget"}`.
#
# 1. `BeforeInvocationEvent`: a new request starts: set `tool_calls` to 0 and `stopped_by` to
#    `None`, remember `start = clock()`, and forget every tool's failure count.
# 2. `BeforeToolCallEvent` (the tool's name is `event.tool_use["name"]`):
#    - if `stopped_by` is already set, cancel the call;
#    - else if `tool_calls` already equals `max_tool_calls`: set `stopped_by = "max_tool_calls"`
#      and cancel the call;
#    - else if `clock() - start >= time_budget_s`: set `stopped_by = "time_budget"` and cancel;
#    - else count the call (`tool_calls += 1`); then if this tool has failed `max_failures` times
#      in a row (its *circuit is open*), cancel just this call with a message containing
#      `"circuit open"` and the tool's name.
#    (Cancel with `event.cancel_tool = "<message>"`.)
# 3. `AfterToolCallEvent`: if `event.result["status"] == "error"`, add one to that tool's failure
#    count; otherwise set it back to 0.
# 4. `BeforeModelCallEvent`: if `stopped_by` is set, end the request with `event.cancel =
#    f"Stopped: {stopped_by}"`.
#
# Read `clock()` exactly there: once when a request starts, and once per tool call for the time
# check (not when the call limit already stops it). `clock` is a parameter so the tests can
# control time.

# %% kind="solution" grade_id="safeguards"
def add_safeguards(agent, *, max_tool_calls, time_budget_s, max_failures=2, clock=time.monotonic):
    """Register call-limit, time-budget and circuit-breaker hooks on a Strands agent; return live stats."""
    ### BEGIN SOLUTION
    stats = {"tool_calls": 0, "stopped_by": None}
    run = {}  # this request's start time and failure counts, set when it starts

    def on_start(event):
        stats["tool_calls"], stats["stopped_by"] = 0, None
        run["start"], run["failures"] = clock(), {}

    def before_tool(event):
        name = event.tool_use["name"]
        if stats["stopped_by"] is None and stats["tool_calls"] >= max_tool_calls:
            stats["stopped_by"] = "max_tool_calls"
        elif stats["stopped_by"] is None and clock() - run["start"] >= time_budget_s:
            stats["stopped_by"] = "time_budget"
        if stats["stopped_by"] is not None:
            event.cancel_tool = f"Stopped: {stats['stopped_by']}"
            return
        stats["tool_calls"] += 1
        if run["failures"].get(name, 0) >= max_failures:
            event.cancel_tool = f"circuit open: {name} failed {max_failures} times in a row"

    def after_tool(event):
        name = event.tool_use["name"]
        if event.result.get("status") == "error":
            run["failures"][name] = run["failures"].get(name, 0) + 1
        else:
            run["failures"][name] = 0

    def before_model(event):
        if stats["stopped_by"] is not None:
            event.cancel = f"Stopped: {stats['stopped_by']}"

    agent.hooks.add_callback(BeforeInvocationEvent, on_start)
    agent.hooks.add_callback(BeforeToolCallEvent, before_tool)
    agent.hooks.add_callback(AfterToolCallEvent, after_tool)
    agent.hooks.add_callback(BeforeModelCallEvent, before_model)
    return stats
    ### END SOLUTION


# %% kind="tests" grade_id="safeguards-tests" points=3
"""Do the hooks stop a runaway agent at the call limit or the time budget, and open a failing tool's circuit?"""
import random


def _runaway(tools, script=("lookup",)):
    return Agent(model=ScriptedModel(list(script), repeat_last=True), tools=tools, callback_handler=None)


_ran = []


@tool
def lookup(query: str = "x") -> str:
    """Look something up."""
    _ran.append("lookup")
    return "not found yet"


_agent = _runaway([lookup])
_stats = checks.call(add_safeguards, _agent, max_tool_calls=3, time_budget_s=60)
checks.expect_type(_stats, dict, "add_safeguards should return the stats dict")
checks.expect_equal(_stats, {"tool_calls": 0, "stopped_by": None}, "before any request: no calls, not stopped")
with checks.step("running a runaway agent with your hooks"):
    _result = _agent("find it")
checks.expect_equal(len(_ran), 3, "the tool should run exactly max_tool_calls times")
checks.expect_equal((_stats.get("tool_calls"), _stats.get("stopped_by")), (3, "max_tool_calls"),
                    "stats: three calls, stopped by max_tool_calls")
checks.expect_equal(str(_result).strip(), "Stopped: max_tool_calls", "the request ends with the 'Stopped: ...' message")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
# A fresh request resets the counters.
_ran.clear()
with checks.step("running the same agent a second time"):
    _agent("again")
checks.expect_equal((len(_ran), _stats["tool_calls"], _stats["stopped_by"]), (3, 3, "max_tool_calls"),
                    "BeforeInvocationEvent resets the counters for each request")
# The time budget, with a clock the test controls.
_ran.clear()
_now = [100.0]


def _clock():
    _now[0] += 1.0
    return _now[0]


_limit = random.randint(5, 9)
_agent2 = _runaway([lookup])
_stats2 = add_safeguards(_agent2, max_tool_calls=50, time_budget_s=_limit, clock=_clock)
_agent2("go")
checks.expect_equal(_stats2["stopped_by"], "time_budget", "a request past its time budget stops")
checks.expect(0 < len(_ran) < 50 and _stats2["tool_calls"] == len(_ran),
              "the clock is read at the start and before each tool call", found=(len(_ran), _stats2))
checks.expect_equal(len(_ran), _limit - 1, "start + one clock read per tool call: the budget allows limit - 1 calls")
# The circuit breaker.
_fails = []


@tool
def flaky_api(query: str = "x") -> dict:
    """Call the flaky partner API."""
    _fails.append(1)
    return {"status": "error", "content": [{"text": "503 from partner"}]}


_agent3 = _runaway([flaky_api], script=("flaky_api",))
_stats3 = add_safeguards(_agent3, max_tool_calls=6, time_budget_s=60, max_failures=2)
_agent3("go")
checks.expect_equal(len(_fails), 2, "after max_failures errors in a row the tool must not run again (circuit open)")
checks.expect_equal((_stats3["tool_calls"], _stats3["stopped_by"]), (6, "max_tool_calls"),
                    "calls cancelled by an open circuit still count toward max_tool_calls")
_texts = [c.get("text", "") for m in _agent3.messages for b in m["content"] if "toolResult" in b
          for c in b["toolResult"]["content"]]
checks.expect(any("circuit open" in t and "flaky_api" in t for t in _texts),
              "the cancel message says the circuit is open for that tool", found=_texts[-3:])
_fails.clear()
with checks.step("running the agent whose circuit opened a second time"):
    _agent3("again")
checks.expect_equal(len(_fails), 2, "a new request forgets the failure counts: the tool runs again until its circuit opens")
# A success resets the failure count.
_pattern = iter([True, False, True, False, True, False, True])
_runs = []


@tool
def sometimes(query: str = "x") -> dict:
    """Sometimes works."""
    _runs.append(1)
    ok = next(_pattern)
    return {"status": "success" if ok else "error", "content": [{"text": "ok" if ok else "boom"}]}


_agent4 = _runaway([sometimes], script=("sometimes",))
add_safeguards(_agent4, max_tool_calls=6, time_budget_s=60, max_failures=2)
_agent4("go")
checks.expect_equal(len(_runs), 6, "failures that are not consecutive never open the circuit")
# The default is two failures in a row; with max_failures=1 a single failure opens the circuit.
for _kwargs, _expected in (({}, 2), ({"max_failures": 1}, 1)):
    _fails.clear()
    _agent6 = _runaway([flaky_api], script=("flaky_api",))
    add_safeguards(_agent6, max_tool_calls=5, time_budget_s=60, **_kwargs)
    _agent6("go")
    checks.expect_equal(len(_fails), _expected, f"max_failures={_kwargs.get('max_failures', 'default (2)')}")
# A normal agent that finishes by itself is not stopped.
_shop = Agent(model=BedrockModel(model_id=MODEL_ID), tools=[get_weather], callback_handler=None)
_stats5 = add_safeguards(_shop, max_tool_calls=2, time_budget_s=60)
_answer = str(_shop("What is the weather forecast for Porto today?"))
checks.expect_equal((_stats5["tool_calls"], _stats5["stopped_by"]), (1, None), "a normal request is not stopped")
checks.expect_in("sunny", _answer, "the normal request gets its answer")
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 7 — a least-privilege role for an action group, checked by IAM (3 points)
#
# An agent's `records` action group reads order files from an S3 bucket. Its Lambda function
# must be able to read the order files and nothing else: not the payroll files in the same
# bucket, not write, not delete, not list. Write `create_action_role(iam, role_name, bucket,
# prefix)` that creates and returns the ARN of a role:
#
# 1. whose trust policy lets only the Lambda service (`lambda.amazonaws.com`) assume it
#    (`sts:AssumeRole`);
# 2. with one inline policy allowing only `s3:GetObject` on the objects under `prefix` in
#    `bucket` (`arn:aws:s3:::<bucket>/<prefix>*`).
#
# Both policy documents use the current policy language, `"Version": "2012-10-17"`.
#
# The tests deploy the audit handler below with your role behind an agent and invoke it with IAM
# enforced (`aws.iam_enforced()`): the simulator runs the function with your role's temporary
# credentials, as Lambda does. The handler reads the order and then *tries* what it should not
# be able to do, and reports what happened.

# %%
RECORDS_BUCKET = "shop-records"
s3 = aws.client("s3")
s3.create_bucket(Bucket=RECORDS_BUCKET)
s3.put_object(Bucket=RECORDS_BUCKET, Key="orders/ORD-1234.json", Body=json.dumps({"status": "shipped"}).encode())
s3.put_object(Bucket=RECORDS_BUCKET, Key="payroll/2026-11.csv", Body=b"name,salary\n")

RECORD_FUNCTIONS = [{"name": "read_order_record", "description": "Read the stored record of a customer's order.",
                     "parameters": {"order_id": {"type": "string", "required": True,
                                                 "description": "The order id, such as ORD-1234."}}}]


def records_handler(event, context):
    """Read an order record, then try three things the role should forbid, and report."""
    s3 = boto3.client("s3")
    bucket, prefix = os.environ["BUCKET"], os.environ["PREFIX"]
    order_id = {p["name"]: p["value"] for p in event["parameters"]}["order_id"]

    def attempt(action):
        try:
            action()
            return "allowed"
        except Exception as exc:  # report, don't fail: this handler audits its own permissions
            return "denied" if "AccessDenied" in str(exc) else type(exc).__name__

    report = {
        "read_order": attempt(lambda: s3.get_object(Bucket=bucket, Key=f"{prefix}{order_id}.json")),
        "read_other": attempt(lambda: s3.get_object(Bucket=bucket, Key=os.environ["OTHER_KEY"])),
        "write": attempt(lambda: s3.put_object(Bucket=bucket, Key=f"{prefix}new.json", Body=b"{}")),
        "delete": attempt(lambda: s3.delete_object(Bucket=bucket, Key=f"{prefix}{order_id}.json")),
        "list": attempt(lambda: s3.list_objects_v2(Bucket=bucket)),
    }
    return {"messageVersion": "1.0", "response": {"actionGroup": event["actionGroup"], "function": event["function"],
            "functionResponse": {"responseBody": {"TEXT": {"body": json.dumps(report)}}}}}


# The application that calls the agent is an IAM user allowed to invoke agents, nothing more.
try:
    iam.create_user(UserName="support-app")
except iam.exceptions.EntityAlreadyExistsException:
    pass
iam.put_user_policy(UserName="support-app", PolicyName="invoke-agents", PolicyDocument=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "bedrock:InvokeAgent", "Resource": "*"}]}))
_app_key = iam.create_access_key(UserName="support-app")["AccessKey"]
app_runtime = aws.client("bedrock-agent-runtime", aws_access_key_id=_app_key["AccessKeyId"],
                         aws_secret_access_key=_app_key["SecretAccessKey"], aws_session_token=None)

# %% kind="solution" grade_id="least-privilege"
def create_action_role(iam, role_name, bucket, prefix):
    """A role only Lambda can assume, allowed only s3:GetObject under bucket/prefix; returns its ARN."""
    ### BEGIN SOLUTION
    trust_policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    arn = iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=json.dumps(trust_policy))["Role"]["Arn"]
    iam.put_role_policy(RoleName=role_name, PolicyName="read-order-records", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/{prefix}*"}],
    }))
    return arn
    ### END SOLUTION


# %% kind="tests" grade_id="least-privilege-tests" points=3
"""Can the action group's function read its order files with the role, and nothing more, under IAM enforcement?"""
import uuid

from course.bedrock_sim import agent_invoke


def _audit(role_arn, bucket, prefix, other_key):
    name = f"records{uuid.uuid4().hex[:6]}"
    with checks.step("deploying the audit handler with your role behind an agent"):
        desk = make_agent(name, instruction="You read stored order records for the support team of a parcel shop.",
                          functions=RECORD_FUNCTIONS, handler=records_handler, role=role_arn, group="records",
                          env={"BUCKET": bucket, "PREFIX": prefix, "OTHER_KEY": other_key})
    with aws.iam_enforced(), checks.step("invoking the agent with IAM enforced"):
        events = list(app_runtime.invoke_agent(agentId=desk["agent_id"], agentAliasId=desk["alias_id"],
                                               sessionId="audit", inputText="Read the record of order ORD-1234")["completion"])
    call = agent_invoke.lambda_calls()[-1]
    checks.expect(call["error"] is None, "the Lambda function could not run with your role (check the trust policy)",
                  found=call["error"])
    body = call["response"]["response"]["functionResponse"]["responseBody"]["TEXT"]["body"]
    return json.loads(body), answer_of(events)


_role = checks.call(create_action_role, iam, f"records-role-{uuid.uuid4().hex[:6]}", RECORDS_BUCKET, "orders/")
checks.expect(isinstance(_role, str) and _role.startswith("arn:aws:iam::") and ":role/" in _role,
              "create_action_role should return the role's ARN", found=_role)
_report, _answer = _audit(_role, RECORDS_BUCKET, "orders/", "payroll/2026-11.csv")
checks.expect_equal(_report["read_order"], "allowed", "the function must be able to read the order file")
checks.expect_equal({k: v for k, v in _report.items() if k != "read_order"},
                    {"read_other": "denied", "write": "denied", "delete": "denied", "list": "denied"},
                    "everything else must be denied", hint="allow only s3:GetObject on arn:aws:s3:::bucket/prefix*")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_bucket = f"records-{uuid.uuid4().hex[:8]}"
_prefix = f"team-{uuid.uuid4().hex[:4]}/orders/"
s3.create_bucket(Bucket=_bucket)
s3.put_object(Bucket=_bucket, Key=f"{_prefix}ORD-1234.json", Body=b"{}")
s3.put_object(Bucket=_bucket, Key="hr/review.txt", Body=b"x")
_name = f"role-{uuid.uuid4().hex[:6]}"
_role2 = checks.call(create_action_role, iam, _name, _bucket, _prefix)
_report2, _ = _audit(_role2, _bucket, _prefix, "hr/review.txt")
checks.expect_equal(_report2, {"read_order": "allowed", "read_other": "denied", "write": "denied", "delete": "denied",
                               "list": "denied"}, "another bucket and prefix: only GetObject under the prefix")
_report3, _ = _audit(_role2, RECORDS_BUCKET, "orders/", "payroll/2026-11.csv")
checks.expect_equal(_report3["read_order"], "denied", "the role must not read the same prefix in another bucket")
def _as_list(value):
    return [value] if isinstance(value, (str, dict)) else list(value or [])


_trust = iam.get_role(RoleName=_name)["Role"]["AssumeRolePolicyDocument"]
_trust = json.loads(_trust) if isinstance(_trust, str) else _trust
_principals = [s.get("Principal") for s in _as_list(_trust.get("Statement")) if s.get("Effect") == "Allow"]
checks.expect(all(isinstance(p, dict) and set(p) == {"Service"} for p in _principals)
              and {v for p in _principals for v in _as_list(p["Service"])} == {"lambda.amazonaws.com"},
              "only the Lambda service may assume the role", expected={"Service": "lambda.amazonaws.com"},
              found=_principals)
checks.expect_equal(_trust.get("Version"), "2012-10-17", "the trust policy uses Version 2012-10-17")
_actions = []
for _policy_name in iam.list_role_policies(RoleName=_name)["PolicyNames"]:
    _doc = iam.get_role_policy(RoleName=_name, PolicyName=_policy_name)["PolicyDocument"]
    _doc = json.loads(_doc) if isinstance(_doc, str) else _doc
    checks.expect_equal(_doc.get("Version"), "2012-10-17", "the inline policy uses Version 2012-10-17")
    for _statement in _as_list(_doc.get("Statement")):
        _actions += [a.lower() for a in _as_list(_statement.get("Action"))]
checks.expect_equal(sorted(set(_actions)), ["s3:getobject"], "the inline policy allows exactly s3:GetObject")
checks.expect_equal(iam.list_attached_role_policies(RoleName=_name)["AttachedPolicies"], [],
                    "no managed policies: they would grant far more")
### END HIDDEN TESTS

# %% [markdown]
# # Part 5 — Several agents

# %% [markdown]
# ## Multi-agent systems: supervisors, routers, swarms and graphs <a id="multi-agent"></a>
#
# One agent with thirty tools chooses badly and is hard to test. Split the work among
# specialists, each with a few tools and its own instructions, and coordinate them:
#
# | Pattern | How it coordinates | On AWS |
# |---|---|---|
# | **supervisor** (agents as tools) | a supervisor plans, calls specialists like tools, combines their answers | Bedrock Agents `agentCollaboration: SUPERVISOR`; Strands agents-as-tools; Agent Squad `SupervisorAgent` |
# | **router** | a classifier sends each request to the one specialist that fits; that specialist answers | Bedrock Agents `SUPERVISOR_ROUTER` (routes directly, falls back to supervising when unsure); Agent Squad's classifier |
# | **swarm** | specialists hand off to each other, sharing context, until one finishes | Strands `Swarm` |
# | **graph / workflow** | a developer-defined graph of agents (a DAG, or conditional edges) | Strands `Graph` and workflows; Step Functions with an agent per step |
# | **agent to agent (A2A)** | agents running as separate services talk over the A2A protocol | Strands A2A; AgentCore Runtime hosts A2A servers |
#
# **Bedrock Agents collaboration.** Create the supervisor with `agentCollaboration`
# `SUPERVISOR` or `SUPERVISOR_ROUTER`, then `AssociateAgentCollaborator` for each specialist:
# the specialist's **alias ARN** (a deployed version), a `collaboratorName`, a
# `collaborationInstruction` saying when to use it, and `relayConversationHistory`
# (`TO_COLLABORATOR` shares the conversation so far). Prepare and alias the supervisor as usual.
# Traces show the routing decision (`routingClassifierTrace`) and each collaborator's own steps,
# tagged with `collaboratorName` and a `callerChain`.
#
# **Exam tip:** "each request belongs to exactly one domain and latency matters" → router mode.
# "Requests need several specialists' answers combined" → supervisor mode. "Specialists built
# in different frameworks must cooperate" → a protocol (A2A, MCP) or Agent Squad, hosted on
# AgentCore Runtime.

# %%
quiz.show("agents", "multi-agent")

# %% [markdown]
# Two specialists for the next exercise: an *orders* agent (the order handler above) and a
# *billing* agent that explains invoice charges. Each has an alias, which a collaborator needs.

# %%
def billing_handler(event, context):
    """Explain the charges of an invoice."""
    invoice_id = {p["name"]: p["value"] for p in event["parameters"]}["invoice_id"]
    body = json.dumps({"invoice_id": invoice_id, "charges": ["parcel 12.00", "express fee 5.00"], "total": 17.0})
    return {"messageVersion": "1.0", "response": {"actionGroup": event["actionGroup"], "function": event["function"],
            "functionResponse": {"responseBody": {"TEXT": {"body": body}}}}}


BILLING_FUNCTIONS = [{"name": "explain_invoice", "description": "Explain the charges and the total of an invoice.",
                      "parameters": {"invoice_id": {"type": "string", "required": True,
                                                    "description": "The invoice id, such as INV-2001."}}}]
_suffix = int(time.time() * 1000) % 100000
orders_specialist = make_agent(f"orders{_suffix}", instruction=ORDER_AGENT_INSTRUCTION, functions=ORDER_FUNCTIONS,
                               handler=order_handler, env={"ORDERS_TABLE": "orders"},
                               description="Tracks customer orders and deliveries.")
billing_specialist = make_agent(f"billing{_suffix}", instruction="You explain invoices and payments to customers of a parcel shop.",
                                functions=BILLING_FUNCTIONS, handler=billing_handler,
                                description="Explains invoice lines and payment charges.")
TEAM = [
    {"name": "orders", "alias_arn": orders_specialist["alias_arn"],
     "instruction": "Questions about an order's status or delivery go to this agent."},
    {"name": "billing", "alias_arn": billing_specialist["alias_arn"],
     "instruction": "Questions about an invoice, a charge or a payment go to this agent."},
]
SUPERVISOR_INSTRUCTION = ("You are the front desk of a parcel shop. Send each customer request to the "
                          "collaborator that handles it.")
print(TEAM)

# %% [markdown]
# ### Exercise 8 — a supervisor that routes to the right specialist (4 points)
#
# Write two functions.
#
# **`create_support_supervisor(agent_client, *, name, model_id, role_arn, collaborators)`**, where
# `collaborators` is a list like `TEAM` (`name`, `alias_arn`, `instruction`):
#
# 1. create the agent `name` (model `model_id`, instruction `SUPERVISOR_INSTRUCTION`, service role
#    `role_arn`) in **router** mode (`agentCollaboration="SUPERVISOR_ROUTER"`);
# 2. associate every collaborator with the draft: its alias ARN as `agentDescriptor`, its name as
#    `collaboratorName`, its instruction as `collaborationInstruction`, and
#    `relayConversationHistory="TO_COLLABORATOR"`;
# 3. prepare the supervisor and create its alias `"live"`; return `(agent_id, alias_id)`.
#
# **`who_answered(agent_runtime, agent_id, alias_id, session_id, text)`** invokes the supervisor
# with `enableTrace=True` and returns `{"collaborator": <the agentCollaboratorName of the first
# agentCollaboratorInvocationInput found in the traces (routingClassifierTrace or
# orchestrationTrace), or None>, "answer": <the joined chunks>}`.

# %% kind="solution" grade_id="supervisor"
def create_support_supervisor(agent_client, *, name, model_id, role_arn, collaborators):
    """A router supervisor over the collaborators' aliases; prepared and aliased. Returns (agent_id, alias_id)."""
    ### BEGIN SOLUTION
    agent = agent_client.create_agent(agentName=name, foundationModel=model_id, instruction=SUPERVISOR_INSTRUCTION,
                                      agentResourceRoleArn=role_arn, agentCollaboration="SUPERVISOR_ROUTER")["agent"]
    for collaborator in collaborators:
        agent_client.associate_agent_collaborator(
            agentId=agent["agentId"],
            agentVersion="DRAFT",
            agentDescriptor={"aliasArn": collaborator["alias_arn"]},
            collaboratorName=collaborator["name"],
            collaborationInstruction=collaborator["instruction"],
            relayConversationHistory="TO_COLLABORATOR",
        )
    agent_client.prepare_agent(agentId=agent["agentId"])
    alias = agent_client.create_agent_alias(agentId=agent["agentId"], agentAliasName="live")["agentAlias"]
    return agent["agentId"], alias["agentAliasId"]
    ### END SOLUTION


def who_answered(agent_runtime, agent_id, alias_id, session_id, text):
    """Invoke the supervisor with traces; which collaborator took the request, and the answer."""
    ### BEGIN SOLUTION
    response = agent_runtime.invoke_agent(agentId=agent_id, agentAliasId=alias_id, sessionId=session_id,
                                          inputText=text, enableTrace=True)
    collaborator, answer = None, ""
    for event in response["completion"]:
        if "chunk" in event:
            answer += event["chunk"]["bytes"].decode("utf-8")
        trace = event.get("trace", {}).get("trace", {})
        for kind in ("routingClassifierTrace", "orchestrationTrace"):
            call = trace.get(kind, {}).get("invocationInput", {}).get("agentCollaboratorInvocationInput")
            if call and collaborator is None:
                collaborator = call["agentCollaboratorName"]
    return {"collaborator": collaborator, "answer": answer}
    ### END SOLUTION


# %% kind="tests" grade_id="supervisor-tests" points=4
"""Does the router supervisor send order and billing requests to the right collaborator?"""
import random
import uuid

from course.bedrock_sim import agent_invoke

_name = f"frontdesk{uuid.uuid4().hex[:6]}"
_ids = checks.call(create_support_supervisor, agents, name=_name, model_id=AGENT_MODEL, role_arn=AGENT_ROLE,
                   collaborators=TEAM)
checks.expect(isinstance(_ids, tuple) and len(_ids) == 2, "create_support_supervisor returns (agent_id, alias_id)",
              found=_ids)
_boss, _alias = _ids
_out = checks.call(who_answered, agent_runtime, _boss, _alias, "s-1", "Where is my order ORD-1234?")
checks.expect_type(_out, dict, "who_answered should return a dict")
checks.expect_equal(_out.get("collaborator"), "orders", "an order question goes to the orders collaborator")
checks.expect_in("shipped", _out.get("answer", ""), "the orders specialist's answer comes back through the supervisor")
_out = checks.call(who_answered, agent_runtime, _boss, _alias, "s-2", "Why is there a double charge on invoice INV-2001?")
checks.expect_equal(_out.get("collaborator"), "billing", "an invoice question goes to the billing collaborator")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
checks.expect_in("17.0", _out["answer"], "the billing answer comes from the billing specialist's function")
_agent = agents.get_agent(agentId=_boss)["agent"]
checks.expect_equal((_agent["agentCollaboration"], _agent.get("instruction"), _agent["agentResourceRoleArn"]),
                    ("SUPERVISOR_ROUTER", SUPERVISOR_INSTRUCTION, AGENT_ROLE), "router mode, the instruction, the role")
_collabs = agents.list_agent_collaborators(agentId=_boss, agentVersion="1")["agentCollaboratorSummaries"]
checks.expect_equal(sorted((c["collaboratorName"], c["agentDescriptor"]["aliasArn"], c["collaborationInstruction"],
                            c["relayConversationHistory"]) for c in _collabs),
                    sorted((t["name"], t["alias_arn"], t["instruction"], "TO_COLLABORATOR") for t in TEAM),
                    "every collaborator with its alias, name, instruction and TO_COLLABORATOR")
_alias_view = agents.get_agent_alias(agentId=_boss, agentAliasId=_alias)["agentAlias"]
checks.expect_equal((_alias_view["agentAliasName"], _alias_view["routingConfiguration"]), ("live", [{"agentVersion": "1"}]),
                    "the alias live points at version 1")
_session = f"s-{uuid.uuid4().hex[:6]}"
_id = random.choice(["ORD-1234", "ORD-5678"])
_out = checks.call(who_answered, agent_runtime, _boss, _alias, _session, f"What is the delivery status of order {_id}?")
checks.expect_equal(_out["collaborator"], "orders", "order questions, any wording")
checks.expect_equal((agent_invoke.records()[-1]["sessionId"], agent_invoke.records()[-1]["enableTrace"]),
                    (_session, True), "invoke the given session with enableTrace=True")
checks.expect_equal(_out["answer"], agent_invoke.records()[-1]["answer"], "the answer joins every chunk")
_out = checks.call(who_answered, agent_runtime, _boss, _alias, "s-4", "Hello!")
checks.expect_equal(_out["collaborator"], None, "no collaborator in the traces: None")
# Other collaborators, other names: nothing hard-coded.
_team2 = [{"name": "parcels", "alias_arn": orders_specialist["alias_arn"],
           "instruction": "Questions about a parcel, an order or a delivery go here."},
          {"name": "accounts", "alias_arn": billing_specialist["alias_arn"],
           "instruction": "Questions about an invoice or a payment go here."}]
_boss2, _alias2 = checks.call(create_support_supervisor, agents, name=f"desk{uuid.uuid4().hex[:6]}", model_id=AGENT_MODEL,
                              role_arn=AGENT_ROLE, collaborators=_team2)
checks.expect_equal(checks.call(who_answered, agent_runtime, _boss2, _alias2, "s-5",
                                "Please explain invoice INV-3003")["collaborator"], "accounts", "routing by instruction")
# In supervisor mode the collaborator call is in the orchestration trace.
_planner = make_agent(f"planner{uuid.uuid4().hex[:6]}", instruction=SUPERVISOR_INSTRUCTION, collaboration="SUPERVISOR")
for _member in TEAM:
    agents.associate_agent_collaborator(agentId=_planner["agent_id"], agentVersion="DRAFT", collaboratorName=_member["name"],
                                        agentDescriptor={"aliasArn": _member["alias_arn"]},
                                        collaborationInstruction=_member["instruction"])
agents.prepare_agent(agentId=_planner["agent_id"])
_out = checks.call(who_answered, agent_runtime, _planner["agent_id"], "TSTALIASID", "s-6", "Where is my order ORD-5678?")
checks.expect_equal(_out["collaborator"], "orders", "look for the collaborator call in orchestrationTrace too")
### END HIDDEN TESTS

# %% [markdown]
# # Part 6 — Seeing and measuring what agents do

# %% [markdown]
# ## Tracing tool calls and multi-agent steps <a id="tracing"></a>
#
# An agent's answer hides the work behind it: several model calls, tool calls that may fail or
# be slow, hand-offs between agents. Trace every step to debug, to control cost, and to notice
# drift from a baseline.
#
# | Source | What it records |
# |---|---|
# | **Bedrock Agents traces** (`enableTrace=True`) | `preProcessingTrace`, `orchestrationTrace` (model input and output with token usage, rationale, `invocationInput` for each action group, knowledge base or collaborator call, `observation` with the result or the final response), `postProcessingTrace`, `routingClassifierTrace`, `guardrailTrace`, `failureTrace`; `callerChain` and `collaboratorName` in multi-agent runs |
# | **Strands Agents** | `AgentResult.metrics`: cycles, token usage, and per-tool `call_count`, `success_count`, `error_count`, `total_time`; OpenTelemetry spans for each invocation, model call and tool call |
# | **AgentCore Observability** | the agents' OpenTelemetry traces in CloudWatch (generative AI observability dashboards): sessions, spans, tool latency and errors, for agents on AgentCore Runtime or elsewhere. Turn on CloudWatch Transaction Search once per account; an agent hosted outside Runtime (ECS, Lambda, EC2) also needs the AWS Distro for OpenTelemetry (ADOT) and its framework's telemetry (for example `strands-agents[otel]`) |
# | **CloudWatch, X-Ray** | Lambda tool functions' logs, metrics and traces; alarms on error rate or latency |
#
# **Baselines.** Record what normal looks like (tool calls per task, tool error rate, p90 tool
# latency, tokens per answer) and alarm on departures: a prompt change that doubles tool calls, a
# partner API that starts failing, a collaborator that suddenly receives every request.
#
# **Exam tip:** "find which tool call makes some answers slow" → agent traces or OpenTelemetry
# spans per tool call, not only model invocation logs. "Which collaborator handled the request?"
# → the routing trace and the collaborator name in the traces.

# %%
quiz.show("agents", "tracing")

# %% [markdown]
# **Try it.** Invoke the orders specialist with traces on and lay the steps out: each model call
# with its tokens, each action with its result. The chart shows where one answer's tokens go.

# %%
import matplotlib.pyplot as plt

traced = list(agent_runtime.invoke_agent(agentId=orders_specialist["agent_id"], agentAliasId=orders_specialist["alias_id"],
                                         sessionId="trace-demo", inputText="Where is my order ORD-5678?",
                                         enableTrace=True)["completion"])
steps = []
for event in traced:
    for kind, body in event.get("trace", {}).get("trace", {}).items():
        part = next(iter(body)) if isinstance(body, dict) else kind
        usage = (body.get("modelInvocationOutput", {}).get("metadata", {}).get("usage", {})
                 if isinstance(body, dict) else {})
        steps.append((kind.replace("Trace", ""), part, usage.get("inputTokens", 0), usage.get("outputTokens", 0)))
for step in steps:
    print(f"{step[0]:14} {step[1]:24} in={step[2]:4} out={step[3]:4}")
print("answer:", answer_of(traced))
model_calls = [s for s in steps if s[1] == "modelInvocationOutput"]
fig, ax = plt.subplots(figsize=(7, 3))
labels = [f"model call {i + 1}" for i in range(len(model_calls))]
ax.bar(labels, [s[2] for s in model_calls], label="input tokens")
ax.bar(labels, [s[3] for s in model_calls], bottom=[s[2] for s in model_calls], label="output tokens")
ax.set_ylabel("tokens")
ax.set_title("One agent answer = several model calls (the first plans, the second answers)")
ax.legend()
plt.show()
print(demo("What is the weather forecast for Lisbon today?").metrics.tool_metrics["get_weather"].call_count,
      "call of get_weather recorded by Strands")

# %% [markdown]
# ## Evaluating agents: task completion and tool-use accuracy <a id="agent-evaluation"></a>
#
# Judge an agent on a **golden set**: representative requests, each with what a correct run
# looks like (the tool and arguments it should use, facts the answer must contain). Then measure:
#
# - **task completion** (goal success): did the answer achieve what the user asked?
# - **tool-use accuracy**: did it call the right tool with the right arguments, and no tool when
#   none was needed? **Trajectory** checks compare the whole sequence of calls (exact order, in
#   order with extras, any order);
# - quality and safety of the answer (correctness, helpfulness, harmfulness), often scored by an
#   LLM judge;
# - cost and latency per task, from the traces.
#
# **AgentCore Evaluations** scores agent traces with built-in evaluators (for example
# `Builtin.GoalSuccessRate`, `Builtin.Correctness`, trajectory match evaluators) and custom ones,
# on demand (chosen traces, a golden set before a release) or continuously *online* (live
# sessions, sampled by a percentage to control the judge's cost, scores written to CloudWatch
# for dashboards and alarms), for agents on AgentCore Runtime or elsewhere. Bedrock's
# model evaluation jobs (LLM-as-a-judge, RAG evaluation) are covered in the evaluation notebook.
#
# **Exam tip:** "prove the new prompt did not make the agent pick wrong tools" → re-run the golden
# set and compare tool-use accuracy from the traces. "Reasons for each score" → an LLM judge.

# %%
quiz.show("agents", "agent-evaluation")

# %% [markdown]
# ### Exercise 9 — score an agent on a golden set from its traces (3 points)
#
# Write `evaluate_agent(agent_runtime, agent_id, alias_id, golden_set)`. Each case of `golden_set`
# is `{"input": <request>, "expected_tool": <function name, or None when no tool should run>,
# "expected_parameters": {<name>: <value as a string>}, "expected_answer": <text the answer must
# contain>}`.
#
# 1. Run case number `i` (counting from 0) in its own session `f"eval-{i}"`, with
#    `enableTrace=True`.
# 2. From the `orchestrationTrace` parts, collect every `invocationInput.actionGroupInvocationInput`
#    as `{"function": ..., "parameters": {<name>: <value>}}`, in order; the answer is the joined
#    chunks.
# 3. A case's tool use is correct if it made no call when `expected_tool` is None, or exactly one
#    call to `expected_tool` with exactly `expected_parameters`. It is completed if
#    `expected_answer` appears in the answer, ignoring case.
# 4. Return `{"task_completion_rate": <completed / cases>, "tool_use_accuracy": <correct / cases>,
#    "cases": [{"input", "tools_called", "tool_correct", "completed"}, ...]}` in the golden set's
#    order.

# %%
eval_desk = make_agent(f"evaldesk{int(time.time() * 1000) % 100000}", instruction=ORDER_AGENT_INSTRUCTION,
                       functions=ORDER_FUNCTIONS, handler=order_handler, env={"ORDERS_TABLE": "orders"})
GOLDEN = [
    {"input": "Where is my order ORD-1234?", "expected_tool": "get_order_status",
     "expected_parameters": {"order_id": "ORD-1234"}, "expected_answer": "shipped"},
    {"input": "Has order ORD-5678 been packed?", "expected_tool": "get_order_status",
     "expected_parameters": {"order_id": "ORD-5678"}, "expected_answer": "packed"},
    {"input": "Where is my parcel?", "expected_tool": "get_order_status",
     "expected_parameters": {"order_id": "ORD-1234"}, "expected_answer": "shipped"},
    {"input": "Hello!", "expected_tool": None, "expected_parameters": {}, "expected_answer": "help"},
]

# %% kind="solution" grade_id="agent-eval"
def evaluate_agent(agent_runtime, agent_id, alias_id, golden_set):
    """Task-completion rate and tool-use accuracy of an agent over a golden set, from its traces."""
    ### BEGIN SOLUTION
    cases = []
    for i, case in enumerate(golden_set):
        response = agent_runtime.invoke_agent(agentId=agent_id, agentAliasId=alias_id, sessionId=f"eval-{i}",
                                              inputText=case["input"], enableTrace=True)
        calls, answer = [], ""
        for event in response["completion"]:
            if "chunk" in event:
                answer += event["chunk"]["bytes"].decode("utf-8")
            orchestration = event.get("trace", {}).get("trace", {}).get("orchestrationTrace", {})
            action = orchestration.get("invocationInput", {}).get("actionGroupInvocationInput")
            if action:
                calls.append({"function": action.get("function"),
                              "parameters": {p["name"]: p["value"] for p in action.get("parameters", [])}})
        if case["expected_tool"] is None:
            correct = calls == []
        else:
            correct = calls == [{"function": case["expected_tool"], "parameters": case["expected_parameters"]}]
        completed = case["expected_answer"].lower() in answer.lower()
        cases.append({"input": case["input"], "tools_called": calls, "tool_correct": correct, "completed": completed})
    n = len(cases)
    return {
        "task_completion_rate": sum(c["completed"] for c in cases) / n,
        "tool_use_accuracy": sum(c["tool_correct"] for c in cases) / n,
        "cases": cases,
    }
    ### END SOLUTION


# %% kind="tests" grade_id="agent-eval-tests" points=3
"""Does evaluate_agent read tool calls from the traces and score completion and tool use per case?"""
import random
import uuid

from course.bedrock_sim import agent_invoke


def _cases(report):
    checks.expect_type(report, dict, "evaluate_agent should return a dict")
    cases = report.get("cases")
    checks.expect(isinstance(cases, list) and all(isinstance(c, dict) for c in cases),
                  "the report's 'cases' should be a list of dicts, one per golden case", found=cases)
    return cases


_report = checks.call(evaluate_agent, agent_runtime, eval_desk["agent_id"], eval_desk["alias_id"], GOLDEN)
checks.expect_equal([(c.get("tool_correct"), c.get("completed")) for c in _cases(_report)],
                    [(True, True), (True, True), (False, False), (True, True)],
                    "case 3 asks for an order without its id: no tool call, no answer")
checks.expect_equal((_report.get("task_completion_rate"), _report.get("tool_use_accuracy")), (0.75, 0.75),
                    "3 of 4 completed, 3 of 4 correct tool use")
checks.expect_equal(_cases(_report)[0].get("tools_called"),
                    [{"function": "get_order_status", "parameters": {"order_id": "ORD-1234"}}],
                    "tools_called comes from actionGroupInvocationInput in the traces")
print("Visible checks passed.")

### BEGIN HIDDEN TESTS
_start = len(agent_invoke.records())
_id = random.choice(["ORD-1234", "ORD-5678"])
_golden2 = [
    {"input": f"Where is order {_id}?", "expected_tool": "get_order_status", "expected_parameters": {"order_id": _id},
     "expected_answer": "ORD"},
    {"input": f"Where is order {_id}?", "expected_tool": "get_order_status",
     "expected_parameters": {"order_id": "ORD-0000"}, "expected_answer": "ord-"},
    {"input": "Where is order ORD-9999?", "expected_tool": "get_order_status",
     "expected_parameters": {"order_id": "ORD-9999"}, "expected_answer": "delivered"},
    {"input": f"Where is order {_id}?", "expected_tool": None, "expected_parameters": {}, "expected_answer": "nothing"},
    {"input": "Tell me a joke about penguins", "expected_tool": "get_order_status", "expected_parameters": {},
     "expected_answer": "PENGUINS"},
]
_report2 = checks.call(evaluate_agent, agent_runtime, eval_desk["agent_id"], eval_desk["alias_id"], _golden2)
_runs = agent_invoke.records()[_start:]
checks.expect_equal([r["sessionId"] for r in _runs], [f"eval-{i}" for i in range(5)], "one session per case: eval-0, eval-1...")
checks.expect(all(r["enableTrace"] for r in _runs), "every case runs with enableTrace=True")
checks.expect_equal([(c.get("tool_correct"), c.get("completed")) for c in _cases(_report2)],
                    [(True, True), (False, True), (True, False), (False, False), (False, True)],
                    "wrong parameters, a missing fact, a call when none was expected, and a case-insensitive match")
checks.expect_equal((_report2.get("task_completion_rate"), _report2.get("tool_use_accuracy")), (0.6, 0.4),
                    "rates over all cases")
checks.expect_equal([c.get("input") for c in _cases(_report2)], [g["input"] for g in _golden2],
                    "cases in the golden set's order, each with its input")
### END HIDDEN TESTS

# %% [markdown]
# **Reading the scores.** The chart shows the golden set above case by case: the agent uses its
# tool well when the request carries an order id, and cannot complete a request that lacks one
# (it asks for the id instead). A real golden set has dozens to hundreds of cases, is re-run on
# every prompt, model or tool change, and is tracked over time.

# %%
scored = evaluate_agent(agent_runtime, eval_desk["agent_id"], eval_desk["alias_id"], GOLDEN)
fig, ax = plt.subplots(figsize=(7, 2.8))
names = [c["input"][:28] for c in scored["cases"]]
ax.barh(names, [1 if c["tool_correct"] else 0 for c in scored["cases"]], height=0.35, label="right tool use")
ax.barh([i + 0.35 for i in range(len(names))], [1 if c["completed"] else 0 for c in scored["cases"]], height=0.35,
        label="task completed")
ax.set_xticks([0, 1], ["no", "yes"])
ax.set_title(f"completion {scored['task_completion_rate']:.0%}, tool use {scored['tool_use_accuracy']:.0%}")
ax.legend(loc="lower right")
plt.show()

# %% [markdown]
# ## Agent topics taught in other notebooks <a id="elsewhere"></a>
#
# - **Converse tool use by hand** (the loop behind every agent, with an iteration guard) and an
#   overview of AgentCore: the [bedrock notebook](../bedrock/bedrock.ipynb#agentcore).
# - **Knowledge bases and retrieval** behind `search_knowledge_base`-style tools (chunking,
#   hybrid search, reranking, metadata filters): the retrieval notebook.
# - **Guardrails** on agent input and output, prompt-injection defences: the prompts and safety
#   notebook.
# - **LLM-as-a-judge and RAG evaluation jobs**: the evaluation notebook.
# - **Step Functions, Lambda, API Gateway and EventBridge** in depth: the
#   [integration notebook](../integration/integration.ipynb); **IAM** policies, boundaries and
#   roles: the [security notebook](../security/security.ipynb#iam).

# %% [markdown]
# ## Graded quiz <a id="graded-quiz"></a>
#
# Seven questions across the whole notebook. Pick your answers in the widget below; they are
# saved automatically beside this notebook and graded when you submit. Leave the cells under the
# widget as they are.

# %%
quiz.graded("agents")

# %% kind="quiz" question="ag-g1" points=1

# %% kind="quiz" question="ag-g2" points=1

# %% kind="quiz" question="ag-g3" points=1

# %% kind="quiz" question="ag-g4" points=1

# %% kind="quiz" question="ag-g5" points=1

# %% kind="quiz" question="ag-g6" points=1

# %% kind="quiz" question="ag-g7" points=1

# %% [markdown]
# ## Summary / what to review <a id="summary"></a>
#
# **When an agent.** Fixed steps → a chain (Bedrock Flows, Step Functions); the path depends on
# the request → an agent. Mix models: small ones to route, large ones to reason.
#
# **Where to build it.** Strands Agents in code; AgentCore to run it in production (Runtime,
# Memory, Gateway, Identity, Observability, Policy, Evaluations); Bedrock Agents (now Classic,
# closed to new customers) for configure-only agents; Agent Squad for classifier routing.
#
# **Tools.** Clear names, descriptions in the users' words, typed and documented parameters with
# examples, validation and error results the model can act on (Exercise 1). MCP servers expose
# tools to any client: stdio locally, Lambda for stateless tools, ECS/Fargate for long-running
# ones, AgentCore Gateway to turn APIs into MCP tools (Exercise 2).
#
# **Bedrock Agents.** Action groups by function or OpenAPI schema, Lambda executors with the
# resource-based policy for `bedrock.amazonaws.com`, the event and response format, prepare →
# test alias → version → alias, the event stream of chunks and traces (Exercises 3 and 4).
#
# **Control.** Return of control and confirmation, Step Functions task tokens, A2I (Exercise 5);
# ReAct loops with stopping conditions; call limits, time budgets, circuit breakers (Exercise 6)
# and least-privilege roles enforced by IAM (Exercise 7); AgentCore Policy on tool calls.
#
# **Several agents.** Supervisor, router, swarm, graph, A2A; Bedrock collaborators by alias ARN
# with routing traces (Exercise 8).
#
# **Observe and evaluate.** Traces of every model and tool call, metrics and baselines;
# golden sets scored for task completion and tool-use accuracy from traces (Exercise 9);
# AgentCore Observability and Evaluations.
