"""Bedrock Flows: definitions, validation, prepare, versions, aliases and InvokeFlow (flows.py)."""

import io
import json
import zipfile

import pytest
from bedrock_helpers import NOVA
from botocore.exceptions import ClientError, EventStreamError
from botocore.stub import Stubber
from botocore.validate import ParamValidator

ROLE = "arn:aws:iam::123456789012:role/flow-role"
LABELS = (
    "Classify the request. Categories:\n- billing: invoice, charge, refund, payment\n"
    "- technical: app, crash, error, login\n- other: anything else\n"
    "Respond with only the category.\nRequest: {{request}}"
)


def valid(client, method, response):
    """Fail unless ``response`` matches the operation's output shape (botocore's validator)."""
    Stubber(client).add_response(method, {k: v for k, v in response.items() if k != "ResponseMetadata"})


def data(source, output, target, input_name):
    return {
        "name": f"{source}_{target}_{input_name}",
        "type": "Data",
        "source": source,
        "target": target,
        "configuration": {"data": {"sourceOutput": output, "targetInput": input_name}},
    }


def conditional(source, condition, target):
    return {
        "name": f"{source}_{condition}_{target}",
        "type": "Conditional",
        "source": source,
        "target": target,
        "configuration": {"conditional": {"condition": condition}},
    }


def output(name, kind="String"):
    return {
        "name": name,
        "type": "Output",
        "configuration": {"output": {}},
        "inputs": [{"name": "document", "type": kind, "expression": "$.data"}],
    }


def router(model=NOVA):
    nodes = [
        {
            "name": "Start",
            "type": "Input",
            "configuration": {"input": {}},
            "outputs": [{"name": "document", "type": "String"}],
        },
        {
            "name": "Classify",
            "type": "Prompt",
            "configuration": {
                "prompt": {
                    "sourceConfiguration": {
                        "inline": {
                            "modelId": model,
                            "templateType": "TEXT",
                            "templateConfiguration": {
                                "text": {"text": LABELS, "inputVariables": [{"name": "request"}]}
                            },
                            "inferenceConfiguration": {"text": {"temperature": 0.0}},
                        }
                    }
                }
            },
            "inputs": [{"name": "request", "type": "String", "expression": "$.data"}],
            "outputs": [{"name": "modelCompletion", "type": "String"}],
        },
        {
            "name": "Route",
            "type": "Condition",
            "configuration": {
                "condition": {
                    "conditions": [
                        {"name": "isBilling", "expression": 'category == "billing"'},
                        {"name": "isTechnical", "expression": 'category == "technical"'},
                        {"name": "default"},
                    ]
                }
            },
            "inputs": [{"name": "category", "type": "String", "expression": "$.data"}],
        },
        output("Billing"),
        output("Technical"),
        output("Other"),
    ]
    connections = [
        data("Start", "document", "Classify", "request"),
        data("Classify", "modelCompletion", "Route", "category"),
        conditional("Route", "isBilling", "Billing"),
        conditional("Route", "isTechnical", "Technical"),
        conditional("Route", "default", "Other"),
        data("Start", "document", "Billing", "document"),
        data("Classify", "modelCompletion", "Technical", "document"),
        data("Start", "document", "Other", "document"),
    ]
    return {"nodes": nodes, "connections": connections}


def events(agent_runtime, flow_id, alias_id, document, node="Start", trace=True):
    response = agent_runtime.invoke_flow(
        flowIdentifier=flow_id,
        flowAliasIdentifier=alias_id,
        inputs=[{"nodeName": node, "nodeOutputName": "document", "content": {"document": document}}],
        enableTrace=trace,
    )
    return response, list(response["responseStream"])


