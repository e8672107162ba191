"""`cash schema`: regenerate (or check) every artefact derived from the schema."""

from __future__ import annotations

import argparse

from ..generated import check_artifacts, write_artifacts


def register(subparsers) -> None:
    schema = subparsers.add_parser(
        "schema", help="regenerate the artefacts derived from the schema (guideline tables, LS config, features)",
        description="Write the guideline reference tables, the Label Studio labeling config and the datasets "
        "features generated from schema/cash.schema.json; with --check, fail if any committed copy differs.")
    schema.add_argument("--check", action="store_true", help="compare with the committed files instead of writing")
    schema.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.check:
        stale = check_artifacts()
        for path in stale:
            print(f"{path}: out of date with schema/cash.schema.json (run `cash schema`)")
        if stale:
            return 1
        print("schema artefacts: up to date")
        return 0
    for path in write_artifacts():
        print(f"wrote {path}")
    return 0
