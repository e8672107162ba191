"""`cash predict --model lexicon|crf --out LAYER` (pre-annotation) and `cash baselines` (leave-one-document-out)."""

from __future__ import annotations

import argparse
import json

MODELS = ("lexicon", "crf")
BLOCK_FILES = ("DATASHEET.md", "README.md")


def register(subparsers) -> None:
    predict = subparsers.add_parser(
        "predict", help="pre-annotate documents with a baseline model and add the result as a new layer",
        description="Predict claims, cues and attributions with the guideline lexicon or a CRF trained on a layer "
        "(needs the [train] extra), assemble them into valid records (rules in cash_corpus.baselines.assemble) and "
        "write annotations/LAYER.jsonl with provenance (model, package version, training layer). The layer is "
        "validated first and never overwrites an existing one; push it to Label Studio with `cash ls`.")
    predict.add_argument("--model", required=True, choices=MODELS)
    predict.add_argument("--out", required=True, metavar="LAYER", help="name of the new layer")
    predict.add_argument("--train-layer", default="gold", help="layer the CRF is trained on (default: gold)")
    predict.add_argument("--document", action="append", default=None, metavar="ID",
                         help="predict only this document (repeatable); default: every corpus document")
    predict.set_defaults(handler=run_predict)

    baselines = subparsers.add_parser(
        "baselines", help="score the baselines leave-one-document-out with cash score",
        description="For each document of LAYER, train on the others, predict it and score it against LAYER; print "
        "the micro-averaged table, or the JSON reports; --write puts the table into the generated block of "
        "DATASHEET.md and README.md.")
    baselines.add_argument("--layer", default="gold")
    baselines.add_argument("--json", action="store_true")
    baselines.add_argument("--write", action="store_true", help="update the baselines block of DATASHEET.md and README.md")
    baselines.set_defaults(handler=run_baselines)


def run_predict(args: argparse.Namespace) -> int:
    from ..baselines import make_model, predicted_layer
    from ..new_layer import store_layer
    from . import resolve_root
    root = resolve_root(args)
    model = make_model(root, args.model, args.train_layer)
    header, documents = predicted_layer(model, root, args.out, args.document)
    path = store_layer(root, header, documents, command="predict")
    counts = [sum(len(getattr(d, kind)) for d in documents) for kind in ("claims", "cues", "attributions")]
    print(f"{path}: {len(documents)} document(s), {counts[0]} claims, {counts[1]} cues, {counts[2]} attributions")
    return 0


def run_baselines(args: argparse.Namespace) -> int:
    from ..baselines import BLOCK, baselines_table, leave_one_document_out
    from ..generated import replace_marked
    from . import resolve_root
    root = resolve_root(args)
    results = leave_one_document_out(root, args.layer)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    table = baselines_table(results)
    if args.write:
        from ..transaction import corpus_transaction
        with corpus_transaction(root, "baselines --write") as txn:
            for name in BLOCK_FILES:
                path = root / name
                current = path.read_text(encoding="utf-8")
                wanted = replace_marked(current, BLOCK, table)
                if wanted != current:
                    txn.write_text(name, wanted)
                    print(f"wrote {path}")
        return 0
    print(table)
    return 0
