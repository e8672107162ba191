"""The `cash` command line: a thin shell over library functions.

Each command group lives in its own module with a `register(subparsers)` function; commands
parse arguments, call the library, print, and return an exit code (0 ok, 1 findings or refused
input, 2 usage or I/O error).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import CashError
from ..paths import find_root
from . import agreement, build, corpus, labelstudio, generate, release, report, synth, validate, view
from . import baselines, export, score

COMMAND_MODULES = (report, corpus, validate, generate, build, agreement, labelstudio, synth, release, view,
                   score, export, baselines)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cash", description="CASH corpus tools: add documents, validate, build for `datasets`, "
        "Label Studio round trips, agreement.")
    parser.add_argument("--root", type=Path, default=None,
                        help="corpus root (default: $CASH_ROOT, else the nearest folder upward with corpus/corpus.json)")
    parser.add_argument("--verbose", action="store_true", help="say which corpus root and schema file are in use")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def resolve_root(args: argparse.Namespace) -> Path:
    """The corpus root of this command; a write an earlier command left half-done is completed first."""
    from ..schema import use_corpus_schema
    from ..transaction import recover_if_pending
    root = args.root.resolve() if args.root else find_root()
    recover_if_pending(root)
    use_corpus_schema(root)
    if getattr(args, "verbose", False):
        print(f"cash: corpus root {root}; schema {use_corpus_schema(root)}", file=sys.stderr)
    return root


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except CashError as exc:
        print(f"cash {args.command}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"cash {args.command}: interrupted; a change not yet decided was dropped, a decided one is "
              "completed by the next cash command", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"cash {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
