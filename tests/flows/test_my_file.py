"""📂 My file: statuses and their timeline, document states with the caseworker's words,
uploading what was asked for, sending it back, withdrawing; forged buttons naming someone else's
application or document are refused politely."""

from __future__ import annotations

import re

import pytest

from services.applications import Status
from services.jalali import format_jalali, today_in
from services.staff import StaffMember
from services.text import FSI, PDI, to_persian_digits
from storage.models import Person as PersonRow
from tests.flows.apply_steps import (
    APPLY_LABEL,
    MY_FILE_LABEL,
    applications_of,
    apply_sandbox,
    pdf,
    send_file,
    text_of,
)
from tests.flows.harness import Person, Sandbox
from tests.flows.staff_steps import applications, person_id_of, submitted_application
from tests.flows.steps import button_data, current_widgets, press_widget

__all__ = ["apply_sandbox"]

ADMIN = StaffMember(platform="telegram", user_id=1, is_admin=True, is_caseworker=False,
                    provinces=None)


async def _status(sandbox: Sandbox, app_id: int) -> str:
    return next(a.status for a in await applications_of(sandbox) if a.id == app_id)


def _toast(person: Person) -> str:
    callbacks = list(person.api.bot(person.token).callbacks.values())
    return str((callbacks[-1].answer or {}).get("text") or "")


async def _forge(person: Person, widget_data: str, like: str) -> None:
    """Press `widget_data` with the intent id of a live button `like` (a made-up button)."""
    message_id, data = button_data(person, like)
    intent = data.split("\x1d")[0]
    await person.press_data(message_id, f"{intent}\x1d{widget_data}", forge=True)


async def test_timeline_documents_requested_upload_and_withdraw(apply_sandbox: Sandbox) -> None:
    sandbox = apply_sandbox
    sub = await submitted_application(sandbox, "bale")
    service = applications(sandbox)
    await service.take(sub.app_id, ADMIN)
    view = await service.get_for_person(sub.app_id, sub.person_id)
    assert view is not None
    await service.accept_document(view.documents_of("national_card")[0].id, ADMIN)
    await service.reject_document(
        view.documents_of("education_certificate")[0].id, ADMIN, "The stamp is not readable"
    )
    await service.request_documents(
        sub.app_id, ADMIN, ["birth_certificate"], "Please send a sharp scan", replace=True
    )
    await sandbox.outbox_settled()  # the four notices reach the person before they open the file
    person = sub.person

    await person.send(MY_FILE_LABEL)
    listing = text_of(person)
    assert sub.tracking_code in listing and "Documents needed" in listing, listing
    await press_widget(person, f"app:{sub.app_id}")
    detail = text_of(person)
    today = format_jalali(today_in(), "en")
    for value in (
        sub.tracking_code, "Status: 📎 Documents needed",
        f"{today} — Application started (by you)",
        f"{today} — Sent, waiting for review (by you)",
        f"{today} — Being reviewed (by a caseworker)",
        f"{today} — Documents needed (by a caseworker): Please send a sharp scan",
        "✅ Accepted",
        "❌ Not accepted: The stamp is not readable",
        "📨 Requested by the caseworker: Please send a sharp scan",
        "📥 Received, waiting for review",
    ):
        assert value in detail, (value, detail)
    widgets = current_widgets(person)
    assert {"up:birth_certificate", "up:education_certificate", "send_docs", "withdraw"} <= set(
        widgets
    ), widgets
    assert "up:photo" not in widgets, "only what the caseworker asked for or rejected"

    await press_widget(person, "up:birth_certificate")
    assert "Please send a sharp scan" in text_of(person), person.screen()
    await send_file(person, pdf("sharp"), "sharp.pdf")
    assert "Received: Birth certificate" in text_of(person), person.screen()
    await press_widget(person, "send_docs")  # the rejected paper is still missing
    assert "not complete" in text_of(person), person.screen()
    assert "Latest education certificate" in text_of(person)
    assert await _status(sandbox, sub.app_id) == Status.NEEDS_DOCUMENTS

    await press_widget(person, "up:education_certificate")
    await send_file(person, pdf("stamp"), "stamp.pdf")
    await press_widget(person, "send_docs")
    assert "went to the caseworker" in text_of(person), person.screen()
    assert await _status(sandbox, sub.app_id) == Status.UNDER_REVIEW
    assert "you sent the documents asked for" in text_of(person)

    await press_widget(person, "withdraw")
    assert "cannot be undone" in text_of(person), person.screen()
    assert "give up your place" not in text_of(person), "no seat yet before the decision"
    await person.send("I found a job")
    assert "Your reason: I found a job" in text_of(person), person.screen()
    await press_widget(person, "withdraw_yes")
    assert await _status(sandbox, sub.app_id) == Status.WITHDRAWN
    final = text_of(person)
    assert "is withdrawn" in final and "Withdrawn (by you): I found a job" in final, final
    assert "withdraw" not in current_widgets(person), "no withdrawing twice"


