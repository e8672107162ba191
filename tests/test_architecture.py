"""docs/ARCHITECTURE.md is checked against the package: every module it names exists, and every
module, subpackage and package-data folder of `cash_corpus` is named in its map."""

from __future__ import annotations

import re
from pathlib import Path

import cash_corpus

REPO = Path(__file__).resolve().parents[1]
PACKAGE = Path(cash_corpus.__file__).resolve().parent
DOC = REPO / "docs" / "ARCHITECTURE.md"
TICKED = re.compile(r"`([^`]+)`")
MODULE = re.compile(r"^[A-Za-z_][\w/]*\.py$")


def package_rows() -> dict[str, str]:
    """First-column names of the package table (`x.py`, `pkg/`) -> the row's description."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## The package `cash_corpus`", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        cells = line.split(" | ", 1)
        for name in TICKED.findall(cells[0]):
            rows[name] = cells[1]
    return rows


def prose_lines() -> list[str]:
    """The document without its fenced blocks (the folder tree names repository files, not modules)."""
    out, fenced = [], False
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced:
            out.append(line)
    return out


def modules(folder: Path) -> set[str]:
    return {p.name for p in folder.glob("*.py") if p.name not in ("__init__.py", "__main__.py")}


def subfolders(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.is_dir() and p.name != "__pycache__"}


def test_every_top_level_module_and_folder_is_in_the_map():
    rows = package_rows()
    assert modules(PACKAGE) - set(rows) == set(), "modules missing from docs/ARCHITECTURE.md"
    assert {f"{name}/" for name in subfolders(PACKAGE)} - set(rows) == set(), "folders missing from the map"


def test_every_row_names_something_that_exists():
    for name in package_rows():
        assert (PACKAGE / name.rstrip("/")).exists(), f"ARCHITECTURE.md names {name}, which is not in the package"


def test_every_module_of_a_subpackage_is_named_in_its_row_and_exists():
    rows = package_rows()
    for folder in subfolders(PACKAGE):
        if not (PACKAGE / folder / "__init__.py").is_file():
            continue
        named = {n for n in TICKED.findall(rows[f"{folder}/"]) if MODULE.match(n) and "/" not in n}
        assert modules(PACKAGE / folder) - named == set(), f"{folder}/ modules missing from its row"
        assert {n for n in named if n != "__init__.py"} - modules(PACKAGE / folder) == set(), \
            f"the {folder}/ row names modules that do not exist"


def test_every_module_path_named_in_the_prose_exists():
    every = {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")}
    basenames = {path.rsplit("/", 1)[-1] for path in every}
    for line in prose_lines():
        for name in TICKED.findall(line):
            if MODULE.match(name):
                assert name in every or ("/" not in name and name in basenames), \
                    f"ARCHITECTURE.md names {name}, which is not in the package"
