"""`hippo synth …` (synthesise KG-grounded training QA) and `hippo synth report FILE`."""

from __future__ import annotations

import argparse
import sys

from hippo.interfaces.cli.common import add_store_args, memory_from_args, print_json, settings_from_args
from hippo.interfaces.cli.progress import ProgressBars
from hippo.synth.formats import ALL_FORMATS
from hippo.synth.generators import RECIPES
from hippo.synth.options import SynthOptions
from hippo.synth.partition import PARTITIONERS


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "synth",
        help="synthesise KG-grounded training QA from the graph (`hippo synth report FILE` for its quality)",
        description="Synthesise training QA from subgraphs of the knowledge graph. "
        "`hippo synth report FILE` prints the quality report of an output file.",
    )
    p.add_argument("--mode", choices=sorted(RECIPES), help="what to generate (required unless `report`)")
    p.add_argument("--partition", choices=sorted(PARTITIONERS), default="khop", help="subgraph partitioner (default khop)")
    p.add_argument("--budget", type=int, default=1000, help="at most this many pairs in the output (default 1000)")
    p.add_argument("--format", choices=("auto", *ALL_FORMATS), default="auto",
                   help="record format (default: alpaca for QA modes, text for entigraph and wrap)")
    p.add_argument("-o", "--output", help="output JSONL; an unfinished run to the same file resumes")
    p.add_argument("--no-meta", action="store_true", help="records without 'meta'; metas go to <stem>.meta.jsonl")
    p.add_argument("--generator", choices=["auto", "template", "llm"], default="auto",
                   help="template = offline, no LLM (atomic, multi_hop); auto = LLM when a synthesiser is configured")
    p.add_argument("--judge", action=argparse.BooleanOptionalAction, default=None,
                   help="LLM grounding judge (default: on with the LLM generator)")
    p.add_argument("--score", action=argparse.BooleanOptionalAction, default=None,
                   help="blind-spot scoring with the trainee (default: when a trainee is configured)")
    p.add_argument("--rescore", action="store_true", help="score units again even when losses are stored")
    p.add_argument("--score-units", type=int, default=None,
                   help="blind-spot scoring judges at most this many units per run (default: 4 per pair of the "
                        "budget, at least 10); the planned number of LLM calls is printed before scoring starts")
    p.add_argument("--max-depth", type=int, default=2, help="k of k-hop expansion (default 2)")
    p.add_argument("--max-units", type=int, default=10, help="entities + facts per subgraph (default 10)")
    p.add_argument("--max-tokens", type=int, default=1024, help="token budget of one subgraph's text (default 1024)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--overwrite", action="store_true", help="start afresh instead of resuming into -o")
    p.add_argument("--synth-base-url", help="synthesiser endpoint (env HIPPO_SYNTH_BASE_URL, else HIPPO_LLM_BASE_URL)")
    p.add_argument("--synth-model", help="synthesiser model (env HIPPO_SYNTH_MODEL)")
    p.add_argument("--trainee-base-url", help="trainee endpoint (env HIPPO_TRAINEE_BASE_URL, else HIPPO_LLM_BASE_URL)")
    p.add_argument("--trainee-model", help="trainee model (env HIPPO_TRAINEE_MODEL)")
    p.add_argument("--filters", default="", help="Genie-style filters, comma-separated: format,faithfulness,quality "
                   "(or 'all'); scorers and thresholds from HIPPO_SYNTH_*_SCORER / HIPPO_SYNTH_*_THRESHOLD")
    p.add_argument("--token-budget", type=int, help="at most this many (estimated) tokens of generated text")
    p.add_argument("--entigraph-pairs", type=int, default=12, help="entigraph: entity pairs sampled per document")
    p.add_argument("--entigraph-triples", type=int, default=4, help="entigraph: entity triples sampled per document")
    p.add_argument("--wrap-styles", default="easy,wikipedia,hard,qa", help="wrap: styles, comma-separated")
    p.add_argument("--wrap-interleave", action="store_true", help="wrap: one style per segment plus the original, 1:1")
    p.add_argument("--walk-hops", type=int, default=3, help="deep_research: facts per walk (default 3)")
    p.add_argument("--walks-per-start", type=int, default=2, help="deep_research: walks from one start entity")
    p.add_argument("--tree-levels", default="entity_type,relation,community",
                   help="treesynth: attributes splitting the task space, outermost first")
    p.add_argument("--json", action="store_true", help="print the run summary (or report) as JSON")
    add_store_args(p)
    p.set_defaults(func=cmd_synth)
    sub = p.add_subparsers(dest="synth_command", metavar="report")
    r = sub.add_parser("report", help="quality report of a synthesis output file")
    r.add_argument("file")
    r.add_argument("--json", action="store_true", help="print the report as JSON")
    r.add_argument("--no-graph", action="store_true", help="skip coverage and hop checks (no store needed)")
    r.add_argument("--no-embeddings", action="store_true", help="skip embedding dispersion (no model load)")
    add_store_args(r)
    r.set_defaults(func=cmd_report)


