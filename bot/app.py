"""The one composition root: settings -> database -> storage -> services -> dispatcher -> bots."""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram_dialog import setup_dialogs
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Platform, Settings
from bot.dialogs.applications.dialogs import apply_dialog
from bot.dialogs.applications.entry import build_apply_menu_router
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
from bot.handlers.common import build_common_router
from bot.handlers.fallback import build_errors_router, build_fallback_router
from bot.handlers.language import build_language_router
from bot.handlers.profile import build_profile_router
from bot.handlers.staff import build_staff_router
from bot.i18n import AccountLocaleMiddleware, build_i18n
from bot.middlewares.account import AccountMiddleware
from bot.middlewares.dedup import (
    DeduplicateUpdatesMiddleware,
    MemorySeenUpdates,
    RedisSeenUpdates,
    SeenUpdates,
)
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
from services.accounts import AccountService
from services.applications import ApplicationService
from services.catalog import CatalogService
from services.catalog_import import import_courses
from services.counseling import CounselingService, load_counseling_data
from services.programs import load_programs
from services.registration import RegistrationService
from services.staff import StaffRoster, StaffService
from storage.db import create_engine, create_session_factory
from storage.documents import build_document_store

logger = logging.getLogger(__name__)


@dataclass
class Maharatyar:
    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    storage: BaseStorage
    dispatcher: Dispatcher
    account_service: AccountService
    bots: dict[Platform, Bot] = field(default_factory=dict)
    redis: Redis | None = None

    async def close(self) -> None:
        for bot in self.bots.values():
            await bot.session.close()
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
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.api_base_for(platform)))
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
    account_service: AccountService,
    services: Mapping[str, object],
) -> Dispatcher:
    """`services` become contextual data: a handler asks for one by its key as a parameter."""
    dispatcher = Dispatcher(
        storage=storage,
        events_isolation=events_isolation,
        settings=settings,
        account_service=account_service,
    )
    dispatcher.workflow_data.update(services)
    i18n = build_i18n(settings.default_locale)
    # Order matters: drop repeats, know the person, speak their language, then hold back floods.
    dispatcher.update.outer_middleware(DeduplicateUpdatesMiddleware(seen_updates))
    dispatcher.update.outer_middleware(TypedTextMiddleware())  # before aiogram-dialog reads it
    dispatcher.update.outer_middleware(AccountMiddleware(account_service))
    dispatcher.update.outer_middleware(AccountLocaleMiddleware(i18n))
    dispatcher.update.outer_middleware(
        ThrottlingMiddleware(settings.throttle_rate, settings.throttle_window_seconds)
    )

    dispatcher.include_router(build_errors_router())
    # Before the private router: a staff member's typed reason must not reach a beneficiary screen.
    dispatcher.include_router(build_staff_router())
    private = dispatcher.include_router(_private_router())
    private.include_routers(
        _entries_router(
            build_common_router(),
            build_profile_router(),
            build_language_router(),
            build_courses_menu_router(),
            build_apply_menu_router(),
            build_my_file_menu_router(),
            build_counseling_menu_router(),
        ),
        registration_dialog(),
        courses_dialog(),
        counseling_dialog(),
        apply_dialog(),
        my_file_dialog(),
        build_admin_import_router(),  # an admin's file outside any form; before the fallback
        build_fallback_router(),
    )
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


def _build_services(
    settings: Settings, session_factory: async_sessionmaker[AsyncSession]
) -> dict[str, object]:
    # One entry per feature service; the key is the handler parameter name.
    document_store = build_document_store(settings)
    # Program files are checked here: a broken one stops the start with the loader's message.
    programs = load_programs(settings.programs_dir)
    return {
        "registration_service": RegistrationService(session_factory),
        "catalog_service": CatalogService(session_factory),
        # The data files are read and checked once here: a broken file stops the start.
        "counseling_service": CounselingService(session_factory, load_counseling_data()),
        "staff_service": StaffService(session_factory),
        # The importer of `python -m bot import-courses`, bound to this database, for the
        # administrators' file import in the bot (bot.handlers.admin.catalog_import).
        "import_catalog": functools.partial(import_courses, session_factory),
        "document_store": document_store,
        "program_registry": programs,
        "application_service": ApplicationService(
            session_factory, programs, document_store, timezone=settings.timezone
        ),
    }


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
    account_service = AccountService(session_factory)
    redis = Redis.from_url(settings.redis_url) if settings.redis_url else None
    storage = build_fsm_storage(settings, session_factory, key_prefix=settings.redis_prefix)
    events_isolation = build_event_isolation(
        settings, key_prefix=settings.redis_prefix, storage=storage
    )
    seen: SeenUpdates = (
        RedisSeenUpdates(redis, prefix=settings.redis_prefix)
        if redis is not None
        else MemorySeenUpdates()
    )
    services = _build_services(settings, session_factory)
    # The bots are built after the dispatcher; the Notifier holds this same dict and reads it
    # when it sends.
    bots: dict[Platform, Bot] = {}
    services["notifier"] = Notifier(bots, account_service, build_i18n(settings.default_locale))
    staff_service = services["staff_service"]
    assert isinstance(staff_service, StaffService)
    services["staff_roster"] = StaffRoster(staff_service)
    dispatcher = build_dispatcher(
        settings,
        storage=storage,
        events_isolation=events_isolation,
        seen_updates=seen,
        account_service=account_service,
        services=services,
    )
    app = Maharatyar(
        settings=settings,
        engine=engine,
        session_factory=session_factory,
        storage=storage,
        dispatcher=dispatcher,
        account_service=account_service,
        bots=bots,
        redis=redis,
    )
    for platform in platforms if platforms is not None else settings.configured_platforms:
        session = sessions.get(platform) if sessions else None
        app.bots[platform] = build_bot(settings, platform, account_service, session)
    return app