def test_flow_lifecycle_shapes_and_routing(agent, agent_runtime):
    created = agent.create_flow(name="router", executionRoleArn=ROLE, definition=router(), description="routes tickets")
    valid(agent, "create_flow", created)
    assert created["status"] == "NotPrepared" and created["version"] == "DRAFT" and len(created["id"]) == 10
    got = agent.get_flow(flowIdentifier=created["arn"])
    valid(agent, "get_flow", got)
    assert "validations" not in got
    prepared = agent.prepare_flow(flowIdentifier=created["id"])
    valid(agent, "prepare_flow", prepared)
    assert prepared["status"] == "Preparing" and agent.get_flow(flowIdentifier=created["id"])["status"] == "Prepared"
    version = agent.create_flow_version(flowIdentifier=created["id"], description="first")
    valid(agent, "create_flow_version", version)
    assert version["version"] == "1" and version["definition"] == router()
    alias = agent.create_flow_alias(
        flowIdentifier=created["id"], name="live", routingConfiguration=[{"flowVersion": "1"}]
    )
    valid(agent, "create_flow_alias", alias)
    assert alias["arn"] == f"{created['arn']}/alias/{alias['id']}"
    valid(agent, "list_flows", agent.list_flows())
    valid(agent, "list_flow_versions", agent.list_flow_versions(flowIdentifier=created["id"]))
    valid(agent, "list_flow_aliases", agent.list_flow_aliases(flowIdentifier=created["id"]))
    valid(agent, "get_flow_version", agent.get_flow_version(flowIdentifier=created["id"], flowVersion="1"))
    valid(agent, "get_flow_alias", agent.get_flow_alias(flowIdentifier=created["id"], aliasIdentifier=alias["id"]))
    routed = {}
    for text in ("I was charged twice on my invoice", "The app shows an error at login", "Where is your office?"):
        response, stream = events(agent_runtime, created["id"], alias["id"], text)
        assert response["executionId"]
        outputs = [e["flowOutputEvent"] for e in stream if "flowOutputEvent" in e]
        assert len(outputs) == 1 and stream[-1] == {"flowCompletionEvent": {"completionReason": "SUCCESS"}}
        routed[text] = (outputs[0]["nodeName"], outputs[0]["content"]["document"])
        model = agent_runtime.meta.service_model.shape_for("FlowResponseStream")
        for event in stream:
            ((member, body),) = event.items()
            report = ParamValidator().validate(body, model.members[member])
            assert not report.has_errors(), report.generate_report()
    assert routed["I was charged twice on my invoice"] == ("Billing", "I was charged twice on my invoice")
    assert routed["The app shows an error at login"] == ("Technical", "technical")
    assert routed["Where is your office?"][0] == "Other"
    updated = agent.update_flow_alias(
        flowIdentifier=created["id"],
        aliasIdentifier=alias["id"],
        name="live",
        routingConfiguration=[{"flowVersion": "1"}],
    )
    valid(agent, "update_flow_alias", updated)
    valid(agent, "update_flow", agent.update_flow(flowIdentifier=created["id"], name="router", executionRoleArn=ROLE))
    with pytest.raises(ClientError) as err:  # the alias still routes to version 1
        agent.delete_flow_version(flowIdentifier=created["id"], flowVersion="1")
    assert err.value.response["Error"]["Code"] == "ConflictException"
    valid(
        agent, "delete_flow_alias", agent.delete_flow_alias(flowIdentifier=created["id"], aliasIdentifier=alias["id"])
    )
    valid(agent, "delete_flow_version", agent.delete_flow_version(flowIdentifier=created["id"], flowVersion="1"))
    valid(agent, "delete_flow", agent.delete_flow(flowIdentifier=created["id"]))
    assert agent.list_flows()["flowSummaries"] == []


def test_traces_show_inputs_outputs_actions_and_conditions(agent, agent_runtime):
    flow = agent.create_flow(name="traced", executionRoleArn=ROLE, definition=router())
    agent.prepare_flow(flowIdentifier=flow["id"])
    _, stream = events(agent_runtime, flow["id"], "TSTALIASID", "my refund never arrived")
    traces = [e["flowTraceEvent"]["trace"] for e in stream if "flowTraceEvent" in e]
    kinds = [next(iter(t)) for t in traces]
    assert kinds.count("nodeActionTrace") == 1 and "conditionNodeResultTrace" in kinds
    action = next(t["nodeActionTrace"] for t in traces if "nodeActionTrace" in t)
    assert action["nodeName"] == "Classify" and action["operationName"] == "Converse"
    condition = next(t["conditionNodeResultTrace"] for t in traces if "conditionNodeResultTrace" in t)
    assert condition["satisfiedConditions"] == [{"conditionName": "isBilling"}]
    first_output = next(t["nodeOutputTrace"] for t in traces if "nodeOutputTrace" in t)
    assert first_output["nodeName"] == "Start"
    assert {"nodeName": "Classify", "inputFieldName": "request"} in first_output["fields"][0]["next"]
    _, quiet = events(agent_runtime, flow["id"], "TSTALIASID", "my refund never arrived", trace=False)
    assert not any("flowTraceEvent" in e for e in quiet)


