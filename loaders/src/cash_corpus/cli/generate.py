"""`cash generate`: regenerate (or check) every artefact derived from the schema and the data."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    generate = subparsers.add_parser(
        "generate", help="regenerate derived artefacts (guideline tables, datasheet tables, LS config, features)",
        description="Write every artefact derived from schema/cash.schema.json and the data: guideline label tables, "
        "datasheet statistics and agreement, the Label Studio config and the datasets features; with --check, fail "
        "if any committed copy differs.")
    generate.add_argument("--check", action="store_true", help="compare with the committed files instead of writing")
    generate.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # imported here, not at the top: `cash --help` and `cash validate` should not pay for datasets/pyarrow
    from ..generated import check_artifacts, write_artifacts
    from . import resolve_root
    root = resolve_root(args)
    if args.check:
        stale = check_artifacts(root)
        for path in stale:
            print(f"{path}: out of date with the schema or the data (run `cash generate`)")
        if stale:
            return 1
        print("generated artefacts: up to date")
        return 0
    for path in write_artifacts(root):
        print(f"wrote {path}")
    return 0
