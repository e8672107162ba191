"""The `datasets` Features of every config, generated from the schema's label inventories.

The schema is the single source of truth: every label column is a `ClassLabel` whose names are
`schema.label_names(inventory)`, so a label added to the schema reaches the built Parquet files,
the card YAML and the Croissant file without anyone editing a list here. Offsets are int32
(code points, half-open); lists of structs are `List({...})`, never `Sequence(dict)`, which
`datasets` would turn into a dict of lists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from datasets import ClassLabel, Features, LargeList, List, Value

from ..schema import label_names

# The kinds of config, one Parquet table each; the order is the order of the card's `configs:`.
CONFIG_KINDS = ("documents", "claims", "cues", "attributions", "sentences")

# Sentence-level certainty in the CoNLL-2010 sense (a sentence holding a hedge cue is
# uncertain). It is derived from cue annotations, not annotated, so it is not a schema inventory.
SENTENCE_CERTAINTY = ("certain", "uncertain")

OFFSET = Value("int32")
STRING = Value("string")


def class_label(inventory: str) -> ClassLabel:
    """A ClassLabel whose names are the schema inventory `inventory`, in schema order."""
    return ClassLabel(names=label_names(inventory))


def span_struct() -> dict:
    return {"start": OFFSET, "end": OFFSET, "text": STRING}


def offsets_struct() -> dict:
    return {"start": OFFSET, "end": OFFSET}


def stated_struct(with_inference: bool = False) -> dict:
    """Metadata that is either stated in the text (with evidence) or not stated."""
    out = {"value": STRING, "status": STRING, "evidence": STRING}
    if with_inference:
        out["inferred"] = {"value": STRING, "evidence": STRING}
    return out


def stance_list() -> List:
    return List({"target": class_label("stance_target"), "polarity": class_label("stance_polarity")})


def claim_fields() -> dict:
    """Columns of one claim that do not depend on where it is stored (row or nested)."""
    return {
        "id": STRING, "start": OFFSET, "end": OFFSET, "text": STRING,
        "claim_type": class_label("claim_type"), "certainty": class_label("certainty"),
        "polarity": class_label("claim_polarity"),
        "holder": {"type": class_label("holder_type"), "attribution_id": STRING},
        "stance": stance_list(), "note": STRING,
    }


def cue_fields() -> dict:
    return {"id": STRING, "start": OFFSET, "end": OFFSET, "text": STRING, "kind": class_label("cue_kind"),
            "cue_type": class_label("cue_type"), "claims": List(STRING), "note": STRING}


def attribution_fields() -> dict:
    return {"id": STRING, "source": span_struct(), "cue": span_struct(), "content": span_struct(),
            "source_type": class_label("source_type"), "form": class_label("attribution_form"),
            "parc_type": class_label("parc_type"), "parent": STRING, "note": STRING}


def with_document_id(fields: dict) -> dict:
    """A top-level row also names its document, right after its own id."""
    out = {"id": fields["id"], "document_id": STRING}
    out.update({key: value for key, value in fields.items() if key != "id"})
    return out


def documents_features() -> Features:
    return Features({
        "id": STRING, "title": STRING, "text": STRING, "source_file": STRING, "genre": class_label("genre"),
        "language": STRING, "length": Value("int32"), "sha256": STRING,
        "outlet": stated_struct(), "author": stated_struct(), "date": stated_struct(with_inference=True),
        "rights": {"license": STRING, "copyright": STRING},
        "annotation_layer": STRING,
        "zones": List({"type": class_label("zone_type"), "start": OFFSET, "end": OFFSET}),
        "sentences": List(offsets_struct()),
        "tokens": List(offsets_struct()),
        "document_stance": List({"target": class_label("stance_target"),
                                 "polarity": class_label("document_stance_polarity")}),
        "claims": List(claim_fields()),
        "cues": List(cue_fields()),
        "attributions": List(attribution_fields()),
    })


def claims_features() -> Features:
    fields = with_document_id(claim_fields())
    note = fields.pop("note")
    fields.update({"sentence_id": Value("int32"), "sentence_start": OFFSET, "sentence_end": OFFSET,
                   "sentence_text": STRING, "note": note})
    return Features(fields)


def cues_features() -> Features:
    return Features(with_document_id(cue_fields()))


def attributions_features() -> Features:
    return Features(with_document_id(attribution_fields()))


def sentences_features() -> Features:
    return Features({
        "id": STRING, "document_id": STRING, "sentence_id": Value("int32"), "start": OFFSET, "end": OFFSET,
        "text": STRING, "zone": class_label("zone_type"),
        "has_claim": Value("bool"), "has_hedge": Value("bool"), "has_booster": Value("bool"),
        "has_attribution": Value("bool"), "certainty": ClassLabel(names=list(SENTENCE_CERTAINTY)),
    })


_BUILDERS = {"documents": documents_features, "claims": claims_features, "cues": cues_features,
             "attributions": attributions_features, "sentences": sentences_features}


def config_features(kind: str) -> Features:
    """The Features of config kind `kind` (one of CONFIG_KINDS)."""
    return _BUILDERS[kind]()


# ---------------------------------------------------------------- encoding rows (label strings -> ids)

Encoder = Callable[[Any], Any]


def _encoder(feature: Any) -> Encoder | None:
    """A function doing what `feature.encode_example` does for the plain Python values our rows
    hold (label strings to ClassLabel ids, structs and lists walked, missing keys as None), or None
    where the value passes unchanged. Built once per config: `Features.encode_example` re-inspects
    the feature tree for every value and was 80% of the build time."""
    if isinstance(feature, ClassLabel):
        ids = {name: index for index, name in enumerate(feature.names)}

        def encode_label(value: Any) -> Any:
            if value is None or isinstance(value, int):
                return value
            try:
                return ids[value]
            except (KeyError, TypeError):
                raise ValueError(f"Invalid string class label {value!r}") from None
        return encode_label
    if isinstance(feature, dict):
        fields = [(key, _encoder(sub)) for key, sub in feature.items()]
        if not any(encode for _, encode in fields):
            # nothing to encode inside (e.g. every token's {start, end}): the dict goes to Arrow as
            # it is; Arrow takes struct fields by name, a missing one as null, like the rebuilt dict
            return None

        def encode_struct(value: Any) -> Any:
            if value is None:
                return None
            return {key: (encode(value.get(key)) if encode else value.get(key)) for key, encode in fields}
        return encode_struct
    if isinstance(feature, (List, LargeList)):
        inner = _encoder(feature.feature)
        if inner is None:
            return None
        return lambda value: None if value is None else [inner(item) for item in value]
    if isinstance(feature, Value):
        return None
    raise TypeError(f"no row encoder for feature type {type(feature).__name__}")


def row_encoder(features: Features) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Encode one row of `features` (see `_encoder`); equal to `features.encode_example` on our rows."""
    encode = _encoder(dict(features))
    if encode is None:  # no label anywhere: rows pass unchanged
        return lambda row: row
    return encode
