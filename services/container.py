"""Every service of the product, built once from the settings: the bot's dispatcher, the command
line, the tests and the HTTP API all take them from here."""

from __future__ import annotations

import functools
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.accounts import AccountService
from services.api_clients import ApiClientService
from services.applications import ApplicationService
from services.broadcasts import BroadcastService
from services.catalog import CatalogService
from services.catalog_import import CatalogImporter, import_courses
from services.counseling import CounselingService, load_counseling_data
from services.dashboard import DashboardAccess
from services.dashboard.figures import DashboardFigures
from services.dashboard.secret import default_secret_file, load_or_create_secret
from services.dashboard.tables import DashboardTables
from services.exams import ExamService, parse_reminder_hours
from services.integration import Integration, build_integration
from services.job_leads import JobLeadPolicy, JobLeadService
from services.match_notices import DigestClock, MatchNoticeLedger
from services.outbox import OutboxService
from services.preferences import NotificationPreferences
from services.programs import ProgramRegistry, load_programs
from services.registration import RegistrationService
from services.staff import StaffRoster, StaffService
from services.staff_alerts import StaffAlertService, StaffChats
from services.staff_chats import StaffChatRouting
from services.tickets import TicketService
from services.tickets.canned import CannedReplies, load_canned_replies
from services.tickets.edits import TicketEdits
from services.tickets.identity import IdentityResolver
from services.tickets.staff_open import StaffOpenedTickets
from services.waitlists import CourseOpeningPolicy, WaitlistService
from services.webhooks import WebhookService
from storage.documents import DocumentSettings, DocumentStore, build_document_store


class ServiceSettings(DocumentSettings, Protocol):
    """The part of the bot's Settings the services read (services do not import bot)."""

    @property
    def programs_dir(self) -> Path: ...
    @property
    def timezone(self) -> str: ...
    @property
    def staff_alert_digest_after(self) -> int: ...
    @property
    def ticket_reopen_days(self) -> int: ...
    @property
    def ticket_reminder_minutes(self) -> int: ...
    @property
    def exam_reminder_hours(self) -> str: ...
    @property
    def match_digest_hour(self) -> int: ...
    @property
    def waitlist_max_per_person(self) -> int: ...
    def staff_chats_by_platform(self) -> dict[str, int]: ...
    @property
    def dashboard_secret(self) -> _SecretText | None: ...
    @property
    def dashboard_session_hours(self) -> float: ...
    @property
    def dashboard_fresh_seconds(self) -> float: ...
    @property
    def catalog_page_seconds(self) -> float: ...


