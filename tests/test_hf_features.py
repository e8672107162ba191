"""Features are generated from the schema: every label column is a ClassLabel with the schema's names."""

from __future__ import annotations

from datasets import ClassLabel, Features, List, Sequence, Value

from cash_corpus.hf.features import CONFIG_KINDS, SENTENCE_CERTAINTY, config_features
from cash_corpus.schema import label_names

# Which inventory each label column uses, written out by hand so the generator is checked, not echoed.
EXPECTED_LABELS = {
    "documents": {"genre": "genre", "zones.type": "zone_type", "document_stance.target": "stance_target",
                  "document_stance.polarity": "document_stance_polarity", "claims.claim_type": "claim_type",
                  "claims.certainty": "certainty", "claims.polarity": "claim_polarity",
                  "claims.holder.type": "holder_type", "claims.stance.target": "stance_target",
                  "claims.stance.polarity": "stance_polarity", "cues.kind": "cue_kind", "cues.cue_type": "cue_type",
                  "attributions.source_type": "source_type", "attributions.form": "attribution_form",
                  "attributions.parc_type": "parc_type", "attributions.author_commitment": "author_commitment"},
    "claims": {"claim_type": "claim_type", "certainty": "certainty", "polarity": "claim_polarity",
               "holder.type": "holder_type", "stance.target": "stance_target", "stance.polarity": "stance_polarity"},
    "cues": {"kind": "cue_kind", "cue_type": "cue_type"},
    "attributions": {"source_type": "source_type", "form": "attribution_form", "parc_type": "parc_type",
                     "author_commitment": "author_commitment"},
    "sentences": {"zone": "zone_type"},
    "tokens": {},  # BIO tag names derived from inventories: checked below and in tests/test_bio.py
}
BIO_COLUMNS = {"claim_tags": "claim_type", "claim_tags_inner": "claim_type", "cue_tags": "cue_kind",
               "attribution_tags": None, "attribution_tags_inner": None}


def leaves(feature, prefix=""):
    """(dotted path, leaf feature) for every leaf; also yields containers to check their kind."""
    if isinstance(feature, (dict, Features)):
        for key, value in feature.items():
            yield from leaves(value, f"{prefix}{key}.")
    elif isinstance(feature, List):
        yield prefix.rstrip("."), feature
        yield from leaves(feature.feature, prefix)
    else:
        yield prefix.rstrip("."), feature


def test_label_columns_are_class_labels_named_by_the_schema():
    for kind in CONFIG_KINDS:
        found = {path: f for path, f in leaves(config_features(kind)) if isinstance(f, ClassLabel)}
        expected = dict(EXPECTED_LABELS[kind])
        if kind == "sentences":
            assert found.pop("certainty").names == list(SENTENCE_CERTAINTY)
        if kind == "tokens":
            for column, inventory in BIO_COLUMNS.items():
                labels = label_names(inventory) if inventory else ["source", "cue", "content"]
                assert found.pop(column).names == ["O"] + [f"{p}-{x}" for x in labels for p in "BI"], column
        assert set(found) == set(expected), kind
        for path, inventory in expected.items():
            assert found[path].names == label_names(inventory), (kind, path)


def test_offsets_are_int32_and_lists_are_lists_of_structs():
    for kind in CONFIG_KINDS:
        for path, feature in leaves(config_features(kind)):
            assert not isinstance(feature, Sequence) or isinstance(feature, List)
            if path.split(".")[-1] in ("start", "end", "sentence_start", "sentence_end"):
                assert feature == Value("int32"), (kind, path)
    assert isinstance(config_features("claims")["stance"], List)
    assert isinstance(config_features("claims")["stance"].feature, dict)


def test_card_yaml_round_trips_the_features():
    for kind in CONFIG_KINDS:
        features = config_features(kind)
        assert Features._from_yaml_list(features._to_yaml_list()) == features


def _columns_of_the_real_corpus(kind):
    """The value columns `cash build` encodes for the repository's gold layer (real data, every config)."""
    from pathlib import Path

    from cash_corpus.hf.build import iter_document_inputs, line_offsets
    from cash_corpus.hf.rows import COLUMN_BUILDERS, Shard
    from cash_corpus.paths import CorpusPaths

    paths = CorpusPaths(Path(__file__).resolve().parents[1])
    doc_index = line_offsets(paths.documents, "id")
    structure_index = line_offsets(paths.structure, "document_id")
    shard = Shard(iter_document_inputs(paths, "gold", sorted(doc_index), doc_index, structure_index))
    return COLUMN_BUILDERS[kind](shard, config_features(kind)), shard


def test_the_column_encoder_equals_datasets_encode_example():
    """Each column of Python values becomes the array Arrow makes from `encode_example` rows, with
    the same `nbytes` (the card's split sizes count them), and labels outside the inventory are refused."""
    import pyarrow as pa
    import pytest
    from datasets.features.features import encode_nested_example

    from cash_corpus.hf.features import arrow_column
    checked = 0
    for kind in CONFIG_KINDS:
        features = config_features(kind)
        columns, shard = _columns_of_the_real_corpus(kind)
        for field in features.arrow_schema:
            values = columns[field.name]
            if isinstance(values, pa.Array):  # made from arrays: checked by the byte-identity of the build
                continue
            assert values, (kind, field.name)
            got = arrow_column(features[field.name], values, field.type)
            want = pa.array([encode_nested_example(features[field.name], value) for value in values], type=field.type)
            assert got.equals(want) and got.nbytes == want.nbytes, (kind, field.name)
            checked += 1
        for name, array in shard.record_arrays("claims").items() if kind == "claims" else ():
            records = [claim for block in shard.blocks for claim in block.claims]
            feature = features[name]
            want = pa.array([encode_nested_example(feature, r.get(name)) for r in records], type=array.type)
            assert array.equals(want) and array.nbytes == want.nbytes, name
    assert checked > 10
    claims = config_features("claims")
    with pytest.raises(ValueError, match="opinion"):
        arrow_column(claims["claim_type"], ["factual", "opinion"], pa.int64())
    with pytest.raises(ValueError, match="opinion"):
        arrow_column(claims["stance"], [[{"target": "opinion", "polarity": "for"}]],
                     claims.arrow_schema.field("stance").type)


def test_gc_is_paused_only_inside_the_block():
    import gc

    from cash_corpus.jsonl import gc_paused
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
