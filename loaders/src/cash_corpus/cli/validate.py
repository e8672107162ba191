"""`cash validate` commands (to be implemented)."""

from __future__ import annotations


def register(subparsers) -> None:
    pass
