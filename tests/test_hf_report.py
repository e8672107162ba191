"""`cash report`: builds, validates, loads every config with `datasets`, prints the summary; fails loudly."""

from __future__ import annotations

from cash_corpus.cli import main
from cash_corpus.corpus import Corpus
from cash_corpus.layers import write_layer
from cash_corpus.records import DocumentAnnotations, Span

from hf_helpers import TEXT_ONE, gold_annotations, header, make_corpus, offline


def test_report_builds_loads_and_summarises(tmp_path, monkeypatch, capsys):
    offline(monkeypatch)
    root = make_corpus(tmp_path / "root")
    assert main(["--root", str(root), "report", "--cache-dir", str(tmp_path / "cache")]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    row = next(line.split() for line in lines if line.startswith("missiles-alliances"))
    structure = next(Corpus.at(root).structures())
    assert row[1:] == [str(len(TEXT_ONE)), str(len(structure.sentences)), str(len(structure.tokens)), "2", "2", "1"]
    assert any(line.split()[:3] == ["claims-pass-a", "1", "load_dataset"] for line in lines)
    assert "claim_type: factual 1, predictive 1, prescriptive 1" in out
    assert "kind: booster 1, hedge 2" in out
    assert main(["--root", str(root), "report", "--check", "--cache-dir", str(tmp_path / "cache")]) == 0


def test_report_fails_on_a_stale_build_and_on_bad_annotations(tmp_path, monkeypatch, capsys):
    offline(monkeypatch)
    root = make_corpus(tmp_path / "root", with_pass_a=False)
    assert main(["--root", str(root), "build"]) == 0
    write_layer(root / "annotations" / "gold.jsonl", header("gold"), gold_annotations(root, "evaluative"), overwrite=True)
    capsys.readouterr()
    assert main(["--root", str(root), "report", "--check", "--cache-dir", str(tmp_path / "cache")]) == 1
    assert "data/claims/test-00000-of-00001.parquet" in capsys.readouterr().out
    good = gold_annotations(root)[0]
    bad = DocumentAnnotations(good.document_id, good.text_sha256, (), (good.claims[0].__class__(
        **{**good.claims[0].__dict__, "span": Span(0, 4, "Nope")}),), (), ())
    write_layer(root / "annotations" / "gold.jsonl", header("gold"), [bad], overwrite=True)
    assert main(["--root", str(root), "report", "--cache-dir", str(tmp_path / "cache")]) == 1
    assert "ann=c1" in capsys.readouterr().err
