"""The one list of retrieval modes. The CLI's ``--mode`` choices, the API's and MCP's validation and
the ``retrieval_mode`` setting all read ``MODES`` from here; a new mode is one line below."""

from __future__ import annotations

from hippo.retrieve.policies.base import RetrievalPolicy
from hippo.retrieve.policies.bridge import BridgePolicy
from hippo.retrieve.policies.dense import DensePolicy
from hippo.retrieve.policies.hipporag1 import HippoRAG1Policy
from hippo.retrieve.policies.hipporag2 import HippoRAG2Policy

POLICIES: dict[str, type[RetrievalPolicy]] = {
    cls.name: cls for cls in (HippoRAG2Policy, HippoRAG1Policy, DensePolicy, BridgePolicy)
}
MODES: tuple[str, ...] = tuple(POLICIES)
DEFAULT_MODE = "bridge"
# the modes that rank through the graph (what a benchmark measures beside its own baselines)
GRAPH_MODES: tuple[str, ...] = tuple(name for name, cls in POLICIES.items() if cls.uses_graph)


def unknown_mode_message(mode: object) -> str:
    return f"unknown mode {mode!r}; choose one of {', '.join(MODES)}"


def policy_class(mode: str) -> type[RetrievalPolicy]:
    try:
        return POLICIES[mode]
    except KeyError:
        raise ValueError(unknown_mode_message(mode)) from None


def modes_help() -> str:
    """``name (summary)`` for each mode, the default first, for help texts and tool descriptions."""
    return "; ".join(f"{name}{' (default)' if name == DEFAULT_MODE else ''}: {cls.summary}"
                     for name, cls in POLICIES.items())
