"""Knowledge bases, S3 data sources and ingestion jobs (bedrock-agent), and vector search.

Ingestion really reads the data source's S3 bucket through moto: plain-text documents
(.txt .md .markdown .html .htm .csv .json), with optional ``<key>.metadata.json`` sidecars
holding ``metadataAttributes`` (plain values or Bedrock's typed form). Each document is
chunked (chunking.py), embedded with the knowledge base's embedding model (embeddings.py)
and stored in the simulator; when the storage is S3_VECTORS and the index exists in moto,
the vectors are also written there.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from typing import Any

from course.bedrock_sim import catalogue, chunking, embeddings, faults, state, transform_lambda
from course.bedrock_sim.protocol import Call, Reply, ServiceError, not_found, validation

TEXT_EXTENSIONS = (".txt", ".md", ".markdown", ".html", ".htm", ".csv", ".json", ".text")
SIDE_CAR = ".metadata.json"


# ------------------------------------------------------------------ helpers


def get_kb(knowledge_base_id: str) -> dict[str, Any]:
    kb = state.get().knowledge_bases.get(knowledge_base_id)
    if kb is None:
        raise not_found(f"Knowledge base with id {knowledge_base_id} does not exist")
    return kb


def _get_ds(kb: dict[str, Any], data_source_id: str) -> dict[str, Any]:
    ds = kb["dataSources"].get(data_source_id)
    if ds is None:
        raise not_found(
            f"Data source with id {data_source_id} does not exist in knowledge base {kb['knowledgeBaseId']}"
        )
    return ds


def _kb_view(kb: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "knowledgeBaseId",
        "name",
        "knowledgeBaseArn",
        "description",
        "roleArn",
        "knowledgeBaseConfiguration",
        "storageConfiguration",
        "status",
        "createdAt",
        "updatedAt",
    )
    return {k: kb[k] for k in keys if kb.get(k) is not None}


def _ds_view(ds: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "knowledgeBaseId",
        "dataSourceId",
        "name",
        "status",
        "description",
        "dataSourceConfiguration",
        "vectorIngestionConfiguration",
        "dataDeletionPolicy",
        "createdAt",
        "updatedAt",
    )
    return {k: ds[k] for k in keys if ds.get(k) is not None}


def _page(items: list[dict[str, Any]], params: dict[str, Any], key: str) -> Reply:
    size = params.get("maxResults") or 1000
    start = int(params.get("nextToken") or 0)
    output: dict[str, Any] = {key: items[start : start + size]}
    if start + size < len(items):
        output["nextToken"] = str(start + size)
    return Reply(output)


# ------------------------------------------------------------------ knowledge bases


def _embedding_model(configuration: dict[str, Any]) -> tuple[str, int]:
    vector = configuration.get("vectorKnowledgeBaseConfiguration")
    if configuration.get("type") != "VECTOR" or not vector:
        raise validation(
            "The course simulator supports VECTOR knowledge bases (vectorKnowledgeBaseConfiguration) only."
        )
    arn = vector["embeddingModelArn"]
    model_id = arn.rsplit("/", 1)[-1]
    model = catalogue.find(model_id)
    if model is None or "EMBEDDING" not in model["outputModalities"]:
        raise validation(f"The embedding model {arn} is not a supported embedding model.")
    dims = (
        (vector.get("embeddingModelConfiguration") or {})
        .get("bedrockEmbeddingModelConfiguration", {})
        .get("dimensions")
    )
    dimension = dims or model["defaultDimension"]
    if dimension not in model["embeddingDimensions"]:
        raise validation(f"Dimensions {dimension} is not supported by {model_id}.")
    return model_id, dimension


def create_knowledge_base(call: Call) -> Reply:
    p = call.params
    st = state.get()
    if any(kb["name"] == p["name"] for kb in st.knowledge_bases.values()):
        raise ServiceError("ConflictException", f"Knowledge base with name {p['name']} already exists.")
    if not re.fullmatch(r"([0-9a-zA-Z][_-]?){1,100}", p["name"]):
        raise validation("The knowledge base name must match the pattern ([0-9a-zA-Z][_-]?){1,100}.")
    model_id, dimension = _embedding_model(p["knowledgeBaseConfiguration"])
    kb_id = st.new_id("knowledge-base")
    now = st.now()
    kb = {
        "knowledgeBaseId": kb_id,
        "name": p["name"],
        "knowledgeBaseArn": f"arn:aws:bedrock:{call.region}:{state.ACCOUNT_ID}:knowledge-base/{kb_id}",
        "description": p.get("description"),
        "roleArn": p["roleArn"],
        "knowledgeBaseConfiguration": copy.deepcopy(p["knowledgeBaseConfiguration"]),
        "storageConfiguration": copy.deepcopy(p.get("storageConfiguration")),
        "status": "ACTIVE",
        "createdAt": now,
        "updatedAt": now,
        "embeddingModel": model_id,
        "dimension": dimension,
        "dataSources": {},
        "chunks": [],
        "region": call.region,
    }
    st.knowledge_bases[kb_id] = kb
    return Reply({"knowledgeBase": _kb_view(kb)})


def get_knowledge_base(call: Call) -> Reply:
    return Reply({"knowledgeBase": _kb_view(get_kb(call.params["knowledgeBaseId"]))})


def list_knowledge_bases(call: Call) -> Reply:
    items = [
        {k: kb[k] for k in ("knowledgeBaseId", "name", "description", "status", "updatedAt") if kb.get(k) is not None}
        for kb in state.get().knowledge_bases.values()
    ]
    return _page(items, call.params, "knowledgeBaseSummaries")


def update_knowledge_base(call: Call) -> Reply:
    kb = get_kb(call.params["knowledgeBaseId"])
    for key in ("name", "description", "roleArn"):
        if key in call.params:
            kb[key] = call.params[key]
    kb["updatedAt"] = state.get().now()
    return Reply({"knowledgeBase": _kb_view(kb)})


def delete_knowledge_base(call: Call) -> Reply:
    kb = get_kb(call.params["knowledgeBaseId"])
    del state.get().knowledge_bases[kb["knowledgeBaseId"]]
    return Reply({"knowledgeBaseId": kb["knowledgeBaseId"], "status": "DELETING"})


# ------------------------------------------------------------------ data sources


def create_data_source(call: Call) -> Reply:
    p = call.params
    kb = get_kb(p["knowledgeBaseId"])
    configuration = p["dataSourceConfiguration"]
    if configuration["type"] != "S3" or "s3Configuration" not in configuration:
        raise validation("The course simulator supports S3 data sources (s3Configuration) only.")
    if not configuration["s3Configuration"]["bucketArn"].startswith("arn:aws:s3:::"):
        raise validation("bucketArn must be an S3 bucket ARN (arn:aws:s3:::bucket-name).")
    if any(ds["name"] == p["name"] for ds in kb["dataSources"].values()):
        raise ServiceError("ConflictException", f"Data source with name {p['name']} already exists.")
    ingestion = copy.deepcopy(p.get("vectorIngestionConfiguration") or {})
    chunking.validate(ingestion.get("chunkingConfiguration"))
    transform_lambda.validate(ingestion.get("customTransformationConfiguration"))
    st = state.get()
    ds_id = st.new_id("data-source")
    now = st.now()
    ds = {
        "knowledgeBaseId": kb["knowledgeBaseId"],
        "dataSourceId": ds_id,
        "name": p["name"],
        "status": "AVAILABLE",
        "description": p.get("description"),
        "dataSourceConfiguration": copy.deepcopy(configuration),
        "vectorIngestionConfiguration": ingestion or {"chunkingConfiguration": chunking.DEFAULT},
        "dataDeletionPolicy": p.get("dataDeletionPolicy", "DELETE"),
        "createdAt": now,
        "updatedAt": now,
        "jobs": {},
        "documents": {},
    }
    kb["dataSources"][ds_id] = ds
    return Reply({"dataSource": _ds_view(ds)})


def get_data_source(call: Call) -> Reply:
    kb = get_kb(call.params["knowledgeBaseId"])
    return Reply({"dataSource": _ds_view(_get_ds(kb, call.params["dataSourceId"]))})


def list_data_sources(call: Call) -> Reply:
    kb = get_kb(call.params["knowledgeBaseId"])
    items = [
        {
            k: ds[k]
            for k in ("knowledgeBaseId", "dataSourceId", "name", "status", "description", "updatedAt")
            if ds.get(k)
        }
        for ds in kb["dataSources"].values()
    ]
    return _page(items, call.params, "dataSourceSummaries")


def update_data_source(call: Call) -> Reply:
    kb = get_kb(call.params["knowledgeBaseId"])
    ds = _get_ds(kb, call.params["dataSourceId"])
    for key in ("name", "description", "dataSourceConfiguration", "dataDeletionPolicy"):
        if key in call.params:
            ds[key] = copy.deepcopy(call.params[key])
    ds["updatedAt"] = state.get().now()
    return Reply({"dataSource": _ds_view(ds)})


def delete_data_source(call: Call) -> Reply:
    kb = get_kb(call.params["knowledgeBaseId"])
    ds = _get_ds(kb, call.params["dataSourceId"])
    if ds.get("dataDeletionPolicy", "DELETE") == "DELETE":  # RETAIN keeps the vectors in the store
        index = _index(kb)
        for uri in list(ds["documents"]):
            _drop(kb, index, uri)
    del kb["dataSources"][ds["dataSourceId"]]
    return Reply({"knowledgeBaseId": kb["knowledgeBaseId"], "dataSourceId": ds["dataSourceId"], "status": "DELETING"})


# ------------------------------------------------------------------ ingestion


def _plain_metadata(raw: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in raw.items():
        if isinstance(value, dict) and "value" in value:
            typed = value["value"]
            kind = typed.get("type", "STRING")
            field = {
                "STRING": "stringValue",
                "NUMBER": "numberValue",
                "BOOLEAN": "booleanValue",
                "STRING_LIST": "stringListValue",
            }[kind]
            out[key] = typed[field]
        else:
            out[key] = value
    return out


def _html_to_text(text: str) -> str:
    text = re.sub(r"(?is)<(script|style).*?</\1>", " ", text)
    text = re.sub(r"(?i)<br\s*/?>|</p>|</h\d>|</li>", "\n", text)
    return re.sub(r"<[^>]+>", " ", text)


def _index(kb: dict[str, Any]) -> Any:
    """moto's S3 Vectors index of an S3_VECTORS knowledge base, if it exists."""
    storage = kb.get("storageConfiguration") or {}
    if storage.get("type") != "S3_VECTORS":
        return None
    config = storage.get("s3VectorsConfiguration") or {}
    from moto.s3vectors.models import s3vectors_backends
    from moto.utilities.utils import get_partition

    backend = s3vectors_backends[state.ACCOUNT_ID][get_partition(kb["region"])]
    # An ARN must name this account and the knowledge base's Region, or the store is unreachable.
    prefix = f"arn:aws:s3vectors:{kb['region']}:{state.ACCOUNT_ID}:bucket/"
    arns = [config.get("vectorBucketArn"), config.get("indexArn")]
    if any(
        arn is not None and not re.fullmatch(re.escape(prefix) + r"[a-z0-9.-]+(/index/[a-z0-9.-]+)?", arn)
        for arn in arns
    ):
        return None
    try:
        bucket_name = (config.get("vectorBucketArn") or "").rsplit("/", 1)[-1] or None
        return backend.get_index(bucket_name, config.get("indexName"), config.get("indexArn"))
    except Exception:  # moto raises its own not-found errors
        return None


