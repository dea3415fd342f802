"""Answering on the bundled sample corpus: the offline extractive graph answer with known answers,
the LLM reader and multi-step mode against the local OpenAI-compatible test server, and the CLI."""

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hippo.answer import GRAPH_READER, LLM_READER, ask
from hippo.answer.offline import GraphReader
from hippo.memory import Memory
from tests.support.fixtures import make_client, openai_server  # noqa: F401
from tests.support.openai_server import OpenAITestServer

SAMPLE = Path(__file__).resolve().parents[2] / "hippo" / "sample"
BIRTHPLACE = "In which town was the author of The Glass Orchard born?"


@pytest.fixture(scope="module")
def memory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Memory]:
    db = tmp_path_factory.mktemp("ask") / "hippo.db"
    with Memory(store=f"sqlite:///{db}", namespace="sample") as m:
        m.index([SAMPLE / "corpus.jsonl"])
        yield m


@pytest.fixture(scope="module")
def graph_reader() -> GraphReader:
    return GraphReader()


def _doc_of(memory: Memory, passage_id: str) -> str:
    return memory.store.get_passages(memory.namespace, [passage_id])[0].doc_id


@pytest.mark.parametrize(
    ("question", "answer", "doc"),
    [
        (BIRTHPLACE, "Ostravel", "maren-tolvik"),
        ("Who founded Brannock and Sons?", "Edda Brannock", "brannock-and-sons"),
        ("When was the University of Hask founded?", "1632", "university-of-hask"),
        ("What is the capital of Veldmark?", "Hask", "veldmark"),
    ],
)
def test_offline_answer_is_extracted_from_the_graph(
    memory: Memory, graph_reader: GraphReader, question: str, answer: str, doc: str
) -> None:
    result = ask(memory, question, reader=graph_reader)
    assert result.reader == GRAPH_READER
    assert result.answer == answer
    assert [_doc_of(memory, pid) for pid in result.citations] == [doc]
    assert answer in result.evidence[0]["sentence"]
    assert "extractive graph answer" in result.explanation["note"]


def test_offline_answer_takes_a_second_hop_through_the_bridge(memory: Memory, graph_reader: GraphReader) -> None:
    result = ask(memory, BIRTHPLACE, reader=graph_reader)
    assert len(result.steps) == 2
    bridge = result.steps[0].need
    assert "Tolvik" in bridge and result.steps[1].query == f"{BIRTHPLACE} {bridge}"
    assert result.steps[1].answer == "Ostravel"
    assert result.explanation["bridge"]["text"] == bridge


def test_offline_answer_never_repeats_the_question(memory: Memory, graph_reader: GraphReader) -> None:
    result = ask(memory, "Who founded Brannock and Sons?", reader=graph_reader)
    names = [c["text"] for c in result.explanation["candidates"]]
    assert "Brannock and Sons" not in names and names[0] == "Edda Brannock"


def test_auto_reader_is_offline_without_an_endpoint(memory: Memory) -> None:
    offline = memory.with_namespace(memory.namespace)
    assert not offline.settings.llm_base_url or pytest.skip("an LLM endpoint is configured in the environment")
    assert ask(offline, "Who founded Brannock and Sons?").reader == GRAPH_READER


def _label_of(request: dict[str, Any], title: str) -> str:
    user = request["messages"][-1]["content"]
    match = re.search(r"\[(P\d+)\] " + re.escape(title), user)
    return match.group(1) if match else "P1"


def test_llm_reader_answers_with_checked_citations(
    memory: Memory, openai_server: OpenAITestServer, tmp_path: Path  # noqa: F811
) -> None:
    openai_server.responder = lambda req: json.dumps(
        {"answer": "Ostravel", "citations": [_label_of(req, "Maren Tolvik"), "P42"]}
    )
    result = ask(memory, BIRTHPLACE, llm=make_client(openai_server, tmp_path))
    assert result.reader == LLM_READER and result.answer == "Ostravel"
    assert [_doc_of(memory, pid) for pid in result.citations] == ["maren-tolvik"]
    assert result.explanation["rejected_citations"] == ["P42"]
    assert "not shown" in result.explanation["warning"]
    assert set(result.to_dict()) >= {"answer", "citations", "hits", "explanation", "reader", "steps"}


def test_a_citation_that_never_mentions_the_answer_is_reported(
    memory: Memory, openai_server: OpenAITestServer, tmp_path: Path  # noqa: F811
) -> None:
    # a real 0.5B model cited a passage that never mentions its answer
    openai_server.responder = lambda req: json.dumps(
        {"answer": "Ostravel", "citations": [_label_of(req, "The Glass Orchard")]}
    )
    result = ask(memory, BIRTHPLACE, llm=make_client(openai_server, tmp_path))
    assert result.answer == "Ostravel" and len(result.citations) == 1
    assert result.explanation["unsupported_citations"] == result.citations
    assert "no cited passage mentions" in result.explanation["unsupported"]

    openai_server.responder = lambda req: json.dumps(
        {"answer": "the town of Ostravel", "citations": [_label_of(req, "Maren Tolvik"), _label_of(req, "The Glass Orchard")]}
    )
    mixed = ask(memory, BIRTHPLACE, llm=make_client(openai_server, tmp_path / "b"))
    assert "unsupported" not in mixed.explanation
    assert [_doc_of(memory, pid) for pid in mixed.explanation["unsupported_citations"]] == ["glass-orchard"]


