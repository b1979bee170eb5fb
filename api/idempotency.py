"""Idempotency-Key on every POST: the first answer is stored and given again to a repeat.

The key is claimed (a row, unique per client and key) before the work and its answer stored
after it, problems included (a 409 stays a 409). A repeat while the first is still being
answered gets 409 `idempotency-in-progress` with Retry-After; the same key with another
method, path or body gets 422 `idempotency-key-reused`. An unexpected failure releases the key
so a retry can do the work. Keys are kept 24 hours."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Header, Request, Response
from pydantic import BaseModel

from api.context import ApiContext
from api.errors import SERVICE_ERRORS, as_problem
from api.problems import Problem
from services.api_clients import ClientIdentity
from storage.models import ApiIdempotency, utcnow
from storage.repositories.api_clients import IdempotencyRepository

KEEP = dt.timedelta(hours=24)
# A claim with no answer this long is taken to be from a crashed worker and may be redone.
ABANDONED_AFTER = dt.timedelta(minutes=2)
PRUNE_EVERY_SECONDS = 600.0
REPLAYED_HEADER = "Idempotent-Replayed"

IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key", min_length=1, max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description="A unique key per intended change (e.g. a UUID); a repeat returns the "
                    "first answer",
        examples=["6f1c2a8e-6c1e-4a53-9d7e-1d5b1c0e7a11"],
    ),
]
IDEMPOTENCY_RESPONSES: dict[str, Any] = {
    "Idempotent-Replayed": {"description": "`true` on a stored answer given again",
                            "schema": {"type": "string"}}
}


def _request_hash(request: Request, payload: BaseModel | None) -> tuple[str, str]:
    method_path = f"{request.method} {request.url.path}"
    body = payload.model_dump_json() if payload is not None else ""
    return method_path, hashlib.sha256(f"{method_path}\n{body}".encode()).hexdigest()


async def idempotent(
    context: ApiContext,
    request: Request,
    client: ClientIdentity,
    key: str,
    payload: BaseModel | None,
    work: Callable[[], Awaitable[Response]],
) -> Response:
    method_path, request_hash = _request_hash(request, payload)
    await _prune(context)
    stored: ApiIdempotency | None = None
    async with context.session_factory() as session:
        repo = IdempotencyRepository(session)
        claimed = await repo.claim(client.id, key, method_path, request_hash)
        if not claimed:
            stored = await repo.get(client.id, key)
            if (
                stored is not None and stored.status_code is None
                and _age(stored.created_at) > ABANDONED_AFTER
            ):
                await repo.forget(client.id, key)
                claimed = await repo.claim(client.id, key, method_path, request_hash)
        await session.commit()
    if not claimed:
        return _repeat(stored, request_hash)
    try:
        response = await work()
    except Problem as found:
        response = found.response()
    except SERVICE_ERRORS as refused:  # a 404/409/422 is an answer too: stored, replayed
        response = as_problem(refused).response()
    except BaseException:
        async with context.session_factory() as session:
            await IdempotencyRepository(session).forget(client.id, key)
            await session.commit()
        raise
    async with context.session_factory() as session:
        await IdempotencyRepository(session).store(
            client.id, key, response.status_code, bytes(response.body),
            response.headers.get("content-type", "application/json"),
        )
        await session.commit()
    return response


def _repeat(stored: ApiIdempotency | None, request_hash: str) -> Response:
    if stored is None:  # released by a failure meanwhile
        raise Problem(409, "idempotency-in-progress", "A request with this key is in progress",
                      headers={"Retry-After": "1"})
    if stored.request_hash != request_hash:
        raise Problem(
            422, "idempotency-key-reused",
            "This Idempotency-Key was used for another request",
            "Use a new key for a different request.",
        )
    if stored.status_code is None:
        raise Problem(409, "idempotency-in-progress", "A request with this key is in progress",
                      "Retry after the first one is answered.", headers={"Retry-After": "1"})
    return Response(
        stored.body or b"", status_code=stored.status_code,
        media_type=stored.content_type or "application/json",
        headers={REPLAYED_HEADER: "true"},
    )


def _age(created_at: dt.datetime) -> dt.timedelta:
    at = created_at if created_at.tzinfo else created_at.replace(tzinfo=dt.UTC)
    return utcnow() - at


async def _prune(context: ApiContext) -> None:
    now = time.monotonic()
    if now - context.idempotency_pruned_at < PRUNE_EVERY_SECONDS:
        return
    context.idempotency_pruned_at = now
    async with context.session_factory() as session:
        await IdempotencyRepository(session).forget_older_than(utcnow() - KEEP)
        await session.commit()
