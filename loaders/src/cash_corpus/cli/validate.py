"""`cash validate [PATH…] [--json]`: schema conformance and cross-field invariants, as located findings."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..validation import errors, format_finding, validate_paths, validate_root
from ..validation.findings import WARNING
from .cluster import add_cluster_options, cluster_client, wants_cluster


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "validate", help="validate the corpus, the schema and annotation layers",
        description="Check corpus/, schema/ and annotation layers against schema/cash.schema.json and every "
        "cross-field invariant (offsets, span text, ids, references, text versions, zones…). "
        "Prints one finding per line. Exit 0: no errors; 1: errors found; 2: usage or I/O error. "
        "Codes are listed in docs/VALIDATION.md.")
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="a layer file, an annotations folder or a corpus root (default: the whole corpus root)")
    parser.add_argument("--json", action="store_true", help="print a JSON object with every finding instead")
    parser.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    add_cluster_options(parser)
    parser.set_defaults(handler=run_validate)


def run_validate(args: argparse.Namespace) -> int:
    from . import resolve_root
    if args.paths and wants_cluster(args):
        from ..errors import UsageError
        raise UsageError("--scheduler/--workers validate a whole corpus root; drop the PATH arguments")
    if wants_cluster(args):
        from ..distributed import validate_on_cluster
        with cluster_client(args) as client:
            findings = validate_on_cluster(resolve_root(args), client)
    elif args.paths:
        root = args.root.resolve() if args.root else _optional_root()
        findings = validate_paths(args.paths, root)
    else:
        findings = validate_root(resolve_root(args))
    n_errors = len(errors(findings))
    n_warnings = sum(1 for f in findings if f.severity == WARNING)
    if args.json:
        json.dump({"findings": [f.to_dict() for f in findings], "errors": n_errors, "warnings": n_warnings},
                  sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for item in findings:
            print(format_finding(item))
        print(f"cash validate: {n_errors} error(s), {n_warnings} warning(s)", file=sys.stderr)
    return 1 if n_errors or (args.strict and n_warnings) else 0


def _optional_root() -> Path | None:
    """The surrounding corpus root if there is one (needed only for loose layer files)."""
    from ..errors import UsageError
    from ..paths import find_root
    try:
        return find_root()
    except UsageError:
        return None
