"""bedrock (control plane): model and RAG evaluation jobs.

CreateEvaluationJob validates the request as Bedrock does, reads the JSONL prompt dataset from
S3 (moto), runs the generator model or the knowledge base, scores every response with the
simulated judge (``judge.py``: ``score_builtin``, ``custom_metric``) or with the programmatic metrics,
and keeps the results. The job answers ``InProgress`` until the first GetEvaluationJob or
ListEvaluationJobs after it, which completes it and writes the results to the output location:

- model evaluation: ``<output>/<job-name>/<job-uuid>/models/<model-id>/taskTypes/<task-type>/
  datasets/<dataset>/<file-uuid>_output.jsonl`` (the documented layout);
- RAG evaluation: ``<output>/<job-name>/<job-uuid>/knowledgeBases/<kb-id>/taskTypes/
  <RetrieveOnly|RetrieveAndGenerate>/datasets/<dataset>/<file-uuid>_output.jsonl``;
- custom metric definitions: ``<output>/<job-name>/<job-uuid>/custom_metrics/<name>.json``.

Jobs that use human workers are accepted and stay ``InProgress`` (there are no workers here).
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any
from urllib.parse import urlsplit

from course.bedrock_sim import catalogue, faults, judge, state, textmodel, tokens
from course.bedrock_sim.protocol import Call, Reply, ServiceError, not_found, validation

NAME_PATTERN = r"[a-z0-9](-*[a-z0-9]){0,62}"
ROLE_PATTERN = r"arn:aws(-[^:]+)?:iam::([0-9]{12})?:role/.+"
MAX_PROMPTS = 1000
JUDGE_METRICS = (
    "Builtin.Correctness",
    "Builtin.Completeness",
    "Builtin.Faithfulness",
    "Builtin.Helpfulness",
    "Builtin.Coherence",
    "Builtin.Relevance",
    "Builtin.FollowingInstructions",
    "Builtin.ProfessionalStyleAndTone",
    "Builtin.Harmfulness",
    "Builtin.Stereotyping",
    "Builtin.Refusal",
)
RETRIEVE_METRICS = ("Builtin.ContextRelevance", "Builtin.ContextCoverage")
GENERATE_METRICS = (
    "Builtin.Correctness",
    "Builtin.Completeness",
    "Builtin.Helpfulness",
    "Builtin.LogicalCoherence",
    "Builtin.Faithfulness",
    "Builtin.CitationPrecision",
    "Builtin.CitationCoverage",
    "Builtin.Harmfulness",
    "Builtin.Stereotyping",
    "Builtin.Refusal",
)
PROGRAMMATIC_METRICS = ("Builtin.Accuracy", "Builtin.Robustness", "Builtin.Toxicity")
PROGRAMMATIC_TASKS = ("Summarization", "Classification", "QuestionAndAnswer", "Generation")
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


class JobFailed(Exception):
    """The job ran but failed; the message becomes one of its failureMessages."""


def _constraint(value: str, member: str, pattern: str) -> ServiceError:
    return validation(
        f"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: "
        f"Member must satisfy regular expression pattern: {pattern}"
    )


def _uuid() -> str:
    raw = state.get().new_id("evaluation-uuid", 32, "0123456789abcdef")
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"


def _split_s3(uri: str) -> tuple[str, str]:
    parts = urlsplit(uri)
    return parts.netloc, parts.path.lstrip("/")


def _s3_backend():
    from moto.s3.models import s3_backends

    return s3_backends[state.ACCOUNT_ID]["aws"]


def _read_lines(uri: str) -> list[dict[str, Any]]:
    bucket, key = _split_s3(uri)
    backend = _s3_backend()
    if bucket not in backend.buckets:
        raise JobFailed(f"The dataset {uri} could not be read: the bucket {bucket} does not exist.")
    try:
        raw = backend.get_object(bucket, key).value
    except Exception as exc:  # moto raises its own MissingKey
        raise JobFailed(f"The dataset {uri} could not be read: the object does not exist.") from exc
    if not key.endswith(".jsonl"):
        raise JobFailed(f"The dataset {uri} must be a JSON Lines file with the .jsonl extension.")
    records = []
    for number, line in enumerate(raw.decode("utf-8", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise JobFailed(f"Line {number} of the dataset {uri} is not valid JSON.") from exc
        if not isinstance(record, dict):
            raise JobFailed(f"Line {number} of the dataset {uri} is not a JSON object.")
        records.append(record)
    if not records:
        raise JobFailed(f"The dataset {uri} contains no prompts.")
    if len(records) > MAX_PROMPTS:
        raise JobFailed(f"The dataset {uri} has {len(records)} prompts; the maximum is {MAX_PROMPTS}.")
    return records


# ---------------------------------------------------------------- validation at creation


def _model_segment(identifier: str) -> str:
    return identifier.rsplit("/", 1)[-1] if identifier.startswith("arn:") else identifier


def _check_text_model(identifier: str, region: str, role: str) -> dict[str, Any]:
    resolved = catalogue.resolve(identifier, region)
    model = resolved.model
    if "TEXT" not in model["outputModalities"]:
        raise validation(f"The {role} model {identifier} doesn't support text generation.")
    return model


def _validate(params: dict[str, Any], region: str) -> dict[str, Any]:
    """Check the request; return a plan the runner follows."""
    name = params["jobName"]
    if not re.fullmatch(NAME_PATTERN, name):
        raise _constraint(name, "jobName", NAME_PATTERN)
    if not re.fullmatch(ROLE_PATTERN, params["roleArn"]):
        raise _constraint(params["roleArn"], "roleArn", ROLE_PATTERN)
    output = params["outputDataConfig"]["s3Uri"]
    if not output.startswith("s3://"):
        raise _constraint(output, "outputDataConfig.s3Uri", "s3://...")
    config, inference = params["evaluationConfig"], params["inferenceConfig"]
    if ("automated" in config) == ("human" in config):
        raise validation("The evaluationConfig must contain exactly one of automated or human.")
    application = params.get("applicationType") or "ModelEvaluation"
    models, rags = inference.get("models") or [], inference.get("ragConfigs") or []
    if application == "RagEvaluation":
        if not rags or models:
            raise validation("A RagEvaluation job needs inferenceConfig.ragConfigs and no models.")
        if "human" in config:
            raise validation("RAG evaluation jobs support automated evaluation with an evaluator model only.")
    elif not models or rags:
        raise validation("A ModelEvaluation job needs inferenceConfig.models and no ragConfigs.")
    plan: dict[str, Any] = {"application": application, "kind": "human" if "human" in config else "automated"}
    section = config.get("automated") or config.get("human")
    datasets = section["datasetMetricConfigs"]
    for item in datasets:
        location = (item["dataset"].get("datasetLocation") or {}).get("s3Uri")
        if not location:
            raise validation(
                f"The dataset {item['dataset']['name']} has no datasetLocation. Built-in datasets are not "
                "available in the course simulator; upload a JSONL prompt dataset to Amazon S3."
            )
    if plan["kind"] == "human":
        if "humanWorkflowConfig" not in section:
            raise validation("A human evaluation job needs humanWorkflowConfig with a flowDefinitionArn.")
        for entry in models:
            if "bedrockModel" in entry:
                _check_text_model(entry["bedrockModel"]["modelIdentifier"], region, "generator")
        return plan
    custom = {
        c["customMetricDefinition"]["name"]: c["customMetricDefinition"]
        for c in (section.get("customMetricConfig") or {}).get("customMetrics", [])
        if "customMetricDefinition" in c
    }
    evaluators = (section.get("evaluatorModelConfig") or {}).get("bedrockEvaluatorModels") or []
    custom_evaluators = ((section.get("customMetricConfig") or {}).get("evaluatorModelConfig") or {}).get(
        "bedrockEvaluatorModels"
    ) or []
    for evaluator in evaluators + custom_evaluators:
        _check_text_model(evaluator["modelIdentifier"], region, "evaluator")
    if custom and not custom_evaluators:
        raise validation("customMetricConfig needs an evaluatorModelConfig with one evaluator model.")
    plan.update(custom=custom, evaluator=(evaluators or custom_evaluators or [{}])[0].get("modelIdentifier"))
    if application == "RagEvaluation":
        rag = rags[0]
        kb_config = rag.get("knowledgeBaseConfig") or {}
        if "retrieveConfig" in kb_config:
            plan["rag"], allowed = "RetrieveOnly", RETRIEVE_METRICS
            kb_id = kb_config["retrieveConfig"]["knowledgeBaseId"]
        elif "retrieveAndGenerateConfig" in kb_config:
            plan["rag"], allowed = "RetrieveAndGenerate", GENERATE_METRICS
            generate = kb_config["retrieveAndGenerateConfig"]
            if generate.get("type") != "KNOWLEDGE_BASE" or "knowledgeBaseConfiguration" not in generate:
                raise validation("The course simulator evaluates retrieveAndGenerateConfig of type KNOWLEDGE_BASE.")
            kb_id = generate["knowledgeBaseConfiguration"]["knowledgeBaseId"]
            _check_text_model(generate["knowledgeBaseConfiguration"]["modelArn"], region, "generator")
        else:
            raise validation("The course simulator evaluates Amazon Bedrock knowledge bases (knowledgeBaseConfig).")
        if kb_id not in state.get().knowledge_bases:
            raise not_found(f"The knowledge base {kb_id} doesn't exist.")
        if not evaluators and not custom:
            raise validation("RAG evaluation jobs need an evaluatorModelConfig.")
    elif evaluators or custom:
        plan["judge"] = True
        allowed = JUDGE_METRICS
    else:
        plan["judge"] = False
        allowed = PROGRAMMATIC_METRICS
        for item in datasets:
            if item["taskType"] not in PROGRAMMATIC_TASKS:
                raise validation(
                    f"The task type {item['taskType']} is not supported for automatic evaluation with "
                    f"built-in metrics. Use one of {', '.join(PROGRAMMATIC_TASKS)}."
                )
    for item in datasets:
        for metric in item["metricNames"]:
            if metric not in allowed and metric not in custom:
                raise validation(f"The metric {metric} is not supported for this type of evaluation job.")
    for entry in models:
        if "bedrockModel" in entry:
            _check_text_model(entry["bedrockModel"]["modelIdentifier"], region, "generator")
    return plan


# ---------------------------------------------------------------- running a job


def _inference_limit(entry: dict[str, Any]) -> int:
    raw = entry.get("inferenceParams")
    if not raw:
        return 512
    try:
        params = json.loads(raw)
        return int((params.get("inferenceConfig") or {}).get("maxTokens", 512))
    except (ValueError, TypeError, AttributeError) as exc:
        raise validation(
            'inferenceParams must be a JSON object such as {"inferenceConfig": {"maxTokens": 512}}.'
        ) from exc


def _generate(model_id: str, region: str, prompt: str, max_tokens: int) -> str:
    model = catalogue.resolve(model_id, region).model
    request = textmodel.Request(messages=[{"role": "user", "content": [{"text": prompt}]}], max_tokens=max_tokens)
    try:
        faults.check_context(model, textmodel.count_input_tokens(request))
    except ServiceError as error:
        raise JobFailed(f"The model {model_id} rejected a prompt: {error.message}") from error
    return faults.after_generate(model["modelId"], request, textmodel.generate(request)).text


def _text_of(value: Any) -> str:
    """The text of a dataset field: a string, {"text": ...} or {"content": [{"text": ...}]}."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if "text" in value:
            return str(value["text"])
        return " ".join(_text_of(b) for b in value.get("content", []))
    if isinstance(value, list):
        return " ".join(_text_of(v) for v in value)
    return ""


