"""`cash validate`: every record against the JSON Schema, plus every cross-field invariant it implies.

Entry points (others call these):
- `validate_root(root)`: corpus/, schema/ and every annotations/*.jsonl of a corpus root;
- `validate_paths(paths, root)`: layer files, annotation folders or corpus roots;
- `validate_layer_rows(rows, corpus, file)`: in-memory rows of one layer (header first), e.g.
  before the Label Studio importer writes anything;
- `Finding`, `Finding.to_dict()`, `format_finding(f)`, `errors(findings)`.
Nothing here writes a file.
"""

from __future__ import annotations

from collections.abc import Iterable
import os
from pathlib import Path
from typing import Any

from ..corpus import Corpus
from ..errors import Location, UsageError
from ..paths import CorpusPaths
from .corpus_checks import check_corpus, check_schema_file, unsafe_folders
from .fastpath import prove_clean
from .findings import CATALOGUE, CODES, ERROR, WARNING, Finding, Related, errors, format_finding
from .index import CorpusIndex
from .layer_checks import check_layer
from .reading import iter_lines
from .token_checks import TokenIndex, check_token_boundaries
from .textcache import TextCache

__all__ = ["CATALOGUE", "CODES", "ERROR", "WARNING", "Finding", "Related", "errors", "format_finding", "validate_root",
           "validate_paths", "validate_layer_rows", "validate_layer_file"]


def _display(root: Path | None):
    """File names in findings: relative to the corpus root when inside it, else as given."""
    def show(path: Path) -> str:
        if root is not None:
            try:
                # The folder is resolved, never the file itself: a symlink is shown where it is.
                path = Path(path)
                return str((path.parent.resolve() / path.name).relative_to(root.resolve()))
            except ValueError:
                pass
        return str(path)
    return show


def is_corpus_root(path: Path) -> bool:
    return (path / "corpus" / "corpus.json").is_file()


def validate_root(root: Path, *, fast: bool = True) -> list[Finding]:
    """Everything under a corpus root: schema/ (if present), corpus/, every annotations/*.jsonl.

    A clean root is proven clean in bulk by `fastpath.prove_clean`; anything it cannot prove
    clean (and `fast=False`) takes the exact checks below, which name every finding. Both give
    the same findings: the fast path only ever says "none"."""
    root = Path(root)
    if not root.is_dir():
        raise UsageError("not a folder", Location(file=str(root)))
    paths = CorpusPaths(root)
    show = _display(root)
    findings, readable = root_preconditions(paths, show)
    if not readable or (fast and not findings and prove_clean(paths)):
        return findings
    texts = TextCache()  # each raw text is read once: by the corpus checks, kept for the layer checks
    findings += check_corpus(paths, show, texts)
    index = CorpusIndex.build(Corpus(paths))
    index.texts = texts
    for layer in sorted(paths.annotations_dir.glob("*.jsonl")) if paths.annotations_dir.is_dir() else ():
        findings += _layer_file(layer, index, show)
    return findings


def root_preconditions(paths: CorpusPaths, show) -> tuple[list[Finding], bool]:
    """(findings, readable) before anything under the root is read: a symlinked corpus/, texts/,
    annotations/ or schema/ makes the root unreadable (nothing beneath it is read); then the schema
    file. The fast path runs only where these find nothing (here and on a Dask cluster)."""
    findings: list[Finding] = unsafe_folders(paths, show)
    if findings:
        return findings, False
    schema_file = paths.root / "schema" / "cash.schema.json"
    if os.path.lexists(schema_file):
        findings += check_schema_file(schema_file, show(schema_file))
    return findings, True


def validate_layer_file(path: Path, root: Path) -> list[Finding]:
    """One layer file checked against the corpus at `root` (streamed, document by document)."""
    return _layer_file(Path(path), CorpusIndex.build(Corpus.at(root)), _display(root))


def _layer_file(path: Path, index: CorpusIndex, show) -> list[Finding]:
    file = show(path)
    findings = list(check_layer(iter_lines(path, file), index, file, path.stem))
    return findings + _token_findings(iter_lines(path, file), index, file, findings)


def validate_layer_rows(rows: Iterable[dict[str, Any]], corpus: Corpus, file: str, *,
                        fast: bool = True) -> list[Finding]:
    """In-memory rows of one layer file, in order, header first; `file` names it (its stem is the layer).

    Row i is reported as line i + 1. `fast=False` skips the compiled fast path and asks
    jsonschema about every row (same findings, slower; used to prove the two agree).
    """
    index = CorpusIndex.build(corpus)
    rows = list(rows)
    numbered = ((number, row) for number, row in enumerate(rows, start=1))
    findings = list(check_layer(numbered, index, file, Path(file).stem, fast=fast))
    return findings + _token_findings(enumerate(rows, start=1), index, file, findings)


def _token_findings(numbered, index: CorpusIndex, file: str, findings: list[Finding]) -> list[Finding]:
    """`span-inside-token` for the spans that have no error of their own (see token_checks)."""
    broken = {(f.document_id, f.annotation_id) for f in errors(findings) if f.annotation_id is not None}
    return list(check_token_boundaries(numbered, TokenIndex(index.corpus.paths.structure), file, skip=broken))


def validate_paths(paths: list[Path], root: Path | None) -> list[Finding]:
    """Each PATH: a corpus root (validated whole), an annotations folder, or one layer file."""
    findings: list[Finding] = []
    for path in map(Path, paths):
        if not path.exists():
            raise UsageError("no such file or folder", Location(file=str(path)))
        if path.is_dir() and is_corpus_root(path):
            findings += validate_root(path)
        elif path.is_dir():
            owner = path.parent if is_corpus_root(path.parent) else _need(root, path)
            index = CorpusIndex.build(Corpus.at(owner))
            layers = sorted(path.glob("*.jsonl"))
            if not layers:
                raise UsageError("folder holds no corpus/ and no *.jsonl layer files", Location(file=str(path)))
            for layer in layers:
                findings += _layer_file(layer, index, _display(owner))
        elif path.suffix == ".jsonl":
            owner = path.resolve().parents[1]
            owner = owner if path.parent.name == "annotations" and is_corpus_root(owner) else _need(root, path)
            findings += validate_layer_file(path, owner)
        else:
            raise UsageError("expected a corpus root, an annotations folder or a .jsonl layer file",
                             Location(file=str(path)))
    return findings


def _need(root: Path | None, path: Path) -> Path:
    if root is None or not is_corpus_root(root):
        raise UsageError("cannot tell which corpus this layer belongs to", Location(file=str(path)),
                         hint="pass --root CORPUS_ROOT")
    return root
