"""Partitioners of the entity–fact graph into subgraphs; importing this package registers them."""

from __future__ import annotations

from hippo.errors import UserError
from hippo.synth.partition import bfs, dfs, khop, leiden, path2  # noqa: F401  (registration)
from hippo.synth.partition.base import PARTITIONERS, PartitionOptions, Priority, Subgraph
from hippo.synth.topology import Topology

__all__ = ["PARTITIONERS", "PartitionOptions", "Subgraph", "partition"]


def partition(name: str, topo: Topology, priority: Priority, opts: PartitionOptions) -> list[Subgraph]:
    try:
        fn = PARTITIONERS[name]
    except KeyError:
        raise UserError(f"unknown partitioner {name!r}; choose one of {', '.join(sorted(PARTITIONERS))}") from None
    return fn(topo, priority, opts)
