"""Label Studio JSON export -> canonical CASH annotation layers, validated before anything is written.

Annotators (named by e-mail; a bare numeric id only as a fallback, said in the provenance):
`split` (default) writes one layer per annotator, `<layer>-<annotator>`; `merge` writes all
annotators into `<layer>`, refusing a document annotated twice unless `latest` says to keep the
most recently updated annotation. A draft never replaces a submitted annotation; everything left
out is listed. Cancelled annotations are skipped and counted; drafts are imported only when
asked; tasks without annotations (e.g. predictions only) are counted; empty submissions and stale
tasks (text changed since the push) are refused unless asked. Records are named with CASH ids
(`ids.py`), whatever ids the editor used. Every bad task, annotation or region of the export is
reported, each with its location, and then nothing is written.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import zip_longest
from pathlib import Path
from typing import Any

from ..corpus import Corpus
from ..errors import CashError, Location, UsageError
from ..jsonl import dumps_line, gc_paused
from ..layers import document_from_records, layer_rows, stage_layer
from ..transaction import corpus_transaction
from ..paths import is_valid_layer_name
from ..records import (Attribution, Claim, Cue, DocumentAnnotations, LayerHeader, Provenance, Span,
                       Stance)
from ..schema import is_optional, label_names, record_kinds, schema_version
from . import config as C
from .export_reader import iter_export_tasks
from .ids import assign_ids
from .offsets import Counting, TextIndex, resolve_offsets

SPLIT, MERGE = "split", "merge"


@dataclass
class ImportStats:
    """What an import saw and did; printed by the CLI."""

    tasks: int = 0
    annotations: int = 0
    drafts: int = 0
    cancelled: int = 0
    unannotated: int = 0
    utf16_regions: int = 0
    stale: list = field(default_factory=list)        # StaleTask skipped with --skip-stale
    dropped: list[str] = field(default_factory=list)  # annotations left out (drafts, --latest), one line each
    empty: list[str] = field(default_factory=list)    # empty submissions imported with --allow-empty
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


@dataclass
class _Where:
    """The task, annotation and region being read, for every message."""

    file: str
    task: Any
    document_id: str | None = None
    annotation: Any = None

    def error(self, message: str, region: str | None = None, start: int | None = None,
              end: int | None = None, hint: str | None = None) -> CashError:
        region = None if region is None else _escaped(str(region))
        parts = [f"task {_escaped(str(self.task))}"]
        if self.annotation is not None:
            parts.append(f"annotation {_escaped(str(self.annotation))}")
        if region is not None:
            parts.append(f"region {region}")
        return CashError(f"{', '.join(parts)}: {_escaped(message)}",
                         Location(file=self.file, document_id=self.document_id, annotation_id=region,
                                  start=start, end=end), hint)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _escaped(text: str) -> str:
    """Input text quoted in a message with control characters escaped (an export can hold any bytes)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else
                        f"\\u{ord(m.group()):04x}", text)


@dataclass
class _Region:
    id: str
    label: str
    span: Span
    choices: dict[str, str] = field(default_factory=dict)
    stance: list[Stance] = field(default_factory=list)
    note: str | None = None
    meta_text: str | None = None  # the editor's per-region meta text (info box), kept in the record's note

    def full_note(self) -> str | None:
        """The note TextArea and the region's meta text together: neither is dropped."""
        if self.meta_text is None:
            return self.note
        return self.meta_text if self.note is None else f"{self.note}\n{self.meta_text}"


def _single(values: Any, what: str, where: _Where, region: str | None) -> str:
    if not (isinstance(values, list) and len(values) == 1 and isinstance(values[0], str)):
        raise where.error(f"{what} must hold exactly one value, got {values!r}", region)
    return values[0]


def _text_value(value: dict, where: _Where, region: str | None) -> str:
    texts = value.get("text")
    if not (isinstance(texts, list) and all(isinstance(t, str) for t in texts) and texts):
        raise where.error(f"text area must hold a list of strings, got {texts!r}", region)
    return "\n".join(texts)


