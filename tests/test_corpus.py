"""The corpus of record: byte-exact texts, complete metadata, structural layers, `cash add`."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cash_corpus.corpus import Corpus, add_document, slug
from cash_corpus.errors import CashError, UsageError
from cash_corpus.schema import label_names, validator

SEED_FILES = {"mullahs-missiles": "000_137207f75c3d4611.txt", "going-ballistic": "002_9dd5fcfedfe3fce4.txt"}


@pytest.fixture(scope="module")
def corpus(repo_root: Path) -> Corpus:
    return Corpus.at(repo_root)


def test_texts_are_byte_exact_copies_of_the_seeds(corpus, seeds_dir):
    for doc_id, seed in SEED_FILES.items():
        assert corpus.raw_bytes(doc_id) == (seeds_dir / seed).read_bytes(), doc_id


def test_every_seed_is_in_the_corpus_once(corpus, seeds_dir):
    docs = list(corpus.documents())
    assert sorted(d["source_file"] for d in docs) == sorted(p.name for p in seeds_dir.glob("*.txt"))
    assert len({d["id"] for d in docs}) == len(docs)


def test_metadata_is_complete_and_schema_valid(corpus):
    check = validator("document_metadata")
    for doc in corpus.documents():
        assert not list(check.iter_errors(doc)), doc["id"]
        data = corpus.raw_bytes(doc["id"])
        assert doc["sha256"] == hashlib.sha256(data).hexdigest()
        assert doc["length"] == len(data.decode("utf-8"))
        assert doc["language"] == "en"
        assert doc["title"] in data.decode("utf-8").splitlines()[0]
        # Nothing invented: neither text states an author or a date.
        assert doc["author"] == {"value": None, "status": "not_stated", "evidence": None}
        assert doc["date"]["value"] is None and doc["date"]["status"] == "not_stated"
        assert doc["date"]["inferred"]["value"] == "2024-09" and doc["date"]["inferred"]["evidence"]
        assert doc["rights"]["license"] == "unknown"


def test_outlet_only_where_the_text_names_it(corpus):
    docs = {d["id"]: d for d in corpus.documents()}
    assert docs["mullahs-missiles"]["outlet"]["status"] == "not_stated"
    ecfr = docs["going-ballistic"]["outlet"]
    assert ecfr["status"] == "stated" and ecfr["value"] in corpus.text("going-ballistic")


def test_zones_cover_every_character_exactly_once(corpus):
    for structure in corpus.structures():
        text = corpus.text(structure.document_id)
        position = 0
        for zone in structure.zones:
            assert zone.start == position and zone.end > zone.start
            assert zone.type in label_names("zone_type")
            position = zone.end
        assert position == len(text)


def test_sentences_and_tokens_lie_inside_zones_in_order(corpus):
    for structure in corpus.structures():
        text = corpus.text(structure.document_id)
        bounds = [(z.start, z.end) for z in structure.zones]
        for layer in (structure.sentences, structure.tokens):
            assert list(layer) == sorted(layer)
            previous_end = 0
            for start, end in layer:
                assert previous_end <= start < end <= len(text)
                assert text[start:end] == text[start:end].strip()
                assert any(zs <= start and end <= ze for zs, ze in bounds)
                previous_end = end


def test_going_ballistic_zoning_matches_its_layout(corpus):
    structure = next(s for s in corpus.structures() if s.document_id == "going-ballistic")
    text = corpus.text("going-ballistic")
    kinds = [(z.type, text[z.start:z.end].strip().splitlines()[0]) for z in structure.zones]
    assert kinds[0] == ("title", "Going ballistic: How Europeans can respond to Iranian military support for Russia")
    assert ("subheading", "How Europeans should respond") in kinds
    assert ("disclaimer", "The European Council on Foreign Relations does not take collective positions. "
            "ECFR publications only represent the views of their individual authors.") in kinds
    assert [k for k, _ in kinds] == ["title", "caption", "credit", "body", "subheading", "body", "subheading",
                                      "body", "disclaimer", "author_bio", "boilerplate"]


def test_seed_import_replays_to_the_committed_corpus(repo_root, seeds_dir, tmp_path):
    """The corpus is exactly what `corpus/import_seeds.sh` makes through `cash add`."""
    root = tmp_path / "replay"
    (root / "corpus").mkdir(parents=True)
    shutil.copy(repo_root / "corpus" / "corpus.json", root / "corpus" / "corpus.json")
    shutil.copytree(repo_root / "corpus" / "zoning", root / "corpus" / "zoning")
    env = {**os.environ, "SEEDS": str(seeds_dir), "ROOT": str(root),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(["bash", str(repo_root / "corpus" / "import_seeds.sh")], check=True, env=env,
                   capture_output=True)
    for name in ("documents.jsonl", "structure.jsonl"):
        assert (root / "corpus" / name).read_bytes() == (repo_root / "corpus" / name).read_bytes(), name
    for doc_id in SEED_FILES:
        assert (root / "corpus" / "texts" / f"{doc_id}.txt").read_bytes() == \
            (repo_root / "corpus" / "texts" / f"{doc_id}.txt").read_bytes()


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_add_keeps_bytes_and_records_metadata(small_corpus):
    corpus = Corpus.at(small_corpus)
    [doc] = list(corpus.documents())
    assert doc["id"] == "non-bmp" and doc["length"] == len(corpus.text("non-bmp"))
    assert "🚀" in corpus.text("non-bmp")
    [structure] = list(corpus.structures())
    assert structure.zones_source == "default"
    assert [z.type for z in structure.zones] == ["title", "body"]


def test_add_refuses_duplicate_bytes_and_changes_nothing(small_corpus, tmp_path):
    copy = tmp_path / "copy.txt"
    copy.write_bytes((small_corpus / "corpus" / "texts" / "non-bmp.txt").read_bytes())
    before = _snapshot(small_corpus)
    with pytest.raises(CashError, match="same bytes are already in the corpus as 'non-bmp'"):
        add_document(small_corpus, copy, title="Another title", doc_id="another")
    assert _snapshot(small_corpus) == before


def test_add_refuses_duplicate_id_and_changes_nothing(small_corpus, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("A different article\nWith a body.", encoding="utf-8")
    before = _snapshot(small_corpus)
    with pytest.raises(CashError, match="already in the corpus") as info:
        add_document(small_corpus, other, title="A different article", doc_id="non-bmp")
    assert info.value.location.document_id == "non-bmp"
    assert _snapshot(small_corpus) == before


@pytest.mark.parametrize("bad_id", ["../escape", "Upper", "a--b", "a/b", "x" * 65, "-lead"])
def test_add_refuses_ids_that_could_escape_or_are_unreadable(small_corpus, tmp_path, bad_id):
    other = tmp_path / "other.txt"
    other.write_text("Title\nBody.", encoding="utf-8")
    before = _snapshot(small_corpus)
    with pytest.raises(UsageError, match="invalid document id"):
        add_document(small_corpus, other, title="Title", doc_id=bad_id)
    assert _snapshot(small_corpus) == before


def test_add_refuses_invalid_utf8_with_the_byte_offset(empty_corpus, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Title\nBody \xff here")
    with pytest.raises(CashError, match="not valid UTF-8 at byte 11"):
        add_document(empty_corpus, bad, title="Title")


def test_slug_makes_a_readable_id():
    assert slug("The Mullahs’ Missiles: A Geopolitical Crisis Unfolding") == "the-mullahs-missiles-a-geopolitical-crisis"


def test_cli_add_and_refusal_exit_codes(empty_corpus, tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("A title 𝔸\nA body sentence. Another one.", encoding="utf-8")
    cash = [sys.executable, "-m", "cash_corpus.cli", "--root", str(empty_corpus)]
    ok = subprocess.run([*cash, "add", str(source), "--title", "A title 𝔸", "--genre", "news"],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "added a-title-a" in ok.stdout  # NFKD folds 𝔸 to A
    again = subprocess.run([*cash, "add", str(source), "--title", "A title 𝔸", "--id", "fresh-id"],
                           capture_output=True, text=True)
    assert again.returncode == 1
    assert str(source) in again.stderr and "same bytes are already in the corpus as 'a-title-a'" in again.stderr
    missing = subprocess.run([*cash, "add", str(tmp_path / "nope.txt"), "--title", "x"], capture_output=True, text=True)
    assert missing.returncode == 2 and "no such file" in missing.stderr
    meta = json.loads((empty_corpus / "corpus" / "documents.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert meta["genre"] == "news"


def test_zoning_can_be_corrected_after_adding(small_corpus):
    from cash_corpus.corpus import rezone_document
    structure = rezone_document(small_corpus, "non-bmp", {1: "title", 3: "subheading"})
    corpus = Corpus.at(small_corpus)
    [stored] = list(corpus.structures())
    assert stored == structure and stored.zones_source == "corrected"
    text = corpus.text("non-bmp")
    assert [(z.type, text[z.start:z.end]) for z in stored.zones][-1] == ("subheading", "The West must act clearly now.\n")
    assert json.loads((small_corpus / "corpus" / "zoning" / "non-bmp.json").read_text()) == {"1": "title", "3": "subheading"}


def test_zoning_correction_refuses_bad_input_and_writes_nothing(small_corpus):
    from cash_corpus.corpus import rezone_document
    before = _snapshot(small_corpus)
    with pytest.raises(UsageError, match="unknown zone type 'sidebar' for line 2"):
        rezone_document(small_corpus, "non-bmp", {2: "sidebar"})
    with pytest.raises(CashError, match="no such document") as info:
        rezone_document(small_corpus, "missing-doc", {1: "title"})
    assert info.value.location.document_id == "missing-doc"
    assert _snapshot(small_corpus) == before


def test_a_symlinked_text_is_refused_not_read(small_corpus):
    from cash_corpus.paths import UnsafeFileError
    corpus = Corpus.at(small_corpus)
    doc_id = corpus.document_ids()[0]
    path = corpus.paths.text_path(doc_id)
    path.unlink()
    path.symlink_to("/proc/self/environ")
    with pytest.raises(UnsafeFileError, match="symbolic link"):
        corpus.text(doc_id)


@pytest.mark.parametrize("doc_id", ["a\n", "nonbmp\n", "con", "lpt1"])
def test_add_refuses_an_id_with_a_trailing_newline_or_a_device_name(empty_corpus, tmp_path, doc_id):
    from cash_corpus.errors import UsageError
    source = tmp_path / "doc.txt"
    source.write_text("Title\nBody text.\n", encoding="utf-8")
    before = sorted(p.name for p in (empty_corpus / "corpus" / "texts").iterdir())
    with pytest.raises(UsageError, match="invalid document id"):
        add_document(empty_corpus, source, title="Title", doc_id=doc_id)
    assert sorted(p.name for p in (empty_corpus / "corpus" / "texts").iterdir()) == before