class _SecretText(Protocol):
    def get_secret_value(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Services:
    """Field names are the names handlers ask for as parameters (see `as_handler_data`)."""

    account_service: AccountService
    registration_service: RegistrationService
    catalog_service: CatalogService
    counseling_service: CounselingService
    staff_service: StaffService
    staff_roster: StaffRoster
    application_service: ApplicationService
    program_registry: ProgramRegistry
    outbox_service: OutboxService
    broadcast_service: BroadcastService
    notification_preferences: NotificationPreferences
    staff_alert_service: StaffAlertService
    staff_chat_routing: StaffChatRouting
    document_store: DocumentStore
    ticket_service: TicketService
    canned_replies: CannedReplies
    identity_resolver: IdentityResolver
    staff_opened_tickets: StaffOpenedTickets
    ticket_edits: TicketEdits
    exam_service: ExamService
    # The match-notice ledger's kinds and sweep (job leads, waitlists register their policy).
    match_notice_ledger: MatchNoticeLedger
    job_lead_service: JobLeadService
    waitlist_service: WaitlistService
    # `python -m bot import-courses`, bound to this database: administrators send the file to
    # the bot as well.
    import_catalog: CatalogImporter
    # Keys of the HTTP API's clients (api/ authenticates with it, the CLI manages them).
    api_client_service: ApiClientService
    # What the HTTP API does for a connected system (province limits and audit included).
    integration: Integration
    # The administrators' dashboard: its one-time links and sessions, its figures and tables.
    dashboard_access: DashboardAccess
    dashboard_figures: DashboardFigures
    dashboard_tables: DashboardTables
    # The API clients' webhook endpoints and deliveries (the CLI adds them, the API lists).
    webhook_service: WebhookService

    def as_handler_data(self) -> dict[str, object]:
        return {field.name: getattr(self, field.name) for field in fields(self)}


def build_services(
    settings: ServiceSettings, session_factory: async_sessionmaker[AsyncSession]
) -> Services:
    # The program, counseling and canned-reply files are read and checked here: a broken one
    # stops the start with the loader's message.
    programs = load_programs(settings.programs_dir)
    document_store = build_document_store(settings)
    staff = StaffService(session_factory)
    staff_chats = StaffChats(
        settings.staff_chats_by_platform(), digest_after=settings.staff_alert_digest_after
    )
    tickets = TicketService(
        session_factory, staff_chats, reopen_days=settings.ticket_reopen_days,
        reminder_minutes=settings.ticket_reminder_minutes,
    )
    clock = DigestClock.of(settings.match_digest_hour, settings.timezone)
    ledger = MatchNoticeLedger(clock)
    ledger.register(JobLeadPolicy(settings.timezone))
    ledger.register(CourseOpeningPolicy(settings.timezone))
    counseling_data = load_counseling_data()
    exams = ExamService(
        session_factory, timezone=settings.timezone,
        reminder_hours=parse_reminder_hours(settings.exam_reminder_hours),
    )
    broadcasts = BroadcastService(session_factory)
    applications = ApplicationService(
        session_factory, programs, document_store, timezone=settings.timezone,
        staff_chats=staff_chats, on_enrolled=exams.tell_newly_enrolled,
    )
    job_leads = JobLeadService(
        session_factory, clock=clock, staff_chats=staff_chats,
        # The neighbour map is the counseling data's (data/province_neighbors.json, checked
        # at start by its loader).
        neighbours=counseling_data.neighbours, timezone=settings.timezone,
    )
    waitlists = WaitlistService(
        session_factory, timezone=settings.timezone,
        max_per_person=settings.waitlist_max_per_person, counseling=counseling_data,
    )
    return Services(
        account_service=AccountService(session_factory),
        registration_service=RegistrationService(session_factory, staff_chats),
        catalog_service=CatalogService(
            session_factory, page_ttl_seconds=settings.catalog_page_seconds
        ),
        counseling_service=CounselingService(session_factory, counseling_data),
        staff_service=staff,
        staff_roster=StaffRoster(staff),
        application_service=applications,
        program_registry=programs,
        outbox_service=OutboxService(session_factory),
        broadcast_service=broadcasts,
        notification_preferences=NotificationPreferences(session_factory),
        staff_alert_service=StaffAlertService(session_factory),
        staff_chat_routing=StaffChatRouting(session_factory, staff_chats),
        document_store=document_store,
        ticket_service=tickets,
        canned_replies=load_canned_replies(),
        identity_resolver=IdentityResolver(session_factory),
        staff_opened_tickets=StaffOpenedTickets(session_factory, tickets),
        ticket_edits=TicketEdits(session_factory),
        exam_service=exams,
        match_notice_ledger=ledger,
        job_lead_service=job_leads,
        api_client_service=ApiClientService(session_factory),
        # Courses pushed through the API tell the people waiting for them, as imports do.
        integration=build_integration(
            session_factory, applications, document_store, exams, job_leads,
            openings=waitlists.record_openings,
        ),
        dashboard_access=DashboardAccess(
            session_factory, staff, _dashboard_key(settings),
            session_hours=settings.dashboard_session_hours,
        ),
        dashboard_figures=DashboardFigures(
            session_factory, broadcasts, timezone=settings.timezone,
            fresh_seconds=settings.dashboard_fresh_seconds,
        ),
        dashboard_tables=DashboardTables(
            session_factory, programs, fresh_seconds=settings.dashboard_fresh_seconds
        ),
        webhook_service=WebhookService(session_factory),
        waitlist_service=waitlists,
        # Courses an import adds or reopens tell the people waiting for them (same transaction).
        import_catalog=functools.partial(
            import_courses, session_factory, openings=waitlists.record_openings
        ),
    )


def _dashboard_key(settings: ServiceSettings) -> bytes:
    if settings.dashboard_secret is not None:
        return settings.dashboard_secret.get_secret_value().encode()
    return load_or_create_secret(default_secret_file(settings.document_dir))