def _not_applicable(metric: str, sample: judge.Sample) -> str | None:
    """Why a built-in metric does not apply to a record (its result is then null), else None."""
    if metric == "Builtin.ContextCoverage" and not sample.reference:
        return "Context coverage needs a reference response: not applicable."
    if metric != "Builtin.FollowingInstructions":
        return None
    asked = sample.question().lower()
    phrases = [p.rstrip("*") for words in judge.lists()["formats"].values() for p in words]
    if any(re.search(rf"(?<!\w){re.escape(p.lower())}", asked) for p in phrases):
        return None
    return "The prompt gives no explicit instruction to follow: not applicable."


def _score(metric: str, plan: dict[str, Any], sample: judge.Sample) -> dict[str, Any]:
    if metric in plan.get("custom", {}):
        result, explanation = judge.custom_metric(plan["custom"][metric], sample)
    elif _not_applicable(metric, sample):
        result, explanation = None, _not_applicable(metric, sample)
    else:
        verdict = judge.score_builtin(metric, sample)
        result, explanation = verdict.score, verdict.explanation
    return {
        "metricName": metric,
        "result": result,
        "evaluatorDetails": [{"modelIdentifier": plan.get("evaluator") or "", "explanation": explanation}],
    }


def _f1(response: str, reference: str) -> float:
    said, expected = set(tokens.content_terms(response)), set(tokens.content_terms(reference))
    overlap = len(said & expected)
    if not overlap:
        return 0.0
    precision, recall = overlap / len(said), overlap / len(expected)
    return 2 * precision * recall / (precision + recall)


