#!/usr/bin/env bash
# Set up, start a local Neo4j 5.26 server (no Docker needed), run the whole test suite against
# both stores, stop the server. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# lint and strict types first: both are configured in pyproject.toml and take seconds
echo "test: ruff check . && mypy"
.venv/bin/ruff check .
.venv/bin/mypy

# the graph explorer's browser test drives Debian's headless Chromium; install it where we can
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test: installing chromium for the browser test"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
      || echo "test: could not install chromium; the browser test will be skipped" >&2
  else
    echo "test: chromium not found; the browser test will be skipped (apt-get install chromium chromium-driver)" >&2
  fi
fi

started_neo4j=0
if [ -z "${HIPPO_TEST_NEO4J_URI:-}" ]; then
  echo "test: starting a local Neo4j server (the first start fetches its jars from Maven Central)"
  bash docker/neo4j-local.sh start
  started_neo4j=1
  export HIPPO_TEST_NEO4J_URI="$(cat .neo4j/uri)"
  export HIPPO_TEST_NEO4J_USER="neo4j"
  export HIPPO_TEST_NEO4J_PASSWORD="${HIPPO_TEST_NEO4J_PASSWORD:-hippo-test-password}"
fi
cleanup() { if [ "$started_neo4j" = 1 ]; then bash docker/neo4j-local.sh stop || true; fi; }
trap cleanup EXIT

echo "test: Neo4j at $HIPPO_TEST_NEO4J_URI"
.venv/bin/python -m pytest -q -ra --durations=15 "$@"
