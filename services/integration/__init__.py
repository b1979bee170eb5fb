"""What the HTTP API does for a connected system (a ClientIdentity), in service terms: pages of
applications and tickets, one application's record, status transitions through the staff's own
methods, documents, courses and people. Province limits and the audit are applied here, so no
route can forget them. No web framework here: api/ maps these results and errors to HTTP."""

from services.integration.applications import (
    API_TRANSITIONS,
    ApplicationPage,
    ApplicationRecord,
    ApplicationRow,
    IntegrationApplications,
    TransitionRequest,
    api_transitions_from,
)
from services.integration.bundle import Integration, build_integration
from services.integration.courses import CourseItemResult, IntegrationCourses
from services.integration.errors import IntegrationConflict, IntegrationInvalid, IntegrationNotFound
from services.integration.people import IntegrationPeople, PersonRecord
from services.integration.tickets import IntegrationTickets, TicketPage, TicketRecord

__all__ = [
    "API_TRANSITIONS",
    "ApplicationPage",
    "ApplicationRecord",
    "ApplicationRow",
    "CourseItemResult",
    "Integration",
    "IntegrationApplications",
    "IntegrationConflict",
    "IntegrationCourses",
    "IntegrationInvalid",
    "IntegrationNotFound",
    "IntegrationPeople",
    "IntegrationTickets",
    "PersonRecord",
    "TicketPage",
    "TicketRecord",
    "TransitionRequest",
    "api_transitions_from",
    "build_integration",
]