def _accuracy(task: str, response: str, reference: str) -> float:
    """NLP-F1 (QA), a content-word F1 stand-in for BERTScore (summaries), label match, RWK."""
    if task in ("QuestionAndAnswer", "Summarization"):
        return round(_f1(response, reference), 4)
    if task == "Classification":
        return 1.0 if re.search(rf"(?<!\w){re.escape(reference.strip().lower())}(?!\w)", response.lower()) else 0.0
    return 1.0 if reference.strip().lower() in response.lower() else 0.0


def _perturb(prompt: str) -> str:
    """The robustness perturbation: lower case and doubled spaces (deterministic)."""
    return re.sub(r" ", "  ", prompt.lower())


def _programmatic(metric: str, task: str, record: dict[str, Any], response: str, generate) -> dict[str, Any]:
    reference = _text_of(record.get("referenceResponse", ""))
    name = metric.removeprefix("Builtin.")
    if name == "Accuracy":
        value = _accuracy(task, response, reference)
    elif name == "Toxicity":
        value = judge.harmfulness(judge.Sample(response=response)).score
    else:  # Robustness: how much the score moves when the prompt is perturbed (0 = robust)
        other = generate(_perturb(_text_of(record.get("prompt", ""))))
        value = round(abs(_accuracy(task, response, reference) - _accuracy(task, other, reference)), 4)
    return {"metricName": name, "result": value}


