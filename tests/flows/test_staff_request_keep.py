"""«Request documents» keeps the files already received unless the caseworker chooses to
replace them, and both the card and the applicant's message say which."""

from __future__ import annotations

from services.applications import DocumentState
from tests.flows.harness import Sandbox
from tests.flows.staff_steps import (
    add_caseworker,
    admin,
    applications,
    file_for,
    staff_sandbox,
    staff_user,
    submitted_application,
    told,
)
from tests.flows.test_staff_review import member

__all__ = ["staff_sandbox"]


async def test_asking_for_the_back_of_the_card_keeps_the_front(
    staff_sandbox: Sandbox, platform: str
) -> None:
    sandbox = staff_sandbox
    worker = staff_user(sandbox, platform)
    await add_caseworker(admin(sandbox, platform), worker, "تهران")
    mine = await submitted_application(sandbox, platform, province="تهران")
    service = applications(sandbox)
    staff = await member(sandbox, worker)

    await worker.send("/queue")
    await worker.press(mine.tracking_code)
    await worker.press("Take")
    await worker.press("Request documents")
    await worker.press("National card")
    await worker.press("Continue")
    assert "already in" in worker.last_text(), worker.screen()
    await worker.press("Keep them")
    await worker.send("The back of the card as well")

    card = await service.card(mine.app_id, staff)
    states = [d.state for d in card.view.documents_of("national_card")]
    assert DocumentState.RECEIVED in states and DocumentState.REQUESTED in states, states
    message = told(mine.person)[-1]
    assert "is kept" in message and "back of the card" in message, message
    await worker.send("/queue")
    await worker.press(mine.tracking_code)
    assert "in addition to the files already received" in worker.last_text(), worker.screen()

    # The back arrives next to the front.
    back = file_for("national_card", 777)
    assert (await service.add_document(mine.app_id, mine.person_id, "national_card", back)).value
    card = await service.card(mine.app_id, staff)
    received = [d for d in card.view.documents_of("national_card")
                if d.state is DocumentState.RECEIVED]
    assert len(received) == 2, card.view.documents


async def test_a_full_kind_can_only_be_replaced_and_the_card_says_so(
    staff_sandbox: Sandbox, platform: str
) -> None:
    sandbox = staff_sandbox
    worker = staff_user(sandbox, platform)
    await add_caseworker(admin(sandbox, platform), worker, "تهران")
    mine = await submitted_application(sandbox, platform, province="تهران")
    staff = await member(sandbox, worker)

    await worker.send("/queue")
    await worker.press(mine.tracking_code)
    await worker.press("Request documents")
    await worker.press("photo")
    await worker.press("Continue")
    screen = worker.screen()
    assert "can only replace" in screen and "Keep them" not in screen, screen
    await worker.press("Replace them")
    await worker.press("No note")

    card = await applications(sandbox).card(mine.app_id, staff)
    assert [d.state for d in card.view.documents_of("photo")] == [DocumentState.REQUESTED]
    assert "set aside" in told(mine.person)[-1], told(mine.person)
    assert "nothing kept of this kind" in worker.last_text(), worker.screen()
