"""Records round-trip exactly through their on-disk form (property-based)."""

from __future__ import annotations

from hypothesis import given, strategies as st

from cash_corpus.records import (Attribution, Claim, Cue, DocumentAnnotations, Holder, LayerHeader, Provenance, Span,
                                 Stance, Structure, Zone)
from cash_corpus.schema import label_names, validator

ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,10}", fullmatch=True)
doc_ids = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)


@st.composite
def spans(draw):
    start = draw(st.integers(0, 10_000))
    return Span(start, start + draw(st.integers(1, 500)), draw(texts))


def labels_of(name):
    return st.sampled_from(label_names(name))


stances = st.builds(Stance, labels_of("stance_target"), labels_of("stance_polarity"))
# Document stance has its own inventory (balanced, none; no no_stance).
document_stances = st.builds(Stance, labels_of("stance_target"), labels_of("document_stance_polarity"))
notes = st.none() | st.text(max_size=20)


@st.composite
def claims(draw, doc_id):
    holder = draw(st.sampled_from(["author", "attribution"]))
    return Claim(draw(ids), doc_id, draw(spans()), draw(labels_of("claim_type")), draw(labels_of("certainty")),
                 draw(labels_of("claim_polarity")),
                 Holder(holder, draw(ids) if holder == "attribution" else None),
                 tuple(draw(st.lists(stances, max_size=3))), draw(notes))


@st.composite
def cues(draw, doc_id):
    return Cue(draw(ids), doc_id, draw(spans()), draw(labels_of("cue_kind")), draw(labels_of("cue_type")),
               tuple(draw(st.lists(ids, min_size=1, max_size=3, unique=True))), draw(notes))


@st.composite
def attributions(draw, doc_id):
    return Attribution(draw(ids), doc_id, draw(st.none() | spans()), draw(spans()), draw(spans()),
                       draw(labels_of("source_type")), draw(labels_of("attribution_form")), draw(labels_of("parc_type")),
                       draw(st.none() | ids), draw(notes), draw(st.none() | st.booleans()),
                       draw(st.none() | labels_of("author_commitment")))


@given(doc_ids.flatmap(lambda d: st.tuples(claims(d), cues(d), attributions(d))))
def test_annotation_records_round_trip_and_are_schema_valid(records):
    for record in records:
        as_dict = record.to_dict()
        assert type(record).from_dict(as_dict) == record
        assert type(record).from_dict(as_dict).to_dict() == as_dict
        assert not list(validator(as_dict["record"]).iter_errors(as_dict))


def test_notes_do_not_take_part_in_equality():
    span = Span(0, 4, "Iran")
    a = Claim("c1", "d", span, "factual", "certain", "positive", Holder("author"), (), note="doubt")
    b = Claim("c1", "d", span, "factual", "certain", "positive", Holder("author"), (), note=None)
    assert a == b and a.to_dict() != b.to_dict()


@given(doc_ids, st.lists(document_stances, max_size=6), st.lists(st.tuples(st.integers(0, 50), st.integers(1, 50)), max_size=5))
def test_document_and_structure_records_round_trip(doc_id, stance, pairs):
    document = DocumentAnnotations(doc_id, "0" * 64, tuple(stance))
    assert not list(validator("document_record").iter_errors(document.document_record()))
    structure = Structure(doc_id, "f" * 64, (Zone("title", 0, 3), Zone("body", 3, 9)), "default", "syntok 1.4.4",
                          tuple((s, s + e) for s, e in pairs), tuple((s, s + e) for s, e in pairs))
    assert Structure.from_dict(structure.to_dict()) == structure
    assert not list(validator("structure_record").iter_errors(structure.to_dict()))


def test_layer_header_round_trip():
    header = LayerHeader("gold", "1.0.0", Provenance("adjudicated", "someone", "1.0.0", "2026-11-21", None, "n"), "1.0.0")
    assert LayerHeader.from_dict(header.to_dict()) == header
    assert not list(validator("layer_record").iter_errors(header.to_dict()))


def test_document_records_come_in_canonical_order():
    span = lambda s, e: Span(s, e, "x" * (e - s))
    doc = DocumentAnnotations(
        "d", "0" * 64, (),
        claims=(Claim("c2", "d", span(5, 6), "factual", "certain", "positive", Holder("author")),
                Claim("c1", "d", span(1, 2), "factual", "certain", "positive", Holder("author"))),
        cues=(Cue("h1", "d", span(1, 2), "hedge", "modal", ("c1",)),),
        attributions=(Attribution("a1", "d", None, span(0, 1), span(1, 2), "unnamed", "indirect", "assertion"),))
    assert [r.get("id", r["record"]) for r in doc.records()] == ["document", "a1", "c1", "c2", "h1"]


def test_schema_properties_the_dataclasses_do_not_name_round_trip_byte_for_byte(tmp_path):
    """A labelled field added to the schema (here claim.scope, cue.strength, document.topic) is kept
    in `extra`, written back in place, and takes part in equality; without it nothing changes."""
    import json
    from dataclasses import replace
    from pathlib import Path

    from cash_corpus import schema
    from cash_corpus.jsonl import dumps_line
    from cash_corpus.layers import document_from_records

    repo = Path(__file__).resolve().parents[1]
    extended = json.loads((repo / "schema" / "cash.schema.json").read_text(encoding="utf-8"))
    defs = extended["$defs"]
    defs["claim"]["properties"]["scope"] = {"type": "string"}
    defs["cue"]["properties"]["strength"] = {"type": "string"}
    defs["document_record"]["properties"]["topic"] = {"type": "string"}
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "cash.schema.json").write_text(json.dumps(extended), encoding="utf-8")
    document = {"record": "document", "document_id": "d1", "text_sha256": "0" * 64, "document_stance": [],
                "topic": "missiles"}
    claim = {"record": "claim", "id": "c1", "document_id": "d1", "start": 0, "end": 2, "text": "\U0001d400b",
             "claim_type": label_names("claim_type")[0], "certainty": label_names("certainty")[0],
             "polarity": label_names("claim_polarity")[0], "holder": {"type": "author", "attribution_id": None},
             "stance": [], "scope": "global", "note": "n"}
    cue = {"record": "cue", "id": "q1", "document_id": "d1", "start": 0, "end": 1, "text": "\U0001d400",
           "kind": label_names("cue_kind")[0], "cue_type": label_names("cue_type")[0], "claims": ["c1"],
           "strength": "weak"}
    try:
        schema.use_corpus_schema(tmp_path)
        parsed = document_from_records([document, claim, cue])
        assert parsed.claims[0].extra == (("scope", "global"),) and parsed.cues[0].extra == (("strength", "weak"),)
        assert parsed.extra == (("topic", "missiles"),)
        assert [dumps_line(r) for r in parsed.records()] == [dumps_line(r) for r in (document, claim, cue)]
        assert replace(parsed.claims[0], extra=(("scope", "local"),)) != parsed.claims[0]
        assert replace(parsed.claims[0], extra=()) != parsed.claims[0]
    finally:
        schema.use_corpus_schema(None)
    plain = Claim.from_dict({key: value for key, value in claim.items() if key != "scope"})
    assert plain.extra == () and "scope" not in plain.to_dict()
