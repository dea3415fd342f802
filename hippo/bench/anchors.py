"""Fixed reference figures printed beside a run's own: measured once elsewhere, never in this run.

Each anchor names the dataset and the triples source it was measured on, so it is printed only next
to a run on the same inputs (same corpus, questions, embedder and extractor label).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Anchor:
    system: str
    dataset: str
    extractor: str  # the run's extractor label it is comparable with
    recall: dict[int, float]  # k -> Recall@k
    all_evidence_at_5: float
    source: str


ANCHORS = (
    Anchor(
        system="HippoRAG 2 reference code",
        dataset="musique",
        extractor="openie:openie_gpt-3.5-turbo-1106.json",
        recall={2: 43.8, 5: 67.3, 10: 77.8},
        all_evidence_at_5=42.0,
        source="OSU-NLP-Group/HippoRAG src/ unmodified, same corpus, questions, GPT-3.5 OpenIE file and "
               "all-MiniLM-L6-v2, recognition filter off (DESIGN.md §8; issue 18)",
    ),
)


def anchors_for(dataset: str, extractor: str) -> list[Anchor]:
    return [a for a in ANCHORS if a.dataset == dataset and a.extractor == extractor]
