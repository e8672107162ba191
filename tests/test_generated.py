"""Artefacts generated from the schema are current, and a hand edit is caught."""

from __future__ import annotations

from cash_corpus.cli import main
from cash_corpus.generated import END, artifacts, begin, check_artifacts, replace_marked
from cash_corpus.guidelines import render_tables
from cash_corpus.schema import LABEL_SETS, labels


def test_committed_artefacts_are_up_to_date():
    assert check_artifacts() == []
    assert main(["generate", "--check"]) == 0


def test_guideline_tables_list_every_label_with_its_definition():
    tables = render_tables()
    for name in LABEL_SETS:
        for label in labels(name):
            assert f"| `{label.value}` | " in tables
            assert label.definition.replace("|", "\\|") in tables


def test_a_hand_edit_of_the_generated_block_is_detected(repo_root):
    path = repo_root / "schema" / "GUIDELINES.md"
    current = path.read_text(encoding="utf-8")
    edited = current.replace("| `factual` | Factual |", "| `factual` | Factual (edited) |")
    assert edited != current
    render = artifacts()["schema/GUIDELINES.md"]
    assert render(edited) != edited  # regeneration would change the file: the check fails
    assert render(current) == current


def test_replace_marked_keeps_the_hand_written_text():
    doc = f"intro\n{begin('x')}\nold\n{END}\noutro\n{begin('y')}\nkeep\n{END}\n"
    assert replace_marked(doc, "x", "NEW") == f"intro\n{begin('x')}\nNEW\n{END}\noutro\n{begin('y')}\nkeep\n{END}\n"
