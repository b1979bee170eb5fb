"""The application status machine. Only the transitions in ALLOWED ever happen.

    draft -> submitted -> under_review -> approved -> enrolled -> completed
                    |            |  ^        |            |
                    |            v  |        +-> rejected |
                    +-----> needs_documents               |
    withdrawn <- submitted | under_review | needs_documents | approved | enrolled

A draft is never withdrawn: it is discarded (deleted). Withdrawal is allowed until the course is
done: from submitted/under_review/needs_documents (before the decision), from approved (the person
declines the seat, which frees it and lets them apply again) and from enrolled (drops out).
Rejected, completed and withdrawn are final.
"""

from __future__ import annotations

from enum import StrEnum

from services.applications.errors import ApplicationError


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    NEEDS_DOCUMENTS = "needs_documents"
    APPROVED = "approved"
    REJECTED = "rejected"
    ENROLLED = "enrolled"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


ALLOWED: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED}),
    Status.SUBMITTED: frozenset(
        {Status.UNDER_REVIEW, Status.NEEDS_DOCUMENTS, Status.WITHDRAWN}
    ),
    Status.UNDER_REVIEW: frozenset(
        {Status.NEEDS_DOCUMENTS, Status.APPROVED, Status.REJECTED, Status.WITHDRAWN}
    ),
    Status.NEEDS_DOCUMENTS: frozenset({Status.UNDER_REVIEW, Status.WITHDRAWN}),
    Status.APPROVED: frozenset({Status.ENROLLED, Status.WITHDRAWN}),
    Status.ENROLLED: frozenset({Status.COMPLETED, Status.WITHDRAWN}),
    Status.REJECTED: frozenset(),
    Status.COMPLETED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}

# At most one application per person and program in these (database-enforced by a partial
# unique index, see storage.models). A draft counts: "apply" resumes it.
ACTIVE: frozenset[Status] = frozenset(
    {
        Status.DRAFT,
        Status.SUBMITTED,
        Status.UNDER_REVIEW,
        Status.NEEDS_DOCUMENTS,
        Status.APPROVED,
        Status.ENROLLED,
    }
)
FINAL: frozenset[Status] = frozenset(s for s, targets in ALLOWED.items() if not targets)
# Waiting for staff: the review queue.
IN_QUEUE: tuple[Status, ...] = (Status.SUBMITTED, Status.UNDER_REVIEW, Status.NEEDS_DOCUMENTS)


class ForbiddenTransition(ApplicationError):
    """A status change the machine does not allow (e.g. approving a draft, a stale button)."""

    def __init__(self, current: Status, target: Status) -> None:
        super().__init__(f"{current} -> {target} is not allowed")
        self.current = current
        self.target = target


def check_transition(current: Status, target: Status) -> None:
    if target not in ALLOWED[current]:
        raise ForbiddenTransition(current, target)
