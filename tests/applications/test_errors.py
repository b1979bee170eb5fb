"""Every stale, forged or forbidden action on an application raises an ApplicationError, so a
handler catches one type; expected choices come back as outcome values instead."""

from __future__ import annotations

import pytest

from services.applications import (
    ApplicationError,
    ApplicationLocked,
    ApplicationNotFound,
    CannotApprove,
    ForbiddenTransition,
    NotAuthorized,
    Status,
)
from services.applications.status import check_transition


@pytest.mark.parametrize(
    "error",
    [
        NotAuthorized("application 7"),
        ApplicationNotFound("application 7"),
        ApplicationLocked("application 7"),
        CannotApprove(("national_card",)),
        ForbiddenTransition(Status.DRAFT, Status.APPROVED),
    ],
    ids=lambda error: type(error).__name__,
)
def test_refusals_share_one_base(error: Exception) -> None:
    with pytest.raises(ApplicationError):
        raise error


def test_not_found_is_still_a_lookup_error() -> None:
    # Callers that ask "is it there?" keep catching LookupError.
    assert isinstance(ApplicationNotFound("application 7"), LookupError)


def test_the_status_machine_refuses_with_the_shared_base() -> None:
    with pytest.raises(ApplicationError) as refused:
        check_transition(Status.DRAFT, Status.APPROVED)
    assert isinstance(refused.value, ForbiddenTransition)
    assert (refused.value.current, refused.value.target) == (Status.DRAFT, Status.APPROVED)
