"""Adding a layer: validated as it will be on disk, refused with findings and nothing written, never overwritten."""

from __future__ import annotations

import dataclasses

import pytest

from cash_corpus.errors import CashError
from cash_corpus.layers import iter_documents
from cash_corpus.new_layer import store_layer
from cash_corpus.records import Span

from hf_helpers import gold_annotations, header, make_corpus


def test_store_layer_writes_a_valid_layer_once(tmp_path):
    root = make_corpus(tmp_path / "c")
    docs = gold_annotations(root)
    path = store_layer(root, header("copy"), reversed(docs))
    assert list(iter_documents(path)) == docs
    with pytest.raises(CashError, match="refusing to overwrite"):
        store_layer(root, header("copy"), docs)


def test_an_invalid_layer_is_refused_and_nothing_is_written(tmp_path):
    root = make_corpus(tmp_path / "c")
    first, second = gold_annotations(root)
    claim = first.claims[0]
    broken = dataclasses.replace(first, claims=(dataclasses.replace(claim, span=Span(claim.span.start, claim.span.end,
                                                                                       "not the text")),) + first.claims[1:])
    with pytest.raises(CashError, match="span-text-mismatch"):
        store_layer(root, header("bad"), [broken, second])
    assert not (root / "annotations" / "bad.jsonl").exists()
