"""Checks of one annotation layer, streamed document by document.

The records of a document are contiguous (its `document` line, then its annotations), so only
one document's records are held at a time; its raw text is read once, when the document ends.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..paths import is_valid_document_id, is_valid_layer_name
from ..schema import is_supported_schema_version
from .findings import Finding, Related, finding
from .index import CorpusIndex
from .shapes import id_findings, record_def, schema_findings
from .spans import check_spans, code_points

ANNOTATION_KINDS = ("attribution", "claim", "cue")
KIND_ORDER = {kind: rank for rank, kind in enumerate(ANNOTATION_KINDS)}


@dataclass
class _Line:
    number: int
    record: dict[str, Any]
    valid: bool


@dataclass
class _Document:
    head: _Line
    annotations: list[_Line] = field(default_factory=list)

    @property
    def document_id(self) -> Any:
        return self.head.record.get("document_id")


def check_layer(lines: Iterable[tuple[int, dict[str, Any] | Finding]], index: CorpusIndex, file: str,
                layer_name: str | None, fast: bool = True) -> Iterator[Finding]:
    """All findings for one layer given its parsed lines in file order (header first)."""
    state = _LayerState(index, file, layer_name, fast)
    for number, item in lines:
        yield from state.feed(number, item)
    yield from state.finish()


class _LayerState:
    """What must be remembered across documents: the header, seen document ids, the open document."""

    def __init__(self, index: CorpusIndex, file: str, layer_name: str | None, fast: bool):
        self.index, self.file, self.layer_name, self.fast = index, file, layer_name, fast
        self.first = True
        self.seen_documents: dict[str, int] = {}  # document id -> line of its first document record
        self.previous_document: str | None = None
        self.current: _Document | None = None

    def feed(self, number: int, item: dict[str, Any] | Finding) -> Iterator[Finding]:
        if isinstance(item, Finding):
            self.first = False
            yield item
            return
        record = item
        kind = record.get("record")
        where = _where(self.file, number, record)
        problems = schema_findings(record, record_def(record), where, self.fast)
        if not problems and kind in ("layer", "document"):
            problems = id_findings(record.get("layer" if kind == "layer" else "document_id"), where,
                                   "$.layer" if kind == "layer" else "$.document_id")
        yield from problems
        is_first = self.first
        if self.first:
            self.first = False
            if kind != "layer":
                yield finding("header-missing", file=self.file, line=number, found=str(kind), expected="layer")
        elif kind == "layer":
            yield finding("header-misplaced", file=self.file, line=number)
        line = _Line(number, record, not problems)
        if kind == "layer" and is_first:
            yield from self._header(line)
        elif kind == "document":
            yield from self._close()
            yield from self._open(line)
        elif kind in ANNOTATION_KINDS:
            doc_id = record.get("document_id")
            if self.current is None or doc_id != self.current.document_id:
                yield finding("record-outside-document", None if self.current is not None else "before",
                              found=None if self.current is None else f"under {self.current.document_id}",
                              expected=f"under {doc_id}", **where)
            else:
                self.current.annotations.append(line)

    def finish(self) -> Iterator[Finding]:
        yield from self._close()
        if self.first:
            yield finding("layer-empty", file=self.file)

    def _header(self, line: _Line) -> Iterator[Finding]:
        record, where = line.record, {"file": self.file, "line": line.number}
        name = record.get("layer")
        if self.layer_name is not None and is_valid_layer_name(name) and name != self.layer_name:
            yield finding("layer-name-mismatch", found=name, expected=self.layer_name, **where)
        version = record.get("schema_version")
        if isinstance(version, str) and not is_supported_schema_version(version):
            yield finding("schema-version-unsupported", found=version,
                          expected="same MAJOR, not newer than the shipped schema", **where)
        corpus_version = record.get("corpus_version")
        if isinstance(corpus_version, str) and self.index.version and \
                not _made_within(corpus_version, self.index.version):
            yield finding("corpus-version-mismatch", found=corpus_version, expected=self.index.version, **where)

    def _open(self, line: _Line) -> Iterator[Finding]:
        self.current = _Document(line)
        doc_id = line.record.get("document_id")
        if not is_valid_document_id(doc_id):
            return
        yield from self.document_order(doc_id, line.number)

    def document_order(self, doc_id: str, number: int) -> Iterator[Finding]:
        """A document line's place among the documents before it: not repeated, sorted by id."""
        where = {"file": self.file, "line": number, "document_id": doc_id}
        if doc_id in self.seen_documents:
            yield finding("document-duplicate", related=[Related("first at", self.file, self.seen_documents[doc_id],
                                                                 doc_id)], **where)
        elif self.previous_document is not None and doc_id < self.previous_document:
            yield finding("record-unsorted", "documents", found=doc_id, expected=f"after {self.previous_document}",
                          **where)
        self.seen_documents.setdefault(doc_id, number)
        self.previous_document = doc_id

    def _close(self) -> Iterator[Finding]:
        if self.current is not None:
            yield from check_document(self.current, self.index, self.file)
            self.current = None


