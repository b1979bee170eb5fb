"""Per-client rate limit: a token bucket per client, in this process's memory.

Each client may make `rate_limit_per_minute` requests in a burst and then that many per minute.
Several API processes each keep their own buckets (a client may then reach N times its limit
across N processes); a shared limiter (Redis) is for when the API is scaled out that way."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._buckets: dict[int, _Bucket] = {}

    def take(self, client_id: int, per_minute: int) -> float:
        """0 if the request may go now, else the seconds until one token is back."""
        now = self._clock()
        rate = per_minute / 60.0
        bucket = self._buckets.get(client_id)
        if bucket is None:
            bucket = self._buckets[client_id] = _Bucket(float(per_minute), now)
        bucket.tokens = min(float(per_minute), bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / rate

    @staticmethod
    def retry_after_header(wait: float) -> str:
        return str(max(1, math.ceil(wait)))
