"""Amazon Bedrock Flows: flow definitions, validation, prepare, versions, aliases (bedrock-agent)
and InvokeFlow with its event stream and node traces (bedrock-agent-runtime).

A flow is a graph of nodes joined by data connections (an output feeds an input) and
conditional connections (a condition of a Condition node selects a target). Supported nodes:
Input, Output, Prompt (inline or a Prompt Management prompt), KnowledgeBase (Retrieve, or
RetrieveAndGenerate with ``modelId``), Condition, LambdaFunction (the function's Python code
runs in-process, ``lambda_runner.py``) and InlineCode (Python; the last expression is the
output). Other node types are reported by validation. Validation reports the API's
``FlowValidation`` types; PrepareFlow fails with ValidationException while errors remain.
InvokeFlow runs the prepared DRAFT (alias ``TSTALIASID``) or the version an alias routes to.
"""

from __future__ import annotations

import ast
import copy
import json
import re
from dataclasses import dataclass, field
from typing import Any

from course.bedrock_sim import eventstream, state
from course.bedrock_sim.protocol import Call, Reply, ServiceError, not_found, validation

TEST_ALIAS = "TSTALIASID"
SUPPORTED = {"Input", "Output", "Prompt", "KnowledgeBase", "Condition", "LambdaFunction", "InlineCode"}
# Inputs and outputs whose names the service fixes, per node type (None: any names).
FIXED_OUTPUTS = {"Input": ["document"], "Prompt": ["modelCompletion"], "LambdaFunction": ["functionResponse"]}
FIXED_INPUTS = {"Output": ["document"], "KnowledgeBase": ["retrievalQuery"]}
TYPES = {"String": str, "Number": (int, float), "Boolean": bool, "Object": dict, "Array": list}
NODE_TYPE_NAMES = {
    "Input": "FlowInputNode",
    "Output": "FlowOutputNode",
    "LambdaFunction": "LambdaFunctionNode",
    "KnowledgeBase": "KnowledgeBaseNode",
    "Prompt": "PromptNode",
    "Condition": "ConditionNode",
    "Lex": "LexNode",
}


# ---------------------------------------------------------------- expressions

_PATH_RE = re.compile(r"\.([A-Za-z_][\w-]*)|\[(\d+)\]|\[\"([^\"]+)\"\]|\['([^']+)'\]")


def parse_path(expression: str) -> list[str | int]:
    """The steps of an input expression such as ``$.data``, ``$.data.order.items[0]``."""
    if not expression.startswith("$.data"):
        raise ValueError("an input expression starts with $.data")
    rest, steps = expression[len("$.data") :], []
    position = 0
    while position < len(rest):
        m = _PATH_RE.match(rest, position)
        if not m:
            raise ValueError(f"unexpected text {rest[position:]!r}")
        key, index, dq, sq = m.groups()
        steps.append(int(index) if index is not None else (key or dq or sq))
        position = m.end()
    return steps


def resolve(expression: str, value: Any) -> Any:
    for step in parse_path(expression):
        if isinstance(step, int):
            if not isinstance(value, list) or step >= len(value):
                raise KeyError(f"{expression}: no item {step}")
            value = value[step]
        else:
            if not isinstance(value, dict) or step not in value:
                raise KeyError(f"{expression}: no field {step!r}")
            value = value[step]
    return value


def type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, (int, float)):
        return "Number"
    if isinstance(value, str):
        return "String"
    if isinstance(value, list):
        return "Array"
    return "Object"


_TOKEN_RE = re.compile(r"\s*(?:(==|!=|>=|<=|>|<|\(|\))|(\"[^\"]*\"|'[^']*')|(-?\d+(?:\.\d+)?)|([A-Za-z_]\w*))")


