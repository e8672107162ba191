"""Every file or block derived from the schema or the data, in one registry.

`cash generate` rewrites them and `cash generate --check` (run by the tests) fails when a
committed copy differs, so nobody can edit a derived table by hand and nothing can drift.
Derived blocks inside hand-written Markdown sit between `<!-- BEGIN GENERATED: name -->` and
`<!-- END GENERATED -->`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from .corpus import Corpus
from .guidelines import BLOCK as GUIDELINE_BLOCK, render_tables
from .paths import SOURCE_ROOT, CorpusPaths
from .schema import GUIDELINES_FILE, PACKAGED_SCHEMA, SCHEMA_FILE
from .stats import label_table, layer_counts, overview_table, structure_counts

END = "<!-- END GENERATED -->"


def begin(name: str) -> str:
    return f"<!-- BEGIN GENERATED: {name} -->"


def replace_marked(document: str, name: str, body: str) -> str:
    """`document` with the body of block `name` replaced; the markers stay."""
    start = document.index(begin(name)) + len(begin(name))
    end = document.index(END, start)
    return document[:start] + "\n" + body.strip("\n") + "\n" + document[end:]


def corpus_statistics(root: Path) -> str:
    """Counts per document (gold layer if present, else structure only) for the datasheet."""
    corpus = Corpus(CorpusPaths(root))
    gold = corpus.paths.annotations_dir / "gold.jsonl"
    if not gold.exists():
        return "\n".join(["Structural layers (no gold annotation layer yet):", "", *overview_table(structure_counts(corpus))])
    counts = layer_counts(corpus, gold)
    return "\n".join(["Gold layer (`annotations/gold.jsonl`):", "", *overview_table(counts), "",
                      "Labels per document (gold):", "", *label_table(counts)])


def agreement_section(root: Path) -> str:
    """Agreement between every pair of layers (a summary table), then the pass-A vs pass-B detail."""
    paths = CorpusPaths(root)
    names = sorted(p.stem for p in paths.annotations_dir.glob("*.jsonl")) if paths.annotations_dir.is_dir() else []
    passes = [n for n in names if n.startswith("pass-")]
    if len(passes) < 2:
        return "Agreement: not yet measured (fewer than two independent passes are present)."
    from .agreement import compare_layers, markdown_report
    from .agreement.table import pairwise_markdown
    corpus = Corpus(paths)
    layers = passes + (["gold"] if "gold" in names else [])
    pairs = [(a, b) for i, a in enumerate(layers) for b in layers[i + 1:]]
    reports = {pair: compare_layers(paths.layer_path(pair[0]), paths.layer_path(pair[1]), corpus) for pair in pairs}
    out = ["Every pair of layers (`cash agreement A B`; F1 exact = same offsets, overlap = one-to-one by "
           "largest shared span; κ on items paired by overlap; α = token-level nominal Krippendorff's alpha). "
           "Pairs with `gold` are not independent: gold was adjudicated from the passes.", "",
           pairwise_markdown(list(reports.values())).rstrip("\n")]
    if ("pass-a", "pass-b") in reports:
        out += ["", "Detail, `pass-a` – `pass-b`:", "", markdown_report(reports[("pass-a", "pass-b")]).rstrip("\n")]
    return "\n".join(out) + "\n"


def labelstudio_config(_: str, root: Path) -> str:
    from .labelstudio.config import labeling_config
    return labeling_config().rstrip("\n") + "\n"


def datasets_features(_: str, root: Path) -> str:
    """The `datasets` features of every config, as `Features.to_dict()` JSON (a readable reference)."""
    from .hf.features import CONFIG_KINDS, config_features
    return json.dumps({kind: config_features(kind).to_dict() for kind in CONFIG_KINDS}, ensure_ascii=False,
                      indent=2) + "\n"


TOKEN_TAGS_BLOCK = "token tags (cash generate)"


def token_tags_section(root: Path) -> str:
    """The nesting policy of the `tokens` configs and, per layer, where its spans went."""
    from .bio import FAMILIES, family_columns, nesting_counts
    from .layers import iter_documents, layer_names
    paths = CorpusPaths(root)
    corpus = Corpus(paths)
    structures = {s.document_id: s for s in corpus.structures()}
    lines = [
        "Nesting policy of the `tokens` configs: BIO holds one span per token, so spans are placed in the order "
        "(start, longest first); a span goes to the outer column (`claim_tags`, `cue_tags`, `attribution_tags`) "
        "if none of its tokens is taken there, else to the inner column (`claim_tags_inner`, "
        "`attribution_tags_inner`) if none is taken there, else it is dropped. Where claims nest, the outermost "
        "claim is in `claim_tags` and the claim inside it in `claim_tags_inner`. Cues do not nest and have one "
        "column. Spans are cut at sentence edges (counted below).", "",
        "| layer | tags | spans | outer column | inner column | dropped | crossing a sentence edge |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    names = [name for name in ["gold", *layer_names(paths)] if paths.layer_path(name).exists()]
    for name in dict.fromkeys(names):
        documents = ((doc, structures[doc.document_id].sentences, structures[doc.document_id].tokens)
                     for doc in iter_documents(paths.layer_path(name)) if doc.document_id in structures)
        counts = nesting_counts(documents)
        for family in FAMILIES:
            c = counts[family]
            inner = str(c["inner"]) if len(family_columns(family)) > 1 else "–"
            lines.append(f"| {name} | {family} | {c['spans']} | {c['outer']} | {inner} | {c['dropped']} | "
                         f"{c['crossing_sentence']} |")
    return "\n".join(lines)


def statistics_and_agreement(text: str, root: Path) -> str:
    """The data-derived blocks shared by DATASHEET.md and the dataset card (README.md)."""
    text = replace_marked(text, "corpus statistics (cash generate)", corpus_statistics(root))
    text = replace_marked(text, "agreement (cash generate)", agreement_section(root))
    return replace_marked(text, TOKEN_TAGS_BLOCK, token_tags_section(root))


def guideline_tables(text: str, root: Path) -> str:
    return replace_marked(text, GUIDELINE_BLOCK, render_tables())


CODES_BLOCK = "finding codes (cash generate)"
LINT_CODES_BLOCK = "lint codes (cash generate)"
FIXTURES = Path("tests") / "fixtures" / "validation"


def validation_codes(text: str, root: Path) -> str:
    """docs/VALIDATION.md's code tables, from the one catalogue (validation.findings.CATALOGUE), with
    the fixture of each code found under tests/fixtures/validation/."""
    from .validation.findings import CATALOGUE, catalogue_markdown
    folder = root / FIXTURES
    fixtures: dict[str, list[str]] = {}
    for code in CATALOGUE:
        found = [f"invalid/{code}.jsonl"] if (folder / "invalid" / f"{code}.jsonl").is_file() else []
        found += [f"invalid/{code}/"] if (folder / "invalid" / code).is_dir() else []
        found += [f"lint/{code}.jsonl"] if (folder / "lint" / f"{code}.jsonl").is_file() else []
        fixtures[code] = found
    text = replace_marked(text, CODES_BLOCK, catalogue_markdown(False, fixtures))
    return replace_marked(text, LINT_CODES_BLOCK, catalogue_markdown(True, fixtures))


def packaged_copy(name: str) -> Callable[[str, Path], str]:
    """The copy of schema/<name> shipped inside the package: the checkout's file, byte for byte."""
    def render(_: str, root: Path) -> str:
        return (root / "schema" / name).read_text(encoding="utf-8")
    return render


