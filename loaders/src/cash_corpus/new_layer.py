"""Adding a whole new annotation layer to a corpus (brat import, `cash predict`): validate, then write.

The layer is validated as it will be on disk (`validation.validate_layer_rows`, every check of
`cash validate`) before anything is written; errors refuse it with the findings, and an existing
layer is never replaced. `store_layer` is the one place that writes; it moves onto
`cash_corpus.transaction` (corpus lock, staged files) when that lands.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .corpus import Corpus
from .errors import CashError, Location
from .layers import layer_rows, write_layer
from .paths import CorpusPaths, is_valid_layer_name
from .records import DocumentAnnotations, LayerHeader


def check_layer(root: Path, header: LayerHeader, documents: list[DocumentAnnotations]) -> list:
    """The findings `cash validate` would report for this layer (errors and warnings)."""
    from .validation import validate_layer_rows
    paths = CorpusPaths(Path(root))
    rows = list(layer_rows(header, documents))
    return validate_layer_rows(rows, Corpus(paths), str(paths.layer_path(header.layer)))


def store_layer(root: Path, header: LayerHeader, documents: Iterable[DocumentAnnotations]) -> Path:
    """Write `annotations/<layer>.jsonl` if it is valid and does not exist yet; return its path."""
    from .validation import errors, format_finding
    if not is_valid_layer_name(header.layer):
        raise CashError(f"invalid layer name {header.layer!r}", hint="lowercase letters, digits and hyphens")
    paths = CorpusPaths(Path(root))
    target = paths.layer_path(header.layer)
    if target.exists():
        raise CashError("layer file exists; refusing to overwrite annotations", Location(file=str(target)),
                        hint="choose another layer name")
    documents = sorted(documents, key=lambda d: d.document_id)
    problems = errors(check_layer(root, header, documents))
    if problems:
        listing = "; ".join(format_finding(f) for f in problems[:5])
        raise CashError(f"the layer would be invalid ({len(problems)} error(s)): {listing}",
                        Location(file=str(target)), hint="nothing was written")
    write_layer(target, header, documents, presorted=True)
    return target
