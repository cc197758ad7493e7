"""Refuse every request that would leave the machine while the sandbox runs.

moto answers the requests it knows; anything else would go to the real endpoint
(for example an API moto does not implement). Two layers stop that: botocore's
HTTP sender, which gives a message naming the service, and socket connections to
any address other than loopback.
"""

from __future__ import annotations

import ipaddress
import socket

_state: dict[str, object] = {}


class NetworkBlocked(ConnectionRefusedError):
    """A request tried to leave the course sandbox."""


def _is_loopback(address: object) -> bool:
    if isinstance(address, tuple) and address:
        host = address[0]
    else:
        return True  # AF_UNIX paths and the like stay on the machine
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: resolving it would already leave the machine


def _guarded_connect(original):
    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
            raise NetworkBlocked(
                f"The course sandbox blocked a network connection to {address!r}. "
                "Everything in this course runs offline against simulated AWS; "
                "use clients from sandbox.start() (aws.client('s3'), ...)."
            )
        return original(self, address)

    return connect


def _guarded_send(self, request):
    from urllib.parse import urlsplit

    host = urlsplit(request.url).hostname or request.url
    raise NetworkBlocked(
        f"The course sandbox does not simulate this request ({request.method} {host}), "
        "so it was stopped before leaving the machine. This API is not available "
        "offline: check the service and operation name, or see the notebook's note "
        "on what the simulator covers."
    )


def install() -> None:
    """Install both guards (idempotent)."""
    if _state:
        return
    from botocore.httpsession import URLLib3Session

    _state["send"] = URLLib3Session.send
    _state["connect"] = socket.socket.connect
    _state["connect_ex"] = socket.socket.connect_ex
    URLLib3Session.send = _guarded_send
    socket.socket.connect = _guarded_connect(_state["connect"])
    socket.socket.connect_ex = _guarded_connect(_state["connect_ex"])


def uninstall() -> None:
    """Remove the guards (tests only)."""
    if not _state:
        return
    from botocore.httpsession import URLLib3Session

    URLLib3Session.send = _state.pop("send")
    socket.socket.connect = _state.pop("connect")
    socket.socket.connect_ex = _state.pop("connect_ex")
