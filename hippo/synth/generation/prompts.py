"""What every prompt to the synthesiser shares: the system message, the subgraph rendered as a
list of entities with descriptions and facts with their source sentences, and the grounding
judge's question. Each recipe's own prompts live in its folder."""

from __future__ import annotations

from hippo.synth.units import SubgraphUnits

SYSTEM = (
    "You write training data for a language model from a knowledge graph. Use only the facts "
    "given. Every question must stand alone: never refer to 'the text', 'the passage', 'the "
    "above', 'this' or 'these' without naming what is meant. Reply with JSON only."
)


def render_subgraph(units: SubgraphUnits) -> str:
    lines = ["Entities:"]
    for e in units.entities.values():
        lines.append(f"- {e.name}: {e.description}" if e.description else f"- {e.name}")
    lines.append("Facts:")
    for i, f in enumerate(units.facts.values(), 1):
        source = f' (source: "{f.sentence}")' if f.sentence else ""
        lines.append(f"{i}. {f.triple_text}{source}")
    return "\n".join(lines)


def judge(context: str, question: str, answer: str) -> str:
    return (
        f"Source material:\n{context}\n\nQuestion: {question}\nAnswer: {answer}\n\nIs every claim "
        "of the answer supported by the source material, and does it answer the question? "
        'Reply as {"grounded": true or false, "reason": "..."}.'
    )