def _model_results(plan: dict[str, Any], params: dict[str, Any], region: str) -> list[tuple[str, str]]:
    """(S3 key suffix, JSONL text) of every output file of a model evaluation job."""
    section = params["evaluationConfig"]["automated"]
    files = []
    for entry in params["inferenceConfig"]["models"]:
        if "bedrockModel" in entry:
            model_id = entry["bedrockModel"]["modelIdentifier"]
            limit = _inference_limit(entry["bedrockModel"])
            precomputed = None
        else:
            model_id = entry["precomputedInferenceSource"]["inferenceSourceIdentifier"]
            precomputed, limit = model_id, 0
        for item in section["datasetMetricConfigs"]:
            uri = item["dataset"]["datasetLocation"]["s3Uri"]
            task = item["taskType"]
            lines = []
            for number, record in enumerate(_read_lines(uri), 1):
                if "prompt" not in record:
                    raise JobFailed(f"Line {number} of the dataset {uri} has no prompt.")
                prompt = _text_of(record["prompt"])
                if precomputed:
                    given = [r for r in record.get("modelResponses") or [] if r.get("modelIdentifier") == precomputed]
                    if not given:
                        raise JobFailed(
                            f"Line {number} of the dataset {uri} has no modelResponses entry whose modelIdentifier "
                            f"is {precomputed}, the inferenceSourceIdentifier of the job."
                        )
                    response = _text_of(given[0].get("response", ""))
                else:
                    response = _generate(model_id, region, prompt, limit)
                metrics = item["metricNames"]
                if plan["judge"]:
                    reference = _text_of(record.get("referenceResponse", "")) or None
                    sample = judge.Sample(prompt=prompt, response=response, reference=reference)
                    scores = [_score(m, plan, sample) for m in metrics]
                else:

                    def regenerate(text: str, _model: str = model_id, _limit: int = limit) -> str:
                        return _generate(_model, region, text, _limit)

                    scores = [_programmatic(m, task, record, response, regenerate) for m in metrics]
                input_record = {k: v for k, v in record.items() if k != "modelResponses"}
                lines.append(
                    {
                        "automatedEvaluationResult": {"scores": scores},
                        "inputRecord": input_record,
                        "modelResponses": [{"response": response, "modelIdentifier": model_id}],
                    }
                )
            key = (
                f"models/{_model_segment(model_id)}/taskTypes/{task}/datasets/{item['dataset']['name']}/"
                f"{_uuid()}_output.jsonl"
            )
            files.append((key, "".join(json.dumps(line) + "\n" for line in lines)))
    return files


