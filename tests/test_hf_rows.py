"""Property tests for the vectorised span/sentence searches, the column-wise shard and the shard -> Parquet round trip."""

from __future__ import annotations

import io

import numpy as np
import pyarrow.parquet as pq
from datasets import Features
from hypothesis import given, settings
from hypothesis import strategies as st

from cash_corpus.hf.build import config_table, parquet_bytes
from cash_corpus.hf.features import config_features, encode_table
from cash_corpus.hf.rows import AnnotationBlock, DocumentInput, Shard, first_overlapping_sentence, sentences_touched


@st.composite
def sentences_and_spans(draw):
    cuts = sorted(draw(st.sets(st.integers(0, 200), min_size=0, max_size=30)))
    pairs = [(a, b) for a, b in zip(cuts[::2], cuts[1::2]) if a < b]
    spans = draw(st.lists(st.tuples(st.integers(0, 199), st.integers(1, 60)), max_size=20))
    return np.array(pairs, dtype=np.int64).reshape(-1, 2), [(s, s + n) for s, n in spans]


@settings(max_examples=200, deadline=None)
@given(sentences_and_spans())
def test_vectorised_overlaps_equal_the_naive_loops(case):
    sentences, spans = case
    starts, ends = [s for s, _ in spans], [e for _, e in spans]
    touched = sentences_touched(sentences, starts, ends)
    naive = [any(s < se and e > ss for s, e in spans) for ss, se in sentences.tolist()]
    assert touched.tolist() == naive
    first = first_overlapping_sentence(sentences, starts, ends)
    for (s, e), got in zip(spans, first.tolist()):
        hits = [i for i, (ss, se) in enumerate(sentences.tolist()) if s < se and e > ss]
        assert got == (hits[0] if hits else -1)


TEXT = st.text(alphabet=st.sampled_from("ab 🚀𝔸🇮🇷é\n"), min_size=1, max_size=40)
SAME_WIDTH = {"a": "b", "b": "a", " ": "a", "\n": "b", "é": "ê", "🚀": "𝔸", "𝔸": "🚀", "🇮": "🚀", "🇷": "🚀"}


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(TEXT, st.sampled_from(["hedge", "booster"]), st.integers(0, 8)), max_size=6))
def test_cue_rows_round_trip_through_parquet(items):
    rows = [{"id": f"q{i}", "document_id": "d", "start": i, "end": i + len(text), "text": text, "kind": kind,
             "cue_type": ["modal", "adverb", "noun", "other", "negation", "approximator", "conditional", "adjective",
                          "lexical_verb"][t], "claims": [f"c{i}"], "note": text if t % 2 else None}
            for i, (text, kind, t) in enumerate(items)]
    features = config_features("cues")
    columns = {name: [row.get(name) for row in rows] for name in features}
    data = parquet_bytes(encode_table(features, columns))
    assert parquet_bytes(encode_table(features, columns)) == data
    table = pq.read_table(io.BytesIO(data))
    features = Features.from_arrow_schema(table.schema)
    back = [{k: (features[k].int2str(v) if k in ("kind", "cue_type") else v) for k, v in row.items()}
            for row in table.to_pylist()]
    assert back == rows


def test_token_rows_with_non_bmp_text(tmp_path):
    """Token rows of a document whose spans follow 🚀, 🇮🇷 and 𝔸: offsets are code points, tags sit on the
    spans' tokens, and the rows carry the config's features."""
    from cash_corpus.corpus import Corpus
    from hf_helpers import gold_annotations, make_corpus

    root = make_corpus(tmp_path / "c")
    corpus = Corpus.at(root)
    structure = next(s for s in corpus.structures() if s.document_id == "missiles-alliances")
    annotations = gold_annotations(root)[0]
    text = corpus.text("missiles-alliances")
    doc = DocumentInput({"id": "missiles-alliances"}, text, structure.to_dict(), "gold",
                        AnnotationBlock.from_records(annotations.records()))
    table = config_table("tokens", [doc])
    features = config_features("tokens")
    assert table.schema == features.arrow_schema
    rows = table.to_pylist()
    assert [r["id"] for r in rows] == [f"missiles-alliances:{k}" for k in range(len(structure.sentences))]
    second = rows[1]
    assert second["tokens"] == ["Officials", "said", "that", "Iran", "🇮🇷", "may", "have", "sent", "missiles", "to",
                                "Russia", "."]
    assert [text[s:e] for s, e in zip(second["token_starts"], second["token_ends"])] == second["tokens"]

    def tags(row, column):
        return [features[column].feature.int2str(t) for t in row[column]]
    assert tags(second, "claim_tags") == ["O", "O", "O", "B-factual"] + ["I-factual"] * 7 + ["O"]
    assert tags(second, "cue_tags") == ["O"] * 5 + ["B-hedge"] + ["O"] * 6
    assert tags(second, "attribution_tags") == ["B-source", "B-cue", "O", "B-content"] + ["I-content"] * 7 + ["O"]
    assert tags(rows[2], "cue_tags")[rows[2]["tokens"].index("clearly")] == "B-booster"


