"""`cash ls agreement`: agreement per annotator pair, the same numbers as `cash agreement` on imported split layers."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from cash_corpus.agreement import compare_layers
from cash_corpus.cli import main
from cash_corpus.errors import CashError
from cash_corpus.labelstudio.agreement import export_agreement
from cash_corpus.labelstudio.importer import import_export

from labelstudio_helpers import export_task, gold_document, make_corpus, write_export


def _export(corpus, tmp_path):
    gold = gold_document(corpus)
    other = replace(gold, claims=gold.claims[:2], cues=())  # annotator 4 found fewer claims and no cues
    task = export_task(corpus, 5, gold, [(1, 3)])
    task["annotations"] += export_task(corpus, 5, other, [(2, 4)])["annotations"]
    task["annotations"] += export_task(corpus, 5, gold, [(3, 7)])["annotations"]
    return write_export(tmp_path / "e.json", [task])


def test_pairs_equal_cash_agreement_on_imported_split_layers(tmp_path):
    corpus = make_corpus(tmp_path / "root")
    export = _export(corpus, tmp_path)
    _, pairs = export_agreement(corpus, export)
    assert [(p.annotator_a, p.annotator_b, p.documents) for p in pairs] == [
        ("user3", "user4", 1), ("user3", "user7", 1), ("user4", "user7", 1)]
    assert list(corpus.paths.annotations_dir.iterdir()) == []  # measuring writes nothing
    import_export(corpus, export, "ls")
    for pair in pairs:
        direct = compare_layers(corpus.paths.layer_path(f"ls-{pair.annotator_a}"),
                                corpus.paths.layer_path(f"ls-{pair.annotator_b}"), corpus).to_dict()
        assert pair.report["spans"] == direct["spans"] and pair.report["alpha"] == direct["alpha"]
    by_pair = {(p.annotator_a, p.annotator_b): p.report for p in pairs}
    assert by_pair[("user3", "user7")]["spans"]["claims"]["exact"]["f1"] == 1.0
    assert by_pair[("user3", "user4")]["spans"]["claims"]["exact"]["f1"] == pytest.approx(0.8)


def test_cli_prints_one_line_per_pair_and_refuses_without_overlap(tmp_path, capsys):
    corpus = make_corpus(tmp_path / "root")
    export = _export(corpus, tmp_path)
    root = str(corpus.paths.root)
    assert main(["--root", root, "ls", "agreement", str(export)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and lines[0].startswith("user3 vs user4: 1 document(s); claims F1 exact 0.800")
    assert main(["--root", root, "ls", "agreement", str(export), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3
    single = write_export(tmp_path / "one.json", [export_task(corpus, 5, gold_document(corpus), [(1, 3)])])
    with pytest.raises(CashError, match="no two annotators annotated the same document"):
        export_agreement(corpus, single)