def _meta_text(result: dict, where: _Where, region: str | None) -> str | None:
    """The region meta text of one result (`meta.text`, a list of strings), or None."""
    meta = result.get("meta")
    if meta is None:
        return None
    if not isinstance(meta, dict):
        raise where.error(f"region meta must be an object, got {type(meta).__name__}", region)
    texts = meta.get(C.META_TEXT)
    if texts is None:
        return None
    if isinstance(texts, str):
        texts = [texts]
    if not (isinstance(texts, list) and all(isinstance(t, str) for t in texts)):
        raise where.error(f"region meta text must be a list of strings, got {texts!r}", region)
    joined = "\n".join(t for t in texts if t)
    return joined or None


def _read_regions(results: list, index: TextIndex, where: _Where, stats: ImportStats,
                  counting: Counting | None = None) -> dict[str, _Region]:
    """Span regions first: everything else refers to them by id."""
    regions: dict[str, _Region] = {}
    for result in results:
        if not isinstance(result, dict):
            raise where.error(f"result item is not an object: {result!r}")
        if result.get("type") != "labels":
            continue
        rid = result.get("id")
        if result.get("from_name") != C.SPAN or result.get("to_name") != C.TEXT:
            raise where.error(f"unknown from_name/to_name {result.get('from_name')!r}/{result.get('to_name')!r} "
                              f"for a span", rid, hint=f"spans use from_name {C.SPAN!r}, to_name {C.TEXT!r}")
        if not isinstance(rid, str) or not rid:
            raise where.error("span region has no id")
        if rid in regions:
            raise where.error("two span regions share this id", rid)
        value = result.get("value") or {}
        label = _single(value.get("labels"), "span labels", where, rid)
        if label not in C.SPAN_LABELS:
            raise where.error(f"unknown label {label!r}", rid, hint=f"one of {list(C.SPAN_LABELS)}")
        resolved = resolve_offsets(index, value.get("start"), value.get("end"), value.get("text"), counting)
        if isinstance(resolved, str):
            start, end = value.get("start"), value.get("end")
            raise where.error(resolved, rid, start if isinstance(start, int) else None,
                              end if isinstance(end, int) else None)
        start, end, counting = resolved
        stats.utf16_regions += counting is Counting.UTF16
        regions[rid] = _Region(rid, label, Span(start, end, index.text[start:end]),
                               meta_text=_meta_text(result, where, rid))
    return regions


def _region_choice(region: _Region, name: str, value: str, where: _Where) -> None:
    if name.startswith(C.STANCE_PREFIX):
        target = name[len(C.STANCE_PREFIX):]
        if target not in C.stance_targets():
            raise where.error(f"unknown from_name {name!r} (no such stance target)", region.id)
        if value not in label_names("stance_polarity"):
            raise where.error(f"unknown stance {value!r} for {target}", region.id)
        if region.label != C.CLAIM:
            raise where.error(f"stance given on a {region.label} region; only claims take a stance", region.id)
        if any(s.target == target for s in region.stance):
            raise where.error(f"two stances toward {target}", region.id)
        region.stance.append(Stance(target, value))
        return
    choices = C.region_choices()
    if name not in choices:
        raise where.error(f"unknown from_name {name!r}", region.id)
    inventory, owner = choices[name]
    if owner != region.label:
        raise where.error(f"{name} given on a {region.label} region; it belongs to {owner} regions", region.id)
    if value not in label_names(inventory):
        raise where.error(f"unknown label {value!r} for {name}", region.id, hint=f"one of {label_names(inventory)}")
    if name in region.choices:
        raise where.error(f"{name} given twice", region.id)
    region.choices[name] = value


