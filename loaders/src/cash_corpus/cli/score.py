"""`cash score GOLD PRED [--json]`: the official scorer (a prediction layer against a gold layer)."""

from __future__ import annotations

import argparse
import json


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "score", help="score a prediction layer against a gold layer (the official CASH scorer)",
        description="P/R/F1 (exact and overlap) for claims, cues and attribution roles, overall and per label; "
        "accuracy and macro-F1 of claim type and certainty on matched claims; F1 per stance target. Gold is the "
        "reference; the span matching is that of `cash agreement`. Definitions are in the --json output.")
    parser.add_argument("gold", metavar="GOLD", help="gold layer name (annotations/GOLD.jsonl) or layer file path")
    parser.add_argument("prediction", metavar="PRED", help="prediction layer name or layer file path")
    parser.add_argument("--document", action="append", default=None, metavar="ID",
                        help="score only this document (repeatable); default: every document of GOLD")
    parser.add_argument("--per-document", action="store_true", help="also report each document on its own")
    parser.add_argument("--json", action="store_true", help="print the report as JSON (format cash-score/1)")
    parser.set_defaults(handler=run_score)


def run_score(args: argparse.Namespace) -> int:
    from ..corpus import Corpus
    from ..paths import CorpusPaths
    from ..score import format_score, score_layers
    from . import resolve_root
    from .agreement import resolve_layer
    paths = Corpus(CorpusPaths(resolve_root(args))).paths
    report = score_layers(resolve_layer(paths, args.gold), resolve_layer(paths, args.prediction), args.document)
    data = report.to_dict(per_document=args.per_document)
    if args.json:
        print(json.dumps({"root": str(paths.root), **data}, ensure_ascii=False, indent=2))
    else:
        print(format_score(data), end="")
        for doc_id, scores in data.get("per_document", {}).items():
            print(f"\n== {doc_id}")
            print(format_score({**scores, "gold": data["gold"], "prediction": data["prediction"],
                                "documents": [doc_id]}), end="")
    return 0
