"""brat export: byte-exact .txt, .ann grammar, an independent parser (pybrat) agrees, lossless round trip
through `cash import --format brat` (ids renumbered, document stance not held), refusals."""

from __future__ import annotations

import re
import shutil

import pytest
from hypothesis import assume, given, strategies as st

from cash_corpus.cli import main
from cash_corpus.errors import CashError
from cash_corpus.export.brat import ATTRIBUTES, annotation_conf, read, read_document, renumbered
from cash_corpus.layers import iter_documents, read_header
from cash_corpus.schema import label_names

from hf_helpers import make_corpus

ANN_LINE = re.compile(r"^(T\d+\t[A-Za-z_]+ \d+ \d+(;\d+ \d+)*\t[^\t\n]*"
                      r"|A\d+\t[A-Za-z_]+ T\d+ [A-Za-z_]+"
                      r"|R\d+\t[A-Za-z_]+ Arg1:T\d+ Arg2:T\d+"
                      r"|#\d+\tAnnotatorNotes T\d+\t[^\t\n]*)$")


def export(root, out, layer="gold"):
    assert main(["--root", str(root), "export", "--format", "brat", "--layer", layer, "--out", str(out)]) == 0


def test_gold_export_is_byte_exact_grammatical_and_pybrat_reads_it(repo_root, tmp_path):
    from pybrat.parser import BratParser
    export(repo_root, tmp_path)
    gold = {d.document_id: d for d in iter_documents(repo_root / "annotations" / "gold.jsonl")}
    for doc_id, doc in gold.items():
        assert (tmp_path / f"{doc_id}.txt").read_bytes() == (repo_root / "corpus" / "texts" / f"{doc_id}.txt").read_bytes()
        lines = (tmp_path / f"{doc_id}.ann").read_text(encoding="utf-8").splitlines()
        assert all(ANN_LINE.match(line) for line in lines)
    # pybrat refuses two entities with identical spans (two attributions sharing a content), which brat
    # allows; error="ignore" skips only that check, and every entity and relation is still parsed.
    examples = {e.id: e for e in BratParser(error="ignore").parse(str(tmp_path))}
    assert set(examples) == set(gold)
    for doc_id, doc in gold.items():
        entities = sorted((e.type, e.start, e.end, e.mention) for e in examples[doc_id].entities)
        expected = sorted([("Claim", c.span.start, c.span.end, c.span.text) for c in doc.claims]
                          + [("Cue", q.span.start, q.span.end, q.span.text) for q in doc.cues]
                          + [(kind, s.start, s.end, s.text) for a in doc.attributions
                             for kind, s in (("Attribution_cue", a.cue), ("Source", a.source), ("Content", a.content))
                             if s is not None])
        assert entities == expected
        relations = sorted(r.type for r in examples[doc_id].relations)
        assert relations.count("Content") == len(doc.attributions)
        assert relations.count("Holder") == sum(c.holder.attribution_id is not None for c in doc.claims)
        assert relations.count("Cue_of") == sum(len(q.claims) for q in doc.cues)
    assert (tmp_path / "annotation.conf").read_text(encoding="utf-8") == annotation_conf()


def test_annotation_conf_comes_from_the_schema():
    conf = annotation_conf()
    for name, (entity, inventory, _) in ATTRIBUTES.items():
        assert f"{name}\tArg:{entity}, Value:{'|'.join(label_names(inventory))}" in conf
    for target in label_names("stance_target"):
        assert f"Stance_{target}\tArg:Claim" in conf


def test_round_trip_through_cash_import_is_lossless_for_what_brat_holds(repo_root, tmp_path):
    export(repo_root, tmp_path / "brat")
    back = read(tmp_path / "brat")
    gold = list(iter_documents(repo_root / "annotations" / "gold.jsonl"))
    assert back == [renumbered(d) for d in gold]
    assert [c.note for d in back for c in d.claims] == [c.note for d in gold for c in renumbered(d).claims]
    assert [a.note for d in back for a in d.attributions] == [a.note for d in gold for a in renumbered(d).attributions]


def test_cash_import_adds_a_validated_layer_and_never_overwrites(tmp_path, capsys):
    """Non-BMP text (🚀, 🇮🇷, 𝔸) before and inside spans: offsets are code points in brat and CASH alike."""
    root = make_corpus(tmp_path / "corpus")
    export(root, tmp_path / "brat")
    args = ["--root", str(root), "import", str(tmp_path / "brat"), "--format", "brat", "--layer", "from-brat",
            "--annotator", "test"]
    assert main(args) == 0
    imported = list(iter_documents(root / "annotations" / "from-brat.jsonl"))
    assert imported == [renumbered(d) for d in iter_documents(root / "annotations" / "gold.jsonl")]
    assert read_header(root / "annotations" / "from-brat.jsonl").provenance.method == "imported"
    assert main(["--root", str(root), "validate"]) == 0
    before = (root / "annotations" / "from-brat.jsonl").read_bytes()
    assert main(args) == 1  # exists: refused, untouched
    assert (root / "annotations" / "from-brat.jsonl").read_bytes() == before
    assert "refusing to overwrite" in capsys.readouterr().err


