"""`hippo index`, `hippo query`, `hippo stats`, `hippo delete`."""

from __future__ import annotations

import argparse
import sys

from hippo.errors import UserError
from hippo.interfaces.cli.common import add_store_args, memory_from_args, print_json
from hippo.interfaces.cli.progress import ProgressBars
from hippo.retrieve.policies.registry import DEFAULT_MODE, MODES


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "index", help="index files or folders (.txt .md .jsonl .json .pdf .html .csv .tsv .parquet, saved datasets)")
    p.add_argument("paths", nargs="+", help="files or folders (a folder saved by Hugging Face datasets is read whole)")
    p.add_argument("--text-column", default="text", help="tables and datasets: the column holding the text (default text)")
    p.add_argument("--title-column", help="tables and datasets: the title column (default: 'title' if present)")
    p.add_argument("--id-column", help="tables and datasets: the document id column (default: 'id' if present)")
    p.add_argument("--replace", action="store_true", help="replace documents whose id exists with new content")
    p.add_argument("--openie", metavar="FILE", help="take entities and triples from a HippoRAG OpenIE file")
    p.add_argument("--extractor", choices=["spacy", "llm"], help="OpenIE extractor (env HIPPO_EXTRACTOR)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    add_store_args(p)
    p.set_defaults(func=cmd_index)

    p = subparsers.add_parser("query", help="retrieve passages for a (multi-hop) question")
    p.add_argument("question")
    p.add_argument("--top-k", type=int, default=5)
    p.add_argument("--mode", choices=MODES, help=f"retrieval mode (default {DEFAULT_MODE}; env HIPPO_RETRIEVAL_MODE)")
    p.add_argument("--json", action="store_true", help="print hits and explanation as JSON")
    p.add_argument("--recognition-filter", action=argparse.BooleanOptionalAction, default=None,
                   help="let the LLM keep only the linked facts relevant to the question (HippoRAG 2's "
                        "recognition memory; needs HIPPO_LLM_*; default env HIPPO_RECOGNITION_FILTER)")
    add_store_args(p)
    p.set_defaults(func=cmd_query)

    p = subparsers.add_parser("stats", help="counts of documents, passages, entities, facts and edges")
    p.add_argument("--fingerprint", action="store_true", help="also print a stable hash of the whole graph")
    p.add_argument("--json", action="store_true")
    add_store_args(p)
    p.set_defaults(func=cmd_stats)

    p = subparsers.add_parser("delete", help="delete documents by id (and everything only they supported)")
    p.add_argument("doc_ids", nargs="+")
    add_store_args(p)
    p.set_defaults(func=cmd_delete)


def cmd_index(args: argparse.Namespace) -> int:
    with memory_from_args(args, extractor=args.extractor) as memory, ProgressBars() as bars:
        report = memory.index(args.paths, replace=args.replace, openie=args.openie, progress=bars,
                              text_column=args.text_column, title_column=args.title_column, id_column=args.id_column)
    if args.json:
        print_json(report.to_dict())
    else:
        print(
            f"indexed {report.documents_added} new and {report.documents_replaced} replaced documents "
            f"({report.documents_unchanged} unchanged): {report.passages} passages, "
            f"{report.entities_new} new entities, {report.facts_new} new facts, "
            f"{report.synonyms_new} new synonym edges"
        )
        if report.failed_passages:
            print(f"{len(report.failed_passages)} passages failed extraction (re-run to retry them):")
            for pid, reason in list(report.failed_passages.items())[:10]:
                print(f"  {pid}: {reason}")
    for problem in report.problems:
        print(f"hippo: warning: {problem}", file=sys.stderr)
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    if args.top_k < 1 or args.top_k > 1000:
        raise UserError("--top-k must be between 1 and 1000")
    with memory_from_args(args) as memory:
        result = memory.query(args.question, top_k=args.top_k, mode=args.mode,
                              recognition_filter=args.recognition_filter)
    if args.json:
        print_json(result.to_dict())
        return 0
    if not result.hits:
        print("no passages (is the namespace indexed? try `hippo stats`)")
    for rank, hit in enumerate(result.hits, start=1):
        text = hit.text if len(hit.text) < 300 else hit.text[:297] + "..."
        print(f"{rank}. [{hit.score:.4f}] {hit.title} ({hit.passage_id})\n   {text}")
    exp = result.explanation
    if exp.linked_facts:
        print("linked facts: " + "; ".join(f"{f.text} ({f.score})" for f in exp.linked_facts))
    if exp.top_sentences:
        print("linking sentences: " + " | ".join(exp.top_sentences))
    if exp.seed_entities:
        print("seed entities: " + ", ".join(f"{e.name} ({e.weight:.3g})" for e in exp.seed_entities))
    if exp.top_entities_by_ppr:
        print("most PPR mass: " + ", ".join(e.name for e in exp.top_entities_by_ppr[:5]))
    if exp.fallback:
        print(f"fallback: {exp.fallback}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    with memory_from_args(args) as memory:
        stats = memory.stats()
        if args.fingerprint:
            stats["fingerprint"] = memory.fingerprint()
    if args.json:
        print_json(stats)
    else:
        for key, value in stats.items():
            print(f"{key:>18}: {value}")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    with memory_from_args(args) as memory:
        deleted = memory.delete(args.doc_ids)
    missing = len(set(args.doc_ids)) - deleted
    print(f"deleted {deleted} documents" + (f"; {missing} ids were not found" if missing else ""))
    return 0 if deleted or not args.doc_ids else 1
