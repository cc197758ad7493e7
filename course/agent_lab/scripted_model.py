"""A Strands model that follows a script instead of thinking: for demos and tests of safeguards.

``ScriptedModel(["lookup", "lookup", "Done."])`` answers the first model call with a request for
the ``lookup`` tool, the second likewise, the third with the text "Done.". A script step is a
tool name (ask for that tool, with ``tool_input``) or any other string (answer with that text).
With ``repeat_last=True`` the last step repeats forever: a model that never stops calling tools,
which is what iteration limits, time budgets and circuit breakers exist for.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterable
from typing import Any

from strands.models import Model


class ScriptedModel(Model):
    def __init__(
        self,
        script: list[str],
        *,
        tool_input: dict[str, Any] | None = None,
        repeat_last: bool = False,
        tools: tuple[str, ...] | None = None,
    ) -> None:
        self.script = list(script)
        self.tool_input = dict(tool_input or {})
        self.repeat_last = repeat_last
        self.tool_names = tools
        self.calls = 0

    def update_config(self, **model_config: Any) -> None:
        self.script = model_config.get("script", self.script)

    def get_config(self) -> dict[str, Any]:
        return {"script": self.script}

    def structured_output(self, output_model, prompt, system_prompt=None, **kwargs):  # noqa: ANN001, ANN201
        raise NotImplementedError("ScriptedModel does not produce structured output")

    def _step(self, tool_specs) -> str:  # noqa: ANN001
        index = self.calls if not self.repeat_last else min(self.calls, len(self.script) - 1)
        self.calls += 1
        if index >= len(self.script):
            return "Script finished."
        return self.script[index]

    async def stream(self, messages, tool_specs=None, system_prompt=None, **kwargs) -> AsyncIterable[dict]:  # noqa: ANN001
        step = self._step(tool_specs)
        names = {spec["name"] for spec in tool_specs or []}
        yield {"messageStart": {"role": "assistant"}}
        if step in names:
            use_id = "tooluse_" + uuid.uuid4().hex[:16]
            yield {"contentBlockStart": {"start": {"toolUse": {"toolUseId": use_id, "name": step}}}}
            yield {"contentBlockDelta": {"delta": {"toolUse": {"input": json.dumps(self.tool_input)}}}}
            yield {"contentBlockStop": {}}
            stop = "tool_use"
        else:
            yield {"contentBlockDelta": {"delta": {"text": step}}}
            yield {"contentBlockStop": {}}
            stop = "end_turn"
        yield {"messageStop": {"stopReason": stop}}
        yield {
            "metadata": {"usage": {"inputTokens": 1, "outputTokens": 1, "totalTokens": 2}, "metrics": {"latencyMs": 1}}
        }
