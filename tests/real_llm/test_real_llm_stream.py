"""A streamed JSON reply is closed at the end of its object, and the real server stops generating
when it is (llama-cpp-python checks for a gone client after every streamed chunk)."""

from __future__ import annotations

import time
from pathlib import Path

from hippo.llm.client import FINISH_OBJECT, LLMClient
from hippo.llm.json_repair import parse_json_reply
from tests.real_llm.conftest import RealLLM

# JSON mode is grammar-constrained: the facts asked for after the object cannot be written, and
# Qwen2.5-Coder-0.5B pads the finished object with whitespace up to max_tokens instead (measured:
# 120 of 120 tokens, '{"answer": "Paris"}' then newlines and spaces)
PADDING_PROMPT = ('Reply with {"answer": "..."} where the answer is the capital of France, '
                  "then on the next lines list three facts about it.")


def test_a_json_reply_is_closed_at_its_object_and_the_server_stops(real_llm: RealLLM, tmp_path: Path) -> None:
    client = LLMClient(real_llm.base_url, real_llm.model, "none", timeout=300, concurrency=1, max_retries=1)
    try:
        reply = client.chat([{"role": "user", "content": PADDING_PROMPT}], json_mode=True, max_tokens=1000,
                            use_cache=False)
        assert reply.finish_reason == FINISH_OBJECT  # closed by Hippo, not ended by the server
        assert isinstance(parse_json_reply(reply.text), dict) and reply.text.endswith("}")
        # had the server gone on to max_tokens (~1,000 tokens at ~10-16 tokens/s on one thread)
        # the next request would wait a minute or more for its turn
        started = time.monotonic()
        client.chat([{"role": "user", "content": "Say hi."}], max_tokens=1, use_cache=False)
        assert time.monotonic() - started < 30
    finally:
        client.close()
