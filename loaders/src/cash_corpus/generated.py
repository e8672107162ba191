"""Every file derived from the schema, in one registry, so `cash schema --check` covers them all.

Each artefact is (path relative to the source root, function returning its full content from
the current file content). Adding an artefact here puts it under the staleness test.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .guidelines import render_tables, replace_block
from .jsonl import atomic_writer
from .paths import SOURCE_ROOT


def _guidelines(current: str) -> str:
    return replace_block(current, render_tables())


def artifacts() -> dict[str, Callable[[str], str]]:
    """path → render(current_text) for every generated artefact."""
    found: dict[str, Callable[[str], str]] = {"schema/GUIDELINES.md": _guidelines}
    return found


def _render(relative: str, render: Callable[[str], str]) -> tuple[Path, str, str]:
    path = SOURCE_ROOT / relative
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    return path, current, render(current)


def check_artifacts() -> list[Path]:
    """Paths whose committed content differs from what the schema generates."""
    return [path for path, current, wanted in (_render(r, f) for r, f in artifacts().items()) if current != wanted]


def write_artifacts() -> list[Path]:
    written = []
    for relative, render in artifacts().items():
        path, current, wanted = _render(relative, render)
        if current != wanted:
            with atomic_writer(path) as handle:
                handle.write(wanted)
            written.append(path)
    return written