def _read_controls(results: list, regions: dict[str, _Region], where: _Where) -> tuple[list[Stance], str | None, list]:
    """Per-region choices and notes into their regions; returns document stance, document note, relations."""
    document_stance: list[Stance] = []
    document_note: str | None = None
    relations = []
    for result in results:
        kind, name, rid = result.get("type"), result.get("from_name"), result.get("id")
        value = result.get("value") or {}
        if kind == "labels":
            continue
        if kind == "relation":
            relations.append(result)
            continue
        if result.get("to_name") != C.TEXT:
            raise where.error(f"unknown to_name {result.get('to_name')!r}", rid)
        if kind == "choices" and isinstance(name, str) and name.startswith(C.DOCUMENT_STANCE_PREFIX):
            target = name[len(C.DOCUMENT_STANCE_PREFIX):]
            polarity = _single(value.get("choices"), name, where, rid)
            if target not in C.stance_targets():
                raise where.error(f"unknown from_name {name!r} (no such stance target)", rid)
            if polarity not in label_names("document_stance_polarity"):
                raise where.error(f"unknown document stance {polarity!r} for {target}", rid)
            document_stance.append(Stance(target, polarity))
        elif kind == "textarea" and name == C.DOCUMENT_NOTE:
            document_note = _text_value(value, where, rid)
        elif kind in ("choices", "textarea"):
            if rid not in regions:
                raise where.error(f"{kind} {name!r} refers to no span region", rid)
            if regions[rid].meta_text is None:
                regions[rid].meta_text = _meta_text(result, where, rid)
            if kind == "choices":
                _region_choice(regions[rid], name, _single(value.get("choices"), str(name), where, rid), where)
            elif name == C.NOTE:
                regions[rid].note = _text_value(value, where, rid)
            else:
                raise where.error(f"unknown from_name {name!r}", rid)
        else:
            raise where.error(f"unknown result type {kind!r} (from_name {name!r})", rid)
    return document_stance, document_note, relations


def _links(relations: list, regions: dict[str, _Region], where: _Where) -> dict[str, dict[str, list[str]]]:
    """region id -> relation label -> target region ids, in export order; checks ends and labels."""
    ends = {C.HOLDER: (C.CLAIM, C.ATT_CUE), C.MODIFIES: (C.CUE, C.CLAIM), C.SOURCE: (C.ATT_CUE, C.ATT_SOURCE),
            C.CONTENT: (C.ATT_CUE, C.ATT_CONTENT), C.PARENT: (C.ATT_CUE, C.ATT_CUE)}
    links: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for relation in relations:
        a, b = relation.get("from_id"), relation.get("to_id")
        for end in (a, b):
            if end not in regions:
                raise where.error(f"dangling relation {a} -> {b}: no region {end!r}", str(end))
        label = _single(relation.get("labels"), f"relation {a} -> {b} labels", where, a)
        direction = relation.get("direction", "right")
        if direction == "left":
            a, b = b, a
        elif direction != "right":
            raise where.error(f"relation {a} -> {b} has direction {direction!r}; use right or left", a)
        if label not in ends:
            raise where.error(f"unknown relation label {label!r}", a, hint=f"one of {list(ends)}")
        want = ends[label]
        if (regions[a].label, regions[b].label) != want:
            raise where.error(f"a {label!r} relation goes from a {want[0]} to a {want[1]}, not from a "
                              f"{regions[a].label} to a {regions[b].label} ({a} -> {b})", a)
        links[a][label].append(b)
    return links


def _need(region: _Region, name: str, where: _Where) -> str:
    if name not in region.choices:
        raise where.error(f"{region.label} region lacks {name}", region.id, region.span.start, region.span.end)
    return region.choices[name]


def _labelled(region: _Region, kind: str, where: _Where) -> dict[str, Any]:
    """The labelled fields of record `kind` from the region's choices, nested as on disk
    ({"claim_type": …, "holder": {"type": …}}): every control of `config.region_fields`; a required
    field without its choice is an error, an optional one is left out."""
    out: dict[str, Any] = {}
    for region_field in C.region_fields():
        if region_field.kind != kind:
            continue
        if region_field.control not in region.choices and is_optional(record_kinds()[kind], region_field.path):
            continue
        target = out
        *parents, last = region_field.path.split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[last] = _need(region, region_field.control, where)
    return out


def _at_most_one(region: _Region, targets: list[str], label: str, where: _Where) -> str | None:
    if len(targets) > 1:
        raise where.error(f"more than one {label!r} relation from this region: {targets}", region.id)
    return targets[0] if targets else None