def _drop(kb: dict[str, Any], index: Any, uri: str) -> None:
    """Forget every chunk of ``uri``, in the simulator and in the S3 Vectors index."""
    stale = [c["chunkId"] for c in kb["chunks"] if c["sourceUri"] == uri]
    kb["chunks"] = [c for c in kb["chunks"] if c["sourceUri"] != uri]
    if index is not None:
        for chunk_id in stale:
            index.vectors.pop(chunk_id, None)


def _set_metadata(kb: dict[str, Any], index: Any, uri: str, metadata: dict[str, Any]) -> None:
    """A metadata-only change: new attributes on the same chunks, nothing re-embedded."""
    for chunk in kb["chunks"]:
        if chunk["sourceUri"] == uri:
            system = {k: v for k, v in chunk["metadata"].items() if k.startswith("x-amz-bedrock-kb-")}
            chunk["metadata"] = {**chunk.get("chunkMetadata", {}), **metadata, **system}
            vector = index.vectors.get(chunk["chunkId"]) if index is not None else None
            if vector is not None:
                vector.metadata = dict(chunk["metadata"]) | {"AMAZON_BEDROCK_TEXT": chunk["text"]}


def _run_ingestion(kb: dict[str, Any], ds: dict[str, Any], job_id: str = "") -> tuple[dict[str, int], list[str]]:
    from moto.s3.models import s3_backends

    stats = dict.fromkeys(
        (
            "numberOfDocumentsScanned",
            "numberOfMetadataDocumentsScanned",
            "numberOfNewDocumentsIndexed",
            "numberOfModifiedDocumentsIndexed",
            "numberOfMetadataDocumentsModified",
            "numberOfDocumentsDeleted",
            "numberOfDocumentsFailed",
        ),
        0,
    )
    failures: list[str] = []
    s3_config = ds["dataSourceConfiguration"]["s3Configuration"]
    bucket_name = s3_config["bucketArn"].split(":::", 1)[1]
    backend = s3_backends[state.ACCOUNT_ID]["aws"]
    bucket = backend.buckets.get(bucket_name)
    if bucket is None:
        return stats, [f"The S3 bucket {bucket_name} does not exist or is not accessible."]
    keys, _, _, _ = backend.list_objects(bucket, prefix=None, delimiter=None, marker=None, max_keys=1_000_000)
    objects = {k.name: k for k in keys}
    prefixes = s3_config.get("inclusionPrefixes") or [""]
    selected = {name: key for name, key in objects.items() if any(name.startswith(p) for p in prefixes)}
    sidecars = {name[: -len(SIDE_CAR)]: key for name, key in selected.items() if name.endswith(SIDE_CAR)}
    documents = {name: key for name, key in selected.items() if not name.endswith(SIDE_CAR) and not name.endswith("/")}
    stats["numberOfMetadataDocumentsScanned"] = len(sidecars)
    chunk_config = ds["vectorIngestionConfiguration"].get("chunkingConfiguration")
    index = _index(kb)
    if (kb.get("storageConfiguration") or {}).get("type") == "S3_VECTORS":
        # As on AWS, vectors that cannot be written make the sync fail instead of vanishing.
        if index is None:
            return stats, ["The S3 Vectors index of the knowledge base does not exist or is not accessible."]
        if index.dimension != kb["dimension"]:
            return stats, [
                f"The vector index dimension ({index.dimension}) does not match the embedding dimension "
                f"of the knowledge base ({kb['dimension']})."
            ]
    seen = set()
    for name in sorted(documents):
        key = documents[name]
        uri = f"s3://{bucket_name}/{name}"
        stats["numberOfDocumentsScanned"] += 1
        if not name.lower().endswith(TEXT_EXTENSIONS):
            stats["numberOfDocumentsFailed"] += 1
            failures.append(f"{uri}: file type not supported by the course simulator (plain text formats only).")
            continue
        metadata: dict[str, Any] = {}
        sidecar = sidecars.get(name)
        if sidecar is not None:
            try:
                metadata = _plain_metadata(json.loads(sidecar.value)["metadataAttributes"])
            except (ValueError, KeyError, TypeError):
                stats["numberOfDocumentsFailed"] += 1
                failures.append(f"{uri}.metadata.json: invalid metadata file (expected metadataAttributes).")
                continue
        fingerprint = (key.etag, sidecar.etag if sidecar is not None else "")
        seen.add(uri)
        previous = ds["documents"].get(uri)
        if previous == fingerprint:
            continue
        if previous and previous[0] == fingerprint[0]:
            # Only the .metadata.json sidecar changed: update the attributes, keep the vectors.
            _set_metadata(kb, index, uri, metadata)
            ds["documents"][uri] = fingerprint
            stats["numberOfMetadataDocumentsModified"] += 1
            continue
        text = key.value.decode("utf-8", errors="replace")
        if name.lower().endswith((".html", ".htm")):
            text = _html_to_text(text)
        pieces = [(c.text, c.parent, {}) for c in chunking.chunk(text, chunk_config, kb["dimension"])]
        if ds["vectorIngestionConfiguration"].get("customTransformationConfiguration"):
            try:
                transformed = transform_lambda.apply(
                    kb, ds, job_id, uri, metadata, [p[0] for p in pieces], stats["numberOfDocumentsScanned"]
                )
            except transform_lambda.TransformationFailed as exc:
                stats["numberOfDocumentsFailed"] += 1
                failures.append(f"{uri}: custom transformation failed: {exc}")
                continue
            pieces = [(body, None, chunk_meta) for body, chunk_meta in transformed]
        _drop(kb, index, uri)
        for position, (piece_text, piece_parent, chunk_meta) in enumerate(pieces):
            piece = chunking.Chunk(piece_text, piece_parent)
            digest = hashlib.sha256(f"{kb['knowledgeBaseId']}|{uri}|{position}|{piece.text}".encode()).hexdigest()
            chunk_id = f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
            full_metadata = {**chunk_meta, **metadata}
            full_metadata.update(
                {
                    "x-amz-bedrock-kb-source-uri": uri,
                    "x-amz-bedrock-kb-chunk-id": chunk_id,
                    "x-amz-bedrock-kb-data-source-id": ds["dataSourceId"],
                }
            )
            vector = embeddings.embed(piece.text, kb["dimension"])
            kb["chunks"].append(
                {
                    "chunkId": chunk_id,
                    "text": piece.text,
                    "parent": piece.parent,
                    "vector": vector,
                    "metadata": full_metadata,
                    "chunkMetadata": chunk_meta,
                    "sourceUri": uri,
                    "dataSourceId": ds["dataSourceId"],
                }
            )
            if index is not None:
                from moto.s3vectors.models import Vector

                meta = {k: v for k, v in full_metadata.items()} | {"AMAZON_BEDROCK_TEXT": piece.text}
                index.vectors[chunk_id] = Vector(chunk_id, {"float32": vector}, meta)
        ds["documents"][uri] = fingerprint
        stats["numberOfModifiedDocumentsIndexed" if previous else "numberOfNewDocumentsIndexed"] += 1
    for uri in [u for u in ds["documents"] if u not in seen]:
        _drop(kb, index, uri)
        del ds["documents"][uri]
        stats["numberOfDocumentsDeleted"] += 1
    return stats, failures


