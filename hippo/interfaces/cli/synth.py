"""`hippo synth …` (synthesise KG-grounded training QA) and `hippo synth report FILE`."""

from __future__ import annotations

import argparse
import sys

from hippo.interfaces.cli.common import add_store_args, memory_from_args, print_json, settings_from_args
from hippo.interfaces.cli.progress import ProgressBars
from hippo.synth.options import SynthOptions, option_fields
from hippo.synth.optionspec import OptionField

_TYPES = {"int": int, "float": float, "str": str, "strs": str}


def _help(f: OptionField) -> str:
    default = ",".join(f.default) if isinstance(f.default, tuple) else f.default
    text = f"{f.recipe}: {f.spec.help}" if f.recipe else f.spec.help
    choices = f.choices()
    if choices and f.kind == "strs":
        text += f"; comma-separated, some of {','.join(choices)}" + (" or all" if f.spec.all_word else "")
    if f.kind != "bool" and default not in (None, ""):
        text += f" (default {default})"
    return text.replace("%", "%%")


def add_option_flags(p: argparse.ArgumentParser) -> None:
    """One flag per synthesis option, from its declaration. Defaults are not set here: a flag
    left out is left out of the options, which then take the one default they declare."""
    for f in option_fields():
        if "cli" not in f.spec.interfaces:
            continue
        flags = [f.flag, *f.spec.aliases]
        if f.kind == "bool":
            p.add_argument(*flags, dest=f.name, action=argparse.BooleanOptionalAction, default=argparse.SUPPRESS,
                           help=_help(f))
            continue
        choices = f.choices()
        metavar = "{" + ",".join(choices) + "}" if choices and f.kind == "str" else None
        p.add_argument(*flags, dest=f.name, type=_TYPES[f.kind], default=argparse.SUPPRESS, metavar=metavar,
                       help=_help(f))


def options_from_args(args: argparse.Namespace) -> SynthOptions:
    """The run's options from the flags given (the API builds them the same way)."""
    return SynthOptions.from_values({f.name: getattr(args, f.name) for f in option_fields() if hasattr(args, f.name)})


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "synth",
        help="synthesise KG-grounded training QA from the graph (`hippo synth report FILE` for its quality)",
        description="Synthesise training QA from subgraphs of the knowledge graph. "
        "`hippo synth report FILE` prints the quality report of an output file.",
    )
    add_option_flags(p)
    p.add_argument("-o", "--output", help="output JSONL; an unfinished run to the same file resumes")
    p.add_argument("--synth-base-url", help="synthesiser endpoint (env HIPPO_SYNTH_BASE_URL, else HIPPO_LLM_BASE_URL)")
    p.add_argument("--synth-model", help="synthesiser model (env HIPPO_SYNTH_MODEL)")
    p.add_argument("--trainee-base-url", help="trainee endpoint (env HIPPO_TRAINEE_BASE_URL, else HIPPO_LLM_BASE_URL)")
    p.add_argument("--trainee-model", help="trainee model (env HIPPO_TRAINEE_MODEL)")
    p.add_argument("--json", action="store_true", help="print the run summary (or report) as JSON")
    add_store_args(p)
    p.set_defaults(func=cmd_synth)
    sub = p.add_subparsers(dest="synth_command", metavar="report|audit")
    r = sub.add_parser("report", help="quality report of a synthesis output file")
    r.add_argument("file")
    r.add_argument("--json", action="store_true", help="print the report as JSON")
    r.add_argument("--no-graph", action="store_true", help="skip coverage and hop checks (no store needed)")
    r.add_argument("--no-embeddings", action="store_true", help="skip embedding dispersion (no model load)")
    add_store_args(r)
    r.set_defaults(func=cmd_report)
    a = sub.add_parser("audit", help="write a review sheet of sampled pairs (FILE.jsonl) or read its verdicts (SHEET.md)")
    a.add_argument("file", help="a synthesis output (writes the sheet) or a filled-in sheet, *.md (reads the verdicts)")
    a.add_argument("--sample", type=int, default=50, help="pairs per mode on the sheet (default 50)")
    a.add_argument("--seed", type=int, default=0, help="seed of the sample")
    a.add_argument("-o", "--output", help="the sheet to write (default FILE with .audit.md)")
    a.add_argument("--json", action="store_true", help="print the verdicts as JSON")
    add_store_args(a)
    a.set_defaults(func=cmd_audit)


def _memory(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    return memory_from_args(
        args,
        synth_base_url=args.synth_base_url,
        synth_model=args.synth_model,
        trainee_base_url=args.trainee_base_url,
        trainee_model=args.trainee_model,
    )


def cmd_synth(args: argparse.Namespace) -> int:
    from hippo.errors import UserError
    from hippo.synth.pipeline import Synthesizer

    if not args.output:
        raise UserError("hippo synth needs -o FILE (the output JSONL)")
    options = options_from_args(args)
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
    from hippo.embed import embedder_for
    from hippo.store import open_store
    from hippo.synth.report.quality import build_report, render
    from hippo.synth.topology import Topology

    settings = settings_from_args(args)
    topo = None
    if not args.no_graph:
        with open_store(settings.store, settings) as store:
            topo = Topology.from_store(store, settings.namespace)
    embedder = None if args.no_embeddings else embedder_for(settings)
    report = build_report(args.file, topo, embedder)
    if args.json:
        print_json(report)
    else:
        print(render(report))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from pathlib import Path

    from hippo.errors import UserError
    from hippo.store import open_store
    from hippo.synth.report.audit import read_verdicts, render_verdicts, write_sheet

    if args.file.endswith(".md"):
        report = read_verdicts(args.file)
        print_json(report) if args.json else print(render_verdicts(report))
        return 0
    if args.sample < 1:
        raise UserError("--sample must be at least 1")
    sheet = args.output or str(Path(args.file).with_suffix(".audit.md"))
    settings = settings_from_args(args)
    with open_store(settings.store, settings) as store:
        def passages(ids: list[str]) -> dict[str, str]:
            return {p.id: p.text for p in store.get_passages(settings.namespace, ids)}

        n = write_sheet(args.file, sheet, args.sample, passages, seed=args.seed)
    print(f"wrote {n} pairs to {sheet}; fill in each 'verdict:' line, then run: hippo synth audit {sheet}")
    return 0
