"""`hippo eval graph`: the knowledge graph's quality figures (see hippo/bench/graph_quality.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from hippo.interfaces.cli.common import add_store_args, print_json, settings_from_args


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ev = subparsers.add_parser("eval", help="quality figures of what is indexed")
    sub = ev.add_subparsers(dest="eval_command", metavar="graph", required=True)
    p = sub.add_parser("graph", help="components, degrees, isolated and hub entities, entities per passage, "
                       "agreement with a reference OpenIE file")
    p.add_argument("--reference", type=Path, help="a HippoRAG OpenIE file (docs[].passage, extracted_entities, extracted_triples)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    add_store_args(p)
    p.set_defaults(func=cmd_graph)


def cmd_graph(args: argparse.Namespace) -> int:
    from hippo.bench.graph_quality import evaluate_graph, render
    from hippo.errors import UserError
    from hippo.store import open_store

    if args.reference is not None and not args.reference.is_file():
        raise UserError(f"no such reference file: {args.reference}")
    settings = settings_from_args(args)
    with open_store(settings.store, settings) as store:
        report = evaluate_graph(store, settings.namespace, args.reference)
    print_json(report) if args.json else print(render(report))
    return 0
