"""The `datasets` build: real `load_dataset` on every config against the canonical annotations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cash_corpus.cli import main
from cash_corpus.corpus import Corpus
from cash_corpus.errors import CashError
from cash_corpus.hf.build import build_shard, iter_document_inputs, line_offsets
from cash_corpus.hf.features import CONFIG_KINDS, config_features
from cash_corpus.hf.publish import stale_files, write_build
from cash_corpus.layers import write_layer
from cash_corpus.paths import CorpusPaths
from cash_corpus.records import DocumentAnnotations, Span

from hf_helpers import TEXT_ONE, decode, expected_rows, gold_annotations, header, load, make_corpus, offline


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A two-document non-BMP corpus with gold and pass-a, built once for the module."""
    root = make_corpus(tmp_path_factory.mktemp("hf") / "root")
    write_build(root)
    return root


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    offline(monkeypatch)


def test_every_config_loads_with_the_schema_features_and_canonical_rows(built, tmp_path):
    expected = {"": expected_rows(built, "gold"), "-pass-a": expected_rows(built, "pass-a")}
    for suffix, rows in expected.items():
        for kind in ("claims", "cues", "attributions"):
            name = f"{kind}{suffix}"
            if not rows[kind]:
                ds = load(built, name, tmp_path, streaming=True)
                assert ds.features == config_features(kind) and list(ds) == []
                continue
            ds = load(built, name, tmp_path)
            assert ds.features == config_features(kind), name
            assert ds.info.version == "1.0.0"
            loaded = [decode(ds.features, row) for row in ds]
            trimmed = [{k: row[k] for k in want} for row, want in zip(loaded, rows[kind])]
            assert trimmed == rows[kind], name


def test_claims_carry_their_sentence_and_offsets_index_code_points(built, tmp_path):
    ds = load(built, "claims", tmp_path)
    texts = {d["id"]: Corpus.at(built).text(d["id"]) for d in Corpus.at(built).documents()}
    structures = {s.document_id: s for s in Corpus.at(built).structures()}
    for row in ds:
        text = texts[row["document_id"]]
        assert text[row["start"]:row["end"]] == row["text"]
        sentence = structures[row["document_id"]].sentences[row["sentence_id"]]
        assert (row["sentence_start"], row["sentence_end"]) == tuple(sentence)
        assert row["sentence_start"] <= row["start"] < row["sentence_end"]
        assert row["sentence_text"] == text[sentence[0]:sentence[1]]
    first = ds[0]
    assert first["text"] == "Iran 🇮🇷 may have sent missiles to Russia"
    assert first["start"] == TEXT_ONE.index("Iran")  # code points, not UTF-16 units or bytes
    assert first["start"] != len(TEXT_ONE[:first["start"]].encode("utf-16-le")) // 2


def test_documents_config_nests_layers_and_metadata(built, tmp_path):
    ds = load(built, "documents", tmp_path)
    assert ds.features == config_features("documents")
    assert ds.info.version == "1.0.0"
    assert ds["id"] == ["missiles-alliances", "sanctions-work"]
    doc = decode(ds.features, ds[0])
    assert doc["text"] == TEXT_ONE and doc["length"] == len(TEXT_ONE) and doc["genre"] == "analysis"
    assert doc["annotation_layer"] == "gold" and doc["document_stance"] == [{"target": "T_IRAN_REGIME", "polarity": "against"}]
    assert [c["id"] for c in doc["claims"]] == ["c1", "c2"] and [q["id"] for q in doc["cues"]] == ["q1", "q2"]
    assert doc["cues"][1]["note"] == "🚀 note"
    assert doc["attributions"][0]["source"] == {"start": TEXT_ONE.index("Officials"), "end": TEXT_ONE.index("Officials") + 9,
                                                "text": "Officials"}
    assert doc["date"]["status"] == "not_stated" and doc["outlet"]["value"] is None
    structure = next(Corpus.at(built).structures())
    assert [(s["start"], s["end"]) for s in doc["sentences"]] == [tuple(p) for p in structure.sentences]
    assert len(doc["tokens"]) == len(structure.tokens)
    pass_a = load(built, "documents-pass-a", tmp_path)
    assert pass_a["annotation_layer"] == ["pass-a", None]  # pass-a skips the second document


