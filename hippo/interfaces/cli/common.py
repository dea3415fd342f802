"""Flags every command shares (--store, --namespace) and building a Memory from them."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from hippo.config import Settings
from hippo.memory import Memory


def add_store_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", help="store URI: sqlite:///path.db (default .hippo/hippo.db), neo4j://host:port; env HIPPO_STORE")
    parser.add_argument("--namespace", help="namespace inside the store (env HIPPO_NAMESPACE, default 'default')")


def settings_from_args(args: argparse.Namespace, **extra: Any) -> Settings:
    return Settings.from_env(store=getattr(args, "store", None), namespace=getattr(args, "namespace", None), **extra)


def memory_from_args(args: argparse.Namespace, **extra: Any) -> Memory:
    return Memory(settings_from_args(args, **extra))


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
