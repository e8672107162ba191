"""Codes chosen from jsonschema's structured error: keyword, schema path and the $defs it reaches."""

from __future__ import annotations

import copy
import json

from cash_corpus.schema import validator
from cash_corpus.validation.shapes import reached, schema_findings

CLAIM = {"record": "claim", "id": "c1", "document_id": "d1", "start": 0, "end": 4, "text": "Iran",
         "claim_type": "factual", "certainty": "certain", "polarity": "positive",
         "holder": {"type": "author", "attribution_id": None}, "stance": []}
SPAN = {"start": 5, "end": 9, "text": "said"}
ATTRIBUTION = {"record": "attribution", "id": "a1", "document_id": "d1", "source": None, "cue": SPAN,
               "content": {"start": 10, "end": 20, "text": "xxxxxxxxxx"}, "source_type": "person",
               "form": "direct", "parc_type": "assertion", "parent": None}


def _codes(record, def_name):
    return [(f.code, f.message) for f in schema_findings(record, def_name, {}, fast=False)]


def test_the_path_of_a_wrong_span_reaches_span_inside_attribution_at_its_member():
    record = {**ATTRIBUTION, "cue": None}
    [error] = [e for e in validator("attribution").iter_errors(record)]
    how = reached("attribution", list(error.absolute_schema_path)[:-1], list(error.absolute_path))
    assert how.defs == (("attribution", ()), ("span", ("cue",)))
    assert _codes(record, "attribution") == [("attribution-incomplete", "$.cue: wrong type")]


def test_a_missing_required_span_of_an_attribution_is_incomplete_a_missing_label_is_not():
    record = {k: v for k, v in ATTRIBUTION.items() if k not in ("content", "form")}
    assert sorted(_codes(record, "attribution")) == [
        ("attribution-incomplete", "$: missing required field 'content'"),
        ("schema-missing-field", "$: missing required field 'form'")]


def test_a_label_error_names_the_inventory_reached_and_locates_the_span():
    record = {**CLAIM, "certainty": "sure"}
    [f] = schema_findings(record, "claim", {}, fast=False)
    assert (f.code, f.message, f.start, f.end) == ("label-unknown", "$.certainty: not a certainty label", 0, 4)
    record = {**ATTRIBUTION, "cue": {**SPAN, "start": -1}}
    [f] = schema_findings(record, "attribution", {}, fast=False)
    assert (f.code, f.start, f.end) == ("offset-negative", -1, 9)  # the cue's offsets, not the record's


def test_codes_follow_the_schema_not_the_field_names(monkeypatch):
    """Rename the attribution's `cue` property in a copy of the schema: a missing cue is still
    attribution-incomplete, because the code comes from the $defs/span it is, not from its name."""
    import cash_corpus.validation.shapes as shapes
    from cash_corpus import schema as schema_module
    original = schema_module.load_schema()
    renamed = copy.deepcopy(original)
    attribution = renamed["$defs"]["attribution"]
    attribution["properties"]["trigger"] = attribution["properties"].pop("cue")
    attribution["required"] = ["trigger" if r == "cue" else r for r in attribution["required"]]
    monkeypatch.setattr(shapes, "load_schema", lambda: renamed)
    record = {k: v for k, v in ATTRIBUTION.items() if k != "cue"}
    error = next(e for e in __import__("jsonschema").Draft202012Validator(
        {**renamed, "$ref": "#/$defs/attribution"}).iter_errors(record) if e.validator == "required")
    [f] = list(shapes._to_findings(error, record, "attribution", {}))
    assert (f.code, f.message) == ("attribution-incomplete", "$: missing required field 'trigger'")
    assert json.dumps(original) != json.dumps(renamed)