def test_sentence_labels_follow_the_spans(built, tmp_path):
    ds = load(built, "sentences", tmp_path)
    rows = [decode(ds.features, r) for r in ds]
    by_text = {r["text"]: r for r in rows}
    iran = by_text["Officials said that Iran 🇮🇷 may have sent missiles to Russia."]
    assert (iran["has_claim"], iran["has_hedge"], iran["has_booster"], iran["has_attribution"], iran["certainty"]) == \
        (True, True, False, True, "uncertain")
    west = by_text["The West must clearly act now."]
    assert (west["has_claim"], west["has_hedge"], west["has_booster"], west["certainty"]) == (True, False, True, "certain")
    title = rows[0]
    assert title["zone"] == "title" and not title["has_claim"] and title["certainty"] == "certain"
    assert {r["id"] for r in rows} == {f"{r['document_id']}:{r['sentence_id']}" for r in rows}


def test_streaming_gives_the_same_rows_and_features(built, tmp_path):
    for config in ("documents", "claims", "sentences"):
        stored = load(built, config, tmp_path)
        streamed = load(built, config, tmp_path, streaming=True)
        assert streamed.features == stored.features
        assert list(streamed) == list(stored)


def test_rebuild_is_byte_identical_and_writes_nothing(built, tmp_path):
    copy = tmp_path / "elsewhere"
    shutil.copytree(built, copy, ignore=shutil.ignore_patterns("data", "README.md", "croissant.json"))
    outcome = write_build(copy)
    assert write_build(built).written == []
    originals = sorted(p.relative_to(built) for p in built.rglob("*") if p.is_file())
    for rel in originals:
        assert (copy / rel).read_bytes() == (built / rel).read_bytes(), rel
    assert set(outcome.plan.hashes) == {str(p) for p in originals if p.suffix == ".parquet"}


def test_build_shard_is_the_pure_per_shard_function(built):
    paths = CorpusPaths(built)
    doc_index, structure_index = line_offsets(paths.documents, "id"), line_offsets(paths.structure, "document_id")
    docs = list(iter_document_inputs(paths, "gold", sorted(doc_index), doc_index, structure_index))
    for kind in CONFIG_KINDS:
        assert build_shard(kind, docs) == (built / "data" / kind / "test-00000-of-00001.parquet").read_bytes()


def test_a_rebuild_reaches_users_through_the_same_cache(tmp_path):
    root = make_corpus(tmp_path / "root", with_pass_a=False)
    cache = tmp_path / "cache"
    write_build(root)
    assert load(root, "claims", cache)["claim_type"][0] == 0  # factual
    write_layer(root / "annotations" / "gold.jsonl", header("gold"), gold_annotations(root, "evaluative"), overwrite=True)
    write_build(root)
    reloaded = load(root, "claims", cache)
    assert reloaded.features["claim_type"].int2str(reloaded["claim_type"][0]) == "evaluative"