def _rag_results(plan: dict[str, Any], params: dict[str, Any], region: str) -> list[tuple[str, str]]:
    from course.bedrock_sim import agent_runtime

    section = params["evaluationConfig"]["automated"]
    kb_config = params["inferenceConfig"]["ragConfigs"][0]["knowledgeBaseConfig"]
    files = []
    for item in section["datasetMetricConfigs"]:
        uri = item["dataset"]["datasetLocation"]["s3Uri"]
        lines = []
        for number, record in enumerate(_read_lines(uri), 1):
            turns = record.get("conversationTurns")
            if not isinstance(turns, list) or not turns:
                raise JobFailed(f"Line {number} of the dataset {uri} has no conversationTurns.")
            if plan["rag"] == "RetrieveOnly" and len(turns) != 1:
                raise JobFailed(f"Line {number} of the dataset {uri}: retrieve-only jobs take a single turn.")
            if len(turns) > 5:
                raise JobFailed(f"Line {number} of the dataset {uri} has more than 5 conversation turns.")
            out_turns = []
            for turn in turns:
                question = _text_of(turn.get("prompt", {}))
                if not question.strip():
                    raise JobFailed(f"Line {number} of the dataset {uri} has a turn without a prompt.")
                references = turn.get("referenceResponses") or []
                reference = _text_of(references[0]) if references else None
                if plan["rag"] == "RetrieveOnly":
                    retrieve = dict(kb_config["retrieveConfig"])
                    call = Call(
                        "bedrock-agent-runtime",
                        "Retrieve",
                        region,
                        {
                            "knowledgeBaseId": retrieve["knowledgeBaseId"],
                            "retrievalQuery": {"text": question},
                            "retrievalConfiguration": retrieve.get("knowledgeBaseRetrievalConfiguration") or {},
                        },
                    )
                    results = agent_runtime.retrieve(call).output["retrievalResults"]
                    output: dict[str, Any] = {
                        "knowledgeBaseIdentifier": retrieve["knowledgeBaseId"],
                        "retrievedPassages": {"retrievalResults": results},
                    }
                    sample = judge.Sample(question, "", reference, [r["content"]["text"] for r in results])
                else:
                    generate = copy.deepcopy(kb_config["retrieveAndGenerateConfig"])
                    kb = generate["knowledgeBaseConfiguration"]
                    generation = kb.get("generationConfiguration") or {}
                    if "kbInferenceConfig" in generation:  # the evaluation API's name for RAG's inferenceConfig
                        generation["inferenceConfig"] = generation.pop("kbInferenceConfig")
                    call = Call(
                        "bedrock-agent-runtime",
                        "RetrieveAndGenerate",
                        region,
                        {"input": {"text": question}, "retrieveAndGenerateConfiguration": generate},
                    )
                    answer = agent_runtime.retrieve_and_generate(call).output
                    number_config = (kb.get("retrievalConfiguration") or {}).get("vectorSearchConfiguration") or {}
                    from course.bedrock_sim import knowledge_bases

                    passages = knowledge_bases.search(
                        knowledge_bases.get_kb(kb["knowledgeBaseId"]),
                        question,
                        number_config.get("numberOfResults", agent_runtime.DEFAULT_RESULTS),
                        number_config.get("filter"),
                    )
                    cited = [
                        ref["content"]["text"] for c in answer.get("citations", []) for ref in c["retrievedReferences"]
                    ]
                    output = {
                        "text": answer["output"]["text"],
                        "knowledgeBaseIdentifier": kb["knowledgeBaseId"],
                        "modelIdentifier": kb["modelArn"],
                        "retrievedPassages": {"retrievalResults": passages},
                        "citations": answer.get("citations", []),
                    }
                    sample = judge.Sample(
                        question, answer["output"]["text"], reference, [p["content"]["text"] for p in passages], cited
                    )
                out_turns.append(
                    {
                        "inputRecord": {k: v for k, v in turn.items()},
                        "output": output,
                        "results": [_score(m, plan, sample) for m in item["metricNames"]],
                    }
                )
            lines.append({"conversationTurns": out_turns})
        kb_id = (kb_config.get("retrieveConfig") or {}).get("knowledgeBaseId") or kb_config[
            "retrieveAndGenerateConfig"
        ]["knowledgeBaseConfiguration"]["knowledgeBaseId"]
        key = (
            f"knowledgeBases/{kb_id}/taskTypes/{plan['rag']}/datasets/{item['dataset']['name']}/{_uuid()}_output.jsonl"
        )
        files.append((key, "".join(json.dumps(line, default=str) + "\n" for line in lines)))
    return files


