"""Property tests: random corruptions of valid data are always reported, and the compiled fast
path agrees with jsonschema on valid and invalid records alike."""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cash_corpus.corpus import Corpus
from cash_corpus.validation import errors, validate_layer_rows, validate_root
from cash_corpus.validation.shapes import is_valid, record_def

VALID = Path(__file__).parent / "fixtures" / "validation" / "valid"
CORPUS = Corpus.at(VALID)
GOLD = [json.loads(line) for line in (VALID / "annotations" / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
DOCUMENTS = [json.loads(line) for line in (VALID / "corpus" / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
STRUCTURES = [json.loads(line) for line in (VALID / "corpus" / "structure.jsonl").read_text(encoding="utf-8").splitlines()]
ANNOTATION_LINES = [i for i, r in enumerate(GOLD) if r["record"] in ("claim", "cue", "attribution")]
LABEL_FIELDS = {"claim": ["claim_type", "certainty", "polarity"], "cue": ["kind", "cue_type"],
                "attribution": ["source_type", "form", "parc_type"]}
SPAN_FIELDS = {"claim": [None], "cue": [None], "attribution": ["source", "cue", "content"]}
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _codes(rows) -> set[str]:
    return {f.code for f in errors(validate_layer_rows(rows, CORPUS, "gold.jsonl"))}


@st.composite
def corrupted_layer(draw):
    """(rows, codes one of which must be reported): one random defect in the gold layer."""
    rows = copy.deepcopy(GOLD)
    i = draw(st.sampled_from(ANNOTATION_LINES))
    record = rows[i]
    kind = record["record"]
    defect = draw(st.sampled_from(["offset", "label", "drop", "duplicate-id", "reference", "unknown-field"]))
    if defect == "offset":
        key = draw(st.sampled_from(SPAN_FIELDS[kind]))
        span = record if key is None else record[key]
        side = draw(st.sampled_from(["start", "end"]))
        span[side] += draw(st.integers(-5, 5).filter(bool))
        return rows, {"span-text-mismatch", "offset-empty", "offset-negative", "offset-out-of-range"}
    if defect == "label":
        field = draw(st.sampled_from(LABEL_FIELDS[kind]))
        record[field] = draw(st.text(min_size=0, max_size=8) | st.integers() | st.none())
        return rows, {"label-unknown", "schema-wrong-type"}
    if defect == "drop":
        required = [k for k in record if k != "note"]
        record.pop(draw(st.sampled_from(required)))
        return rows, {"schema-missing-field", "attribution-incomplete", "record-unknown", "record-outside-document"}
    if defect == "duplicate-id":
        same_doc = [j for j in ANNOTATION_LINES if j != i and rows[j]["document_id"] == record["document_id"]]
        record["id"] = rows[draw(st.sampled_from(same_doc))]["id"]
        return rows, {"id-duplicate"}
    if defect == "reference":
        bad = draw(st.sampled_from(["zz9", "c99", "a99", "q1"]))
        if kind == "claim":
            record["holder"] = {"type": "attribution", "attribution_id": bad}
        elif kind == "cue":
            record["claims"] = [bad]
        else:
            record["parent"] = bad
        return rows, {"ref-dangling"}
    record[draw(st.sampled_from(["label", "confidence", "Text", "span"]))] = draw(st.integers() | st.text(max_size=4))
    return rows, {"schema-unknown-field"}


@SETTINGS
@given(corrupted_layer())
def test_every_random_corruption_of_a_layer_is_reported(case):
    rows, expected = case
    assert _codes(rows) & expected, (expected, _codes(rows))


@settings(max_examples=25, deadline=None)
@given(doc=st.sampled_from(["alpha-report", "beta-notes"]), position=st.integers(0, 10_000),
       replacement=st.sampled_from(["x", "😀", "𝔸", " "]))
def test_every_changed_text_character_is_reported(doc, position, replacement):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "root"
        shutil.copytree(VALID, root)
        path = root / "corpus" / "texts" / f"{doc}.txt"
        text = path.read_text(encoding="utf-8")
        i = position % len(text)
        if text[i] == replacement:
            replacement = "#"
        path.write_text(text[:i] + replacement + text[i + 1:], encoding="utf-8")
        codes = {f.code for f in validate_root(root)}
    assert "text-sha256-mismatch" in codes


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers(-3, 300) | st.floats(allow_nan=False)
                           | st.integers() | st.sampled_from([83.0, 2 ** 63, -(2 ** 63) - 1, 10 ** 30, 1e30])
                           | st.text(max_size=6) | st.sampled_from(["factual", "hedge", "T_SANCTIONS", "author",
                                                                    "alpha-report", "../x", "2026-11-21", "1.0.0",
                                                                    "alpha-report\n", "gold\n", "con", "1.0.0\n"]),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                                         max_size=3), max_leaves=6)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, sub in value.items():
            yield from _paths(sub, prefix + (key,))
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            yield from _paths(sub, prefix + (index,))


@st.composite
def mutated_record(draw):
    """(def name, record): a real record with one value replaced, removed or added somewhere inside."""
    source = draw(st.sampled_from([(record_def(r), r) for r in GOLD]
                                  + [("document_metadata", d) for d in DOCUMENTS]
                                  + [("structure_record", s) for s in STRUCTURES]))
    def_name, record = source[0], copy.deepcopy(source[1])
    path = draw(st.sampled_from(list(_paths(record))[1:] or [()]))
    action = draw(st.sampled_from(["replace", "remove", "add", "keep"]))
    if action == "keep" or not path:
        return def_name, record
    parent = record
    for part in path[:-1]:
        parent = parent[part]
    if action == "replace":
        parent[path[-1]] = draw(JSON_VALUES)
    elif action == "remove":
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[draw(st.text(max_size=6))] = draw(JSON_VALUES)
    else:
        parent.append(draw(JSON_VALUES))
    return def_name, record


@settings(max_examples=300, deadline=None)
@given(mutated_record())
def test_fast_path_agrees_with_jsonschema(case):
    def_name, record = case
    assert is_valid(record, def_name, fast=True) == is_valid(record, def_name, fast=False)


@SETTINGS
@given(corrupted_layer())
def test_fast_and_jsonschema_paths_give_identical_findings(case):
    rows, _ = case
    assert validate_layer_rows(rows, CORPUS, "gold.jsonl", fast=True) == \
        validate_layer_rows(rows, CORPUS, "gold.jsonl", fast=False)


# --- issue 11: arbitrary bytes and JSON values as any input file: findings or exit 0, never a
# traceback, --json always one complete document, and nothing written. The CLI runs in-process.

import contextlib  # noqa: E402
import hashlib  # noqa: E402
import io  # noqa: E402

from cash_corpus.cli import main  # noqa: E402

BOUNDARY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
INPUT_FILES = ["annotations/gold.jsonl", "annotations/extra.jsonl", "corpus/documents.jsonl",
               "corpus/structure.jsonl", "corpus/corpus.json"]
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.sampled_from([83.0, 10 ** 30, 2 ** 64])
    | st.text(st.characters(blacklist_categories=()), max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.text(st.characters(blacklist_categories=()), max_size=6) | st.sampled_from(
            ["record", "id", "document_id", "start", "end", "text", "layer", "name", "version"]), inner,
        max_size=4), max_leaves=12)


def _tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(str(path.relative_to(root)).encode())
        if path.is_file() and not path.is_symlink():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _validate_in_process(root: Path, *extra: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["validate", *extra, str(root)])
    return code, out.getvalue(), err.getvalue()


@contextlib.contextmanager
def _corpus_with(relative: str, data: bytes):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "root"
        shutil.copytree(VALID, root)
        (root / relative).write_bytes(data)
        yield root


def _check_outputs(root: Path, relative: str) -> None:
    before = _tree_hash(root)
    code, out, err = _validate_in_process(root, "--json")
    assert code in (0, 1), err
    report = json.loads(out)  # one complete JSON document
    assert out.isascii()
    assert report["errors"] == sum(f["severity"] == "error" for f in report["findings"])
    assert (code == 1) == (report["errors"] > 0)
    assert all(f["file"] for f in report["findings"] if f["severity"] == "error")
    code_text, out_text, _ = _validate_in_process(root)
    assert code_text == code
    assert len(out_text.splitlines()) == len(report["findings"])  # one line per finding, none forged
    assert not any(ord(c) < 32 or 0x7f <= ord(c) <= 0x9f for c in out_text.replace("\n", ""))
    assert _tree_hash(root) == before


@BOUNDARY
@given(relative=st.sampled_from(INPUT_FILES), data=st.binary(max_size=300))
def test_arbitrary_bytes_in_any_input_file_give_findings_never_a_traceback(relative, data):
    with _corpus_with(relative, data) as root:
        _check_outputs(root, relative)


@BOUNDARY
@given(relative=st.sampled_from(INPUT_FILES), values=st.lists(ANY_JSON, min_size=1, max_size=4),
       keep=st.integers(0, 20))
def test_arbitrary_json_values_in_any_input_file_give_findings_never_a_traceback(relative, values, keep):
    original = (VALID / relative).read_bytes().splitlines(keepends=True) if (VALID / relative).exists() else []
    lines = [json.dumps(v).encode() + b"\n" for v in values]  # ensure_ascii: surrogates as \\udxxx, NaN as NaN
    data = b"".join(original[:keep]) + b"".join(lines) + b"".join(original[keep + len(values):])
    if relative.endswith(".json"):
        data = json.dumps(values[0]).encode()
    with _corpus_with(relative, data) as root:
        _check_outputs(root, relative)


@BOUNDARY
@given(line=st.integers(0, len(GOLD) - 1), key=st.sampled_from(
    ["start", "end", "text", "id", "document_id", "stance", "claims", "holder", "cue", "content", "source",
     "parent", "layer", "provenance", "document_stance", "note", "record"]), value=ANY_JSON)
def test_any_value_in_any_field_of_a_layer_gives_findings_never_a_traceback(line, key, value):
    rows = copy.deepcopy(GOLD)
    rows[line][key] = value
    data = "".join(json.dumps(r) + "\n" for r in rows).encode()
    with _corpus_with("annotations/gold.jsonl", data) as root:
        _check_outputs(root, "annotations/gold.jsonl")
