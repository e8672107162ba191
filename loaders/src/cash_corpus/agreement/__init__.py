"""Inter-annotator agreement between two annotation layers (issue 4).

`compare_layers(a, b, corpus)` streams two layer files and returns an `AgreementReport`
(`to_dict()` is the JSON of `cash agreement --json`). The pieces are small pure functions:
`span_f1` / `match_exact` / `match_overlap` (spans), `cohen_kappa` (labels on matched items),
`token_categories` + `pair_counts` + `nominal_alpha` (token-level Krippendorff's alpha).
"""

from .alpha import Alpha, nominal_alpha, pair_counts, token_categories
from .compare import REPORT_FORMAT, AgreementReport, compare_layers, paired_documents
from .kappa import Kappa, cohen_kappa, kappa_from_confusion
from .spans import EXACT, OVERLAP, MatchCounts, match_exact, match_overlap, match_spans, span_f1
from .table import format_report, markdown_report

__all__ = [
    "Alpha", "AgreementReport", "EXACT", "Kappa", "MatchCounts", "OVERLAP", "REPORT_FORMAT", "cohen_kappa",
    "compare_layers", "format_report", "kappa_from_confusion", "markdown_report", "match_exact", "match_overlap", "match_spans",
    "nominal_alpha", "pair_counts", "paired_documents", "span_f1", "token_categories",
]
