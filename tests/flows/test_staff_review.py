"""A caseworker reviews applications of their province in a private chat with the bot;
every decision reaches the beneficiary on their messenger."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.sandbox.user_side import inline_buttons
from services.applications import Status
from services.staff import StaffMember
from storage.models import DocumentAccess
from tests.flows.harness import Sandbox
from tests.flows.staff_steps import (
    StaffUser,
    add_caseworker,
    admin,
    applications,
    file_for,
    staff_sandbox,
    staff_user,
    submitted_application,
    told,
)

__all__ = ["staff_sandbox"]


async def status_of(sandbox: Sandbox, app_id: int, staff: StaffMember) -> Status:
    return (await applications(sandbox).card(app_id, staff)).view.status


async def member(sandbox: Sandbox, user: StaffUser) -> StaffMember:
    found = await sandbox.app.services.staff_service.member(
        user.person.platform, user.user_id
    )
    assert found is not None
    return found


async def test_caseworker_reviews_an_application_to_completion(
    staff_sandbox: Sandbox, platform: str
) -> None:
    sandbox = staff_sandbox
    worker = staff_user(sandbox, platform)
    assert "is now a caseworker" in await add_caseworker(admin(sandbox, platform), worker, "تهران")
    mine = await submitted_application(sandbox, platform, province="تهران")
    other = await submitted_application(sandbox, platform, province="اصفهان")

    # The queue shows only the caseworker's province.
    await worker.send("/queue")
    queue = worker.last()
    labels = " ".join(text for text, _ in inline_buttons(queue))
    assert mine.tracking_code in labels and other.tracking_code not in labels, worker.screen()
    assert "تهران" in labels

    # The card: personal data, answers, course and documents with their states.
    await worker.press(mine.tracking_code)
    card = worker.last_text()
    assert mine.tracking_code in card and "Zahra Ahmadi" in card, card
    assert "National card image" in card and "not checked yet" in card, card
    assert "STF" in card and "Unemployed" in card, card

    # Viewing a document sends the stored file and leaves an audit row.
    before = len(worker.messages())
    await worker.press("1. National card image")
    sent = worker.messages()[before:]
    documents = [m for m in sent if m.raw.get("document")]
    assert documents, [m.raw for m in sent]
    file_id = documents[-1].raw["document"]["file_id"]
    stored = sandbox.api.bot(worker.token).files[file_id]
    assert stored.content == file_for("national_card", mine.app_id)
    async with sandbox.app.session_factory() as session:
        audits = await session.scalar(
            select(func.count()).select_from(DocumentAccess)
            .where(DocumentAccess.staff_user_id == worker.user_id)
        )
    assert audits == 1

    # Take it: the beneficiary hears that a caseworker is on it.
    toast = await worker.press("Take")
    assert "Done" in toast, toast
    assert any("reviewing your application" in t for t in told(mine.person)), told(mine.person)
    staff = await member(sandbox, worker)
    assert await status_of(sandbox, mine.app_id, staff) is Status.UNDER_REVIEW

    # Reject one document with a typed reason.
    await worker.press_prefix("std:reject:")
    assert "reason" in worker.last_text()
    await worker.send("The photo is blurry")
    assert "The photo is blurry" in told(mine.person)[-1], told(mine.person)
    assert "was not accepted" in told(mine.person)[-1]

    # Request documents: tick one, continue, type the note.
    await worker.press("Request documents")
    await worker.press("Birth certificate")
    await worker.press("Continue")
    await worker.press("Replace them")  # one file allowed: it can only be replaced
    await worker.send("Both pages please")
    request = told(mine.person)[-1]
    assert "Birth certificate" in request and "Both pages please" in request, request
    assert "My file" in request, request
    assert await status_of(sandbox, mine.app_id, staff) is Status.NEEDS_DOCUMENTS

    # The beneficiary sends the papers (their own screens are tested elsewhere).
    service = applications(sandbox)
    for kind in ("birth_certificate", "national_card"):
        await service.add_document(mine.app_id, mine.person_id, kind, file_for(kind, 999))
    assert (await service.send_documents(mine.app_id, mine.person_id)).ok

    await worker.send("/queue")
    await worker.press(mine.tracking_code)
    await worker.press("Take")
    await worker.press("Approve")
    assert "Approve application" in worker.last_text()
    await worker.press("Yes, approve")
    assert "approved" in told(mine.person)[-1], told(mine.person)
    await worker.press("Mark enrolled")
    await worker.press("Yes, enrolled")
    assert "enrolled" in told(mine.person)[-1]
    await worker.press("Mark completed")
    await worker.press("Yes, completed")
    assert "completed" in told(mine.person)[-1]
    assert await status_of(sandbox, mine.app_id, staff) is Status.COMPLETED
    # Nothing reached the other province's applicant.
    assert told(other.person) == []
