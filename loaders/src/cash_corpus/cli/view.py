"""`cash view [--layer L ...] --out DIR [--serve [--port P]]`: the HTML viewer and statistics plots."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "view", help="write a static HTML site of every layer and the statistics plots (optionally serve it)",
        description="Write an offline HTML site: an index of documents with counts, one page per document with "
        "every layer drawn over the raw text (claims, hedge/booster cues, attributions, document stance, "
        "zones and sentences; layers switchable or side by side with disagreements marked), and a statistics "
        "page with SVG plots. The site is written outside the corpus (staged, then renamed into place).")
    parser.add_argument("--layer", action="append", dest="layers", metavar="L",
                        help="layer to show (repeatable; default: every layer under annotations/)")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="folder for the site (outside the corpus; replaced if it holds an earlier site). "
                        "Required unless --serve, which then uses a temporary folder")
    parser.add_argument("--serve", action="store_true", help="after writing, serve the site on 127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, metavar="P", help="port for --serve (default 8000; 0 = any free port)")
    parser.add_argument("--no-plots", action="store_true", help="skip the plots (statistics page without figures)")
    parser.set_defaults(handler=run_view)


def run_view(args: argparse.Namespace) -> int:
    from ..errors import UsageError
    try:
        from ..view import build_site, serve
    except ImportError as exc:
        raise UsageError(f"cash view needs the [view] extra ({exc.name} is not installed)",
                         hint='pip install "cash-corpus[view]"') from exc
    from . import resolve_root
    if args.out is None and not args.serve:
        raise UsageError("--out DIR is required (or --serve to write to a temporary folder and serve it)")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a TCP port")
    root = resolve_root(args)
    with tempfile.TemporaryDirectory(prefix="cash-view-") as scratch:
        out = args.out if args.out is not None else Path(scratch) / "site"
        summary = build_site(root, out, args.layers, plots=not args.no_plots)
        print(f"view: {summary.documents} document page(s), layers {', '.join(summary.layers) or 'none'}, "
              f"written to {summary.out}")
        print(f"view: open {summary.out / 'index.html'}")
        sys.stdout.flush()
        if args.serve:
            serve(summary.out, args.port, announce=lambda line: (print(f"view: {line}"), sys.stdout.flush()))
    return 0
