"""JSON Lines and JSON files: streaming reads with line numbers, atomic writes.

Writes go to a temporary file in the same folder and are renamed into place, so a crash or an
error never leaves a half-written file behind.
"""

from __future__ import annotations

import json
import os
import tempfile

import orjson
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, IO

from .errors import CashError, Location


def loads_line(raw: bytes) -> Any:
    """One JSON value from a line's bytes, exactly as `json.loads` reads it: orjson for the common
    clean line (several times faster), `json` for anything orjson refuses (NaN, integers beyond 64
    bits, lone surrogates…), so what is accepted and every error stay those of the json module."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(raw)


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-blank line; a malformed line raises with its location."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                value = _loads_text(line)
            except json.JSONDecodeError as exc:
                raise CashError(f"malformed JSON: {exc.msg} at column {exc.colno}",
                                Location(file=str(path), line=number)) from exc
            if not isinstance(value, dict):
                raise CashError(f"expected a JSON object, got {type(value).__name__}",
                                Location(file=str(path), line=number))
            yield number, value


def _loads_text(line: str) -> Any:
    """`json.loads(line)`, through orjson when it accepts the line (see `loads_line`)."""
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        return json.loads(line)


def dumps_line(obj: Any) -> str:
    """One canonical JSON line: UTF-8 characters kept as they are, stable key order."""
    return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))


@contextmanager
def atomic_writer(path: Path, mode: str = "w") -> Iterator[IO]:
    """Open a temporary sibling of `path`; rename it over `path` only if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        encoding = None if "b" in mode else "utf-8"
        newline = None if "b" in mode else "\n"
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise


def write_jsonl(path: Path, rows: Iterable[Any]) -> int:
    """Atomically write rows as JSON Lines; returns the number of rows."""
    count = 0
    with atomic_writer(path) as handle:
        for row in rows:
            handle.write(dumps_line(row) + "\n")
            count += 1
    return count


def write_json(path: Path, obj: Any) -> None:
    with atomic_writer(path) as handle:
        handle.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def write_bytes(path: Path, data: bytes) -> None:
    with atomic_writer(path, "wb") as handle:
        handle.write(data)


def read_json(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except json.JSONDecodeError as exc:
        raise CashError(f"malformed JSON: {exc.msg} at column {exc.colno}",
                        Location(file=str(path), line=exc.lineno)) from exc