def start_ingestion_job(call: Call) -> Reply:
    kb = get_kb(call.params["knowledgeBaseId"])
    ds = _get_ds(kb, call.params["dataSourceId"])
    st = state.get()
    job_id = st.new_id("ingestion-job")
    stats, failures = _run_ingestion(kb, ds, job_id)
    faults.heal(kb["knowledgeBaseId"])  # every document is re-embedded with the current model
    now = st.now()
    job = {
        "knowledgeBaseId": kb["knowledgeBaseId"],
        "dataSourceId": ds["dataSourceId"],
        "ingestionJobId": job_id,
        "description": call.params.get("description"),
        "status": "FAILED" if failures and stats["numberOfDocumentsScanned"] == 0 else "COMPLETE",
        "statistics": stats,
        "failureReasons": failures or None,
        "startedAt": now,
        "updatedAt": now,
    }
    ds["jobs"][job["ingestionJobId"]] = job
    # The job is done at once, but the answer describes it as just started, with nothing counted yet.
    starting = dict.fromkeys(stats, 0)
    view = {k: v for k, v in job.items() if v is not None} | {"status": "STARTING", "statistics": starting}
    view.pop("failureReasons", None)
    return Reply({"ingestionJob": view})


def get_ingestion_job(call: Call) -> Reply:
    kb = get_kb(call.params["knowledgeBaseId"])
    ds = _get_ds(kb, call.params["dataSourceId"])
    job = ds["jobs"].get(call.params["ingestionJobId"])
    if job is None:
        raise not_found(f"Ingestion job {call.params['ingestionJobId']} does not exist")
    return Reply({"ingestionJob": {k: v for k, v in job.items() if v is not None}})


