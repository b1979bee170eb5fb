"""What the job-lead service takes and answers: a lead as typed (LeadDraft) and as shown
(LeadView), the problems a draft can have, the outcomes of «I'm interested»."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

# match_notices.subject_kind, and the outbox kind of a lead notice / digest ({"subject_ids"}).
JOB_LEAD = "job_lead"
JOB_LEADS_OUTBOX = "job_leads"
# Below application news (0), above broadcasts (-10): a lead is news the person asked for.
JOB_LEAD_PRIORITY = -5
# Staff see and press these as Persian words; the limits fit a messenger's message.
TITLE_MAX = 120
EMPLOYER_MAX = 120
CITY_MAX = 80
WAGE_MAX = 120
HOW_TO_APPLY_MAX = 1000
MAX_FIELDS = 5
PAGE_SIZE = 5
# Applications whose course's field counts as the person's field of work.
SKILLED_STATUSES = ("enrolled", "completed")


class DraftProblem(StrEnum):
    """Why a typed value is refused (each has a polite wording in the bot and the import)."""

    REQUIRED = "required"
    TOO_LONG = "too_long"
    UNKNOWN_PROVINCE = "unknown_province"
    UNKNOWN_FIELD = "lead.unknown_field"
    TOO_MANY_FIELDS = "lead.too_many_fields"
    DATE_FORMAT = "date.format"
    DATE_NOT_EXIST = "date.not_exist"
    DATE_OUT_OF_RANGE = "date.out_of_range"
    DATE_GREGORIAN = "lead.gregorian_date"
    DEADLINE_PASSED = "lead.deadline_passed"


class DraftError(ValueError):
    def __init__(self, problem: DraftProblem, value: str = "") -> None:
        super().__init__(f"{problem.value}: {value!r}")
        self.problem = problem
        self.value = value


@dataclass(frozen=True, slots=True)
class LeadDraft:
    """A validated lead, ready to post."""

    title: str
    employer: str
    province: str
    city: str | None
    fields: tuple[str, ...]
    wage_text: str | None
    deadline: dt.date
    how_to_apply: str


@dataclass(frozen=True, slots=True)
class LeadView:
    id: int
    title: str
    employer: str
    province: str
    city: str | None
    fields: tuple[str, ...]
    wage_text: str | None
    deadline: dt.date
    how_to_apply: str
    created_at: dt.datetime
    open: bool
    # Withdrawn by staff (closed_at set), as against a deadline that passed.
    withdrawn: bool = False


@dataclass(frozen=True, slots=True)
class Posted:
    lead_id: int
    matched: int  # people recorded to be told


@dataclass(frozen=True, slots=True)
class LeadPage:
    leads: list[LeadView]
    page: int
    pages: int
    total: int


class InterestOutcome(StrEnum):
    RECORDED = "recorded"  # new; the staff are told through the person's ticket
    ALREADY = "already"  # pressed before
    NOT_YOURS = "not_yours"  # no such lead, or never sent/shown to this person (forged)
    CLOSED = "closed"  # its deadline passed or it was withdrawn (LeadView.withdrawn says)


@dataclass(frozen=True, slots=True)
class Closed:
    lead: LeadView
    already: bool  # it had been withdrawn before this request: nothing changed


@dataclass(frozen=True, slots=True)
class InterestResult:
    outcome: InterestOutcome
    lead: LeadView | None = None
    ticket_id: int | None = None
    staff_told: bool = False


@dataclass(frozen=True, slots=True)
class InterestedPerson:
    person_id: int
    full_name: str | None
    phone: str | None
    province: str | None
    city: str | None
    at: dt.datetime
    ticket_id: int | None
