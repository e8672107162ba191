"""Exports researchers use, one module per format with a reader beside each writer.

- `conll`: token per line, BIO columns (claims, cues, attribution roles, and the inner columns),
  `-DOCSTART-` and blank lines between sentences; read back to tokens and tags.
- `brat`: brat standoff — raw `.txt` byte-exact, `.ann` with text-bound annotations, attributes,
  relations and notes, and an `annotation.conf` generated from the schema; read back to CASH
  annotation records (`cash import --format brat`).
- `spacy_docbin`: a spaCy `DocBin` with a span group per layer and the records in `user_data`;
  read back with spaCy itself.

`FORMATS` maps a format name to its writer (`write(root, layer, out_dir) -> list[Path]`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..corpus import Corpus
from ..errors import CashError, Location, UsageError
from ..layers import iter_documents
from ..paths import CorpusPaths
from ..records import DocumentAnnotations, Structure


@dataclass(frozen=True)
class ExportDocument:
    """One annotated document as every writer sees it."""

    text: str
    raw: bytes
    structure: Structure
    annotations: DocumentAnnotations

    @property
    def document_id(self) -> str:
        return self.annotations.document_id


def layer_documents(root: Path, layer: str) -> Iterator[ExportDocument]:
    """The documents a layer annotates, with their raw text and structure (layer order = id order)."""
    paths = CorpusPaths(Path(root))
    path = paths.layer_path(layer) if not Path(layer).is_file() else Path(layer)
    if not path.is_file():
        raise UsageError("no such layer", Location(file=str(path)), hint="give a layer name under annotations/")
    corpus = Corpus(paths)
    structures = {s.document_id: s for s in corpus.structures()}
    for annotations in iter_documents(path):
        doc_id = annotations.document_id
        if doc_id not in structures:
            raise CashError("document has no structure record", Location(file=str(path), document_id=doc_id))
        raw = corpus.raw_bytes(doc_id)
        structure = structures[doc_id]
        if structure.text_sha256 != annotations.text_sha256:
            raise CashError("the layer annotates another version of the text", Location(file=str(path), document_id=doc_id))
        yield ExportDocument(corpus.text(doc_id), raw, structure, annotations)


def _writers() -> dict[str, Callable[[Path, str, Path], list[Path]]]:
    from . import brat, conll, spacy_docbin
    return {"conll": conll.write, "brat": brat.write, "spacy": spacy_docbin.write}


FORMAT_NAMES = ("conll", "brat", "spacy")


def export_layer(root: Path, layer: str, fmt: str, out_dir: Path) -> list[Path]:
    """Write layer `layer` of the corpus at `root` in format `fmt` under `out_dir`; return the files."""
    writers = _writers()
    if fmt not in writers:
        raise UsageError(f"unknown format {fmt!r}; expected one of {FORMAT_NAMES}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return writers[fmt](Path(root), layer, out_dir)
