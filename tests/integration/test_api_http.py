"""The HTTP API over real HTTP (uvicorn on loopback, httpx), against SQLite and — when
HIPPO_TEST_NEO4J_URI is set — Neo4j. One server per backend, indexed once with the bundled sample
corpus through the API itself."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from hippo.interfaces.api import create_app
from hippo.interfaces.cli.main import main
from hippo.memory import Memory
from hippo.retrieve.policies.registry import DEFAULT_MODE
from hippo.types import Document
from hippo.validation import MAX_METADATA_DEPTH
from tests.conftest import neo4j_target_from_env
from tests.support.live_server import LiveServer, wait_for_job

SAMPLE = Path(__file__).resolve().parents[2] / "hippo" / "sample" / "corpus.jsonl"
QUESTION = "In which town was the author of The Glass Orchard born?"
FINAL_HOP_DOC = "maren-tolvik"
ADMIN_KEY, SCOPED_KEY = "admin-key-0123456789", "scoped-key-0123456789"
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
MAX_BODY = 200_000
MAX_DOCS = 20


def sample_documents() -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in SAMPLE.read_text().splitlines() if line.strip()]
    return [{"id": r["id"], "title": r.get("title", ""), "text": r["text"]} for r in rows]


@dataclass
class Api:
    client: httpx.Client
    ns: str  # indexed with the sample corpus
    spare: str  # free for tests that write
    memory: Memory
    index_job: dict[str, Any]
    backend: str

    def scoped(self) -> dict[str, str]:
        return {"X-API-Key": SCOPED_KEY}


def _memory(backend: str, tmp: Path) -> Memory:
    if backend == "sqlite":
        return Memory(store=f"sqlite:///{tmp / 'api.db'}", cache_dir=str(tmp / "cache"))
    target = neo4j_target_from_env()
    if target is None:
        pytest.skip("HIPPO_TEST_NEO4J_URI is not set")
    return Memory(store=target.uri, neo4j_user=target.user, neo4j_password=target.password,
                  cache_dir=str(tmp / "cache"))


@pytest.fixture(scope="module", params=["sqlite", "neo4j"])
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    tmp = tmp_path_factory.mktemp(f"api-{request.param}")
    run = uuid.uuid4().hex[:8]
    ns, spare = f"sample-{run}", f"spare-{run}"
    memory = _memory(request.param, tmp)
    settings = memory.settings.replace(
        api_keys=json.dumps([ADMIN_KEY, {"key": SCOPED_KEY, "namespaces": [ns, "elsewhere"]}]), api_max_body_bytes=MAX_BODY, api_max_documents=MAX_DOCS,
    )
    app = create_app(settings, memory)
    try:
        with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=120) as client:
            accepted = client.post(f"/v1/namespaces/{ns}/documents", json={"documents": sample_documents()}, headers=ADMIN)
            assert accepted.status_code == 202, accepted.text
            job = wait_for_job(client, accepted.json()["job_id"], ADMIN)
            yield Api(client, ns, spare, memory, job, request.param)
    finally:
        for name in (ns, spare, f"{spare}-ref"):
            memory.store.drop_namespace(name)
        memory.close()


def test_health_needs_no_key(api: Api) -> None:
    response = api.client.get("/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_ready_reports_the_store(api: Api) -> None:
    response = api.client.get("/ready", headers=ADMIN)
    assert response.status_code == 200 and response.json()["status"] == "ready"


def test_indexing_job_reports_progress_and_result(api: Api) -> None:
    job = api.index_job
    assert job["status"] == "succeeded", job["error"]
    assert job["result"]["documents_added"] == 16 and not job["result"]["failed_passages"]
    assert job["progress"]["total"] > 0 and job["progress"]["done"] == job["progress"]["total"]
    assert job["kind"] == "index" and job["namespace"] == api.ns and job["error"] is None


def test_query_finds_the_final_hop_and_explains_it(api: Api) -> None:
    response = api.client.post(f"/v1/namespaces/{api.ns}/query", json={"query": QUESTION, "top_k": 5}, headers=ADMIN)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"query", "mode", "hits", "explanation"} and body["mode"] == DEFAULT_MODE
    assert FINAL_HOP_DOC in [h["doc_id"] for h in body["hits"]]
    assert {"linked_facts", "seed_entities", "top_entities_by_ppr"} <= set(body["explanation"])
    dense = api.client.post(f"/v1/namespaces/{api.ns}/query", json={"query": QUESTION, "mode": "dense", "top_k": 2},
                            headers=ADMIN).json()
    assert dense["mode"] == "dense" and len(dense["hits"]) == 2


def test_stats_and_namespace_list_respect_the_key_scope(api: Api) -> None:
    stats = api.client.get(f"/v1/namespaces/{api.ns}/stats", headers=api.scoped()).json()
    assert stats["documents"] == 16 and stats["facts"] > 0 and stats["namespace"] == api.ns
    everything = api.client.get("/v1/namespaces", headers=ADMIN).json()["namespaces"]
    scoped = api.client.get("/v1/namespaces", headers=api.scoped()).json()["namespaces"]
    assert api.ns in everything and scoped == [api.ns]


def test_subgraph_around_an_entity_and_a_passage(api: Api) -> None:
    result = api.client.post(f"/v1/namespaces/{api.ns}/query", json={"query": QUESTION}, headers=ADMIN).json()
    seed = result["explanation"]["seed_entities"][0]["entity_id"]
    around = api.client.get(f"/v1/namespaces/{api.ns}/subgraph", params={"entity": seed, "hops": 2}, headers=ADMIN)
    assert around.status_code == 200, around.text
    graph = around.json()
    entity_ids = {e["id"] for e in graph["entities"]}
    assert seed in entity_ids and graph["facts"] and graph["passages"]
    assert all(f["subject_id"] in entity_ids and f["object_id"] in entity_ids for f in graph["facts"])
    passage_ids = {p["id"] for p in graph["passages"]}
    assert all(p in passage_ids and e in entity_ids for p, e in graph["mentions"])

    passage = result["hits"][0]["passage_id"]
    by_passage = api.client.get(f"/v1/namespaces/{api.ns}/subgraph", params={"passage": passage}, headers=ADMIN).json()
    assert by_passage["center"] == passage and by_passage["passages"][0]["id"] == passage
    assert any(p == passage for p, _ in by_passage["mentions"])

    missing = api.client.get(f"/v1/namespaces/{api.ns}/subgraph", params={"entity": "ent-nope"}, headers=ADMIN)
    assert missing.status_code == 404 and "ent-nope" in missing.json()["detail"]
    neither = api.client.get(f"/v1/namespaces/{api.ns}/subgraph", headers=ADMIN)
    assert neither.status_code == 422 and "exactly one" in neither.json()["detail"]


def test_put_replaces_and_delete_removes_a_document(api: Api) -> None:
    url = f"/v1/namespaces/{api.spare}/documents/note-1"
    first = wait_for_job(api.client, api.client.put(url, json={"title": "Note", "text": "Ilsa Varn painted the Harbour Gate mural in Quellport."},
                                                    headers=ADMIN).json()["job_id"], ADMIN)
    assert first["status"] == "succeeded" and first["result"]["documents_added"] == 1
    second = wait_for_job(api.client, api.client.put(url, json={"title": "Note", "text": "Ilsa Varn restored the old lighthouse of Brenmoor."},
                                                     headers=ADMIN).json()["job_id"], ADMIN)
    assert second["status"] == "succeeded" and second["result"]["documents_replaced"] == 1
    hits = api.client.post(f"/v1/namespaces/{api.spare}/query", json={"query": "What did Ilsa Varn restore?"},
                           headers=ADMIN).json()["hits"]
    assert [h["doc_id"] for h in hits] == ["note-1"] and "lighthouse" in hits[0]["text"]

    deleted = api.client.delete(url, headers=ADMIN)
    assert deleted.status_code == 200 and deleted.json()["deleted"] == 1
    assert api.client.delete(url, headers=ADMIN).status_code == 404
    stats = api.client.get(f"/v1/namespaces/{api.spare}/stats", headers=ADMIN).json()
    assert stats["documents"] == 0 and stats["entities"] == 0 and stats["facts"] == 0


def _routes(ns: str) -> list[tuple[str, str, dict[str, Any] | None]]:
    base = f"/v1/namespaces/{ns}"
    return [
        ("POST", f"{base}/documents", {"documents": [{"id": "d", "text": "x"}]}),
        ("PUT", f"{base}/documents/d", {"text": "x"}),
        ("DELETE", f"{base}/documents/d", None),
        ("POST", f"{base}/query", {"query": "who?"}),
        ("POST", f"{base}/synthesize", {"mode": "atomic", "budget": 1}),
        ("GET", f"{base}/stats", None),
        ("GET", f"{base}/subgraph?entity=ent-x", None),
    ]


def test_every_route_but_health_needs_a_valid_key(api: Api) -> None:
    job_url = f"/v1/jobs/{api.index_job['job_id']}"
    routes = [*_routes(api.ns), ("GET", "/v1/namespaces", None), ("GET", "/ready", None), ("GET", job_url, None),
              ("GET", f"{job_url}/output", None)]
    for method, url, body in routes:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"X-API-Key": "wrong"}, {"Authorization": f"Basic {ADMIN_KEY}"}):
            response = api.client.request(method, url, json=body, headers=headers)
            assert response.status_code == 401, (method, url, headers, response.text)
            assert "key" in response.json()["detail"]


def test_a_scoped_key_gets_403_outside_its_namespaces(api: Api) -> None:
    for method, url, body in _routes(api.spare):
        response = api.client.request(method, url, json=body, headers=api.scoped())
        assert response.status_code == 403, (method, url, response.text)
        assert api.spare in response.json()["detail"]
    job = api.client.put(f"/v1/namespaces/{api.spare}/documents/scoped", json={"text": "Odo Brask sailed to Vell."},
                         headers=ADMIN).json()["job_id"]
    assert api.client.get(f"/v1/jobs/{job}", headers=api.scoped()).status_code == 404  # as if it did not exist
    assert api.client.get(f"/v1/jobs/{job}/output", headers=api.scoped()).status_code == 404
    wait_for_job(api.client, job, ADMIN)
    api.client.delete(f"/v1/namespaces/{api.spare}/documents/scoped", headers=ADMIN)
    # inside its scope the same key works, sent either way
    ok = api.client.post(f"/v1/namespaces/{api.ns}/query", json={"query": QUESTION}, headers={"Authorization": f"Bearer {SCOPED_KEY}"})
    assert ok.status_code == 200


def test_limits_answer_413_and_422_with_readable_messages(api: Api) -> None:
    url = f"/v1/namespaces/{api.spare}/documents"
    big = api.client.post(url, json={"documents": [{"id": "big", "text": "word " * (MAX_BODY // 4)}]}, headers=ADMIN)
    assert big.status_code == 413 and "larger than the limit" in big.json()["detail"]
    many = api.client.post(url, json={"documents": [{"id": str(i), "text": "x"} for i in range(MAX_DOCS + 1)]}, headers=ADMIN)
    assert many.status_code == 413 and f"the limit is {MAX_DOCS}" in many.json()["detail"]
    twice = api.client.post(url, json={"documents": [{"id": "a", "text": "x"}, {"id": "a", "text": "y"}]}, headers=ADMIN)
    assert twice.status_code == 422 and "more than once" in twice.json()["detail"]
    empty = api.client.post(url, json={"documents": []}, headers=ADMIN)
    assert empty.status_code == 422 and empty.json()["detail"].startswith("documents:")

    query = f"/v1/namespaces/{api.ns}/query"
    long = api.client.post(query, json={"query": "x" * 2001}, headers=ADMIN)
    assert long.status_code == 422 and long.json()["detail"] == "query: String should have at most 2000 characters"
    for top_k in (0, 101):
        bad = api.client.post(query, json={"query": "who?", "top_k": top_k}, headers=ADMIN)
        assert bad.status_code == 422 and bad.json()["detail"].startswith("top_k:")
    blank = api.client.post(query, json={"query": "   "}, headers=ADMIN)
    assert blank.status_code == 422 and blank.json()["detail"] == "the query is empty"
    mode = api.client.post(query, json={"query": "who?", "mode": "magic"}, headers=ADMIN)
    assert mode.status_code == 422 and "mode" in mode.json()["detail"]
    bad_ns = api.client.post("/v1/namespaces/no%20spaces/query", json={"query": "who?"}, headers=ADMIN)
    assert bad_ns.status_code == 422 and bad_ns.json()["detail"].startswith("namespace 'no spaces' is not valid")
    not_json = api.client.post(query, content=b"{", headers={**ADMIN, "content-type": "application/json"})
    assert not_json.status_code == 422


def test_synthesis_job_writes_a_downloadable_jsonl(api: Api) -> None:
    accepted = api.client.post(f"/v1/namespaces/{api.ns}/synthesize",
                               json={"mode": "atomic", "budget": 3, "generator": "template"}, headers=ADMIN)
    assert accepted.status_code == 202, accepted.text
    job = wait_for_job(api.client, accepted.json()["job_id"], ADMIN)
    assert job["status"] == "succeeded", job["error"]
    output = api.client.get(job["result"]["output_url"], headers=ADMIN)
    assert output.status_code == 200
    records = [json.loads(line) for line in output.text.splitlines()]
    assert 1 <= len(records) == job["result"]["written"] <= 3 and "path" not in job["result"]
    assert all(r["meta"]["provenance"]["passage_ids"] for r in records)
    unknown = api.client.post(f"/v1/namespaces/{api.ns}/synthesize", json={"mode": "nonsense"}, headers=ADMIN)
    assert unknown.status_code == 422 and "unknown mode" in unknown.json()["detail"]


def test_synthesis_job_with_a_filter_and_a_recipe_knob_writes_what_the_cli_writes(
    api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    body = {"mode": "entigraph", "entigraph_pairs": 2, "entigraph_triples": 0, "filters": ["format", "faithfulness"],
            "generator": "template", "score": False, "budget": 8}
    accepted = api.client.post(f"/v1/namespaces/{api.ns}/synthesize", json=body, headers=ADMIN)
    assert accepted.status_code == 202, accepted.text
    job = wait_for_job(api.client, accepted.json()["job_id"], ADMIN)
    assert job["status"] == "succeeded", job["error"]
    via_api = [json.loads(line) for line in api.client.get(job["result"]["output_url"], headers=ADMIN).text.splitlines()]

    settings = api.memory.settings
    for name in ("cache_dir", "neo4j_user", "neo4j_password"):
        monkeypatch.setenv(f"HIPPO_{name.upper()}", str(getattr(settings, name)))
    out = tmp_path / "cli.jsonl"
    where = ["--store", settings.store, "--namespace", api.ns]
    capsys.readouterr()
    assert main(["synth", "--mode", "entigraph", "--entigraph-pairs", "2", "--entigraph-triples", "0", "--filters",
                 "format,faithfulness", "--generator", "template", "--no-score", "--budget", "8", "-o", str(out),
                 *where, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    via_cli = [json.loads(line) for line in out.read_text().splitlines()]
    assert via_api == via_cli and 1 <= len(via_cli) <= 8
    assert summary["written"] == job["result"]["written"] and summary["rejections"] == job["result"]["rejections"]
    # the knob took effect (pairs only, at most two a document) and so did the filters
    assert {r["meta"]["relation"] for r in via_cli} == {"pair"} and all(set(r["meta"]["scores"]) == {"format", "faithfulness"} for r in via_cli)
    per_doc: dict[str, int] = {}
    for r in via_cli:
        per_doc[r["meta"]["doc_id"]] = per_doc.get(r["meta"]["doc_id"], 0) + 1
    assert max(per_doc.values()) <= 2

    # a knob of another mode is refused by both, in the same words
    wrong = api.client.post(f"/v1/namespaces/{api.ns}/synthesize", json={"mode": "atomic", "entigraph_pairs": 2}, headers=ADMIN)
    assert wrong.status_code == 422
    assert main(["synth", "--mode", "atomic", "--entigraph-pairs", "2", "-o", str(tmp_path / "x.jsonl"), *where]) == 1
    assert wrong.json()["detail"] in capsys.readouterr().err
    assert wrong.json()["detail"] == "entigraph_pairs is an option of mode entigraph, not of mode atomic"


def test_queries_are_answered_while_two_jobs_write_one_namespace(api: Api) -> None:
    docs = sample_documents()
    ns = api.spare
    jobs = [
        api.client.post(f"/v1/namespaces/{ns}/documents", json={"documents": half}, headers=ADMIN).json()["job_id"]
        for half in (docs[:8], docs[8:])
    ]
    answered: list[int] = []
    stop = threading.Event()

    def keep_querying() -> None:
        with httpx.Client(base_url=str(api.client.base_url), timeout=60) as client:
            while not stop.is_set():
                answered.append(client.post(f"/v1/namespaces/{api.ns}/query", json={"query": QUESTION}, headers=ADMIN).status_code)

    reader = threading.Thread(target=keep_querying)
    reader.start()
    try:
        finished = [wait_for_job(api.client, job, ADMIN) for job in jobs]
    finally:
        stop.set()
        reader.join()
    assert [j["status"] for j in finished] == ["succeeded", "succeeded"], [j["error"] for j in finished]
    assert answered and set(answered) == {200}
    first, second = sorted(finished, key=lambda j: j["started"])
    assert second["started"] >= first["finished"]  # one writer at a time per namespace
    # the namespace equals one written in a single pass: nothing lost, nothing doubled
    reference = api.memory.with_namespace(f"{ns}-ref")
    reference.add_documents(
        [Document(**d) for d in docs]
    )
    assert api.memory.with_namespace(ns).fingerprint() == reference.fingerprint()
    for doc in docs:
        assert api.client.delete(f"/v1/namespaces/{ns}/documents/{doc['id']}", headers=ADMIN).status_code == 200


def test_unknown_job_is_404(api: Api) -> None:
    response = api.client.get(f"/v1/jobs/{uuid.uuid4().hex}", headers=ADMIN)
    assert response.status_code == 404 and "no job" in response.json()["detail"]



def test_deeply_nested_bodies_are_refused_with_a_reason(api: Api) -> None:
    url = f"/v1/namespaces/{api.spare}/documents"
    json_headers = {**ADMIN, "content-type": "application/json"}
    brackets = api.client.post(url, content=b"[" * 100_000, headers=json_headers)
    assert brackets.status_code == 400 and "nested too deeply" in brackets.json()["detail"], brackets.text
    deep = '{"documents": [{"id": "d", "text": "t", "metadata": ' + '{"a": ' * 1000 + "1" + "}" * 1000 + "}]}"
    refused = api.client.post(url, content=deep.encode(), headers=json_headers)
    assert refused.status_code == 400 and "nested too deeply" in refused.json()["detail"], refused.text
    nested: dict[str, Any] = {"leaf": 1}
    for _ in range(MAX_METADATA_DEPTH):
        nested = {"a": nested}
    over = api.client.put(f"{url}/over", json={"text": "Odo Brask sailed to Vell.", "metadata": nested}, headers=ADMIN)
    assert over.status_code == 422 and f"the limit is {MAX_METADATA_DEPTH}" in over.json()["detail"], over.text
    # the server is unharmed: the next good request is answered
    assert api.client.get(f"/v1/namespaces/{api.ns}/stats", headers=ADMIN).status_code == 200
