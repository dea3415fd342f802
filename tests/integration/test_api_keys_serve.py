"""`hippo serve` with a keys file, as a user starts it: the start-up line says how many keys were
read and their namespace scopes (never a secret), and the keys work over real HTTP exactly as
written — a ',' or ':' inside a secret is part of it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.ports import free_port

FULL = "token=with,comma-0123456789"
SCOPED = "sk-abc:def123-0123456789"


def test_serve_reads_a_keys_file_whole_and_says_what_it_read(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    keys.write_text(f"{FULL}\n{SCOPED} namespaces=docs\n", encoding="utf-8")
    port = free_port()
    env = {**os.environ, "HIPPO_API_KEYS_FILE": str(keys), "HF_HUB_OFFLINE": "1"}
    env.pop("HIPPO_API_KEYS", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "hippo.interfaces.cli.main", "serve", "--no-warm", "--port", str(port),
         "--store", f"sqlite:///{tmp_path / 'k.db'}"],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env, cwd=tmp_path,
    )
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline()
        assert first == f"hippo: 2 API keys read from HIPPO_API_KEYS_FILE ({keys}): 1 for every namespace, 1 for docs\n"
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{url}/health", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        stats = "/v1/namespaces/{ns}/stats"
        assert httpx.get(url + stats.format(ns="any"), headers={"X-API-Key": FULL}).status_code == 200
        assert httpx.get(url + stats.format(ns="any"), headers={"X-API-Key": "token=with"}).status_code == 401
        assert httpx.get(url + stats.format(ns="docs"), headers={"X-API-Key": SCOPED}).status_code == 200
        assert httpx.get(url + stats.format(ns="def123"), headers={"X-API-Key": SCOPED}).status_code == 403
        assert httpx.get(url + stats.format(ns="docs"), headers={"X-API-Key": "sk-abc"}).status_code == 401
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert FULL not in err and SCOPED not in err
