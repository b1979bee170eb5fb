"""Waitlists: "tell me when a course opens", the notices when an import opens one, and the
unmet demand per province and field for the foundation."""

from services.waitlists.demand import demand_lines
from services.waitlists.model import (
    COURSE_OPENING,
    COURSE_OPENINGS_OUTBOX,
    DemandLine,
    JoinOutcome,
    JoinResult,
    WaitlistKind,
    WaitlistView,
)
from services.waitlists.policy import CourseOpeningPolicy
from services.waitlists.service import WaitlistService, openings_recorder, record_openings

__all__ = [
    "COURSE_OPENING",
    "COURSE_OPENINGS_OUTBOX",
    "CourseOpeningPolicy",
    "DemandLine",
    "JoinOutcome",
    "JoinResult",
    "WaitlistKind",
    "WaitlistService",
    "WaitlistView",
    "demand_lines",
    "openings_recorder",
    "record_openings",
]
