"""`hippo ask "QUESTION"` and `hippo bench answers --data DIR`."""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

from hippo.answer.offline import GraphReader
from hippo.errors import UserError
from hippo.interfaces.cli.common import add_store_args, memory_from_args, print_json
from hippo.retrieve.policies.registry import DEFAULT_MODE, MODES


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("ask", help="answer a question from the memory, citing passages")
    p.add_argument("question")
    p.add_argument("--top-k", type=int, default=5, help="passages to read (default 5)")
    p.add_argument("--reader", choices=["auto", "llm", "graph"], default="auto",
                   help="auto: the LLM when HIPPO_LLM_BASE_URL (or OPENAI_API_KEY) is set, else the "
                        "extractive graph answer")
    p.add_argument("--multi-step", type=int, default=1, metavar="N",
                   help="let the LLM reader retrieve again, up to N rounds in all (default 1)")
    p.add_argument("--mode", choices=MODES, help=f"retrieval mode (default: {GraphReader.retrieval_mode} for the "
                   f"extractive reader, else {DEFAULT_MODE} or env HIPPO_RETRIEVAL_MODE)")
    p.add_argument("--json", action="store_true", help="print answer, citations, hits, explanation and steps as JSON")
    add_store_args(p)
    p.set_defaults(func=cmd_ask)


def register_answers(bench_subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Adds `answers` to the `hippo bench` group."""
    from hippo.interfaces.cli.bench import DEFAULT_CACHE

    p = bench_subparsers.add_parser("answers", help="EM/F1 of the extractive graph answer and the LLM reader")
    p.add_argument("--data", required=True, help="dataset folder (questions.json + corpus.json) or questions file")
    p.add_argument("--corpus", help="folder or file of the corpus when it is not next to the questions")
    p.add_argument("--extractor", default="spacy", help="spacy | llm | openie:FILE (HippoRAG OpenIE output)")
    p.add_argument("--limit", type=int, help="only the first N questions")
    p.add_argument("--top-k", type=int, default=5, help="passages each reader reads (default 5)")
    p.add_argument("--no-llm", action="store_true", help="skip the LLM reader even when an endpoint is configured")
    p.add_argument("--out", help="results folder (default benchmarks/results/answers-<set>-<extractor>)")
    p.add_argument("--cache", default=str(DEFAULT_CACHE), help="index cache folder (default benchmarks/cache)")
    p.set_defaults(func=cmd_bench_answers)


def cmd_ask(args: argparse.Namespace) -> int:
    from hippo.answer import ask

    if not 1 <= args.top_k <= 100:
        raise UserError("--top-k must be between 1 and 100")
    if not 1 <= args.multi_step <= 10:
        raise UserError("--multi-step must be between 1 and 10")
    with memory_from_args(args) as memory:  # an LLM failure is a HippoError: one line, by main
        answer = ask(memory, args.question, args.top_k, reader=args.reader,
                     multi_step=args.multi_step, mode=args.mode)
    if args.json:
        print_json(answer.to_dict())
        return 0
    if not answer.hits:
        print("no passages (is the namespace indexed? try `hippo stats`)")
        return 1
    exp = answer.explanation
    if answer.reader == "graph-extractive":
        label = "Answer (extractive graph answer, no LLM)"
    else:
        label = f"Answer (LLM reader, {exp.get('reader_model', '')})"
    if answer.answer:
        print(f"{label}: {answer.answer}")
    else:
        reason = exp.get("refusal") or exp.get("reason") or "no answer found"
        print(f"{label}: none — {reason}")
    for item in answer.evidence:
        print(textwrap.fill(f"evidence ({item['passage_id']}): {item['sentence']}", width=100,
                            subsequent_indent="  "))
    titles = {h.passage_id: h.title for h in answer.hits}
    if answer.citations:
        print("cites: " + ", ".join(f"{titles.get(pid, '')} ({pid})" for pid in answer.citations))
    if exp.get("warning"):
        print(f"warning: {exp['warning']}: {', '.join(exp.get('rejected_citations', []))}")
    if exp.get("unsupported"):
        print(f"warning: unsupported answer: {exp['unsupported']}")
    elif exp.get("unsupported_citations"):
        print("warning: these cited passages do not mention the answer: " + ", ".join(exp["unsupported_citations"]))
    if len(answer.steps) > 1:
        for i, step in enumerate(answer.steps, start=1):
            print(f"step {i}: query {step.query!r} → {step.answer or 'needs: ' + (step.need or '?')}")
    return 0


def cmd_bench_answers(args: argparse.Namespace) -> int:
    from hippo.bench.answers import run_answers
    from hippo.bench.datasets import load_dataset
    from hippo.bench.retrieval import ExtractorSpec
    from hippo.interfaces.cli.bench import DEFAULT_RESULTS

    if args.limit is not None and args.limit < 1:
        raise UserError("--limit must be at least 1")
    if not 1 <= args.top_k <= 100:
        raise UserError("--top-k must be between 1 and 100")
    extractor = ExtractorSpec.parse(args.extractor)
    dataset = load_dataset(args.data, args.corpus, args.limit)
    label = extractor.label.removesuffix(".json").replace(":", "-").replace("/", "-")
    out = Path(args.out) if args.out else DEFAULT_RESULTS / f"answers-{dataset.name}-{label}"
    run_answers(dataset, extractor, out, Path(args.cache), top_k=args.top_k,
                use_llm=False if args.no_llm else None)
    print((out / "results.md").read_text(encoding="utf-8"))
    return 0
