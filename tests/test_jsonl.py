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


# --- the JSON boundary (issue 11): every refusal is a located CashError, never another exception ---

@pytest.mark.parametrize("raw,code,message", [
    (b"[" * 2000 + b"]" * 2000, "json-too-deep", "deeper than"),
    (b'{"a": ' + b"[" * 100 + b"]" * 100 + b"}", "json-too-deep", "deeper than"),
    (b'{"a": "\\ud800"}', "json-malformed", "lone surrogate"),
    (b'{"a": NaN}', "json-malformed", "NaN"),
    (b'\xef\xbb\xbf{"a": 1}', "json-malformed", "BOM"),
    (b"", "json-malformed", "empty"),
    (b"\xff\xfe", "json-malformed", "UTF-8"),
    (b'{"a": 1' + b"0" * 5000 + b"}", "number-out-of-range", "too long"),
    (b'{"a": [1, 2', "json-malformed", "malformed"),
])
def test_decode_json_refuses_what_the_package_must_never_see(raw, code, message):
    from cash_corpus.jsonl import JsonInputError, decode_json
    with pytest.raises(JsonInputError, match=message) as caught:
        decode_json(raw)
    assert caught.value.code == code


def test_read_jsonl_and_read_json_locate_refusals_and_never_follow_symlinks(tmp_path):
    from cash_corpus.jsonl import read_json
    from cash_corpus.paths import UnsafeFileError
    (tmp_path / "deep.jsonl").write_bytes(b'{"a": 1}\n' + b"[" * 3000 + b"]" * 3000 + b"\n")
    with pytest.raises(CashError, match="deeper than") as caught:
        list(read_jsonl(tmp_path / "deep.jsonl"))
    assert caught.value.location.line == 2
    (tmp_path / "bom.json").write_bytes(b'\xef\xbb\xbf{"name": "x"}')
    with pytest.raises(CashError, match="BOM"):
        read_json(tmp_path / "bom.json")
    (tmp_path / "env.jsonl").symlink_to("/proc/self/environ")
    with pytest.raises(UnsafeFileError):
        list(read_jsonl(tmp_path / "env.jsonl"))


def test_read_jsonl_locates_non_utf8_bytes_instead_of_raising_unicode_errors(tmp_path):
    path = tmp_path / "documents.jsonl"
    path.write_bytes(b'{"id": "a"}\n{"id": "\xff\xfe"}\n')
    with pytest.raises(CashError, match="not valid UTF-8") as caught:
        list(read_jsonl(path))
    assert caught.value.location.line == 2