def test_llm_refusal_is_reported_not_raised(memory: Memory, openai_server: OpenAITestServer, tmp_path: Path) -> None:  # noqa: F811
    openai_server.responder = lambda req: "I'm sorry, but the passages do not say."
    result = ask(memory, BIRTHPLACE, llm=make_client(openai_server, tmp_path))
    assert result.refused and result.answer == "" and result.citations == []
    assert result.explanation["refusal"]


def test_multi_step_retrieves_what_the_reader_still_needs(
    memory: Memory, openai_server: OpenAITestServer, tmp_path: Path  # noqa: F811
) -> None:
    need = "Where was Maren Tolvik born?"

    def responder(request: dict[str, Any]) -> str:
        user = request["messages"][-1]["content"]
        if "Already looked up" not in user:
            return json.dumps({"answer": None, "citations": ["P1"], "need": need})
        return json.dumps({"answer": "Ostravel", "citations": [_label_of(request, "Maren Tolvik")], "need": None})

    openai_server.responder = responder
    result = ask(memory, BIRTHPLACE, top_k=2, llm=make_client(openai_server, tmp_path), multi_step=3)
    assert [s.query for s in result.steps] == [BIRTHPLACE, need]
    assert result.steps[0].need == need and result.steps[1].answer == "Ostravel"
    assert result.answer == "Ostravel"
    assert [_doc_of(memory, pid) for pid in result.citations] == ["maren-tolvik"]
    assert len(result.hits) > 2  # the second round added passages to the context
    assert openai_server.request_count == 2


def _hippo(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("HIPPO_LLM") and k != "OPENAI_API_KEY"}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "hippo.interfaces.cli.main", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env=full_env)


def test_cli_ask_offline_and_with_an_endpoint(memory: Memory, openai_server: OpenAITestServer, tmp_path: Path) -> None:  # noqa: F811
    store = ["--store", memory.store.uri, "--namespace", memory.namespace]
    done = _hippo("ask", "Who founded Brannock and Sons?", *store, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "extractive graph answer" in done.stdout and "Edda Brannock" in done.stdout

    openai_server.responder = lambda req: json.dumps({"answer": "Edda Brannock", "citations": ["P1", "P9"]})
    env = {"HIPPO_LLM_BASE_URL": openai_server.base_url, "HIPPO_LLM_MODEL": "test-model",
           "HIPPO_CACHE_DIR": str(tmp_path / "cache")}
    done = _hippo("ask", "Who founded Brannock and Sons?", "--json", *store, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["reader"] == LLM_READER and payload["answer"] == "Edda Brannock"
    assert payload["citations"] == [payload["hits"][0]["passage_id"]]
    assert payload["explanation"]["rejected_citations"] == ["P9"]

    # the text output shows an unsupported answer too, not only --json
    openai_server.responder = lambda req: json.dumps({"answer": "Zanzibar", "citations": ["P1"]})
    env["HIPPO_CACHE_DIR"] = str(tmp_path / "cache-2")  # not the cached reply above
    done = _hippo("ask", "Who founded Brannock and Sons?", *store, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert "warning: unsupported answer" in done.stdout


def test_cli_bench_answers_writes_the_results_layout(tmp_path: Path) -> None:
    data = tmp_path / "sample-set"
    data.mkdir()
    corpus = [json.loads(line) for line in (SAMPLE / "corpus.jsonl").read_text().splitlines() if line.strip()]
    (data / "corpus.json").write_text(json.dumps([{"title": d["title"], "text": d["text"]} for d in corpus]))
    questions = [
        {"id": "q1", "question": BIRTHPLACE, "answers": ["Ostravel"], "gold": [], "gold_match": "title"},
        {"id": "q2", "question": "Who founded Brannock and Sons?", "answers": ["Edda Brannock"], "gold": [],
         "gold_match": "title"},
        {"id": "q3", "question": "Which country is Kessary in?", "answers": [], "gold": [], "gold_match": "title"},
    ]
    (data / "questions.json").write_text(json.dumps(questions))
    out = tmp_path / "out"
    done = _hippo("bench", "answers", "--data", str(data), "--out", str(out), "--cache", str(tmp_path / "cache"),
                  cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    results = json.loads((out / "results.json").read_text())
    assert results["systems"][GRAPH_READER] == {"em": 100.0, "f1": 100.0, "n": 2, "answered": 2}
    rows = [json.loads(line) for line in (out / "per_question.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == ["q1", "q2"]  # a question without answers is not scored
    assert rows[0]["systems"][GRAPH_READER]["answer"] == "Ostravel"
    assert (out / "results.md").exists() and "EM" in done.stdout
