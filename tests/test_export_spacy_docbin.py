"""spaCy DocBin export, read back with spaCy itself: raw text exact, span groups per layer, records kept."""

from __future__ import annotations

from cash_corpus.cli import main
from cash_corpus.export.spacy_docbin import read, words_and_spaces
from cash_corpus.layers import iter_documents

from hf_helpers import make_corpus


def test_docbin_loads_in_spacy_with_span_groups_and_the_raw_text(repo_root, tmp_path):
    import spacy
    from spacy.tokens import DocBin
    assert main(["--root", str(repo_root), "export", "--format", "spacy", "--layer", "gold", "--out", str(tmp_path)]) == 0
    docs = list(DocBin().from_disk(tmp_path / "gold.spacy").get_docs(spacy.blank("en").vocab))
    gold = {d.document_id: d for d in iter_documents(repo_root / "annotations" / "gold.jsonl")}
    assert len(docs) == len(gold)
    for doc in docs:
        annotations = gold[doc.user_data["cash"]["document_id"]]
        text = (repo_root / "corpus" / "texts" / f"{annotations.document_id}.txt").read_text(encoding="utf-8")
        assert doc.text == text
        assert sorted((s.start_char, s.end_char, s.label_) for s in doc.spans["claims"]) == sorted(
            (c.span.start, c.span.end, c.claim_type) for c in annotations.claims)
        assert sorted((s.start_char, s.end_char, s.label_) for s in doc.spans["cues"]) == sorted(
            (q.span.start, q.span.end, q.kind) for q in annotations.cues)
        roles = sorted((s.start_char, s.end_char, s.label_) for s in doc.spans["attributions"])
        assert roles == sorted((span.start, span.end, role) for a in annotations.attributions
                               for role, span in (("source", a.source), ("cue", a.cue), ("content", a.content))
                               if span is not None)
        assert len(doc.spans["sc"]) == len(doc.spans["claims"]) + len(doc.spans["cues"]) + len(roles)
    assert read(tmp_path / "gold.spacy") == list(gold.values())


def test_non_bmp_and_odd_whitespace_survive(tmp_path):
    import spacy
    from spacy.tokens import Doc
    text = "  Rockets 🚀\r\n\t🇮🇷  Iran  \n"
    words, spaces = words_and_spaces(text, [(2, 9), (10, 11), (14, 16), (18, 22)])
    assert Doc(spacy.blank("en").vocab, words=words, spaces=spaces).text == text
    root = make_corpus(tmp_path / "corpus")
    assert main(["--root", str(root), "export", "--format", "spacy", "--out", str(tmp_path / "out")]) == 0
    assert read(tmp_path / "out" / "gold.spacy") == list(iter_documents(root / "annotations" / "gold.jsonl"))


def test_spacy_train_runs_a_span_categorizer_on_the_export(repo_root, tmp_path):
    """`spacy train` itself (a blank English spancat, two steps) reads the DocBin's `sc` span group."""
    import subprocess
    import sys
    assert main(["--root", str(repo_root), "export", "--format", "spacy", "--out", str(tmp_path)]) == 0
    python = [sys.executable, "-m", "spacy"]
    subprocess.run([*python, "init", "config", "-l", "en", "-p", "spancat", "-F", str(tmp_path / "cfg.cfg")],
                   check=True, capture_output=True)
    done = subprocess.run([*python, "train", str(tmp_path / "cfg.cfg"), "--paths.train", str(tmp_path / "gold.spacy"),
                           "--paths.dev", str(tmp_path / "gold.spacy"), "--training.max_steps", "2",
                           "--training.eval_frequency", "1", "--output", str(tmp_path / "model")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:] + done.stdout[-2000:]
    assert "SPANS_SC_F" in done.stdout and (tmp_path / "model" / "model-last").is_dir()
