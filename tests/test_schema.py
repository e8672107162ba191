"""The schema: valid JSON Schema 2020-12, every label defined with a real example, versions."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from cash_corpus.corpus import Corpus
from cash_corpus.schema import (inventories, is_supported_schema_version, label_names, labels, load_schema,
                                schema_version, validator)

LABEL_SETS = inventories()
# Inventories an annotator chooses from; each label needs an example an annotator can look at.
ANNOTATION_LABEL_SETS = [name for name in LABEL_SETS if name not in ("genre", "provenance_method")]


def test_schema_meta_validates():
    Draft202012Validator.check_schema(load_schema())
    assert load_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_oneof_inventory_is_found_as_a_label_set():
    found = {name for name, d in load_schema()["$defs"].items() if "oneOf" in d}
    assert found == set(LABEL_SETS) and "claim_type" in found and "span" not in found


@pytest.mark.parametrize("name", LABEL_SETS)
def test_every_label_has_a_definition(name):
    assert labels(name)
    for label in labels(name):
        assert len(label.definition) > 20, (name, label.value)
    assert len(set(label_names(name))) == len(label_names(name))


@pytest.mark.parametrize("name", ANNOTATION_LABEL_SETS)
def test_every_annotation_label_has_an_example_found_in_the_corpus(name, repo_root):
    corpus = Corpus.at(repo_root)
    for label in labels(name):
        assert label.examples, (name, label.value)
        for example in label.examples:
            if example.get("constructed"):
                assert example["document_id"] is None
                continue
            assert example["text"] in corpus.text(example["document_id"]), (name, label.value, example)


def test_required_stance_targets_are_present():
    assert {"T_IRAN_REGIME", "T_ENGAGE_IRAN", "T_SANCTIONS", "T_UKRAINE_STRIKES", "T_RUSSIA_WAR",
            "T_IRAN_OPPOSITION"} <= set(label_names("stance_target"))
    assert label_names("claim_type") == ["factual", "evaluative", "predictive", "prescriptive"]
    assert label_names("certainty") == ["certain", "probable", "possible", "underspecified"]
    assert label_names("stance_polarity") == ["favor", "against", "neutral", "no_stance"]
    assert label_names("document_stance_polarity") == ["favor", "against", "balanced", "neutral", "none"]
    assert label_names("cue_kind") == ["hedge", "booster", "approximator", "conditional"]
    assert label_names("attribution_form") == ["direct", "indirect", "mixed"]
    assert label_names("parc_type") == ["assertion", "belief", "fact", "eventuality"]
    assert label_names("author_commitment") == ["committed", "not_committed", "distanced"]


# Labels of schema 1.0.0: a MINOR schema version may add labels but never drop or rename one,
# so layers written under 1.0.0 stay valid (README "Versioning").
SCHEMA_1_0_0_LABELS = {
    "certainty": {"certain", "probable", "possible"},
    "stance_polarity": {"favor", "against", "neutral"},
    "document_stance_polarity": {"favor", "against", "neutral", "none"},
    "cue_kind": {"hedge", "booster"},
    "cue_type": {"modal", "lexical_verb", "adverb", "adjective", "noun", "approximator", "conditional", "negation",
                 "other"},
}


@pytest.mark.parametrize("inventory", sorted(SCHEMA_1_0_0_LABELS))
def test_a_minor_schema_version_keeps_every_1_0_0_label(inventory):
    assert schema_version().split(".")[0] == "1"
    assert SCHEMA_1_0_0_LABELS[inventory] <= set(label_names(inventory))


def test_the_1_1_0_attribution_fields_are_optional():
    attribution = {"record": "attribution", "id": "a1", "document_id": "doc", "source": None,
                   "cue": {"start": 0, "end": 4, "text": "said"}, "content": {"start": 5, "end": 9, "text": "Iran"},
                   "source_type": "unnamed", "form": "indirect", "parc_type": "assertion", "parent": None}
    check = validator("attribution")
    assert not list(check.iter_errors(attribution))
    assert not list(check.iter_errors({**attribution, "hypothetical": True, "author_commitment": "distanced"}))
    assert not list(check.iter_errors({**attribution, "hypothetical": None, "author_commitment": None}))
    assert list(check.iter_errors({**attribution, "hypothetical": "yes"}))
    assert list(check.iter_errors({**attribution, "author_commitment": "endorsed"}))


def test_schema_version_is_semver_and_recorded_in_the_corpus(repo_root):
    assert schema_version().count(".") == 2
    assert Corpus.at(repo_root).info()["schema_version"] == schema_version()


def _shifted(part: int, delta: int) -> str:
    numbers = [int(p) for p in schema_version().split(".")]
    numbers[part] += delta
    return ".".join(map(str, numbers))


@pytest.mark.parametrize("version,ok", [(lambda: schema_version(), True), (lambda: _shifted(2, 1), False),
                                        (lambda: _shifted(1, 1), False), (lambda: _shifted(0, 1), False),
                                        (lambda: _shifted(0, -1), False), (lambda: "1.0", False),
                                        (lambda: "x", False), (lambda: "1.0.0", True)])
def test_supported_schema_versions(version, ok):
    # Only the shipped version and older ones of the same MAJOR can be read (relative to the schema in use);
    # 1.0.0, the version the committed layers were written under, stays readable.
    assert is_supported_schema_version(version()) is ok


CLAIM = {"record": "claim", "id": "c1", "document_id": "doc", "start": 0, "end": 4, "text": "Iran",
         "claim_type": "factual", "certainty": "certain", "polarity": "positive",
         "holder": {"type": "author", "attribution_id": None}, "stance": [{"target": "T_IRAN_REGIME", "polarity": "against"}]}


def test_a_valid_claim_passes_and_each_defect_fails():
    check = validator("claim")
    assert not list(check.iter_errors(CLAIM))
    for field, value in [("claim_type", "opinion"), ("start", -1), ("stance", [{"target": "T_X", "polarity": "favor"}]),
                         ("id", "../x"), ("document_id", "Doc"), ("text", "")]:
        assert list(check.iter_errors({**CLAIM, field: value})), field
    assert list(check.iter_errors({**CLAIM, "extra": 1}))
    assert list(check.iter_errors({k: v for k, v in CLAIM.items() if k != "holder"}))


def test_whole_record_schema_dispatches_on_record_kind():
    check = validator(None)
    assert not list(check.iter_errors(CLAIM))
    assert list(check.iter_errors({**CLAIM, "record": "cue"}))  # a claim is not a valid cue
    assert list(check.iter_errors({"record": "nonsense"}))
