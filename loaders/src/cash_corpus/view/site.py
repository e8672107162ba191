"""`cash view`: a static, offline HTML site of a corpus and its annotation layers.

The site is written to a staging folder beside `--out` and renamed into place when complete,
so a failed build leaves the previous site (or nothing) behind. It is never written inside
the corpus (corpus/, annotations/, schema/, data/): the viewer reads the corpus, never changes it.

Documents are streamed: the layers are merge-joined by document id (every layer file is sorted
by id), one document of each layer in memory at a time; only small per-document counts and
span lengths are kept for the index and the statistics page.
"""

from __future__ import annotations

import heapq
import itertools
import json
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from ..corpus import Corpus
from ..errors import CashError, Location, UsageError
from ..layers import iter_documents, layer_names, read_header
from ..paths import CorpusPaths, is_valid_layer_name, safe_child
from ..records import DocumentAnnotations, Structure
from ..schema import labels
from .model import layer_view
from .render import element_id, info_id, render_tree

SITE_FORMAT = "cash-view/1"
MARKER = ".cash-view.json"
PROTECTED = ("corpus", "annotations", "schema", "data")
STATIC_FILES = ("view.css", "view.js")
INDEX_PAGE_SIZE = 1000
PAGE_METADATA = ("id", "title", "sha256", "length", "genre", "language")


@dataclass
class SiteSummary:
    out: Path
    documents: int
    layers: list[str]
    pages: list[str] = field(default_factory=list)   # relative paths of the HTML pages


def check_out(root: Path, out: Path) -> Path:
    """The resolved output folder; refused inside the corpus or over a folder that is not a site."""
    root_resolved, target = root.resolve(), out.resolve()
    for name in PROTECTED:
        folder = root_resolved / name
        if target == folder or folder in target.parents:
            raise UsageError(f"--out {out} is inside the corpus ({name}/); the viewer never writes there",
                             Location(file=str(out)), hint="write the site outside the corpus, e.g. --out /tmp/cash-site")
    if target == root_resolved or target in root_resolved.parents:
        raise UsageError(f"--out {out} would replace the corpus root or a folder holding it", Location(file=str(out)))
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not (target / MARKER).is_file())):
        raise UsageError(f"--out {out} exists and is not a site written by `cash view`; refusing to replace it",
                         Location(file=str(out)), hint="choose a new folder or an empty one")
    return target


def environment() -> Environment:
    env = Environment(loader=PackageLoader("cash_corpus.view", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals.update(render_tree=render_tree, element_id=element_id, info_id=info_id)
    return env


def resolve_layers(paths: CorpusPaths, requested: list[str] | None) -> dict[str, Path]:
    names = requested or layer_names(paths)
    chosen: dict[str, Path] = {}
    for name in names:
        if not is_valid_layer_name(name):
            raise UsageError(f"invalid layer name {name!r}", hint="lowercase letters, digits, '-' and '_'")
        path = paths.layer_path(name)
        if not path.is_file():
            raise UsageError("no such layer file", Location(file=str(path)),
                             hint=f"layers here: {', '.join(layer_names(paths)) or 'none'}")
        chosen[name] = path
    return chosen


def refuse_invalid_layers(root: Path, chosen: dict[str, Path]) -> None:
    """Decode at the boundary: the layers are validated (`cash validate`'s checks) before any page is
    drawn, so a malformed record is a located finding, never a traceback or a wrong picture."""
    from ..validation import errors, validate_layer_file
    for name, path in chosen.items():
        bad = errors(validate_layer_file(path, root))
        if bad:
            first = bad[0]
            raise CashError(f"layer {name!r} has {len(bad)} error finding(s); first: {first.code}: {first.message}",
                            Location(first.file or str(path), first.line, first.document_id, first.annotation_id,
                                     first.start, first.end),
                            hint=f"run `cash validate {path}` for every finding")


def _sorted(path: Path) -> Iterator[DocumentAnnotations]:
    previous = None
    for doc in iter_documents(path):
        if previous is not None and doc.document_id <= previous:
            raise CashError(f"document {doc.document_id!r} comes after {previous!r}: layer documents must be "
                            "sorted by id and unique", Location(file=str(path), document_id=doc.document_id))
        previous = doc.document_id
        yield doc


def _tagged(name: str, path: Path) -> Iterator[tuple[str, str, DocumentAnnotations]]:
    for doc in _sorted(path):
        yield doc.document_id, name, doc


def merged_layers(layers: dict[str, Path]) -> Iterator[tuple[str, dict[str, DocumentAnnotations]]]:
    """(document id, {layer: document}) for every id in any layer, in id order (k-way merge)."""
    streams = [_tagged(name, path) for name, path in layers.items()]
    merged = heapq.merge(*streams, key=lambda row: (row[0], row[1]))
    for doc_id, rows in itertools.groupby(merged, key=lambda row: row[0]):
        yield doc_id, {name: doc for _, name, doc in rows}


class StructureReader:
    """document id -> Structure, one seek per document (structure.jsonl is not loaded whole)."""

    def __init__(self, path: Path):
        from ..agreement.structure import StructureIndex
        self.index = StructureIndex(path)

    def get(self, doc_id: str) -> Structure | None:
        offset = self.index.offsets.get(doc_id)
        if offset is None:
            return None
        with open(self.index.path, "rb") as handle:
            handle.seek(offset)
            return Structure.from_dict(json.loads(handle.readline()))


def build_site(root: Path, out: Path, layers: list[str] | None = None, *, plots: bool = True) -> SiteSummary:
    """Write the site for the corpus at `root` to `out` (staged, then renamed into place)."""
    from .stats import StatsCollector, write_stats
    paths = CorpusPaths(Path(root))
    corpus = Corpus(paths)
    target = check_out(paths.root, out)
    chosen = resolve_layers(paths, layers)
    refuse_invalid_layers(paths.root, chosen)
    env = environment()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))
    try:
        summary = _write_site(corpus, chosen, env, staging, StatsCollector(list(chosen)), plots, write_stats)
        (staging / MARKER).write_text(json.dumps({"format": SITE_FORMAT, "layers": list(chosen)}) + "\n")
        staging.chmod(0o755)  # mkdtemp makes it private; a site is meant to be read
        _swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    summary.out = target
    return summary