def _run(job: dict[str, Any]) -> None:
    """Compute the results of a new automated job (kept until the job completes)."""
    plan, params = job["plan"], job["request"]
    try:
        if plan["application"] == "RagEvaluation":
            files = _rag_results(plan, params, job["region"])
        else:
            files = _model_results(plan, params, job["region"])
    except JobFailed as failure:
        job["pending"] = ("Failed", [str(failure)], [])
        return
    except ServiceError as error:
        job["pending"] = ("Failed", [error.message], [])
        return
    custom = [(f"custom_metrics/{name}.json", json.dumps(d, indent=2)) for name, d in plan.get("custom", {}).items()]
    job["pending"] = ("Completed", [], files + custom)


def _advance(job: dict[str, Any]) -> None:
    """Finish a job on the first look after it was created or stopped."""
    if job["status"] == "Stopping":
        job["status"] = "Stopped"
        job["lastModifiedTime"] = state.get().now()
        return
    if job["status"] != "InProgress" or "pending" not in job:
        return
    status, messages, files = job.pop("pending")
    if status == "Completed":
        bucket, prefix = _split_s3(job["request"]["outputDataConfig"]["s3Uri"])
        backend = _s3_backend()
        if bucket not in backend.buckets:
            status, messages = "Failed", [f"The output location s3://{bucket} does not exist or is not accessible."]
        else:
            base = "/".join(p for p in (prefix.strip("/"), job["request"]["jobName"], job["uuid"]) if p)
            for key, body in files:
                backend.put_object(bucket, f"{base}/{key}", body.encode("utf-8"))
    job["status"] = status
    if messages:
        job["failureMessages"] = messages
    job["lastModifiedTime"] = state.get().now()


# ---------------------------------------------------------------- operations


def _lookup(identifier: str) -> dict[str, Any]:
    job_id = identifier.rsplit("/", 1)[-1]
    job = state.get().evaluation_jobs.get(job_id)
    if job is None or job["status"] == "Deleting":
        raise not_found(f"The evaluation job {identifier} doesn't exist.")
    return job


