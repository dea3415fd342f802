"""Two `hippo neo4j start` at once on one data directory — what a fresh machine does when two
shells start the server while the launcher's jars are still being fetched and built. Both must
end with the URI as their last line, and one server must run (not two fighting over one store)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from hippo.store.neo4j_local import LocalNeo4j
from tests.conftest import Neo4jTarget
from tests.support.ports import free_port, hippo_neo4j

PASSWORD = "race-test-password"


def test_two_starts_at_once_share_one_server(neo4j_target: Neo4jTarget, tmp_path: Path) -> None:
    # neo4j_target only gates the test: it runs where Neo4j tests are expected (Java + Maven)
    data, port = tmp_path / "neo4j", free_port()
    args = ["neo4j", "start", "--data-dir", str(data), "--port", str(port), "--heap", "512m", "--timeout", "300"]
    env = {**os.environ, "HIPPO_NEO4J_PASSWORD": PASSWORD}
    procs = [
        subprocess.Popen([sys.executable, "-m", "hippo.interfaces.cli.main", *args], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env)
        for _ in range(2)
    ]
    try:
        results = [(p.wait(timeout=900), *p.communicate()) for p in procs]
        for code, out, err in results:
            assert code == 0, err
            assert out.strip().splitlines()[-1] == f"bolt://127.0.0.1:{port}", (out, err)
            assert "\x1b" not in out + err  # no terminal escapes from a build in the output
        assert sum("already running" in err for _, _, err in results) == 1, [err for _, _, err in results]
        server = LocalNeo4j(data, port)
        pid = server.pid()
        assert pid is not None and server.port_open()
        assert _launchers_on(data) == [pid]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
        hippo_neo4j(PASSWORD, "stop", "--data-dir", str(data), "--port", str(port))
        for stray in _launchers_on(data):  # a second server, had both starts launched one
            os.kill(stray, signal.SIGKILL)


def _launchers_on(data: Path) -> list[int]:
    """Pids of launcher processes serving this data directory."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0") if entry.isdigit() else []
        except OSError:
            continue
        if b"hippo.launcher.Neo4jLauncher" in cmdline and str(data.resolve()).encode() in cmdline:
            found.append(int(entry))
    return found
