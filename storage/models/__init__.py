"""Every SQLAlchemy model, one module per feature. Importing this package registers all their
tables in Base.metadata, which Alembic's autogenerate and the models-match-migrations test read."""

from storage.models.api import ApiAudit, ApiClient, ApiIdempotency
from storage.models.applications import (
    ACTIVE_STATUSES,
    Application,
    ApplicationDocument,
    ApplicationEvent,
    DocumentAccess,
    ProgramSequence,
    StoredFile,
)
from storage.models.base import NAMING_CONVENTION, Base, TimestampMixin, utcnow
from storage.models.broadcasts import Broadcast
from storage.models.catalog import Course, CourseTerm, SavedCourse
from storage.models.counseling import CounselingResult
from storage.models.dashboard import DashboardLink, DashboardSession
from storage.models.exams import Certificate, ExamAnswer, ExamResult, ExamSession
from storage.models.fsm import FsmRecord
from storage.models.job_leads import JobInterest, JobLead, JobLeadField
from storage.models.match_notices import MatchNotice
from storage.models.outbox import OutboxLease, OutboxMessage
from storage.models.people import IdentityConflict, MessengerAccount, Person
from storage.models.staff import StaffRole
from storage.models.tickets import StaffChatBinding, Ticket, TicketBan, TicketMessage
from storage.models.waitlists import Waitlist, WaitlistForm, WaitlistPlace
from storage.models.webhooks import WebhookDelivery, WebhookEndpoint

__all__ = [
    "ACTIVE_STATUSES",
    "NAMING_CONVENTION",
    "ApiAudit",
    "ApiClient",
    "ApiIdempotency",
    "Application",
    "ApplicationDocument",
    "ApplicationEvent",
    "Base",
    "Broadcast",
    "Certificate",
    "CounselingResult",
    "Course",
    "CourseTerm",
    "DashboardLink",
    "DashboardSession",
    "DocumentAccess",
    "ExamAnswer",
    "ExamResult",
    "ExamSession",
    "FsmRecord",
    "IdentityConflict",
    "JobInterest",
    "JobLead",
    "JobLeadField",
    "MatchNotice",
    "MessengerAccount",
    "OutboxLease",
    "OutboxMessage",
    "Person",
    "ProgramSequence",
    "SavedCourse",
    "StaffChatBinding",
    "StaffRole",
    "StoredFile",
    "Ticket",
    "TicketBan",
    "TicketMessage",
    "TimestampMixin",
    "Waitlist",
    "WaitlistForm",
    "WaitlistPlace",
    "WebhookDelivery",
    "WebhookEndpoint",
    "utcnow",
]