class _Condition:
    """A condition expression: comparisons of inputs and constants joined by and/or/not."""

    def __init__(self, text: str, inputs: set[str]) -> None:
        self.tokens: list[tuple[str, Any]] = []
        position = 0
        while position < len(text):
            if text[position:].strip() == "":
                break
            m = _TOKEN_RE.match(text, position)
            if not m or m.end() == position:
                raise ValueError(f"unexpected character at {text[position:].strip()!r}")
            op, quoted, number, name = m.groups()
            if op:
                self.tokens.append(("op", op))
            elif quoted is not None:
                self.tokens.append(("value", quoted[1:-1]))
            elif number is not None:
                self.tokens.append(("value", float(number) if "." in number else int(number)))
            elif name in ("and", "or", "not"):
                self.tokens.append(("op", name))
            elif name in ("true", "false"):
                self.tokens.append(("value", name == "true"))
            else:
                if name not in inputs:
                    raise ValueError(f"{name} is not an input of the node")
                self.tokens.append(("input", name))
            position = m.end()
        if not self.tokens:
            raise ValueError("the expression is empty")
        self.position = 0
        self.tree = self._or()
        if self.position != len(self.tokens):
            raise ValueError(f"unexpected {self.tokens[self.position][1]!r}")

    def _peek(self) -> tuple[str, Any] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _take(self) -> tuple[str, Any]:
        token = self._peek()
        if token is None:
            raise ValueError("the expression ends too early")
        self.position += 1
        return token

    def _or(self):
        left = self._and()
        while self._peek() == ("op", "or"):
            self._take()
            right = self._and()
            left = ("or", left, right)
        return left

    def _and(self):
        left = self._not()
        while self._peek() == ("op", "and"):
            self._take()
            right = self._not()
            left = ("and", left, right)
        return left

    def _not(self):
        if self._peek() == ("op", "not"):
            self._take()
            return ("not", self._not())
        return self._comparison()

    def _comparison(self):
        if self._peek() == ("op", "("):
            self._take()
            inner = self._or()
            if self._take() != ("op", ")"):
                raise ValueError("missing )")
            return inner
        left = self._operand()
        token = self._peek()
        if not token or token[0] != "op" or token[1] not in ("==", "!=", ">", ">=", "<", "<="):
            raise ValueError("expected a comparison operator (==, !=, >, >=, <, <=)")
        self._take()
        return ("cmp", token[1], left, self._operand())

    def _operand(self):
        kind, value = self._take()
        if kind not in ("value", "input"):
            raise ValueError(f"expected an input name or a constant, found {value!r}")
        return (kind, value)

    def evaluate(self, values: dict[str, Any]) -> bool:
        def run(node) -> bool:
            if node[0] == "or":
                return run(node[1]) or run(node[2])
            if node[0] == "and":
                return run(node[1]) and run(node[2])
            if node[0] == "not":
                return not run(node[1])
            _, op, left, right = node
            a = values.get(left[1]) if left[0] == "input" else left[1]
            b = values.get(right[1]) if right[0] == "input" else right[1]
            if op in ("==", "!="):
                same = type_of(a) == type_of(b) and a == b
                return same if op == "==" else not same
            if type_of(a) != "Number" or type_of(b) != "Number":
                return False
            return {">": a > b, ">=": a >= b, "<": a < b, "<=": a <= b}[op]

        return run(self.tree)


# ---------------------------------------------------------------- validation


def _issue(kind: str, message: str, details: dict[str, Any] | None = None, severity: str = "Error") -> dict[str, Any]:
    key = kind[0].lower() + kind[1:]
    return {"message": message, "severity": severity, "type": kind, "details": {key: details or {}}}


def _template_variables(node: dict[str, Any]) -> set[str] | None:
    from course.bedrock_sim import prompts

    source = ((node.get("configuration") or {}).get("prompt") or {}).get("sourceConfiguration") or {}
    if "inline" in source:
        variant = {"templateConfiguration": source["inline"].get("templateConfiguration", {})}
    else:
        return None  # a managed prompt's variables are checked when it is rendered
    return {m for text in prompts._template_texts(variant) for m in prompts.VARIABLE_RE.findall(text)}


