"""The agents notebook's helpers: Lambda zips from notebook functions, stdio MCP servers, a scripted model."""

from __future__ import annotations

import io
import re
import sys
import zipfile

import pytest

from course.agent_lab import lambda_zip, mcp_stdio


def sample_handler(event, context):
    return {"echo": json.dumps(event)}  # noqa: F821 - json comes from the zip's header


def create_server(passages):
    """A tiny MCP server: the child process rebuilds it from this function, pickled by value."""
    from mcp.server.mcpserver import MCPServer

    server = MCPServer("test-kb")

    @server.tool()
    def count_words(text: str) -> int:
        """Count the words of a text."""
        return len(re.findall(r"\w+", text)) + len(passages)

    return server


def test_lambda_zip_holds_the_function_after_the_standard_imports():
    archive = zipfile.ZipFile(io.BytesIO(lambda_zip.zip_handler(sample_handler)))
    assert archive.namelist() == ["lambda_function.py"]
    source = archive.read("lambda_function.py").decode()
    assert source.startswith("import json\nimport os\n\nimport boto3\n")
    assert "def sample_handler(event, context):" in source
    assert lambda_zip.handler_name(sample_handler) == "lambda_function.sample_handler"
    namespace: dict = {}
    exec(compile(source, "lambda_function.py", "exec"), namespace)  # noqa: S102 - the packaged code runs
    assert namespace["sample_handler"]({"a": 1}, None) == {"echo": '{"a": 1}'}


def test_lambda_zip_explains_functions_without_source():
    with pytest.raises(ValueError, match="define it with def"):
        lambda_zip.source_of(len)


def test_lambda_zip_names_the_handler_and_carries_functions_run_through_exec():
    named: dict = {}
    exec(compile(lambda_zip.source_of(sample_handler, name="handler"), "lambda_function.py", "exec"), named)  # noqa: S102
    assert named["handler"]({"b": 2}, None) == {"echo": '{"b": 2}'}
    cell: dict = {"__name__": "__main__"}
    exec(compile("import json\ndef made(event, context):\n    return json.dumps(event)\n", "<cell>", "exec"), cell)  # noqa: S102
    source = lambda_zip.source_of(cell["made"], name="order_handler")
    assert "cloudpickle" in source
    module: dict = {}
    exec(compile(source, "lambda_function.py", "exec"), module)  # noqa: S102
    assert module["order_handler"]({"c": 3}, None) == '{"c": 3}'


def test_mcp_server_runs_over_stdio_in_a_child_process_of_this_python():
    import cloudpickle
    from mcp.client.stdio import stdio_client
    from strands.tools.mcp import MCPClient

    # Notebook functions live in __main__ and travel by value; a test module must ask for that.
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    params = mcp_stdio.server_parameters(create_server, ["x", "y"])
    assert params.command == sys.executable
    assert params.args[:2] == ["-m", "course.agent_lab.mcp_stdio"]
    client = MCPClient(lambda: stdio_client(params))
    with client:
        tools = client.list_tools_sync()
        result = client.call_tool_sync("t1", "count_words", {"text": "one two three"})
    assert [t.tool_spec["name"] for t in tools] == ["count_words"]
    assert result["status"] == "success" and "5" in result["content"][0]["text"]
    assert mcp_stdio.log_path(params).exists()  # the child's stderr went to its log, not to ours


def test_scripted_model_follows_its_script_and_can_run_away():
    from strands import Agent, tool

    from course.agent_lab.scripted_model import ScriptedModel

    calls = []

    @tool
    def ping(note: str = "") -> str:
        """Ping."""
        calls.append(note)
        return "pong"

    agent = Agent(
        model=ScriptedModel(["ping", "ping", "All done."], tool_input={"note": "n"}),
        tools=[ping],
        callback_handler=None,
    )
    assert str(agent("go")).strip() == "All done." and calls == ["n", "n"]
    model = ScriptedModel(["ping"], repeat_last=True)
    assert [model._step(None) for _ in range(3)] == ["ping", "ping", "ping"]
    assert ScriptedModel(["a"]).get_config() == {"script": ["a"]}
