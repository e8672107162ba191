"""`cash ls ...`: the Label Studio bridge (config, tasks, import, push, pull). Thin over `labelstudio`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..corpus import Corpus
from ..jsonl import atomic_writer
from ..labelstudio.importer import MERGE, SPLIT, ImportStats
from ..labelstudio.offsets import Counting


def register(subparsers) -> None:
    ls = subparsers.add_parser("ls", help="Label Studio: labeling config, tasks, import, push, pull",
                               description="Label Studio round trips. See docs/LABEL_STUDIO.md.")
    sub = ls.add_subparsers(dest="ls_command", required=True, metavar="SUBCOMMAND")

    config = sub.add_parser("config", help="print the labeling config XML generated from the schema",
                            description="The labeling config (XML) generated from schema/cash.schema.json.")
    config.add_argument("-o", "--output", type=Path, help="write to this file instead of standard output")
    config.set_defaults(handler=run_config)

    tasks = sub.add_parser("tasks", help="write Label Studio tasks JSON, one task per document",
                           description="Tasks JSON: data = text, document_id, text_sha256, corpus_version; "
                           "with --layer, that layer's annotations as predictions.")
    tasks.add_argument("--layer", action="append", default=[], help="add this layer as predictions (repeatable)")
    tasks.add_argument("-o", "--output", type=Path, help="write to this file instead of standard output")
    tasks.set_defaults(handler=run_tasks)

    imp = sub.add_parser("import", help="import a Label Studio JSON export as annotation layers",
                         description="Validate a Label Studio JSON export against the corpus and write "
                         "annotations/<layer>-<annotator>.jsonl (or one merged layer). Writes nothing on any error.")
    imp.add_argument("export", type=Path, help="the JSON export (Label Studio > Export > JSON)")
    _import_options(imp)
    imp.set_defaults(handler=run_import)

    push = sub.add_parser("push", help="create or update a project with the config and tasks",
                          description="Create the project (or update its config) and add tasks for documents "
                          "not yet in it. The API key is read from $LABEL_STUDIO_API_KEY.")
    push.add_argument("--url", required=True, help="Label Studio base URL, e.g. http://127.0.0.1:8080")
    push.add_argument("--project", required=True, help="project title (or numeric id)")
    push.add_argument("--layer", action="append", default=[], help="add this layer as predictions (repeatable)")
    push.add_argument("--overlap", type=int, metavar="N",
                      help="how many annotators label each task (the project's maximum_annotations; default: "
                      "leave the project's setting, 1 for a new project)")
    push.set_defaults(handler=run_push)

    pull = sub.add_parser("pull", help="download a project's annotations and import them",
                          description="Export the project as JSON and import it exactly like `cash ls import`. "
                          "The API key is read from $LABEL_STUDIO_API_KEY.")
    pull.add_argument("--url", required=True, help="Label Studio base URL")
    pull.add_argument("--project", required=True, help="project title (or numeric id)")
    pull.add_argument("--keep-export", type=Path, help="also keep the downloaded export at this path")
    _import_options(pull)
    pull.set_defaults(handler=run_pull)

    agree = sub.add_parser("agreement", help="agreement per annotator pair on the tasks they both labelled",
                           description="Download the project's export (or read EXPORT), check it like `cash ls "
                           "import --annotators split` without writing anything, and compare every pair of "
                           "annotators over the documents both annotated (span F1, kappa, token alpha; see "
                           "`cash agreement`). The API key is read from $LABEL_STUDIO_API_KEY.")
    agree.add_argument("export", type=Path, nargs="?", help="a JSON export to read instead of a server")
    agree.add_argument("--url", help="Label Studio base URL")
    agree.add_argument("--project", help="project title (or numeric id)")
    agree.add_argument("--drafts", action="store_true", help="count drafts too (a submitted annotation still wins)")
    agree.add_argument("--skip-stale", action="store_true", help="leave out tasks whose text changed")
    agree.add_argument("--allow-empty", action="store_true", help="count empty submissions as empty documents")
    agree.add_argument("--json", action="store_true", help="print every pair's full report as JSON")
    agree.set_defaults(handler=run_agreement)


def _import_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--layer", required=True, help="layer name (split mode appends -<annotator>)")
    parser.add_argument("--annotators", choices=(SPLIT, MERGE), default=SPLIT,
                        help="split: one layer per annotator, LAYER-<annotator> (default); merge: one layer LAYER")
    parser.add_argument("--latest", action="store_true",
                        help="when one layer gets two annotations of a document, keep the most recently updated")
    parser.add_argument("--drafts", action="store_true", help="import drafts too (skipped by default)")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing layer that would change")
    parser.add_argument("--offsets", choices=("auto", "code-points", "utf16"), default="auto",
                        help="how region offsets are counted: auto-detect per annotation (default), Unicode code "
                        "points (current Label Studio) or UTF-16 units (older exports)")
    parser.add_argument("--guideline-version",
                        help="guideline version in the provenance (default: the version schema/GUIDELINES.md states)")
    parser.add_argument("--skip-stale", action="store_true",
                        help="leave out (and list) tasks whose text is no longer the corpus text, instead of refusing")
    parser.add_argument("--allow-empty", action="store_true",
                        help="import an empty submission as a document without annotations, instead of refusing")


def _import_kwargs(args: argparse.Namespace) -> dict:
    return {"annotators": args.annotators, "latest": args.latest, "drafts": args.drafts,
            "overwrite": args.overwrite, "guideline_version": args.guideline_version,
            "skip_stale": args.skip_stale, "allow_empty": args.allow_empty,
            "offsets": {"auto": None, "code-points": Counting.CODE_POINTS, "utf16": Counting.UTF16}[args.offsets]}


def _corpus(args: argparse.Namespace) -> Corpus:
    from . import resolve_root
    return Corpus.at(resolve_root(args))


def _emit(text_chunks, output: Path | None) -> None:
    if output is None:
        for chunk in text_chunks:
            sys.stdout.write(chunk)
        return
    with atomic_writer(output) as handle:
        for chunk in text_chunks:
            handle.write(chunk)


def run_config(args: argparse.Namespace) -> int:
    """The config for the schema of the corpus root in use; outside any corpus root (and without
    --root) the packaged schema's, since the config needs no corpus."""
    from ..errors import UsageError
    from ..labelstudio.config import labeling_config
    from . import resolve_root
    try:
        resolve_root(args)
    except UsageError:
        if args.root:
            raise
    _emit([labeling_config()], args.output)
    return 0


