"""Simulators the sandbox switches on next to moto (for APIs moto lacks).

Each entry is a module with ``activate()`` (idempotent) and ``reset()``.
"""

from __future__ import annotations

from importlib import import_module

EXTENSIONS: tuple[str, ...] = ("course.bedrock_sim", "course.request_checks", "course.paging")


def activate_all() -> None:
    for name in EXTENSIONS:
        import_module(name).activate()


def reset_all() -> None:
    for name in EXTENSIONS:
        import_module(name).reset()