def list_ingestion_jobs(call: Call) -> Reply:
    kb = get_kb(call.params["knowledgeBaseId"])
    ds = _get_ds(kb, call.params["dataSourceId"])
    jobs = list(ds["jobs"].values())
    for flt in call.params.get("filters") or []:
        jobs = [j for j in jobs if j["status"] in flt["values"]]
    sort = call.params.get("sortBy") or {}
    if sort.get("order") == "DESCENDING":
        jobs.reverse()
    items = [
        {
            k: j[k]
            for k in (
                "knowledgeBaseId",
                "dataSourceId",
                "ingestionJobId",
                "description",
                "status",
                "startedAt",
                "updatedAt",
                "statistics",
            )
            if j.get(k) is not None
        }
        for j in jobs
    ]
    return _page(items, call.params, "ingestionJobSummaries")


# ------------------------------------------------------------------ search


def _compare(value: Any, op: str, target: Any) -> bool:
    if op == "equals":
        return value == target
    if op == "notEquals":
        return value != target
    if value is None:
        return False
    if op in ("greaterThan", "greaterThanOrEquals", "lessThan", "lessThanOrEquals"):
        if not isinstance(value, (int, float)) or not isinstance(target, (int, float)):
            return False
        return {
            "greaterThan": value > target,
            "greaterThanOrEquals": value >= target,
            "lessThan": value < target,
            "lessThanOrEquals": value <= target,
        }[op]
    if op == "in":
        return value in target
    if op == "notIn":
        return value not in target
    if op == "startsWith":
        return isinstance(value, str) and value.startswith(target)
    if op == "listContains":
        return isinstance(value, list) and target in value
    if op == "stringContains":
        return (isinstance(value, str) and target in value) or (
            isinstance(value, list) and any(target in str(v) for v in value)
        )
    raise validation(f"Unsupported filter operator {op}.")


