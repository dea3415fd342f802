"""The explorer's routes over real HTTP on loopback, against SQLite and — when HIPPO_TEST_NEO4J_URI
is set — Neo4j: what the page draws, and that keys and scopes apply to them as to every API route
while the static page itself needs no key."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hippo.memory import Memory
from tests.conftest import neo4j_target_from_env
from tests.support.ui_server import explorer_app, serve

SAMPLE = Path(__file__).resolve().parents[2] / "hippo" / "sample" / "corpus.jsonl"
QUESTION = "In which town was the author of The Glass Orchard born?"
NS = f"ui-sample-{uuid.uuid4().hex[:8]}"  # unique, so runs against one Neo4j server do not meet
KEY, SCOPED_KEY = "open-key-0123456789", "scoped-key-0123456789"


@pytest.fixture(scope="module", params=["sqlite", "neo4j"])
def memory(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Memory]:
    tmp = tmp_path_factory.mktemp(f"ui-routes-{request.param}")
    if request.param == "sqlite":
        m = Memory(store=f"sqlite:///{tmp / 'hippo.db'}", namespace=NS, cache_dir=str(tmp / "cache"))
    else:
        target = neo4j_target_from_env()
        if target is None:
            pytest.skip("HIPPO_TEST_NEO4J_URI is not set")
        m = Memory(store=target.uri, neo4j_user=target.user, neo4j_password=target.password, namespace=NS,
                   cache_dir=str(tmp / "cache"))
    with m:
        m.index([SAMPLE])
        try:
            yield m
        finally:
            m.store.drop_namespace(NS)


@pytest.fixture(scope="module")
def client(memory: Memory) -> Iterator[httpx.Client]:
    settings = memory.settings.replace(api_keys=json.dumps([KEY, {"key": SCOPED_KEY, "namespaces": ["other"]}]))
    with serve(explorer_app(memory, settings)) as url, httpx.Client(base_url=url, timeout=60) as c:
        yield c


def _auth(key: str = KEY) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_static_page_and_vendored_library_need_no_key(client: httpx.Client) -> None:
    page = client.get("/ui/")
    assert page.status_code == 200 and "vendor/cytoscape.min.js" in page.text
    library = client.get("/ui/vendor/cytoscape.min.js")
    assert library.status_code == 200 and "Cytoscape Consortium" in library.text[:500]
    assert client.get("/ui/app.js").status_code == 200


def test_explore_routes_need_a_key_in_scope(client: httpx.Client) -> None:
    body = {"query": QUESTION}
    assert client.post(f"/v1/namespaces/{NS}/explore/query", json=body).status_code == 401
    assert client.post(f"/v1/namespaces/{NS}/explore/query", json=body, headers=_auth(SCOPED_KEY)).status_code == 403
    record = {"instruction": "q", "output": "a", "meta": {"provenance": {}}}
    assert client.post(f"/v1/namespaces/{NS}/explore/provenance", json={"record": record}).status_code == 401
    reply = client.post(f"/v1/namespaces/{NS}/explore/query", json=body, headers={"X-API-Key": KEY})
    assert reply.status_code == 200


def test_query_graph_holds_the_chain_from_seed_to_answer(client: httpx.Client) -> None:
    reply = client.post(f"/v1/namespaces/{NS}/explore/query", json={"query": QUESTION, "top_k": 5}, headers=_auth())
    assert reply.status_code == 200
    data = reply.json()
    graph = data["graph"]
    assert graph["ppr"] is True
    nodes = {n["id"]: n for n in graph["nodes"]}
    by_label = {(n["kind"], n["label"]): n for n in graph["nodes"]}
    # every hit is drawn with its rank, every seed is marked, masses are PPR masses
    assert [nodes[h["passage_id"]]["rank"] for h in data["hits"]] == [1, 2, 3, 4, 5]
    assert {s["entity_id"] for s in data["explanation"]["seed_entities"]} <= {
        n["id"] for n in graph["nodes"] if "seed" in n["roles"]}
    assert all(n["mass"] is not None and n["mass"] >= 0 for n in graph["nodes"])
    # the two hops: Glass Orchard -(relation)- Maren Tolvik -(mention)- the Maren Tolvik passage
    tolvik = by_label[("entity", "Maren Tolvik")]
    answer = next(h for h in data["hits"] if h["doc_id"] == "maren-tolvik")
    edges = {(e["kind"], frozenset((e["source"], e["target"]))): e for e in graph["edges"]}
    assert ("mention", frozenset((answer["passage_id"], tolvik["id"]))) in edges
    relation = [e for (kind, ends), e in edges.items() if kind == "relation" and tolvik["id"] in ends]
    assert any(e["marked"] and "seed" in nodes[e["source"]]["roles"] for e in relation)
    assert all(e["label"] and e["text"] for e in relation)  # predicate as label, fact text kept
    for edge in graph["edges"]:  # no edge points outside the drawing
        assert edge["source"] in nodes and edge["target"] in nodes


def test_dense_mode_draws_without_ppr(client: httpx.Client) -> None:
    reply = client.post(f"/v1/namespaces/{NS}/explore/query", json={"query": QUESTION, "mode": "dense"}, headers=_auth())
    graph = reply.json()["graph"]
    assert graph["ppr"] is False and all(n["mass"] is None for n in graph["nodes"])
    assert any(n["kind"] == "entity" for n in graph["nodes"])


def test_provenance_marks_the_record_and_lists_unknown_ids(client: httpx.Client, memory: Memory) -> None:
    snap = memory.snapshot()
    exp = snap.export
    row = next(i for i, t in enumerate(exp.fact_texts) if "Tolvik" in t and "Ostravel" in t)
    fact_id, subject, obj = exp.fact_ids[row], exp.fact_subjects[row], exp.fact_objects[row]
    passage = next(p for p, f in exp.fact_support if f == fact_id)
    record = {
        "messages": [{"role": "user", "content": "Where was Maren Tolvik born?"},
                     {"role": "assistant", "content": "Ostravel"}],
        "meta": {"mode": "atomic", "provenance": {"passage_ids": [passage, "psg-gone"], "fact_ids": [fact_id],
                                                   "entity_ids": [subject, obj]}},
    }
    reply = client.post(f"/v1/namespaces/{NS}/explore/provenance", json={"record": record}, headers=_auth())
    assert reply.status_code == 200
    data = reply.json()
    assert (data["question"], data["answer"]) == ("Where was Maren Tolvik born?", "Ostravel")
    graph = data["graph"]
    highlighted = {n["id"] for n in graph["nodes"] if "provenance" in n["roles"]}
    assert {passage, subject, obj} == highlighted
    assert any(e["marked"] and e.get("fact_id") == fact_id for e in graph["edges"])
    assert any("context" in n["roles"] for n in graph["nodes"])  # what the passage also mentions
    assert graph["missing"] == ["psg-gone"]


@pytest.mark.parametrize("record, words", [
    ({"prompt": "not a synth record"}, "not a line of"),
    ({"instruction": "q", "output": "a"}, "meta.provenance"),
    ({"instruction": "q", "output": "a", "meta": {"provenance": {"fact_ids": "fact-1"}}}, "list of id strings"),
])
def test_provenance_refuses_records_it_cannot_read(client: httpx.Client, record: dict[str, object], words: str) -> None:
    reply = client.post(f"/v1/namespaces/{NS}/explore/provenance", json={"record": record}, headers=_auth())
    assert reply.status_code == 422 and words in reply.json()["detail"]
