"""Where things live in a CASH checkout, and safe paths from ids.

A document id or layer name becomes a file name; `safe_child` makes sure it can never point
outside its folder, whatever the id says.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import Location, UsageError

DOCUMENT_ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LAYER_NAME_RE = re.compile(r"^[a-z0-9]+([_-][a-z0-9]+)*$")
MAX_ID_LENGTH = 64

# The checkout this package was installed from in editable mode (loaders/src/cash_corpus → the
# top): only `cash generate` uses it, to keep the packaged schema copy equal to schema/.
PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_ROOT = PACKAGE_DIR.parents[2]


def is_valid_document_id(doc_id: str) -> bool:
    return isinstance(doc_id, str) and len(doc_id) <= MAX_ID_LENGTH and bool(DOCUMENT_ID_RE.match(doc_id))


def is_valid_layer_name(name: str) -> bool:
    return isinstance(name, str) and len(name) <= MAX_ID_LENGTH and bool(LAYER_NAME_RE.match(name))


@lru_cache(maxsize=256)
def _resolved_folder(folder: Path) -> Path:
    return folder.resolve()


def safe_child(folder: Path, name: str, suffix: str) -> Path:
    """`folder/name+suffix`, refusing any name that could point outside `folder`.

    A plain file name (no separator, not '.' or '..', no NUL) cannot leave its folder, so no
    per-call `resolve()` is needed; the folder itself is resolved once (this runs per document).
    """
    filename = f"{name}{suffix}"
    if (not name or filename in (".", "..") or "/" in filename or "\\" in filename or "\x00" in filename
            or (os.altsep and os.altsep in filename)):
        raise UsageError(f"id {name!r} would escape {folder}", Location(file=str(folder)))
    base = _resolved_folder(folder) if folder.is_absolute() else folder.resolve()
    return base / filename


@dataclass(frozen=True)
class CorpusPaths:
    """The files of one CASH checkout (or of any corpus root laid out the same way)."""

    root: Path

    @property
    def corpus_dir(self) -> Path:
        return self.root / "corpus"

    @property
    def corpus_info(self) -> Path:
        return self.corpus_dir / "corpus.json"

    @property
    def documents(self) -> Path:
        return self.corpus_dir / "documents.jsonl"

    @property
    def structure(self) -> Path:
        return self.corpus_dir / "structure.jsonl"

    @property
    def texts_dir(self) -> Path:
        return self.corpus_dir / "texts"

    @property
    def annotations_dir(self) -> Path:
        return self.root / "annotations"

    @property
    def data_dir(self) -> Path:
        """Built Parquet files for Hugging Face `datasets`."""
        return self.root / "data"

    @property
    def manifest(self) -> Path:
        return self.corpus_dir / "manifest.json"

    @property
    def releases(self) -> Path:
        return self.corpus_dir / "releases.json"

    def text_path(self, doc_id: str) -> Path:
        if not is_valid_document_id(doc_id):
            raise UsageError(f"invalid document id {doc_id!r}", Location(document_id=str(doc_id)),
                             hint="lowercase letters, digits and single hyphens, at most 64 characters")
        return safe_child(self.texts_dir, doc_id, ".txt")

    def layer_path(self, layer: str) -> Path:
        if not is_valid_layer_name(layer):
            raise UsageError(f"invalid layer name {layer!r}",
                             hint="lowercase letters, digits, '-' and '_'")
        return safe_child(self.annotations_dir, layer, ".jsonl")


def find_root(start: Path | None = None) -> Path:
    """The corpus root: $CASH_ROOT, else the nearest folder upward holding corpus/corpus.json."""
    env = os.environ.get("CASH_ROOT")
    if env:
        root = Path(env).resolve()
        if not (root / "corpus" / "corpus.json").is_file():
            raise UsageError(f"CASH_ROOT={env} holds no corpus/corpus.json", hint="point CASH_ROOT at a CASH checkout")
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "corpus" / "corpus.json").is_file():
            return folder
    raise UsageError(f"no CASH corpus found at or above {here}",
                     hint="run inside a corpus root (a folder with corpus/corpus.json), or pass --root / set CASH_ROOT")
