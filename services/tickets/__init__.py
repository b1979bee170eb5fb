"""The hand-off to a human caseworker (see service.py)."""

from services.tickets.model import (
    CLOSED_BY_PERSON,
    PERSON_BLOCKED,
    REOPENED,
    TICKET_CLOSED,
    TICKET_KINDS,
    TICKET_STAFF_EVENT,
    TICKET_TO_PERSON,
    TICKET_TO_STAFF,
    TOPICS,
    Incoming,
    OpenedTicket,
    PersonOutcome,
    PersonResult,
    RelayView,
    StaffChatRef,
    StaffOutcome,
    StaffResult,
)
from services.tickets.service import TicketService
from services.tickets.threads import HistoryLine, TicketPlace, TicketProfile

__all__ = [
    "CLOSED_BY_PERSON",
    "PERSON_BLOCKED",
    "REOPENED",
    "TICKET_CLOSED",
    "TICKET_KINDS",
    "TICKET_STAFF_EVENT",
    "TICKET_TO_PERSON",
    "TICKET_TO_STAFF",
    "TOPICS",
    "HistoryLine",
    "Incoming",
    "OpenedTicket",
    "PersonOutcome",
    "PersonResult",
    "RelayView",
    "StaffChatRef",
    "StaffOutcome",
    "StaffResult",
    "TicketPlace",
    "TicketProfile",
    "TicketService",
]