def test_import_refuses_a_changed_text_and_writes_nothing(tmp_path, capsys):
    root = make_corpus(tmp_path / "corpus")
    export(root, tmp_path / "brat")
    txt = tmp_path / "brat" / "sanctions-work.txt"
    txt.write_bytes(txt.read_bytes().replace(b"Work", b"Wark"))
    assert main(["--root", str(root), "import", str(tmp_path / "brat"), "--format", "brat", "--layer", "x"]) == 1
    assert not (root / "annotations" / "x.jsonl").exists()
    assert "text-version-mismatch" in capsys.readouterr().err


@pytest.mark.parametrize("line, message", [
    ("T1\tClaim 0 4\tNope", "do not match"),
    ("T1\tThing 0 4\tRock", "unknown entity type"),
    ("A1\tClaim_type T1 sure", "unknown attribute"),
    ("X1 something", "not a brat"),
])
def test_reader_refuses_bad_lines_with_their_line_number(tmp_path, line, message):
    (tmp_path / "d.txt").write_text("Rockets 🚀 fly.", encoding="utf-8")
    (tmp_path / "d.ann").write_text("T9\tCue 0 7\tRockets\n" + line + "\n", encoding="utf-8")
    with pytest.raises(CashError, match=message) as info:
        read_document(tmp_path / "d.txt", tmp_path / "d.ann")
    assert info.value.location.line == 2


def test_a_span_across_a_line_break_is_written_as_fragments(tmp_path):
    from cash_corpus.export.brat import document_ann
    from cash_corpus.records import Claim, DocumentAnnotations, Holder, Span
    text = "One 🚀\r\ntwo."
    doc = DocumentAnnotations("d", "0" * 64, (), (Claim("c1", "d", Span(0, len(text), text), "factual", "certain",
                                                         "positive", Holder("author")),))
    ann = document_ann(text, doc)
    assert ann == "T1\tClaim 0 5;7 11\tOne 🚀 two.\nA1\tClaim_type T1 factual\nA2\tCertainty T1 certain\nA3\tPolarity T1 positive\n"
    (tmp_path / "d.txt").write_text(text, encoding="utf-8", newline="")
    (tmp_path / "d.ann").write_text(ann, encoding="utf-8")
    back = read_document(tmp_path / "d.txt", tmp_path / "d.ann")
    assert back.claims[0].span == Span(0, len(text), text)


PIECES = st.sampled_from(["Iran", " ", "  ", "\n", "\r\n", "🚀", "🇮🇷", "𝔸", "—", "-", "so-called", "“", "”", ".", "\t"])


@given(st.lists(PIECES, min_size=1, max_size=25), st.data())
def test_any_text_and_spans_round_trip(tmp_path_factory, parts, data):
    """Arbitrary texts (CRLF, tabs, astral characters) and spans whose edges are not line breaks come back exactly."""
    from cash_corpus.export.brat import LINE_BREAK, document_ann
    from cash_corpus.records import Claim, DocumentAnnotations, Holder, Span
    text = "".join(parts)
    edges = [i for i, ch in enumerate(text) if not LINE_BREAK.match(ch)]
    assume(edges)
    claims = []
    for k in range(data.draw(st.integers(0, 4))):
        start = data.draw(st.sampled_from(edges))
        end = data.draw(st.sampled_from([e + 1 for e in edges if e >= start]))
        claims.append(Claim(f"c{k + 1}", "d", Span(start, end, text[start:end]),
                            data.draw(st.sampled_from(label_names("claim_type"))), "certain", "positive",
                            Holder("author"), note=data.draw(st.none() | st.text(max_size=5))))
    doc = DocumentAnnotations("d", "0" * 64, (), tuple(claims))
    folder = tmp_path_factory.mktemp("brat")
    (folder / "d.txt").write_bytes(text.encode("utf-8"))
    (folder / "d.ann").write_text(document_ann(text, doc), encoding="utf-8", newline="\n")
    back = read_document(folder / "d.txt", folder / "d.ann")
    expected = renumbered(doc)
    assert back.claims == expected.claims
    assert [c.note for c in back.claims] == [c.note for c in expected.claims]
