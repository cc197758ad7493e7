"""Read and write objects in moto's S3 for the simulated jobs (batch, customization, import).

The jobs run "inside AWS", so they reach S3 through moto's backend directly rather than through
a client. An ``s3://bucket/prefix`` names one object or every object under a folder.
"""

from __future__ import annotations

from course.bedrock_sim import state


def split(uri: str) -> tuple[str, str]:
    if not uri.startswith("s3://"):
        raise ValueError(f"not an S3 URI: {uri}")
    bucket, _, key = uri[5:].partition("/")
    return bucket, key


def _backend():
    from moto.s3.models import s3_backends

    return s3_backends[state.ACCOUNT_ID]["aws"]


def bucket_exists(bucket: str) -> bool:
    return bucket in _backend().buckets


def keys(uri: str) -> list[str]:
    """The object keys ``uri`` names: itself if it is an object, else every key under it."""
    bucket, key = split(uri)
    if not bucket_exists(bucket):
        return []
    stored = list(_backend().get_bucket(bucket).keys.keys())
    if key in stored and not key.endswith("/"):
        return [key]
    folder = key if not key or key.endswith("/") else key + "/"
    return sorted(k for k in stored if k.startswith(folder) and not k.endswith("/"))


def read(bucket: str, key: str) -> bytes | None:
    found = _backend().get_object(bucket, key)
    return None if found is None else bytes(found.value)


def write(bucket: str, key: str, body: bytes) -> None:
    _backend().put_object(bucket, key, body)