def _tasks_json(tasks):
    """A JSON array written task by task, so a large corpus is never one string in memory."""
    yield "["
    for n, task in enumerate(tasks):
        yield ("," if n else "") + "\n" + json.dumps(task, ensure_ascii=False)
    yield "\n]\n"


def run_tasks(args: argparse.Namespace) -> int:
    from ..labelstudio.tasks import iter_tasks
    _emit(_tasks_json(iter_tasks(_corpus(args), args.layer)), args.output)
    return 0


def _report(stats: ImportStats) -> None:
    print(f"tasks {stats.tasks}, annotations {stats.annotations}, drafts {stats.drafts}, "
          f"cancelled (skipped) {stats.cancelled}, without annotations {stats.unannotated}, "
          f"regions converted from UTF-16 offsets {stats.utf16_regions}")
    for title, lines in (("stale tasks skipped (--skip-stale)", stats.stale),
                         ("annotations left out", stats.dropped), ("empty submissions imported", stats.empty)):
        if lines:
            print(f"{title}: {len(lines)}")
            for line in lines:
                print(f"  {line}")
    for name in stats.written:
        print(f"wrote annotations/{name}.jsonl")
    for name in stats.unchanged:
        print(f"unchanged annotations/{name}.jsonl")


def run_import(args: argparse.Namespace) -> int:
    from ..labelstudio.importer import import_export
    _report(import_export(_corpus(args), args.export, args.layer, **_import_kwargs(args)))
    return 0


def run_push(args: argparse.Namespace) -> int:
    from ..labelstudio.client import api_key_from_env, push
    result = push(_corpus(args), args.url, api_key_from_env(), args.project, args.layer, overlap=args.overlap)
    print(f"project {result.project_id} ({'created' if result.created else 'existing'}"
          f"{', config updated' if result.config_updated else ''}"
          f"{f', {result.overlap} annotators per task' if result.overlap else ''}): {result.imported} tasks added, "
          f"{result.already_there} already there, {result.updated} updated to a changed text; predictions "
          f"{result.predictions_added} added, {result.predictions_refreshed} refreshed")
    if result.stale:
        print(f"stale tasks (their text changed; kept for their annotations, refused by `cash ls import` unless "
              f"--skip-stale): {len(result.stale)}")
        for task in result.stale:
            print(f"  {task}")
    return 0


def run_pull(args: argparse.Namespace) -> int:
    from ..labelstudio.client import api_key_from_env, pull
    _report(pull(_corpus(args), args.url, api_key_from_env(), args.project, args.layer,
                 keep_export=args.keep_export, **_import_kwargs(args)))
    return 0


def run_agreement(args: argparse.Namespace) -> int:
    import tempfile

    from ..errors import UsageError
    from ..labelstudio.agreement import export_agreement, summary_rows
    corpus = _corpus(args)
    options = {"drafts": args.drafts, "skip_stale": args.skip_stale, "allow_empty": args.allow_empty}
    with tempfile.TemporaryDirectory(prefix="cash-ls-agreement-") as folder:
        if args.export is not None:
            export, emails = args.export, None
        elif args.url and args.project:
            from ..labelstudio.client import api_key_from_env, connect, download_export, user_emails
            key = api_key_from_env()
            export = Path(folder) / "export.json"
            download_export(args.url, key, args.project, export)
            emails = user_emails(connect(args.url, key))
        else:
            raise UsageError("give an EXPORT file, or --url and --project")
        _, pairs = export_agreement(corpus, export, emails=emails, **options)
    if args.json:
        print(json.dumps([{"a": p.annotator_a, "b": p.annotator_b, "report": p.report} for p in pairs],
                         ensure_ascii=False, indent=2))
        return 0
    for row in summary_rows(pairs):
        cells = [f"{row.pop('a')} vs {row.pop('b')}: {row.pop('documents')} document(s)"]
        cells += [f"{name} {'n/a' if value is None else f'{value:.3f}'}" for name, value in row.items()]
        print("; ".join(cells))
    return 0
