"""Starts the outbox senders of a running service (polling, webhooks, the sandbox): one loop per
configured bot, each waiting for its token's lease, woken at once when this process queues a
message (Notifier.queued) and otherwise looking every OUTBOX_POLL_SECONDS."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from dataclasses import dataclass

from aiogram import Bot

from bot.app import Maharatyar
from bot.config import Platform, Settings
from bot.handlers.staff.ticket_profile import profile_text
from bot.notifications.broadcast import broadcast_wording
from bot.notifications.broadcast_progress import BroadcastProgressReporter
from bot.notifications.exams import exam_wordings
from bot.notifications.job_leads import job_lead_wordings
from bot.notifications.notifier import Notifier
from bot.notifications.outgoing import Outgoing
from bot.notifications.sender import OutboxSender, Pacing, Wording
from bot.notifications.staff_alerts import staff_alert_wordings
from bot.notifications.texts import notice_text
from bot.notifications.ticket_events import ticket_event_wordings
from bot.notifications.ticket_topics import TicketTopics
from bot.notifications.tickets import ticket_wordings
from bot.notifications.waitlists import waitlist_wordings
from bot.serving.match_notices import start_match_sweep
from services.applications.notices import APPLICATION_NEWS, notification_from_payload
from services.broadcasts import BROADCAST
from services.container import Services
from services.jalali import today_in
from services.outbox import OutboxItem


@dataclass
class RunningSenders:
    senders: list[OutboxSender]
    tasks: list[asyncio.Task[None]]


def start_outbox_senders(app: Maharatyar) -> RunningSenders:
    """The senders, and beside them the broadcasts' progress reporter, which updates a
    progress message only where this process's sender holds that bot's lease."""
    senders = [build_sender(app, platform) for platform in app.bots]
    for sender in senders:
        app.notifier.on_queued(sender.wake.set)
    tasks = [
        asyncio.create_task(sender.run(), name=f"outbox-{sender.platform}") for sender in senders
    ]
    settings = app.settings
    reporter = BroadcastProgressReporter(
        service=app.services.broadcast_service, notifier=app.notifier,
        senders={sender.platform: sender for sender in senders},
        # The progress message is one more message to one chat: it keeps that chat's pace.
        interval_seconds=max(
            settings.broadcast_progress_seconds, settings.outbox_chat_interval_seconds
        ),
        step_percent=settings.broadcast_progress_step_percent,
    )
    tasks.append(asyncio.create_task(reporter.run(), name="broadcast-progress"))
    # Due match notices become outbox rows here, beside the senders that drain them.
    tasks.append(start_match_sweep(app))
    return RunningSenders(senders, tasks)


async def stop_outbox_senders(running: RunningSenders) -> None:
    for task in running.tasks:
        task.cancel()
    for task in running.tasks:
        with contextlib.suppress(asyncio.CancelledError):
            await task


def build_sender(app: Maharatyar, platform: str, *, holder: str | None = None) -> OutboxSender:
    return OutboxSender(
        platform=platform,
        bot=app.bots[platform],  # type: ignore[index]
        outbox=app.services.outbox_service,
        notifier=app.notifier,
        wordings=wordings(app.services, app.settings, app.bots, app.notifier),
        pacing=pacing_for(app.settings, platform),
        holder=holder,
    )


def pacing_for(settings: Settings, platform: str) -> Pacing:
    return Pacing(
        rate_per_second=(
            settings.outbox_rate_bale if platform == "bale" else settings.outbox_rate_telegram
        ),
        chat_interval_seconds=settings.outbox_chat_interval_seconds,
        poll_seconds=settings.outbox_poll_seconds,
        max_attempts=settings.outbox_max_attempts,
        backoff_seconds=settings.outbox_backoff_seconds,
        lease_seconds=settings.outbox_lease_seconds,
        max_in_flight=settings.outbox_max_in_flight,
        quiet=settings.quiet_period,
    )


def wordings(
    services: Services, settings: Settings, bots: Mapping[Platform, Bot],
    notifier: Notifier | None = None,
) -> dict[str, Wording]:
    """`bots`: every messenger's bot, for a relayed file that arrived on the other one;
    `notifier`: words in the staff chats' language outside a row's own message (the profile
    card a new forum topic opens with). Without it, tickets go to staff chats without topics."""
    topics = None if notifier is None else TicketTopics(
        services.ticket_service, bots, services.program_registry,
        lambda render: notifier.localized(render, notifier.i18n.default_locale),
        profile_text,
    )
    async def application_news(item: OutboxItem) -> Outgoing:
        assert item.person_id is not None
        notification = notification_from_payload(item.person_id, item.payload)
        code = notification.params.get("course_code")
        course = (
            await services.catalog_service.card(code, today_in(settings.timezone))
            if isinstance(code, str) and code else None
        )
        return Outgoing(
            render=lambda: notice_text(notification, services.program_registry, course)
        )

    return {
        APPLICATION_NEWS: application_news,
        **staff_alert_wordings(services.staff_alert_service, services.program_registry),
        BROADCAST: broadcast_wording(services.broadcast_service),
        **ticket_wordings(services.ticket_service, bots, topics),
        **ticket_event_wordings(services.ticket_service, settings.ticket_reminder_minutes),
        **exam_wordings(services.exam_service, settings.timezone),
        **job_lead_wordings(services.job_lead_service),
        **waitlist_wordings(services.waitlist_service),
    }
