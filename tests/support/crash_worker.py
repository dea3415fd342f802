"""An indexing job run in a child process so a test can SIGKILL it at random points.

    python -m tests.support.crash_worker --store URI --namespace NS --openie FILE --corpus FILE.jsonl
           [--delete ID ...] [--batch N] [--die-at "STAGE DONE/TOTAL"]

The job deletes the given documents, then indexes the corpus with ``replace=True`` in small
batches (many transactions, so many places to die). Every progress event is printed on its own
line and flushed, so the parent can choose a moment to kill it; ``done`` is printed at the end.
The job is idempotent: running it again after a crash finishes the work. ``--die-at`` makes the
process SIGKILL itself right after the matching progress event — an exact, repeatable kill point.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys

from hippo.index.extract.openie_import import ImportedExtractor
from hippo.index.ingest import read_sources
from hippo.index.pipeline import Indexer
from hippo.memory import Memory


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", required=True)
    parser.add_argument("--namespace", required=True)
    parser.add_argument("--openie", required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--delete", nargs="*", default=[])
    parser.add_argument("--batch", type=int, default=2)
    parser.add_argument("--die-at", default="")
    args = parser.parse_args(argv)

    docs = read_sources([args.corpus]).documents
    with Memory(store=args.store, namespace=args.namespace, extractor=ImportedExtractor(args.openie)) as memory:
        memory.embedder.embed(["warm-up"])  # the model load is not an interesting place to die
        say("ready")
        if args.delete:
            memory.delete(args.delete)
            say("deleted")
        def progress(stage: str, done: int, total: int) -> None:
            event = f"{stage} {done}/{total}"
            say(event)
            if event == args.die_at:
                os.kill(os.getpid(), signal.SIGKILL)

        indexer = Indexer(memory.store, memory.embedder, memory.extractor, memory.settings)
        indexer.index(memory.namespace, docs, replace=True, batch_docs=args.batch, progress=progress)
    say("done")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
