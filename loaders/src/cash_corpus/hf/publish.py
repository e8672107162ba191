"""Write or check the whole `datasets` build: data/ Parquet, README.md front matter, croissant.json.

`write_build` refuses an invalid corpus, stages every shard, the card and the Croissant file
and the removal of Parquet files no config owns any more, and commits them as one transaction:
an old build or the new one, never a mix. The card and the Croissant file name the build
fingerprint of exactly those Parquet files and, beside it, the release fingerprint of the whole
corpus as built (the one to cite; with its date when `corpus/releases.json` publishes it).
`check_build` does the same build in memory and names every file that differs, is missing or is
left over.
"""

from __future__ import annotations

import heapq

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..corpus import Corpus
from ..manifest import file_sha256, fingerprint_of_sorted, iter_file_hashes, read_release_records
from ..paths import CorpusPaths
from .build import DEFAULT_SHARD_SIZE, PARQUET_SUFFIX, SPLIT, BuildPlan, iter_built_files
from .card import ReleaseStamp, card_data, front_matter, read_card, split_front_matter, with_front_matter
from .croissant import croissant, dumps

README = "README.md"
CROISSANT = "croissant.json"


BuildEngine = Callable[[Path, int, "object"], BuildPlan]


@dataclass(frozen=True)
class BuildOutcome:
    plan: BuildPlan
    written: list[str]
    removed: list[str]
    release: ReleaseStamp | None = None


def recorded_shard_size(root: Path) -> int | None:
    """The shard size the committed card was built with, so `--check` rebuilds the same layout."""
    readme = Path(root) / README
    if not readme.exists():
        return None
    value = read_card(readme.read_text(encoding="utf-8")).get("cash_build", {}).get("shard_size")
    return value if isinstance(value, int) and value > 0 else None


def release_stamp(root: Path, version: str, data_hashes: Mapping[str, str],
                  staged: Mapping[str, bytes | None] | None = None, date: str | None = None,
                  known: Mapping[str, str] | None = None) -> ReleaseStamp:
    """The release fingerprint of the corpus as built (sources on disk or `staged`, Parquet as in
    `data_hashes`) and whether (and when) `corpus/releases.json` publishes it; a given `date`
    means the caller is publishing it now. `known` gives sha256s already computed (the texts a
    build has just read), so those files are not hashed again."""
    sources = ((rel, sha) for rel, sha in iter_file_hashes(Path(root), staged, known) if not rel.startswith("data/"))
    fp = fingerprint_of_sorted(heapq.merge(sources, sorted(data_hashes.items())))  # streamed: 1M texts, no dict
    if date is not None:  # `cash release` stamping the release it is recording
        return ReleaseStamp(version, fp, date, True)
    recorded = {r.version: r for r in read_release_records(CorpusPaths(Path(root)))}.get(version)
    if recorded is not None and recorded.fingerprint == fp:
        return ReleaseStamp(version, fp, recorded.date, True)
    return ReleaseStamp(version, fp, None, False)


def metadata_texts(root: Path, plan: BuildPlan, info: dict[str, Any] | None = None,
                   release: ReleaseStamp | None = None) -> dict[str, str]:
    """The card front matter and croissant.json for a finished plan (`info` and `release` given
    when `cash release` builds them for the corpus as it will be)."""
    corpus = Corpus.at(root)
    info = info or corpus.info()
    release = release or release_stamp(root, info["version"], plan.hashes)
    languages, num_documents = [], 0
    for record in corpus.documents():
        languages.append(record["language"])
        num_documents += 1
    data = card_data(info, plan.configs, plan.fingerprint, plan.shard_size, SPLIT, languages, num_documents, release)
    return {README: front_matter(data),
            CROISSANT: dumps(croissant(info, plan.configs, plan.hashes, plan.fingerprint, SPLIT, release))}


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
        release = release_stamp(root, Corpus.at(root).version, plan.hashes, known=plan.text_hashes)
        texts = metadata_texts(root, plan, release=release)
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
    return BuildOutcome(plan, written, removed, release)


def stage_shards(root: Path, shard_size: int, txn) -> BuildPlan:
    """The single-process engine: every shard built in turn and staged."""
    plan = BuildPlan(root, shard_size)
    for rel, data, summary in iter_built_files(root, shard_size, plan.text_hashes):
        plan.add(rel, data, summary)
        txn.write_bytes(rel, data)
    return plan


def stale_files(root: Path, shard_size: int | None = None) -> list[str]:
    """Human-readable lines naming every built file that does not match a fresh build; [] when current."""
    return check_build(root, shard_size)[1]


def check_build(root: Path, shard_size: int | None = None) -> tuple[BuildPlan, list[str]]:
    """The fresh build's plan (built in memory, nothing written) and the stale lines of `stale_files`."""
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
    return plan, problems


def config_names(root: Path) -> list[str]:
    """The configs the committed card declares, default first."""
    readme = Path(root) / README
    card = read_card(readme.read_text(encoding="utf-8")) if readme.exists() else {}
    return [entry["config_name"] for entry in card.get("configs", [])]


def iter_config_files(plan: BuildPlan) -> Iterator[str]:
    for summary in plan.configs:
        yield from summary.files