def artifacts(root: Path) -> dict[str, Callable[[str, Path], str]]:
    """path relative to `root` → render(current_text, root) for every generated artefact the root has.

    Markdown files are regenerated only where the root has them (a bare corpus root may have no
    card or datasheet); the packaged schema copy only in the checkout the package is installed from.
    """
    found: dict[str, Callable[[str, Path], str]] = {
        "schema/generated/labelstudio.xml": labelstudio_config,
        "schema/generated/features.json": datasets_features,
    }
    for relative, render in (("schema/GUIDELINES.md", guideline_tables), ("DATASHEET.md", statistics_and_agreement),
                             ("README.md", statistics_and_agreement), ("docs/VALIDATION.md", validation_codes)):
        if (root / relative).is_file():
            found[relative] = render
    if root.resolve() == SOURCE_ROOT.resolve():
        for name in (SCHEMA_FILE, GUIDELINES_FILE):
            if (root / "schema" / name).is_file():
                found[(PACKAGED_SCHEMA.parent / name).relative_to(SOURCE_ROOT.resolve()).as_posix()] = packaged_copy(name)
    return found


def _render(root: Path, relative: str, render: Callable[[str, Path], str]) -> tuple[Path, str, str]:
    path = root / relative
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    return path, current, render(current, root)


def check_artifacts(root: Path) -> list[Path]:
    """Paths whose committed content differs from what the schema and data generate."""
    return [path for path, current, wanted in (_render(root, r, f) for r, f in artifacts(root).items())
            if current != wanted]


def write_artifacts(root: Path) -> list[Path]:
    """Regenerate every stale artefact of `root` in one corpus transaction (validated, all or nothing)."""
    from .transaction import corpus_transaction
    written = []
    with corpus_transaction(root, "generate") as txn:
        for relative, render in artifacts(txn.root).items():
            path, current, wanted = _render(txn.root, relative, render)
            if current != wanted:
                txn.write_text(relative, wanted)
                written.append(path)
    return written
