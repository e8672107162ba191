"""Stream a Label Studio JSON export (a top-level array of tasks) one task at a time.

A 100k-task export need not fit in memory: the file is read in chunks and each array element
is decoded with `json.JSONDecoder.raw_decode` as soon as it is complete.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from ..errors import CashError, Location

CHUNK = 1 << 20
_NOT_WS = re.compile(r"[^ \t\r\n]")


class _Buffer:
    """A sliding window over a text file: `pos` moves forward; consumed text is dropped on refill."""

    def __init__(self, handle: TextIO, chunk_size: int):
        self.handle, self.chunk_size = handle, chunk_size
        self.text, self.pos, self.eof = "", 0, False

    def fill(self) -> bool:
        if self.eof:
            return False
        more = self.handle.read(self.chunk_size)
        self.eof = not more
        self.text = self.text[self.pos:] + more
        self.pos = 0
        return bool(more)

    def peek(self) -> str:
        """The next non-whitespace character ('' at the end of the file), without consuming it."""
        while True:
            match = _NOT_WS.search(self.text, self.pos)
            if match:
                self.pos = match.start()
                return self.text[self.pos]
            self.pos = len(self.text)
            if not self.fill():
                return ""


def iter_export_tasks(path: Path, chunk_size: int = CHUNK) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (position in the array, task object); malformed JSON raises naming the task number."""
    decoder = json.JSONDecoder()
    where = Location(file=str(path))
    with open(path, encoding="utf-8") as handle:
        buf = _Buffer(handle, chunk_size)
        if buf.peek() != "[":
            raise CashError("a Label Studio JSON export must be an array of tasks", where,
                            hint="export the project as JSON (not JSON_MIN or CSV)")
        buf.pos += 1
        if buf.peek() == "]":
            return
        number = 0
        while True:
            buf.peek()
            while True:
                try:
                    task, end = decoder.raw_decode(buf.text, buf.pos)
                    break
                except json.JSONDecodeError as exc:
                    if not buf.fill():
                        raise CashError(f"malformed JSON in task #{number}: {exc.msg}", where,
                                        hint="re-export the project from Label Studio") from exc
            if not isinstance(task, dict):
                raise CashError(f"task #{number} is a {type(task).__name__}, not an object", where)
            yield number, task
            number += 1
            buf.pos = end
            separator = buf.peek()
            buf.pos += 1 if separator else 0
            if separator == ",":
                continue
            if separator == "]":
                if buf.peek():
                    raise CashError("unexpected data after the task array", where)
                return
            raise CashError(f"malformed JSON after task #{number - 1}: expected ',' or ']'", where)
