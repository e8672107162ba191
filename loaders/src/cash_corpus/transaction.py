"""The one write path of a corpus root: lock, stage, validate the corpus as it will be, journal, rename.

Why: a corpus is many files that must agree (a text, its metadata line and its structure line;
layers that refer to them; built Parquet and the card that names their fingerprint; the manifest
over all of it). Written one after another they can be left disagreeing by Ctrl-C, a crash or a
second writer. So every command that changes a corpus root (`add`, `zones`, `ls import`, `build`,
`manifest`, `release`, `generate`) does it inside `corpus_transaction`:

1. take the exclusive corpus lock (`.cash/lock`, the `filelock` package); a second writer waits
   up to $CASH_LOCK_TIMEOUT seconds (default 60), saying who holds it, then fails cleanly;
2. finish or discard what an interrupted writer left behind (`.cash/txn-*`, see below);
3. stage every new file under `.cash/txn-<id>/stage/<relative path>` (same file system as the
   targets, so the final renames are atomic);
4. validate the corpus as it will be: a view of the root made of hard links, with the staged
   files in place (`.cash/txn-<id>/view/`), checked by `validation.validate_root`; any error
   refuses the change and nothing is written;
5. write the journal (`journal.json`, the ordered list of renames and removals) atomically:
   from this point the change is decided;
6. apply the journal (texts first, the manifest last) and delete the transaction folder.

An interruption before step 5 leaves the root untouched; the next command discards the staged
files. After step 5 the next command rolls the change forward from the journal, so the corpus is
always either the old one or the new one once any command has run. SIGINT and SIGTERM are held
back during step 6, which takes milliseconds.

Symlinks, FIFOs and devices are refused anywhere a transaction reads or writes under the root.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import stat
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO, Any

from .errors import CashError, Location, UsageError
from .paths import CorpusPaths

STATE_DIR = ".cash"
LOCK_FILE = "lock"
OWNER_FILE = "lock.owner"
JOURNAL = "journal.json"
TXN_PREFIX = "txn-"
# What `cash validate` reads: a change under these folders is validated on a view of the root.
VALIDATED_FOLDERS = ("corpus", "annotations", "schema")
DEFAULT_LOCK_TIMEOUT_S = 60.0
MAX_FINDINGS_SHOWN = 20


class RefusedChange(CashError):
    """The change would leave the corpus invalid; nothing was written. Carries the findings."""

    def __init__(self, command: str, findings: list):
        from .validation import format_finding
        shown = [format_finding(f) for f in findings[:MAX_FINDINGS_SHOWN]]
        more = len(findings) - len(shown)
        message = (f"refused: after this `{command}` the corpus would not validate "
                   f"({len(findings)} error(s)); nothing was written\n  " + "\n  ".join(shown)
                   + (f"\n  … and {more} more" if more > 0 else ""))
        super().__init__(message, hint="fix the input, or run `cash validate` to see the corpus as it is")
        self.findings = findings


def _apply_order(rel: str) -> tuple[int, str]:
    """Texts before the metadata that names them, data before the card, the manifest last."""
    if rel.startswith("corpus/texts/"):
        rank = 0
    elif rel in ("corpus/manifest.json", "corpus/releases.json"):
        rank = 9 if rel == "corpus/manifest.json" else 8
    elif rel.startswith(("corpus/", "schema/")):
        rank = 1
    elif rel.startswith("annotations/"):
        rank = 2
    elif rel.startswith("data/"):
        rank = 3
    else:
        rank = 4
    return rank, rel


def check_relative(rel: str) -> str:
    """A normalised POSIX path inside the root, never inside `.cash/`."""
    path = PurePosixPath(rel)
    if (not rel or path.is_absolute() or any(part in ("", ".", "..") for part in rel.split("/"))
            or "\x00" in rel or "\\" in rel or path.parts[0] == STATE_DIR):
        raise UsageError(f"not a path inside the corpus root: {rel!r}")
    return path.as_posix()


def refuse_special(root: Path, rel: str) -> None:
    """Refuse a target whose path under `root` passes through a symlink or is not a regular file."""
    current = root
    parts = PurePosixPath(rel).parts
    for index, part in enumerate(parts):
        current = current / part
        try:
            info = os.lstat(current)
        except FileNotFoundError:
            return
        last = index == len(parts) - 1
        if stat.S_ISLNK(info.st_mode):
            raise CashError("is a symbolic link; CASH refuses to read or write through links under the corpus root",
                            Location(file=PurePosixPath(*parts[:index + 1]).as_posix()),
                            hint="replace the link with the real file or folder")
        if (last and not stat.S_ISREG(info.st_mode)) or (not last and not stat.S_ISDIR(info.st_mode)):
            raise CashError("is not a regular file (a FIFO, device or socket); refused under the corpus root",
                            Location(file=PurePosixPath(*parts[:index + 1]).as_posix()))


def iter_regular_files(root: Path, folder: str, *, ordered: bool = True) -> Iterator[str]:
    """Relative paths of the files under `root/folder` (sorted within each folder unless `ordered`
    is False), refusing links and special files on the way. The kind of each entry comes from the
    folder listing (d_type: no stat call a file, which counts with a million texts), and a link is
    never a file or a folder here: `follow_symlinks=False`."""
    base = root / folder
    try:
        info = os.lstat(base)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        refuse_special(root, folder)
        return
    stack = [folder]
    while stack:
        current = stack.pop()
        with os.scandir(root / current) as entries:
            for entry in sorted(entries, key=lambda e: e.name) if ordered else entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(f"{current}/{entry.name}")
                elif entry.is_file(follow_symlinks=False):
                    yield f"{current}/{entry.name}"
                else:
                    refuse_special(root, f"{current}/{entry.name}")


def _fsync_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back SIGINT/SIGTERM while the journal is applied (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _apply(root: Path, folder: Path, operations: list[list[str]]) -> None:
    """Carry out a journal; every step can be repeated, so an interrupted apply is simply run again."""
    stage = folder / "stage"
    for kind, rel in operations:
        target = root / rel
        if kind == "replace":
            source = stage / rel
            if source.exists():
                refuse_special(root, rel)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)
        elif kind == "remove":
            if os.path.lexists(target):
                refuse_special(root, rel)
                target.unlink()
                _remove_empty_parents(root, target.parent)
        else:  # a journal this code did not write
            raise CashError(f"unknown journal operation {kind!r}", Location(file=str(folder / JOURNAL)))


def _remove_empty_parents(root: Path, folder: Path) -> None:
    """Drop folders a removal emptied (e.g. a data/<config>/ no config owns), up to the top folder."""
    while folder != root and folder.parent != root:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _say(message: str) -> None:
    print(f"cash: {message}", file=sys.stderr)


def recover(root: Path) -> list[str]:
    """Finish (journal present) or discard (no journal) every transaction an interrupted writer left.

    The caller holds the lock. Returns one line per transaction handled, also printed on stderr.
    """
    state = root / STATE_DIR
    done: list[str] = []
    if not state.is_dir():
        return done
    for folder in sorted(state.glob(f"{TXN_PREFIX}*")):
        journal = folder / JOURNAL
        record = None
        if journal.is_file():
            try:
                record = json.loads(journal.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                record = None
        if record is not None:
            _apply(root, folder, record["operations"])
            line = f"completed an interrupted `{record.get('command', '?')}` ({len(record['operations'])} file(s))"
        else:
            line = f"discarded the staged files of an interrupted write ({folder.name})"
        shutil.rmtree(folder, ignore_errors=True)
        _say(line)
        done.append(line)
    return done


def lock_timeout() -> float:
    raw = os.environ.get("CASH_LOCK_TIMEOUT")
    if raw is None:
        return DEFAULT_LOCK_TIMEOUT_S
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(f"CASH_LOCK_TIMEOUT must be a number of seconds, got {raw!r}") from None
    return max(value, 0.0)


def _state_dir(root: Path) -> Path:
    state = root / STATE_DIR
    if os.path.lexists(state) and (state.is_symlink() or not state.is_dir()):
        raise CashError("is not a plain folder; CASH keeps its lock and staged files there",
                        Location(file=STATE_DIR), hint="remove it")
    state.mkdir(exist_ok=True)
    return state


@contextmanager
def corpus_lock(root: Path, command: str, *, timeout: float | None = None) -> Iterator[None]:
    """The exclusive corpus lock. Waits (saying who holds it) up to `timeout` seconds, then refuses."""
    from filelock import FileLock, Timeout
    state = _state_dir(root)
    lock = FileLock(str(state / LOCK_FILE))
    limit = lock_timeout() if timeout is None else timeout
    try:
        lock.acquire(timeout=0)
    except Timeout:
        holder = _owner(state)
        _say(f"waiting for the corpus lock held by {holder} (up to {limit:g} s)")
        try:
            lock.acquire(timeout=limit)
        except Timeout:
            raise CashError(f"another cash command ({holder}) is changing this corpus; gave up after {limit:g} s",
                            Location(file=f"{STATE_DIR}/{LOCK_FILE}"),
                            hint="wait for it to finish and run the command again (CASH_LOCK_TIMEOUT sets the wait)"
                            ) from None
    try:
        (state / OWNER_FILE).write_text(json.dumps({"pid": os.getpid(), "command": command}), encoding="utf-8")
        yield
    finally:
        try:
            (state / OWNER_FILE).unlink()
        except OSError:
            pass
        lock.release()


def _owner(state: Path) -> str:
    try:
        owner = json.loads((state / OWNER_FILE).read_text(encoding="utf-8"))
        return f"pid {int(owner['pid'])}, `cash {str(owner['command'])[:40]!s}`"
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"


def recover_if_pending(root: Path) -> None:
    """For commands that only read: complete an interrupted write if no writer is running now."""
    state = root / STATE_DIR
    if not state.is_dir() or not any(state.glob(f"{TXN_PREFIX}*")):
        return
    try:
        with corpus_lock(root, "recover", timeout=0):
            recover(root)
    except CashError:
        _say("another cash command is writing this corpus; reading it as it is")


class Transaction:
    """Staged changes to one corpus root; see the module docstring. Made by `corpus_transaction`."""

    def __init__(self, root: Path, command: str, folder: Path):
        self.root = root
        self.command = command
        self.folder = folder
        self.stage = folder / "stage"
        self._operations: dict[str, str] = {}
        self._validated: frozenset[tuple[str, str]] | None = None

    @property
    def paths(self) -> CorpusPaths:
        """The live root, for reading the current state (under the lock)."""
        return CorpusPaths(self.root)

    # -- staging ----------------------------------------------------------------------------------
    def stage_path(self, rel: str) -> Path:
        """A path to write the new content of `rel` to (for writers that need a file name, e.g. workers)."""
        rel = check_relative(rel)
        refuse_special(self.root, rel)
        target = self.stage / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        self._operations[rel] = "replace"
        self._changed(rel)
        return target

    @contextmanager
    def open(self, rel: str, mode: str = "w") -> Iterator[IO]:
        """Stream the new content of `rel`; text mode is UTF-8 with LF line ends."""
        target = self.stage_path(rel)
        encoding = None if "b" in mode else "utf-8"
        newline = None if "b" in mode else "\n"
        with open(target, mode, encoding=encoding, newline=newline) as handle:
            yield handle

    def write_bytes(self, rel: str, data: bytes) -> None:
        self.stage_path(rel).write_bytes(data)

    def write_text(self, rel: str, text: str) -> None:
        with self.open(rel) as handle:
            handle.write(text)

    def write_json(self, rel: str, obj: Any) -> None:
        self.write_text(rel, json.dumps(obj, ensure_ascii=False, indent=2) + "\n")

    def write_jsonl(self, rel: str, rows: Iterable[Any]) -> int:
        from .jsonl import dumps_line
        count = 0
        with self.open(rel) as handle:
            for row in rows:
                handle.write(dumps_line(row) + "\n")
                count += 1
        return count

    def remove(self, rel: str) -> None:
        """Stage the removal of `rel` (nothing to do if it does not exist and was not staged)."""
        rel = check_relative(rel)
        refuse_special(self.root, rel)
        staged = self.stage / rel
        if staged.exists():
            staged.unlink()
        if os.path.lexists(self.root / rel):
            self._operations[rel] = "remove"
        else:
            self._operations.pop(rel, None)
        self._changed(rel)

    def discard(self, rel: str) -> None:
        """Forget a staged change to `rel` (e.g. a rebuilt file whose bytes turned out unchanged)."""
        rel = check_relative(rel)
        if self._operations.pop(rel, None) == "replace":
            (self.stage / rel).unlink(missing_ok=True)
        self._changed(rel)

    def staged(self, rel: str) -> Path | None:
        """Where the staged new content of `rel` is, if it was staged."""
        rel = check_relative(rel)
        return self.stage / rel if self._operations.get(rel) == "replace" else None

    @property
    def changes(self) -> dict[str, str]:
        """relative path → "replace" | "remove", in the order they will be applied."""
        return {rel: self._operations[rel] for rel in sorted(self._operations, key=_apply_order)}

    # -- validation -------------------------------------------------------------------------------
    def _changed(self, rel: str) -> None:
        """Forget an earlier verdict if `rel` is something validation reads (a build's data/ is not,
        so `cash build` validates once, not again at commit)."""
        if rel.split("/", 1)[0] in VALIDATED_FOLDERS:
            self._validated = None

    def _validated_key(self) -> frozenset[tuple[str, str]]:
        return frozenset((rel, kind) for rel, kind in self._operations.items()
                         if rel.split("/", 1)[0] in VALIDATED_FOLDERS)

    def _touches_validated(self) -> bool:
        return any(rel.split("/", 1)[0] in VALIDATED_FOLDERS for rel in self._operations)

    def view(self) -> Path:
        """The root as it will be: hard links to the current files of the validated folders, with the
        staged files in their place. Links and special files on the way are refused."""
        view = self.folder / "view"
        shutil.rmtree(view, ignore_errors=True)
        view.mkdir(parents=True)
        for folder in VALIDATED_FOLDERS:
            for rel in iter_regular_files(self.root, folder):
                _link(self.root / rel, view / rel)
        for rel, kind in self._operations.items():
            if rel.split("/", 1)[0] not in VALIDATED_FOLDERS:
                continue
            target = view / rel
            if os.path.lexists(target):
                target.unlink()
            if kind == "replace":
                _link(self.stage / rel, target)
        return view

    def require_valid(self, validate=None) -> None:
        """Refuse (RefusedChange) unless the corpus as it would be with the changes staged so far validates.

        `validate(root) -> findings` is `validation.validate_root` unless given (e.g. the same
        checks run on a Dask cluster, `distributed.validate_on_dask`)."""
        key = self._validated_key()
        if self._validated == key:
            return
        from .validation import errors, validate_root
        validate_root = validate or validate_root
        if self._touches_validated():
            findings = validate_root(self.view())
            shutil.rmtree(self.folder / "view", ignore_errors=True)
        else:
            for folder in VALIDATED_FOLDERS:  # refuse links and special files before validating in place
                for _ in iter_regular_files(self.root, folder, ordered=False):
                    pass
            findings = validate_root(self.root)
        bad = errors(findings)
        if bad:
            raise RefusedChange(self.command, bad)
        self._validated = key

    # -- commit -----------------------------------------------------------------------------------
    def commit(self) -> None:
        """Validate, journal, apply. Called by `corpus_transaction` when the block ends normally."""
        if not self._operations:
            return
        self.require_valid()
        operations = [[kind, rel] for rel, kind in self.changes.items()]
        _fsync_write(self.folder / JOURNAL, json.dumps({"command": self.command, "operations": operations}).encode())
        with _signals_held():
            _apply(self.root, self.folder, operations)


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


@contextmanager
def corpus_transaction(root: Path, command: str, *, timeout: float | None = None) -> Iterator[Transaction]:
    """Lock the corpus at `root`, recover leftovers, yield a Transaction, commit it if the block succeeds.

    If the block raises (or validation refuses), nothing under the root changes.
    """
    root = Path(root).resolve()
    if not (root / "corpus").is_dir():
        raise UsageError("not a CASH corpus root (no corpus/ folder)", Location(file=str(root)))
    with corpus_lock(root, command, timeout=timeout):
        recover(root)
        folder = root / STATE_DIR / f"{TXN_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
        folder.mkdir()
        transaction = Transaction(root, command, folder)
        try:
            yield transaction
            transaction.commit()
        except BaseException:
            if not (folder / JOURNAL).exists():
                shutil.rmtree(folder, ignore_errors=True)
            raise
        shutil.rmtree(folder, ignore_errors=True)
