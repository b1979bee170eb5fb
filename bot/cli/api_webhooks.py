"""`python -m bot api-clients webhook ...`: the API clients' outgoing webhooks.

    api-clients webhook add CLIENT URL --events a,b|all   (prints the signing secret once)
    api-clients webhook list [CLIENT] [--all]
    api-clients webhook remove ENDPOINT_ID
    api-clients webhook deliveries CLIENT [--status pending|delivered|failed] [--limit N]"""

from __future__ import annotations

import argparse

from services.webhooks import EVENTS, WebhookService, parse_events
from services.webhooks.service import STATUSES, DeliverySummary, EndpointSummary


def add_webhook_commands(actions: argparse._SubParsersAction) -> None:
    webhook = actions.add_parser("webhook", help="a client's outgoing webhooks (signed events)")
    commands = webhook.add_subparsers(dest="webhook_command", required=True)
    add = commands.add_parser("add", help="a new endpoint; prints its signing secret once")
    add.add_argument("client")
    add.add_argument("url")
    add.add_argument("--events", required=True,
                     help=f"comma-separated, or 'all': {', '.join(EVENTS)}")
    listing = commands.add_parser("list", help="endpoints (of one client)")
    listing.add_argument("client", nargs="?")
    listing.add_argument("--all", action="store_true", help="removed ones too")
    remove = commands.add_parser("remove", help="stop an endpoint (pending deliveries fail)")
    remove.add_argument("endpoint_id", type=int)
    deliveries = commands.add_parser("deliveries", help="a client's deliveries, newest first")
    deliveries.add_argument("client")
    deliveries.add_argument("--status", choices=STATUSES)
    deliveries.add_argument("--limit", type=int, default=50)


async def webhook_command(service: WebhookService, args: argparse.Namespace) -> int:
    command = args.webhook_command
    if command == "add":
        endpoint, secret = await service.add(args.client, args.url, parse_events(args.events))
        print(f"added webhook endpoint {endpoint.id} for {endpoint.client}: {_describe(endpoint)}")
        print("Deliveries are signed with this secret, shown only now "
              "(X-Maharatyar-Signature, see the README):")
        print(secret)
    elif command == "list":
        endpoints = await service.endpoints(args.client, with_removed=args.all)
        if not endpoints:
            print("no webhook endpoints")
        for endpoint in endpoints:
            print(f"{endpoint.id} {endpoint.client}: {_describe(endpoint)}")
    elif command == "remove":
        endpoint, dropped = await service.remove(args.endpoint_id)
        print(f"removed webhook endpoint {endpoint.id} ({endpoint.url}); "
              f"{dropped} pending deliveries given up")
    elif command == "deliveries":
        rows = await service.deliveries(args.client, status=args.status, limit=args.limit)
        if not rows:
            print("no deliveries")
        for row in rows:
            print(_delivery_line(row))
    return 0


def _describe(endpoint: EndpointSummary) -> str:
    events = "all events" if endpoint.events == ("*",) else ", ".join(endpoint.events)
    state = " (removed)" if endpoint.disabled_at else ""
    return f"{endpoint.url} <- {events}{state}"


def _delivery_line(row: DeliverySummary) -> str:
    last = row.last_attempt_at.isoformat(timespec="seconds") if row.last_attempt_at else "-"
    answer = f"HTTP {row.last_status_code}" if row.last_status_code else "no answer"
    error = f"; {row.last_error}" if row.last_error and row.status != "delivered" else ""
    return (f"{row.id} {row.event_type} {row.event_id} endpoint {row.endpoint_id}: "
            f"{row.status} after {row.attempts} attempt(s), last {last} ({answer}){error}")
