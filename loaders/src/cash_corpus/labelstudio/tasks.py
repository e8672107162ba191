"""CASH -> Label Studio: one task per document, annotation layers as Label Studio results.

`document_results` is the inverse of `importer.results_to_document` up to ids: a layer survives
tasks -> Label Studio -> import with the same records, and the importer names them with its own
stable CASH ids (see `importer.assign_ids`).

Region ids are made like the editor's own: 10 characters over `A-Za-z0-9_-` (a hash of document,
record id and part), because the editor treats other characters as its own (it keys regions by
`id.split("#")[0]`). Which CASH record a region shows is kept in the span result's `meta`
(`cash_id`, `cash_part`), which the editor carries through when a prediction is accepted.

Scores: a record of a predicted layer may carry `score` (model confidence, schema 1.2.0); then
each of its region results carries it as Label Studio's per-region `score`, and the prediction
carries the mean over the document's scored records as its `score` (what the data manager sorts
and filters on). A layer without scores (gold, human passes) gives exactly the results it gave
before.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Iterator
from typing import Any

from ..corpus import Corpus, decode_text, sha256_bytes
from ..errors import CashError, Location
from ..layers import iter_documents, read_header
from ..manifest import file_sha256
from ..records import Attribution, Claim, Cue, DocumentAnnotations, LayerHeader, Span
from . import config as C
from .offsets import Counting, TextIndex


def region_id(document_id: str, record_id: str, part: str) -> str:
    """An editor-style region id (10 chars over A-Za-z0-9_-), stable for one record part of one document."""
    digest = hashlib.sha256(f"{document_id}\x00{record_id}\x00{part}".encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:10]


def record_score(record: Claim | Cue | Attribution) -> float | None:
    """The model confidence a predicted record carries (schema property `score`), else None."""
    return dict(record.extra).get("score")


def _region(document_id: str, record_id: str, part: str, span: Span, label: str, index: TextIndex,
            counting: Counting, score: float | None = None) -> dict[str, Any]:
    start, end = span.start, span.end
    if counting is Counting.UTF16:
        start, end = index.code_point_to_utf16(start), index.code_point_to_utf16(end)
    region = {"id": region_id(document_id, record_id, part), "type": "labels", "from_name": C.SPAN,
              "to_name": C.TEXT, "value": {"start": start, "end": end, "text": span.text, "labels": [label]},
              "meta": {C.META_ID: record_id, C.META_PART: part}}
    if score is not None:
        region["score"] = score
    return region


def _per_region(region: dict, from_name: str, kind: str, payload: dict) -> dict[str, Any]:
    """A per-region choice or text area: same id, repeating the region's start/end as Label Studio does."""
    value = {"start": region["value"]["start"], "end": region["value"]["end"], **payload}
    return {"id": region["id"], "type": kind, "from_name": from_name, "to_name": C.TEXT, "value": value}


def _choice(region: dict, from_name: str, value: str) -> dict[str, Any]:
    return _per_region(region, from_name, "choices", {"choices": [value]})


def _note(region: dict, note: str | None) -> list[dict[str, Any]]:
    return [] if note is None else [_per_region(region, C.NOTE, "textarea", {"text": [note]})]


def _relation(from_id: str, to_id: str, label: str) -> dict[str, Any]:
    return {"type": "relation", "from_id": from_id, "to_id": to_id, "direction": "right", "labels": [label]}


def field_value(on_disk: dict[str, Any], path: str) -> Any:
    """The value at a field path ("claim_type", "holder.type") of a record's on-disk form, or None."""
    value: Any = on_disk
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _labelled_choices(region: dict, record: Claim | Cue | Attribution, kind: str) -> list[dict[str, Any]]:
    """One per-region choice for every labelled field of the record that has a value (`config.region_fields`)."""
    on_disk = record.to_dict()
    out = []
    for region_field in C.region_fields():
        if region_field.kind == kind:
            value = field_value(on_disk, region_field.path)
            if value is not None:
                out.append(_choice(region, region_field.control, value))
    return out


def _claim_results(claim: Claim, index: TextIndex, counting: Counting) -> list[dict]:
    region = _region(claim.document_id, claim.id, "span", claim.span, C.CLAIM, index, counting, record_score(claim))
    out = [region, *_labelled_choices(region, claim, "claim")]
    seen: set[str] = set()
    for stance in claim.stance:
        if stance.target in seen:
            raise CashError(f"claim has two stances toward {stance.target}; one Choices per target cannot hold both",
                            Location(document_id=claim.document_id, annotation_id=claim.id))
        seen.add(stance.target)
        out.append(_choice(region, C.stance_control(stance.target), stance.polarity))
    return out + _note(region, claim.note)


def _cue_results(cue: Cue, index: TextIndex, counting: Counting) -> list[dict]:
    region = _region(cue.document_id, cue.id, "span", cue.span, C.CUE, index, counting, record_score(cue))
    return [region, *_labelled_choices(region, cue, "cue"), *_note(region, cue.note)]


