"""`cash add`, `cash manifest`: grow the corpus and seal a release."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..corpus import Corpus, add_document, rezone_document
from ..errors import CashError, Location, UsageError
from ..manifest import NEXT_STEP_HINT, compute_manifest, manifest_differences, read_manifest, read_release_records, seal
from ..paths import CorpusPaths
from ..validation.inputs import read_zone_overrides


def register(subparsers) -> None:
    add = subparsers.add_parser("add", help="add a new article to the corpus (bytes kept exactly)",
                                description="Add FILE to the corpus: raw bytes kept, metadata, sha256, zones, "
                                "sentences and tokens. Refuses a duplicate id or duplicate bytes.")
    add.add_argument("file", type=Path, help="UTF-8 text file of the article")
    add.add_argument("--title", required=True, help="the article's title as it appears in the text")
    add.add_argument("--id", dest="doc_id", help="document id (default: from the title)")
    add.add_argument("--genre", default="opinion", help="opinion | analysis | news (default: opinion)")
    add.add_argument("--language", default="en", help="BCP-47 language tag (default: en)")
    add.add_argument("--outlet", help="outlet, only if the text names it")
    add.add_argument("--outlet-evidence", help="where the text names the outlet")
    add.add_argument("--date-inferred", help="a date inferred from the content (never stated metadata)")
    add.add_argument("--date-evidence", help="why that date is inferred")
    add.add_argument("--license", default="unknown", help="SPDX id if known (default: unknown)")
    add.add_argument("--copyright", default="Copyright retained by the original publisher; no licence known.",
                     help="copyright status of the text")
    add.add_argument("--zones", type=Path, help='JSON file {"LINE": "zone_type", ...} correcting the default '
                     "zoning (line 1 title, rest body)")
    add.set_defaults(handler=run_add)

    zones = subparsers.add_parser("zones", help="correct the zoning of a document (recomputes sentences and tokens)",
                                  description="Set the zone type of lines of DOC_ID (title, caption, body, ...): zones, "
                                  "sentences and tokens are recomputed and corpus/zoning/DOC_ID.json records the types.")
    zones.add_argument("doc_id", help="document id")
    zones.add_argument("--zones", type=Path, required=True, help='JSON file {"LINE": "zone_type", ...}')
    zones.set_defaults(handler=run_zones)

    manifest = subparsers.add_parser("manifest", help="write or check the release manifest (sha256 + fingerprint)",
                                     description="Write corpus/manifest.json with the sha256 of every data file and "
                                     "the release fingerprint (and put the fingerprint in CITATION.cff); refused for a "
                                     "published version whose files changed (publish them with `cash release X.Y.Z`). "
                                     "With --check, print version and release fingerprint and fail if the files "
                                     "differ from the manifest.")
    manifest.add_argument("--check", action="store_true", help="compare instead of writing")
    manifest.add_argument("--release", action="store_true",
                          help="replaced by `cash release X.Y.Z` (which bumps the version, changelog and citation, "
                          "records the release and writes its archive)")
    manifest.set_defaults(handler=run_manifest)


def run_add(args: argparse.Namespace) -> int:
    from . import resolve_root
    root = resolve_root(args)
    overrides = read_zone_overrides(args.zones) if args.zones else None
    meta = add_document(root, args.file, title=args.title, doc_id=args.doc_id, genre=args.genre,
                        language=args.language, outlet=args.outlet, outlet_evidence=args.outlet_evidence,
                        date_inferred=args.date_inferred, date_evidence=args.date_evidence,
                        license_id=args.license, copyright_note=args.copyright, zone_overrides=overrides)
    print(f"added {meta.id}: {meta.length} characters, sha256 {meta.sha256[:12]}…")
    return 0


def run_zones(args: argparse.Namespace) -> int:
    from . import resolve_root
    structure = rezone_document(resolve_root(args), args.doc_id, read_zone_overrides(args.zones))
    print(f"{args.doc_id}: {len(structure.zones)} zones, {len(structure.sentences)} sentences, "
          f"{len(structure.tokens)} tokens")
    return 0


def run_manifest(args: argparse.Namespace) -> int:
    from . import resolve_root
    paths = CorpusPaths(resolve_root(args))
    version = Corpus(paths).version
    if args.release:
        raise UsageError("`cash manifest --release` is replaced by `cash release X.Y.Z`",
                         hint="`cash release` bumps the version everywhere, opens the CHANGELOG section, records the "
                         "release in corpus/releases.json and writes its archive, in one transaction")
    published = {r.version: r for r in read_release_records(paths)}
    if not args.check:
        manifest = seal(paths.root)
        print(f"manifest: {len(manifest['files'])} files, version {version}, release fingerprint "
              f"sha256:{manifest['fingerprint']}")
        return 0
    if not paths.manifest.exists():
        raise CashError("no manifest", Location(file=str(paths.manifest)), hint="run `cash manifest`")
    recorded = read_manifest(paths)
    now = compute_manifest(paths.root, version)
    differences = manifest_differences(recorded, now)
    release = published.get(recorded.get("version"))
    state = ("published " + (release.date or "(date not recorded)") if release and release.fingerprint ==
             recorded.get("fingerprint") else "NOT published in corpus/releases.json")
    print(f"manifest: version {recorded.get('version')}, release fingerprint sha256:{recorded.get('fingerprint')} "
          f"({state})")
    for line in differences:
        print(f"{paths.manifest}: {line}")
    if differences:
        print(f"cash manifest: the files differ from the manifest (they give sha256:{now['fingerprint']}); next: "
              + NEXT_STEP_HINT)
        return 1
    print("manifest: up to date")
    return 0

