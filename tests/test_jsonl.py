"""JSON Lines I/O: located errors, atomic writes that leave nothing behind on failure."""

from __future__ import annotations

import pytest

from cash_corpus.errors import CashError
from cash_corpus.jsonl import atomic_writer, read_jsonl, write_jsonl


def test_read_skips_blank_lines_and_numbers_lines(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"a": 1}\n\n{"b": "𝔸"}\n', encoding="utf-8")
    assert list(read_jsonl(path)) == [(1, {"a": 1}), (3, {"b": "𝔸"})]


@pytest.mark.parametrize("line,message", [('{"a": ', "malformed JSON"), ("[1, 2]", "expected a JSON object")])
def test_bad_lines_are_located(tmp_path, line, message):
    path = tmp_path / "x.jsonl"
    path.write_text('{"ok": true}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(CashError, match=message) as info:
        list(read_jsonl(path))
    assert info.value.location.line == 2 and str(path) in str(info.value)


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path):
    path = tmp_path / "x.jsonl"
    write_jsonl(path, [{"v": 1}])

    def rows():
        yield {"v": 2}
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_jsonl(path, rows())
    assert path.read_text(encoding="utf-8") == '{"v": 1}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["x.jsonl"]  # no temp file left


def test_atomic_writer_creates_missing_folders(tmp_path):
    target = tmp_path / "a" / "b" / "c.bin"
    with atomic_writer(target, "wb") as handle:
        handle.write(b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
