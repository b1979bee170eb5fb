"""The one composition root: settings -> database -> services -> conversation state ->
dispatcher -> bots."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.base import BaseSession
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram_dialog import setup_dialogs
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Platform, Settings
from bot.dialogs.applications.dialogs import apply_dialog
from bot.dialogs.applications.entry import build_apply_menu_router
from bot.dialogs.broadcast.dialogs import broadcast_dialog
from bot.dialogs.certificates.dialogs import certificates_dialog
from bot.dialogs.certificates.entry import build_certificates_menu_router
from bot.dialogs.counseling.dialogs import counseling_dialog
from bot.dialogs.counseling.entry import build_counseling_menu_router
from bot.dialogs.courses.dialogs import courses_dialog
from bot.dialogs.courses.entry import build_courses_menu_router
from bot.dialogs.my_file.dialogs import my_file_dialog
from bot.dialogs.my_file.entry import build_my_file_menu_router
from bot.dialogs.registration.dialogs import registration_dialog
from bot.filters import CommandOrMenuButton, NotDialogCallback, PrivateChat
from bot.fsm.build import build_event_isolation, build_fsm_storage
from bot.handlers.admin.catalog_import import build_admin_import_router
from bot.handlers.admin.exam_import import build_exam_import_router
from bot.handlers.common import build_common_router, menu_shortcuts
from bot.handlers.exams import build_exam_answers_router
from bot.handlers.fallback import build_errors_router, build_fallback_router
from bot.handlers.job_leads import build_job_leads_router
from bot.handlers.language import build_language_router
from bot.handlers.notifications import build_notifications_router
from bot.handlers.profile import build_profile_router
from bot.handlers.staff import build_staff_router
from bot.handlers.ticket_edits import build_ticket_edits_router
from bot.handlers.tickets import build_ticket_entry_router, build_ticket_relay_router
from bot.handlers.waitlists import build_waitlists_router
from bot.i18n import build_i18n
from bot.middlewares.account import AccountMiddleware
from bot.middlewares.dedup import (
    DeduplicateUpdatesMiddleware,
    MemorySeenUpdates,
    RedisSeenUpdates,
    SeenUpdates,
)
from bot.middlewares.locale import AccountLocaleMiddleware
from bot.middlewares.menu_shortcuts import MenuShortcutMiddleware
from bot.middlewares.metrics import install_metrics
from bot.middlewares.outage import StoreOutageMiddleware, install_outermost
from bot.middlewares.throttling import ThrottlingMiddleware
from bot.middlewares.typed_text import TypedTextMiddleware
from bot.notifications.notifier import Notifier
from bot.platforms.bale import adapt_session
from bot.platforms.bots import PlatformBot
from bot.platforms.message_manager import PlatformMessageManager
from bot.platforms.profiles import PROFILES
from bot.platforms.requests import (
    BlockedChatMiddleware,
    EditStubAnswerMiddleware,
    KeepResponseTypesMiddleware,
    RetryAfterMiddleware,
)
from bot.platforms.session import BotApiSession
from services.accounts import AccountService
from services.container import Services, build_services
from storage.db import create_engine, create_session_factory

logger = logging.getLogger(__name__)


@dataclass
class Maharatyar:
    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    services: Services
    storage: BaseStorage
    dispatcher: Dispatcher
    notifier: Notifier
    bots: dict[Platform, Bot] = field(default_factory=dict)
    # The one Redis client of the process (FSM storage, chat lock, repeated-update store).
    redis: Redis | None = None

    async def close(self) -> None:
        # Together: each TLS session waits a moment after closing (bot.platforms.session).
        await asyncio.gather(*(bot.session.close() for bot in self.bots.values()))
        await self.dispatcher.storage.close()
        await self.dispatcher.fsm.events_isolation.close()
        if self.redis is not None:
            await self.redis.aclose()
        await self.engine.dispose()


def build_bot(
    settings: Settings,
    platform: Platform,
    account_service: AccountService,
    session: BaseSession | None = None,
) -> Bot:
    token = settings.token_for(platform)
    if token is None:
        raise ValueError(f"no token configured for {platform}")
    if session is None:
        session = BotApiSession(settings.api_base_for(platform))
    if not PROFILES[platform].callbacks_have_chat_instance:
        adapt_session(session)
    if PROFILES[platform].edit_answers_may_be_stubs:
        session.middleware(EditStubAnswerMiddleware())
    session.middleware(KeepResponseTypesMiddleware())
    session.middleware(RetryAfterMiddleware())
    session.middleware(BlockedChatMiddleware(account_service))
    return PlatformBot(token.get_secret_value(), platform, session)


def build_dispatcher(
    settings: Settings,
    *,
    storage: BaseStorage,
    events_isolation: BaseEventIsolation,
    seen_updates: SeenUpdates,
    services: Services,
    notifier: Notifier,
) -> Dispatcher:
    """Each service becomes contextual data: a handler asks for one by its field name in
    `Services` as a parameter (`application_service`, ...), or for `services` whole."""
    dispatcher = Dispatcher(
        storage=storage,
        events_isolation=events_isolation,
        settings=settings,
        services=services,
        notifier=notifier,
    )
    dispatcher.workflow_data.update(services.as_handler_data())
    account_service = services.account_service
    i18n = build_i18n(settings.default_locale)
    install_outermost(dispatcher, StoreOutageMiddleware(i18n))
    # Order matters: drop repeats, know the person, speak their language, then hold back floods.
    dispatcher.update.outer_middleware(DeduplicateUpdatesMiddleware(seen_updates))
    dispatcher.update.outer_middleware(TypedTextMiddleware())  # before aiogram-dialog reads it
    dispatcher.update.outer_middleware(AccountMiddleware(account_service))
    dispatcher.update.outer_middleware(AccountLocaleMiddleware(i18n))
    dispatcher.update.outer_middleware(
        ThrottlingMiddleware(settings.throttle_rate, settings.throttle_window_seconds)
    )
    # Last of ours, before aiogram-dialog's (setup_dialogs below): the hottest taps skip the tree.
    dispatcher.update.outer_middleware(MenuShortcutMiddleware(menu_shortcuts()))
    install_metrics(dispatcher)  # outermost: times every middleware above too

    # Before the private router: a staff member's typed reason must not reach a beneficiary screen.
    dispatcher.include_router(build_staff_router())
    private = dispatcher.include_router(_private_router())
    private.include_routers(
        _entries_router(
            build_common_router(),
            build_profile_router(),
            build_language_router(),
            # «🔕 Stop news» under a broadcast works in any state: before the dialogs, so an open
            # form neither swallows it nor is closed by it.
            build_notifications_router(),
            build_job_leads_router(),
            build_waitlists_router(),
            build_courses_menu_router(),
            build_apply_menu_router(),
            build_my_file_menu_router(),
            build_certificates_menu_router(),
            build_exam_answers_router(),
            build_counseling_menu_router(),
            build_ticket_entry_router(),
        ),
        registration_dialog(),
        courses_dialog(),
        counseling_dialog(),
        apply_dialog(),
        my_file_dialog(),
        certificates_dialog(),
        broadcast_dialog(),
        build_exam_import_router(),  # a file captioned /import_exams; before the course import
        build_admin_import_router(),  # an admin's file outside any form; before the fallback
        # What no screen took, from a person talking to a caseworker, goes to the caseworker.
        build_ticket_relay_router(),
        build_fallback_router(),
    )
    # After the rest: they take only edited messages and errors, which nothing above takes, and
    # every message and button would otherwise pass through them first.
    dispatcher.include_router(build_ticket_edits_router())  # edited_message only, any chat
    dispatcher.include_router(build_errors_router())
    setup_dialogs(
        dispatcher, message_manager=PlatformMessageManager(), events_isolation=events_isolation
    )
    return dispatcher


def _private_router() -> Router:
    # Beneficiary features answer in private chats only; the staff group has its own routers.
    router = Router(name="private")
    router.message.filter(PrivateChat())
    router.callback_query.filter(PrivateChat())
    return router


def _entries_router(*routers: Router) -> Router:
    """Routers that take only commands, main-menu buttons and their own CallbackData buttons.

    They go before the dialogs (a command or menu button works from inside any open form), so
    every typed answer and dialog button would walk all their filters; one gate skips them."""
    router = Router(name="entries")
    router.message.filter(CommandOrMenuButton())
    router.callback_query.filter(NotDialogCallback())
    router.include_routers(*routers)
    return router


async def build_app(
    settings: Settings,
    *,
    sessions: Mapping[Platform, BaseSession] | None = None,
    platforms: list[Platform] | None = None,
) -> Maharatyar:
    """Everything the service needs, wired once. `sessions` lets tests and the sandbox
    substitute the transport (e.g. the in-process sandbox session) per platform."""
    engine = create_engine(settings.database_url)
    session_factory = create_session_factory(engine)
    services = build_services(settings, session_factory)
    redis = Redis.from_url(settings.redis_url) if settings.redis_url else None
    storage = build_fsm_storage(
        settings, session_factory, redis=redis, key_prefix=settings.redis_prefix
    )
    events_isolation = build_event_isolation(
        settings, key_prefix=settings.redis_prefix, storage=storage
    )
    seen: SeenUpdates = (
        RedisSeenUpdates(redis, prefix=settings.redis_prefix)
        if redis is not None
        else MemorySeenUpdates()
    )
    # The bots are built after the dispatcher; the Notifier holds this same dict and reads it
    # when it sends.
    bots: dict[Platform, Bot] = {}
    notifier = Notifier(bots, services.account_service, build_i18n(settings.default_locale))
    dispatcher = build_dispatcher(
        settings,
        storage=storage,
        events_isolation=events_isolation,
        seen_updates=seen,
        services=services,
        notifier=notifier,
    )
    app = Maharatyar(
        settings=settings,
        engine=engine,
        session_factory=session_factory,
        services=services,
        storage=storage,
        dispatcher=dispatcher,
        notifier=notifier,
        bots=bots,
        redis=redis,
    )
    for platform in platforms if platforms is not None else settings.configured_platforms:
        session = sessions.get(platform) if sessions else None
        app.bots[platform] = build_bot(settings, platform, services.account_service, session)
    return app
