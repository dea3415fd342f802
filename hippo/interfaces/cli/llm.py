"""`hippo llm check`: what a configured OpenAI-compatible endpoint supports, and the settings to use."""

from __future__ import annotations

import argparse
from typing import Any

from hippo.interfaces.cli.common import print_json, settings_from_args

ROLES = ("llm", "synth", "trainee")


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("llm", help="inspect the configured LLM endpoints")
    sub = p.add_subparsers(dest="llm_command", metavar="ACTION", required=True)
    c = sub.add_parser("check", help="probe chat, JSON mode, log-probabilities and latency of an endpoint")
    c.add_argument("--role", choices=ROLES, default="llm",
                   help="which endpoint: HIPPO_LLM_* (default), HIPPO_SYNTH_* or HIPPO_TRAINEE_* (falling back to llm)")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_check)


def cmd_check(args: argparse.Namespace) -> int:
    from hippo.llm.check import check_endpoint
    from hippo.llm.client import LLMClient

    settings = settings_from_args(args)
    client = LLMClient.from_settings(settings.replace(llm_max_retries=0), role=args.role)
    try:
        report = check_endpoint(client)
    finally:
        client.close()
    if args.json:
        print_json(report.to_dict())
    else:
        print(f"endpoint {report.base_url} model {report.model!r}{' (on this machine)' if report.local else ''}")
        for probe in report.probes:
            print(f"  {probe.name:<10} {'ok  ' if probe.ok else 'FAIL'} {probe.seconds:6.2f} s  {probe.detail}")
        for line in report.advice:
            print(f"  advice: {line}")
    return 0 if report.reachable else 1
