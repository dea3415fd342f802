#!/usr/bin/env bash
# Set up, then run the main job on the embedded store: index the bundled sample corpus, answer a
# multi-hop question, synthesise a few training QA pairs. No server, no API key, no network.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HIPPO_STORE="sqlite:///.hippo/demo.db"
export HIPPO_NAMESPACE="demo"
HIPPO=.venv/bin/hippo
echo
echo "== hippo index hippo/sample/corpus.jsonl"
$HIPPO index hippo/sample/corpus.jsonl
echo
echo "== hippo stats"
$HIPPO stats
echo
echo '== hippo query "In which town was the author of The Glass Orchard born?"'
$HIPPO query "In which town was the author of The Glass Orchard born?" --top-k 5
echo
echo '== hippo ask "In which town was the author of The Glass Orchard born?"'
$HIPPO ask "In which town was the author of The Glass Orchard born?"
if $HIPPO synth --help >/dev/null 2>&1; then
  echo
  echo "== hippo synth --mode multi_hop --budget 5 (offline templates) -o .hippo/demo-qa.jsonl"
  $HIPPO synth --mode multi_hop --partition khop --budget 5 --format alpaca --overwrite -o .hippo/demo-qa.jsonl
  head -n 2 .hippo/demo-qa.jsonl
  echo
  echo "== hippo synth report .hippo/demo-qa.jsonl"
  $HIPPO synth report .hippo/demo-qa.jsonl
fi
