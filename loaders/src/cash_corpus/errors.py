"""Errors that carry a location, so every message names file, document, annotation and offsets."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Location:
    """Where a problem is: any field may be unknown (None)."""

    file: str | None = None
    line: int | None = None
    document_id: str | None = None
    annotation_id: str | None = None
    start: int | None = None
    end: int | None = None

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file + (f":{self.line}" if self.line else ""))
        if self.document_id is not None:
            parts.append(f"doc={self.document_id}")
        if self.annotation_id is not None:
            parts.append(f"ann={self.annotation_id}")
        if self.start is not None or self.end is not None:
            parts.append(f"[{self.start}, {self.end})")
        return " ".join(parts)


class CashError(Exception):
    """A user-facing error: bad input, a refused operation. The CLI prints it and exits non-zero."""

    exit_code = 1

    def __init__(self, message: str, location: Location | None = None, hint: str | None = None):
        self.message = message
        self.location = location or Location()
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.location)
        text = f"{where}: {self.message}" if where else self.message
        return text + (f" (hint: {self.hint})" if self.hint else "")


class UsageError(CashError):
    """Wrong arguments, missing files: exit code 2."""

    exit_code = 2
