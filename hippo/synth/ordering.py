"""Which units come first: blind-spot losses (scored now or stored by an earlier run), the
accuracy fallback when the trainee gave no logprobs, or — with neither — entity degree, long
tail first. Whatever is used is named in the run's summary; there is no silent constant."""

from __future__ import annotations

from dataclasses import dataclass, field

from hippo.synth.topology import Topology

SOURCE_LOSS = "loss"
SOURCE_ACCURACY = "accuracy_fallback"
SOURCE_DEGREE = "degree_fallback"


@dataclass
class Ordering:
    source: str
    priority: dict[str, float]
    losses: dict[str, float]  # what meta.loss and difficulty are computed from ({} = unscored)
    note: str
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"source": self.source, "note": self.note, "scored_units": len(self.losses), "warnings": self.warnings}


def choose_ordering(topo: Topology, losses: dict[str, float], accuracy: dict[str, float], trainee_used: bool) -> Ordering:
    if losses:
        return Ordering(
            SOURCE_LOSS,
            dict(losses),
            dict(losses),
            f"seeds ordered by blind-spot loss from trainee logprobs ({len(losses)} units scored)",
        )
    if accuracy:
        return Ordering(
            SOURCE_ACCURACY,
            dict(accuracy),
            dict(accuracy),
            "the trainee returned no logprobs: seeds ordered by the error rate of its yes/no text answers",
            ["trainee returned no logprobs; losses come from text-answer accuracy instead"],
        )
    reason = "the trainee gave no usable scores" if trainee_used else "no trainee configured and no stored losses"
    priority = {e: 1.0 / (1 + topo.degree(e)) for e in topo.entity_ids}
    return Ordering(
        SOURCE_DEGREE,
        priority,
        {},
        f"{reason}: seeds ordered by entity degree, long tail first; difficulty unscored",
    )
