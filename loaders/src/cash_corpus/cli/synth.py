"""`cash synth --docs N --seed S --out DIR [--ls-export FILE]`: a synthetic corpus for benchmarks and scale tests."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "synth", help="generate a valid synthetic corpus (and its Label Studio export) for benchmarks",
        description="Write a new CASH corpus root at --out with N synthetic documents and a gold layer of "
        "about ten annotations per document (attributions, some nested, claims, hedge and booster cues, "
        "non-BMP characters). Deterministic given --seed. With --ls-export, also write the same annotations "
        "as a Label Studio JSON export (one completed annotation per task). Refuses to overwrite anything.")
    parser.add_argument("--docs", type=int, required=True, metavar="N", help="number of documents")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="new or empty folder for the corpus root")
    parser.add_argument("--ls-export", type=Path, metavar="FILE", help="also write a Label Studio JSON export here")
    parser.set_defaults(handler=run_synth)


def run_synth(args: argparse.Namespace) -> int:
    # imported here, not at the top: `cash --help` and `cash validate` should not pay for datasets/pyarrow
    from ..synth import write_synth
    summary = write_synth(args.out, args.docs, args.seed, args.ls_export)
    print(f"cash synth: {summary.documents} documents, {summary.claims} claims, {summary.cues} cues, "
          f"{summary.attributions} attributions in {summary.root}"
          + (f"; Label Studio export {summary.ls_export}" if summary.ls_export else ""))
    return 0
