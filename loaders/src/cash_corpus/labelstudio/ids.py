"""CASH ids for records imported from Label Studio: made by CASH, never taken from the editor.

The editor names regions with its own ids (10 characters over `A-Za-z0-9_-`, about 1 in 32
starting with `_` or `-`, which CASH's id pattern refuses), so an imported record is named from
what it is: its kind and its offsets (`c<start>-<end>` for a claim, `q…` for a cue, `a…` for an
attribution, keyed by its cue). The same span annotated the same way gets the same id in every
import and every annotator's layer. Records of one kind on one span are numbered `.2`, `.3`, …
in an order fixed by their content (references compared by the spans they point at), so the
ids do not depend on the editor's ids either. The editor's id stays on the record as
`ls_region_id` (provenance).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import replace

from ..records import Attribution, Claim, Cue, DocumentAnnotations, Span

PREFIX = {"attribution": "a", "claim": "c", "cue": "q"}


def _span_key(span: Span | None) -> list[int] | None:
    return None if span is None else [span.start, span.end]


def _content_key(record: Claim | Cue | Attribution, spans: dict[str, list[int] | None]) -> str:
    """The record without its ids, references replaced by the spans they point at."""
    row = record.to_dict()
    for name in ("id", "ls_region_id", "document_id", "note"):
        row.pop(name, None)
    if isinstance(record, Claim) and record.holder.attribution_id is not None:
        row["holder"] = {"type": record.holder.type, "attribution": spans.get(record.holder.attribution_id)}
    elif isinstance(record, Cue):
        row["claims"] = [spans.get(claim_id) for claim_id in record.claims]
    elif isinstance(record, Attribution) and record.parent is not None:
        row["parent"] = spans.get(record.parent)
    return json.dumps(row, sort_keys=True, ensure_ascii=False) + "\x00" + (record.note or "") + "\x00" + record.id


def assign_ids(doc: DocumentAnnotations) -> DocumentAnnotations:
    """The same document with every record renamed to its CASH id and every reference followed."""
    spans: dict[str, list[int] | None] = {}
    groups: dict[str, list[tuple[str, Claim | Cue | Attribution]]] = defaultdict(list)
    for kind, records in (("attribution", doc.attributions), ("claim", doc.claims), ("cue", doc.cues)):
        for record in records:
            span = record.cue if isinstance(record, Attribution) else record.span
            spans[record.id] = _span_key(span)
            groups[f"{PREFIX[kind]}{span.start}-{span.end}"].append((kind, record))
    renamed: dict[str, str] = {}
    for base, members in groups.items():
        if len(members) > 1:  # the content key is only needed to order records sharing a span
            members.sort(key=lambda item: _content_key(item[1], spans))
        for n, (_, record) in enumerate(members):
            renamed[record.id] = base if n == 0 else f"{base}.{n + 1}"

    def claim(c: Claim) -> Claim:
        holder = c.holder if c.holder.attribution_id is None else replace(
            c.holder, attribution_id=renamed[c.holder.attribution_id])
        return replace(c, id=renamed[c.id], holder=holder)

    return replace(
        doc,
        claims=tuple(claim(c) for c in doc.claims),
        cues=tuple(replace(q, id=renamed[q.id], claims=tuple(renamed[i] for i in q.claims)) for q in doc.cues),
        attributions=tuple(replace(a, id=renamed[a.id], parent=renamed[a.parent] if a.parent else None)
                           for a in doc.attributions))
