"""A least-recently-used cache bounded in bytes, shared by every session of the server."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class BytesLRU(Generic[V]):
    """Keeps values until their sizes add up to more than ``max_bytes``; the oldest go first.

    The newest value always stays, even alone over the bound: the page that asked for it is
    using it.
    """

    def __init__(self, max_bytes: int, size_of: Callable[[V], int]):
        self.max_bytes = max_bytes
        self._size_of = size_of
        self._items: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            held = self._items.get(key)
            if held is None:
                return None
            self._items.move_to_end(key)
            return held[0]

    def put(self, key: Hashable, value: V) -> V:
        size = int(self._size_of(value))
        with self._lock:
            self._items[key] = (value, size)
            self._items.move_to_end(key)
            total = sum(s for _, s in self._items.values())
            while len(self._items) > 1 and total > self.max_bytes:
                _, (_, dropped) = self._items.popitem(last=False)
                total -= dropped
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    @property
    def nbytes(self) -> int:
        with self._lock:
            return sum(s for _, s in self._items.values())

    def __len__(self) -> int:
        return len(self._items)
