"""An offline AWS account for the notebooks: fake credentials in front of moto.

A notebook's first code cell calls :func:`start`. It is safe to run that cell again:
the mock is started once per kernel and the same :class:`Sandbox` is returned.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from moto.core.models import MockAWS

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"  # moto's default account

# Every variable botocore reads to find real credentials or a real endpoint.
_UNSET = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_ENDPOINT_URL",
    "AWS_SECURITY_TOKEN",
)

_FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "course-sandbox-not-a-real-secret",
    "AWS_SESSION_TOKEN": "course-sandbox-session",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
}

MOTO_CONFIG = {
    "lambda": {"use_docker": False},
    "stepfunctions": {"execute_state_machine": True},
    # moto replaces the whole "core" section, so every key is restated.
    "core": {
        "mock_credentials": False,
        "passthrough": {"urls": [], "services": []},
        "reset_boto3_session": True,
        "service_whitelist": None,
    },
}

_active: Sandbox | None = None


def isolate_environment() -> None:
    """Point every credential source botocore knows at nothing, and set fake keys."""
    for name in _UNSET:
        os.environ.pop(name, None)
    for name in list(os.environ):
        if name.startswith("AWS_ENDPOINT_URL_"):
            del os.environ[name]
    os.environ.update(_FAKE_ENV)


class Sandbox:
    """A running mock AWS account. Create it with :func:`start`, not directly."""

    region = REGION
    account_id = ACCOUNT_ID

    def __init__(self, mock: MockAWS) -> None:
        self._mock = mock

    def client(self, service: str, **kwargs: Any):
        """A boto3 client for ``service`` that can only reach the mock."""
        import boto3
        from botocore.config import Config

        kwargs.setdefault("region_name", self.region)
        kwargs.setdefault("config", Config(account_id_endpoint_mode="disabled"))
        return boto3.client(service, **kwargs)

    def resource(self, service: str, **kwargs: Any):
        """A boto3 resource (S3, DynamoDB, ...) that can only reach the mock."""
        import boto3

        kwargs.setdefault("region_name", self.region)
        return boto3.resource(service, **kwargs)

    def reset(self) -> None:
        """Delete everything created in the mock account, as in a new account."""
        self._mock.reset()
        from course import extensions

        extensions.reset_all()

    @contextmanager
    def iam_enforced(self) -> Iterator[None]:
        """Inside this block moto checks every request against IAM policies.

        Clients made with keys from ``iam.create_access_key`` act as that user; a
        denied request fails with AccessDenied (S3) or a 403 error (other services).
        """
        from moto.core import enable_iam_authentication

        with enable_iam_authentication():
            yield

    def __repr__(self) -> str:
        return f"<course sandbox: mock AWS account {self.account_id} in {self.region}>"


def start() -> Sandbox:
    """Start the mock AWS account for this kernel, or return the one already running."""
    global _active
    isolate_environment()
    if _active is not None:
        return _active
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"(botocore|boto3|moto)\b")
    from moto import mock_aws

    from course import extensions, netguard

    mock = mock_aws(config=MOTO_CONFIG)
    mock.start()
    netguard.install()
    extensions.activate_all()
    _active = Sandbox(mock)
    return _active


def stop() -> None:
    """Stop the mock and drop its state (used by tests; notebooks never need it)."""
    global _active
    if _active is None:
        return
    from course import netguard

    _active._mock.stop()
    netguard.uninstall()
    _active = None


def active() -> Sandbox | None:
    """The running sandbox, if :func:`start` has been called in this process."""
    return _active
