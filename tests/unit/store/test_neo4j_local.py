"""LocalNeo4j without a server: the Browser URL comes from the launcher's log, and a taken HTTP
port is refused before anything is built or started."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from hippo.errors import UserError
from hippo.store.neo4j_local import LocalNeo4j
from tests.support.ports import free_port


def test_browser_url_is_read_from_the_launcher_log(tmp_path: Path) -> None:
    server = LocalNeo4j(tmp_path, free_port())
    assert server.browser_url() is None  # no log yet
    server.log_file.write_text("READY bolt://127.0.0.1:7687 auth=on\n")
    assert server.browser_url() is None  # started without an HTTP port
    server.log_file.write_text("some log line\nBROWSER http://127.0.0.1:7474/browser/\nREADY bolt://x auth=on\n")
    assert server.browser_url() == "http://127.0.0.1:7474/browser/"


def test_a_taken_http_port_is_refused(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        http_port = taken.getsockname()[1]
        server = LocalNeo4j(tmp_path / "data", free_port())
        with pytest.raises(UserError, match=f"HTTP port {http_port} is already in use"):
            server.start("a-password", http_port=http_port)
    assert not (tmp_path / "data").exists()  # refused before anything was created


@pytest.mark.parametrize("flag, value", [("--http-port", "99999"), ("--port", "0"), ("--port", "bolt")])
def test_a_bad_port_is_a_usage_error_before_anything_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str, value: str
) -> None:
    from hippo.interfaces.cli.main import main

    with pytest.raises(SystemExit) as stopped:
        main(["neo4j", "start", "--data-dir", str(tmp_path / "data"), flag, value])
    assert stopped.value.code == 2
    assert f"argument {flag}:" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()
