"""The dataset card's YAML front matter (README.md): configs, features, version, licence, citation.

`datasets` reads `configs:` (which files make which config, `version:` -> `ds.info.version`) and
`dataset_info:` (features, with ClassLabel names). The cache trap: with `configs:`, `datasets`
keys its cache on folder name, config, version and this YAML, never on the data files'
contents, so each config's `description` carries the build fingerprint (sha256 over the
Parquet files); the description is part of the builder config `datasets` hashes, so any
rebuild that changes a file changes the cache key and reaches the user. The build fingerprint
is named as such wherever it appears, next to the release fingerprint, the one to cite
(`cash_corpus.manifest`); the BibTeX entry carries version, release fingerprint, year of the
release and how to get exactly those files back.

Only the front matter between the leading `---` lines is ours; the human text below is kept
byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from ..errors import CashError, Location
from .features import config_features

FENCE = "---"
LICENSE = "unknown"  # no licence has been decided; copyright in the texts stays with the publishers


def size_category(num_documents: int) -> str:
    return "n<1K" if num_documents < 1_000 else "1K<n<10K" if num_documents < 10_000 else (
        "10K<n<100K" if num_documents < 100_000 else "100K<n<1M" if num_documents < 1_000_000 else "1M<n<10M")


@dataclass(frozen=True)
class ReleaseStamp:
    """The release the built files belong to: the release fingerprint of the files as they are,
    whether `corpus/releases.json` publishes exactly that fingerprint for the version, and the
    date it records (None when unpublished or not recorded)."""

    version: str
    fingerprint: str
    date: str | None
    published: bool


def retrieval(version: str) -> str:
    return f"cash release get {version}"


def citation(info: dict[str, Any], release: ReleaseStamp) -> str:
    """BibTeX naming the corpus, its version, the release fingerprint, the year of the release
    (only when published: no date is invented) and the command that gets those files back."""
    version = info["version"]
    key = f"{info['name'].lower()}_corpus_{version.replace('.', '_')}"
    title = info.get("title", info["name"])
    state = ("" if release.published else
             "; NOT a published release: these files differ from anything in corpus/releases.json")
    lines = [f"@misc{{{key},", f"  title = {{{{{title}}}}},"]
    if release.published and release.date:
        lines.append(f"  year = {{{release.date[:4]}}},")
    lines += [f"  version = {{{version}}},",
              f"  note = {{Corpus version {version}, schema version {info['schema_version']}, release fingerprint "
              f"sha256:{release.fingerprint}{state}. Retrieve exactly these files from a clone of the repository "
              f"with `{retrieval(version)}` (no git tags needed) and check them with `cash release verify`}}",
              "}"]
    return "\n".join(lines) + "\n"


def description(info: dict[str, Any]) -> str:
    return (f"{info.get('title', info['name'])}: news and opinion texts annotated with claims (type, certainty, "
            "polarity, holder, stance), hedge and booster cues, and PARC-style attributions (source, cue, "
            "content). Offsets are half-open [start, end) in Unicode code points over the raw text. "
            "Copyright in the texts stays with their publishers; no licence is known.")


def config_entry(summary, version: str, fingerprint: str, split: str, default: bool,
                 release: ReleaseStamp) -> dict[str, Any]:
    layer_state = "present" if summary.layer_present else "not yet present: no annotations"
    entry: dict[str, Any] = {"config_name": summary.name}
    if default:
        entry["default"] = True
    entry["version"] = version
    entry["description"] = (f"{summary.kind} from annotation layer '{summary.layer}' ({layer_state}); "
                            f"build fingerprint sha256:{fingerprint} (Parquet only, keys the datasets cache); "
                            f"release fingerprint sha256:{release.fingerprint} "
                            f"({'cite this one' if release.published else 'not published'})")
    entry["data_files"] = [{"split": split, "path": f"data/{summary.name}/{split}-*.parquet"}]
    return entry


def info_entry(summary, split: str) -> dict[str, Any]:
    return {"config_name": summary.name, "features": config_features(summary.kind)._to_yaml_list(),
            "splits": [{"name": split, "num_bytes": summary.num_bytes, "num_examples": summary.num_rows}]}


def card_data(info: dict[str, Any], configs: list, fingerprint: str, shard_size: int, split: str,
              languages: list[str], num_documents: int, release: ReleaseStamp) -> dict[str, Any]:
    """The whole YAML mapping, in a fixed key order so rebuilds are byte-identical.
    `fingerprint` is the build fingerprint; `release` names the release fingerprint to cite."""
    version = info["version"]
    return {
        "pretty_name": info.get("title", info["name"]),
        "language": sorted(set(languages)) or ["en"],
        "license": LICENSE,
        "size_categories": [size_category(num_documents)],
        "task_categories": ["text-classification", "token-classification"],
        "tags": ["claims", "attribution", "stance", "hedging", "factuality", "parc"],
        "version": version,
        "description": description(info),
        "citation": citation(info, release),
        "configs": [config_entry(s, version, fingerprint, split, i == 0, release)
                    for i, s in enumerate(configs)],
        "dataset_info": [info_entry(s, split) for s in configs],
        "cash_build": {"corpus_version": version, "schema_version": info["schema_version"],
                       "build_fingerprint": fingerprint,
                       "release": {"version": version, "fingerprint": release.fingerprint, "date": release.date,
                                   "published": release.published, "retrieve": retrieval(version)},
                       "shard_size": shard_size, "split": split,
                       "layers": {s.layer: ("present" if s.layer_present else "missing")
                                  for s in configs}},
    }


def front_matter(data: dict[str, Any]) -> str:
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    return f"{FENCE}\n{body}{FENCE}\n"


def split_front_matter(readme: str) -> tuple[str | None, str]:
    """(front matter including its fences, the rest); (None, readme) when there is none."""
    if not readme.startswith(FENCE + "\n"):
        return None, readme
    close = readme.find(f"\n{FENCE}\n", len(FENCE))
    if close < 0:
        if readme.endswith(f"\n{FENCE}"):
            return readme + "\n", ""
        raise CashError("README.md opens a YAML front matter with '---' but never closes it", Location(file="README.md"))
    end = close + len(FENCE) + 2
    return readme[:end], readme[end:]


def with_front_matter(readme: str, new_front: str) -> str:
    """README text with its front matter replaced (or added on top); the human text is untouched."""
    _, rest = split_front_matter(readme)
    return new_front + rest


def read_card(readme: str) -> dict[str, Any]:
    front, _ = split_front_matter(readme)
    if front is None:
        return {}
    return yaml.safe_load(front[len(FENCE) + 1:-(len(FENCE) + 1)]) or {}
