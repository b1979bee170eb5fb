"""An identity conflict opens a ticket in the registration's transaction: the staff chat gets
its system line (no national code), the person can write there; a caseworker resolves it with
/keepapart, an administrator with /link (a caseworker's /link is refused); the person is told."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import IdentityConflict
from tests.flows.harness import Person, Sandbox
from tests.flows.staff_steps import (
    StaffUser,
    add_caseworker,
    admin,
    person_id_of,
    staff_sandbox,
    staff_user,
)
from tests.flows.steps import NATIONAL_CODE, english, person_row, register
from tests.flows.ticket_steps import (
    person_texts,
    relayed_in_group,
    reply_in_group,
    ticket_messages,
    tickets_of,
)

__all__ = ["staff_sandbox"]
OTHER_PHONE = "09351234567"


async def _conflict(box: Sandbox) -> tuple[Person, Person]:
    on_telegram = english(box, "telegram")
    await register(on_telegram)
    on_bale = english(box, "bale")
    await register(on_bale, verified_phone=False, phone=OTHER_PHONE)
    return on_telegram, on_bale


async def _conflict_row(box: Sandbox) -> IdentityConflict:
    async with box.app.session_factory() as session:
        [row] = (await session.scalars(select(IdentityConflict))).all()
        return row


async def test_conflict_opens_a_ticket_the_person_can_write_in(staff_sandbox: Sandbox) -> None:
    box = staff_sandbox
    _, on_bale = await _conflict(box)
    assert "write to the caseworker now" in (on_bale.last().text or ""), on_bale.screen()
    conflict = await _conflict_row(box)

    [ticket] = await tickets_of(box, await person_id_of(box, on_bale))
    assert ticket.topic == "identity" and ticket.context == {"conflict_id": conflict.id}
    line = relayed_in_group(box, "bale", "/link")
    assert line.text is not None and "/keepapart" in line.text
    for secret in (NATIONAL_CODE, OTHER_PHONE, "Maryam"):
        assert secret not in line.text, line.text

    await on_bale.send("It is really me, I changed my SIM card")
    relayed_in_group(box, "bale", "It is really me")
    rows = await ticket_messages(box, ticket.id)
    assert [(r.author, r.text) for r in rows] == [
        ("system", None), (None, "It is really me, I changed my SIM card"),
    ]


async def test_link_by_an_admin_joins_the_accounts(staff_sandbox: Sandbox) -> None:
    box = staff_sandbox
    on_telegram, on_bale = await _conflict(box)
    line = relayed_in_group(box, "bale", "/link")

    caseworker = staff_user(box, "bale", user_id=4242)
    await add_caseworker(admin(box, "bale"), caseworker)
    said = await reply_in_group(caseworker.in_group(), line.message_id, "/link same person")
    assert any("Only administrators" in (m.text or "") for m in said), [m.text for m in said]
    assert (await _conflict_row(box)).resolved_at is None

    boss: StaffUser = admin(box, "bale").in_group()
    said = await reply_in_group(boss, line.message_id, "/link called her, same person")
    assert any("linked" in (m.text or "") for m in said), [m.text for m in said]

    assert (await person_row(on_bale)).id == (await person_row(on_telegram)).id
    conflict = await _conflict_row(box)
    assert conflict.resolved_at is not None and conflict.resolution == "linked"
    assert conflict.resolved_by == boss.account
    assert conflict.resolution_reason == "called her, same person"
    assert any("linked this account" in t for t in person_texts(on_bale)), person_texts(on_bale)
    assert not any("linked this account" in t for t in person_texts(on_telegram))


async def test_keep_apart(staff_sandbox: Sandbox) -> None:
    box = staff_sandbox
    on_telegram, on_bale = await _conflict(box)
    line = relayed_in_group(box, "bale", "/link")
    caseworker = staff_user(box, "bale", user_id=4243)
    await add_caseworker(admin(box, "bale"), caseworker)

    said = await reply_in_group(caseworker.in_group(), line.message_id, "/keepapart mistyped")
    assert any("kept apart" in (m.text or "") for m in said), [m.text for m in said]
    assert (await person_row(on_bale)).id != (await person_row(on_telegram)).id
    conflict = await _conflict_row(box)
    assert (conflict.resolution, conflict.resolution_reason) == ("kept_apart", "mistyped")
    assert any("stays with the other registration" in t for t in person_texts(on_bale))
    # Resolved once: a second command changes nothing.
    said = await reply_in_group(caseworker.in_group(), line.message_id, "/keepapart again")
    assert any("already resolved" in (m.text or "") for m in said), [m.text for m in said]