def test_validation_reports_broken_definitions(agent):
    definition = router()
    definition["connections"].append(data("Start", "document", "Nowhere", "document"))
    definition["connections"].append(data("Start", "documents", "Other", "document"))
    definition["nodes"][2]["configuration"]["condition"]["conditions"].pop()  # no default
    definition["nodes"][1]["inputs"] = []  # the {{request}} variable has no input
    result = agent.validate_flow_definition(definition=definition)
    valid(agent, "validate_flow_definition", result)
    types = {v["type"] for v in result["validations"]}
    assert {
        "UnknownConnectionTarget",
        "UnknownConnectionSourceOutput",
        "MissingDefaultCondition",
        "MissingNodeInput",
    } <= types
    flow = agent.create_flow(name="broken", executionRoleArn=ROLE, definition=definition)
    assert agent.get_flow(flowIdentifier=flow["id"])["validations"]
    with pytest.raises(ClientError) as err:
        agent.prepare_flow(flowIdentifier=flow["id"])
    assert err.value.response["Error"]["Code"] == "ValidationException"
    with pytest.raises(ClientError) as err:
        agent.create_flow_version(flowIdentifier=flow["id"])
    assert err.value.response["Error"]["Code"] == "ValidationException"
    empty = agent.validate_flow_definition(definition={"nodes": [], "connections": []})["validations"]
    assert {v["type"] for v in empty} == {"MissingStartingNodes", "MissingEndingNodes"}
    cyclic = router()
    cyclic["connections"].append(data("Classify", "modelCompletion", "Classify", "request"))
    found = {v["type"] for v in agent.validate_flow_definition(definition=cyclic)["validations"]}
    assert {"CyclicConnection", "MultipleNodeInputConnections"} <= found


def test_invoke_errors(agent, agent_runtime):
    flow = agent.create_flow(name="errors", executionRoleArn=ROLE, definition=router())
    with pytest.raises(ClientError) as err:  # the draft must be prepared first
        events(agent_runtime, flow["id"], "TSTALIASID", "hello")
    assert err.value.response["Error"]["Code"] == "ValidationException"
    agent.prepare_flow(flowIdentifier=flow["id"])
    for bad_node, document in (("Classify", "hello"), ("Start", 42)):
        with pytest.raises(ClientError) as err:
            events(agent_runtime, flow["id"], "TSTALIASID", document, node=bad_node)
        assert err.value.response["Error"]["Code"] == "ValidationException"
    with pytest.raises(ClientError) as err:
        events(agent_runtime, flow["id"], "NOSUCHALIA", "hello")
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as err:
        agent.create_flow_alias(flowIdentifier=flow["id"], name="x", routingConfiguration=[{"flowVersion": "9"}])
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"
    agent.update_flow(flowIdentifier=flow["id"], name="errors", executionRoleArn=ROLE, definition=router())
    assert agent.get_flow(flowIdentifier=flow["id"])["status"] == "NotPrepared"


def _lambda_zip(source):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("app.py", source)
    return buffer.getvalue()


