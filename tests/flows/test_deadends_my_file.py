"""My file dead ends: an unfinished application can be discarded from there too."""

from __future__ import annotations

from services.staff import StaffMember
from services.text import display_code
from tests.flows.apply_steps import (
    MY_FILE_LABEL,
    applications_of,
    apply_sandbox,
    pdf,
    send_file,
    text_of,
)
from tests.flows.bidi import rtl_problems
from tests.flows.harness import STAFF_GROUPS, TOKENS, Sandbox
from tests.flows.staff_steps import applications, submitted_application
from tests.flows.steps import current_widgets, press_widget

__all__ = ["apply_sandbox"]

ADMIN = StaffMember(platform="telegram", user_id=1, is_admin=True, is_caseworker=False,
                    provinces=None)


async def test_draft_is_discarded_from_my_file_after_confirming(
    apply_sandbox: Sandbox, platform: str
) -> None:
    sandbox = apply_sandbox
    mine = await submitted_application(sandbox, platform)
    draft = await applications(sandbox).start_or_resume(mine.person_id, "karafan")
    assert draft.view is not None
    person = mine.person

    await person.send(MY_FILE_LABEL)
    await press_widget(person, f"app:{draft.view.id}")
    assert "discard" in current_widgets(person), person.screen()
    await press_widget(person, "discard")
    assert "Discard your unfinished application to Karafan" in text_of(person), person.screen()

    # «No» keeps it.
    await press_widget(person, "discard_no")
    assert draft.view.id in [a.id for a in await applications_of(sandbox)]

    await press_widget(person, "discard")
    await press_widget(person, "discard_yes")
    assert "was discarded" in text_of(person), person.screen()
    left = [a.id for a in await applications_of(sandbox)]
    assert draft.view.id not in left and mine.app_id in left
    # A sent application offers no discarding.
    await press_widget(person, f"app:{mine.app_id}")
    assert "discard" not in current_widgets(person), person.screen()


def _staff_posts(sandbox: Sandbox, skip: int = 0) -> list[str]:
    """What the bot posted in the staff group of each messenger, Telegram then Bale, after the
    first `skip` posts of each group."""
    return [
        m.text or ""
        for platform in ("telegram", "bale")
        for m in [
            m for m in sandbox.api.messages(TOKENS[platform], STAFF_GROUPS[platform])
            if m.outgoing
        ][skip:]
    ]


async def test_staff_groups_hear_of_resent_documents_and_withdrawal(
    apply_sandbox: Sandbox, platform: str
) -> None:
    sandbox = apply_sandbox
    sub = await submitted_application(sandbox, platform)
    service = applications(sandbox)
    await service.take(sub.app_id, ADMIN)
    await service.request_documents(sub.app_id, ADMIN, ["birth_certificate"], "", replace=True)
    person = sub.person
    await person.send(MY_FILE_LABEL)
    await press_widget(person, f"app:{sub.app_id}")
    await press_widget(person, "up:birth_certificate")
    await send_file(person, pdf("again"), "again.pdf")
    alerts = _staff_posts(sandbox)  # the submission's, one in each group
    assert len(alerts) == 2 and all("درخواست تازه" in a for a in alerts), alerts
    await press_widget(person, "send_docs")

    posts = _staff_posts(sandbox, skip=1)
    assert len(posts) == 2, posts  # one in each messenger's staff group
    # The group speaks the default language (Persian); the code is isolated, right to left.
    code = display_code(sub.tracking_code, "fa")
    for post in posts:
        assert "دوباره فرستاده شد" in post and code in post and "تهران" in post, post
        assert not rtl_problems([post]), rtl_problems([post])
        assert "Zahra" not in post and "0912" not in post, "no personal data in the group"

    await press_widget(person, "withdraw")
    await press_widget(person, "withdraw_yes")
    posts = _staff_posts(sandbox, skip=1)
    withdrawn = [p for p in posts if "انصراف داد" in p]
    assert len(posts) == 4 and len(withdrawn) == 2, posts
    assert all(code in p and "تهران" in p for p in withdrawn), withdrawn