def _regions_one_counting(results: list, index: TextIndex, where: _Where, stats: ImportStats,
                          offsets: Counting | None) -> dict[str, _Region]:
    """All regions of one annotation read with one counting: one front-end made them all.

    Auto (`offsets` None): code points if every region matches so, else UTF-16 if every region
    matches so. A text can make both readings match (repeated characters after an emoji); then
    code points (the current front-end) win: pass `offsets` to say which when you know.
    """
    if offsets is not None:
        return _read_regions(results, index, where, stats, offsets)
    for counting in (Counting.CODE_POINTS, Counting.UTF16):
        trial = ImportStats()
        try:
            regions = _read_regions(results, index, where, trial, counting)
        except CashError:
            continue
        stats.utf16_regions += trial.utf16_regions
        return regions
    return _read_regions(results, index, where, ImportStats(), None)  # raises, naming the first bad region


def results_to_document(results: Any, text: str, document_id: str, text_sha256: str, where: _Where,
                        stats: ImportStats | None = None, offsets: Counting | None = None) -> DocumentAnnotations:
    """One annotation's results as a DocumentAnnotations, named with CASH ids (`ids.assign_ids`).

    The inverse of `tasks.document_results` up to ids. Region ids are the editor's (any string):
    they link results and relations here and are kept as each record's `ls_region_id`.
    """
    stats = stats or ImportStats()
    if not isinstance(results, list):
        raise where.error(f"result must be a list, got {type(results).__name__}")
    regions = _regions_one_counting(results, TextIndex.of(text), where, stats, offsets)
    document_stance, document_note, relations = _read_controls(results, regions, where)
    links = _links(relations, regions, where)
    claims, cues, attributions, used = [], [], [], set()
    for region in regions.values():
        out = links.get(region.id, {})
        if region.label == C.CLAIM:
            labelled = _labelled(region, "claim", where)
            holder_type = labelled["holder"]["type"]
            holder_id = _at_most_one(region, out.get(C.HOLDER, []), C.HOLDER, where)
            if (holder_type == "attribution") != (holder_id is not None):
                raise where.error(f"holder is {holder_type!r} but the claim has {'a' if holder_id else 'no'} "
                                  "holder relation", region.id, hint="an attribution holder needs exactly one "
                                  "'holder' relation to the attribution cue; the author needs none")
            labelled["holder"]["attribution_id"] = holder_id
            claims.append(Claim.from_dict({
                "id": region.id, "document_id": document_id, **region.span.to_dict(), **labelled,
                "stance": [s.to_dict() for s in region.stance], "note": region.full_note(),
                "ls_region_id": region.id}))
        elif region.label == C.CUE:
            targets = out.get(C.MODIFIES, [])
            if not targets:
                raise where.error("cue modifies no claim (add a 'modifies' relation to its claim)", region.id,
                                  region.span.start, region.span.end)
            cues.append(Cue.from_dict({
                "id": region.id, "document_id": document_id, **region.span.to_dict(),
                **_labelled(region, "cue", where), "claims": list(targets), "note": region.full_note(),
                "ls_region_id": region.id}))
        elif region.label == C.ATT_CUE:
            source = _at_most_one(region, out.get(C.SOURCE, []), C.SOURCE, where)
            content = _at_most_one(region, out.get(C.CONTENT, []), C.CONTENT, where)
            if content is None:
                raise where.error("attribution has no content (add a 'content' relation)", region.id,
                                  region.span.start, region.span.end)
            used.update(x for x in (source, content) if x)
            attributions.append(Attribution.from_dict({
                "id": region.id, "document_id": document_id,
                "source": regions[source].span.to_dict() if source else None, "cue": region.span.to_dict(),
                "content": regions[content].span.to_dict(), **_labelled(region, "attribution", where),
                "parent": _at_most_one(region, out.get(C.PARENT, []), C.PARENT, where),
                "note": _attribution_note(region, regions[source] if source else None, regions[content]),
                "ls_region_id": region.id}))
    for region in regions.values():
        if region.label in (C.ATT_SOURCE, C.ATT_CONTENT) and region.id not in used:
            raise where.error(f"{region.label} region belongs to no attribution", region.id,
                              region.span.start, region.span.end)
        if region.label in (C.ATT_SOURCE, C.ATT_CONTENT) and (region.choices or region.stance or region.note):
            raise where.error(f"{region.label} region carries choices or a note; put them on the attribution cue",
                              region.id)
    return assign_ids(DocumentAnnotations(document_id, text_sha256, tuple(document_stance), tuple(claims),
                                          tuple(cues), tuple(attributions), document_note))


