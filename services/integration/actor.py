"""A connected system acts on applications as a caseworker of its provinces would: the staff
methods of ApplicationService (same state machine, same checks, same outbox messages) get it as
a StaffMember of platform "api" whose user id is the client's id, so the timeline records
"staff" with the reference "api:<client id>"."""

from __future__ import annotations

from services.api_clients import ClientIdentity
from services.staff import StaffMember

API_PLATFORM = "api"


def acting_staff(client: ClientIdentity) -> StaffMember:
    return StaffMember(
        platform=API_PLATFORM, user_id=client.id, is_admin=False, is_caseworker=True,
        provinces=client.provinces,
    )
