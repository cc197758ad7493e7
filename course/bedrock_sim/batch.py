"""Batch inference: ``CreateModelInvocationJob``, ``Get``, ``List``, ``StopModelInvocationJob``.

Input is JSONL in S3 (one object, or every ``.jsonl`` object under a folder): one record per line,
``{"recordId": "...", "modelInput": {...}}``, where modelInput is the model's InvokeModel body (or
a Converse request when ``modelInvocationType`` is ``Converse``). A job moves one status per
``GetModelInvocationJob`` call (listing does not move it): Submitted -> Validating -> Scheduled ->
InProgress -> Completed. Validation fails the job (status Failed, ``message`` says why) when the
input or output location is missing, a file holds more than ``maxRecordsPerFile`` records, or the
job has fewer than ``minRecordsPerJob`` records (operations.yaml). On completion each input file
``<name>`` gets ``<output>/<jobId>/<name>.out`` (one line per record: recordId, modelInput and
modelOutput, or an ``error`` with errorCode and errorMessage) and the job a
``<output>/<jobId>/manifest.json.out`` with record and token counts. ``StopModelInvocationJob``
moves an unfinished job to Stopping, then Stopped on the next Get. Batch calls do not count
against on-demand quotas and are billed at the model's batch prices.
"""

from __future__ import annotations

import copy
import datetime as _dt
import json
import re
from typing import Any

from course.bedrock_sim import catalogue, families, operations_data, resources, s3_objects, textmodel
from course.bedrock_sim.protocol import Call, Reply, ServiceError, validation

_STEPS = ["Submitted", "Validating", "Scheduled", "InProgress", "Completed"]
_STOPPABLE = {"Submitted", "Validating", "Scheduled", "InProgress"}
_TERMINAL = {"Completed", "Failed", "Stopped", "PartiallyCompleted", "Expired"}
_NAME = re.compile(r"^[a-zA-Z0-9]{1,63}(-*[a-zA-Z0-9+\-.]){0,63}$")
_SUMMARY = (
    "jobArn",
    "jobName",
    "modelId",
    "clientRequestToken",
    "roleArn",
    "status",
    "message",
    "submitTime",
    "lastModifiedTime",
    "endTime",
    "inputDataConfig",
    "outputDataConfig",
    "vpcConfig",
    "timeoutDurationInHours",
    "jobExpirationTime",
    "modelInvocationType",
    "totalRecordCount",
    "processedRecordCount",
    "successRecordCount",
    "errorRecordCount",
)


def _store() -> dict[str, dict[str, Any]]:
    return resources.store("batch_jobs")


def _public(job: dict[str, Any]) -> dict[str, Any]:
    return {k: copy.deepcopy(job[k]) for k in _SUMMARY if job.get(k) is not None}


def _job(identifier: str) -> dict[str, Any]:
    return resources.find("batch_jobs", identifier, ("jobArn", "_id"), "batch inference job")


def create_model_invocation_job(call: Call) -> Reply:
    p = call.params
    limits = operations_data.load()["batch"]
    token = p.get("clientRequestToken")
    for job in _store().values():
        if token and job.get("clientRequestToken") == token:
            return Reply({"jobArn": job["jobArn"]})
    if not _NAME.match(p["jobName"]):
        raise validation(f"The job name {p['jobName']} is invalid. Use letters, digits and hyphens.")
    if any(job["jobName"] == p["jobName"] for job in _store().values()):
        raise ServiceError("ConflictException", f"A batch inference job named {p['jobName']} already exists.")
    resolved = catalogue.resolve(p["modelId"], call.region)
    if resolved.via not in ("ON_DEMAND", "INFERENCE_PROFILE") or not resolved.model.get("batchInference"):
        raise validation(f"The model {p['modelId']} doesn't support batch inference.")
    kind = p.get("modelInvocationType", "InvokeModel")
    if kind == "Converse" and resolved.model["family"] not in families.TEXT_PARSERS:
        raise validation(f"The model {p['modelId']} doesn't support batch inference with the Converse format.")
    hours = p.get("timeoutDurationInHours", limits["defaultTimeoutHours"])
    if not limits["minTimeoutHours"] <= hours <= limits["maxTimeoutHours"]:
        raise validation(
            f"timeoutDurationInHours must be between {limits['minTimeoutHours']} and {limits['maxTimeoutHours']}."
        )
    for uri in (
        p["inputDataConfig"]["s3InputDataConfig"]["s3Uri"],
        p["outputDataConfig"]["s3OutputDataConfig"]["s3Uri"],
    ):
        if not uri.startswith("s3://"):
            raise validation(f"The S3 URI {uri} is invalid. It must start with s3://.")
    job_id = resources.new_id("batch-job", 12)
    now = resources.now()
    job = {
        "_id": job_id,
        "_seq": resources.sequence(),
        "_model": resolved.model["modelId"],
        "jobArn": resources.arn(call.region, f"model-invocation-job/{job_id}"),
        "jobName": p["jobName"],
        "modelId": p["modelId"],
        "clientRequestToken": token,
        "roleArn": p["roleArn"],
        "status": "Submitted",
        "submitTime": now,
        "lastModifiedTime": now,
        "inputDataConfig": copy.deepcopy(p["inputDataConfig"]),
        "outputDataConfig": copy.deepcopy(p["outputDataConfig"]),
        "vpcConfig": copy.deepcopy(p.get("vpcConfig")),
        "timeoutDurationInHours": hours,
        "jobExpirationTime": now + _dt.timedelta(hours=hours),
        "modelInvocationType": kind,
    }
    _store()[job_id] = job
    resources.set_tags(job["jobArn"], p.get("tags"))
    return Reply({"jobArn": job["jobArn"]})


