"""SFT record formats (what common trainers read) and their inverse, for the report."""

from __future__ import annotations

from typing import Any

# a verifiable-reward record {"prompt", "answer" (the answer key), "choices" when there are some}
RL_FORMAT = "rl"
FORMATS = ("alpaca", "sharegpt", "chatml", RL_FORMAT)  # QA pair formats
QA_FORMATS = FORMATS
# a continued-pretraining corpus record {"text": ...} (EntiGraph, WRAP)
TEXT_FORMAT = "text"
ALL_FORMATS = (*FORMATS, TEXT_FORMAT)


def encode(fmt: str, question: str, answer: str, key: str = "", choices: list[str] | None = None) -> dict[str, Any]:
    """``key``: the short answer a reward checks exactly (the rl format's answer; the full
    answer when the pair has none); ``choices``: a multiple-choice pair's options."""
    if fmt == RL_FORMAT:
        record: dict[str, Any] = {"prompt": question, "answer": key or answer}
        if choices:
            record["choices"] = list(choices)
        return record
    if fmt == "alpaca":
        return {"instruction": question, "input": "", "output": answer}
    if fmt == "sharegpt":
        return {"conversations": [{"from": "human", "value": question}, {"from": "gpt", "value": answer}]}
    if fmt == "chatml":
        return {"messages": [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]}
    if fmt == TEXT_FORMAT:
        return {"text": answer}
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def detect(record: dict[str, Any]) -> str | None:
    if isinstance(record.get("prompt"), str) and "answer" in record:
        return RL_FORMAT
    if "instruction" in record and "output" in record:
        return "alpaca"
    if isinstance(record.get("conversations"), list):
        return "sharegpt"
    if isinstance(record.get("messages"), list):
        return "chatml"
    if isinstance(record.get("text"), str):
        return TEXT_FORMAT
    return None


def decode(record: dict[str, Any]) -> tuple[str, str]:
    """(question, answer) of a record in any of the formats; ValueError when it is none."""
    fmt = detect(record)
    if fmt == "alpaca":
        q = str(record["instruction"])
        if record.get("input"):
            q = f"{q}\n{record['input']}"
        return q, str(record["output"])
    if fmt == "sharegpt":
        turns = record["conversations"]
        q = next(str(t.get("value", "")) for t in turns if t.get("from") in ("human", "user"))
        a = next(str(t.get("value", "")) for t in turns if t.get("from") in ("gpt", "assistant"))
        return q, a
    if fmt == "chatml":
        turns = record["messages"]
        q = next(str(t.get("content", "")) for t in turns if t.get("role") == "user")
        a = next(str(t.get("content", "")) for t in turns if t.get("role") == "assistant")
        return q, a
    if fmt == TEXT_FORMAT:
        return "", str(record["text"])
    if fmt == RL_FORMAT:
        return str(record["prompt"]), str(record["answer"])
    raise ValueError("record is not alpaca, sharegpt, chatml, rl or text")
