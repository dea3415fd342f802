"""The `hippo` command. Each sub-command lives in a module of `hippo.interfaces.cli` with a
``register(subparsers)`` function; this file only assembles them and turns errors into one line."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable

from hippo.errors import HippoError, describe

EXIT_ERROR = 1  # every HippoError; 2 is argparse's usage error, 130 an interrupt
COMMAND_MODULES: list[str] = [
    "hippo.interfaces.cli.core",
    "hippo.interfaces.cli.neo4j",
    "hippo.interfaces.cli.bench",
    "hippo.interfaces.cli.synth",
    "hippo.interfaces.cli.ask",
    "hippo.interfaces.cli.serve",
    "hippo.interfaces.cli.llm",
    "hippo.interfaces.cli.evaluate",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hippo",
        description="Hippo: a knowledge-graph memory with multi-hop retrieval and training-data synthesis.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details to stderr")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return run(lambda: args.func(args))


def run(command: Callable[[], int | None]) -> int:
    """Run a command; a HippoError becomes one line on stderr and exit 1, with the same words the
    API and the MCP server give (``hippo.errors.describe``). Other exceptions are bugs: they keep
    their traceback."""
    try:
        return int(command() or 0)
    except HippoError as exc:
        print(f"hippo: error: {describe(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("hippo: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # output piped into `head` and closed early: not an error worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
