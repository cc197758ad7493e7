"""Customised models: customization jobs, custom models, model import and on-demand deployments.

Operations (bedrock):

- ``CreateModelCustomizationJob`` (FINE_TUNING, CONTINUED_PRE_TRAINING, DISTILLATION), ``Get``,
  ``List``, ``StopModelCustomizationJob``; ``GetCustomModel``, ``ListCustomModels``,
  ``DeleteCustomModel``. A job is InProgress and moves one stage per Get: validation (reads the
  JSONL training data: a missing file, a bad line or fewer than ``minTrainingRecords`` records
  fail it with a ``failureMessage``), data processing, training, then Completed, which creates
  the custom model (Active) with deterministic training metrics and writes
  ``step_wise_training_metrics.csv`` to the output location. Stop: Stopping, then Stopped.
- ``CreateModelImportJob``, ``Get``, ``ListModelImportJobs``; ``GetImportedModel``,
  ``ListImportedModels``, ``DeleteImportedModel``. The S3 folder must hold ``config.json`` (its
  ``model_type`` one of ``importArchitectures``), ``.safetensors`` weights and a tokenizer; the
  job completes (or fails, saying why) on the next Get. An imported model is invoked on demand
  by its ARN; the first call, and the first after ``idleSecondsBeforeColdStart`` simulated
  seconds of idleness, answers ``ModelNotReadyException`` while a copy loads.
- ``CreateCustomModelDeployment``, ``Get``, ``List``, ``Update``, ``DeleteCustomModelDeployment``:
  on-demand inference for a custom model whose base model allows it (``customModelOnDemand``);
  Creating, then Active on the next Get; its ARN is a ``modelId``. Other custom models are
  served through Provisioned Throughput (``CreateProvisionedModelThroughput`` with the custom
  model ARN).

A fine-tuned model answers a prompt it was trained on with the trained completion (matched on
its words); otherwise it behaves like its base model.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from course.bedrock_sim import catalogue, operations_data, resources, s3_objects, state, tokens
from course.bedrock_sim.protocol import Call, Reply, ServiceError, not_found, validation

_JOB_STAGES = ("validationDetails", "dataProcessingDetails", "trainingDetails")


def _rules() -> dict[str, Any]:
    return operations_data.load()["customization"]


def _public(record: dict[str, Any], fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    keys = fields or tuple(k for k in record if not k.startswith("_"))
    return {k: copy.deepcopy(record[k]) for k in keys if record.get(k) is not None}


def _base(identifier: str) -> dict[str, Any]:
    model_id = identifier.rsplit("/", 1)[-1] if identifier.startswith("arn:") else identifier
    model = catalogue.find(model_id)
    if model is None:
        raise validation(f"The base model identifier {identifier} is invalid.")
    return model


def _prompt_key(text: str) -> str:
    return " ".join(tokens.words(text.lower()))


# ------------------------------------------------------------------ customization jobs


def _check_hyperparameters(values: dict[str, str]) -> None:
    limits = _rules()["hyperParameters"]
    for name, raw in values.items():
        if name not in limits:
            raise validation(f"The hyperparameter {name} isn't supported. Supported: {', '.join(sorted(limits))}.")
        try:
            number = float(raw)
        except ValueError as exc:
            raise validation(f"The hyperparameter {name} must be a number; got {raw!r}.") from exc
        low, high = limits[name]
        if not low <= number <= high:
            raise validation(f"The hyperparameter {name} must be between {low:g} and {high:g}; got {raw}.")


def create_model_customization_job(call: Call) -> Reply:
    p = call.params
    jobs = resources.store("customization_jobs")
    token = p.get("clientRequestToken")
    for job in jobs.values():
        if token and job.get("clientRequestToken") == token:
            return Reply({"jobArn": job["jobArn"]})
    if any(j["jobName"] == p["jobName"] for j in jobs.values()):
        raise ServiceError("ConflictException", f"A model customization job named {p['jobName']} already exists.")
    if any(m["modelName"] == p["customModelName"] for m in resources.store("custom_models").values()) or any(
        j["outputModelName"] == p["customModelName"] and j["status"] in ("InProgress", "Stopping")
        for j in jobs.values()
    ):
        raise ServiceError("ConflictException", f"A custom model named {p['customModelName']} already exists.")
    base = _base(p["baseModelIdentifier"])
    kind = p.get("customizationType", "FINE_TUNING")
    if kind not in base.get("customizationsSupported", []):
        raise validation(f"The base model {base['modelId']} doesn't support the customization type {kind}.")
    _check_hyperparameters(p.get("hyperParameters") or {})
    teacher = None
    if kind == "DISTILLATION":
        config = ((p.get("customizationConfig") or {}).get("distillationConfig") or {}).get("teacherModelConfig")
        if not config:
            raise validation("A DISTILLATION job needs customizationConfig.distillationConfig.teacherModelConfig.")
        teacher = catalogue.resolve(config["teacherModelIdentifier"], call.region).model
        cost = lambda m: m["pricing"]["inputPer1kTokens"] + m["pricing"]["outputPer1kTokens"]  # noqa: E731
        if teacher["providerName"] != base["providerName"] or cost(teacher) <= cost(base):
            raise validation(
                f"The teacher model {teacher['modelId']} must be a larger model of the same provider as the "
                f"student model {base['modelId']}."
            )
    training = p["trainingDataConfig"]
    if not training.get("s3Uri") and not (kind == "DISTILLATION" and training.get("invocationLogsConfig")):
        raise validation("trainingDataConfig needs an s3Uri (or, for distillation, invocationLogsConfig).")
    job_id = resources.new_id("customization-job", 12)
    now = resources.now()
    stage = {"status": "NotStarted", "creationTime": now, "lastModifiedTime": now}
    job = {
        "_id": job_id,
        "_seq": resources.sequence(),
        "_base": base["modelId"],
        "_customModelTags": p.get("customModelTags"),
        "jobArn": resources.arn(call.region, f"model-customization-job/{base['modelId']}/{job_id}"),
        "jobName": p["jobName"],
        "outputModelName": p["customModelName"],
        "clientRequestToken": token,
        "roleArn": p["roleArn"],
        "status": "InProgress",
        "statusDetails": {
            "validationDetails": {**stage, "status": "InProgress"},
            "dataProcessingDetails": dict(stage),
            "trainingDetails": dict(stage),
        },
        "creationTime": now,
        "lastModifiedTime": now,
        "baseModelArn": catalogue.model_arn(base["modelId"], call.region),
        "hyperParameters": dict(p.get("hyperParameters") or {}),
        "trainingDataConfig": copy.deepcopy(training),
        "validationDataConfig": copy.deepcopy(p.get("validationDataConfig") or {"validators": []}),
        "outputDataConfig": copy.deepcopy(p["outputDataConfig"]),
        "customizationType": kind,
        "outputModelKmsKeyArn": p.get("customModelKmsKeyId"),
        "vpcConfig": copy.deepcopy(p.get("vpcConfig")),
        "customizationConfig": copy.deepcopy(p.get("customizationConfig")),
        "_region": call.region,
    }
    jobs[job_id] = job
    resources.set_tags(job["jobArn"], p.get("jobTags"))
    return Reply({"jobArn": job["jobArn"]})


def _training_records(job: dict[str, Any]) -> tuple[list[dict[str, Any]], str | None]:
    uri = job["trainingDataConfig"].get("s3Uri")
    if not uri:  # distillation from invocation logs: the logs are the data
        return [{"prompt": "invocation log"}] * _rules()["minTrainingRecords"], None
    bucket, _ = s3_objects.split(uri)
    files = [k for k in s3_objects.keys(uri) if k.endswith(".jsonl")]
    if not files:
        return [], f"The training data at {uri} couldn't be read. Provide JSONL files the role can access."
    records = []
    for key in files:
        for number, line in enumerate((s3_objects.read(bucket, key) or b"").decode("utf-8", "replace").splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                return [], f"Invalid JSON in {key} on line {number}."
            problem = _record_problem(job["customizationType"], record)
            if problem:
                return [], f"{key} line {number}: {problem}"
            records.append(record)
    minimum = _rules()["minTrainingRecords"]
    if len(records) < minimum:
        return [], f"The training data has {len(records)} records; at least {minimum} are required."
    return records, None


def _record_problem(kind: str, record: Any) -> str | None:
    if not isinstance(record, dict):
        return "each line must be a JSON object."
    if kind == "CONTINUED_PRE_TRAINING":
        return None if isinstance(record.get("input"), str) else 'continued pre-training records need an "input" text.'
    if kind == "DISTILLATION":
        ok = isinstance(record.get("prompt"), str) or isinstance(record.get("messages"), list)
        return None if ok else 'distillation records need a "prompt" or "messages".'
    if isinstance(record.get("prompt"), str) and isinstance(record.get("completion"), str):
        return None
    if isinstance(record.get("messages"), list):
        return None
    return 'fine-tuning records need "prompt" and "completion", or "messages".'


def _examples(records: list[dict[str, Any]]) -> dict[str, str]:
    examples = {}
    for record in records:
        if isinstance(record.get("prompt"), str) and isinstance(record.get("completion"), str):
            examples[_prompt_key(record["prompt"])] = record["completion"]
        elif isinstance(record.get("messages"), list):
            user = [m for m in record["messages"] if m.get("role") == "user"]
            answer = [m for m in record["messages"] if m.get("role") == "assistant"]
            if user and answer:
                text = lambda m: " ".join(  # noqa: E731
                    b.get("text", "") for b in m.get("content", []) if isinstance(b, dict)
                )
                examples[_prompt_key(text(user[-1]))] = text(answer[-1])
    return examples


def _set_stage(job: dict[str, Any], stage: str, status: str) -> None:
    detail = job["statusDetails"][stage]
    detail["status"] = status
    detail["lastModifiedTime"] = resources.now()


def _advance_job(job: dict[str, Any]) -> None:
    if job["status"] == "Stopping":
        for stage in _JOB_STAGES:
            if job["statusDetails"][stage]["status"] == "InProgress":
                _set_stage(job, stage, "Stopped")
        job.update(status="Stopped", lastModifiedTime=resources.now(), endTime=resources.now())
        return
    if job["status"] != "InProgress":
        return
    details = job["statusDetails"]
    if details["validationDetails"]["status"] == "InProgress":
        records, error = _training_records(job)
        if error:
            _set_stage(job, "validationDetails", "Failed")
            job.update(status="Failed", failureMessage=error, lastModifiedTime=resources.now(), endTime=resources.now())
            return
        job["_records"] = records
        _set_stage(job, "validationDetails", "Completed")
        _set_stage(job, "dataProcessingDetails", "InProgress")
    elif details["dataProcessingDetails"]["status"] == "InProgress":
        _set_stage(job, "dataProcessingDetails", "Completed")
        _set_stage(job, "trainingDetails", "InProgress")
    else:
        _set_stage(job, "trainingDetails", "Completed")
        _finish_training(job)
    job["lastModifiedTime"] = resources.now()


def _finish_training(job: dict[str, Any]) -> None:
    records = job.pop("_records", [])
    epochs = float(job["hyperParameters"].get("epochCount", 2))
    loss = round(2.0 / (1 + len(records) * epochs / 10), 4)
    model_id = resources.new_id("custom-model", 12)
    now = resources.now()
    model = {
        "_id": model_id,
        "_seq": resources.sequence(),
        "_base": job["_base"],
        "_examples": _examples(records) if job["customizationType"] == "FINE_TUNING" else {},
        "modelArn": resources.arn(job["_region"], f"custom-model/{job['_base']}/{model_id}"),
        "modelName": job["outputModelName"],
        "jobName": job["jobName"],
        "jobArn": job["jobArn"],
        "baseModelArn": job["baseModelArn"],
        "customizationType": job["customizationType"],
        "modelKmsKeyArn": job.get("outputModelKmsKeyArn"),
        "hyperParameters": copy.deepcopy(job["hyperParameters"]),
        "trainingDataConfig": copy.deepcopy(job["trainingDataConfig"]),
        "validationDataConfig": copy.deepcopy(job["validationDataConfig"]),
        "outputDataConfig": copy.deepcopy(job["outputDataConfig"]),
        "trainingMetrics": {"trainingLoss": loss},
        "validationMetrics": [{"validationLoss": round(loss * 1.1, 4)}]
        if job["validationDataConfig"]["validators"]
        else [],
        "creationTime": now,
        "customizationConfig": copy.deepcopy(job.get("customizationConfig")),
        "modelStatus": "Active",
    }
    resources.store("custom_models")[model_id] = model
    resources.set_tags(model["modelArn"], job.get("_customModelTags"))
    job.update(
        status="Completed",
        outputModelArn=model["modelArn"],
        trainingMetrics=model["trainingMetrics"],
        validationMetrics=model["validationMetrics"],
        endTime=now,
    )
    bucket, prefix = s3_objects.split(job["outputDataConfig"]["s3Uri"])
    if s3_objects.bucket_exists(bucket):
        folder = f"{prefix.rstrip('/')}/" if prefix.strip("/") else ""
        rows = ["step_number,epoch_number,training_loss"]
        for epoch in range(1, int(epochs) + 1):
            rows.append(f"{epoch * 10},{epoch},{round(loss * (1 + (epochs - epoch) / epochs), 4)}")
        key = f"{folder}model-customization-job-{job['_id']}/training_artifacts/step_wise_training_metrics.csv"
        s3_objects.write(bucket, key, ("\n".join(rows) + "\n").encode())


def _customization_job(identifier: str) -> dict[str, Any]:
    return resources.find("customization_jobs", identifier, ("jobArn", "jobName", "_id"), "model customization job")


_JOB_FIELDS = (
    "jobArn",
    "jobName",
    "outputModelName",
    "outputModelArn",
    "clientRequestToken",
    "roleArn",
    "status",
    "statusDetails",
    "failureMessage",
    "creationTime",
    "lastModifiedTime",
    "endTime",
    "baseModelArn",
    "hyperParameters",
    "trainingDataConfig",
    "validationDataConfig",
    "outputDataConfig",
    "customizationType",
    "outputModelKmsKeyArn",
    "trainingMetrics",
    "validationMetrics",
    "vpcConfig",
    "customizationConfig",
)


def get_model_customization_job(call: Call) -> Reply:
    job = _customization_job(call.params["jobIdentifier"])
    _advance_job(job)
    return Reply(_public(job, _JOB_FIELDS))


def list_model_customization_jobs(call: Call) -> Reply:
    p = call.params
    items = []
    for job in resources.sort_by_time(list(resources.store("customization_jobs").values()), call, "creationTime"):
        if p.get("statusEquals") and job["status"] != p["statusEquals"]:
            continue
        if p.get("nameContains") and p["nameContains"] not in job["jobName"]:
            continue
        if not resources.in_window(job["creationTime"], p.get("creationTimeAfter"), p.get("creationTimeBefore")):
            continue
        summary = _public(
            job,
            (
                "jobArn",
                "baseModelArn",
                "jobName",
                "status",
                "statusDetails",
                "lastModifiedTime",
                "creationTime",
                "endTime",
            ),
        )
        if job.get("outputModelArn"):
            summary["customModelArn"] = job["outputModelArn"]
        summary["customModelName"] = job["outputModelName"]
        summary["customizationType"] = job["customizationType"]
        items.append(summary)
    return resources.page(items, call, "modelCustomizationJobSummaries")


def stop_model_customization_job(call: Call) -> Reply:
    job = _customization_job(call.params["jobIdentifier"])
    if job["status"] != "InProgress":
        raise validation(f"The model customization job can't be stopped in status {job['status']}.")
    job.update(status="Stopping", lastModifiedTime=resources.now())
    return Reply({})


# ------------------------------------------------------------------ custom models


def custom_model(identifier: str) -> dict[str, Any] | None:
    for record in resources.store("custom_models").values():
        if identifier in (record["modelArn"], record["modelName"]):
            return record
    return None


def _custom_model(identifier: str) -> dict[str, Any]:
    record = custom_model(identifier)
    if record is None:
        raise not_found(f"The custom model {identifier} couldn't be found. Check the identifier and try again.")
    return record


def get_custom_model(call: Call) -> Reply:
    return Reply(_public(_custom_model(call.params["modelIdentifier"])))


def list_custom_models(call: Call) -> Reply:
    p = call.params
    items = []
    for record in resources.sort_by_time(list(resources.store("custom_models").values()), call, "creationTime"):
        if p.get("nameContains") and p["nameContains"] not in record["modelName"]:
            continue
        base_arn = p.get("baseModelArnEquals") or p.get("foundationModelArnEquals")
        if base_arn and record["baseModelArn"] != base_arn:
            continue
        if p.get("modelStatus") and record["modelStatus"] != p["modelStatus"]:
            continue
        if not resources.in_window(record["creationTime"], p.get("creationTimeAfter"), p.get("creationTimeBefore")):
            continue
        base = catalogue.find(record["_base"])
        items.append(
            {
                "modelArn": record["modelArn"],
                "modelName": record["modelName"],
                "creationTime": record["creationTime"],
                "baseModelArn": record["baseModelArn"],
                "baseModelName": base["modelName"] if base else record["_base"],
                "customizationType": record["customizationType"],
                "ownerAccountId": state.ACCOUNT_ID,
                "modelStatus": record["modelStatus"],
            }
        )
    return resources.page(items, call, "modelSummaries")


def delete_custom_model(call: Call) -> Reply:
    record = _custom_model(call.params["modelIdentifier"])
    if any(d["modelArn"] == record["modelArn"] for d in resources.store("deployments").values()):
        raise validation("The custom model has custom model deployments. Delete them first.")
    if any(r.get("modelArn") == record["modelArn"] for r in state.get().provisioned.values()):
        raise validation("The custom model has Provisioned Throughput. Delete it first.")
    del resources.store("custom_models")[record["_id"]]
    resources.tags().pop(record["modelArn"], None)
    return Reply({})


# ------------------------------------------------------------------ model import


def create_model_import_job(call: Call) -> Reply:
    p = call.params
    jobs = resources.store("import_jobs")
    token = p.get("clientRequestToken")
    for job in jobs.values():
        if token and job.get("_token") == token:
            return Reply({"jobArn": job["jobArn"]})
    if any(j["jobName"] == p["jobName"] for j in jobs.values()):
        raise ServiceError("ConflictException", f"A model import job named {p['jobName']} already exists.")
    if any(m["modelName"] == p["importedModelName"] for m in resources.store("imported_models").values()):
        raise ServiceError("ConflictException", f"An imported model named {p['importedModelName']} already exists.")
    uri = p["modelDataSource"]["s3DataSource"]["s3Uri"]
    if not uri.startswith("s3://"):
        raise validation(f"The S3 URI {uri} is invalid. It must start with s3://.")
    job_id = resources.new_id("import-job", 12)
    now = resources.now()
    job = {
        "_id": job_id,
        "_seq": resources.sequence(),
        "_token": token,
        "_region": call.region,
        "_modelTags": p.get("importedModelTags"),
        "jobArn": resources.arn(call.region, f"model-import-job/{job_id}"),
        "jobName": p["jobName"],
        "importedModelName": p["importedModelName"],
        "roleArn": p["roleArn"],
        "modelDataSource": copy.deepcopy(p["modelDataSource"]),
        "status": "InProgress",
        "creationTime": now,
        "lastModifiedTime": now,
        "vpcConfig": copy.deepcopy(p.get("vpcConfig")),
        "importedModelKmsKeyArn": p.get("importedModelKmsKeyId"),
    }
    jobs[job_id] = job
    resources.set_tags(job["jobArn"], p.get("jobTags"))
    return Reply({"jobArn": job["jobArn"]})


def _inspect_import(uri: str) -> tuple[dict[str, Any], str | None]:
    bucket, _ = s3_objects.split(uri)
    keys = s3_objects.keys(uri)
    if not keys:
        return {}, f"No model files were found at {uri}."
    names = {k.rsplit("/", 1)[-1]: k for k in keys}
    if "config.json" not in names:
        return {}, "The model files must include config.json."
    try:
        config = json.loads(s3_objects.read(bucket, names["config.json"]) or b"")
    except ValueError:
        return {}, "config.json isn't valid JSON."
    architecture = str(config.get("model_type", "")).lower()
    accepted = _rules()["importArchitectures"]
    if architecture not in accepted:
        return {}, (
            f"The model architecture {architecture or 'unknown'} isn't supported. Supported architectures: "
            f"{', '.join(sorted(accepted))}."
        )
    if not any(n.endswith(".safetensors") for n in names):
        return {}, "The model weights must be in Hugging Face safetensors format (.safetensors files)."
    if not ({"tokenizer.json", "tokenizer.model"} & set(names)):
        return {}, "The model files must include a tokenizer (tokenizer.json or tokenizer.model)."
    template = ""
    if "tokenizer_config.json" in names:
        try:
            template = json.loads(s3_objects.read(bucket, names["tokenizer_config.json"]) or b"{}").get(
                "chat_template", ""
            )
        except ValueError:
            template = ""
    return {"architecture": architecture, "instruct": bool(template)}, None


def _advance_import(job: dict[str, Any]) -> None:
    if job["status"] != "InProgress":
        return
    now = resources.now()
    found, error = _inspect_import(job["modelDataSource"]["s3DataSource"]["s3Uri"])
    if error:
        job.update(status="Failed", failureMessage=error, lastModifiedTime=now, endTime=now)
        return
    model_id = resources.new_id("imported-model", 12)
    record = {
        "_id": model_id,
        "_seq": resources.sequence(),
        "_family": _rules()["importArchitectures"][found["architecture"]],
        "modelArn": resources.arn(job["_region"], f"imported-model/{model_id}"),
        "modelName": job["importedModelName"],
        "jobName": job["jobName"],
        "jobArn": job["jobArn"],
        "modelDataSource": copy.deepcopy(job["modelDataSource"]),
        "creationTime": now,
        "modelArchitecture": found["architecture"],
        "modelKmsKeyArn": job.get("importedModelKmsKeyArn"),
        "instructSupported": found["instruct"],
        "customModelUnits": {
            "customModelUnitsPerModelCopy": _rules()["customModelUnitsPerCopy"],
            "customModelUnitsVersion": "1.0",
        },
    }
    resources.store("imported_models")[model_id] = record
    resources.set_tags(record["modelArn"], job.get("_modelTags"))
    job.update(status="Completed", importedModelArn=record["modelArn"], lastModifiedTime=now, endTime=now)


_IMPORT_FIELDS = (
    "jobArn",
    "jobName",
    "importedModelName",
    "importedModelArn",
    "roleArn",
    "modelDataSource",
    "status",
    "failureMessage",
    "creationTime",
    "lastModifiedTime",
    "endTime",
    "vpcConfig",
    "importedModelKmsKeyArn",
)


def _import_job(identifier: str) -> dict[str, Any]:
    return resources.find("import_jobs", identifier, ("jobArn", "jobName", "_id"), "model import job")


def get_model_import_job(call: Call) -> Reply:
    job = _import_job(call.params["jobIdentifier"])
    _advance_import(job)
    return Reply(_public(job, _IMPORT_FIELDS))


def list_model_import_jobs(call: Call) -> Reply:
    p = call.params
    items = []
    for job in resources.sort_by_time(list(resources.store("import_jobs").values()), call, "creationTime"):
        if p.get("statusEquals") and job["status"] != p["statusEquals"]:
            continue
        if p.get("nameContains") and p["nameContains"] not in job["jobName"]:
            continue
        if not resources.in_window(job["creationTime"], p.get("creationTimeAfter"), p.get("creationTimeBefore")):
            continue
        items.append(
            _public(
                job,
                (
                    "jobArn",
                    "jobName",
                    "status",
                    "lastModifiedTime",
                    "creationTime",
                    "endTime",
                    "importedModelArn",
                    "importedModelName",
                ),
            )
        )
    return resources.page(items, call, "modelImportJobSummaries")


def _imported(identifier: str) -> dict[str, Any]:
    return resources.find("imported_models", identifier, ("modelArn", "modelName", "_id"), "imported model")


def get_imported_model(call: Call) -> Reply:
    return Reply(_public(_imported(call.params["modelIdentifier"])))


def list_imported_models(call: Call) -> Reply:
    p = call.params
    items = []
    for record in resources.sort_by_time(list(resources.store("imported_models").values()), call, "creationTime"):
        if p.get("nameContains") and p["nameContains"] not in record["modelName"]:
            continue
        if not resources.in_window(record["creationTime"], p.get("creationTimeAfter"), p.get("creationTimeBefore")):
            continue
        items.append(
            _public(record, ("modelArn", "modelName", "creationTime", "instructSupported", "modelArchitecture"))
        )
    return resources.page(items, call, "modelSummaries")


def delete_imported_model(call: Call) -> Reply:
    record = _imported(call.params["modelIdentifier"])
    del resources.store("imported_models")[record["_id"]]
    resources.tags().pop(record["modelArn"], None)
    return Reply({})


# ------------------------------------------------------------------ custom model deployments


def _deployment(identifier: str) -> dict[str, Any]:
    return resources.find(
        "deployments",
        identifier,
        ("customModelDeploymentArn", "modelDeploymentName", "_id"),
        "custom model deployment",
    )


def _deployable(model_arn: str) -> dict[str, Any]:
    record = custom_model(model_arn)
    if record is None:
        raise not_found(f"The custom model {model_arn} couldn't be found.")
    if record["modelStatus"] != "Active":
        raise validation(f"The custom model {model_arn} isn't Active.")
    base = catalogue.find(record["_base"])
    if not (base or {}).get("customModelOnDemand"):
        raise validation(
            f"On-demand deployment isn't supported for custom models based on {record['_base']}. "
            "Purchase Provisioned Throughput for this custom model instead."
        )
    return record


def create_custom_model_deployment(call: Call) -> Reply:
    p = call.params
    store = resources.store("deployments")
    token = p.get("clientRequestToken")
    for record in store.values():
        if token and record.get("_token") == token:
            return Reply({"customModelDeploymentArn": record["customModelDeploymentArn"]})
    if any(d["modelDeploymentName"] == p["modelDeploymentName"] for d in store.values()):
        raise ServiceError("ConflictException", f"A deployment named {p['modelDeploymentName']} already exists.")
    _deployable(p["modelArn"])
    deployment_id = resources.new_id("deployment", 12)
    now = resources.now()
    record = {
        "_id": deployment_id,
        "_seq": resources.sequence(),
        "_token": token,
        "customModelDeploymentArn": resources.arn(call.region, f"custom-model-deployment/{deployment_id}"),
        "modelDeploymentName": p["modelDeploymentName"],
        "modelArn": p["modelArn"],
        "createdAt": now,
        "status": "Creating",
        "description": p.get("description"),
        "lastUpdatedAt": now,
    }
    store[deployment_id] = record
    resources.set_tags(record["customModelDeploymentArn"], p.get("tags"))
    return Reply({"customModelDeploymentArn": record["customModelDeploymentArn"]})


def _advance_deployment(record: dict[str, Any]) -> None:
    now = resources.now()
    if record["status"] == "Creating":
        record.update(status="Active", lastUpdatedAt=now)
    update = record.get("updateDetails")
    if update and update["updateStatus"] == "Updating":
        update["updateStatus"] = "UpdateCompleted"
        record.update(modelArn=update["modelArn"], lastUpdatedAt=now)


_DEPLOYMENT_FIELDS = (
    "customModelDeploymentArn",
    "modelDeploymentName",
    "modelArn",
    "createdAt",
    "status",
    "description",
    "updateDetails",
    "failureMessage",
    "lastUpdatedAt",
)


def get_custom_model_deployment(call: Call) -> Reply:
    record = _deployment(call.params["customModelDeploymentIdentifier"])
    _advance_deployment(record)
    return Reply(_public(record, _DEPLOYMENT_FIELDS))


def list_custom_model_deployments(call: Call) -> Reply:
    p = call.params
    items = []
    for record in resources.sort_by_time(list(resources.store("deployments").values()), call, "createdAt"):
        if p.get("nameContains") and p["nameContains"] not in record["modelDeploymentName"]:
            continue
        if p.get("statusEquals") and record["status"] != p["statusEquals"]:
            continue
        if p.get("modelArnEquals") and record["modelArn"] != p["modelArnEquals"]:
            continue
        if not resources.in_window(record["createdAt"], p.get("createdAfter"), p.get("createdBefore")):
            continue
        summary = _public(
            record, ("customModelDeploymentArn", "modelArn", "createdAt", "status", "lastUpdatedAt", "failureMessage")
        )
        summary["customModelDeploymentName"] = record["modelDeploymentName"]
        items.append(summary)
    return resources.page(items, call, "modelDeploymentSummaries")


def update_custom_model_deployment(call: Call) -> Reply:
    record = _deployment(call.params["customModelDeploymentIdentifier"])
    _deployable(call.params["modelArn"])
    record["updateDetails"] = {"modelArn": call.params["modelArn"], "updateStatus": "Updating"}
    record["lastUpdatedAt"] = resources.now()
    return Reply({"customModelDeploymentArn": record["customModelDeploymentArn"]})


def delete_custom_model_deployment(call: Call) -> Reply:
    record = _deployment(call.params["customModelDeploymentIdentifier"])
    del resources.store("deployments")[record["_id"]]
    resources.tags().pop(record["customModelDeploymentArn"], None)
    return Reply({})


OPERATIONS = {
    "CreateModelCustomizationJob": create_model_customization_job,
    "GetModelCustomizationJob": get_model_customization_job,
    "ListModelCustomizationJobs": list_model_customization_jobs,
    "StopModelCustomizationJob": stop_model_customization_job,
    "GetCustomModel": get_custom_model,
    "ListCustomModels": list_custom_models,
    "DeleteCustomModel": delete_custom_model,
    "CreateModelImportJob": create_model_import_job,
    "GetModelImportJob": get_model_import_job,
    "ListModelImportJobs": list_model_import_jobs,
    "GetImportedModel": get_imported_model,
    "ListImportedModels": list_imported_models,
    "DeleteImportedModel": delete_imported_model,
    "CreateCustomModelDeployment": create_custom_model_deployment,
    "GetCustomModelDeployment": get_custom_model_deployment,
    "ListCustomModelDeployments": list_custom_model_deployments,
    "UpdateCustomModelDeployment": update_custom_model_deployment,
    "DeleteCustomModelDeployment": delete_custom_model_deployment,
}


# ------------------------------------------------------------------ using custom models at run time


def resolve_arn(resource: str, raw: str, region: str) -> catalogue.Resolved | None:
    """A custom-model-deployment or imported-model ARN given as modelId."""
    if resource.startswith("custom-model-deployment/"):
        record = resources.store("deployments").get(resource.split("/", 1)[1])
        if record is None or record["customModelDeploymentArn"] != raw:
            raise not_found(f"The custom model deployment {raw} couldn't be found.")
        if record["status"] != "Active":
            raise validation(f"The custom model deployment {raw} isn't Active yet. Try again when it is.")
        custom = custom_model(record["modelArn"])
        base = catalogue.find(custom["_base"]) if custom else None
        if custom is None or base is None:
            raise not_found(f"The custom model of deployment {raw} couldn't be found.")
        return catalogue.Resolved(base, raw, "CUSTOM_DEPLOYMENT", target={"customModel": custom})
    if resource.startswith("imported-model/"):
        record = resources.store("imported_models").get(resource.split("/", 1)[1])
        if record is None or record["modelArn"] != raw:
            raise not_found(f"The imported model {raw} couldn't be found.")
        template = catalogue.find(_rules()["importFamilyTemplates"][record["_family"]])
        model = copy.deepcopy(template)
        model.update(modelId=raw, modelName=record["modelName"], providerName="Imported")
        model["pricing"] = {"inputPer1kTokens": 0.0, "outputPer1kTokens": 0.0}  # billed per Custom Model Unit
        model["inferenceTypesSupported"] = ["ON_DEMAND"]
        for key in ("crossRegionProfiles", "promptCaching", "serviceTiers", "latencyOptimizedRegions"):
            model.pop(key, None)
        return catalogue.Resolved(model, raw, "IMPORTED", target={"imported": record})
    if resource.startswith("custom-model/"):
        raise validation(
            "A custom model is invoked through a custom model deployment (on-demand) or Provisioned Throughput, "
            "not by its model ARN."
        )
    return None


def check_ready(resolved: catalogue.Resolved, now: float) -> None:
    """An imported model that is cold answers ModelNotReadyException once, then serves."""
    if resolved.via != "IMPORTED":
        return
    record = resolved.target["imported"]
    idle = _rules()["idleSecondsBeforeColdStart"]
    last = record.get("_lastCall")
    record["_lastCall"] = now
    if last is None or now - last > idle:
        raise ServiceError(
            "ModelNotReadyException",
            "Model is not ready to serve inference requests. The model copy is loading; retry the request.",
        )


def trained_answer(resolved: catalogue.Resolved, provisioned_arn: str | None, prompt: str) -> str | None:
    """The completion a fine-tuned model learned for ``prompt``, if any."""
    custom = (resolved.target or {}).get("customModel") if resolved.target else None
    if custom is None and provisioned_arn:
        custom = custom_model(provisioned_arn)
    if not custom:
        return None
    return custom["_examples"].get(_prompt_key(prompt))
