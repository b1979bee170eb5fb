"""Every SQLAlchemy model, one module per feature. Importing this package registers all their
tables in Base.metadata, which Alembic's autogenerate and the models-match-migrations test read."""

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
from storage.models.fsm import FsmRecord
from storage.models.job_leads import JobInterest, JobLead, JobLeadField
from storage.models.match_notices import MatchNotice
from storage.models.outbox import OutboxLease, OutboxMessage
from storage.models.people import IdentityConflict, MessengerAccount, Person
from storage.models.staff import StaffRole
from storage.models.tickets import StaffChatBinding, Ticket, TicketBan, TicketMessage
from storage.models.waitlists import Waitlist, WaitlistForm, WaitlistPlace

__all__ = [
    "ACTIVE_STATUSES",
    "NAMING_CONVENTION",
    "Application",
    "ApplicationDocument",
    "ApplicationEvent",
    "Base",
    "Broadcast",
    "CounselingResult",
    "Course",
    "CourseTerm",
    "DocumentAccess",
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
    "utcnow",
]
