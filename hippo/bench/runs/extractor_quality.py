"""How close the offline spaCy extractor comes to LLM OpenIE on the same passages.

The comparison itself is ``hippo.bench.openie_agreement`` (also behind ``hippo eval graph
--reference``). Reference: HippoRAG's GPT-3.5 OpenIE for the MuSiQue corpus (``docs[].passage`` = "title\\ntext";
entities and triples as lists or as Python-literal strings). Everything is compared after
``hippo.text.normalize_phrase`` with a leading "the" dropped.

Figures (micro-averaged over passages):
- entity recall / precision: GPT entities found among ours, ours found among GPT's;
- node recall: GPT triple arguments (HippoRAG's graph nodes) found among our entities; node
  precision: our entities found among GPT's entities or triple arguments;
- triple argument coverage: GPT triples whose subject and object are both among our entities
  (our entity list includes our triple arguments) — the edges our graph *could* hold;
- triple pair recall: GPT triples whose (subject, object) pair we also link by a triple, either
  direction — the edges our graph *does* hold;
- triples and entities per passage, and extraction speed (passages/s, model load excluded).

Usage:
    python -m hippo.bench.runs.extractor_quality [--data DATA/musique --openie FILE] [--limit 300]
        [--out benchmarks/results/extractor_quality.json] [--show 0]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from hippo.bench.openie_agreement import load_reference, score
from hippo.index.extract.spacy_extractor import SpacyExtractor
from hippo.text import normalize_passage, passage_id
from hippo.types import Passage


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="folder with corpus.json and the OpenIE file")
    parser.add_argument("--openie", default="openie_gpt-3.5-turbo-1106.json")
    parser.add_argument("--limit", type=int, default=300, help="first N passages of the corpus")
    parser.add_argument("--model", default="", help="spaCy pipeline (default: the bundled one)")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/extractor_quality.json"))
    parser.add_argument("--show", type=int, default=0, help="print our and GPT's output for N passages")
    args = parser.parse_args()

    corpus = json.loads((args.data / "corpus.json").read_text(encoding="utf-8"))[: args.limit]
    reference = load_reference(args.data / args.openie)
    passages: list[Passage] = []
    refs = []
    unmatched = 0
    for row in corpus:
        key = normalize_passage(f"{row['title']}\n{row['text']}")
        if key not in reference:
            unmatched += 1
            continue
        pid = passage_id(row["title"], row["text"])
        passages.append(Passage(id=pid, doc_id=pid, title=row["title"], text=row["text"]))
        refs.append(reference[key])

    extractor = SpacyExtractor(model=args.model)
    extractor.extract(passages[:2])  # warm-up, so the timing below is steady-state speed
    started = time.perf_counter()
    extractions = extractor.extract(passages)
    seconds = time.perf_counter() - started

    figures = score(extractions, refs)
    figures.update(
        {
            "passages": len(passages),
            "unmatched_passages": unmatched,
            "failed_passages": sum(1 for e in extractions if e.error),
            "seconds": seconds,
            "passages_per_second": len(passages) / seconds if seconds else 0.0,
            "words_per_second": sum(len(p.text.split()) for p in passages) / seconds if seconds else 0.0,
            # the machine is shared: speed is only comparable at a similar load
            "load_average_1min": os.getloadavg()[0],
            "spacy_model": extractor.nlp.meta.get("name", ""),
            "reference": args.openie,
        }
    )
    for ext, psg, (g_ents, g_trips) in list(zip(extractions, passages, refs, strict=True))[: args.show]:
        print(f"## {psg.title}\n{psg.text}\nours entities: {ext.entities}\ngpt  entities: {g_ents}")
        for ours in ext.triples:
            print(f"  ours: ({ours.subject} | {ours.predicate} | {ours.object})")
        for gold in g_trips:
            print(f"  gpt:  ({' | '.join(gold)})")
        print()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