def test_a_shard_lays_documents_on_one_axis_and_cuts_strings_by_code_points():
    """Shard-axis substrings equal Python's `text[start:end]` per document (astral characters, empty
    documents, documents without sentences), and a document's geometry never leaks into the next."""
    texts = ["🚀a 𝔸b", "", "plain text", "é🇮🇷 z"]
    docs = []
    for index, text in enumerate(texts):
        tokens = [[i, i + 1] for i in range(len(text)) if not text[i].isspace()]
        structure = {"document_id": f"d{index}", "text_sha256": "", "zones": [], "sentences": [[0, len(text)]] if text
                     else [], "tokens": tokens}
        docs.append(DocumentInput({"id": f"d{index}"}, text, structure, "gold", None))
    shard = Shard(docs)
    assert [shard.axis_text[b:b + len(t)] for b, t in zip(shard.base.tolist(), texts)] == texts
    cut = shard.substrings(shard.tokens_g[:, 0], shard.tokens_g[:, 1]).to_pylist()
    assert cut == [text[s:e] for doc, text in zip(docs, texts) for s, e in doc.structure["tokens"]]
    assert shard.substrings(shard.sentences_g[:, 0], shard.sentences_g[:, 1], np.array([2, 0])).to_pylist() == [
        texts[3], texts[0]]
    overlapping = np.array([0, 1]), np.array([3, 2])
    assert shard.substrings(*overlapping).to_pylist() == ["🚀a ", "a"]
    first, last = shard.sentence_token_slices
    assert (last - first).tolist() == [len(doc.structure["tokens"]) for doc in docs if doc.text]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(TEXT, st.lists(st.tuples(st.integers(0, 999), st.integers(0, 999),
                                                   st.sampled_from(["faithful"] * 4 + ["longer", "swapped", "outside"]),
                                                   st.sampled_from(["claim", "cue", "source", "content"])),
                                         max_size=5)), min_size=1, max_size=3))
def test_the_shard_span_check_equals_python_slices(documents):
    """`Shard.spans_match_texts` (bounds with NumPy, bytes against the joined texts) says yes exactly
    when every span of every kind and role lies in its text and repeats `text[start:end]`."""
    from cash_corpus.schema import label_names
    claim_labels = {"claim_type": label_names("claim_type")[0], "certainty": label_names("certainty")[0],
                    "polarity": label_names("claim_polarity")[0], "holder": {"type": label_names("holder_type")[0]},
                    "stance": []}
    docs, expected = [], True
    for index, (text, spans) in enumerate(documents):
        doc_id = f"d{index}"
        records = [{"record": "document", "document_id": doc_id, "text_sha256": "", "document_stance": []}]
        cue = {"start": 0, "end": 1, "text": text[0:1]}
        for number, (a, b, how, kind) in enumerate(spans):
            start = a % len(text)
            end = start + 1 + b % (len(text) - start)
            if how == "outside":
                start, end = (-1, end) if b % 2 else (start, len(text) + 1)
            piece = text[start:end]
            if how == "longer":
                piece += "x"
            elif how == "swapped" and piece:  # same length in code points and in UTF-8 bytes, other text
                piece = SAME_WIDTH[piece[0]] + piece[1:]
            span = {"start": start, "end": end, "text": piece}
            expected &= piece == text[start:end] and 0 <= start < end <= len(text)
            common = {"id": f"r{number}", "document_id": doc_id}
            if kind == "claim":
                records.append({"record": "claim", **common, **span, **claim_labels})
            elif kind == "cue":
                records.append({"record": "cue", **common, **span, "kind": label_names("cue_kind")[0],
                                "cue_type": label_names("cue_type")[0], "claims": []})
            else:
                records.append({"record": "attribution", **common, "cue": cue, "source": span if kind == "source" else None,
                                "content": span if kind == "content" else cue,
                                "source_type": label_names("source_type")[0], "form": label_names("attribution_form")[0],
                                "parc_type": label_names("parc_type")[0]})
        structure = {"document_id": doc_id, "text_sha256": "", "zones": [], "sentences": [], "tokens": []}
        docs.append(DocumentInput({"id": doc_id}, text, structure, "gold", AnnotationBlock.from_records(records)))
    assert Shard(docs).spans_match_texts() == expected


def test_structure_lines_keep_their_tokens_packed_and_parse_the_same(tmp_path):
    """`read_structure` leaves a line's token pairs packed for one NumPy parse per shard; lines of any
    member order or spacing, empty tokens, and packed text NumPy cannot read give the same pairs."""
    import json

    from cash_corpus.hf.build import read_structure
    from cash_corpus.hf.rows import PackedPairs, flat_pairs
    tokens = [[0, 6], [7, 8], [9, 15]]
    record = {"document_id": "d", "text_sha256": "x", "zones": [], "zones_source": "default", "segmenter": "s",
              "sentences": [[0, 15]], "tokens": tokens}
    lines = [json.dumps(record).encode(), json.dumps(dict(reversed(list(record.items())))).encode(),
             json.dumps(record, indent=None, separators=(",", ":")).encode(),
             json.dumps({**record, "segmenter": 'says "tokens": [[1, 2]]'}).encode()]
    for line in lines:
        decoded = read_structure(line, tmp_path / "structure.jsonl", "d")
        whole = json.loads(line)
        assert {k: v for k, v in decoded.items() if k != "tokens"} == {k: v for k, v in whole.items() if k != "tokens"}
        packed = decoded["tokens"]
        assert flat_pairs([packed])[1].tolist() == tokens
    empty = read_structure(json.dumps({**record, "tokens": []}).encode(), tmp_path / "s.jsonl", "d")
    assert empty["tokens"] == [] and flat_pairs([empty["tokens"]])[1].shape == (0, 2)
    mixed = [PackedPairs(b"[0, 6], [7, 8]"), [[1, 2]], PackedPairs(b"")]
    assert flat_pairs(mixed)[1].tolist() == [[0, 6], [7, 8], [1, 2]]
    assert flat_pairs([PackedPairs(b"[0, 6], [7, 8]"), PackedPairs(b"")])[0].tolist() == [2, 0]
