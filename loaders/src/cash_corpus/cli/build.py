"""`cash build`: Parquet + dataset card YAML + croissant.json for Hugging Face `datasets`."""

from __future__ import annotations

import argparse

from .cluster import add_cluster_options, cluster_client, wants_cluster


def register(subparsers) -> None:
    build = subparsers.add_parser(
        "build", help="build data/ Parquet, the README card YAML and croissant.json for `datasets`",
        description="Derive data/<config>/test-*.parquet from corpus/ and annotations/ (deterministic: a rebuild "
        "is byte-identical), rewrite the YAML front matter of README.md (human text kept) and croissant.json. "
        "Configs: documents (default), claims, cues, attributions, sentences from the gold layer; <kind>-<layer> "
        "for every other layer. With --check, write nothing and exit 1 naming every stale file.")
    build.add_argument("--check", action="store_true", help="compare with a fresh build instead of writing")
    build.add_argument("--shard-size", type=int, default=None, metavar="N",
                       help="documents per Parquet shard (default: as recorded in the card, else 10000)")
    add_cluster_options(build)
    build.set_defaults(handler=run_build)


def run_build(args: argparse.Namespace) -> int:
    # imported here, not at the top: `cash --help` and `cash validate` should not pay for datasets/pyarrow
    from ..errors import UsageError
    from ..hf.publish import stale_files, write_build
    from . import resolve_root
    root = resolve_root(args)
    if args.check:
        if wants_cluster(args):
            raise UsageError("--check runs in one process; drop --scheduler/--workers")
        problems = stale_files(root, args.shard_size)
        for line in problems:
            print(f"cash build: stale: {line}")
        if problems:
            print("cash build: the committed build is stale; run `cash build` and commit data/, README.md, croissant.json")
            return 1
        print("cash build: up to date")
        return 0
    if wants_cluster(args):
        from ..distributed import build_on_cluster
        with cluster_client(args) as client:
            outcome = build_on_cluster(root, args.shard_size, client)
    else:
        outcome = write_build(root, args.shard_size)
    plan = outcome.plan
    for summary in plan.configs:
        print(f"{summary.name}: {summary.num_rows} rows in {len(summary.files)} file(s)")
    print(f"build fingerprint sha256:{plan.fingerprint} (Parquet only; keys the datasets cache); "
          f"{len(outcome.written)} file(s) written, {len(outcome.removed)} removed")
    print(release_line(outcome.release))
    return 0


def release_line(release) -> str:
    """The release fingerprint beside the build fingerprint, and whether it is published."""
    if release.published:
        return (f"release fingerprint sha256:{release.fingerprint} (version {release.version}, published "
                f"{release.date or '(date not recorded)'}: cite this one)")
    return (f"release fingerprint sha256:{release.fingerprint} (version {release.version}, NOT published: these files "
            f"differ from every release in corpus/releases.json; next: `cash validate`, then `cash release X.Y.Z`)")
