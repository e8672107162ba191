"""CASH — Claims, Attribution, Stance and Hedging.

The package behind the corpus: typed records, the schema, validation, the build to Parquet for
Hugging Face `datasets`, the Label Studio bridge and the `cash` command line.
"""

__all__ = ["__version__"]

__version__ = "1.1.0"
