"""The webhook sender: POSTs the pending deliveries, records each attempt, retries with backoff.

Runs in the API process and beside the bots (`make run`); with several workers each takes its
own rows: a pass claims due rows by moving their next_attempt_at to the end of a lease in one
conditional UPDATE (WebhookRepository.claim_due). A worker that dies mid-attempt loses its rows
when the lease ends and another sends them again, so delivery is at least once; receivers drop
repeats by the event id.

A 2xx answer is delivered. Anything else (another status, a redirect, a timeout, a refused
connection) is retried after WEBHOOK_BACKOFF_SECONDS, doubling each time (at most an hour),
until WEBHOOK_MAX_ATTEMPTS, then the row is failed with the last error kept. A row whose
endpoint was removed or whose client was revoked is failed without sending."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import os
import socket
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.metrics import WEBHOOK_DELIVERIES
from services.webhooks import wake
from services.webhooks.signing import signature
from storage.models import utcnow
from storage.repositories.webhooks import DELIVERED, FAILED, WebhookRepository

logger = logging.getLogger(__name__)

USER_AGENT = "Maharatyar-Webhooks/1"
MAX_BACKOFF_SECONDS = 3600.0
_ERROR_CHARS = 500
_ANSWER_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class WebhookPacing:
    max_attempts: int = 10
    backoff_seconds: float = 10.0
    timeout_seconds: float = 10.0
    poll_seconds: float = 2.0
    batch: int = 50
    max_in_flight: int = 16

    @property
    def lease_seconds(self) -> float:
        # Longer than one attempt can take, so a live worker never loses its row.
        return self.timeout_seconds + 30.0

    def backoff(self, attempts: int) -> float:
        return min(MAX_BACKOFF_SECONDS, self.backoff_seconds * 2 ** (attempts - 1))


def body_bytes(body: dict[str, object]) -> bytes:
    """What is sent and signed: compact JSON, Persian letters as they are."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True, slots=True)
class _Attempt:
    id: int
    event_id: str
    event_type: str
    url: str
    secret: str
    body: bytes
    attempts: int  # before this one
    gone: str | None  # why it cannot be sent any more


class WebhookSender:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        pacing: WebhookPacing | None = None,
        *,
        holder: str | None = None,
    ) -> None:
        self._sessions = session_factory
        self.pacing = pacing or WebhookPacing()
        self.holder = holder or f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._wake = asyncio.Event()

    async def run(self) -> None:
        """Send until cancelled. A pass that fails (the database away) is logged and retried."""
        wake.register(self._wake)
        timeout = aiohttp.ClientTimeout(total=self.pacing.timeout_seconds)
        try:
            async with aiohttp.ClientSession(timeout=timeout) as http:
                while True:
                    self._wake.clear()
                    try:
                        sent = await self.pass_once(http)
                    except (TimeoutError, OSError, aiohttp.ClientError) as error:
                        logger.warning("webhook pass failed: %s", type(error).__name__)
                        sent = 0
                    except Exception:
                        logger.exception("webhook pass failed")
                        sent = 0
                    if sent:
                        continue  # more may be due
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self.pacing.poll_seconds)
        finally:
            wake.unregister(self._wake)

    async def pass_once(self, http: aiohttp.ClientSession) -> int:
        """Claim the due rows (at most a batch) and attempt each; returns how many."""
        attempts = await self._claim()
        if not attempts:
            return 0
        limit = asyncio.Semaphore(self.pacing.max_in_flight)

        async def one(attempt: _Attempt) -> None:
            async with limit:
                await self._attempt(http, attempt)

        await asyncio.gather(*(one(a) for a in attempts))
        return len(attempts)

    async def _claim(self) -> list[_Attempt]:
        now = utcnow()
        lease_until = now + dt.timedelta(seconds=self.pacing.lease_seconds)
        async with self._sessions() as session:
            repo = WebhookRepository(session)
            ids = await repo.claim_due(self.holder, now, lease_until, self.pacing.batch)
            await session.commit()
            if not ids:
                return []
            rows = await repo.claimed(ids)
        result = []
        for delivery, endpoint, client in rows:
            gone = None
            if endpoint.disabled_at is not None:
                gone = "endpoint removed"
            elif client.revoked_at is not None:
                gone = "client revoked"
            result.append(_Attempt(
                delivery.id, delivery.event_id, delivery.event_type, endpoint.url,
                endpoint.secret, body_bytes(delivery.body), delivery.attempts, gone,
            ))
        return result

    async def _attempt(self, http: aiohttp.ClientSession, attempt: _Attempt) -> None:
        if attempt.gone is not None:
            await self._record(attempt, status=FAILED, last_error=attempt.gone)
            WEBHOOK_DELIVERIES.labels(attempt.event_type, "failed").inc()
            return
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-Maharatyar-Event": attempt.event_type,
            "X-Maharatyar-Event-Id": attempt.event_id,
            "X-Maharatyar-Timestamp": timestamp,
            "X-Maharatyar-Signature": signature(attempt.secret, timestamp, attempt.body),
        }
        code: int | None = None
        error: str | None = None
        try:
            async with http.post(
                attempt.url, data=attempt.body, headers=headers, allow_redirects=False
            ) as response:
                code = response.status
                # A little of the answer is read (a short one lets the connection be reused);
                # a receiver that streams a large body does not fill our memory.
                await response.content.read(_ANSWER_BYTES)
        except (TimeoutError, aiohttp.ClientError, OSError, ValueError) as exc:
            error = f"{type(exc).__name__}: {exc}"[:_ERROR_CHARS] or type(exc).__name__
        now = utcnow()
        tries = attempt.attempts + 1
        if code is not None and 200 <= code < 300:
            await self._record(
                attempt, status=DELIVERED, attempts=tries, last_status_code=code,
                last_error=None, last_attempt_at=now, delivered_at=now,
            )
            WEBHOOK_DELIVERIES.labels(attempt.event_type, "delivered").inc()
            return
        error = error or f"HTTP {code}"
        if tries >= self.pacing.max_attempts:
            await self._record(
                attempt, status=FAILED, attempts=tries, last_status_code=code,
                last_error=error, last_attempt_at=now,
            )
            WEBHOOK_DELIVERIES.labels(attempt.event_type, "failed").inc()
            logger.warning("webhook delivery %s given up after %s attempts: %s",
                           attempt.id, tries, error)
            return
        retry_at = now + dt.timedelta(seconds=self.pacing.backoff(tries))
        await self._record(
            attempt, attempts=tries, last_status_code=code, last_error=error,
            last_attempt_at=now, next_attempt_at=retry_at,
        )
        WEBHOOK_DELIVERIES.labels(attempt.event_type, "retry").inc()

    async def _record(self, attempt: _Attempt, **values: object) -> None:
        async with self._sessions() as session:
            await WebhookRepository(session).record(attempt.id, self.holder, **values)
            await session.commit()


@contextlib.asynccontextmanager
async def sender_running(
    session_factory: async_sessionmaker[AsyncSession], pacing: WebhookPacing
) -> AsyncIterator[WebhookSender]:
    """A sender sending while the block runs; cancelled (an attempt in flight is sent again by
    whoever claims it after its lease) when the block ends."""
    sender = WebhookSender(session_factory, pacing)
    task = asyncio.create_task(sender.run(), name="webhook-sender")
    try:
        yield sender
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