def matches(flt: dict[str, Any] | None, metadata: dict[str, Any]) -> bool:
    """Whether chunk ``metadata`` passes a Retrieve ``filter``."""
    if not flt:
        return True
    if len(flt) != 1:
        raise validation("A retrieval filter must contain exactly one operator.")
    op, arg = next(iter(flt.items()))
    if op in ("andAll", "orAll"):
        if len(arg) < 2:
            raise validation(f"{op} requires at least 2 filters.")
        results = [matches(f, metadata) for f in arg]
        return all(results) if op == "andAll" else any(results)
    return _compare(metadata.get(arg["key"]), op, arg["value"])


# Vector stores whose knowledge bases run HYBRID (vector + keyword) search, as the user guide lists
# them (Amazon RDS/Aurora, OpenSearch Serverless, MongoDB Atlas, each with a filterable text
# field); on any other store overrideSearchType HYBRID runs a SEMANTIC search.
HYBRID_STORES = ("OPENSEARCH_SERVERLESS", "RDS", "MONGO_DB_ATLAS")


def search_type(kb: dict[str, Any], requested: str | None) -> str:
    """The search a Retrieve request really gets: HYBRID only where the store supports it."""
    store = (kb.get("storageConfiguration") or {}).get("type")
    return "HYBRID" if requested == "HYBRID" and store in HYBRID_STORES else "SEMANTIC"


