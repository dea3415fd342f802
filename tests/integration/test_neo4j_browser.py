"""`hippo neo4j start --http-port N` serves the HTTP API and Neo4j Browser next to Bolt, on a
private server (its own data directory and ports); without the flag only Bolt listens."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

from hippo.store.neo4j_local import LocalNeo4j
from tests.conftest import Neo4jTarget
from tests.support.ports import free_port, hippo_neo4j

PASSWORD = "browser-test-password"


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
        return response.status, response.read().decode("utf-8", errors="replace")


def test_start_with_http_port_serves_the_browser(neo4j_target: Neo4jTarget, tmp_path: Path) -> None:
    # neo4j_target only gates the test: it runs where Neo4j tests are expected (Java + Maven)
    data, port, http_port = tmp_path / "neo4j", free_port(), free_port()
    server = LocalNeo4j(data, port)
    started = hippo_neo4j(PASSWORD, "start", "--data-dir", str(data), "--port", str(port), "--http-port", str(http_port))
    try:
        assert started.returncode == 0, started.stderr
        assert started.stdout.strip().splitlines()[-1] == f"bolt://127.0.0.1:{port}"
        browser = f"http://127.0.0.1:{http_port}/browser/"
        assert f"Neo4j Browser: {browser}" in started.stderr
        assert server.browser_url() == browser

        status, page = _get(browser)
        assert status == 200 and "<title>Neo4j Browser" in page
        # the discovery document the Browser reads tells it where Bolt is
        status, body = _get(f"http://127.0.0.1:{http_port}/")
        assert status == 200 and json.loads(body)["bolt_direct"] == f"bolt://127.0.0.1:{port}"
    finally:
        hippo_neo4j(PASSWORD, "stop", "--data-dir", str(data), "--port", str(port))
    assert server.pid() is None
