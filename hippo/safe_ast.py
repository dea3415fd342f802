"""Thread-safe ``ast.literal_eval`` for CPython 3.11.

CPython 3.11's AST recursion guard is shared between threads (gh-106905): two
threads building an AST at once can raise "AST constructor recursion depth
mismatch". numpy parses every ``.npy`` header with ``ast.literal_eval`` and the LLM
reply repair falls back to it, both from worker threads, so every AST build in
Hippo goes through one lock. The inputs are small; the lock costs nothing
measurable.
"""

from __future__ import annotations

import ast
import threading
from typing import Any

AST_LOCK = threading.Lock()


def literal_eval(source: str) -> Any:
    """``ast.literal_eval`` under the process-wide AST lock."""
    with AST_LOCK:
        return ast.literal_eval(source)
