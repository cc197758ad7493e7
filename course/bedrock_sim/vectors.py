"""s3vectors QueryVectors over the vectors moto stores (moto implements the rest).

Distances: ``cosine`` is 1 - cosine similarity, ``euclidean`` the L2 distance; results are
sorted by distance, nearest first. Metadata filters use the S3 Vectors operators
$eq $ne $gt $gte $lt $lte $in $nin $exists $and $or (a bare ``{"key": value}`` means $eq).
"""

from __future__ import annotations

from typing import Any

from course.bedrock_sim import state
from course.bedrock_sim.protocol import Call, Reply, ServiceError, validation

_OPS = ("$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$exists")


def _condition(value: Any, condition: Any) -> bool:
    if not isinstance(condition, dict):
        return value == condition or (isinstance(value, list) and condition in value)
    for op, target in condition.items():
        if op not in _OPS:
            raise validation(f"Invalid query filter: unsupported operator {op}.")
        if op == "$exists":
            ok = (value is not None) == bool(target)
        elif op == "$eq":
            ok = value == target or (isinstance(value, list) and target in value)
        elif op == "$ne":
            ok = value != target and not (isinstance(value, list) and target in value)
        elif op in ("$in", "$nin"):
            if not isinstance(target, list):
                raise validation(f"Invalid query filter: {op} needs an array.")
            inside = value in target or (isinstance(value, list) and any(v in target for v in value))
            ok = inside if op == "$in" else not inside
        else:
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                ok = False
            else:
                ok = {
                    "$gt": value > target,
                    "$gte": value >= target,
                    "$lt": value < target,
                    "$lte": value <= target,
                }[op]
        if not ok:
            return False
    return True


def matches(flt: dict[str, Any] | None, metadata: dict[str, Any]) -> bool:
    if not flt:
        return True
    for key, condition in flt.items():
        if key in ("$and", "$or"):
            if not isinstance(condition, list) or not condition:
                raise validation(f"Invalid query filter: {key} needs a non-empty array.")
            results = [matches(c, metadata) for c in condition]
            if not (all(results) if key == "$and" else any(results)):
                return False
        elif key.startswith("$"):
            raise validation(f"Invalid query filter: unsupported operator {key}.")
        elif not _condition((metadata or {}).get(key), condition):
            return False
    return True


def _distances(query: list[float], rows: list[list[float]], metric: str) -> list[float]:
    """``1 - cosine`` or the L2 distance of each row to ``query`` (numpy, one pass)."""
    import numpy as np

    if not rows:
        return []
    matrix = np.asarray(rows, dtype=float)
    q = np.asarray(query, dtype=float)
    if metric != "cosine":
        return list(np.linalg.norm(matrix - q, axis=1))
    norms = np.linalg.norm(matrix, axis=1) * (np.linalg.norm(q) or 1.0)
    norms[norms == 0] = 1.0
    return list(1 - (matrix @ q) / norms)


def query_vectors(call: Call) -> Reply:
    from moto.s3vectors.models import s3vectors_backends
    from moto.utilities.utils import get_partition

    p = call.params
    backend = s3vectors_backends[state.ACCOUNT_ID][get_partition(call.region)]
    try:
        index = backend.get_index(p.get("vectorBucketName"), p.get("indexName"), p.get("indexArn"))
    except Exception as exc:  # moto's IndexNotFound
        raise ServiceError("NotFoundException", "The specified index could not be found", 404) from exc
    top_k = p["topK"]
    if not 1 <= top_k <= 100:
        raise validation("topK must be between 1 and 100.")
    query = (p.get("queryVector") or {}).get("float32")
    if not query:
        raise validation("queryVector.float32 is required.")
    if len(query) != index.dimension:
        raise validation(f"Query vector contains invalid dimension: expected {index.dimension}, got {len(query)}.")
    metric = index.distance_metric
    kept = [(i, v) for i, v in enumerate(index.vectors.values()) if matches(p.get("filter"), v.metadata or {})]
    distances = _distances(query, [v.data["float32"] for _, v in kept], metric)
    scored = [(float(d), position, vector) for d, (position, vector) in zip(distances, kept)]
    scored.sort(key=lambda item: (item[0], item[1]))
    items = []
    for distance, _, vector in scored[:top_k]:
        item: dict[str, Any] = {"key": vector.key}
        if p.get("returnDistance"):
            item["distance"] = round(distance, 6)
        if p.get("returnMetadata"):
            item["metadata"] = vector.metadata or {}
        items.append(item)
    return Reply({"vectors": items, "distanceMetric": metric})


def _get_index(call: Call):
    from moto.s3vectors.models import s3vectors_backends
    from moto.utilities.utils import get_partition

    p = call.params
    backend = s3vectors_backends[state.ACCOUNT_ID][get_partition(call.region)]
    try:
        return backend.get_index(p.get("vectorBucketName"), p.get("indexName"), p.get("indexArn"))
    except Exception as exc:  # moto's IndexNotFound
        raise ServiceError("NotFoundException", "The specified index could not be found", 404) from exc


PAGE_BYTES = 1024 * 1024  # a page stops at 1 MB of data even below maxResults, as on AWS


def list_vectors(call: Call) -> Reply:
    """ListVectors with real paging (moto returns every vector at once): ``maxResults`` (default
    500), a 1 MB page limit, ``nextToken``, and parallel ``segmentCount``/``segmentIndex``."""
    import json

    p = call.params
    index = _get_index(call)
    count, segment = p.get("segmentCount"), p.get("segmentIndex")
    if (count is None) != (segment is None):
        raise validation("segmentCount and segmentIndex must be provided together.")
    keys = list(index.vectors)
    if count is not None:
        if segment >= count:
            raise validation("segmentIndex must be less than segmentCount.")
        keys = keys[segment::count]
    try:
        start = int(p.get("nextToken") or 0)
    except ValueError as exc:
        raise validation("The provided nextToken is not valid.") from exc
    limit = p.get("maxResults") or 500
    items, size, position = [], 0, start
    while position < len(keys) and len(items) < limit:
        vector = index.vectors[keys[position]]
        item: dict[str, Any] = {"key": vector.key}
        if p.get("returnData"):
            item["data"] = {"float32": list(vector.data["float32"])}
        if p.get("returnMetadata"):
            item["metadata"] = vector.metadata or {}
        # Counted as stored: 4 bytes per float32, metadata as JSON.
        size += (
            len(vector.key)
            + 4 * len(item.get("data", {}).get("float32", []))
            + len(json.dumps(item.get("metadata", "")))
        )
        if items and size > PAGE_BYTES:
            break
        items.append(item)
        position += 1
    output: dict[str, Any] = {"vectors": items}
    if position < len(keys):
        output["nextToken"] = str(position)
    return Reply(output)


OPERATIONS = {"QueryVectors": query_vectors, "ListVectors": list_vectors}
