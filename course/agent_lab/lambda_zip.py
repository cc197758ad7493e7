"""Package a handler function written in a notebook as a Lambda deployment zip.

The zip holds one module, ``lambda_function.py``: ``import json``, ``import os`` and
``import boto3``, then the function's own source. Anything else the handler needs it must import
in its body, as a Lambda function's code must be self-contained.

A function whose source ``inspect`` cannot read (code run through ``exec`` rather than a notebook
cell: the mutation harness, say) travels instead as a cloudpickle of the function, unpickled by
the module, so it still runs as written.
"""

from __future__ import annotations

import base64
import inspect
import io
import textwrap
import zipfile
from collections.abc import Callable
from typing import Any

MODULE = "lambda_function"
HEADER = "import json\nimport os\n\nimport boto3\n\n\n"


def source_of(handler: Callable[..., Any], name: str | None = None) -> str:
    """The module text the zip gets for ``handler``, which the module names ``name`` (default: its own name)."""
    name = name or handler.__name__
    try:
        body = textwrap.dedent(inspect.getsource(handler))
    except (OSError, TypeError) as exc:
        if not inspect.isfunction(handler):
            raise ValueError(f"cannot read the source of {handler!r}: define it with def in a notebook cell") from exc
        import cloudpickle

        data = base64.b64encode(cloudpickle.dumps(handler)).decode()
        return (
            f"{HEADER}import base64\n\nimport cloudpickle\n\n{name} = cloudpickle.loads(base64.b64decode({data!r}))\n"
        )
    alias = f"\n\n{name} = {handler.__name__}\n" if name != handler.__name__ else ""
    return HEADER + body + alias


def zip_handler(handler: Callable[..., Any]) -> bytes:
    """A deployment zip whose handler setting is :func:`handler_name` of ``handler``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{MODULE}.py", source_of(handler))
    return buffer.getvalue()


def handler_name(handler: Callable[..., Any]) -> str:
    """The Lambda ``Handler`` setting for a zip made by :func:`zip_handler`."""
    return f"{MODULE}.{handler.__name__}"
