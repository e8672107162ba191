#!/usr/bin/env bash
# How the two seed articles entered the corpus: the ordinary `cash add` path, nothing special.
# Run from the repository root into an empty corpus (tests/test_corpus.py replays it in a temp
# folder and compares with the committed files). SEEDS defaults to ../shared/seeds.
set -euo pipefail
SEEDS="${SEEDS:-../shared/seeds}"
ROOT="${ROOT:-.}"
DATE_EVIDENCE="Not stated in the text. The events described (Secretary Blinken's London press conference on Iranian missiles for Russia; E3 sanctions including Iran Air flights) took place in September 2024."

cash --root "$ROOT" add "$SEEDS/000_137207f75c3d4611.txt" --id mullahs-missiles \
  --title "The Mullahs’ Missiles: A Geopolitical Crisis Unfolding" --genre opinion --language en \
  --date-inferred 2024-09 --date-evidence "$DATE_EVIDENCE" \
  --copyright "Copyright retained by the original publisher, which the text does not name; no licence known." \
  --zones "$ROOT/corpus/zoning/mullahs-missiles.json"

cash --root "$ROOT" add "$SEEDS/002_9dd5fcfedfe3fce4.txt" --id going-ballistic \
  --title "Going ballistic: How Europeans can respond to Iranian military support for Russia" \
  --genre analysis --language en \
  --outlet "European Council on Foreign Relations" \
  --outlet-evidence "Named in the disclaimer: 'The European Council on Foreign Relations does not take collective positions. ECFR publications only represent the views of their individual authors.'" \
  --date-inferred 2024-09 --date-evidence "$DATE_EVIDENCE" \
  --copyright "Copyright retained by the publisher (the text's disclaimer names the European Council on Foreign Relations; a © line stands under the photo credit); no licence known." \
  --zones "$ROOT/corpus/zoning/going-ballistic.json"