@pytest.mark.parametrize("platform", ["telegram", "bale"])
@pytest.mark.parametrize("decided", [Status.APPROVED, Status.ENROLLED])
async def test_withdrawing_after_the_decision_gives_up_the_seat(
    apply_sandbox: Sandbox, platform: str, decided: Status
) -> None:
    sandbox = apply_sandbox
    sub = await submitted_application(sandbox, platform)
    service = applications(sandbox)
    await service.take(sub.app_id, ADMIN)
    await service.approve(sub.app_id, ADMIN)
    if decided is Status.ENROLLED:
        await service.mark_enrolled(sub.app_id, ADMIN)
    person = sub.person

    await person.send(MY_FILE_LABEL)
    await press_widget(person, f"app:{sub.app_id}")
    assert "withdraw" in current_widgets(person), person.screen()
    await press_widget(person, "withdraw")
    confirm = text_of(person)
    assert "You will give up your place in the course" in confirm, confirm
    await press_widget(person, "withdraw_yes")
    assert await _status(sandbox, sub.app_id) == Status.WITHDRAWN
    assert "is withdrawn" in text_of(person), person.screen()
    assert "withdraw" not in current_widgets(person), "no withdrawing twice"


async def test_forged_buttons_for_someone_elses_file(apply_sandbox: Sandbox) -> None:
    sandbox = apply_sandbox
    theirs = await submitted_application(sandbox, "telegram")
    service = applications(sandbox)
    draft = await service.start_or_resume(theirs.person_id, "karafan")
    assert draft.view is not None
    mine = await submitted_application(sandbox, "telegram")
    own_draft = await service.start_or_resume(mine.person_id, "karafan")
    assert own_draft.view is not None
    person = mine.person

    await person.send(MY_FILE_LABEL)
    await _forge(person, f"app:{theirs.app_id}", like=f"app:{mine.app_id}")
    assert "not in your file" in _toast(person)
    assert theirs.tracking_code not in text_of(person), person.screen()

    await press_widget(person, f"app:{mine.app_id}")
    await _forge(person, "up:photo", like="withdraw")  # nothing was asked for
    assert "not waiting for an upload" in _toast(person)

    # The apply form: continuing or discarding another person's draft by its id.
    await person.send(APPLY_LABEL)
    for forged in (f"cont:{draft.view.id}", f"disc:{draft.view.id}"):
        await _forge(person, forged, like=f"cont:{own_draft.view.id}")
        assert "no longer available" in text_of(person), person.screen()
    after = await service.get_for_person(draft.view.id, theirs.person_id)
    assert after is not None and after.status is Status.DRAFT, "their draft is untouched"
    assert await person_id_of(sandbox, person) != theirs.person_id

    # Their own draft, from My file: straight back into the form.
    await person.send(MY_FILE_LABEL)
    await press_widget(person, f"app:{own_draft.view.id}")
    assert "Draft (not sent yet)" in text_of(person), person.screen()
    await press_widget(person, "continue")
    assert "Which course do you want to take with Karafan" in text_of(person), person.screen()


async def test_persian_reader_sees_persian_digits_and_dates(apply_sandbox: Sandbox) -> None:
    sandbox = apply_sandbox
    sub = await submitted_application(sandbox, "telegram")
    async with sandbox.app.session_factory() as session:
        row = await session.get(PersonRow, sub.person_id)
        assert row is not None
        row.locale = "fa"
        await session.commit()
    sandbox.app.services.account_service.cache.forget_person(sub.person_id)
    person = sub.person

    await person.send("/myfile")
    await press_widget(person, f"app:{sub.app_id}")
    detail = text_of(person)
    code = to_persian_digits(sub.tracking_code)  # HMN-۱۴۰۵-۰۰۰۰۰۱, isolated in the RTL line
    assert f"{FSI}{code}{PDI}" in detail, detail
    assert format_jalali(today_in(), "fa") in detail, detail
    assert re.search("[0-9]", detail) is None, "every digit a Persian reader sees is Persian"