def _cosines(kb: dict[str, Any], vector: list[float]) -> Any:
    """Cosine similarity of ``vector`` with every chunk (a numpy array, in chunk order).

    The unit-length chunk matrix is cached on the knowledge base until its chunks change.
    """
    import numpy as np

    ids = tuple(c["chunkId"] for c in kb["chunks"])
    if not ids:
        return np.zeros(0)
    cached = kb.get("_matrix")
    if cached is None or cached[0] != ids:
        matrix = np.array([c["vector"] for c in kb["chunks"]], dtype=float)
        norms = np.linalg.norm(matrix, axis=1)
        norms[norms == 0] = 1.0
        cached = (ids, matrix / norms[:, None])
        kb["_matrix"] = cached
    query = np.asarray(vector, dtype=float)
    norm = float(np.linalg.norm(query)) or 1.0
    if cached[1].shape[1] != query.shape[0]:
        return np.zeros(len(ids))
    return cached[1] @ (query / norm)


def search(
    kb: dict[str, Any], query: str, number: int, flt: dict[str, Any] | None, kind: str = "SEMANTIC"
) -> list[dict[str, Any]]:
    """Top ``number`` chunks for ``query``, as Retrieve result records (best first).

    SEMANTIC scores ``(1 + cosine) / 2``; HYBRID fuses cosine and BM25 (lexical.py).
    """
    from course.bedrock_sim import lexical

    vector = faults.query_vector(kb["knowledgeBaseId"], embeddings.embed(query, kb["dimension"]))
    candidates = [(p, c) for p, c in enumerate(kb["chunks"]) if matches(flt, c["metadata"])]
    cosines = _cosines(kb, vector)
    scores = [(1 + float(cosines[p])) / 2 for p, _ in candidates]
    if kind == "HYBRID" and candidates:
        keyword = lexical.bm25(query, [c["text"] for c in kb["chunks"]])
        scores = lexical.fuse(scores, [keyword[p] for p, _ in candidates])
    scored = sorted((-score, position, chunk) for score, (position, chunk) in zip(scores, candidates))
    results, seen_parents = [], set()
    for negative, _, chunk in scored:
        text = chunk["parent"] or chunk["text"]
        if chunk["parent"]:
            if text in seen_parents:
                continue
            seen_parents.add(text)
        results.append(
            {
                "content": {"text": text, "type": "TEXT"},
                "location": {"type": "S3", "s3Location": {"uri": chunk["sourceUri"]}},
                "metadata": dict(chunk["metadata"]),
                "score": round(-negative, 6),
            }
        )
        if len(results) >= number:
            break
    return results


OPERATIONS = {
    "CreateKnowledgeBase": create_knowledge_base,
    "GetKnowledgeBase": get_knowledge_base,
    "ListKnowledgeBases": list_knowledge_bases,
    "UpdateKnowledgeBase": update_knowledge_base,
    "DeleteKnowledgeBase": delete_knowledge_base,
    "CreateDataSource": create_data_source,
    "GetDataSource": get_data_source,
    "ListDataSources": list_data_sources,
    "UpdateDataSource": update_data_source,
    "DeleteDataSource": delete_data_source,
    "StartIngestionJob": start_ingestion_job,
    "GetIngestionJob": get_ingestion_job,
    "ListIngestionJobs": list_ingestion_jobs,
}
