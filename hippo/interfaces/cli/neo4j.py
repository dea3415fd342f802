"""`hippo neo4j start|stop|status`: a local Neo4j Community server without Docker."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hippo.config import Settings
from hippo.store.neo4j_local import DEFAULT_HEAP, DEFAULT_PAGE_CACHE, DEFAULT_PORT, LocalNeo4j


def tcp_port(text: str) -> int:
    """An argparse type: a TCP port number, so a typo is a one-line usage error, not a JVM trace."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is outside 1-65535")
    return port


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "neo4j",
        help="run a local Neo4j server (no Docker needed)",
        description="Start, stop or inspect a local Neo4j 5.26 Community server built from Maven "
        "Central (needs Java 17+ and Maven). The password of user neo4j is HIPPO_NEO4J_PASSWORD; "
        "when it is empty the server runs without authentication (it listens on 127.0.0.1 only).",
    )
    actions = parser.add_subparsers(dest="neo4j_action", metavar="ACTION", required=True)
    for name, func, text in (
        ("start", _start, "start in the background; prints the Bolt URI as the last line"),
        ("stop", _stop, "stop the server"),
        ("status", _status, "print the URI and exit 0 when running, exit 1 otherwise"),
    ):
        sub = actions.add_parser(name, help=text)
        sub.add_argument("--data-dir", default=".neo4j", help="data directory (default: ./.neo4j)")
        sub.add_argument("--port", type=tcp_port, default=DEFAULT_PORT, help=f"Bolt port (default: {DEFAULT_PORT})")
        if name == "start":
            sub.add_argument("--heap", default=DEFAULT_HEAP, help=f"JVM max heap (default: {DEFAULT_HEAP})")
            sub.add_argument(
                "--page-cache", default=DEFAULT_PAGE_CACHE, help=f"page cache (default: {DEFAULT_PAGE_CACHE})"
            )
            sub.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for Bolt")
            sub.add_argument(
                "--http-port", type=tcp_port, default=None,
                help="also serve the HTTP API and Neo4j Browser on this port of 127.0.0.1 (default: Bolt only)",
            )
        sub.set_defaults(func=func)


def _server(args: argparse.Namespace, settings: Settings | None = None) -> LocalNeo4j:
    home = settings.neo4j_home if settings else ""
    return LocalNeo4j(data_dir=Path(args.data_dir), port=args.port, launcher_home=home)


def _start(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    server = _server(args, settings)
    password = settings.neo4j_password
    if not password:
        print("note: HIPPO_NEO4J_PASSWORD is empty, so authentication is off", file=sys.stderr)
    uri = server.start(password, heap=args.heap, page_cache=args.page_cache, timeout=args.timeout,
                       http_port=args.http_port, notify=lambda line: print(line, file=sys.stderr, flush=True))
    browser = server.browser_url()
    if browser:
        print(f"Neo4j Browser: {browser} (connect to {uri}, user neo4j)", file=sys.stderr)
    elif args.http_port is not None:
        print("note: the running server has no HTTP port; stop it and start again with --http-port",
              file=sys.stderr)
    print(uri)
    return 0


def _stop(args: argparse.Namespace) -> int:
    print("stopped" if _server(args).stop() else "not running")
    return 0


def _status(args: argparse.Namespace) -> int:
    server = _server(args)
    pid = server.pid()
    if pid is None or not server.port_open():
        print("not running")
        return 1
    print(f"running (pid {pid}, data in {server.data_dir})")
    print(server.uri)
    return 0
