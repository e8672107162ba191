"""brat standoff: `<doc>.txt` (the raw bytes, byte-exact), `<doc>.ann`, and `annotation.conf` from the schema.

Offsets in brat are character (code point) offsets into the `.txt`, as in CASH. The mapping:

- entities (`T`): `Claim`, `Cue`, and per attribution `Attribution_cue`, `Source`, `Content`;
  a span that holds a line break is written as fragments (`start end;start end`) around it;
- attributes (`A`): on Claim `Claim_type`, `Certainty`, `Polarity` and one `Stance_<TARGET>` per
  stance target; on Cue `Kind`, `Cue_type`; on Attribution_cue `Source_type`, `Form`,
  `Parc_type`, and where annotated `Author_commitment` and `Hypothetical` (true|false)
  (values: the schema inventories);
- relations (`R`): `Source` and `Content` (Attribution_cue → its source/content), `Holder`
  (Claim → the Attribution_cue of its holder; no relation = the author), `Cue_of` (Cue → Claim),
  `Parent` (Attribution_cue → the parent's Attribution_cue);
- notes (`#`): `AnnotatorNotes` on the entity, with `\\`, line breaks and tabs escaped.

What brat cannot hold (and `cash import --format brat` therefore cannot bring back): the CASH
annotation ids (the reader numbers attributions a1…, claims c1…, cues q1… in canonical order;
references follow), the order of a claim's stance entries (read back in schema order), the
document-level stance and document notes, and the layer header
(provenance is given on import). Everything else round-trips exactly.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from ..errors import CashError, Location
from ..jsonl import atomic_writer
from ..records import Attribution, Claim, Cue, DocumentAnnotations, Holder, Span, Stance
from ..schema import label_names

CONF = "annotation.conf"
ROLE_ENTITY = {"cue": "Attribution_cue", "source": "Source", "content": "Content"}
ENTITIES = ("Claim", "Cue", "Attribution_cue", "Source", "Content")
# attribute name -> (entity type, schema inventory, record field)
ATTRIBUTES = {
    "Claim_type": ("Claim", "claim_type", "claim_type"),
    "Certainty": ("Claim", "certainty", "certainty"),
    "Polarity": ("Claim", "claim_polarity", "polarity"),
    "Kind": ("Cue", "cue_kind", "kind"),
    "Cue_type": ("Cue", "cue_type", "cue_type"),
    "Source_type": ("Attribution_cue", "source_type", "source_type"),
    "Form": ("Attribution_cue", "attribution_form", "form"),
    "Parc_type": ("Attribution_cue", "parc_type", "parc_type"),
}
# optional attribution fields (schema 1.1.0): written only when annotated, so None round-trips
OPTIONAL_ATTRIBUTES = {"Author_commitment": ("author_commitment", "author_commitment"),
                       "Hypothetical": (None, "hypothetical")}
BOOLEAN = {"true": True, "false": False}
RELATIONS = {"Source": ("Attribution_cue", "Source"), "Content": ("Attribution_cue", "Content"),
             "Holder": ("Claim", "Attribution_cue"), "Cue_of": ("Cue", "Claim"),
             "Parent": ("Attribution_cue", "Attribution_cue")}
STANCE_PREFIX = "Stance_"
NOT_HELD = ("spans starting or ending with a line break (export refuses them)",
            "annotation ids (renumbered a1…, c1…, q1… in canonical order on import)",
            "the order of a claim's stance entries (read back in schema target order)",
            "document-level stance and document notes", "the layer header and its provenance")
LINE_BREAK = re.compile(r"[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")


def annotation_conf() -> str:
    """brat's annotation.conf for CASH, generated from the schema's inventories."""
    lines = ["# brat configuration for CASH, generated from schema/cash.schema.json (cash export --format brat)",
             "[entities]", *ENTITIES, "", "[relations]"]
    lines += [f"{name}\tArg1:{a}, Arg2:{b}" for name, (a, b) in RELATIONS.items()]
    lines += ["<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>", "", "[events]", "", "[attributes]"]
    lines += [f"{name}\tArg:{entity}, Value:{'|'.join(label_names(inventory))}"
              for name, (entity, inventory, _) in ATTRIBUTES.items()]
    lines += [f"{STANCE_PREFIX}{target}\tArg:Claim, Value:{'|'.join(label_names('stance_polarity'))}"
              for target in label_names("stance_target")]
    lines += [f"{name}\tArg:Attribution_cue, Value:{'|'.join(label_names(inventory) if inventory else BOOLEAN)}"
              for name, (inventory, _) in OPTIONAL_ATTRIBUTES.items()]
    return "\n".join(lines) + "\n"


def escape_note(note: str) -> str:
    return note.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def unescape_note(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "r": "\r", "t": "\t"}.get(m.group(1), m.group(1)), text)


def fragments(text: str, span: Span) -> list[tuple[int, int]]:
    """The span cut around line breaks (brat's text field cannot hold them)."""
    out, cursor = [], span.start
    for brk in LINE_BREAK.finditer(text, span.start, span.end):
        if brk.start() > cursor:
            out.append((cursor, brk.start()))
        cursor = brk.end()
    if cursor < span.end:
        out.append((cursor, span.end))
    return out


def document_ann(text: str, doc: DocumentAnnotations) -> str:
    """The `.ann` text of one document (entities in canonical record order)."""
    lines: list[str] = []
    counters: dict[str, int] = defaultdict(int)
    entity_of: dict[tuple[str, str], str] = {}

    def next_id(prefix: str) -> str:
        counters[prefix] += 1
        return f"{prefix}{counters[prefix]}"

    def entity(kind: str, span: Span, key: tuple[str, str]) -> str:
        tid = next_id("T")
        pieces = fragments(text, span)
        if not pieces or pieces[0][0] != span.start or pieces[-1][1] != span.end:
            raise CashError("a span that starts or ends with a line break cannot be written to brat without "
                            "moving it", Location(document_id=doc.document_id, annotation_id=key[1],
                                                  start=span.start, end=span.end),
                            hint="trim the span (cash validate reports it as span-whitespace)")
        offsets = ";".join(f"{s} {e}" for s, e in pieces)
        lines.append(f"{tid}\t{kind} {offsets}\t{' '.join(text[s:e] for s, e in pieces)}")
        entity_of[key] = tid
        return tid

    def attribute(name: str, tid: str, value: str) -> None:
        lines.append(f"{next_id('A')}\t{name} {tid} {value}")

    def relation(name: str, arg1: str, arg2: str) -> None:
        lines.append(f"{next_id('R')}\t{name} Arg1:{arg1} Arg2:{arg2}")

    def note(tid: str, value: str | None) -> None:
        if value is not None:
            lines.append(f"{next_id('#')}\tAnnotatorNotes {tid}\t{escape_note(value)}")

    attributions = sorted(doc.attributions, key=lambda a: (a.cue.start, a.cue.end, a.id))
    claims = sorted(doc.claims, key=lambda c: (c.span.start, c.span.end, c.id))
    cues = sorted(doc.cues, key=lambda q: (q.span.start, q.span.end, q.id))
    for a in attributions:
        cue = entity("Attribution_cue", a.cue, ("attribution", a.id))
        for name in ("Source_type", "Form", "Parc_type"):
            attribute(name, cue, getattr(a, ATTRIBUTES[name][2]))
        for name, (_, field_name) in OPTIONAL_ATTRIBUTES.items():
            value = getattr(a, field_name)
            if value is not None:
                attribute(name, cue, str(value).lower() if isinstance(value, bool) else value)
        if a.source is not None:
            relation("Source", cue, entity("Source", a.source, ("source", a.id)))
        relation("Content", cue, entity("Content", a.content, ("content", a.id)))
        note(cue, a.note)
    for a in attributions:
        if a.parent is not None:
            relation("Parent", entity_of[("attribution", a.id)], entity_of[("attribution", a.parent)])
    for c in claims:
        tid = entity("Claim", c.span, ("claim", c.id))
        for name in ("Claim_type", "Certainty", "Polarity"):
            attribute(name, tid, getattr(c, ATTRIBUTES[name][2]))
        for stance in c.stance:
            attribute(f"{STANCE_PREFIX}{stance.target}", tid, stance.polarity)
        if c.holder.attribution_id is not None:
            relation("Holder", tid, entity_of[("attribution", c.holder.attribution_id)])
        note(tid, c.note)
    for q in cues:
        tid = entity("Cue", q.span, ("cue", q.id))
        for name in ("Kind", "Cue_type"):
            attribute(name, tid, getattr(q, ATTRIBUTES[name][2]))
        for claim_id in q.claims:
            relation("Cue_of", tid, entity_of[("claim", claim_id)])
        note(tid, q.note)
    return "".join(line + "\n" for line in lines)


def write(root: Path, layer: str, out_dir: Path) -> list[Path]:
    from . import layer_documents
    written = []
    for doc in layer_documents(root, layer):
        txt, ann = out_dir / f"{doc.document_id}.txt", out_dir / f"{doc.document_id}.ann"
        with atomic_writer(txt, "wb") as handle:
            handle.write(doc.raw)
        with atomic_writer(ann) as handle:
            handle.write(document_ann(doc.text, doc.annotations))
        written += [txt, ann]
    conf = out_dir / CONF
    with atomic_writer(conf) as handle:
        handle.write(annotation_conf())
    return written + [conf]


# ---------------------------------------------------------------- reading

_T = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")
_A = re.compile(r"^(A\d+)\t(\S+) (T\d+) (\S+)$")
_R = re.compile(r"^(R\d+)\t(\S+) Arg1:(T\d+) Arg2:(T\d+)$")
_NOTE = re.compile(r"^(#\d+)\tAnnotatorNotes (T\d+)\t(.*)$")


def read_document(txt: Path, ann: Path, document_id: str | None = None) -> DocumentAnnotations:
    """CASH annotations of one brat document; any line outside the grammar above, an unknown type,
    attribute value or reference, or a text that differs from the `.txt` is refused with its line."""
    raw = txt.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CashError(f"not valid UTF-8 at byte {exc.start}", Location(file=str(txt))) from exc
    doc_id = document_id or txt.stem
    entities: dict[str, tuple[str, Span, int]] = {}
    attributes: dict[str, dict[str, str]] = defaultdict(dict)
    relations: list[tuple[str, str, str, int]] = []
    notes: dict[str, str] = {}
    allowed_values = {name: set(label_names(inv)) for name, (_, inv, _) in ATTRIBUTES.items()}
    allowed_values.update({f"{STANCE_PREFIX}{t}": set(label_names("stance_polarity")) for t in label_names("stance_target")})
    allowed_values.update({name: set(label_names(inventory) if inventory else BOOLEAN)
                           for name, (inventory, _) in OPTIONAL_ATTRIBUTES.items()})
    with open(ann, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            where = Location(file=str(ann), line=number, document_id=doc_id)
            if not line.strip():
                continue
            if m := _T.match(line):
                tid, kind, offsets, shown = m.groups()
                if kind not in ENTITIES:
                    raise CashError(f"unknown entity type {kind!r}", where, hint=f"one of {ENTITIES}")
                pieces = [tuple(int(x) for x in part.split()) for part in offsets.split(";")]
                if any(not (0 <= s < e <= len(text)) for s, e in pieces) or shown != " ".join(text[s:e] for s, e in pieces):
                    raise CashError("entity offsets do not match the text of the .txt file", where)
                start, end = pieces[0][0], pieces[-1][1]
                entities[tid] = (kind, Span(start, end, text[start:end]), number)
            elif m := _A.match(line):
                _, name, tid, value = m.groups()
                if name not in allowed_values or value not in allowed_values[name]:
                    raise CashError(f"unknown attribute or value {name}={value!r}", where)
                attributes[tid][name] = value
            elif m := _R.match(line):
                _, name, arg1, arg2 = m.groups()
                if name not in RELATIONS:
                    raise CashError(f"unknown relation type {name!r}", where)
                relations.append((name, arg1, arg2, number))
            elif m := _NOTE.match(line):
                notes[m.group(2)] = unescape_note(m.group(3))
            else:
                raise CashError("line is not a brat T, A, R or AnnotatorNotes line", where)
    return _assemble(doc_id, hashlib.sha256(raw).hexdigest(), entities, attributes, relations, notes, ann)


def _assemble(doc_id, sha, entities, attributes, relations, notes, ann: Path) -> DocumentAnnotations:
    def where(number: int | None = None) -> Location:
        return Location(file=str(ann), line=number, document_id=doc_id)

    for name, arg1, arg2, number in relations:
        for tid, expected in ((arg1, RELATIONS[name][0]), (arg2, RELATIONS[name][1])):
            if tid not in entities or entities[tid][0] != expected:
                raise CashError(f"relation {name} needs a {expected} entity, got {tid}", where(number))
    by_kind = defaultdict(list)
    for tid, (kind, span, number) in entities.items():
        by_kind[kind].append((span.start, span.end, number, tid))
    for items in by_kind.values():
        items.sort()
    ids = {}
    for kind, prefix in (("Attribution_cue", "a"), ("Claim", "c"), ("Cue", "q")):
        for k, (*_, tid) in enumerate(by_kind[kind], start=1):
            ids[tid] = f"{prefix}{k}"
    linked = defaultdict(list)
    for name, arg1, arg2, _ in relations:
        linked[(name, arg1)].append(arg2)

    def one(name: str, tid: str, required: bool) -> str | None:
        found = linked.get((name, tid), [])
        if len(found) > 1 or (required and not found):
            raise CashError(f"{entities[tid][0]} {tid} needs {'exactly' if required else 'at most'} one {name} relation",
                            where(entities[tid][2]))
        return found[0] if found else None

    def need(tid: str, name: str) -> str:
        if name not in attributes.get(tid, {}):
            raise CashError(f"{entities[tid][0]} {tid} has no {name} attribute", where(entities[tid][2]))
        return attributes[tid][name]

    attributions = []
    for *_, tid in by_kind["Attribution_cue"]:
        source, content, parent = one("Source", tid, False), one("Content", tid, True), one("Parent", tid, False)
        given = attributes.get(tid, {})
        hypothetical = BOOLEAN[given["Hypothetical"]] if "Hypothetical" in given else None
        attributions.append(Attribution(ids[tid], doc_id, entities[source][1] if source else None, entities[tid][1],
                                        entities[content][1], need(tid, "Source_type"), need(tid, "Form"),
                                        need(tid, "Parc_type"), ids[parent] if parent else None, notes.get(tid),
                                        hypothetical=hypothetical,
                                        author_commitment=given.get("Author_commitment")))
    targets = label_names("stance_target")
    claims = []
    for *_, tid in by_kind["Claim"]:
        holder = one("Holder", tid, False)
        stance = tuple(Stance(t, attributes[tid][f"{STANCE_PREFIX}{t}"]) for t in targets
                       if f"{STANCE_PREFIX}{t}" in attributes.get(tid, {}))
        claims.append(Claim(ids[tid], doc_id, entities[tid][1], need(tid, "Claim_type"), need(tid, "Certainty"),
                            need(tid, "Polarity"), Holder("attribution", ids[holder]) if holder else Holder("author"),
                            stance, notes.get(tid)))
    cues = [Cue(ids[tid], doc_id, entities[tid][1], need(tid, "Kind"), need(tid, "Cue_type"),
                tuple(ids[c] for c in linked.get(("Cue_of", tid), [])), notes.get(tid))
            for *_, tid in by_kind["Cue"]]
    return DocumentAnnotations(doc_id, sha, (), tuple(claims), tuple(cues), tuple(attributions))


def read(folder: Path) -> list[DocumentAnnotations]:
    """Every `<doc>.ann` with its `<doc>.txt` in `folder`, by document id."""
    folder = Path(folder)
    anns = sorted(folder.glob("*.ann"))
    if not anns:
        raise CashError("no .ann files in this folder", Location(file=str(folder)))
    out = []
    for ann in anns:
        txt = ann.with_suffix(".txt")
        if not txt.is_file():
            raise CashError("no .txt beside this .ann file", Location(file=str(ann)))
        out.append(read_document(txt, ann))
    return out


def renumbered(doc: DocumentAnnotations) -> DocumentAnnotations:
    """`doc` with ids as the brat reader assigns them (a…, c…, q… in canonical order), references
    rewritten, document stance and note dropped: what a brat round trip must give back exactly."""
    attributions = sorted(doc.attributions, key=lambda a: (a.cue.start, a.cue.end))
    claims = sorted(doc.claims, key=lambda c: (c.span.start, c.span.end))
    cues = sorted(doc.cues, key=lambda q: (q.span.start, q.span.end))
    new = {("a", a.id): f"a{k}" for k, a in enumerate(attributions, 1)}
    new |= {("c", c.id): f"c{k}" for k, c in enumerate(claims, 1)}
    new |= {("q", q.id): f"q{k}" for k, q in enumerate(cues, 1)}
    order = {t: k for k, t in enumerate(label_names("stance_target"))}
    return DocumentAnnotations(
        doc.document_id, doc.text_sha256, (),
        tuple(replace(c, id=new[("c", c.id)], holder=Holder(c.holder.type, new.get(("a", c.holder.attribution_id))),
                      stance=tuple(sorted(c.stance, key=lambda s: order[s.target])))
              for c in claims),
        tuple(replace(q, id=new[("q", q.id)], claims=tuple(new[("c", x)] for x in q.claims)) for q in cues),
        tuple(replace(a, id=new[("a", a.id)], parent=new.get(("a", a.parent))) for a in attributions))
