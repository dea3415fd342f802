"""Loopback ports and the `hippo neo4j` command for tests that start their own servers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now (bound, read, released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def hippo_neo4j(password: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`hippo neo4j ARGS...` in a child process, as a user runs it, with the server's password."""
    env = {**os.environ, "HIPPO_NEO4J_PASSWORD": password}
    return subprocess.run([sys.executable, "-m", "hippo.interfaces.cli.main", "neo4j", *args], capture_output=True, text=True,
                          env=env, timeout=300)
