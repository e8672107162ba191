"""Hugging Face `datasets` build: features from the schema, Parquet, card YAML, Croissant, report.

Public entry points: `write_build`, `stale_files` (publish), `build_shard`, `config_name`
(build), `config_features` (features), `load_config`, `summary_text` (report).
"""

from .build import build_shard, config_name
from .features import CONFIG_KINDS, config_features
from .publish import stale_files, write_build

__all__ = ["CONFIG_KINDS", "build_shard", "config_features", "config_name", "stale_files", "write_build"]