# ------------------------------------------------------------------ running a job


def _records(job: dict[str, Any]) -> tuple[list[tuple[str, list[str]]], str | None]:
    """[(input key, lines)] or an error message."""
    limits = operations_data.load()["batch"]
    uri = job["inputDataConfig"]["s3InputDataConfig"]["s3Uri"]
    bucket, _ = s3_objects.split(uri)
    out_bucket, _ = s3_objects.split(job["outputDataConfig"]["s3OutputDataConfig"]["s3Uri"])
    if not s3_objects.bucket_exists(bucket):
        return (
            [],
            f"Unable to access the input S3 location {uri}. Check that the bucket exists and the role can read it.",
        )
    if not s3_objects.bucket_exists(out_bucket):
        return [], f"Unable to access the output S3 bucket {out_bucket}. Check that the bucket exists."
    files = [k for k in s3_objects.keys(uri) if k.endswith(".jsonl")]
    if not files:
        return [], f"No .jsonl input files were found at {uri}."
    found = []
    for key in files:
        raw = s3_objects.read(bucket, key) or b""
        lines = [line for line in raw.decode("utf-8", errors="replace").splitlines() if line.strip()]
        if len(lines) > limits["maxRecordsPerFile"]:
            return (
                [],
                f"The input file {key} has {len(lines)} records; the maximum per file is {limits['maxRecordsPerFile']}.",
            )
        found.append((key, lines))
    total = sum(len(lines) for _, lines in found)
    if total < limits["minRecordsPerJob"]:
        return [], (
            f"The batch inference job has {total} records; a job needs at least {limits['minRecordsPerJob']} records."
        )
    return found, None


def _run_record(job: dict[str, Any], model: dict[str, Any], line: str, number: int) -> tuple[dict[str, Any], int, int]:
    """(output line, input tokens, output tokens) for one record."""
    try:
        record = json.loads(line)
    except ValueError:
        return {"recordId": f"{number:011d}", "error": {"errorCode": 400, "errorMessage": "Malformed JSON line."}}, 0, 0
    record_id = str(record.get("recordId") or f"{number:011d}")
    out: dict[str, Any] = {"recordId": record_id, "modelInput": record.get("modelInput")}
    body = record.get("modelInput")
    if not isinstance(body, dict):
        out["error"] = {"errorCode": 400, "errorMessage": "The record has no modelInput object."}
        return out, 0, 0
    try:
        if job["modelInvocationType"] == "Converse":
            from course.bedrock_sim import runtime

            request, _ = runtime._converse_request(body, model, None)
            result = textmodel.generate(request)
            out["modelOutput"] = {
                "output": {"message": {"role": "assistant", "content": result.blocks}},
                "stopReason": result.stop_reason,
                "usage": {
                    "inputTokens": result.input_tokens,
                    "outputTokens": result.output_tokens,
                    "totalTokens": result.input_tokens + result.output_tokens,
                },
            }
            return out, result.input_tokens, result.output_tokens
        parsed = families.parse(body, model)
        if isinstance(parsed, families.EmbedJob):
            response, count = families.embed_response(parsed, model)
            out["modelOutput"] = response
            return out, count, 0
        result = textmodel.generate(parsed)
        out["modelOutput"] = families.render(result, model)
        return out, result.input_tokens, result.output_tokens
    except ServiceError as exc:
        out["error"] = {"errorCode": exc.status, "errorMessage": exc.message}
        return out, 0, 0


