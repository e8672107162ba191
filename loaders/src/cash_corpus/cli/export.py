"""`cash export --format conll|brat|spacy --layer L --out DIR` and `cash import --format brat DIR --layer NAME`."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

FORMATS = ("conll", "brat", "spacy")


def register(subparsers) -> None:
    export = subparsers.add_parser(
        "export", help="export an annotation layer as CoNLL, brat standoff or a spaCy DocBin",
        description="Write layer L in a format other tools read: conll (token per line, BIO columns), brat "
        "(raw .txt byte-exact, .ann, annotation.conf from the schema), spacy (DocBin with span groups). "
        "What each format cannot hold is listed in docs/TRAINING.md.")
    export.add_argument("--format", required=True, choices=FORMATS)
    export.add_argument("--layer", default="gold", help="layer name under annotations/ (default: gold)")
    export.add_argument("--out", required=True, type=Path, metavar="DIR", help="output folder (created)")
    export.set_defaults(handler=run_export)

    imported = subparsers.add_parser(
        "import", help="import annotations from brat standoff as a new layer (validated, never overwrites)",
        description="Read <doc>.ann/<doc>.txt pairs (the .txt must be byte-identical to the corpus text of the "
        "document with that id) and add them as annotations/NAME.jsonl after validating the whole layer.")
    imported.add_argument("folder", type=Path, metavar="DIR")
    imported.add_argument("--format", required=True, choices=("brat",))
    imported.add_argument("--layer", required=True, metavar="NAME", help="name of the new layer")
    imported.add_argument("--annotator", default="unknown", help="who made the annotations (provenance)")
    imported.add_argument("--guideline-version", default=None, help="guideline version followed (default: schema version)")
    imported.set_defaults(handler=run_import)


def run_export(args: argparse.Namespace) -> int:
    from ..export import export_layer
    from . import resolve_root
    for path in export_layer(resolve_root(args), args.layer, args.format, args.out):
        print(path)
    return 0


def run_import(args: argparse.Namespace) -> int:
    from ..export.brat import read
    from ..new_layer import store_layer
    from ..records import LayerHeader, Provenance
    from ..corpus import Corpus
    from ..schema import schema_version
    from . import resolve_root
    root = resolve_root(args)
    documents = read(args.folder)
    header = LayerHeader(args.layer, schema_version(),
                         Provenance("imported", args.annotator, args.guideline_version or schema_version(),
                                    date.today().isoformat(), "brat standoff", f"imported from {args.folder.name}"),
                         Corpus.at(root).version)
    path = store_layer(root, header, documents, command="import")
    print(f"{path}: {len(documents)} document(s)")
    return 0
