"""Prompts for the synthesiser LLM, one per step. The subgraph is rendered as a list of
entities with descriptions and facts with their source sentences."""

from __future__ import annotations

from hippo.synth.generators.chains import Chain
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


def atomic(units: SubgraphUnits) -> str:
    return (
        f"{render_subgraph(units)}\n\nFor each numbered fact write one question that the fact "
        'answers and its answer. Reply as {"pairs": [{"fact": <number>, "question": "...", '
        '"answer": "..."}]}.'
    )


def aggregated_rephrase(units: SubgraphUnits) -> str:
    return (
        f"{render_subgraph(units)}\n\nRewrite all of these entities and facts as one coherent, "
        'self-contained paragraph that keeps every name and number. Reply as {"text": "..."}.'
    )


def aggregated_question(text: str) -> str:
    return (
        f"Text:\n{text}\n\nWrite the one question that this text is a complete answer to. The "
        'question must name the entities it asks about. Reply as {"question": "..."}.'
    )


def multi_hop(units: SubgraphUnits, chain: Chain, names: dict[str, str]) -> str:
    a, b, c = (names[e] for e in chain.path)
    return (
        f"{render_subgraph(units)}\n\nWrite a question that starts from {a}, needs the fact "
        f'"{chain.first.triple_text}" to reach {b}, and then the fact "{chain.second.triple_text}" '
        f"to reach the answer {c}. Do not name {b} in the question. The answer names {c} and "
        'explains both steps. Reply as {"question": "...", "answer": "..."}.'
    )


def cot_design(units: SubgraphUnits) -> str:
    return (
        f"{render_subgraph(units)}\n\nDesign a question that needs several of these facts, and "
        "the reasoning path to answer it as a list of short steps, each using one fact. Reply "
        'as {"question": "...", "reasoning_path": ["...", "..."]}.'
    )


def cot_answer(units: SubgraphUnits, question: str, steps: list[str]) -> str:
    plan = "\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1))
    return (
        f"{render_subgraph(units)}\n\nQuestion: {question}\nReasoning plan:\n{plan}\n\nAnswer "
        "the question by following the plan step by step: one short sentence per step, each "
        'stating the fact it uses. Reply as {"reasoning": ["step 1 ...", "step 2 ..."], "answer": "the final answer"}.'
    )


def judge(context: str, question: str, answer: str) -> str:
    return (
        f"Source material:\n{context}\n\nQuestion: {question}\nAnswer: {answer}\n\nIs every claim "
        "of the answer supported by the source material, and does it answer the question? "
        'Reply as {"grounded": true or false, "reason": "..."}.'
    )
