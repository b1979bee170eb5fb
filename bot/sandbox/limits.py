"""Telegram's flood limits, enforced on a sandbox bot when a test or benchmark asks for them.

Two limits, checked on every sending call (sendMessage, sendPhoto, sendDocument, copyMessage,
forwardMessage and the edits), each answered the way Telegram does: HTTP 429 with
`{"ok": false, "error_code": 429, "description": "Too Many Requests: retry after N",
"parameters": {"retry_after": N}}`.

- The bot's global rate is a **token bucket**: `per_second` tokens a second, holding at most
  `burst` (default: a tenth of a second's worth, at least 2). A bucket rather than a one-second
  sliding window because it judges the spacing of calls, not their count in a window that may
  straddle two HTTP round trips: a sender pacing itself at exactly `per_second` passes even with
  a few milliseconds of jitter, and one sending faster is refused within a few calls.
- One chat: two sending calls at least `per_chat_interval` seconds apart (by arrival).

A refused call uses up nothing. Besides, `random_429` refuses that fraction of sending calls at
random (seeded, so a benchmark run can be repeated). The counters (`delivered`, `times`,
`too_many`) let a test find duplicates, order and spacing; they count only while enforcing."""

from __future__ import annotations

import math
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.models import ApiError
from bot.sandbox.params import parse_chat_id

SENDING_METHODS = frozenset({
    "sendmessage", "sendphoto", "senddocument", "copymessage", "forwardmessage",
    "editmessagetext", "editmessagecaption", "editmessagereplymarkup", "editmessagemedia",
})
# The calls that put a new message in a chat (edits change one).
DELIVERING_METHODS = frozenset({
    "sendmessage", "sendphoto", "senddocument", "copymessage", "forwardmessage",
})


@dataclass
class RateLimiter:
    per_second: float | None = None
    per_chat_interval: float = 0.0
    # None: the seconds until the call would pass, rounded up (Telegram answers whole seconds).
    retry_after: int | None = None
    burst: float | None = None
    random_429: float = 0.0
    seed: int = 0
    delivered: Counter[int] = field(default_factory=Counter)
    # Per chat, the monotonic times of the messages delivered to it.
    times: dict[int, list[float]] = field(default_factory=dict)
    too_many: int = 0
    refused_at: list[float] = field(default_factory=list)  # monotonic times of the 429s
    _tokens: float = field(default=0.0, init=False)
    _filled_at: float = field(default=0.0, init=False)
    _last_in_chat: dict[int, float] = field(default_factory=dict, init=False)
    _rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        if self.burst is None and self.per_second is not None:
            self.burst = max(2.0, self.per_second / 10)
        self._tokens = self.burst or 0.0
        self._filled_at = time.monotonic()

    def admit(self, method: str, params: dict[str, Any]) -> None:
        """Raise the 429 Telegram would give for this call, or take its place in the limits."""
        if method not in SENDING_METHODS:
            return
        now = time.monotonic()
        if self.random_429 and self._rng.random() < self.random_429:
            self._refuse(1.0)
        chat_id = _chat_of(params)
        if chat_id is not None and self.per_chat_interval > 0:
            last = self._last_in_chat.get(chat_id)
            if last is not None and now - last < self.per_chat_interval:
                self._refuse(last + self.per_chat_interval - now)
        if self.per_second is not None:
            assert self.burst is not None
            self._tokens = min(
                self.burst, self._tokens + (now - self._filled_at) * self.per_second
            )
            self._filled_at = now
            if self._tokens < 1.0:
                self._refuse((1.0 - self._tokens) / self.per_second)
            self._tokens -= 1.0
        if chat_id is not None:
            self._last_in_chat[chat_id] = now

    def record(self, method: str, params: dict[str, Any]) -> None:
        """A call that succeeded: count a delivered message."""
        chat_id = _chat_of(params)
        if method in DELIVERING_METHODS and chat_id is not None:
            self.delivered[chat_id] += 1
            self.times.setdefault(chat_id, []).append(time.monotonic())

    def duplicates(self, expected: int = 1) -> dict[int, int]:
        """Chats that got more than `expected` messages, with how many they got."""
        return {chat: n for chat, n in self.delivered.items() if n > expected}

    def snapshot(self) -> dict[str, Any]:
        return {
            "too_many": self.too_many,
            "delivered": sum(self.delivered.values()),
            "chats": len(self.delivered),
            "per_chat": {str(chat): n for chat, n in self.delivered.items()},
        }

    def _refuse(self, wait: float) -> None:
        self.too_many += 1
        self.refused_at.append(time.monotonic())
        seconds = self.retry_after if self.retry_after is not None else max(1, math.ceil(wait))
        raise ApiError(429, f"Too Many Requests: retry after {seconds}", seconds)


def _chat_of(params: dict[str, Any]) -> int | None:
    try:
        return parse_chat_id(params.get("chat_id"))
    except (ApiError, ValueError, TypeError):
        return None
