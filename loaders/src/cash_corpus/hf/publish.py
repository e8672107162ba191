"""Write or check the whole `datasets` build: data/ Parquet, README.md front matter, croissant.json.

`write_build` refuses an invalid corpus, stages every shard, the card and the Croissant file
(which name the fingerprint of exactly those files) and the removal of Parquet files no config
owns any more, and commits them as one transaction: an old build or the new one, never a mix. `check_build` does the
same build in memory and names every file that differs, is missing or is left over.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Callable
from pathlib import Path

from ..corpus import Corpus
from ..manifest import file_sha256
from ..paths import CorpusPaths
from .build import DEFAULT_SHARD_SIZE, PARQUET_SUFFIX, SPLIT, BuildPlan, iter_built_files
from .card import card_data, front_matter, read_card, split_front_matter, with_front_matter
from .croissant import croissant, dumps

README = "README.md"
CROISSANT = "croissant.json"


BuildEngine = Callable[[Path, int, "object"], BuildPlan]


@dataclass(frozen=True)
class BuildOutcome:
    plan: BuildPlan
    written: list[str]
    removed: list[str]


def recorded_shard_size(root: Path) -> int | None:
    """The shard size the committed card was built with, so `--check` rebuilds the same layout."""
    readme = Path(root) / README
    if not readme.exists():
        return None
    value = read_card(readme.read_text(encoding="utf-8")).get("cash_build", {}).get("shard_size")
    return value if isinstance(value, int) and value > 0 else None


def metadata_texts(root: Path, plan: BuildPlan) -> dict[str, str]:
    """The card front matter and croissant.json for a finished plan."""
    corpus = Corpus.at(root)
    info = corpus.info()
    languages, num_documents = [], 0
    for record in corpus.documents():
        languages.append(record["language"])
        num_documents += 1
    data = card_data(info, plan.configs, plan.fingerprint, plan.shard_size, SPLIT, languages, num_documents)
    return {README: front_matter(data),
            CROISSANT: dumps(croissant(info, plan.configs, plan.hashes, plan.fingerprint, SPLIT))}


def existing_parquet(root: Path) -> set[str]:
    data = CorpusPaths(Path(root)).data_dir
    if not data.exists():
        return set()
    return {p.relative_to(root).as_posix() for p in data.rglob(f"*{PARQUET_SUFFIX}") if p.is_file()}


def write_build(root: Path, shard_size: int | None = None, *, engine: BuildEngine | None = None,
                validate: Callable[[Path], list] | None = None) -> BuildOutcome:
    """Build everything under `root` in one transaction: refuse unless the corpus validates, stage
    every Parquet shard, the card and croissant.json, drop what did not change, commit together.

    `engine(root, shard_size, txn)` stages the shards and returns the plan: the single-process
    `stage_shards` by default, or the Dask one (`distributed.stage_shards_on_dask`); both use the
    same per-shard function, and this function is the one commit step for both. `validate(root)`
    replaces `validation.validate_root` for the check before anything is built (same findings).
    """
    from ..transaction import corpus_transaction
    root = Path(root).resolve()
    size = shard_size or recorded_shard_size(root) or DEFAULT_SHARD_SIZE
    with corpus_transaction(root, "build") as txn:
        txn.require_valid(validate)
        plan = (engine or stage_shards)(root, size, txn)
        written = []
        for rel, digest in plan.hashes.items():
            target = root / rel
            if target.is_file() and file_sha256(target) == digest:
                txn.discard(rel)
            else:
                written.append(rel)
        removed = sorted(existing_parquet(root) - set(plan.hashes))
        for rel in removed:
            txn.remove(rel)
        texts = metadata_texts(root, plan)
        readme_path = root / README
        old_readme = readme_path.read_text(encoding="utf-8") if readme_path.exists() else ""
        new_readme = with_front_matter(old_readme, texts[README])
        if new_readme != old_readme:
            txn.write_text(README, new_readme)
            written.append(README)
        croissant_path = root / CROISSANT
        if not croissant_path.exists() or croissant_path.read_text(encoding="utf-8") != texts[CROISSANT]:
            txn.write_text(CROISSANT, texts[CROISSANT])
            written.append(CROISSANT)
    return BuildOutcome(plan, written, removed)


def stage_shards(root: Path, shard_size: int, txn) -> BuildPlan:
    """The single-process engine: every shard built in turn and staged."""
    plan = BuildPlan(root, shard_size)
    for rel, data, summary in iter_built_files(root, shard_size):
        plan.add(rel, data, summary)
        txn.write_bytes(rel, data)
    return plan


def stale_files(root: Path, shard_size: int | None = None) -> list[str]:
    """Human-readable lines naming every built file that does not match a fresh build; [] when current."""
    root = Path(root)
    plan = BuildPlan(root, shard_size or recorded_shard_size(root) or DEFAULT_SHARD_SIZE)
    problems: list[str] = []
    for rel, data, summary in iter_built_files(root, plan.shard_size):
        plan.add(rel, data, summary)
        target = root / rel
        if not target.exists():
            problems.append(f"{rel}: missing")
        elif target.read_bytes() != data:
            problems.append(f"{rel}: stale (differs from a fresh build)")
    problems += [f"{rel}: left over (no config owns it)" for rel in sorted(existing_parquet(root) - set(plan.hashes))]
    texts = metadata_texts(root, plan)
    readme_path = root / README
    front = split_front_matter(readme_path.read_text(encoding="utf-8"))[0] if readme_path.exists() else None
    if front != texts[README]:
        problems.append(f"{README}: front matter {'missing' if front is None else 'stale'}")
    croissant_path = root / CROISSANT
    if not croissant_path.exists():
        problems.append(f"{CROISSANT}: missing")
    elif croissant_path.read_text(encoding="utf-8") != texts[CROISSANT]:
        problems.append(f"{CROISSANT}: stale")
    return problems


def config_names(root: Path) -> list[str]:
    """The configs the committed card declares, default first."""
    readme = Path(root) / README
    card = read_card(readme.read_text(encoding="utf-8")) if readme.exists() else {}
    return [entry["config_name"] for entry in card.get("configs", [])]


def iter_config_files(plan: BuildPlan) -> Iterator[str]:
    for summary in plan.configs:
        yield from summary.files
