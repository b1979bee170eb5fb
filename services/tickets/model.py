"""What the ticket service takes and answers: the messages relayed, the outcomes, the outbox
kinds (their rows carry ids only; the bot words them at send time)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from services.tickets.about import TicketAbout

TOPICS = ("application", "documents", "course", "counseling", "job", "identity", "other")
KINDS = ("text", "photo", "document", "voice")

# Outbox kinds. Rows: TICKET_TO_STAFF / TICKET_TO_PERSON {"message_id"} (a TicketMessage),
# TICKET_CLOSED {"ticket_id"} to the person (closed by staff: the rating buttons),
# TICKET_STAFF_EVENT {"ticket_id", "event"} to the ticket's staff chat,
# TICKET_PERSON_NOTICE {"ticket_id", "event"} to the person,
# TICKET_REMINDER {"ticket_id", "since"} to the staff chat, not before `since` + the wait.
TICKET_TO_STAFF = "ticket_to_staff"
TICKET_TO_PERSON = "ticket_to_person"
TICKET_CLOSED = "ticket_closed"
TICKET_STAFF_EVENT = "ticket_staff_event"
TICKET_PERSON_NOTICE = "ticket_person_notice"
TICKET_REMINDER = "ticket_reminder"
TICKET_KINDS = frozenset({
    TICKET_TO_STAFF, TICKET_TO_PERSON, TICKET_CLOSED, TICKET_STAFF_EVENT, TICKET_PERSON_NOTICE,
    TICKET_REMINDER,
})
# Staff events
CLOSED_BY_PERSON = "closed_by_person"
PERSON_BLOCKED = "person_blocked"  # a caseworker's message could not reach the person
# Person notices (and the "system" ticket message that records it was told, once per ticket)
STAFF_UNREACHABLE = "staff_unreachable"
REOPENED = "reopened"  # only for a ticket with a forum topic: the topic is opened again
# A live conversation goes ahead of application news (0) and staff alerts (10).
TICKET_PRIORITY = 20


@dataclass(frozen=True, slots=True)
class Incoming:
    """A message as it arrived: its content and where it came from."""

    kind: str  # one of KINDS
    text: str | None
    source_platform: str
    source_chat_id: int
    source_message_id: int
    file_id: str | None = None
    file_name: str | None = None
    media_group_id: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"not a ticket message kind: {self.kind}")


@dataclass(frozen=True, slots=True)
class StaffChatRef:
    platform: str
    chat_id: int


class PersonOutcome(StrEnum):
    RELAYED = "relayed"
    BUSY = "busy"  # no staff chat serves this ticket: kept, not relayed
    BANNED = "banned"  # kept, not relayed


@dataclass(frozen=True, slots=True)
class PersonResult:
    outcome: PersonOutcome
    ticket_id: int
    message_id: int
    # Tell the person their message is on its way (first message of a ticket, or the first
    # since a caseworker answered); for BANNED: tell them (once).
    tell: bool


class StaffOutcome(StrEnum):
    RELAYED = "relayed"
    NOTED = "noted"
    CLOSED_NOW = "closed_now"
    NOT_RELAYED = "not_relayed"  # the replied message is no relayed message of a ticket
    OUT_OF_SCOPE = "out_of_scope"  # the ticket's province is not the caseworker's
    ALREADY_CLOSED = "already_closed"
    # Stored, but the person has no chat that can be reached (they blocked the bot).
    PERSON_UNREACHABLE = "person_unreachable"
    ASSIGNED = "assigned"  # detail: the assignee's account
    NOT_A_CASEWORKER = "not_a_caseworker"  # /assign to an account that holds no caseworker role
    ASSIGNEE_OUT_OF_SCOPE = "assignee_out_of_scope"  # a caseworker of other provinces
    BANNED = "banned"
    UNBANNED = "unbanned"
    NOT_BANNED = "not_banned"
    FOUND = "found"  # locate(): the ticket pointed at, for reading


@dataclass(frozen=True, slots=True)
class StaffResult:
    outcome: StaffOutcome
    ticket_id: int | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class OpenedTicket:
    ticket_id: int
    reopened: bool


@dataclass(frozen=True, slots=True)
class RelayView:
    """What a relayed message's words need."""

    message_id: int
    ticket_id: int
    direction: str
    person_name: str | None
    topic: str
    province: str | None
    kind: str
    text: str | None
    file_platform: str | None
    file_id: str | None
    file_name: str | None
    about: TicketAbout = field(default_factory=TicketAbout)
    author: str | None = None  # "system" for a line the bot words (identity.SYSTEM_AUTHOR)
    relayed_message_id: int | None = None  # the copy's id, once relayed (edits go there)
