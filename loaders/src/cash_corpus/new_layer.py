"""Adding a whole new annotation layer to a corpus (brat import, `cash predict`).

One transaction (`cash_corpus.transaction`): the corpus lock is taken, the layer is staged, the
corpus is validated as it will be (every check of `cash validate`), and only then is the file
renamed into place; errors refuse it with the findings and nothing is written. An existing layer
is never replaced.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .errors import CashError, Location
from .layers import layer_rows
from .paths import is_valid_layer_name
from .records import DocumentAnnotations, LayerHeader
from .transaction import corpus_transaction


def store_layer(root: Path, header: LayerHeader, documents: Iterable[DocumentAnnotations],
                command: str = "add layer") -> Path:
    """Write `annotations/<layer>.jsonl` in one validated transaction if it does not exist yet; return its path."""
    if not is_valid_layer_name(header.layer):
        raise CashError(f"invalid layer name {header.layer!r}", hint="lowercase letters, digits and hyphens")
    documents = sorted(documents, key=lambda d: d.document_id)
    with corpus_transaction(root, command) as txn:
        target = txn.paths.layer_path(header.layer)
        if target.exists():
            raise CashError("layer file exists; refusing to overwrite annotations", Location(file=str(target)),
                            hint="choose another layer name")
        txn.write_jsonl(f"annotations/{header.layer}.jsonl", layer_rows(header, documents, presorted=True))
    return target