def create_evaluation_job(call: Call) -> Reply:
    params = call.params
    st = state.get()
    token = params.get("clientRequestToken")
    for job in st.evaluation_jobs.values():
        if token and job["request"].get("clientRequestToken") == token and job["status"] != "Deleting":
            return Reply({"jobArn": job["jobArn"]})
        if job["request"]["jobName"] == params["jobName"] and job["status"] != "Deleting":
            raise ServiceError(
                "ConflictException", f"An evaluation job named {params['jobName']} already exists in this Region."
            )
    plan = _validate(params, call.region)
    job_id = st.new_id("evaluation-job", 12, _ALPHABET)
    now = st.now()
    job = {
        "jobId": job_id,
        "jobArn": f"arn:aws:bedrock:{call.region}:{state.ACCOUNT_ID}:evaluation-job/{job_id}",
        "uuid": _uuid(),
        "region": call.region,
        "request": copy.deepcopy(params),
        "plan": plan,
        "status": "InProgress",
        "creationTime": now,
        "lastModifiedTime": now,
        "order": st.counter,
    }
    st.evaluation_jobs[job_id] = job
    if plan["kind"] == "automated":
        _run(job)
    return Reply({"jobArn": job["jobArn"]}, status=202)


def _view(job: dict[str, Any]) -> dict[str, Any]:
    request = job["request"]
    out = {
        "jobName": request["jobName"],
        "status": job["status"],
        "jobArn": job["jobArn"],
        "roleArn": request["roleArn"],
        "jobType": "Human" if job["plan"]["kind"] == "human" else "Automated",
        "applicationType": job["plan"]["application"],
        "evaluationConfig": copy.deepcopy(request["evaluationConfig"]),
        "inferenceConfig": copy.deepcopy(request["inferenceConfig"]),
        "outputDataConfig": copy.deepcopy(request["outputDataConfig"]),
        "creationTime": job["creationTime"],
        "lastModifiedTime": job["lastModifiedTime"],
    }
    for key in ("jobDescription", "customerEncryptionKeyId"):
        if request.get(key):
            out[key] = request[key]
    if job.get("failureMessages"):
        out["failureMessages"] = list(job["failureMessages"])
    return out


def get_evaluation_job(call: Call) -> Reply:
    job = _lookup(call.params["jobIdentifier"])
    _advance(job)
    return Reply(_view(job))


def _summary(job: dict[str, Any]) -> dict[str, Any]:
    request, plan = job["request"], job["plan"]
    section = request["evaluationConfig"].get("automated") or request["evaluationConfig"]["human"]
    models = [
        m["bedrockModel"]["modelIdentifier"]
        for m in request["inferenceConfig"].get("models", [])
        if "bedrockModel" in m
    ]
    sources = [
        m["precomputedInferenceSource"]["inferenceSourceIdentifier"]
        for m in request["inferenceConfig"].get("models", [])
        if "precomputedInferenceSource" in m
    ]
    kbs = []
    for rag in request["inferenceConfig"].get("ragConfigs", []):
        kb_config = rag.get("knowledgeBaseConfig") or {}
        if "retrieveConfig" in kb_config:
            kbs.append(kb_config["retrieveConfig"]["knowledgeBaseId"])
        elif "retrieveAndGenerateConfig" in kb_config:
            kbs.append(kb_config["retrieveAndGenerateConfig"]["knowledgeBaseConfiguration"]["knowledgeBaseId"])
    summary: dict[str, Any] = {
        "jobArn": job["jobArn"],
        "jobName": request["jobName"],
        "status": job["status"],
        "creationTime": job["creationTime"],
        "jobType": "Human" if plan["kind"] == "human" else "Automated",
        "evaluationTaskTypes": sorted({d["taskType"] for d in section["datasetMetricConfigs"]}),
        "applicationType": plan["application"],
    }
    if models:
        summary["modelIdentifiers"] = models
    if kbs:
        summary["ragIdentifiers"] = kbs
    evaluators = (section.get("evaluatorModelConfig") or {}).get("bedrockEvaluatorModels") or []
    if evaluators:
        summary["evaluatorModelIdentifiers"] = [e["modelIdentifier"] for e in evaluators]
    custom = ((section.get("customMetricConfig") or {}).get("evaluatorModelConfig") or {}).get(
        "bedrockEvaluatorModels"
    ) or []
    if custom:
        summary["customMetricsEvaluatorModelIdentifiers"] = [e["modelIdentifier"] for e in custom]
    config_summary: dict[str, Any] = {}
    if models or sources:
        config_summary["modelConfigSummary"] = {"bedrockModelIdentifiers": models}
        if sources:
            config_summary["modelConfigSummary"]["precomputedInferenceSourceIdentifiers"] = sources
    if kbs:
        config_summary["ragConfigSummary"] = {"bedrockKnowledgeBaseIdentifiers": kbs}
    summary["inferenceConfigSummary"] = config_summary
    return summary