def _made_within(layer_version: str, corpus_version: str) -> bool:
    """A layer made against an earlier release of the same MAJOR still fits: within a MAJOR no text
    changes or goes away (README, Versioning), and text_sha256 checks each document anyway."""
    try:
        theirs, ours = (tuple(int(p) for p in v.split(".")) for v in (layer_version, corpus_version))
    except (AttributeError, ValueError):  # corpus.json's version is reported by the corpus checks
        return layer_version == corpus_version
    return len(theirs) == len(ours) == 3 and theirs[0] == ours[0] and theirs <= ours


def _where(file: str, number: int, record: dict[str, Any]) -> dict[str, Any]:
    where: dict[str, Any] = {"file": file, "line": number, "document_id": record.get("document_id")}
    if record.get("record") in ANNOTATION_KINDS:
        where["annotation_id"] = record.get("id")
    return where


def check_document(document: _Document, index: CorpusIndex, file: str) -> Iterator[Finding]:
    """Cross-record checks of one document: corpus link, ids, references, spans, order."""
    head = document.head
    doc_id = document.document_id
    base = {"file": file, "line": head.number, "document_id": doc_id}
    text_usable = False
    if is_valid_document_id(doc_id) and doc_id not in index.sha256:
        yield finding("document-unknown", **base)
    elif head.valid:
        expected = index.sha256[doc_id]
        if head.record["text_sha256"] != expected:
            yield finding("text-version-mismatch", found=head.record["text_sha256"], expected=expected, **base)
        else:
            text_usable = True
        yield from _stance_duplicates(head.record["document_stance"], base)
    for line in document.annotations:
        record = line.record
        if line.valid and record["record"] == "claim" and len(record["stance"]) > 1 and \
                len({s["target"] for s in record["stance"]}) < len(record["stance"]):
            yield from _stance_duplicates(line.record["stance"], {
                "file": file, "line": line.number, "document_id": doc_id, "annotation_id": line.record["id"],
                "start": line.record["start"], "end": line.record["end"]})
    yield from _duplicate_ids(document.annotations, file, doc_id)
    valid = [line for line in document.annotations if line.valid]
    yield from _references(document.annotations, valid, file)
    if text_usable and valid:
        raw = index.text(doc_id)
        if raw is None:
            yield finding("text-missing", "unreadable", **base)
        else:
            yield from _spans(valid, code_points(raw), raw, file)
    yield from _order(valid, file)


def _stance_duplicates(stances: list[dict[str, Any]], where: dict[str, Any]) -> Iterator[Finding]:
    counts = Counter(s["target"] for s in stances)
    for target, count in counts.items():
        if count > 1:
            yield finding("stance-target-duplicate", target=target, count=count, found=target, **where)


