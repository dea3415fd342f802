"""Load benchmark of the HTTP API: concurrent queries from this process against a `hippo serve`
running in another process (started here on loopback unless --url is given).

Reports throughput, latency percentiles and errors to benchmarks/results/api_load.json. A run
indexes the bundled sample corpus through the API first, then sends the sample questions round
robin from --concurrency threads, each with its own HTTP connection.

Usage:
    python -m hippo.bench.runs.api_load [--requests 400] [--concurrency 8] [--mode hipporag2]
        [--url http://127.0.0.1:8000 --key KEY] [--out benchmarks/results/api_load.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from hippo.retrieve.policies.registry import DEFAULT_MODE, MODES

SAMPLE = Path(__file__).resolve().parents[2] / "sample"  # the package's bundled sample corpus
NAMESPACE = "loadtest"
KEY = "bench-key-0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "HIPPO_API_KEYS": KEY, "HF_HUB_OFFLINE": "1"}
    log = open(workdir / "server.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "hippo.interfaces.cli.main", "serve", "--port", str(port), "--store", f"sqlite:///{workdir / 'bench.db'}"],
        cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited; see {workdir / 'server.log'}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("the server did not come up within 300 s")


def index_sample(client: httpx.Client) -> dict[str, Any]:
    docs = [json.loads(line) for line in (SAMPLE / "corpus.jsonl").read_text().splitlines() if line.strip()]
    body = {"documents": [{"id": d["id"], "title": d.get("title", ""), "text": d["text"]} for d in docs], "replace": True}
    response = client.post(f"/v1/namespaces/{NAMESPACE}/documents", json=body)
    response.raise_for_status()
    job_id = response.json()["job_id"]
    while True:
        job: dict[str, Any] = client.get(f"/v1/jobs/{job_id}").json()
        if job["status"] in ("succeeded", "failed"):
            if job["status"] == "failed":
                raise RuntimeError(f"indexing failed: {job['error']}")
            return job
        time.sleep(0.2)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def run_load(url: str, key: str, questions: list[str], total: int, concurrency: int, mode: str) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(total))

    def worker() -> None:
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=120) as client:
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                body = {"query": questions[i % len(questions)], "top_k": 5, "mode": mode}
                t0 = time.perf_counter()
                try:
                    response = client.post(f"/v1/namespaces/{NAMESPACE}/query", json=body)
                    ok = response.status_code == 200 and bool(response.json()["hits"])
                    problem = None if ok else f"{response.status_code}: {response.text[:200]}"
                except httpx.HTTPError as exc:
                    problem = f"{type(exc).__name__}: {exc}"
                elapsed = time.perf_counter() - t0
                with lock:
                    latencies.append(elapsed)
                    if problem:
                        errors.append(problem)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_examples": errors[:5],
        "seconds": round(wall, 3),
        "throughput_rps": round(len(latencies) / wall, 2) if wall else None,
        "latency_ms": {
            "p50": round(percentile(latencies, 0.50) * 1000, 1),
            "p95": round(percentile(latencies, 0.95) * 1000, 1),
            "p99": round(percentile(latencies, 0.99) * 1000, 1),
            "max": round(max(latencies) * 1000, 1) if latencies else None,
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--mode", default=DEFAULT_MODE, choices=MODES)
    parser.add_argument("--url", help="an already running server (then --key; the sample is indexed into 'loadtest')")
    parser.add_argument("--key", default=KEY)
    parser.add_argument("--out", default="benchmarks/results/api_load.json")
    args = parser.parse_args()

    questions = [q["question"] for q in json.loads((SAMPLE / "questions.json").read_text())]
    with tempfile.TemporaryDirectory(prefix="hippo-load-") as tmp:
        proc = None
        url = args.url
        if url is None:
            proc, url = start_server(Path(tmp))
        try:
            with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {args.key}"}, timeout=300) as client:
                job = index_sample(client)
            run_load(url, args.key, questions, min(20, args.requests), 2, args.mode)  # warm-up: snapshot, caches
            result = run_load(url, args.key, questions, args.requests, args.concurrency, args.mode)
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
    report = {
        "benchmark": "api_load",
        "store": "sqlite (server started by the benchmark)" if args.url is None else args.url,
        "mode": args.mode,
        "concurrency": args.concurrency,
        "questions": len(questions),
        "indexing_seconds": round(job["finished"] - job["started"], 2),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        **result,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