def _attribution_note(cue: _Region, source: _Region | None, content: _Region) -> str | None:
    """The cue's note and meta text, plus any meta text typed on the source or content region."""
    parts = [cue.full_note()]
    parts += [f"{name}: {region.meta_text}" for name, region in (("source", source), ("content", content))
              if region is not None and region.meta_text is not None]
    kept = [p for p in parts if p is not None]
    return "\n".join(kept) if kept else None


def _layer_validator():
    """`cash_corpus.validation.validate_layer_rows` when that module is installed, else None."""
    try:
        from ..validation import validate_layer_rows
    except ImportError:
        return None
    return validate_layer_rows


def _schema_check(doc: DocumentAnnotations, where: _Where) -> None:
    """Fallback per-document schema check, used only when `cash_corpus.validation` is absent."""
    from ..schema import validator
    for row in doc.records():
        definition = "document_record" if row["record"] == "document" else row["record"]
        for error in validator(definition).iter_errors(row):
            path = "/".join(str(p) for p in error.absolute_path)
            raise where.error(f"{row['record']} is not schema-valid at {path or '/'}: {error.message}", row.get("id"))


def _validate_layer(path: Path, header: LayerHeader, items: list["_Taken"], spool: "_Spool", corpus: Corpus,
                    export: Path) -> None:
    """The whole layer through `cash validate`'s checks, streamed from the spool; an error names the
    task and annotation it came from."""
    validate_layer_rows = _layer_validator()
    if validate_layer_rows is None:
        return
    from ..validation.findings import format_finding
    origin = {item.document_id: item for item in items}
    rows = layer_rows(header, spool.documents(items), presorted=True)
    for finding in validate_layer_rows(rows, corpus, str(path)):
        if finding.severity != "error":
            continue
        item = origin.get(finding.document_id)
        where = _Where(str(export), item.task if item else "?", finding.document_id, item.annotation if item else None)
        raise where.error(f"would write an invalid layer: {format_finding(finding)}", finding.annotation_id,
                          finding.start, finding.end)


def annotator_name(user: Any, emails: dict[int, str] | None = None) -> tuple[str, bool]:
    """(layer-name-safe annotator key, whether only a numeric user id was known).

    An e-mail (from the export's user fields, a draft's `user`, or `emails` looked up through the
    API on pull) gives its slug; a bare numeric id gives `user<id>` and says so."""
    if isinstance(user, dict):
        user = user.get("email") or user.get("id")
    if isinstance(user, int) and not isinstance(user, bool):
        if emails and user in emails:
            user = emails[user]
        else:
            return f"user{user}", True
    if isinstance(user, str) and user:
        slug = re.sub(r"[^a-z0-9]+", "-", user.lower()).strip("-")
        if slug:
            return slug[:40], False
    raise CashError(f"cannot tell who made this annotation (completed_by {user!r})")


@dataclass
class _Taken:
    """One usable annotation of the export; its document lives in the spool, not in memory."""

    document_id: str
    block: tuple[int, int]  # (offset, length) in the spool
    updated: str
    task: Any
    annotation: Any
    annotator: str
    kind: str = "annotation"      # or "draft"
    annotator_is_id: bool = False

    def __str__(self) -> str:
        what = "draft" if self.kind == "draft" else "annotation"
        return f"task {self.task} {what} {self.annotation} by {self.annotator} ({self.updated or 'no time'})"


@dataclass(frozen=True)
class StaleTask:
    task: Any
    document_id: str

    def __str__(self) -> str:
        return f"task {self.task} (document {self.document_id})"


