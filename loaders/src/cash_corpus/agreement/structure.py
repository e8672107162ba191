"""Corpus tokens by document id, without loading structure.jsonl into memory.

One scan records the byte offset of each document's line; afterwards each document's tokens
are one seek and one JSON parse away, whatever order the structure file is in.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from ..errors import CashError, Location
from ..paths import open_regular

# canonical lines start with the document id (jsonl.dumps_line keeps key order); others are parsed
_ID_AT_START = re.compile(rb'^\{\s*"document_id"\s*:\s*"([^"\\]+)"')


class StructureIndex:
    """document id -> (tokens as an (n, 2) int64 array, text sha256) from corpus/structure.jsonl."""

    def __init__(self, path: Path):
        self.path = path
        self.offsets: dict[str, int] = {}
        if not path.is_file():
            return
        with open_regular(path) as handle:
            offset = 0
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    self.offsets[self._line_id(line, number)] = offset
                offset += len(line)

    def _line_id(self, line: bytes, number: int) -> str:
        found = _ID_AT_START.match(line)
        if found:
            return found.group(1).decode("utf-8")
        try:
            return json.loads(line)["document_id"]
        except (ValueError, KeyError, TypeError) as exc:
            raise CashError(f"structure record without a readable document_id: {exc}",
                            Location(file=str(self.path), line=number)) from exc

    def tokens(self, doc_id: str) -> tuple[np.ndarray, str | None]:
        """Tokens and text sha256 of `doc_id`; (empty, None) when the document has no structure record."""
        offset = self.offsets.get(doc_id)
        if offset is None:
            return np.zeros((0, 2), dtype=np.int64), None
        with open_regular(self.path) as handle:
            handle.seek(offset)
            record = json.loads(handle.readline())
        tokens = np.asarray(record["tokens"], dtype=np.int64).reshape(-1, 2)
        if len(tokens) > 1 and not (np.all(tokens[1:, 0] >= tokens[:-1, 1]) and np.all(tokens[:, 0] < tokens[:, 1])):
            raise CashError("tokens are not sorted, non-empty and non-overlapping",
                            Location(file=str(self.path), document_id=doc_id))
        return tokens, record["text_sha256"]
