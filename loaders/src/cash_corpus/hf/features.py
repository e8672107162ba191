"""The `datasets` Features of every config, generated from the schema's label inventories.

The schema is the single source of truth: every label column is a `ClassLabel` whose names are
`schema.label_names(inventory)`, so a label added to the schema reaches the built Parquet files,
the card YAML and the Croissant file without anyone editing a list here. Offsets are int32
(code points, half-open); lists of structs are `List({...})`, never `Sequence(dict)`, which
`datasets` would turn into a dict of lists.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pyarrow as pa
from datasets import ClassLabel, Features, LargeList, List, Value

from ..schema import _ref_name, inventories, label_names, load_schema, record_kinds

# The kinds of config, one Parquet table each; the order is the order of the card's `configs:`.
CONFIG_KINDS = ("documents", "claims", "cues", "attributions", "sentences", "tokens")

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


# Properties of an annotation record that are not columns of its nested/row form: the record
# kind, the document id (a row adds it, `with_document_id`), Label Studio provenance and the model
# confidence of an automatic prediction (`score`, schema 1.2.0; the built configs hold gold only).
NOT_COLUMNS = frozenset({"record", "document_id", "ls_region_id", "score"})


def _json_type(node: dict[str, Any]) -> str | None:
    kind = node.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        return kinds[0] if len(kinds) == 1 else None
    return kind


def schema_feature(node: dict[str, Any]) -> Any:
    """The `datasets` feature of one schema property: a label inventory is a ClassLabel, an object
    a struct of its properties, an array a List, a boolean a bool, an integer a code-point offset
    (int32), a string a string; a `$ref` (or nullable `anyOf` of one) is followed."""
    target = _ref_name(node)
    defs = load_schema()["$defs"]
    if target is not None:
        if target in inventories():
            return class_label(target)
        return schema_feature(defs[target])
    kind = _json_type(node)
    if kind == "object" or (kind is None and "properties" in node):
        return {name: schema_feature(sub) for name, sub in node.get("properties", {}).items()}
    if kind == "array":
        return List(schema_feature(node.get("items", {})))
    if kind == "boolean":
        return Value("bool")
    if kind == "integer":
        return OFFSET
    if kind == "string":
        return STRING
    raise ValueError(f"no datasets feature for schema node {node!r}")


def record_fields(kind: str) -> dict:
    """Columns of one annotation record of `kind` ("claim", "cue", "attribution"), derived from its
    schema properties in schema order: every labelled field (also nested, e.g. holder.type,
    stance[].target) is a ClassLabel of its inventory, booleans are bool columns, the span is
    start/end/text. A labelled field added to the schema becomes a column with no edit here."""
    definition = load_schema()["$defs"][record_kinds()[kind]]
    return {name: schema_feature(node) for name, node in definition["properties"].items() if name not in NOT_COLUMNS}


def claim_fields() -> dict:
    """Columns of one claim that do not depend on where it is stored (row or nested)."""
    return record_fields("claim")


def cue_fields() -> dict:
    return record_fields("cue")


def attribution_fields() -> dict:
    return record_fields("attribution")


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


def tokens_features() -> Features:
    """One row per sentence for token classification: tokens with code-point offsets into the raw
    text and BIO tag sequences whose ClassLabel names derive from the schema (see `cash_corpus.bio`)."""
    from ..bio import FAMILIES, family_columns, tag_names
    fields = {"id": STRING, "document_id": STRING, "sentence_id": Value("int32"),
              "tokens": List(STRING), "token_starts": List(OFFSET), "token_ends": List(OFFSET)}
    for family in FAMILIES:
        for column in family_columns(family):
            fields[column] = List(ClassLabel(names=tag_names(family)))
    return Features(fields)


_BUILDERS = {"documents": documents_features, "claims": claims_features, "cues": cues_features,
             "attributions": attributions_features, "sentences": sentences_features, "tokens": tokens_features}


def config_features(kind: str) -> Features:
    """The Features of config kind `kind` (one of CONFIG_KINDS)."""
    return _BUILDERS[kind]()


# ---------------------------------------------------------------- encoding columns (label strings -> ids)

def has_labels(feature: Any) -> bool:
    """Does `feature` hold a ClassLabel anywhere inside? (Columns without one go to Arrow as they are.)"""
    if isinstance(feature, ClassLabel):
        return True
    if isinstance(feature, dict):
        return any(has_labels(sub) for sub in feature.values())
    if isinstance(feature, (List, LargeList)):
        return has_labels(feature.feature)
    return False


def label_ids(feature: ClassLabel) -> dict[str, int]:
    """name -> ClassLabel id, in the feature's (schema) order."""
    return {name: index for index, name in enumerate(feature.names)}


