"""Agreement per annotator pair in a Label Studio project: what the open-source edition does not give.

The export is read and checked exactly like `cash ls import --annotators split` (same checks, same
refusals), but the per-annotator layers go to a temporary folder, not into the corpus: this only
measures. Each pair of annotators is compared with `cash_corpus.agreement.compare_layers` over
the documents both annotated (the project's overlap, `cash ls push --overlap N`).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from ..agreement import compare_layers
from ..corpus import Corpus
from ..errors import CashError
from ..layers import write_layer
from ..jsonl import gc_paused
from .importer import (SPLIT, ImportStats, _Spool, default_guideline_version, group_layers, layer_header,
                       read_export)

PREFIX = "ls"


@dataclass(frozen=True)
class PairAgreement:
    annotator_a: str
    annotator_b: str
    report: dict  # AgreementReport.to_dict()

    @property
    def documents(self) -> int:
        return self.report["documents"]["compared"]


def export_agreement(corpus: Corpus, export: Path, **read_options) -> tuple[ImportStats, list[PairAgreement]]:
    """Every pair of annotators who share at least one document, with its agreement report."""
    spool = _Spool()
    try:
        with gc_paused():
            stats, taken = read_export(corpus, export, spool, **read_options)
        layers = group_layers(taken, PREFIX, SPLIT, latest=True, stats=stats)
        pairs: list[PairAgreement] = []
        with tempfile.TemporaryDirectory(prefix="cash-ls-agreement-") as folder:
            paths = {}
            for name, items in sorted(layers.items()):
                paths[name] = Path(folder) / f"{name}.jsonl"
                header = layer_header(name, items, corpus, default_guideline_version(corpus.paths.root), "Label Studio")
                write_layer(paths[name], header, spool.documents(items), presorted=True)
            for a, b in combinations(sorted(paths), 2):
                shared = {i.document_id for i in layers[a]} & {i.document_id for i in layers[b]}
                if not shared:
                    continue
                report = compare_layers(paths[a], paths[b], corpus).to_dict()
                pairs.append(PairAgreement(a[len(PREFIX) + 1:], b[len(PREFIX) + 1:], report))
        if not pairs:
            raise CashError(f"no two annotators annotated the same document ({len(layers)} annotator(s))",
                            hint="push with --overlap 2 (or more) so that tasks are labelled by several annotators")
        return stats, pairs
    finally:
        spool.close()


def summary_rows(pairs: list[PairAgreement]) -> list[dict]:
    """One flat row per pair: documents, span F1 (exact / overlap) and token alpha per span layer."""
    rows = []
    for pair in pairs:
        row = {"a": pair.annotator_a, "b": pair.annotator_b, "documents": pair.documents}
        for layer, spans in pair.report["spans"].items():
            row[f"{layer} F1 exact"] = spans["exact"]["f1"]
            row[f"{layer} F1 overlap"] = spans["overlap"]["f1"]
        for layer, alpha in pair.report["alpha"].items():
            row[f"{layer} alpha"] = alpha["alpha"]
        rows.append(row)
    return rows
