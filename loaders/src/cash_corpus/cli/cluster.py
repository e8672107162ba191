"""`--scheduler tcp://HOST:PORT` / `--workers N`: where `cash build` and `cash validate` run their tasks."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import UsageError


def add_cluster_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                       help="run on this running dask.distributed cluster (needs cash-corpus[distributed]; "
                       "every worker must see the corpus root at the same path)")
    group.add_argument("--workers", type=int, metavar="N",
                       help="start a dask.distributed LocalCluster of N worker processes on 127.0.0.1 for this run")


def wants_cluster(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "scheduler", None) or getattr(args, "workers", None))


@contextmanager
def cluster_client(args: argparse.Namespace) -> Iterator[object]:
    """A dask.distributed Client for --scheduler or --workers; closed (and the LocalCluster stopped) after."""
    from ..distributed import connect, local_cluster
    if args.scheduler:
        if not args.scheduler.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
            raise UsageError(f"--scheduler expects an address like tcp://HOST:PORT, got {args.scheduler!r}")
        client, cluster = connect(args.scheduler), None
    else:
        cluster, client = local_cluster(args.workers)
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
