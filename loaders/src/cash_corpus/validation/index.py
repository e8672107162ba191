"""What layer checks need to know about the corpus: each document's sha256, and its text on demand."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..corpus import Corpus, decode_text
from ..errors import CashError
from ..paths import is_valid_document_id, read_regular_bytes
from .reading import iter_lines
from .textcache import TextCache


@dataclass
class CorpusIndex:
    """document id -> sha256 from documents.jsonl, plus the corpus version; texts are read one at a time."""

    corpus: Corpus
    sha256: dict[str, str] = field(default_factory=dict)
    version: str | None = None
    texts: TextCache | None = None  # texts the corpus checks already read (validate_root)

    @classmethod
    def build(cls, corpus: Corpus) -> "CorpusIndex":
        """Read documents.jsonl leniently (bad lines are the corpus checks' business, not this index's)."""
        index = cls(corpus)
        path = corpus.paths.documents
        if path.is_file():
            for _, record in iter_lines(path, str(path)):
                if isinstance(record, dict) and is_valid_document_id(record.get("id")) \
                        and isinstance(record.get("sha256"), str):
                    index.sha256.setdefault(record["id"], record["sha256"])
        try:
            info = corpus.info()
            index.version = info.get("version") if isinstance(info, dict) else None
        except (OSError, CashError):  # a broken corpus.json is reported by the corpus checks
            index.version = None
        return index

    def text(self, doc_id: str) -> str | None:
        """The raw text, or None if its file is missing or not UTF-8 (reported by the caller)."""
        # Callers pass only ids that passed the document_id pattern (no '/', no '..'), so the
        # plain join is safe and avoids a resolve() per document.
        if not is_valid_document_id(doc_id):
            return None
        if self.texts is not None and (kept := self.texts.get(doc_id)) is not None:
            return kept
        path: Path = self.corpus.paths.texts_dir / f"{doc_id}.txt"
        try:  # a symlink, FIFO or device is refused, never read (reported by the corpus checks)
            return decode_text(read_regular_bytes(path), str(path))
        except (OSError, CashError):  # missing, unsafe or not UTF-8: reported by the corpus checks
            return None
