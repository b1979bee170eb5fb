"""What the waitlist service takes and answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from storage.repositories.waitlists import COURSE, FIELD, QUERY, STANDARD

# match_notices.subject_kind (the subject is a course id), and the outbox kind of a notice or
# digest ({"subject_ids": [...]}).
COURSE_OPENING = "course"
COURSE_OPENINGS_OUTBOX = "course_openings"
# Like a job lead: news the person asked for, below their applications' news (0).
COURSE_OPENING_PRIORITY = -5


class WaitlistKind(StrEnum):
    QUERY = QUERY  # a search's words and filters
    COURSE = COURSE  # the same course code
    STANDARD = STANDARD  # the same training standard, in the course's province
    FIELD = FIELD  # a counseling field near home


class JoinOutcome(StrEnum):
    JOINED = "joined"
    ALREADY = "already"  # the same entry exists: nothing changed
    LIMIT = "limit"  # WAITLIST_MAX_PER_PERSON reached
    NOTHING = "nothing"  # an empty search with no filter, an unknown course or field


@dataclass(frozen=True, slots=True)
class WaitlistView:
    id: int
    kind: WaitlistKind
    # What the person is waiting for, in their own words: the search as typed (cut as search
    # cuts it), the course's title, or the counseling field's name.
    title: str
    words: str
    province: str | None
    cluster: str | None
    field_name: str | None
    course_code: str | None
    standard_code: str | None
    center_type: str | None
    hamnava_only: bool
    karafan_only: bool
    dormitory_only: bool
    starts_within_months: int | None
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class JoinResult:
    outcome: JoinOutcome
    entry: WaitlistView | None = None
    limit: int = 0


@dataclass(frozen=True, slots=True)
class DemandLine:
    """One province × field (× standard, × search words) line of the demand export: counts only."""

    province: str  # "" = every province
    field: str  # a catalog or counseling field; "" when the search named none
    standard_code: str
    search_words: str  # shared search words (only when several people typed them)
    people_waiting: int
    new_this_week: int
    median_days_waiting: float
    relief_clients: int
    deciles_1_to_4: int