def list_evaluation_jobs(call: Call) -> Reply:
    params = call.params
    st = state.get()
    for job_id in [k for k, j in st.evaluation_jobs.items() if j["status"] == "Deleting"]:
        del st.evaluation_jobs[job_id]
    jobs = list(st.evaluation_jobs.values())
    for job in jobs:
        _advance(job)
    if params.get("statusEquals"):
        jobs = [j for j in jobs if j["status"] == params["statusEquals"]]
    if params.get("applicationTypeEquals"):
        jobs = [j for j in jobs if j["plan"]["application"] == params["applicationTypeEquals"]]
    if params.get("nameContains"):
        jobs = [j for j in jobs if params["nameContains"] in j["request"]["jobName"]]
    import datetime as _dt

    def _when(value: Any) -> _dt.datetime:
        if isinstance(value, (int, float)) or (isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value)):
            return _dt.datetime.fromtimestamp(float(value), _dt.UTC)
        return _dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))

    if params.get("creationTimeAfter"):
        after = _when(params["creationTimeAfter"])
        jobs = [j for j in jobs if j["creationTime"] > after]
    if params.get("creationTimeBefore"):
        before = _when(params["creationTimeBefore"])
        jobs = [j for j in jobs if j["creationTime"] < before]
    descending = (params.get("sortOrder") or "Descending") == "Descending"
    jobs.sort(key=lambda j: (j["creationTime"], j["order"]), reverse=descending)
    size = params.get("maxResults") or 100
    if not 1 <= size <= 1000:
        raise validation("maxResults must be between 1 and 1000.")
    start = int(params.get("nextToken") or 0)
    output: dict[str, Any] = {"jobSummaries": [_summary(j) for j in jobs[start : start + size]]}
    if start + size < len(jobs):
        output["nextToken"] = str(start + size)
    return Reply(output)


def stop_evaluation_job(call: Call) -> Reply:
    job = _lookup(call.params["jobIdentifier"])
    if job["status"] != "InProgress":
        raise ServiceError(
            "ConflictException", f"The evaluation job {job['jobArn']} is {job['status']} and can't be stopped."
        )
    job.pop("pending", None)
    job["status"] = "Stopping"
    job["lastModifiedTime"] = state.get().now()
    return Reply({})


def batch_delete_evaluation_job(call: Call) -> Reply:
    deleted, errors = [], []
    for identifier in call.params["jobIdentifiers"]:
        job = state.get().evaluation_jobs.get(identifier.rsplit("/", 1)[-1])
        if job is None or job["status"] == "Deleting":
            errors.append(
                {
                    "jobIdentifier": identifier,
                    "code": "ResourceNotFoundException",
                    "message": f"The evaluation job {identifier} doesn't exist.",
                }
            )
        elif job["status"] in ("InProgress", "Stopping"):
            errors.append(
                {
                    "jobIdentifier": identifier,
                    "code": "ConflictException",
                    "message": f"The evaluation job {identifier} is {job['status']}; stop it before deleting it.",
                }
            )
        else:
            job["status"] = "Deleting"
            deleted.append({"jobIdentifier": identifier, "jobStatus": "Deleting"})
    return Reply({"errors": errors, "evaluationJobs": deleted}, status=202)


OPERATIONS = {
    "CreateEvaluationJob": create_evaluation_job,
    "GetEvaluationJob": get_evaluation_job,
    "ListEvaluationJobs": list_evaluation_jobs,
    "StopEvaluationJob": stop_evaluation_job,
    "BatchDeleteEvaluationJob": batch_delete_evaluation_job,
}
