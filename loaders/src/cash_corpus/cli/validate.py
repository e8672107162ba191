"""`cash validate [PATH…] [--json] [--lint]`: schema conformance and cross-field invariants, as located findings.

`--lint` adds the consistency warnings of `validation/lint.py`; `cash lint [LAYER…]` is the same
run with `--lint` on, over the named layers (default: every layer of the corpus root).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import CashError
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
    parser.add_argument("--lint", action="store_true",
                        help="also run the consistency checks (warnings) on every layer without errors; "
                        "see docs/VALIDATION.md, section Lint")
    add_cluster_options(parser)
    parser.set_defaults(handler=run_validate)
    lint = subparsers.add_parser(
        "lint", help="consistency checks over annotation layers (cash validate --lint)",
        description="Same as `cash validate --lint` over the named layers: validation findings, then the "
        "lint warnings of each layer that has no errors (docs/VALIDATION.md, section Lint).")
    lint.add_argument("layers", nargs="*", metavar="LAYER",
                      help="a layer name (gold, pass-a…) of the corpus root or a layer file (default: every layer)")
    lint.add_argument("--json", action="store_true", help="print a JSON object with every finding instead")
    lint.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    lint.set_defaults(handler=run_lint, lint=True)


def run_lint(args: argparse.Namespace) -> int:
    from . import resolve_root
    from ..errors import Location, UsageError
    if not args.layers:
        args.paths = []
        return run_validate(args)
    paths: list[Path] = []
    for layer in args.layers:
        path = Path(layer)
        if not path.exists() and path.suffix != ".jsonl" and "/" not in layer:
            path = resolve_root(args) / "annotations" / f"{layer}.jsonl"
            if not path.is_file():
                raise UsageError("no such layer", Location(file=str(path)), hint="name a layer in annotations/")
        paths.append(path)
    args.paths = paths
    return run_validate(args)


def run_validate(args: argparse.Namespace) -> int:
    try:
        return _run_validate(args)
    except CashError as exc:
        if args.json:  # stdout stays one complete JSON document; main() prints the error on stderr
            sys.stdout.write(json.dumps({"findings": [], "errors": 0, "warnings": 0, "refused": {
                "message": exc.message, "file": exc.location.file, "hint": exc.hint, "exit": exc.exit_code}},
                ensure_ascii=True, indent=1) + "\n")
        raise


def _run_validate(args: argparse.Namespace) -> int:
    from . import resolve_root
    if args.paths and wants_cluster(args):
        from ..errors import UsageError
        raise UsageError("--scheduler/--workers validate a whole corpus root; drop the PATH arguments")
    if wants_cluster(args):
        from ..distributed import validate_on_cluster
        root = resolve_root(args)
        with cluster_client(args) as client:
            findings = validate_on_cluster(root, client)
    elif args.paths:
        root = args.root.resolve() if args.root else _optional_root()
        findings = validate_paths(args.paths, root)
    else:
        root = resolve_root(args)
        findings = validate_root(root)
    skipped: list[tuple[str, str]] = []
    n_lint = 0
    if args.lint:
        from ..validation.lint import layer_files, lint_files
        linted, skipped = lint_files(layer_files(args.paths, root), {f.file for f in errors(findings)})
        findings += linted
        n_lint = len(linted)
    n_errors = len(errors(findings))
    n_warnings = sum(1 for f in findings if f.severity == WARNING)
    if args.json:
        out = {"root": None if root is None else str(root), "findings": [f.to_dict() for f in findings],
               "errors": n_errors, "warnings": n_warnings}
        if args.lint:
            out["lint_warnings"] = n_lint
            out["lint_skipped"] = [{"file": name, "reason": why} for name, why in skipped]
        # Built as one string first, then written: the output is one complete JSON document or
        # nothing. ASCII only, so no input text (lone surrogates, C1 controls, bidi marks) reaches
        # the terminal raw.
        sys.stdout.write(json.dumps(out, ensure_ascii=True, indent=1) + "\n")
    else:
        for item in findings:
            print(format_finding(item))
        print(f"cash validate: {n_errors} error(s), {n_warnings} warning(s)", file=sys.stderr)
        if args.lint:
            print(f"cash validate --lint: {n_lint} of the warnings are lint warnings", file=sys.stderr)
            for name, why in skipped:
                print(f"cash validate --lint: {name} not linted: {why}", file=sys.stderr)
    return 1 if n_errors or (args.strict and n_warnings) else 0


def _optional_root() -> Path | None:
    """The surrounding corpus root if there is one (needed only for loose layer files)."""
    from ..errors import UsageError
    from ..paths import find_root
    try:
        return find_root()
    except UsageError:
        return None
