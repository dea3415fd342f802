"""Hippo: a knowledge-graph memory for LLM applications."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Memory", "Settings", "__version__"]

if TYPE_CHECKING:
    from hippo.config import Settings
    from hippo.memory import Memory


def __getattr__(name: str) -> Any:
    # lazy: `import hippo` must not pull in torch or igraph
    if name == "Memory":
        from hippo.memory import Memory

        return Memory
    if name == "Settings":
        from hippo.config import Settings

        return Settings
    raise AttributeError(name)
