"""The dataset card's YAML front matter (README.md): configs, features, version, licence, citation.

`datasets` reads `configs:` (which files make which config, `version:` -> `ds.info.version`) and
`dataset_info:` (features, with ClassLabel names). The cache trap: with `configs:`, `datasets`
keys its cache on folder name, config, version and this YAML, never on the data files'
contents, so each config's `description` carries the build fingerprint (sha256 over the
Parquet files); the description is part of the builder config `datasets` hashes, so any
rebuild that changes a file changes the cache key and reaches the user.

Only the front matter between the leading `---` lines is ours; the human text below is kept
byte for byte.
"""

from __future__ import annotations

from typing import Any

import yaml

from ..errors import CashError, Location
from .features import config_features

FENCE = "---"
LICENSE = "unknown"  # no licence has been decided; copyright in the texts stays with the publishers


def size_category(num_documents: int) -> str:
    return "n<1K" if num_documents < 1_000 else "1K<n<10K" if num_documents < 10_000 else (
        "10K<n<100K" if num_documents < 100_000 else "100K<n<1M" if num_documents < 1_000_000 else "1M<n<10M")


def citation(info: dict[str, Any]) -> str:
    """BibTeX naming the corpus and its version; no author or year is invented."""
    key = f"{info['name'].lower()}_corpus_{info['version'].replace('.', '_')}"
    title = info.get("title", info["name"])
    return (f"@misc{{{key},\n  title = {{{{{title}}}}},\n  note = {{Corpus version {info['version']}, "
            f"schema version {info['schema_version']}}}\n}}\n")


def description(info: dict[str, Any]) -> str:
    return (f"{info.get('title', info['name'])}: news and opinion texts annotated with claims (type, certainty, "
            "polarity, holder, stance), hedge and booster cues, and PARC-style attributions (source, cue, "
            "content). Offsets are half-open [start, end) in Unicode code points over the raw text. "
            "Copyright in the texts stays with their publishers; no licence is known.")


def config_entry(summary, version: str, fingerprint: str, split: str, default: bool) -> dict[str, Any]:
    layer_state = "present" if summary.layer_present else "not yet present: no annotations"
    entry: dict[str, Any] = {"config_name": summary.name}
    if default:
        entry["default"] = True
    entry["version"] = version
    entry["description"] = (f"{summary.kind} from annotation layer '{summary.layer}' ({layer_state}); "
                            f"build fingerprint sha256:{fingerprint}")
    entry["data_files"] = [{"split": split, "path": f"data/{summary.name}/{split}-*.parquet"}]
    return entry


def info_entry(summary, split: str) -> dict[str, Any]:
    return {"config_name": summary.name, "features": config_features(summary.kind)._to_yaml_list(),
            "splits": [{"name": split, "num_bytes": summary.num_bytes, "num_examples": summary.num_rows}]}


def card_data(info: dict[str, Any], configs: list, fingerprint: str, shard_size: int, split: str,
              languages: list[str], num_documents: int) -> dict[str, Any]:
    """The whole YAML mapping, in a fixed key order so rebuilds are byte-identical."""
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
        "citation": citation(info),
        "configs": [config_entry(s, version, fingerprint, split, i == 0) for i, s in enumerate(configs)],
        "dataset_info": [info_entry(s, split) for s in configs],
        "cash_build": {"corpus_version": version, "schema_version": info["schema_version"],
                       "fingerprint": fingerprint, "shard_size": shard_size, "split": split,
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