def _duplicate_ids(lines: list[_Line], file: str, doc_id: Any) -> Iterator[Finding]:
    first_line: dict[str, int] = {}
    for line in lines:
        ann_id = line.record.get("id")
        if not isinstance(ann_id, str):
            continue
        if ann_id in first_line:
            yield finding("id-duplicate", file=file, line=line.number, document_id=doc_id, annotation_id=ann_id,
                          related=[Related("first at", file, first_line[ann_id], doc_id, ann_id)])
        else:
            first_line[ann_id] = line.number


def _references(lines: list[_Line], valid: list[_Line], file: str) -> Iterator[Finding]:
    """holder.attribution_id → attribution, cue.claims → claim, attribution.parent → attribution."""
    ids: dict[str, set[str]] = {kind: set() for kind in ANNOTATION_KINDS}
    for line in lines:
        ann_id = line.record.get("id")
        if isinstance(ann_id, str) and line.record.get("record") in ids:
            ids[line.record["record"]].add(ann_id)
    parents: dict[str, str] = {}
    for line in valid:
        record = line.record
        where = {"file": file, "line": line.number, "document_id": record["document_id"], "annotation_id": record["id"]}
        kind = record["record"]
        if kind == "claim":
            holder = record["holder"]
            if (holder["type"] == "attribution") != (holder["attribution_id"] is not None):
                yield finding("holder-inconsistent", None if holder["type"] == "attribution" else "author",
                              found=f"type={holder['type']}, attribution_id={holder['attribution_id']}", **where)
            target = holder["attribution_id"]
            if target is not None and target not in ids["attribution"]:
                yield _dangling("$.holder.attribution_id", target, "attribution", where)
        elif kind == "cue":
            for target in record["claims"]:
                if target not in ids["claim"]:
                    yield _dangling("$.claims", target, "claim", where)
        elif kind == "attribution" and record["parent"] is not None:
            if record["parent"] not in ids["attribution"]:
                yield _dangling("$.parent", record["parent"], "attribution", where)
            else:
                parents[record["id"]] = record["parent"]
    in_cycles: set[str] = set()
    yield from _cycles(parents, {line.record["id"]: line for line in valid}, file, in_cycles)
    yield from _containment(valid, file, in_cycles)


def _dangling(path: str, target: str, kind: str, where: dict[str, Any]) -> Finding:
    return finding("ref-dangling", at=path, kind=kind, found=target, expected=f"the id of a {kind}", **where)


def _cycles(parents: dict[str, str], by_id: dict[str, _Line], file: str, in_cycles: set[str]) -> Iterator[Finding]:
    """Each cycle of attribution.parent links once, at its first member in file order (linear time)."""
    done: set[str] = set()
    for start in sorted(parents, key=lambda a: by_id[a].number if a in by_id else 0):
        path: list[str] = []
        on_path: set[str] = set()
        node = start
        while node in parents and node not in done and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = parents[node]
        if node in on_path:
            cycle = path[path.index(node):]
            in_cycles.update(cycle)
            first = min(cycle, key=lambda a: by_id[a].number if a in by_id else 0)
            line = by_id.get(first)
            yield finding("ref-cycle", file=file, line=line.number if line else None,
                          document_id=line.record["document_id"] if line else None, annotation_id=first,
                          found=" → ".join(cycle + [node]))
        done.update(path)


def _inside(inner: tuple[int, int], outer: dict[str, Any]) -> bool:
    return outer["start"] <= inner[0] and inner[1] <= outer["end"]