def _memory(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    return memory_from_args(
        args,
        synth_base_url=args.synth_base_url,
        synth_model=args.synth_model,
        trainee_base_url=args.trainee_base_url,
        trainee_model=args.trainee_model,
    )


def _csv(text: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in text.split(",") if x.strip())


def _filters(text: str) -> tuple[str, ...]:
    from hippo.synth.scorers import FILTERS

    return FILTERS if text.strip() == "all" else _csv(text)


def cmd_synth(args: argparse.Namespace) -> int:
    from hippo.errors import UserError
    from hippo.synth.pipeline import Synthesizer

    if not args.mode:
        raise UserError("hippo synth needs --mode (one of " + ", ".join(sorted(RECIPES)) + ") and -o FILE")
    if not args.output:
        raise UserError("hippo synth needs -o FILE (the output JSONL)")
    options = SynthOptions(
        mode=args.mode,
        partitioner=args.partition,
        budget=args.budget,
        fmt=args.format,
        meta=not args.no_meta,
        seed=args.seed,
        generator=args.generator,
        judge=args.judge,
        score=args.score,
        rescore=args.rescore,
        score_units=args.score_units,
        max_depth=args.max_depth,
        max_units=args.max_units,
        max_tokens=args.max_tokens,
        overwrite=args.overwrite,
        filters=_filters(args.filters),
        token_budget=args.token_budget,
        entigraph_pairs=args.entigraph_pairs,
        entigraph_triples=args.entigraph_triples,
        wrap_styles=_csv(args.wrap_styles),
        wrap_interleave=args.wrap_interleave,
        walk_hops=args.walk_hops,
        walks_per_start=args.walks_per_start,
        tree_levels=_csv(args.tree_levels),
    )
    with _memory(args) as memory, ProgressBars() as bars:
        result = Synthesizer(memory, options).run(args.output, progress=bars)
    if args.json:
        print_json(result.to_dict())
        return 0
    print(
        f"wrote {result.written} pairs to {result.path} ({result.total} in the file; generator {result.generator}; "
        f"{result.subgraphs} subgraphs, {result.skipped_done} finished earlier)"
    )
    print(f"ordering: {result.ordering['note']}")
    if result.rejections:
        print("rejected: " + ", ".join(f"{k} {v}" for k, v in sorted(result.rejections.items())))
    for warning in result.warnings:
        print(f"hippo: warning: {warning}", file=sys.stderr)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from hippo.embed import shared_embedder
    from hippo.store import open_store
    from hippo.synth.report.quality import build_report, render
    from hippo.synth.topology import Topology

    settings = settings_from_args(args)
    topo = None
    if not args.no_graph:
        with open_store(settings.store, settings) as store:
            topo = Topology.from_store(store, settings.namespace)
    embedder = None if args.no_embeddings else shared_embedder(
        settings.embedding_model, settings.embedding_batch_size, settings.embedding_cache
    )
    report = build_report(args.file, topo, embedder)
    if args.json:
        print_json(report)
    else:
        print(render(report))
    return 0
