"""Artefacts generated from the schema are current, and a hand edit is caught."""

from __future__ import annotations

from cash_corpus.cli import main
from cash_corpus.generated import END, artifacts, begin, check_artifacts, replace_marked
from cash_corpus.guidelines import render_tables
from cash_corpus.schema import inventories, labels


def test_committed_artefacts_are_up_to_date(repo_root):
    assert check_artifacts(repo_root) == []
    assert main(["--root", str(repo_root), "generate", "--check"]) == 0


def test_guideline_tables_list_every_label_with_its_definition():
    tables = render_tables()
    for name in inventories():
        for label in labels(name):
            assert f"| `{label.value}` | " in tables
            assert label.definition.replace("|", "\\|") in tables


def test_a_hand_edit_of_the_generated_block_is_detected(repo_root):
    path = repo_root / "schema" / "GUIDELINES.md"
    current = path.read_text(encoding="utf-8")
    edited = current.replace("| `factual` | Factual |", "| `factual` | Factual (edited) |")
    assert edited != current
    render = artifacts(repo_root)["schema/GUIDELINES.md"]
    assert render(edited, repo_root) != edited  # regeneration would change the file: the check fails
    assert render(current, repo_root) == current


def test_replace_marked_keeps_the_hand_written_text():
    doc = f"intro\n{begin('x')}\nold\n{END}\noutro\n{begin('y')}\nkeep\n{END}\n"
    assert replace_marked(doc, "x", "NEW") == f"intro\n{begin('x')}\nNEW\n{END}\noutro\n{begin('y')}\nkeep\n{END}\n"


def test_generated_labelstudio_config_and_features_match_the_schema(repo_root):
    import json

    from cash_corpus.hf.features import config_features
    from cash_corpus.labelstudio.config import labeling_config
    from cash_corpus.schema import label_names

    xml = (repo_root / "schema" / "generated" / "labelstudio.xml").read_text(encoding="utf-8")
    assert xml.rstrip("\n") == labeling_config().rstrip("\n")
    for value in label_names("claim_type") + label_names("cue_type"):
        assert f'value="{value}"' in xml
    for target in label_names("stance_target"):
        assert target in xml
    features = json.loads((repo_root / "schema" / "generated" / "features.json").read_text(encoding="utf-8"))
    assert features["claims"] == config_features("claims").to_dict()
    assert features["claims"]["claim_type"]["names"] == label_names("claim_type")


def test_a_hand_edit_of_a_generated_file_is_detected_and_regenerated(repo_root, tmp_path):
    import shutil
    copy = tmp_path / "copy"
    for folder in ("corpus", "annotations", "schema"):
        shutil.copytree(repo_root / folder, copy / folder)
    xml = copy / "schema" / "generated" / "labelstudio.xml"
    current = xml.read_text(encoding="utf-8")
    xml.write_text(current.replace('value="factual"', 'value="fact"'), encoding="utf-8")
    assert check_artifacts(copy) == [xml]
    assert main(["--root", str(copy), "generate", "--check"]) == 1
    assert main(["--root", str(copy), "generate"]) == 0
    assert xml.read_text(encoding="utf-8") == current and check_artifacts(copy) == []


def test_validation_codes_tables_are_rendered_from_the_catalogue(repo_root):
    import re

    from cash_corpus.validation.findings import CATALOGUE
    docs = (repo_root / "docs" / "VALIDATION.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning) \|", docs, re.M))
    assert rows == {code: entry.severity for code, entry in CATALOGUE.items()}
    for entry in CATALOGUE.values():
        row = next(line for line in docs.splitlines() if line.startswith(f"| `{entry.code}` |"))
        assert entry.summary.replace("|", "\\|") in row
        assert entry.hint is None or entry.hint.replace("{{", "{").replace("}}", "}") in row
    render = artifacts(repo_root)["docs/VALIDATION.md"]
    assert render(docs, repo_root) == docs
    edited = docs.replace("| `ref-cycle` | error |", "| `ref-cycle` | warning |")
    assert edited != docs and render(edited, repo_root) == docs  # a hand edit is regenerated away