def _containment(valid: list[_Line], file: str, in_cycles: set[str]) -> Iterator[Finding]:
    """Guideline invariants (warnings): reported claims inside their attribution's content; nesting inside parent."""
    attributions = {line.record["id"]: line.record for line in valid if line.record["record"] == "attribution"}
    for line in valid:
        record = line.record
        where = {"file": file, "line": line.number, "document_id": record["document_id"], "annotation_id": record["id"]}
        if record["record"] == "claim":
            outer = attributions.get(record["holder"]["attribution_id"])
            if outer is not None and not _inside((record["start"], record["end"]), outer["content"]):
                yield finding("claim-outside-attribution", start=record["start"], end=record["end"],
                              expected=f"inside [{outer['content']['start']}, {outer['content']['end']}) of {outer['id']}",
                              **where)
        elif (record["record"] == "attribution" and record["parent"] in attributions
              and record["id"] not in in_cycles):
            outer = attributions[record["parent"]]
            spans = [record[k] for k in ("source", "cue", "content") if record[k] is not None]
            extent = (min(s["start"] for s in spans), max(s["end"] for s in spans))
            if not _inside(extent, outer["content"]):
                yield finding("attribution-outside-parent", start=extent[0], end=extent[1],
                              expected=f"inside [{outer['content']['start']}, {outer['content']['end']}) of {outer['id']}",
                              **where)
        if record["record"] == "attribution":
            cue, content, source = record["cue"], record["content"], record["source"]
            if (content["start"] <= cue["start"] and cue["end"] <= content["end"]) or (
                    source is not None and source["start"] == content["start"] and source["end"] == content["end"]):
                yield from _attribution_parts(record, where)


def _attribution_parts(record: dict[str, Any], where: dict[str, Any]) -> Iterator[Finding]:
    """An attribution's cue is not part of what is reported, and its source is not the report itself."""
    cue, content, source = record["cue"], record["content"], record["source"]
    if _inside((cue["start"], cue["end"]), content):
        yield finding("attribution-cue-in-content", start=cue["start"], end=cue["end"], found=cue["text"],
                      expected=f"outside the content [{content['start']}, {content['end']})", **where)
    if source is not None and (source["start"], source["end"]) == (content["start"], content["end"]):
        yield finding("attribution-source-is-content", start=source["start"], end=source["end"],
                      found=source["text"], **where)


def _span_fields(record: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    if record["record"] == "attribution":
        for key in ("source", "cue", "content"):
            if record[key] is not None:
                yield f"$.{key}", record[key]
    elif record["record"] in ("claim", "cue"):
        yield "$", record


def _spans(valid: list[_Line], raw: np.ndarray, text: str, file: str) -> Iterator[Finding]:
    """Offsets and span text of every span of the document, checked together on arrays."""
    owners: list[tuple[_Line, str]] = []
    starts: list[int] = []
    ends: list[int] = []
    texts: list[str] = []
    for line in valid:
        for path, span in _span_fields(line.record):
            owners.append((line, path))
            starts.append(int(span["start"]))
            ends.append(int(span["end"]))
            texts.append(span["text"])
    if not owners:
        return
    verdict = check_spans(raw, np.array(starts), np.array(ends), texts)
    failing = np.flatnonzero(verdict.empty | verdict.out_of_range | verdict.text_mismatch | verdict.whitespace)
    for i in failing:
        line, path = owners[i]
        where = {"file": file, "line": line.number, "document_id": line.record["document_id"],
                 "annotation_id": line.record["id"], "start": starts[i], "end": ends[i]}
        if verdict.empty[i]:
            yield finding("offset-empty", at=path, found=f"[{starts[i]}, {ends[i]})", **where)
        elif verdict.out_of_range[i]:
            yield finding("offset-out-of-range", at=path, found=str(ends[i]), expected=f"<= {raw.size}", **where)
        elif verdict.text_mismatch[i]:
            yield finding("span-text-mismatch", at=path, found=texts[i], expected=text[starts[i]:ends[i]], **where)
        else:
            yield finding("span-whitespace", at=path, found=texts[i], expected=texts[i].strip(), **where)


def _order_key(record: dict[str, Any]) -> tuple:
    anchor = record["cue"] if record["record"] == "attribution" else record
    return (KIND_ORDER[record["record"]], anchor["start"], anchor["end"], record["id"])


def _order(valid: list[_Line], file: str) -> Iterator[Finding]:
    """Canonical order (attributions, claims, cues, each by offset): reported once per document."""
    previous = None
    for line in valid:
        key = _order_key(line.record)
        if previous is not None and key < previous:
            yield finding("record-unsorted", file=file, line=line.number, document_id=line.record["document_id"],
                          annotation_id=line.record["id"],
                          expected="attributions, then claims, then cues, each sorted by offset")
            return
        previous = key
