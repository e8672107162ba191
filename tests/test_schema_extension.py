"""Adding a labelled field is editing the schema and the data, nothing else.

A copy of the corpus root gets, in its own schema only, a new claim_type label and a new optional
labelled claim field with a new inventory; one gold claim of the copy uses both. After
`cash --root COPY generate`, the new label and field must appear in validation, the Label Studio
config, the `datasets` features (generated file and a real build decoded by `load_dataset`), the
stats table and the agreement table, and no file outside the copy may have changed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cash_corpus.jsonl import dumps_line

REPO = Path(__file__).resolve().parents[1]
NEW_LABEL = "forecast"          # a new value of the claim_type inventory
NEW_FIELD = "scope"             # a new optional labelled field of claim records
NEW_INVENTORY = "claim_scope"   # its new inventory
NEW_VALUES = ("local", "global")


def cash(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "HF_DATASETS_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-m", "cash_corpus.cli", "--root", str(root), *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=900)
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def extend_schema(schema_file: Path) -> None:
    """The edit a schema author makes: one label more, one optional labelled field more."""
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    defs = schema["$defs"]
    defs["claim_type"]["oneOf"].append({
        "const": NEW_LABEL, "title": "Forecast",
        "description": "The holder predicts what will happen: a claim about the future, checkable only later."})
    defs[NEW_INVENTORY] = {"title": "Claim scope", "oneOf": [
        {"const": "local", "title": "Local", "description": "The claim concerns one country or actor."},
        {"const": "global", "title": "Global", "description": "The claim concerns the international order."}]}
    properties = defs["claim"]["properties"]
    # placed after the stance, before the note (the order records are written in)
    reordered = {}
    for name, node in properties.items():
        if name == "note":
            reordered[NEW_FIELD] = {"$ref": f"#/$defs/{NEW_INVENTORY}"}
        reordered[name] = node
    defs["claim"]["properties"] = reordered
    schema_file.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def set_first_gold_claim(layer_file: Path, claim_type: str, scope: str) -> dict:
    """Give the first claim of the layer the new label and field; returns the edited record."""
    lines = layer_file.read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines):
        record = json.loads(line)
        if record.get("record") == "claim":
            edited = {}
            for key, value in record.items():
                if key == NEW_FIELD:
                    continue
                if key == "note":
                    edited[NEW_FIELD] = scope
                edited[key] = value
            edited.setdefault(NEW_FIELD, scope)
            edited["claim_type"] = claim_type
            lines[n] = dumps_line(edited).rstrip("\n")
            layer_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
            return {**edited, "line": n + 1}
    raise AssertionError("no claim in the gold layer")


def git_status() -> str:
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO, capture_output=True,
                          text=True, check=True).stdout


@pytest.fixture(scope="module")
def extended(tmp_path_factory):
    """The copied corpus root with the extended schema and one gold claim using it, regenerated."""
    before = git_status()
    root = tmp_path_factory.mktemp("extended") / "root"
    root.mkdir()
    for folder in ("corpus", "annotations", "schema"):
        shutil.copytree(REPO / folder, root / folder)
    for card in ("README.md", "DATASHEET.md"):
        shutil.copy2(REPO / card, root / card)
    extend_schema(root / "schema" / "cash.schema.json")
    claim = set_first_gold_claim(root / "annotations" / "gold.jsonl", NEW_LABEL, "global")
    cash(root, "generate")
    yield root, claim
    assert git_status() == before, "a file outside the copied root was changed"


def test_validation_accepts_the_new_label_and_field(extended):
    root, _ = extended
    done = cash(root, "validate", check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_an_unknown_value_of_the_new_field_is_a_located_finding(extended, tmp_path):
    root, claim = extended
    bad = tmp_path / "bad"
    shutil.copytree(root, bad, ignore=shutil.ignore_patterns("data", ".cash"))
    set_first_gold_claim(bad / "annotations" / "gold.jsonl", NEW_LABEL, "planetary")
    done = cash(bad, "validate", "--json", check=False)
    assert done.returncode != 0
    report = json.loads(done.stdout)
    assert len(report["findings"]) == 1, done.stdout
    finding = report["findings"][0]
    assert (finding["code"], finding["severity"], finding["found"]) == ("label-unknown", "error", "planetary")
    assert NEW_INVENTORY in finding["message"] and finding["expected"] == "one of " + ", ".join(NEW_VALUES)
    assert finding["file"].endswith("gold.jsonl") and finding["line"] == claim["line"]
    assert (finding["document_id"], finding["annotation_id"]) == (claim["document_id"], claim["id"])


def test_label_studio_config_has_the_new_label_and_control(extended):
    from label_studio_sdk.label_interface import LabelInterface
    root, _ = extended
    xml = (root / "schema" / "generated" / "labelstudio.xml").read_text(encoding="utf-8")
    interface = LabelInterface(xml)
    assert NEW_LABEL in interface.get_control("claim_type").labels
    assert interface.get_control(NEW_FIELD).labels == list(NEW_VALUES)
    printed = cash(root, "ls", "config").stdout
    assert f'name="{NEW_FIELD}"' in printed and f'value="{NEW_LABEL}"' in printed
    # the repository's own config does not have them
    assert f'name="{NEW_FIELD}"' not in (REPO / "schema" / "generated" / "labelstudio.xml").read_text(encoding="utf-8")


def test_datasets_features_and_a_real_build_decode_the_new_label_and_field(extended, tmp_path):
    import datasets
    root, claim = extended
    features = json.loads((root / "schema" / "generated" / "features.json").read_text(encoding="utf-8"))
    assert NEW_FIELD in json.dumps(features) and NEW_LABEL in json.dumps(features)
    cash(root, "build")
    claims = datasets.load_dataset(str(root), "claims", split="test", cache_dir=str(tmp_path / "hf-cache"))
    assert claims.features[NEW_FIELD].names == list(NEW_VALUES)
    assert NEW_LABEL in claims.features["claim_type"].names
    row = next(r for r in claims if r["id"] == claim["id"])
    assert claims.features[NEW_FIELD].int2str(row[NEW_FIELD]) == "global"
    assert claims.features["claim_type"].int2str(row["claim_type"]) == NEW_LABEL
    others = [r[NEW_FIELD] for r in claims if r["id"] != claim["id"]]
    assert others and all(value is None for value in others)


def test_stats_count_the_new_label_and_field(extended):
    from cash_corpus import schema
    from cash_corpus.corpus import Corpus
    from cash_corpus.stats import label_table, layer_counts
    root, _ = extended
    try:
        schema.use_corpus_schema(root)
        corpus = Corpus.at(root)
        table = "\n".join(label_table(layer_counts(corpus, corpus.paths.layer_path("gold"))))
    finally:
        schema.use_corpus_schema(None)
    assert f"| claim.{NEW_FIELD} | `global` |" in table
    assert f"| claim.claim_type | `{NEW_LABEL}` |" in table
    assert f"claim.{NEW_FIELD}" in (root / "DATASHEET.md").read_text(encoding="utf-8")


def test_agreement_reports_the_new_field(extended):
    root, _ = extended
    report = json.loads(cash(root, "agreement", "gold", "pass-c", "--json").stdout)
    assert NEW_FIELD in report["kappa"]["claims"]
    assert NEW_LABEL in report["spans"]["claims"]["by_label"]["claim_type"]
    table = cash(root, "agreement", "gold", "pass-c").stdout
    assert f"claims.{NEW_FIELD}" in table


def test_label_studio_tasks_carry_the_new_field_and_the_importer_reads_it_back(extended):
    from cash_corpus import schema
    from cash_corpus.corpus import Corpus
    from cash_corpus.labelstudio.importer import _Where, results_to_document
    from cash_corpus.labelstudio.tasks import document_results
    from cash_corpus.layers import iter_documents
    root, claim = extended
    try:
        schema.use_corpus_schema(root)
        corpus = Corpus.at(root)
        doc = next(d for d in iter_documents(corpus.paths.layer_path("gold")) if d.document_id == claim["document_id"])
        text = corpus.text(doc.document_id)
        results = document_results(doc, text)
        assert {"choices": ["global"]}.items() <= next(
            r["value"] for r in results if r.get("from_name") == NEW_FIELD).items()
        back = results_to_document(results, text, doc.document_id, doc.text_sha256, _Where("export.json", "1"))
    finally:
        schema.use_corpus_schema(None)
    imported = {(c.span.start, c.span.end): c for c in back.claims}
    edited = imported[(claim["start"], claim["end"])]
    assert (edited.claim_type, edited.extra) == (NEW_LABEL, ((NEW_FIELD, "global"),))
    assert sum(1 for c in back.claims if c.extra) == 1
