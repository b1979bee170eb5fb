"""`python -m bot api` (the HTTP API alone) and `python -m bot api-clients ...` (its keys).

    api-clients create NAME --scopes a,b|all [--provinces تهران,البرز] [--rate-limit N]
    api-clients list | revoke NAME | rotate NAME
    api-clients audit export [--since DAY] [--format csv] [--output FILE|-]
    api-clients webhook add|list|remove|deliveries ...   (bot/cli/api_webhooks.py)

`create` and `rotate` print the key once, alone on their last line; only its hash is stored."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.cli.api_webhooks import add_webhook_commands, webhook_command
from bot.cli.export_applications import ExportArgumentError, parse_since, write_csv
from bot.config import Settings
from services.api_clients import (
    DEFAULT_RATE_LIMIT,
    ApiClientError,
    ApiClientService,
    ClientSummary,
    parse_scopes,
)
from services.webhooks import WebhookError, WebhookService
from storage.db import create_engine, create_session_factory


def add_api_commands(commands: argparse._SubParsersAction) -> None:
    commands.add_parser("api", help="serve the HTTP API alone on API_HOST:API_PORT")
    clients = commands.add_parser("api-clients", help="keys of the HTTP API's clients")
    actions = clients.add_subparsers(dest="clients_command", required=True)
    create = actions.add_parser("create", help="a new client; prints its key once")
    create.add_argument("name")
    create.add_argument("--scopes", required=True,
                        help="comma-separated scopes, or 'all'")
    create.add_argument("--provinces", default="",
                        help="comma-separated provinces the client is limited to (default: all)")
    create.add_argument("--rate-limit", type=int, default=DEFAULT_RATE_LIMIT,
                        help=f"requests per minute (default {DEFAULT_RATE_LIMIT})")
    actions.add_parser("list", help="every client, its scopes, provinces and state")
    revoke = actions.add_parser("revoke", help="stop a client's key for good")
    revoke.add_argument("name")
    rotate = actions.add_parser("rotate", help="a new key for a client; the old one stops")
    rotate.add_argument("name")
    audit = actions.add_parser("audit", help="what the clients read and changed")
    audit_actions = audit.add_subparsers(dest="audit_command", required=True)
    export = audit_actions.add_parser("export", help="the audit as CSV")
    export.add_argument("--since", help="on or after this day: 2026-11-22 or 1405/09/01")
    export.add_argument("--format", choices=["csv"], default="csv")
    export.add_argument("--output", help="file to write, '-' for standard output "
                                          "(default api-audit-YYYYMMDD.csv)")
    add_webhook_commands(actions)


def api_command(settings: Settings) -> int:
    import asyncio

    try:
        asyncio.run(_serve_alone(settings))
    except KeyboardInterrupt:
        pass
    return 0


async def _serve_alone(settings: Settings) -> None:
    from bot.serving.api import api_server, dashboard_keeper, docs_url, webhook_pacing
    from bot.serving.startup import prepare_database
    from services.container import build_services
    from services.dashboard.keeper import keeper_running
    from services.webhooks.sender import sender_running

    await prepare_database(settings)
    engine = create_engine(settings.database_url)
    try:
        session_factory = create_session_factory(engine)
        services = build_services(settings, session_factory)
        server = api_server(settings, services, session_factory, beside_bots=False)
        print(f"\n  Maharatyar HTTP API: {docs_url(settings)} (Ctrl+C stops it)\n", flush=True)
        async with (
            sender_running(session_factory, webhook_pacing(settings)),
            keeper_running(dashboard_keeper(settings, services)),
        ):
            await server.serve()
    finally:
        await engine.dispose()


@dataclass(frozen=True, slots=True)
class _Table:
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]


async def api_clients_command(settings: Settings, args: argparse.Namespace) -> int:
    engine = create_engine(settings.database_url)
    try:
        sessions = create_session_factory(engine)
        if args.clients_command == "webhook":
            return await webhook_command(WebhookService(sessions), args)
        return await _clients(ApiClientService(sessions), settings, args)
    except (ApiClientError, ExportArgumentError, WebhookError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        await engine.dispose()


async def _clients(
    service: ApiClientService, settings: Settings, args: argparse.Namespace
) -> int:
    command = args.clients_command
    if command == "create":
        provinces = [p for p in args.provinces.replace("،", ",").split(",") if p.strip()]
        client, key = await service.create(
            args.name, parse_scopes(args.scopes), provinces, args.rate_limit
        )
        print(f"created API client {client.name}")
        print(_describe(client))
        print("The key is shown only now; send it as `Authorization: Bearer <key>`:")
        print(key)
    elif command == "list":
        clients = await service.all()
        if not clients:
            print("no API clients")
        for client in clients:
            print(f"{client.name}: {_describe(client)}")
    elif command == "revoke":
        client = await service.revoke(args.name)
        print(f"revoked API client {client.name}; its key no longer works")
    elif command == "rotate":
        client, key = await service.rotate(args.name)
        print(f"new key for API client {client.name}; the old one no longer works")
        print(key)
    elif command == "audit":
        timezone = ZoneInfo(settings.timezone)
        columns, rows = await service.audit_table(parse_since(args.since, timezone), timezone)
        table = _Table(columns, rows)
        if args.output == "-":
            _write_stdout(table)
        else:
            path = Path(args.output or f"api-audit-{dt.date.today():%Y%m%d}.csv")
            write_csv(table, path)
            print(f"wrote {len(rows)} audit rows to {path}", file=sys.stderr)
    return 0


def _describe(client: ClientSummary) -> str:
    state = "revoked" if client.revoked_at else "active"
    provinces = ", ".join(client.provinces) or "all provinces"
    return (f"{state}; scopes: {', '.join(client.scopes)}; provinces: {provinces}; "
            f"{client.rate_limit_per_minute} requests/minute")


def _write_stdout(table: _Table) -> None:
    import csv

    writer = csv.writer(sys.stdout)
    writer.writerow(table.columns)
    writer.writerows(table.rows)
