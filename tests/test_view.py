"""`cash view` without a browser: layout by code points, escaping, disagreements, the write path
of the site, deterministic plots, the CLI and --serve. The browser checks are in test_view_browser.py."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from cash_corpus.cli import main
from cash_corpus.errors import CashError, Location, UsageError
from cash_corpus.layers import iter_documents
from cash_corpus.view import build_site, check_out
from cash_corpus.view.layout import Mark, Node, fragments_text, layout
from cash_corpus.records import Span
from cash_corpus.view.model import check_span, disagreements
from cash_corpus.view.render import render_tree

from view_helpers import DOC_ID, make_view_corpus

ASTRAL = "a🚀b𝔸c👍🏽d👩🏽‍🚀e🇮🇷f"


def flat(node: Node) -> str:
    return "".join(c if isinstance(c, str) else flat(c) for c in node.children)


def nesting_ok(node: Node) -> bool:
    """Every fragment lies inside its parent and children are in order without overlap."""
    position = node.start
    for child in node.children:
        if isinstance(child, str):
            position += len(child)
            continue
        if not (node.start <= child.start and child.end <= node.end and child.start >= position):
            return False
        if not nesting_ok(child):
            return False
        position = child.end
    return position <= node.end


@st.composite
def text_and_marks(draw):
    text = draw(st.text(alphabet=st.sampled_from(list(ASTRAL) + ["\n", " ", "<", "&"]), min_size=1, max_size=40))
    marks = []
    for k in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        marks.append(Mark(start, end, draw(st.sampled_from(["claim", "cue", "source", "content", "zone", "sentence"])),
                          f"k{k}"))
    return text, marks


@given(text_and_marks())
def test_layout_keeps_text_and_every_mark_is_its_code_point_slice(case):
    text, marks = case
    root = layout(text, marks)
    assert flat(root) == text
    assert nesting_ok(root)
    for mark in marks:
        assert fragments_text(root, mark.key) == text[mark.start:mark.end]


def test_crossing_spans_are_split_and_nested_spans_nest():
    text = "0123456789"
    root = layout(text, [Mark(0, 6, "claim", "outer"), Mark(2, 4, "claim", "inner"), Mark(5, 9, "claim", "cross")])
    outer = root.children[0]
    assert (outer.mark.key, outer.start, outer.end) == ("outer", 0, 6)
    inner = [c for c in outer.children if not isinstance(c, str)]
    assert [(c.mark.key, c.start, c.end, c.first, c.last) for c in inner] == [
        ("inner", 2, 4, True, True), ("cross", 5, 6, True, False)]
    tail = [c for c in root.children if not isinstance(c, str)][1]
    assert (tail.mark.key, tail.start, tail.end, tail.first, tail.last) == ("cross", 6, 9, False, True)


def test_render_escapes_text_and_attributes():
    text = '<b onmouseover="x()">&amp;🚀</b>'
    mark = Mark(0, len(text), "claim", "c1", {"cls": "claim", "badge": '"><script>1</script>',
                                               "title": "<img src=x onerror=alert(1)>", "links": "", "diff": ""})
    html = str(render_tree(layout(text, [mark]), "gold"))
    assert "<b " not in html and "<script>" not in html and "<img" not in html
    assert "&lt;b onmouseover=&#34;x()&#34;&gt;&amp;amp;🚀&lt;/b&gt;" in html
    assert 'data-badge="&#34;&gt;&lt;script&gt;1&lt;/script&gt;"' in html


def test_deep_nesting_renders_without_recursion_limit():
    text = "x" * 5000
    marks = [Mark(k, len(text) - k, "claim", f"c{k}") for k in range(2000)]
    html = str(render_tree(layout(text, marks), "gold"))
    assert html.count("<span") == 2000 and html.count("</span>") == 2000


def test_disagreements_pair_by_overlap_and_name_the_difference(tmp_path: Path):
    root = make_view_corpus(tmp_path)
    (gold,) = iter_documents(root / "annotations" / "gold.jsonl")
    (other,) = iter_documents(root / "annotations" / "pass-b.jsonl")
    reasons = disagreements(gold, other, "pass-b")
    assert reasons.keys() == {"c1", "c4"}
    assert "certainty possible in pass-b" in reasons["c1"]
    assert reasons["c4"] == "no overlapping claim in pass-b"
    assert disagreements(gold, None, "pass-b")["q1"] == "document not annotated in pass-b"


def test_a_span_that_does_not_fit_the_text_is_refused_with_its_location():
    where = Location("gold.jsonl", document_id="d", annotation_id="c1")
    check_span(Span(1, 3, "🚀b"), ASTRAL, where, "claim")           # code points, not UTF-16 units
    for bad in (Span(1, 3, "🚀"), Span(5, 99, "x"), Span(3, 3, "")):
        with pytest.raises(CashError, match="does not fit") as caught:
            check_span(bad, ASTRAL, where, "claim")
        assert (caught.value.location.annotation_id, caught.value.location.start) == ("c1", bad.start)


@pytest.fixture
def view_corpus(tmp_path: Path) -> Path:
    return make_view_corpus(tmp_path)


def test_site_pages_hold_escaped_data_and_no_remote_reference(view_corpus: Path, tmp_path: Path):
    summary = build_site(view_corpus, tmp_path / "site")
    assert summary.pages == ["index.html", "stats.html", f"docs/{DOC_ID}.html"]
    site = tmp_path / "site"
    page = (site / "docs" / f"{DOC_ID}.html").read_text(encoding="utf-8")
    assert "window.__pwned" in page                      # the hostile strings are there ...
    assert "<script>window" not in page and "<img src=x" not in page   # ... but only as text
    assert "&lt;script&gt;window.__pwned = &#34;note&#34;;&lt;/script&gt;" in page
    assert re.findall(r"<script\b[^>]*>", page) == ['<script src="../static/view.js" defer>']
    index = (site / "index.html").read_text(encoding="utf-8")   # the layer provenance note, escaped
    assert "<td>&lt;script&gt;window.__pwned = &#34;note&#34;;&lt;/script&gt;&lt;img src=x" in index
    for html_file in site.rglob("*.html"):
        markup = html_file.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", markup), html_file
    for asset in (site / "static").iterdir():
        assert "http" not in asset.read_text(encoding="utf-8").replace("http-equiv", ""), asset
    for svg in (site / "plots").glob("*.svg"):
        body = svg.read_text(encoding="utf-8")
        assert "xlink:href=\"http" not in body and "<script" not in body


def test_plots_are_byte_identical_across_builds(view_corpus: Path, tmp_path: Path):
    build_site(view_corpus, tmp_path / "one")
    build_site(view_corpus, tmp_path / "two")
    one, two = sorted((tmp_path / "one" / "plots").iterdir()), sorted((tmp_path / "two" / "plots").iterdir())
    assert [p.name for p in one] == [p.name for p in two]
    assert {"labels-claim_type.svg", "span-lengths.svg", "cues-by-certainty.svg", "agreement-gold-pass-b.svg"} <= {
        p.name for p in one}
    for a, b in zip(one, two):
        assert a.read_bytes() == b.read_bytes(), a.name
    stats = (tmp_path / "one" / "stats.html").read_text(encoding="utf-8")
    # the agreement table carries the numbers of cash_corpus.agreement: gold has 4 claims, pass-b 3
    assert "<td>claims</td><td>claim_type=factual</td><td>1</td><td>1</td><td>1.000</td><td>1.000</td>" in stats
    assert "<td>claims</td><td>claim_type=evaluative</td><td>1</td><td>0</td><td>0.000</td><td>0.000</td>" in stats


@pytest.mark.parametrize("inside", ["corpus", "annotations", "schema", "data", "corpus/texts/site"])
def test_out_inside_the_corpus_is_refused_and_nothing_written(view_corpus: Path, inside: str):
    (view_corpus / "schema").mkdir(exist_ok=True)
    (view_corpus / "data").mkdir(exist_ok=True)
    before = sorted(p.relative_to(view_corpus) for p in view_corpus.rglob("*"))
    with pytest.raises(UsageError, match="inside the corpus"):
        build_site(view_corpus, view_corpus / inside / "site")
    assert sorted(p.relative_to(view_corpus) for p in view_corpus.rglob("*")) == before


def test_out_over_a_foreign_folder_or_the_root_is_refused(view_corpus: Path, tmp_path: Path):
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("precious")
    with pytest.raises(UsageError, match="not a site"):
        check_out(view_corpus, foreign)
    with pytest.raises(UsageError, match="corpus root"):
        check_out(view_corpus, view_corpus)
    with pytest.raises(UsageError, match="corpus root"):
        check_out(view_corpus, tmp_path)
    assert (foreign / "keep.txt").read_text() == "precious"


def test_rebuild_replaces_an_earlier_site_and_a_failed_build_keeps_it(view_corpus: Path, tmp_path: Path):
    site = tmp_path / "site"
    build_site(view_corpus, site, plots=False)
    (site / "stale.html").write_text("old")
    build_site(view_corpus, site, ["gold"], plots=False)
    assert not (site / "stale.html").exists()
    assert json.loads((site / ".cash-view.json").read_text())["layers"] == ["gold"]
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    layer = view_corpus / "annotations" / "gold.jsonl"
    broken = layer.read_text(encoding="utf-8").replace('"text": "probably"', '"text": "probabl"', 1)
    layer.write_text(broken, encoding="utf-8")
    with pytest.raises(CashError, match="span-text-mismatch") as caught:
        build_site(view_corpus, site, plots=False)
    assert caught.value.location.document_id == DOC_ID and caught.value.location.annotation_id == "q1"
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir() if "staging" in p.name or ".old-" in p.name] == []


@pytest.mark.parametrize("damage", ["missing-holder", "garbage-bytes"])
def test_malformed_layer_is_a_located_finding_not_a_traceback(view_corpus: Path, tmp_path: Path, capsys, damage: str):
    layer = view_corpus / "annotations" / "pass-b.jsonl"
    lines = layer.read_bytes().splitlines(keepends=True)
    number = next(k for k, line in enumerate(lines) if b'"record": "claim"' in line)
    if damage == "missing-holder":
        record = json.loads(lines[number])
        del record["holder"]
        lines[number] = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
    else:
        lines[number] = b"\xff\xfe{not json <script>\x00\n"
    layer.write_bytes(b"".join(lines))
    code = main(["--root", str(view_corpus), "view", "--out", str(tmp_path / "site")])
    err = capsys.readouterr().err
    assert code == 1, err
    assert f"pass-b.jsonl:{number + 1}" in err and "Traceback" not in err
    assert not (tmp_path / "site").exists()
    assert [p.name for p in tmp_path.iterdir() if "staging" in p.name] == []


def test_layer_for_a_document_not_in_the_corpus_is_refused_with_location(view_corpus: Path, tmp_path: Path):
    layer = view_corpus / "annotations" / "gold.jsonl"
    layer.write_text(layer.read_text(encoding="utf-8").replace(DOC_ID, "zz-missing"), encoding="utf-8")
    with pytest.raises(CashError, match="document-unknown: document not in corpus") as caught:
        build_site(view_corpus, tmp_path / "site", ["gold"])
    assert caught.value.location.document_id == "zz-missing"
    assert not (tmp_path / "site").exists()


def test_cli_view_writes_the_site_and_refuses_bad_arguments(view_corpus: Path, tmp_path: Path, capsys):
    assert main(["--root", str(view_corpus), "view", "--layer", "gold", "--out", str(tmp_path / "s"), "--no-plots"]) == 0
    out = capsys.readouterr().out
    assert "1 document page(s), layers gold" in out
    assert (tmp_path / "s" / "docs" / f"{DOC_ID}.html").is_file()
    assert main(["--root", str(view_corpus), "view", "--layer", "nope", "--out", str(tmp_path / "t")]) == 2
    err = capsys.readouterr().err
    assert "no such layer file" in err and "Traceback" not in err
    assert main(["--root", str(view_corpus), "view", "--out", str(view_corpus / "annotations" / "x")]) == 2
    assert "inside the corpus" in capsys.readouterr().err
    assert main(["--root", str(view_corpus), "view"]) == 2
    assert "--out DIR is required" in capsys.readouterr().err


def test_serve_binds_127_0_0_1_and_serves_the_site(view_corpus: Path, tmp_path: Path):
    process = subprocess.Popen(
        [sys.executable, "-m", "cash_corpus.cli", "--root", str(view_corpus), "view", "--out", str(tmp_path / "site"),
         "--serve", "--port", "0", "--no-plots"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = None
        for line in process.stdout:
            found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
            if found:
                url = found.group(1)
                break
        assert url, process.stderr.read()
        with urllib.request.urlopen(url + "index.html", timeout=30) as response:
            body = response.read().decode("utf-8")
        assert f"docs/{DOC_ID}.html" in body
        with urllib.request.urlopen(url + f"docs/{DOC_ID}.html", timeout=30) as response:
            assert "𝕞issiles" in response.read().decode("utf-8")
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_real_corpus_site_builds_with_every_layer(repo_root: Path, tmp_path: Path):
    summary = build_site(repo_root, tmp_path / "site")
    assert summary.layers[0] == "gold" and {"pass-a", "pass-b"} <= set(summary.layers)
    assert summary.documents == len([p for p in (repo_root / "corpus" / "texts").glob("*.txt")])
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    for text_file in (repo_root / "corpus" / "texts").glob("*.txt"):
        assert f'href="docs/{text_file.stem}.html"' in index
    shutil.rmtree(tmp_path / "site")


def test_index_is_paged_so_no_page_grows_with_the_corpus(repo_root: Path, tmp_path: Path, monkeypatch):
    from cash_corpus.view import site as site_module
    monkeypatch.setattr(site_module, "INDEX_PAGE_SIZE", 1)
    summary = build_site(repo_root, tmp_path / "site", ["gold"], plots=False)
    doc_ids = sorted(p.stem for p in (repo_root / "corpus" / "texts").glob("*.txt"))
    assert summary.pages[:len(doc_ids) + 1] == ["index.html", *[f"index-{k}.html" for k in range(2, len(doc_ids) + 1)],
                                                 "stats.html"]
    for number, doc_id in enumerate(doc_ids):
        page = (tmp_path / "site" / summary.pages[number]).read_text(encoding="utf-8")
        assert f'href="docs/{doc_id}.html"' in page and page.count('href="docs/') == 1
        assert f'<strong aria-current="page">{number + 1}</strong>' in page
