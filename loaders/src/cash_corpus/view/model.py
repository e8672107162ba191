"""What one document page shows: per layer, the marks over the text, the side lists and where
the layer disagrees with each other layer.

Pure functions over typed records; nothing here touches files or HTML. Every span is checked
against the raw text before it is drawn: a span that does not fit the text the page shows is
refused with a located error, never drawn in the wrong place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..agreement.spans import OVERLAP, match_spans
from ..errors import CashError, Location
from ..records import Attribution, Claim, Cue, DocumentAnnotations, Span, Structure
from .layout import Mark, Node, layout

ATTRIBUTION_ROLES = ("source", "cue", "content")


@dataclass
class Entry:
    """One line of a side list: an annotation with its labels, in words."""

    key: str            # id of the element the entry describes (annotation id)
    kind: str           # claim, cue, attribution
    text: str
    fields: list[tuple[str, str]]
    note: str | None = None
    diffs: dict[str, str] = field(default_factory=dict)   # other layer -> why it disagrees


@dataclass
class LayerView:
    """A layer of one document as the page draws it."""

    layer: str
    annotated: bool
    tree: Node | None
    claims: list[Entry]
    cues: list[Entry]
    attributions: list[Entry]
    stance: dict[str, str]                                # target -> polarity
    counts: dict[str, int]


def check_span(span: Span, text: str, where: Location, what: str) -> None:
    if not (0 <= span.start < span.end <= len(text)) or text[span.start:span.end] != span.text:
        raise CashError(f"{what} span does not fit the document text (text or offsets out of date)",
                        Location(file=where.file, document_id=where.document_id, annotation_id=where.annotation_id,
                                 start=span.start, end=span.end), hint="run `cash validate`")


def _summary(parts: list[tuple[str, str]]) -> str:
    return "; ".join(f"{name}: {value}" for name, value in parts)


def _extra_fields(record: Claim | Cue | Attribution) -> list[tuple[str, str]]:
    """Labelled fields the schema has and the record dataclass does not name (`records.extra`)."""
    return [(name.replace("_", " "), str(value)) for name, value in record.extra]


def claim_fields(claim: Claim) -> list[tuple[str, str]]:
    holder = "author" if claim.holder.attribution_id is None else f"source of {claim.holder.attribution_id}"
    stance = ", ".join(f"{s.target} {s.polarity}" for s in claim.stance) or "none"
    return [("type", claim.claim_type), ("certainty", claim.certainty), ("polarity", claim.polarity),
            ("holder", holder), ("stance", stance), *_extra_fields(claim)]


def cue_fields(cue: Cue) -> list[tuple[str, str]]:
    return [("kind", cue.kind), ("cue type", cue.cue_type), ("bears on", ", ".join(cue.claims) or "none"),
            *_extra_fields(cue)]


def attribution_fields(attribution: Attribution) -> list[tuple[str, str]]:
    return [("source", attribution.source.text if attribution.source else "implicit (no source span)"),
            ("cue", attribution.cue.text), ("source type", attribution.source_type), ("form", attribution.form),
            ("PARC type", attribution.parc_type), ("nested in", attribution.parent or "top level"),
            *_extra_fields(attribution)]


def structure_marks(structure: Structure | None) -> list[Mark]:
    if structure is None:
        return []
    marks = [Mark(z.start, z.end, "zone", f"zone{k}", {"badge": z.type, "cls": f"zone zone-{z.type}"})
             for k, z in enumerate(structure.zones) if z.start < z.end]
    marks += [Mark(s, e, "sentence", f"s{k + 1}", {"badge": f"s{k + 1}", "cls": "sent " + ("sent-odd" if k % 2 else "sent-even")})
              for k, (s, e) in enumerate(structure.sentences) if s < e]
    return marks


def annotation_marks(doc: DocumentAnnotations, text: str, file: str,
                     differs: dict[str, list[str]] | None = None) -> list[Mark]:
    """Claims, cues and the three parts of each attribution, each checked against the text.
    `differs` names, per annotation id, the other layers it disagrees with (drawn on demand)."""
    differs = differs or {}
    cues_of: dict[str, list[str]] = {}
    for cue in doc.cues:
        for claim_id in cue.claims:
            cues_of.setdefault(claim_id, []).append(cue.id)
    held: dict[str, list[str]] = {}
    for claim in doc.claims:
        if claim.holder.attribution_id:
            held.setdefault(claim.holder.attribution_id, []).append(claim.id)
    marks: list[Mark] = []
    for claim in doc.claims:
        check_span(claim.span, text, Location(file, document_id=doc.document_id, annotation_id=claim.id), "claim")
        fields = claim_fields(claim)
        marks.append(Mark(claim.span.start, claim.span.end, "claim", claim.id, {
            "cls": f"claim claim-{claim.claim_type} cert-{claim.certainty} pol-{claim.polarity}",
            "badge": f"{claim.id} {claim.claim_type} · {claim.certainty}" + (" · neg" if claim.polarity == "negative" else ""),
            "title": f"claim {claim.id}: " + _summary(fields),
            "links": " ".join(cues_of.get(claim.id, []) + ([claim.holder.attribution_id] if claim.holder.attribution_id else [])),
            "diff": " ".join(differs.get(claim.id, [])),
        }))
    for cue in doc.cues:
        check_span(cue.span, text, Location(file, document_id=doc.document_id, annotation_id=cue.id), "cue")
        marks.append(Mark(cue.span.start, cue.span.end, "cue", cue.id, {
            "cls": f"cue cue-{cue.kind}", "badge": f"{cue.id} {cue.kind}",
            "title": f"{cue.kind} cue {cue.id}: " + _summary(cue_fields(cue)),
            "links": " ".join(cue.claims), "diff": " ".join(differs.get(cue.id, [])),
        }))
    for attribution in doc.attributions:
        links = " ".join(held.get(attribution.id, []) + ([attribution.parent] if attribution.parent else []))
        title = f"attribution {attribution.id}: " + _summary(attribution_fields(attribution))
        for role in ATTRIBUTION_ROLES:
            span = getattr(attribution, role)
            if span is None:
                continue
            check_span(span, text, Location(file, document_id=doc.document_id, annotation_id=attribution.id),
                       f"attribution {role}")
            marks.append(Mark(span.start, span.end, "cue-attr" if role == "cue" else role, f"{attribution.id}.{role}", {
                "cls": f"attr attr-{role}", "badge": f"{attribution.id} {role}", "title": title,
                "ann": attribution.id, "links": links, "parent": attribution.parent or "",
                "diff": " ".join(differs.get(attribution.id, [])),
            }))
    return marks


# ---- disagreements between two layers of one document -------------------------------------

def _claim_labels(c: Claim) -> dict[str, str]:
    return {"type": c.claim_type, "certainty": c.certainty, "polarity": c.polarity, "holder": c.holder.type,
            "stance": ", ".join(sorted(f"{s.target} {s.polarity}" for s in c.stance)) or "none"}


def _cue_labels(q: Cue) -> dict[str, str]:
    return {"kind": q.kind, "cue type": q.cue_type}


def _attribution_labels(a: Attribution) -> dict[str, str]:
    return {"source type": a.source_type, "form": a.form, "PARC type": a.parc_type,
            "source": f"[{a.source.start}, {a.source.end})" if a.source else "implicit",
            "content": f"[{a.content.start}, {a.content.end})"}


KINDS = {
    "claims": (lambda d: d.claims, lambda x: x.span, _claim_labels),
    "cues": (lambda d: d.cues, lambda x: x.span, _cue_labels),
    "attributions": (lambda d: d.attributions, lambda x: x.cue, _attribution_labels),  # paired by cue span
}


def disagreements(mine: DocumentAnnotations, other: DocumentAnnotations | None, other_name: str) -> dict[str, str]:
    """annotation id -> why it disagrees with `other`, pairing items one-to-one by overlap (as
    `cash agreement` does: cash_corpus.agreement.spans.match_spans)."""
    reasons: dict[str, str] = {}
    for kind, (items_of, span_of, labels_of) in KINDS.items():
        items_a = list(items_of(mine))
        if other is None:
            for item in items_a:
                reasons[item.id] = f"document not annotated in {other_name}"
            continue
        items_b = list(items_of(other))
        spans_a = [(span_of(x).start, span_of(x).end) for x in items_a]
        spans_b = [(span_of(x).start, span_of(x).end) for x in items_b]
        paired = dict(match_spans(spans_a, spans_b, OVERLAP))
        for i, item in enumerate(items_a):
            if i not in paired:
                reasons[item.id] = f"no overlapping {kind[:-1]} in {other_name}"
                continue
            partner = items_b[paired[i]]
            why = []
            if spans_a[i] != spans_b[paired[i]]:
                why.append(f"span [{spans_b[paired[i]][0]}, {spans_b[paired[i]][1]}) in {other_name}")
            mine_labels, their_labels = labels_of(item), labels_of(partner)
            why += [f"{name} {their_labels[name]} in {other_name}" for name in mine_labels
                    if mine_labels[name] != their_labels[name]]
            if why:
                reasons[item.id] = f"{partner.id} in {other_name}: " + "; ".join(why)
    return reasons


def layer_view(layer: str, doc: DocumentAnnotations | None, text: str, structure: Structure | None, file: str,
               others: dict[str, DocumentAnnotations | None]) -> LayerView:
    """Everything the page shows of `layer` for one document; `others` are the other layers' versions."""
    marks = structure_marks(structure)
    if doc is None:
        return LayerView(layer, False, layout(text, marks), [], [], [], {}, {"claims": 0, "cues": 0, "attributions": 0})
    diffs: dict[str, dict[str, str]] = {name: disagreements(doc, other, name) for name, other in others.items()}
    differs: dict[str, list[str]] = {}
    for name, reasons in diffs.items():
        for ann_id in reasons:
            differs.setdefault(ann_id, []).append(name)
    marks += annotation_marks(doc, text, file, differs)

    def entry(kind: str, item, span: Span, fields: list[tuple[str, str]]) -> Entry:
        return Entry(item.id, kind, span.text, fields, item.note,
                     {name: d[item.id] for name, d in diffs.items() if item.id in d})

    return LayerView(
        layer, True, layout(text, marks),
        [entry("claim", c, c.span, claim_fields(c)) for c in doc.claims],
        [entry("cue", q, q.span, cue_fields(q)) for q in doc.cues],
        [entry("attribution", a, a.content, attribution_fields(a)) for a in doc.attributions],
        {s.target: s.polarity for s in doc.document_stance},
        {"claims": len(doc.claims), "cues": len(doc.cues), "attributions": len(doc.attributions)},
    )