def test_lambda_inline_code_and_knowledge_free_flow(sim_aws, agent, agent_runtime):
    lam, iam = sim_aws.client("lambda"), sim_aws.client("iam")
    role = iam.create_role(
        RoleName="fn", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []})
    )
    code = (
        "def handler(event, context):\n"
        "    text = event['node']['inputs'][0]['value']\n"
        "    return {'length': len(text), 'flow': event['flow']['flowArn'].split('/')[-1]}\n"
    )
    arn = lam.create_function(
        FunctionName="measure",
        Runtime="python3.12",
        Role=role["Role"]["Arn"],
        Handler="app.handler",
        Code={"ZipFile": _lambda_zip(code)},
    )["FunctionArn"]
    nodes = [
        {
            "name": "Start",
            "type": "Input",
            "configuration": {"input": {}},
            "outputs": [{"name": "document", "type": "String"}],
        },
        {
            "name": "Measure",
            "type": "LambdaFunction",
            "configuration": {"lambdaFunction": {"lambdaArn": arn}},
            "inputs": [{"name": "codeHookInput", "type": "String", "expression": "$.data"}],
            "outputs": [{"name": "functionResponse", "type": "Object"}],
        },
        {
            "name": "Double",
            "type": "InlineCode",
            "configuration": {"inlineCode": {"code": "n = measured * 2\nn", "language": "Python_3"}},
            "inputs": [{"name": "measured", "type": "Number", "expression": "$.data.length"}],
            "outputs": [{"name": "response", "type": "Number"}],
        },
        output("Result", "Number"),
        output("Raw", "Object"),
    ]
    connections = [
        data("Start", "document", "Measure", "codeHookInput"),
        data("Measure", "functionResponse", "Double", "measured"),
        data("Double", "response", "Result", "document"),
        data("Measure", "functionResponse", "Raw", "document"),
    ]
    flow = agent.create_flow(
        name="lambda", executionRoleArn=ROLE, definition={"nodes": nodes, "connections": connections}
    )
    agent.prepare_flow(flowIdentifier=flow["id"])
    _, stream = events(agent_runtime, flow["id"], "TSTALIASID", "hello")
    outputs = {
        e["flowOutputEvent"]["nodeName"]: e["flowOutputEvent"]["content"]["document"]
        for e in stream
        if "flowOutputEvent" in e
    }
    assert outputs == {"Result": 10, "Raw": {"length": 5, "flow": flow["id"]}}
    failing = code.replace("return", "raise ValueError('bad input')\n    return")
    lam.update_function_code(FunctionName="measure", ZipFile=_lambda_zip(failing))
    with pytest.raises(EventStreamError) as err:
        events(agent_runtime, flow["id"], "TSTALIASID", "hello")
    assert err.value.response["Error"]["Code"] == "dependencyFailedException"
    assert "ValueError: bad input" in err.value.response["Error"]["Message"]


def test_prompt_node_from_prompt_management(agent, agent_runtime):
    prompt = agent.create_prompt(
        name="shout",
        defaultVariant="v",
        variants=[
            {
                "name": "v",
                "templateType": "TEXT",
                "modelId": NOVA,
                "templateConfiguration": {
                    "text": {
                        "text": "Context: {{context}}\nQuestion: When does the shop open?",
                        "inputVariables": [{"name": "context"}],
                    }
                },
            }
        ],
    )
    version = agent.create_prompt_version(promptIdentifier=prompt["id"])
    nodes = [
        {
            "name": "Start",
            "type": "Input",
            "configuration": {"input": {}},
            "outputs": [{"name": "document", "type": "Object"}],
        },
        {
            "name": "Answer",
            "type": "Prompt",
            "configuration": {"prompt": {"sourceConfiguration": {"resource": {"promptArn": version["arn"]}}}},
            "inputs": [{"name": "context", "type": "String", "expression": "$.data.notes[1]"}],
            "outputs": [{"name": "modelCompletion", "type": "String"}],
        },
        output("End"),
    ]
    connections = [data("Start", "document", "Answer", "context"), data("Answer", "modelCompletion", "End", "document")]
    flow = agent.create_flow(
        name="managed", executionRoleArn=ROLE, definition={"nodes": nodes, "connections": connections}
    )
    agent.prepare_flow(flowIdentifier=flow["id"])
    document = {"notes": ["Parking is free.", "The shop opens at 9 am. It closes at 6 pm."]}
    _, stream = events(agent_runtime, flow["id"], "TSTALIASID", document)
    (out,) = [e["flowOutputEvent"] for e in stream if "flowOutputEvent" in e]
    assert out["content"]["document"] == "The shop opens at 9 am."
    with pytest.raises(EventStreamError) as err:  # the expression points past the array
        events(agent_runtime, flow["id"], "TSTALIASID", {"notes": ["only one"]})
    assert err.value.response["Error"]["Code"] == "validationException"
