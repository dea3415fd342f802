"""Array-backed string columns and id lookups for snapshots that live in memory-mapped files.

A list of a million Python strings costs ~100 MB per process and seconds to build; these keep the
strings as one UTF-8 blob plus offsets (or as a sorted fixed-width key array for lookups), so a
process that maps them pays only for the pages it touches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import SupportsIndex, overload

import numpy as np


class StringColumn(Sequence[str]):
    """Strings as ``blob`` (uint8) + ``offsets`` (int64, len n+1): row i is blob[offsets[i]:offsets[i+1]]."""

    __slots__ = ("blob", "offsets")

    def __init__(self, blob: np.ndarray, offsets: np.ndarray) -> None:
        self.blob = blob
        self.offsets = offsets

    @classmethod
    def of(cls, items: Iterable[str]) -> StringColumn:
        encoded = [s.encode("utf-8") for s in items]
        lengths = np.fromiter((len(b) for b in encoded), dtype=np.int64, count=len(encoded))
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        blob = np.frombuffer(b"".join(encoded), dtype=np.uint8) if encoded else np.zeros(0, np.uint8)
        return cls(blob, offsets)

    @classmethod
    def concat(cls, parts: Sequence[StringColumn]) -> StringColumn:
        blobs, offsets, shift = [], [np.zeros(1, dtype=np.int64)], 0
        for part in parts:
            blobs.append(np.asarray(part.blob))
            offsets.append(np.asarray(part.offsets[1:]) + shift)
            shift += int(part.offsets[-1])
        return cls(np.concatenate(blobs) if blobs else np.zeros(0, np.uint8), np.concatenate(offsets))

    def __len__(self) -> int:
        return int(self.offsets.shape[0]) - 1

    @overload
    def __getitem__(self, i: SupportsIndex) -> str: ...

    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i: SupportsIndex | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        i = int(i)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        start, end = int(self.offsets[i]), int(self.offsets[i + 1])
        return bytes(self.blob[start:end]).decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        # one decode of the whole blob, then slicing, is far cheaper than per-row memmap reads
        data = bytes(self.blob)
        offsets = self.offsets.tolist()
        for start, end in zip(offsets[:-1], offsets[1:], strict=True):
            yield data[start:end].decode("utf-8")

    def tolist(self) -> list[str]:
        return list(iter(self))

    def rows(self, start: int, stop: int) -> StringColumn:
        """Rows start..stop-1 as a column sharing this one's memory."""
        base = int(self.offsets[start])
        return StringColumn(self.blob[base : int(self.offsets[stop])], np.asarray(self.offsets[start : stop + 1]) - base)


class IdIndex:
    """id -> row over a StringColumn, by binary search in a sorted fixed-width key array: no dict
    of every id per process, and vectorised lookups (``rows``) for many ids at once."""

    __slots__ = ("keys", "rows_of_keys")

    def __init__(self, keys: np.ndarray, rows_of_keys: np.ndarray) -> None:
        self.keys = keys  # sorted, dtype S<width>
        self.rows_of_keys = rows_of_keys  # int64: row of keys[i]

    @classmethod
    def of(cls, ids: Sequence[str]) -> IdIndex:
        raw = np.array([s.encode("utf-8") for s in ids], dtype=np.bytes_) if len(ids) else np.zeros(0, "S1")
        if raw.dtype.itemsize == 0:
            raw = raw.astype("S1")
        order = np.argsort(raw, kind="stable").astype(np.int64)
        return cls(raw[order], order)

    def rows(self, ids: Sequence[str]) -> np.ndarray:
        """Row of each id, -1 where unknown."""
        if not len(ids) or not self.keys.size:
            return np.full(len(ids), -1, dtype=np.int64)
        width = self.keys.dtype.itemsize
        encoded = [s.encode("utf-8") for s in ids]
        # ids longer than every key cannot be present; np.bytes_ would truncate them into a match
        too_long = np.fromiter((len(b) > width for b in encoded), dtype=bool, count=len(encoded))
        query = np.array(encoded, dtype=f"S{width}")
        pos = np.searchsorted(self.keys, query)
        pos_ok = np.minimum(pos, self.keys.size - 1)
        found = (pos < self.keys.size) & (self.keys[pos_ok] == query) & ~too_long
        return np.where(found, self.rows_of_keys[pos_ok], -1)

    @overload
    def get(self, key: str) -> int | None: ...

    @overload
    def get(self, key: str, default: int) -> int: ...

    def get(self, key: str, default: int | None = None) -> int | None:
        row = int(self.rows([key])[0])
        return default if row < 0 else row

    def __getitem__(self, key: str) -> int:
        row = self.get(key)
        if row is None:
            raise KeyError(key)
        return row

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __len__(self) -> int:
        return int(self.keys.shape[0])
