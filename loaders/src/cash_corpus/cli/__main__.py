"""`python -m cash_corpus.cli` = `cash`."""

import sys

from . import main

sys.exit(main())