class _Spool:
    """A temporary file of converted documents, one JSON block each, so an import holds only a
    small index per annotation in memory however large the export (documents are read back in
    id order when the layers are validated and written)."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()

    def put(self, doc: DocumentAnnotations) -> tuple[int, int]:
        data = json.dumps(doc.records(), ensure_ascii=False).encode("utf-8")
        offset = self.file.seek(0, 2)
        self.file.write(data)
        return offset, len(data)

    def get(self, block: tuple[int, int]) -> DocumentAnnotations:
        self.file.seek(block[0])
        return document_from_records(json.loads(self.file.read(block[1])))

    def documents(self, items: list[_Taken]) -> Iterator[DocumentAnnotations]:
        """The documents of `items` (already sorted by document id), read back one at a time."""
        return (self.get(item.block) for item in items)

    def close(self) -> None:
        self.file.close()


def _annotation_units(task: dict, drafts: bool, stats: ImportStats):
    """(kind, object, user) for each annotation (and draft, when asked); counts cancelled ones."""
    for annotation in task.get("annotations") or []:
        if annotation.get("was_cancelled"):
            stats.cancelled += 1
            continue
        stats.annotations += 1
        yield "annotation", annotation, annotation.get("completed_by")
    if drafts:
        for draft in task.get("drafts") or []:
            stats.drafts += 1
            yield "draft", draft, draft.get("user") or draft.get("created_username")


def _corpus_index(corpus: Corpus) -> dict[str, str]:
    return {meta["id"]: meta["sha256"] for meta in corpus.documents()}


class _Stale(Exception):
    """The task's text is not (any longer) the corpus text."""


def _check_task(task: dict, known: dict[str, str], where: _Where) -> tuple[str, str, str]:
    """(document id, text, sha256) of a task whose text is exactly the corpus text; `_Stale` if it changed."""
    data = task.get("data")
    if not isinstance(data, dict):
        raise where.error("task has no data object")
    document_id = data.get("document_id")
    if document_id not in known:
        raise where.error(f"unknown document {document_id!r}: not in this corpus",
                          hint="push tasks made by `cash ls tasks` from this corpus")
    where.document_id = document_id
    text = data.get("text")
    if not isinstance(text, str):
        raise where.error("task data has no text")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if digest != known[document_id] or data.get("text_sha256") != known[document_id]:
        raise _Stale(f"task text (sha256 {digest[:12]}…, declared {str(data.get('text_sha256'))[:12]}…) "
                     f"is not the corpus text (sha256 {known[document_id][:12]}…)")
    return document_id, text, known[document_id]  # equal to the corpus text: its sha256 was just checked


MAX_REPORTED = 20


class _Problems:
    """Every problem of an export, collected so one run reports them all (the first MAX_REPORTED in full)."""

    def __init__(self, export: Path) -> None:
        self.export, self.errors = export, []

    def add(self, error: CashError) -> None:
        self.errors.append(error)

    def raise_if_any(self) -> None:
        if not self.errors:
            return
        if len(self.errors) == 1:
            raise self.errors[0]
        shown = "\n".join(f"  - {error}" for error in self.errors[:MAX_REPORTED])
        more = len(self.errors) - MAX_REPORTED
        raise CashError(f"{len(self.errors)} problems in this export, nothing written"
                        f"{f' (the first {MAX_REPORTED} shown, {more} more)' if more > 0 else ''}:\n{shown}",
                        Location(file=str(self.export)))


def _is_empty(results: Any) -> bool:
    return isinstance(results, list) and not results