def _complete(job: dict[str, Any]) -> None:
    files, error = _records(job)
    if error:
        _finish(job, "Failed", error)
        return
    model = catalogue.find(job["_model"])
    out_uri = job["outputDataConfig"]["s3OutputDataConfig"]["s3Uri"]
    out_bucket, out_prefix = s3_objects.split(out_uri)
    folder = f"{out_prefix.rstrip('/')}/{job['_id']}" if out_prefix.strip("/") else job["_id"]
    counts = {"total": 0, "ok": 0, "errors": 0, "in": 0, "out": 0}
    for key, lines in files:
        outputs = []
        for line in lines:
            counts["total"] += 1
            out, tokens_in, tokens_out = _run_record(job, model, line, counts["total"])
            counts["ok" if "modelOutput" in out else "errors"] += 1
            counts["in"] += tokens_in
            counts["out"] += tokens_out
            outputs.append(json.dumps(out))
        name = key.rsplit("/", 1)[-1]
        s3_objects.write(out_bucket, f"{folder}/{name}.out", ("\n".join(outputs) + "\n").encode())
    manifest = {
        "totalRecordCount": counts["total"],
        "processedRecordCount": counts["total"],
        "successRecordCount": counts["ok"],
        "errorRecordCount": counts["errors"],
        "inputTokenCount": counts["in"],
        "outputTokenCount": counts["out"],
    }
    s3_objects.write(out_bucket, f"{folder}/manifest.json.out", json.dumps(manifest).encode())
    job.update(
        totalRecordCount=counts["total"],
        processedRecordCount=counts["total"],
        successRecordCount=counts["ok"],
        errorRecordCount=counts["errors"],
        _tokens=(counts["in"], counts["out"]),
    )
    _finish(job, "Completed")


def _finish(job: dict[str, Any], status: str, message: str | None = None) -> None:
    job["status"] = status
    job["lastModifiedTime"] = job["endTime"] = resources.now()
    if message:
        job["message"] = message


def _advance(job: dict[str, Any]) -> None:
    status = job["status"]
    if status in _TERMINAL:
        return
    if status == "Stopping":
        _finish(job, "Stopped")
        return
    following = _STEPS[_STEPS.index(status) + 1]
    if following == "Scheduled":  # validation happens while Validating
        _, error = _records(job)
        if error:
            _finish(job, "Failed", error)
            return
    if following == "Completed":
        _complete(job)
        return
    job["status"] = following
    job["lastModifiedTime"] = resources.now()


# ------------------------------------------------------------------ operations


def get_model_invocation_job(call: Call) -> Reply:
    job = _job(call.params["jobIdentifier"])
    _advance(job)
    return Reply(_public(job))


def list_model_invocation_jobs(call: Call) -> Reply:
    p = call.params
    items = []
    for job in resources.sort_by_time(list(_store().values()), call, "submitTime"):
        if p.get("statusEquals") and job["status"] != p["statusEquals"]:
            continue
        if p.get("nameContains") and p["nameContains"] not in job["jobName"]:
            continue
        if not resources.in_window(job["submitTime"], p.get("submitTimeAfter"), p.get("submitTimeBefore")):
            continue
        items.append(_public(job))
    return resources.page(items, call, "invocationJobSummaries")


def stop_model_invocation_job(call: Call) -> Reply:
    job = _job(call.params["jobIdentifier"])
    if job["status"] not in _STOPPABLE:
        raise validation(f"The batch inference job can't be stopped in status {job['status']}.")
    job["status"] = "Stopping"
    job["lastModifiedTime"] = resources.now()
    return Reply({})


OPERATIONS = {
    "CreateModelInvocationJob": create_model_invocation_job,
    "GetModelInvocationJob": get_model_invocation_job,
    "ListModelInvocationJobs": list_model_invocation_jobs,
    "StopModelInvocationJob": stop_model_invocation_job,
}
