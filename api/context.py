"""What the routes share, built once by create_app and kept on `app.state.api`."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.rate_limit import RateLimiter
from services.container import Services


@dataclass
class ApiContext:
    services: Services
    session_factory: async_sessionmaker[AsyncSession]
    rate_limiter: RateLimiter = field(default_factory=RateLimiter)
    # time.monotonic() of the last removal of expired idempotency keys (api/idempotency.py).
    idempotency_pruned_at: float = float("-inf")
    # /metrics asks for `Authorization: Bearer <token>` when set (METRICS_TOKEN).
    metrics_token: str | None = None
    # /readyz pings it when set (REDIS_URL).
    redis_url: str | None = None


def api_context(request: Request) -> ApiContext:
    context = request.app.state.api
    assert isinstance(context, ApiContext)
    return context
