"""Start an MCP server, built by a function written in a notebook, as a child process over stdio.

``server_parameters(create_server, *args)`` returns the ``StdioServerParameters`` an MCP client
(the ``mcp`` SDK's ``stdio_client``, a Strands ``MCPClient``) uses to launch
``python -m course.agent_lab.mcp_stdio <file>``: this venv's own Python, so it works offline and
inside the grading jail. The file holds ``create_server`` and its arguments (pickled with
cloudpickle, which carries notebook-defined functions by value); the child calls
``create_server(*args).run("stdio")``. Its standard output is the MCP channel, so the child
sends everything it would print on standard error to a log file instead (see ``log_path``):
nothing reaches the notebook's own error stream.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def server_parameters(create_server: Callable[..., Any], *args: Any, **kwargs: Any):
    """Parameters that start ``create_server(*args, **kwargs)`` over stdio in a child process."""
    import cloudpickle
    from mcp import StdioServerParameters
    from mcp.client.stdio import get_default_environment

    folder = Path(tempfile.mkdtemp(prefix="mcp-server-"))
    spec = folder / "server.pkl"
    spec.write_bytes(cloudpickle.dumps((create_server, args, kwargs)))
    env = get_default_environment()
    for name in ("PYTHONPATH", "TMPDIR", "LANG"):
        if os.environ.get(name):
            env[name] = os.environ[name]
    return StdioServerParameters(command=sys.executable, args=["-m", "course.agent_lab.mcp_stdio", str(spec)], env=env)


def log_path(parameters) -> Path:  # noqa: ANN001 - StdioServerParameters
    """Where the child process writes its standard error."""
    return Path(parameters.args[-1]).with_name("server.log")


def main(argv: list[str]) -> None:
    spec = Path(argv[0])
    log = os.open(spec.with_name("server.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log, 2)  # stdout is the protocol; keep stderr away from the notebook
    import cloudpickle

    create_server, args, kwargs = cloudpickle.loads(spec.read_bytes())
    server = create_server(*args, **kwargs)
    server.run("stdio")


if __name__ == "__main__":
    main(sys.argv[1:])