def validate(definition: dict[str, Any]) -> list[dict[str, Any]]:
    """The FlowValidation list for a definition (empty when the flow can be prepared)."""
    nodes = definition.get("nodes") or []
    connections = definition.get("connections") or []
    issues: list[dict[str, Any]] = []
    by_name = {n["name"]: n for n in nodes}
    kinds = [n["type"] for n in nodes]
    if "Input" not in kinds:
        issues.append(_issue("MissingStartingNodes", "The flow has no input node."))
    if "Output" not in kinds:
        issues.append(_issue("MissingEndingNodes", "The flow has no output node."))
    for node in nodes:
        name, kind = node["name"], node["type"]
        inputs = [i["name"] for i in node.get("inputs") or []]
        outputs = [o["name"] for o in node.get("outputs") or []]
        if kind not in SUPPORTED:
            issues.append(
                _issue("Unspecified", f"Node {name}: the course simulator doesn't run {kind} nodes.", {}, "Error")
            )
            continue
        config_key = kind[0].lower() + kind[1:]
        if kind not in ("Input", "Output") and config_key not in (node.get("configuration") or {}):
            issues.append(
                _issue("MissingNodeConfiguration", f"Node {name} has no {config_key} configuration.", {"node": name})
            )
            continue
        expected_out = FIXED_OUTPUTS.get(kind)
        if kind == "KnowledgeBase":
            has_model = bool(node["configuration"]["knowledgeBase"].get("modelId"))
            expected_out = ["outputText"] if has_model else ["retrievalResults"]
        if kind == "InlineCode":
            expected_out = ["response"]
        for wanted in expected_out or []:
            if wanted not in outputs:
                issues.append(
                    _issue(
                        "MissingNodeOutput",
                        f"Node {name} must have an output named {wanted}.",
                        {"node": name, "output": wanted},
                    )
                )
        for output in outputs:
            if expected_out is not None and output not in expected_out:
                issues.append(
                    _issue(
                        "UnknownNodeOutput",
                        f"Node {name} can't have an output named {output}.",
                        {"node": name, "output": output},
                    )
                )
        for wanted in FIXED_INPUTS.get(kind, []):
            if wanted not in inputs:
                issues.append(
                    _issue(
                        "MissingNodeInput",
                        f"Node {name} must have an input named {wanted}.",
                        {"node": name, "input": wanted},
                    )
                )
        if kind == "Prompt":
            variables = _template_variables(node)
            if variables is not None:
                for missing in sorted(variables - set(inputs)):
                    issues.append(
                        _issue(
                            "MissingNodeInput",
                            f"Node {name}: the prompt variable {missing} has no input.",
                            {"node": name, "input": missing},
                        )
                    )
                for extra in sorted(set(inputs) - variables):
                    issues.append(
                        _issue(
                            "UnknownNodeInput",
                            f"Node {name}: the input {extra} is not a variable of the prompt.",
                            {"node": name, "input": extra},
                        )
                    )
        for item in node.get("inputs") or []:
            try:
                parse_path(item["expression"])
            except ValueError as exc:
                issues.append(
                    _issue(
                        "MalformedNodeInputExpression",
                        f"Node {name}, input {item['name']}: malformed expression {item['expression']!r} ({exc}).",
                        {"node": name, "input": item["name"], "cause": str(exc)},
                    )
                )
        if kind == "Condition":
            conditions = node["configuration"]["condition"].get("conditions") or []
            if not any(c["name"] == "default" and not c.get("expression") for c in conditions):
                issues.append(
                    _issue(
                        "MissingDefaultCondition", f"Condition node {name} has no default condition.", {"node": name}
                    )
                )
            seen: dict[str, str] = {}
            for condition in conditions:
                expression = condition.get("expression")
                if not expression:
                    continue
                try:
                    _Condition(expression, set(inputs))
                except ValueError as exc:
                    issues.append(
                        _issue(
                            "MalformedConditionExpression",
                            f"Condition {condition['name']} of node {name}: {exc}.",
                            {"node": name, "condition": condition["name"], "cause": str(exc)},
                        )
                    )
                if expression in seen:
                    issues.append(
                        _issue(
                            "DuplicateConditionExpression",
                            f"Conditions {seen[expression]} and {condition['name']} of node {name} have the same "
                            "expression.",
                            {"node": name, "expression": expression},
                            "Warning",
                        )
                    )
                seen.setdefault(expression, condition["name"])
    fed: dict[tuple[str, str], list[str]] = {}
    pairs: set[tuple[str, str, str, str]] = set()
    edges: dict[str, set[str]] = {}
    for connection in connections:
        cname, source, target = connection["name"], connection["source"], connection["target"]
        if source not in by_name:
            issues.append(
                _issue(
                    "UnknownConnectionSource",
                    f"Connection {cname} starts at an unknown node {source}.",
                    {"connection": cname},
                )
            )
            continue
        if target not in by_name:
            issues.append(
                _issue(
                    "UnknownConnectionTarget",
                    f"Connection {cname} ends at an unknown node {target}.",
                    {"connection": cname},
                )
            )
            continue
        edges.setdefault(source, set()).add(target)
        config = connection.get("configuration") or {}
        if connection["type"] == "Data":
            data = config.get("data")
            if not data:
                issues.append(
                    _issue(
                        "MissingConnectionConfiguration",
                        f"Data connection {cname} has no data configuration.",
                        {"connection": cname},
                    )
                )
                continue
            outs = {o["name"]: o["type"] for o in by_name[source].get("outputs") or []}
            ins = {i["name"]: i["type"] for i in by_name[target].get("inputs") or []}
            if data["sourceOutput"] not in outs:
                issues.append(
                    _issue(
                        "UnknownConnectionSourceOutput",
                        f"Connection {cname}: node {source} has no output {data['sourceOutput']}.",
                        {"connection": cname},
                    )
                )
                continue
            if data["targetInput"] not in ins:
                issues.append(
                    _issue(
                        "UnknownConnectionTargetInput",
                        f"Connection {cname}: node {target} has no input {data['targetInput']}.",
                        {"connection": cname},
                    )
                )
                continue
            key = (source, data["sourceOutput"], target, data["targetInput"])
            if key in pairs:
                issues.append(
                    _issue(
                        "DuplicateConnections",
                        f"Connection {cname} repeats a connection from {source} to {target}.",
                        {"source": source, "target": target},
                    )
                )
            pairs.add(key)
            fed.setdefault((target, data["targetInput"]), []).append(cname)
            expression = next(
                (i["expression"] for i in by_name[target]["inputs"] if i["name"] == data["targetInput"]), "$.data"
            )
            if expression == "$.data" and outs[data["sourceOutput"]] != ins[data["targetInput"]]:
                issues.append(
                    _issue(
                        "IncompatibleConnectionDataType",
                        f"Connection {cname}: output {data['sourceOutput']} of {source} is "
                        f"{outs[data['sourceOutput']]} but input {data['targetInput']} of {target} is "
                        f"{ins[data['targetInput']]}.",
                        {"connection": cname},
                    )
                )
        else:
            conditional = config.get("conditional")
            if not conditional:
                issues.append(
                    _issue(
                        "MissingConnectionConfiguration",
                        f"Conditional connection {cname} has no conditional configuration.",
                        {"connection": cname},
                    )
                )
                continue
            names = [
                c["name"]
                for c in ((by_name[source].get("configuration") or {}).get("condition") or {}).get("conditions", [])
            ]
            if by_name[source]["type"] != "Condition" or conditional["condition"] not in names:
                issues.append(
                    _issue(
                        "UnknownConnectionCondition",
                        f"Connection {cname} names condition {conditional['condition']}, which node {source} "
                        "doesn't have.",
                        {"connection": cname},
                    )
                )
    for (target, input_name), names in fed.items():
        if len(names) > 1:
            issues.append(
                _issue(
                    "MultipleNodeInputConnections",
                    f"Input {input_name} of node {target} has more than one incoming connection.",
                    {"node": target, "input": input_name},
                )
            )
    for node in nodes:
        if node["type"] not in SUPPORTED:
            continue
        for item in node.get("inputs") or []:
            if (node["name"], item["name"]) not in fed:
                issues.append(
                    _issue(
                        "UnfulfilledNodeInput",
                        f"Input {item['name']} of node {node['name']} isn't connected to any output.",
                        {"node": node["name"], "input": item["name"]},
                    )
                )
    cycle = _cycle(edges)
    if cycle:
        first = next(c["name"] for c in connections if c["source"] == cycle[0] and c["target"] == cycle[1 % len(cycle)])
        issues.append(
            _issue(
                "CyclicConnection", f"Connection {first} closes a cycle: {' -> '.join(cycle)}.", {"connection": first}
            )
        )
    starts = [n["name"] for n in nodes if n["type"] == "Input"]
    reached = set(starts)
    frontier = list(starts)
    while frontier:
        for nxt in edges.get(frontier.pop(), ()):
            if nxt not in reached:
                reached.add(nxt)
                frontier.append(nxt)
    for node in nodes:
        if starts and node["name"] not in reached:
            issues.append(
                _issue(
                    "UnreachableNode",
                    f"Node {node['name']} can't be reached from the input node.",
                    {"node": node["name"]},
                    "Warning",
                )
            )
    return issues


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    colour: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        colour[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if colour.get(nxt) == 1:
                return path[path.index(nxt) :]
            if colour.get(nxt) is None:
                found = visit(nxt)
                if found:
                    return found
        colour[node] = 2
        path.pop()
        return None

    for start in sorted(edges):
        if colour.get(start) is None:
            found = visit(start)
            if found:
                return found
    return None


def errors(definition: dict[str, Any]) -> list[dict[str, Any]]:
    return [v for v in validate(definition) if v["severity"] == "Error"]


# ---------------------------------------------------------------- control plane


def _lookup(identifier: str) -> dict[str, Any]:
    flow_id = identifier.rsplit("/", 1)[-1] if identifier.startswith("arn:") else identifier
    record = state.get().flows.get(flow_id)
    if record is None:
        raise not_found(f"Flow {identifier} was not found.")
    return record


def _view(record: dict[str, Any], version: str = "DRAFT") -> dict[str, Any]:
    body = record if version == "DRAFT" else record["versions"][version]
    out = {
        "name": body["name"],
        "executionRoleArn": body["executionRoleArn"],
        "id": record["id"],
        "arn": record["arn"],
        "status": body["status"],
        "createdAt": body["createdAt"],
        "version": version,
        "definition": copy.deepcopy(body["definition"]),
    }
    for key in ("description", "customerEncryptionKeyArn"):
        if body.get(key):
            out[key] = body[key]
    if version == "DRAFT":
        out["updatedAt"] = record["updatedAt"]
    return out


def _check_role(arn: str) -> None:
    if not re.fullmatch(r"arn:aws(-[^:]+)?:iam::([0-9]{12})?:role/.+", arn or ""):
        raise validation(
            f"1 validation error detected: Value '{arn}' at 'executionRoleArn' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: ^arn:aws(-[^:]+)?:iam::([0-9]{12})?:role/.+$"
        )


def create_flow(call: Call) -> Reply:
    st = state.get()
    params = call.params
    if any(r["name"] == params["name"] for r in st.flows.values()):
        raise ServiceError("ConflictException", f"A flow named {params['name']} already exists.")
    _check_role(params["executionRoleArn"])
    flow_id = st.new_id("flow")
    now = st.now()
    record = {
        "id": flow_id,
        "arn": f"arn:aws:bedrock:{call.region}:{state.ACCOUNT_ID}:flow/{flow_id}",
        "region": call.region,
        "name": params["name"],
        "description": params.get("description"),
        "executionRoleArn": params["executionRoleArn"],
        "customerEncryptionKeyArn": params.get("customerEncryptionKeyArn"),
        "definition": copy.deepcopy(params.get("definition") or {"nodes": [], "connections": []}),
        "status": "NotPrepared",
        "createdAt": now,
        "updatedAt": now,
        "versions": {},
        "aliases": {},
        "tags": dict(params.get("tags") or {}),
    }
    st.flows[flow_id] = record
    return Reply(_view(record))


def update_flow(call: Call) -> Reply:
    record = _lookup(call.params["flowIdentifier"])
    _check_role(call.params["executionRoleArn"])
    for key in ("name", "description", "executionRoleArn", "customerEncryptionKeyArn"):
        record[key] = call.params.get(key)
    record["definition"] = copy.deepcopy(call.params.get("definition") or {"nodes": [], "connections": []})
    record["status"] = "NotPrepared"  # a changed draft must be prepared again
    record["updatedAt"] = state.get().now()
    return Reply(_view(record))


def get_flow(call: Call) -> Reply:
    record = _lookup(call.params["flowIdentifier"])
    view = _view(record)
    found = validate(record["definition"])
    if found:
        view["validations"] = found
    return Reply(view)


def list_flows(call: Call) -> Reply:
    items = [
        {k: v for k, v in _view(r).items() if k not in ("definition", "executionRoleArn", "customerEncryptionKeyArn")}
        for r in state.get().flows.values()
    ]
    return Reply(_page(call, "flowSummaries", items))


def _page(call: Call, key: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    size = call.params.get("maxResults") or 1000
    start = int(call.params.get("nextToken") or 0)
    output: dict[str, Any] = {key: items[start : start + size]}
    if start + size < len(items):
        output["nextToken"] = str(start + size)
    return output


def delete_flow(call: Call) -> Reply:
    record = _lookup(call.params["flowIdentifier"])
    del state.get().flows[record["id"]]
    return Reply({"id": record["id"]})


def validate_flow_definition(call: Call) -> Reply:
    return Reply({"validations": validate(call.params.get("definition") or {})})


def prepare_flow(call: Call) -> Reply:
    record = _lookup(call.params["flowIdentifier"])
    problems = errors(record["definition"])
    if problems:
        listed = " ".join(p["message"] for p in problems[:3])
        raise validation(f"The flow definition has {len(problems)} error(s) and can't be prepared: {listed}")
    record["status"] = "Prepared"
    return Reply({"id": record["id"], "status": "Preparing"}, status=202)


def create_flow_version(call: Call) -> Reply:
    record = _lookup(call.params["flowIdentifier"])
    if record["status"] != "Prepared":
        raise validation(f"Flow {record['id']} isn't prepared. Call PrepareFlow before you create a version.")
    version = str(max((int(v) for v in record["versions"]), default=0) + 1)
    snapshot = {
        k: copy.deepcopy(record[k]) for k in ("name", "executionRoleArn", "customerEncryptionKeyArn", "definition")
    }
    snapshot.update(
        description=call.params.get("description") or record.get("description"),
        status="Prepared",
        createdAt=state.get().now(),
    )
    record["versions"][version] = snapshot
    return Reply(_view(record, version), status=201)


def _version(record: dict[str, Any], version: str) -> str:
    if version not in record["versions"]:
        raise not_found(f"Version {version} of flow {record['id']} was not found.")
    return version


def get_flow_version(call: Call) -> Reply:
    record = _lookup(call.params["flowIdentifier"])
    return Reply(_view(record, _version(record, call.params["flowVersion"])))


def list_flow_versions(call: Call) -> Reply:
    record = _lookup(call.params["flowIdentifier"])
    items = [
        {
            "id": record["id"],
            "arn": record["arn"],
            "status": record["status"],
            "createdAt": record["createdAt"],
            "version": "DRAFT",
        }
    ]
    for version in sorted(record["versions"], key=int):
        body = record["versions"][version]
        items.append(
            {
                "id": record["id"],
                "arn": record["arn"],
                "status": body["status"],
                "createdAt": body["createdAt"],
                "version": version,
            }
        )
    return Reply(_page(call, "flowVersionSummaries", items))


def delete_flow_version(call: Call) -> Reply:
    record = _lookup(call.params["flowIdentifier"])
    version = _version(record, call.params["flowVersion"])
    in_use = [a["name"] for a in record["aliases"].values() if a["routingConfiguration"][0]["flowVersion"] == version]
    if in_use and not call.params.get("skipResourceInUseCheck"):
        raise ServiceError("ConflictException", f"Version {version} is in use by the alias {in_use[0]}.")
    del record["versions"][version]
    return Reply({"id": record["id"], "version": version})


def _routing(record: dict[str, Any], routing: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(routing or []) != 1 or not routing[0].get("flowVersion"):
        raise validation("routingConfiguration must hold exactly one entry with a flowVersion.")
    _version(record, routing[0]["flowVersion"])
    return [{"flowVersion": routing[0]["flowVersion"]}]


def _alias_view(record: dict[str, Any], alias: dict[str, Any]) -> dict[str, Any]:
    out = {k: copy.deepcopy(v) for k, v in alias.items() if v is not None}
    out["flowId"] = record["id"]
    return out


def create_flow_alias(call: Call) -> Reply:
    record = _lookup(call.params["flowIdentifier"])
    params = call.params
    if any(a["name"] == params["name"] for a in record["aliases"].values()):
        raise ServiceError("ConflictException", f"An alias named {params['name']} already exists.")
    st = state.get()
    alias_id = st.new_id("flow-alias")
    now = st.now()
    alias = {
        "name": params["name"],
        "description": params.get("description"),
        "routingConfiguration": _routing(record, params.get("routingConfiguration")),
        "concurrencyConfiguration": params.get("concurrencyConfiguration"),
        "id": alias_id,
        "arn": f"{record['arn']}/alias/{alias_id}",
        "createdAt": now,
        "updatedAt": now,
    }
    record["aliases"][alias_id] = alias
    return Reply(_alias_view(record, alias), status=201)


def _alias(record: dict[str, Any], identifier: str) -> dict[str, Any]:
    alias_id = identifier.rsplit("/", 1)[-1]
    alias = record["aliases"].get(alias_id)
    if alias is None:
        raise not_found(f"Alias {identifier} of flow {record['id']} was not found.")
    return alias


def get_flow_alias(call: Call) -> Reply:
    record = _lookup(call.params["flowIdentifier"])
    return Reply(_alias_view(record, _alias(record, call.params["aliasIdentifier"])))


def update_flow_alias(call: Call) -> Reply:
    record = _lookup(call.params["flowIdentifier"])
    alias = _alias(record, call.params["aliasIdentifier"])
    alias.update(
        name=call.params["name"],
        description=call.params.get("description"),
        routingConfiguration=_routing(record, call.params.get("routingConfiguration")),
        concurrencyConfiguration=call.params.get("concurrencyConfiguration"),
        updatedAt=state.get().now(),
    )
    return Reply(_alias_view(record, alias))


def list_flow_aliases(call: Call) -> Reply:
    record = _lookup(call.params["flowIdentifier"])
    items = [_alias_view(record, a) for a in record["aliases"].values()]
    return Reply(_page(call, "flowAliasSummaries", items))


def delete_flow_alias(call: Call) -> Reply:
    record = _lookup(call.params["flowIdentifier"])
    alias = _alias(record, call.params["aliasIdentifier"])
    del record["aliases"][alias["id"]]
    return Reply({"flowId": record["id"], "id": alias["id"]})


OPERATIONS = {
    "CreateFlow": create_flow,
    "UpdateFlow": update_flow,
    "GetFlow": get_flow,
    "ListFlows": list_flows,
    "DeleteFlow": delete_flow,
    "ValidateFlowDefinition": validate_flow_definition,
    "PrepareFlow": prepare_flow,
    "CreateFlowVersion": create_flow_version,
    "GetFlowVersion": get_flow_version,
    "ListFlowVersions": list_flow_versions,
    "DeleteFlowVersion": delete_flow_version,
    "CreateFlowAlias": create_flow_alias,
    "GetFlowAlias": get_flow_alias,
    "UpdateFlowAlias": update_flow_alias,
    "ListFlowAliases": list_flow_aliases,
    "DeleteFlowAlias": delete_flow_alias,
}


# ---------------------------------------------------------------- runtime: InvokeFlow


class FlowStopped(Exception):
    """A node failed; the stream ends with this exception event."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def _stamp() -> str:
    return state.get().now().strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class Run:
    """One InvokeFlow execution."""

    record: dict[str, Any]
    definition: dict[str, Any]
    alias_arn: str
    region: str
    trace: bool
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def emit_trace(self, trace: dict[str, Any]) -> None:
        if self.trace:
            self.events.append(("flowTraceEvent", {"trace": trace}))


def _check_type(value: Any, wanted: str, what: str) -> None:
    if type_of(value) != wanted:
        raise FlowStopped("validationException", f"{what} expects {wanted} but got {type_of(value)}.")


def _render_inline(inline: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    from course.bedrock_sim import prompts

    config = inline["templateConfiguration"]
    if "text" in config:
        messages = [{"role": "user", "content": [{"text": prompts.fill(config["text"]["text"], values)}]}]
        system: list[dict[str, Any]] = []
    else:
        chat = config["chat"]
        messages = [
            {
                "role": m["role"],
                "content": [{"text": prompts.fill(b["text"], values)} for b in m["content"] if "text" in b],
            }
            for m in chat.get("messages", [])
        ]
        system = [{"text": prompts.fill(b["text"], values)} for b in chat.get("system", []) if "text" in b]
    inference = (inline.get("inferenceConfiguration") or {}).get("text", {})
    return {
        "modelId": inline["modelId"],
        "messages": messages,
        "system": system,
        "inferenceConfig": {
            k: v for k, v in inference.items() if k in ("maxTokens", "temperature", "topP", "stopSequences")
        },
    }


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _prompt_node(run: Run, node: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    from course.bedrock_sim import prompts, runtime

    config = node["configuration"]["prompt"]
    source = config["sourceConfiguration"]
    texts = {k: _as_text(v) for k, v in values.items()}
    try:
        if "inline" in source:
            rendered = _render_inline(source["inline"], texts)
        else:
            rendered = prompts.render(source["resource"]["promptArn"], {k: {"text": v} for k, v in texts.items()})
    except ServiceError as exc:
        raise FlowStopped("validationException", f"Node {node['name']}: {exc.message}") from exc
    params: dict[str, Any] = {"modelId": rendered["modelId"], "messages": rendered["messages"]}
    if rendered.get("system"):
        params["system"] = rendered["system"]
    if rendered.get("inferenceConfig"):
        params["inferenceConfig"] = rendered["inferenceConfig"]
    guard = config.get("guardrailConfiguration")
    if guard and guard.get("guardrailIdentifier"):
        params["guardrailConfig"] = {
            "guardrailIdentifier": guard["guardrailIdentifier"],
            "guardrailVersion": guard.get("guardrailVersion", "DRAFT"),
        }
    try:
        reply = runtime.converse(Call("bedrock-runtime", "Converse", run.region, copy.deepcopy(params)))
    except ServiceError as exc:
        raise FlowStopped("dependencyFailedException", f"Node {node['name']}: {exc.code}: {exc.message}") from exc
    text = "".join(b.get("text", "") for b in reply.output["output"]["message"]["content"])
    run.emit_trace(
        {
            "nodeActionTrace": {
                "nodeName": node["name"],
                "serviceName": "bedrock",
                "operationName": "Converse",
                "requestId": reply.headers.get("x-amzn-RequestId", ""),
                "timestamp": _stamp(),
                "operationRequest": {"modelId": params["modelId"], "messages": params["messages"]},
                "operationResponse": {"output": reply.output["output"], "stopReason": reply.output["stopReason"]},
            }
        }
    )
    return {"modelCompletion": text}


def _kb_node(run: Run, node: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    from course.bedrock_sim import agent_runtime

    config = node["configuration"]["knowledgeBase"]
    query = values.get("retrievalQuery", "")
    number = config.get("numberOfResults", agent_runtime.DEFAULT_RESULTS)
    search = {"vectorSearchConfiguration": {"numberOfResults": number}}
    try:
        if config.get("modelId"):
            kb_config: dict[str, Any] = {
                "knowledgeBaseId": config["knowledgeBaseId"],
                "modelArn": config["modelId"],
                "retrievalConfiguration": search,
            }
            if config.get("guardrailConfiguration"):
                g = config["guardrailConfiguration"]
                kb_config["generationConfiguration"] = {
                    "guardrailConfiguration": {
                        "guardrailId": g["guardrailIdentifier"],
                        "guardrailVersion": g["guardrailVersion"],
                    }
                }
            params = {
                "input": {"text": query},
                "retrieveAndGenerateConfiguration": {"type": "KNOWLEDGE_BASE", "knowledgeBaseConfiguration": kb_config},
            }
            reply = agent_runtime.retrieve_and_generate(
                Call("bedrock-agent-runtime", "RetrieveAndGenerate", run.region, params)
            )
            result: dict[str, Any] = {"outputText": reply.output["output"]["text"]}
            operation = "RetrieveAndGenerate"
        else:
            params = {
                "knowledgeBaseId": config["knowledgeBaseId"],
                "retrievalQuery": {"text": query},
                "retrievalConfiguration": search,
            }
            reply = agent_runtime.retrieve(Call("bedrock-agent-runtime", "Retrieve", run.region, params))
            result = {"retrievalResults": json.loads(json.dumps(reply.output["retrievalResults"], default=str))}
            operation = "Retrieve"
    except ServiceError as exc:
        raise FlowStopped("dependencyFailedException", f"Node {node['name']}: {exc.code}: {exc.message}") from exc
    run.emit_trace(
        {
            "nodeActionTrace": {
                "nodeName": node["name"],
                "serviceName": "bedrock-agent-runtime",
                "operationName": operation,
                "requestId": state.get().new_id("flow-request", 32, "0123456789abcdef"),
                "timestamp": _stamp(),
                "operationRequest": params,
                "operationResponse": result,
            }
        }
    )
    return result


def _lambda_node(run: Run, node: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    from course.bedrock_sim import lambda_runner

    arn = node["configuration"]["lambdaFunction"]["lambdaArn"]
    event = {
        "messageVersion": "1.0",
        "flow": {"flowArn": run.record["arn"], "flowAliasArn": run.alias_arn},
        "node": {
            "name": node["name"],
            "inputs": [dict(item, value=values.get(item["name"])) for item in node.get("inputs") or []],
        },
    }
    try:
        response = lambda_runner.invoke(arn, copy.deepcopy(event), run.region)
    except lambda_runner.LambdaFailed as exc:
        raise FlowStopped(
            "dependencyFailedException", f"Node {node['name']}: Lambda function {arn} failed: {exc}"
        ) from exc
    except ServiceError as exc:
        raise FlowStopped("resourceNotFoundException", f"Node {node['name']}: {exc.message}") from exc
    run.emit_trace(
        {
            "nodeActionTrace": {
                "nodeName": node["name"],
                "serviceName": "lambda",
                "operationName": "Invoke",
                "requestId": state.get().new_id("flow-request", 32, "0123456789abcdef"),
                "timestamp": _stamp(),
                "operationRequest": event,
                "operationResponse": {"functionResponse": response},
            }
        }
    )
    return {"functionResponse": response}


def _inline_code_node(node: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    code = node["configuration"]["inlineCode"]["code"]
    try:
        tree = ast.parse(code)
        namespace: dict[str, Any] = {"__builtins__": __builtins__, **copy.deepcopy(values)}
        last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        body = tree.body[:-1] if last is not None else tree.body
        exec(compile(ast.Module(body=body, type_ignores=[]), f"<{node['name']}>", "exec"), namespace)  # noqa: S102
        value = eval(compile(ast.Expression(last.value), f"<{node['name']}>", "eval"), namespace) if last else None  # noqa: S307
    except Exception as exc:  # noqa: BLE001 - the node's own code failed
        raise FlowStopped("dependencyFailedException", f"Node {node['name']}: {type(exc).__name__}: {exc}") from exc
    return {"response": value}


def _condition_node(run: Run, node: dict[str, Any], values: dict[str, Any]) -> str:
    chosen = "default"
    for condition in node["configuration"]["condition"]["conditions"]:
        expression = condition.get("expression")
        if expression and _Condition(expression, set(values)).evaluate(values):
            chosen = condition["name"]
            break
    run.emit_trace(
        {
            "conditionNodeResultTrace": {
                "nodeName": node["name"],
                "satisfiedConditions": [{"conditionName": chosen}],
                "timestamp": _stamp(),
            }
        }
    )
    return chosen


def execute(run: Run, document: Any) -> None:
    """Run the flow on ``document``, appending events (outputs, traces) to ``run.events``."""
    nodes = run.definition.get("nodes") or []
    connections = run.definition.get("connections") or []
    data_in: dict[str, dict[str, tuple[str, str]]] = {}
    gates: dict[str, list[tuple[str, str]]] = {}
    nexts: dict[tuple[str, str], list[dict[str, str]]] = {}
    for c in connections:
        config = c.get("configuration") or {}
        if c["type"] == "Data":
            d = config["data"]
            data_in.setdefault(c["target"], {})[d["targetInput"]] = (c["source"], d["sourceOutput"])
            nexts.setdefault((c["source"], d["sourceOutput"]), []).append(
                {"nodeName": c["target"], "inputFieldName": d["targetInput"]}
            )
        else:
            gates.setdefault(c["target"], []).append((c["source"], config["conditional"]["condition"]))
    produced: dict[str, dict[str, Any]] = {}
    chosen: dict[str, str] = {}
    done: set[str] = set()
    progress = True
    while progress:
        progress = False
        for node in nodes:
            name = node["name"]
            if name in done:
                continue
            if node["type"] == "Input":
                outputs = {"document": document}
            else:
                wires = data_in.get(name, {})
                if any(src not in produced or out not in produced[src] for src, out in wires.values()):
                    continue
                if name in gates and not any(chosen.get(src) == cond for src, cond in gates[name]):
                    continue
                values, fields = {}, []
                for item in node.get("inputs") or []:
                    src, out = wires[item["name"]]
                    try:
                        value = resolve(item["expression"], produced[src][out])
                    except KeyError as exc:
                        raise FlowStopped(
                            "validationException", f"Node {name}, input {item['name']}: {exc.args[0]}"
                        ) from exc
                    _check_type(value, item["type"], f"Input {item['name']} of node {name}")
                    values[item["name"]] = value
                    fields.append(
                        {
                            "nodeInputName": item["name"],
                            "content": {"document": value},
                            "source": {"nodeName": src, "outputFieldName": out, "expression": item["expression"]},
                            "type": item["type"],
                        }
                    )
                run.emit_trace({"nodeInputTrace": {"nodeName": name, "fields": fields, "timestamp": _stamp()}})
                kind = node["type"]
                if kind == "Output":
                    run.events.append(
                        (
                            "flowOutputEvent",
                            {
                                "content": {"document": values["document"]},
                                "nodeName": name,
                                "nodeType": "FlowOutputNode",
                            },
                        )
                    )
                    outputs = {}
                elif kind == "Condition":
                    chosen[name] = _condition_node(run, node, values)
                    outputs = {}
                elif kind == "Prompt":
                    outputs = _prompt_node(run, node, values)
                elif kind == "KnowledgeBase":
                    outputs = _kb_node(run, node, values)
                elif kind == "LambdaFunction":
                    outputs = _lambda_node(run, node, values)
                else:
                    outputs = _inline_code_node(node, values)
            declared = {o["name"]: o["type"] for o in node.get("outputs") or []}
            for out_name, value in outputs.items():
                if out_name in declared:
                    _check_type(value, declared[out_name], f"Output {out_name} of node {name}")
            if declared:
                run.emit_trace(
                    {
                        "nodeOutputTrace": {
                            "nodeName": name,
                            "fields": [
                                {
                                    "nodeOutputName": k,
                                    "content": {"document": v},
                                    "next": nexts.get((name, k), []),
                                    "type": declared[k],
                                }
                                for k, v in outputs.items()
                                if k in declared
                            ],
                            "timestamp": _stamp(),
                        }
                    }
                )
            produced[name] = outputs
            done.add(name)
            progress = True


def invoke_flow(call: Call) -> Reply:
    params = call.params
    record = _lookup(params["flowIdentifier"])
    alias_id = params["flowAliasIdentifier"].rsplit("/", 1)[-1]
    if alias_id == TEST_ALIAS:
        if record["status"] != "Prepared":
            raise validation(f"Flow {record['id']} isn't prepared. Call PrepareFlow before you invoke its draft.")
        definition = record["definition"]
    else:
        alias = _alias(record, alias_id)
        definition = record["versions"][alias["routingConfiguration"][0]["flowVersion"]]["definition"]
    inputs = params.get("inputs") or []
    input_nodes = [n for n in definition.get("nodes") or [] if n["type"] == "Input"]
    if len(inputs) != 1:
        raise validation("The request must contain exactly one input, for the flow input node.")
    given = inputs[0]
    node = input_nodes[0]
    if given["nodeName"] != node["name"]:
        raise validation(f"{given['nodeName']} is not the input node of the flow; the input node is {node['name']}.")
    if given.get("nodeOutputName", "document") != "document":
        raise validation("The output of the flow input node is named document.")
    if "document" not in (given.get("content") or {}):
        raise validation("The input content must contain a document.")
    document = given["content"]["document"]
    wanted = node["outputs"][0]["type"]
    if type_of(document) != wanted:
        raise validation(f"The flow input node expects a {wanted} document but the request sent a {type_of(document)}.")
    execution_id = params.get("executionId") or state.get().new_id("flow-execution", 32, "0123456789abcdef")
    run = Run(record, definition, f"{record['arn']}/alias/{alias_id}", call.region, bool(params.get("enableTrace")))
    frames = []
    try:
        execute(run, document)
        run.events.append(("flowCompletionEvent", {"completionReason": "SUCCESS"}))
        frames = [eventstream.stream(run.events)]
    except FlowStopped as stop:
        frames = [eventstream.stream(run.events), eventstream.exception(stop.kind, stop.message)]
    return Reply(
        status=200,
        raw_body=b"".join(frames),
        headers={"Content-Type": "application/vnd.amazon.eventstream", "x-amz-bedrock-flow-execution-id": execution_id},
    )


RUNTIME_OPERATIONS = {"InvokeFlow": invoke_flow}