def _lead_time(unit: dict) -> float | None:
    value = unit.get("lead_time")
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def read_export(corpus: Corpus, export: Path, spool: _Spool, *, drafts: bool = False,
                offsets: Counting | None = None, stats: ImportStats | None = None, skip_stale: bool = False,
                allow_empty: bool = False, emails: dict[int, str] | None = None) -> tuple[ImportStats, list[_Taken]]:
    """Every usable annotation of the export as checked documents, spooled.

    Problems are collected over the whole export and raised together at the end (nothing is
    written then); stale tasks (their text changed since the push) are problems unless `skip_stale`.
    """
    stats = stats or ImportStats()
    known = _corpus_index(corpus)
    taken: list[_Taken] = []
    problems = _Problems(export)
    stale: list[tuple[StaleTask, str]] = []
    for number, task in iter_export_tasks(export):
        stats.tasks += 1
        where = _Where(str(export), task.get("id", f"#{number}"))
        try:
            document_id, text, digest = _check_task(task, known, where)
        except CashError as exc:
            problems.add(exc)
            continue
        except _Stale as exc:
            stale.append((StaleTask(where.task, where.document_id), str(exc)))
            continue
        units = list(_annotation_units(task, drafts, stats))
        if not units:
            stats.unannotated += 1
        for kind, unit, user in units:
            where.annotation = f"{unit.get('id')}" if kind == "annotation" else f"draft {unit.get('id')}"
            try:
                try:
                    annotator, is_id = annotator_name(user, emails)
                except CashError as exc:
                    raise where.error(exc.message) from exc
                results = unit.get("result")
                if _is_empty(results):
                    if not allow_empty:
                        raise where.error(f"empty {kind}: submitted with no regions and no choices",
                                          hint="pass --allow-empty to import it as a document without annotations")
                    stats.empty.append(f"task {where.task} {kind} {unit.get('id')} by {annotator}")
                doc = results_to_document(results, text, document_id, digest, where, stats, offsets)
                if _layer_validator() is None:
                    _schema_check(doc, where)
            except CashError as exc:
                problems.add(exc)
                continue
            updated = str(unit.get("updated_at") or unit.get("created_at") or "")
            doc = replace(doc, ls_annotation={
                "task": where.task, "annotation": unit.get("id"), "kind": kind, "annotator": annotator,
                "annotator_is_id": is_id, "updated_at": updated or None, "lead_time": _lead_time(unit)})
            taken.append(_Taken(document_id, spool.put(doc), updated, where.task, unit.get("id"), annotator, kind,
                                is_id))
    if stale and skip_stale:
        stats.stale = [item for item, _ in stale]
    elif stale:
        names = ", ".join(str(item) for item, _ in stale)
        first = stale[0][1]
        problems.add(CashError(f"{len(stale)} stale task(s), made from an older text of their document: {names} "
                               f"(e.g. {first})", Location(file=str(export)),
                               hint="re-push (`cash ls push`) and annotate the current text, or pass --skip-stale "
                               "to import the other tasks and leave these out"))
    problems.raise_if_any()
    return stats, taken


def group_layers(taken: list[_Taken], layer: str, annotators: str, latest: bool,
                 stats: ImportStats | None = None) -> dict[str, list[_Taken]]:
    """Layer name -> one annotation per document.

    A submitted annotation always wins over drafts (whatever their times); two submitted (or, with
    no submitted one, two drafts) for one document of one layer are refused unless `latest` keeps
    the most recently updated. Every annotation left out is listed in `stats.dropped`.
    """
    if annotators not in (SPLIT, MERGE):
        raise UsageError(f"--annotators must be {SPLIT} or {MERGE}, not {annotators!r}")
    stats = stats if stats is not None else ImportStats()
    candidates: dict[str, dict[str, list[_Taken]]] = defaultdict(lambda: defaultdict(list))
    for item in taken:
        name = layer if annotators == MERGE else f"{layer}-{item.annotator}"
        if not is_valid_layer_name(name):
            raise UsageError(f"layer name {name!r} is not valid", hint="lowercase letters, digits, '-' and '_'")
        candidates[name][item.document_id].append(item)
    chosen: dict[str, list[_Taken]] = {}
    refused = []
    for name, docs in candidates.items():
        kept = []
        for document_id in sorted(docs):
            items = docs[document_id]
            submitted = [i for i in items if i.kind == "annotation"]
            pool = submitted or items
            stats.dropped += [f"{i} (a draft never replaces a submitted annotation)" for i in items
                              if submitted and i.kind == "draft"]
            pool = sorted(pool, key=lambda i: (i.updated, str(i.annotation)))
            if len(pool) > 1 and not latest:
                refused.append(f"document {document_id} in layer {name!r}: " + "; ".join(str(i) for i in pool))
                continue
            stats.dropped += [f"{i} (older than {pool[-1].kind} {pool[-1].annotation}, --latest)" for i in pool[:-1]]
            kept.append(pool[-1])
        chosen[name] = kept
    if refused:
        shown = "\n".join(f"  - {line}" for line in refused[:MAX_REPORTED])
        hint = ("pass --latest to keep the most recently updated one (the others are listed), or --annotators split "
                "to write one layer per annotator" if annotators == MERGE else
                "one annotator annotated one document more than once (in several tasks); pass --latest to keep "
                "the most recently updated one (the others are listed)")
        raise CashError(f"{len(refused)} document(s) annotated more than once for one layer:\n{shown}", hint=hint)
    return chosen


