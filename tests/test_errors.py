"""Messages quote input safely: one line, no terminal control, bounded length."""

from __future__ import annotations

from cash_corpus.errors import CashError, Location, escape_controls, quote, show_token


def test_quote_escapes_control_characters_and_caps_length():
    assert quote("a\n\x1b[31mred\x00") == "'a\\n\\x1b[31mred\\x00'"
    assert quote("\u2028\u202e\x9b") == "'\\u2028\\u202e\\x9b'"
    assert quote("back\\slash") == "'back\\\\slash'"
    long = quote("x" * 500)
    assert len(long) == 82 and long.endswith("…'")
    assert quote(12) == "'12'"


def test_a_lone_surrogate_is_escaped_so_the_message_can_be_printed():
    text = quote("\ud800")
    assert text == "'\\ud800'"
    text.encode("utf-8")  # would raise on a raw surrogate


def test_locations_show_plain_ids_as_is_and_quote_the_rest():
    assert str(Location("f.jsonl", 3, "alpha-report", "c1", 1, 2)) == "f.jsonl:3 doc=alpha-report ann=c1 [1, 2)"
    assert str(Location(document_id="a\n\x1b[2J")) == "doc='a\\n\\x1b[2J'"
    assert show_token("x y") == "'x y'"


def test_cash_errors_are_one_line_whatever_the_input():
    error = CashError("bad id a\nb: [E forged] \x1b[31m", Location(file="x\ny.jsonl", annotation_id="\x1b"))
    assert "\n" not in str(error) and "\x1b" not in str(error)
    assert escape_controls("ok\ttab") == "ok\\ttab"


def test_indented_continuation_lines_are_kept_and_nothing_else_starts_a_line():
    error = CashError("refused:\n  a.jsonl:1: [E x] one.\n  b.jsonl:2: [E y] two\nforged: [E z]\x1b")
    lines = str(error).split("\n")
    assert lines == ["refused:", "  a.jsonl:1: [E x] one.", "  b.jsonl:2: [E y] two\\nforged: [E z]\\x1b"]


def test_error_lines_are_capped():
    assert len(str(CashError("x" * 50_000))) <= 1000
