"""Reading published releases back from git history, with plumbing only (no tags, no checkout).

Tags do not travel with every clone; commits do. A release is found as the oldest commit whose
`corpus/releases.json` records the version with its fingerprint and whose `corpus/manifest.json`
carries the same version and fingerprint: the commit that published it. Files are read from
that commit with `git cat-file --batch`, one at a time, so the working tree is never touched.
The corpus root may be a sub-folder of the repository; paths are given relative to the root.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import CashError, Location
from .manifest import MANIFEST, RELEASES, parse_releases

NO_GIT_HINT = "run it inside a git clone of the repository, or give the release archive with --archive PATH"


class GitHistory:
    """The history of the git repository holding a corpus root."""

    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        if shutil.which("git") is None:
            raise CashError("git is not installed", hint=NO_GIT_HINT)
        top = self._git("rev-parse", "--show-toplevel", cwd=self.root, check=False)
        if top is None:
            raise CashError(f"{self.root} is not inside a git repository", hint=NO_GIT_HINT)
        self.top = Path(top.decode().strip())
        prefix = self.root.relative_to(self.top.resolve()).as_posix()
        self.prefix = "" if prefix == "." else prefix + "/"

    def _git(self, *args: str, cwd: Path | None = None, check: bool = True, stdin: bytes | None = None) -> bytes | None:
        result = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=cwd or self.top, input=stdin,
                                capture_output=True)
        if result.returncode != 0:
            if check:
                message = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
                raise CashError(f"git {args[0]} failed: {message[0]}")
            return None
        return result.stdout

    def commits_touching(self, rels: Iterable[str]) -> list[str]:
        """Commits that changed any of these files, oldest first."""
        out = self._git("log", "--format=%H", "--reverse", "--", *(self.prefix + rel for rel in rels), check=False)
        return out.decode().split() if out else []

    def read(self, commit: str, rel: str) -> bytes | None:
        return self._git("cat-file", "blob", f"{commit}:{self.prefix}{rel}", check=False)

    def read_json(self, commit: str, rel: str):
        data = self.read(commit, rel)
        if data is None:
            return None
        try:
            return json.loads(data)
        except ValueError:
            return None

    def iter_files(self, commit: str, rels: Iterable[str]) -> Iterator[tuple[str, bytes | None]]:
        """(rel, bytes or None when the commit has no such file), in the order given, streamed."""
        rels = list(rels)
        if not rels:
            return
        request = "".join(f"{commit}:{self.prefix}{rel}\n" for rel in rels).encode("utf-8")
        process = subprocess.Popen(["git", "cat-file", "--batch"], cwd=self.top, stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert process.stdin is not None and process.stdout is not None
        # Requests are fed from a thread while answers are read, so neither pipe can fill up and block.
        feeder = threading.Thread(target=lambda: (process.stdin.write(request), process.stdin.close()))
        feeder.start()
        try:
            for rel in rels:
                header = process.stdout.readline().decode("utf-8", "replace").split()
                if len(header) == 3 and header[1] == "blob":
                    size = int(header[2])
                    data = process.stdout.read(size)
                    process.stdout.read(1)  # the newline after each blob
                    yield rel, data
                else:
                    yield rel, None
        finally:
            feeder.join()
            process.stdout.close()
            process.wait()

    def release_commit(self, version: str, fp: str) -> str | None:
        """The commit that published `version` with fingerprint `fp` (see the module docstring)."""
        for commit in self.commits_touching([RELEASES, MANIFEST]):
            manifest = self.read_json(commit, MANIFEST)
            if not (isinstance(manifest, dict) and manifest.get("version") == version
                    and manifest.get("fingerprint") == fp):
                continue
            raw = self.read_json(commit, RELEASES)
            try:
                recorded = {r.version: r.fingerprint for r in parse_releases(raw)} if raw is not None else {}
            except CashError:
                continue
            if recorded.get(version) == fp:
                return commit
        return None

    def is_shallow(self) -> bool:
        out = self._git("rev-parse", "--is-shallow-repository", check=False)
        return bool(out) and out.decode().strip() == "true"

    def commit_date(self, commit: str) -> str:
        out = self._git("log", "-1", "--format=%cs", commit)
        return out.decode().strip() if out else ""


def find_release_commit(root: Path, version: str, fp: str) -> tuple[GitHistory, str]:
    history = GitHistory(root)
    commit = history.release_commit(version, fp)
    if commit is None:
        hint = ("this clone is shallow: `git fetch --unshallow`, then try again" if history.is_shallow() else
                "if the release was just made, commit it first; or give its archive with --archive PATH")
        raise CashError(f"no commit publishes version {version} with fingerprint {fp[:12]}…",
                        Location(file=str(history.top)), hint=hint)
    return history, commit
