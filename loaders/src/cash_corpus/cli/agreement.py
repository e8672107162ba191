"""`cash agreement A B [--json]`: inter-annotator agreement between two annotation layers."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..corpus import Corpus
from ..errors import Location, UsageError
from ..paths import CorpusPaths, is_valid_layer_name


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "agreement", help="inter-annotator agreement between two annotation layers",
        description="Compare two annotation layers over the documents both annotate: span F1 (exact and "
        "overlap) per layer and label, Cohen's kappa on matched claims/cues/attributions (incl. claim stance "
        "per target), token-level Krippendorff's alpha per span layer, attribution-wise agreement and "
        "document-level stance. Definitions are printed with --json under 'definitions'.")
    parser.add_argument("layer_a", metavar="A", help="layer name (annotations/A.jsonl) or path to a layer file")
    parser.add_argument("layer_b", metavar="B", help="layer name or path, compared with A (A is the reference "
                        "for precision/recall; F1, kappa and alpha are symmetric)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON (format cash-agreement/1)")
    parser.set_defaults(handler=run_agreement)


def resolve_layer(paths: CorpusPaths, value: str) -> Path:
    """A layer name means annotations/<name>.jsonl; anything else is a path to a layer file."""
    path = paths.layer_path(value) if is_valid_layer_name(value) and not Path(value).is_file() else Path(value)
    if not path.is_file():
        raise UsageError("no such layer file", Location(file=str(path)),
                         hint="give a layer name under annotations/ or a path to a .jsonl layer")
    return path


def run_agreement(args: argparse.Namespace) -> int:
    from ..agreement import compare_layers, format_report
    from . import resolve_root
    corpus = Corpus(CorpusPaths(resolve_root(args)))
    report = compare_layers(resolve_layer(corpus.paths, args.layer_a), resolve_layer(corpus.paths, args.layer_b),
                            corpus).to_dict()
    if args.json:
        print(json.dumps({"root": str(corpus.paths.root), **report}, ensure_ascii=False, indent=2))
    else:
        print(format_report(report), end="")
    return 0
