"""Figures with a real model behind an OpenAI-compatible endpoint (issue 14): what every LLM path
costs and how it fails, not how good a small model's answers are.

* ``reader`` — the LLM reader's EM/F1 on the first N shared MuSiQue questions, reading Hippo's own
  retrieved passages (``hipporag2`` over the cached offline spaCy index of the whole corpus, top k),
  beside the offline extractive answer on the same retrieval (``hippo bench answers``).
* ``extraction`` — LLM OpenIE (NER, then triples) of the first N MuSiQue corpus passages one at a
  time: success rate, failures by reason, valid triples per passage, seconds per passage.
* ``synthesis`` — the bundled sample corpus indexed offline, then each mode with the LLM generator:
  candidates, kept, rejections by reason; blind-spot scoring with the same model as trainee on the
  first mode (later modes reuse the stored losses), and the spread of the losses.

Replies are never answered from a cache (timings would mean nothing). Run from the repository root
with HIPPO_LLM_BASE_URL / HIPPO_LLM_MODEL set (``eval "$(bash scripts/local-llm.sh env)"``)::

    python -m hippo.bench.runs.real_llm reader extraction synthesis --model-label "Qwen2.5-Coder-0.5B-Instruct Q4_K_M"

writes benchmarks/results/real-llm/<part>.json and <part>.md (and the reader's per-question rows).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hippo.bench.report import machine_info, write_json

ROOT = Path.cwd()  # the checkout measured: run from the repository root
MUSIQUE = Path("/work/shared/data/musique")
OUT = ROOT / "benchmarks" / "results" / "real-llm"
SAMPLE = ROOT / "hippo" / "sample" / "corpus.jsonl"
SYNTH_MODES = ("atomic", "multi_hop", "cot", "entigraph")  # one per kind of path, as the CI slice


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def _client() -> Any:
    """The configured endpoint with no reply cache, one request at a time (a one-slot local server)."""
    from hippo.config import Settings
    from hippo.llm.client import LLMClient, endpoint_defaults

    settings = Settings.from_env()
    base_url, model, key = settings.endpoint("llm")
    if not base_url:
        raise SystemExit("set HIPPO_LLM_BASE_URL and HIPPO_LLM_MODEL (eval \"$(bash scripts/local-llm.sh env)\")")
    concurrency, timeout = endpoint_defaults(base_url, settings.llm_concurrency, settings.llm_timeout)
    return LLMClient(base_url, model, key, timeout=timeout, concurrency=concurrency,
                     max_retries=settings.llm_max_retries, cache_path=None)


def _header(part: str, label: str, client: Any) -> dict[str, Any]:
    return {
        "part": part, "model": label, "endpoint_model": client.model, "base_url": client.base_url,
        "date": datetime.now(UTC).isoformat(timespec="seconds"), "uptime_before": uptime(),
        "machine": machine_info(),
    }


def _spread(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    qs = statistics.quantiles(values, n=4) if len(values) >= 2 else [values[0]] * 3
    return {"n": len(values), "min": round(min(values), 3), "p25": round(qs[0], 3), "median": round(qs[1], 3),
            "p75": round(qs[2], 3), "max": round(max(values), 3), "mean": round(statistics.fmean(values), 3),
            "stdev": round(statistics.stdev(values), 3) if len(values) >= 2 else 0.0}


def _finish(result: dict[str, Any], started: float, client: Any) -> dict[str, Any]:
    result["wall_s"] = round(time.perf_counter() - started, 1)
    result["uptime_after"] = uptime()
    result["finish_reasons"] = dict(client.finish_reasons)
    return result


# --- reader ----------------------------------------------------------------------------------


def run_reader(label: str, limit: int, top_k: int, cache_dir: Path) -> dict[str, Any]:
    from hippo.bench import answers
    from hippo.bench.datasets import load_dataset
    from hippo.bench.retrieval import ExtractorSpec

    client = _client()
    result = _header("reader", label, client)
    started = time.perf_counter()
    folder = OUT / "answers-musique"
    res = answers.run_answers(load_dataset(MUSIQUE, limit=limit), ExtractorSpec("spacy"), folder, cache_dir,
                              top_k=top_k, use_llm=True, llm_client=client)
    rows = [json.loads(line) for line in (folder / "per_question.jsonl").read_text().splitlines()]
    llm = [r["systems"][answers.LLM_SYSTEM] for r in rows]
    result.update(
        passages=f"Hippo's retrieved passages, not the gold ones: {res['retrieval_mode']} top {top_k} over the "
                 "offline spaCy index of the whole corpus",
        questions=len(rows), top_k=top_k, systems=res["systems"],
        llm_errors=Counter(str(e.get("error", "")).split(":")[0] for e in llm if e.get("error")),
        llm_seconds=_spread([e["seconds"] for e in llm]), per_question=str(folder.relative_to(ROOT)),
    )
    return _finish(result, started, client)


def reader_md(r: dict[str, Any]) -> str:
    lines = [f"# LLM reader on MuSiQue with a real model: {r['model']}", "", _when(r), "",
             f"{r['questions']} questions; {r['passages']}.", "",
             "| system | EM | F1 | answered | refused | rejected citations | n |", "|---|---:|---:|---:|---:|---:|---:|"]
    for name, s in r["systems"].items():
        lines.append(f"| {name} | {s['em']:.1f} | {s['f1']:.1f} | {s['answered']} | {s.get('refused', 0)} | "
                     f"{s.get('rejected_citations', '–')} | {s['n']} |")
    sec = r["llm_seconds"]
    lines += ["", f"LLM reader seconds per question: median {sec['median']}, p75 {sec['p75']}, max {sec['max']} "
              f"(one request at a time). Errors: {dict(r['llm_errors']) or 'none'}. "
              f"Finish reasons of the replies: {r['finish_reasons']}.",
              f"Per question: `{r['per_question']}/per_question.jsonl`."]
    return "\n".join(lines) + "\n"


# --- extraction ------------------------------------------------------------------------------


def run_extraction(label: str, limit: int) -> dict[str, Any]:
    from hippo.bench.datasets import load_dataset
    from hippo.index.extract.llm_extractor import LLMExtractor
    from hippo.types import Passage

    client = _client()
    result = _header("extraction", label, client)
    started = time.perf_counter()
    corpus = load_dataset(MUSIQUE).corpus[:limit]
    extractor = LLMExtractor(client)
    rows: list[dict[str, Any]] = []
    for entry in corpus:
        passage = Passage(id=entry.doc_id, doc_id=entry.doc_id, title=entry.title, text=entry.text)
        t0 = time.perf_counter()
        ex = extractor.extract([passage])[0]
        rows.append({"passage": entry.doc_id, "words": len(entry.text.split()), "seconds": round(time.perf_counter() - t0, 2),
                     "entities": len(ex.entities), "triples": len(ex.triples), "error": ex.error or ""})
    ok = [r for r in rows if not r["error"]]
    result.update(
        passages=len(rows), succeeded=len(ok), success_rate=round(len(ok) / len(rows), 3) if rows else 0.0,
        failures_by_reason=dict(Counter(_failure_reason(r["error"]) for r in rows if r["error"])),
        triples_per_passage=_spread([float(r["triples"]) for r in ok]),
        entities_per_passage=_spread([float(r["entities"]) for r in ok]),
        passages_without_triples=sum(1 for r in ok if r["triples"] == 0),
        seconds_per_passage=_spread([r["seconds"] for r in rows]), rows=rows,
    )
    return _finish(result, started, client)


def _failure_reason(error: str) -> str:
    """An error without its particulars: 'ner: LLM request to URL failed after 2 attempts: timed
    out' -> 'ner: request failed: timed out'; 'triples: no JSON object or array in reply: {...' ->
    'triples: no JSON object or array in reply'."""
    step, _, rest = error.partition(": ")
    if " failed after " in rest:
        return f"{step}: request failed: {rest.rsplit(': ', 1)[-1][:60]}"
    return f"{step}: {rest.split(': ', 1)[0][:60]}"


def extraction_md(r: dict[str, Any]) -> str:
    t, s = r["triples_per_passage"], r["seconds_per_passage"]
    lines = [f"# LLM OpenIE on MuSiQue passages with a real model: {r['model']}", "", _when(r), "",
             f"The first {r['passages']} passages of the shared MuSiQue corpus, one at a time (NER, then triples).", "",
             "| passages | succeeded | success rate | valid triples / passage (mean, median) | passages with 0 triples | s / passage (median, max) |",
             "|---:|---:|---:|---|---:|---|",
             f"| {r['passages']} | {r['succeeded']} | {100 * r['success_rate']:.0f} % | {t.get('mean', 0)}, {t.get('median', 0)} | "
             f"{r['passages_without_triples']} | {s['median']}, {s['max']} |", "",
             f"Failures by reason: {r['failures_by_reason'] or 'none'}. Finish reasons of the replies: {r['finish_reasons']}."]
    return "\n".join(lines) + "\n"


# --- synthesis -------------------------------------------------------------------------------


def run_synthesis(label: str, modes: list[str], budget: int, score_units: int, documents: int) -> dict[str, Any]:
    from hippo.config import Settings
    from hippo.memory import Memory
    from hippo.synth.blindspot.scorer import FALLBACK_KIND, LOSS_KIND
    from hippo.synth.options import SynthOptions
    from hippo.synth.pipeline import Synthesizer
    from hippo.types import Document

    client = _client()
    result = _header("synthesis", label, client)
    started = time.perf_counter()
    # the first documents only: the budget counts kept records, and a small model's rejected ones
    # send a run through every subgraph of the graph at ~30-60 s a call on a busy 2-core machine
    docs = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()][:documents]
    per_mode: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="hippo-real-synth-") as tmp:
        settings = Settings.from_env().replace(store=f"sqlite:///{tmp}/sample.db", namespace="realsynth",
                                               extractor="spacy", cache_dir=f"{tmp}/cache")
        with Memory(settings) as memory:
            memory.add_documents([Document(d["id"], d.get("title", ""), d["text"]) for d in docs])
            for i, mode in enumerate(modes):
                t0 = time.perf_counter()
                options = SynthOptions(mode=mode, generator="llm", budget=budget, max_units=6,
                                       score=i == 0, score_units=score_units if i == 0 else None,
                                       judge=None if mode == "atomic" else False)
                calls_before = sum(client.finish_reasons.values())
                res = Synthesizer(memory, options, synth_client=client, trainee_client=client).run(Path(tmp) / f"{mode}.jsonl")
                rejected = sum(res.rejections.values())
                per_mode[mode] = {
                    "kept": res.written, "rejected": rejected, "candidates": res.written + rejected,
                    "rejections": dict(res.rejections), "subgraphs": res.subgraphs, "judge": mode == "atomic",
                    "llm_calls": sum(client.finish_reasons.values()) - calls_before,
                    "seconds": round(time.perf_counter() - t0, 1), "scoring": res.scoring,
                }
            losses = memory.store.get_unit_scores(memory.namespace, LOSS_KIND)
            fallback = memory.store.get_unit_scores(memory.namespace, FALLBACK_KIND)
    result.update(corpus=str(SAMPLE.relative_to(ROOT)), documents=len(docs), budget=budget, modes=per_mode,
                  blind_spot={"trainee": "the same model and endpoint as the synthesiser", "first_mode": modes[0],
                              "loss_from_logprobs": _spread(list(losses.values())),
                              "loss_from_accuracy": _spread(list(fallback.values()))})
    return _finish(result, started, client)


def synthesis_md(r: dict[str, Any]) -> str:
    lines = [f"# Synthesis with a real model: {r['model']}", "", _when(r), "",
             f"The sample corpus (`{r['corpus']}`, its first {r['documents']} documents) indexed offline; each mode with the "
             f"LLM generator, `--budget {r['budget']}`, at most 6 units a subgraph; the grounding judge on for "
             "atomic only (it doubles the calls). Candidates = kept + dropped; a generation that failed (a reply "
             "with no usable JSON, a subgraph with no chain) counts as one dropped candidate under its reason.", "",
             "| mode | candidates | kept | rejected | reasons | LLM calls | seconds |", "|---|---:|---:|---:|---|---:|---:|"]
    for mode, m in r["modes"].items():
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(m["rejections"].items(), key=lambda kv: -kv[1])) or "–"
        lines.append(f"| {mode} | {m['candidates']} | {m['kept']} | {m['rejected']} | {reasons} | {m['llm_calls']} | {m['seconds']} |")
    b = r["blind_spot"]
    first = r["modes"][b["first_mode"]]["scoring"] or {}
    loss = b["loss_from_logprobs"]
    lines += ["", f"Blind-spot scoring ({b['trainee']}), run with {b['first_mode']}: {first.get('scored', 0)} units scored, "
              f"{first.get('statements_judged', 0)} statements judged, log-probability shapes {first.get('logprobs_shapes', {})}, "
              f"{first.get('units_without_logprobs', 0)} units without log-probabilities, "
              f"{first.get('incomplete_statements', 0)} with missing paraphrases/negations."]
    if loss:
        lines.append(f"Spread of the units' losses (from log-probabilities): n {loss['n']}, min {loss['min']}, "
                     f"p25 {loss['p25']}, median {loss['median']}, p75 {loss['p75']}, max {loss['max']}, "
                     f"stdev {loss['stdev']}.")
    lines.append(f"Finish reasons of all replies: {r['finish_reasons']}.")
    return "\n".join(lines) + "\n"


def _when(r: dict[str, Any]) -> str:
    return (f"{r['date']} · endpoint model `{r['endpoint_model']}` · {r['wall_s']} s wall · "
            f"`uptime` before: {r['uptime_before']} · after: {r['uptime_after']}")


def main() -> None:
    global OUT
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("parts", nargs="+", choices=["reader", "extraction", "synthesis"])
    parser.add_argument("--model-label", default=os.environ.get("HIPPO_LLM_MODEL", ""),
                        help="the model's full name for the results (the endpoint may know it by an alias)")
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--top-k", type=int, default=3)
    parser.add_argument("--passages", type=int, default=30)
    parser.add_argument("--modes", default=",".join(SYNTH_MODES))
    parser.add_argument("--budget", type=int, default=3)
    parser.add_argument("--score-units", type=int, default=8)
    parser.add_argument("--documents", type=int, default=16, help="synthesis: the first N documents of the sample")
    parser.add_argument("--cache", default=str(ROOT / "benchmarks" / "cache"), help="index cache folder")
    parser.add_argument("--out", default=str(OUT),
                        help="results folder (to run groups of modes side by side on two servers)")
    parser.add_argument("--render", action="store_true",
                        help="only rewrite each part's .md from its .json (no model calls)")
    args = parser.parse_args()
    OUT = Path(args.out).resolve()
    OUT.mkdir(parents=True, exist_ok=True)
    renderers = {"reader": reader_md, "extraction": extraction_md, "synthesis": synthesis_md}
    if args.render:
        for part in args.parts:
            res = json.loads((OUT / f"{part}.json").read_text(encoding="utf-8"))
            if part == "extraction":
                res["failures_by_reason"] = dict(Counter(_failure_reason(r["error"]) for r in res["rows"] if r["error"]))
                write_json(OUT / f"{part}.json", res)
            (OUT / f"{part}.md").write_text(renderers[part](res), encoding="utf-8")
        return
    for part in args.parts:
        if part == "reader":
            res, md = run_reader(args.model_label, args.questions, args.top_k, Path(args.cache)), reader_md
        elif part == "extraction":
            res, md = run_extraction(args.model_label, args.passages), extraction_md
        else:
            modes = [m.strip() for m in args.modes.split(",") if m.strip()]
            res, md = run_synthesis(args.model_label, modes, args.budget, args.score_units, args.documents), synthesis_md
        write_json(OUT / f"{part}.json", res)
        (OUT / f"{part}.md").write_text(md(res), encoding="utf-8")
        print(f"wrote {OUT / part}.json and .md ({res['wall_s']} s)", flush=True)


if __name__ == "__main__":
    main()