def test_build_check_names_stale_files_and_keeps_the_human_text(tmp_path, capsys):
    root = make_corpus(tmp_path / "root", with_pass_a=False)
    (root / "README.md").write_text("---\nold: yes\n---\n# Human text 🚀\n\nKept.\n", encoding="utf-8")
    assert main(["--root", str(root), "build"]) == 0
    assert (root / "README.md").read_text(encoding="utf-8").endswith("---\n# Human text 🚀\n\nKept.\n")
    assert main(["--root", str(root), "build", "--check"]) == 0
    write_layer(root / "annotations" / "gold.jsonl", header("gold"), gold_annotations(root, "predictive"), overwrite=True)
    (root / "data" / "orphan").mkdir()
    (root / "data" / "orphan" / "test-00000-of-00001.parquet").write_bytes(b"x")
    capsys.readouterr()
    assert main(["--root", str(root), "build", "--check"]) == 1
    out = capsys.readouterr().out
    for name in ("data/claims/test-00000-of-00001.parquet", "data/documents/test-00000-of-00001.parquet",
                 "data/orphan/test-00000-of-00001.parquet", "README.md", "croissant.json"):
        assert name in out
    assert "data/cues/test-00000-of-00001.parquet" not in out  # cue rows did not change
    assert main(["--root", str(root), "build"]) == 0
    assert not (root / "data" / "orphan").exists()
    assert stale_files(root) == []


def test_without_gold_the_configs_exist_empty_with_the_right_features(tmp_path):
    root = make_corpus(tmp_path / "root", with_gold=False, with_pass_a=False)
    write_build(root)
    docs = load(root, "documents", tmp_path / "cache")
    assert docs["annotation_layer"] == [None, None] and docs["claims"] == [[], []]
    for kind in ("claims", "cues", "attributions", "sentences"):
        ds = load(root, kind, tmp_path / "cache", streaming=True)
        assert ds.features == config_features(kind) and list(ds) == []


def test_shards_stream_and_split_by_node(tmp_path):
    from datasets.distributed import split_dataset_by_node
    root = make_corpus(tmp_path / "root", with_pass_a=False)
    assert main(["--root", str(root), "build", "--shard-size", "1"]) == 0
    assert sorted(p.name for p in (root / "data" / "claims").iterdir()) == [
        "test-00000-of-00002.parquet", "test-00001-of-00002.parquet"]
    streamed = load(root, "documents", tmp_path / "cache", streaming=True)
    assert streamed.num_shards == 2
    ranks = [[row["id"] for row in split_dataset_by_node(streamed, rank=r, world_size=2)] for r in (0, 1)]
    assert ranks == [["missiles-alliances"], ["sanctions-work"]]
    assert stale_files(root) == []  # --check reuses the recorded shard size
    assert load(root, "claims", tmp_path / "cache").num_rows == 3


def test_bad_offsets_are_refused_with_their_location_and_nothing_is_written(tmp_path):
    root = make_corpus(tmp_path / "root", with_gold=False, with_pass_a=False)
    good = gold_annotations(root)
    broken_claim = good[0].claims[0].__class__(**{**good[0].claims[0].__dict__, "span": Span(3, 9, "wrong!")})
    broken = DocumentAnnotations(good[0].document_id, good[0].text_sha256, (), (broken_claim,), (), ())
    write_layer(root / "annotations" / "gold.jsonl", header("gold"), [broken])
    with pytest.raises(CashError) as info:
        write_build(root)
    message = str(info.value)
    assert "gold.jsonl" in message and "doc=missiles-alliances" in message and "ann=c1" in message and "[3, 9)" in message
    assert not (root / "data").exists() and not (root / "README.md").exists()


def test_files_in_any_order_or_key_order_build_the_same_bytes(built, tmp_path):
    """The offset indexes read canonical lines by their first bytes and decode any other line, and
    documents are read in id order wherever their lines are: a corpus whose documents.jsonl and
    structure.jsonl are reversed, with members in another order, builds the same files."""
    import json

    from cash_corpus.hf.build import iter_built_files
    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    for name in ("documents.jsonl", "structure.jsonl"):
        path = copy / "corpus" / name
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        path.write_text("".join(json.dumps(dict(reversed(list(record.items()))), ensure_ascii=False) + "\n"
                                for record in reversed(lines)), encoding="utf-8")
    assert [(rel, data) for rel, data, _ in iter_built_files(copy)] == [
        (rel, data) for rel, data, _ in iter_built_files(built)]
