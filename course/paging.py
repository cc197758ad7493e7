"""Make the simulated AWS answer in small pages, as AWS may, so that code must follow the tokens.

moto (and the course's simulator) usually return a whole listing in one response, so code
that reads only the first page passes by luck. AWS promises no page size: any response may
hold fewer items than asked for, with a token for the rest. Inside ``small_pages(n)`` every
response of an operation botocore knows how to paginate (``client.get_paginator``) holds at
most ``n`` items; the rest come with the operation's own token (``NextToken``,
``NextContinuationToken``, DynamoDB's ``LastEvaluatedKey``, a stream's ``NextShardIterator``...)
and, where the API has one,
its "more results" flag (``IsTruncated``). Passing the token back returns the next page;
paginators work unchanged.

    from course import paging
    with paging.small_pages(2):
        result = checks.call(list_everything, client)

Operations whose token is made of several fields, or whose responses hold several listings,
are left whole. The handlers are botocore's (``before-parameter-build``, ``before-call``,
``after-call``), registered when the sandbox starts (``course.extensions``).
"""

from __future__ import annotations

import contextlib
import copy
import uuid
from collections.abc import Iterator
from typing import Any

PREFIX = "aip-page-"
_state: dict[str, Any] = {"size": 0, "pages": {}}


@contextlib.contextmanager
def small_pages(size: int = 2) -> Iterator[None]:
    """At most ``size`` items per response inside the block (see the module docstring)."""
    if size < 1:
        raise ValueError("size must be at least 1")
    before = _state["size"]
    _state["size"] = size
    try:
        yield
    finally:
        _state["size"] = before
        if not before:
            _state["pages"].clear()


# Stream reads page by shard iterator, not by a paginator: the same rule, other field names.
ITERATORS = {
    ("kinesis", "GetRecords"): {
        "input": "ShardIterator",
        "output": "NextShardIterator",
        "results": ["Records"],
        "more": None,
    },
    ("dynamodbstreams", "GetRecords"): {
        "input": "ShardIterator",
        "output": "NextShardIterator",
        "results": ["Records"],
        "more": None,
    },
}


def _config(model) -> dict | None:
    """The operation's paginator: one input token, one output token, one result key; else None."""
    known = ITERATORS.get((model.service_model.endpoint_prefix, model.name)) or ITERATORS.get(
        (model.service_model.service_name, model.name)
    )
    if known:
        return known
    try:
        from botocore import loaders

        service = model.service_model
        key = (service.service_name, service.api_version)
        if key not in _models:
            try:
                _models[key] = loaders.Loader().load_service_model(
                    service.service_name, "paginators-1", service.api_version
                )
            except Exception:  # noqa: BLE001 - a service without paginators
                _models[key] = {"pagination": {}}
        config = _models[key]["pagination"].get(model.name)
    except Exception:  # noqa: BLE001
        return None
    if not config:
        return None
    tokens = [config.get("input_token"), config.get("output_token")]
    if any(not isinstance(t, str) or not t.isidentifier() for t in tokens):
        return None  # several fields, or a path: left whole
    results = config.get("result_key")
    results = [results] if isinstance(results, str) else list(results or [])
    if not results or any(not r.isidentifier() for r in results):
        return None
    return {
        "input": config["input_token"],
        "output": config["output_token"],
        "results": results,
        "more": config.get("more_results") if isinstance(config.get("more_results"), str) else None,
    }


_models: dict[tuple[str, str], dict] = {}


def _token_in(params: dict, name: str) -> str | None:
    value = params.get(name)
    if isinstance(value, str) and value.startswith(PREFIX):
        return value
    if isinstance(value, dict) and list(value) == ["aip-page"]:  # a DynamoDB key
        inner = value["aip-page"]
        return inner.get("S") if isinstance(inner, dict) else None
    return None


def _token_out(config: dict, token: str) -> Any:
    return {"aip-page": {"S": token}} if config["output"] == "LastEvaluatedKey" else token


def before_build(params: dict, model, context: dict | None = None, **kwargs: Any) -> None:
    """A request that carries one of this module's tokens is answered from the stored pages."""
    if context is None or not isinstance(params, dict):
        return
    config = _config(model)
    if config is None:
        return
    token = _token_in(params, config["input"])
    if token is not None:
        context["aip-page"] = token  # the token serialises as any other; the request is never sent


def before_call(model, context: dict | None = None, **kwargs: Any):
    token = (context or {}).pop("aip-page", None)
    if token is None:
        return None
    stored = _state["pages"].pop(token, None)
    from botocore.awsrequest import AWSResponse

    if stored is None:
        parsed = {
            "Error": {
                "Code": "InvalidNextTokenException" if "Next" in model.name else "ValidationException",
                "Message": "The pagination token is invalid or has expired.",
            },
            "ResponseMetadata": {"HTTPStatusCode": 400},
        }
        return AWSResponse("", 400, {}, None), parsed
    config, parsed, items, rest_token = stored
    return AWSResponse("", 200, {}, None), _page(config, parsed, items, rest_token)


def _page(config: dict, template: dict, items: list, rest_token: Any) -> dict:
    """One page of ``items`` on top of ``template``; what is left is stored under a new token."""
    size = max(_state["size"], 1)
    parsed = copy.copy(template)
    key = config["results"][0]
    parsed[key] = items[:size]
    if "Count" in parsed:
        parsed["Count"] = len(parsed[key])
    rest = items[size:]
    if rest:
        token = f"{PREFIX}{uuid.uuid4().hex}"
        _state["pages"][token] = (config, template, rest, rest_token)
        parsed[config["output"]] = _token_out(config, token)
        if config["more"]:
            parsed[config["more"]] = True
    else:
        parsed.pop(config["output"], None)
        if rest_token is not None:
            parsed[config["output"]] = rest_token
        elif config["more"]:
            parsed[config["more"]] = False
    return parsed


def after_call(parsed: dict, model, http_response=None, **kwargs: Any) -> None:
    """Cut a long listing to the page size, keeping the rest for the token (in place: botocore returns it)."""
    if not _state["size"] or not isinstance(parsed, dict) or "Error" in parsed:
        return
    config = _config(model)
    if config is None:
        return
    listed = [k for k in config["results"] if isinstance(parsed.get(k), list) and parsed[k]]
    if len(listed) != 1 or listed[0] != config["results"][0] or len(parsed[listed[0]]) <= _state["size"]:
        return
    items = parsed[listed[0]]
    rest_token = parsed.get(config["output"])
    page = _page(config, {k: v for k, v in parsed.items() if k != listed[0]}, items, rest_token)
    parsed.clear()
    parsed.update(page)


HANDLERS = (
    ("before-parameter-build", before_build, "course-paging-build"),
    ("before-call", before_call, "course-paging-call"),
    ("after-call", after_call, "course-paging-after"),
)


def activate() -> None:
    """Register the handlers for new sessions and on boto3's default session (idempotent).

    The sandbox calls it when it starts: a client copies its session's handlers when it is
    made, so they must be there before the first client."""
    import boto3
    from botocore import handlers

    for event, handler, unique_id in HANDLERS:
        if (event, handler) not in handlers.BUILTIN_HANDLERS:
            handlers.BUILTIN_HANDLERS.append((event, handler))
        if boto3.DEFAULT_SESSION is not None:
            boto3.DEFAULT_SESSION._session.register(event, handler, unique_id=unique_id)


def reset() -> None:
    _state["size"] = 0
    _state["pages"].clear()
