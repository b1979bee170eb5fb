"""Serving the HTTP API (api/): alone (`python -m bot api`) or beside the bots (`run`, `sandbox`).

This and bot/cli/api.py are the only places bot/ imports api/ (an import-linter contract)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import AsyncIterator, Generator

import uvicorn
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api import create_app
from bot.config import Settings
from services.container import Services
from services.dashboard.keeper import FiguresKeeper, keeper_running
from services.webhooks import WebhookPacing
from services.webhooks.sender import sender_running

logger = logging.getLogger(__name__)


class _QuietServer(uvicorn.Server):
    """Beside the bots the dispatcher owns Ctrl+C; the API server is stopped by `should_exit`."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def api_server(
    settings: Settings,
    services: Services,
    session_factory: async_sessionmaker[AsyncSession],
    *,
    beside_bots: bool,
) -> uvicorn.Server:
    app = create_app(
        services, session_factory,
        metrics_token=settings.metrics_token.get_secret_value() if settings.metrics_token
        else None,
        redis_url=settings.redis_url,
    )
    config = uvicorn.Config(
        app, host=settings.api_host, port=settings.api_port, log_level="warning",
        access_log=False,  # an access log would hold tracking codes in paths: not by default
        lifespan="off", server_header=False,
    )
    return _QuietServer(config) if beside_bots else uvicorn.Server(config)


def webhook_pacing(settings: Settings) -> WebhookPacing:
    return WebhookPacing(
        max_attempts=settings.api_webhook_max_attempts,
        backoff_seconds=settings.api_webhook_backoff_seconds,
        timeout_seconds=settings.api_webhook_timeout_seconds,
        poll_seconds=settings.api_webhook_poll_seconds,
    )


def dashboard_keeper(settings: Settings, services: Services) -> FiguresKeeper:
    """Keeps the dashboard's figures warm while the API serves (services/dashboard/keeper.py)."""
    return FiguresKeeper(services.dashboard_figures, services.dashboard_tables,
                         fresh_seconds=settings.dashboard_fresh_seconds)


def docs_url(settings: Settings, port: int | None = None) -> str:
    host = settings.api_host if settings.api_host not in ("0.0.0.0", "::") else "127.0.0.1"
    return f"http://{host}:{port or settings.api_port}/docs"


def bind_api_socket(settings: Settings) -> socket.socket | None:
    """The listening address, bound here rather than by uvicorn (which exits the whole process
    when it cannot bind): beside the bots, a taken port costs only the API, with one warning."""
    family = socket.AF_INET6 if ":" in settings.api_host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((settings.api_host, settings.api_port))
    except OSError as error:
        listener.close()
        logger.warning(
            "the HTTP API cannot listen on %s:%s (%s); the bots run without it. Set API_PORT "
            "to a free port, or API_WITH_BOTS=0 and serve it with `python -m bot api`",
            settings.api_host, settings.api_port, error.strerror or error,
        )
        return None
    return listener


@contextlib.asynccontextmanager
async def api_beside_bots(
    settings: Settings, services: Services, session_factory: async_sessionmaker[AsyncSession]
) -> AsyncIterator[None]:
    """Serve the API while the block runs (unless API_WITH_BOTS is off). A port that cannot be
    bound is logged and the bots run on without the API. The API clients' webhooks are sent
    from here in any case: the bots' changes are what they tell about."""
    async with sender_running(session_factory, webhook_pacing(settings)):
        listener = bind_api_socket(settings) if settings.api_with_bots else None
        if listener is None:
            yield
        else:
            async with _api_served(settings, services, session_factory, listener):
                yield


@contextlib.asynccontextmanager
async def _api_served(
    settings: Settings,
    services: Services,
    session_factory: async_sessionmaker[AsyncSession],
    listener: socket.socket,
) -> AsyncIterator[None]:
    server = api_server(settings, services, session_factory, beside_bots=True)
    task = asyncio.create_task(server.serve(sockets=[listener]), name="http-api")
    # uvicorn offers a flag, not an event, for "listening now".
    while not server.started and not task.done():  # noqa: ASYNC110
        await asyncio.sleep(0.02)
    if server.started:
        port = listener.getsockname()[1]
        print(f"  HTTP API: {docs_url(settings, port)} (OpenAPI at /openapi.json)\n", flush=True)
    else:
        logger.error("the HTTP API did not start; the bots run without it")
    try:
        async with keeper_running(dashboard_keeper(settings, services)):
            yield
    finally:
        server.should_exit = True
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=5)
        listener.close()