def arrow_column(feature: Any, values: list, arrow_type: pa.DataType) -> pa.Array:
    """One column of plain Python values (label strings, dicts, lists, None) as the Arrow array that
    `Table.from_pylist([features.encode_example(row) …])` makes, built a column at a time: labels are
    mapped with one dict per column and nested structs/lists are flattened into their children, so
    no Python object is made per row (the per-row walk was most of the build time). A label outside
    the inventory raises ValueError naming it, as `ClassLabel.encode_example` does."""
    if not has_labels(feature):
        return pa.array(values, type=arrow_type)
    if isinstance(feature, ClassLabel):
        ids = label_ids(feature)
        try:  # the common column: every value a known label (None is not a key, so it takes the next path)
            encoded = list(map(ids.__getitem__, values))
        except (KeyError, TypeError):
            try:
                encoded = [None if value is None else ids[value] for value in values]
            except (KeyError, TypeError) as exc:
                raise ValueError(f"Invalid string class label {exc.args[0]!r}") from None
        return pa.array(encoded, type=arrow_type)
    nulls = [value is None for value in values]
    mask = pa.array(nulls, type=pa.bool_()) if any(nulls) else None
    if isinstance(feature, dict):
        present = values if mask is None else [{} if value is None else value for value in values]
        children = [arrow_column(sub, list(map(dict.get, present, itertools.repeat(key))), arrow_type.field(key).type)
                    for key, sub in feature.items()]
        return pa.StructArray.from_arrays(children, fields=list(arrow_type), mask=mask)
    if isinstance(feature, (List, LargeList)):
        lengths = np.fromiter((0 if value is None else len(value) for value in values), dtype=np.int64,
                              count=len(values))
        offsets = np.zeros(len(values) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        flat = list(itertools.chain.from_iterable(value for value in values if value is not None))
        child = arrow_column(feature.feature, flat, arrow_type.value_type)
        offset_type = pa.int64() if isinstance(arrow_type, pa.LargeListType) else pa.int32()
        array_class = pa.LargeListArray if isinstance(arrow_type, pa.LargeListType) else pa.ListArray
        return array_class.from_arrays(pa.array(offsets, type=offset_type), child, type=arrow_type, mask=mask)
    raise TypeError(f"no column encoder for feature type {type(feature).__name__}")


def encode_table(features: Features, columns: dict[str, list | pa.Array]) -> pa.Table:
    """The Arrow table of `features` (its exact schema, HF metadata included) from one value list or
    ready Arrow array per column; the columns must be exactly the features' (the schema is the one
    list of columns: a builder that misses or invents one fails here, not in a user's training run)."""
    schema = features.arrow_schema
    if set(columns) != set(features):
        raise ValueError(f"columns {sorted(set(columns) ^ set(features))} differ from the features")
    arrays = []
    for field in schema:
        values = columns[field.name]
        arrays.append(values if isinstance(values, pa.Array)
                      else arrow_column(features[field.name], values, field.type))
    return pa.Table.from_arrays(arrays, schema=schema)