def _swap_into_place(staging: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        old.rmdir()
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _write_site(corpus: Corpus, chosen: dict[str, Path], env: Environment, staging: Path, collector,
                plots: bool, write_stats) -> SiteSummary:
    # only what the pages show, so a million documents' metadata stays small
    metadata = {d["id"]: {key: d.get(key) for key in PAGE_METADATA} for d in corpus.documents()}
    index_pages = max(1, -(-len(metadata) // INDEX_PAGE_SIZE))
    corpus_info = corpus.info()
    index_title = f"{corpus_info.get('name', 'CASH')} {corpus_info.get('version', '')}"
    structures = StructureReader(corpus.paths.structure)
    static = staging / "static"
    static.mkdir()
    for name in STATIC_FILES:
        (static / name).write_bytes(resources.files("cash_corpus.view").joinpath("static", name).read_bytes())
    (staging / "docs").mkdir()
    targets = labels("stance_target")
    provenance = {name: read_header(path).provenance for name, path in chosen.items()}
    page = env.get_template("document.html")
    layer_docs = merged_layers(chosen)
    pending = next(layer_docs, None)
    rows = []
    summary = SiteSummary(staging, 0, list(chosen))
    for doc_id in sorted(metadata):
        if pending is not None and pending[0] < doc_id:
            raise CashError("layer annotates a document that is not in the corpus",
                            Location(file=str(chosen[next(iter(pending[1]))]), document_id=pending[0]))
        docs: dict[str, DocumentAnnotations] = {}
        if pending is not None and pending[0] == doc_id:
            docs = pending[1]
            pending = next(layer_docs, None)
        info = metadata[doc_id]
        text = corpus.text(doc_id)
        for name, doc in docs.items():
            if doc.text_sha256 != info["sha256"]:
                raise CashError("layer annotates another version of this text (text_sha256 differs)",
                                Location(file=str(chosen[name]), document_id=doc_id), hint="run `cash validate`")
        structure = structures.get(doc_id)
        views = [layer_view(name, docs.get(name), text, structure, str(chosen[name]),
                            {other: docs.get(other) for other in chosen if other != name}) for name in chosen]
        collector.add(doc_id, docs)
        stance_rows = [(t, [v.stance.get(t.value, "—") if v.annotated else "not annotated" for v in views])
                       for t in targets]
        html = page.render(title=info.get("title") or doc_id, doc=info, views=views, layers=list(chosen),
                           stance_rows=stance_rows, structure=structure, provenance=provenance, root="../")
        relative = f"docs/{safe_child(staging / 'docs', doc_id, '.html').name}"
        (staging / relative).write_text(html, encoding="utf-8")
        summary.pages.append(relative)
        rows.append({"id": doc_id, "title": info.get("title") or doc_id, "href": relative, "length": len(text),
                     "sentences": len(structure.sentences) if structure else 0,
                     "counts": {v.layer: v.counts if v.annotated else None for v in views}})
        summary.documents += 1
        if len(rows) == INDEX_PAGE_SIZE:
            _write_index(env, staging, index_title, rows, provenance, summary.documents // INDEX_PAGE_SIZE - 1,
                         index_pages)
            rows = []
    if pending is not None:
        raise CashError("layer annotates a document that is not in the corpus",
                        Location(file=str(chosen[next(iter(pending[1]))]), document_id=pending[0]))
    if rows or not summary.documents:
        _write_index(env, staging, index_title, rows, provenance, index_pages - 1, index_pages)
    summary.pages[:0] = [index_name(k) for k in range(index_pages)]
    figures = write_stats(corpus, chosen, collector, staging / "plots") if plots else []
    (staging / "stats.html").write_text(env.get_template("stats.html").render(
        title="Statistics", figures=figures, layers=list(chosen), root=""), encoding="utf-8")
    summary.pages.insert(index_pages, "stats.html")
    return summary


def index_name(number: int) -> str:
    return "index.html" if number == 0 else f"index-{number + 1}.html"


def _write_index(env: Environment, staging: Path, title: str, rows: list[dict], provenance: dict, number: int,
                 total: int) -> None:
    """One page of the document index (INDEX_PAGE_SIZE documents each, so no page grows with the corpus)."""
    pages = [(k + 1, index_name(k)) for k in range(total)] if total > 1 else []
    html = env.get_template("index.html").render(title=title, rows=rows, layers=list(provenance), provenance=provenance,
                                                 root="", pages=pages,
                                                 current=number + 1, first=number * INDEX_PAGE_SIZE)
    (staging / index_name(number)).write_text(html, encoding="utf-8")
