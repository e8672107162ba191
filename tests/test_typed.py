"""typed: msgspec types compiled from the schema are never weaker than the schema.

What msgspec accepts, jsonschema must accept (stricter is allowed: the exact path then decides).
Checked on the valid fixture's records with any value put anywhere in them, and on the cases
where Python and JSON Schema differ (a trailing newline against `$`, 83.0 as an integer, 2**63).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cash_corpus.schema import validator
from cash_corpus.typed import Unsupported, _Compiler, lines_decoder, typed_def

VALID = Path(__file__).parent / "fixtures" / "validation" / "valid"
LAYER_KINDS = ("document_record", "claim", "cue", "attribution")


def _lines(relative: str) -> list[dict]:
    return [json.loads(line) for line in (VALID / relative).read_text(encoding="utf-8").splitlines() if line.strip()]


RECORDS = ([("document_metadata", r) for r in _lines("corpus/documents.jsonl")]
           + [("structure_record", r) for r in _lines("corpus/structure.jsonl")]
           + [({"document": "document_record"}.get(r["record"], r["record"]), r)
              for r in _lines("annotations/gold.jsonl") if r["record"] != "layer"])


def accepts(def_name: str, record) -> bool:
    names = LAYER_KINDS if def_name in LAYER_KINDS else (def_name,)
    decoder, _ = lines_decoder(*names)
    try:
        decoder.decode(json.dumps(record).encode())
    except msgspec.MsgspecError:
        return False
    return True


def test_every_valid_record_decodes():
    assert len(RECORDS) >= 15
    for def_name, record in RECORDS:
        assert accepts(def_name, record), (def_name, record)


def test_the_layer_header_is_left_to_the_exact_path():
    with pytest.raises(Unsupported, match="format"):
        typed_def("layer_record", tagged=True)


@pytest.mark.parametrize("node", [
    {"type": "object", "properties": {"a": {"type": "string"}}},                      # open object
    {"anyOf": [{"type": "string"}, {"type": "integer"}]},                               # anyOf beyond X-or-null
    {"type": "string", "format": "date"},
    {"oneOf": [{"type": "string"}, {"type": "integer"}]},
    {"type": "object", "additionalProperties": False, "properties": {"a": {"not": {"type": "null"}}}},
])
def test_constructs_it_cannot_check_exactly_are_refused_at_compile_time(node):
    compiler = _Compiler({"$defs": {"x": node}})
    with pytest.raises(Unsupported):
        compiler.definition("x")


@pytest.mark.parametrize("change", [
    lambda r: r.update(id=r["id"] + "\n"),          # Python's `$` matches before a final newline; ECMA's does not
    lambda r: r.update(start=float(r["start"])),     # 83.0 is not a JSON Schema integer here
    lambda r: r.update(start=2**63),                 # outside 64 bits
    lambda r: r.update(start=True),
    lambda r: r.update(extra=1),
    lambda r: r.pop("claim_type"),
    lambda r: r.update(claim_type="Factual"),
])
def test_known_differences_between_python_and_json_schema_are_refused(change):
    claim = copy.deepcopy(next(r for d, r in RECORDS if d == "claim"))
    change(claim)
    assert not accepts("claim", claim)


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5)
                    | st.sampled_from(["assertion", "author", "hedge", "group", "a1", "c1", "", " "]),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
                    max_leaves=5)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, prefix + (index,))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(choice=st.integers(0, 10**6), where=st.integers(0, 10**6), value=JSON, delete=st.booleans())
def test_whatever_msgspec_accepts_jsonschema_accepts(choice, where, value, delete):
    def_name, record = RECORDS[choice % len(RECORDS)]
    record = copy.deepcopy(record)
    paths = [p for p in _paths(record) if p]
    path = paths[where % len(paths)]
    parent = record
    for step in path[:-1]:
        parent = parent[step]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    if accepts(def_name, record):
        assert validator(def_name).is_valid(record), (def_name, path, value)
