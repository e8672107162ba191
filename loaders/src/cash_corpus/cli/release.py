"""`cash release X.Y.Z | get | verify | list | archive`: make, recover and check citable releases."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UsageError

ACTIONS = ("get", "verify", "list", "archive")
USAGE = """cash release X.Y.Z [--date YYYY-MM-DD]
       cash release get X.Y.Z [--out DIR] [--archive PATH | --tar]
       cash release verify DIR|ARCHIVE
       cash release list
       cash release archive X.Y.Z"""


def register(subparsers) -> None:
    release = subparsers.add_parser(
        "release", help="publish a version, or get / verify / list / archive published ones",
        usage=USAGE, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="""\
cash release X.Y.Z      publish the corpus as version X.Y.Z, in one transaction: refused unless it
                        validates, the build is current, and X.Y.Z is the next PATCH, MINOR or MAJOR
                        version large enough for the changes since the last release (README,
                        Versioning). Bumps corpus.json, pyproject.toml, the package, DATASHEET.md, CITATION.cff
                        (date-released: today, or --date), the card and croissant.json; opens the
                        CHANGELOG section; writes corpus/manifest.json (the release fingerprint),
                        records it in corpus/releases.json and writes dist/cash-X.Y.Z.tar.gz.
cash release get X.Y.Z  write exactly the files of a published version to DIR (default ./cash-X.Y.Z),
                        from the commit that published it (no tag needed) or from --archive PATH,
                        verified against its fingerprint first; with --tar, also rebuild its archive
                        dist/cash-X.Y.Z.tar.gz (checked against the recorded sha256).
cash release verify P   check a folder or an archive against corpus/releases.json.
cash release list       published versions, fingerprints, dates, archives.
cash release archive X.Y.Z
                        rebuild dist/cash-X.Y.Z.tar.gz from the committed files (same bytes).""")
    release.add_argument("words", nargs="+", metavar="X.Y.Z | ACTION [ARG]")
    release.add_argument("--date", help="release date YYYY-MM-DD for date-released (default: today, UTC)")
    release.add_argument("--out", type=Path, help="get: the folder to write (must not exist, or be empty)")
    release.add_argument("--archive", type=Path, help="get: read the release from this archive, not from git")
    release.add_argument("--tar", action="store_true", help="get: also rebuild dist/cash-X.Y.Z.tar.gz from git")
    release.set_defaults(handler=run_release)


def _one_argument(words: list[str], what: str) -> str:
    if len(words) != 2:
        raise UsageError(f"`cash release {words[0]}` takes one {what}", hint=USAGE.replace("\n       ", "; "))
    return words[1]


def _print_verification(result) -> None:
    for line in result.problems:
        print(f"cash release: {line}")
    for line in result.notes:
        print(f"note: {line}")


def run_release(args: argparse.Namespace) -> int:
    from . import resolve_root
    words = args.words
    action = words[0]
    if action not in ACTIONS:
        if len(words) != 1:
            raise UsageError(f"unexpected arguments after {action}: {' '.join(words[1:])}",
                             hint=USAGE.replace("\n       ", "; "))
        return run_make(resolve_root(args), action, args.date)
    if args.date:
        raise UsageError("--date is for `cash release X.Y.Z`")
    root = resolve_root(args)
    if action == "list":
        return run_list(root, words)
    if action == "get":
        if args.tar and args.archive:
            raise UsageError("--tar rebuilds the archive from git; it cannot be combined with --archive")
        code = run_get(root, _one_argument(words, "version"), args.out, args.archive)
        return run_archive(root, words[1]) if args.tar else code
    if args.out or args.archive or args.tar:
        raise UsageError("--out, --archive and --tar are for `cash release get`")
    if action == "verify":
        return run_verify(root, Path(_one_argument(words, "folder or archive")))
    return run_archive(root, _one_argument(words, "version"))


def run_make(root: Path, version: str, date: str | None) -> int:
    from ..release import LEVEL_NAMES, make_release
    outcome = make_release(root, version, date)
    kind = "first release" if outcome.level is None else f"{LEVEL_NAMES[outcome.level]} after {outcome.previous}"
    print(f"release {outcome.version} ({kind}), {outcome.date}")
    for change in outcome.changes:
        print(f"  {LEVEL_NAMES[change.level]}: {change.reason}")
    print(f"release fingerprint sha256:{outcome.fingerprint}   <- cite this with the version")
    print(f"archive {outcome.archive} sha256:{outcome.archive_sha256}")
    print(f"{len(outcome.written)} file(s) written; next: review `git diff`, commit them all in one commit "
          f"(message e.g. 'Release {outcome.version}'), then anyone can run `cash release get {outcome.version}`")
    return 0


def run_list(root: Path, words: list[str]) -> int:
    from ..manifest import read_release_records
    from ..paths import CorpusPaths
    if len(words) != 1:
        raise UsageError("`cash release list` takes no argument")
    releases = read_release_records(CorpusPaths(root))
    if not releases:
        print("no published release (corpus/releases.json)")
        return 0
    print(f"{'version':<10} {'date':<12} release fingerprint (sha256)                                      archive sha256")
    for release in releases:
        print(f"{release.version:<10} {release.date or 'unknown':<12} {release.fingerprint} "
              f"{release.archive_sha256 or 'not recorded'}")
    return 0


def run_get(root: Path, version: str, out: Path | None, archive: Path | None) -> int:
    from ..release import get_release
    target = (out or Path(f"cash-{version}")).resolve()
    result = get_release(root, version, target, archive)
    source = f"archive {archive}" if archive else "git history (the commit that published it)"
    print(f"release {version}: {result.checked} file(s) from {source} verified against release fingerprint "
          f"sha256:{result.fingerprint}; written to {target}")
    _print_verification(result)
    return 0


def run_verify(root: Path, copy: Path) -> int:
    from ..release import verify_copy
    result = verify_copy(root, copy)
    _print_verification(result)
    if not result.ok:
        print(f"cash release verify: {copy} is NOT an exact copy of release {result.version or '?'} "
              f"(get one with `cash release get {result.version or 'X.Y.Z'}`)")
        return 1
    print(f"{copy}: release {result.version}, {result.checked} file(s) verified, release fingerprint "
          f"sha256:{result.fingerprint}")
    return 0


def run_archive(root: Path, version: str) -> int:
    from ..release import build_archive
    target, digest = build_archive(root, version)
    print(f"{target}: sha256:{digest} (release {version}, rebuilt from the commit that published it)")
    return 0
