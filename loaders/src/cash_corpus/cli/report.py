"""`cash report`: the main job — build (or check), validate, load every config with `datasets`, summarise."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    report = subparsers.add_parser(
        "report", help="build, validate, load every config with `datasets` and print a summary",
        description="The main job: run `cash build` (or, with --check, fail if the committed build is stale), "
        "run the validator, load every config with the real datasets.load_dataset, compare features with the "
        "schema's, and print documents, characters, sentences, tokens, claims, cues, attributions per document "
        "and label counts. Exits non-zero on any failure.")
    report.add_argument("--check", action="store_true", help="do not rebuild; fail if the committed build is stale")
    report.add_argument("--cache-dir", default=None, help="datasets cache folder (default: the usual HF cache)")
    report.set_defaults(handler=run_report)


def run_report(args: argparse.Namespace) -> int:
    # imported here, not at the top: `cash --help` and `cash validate` should not pay for datasets/pyarrow
    from ..corpus import Corpus
    from ..hf.publish import check_build, release_stamp, write_build
    from ..hf.report import card_configs, load_config, run_validation, summary_text
    from . import resolve_root
    from .build import release_line
    root = resolve_root(args)
    if args.check:
        plan, problems = check_build(root)
        for line in problems:
            print(f"cash report: stale: {line}")
        if problems:
            print("cash report: the committed build is stale; next: `cash build`")
            return 1
        release = release_stamp(root, Corpus.at(root).version, plan.hashes)
        print(f"build: up to date, build fingerprint sha256:{plan.fingerprint}")
    else:
        outcome = write_build(root)
        plan, release = outcome.plan, outcome.release
        print(f"build: build fingerprint sha256:{plan.fingerprint}, {len(outcome.written)} file(s) written")
    print(f"build: {release_line(release)}")
    failed = False
    validation = run_validation(root)
    if validation is None:
        print("validate: skipped (cash_corpus.validation.validate_root is not available)")
    else:
        lines, error_count = validation
        for line in lines:
            print(f"validate: {line}")
        print(f"validate: {len(lines)} finding(s), {error_count} error(s)")
        failed = error_count > 0
    loaded = [load_config(root, entry, args.cache_dir) for entry in card_configs(root)]
    print()
    print(summary_text(loaded))
    return 1 if failed else 0
