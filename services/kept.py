"""Values kept for a while in this process: what a screen reads again and again and may be a
little old (course list pages, the field list)."""

from __future__ import annotations

import time
from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Kept(Generic[K, V]):
    """Each value for `seconds` after it was put; at most `most` keys: past that the expired
    ones go, then all, so a flood of distinct keys (junk input) cannot grow it."""

    def __init__(self, seconds: float, most: int) -> None:
        self.seconds = seconds
        self.most = most
        self._values: dict[K, tuple[float, V]] = {}

    def get(self, key: K) -> V | None:
        kept = self._values.get(key)
        if kept is None or kept[0] <= time.monotonic():
            return None
        return kept[1]

    def put(self, key: K, value: V) -> None:
        now = time.monotonic()
        if len(self._values) >= self.most:
            self._values = {k: v for k, v in self._values.items() if v[0] > now}
            if len(self._values) >= self.most:
                self._values.clear()
        self._values[key] = (now + self.seconds, value)

    def clear(self) -> None:
        self._values.clear()