def _attribution_results(att: Attribution, index: TextIndex, counting: Counting) -> list[dict]:
    score = record_score(att)
    region = _region(att.document_id, att.id, "cue", att.cue, C.ATT_CUE, index, counting, score)
    out = [region, *_labelled_choices(region, att, "attribution"), *_note(region, att.note)]
    if att.source is not None:
        out.append(_region(att.document_id, att.id, "source", att.source, C.ATT_SOURCE, index, counting, score))
    out.append(_region(att.document_id, att.id, "content", att.content, C.ATT_CONTENT, index, counting, score))
    return out


def _relations(doc: DocumentAnnotations) -> list[dict]:
    def rid(record_id: str, part: str) -> str:
        return region_id(doc.document_id, record_id, part)

    out = []
    for att in doc.attributions:
        if att.source is not None:
            out.append(_relation(rid(att.id, "cue"), rid(att.id, "source"), C.SOURCE))
        out.append(_relation(rid(att.id, "cue"), rid(att.id, "content"), C.CONTENT))
        if att.parent is not None:
            out.append(_relation(rid(att.id, "cue"), rid(att.parent, "cue"), C.PARENT))
    for claim in doc.claims:
        if claim.holder.attribution_id is not None:
            out.append(_relation(rid(claim.id, "span"), rid(claim.holder.attribution_id, "cue"), C.HOLDER))
    for cue in doc.cues:
        out += [_relation(rid(cue.id, "span"), rid(claim_id, "span"), C.MODIFIES) for claim_id in cue.claims]
    return out


def document_results(doc: DocumentAnnotations, text: str, counting: Counting = Counting.CODE_POINTS) -> list[dict]:
    """All of one document's annotations as Label Studio results (regions, choices, notes, relations)."""
    index = TextIndex.of(text)
    out: list[dict] = []
    for att in doc.attributions:
        out += _attribution_results(att, index, counting)
    for claim in doc.claims:
        out += _claim_results(claim, index, counting)
    for cue in doc.cues:
        out += _cue_results(cue, index, counting)
    out += _relations(doc)
    for n, stance in enumerate(doc.document_stance):
        out.append({"id": f"docstance{n}", "type": "choices", "from_name": C.document_stance_control(stance.target),
                    "to_name": C.TEXT, "value": {"choices": [stance.polarity]}})
    if doc.note is not None:
        out.append({"id": "docnote", "type": "textarea", "from_name": C.DOCUMENT_NOTE, "to_name": C.TEXT,
                    "value": {"text": [doc.note]}})
    return out


def document_score(doc: DocumentAnnotations) -> float | None:
    """The mean score of the document's scored records (rounded to 4 places), None when none has one."""
    scores = [score for record in (*doc.claims, *doc.cues, *doc.attributions)
              if (score := record_score(record)) is not None]
    return round(sum(scores) / len(scores), 4) if scores else None


def model_version(layer: str, fingerprint: str) -> str:
    """`<layer>@<fingerprint>`: which layer a prediction shows and which version of it (the first 12
    hex digits of the layer file's sha256), so `push` can tell a stale prediction from a current one."""
    return f"{layer}@{fingerprint[:12]}"


def task_data(corpus: Corpus, document_id: str) -> dict[str, Any]:
    data = corpus.raw_bytes(document_id)
    return {"text": decode_text(data, document_id), "document_id": document_id,
            "text_sha256": sha256_bytes(data), "corpus_version": corpus.version}


def iter_tasks(corpus: Corpus, layers: Iterable[str] = ()) -> Iterator[dict[str, Any]]:
    """One task per corpus document, with a prediction from each layer that annotates it.

    Texts are streamed one document at a time; each requested layer is held as records (small
    next to the texts) keyed by document id, so tasks come out in corpus order.
    """
    layer_docs: list[tuple[LayerHeader, str, dict[str, DocumentAnnotations]]] = []
    for name in layers:
        path = corpus.paths.layer_path(name)
        if not path.is_file():
            raise CashError("no such annotation layer", Location(file=str(path)))
        layer_docs.append((read_header(path), model_version(name, file_sha256(path)),
                           {d.document_id: d for d in iter_documents(path)}))
    for meta in corpus.documents():
        data = task_data(corpus, meta["id"])
        task: dict[str, Any] = {"data": data}
        predictions = []
        for header, version, docs in layer_docs:
            doc = docs.get(meta["id"])
            if doc is None:
                continue
            if doc.text_sha256 != data["text_sha256"]:
                raise CashError("layer annotates another version of this text (sha256 differs)",
                                Location(file=str(corpus.paths.layer_path(header.layer)), document_id=meta["id"]))
            prediction = {"model_version": version, "result": document_results(doc, data["text"])}
            score = document_score(doc)
            if score is not None:
                prediction["score"] = score
            predictions.append(prediction)
        if predictions:
            task["predictions"] = predictions
        yield task
