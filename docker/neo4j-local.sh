#!/usr/bin/env bash
# Start, stop or inspect a local Neo4j 5.26 Community server without Docker (for tests, CI and
# development). Needs Java 17+ and Maven; the first start downloads Neo4j's jars from Maven Central
# into ~/.m2 and builds docker/neo4j-launcher once, later starts are a plain `java -cp`.
#
#   bash docker/neo4j-local.sh start    # prints the Bolt URI as its last line, writes it to $DIR/uri
#   bash docker/neo4j-local.sh stop
#   bash docker/neo4j-local.sh status   # exit 0 and the URI when running, exit 1 otherwise
#
# Settings (environment):
#   NEO4J_LOCAL_DIR       data directory            (default: <repo>/.neo4j)
#   NEO4J_LOCAL_PORT      Bolt port on 127.0.0.1    (default: 7687)
#   NEO4J_LOCAL_PASSWORD  password of user neo4j    (default: hippo-test-password; "" = auth off)
#   NEO4J_LOCAL_HEAP      JVM max heap              (default: 1g)
#   NEO4J_LOCAL_PAGECACHE page cache size           (default: 256m)
#   NEO4J_LOCAL_TIMEOUT   seconds to wait for Bolt  (default: 120)
#   NEO4J_LOCAL_HTTP_PORT HTTP port on 127.0.0.1 for the HTTP API and Neo4j Browser
#                         (default: empty = Bolt only); the Browser URL is printed on start
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
launcher="$here/neo4j-launcher"
dir="${NEO4J_LOCAL_DIR:-$repo/.neo4j}"
port="${NEO4J_LOCAL_PORT:-7687}"
password="${NEO4J_LOCAL_PASSWORD-hippo-test-password}"
heap="${NEO4J_LOCAL_HEAP:-1g}"
pagecache="${NEO4J_LOCAL_PAGECACHE:-256m}"
timeout="${NEO4J_LOCAL_TIMEOUT:-120}"
http_port="${NEO4J_LOCAL_HTTP_PORT:-}"
pidfile="$dir/neo4j.pid"
logfile="$dir/launcher.log"
uri="bolt://127.0.0.1:$port"

say() { echo "neo4j-local: $*" >&2; }

# The pid file's process, if it is alive and really our launcher (pids get reused).
running_pid() {
  [[ -f "$pidfile" ]] || return 1
  local pid
  pid="$(cat "$pidfile")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'hippo.launcher.Neo4jLauncher' || return 1
  echo "$pid"
}

# The Browser URL the launcher logged, if it was started with an HTTP port.
browser_hint() {
  local url
  url="$(sed -n 's/^BROWSER //p' "$logfile" 2>/dev/null | tail -n 1)"
  [[ -n "$url" ]] && say "Neo4j Browser: $url (connect to $uri, user neo4j)"
  return 0
}

bolt_open() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

build() {
  # one build at a time (two starts on a fresh machine would build into one folder at once)
  exec 8>"$launcher/.build.lock"
  flock 8
  if [[ ! -f "$launcher/target/neo4j-launcher.jar" || ! -d "$launcher/target/lib" \
        || "$launcher/pom.xml" -nt "$launcher/target/neo4j-launcher.jar" ]]; then
    say "building the launcher (first run downloads Neo4j from Maven Central)"
    mvn -B -q --no-transfer-progress -f "$launcher/pom.xml" package >&2
  fi
  flock -u 8
}

start() {
  # starts of one data directory run one at a time; a second one then finds the server running
  mkdir -p "$dir"
  exec 9>"$dir/start.lock"
  flock 9
  if pid="$(running_pid)"; then
    say "already running (pid $pid)"
    browser_hint
    echo "$uri"
    return 0
  fi
  if bolt_open; then
    say "port $port is already taken by another process; set NEO4J_LOCAL_PORT"
    return 1
  fi
  if [[ -n "$http_port" ]] && (exec 3<>"/dev/tcp/127.0.0.1/$http_port") 2>/dev/null; then
    say "HTTP port $http_port is already taken by another process; set NEO4J_LOCAL_HTTP_PORT"
    return 1
  fi
  local http_args=()
  [[ -n "$http_port" ]] && http_args=(--http-port "$http_port")
  build
  mkdir -p "$dir"
  rm -f "$dir/uri"
  NEO4J_LAUNCHER_PASSWORD="$password" nohup java -Xms256m "-Xmx$heap" -XX:+UseG1GC \
    -XX:+ExitOnOutOfMemoryError \
    -cp "$launcher/target/neo4j-launcher.jar:$launcher/target/lib/*" hippo.launcher.Neo4jLauncher \
    --data-dir "$dir" --port "$port" --page-cache "$pagecache" "${http_args[@]}" >"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
  local waited=0
  until grep -q '^READY ' "$logfile" 2>/dev/null && bolt_open; do
    if ! running_pid >/dev/null; then
      say "the server exited during start; last lines of $logfile:"
      tail -n 20 "$logfile" >&2
      rm -f "$pidfile"
      return 1
    fi
    if ((waited >= timeout)); then
      say "no Bolt answer on $uri after ${timeout}s; see $logfile"
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  echo "$uri" >"$dir/uri"
  say "started (pid $(cat "$pidfile"), data in $dir, log in $logfile)"
  browser_hint
  echo "$uri"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    say "not running"
    rm -f "$pidfile" "$dir/uri"
    return 0
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "no clean shutdown after 60s; killing pid $pid"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile" "$dir/uri"
  say "stopped"
}

status() {
  local pid
  if pid="$(running_pid)" && bolt_open; then
    say "running (pid $pid, data in $dir)"
    echo "$uri"
    return 0
  fi
  say "not running"
  return 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