def layer_header(name: str, items: list[_Taken], corpus: Corpus, guideline_version: str, tool: str) -> LayerHeader:
    """Provenance from the export itself (annotators, last update), so a re-import gives the same header."""
    people = sorted({item.annotator for item in items})
    by_id = sorted({item.annotator for item in items if item.annotator_is_id})
    dates = [item.updated[:10] for item in items if re.match(r"^\d{4}-\d{2}-\d{2}", item.updated)]
    kinds = Counter(item.kind for item in items)
    notes = (f"Imported from Label Studio: {kinds['annotation']} submitted annotation(s), {kinds['draft']} draft(s); "
             "each document's task, annotation id, annotator and lead time are in its ls_annotation field.")
    if by_id:
        notes += (f" Annotator(s) {', '.join(by_id)} are Label Studio numeric user ids: the export named no e-mail "
                  "(`cash ls pull` looks e-mails up through the API).")
    return LayerHeader(name, schema_version(), Provenance(
        "manual", "Label Studio annotator " + ", ".join(people), guideline_version,
        max(dates) if dates else date.today().isoformat(), tool, notes), corpus.version)


def _same_as_file(path: Path, rows) -> bool:
    """Whether the file already holds exactly these rows (compared line by line, streaming)."""
    with open(path, encoding="utf-8") as handle:
        for line, row in zip_longest(handle, rows):
            if line is None or row is None or line.rstrip("\n") != dumps_line(row):
                return False
    return True


def default_guideline_version(root: Path) -> str:
    """The version of the corpus root's schema/GUIDELINES.md (its first 'Guideline version **X.Y.Z**'),
    not the schema's. A root without schema/ uses the guidelines shipped with the package."""
    from ..schema import guidelines_path
    path = guidelines_path(root)
    try:
        with open(path, encoding="utf-8") as handle:
            head = handle.read(4000)
    except OSError as exc:
        raise CashError(f"cannot read the guidelines to tell their version: {exc}", Location(file=str(path)),
                        hint="pass --guideline-version") from exc
    match = re.search(r"Guideline version \*\*(\d+\.\d+\.\d+)\*\*", head)
    if not match:
        raise CashError("the guidelines do not state their version ('Guideline version **X.Y.Z**')",
                        Location(file=str(path)), hint="pass --guideline-version")
    return match.group(1)


def import_export(corpus: Corpus, export: Path, layer: str, *, annotators: str = SPLIT, drafts: bool = False,
                  latest: bool = False, overwrite: bool = False, guideline_version: str | None = None,
                  tool: str = "Label Studio", offsets: Counting | None = None, skip_stale: bool = False,
                  allow_empty: bool = False, emails: dict[int, str] | None = None) -> ImportStats:
    """Validate the whole export, then write its layers; an unchanged layer is left untouched."""
    if not is_valid_layer_name(layer):
        raise UsageError(f"invalid layer name {layer!r}", hint="lowercase letters, digits, '-' and '_'")
    guideline_version = guideline_version or default_guideline_version(corpus.paths.root)
    spool = _Spool()
    try:
        with gc_paused():
            stats, taken = read_export(corpus, export, spool, drafts=drafts, offsets=offsets,
                                       skip_stale=skip_stale, allow_empty=allow_empty, emails=emails)
        layers = group_layers(taken, layer, annotators, latest, stats)
        # One transaction for every layer of the export: checked and written under the corpus lock,
        # validated as the corpus will be, all layers or none.
        with corpus_transaction(corpus.paths.root, "ls import") as txn:
            for name, items in sorted(layers.items()):
                header = layer_header(name, items, corpus, guideline_version, tool)
                path = corpus.paths.layer_path(name)
                _validate_layer(path, header, items, spool, corpus, export)
                if path.exists():
                    if _same_as_file(path, layer_rows(header, spool.documents(items), presorted=True)):
                        stats.unchanged.append(name)
                        continue
                    if not overwrite:
                        raise CashError(f"importing would change existing layer {name!r}; refusing to overwrite "
                                        "annotations", Location(file=str(path)),
                                        hint="pass --overwrite to replace it deliberately")
                stage_layer(txn, name, header, spool.documents(items), presorted=True)
                stats.written.append(name)
        return stats
    finally:
        spool.close()
