"""Raw texts kept between the corpus checks and the layer checks of one `validate_root`, so each
text file is opened once, not twice.

Why: synthetic and real news texts are small (hundreds of bytes to a few KiB), so reading one costs
mostly the open/read/close (about 40 µs a file measured here, against ~1 µs for its bytes): the
second pass over a million files would cost as much as parsing every record. The corpus checks put
each text they have read, verified against its sha256 and decoded, here; the layer checks take it
from here instead of the disk. A budget in code points bounds the memory (texts beyond it are read
again, as before), so a million long documents still validate in bounded memory.
"""

from __future__ import annotations

DEFAULT_BUDGET = 32 * 2**20  # code points: at most 128 MiB of str (4 bytes a character at worst)


class TextCache:
    """document id -> decoded raw text, up to `budget` code points in all."""

    def __init__(self, budget: int = DEFAULT_BUDGET):
        self.budget = budget
        self.size = 0
        self.texts: dict[str, str] = {}

    def keep(self, doc_id: str, text: str) -> None:
        if doc_id not in self.texts and self.size + len(text) <= self.budget:
            self.texts[doc_id] = text
            self.size += len(text)

    def get(self, doc_id: str) -> str | None:
        return self.texts.get(doc_id)
