"""validation/inputs.py: what `cash add` / `cash zones` check before writing anything."""

from __future__ import annotations

import pytest

from cash_corpus.errors import CashError, UsageError
from cash_corpus.validation.inputs import control_characters, is_valid_language, require_clean_text, require_language


def test_control_characters_other_than_tab_lf_cr_are_found():
    assert control_characters("Title\tx\r\nbody\n") == []
    assert control_characters("a\x00b\x1bc\x0cd\x7fe\x85") == [1, 3, 5, 7, 9]


def test_require_clean_text_refuses_nul_and_esc_with_a_located_quoted_message():
    require_clean_text("Title\n\tbody 𝔸\r\n", "ok.txt")
    with pytest.raises(CashError) as caught:
        require_clean_text("Title\nbad \x1b[31m here\x00", "bad.txt")
    assert caught.value.location.start == 10 and caught.value.location.end == 11
    assert "2 control character(s)" in str(caught.value) and "\x1b" not in str(caught.value)


@pytest.mark.parametrize("tag,ok", [("en", True), ("pt-BR", True), ("zh-Hant-TW", True), ("EN", False),
                                    ("en\n", False), ("english", False), ("e", False), ("", False), (None, False)])
def test_language_is_checked_against_the_schema_pattern_whole(tag, ok):
    assert is_valid_language(tag) is ok
    if not ok:
        with pytest.raises(UsageError, match="invalid --language"):
            require_language(tag)
    else:
        assert require_language(tag) == tag


@pytest.mark.parametrize("data,message", [
    (b'{"1": "title", "3": "caption"}', None),
    (b'\xef\xbb\xbf{"1": "title"}', "BOM"),
    (b'\xff{"1": "title"}', "UTF-8"),
    (b"", "empty"),
    (b'{"1": "title"', "malformed"),
    (b'{"\xd9\xa1": "title"}', "line numbers"),      # an Arabic-Indic digit one: str.isdigit() is true
    (b'{"1": ' + b"[" * 100 + b"]" * 100 + b"}", "deeper"),
    (b'["title"]', "must be an object"),
])
def test_zone_files_are_read_at_the_boundary(tmp_path, data, message):
    from cash_corpus.validation.inputs import read_zone_overrides
    path = tmp_path / "zones.json"
    path.write_bytes(data)
    if message is None:
        assert read_zone_overrides(path) == {1: "title", 3: "caption"}
    else:
        with pytest.raises(UsageError, match=message):
            read_zone_overrides(path)


def test_a_zones_file_that_is_a_fifo_is_refused_without_blocking(tmp_path):
    import os
    from cash_corpus.validation.inputs import read_zone_overrides
    os.mkfifo(tmp_path / "zones.json")
    with pytest.raises(UsageError, match="FIFO"):
        read_zone_overrides(tmp_path / "zones.json")
