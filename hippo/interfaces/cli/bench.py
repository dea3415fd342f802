"""`hippo bench retrieval` and `hippo bench speed`: reproducible quality and speed figures."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from hippo.bench.baselines import BASELINES
from hippo.errors import UserError
from hippo.retrieve.policies.registry import GRAPH_MODES

DEFAULT_CACHE = Path("benchmarks/cache")
DEFAULT_RESULTS = Path("benchmarks/results")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    bench = subparsers.add_parser("bench", help="retrieval quality and speed benchmarks")
    sub = bench.add_subparsers(dest="bench_command", metavar="BENCHMARK")
    bench.set_defaults(func=lambda args: _missing(bench))

    p = sub.add_parser("retrieval", help="Recall@k of bm25/dense/hybrid/graph modes on a QA set")
    p.add_argument("--data", required=True, help="dataset folder (questions.json + corpus.json, or HippoRAG NAME.json + NAME_corpus.json) or questions file")
    p.add_argument("--corpus", help="folder or file of the corpus when it is not next to the questions")
    p.add_argument("--systems", default=",".join((*BASELINES, *GRAPH_MODES)), help="comma-separated systems")
    p.add_argument("--extractor", default="spacy", help="spacy | llm | openie:FILE (HippoRAG OpenIE output)")
    p.add_argument("--limit", type=int, help="only the first N questions")
    p.add_argument("--out", help="results folder (default benchmarks/results/<set>-<extractor>)")
    p.add_argument("--cache", default=str(DEFAULT_CACHE), help="index cache folder (default benchmarks/cache)")
    p.set_defaults(func=cmd_retrieval)

    p = sub.add_parser("speed", help="indexing throughput, query latency and PPR at growing graph sizes")
    p.add_argument("--corpus", help="corpus for indexing throughput, e.g. the shared narrativeqa folder (skipped if absent)")
    p.add_argument("--docs", type=int, default=400, help="documents of the corpus to index (default 400)")
    p.add_argument("--sizes", default="10000,30000,100000,370000,1000000", help="synthetic graph sizes in edges")
    p.add_argument("--queries", type=int, default=100, help="queries per size for latency percentiles")
    p.add_argument("--no-networkx", action="store_true", help="skip the networkx comparison")
    p.add_argument("--out", default=str(DEFAULT_RESULTS / "speed"), help="results folder")
    p.add_argument("--cache", default=str(DEFAULT_CACHE), help="scratch folder for the indexing stores")
    p.set_defaults(func=cmd_speed)

    p = sub.add_parser("scale", help="query latency, cold start and memory of fresh query processes on synthetic graphs")
    p.add_argument("--sizes", default="100000,1000000", help="synthetic graph sizes in edges, comma-separated")
    p.add_argument("--store", choices=("sqlite", "neo4j"), default="sqlite",
                   help="sqlite (a file per size under --cache) or neo4j (HIPPO_TEST_NEO4J_URI / HIPPO_NEO4J_*)")
    p.add_argument("--queries", type=int, default=50, help="warm queries per process")
    p.add_argument("--modes", default="exact,local", help="PageRank modes to measure")
    p.add_argument("--out", default=str(DEFAULT_RESULTS / "scale"), help="results folder (scale.json, scale.png)")
    p.add_argument("--cache", default=str(DEFAULT_CACHE), help="scratch folder for stores and snapshots")
    p.set_defaults(func=cmd_scale)

    from hippo.interfaces.cli.ask import register_answers

    register_answers(sub)


def _missing(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def cmd_scale(args: argparse.Namespace) -> int:
    from hippo.bench.scale import run_scale

    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError as exc:
        raise UserError(f"--sizes must be comma-separated integers: {args.sizes!r}") from exc
    modes = tuple(m.strip() for m in args.modes.split(",") if m.strip())
    if not sizes or min(sizes) < 100 or args.queries < 1:
        raise UserError("--sizes must name sizes of at least 100 edges and --queries must be >= 1")
    if not modes or any(m not in ("exact", "local", "auto") for m in modes):
        raise UserError("--modes takes exact, local and/or auto")
    run_scale(sizes, args.store, Path(args.out), Path(args.cache) / "scale", args.queries, modes)
    return 0


def cmd_retrieval(args: argparse.Namespace) -> int:
    from hippo.bench.datasets import load_dataset
    from hippo.bench.retrieval import ExtractorSpec, run_retrieval

    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    if not systems:
        raise UserError("--systems is empty")
    if args.limit is not None and args.limit < 1:
        raise UserError("--limit must be at least 1")
    extractor = ExtractorSpec.parse(args.extractor)
    dataset = load_dataset(args.data, args.corpus, args.limit)
    label = extractor.label.removesuffix(".json").replace(":", "-").replace("/", "-")
    out = Path(args.out) if args.out else DEFAULT_RESULTS / f"{dataset.name}-{label}"
    results = run_retrieval(dataset, systems, extractor, out, Path(args.cache))
    print((out / "results.md").read_text(encoding="utf-8"))
    return 0 if results["systems"] else 1


def cmd_speed(args: argparse.Namespace) -> int:
    from hippo.bench import speed
    from hippo.bench.report import machine_info, write_speed_report

    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError as exc:
        raise UserError(f"--sizes must be comma-separated integers: {exc}") from exc
    if any(s < 100 for s in sizes):
        raise UserError("--sizes must each be at least 100 edges")
    results: dict[str, object] = {"date": datetime.now(UTC).isoformat(timespec="seconds"),
                                  "machine": machine_info()}
    incremental = None
    if args.corpus:
        corpus = Path(args.corpus)
        if not corpus.exists():
            raise UserError(f"corpus not found: {corpus}")
        indexing, incremental = speed.indexing_throughput(corpus, args.docs, Path(args.cache) / "speed")
        results["indexing"] = indexing
        results["incremental"] = incremental
    embed_ms = speed.model_query_overhead_ms()
    results["query_embedding_ms_p50"] = embed_ms
    scale = speed.scale_curve(sizes, args.queries, with_networkx=not args.no_networkx)
    results["scale"] = scale
    results["targets"] = speed.speed_targets(scale, incremental, embed_ms)
    out = Path(args.out)
    write_speed_report(out, results)
    print((out / "speed.md").read_text(encoding="utf-8"))
    return 0
