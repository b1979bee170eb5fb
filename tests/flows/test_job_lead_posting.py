"""Posting job leads: the administrator's form (a deadline already passed, a Jalali date that
does not exist and a Gregorian date are refused and asked again), a CSV with bad rows (a
line-numbered report, nothing posted), non-staff refused, and «💼 Job leads» paged."""

from __future__ import annotations

import datetime as dt

from services.jalali import today_in
from storage.models import JobLead
from tests.flows.harness import Sandbox
from tests.flows.job_lead_steps import (
    ELECTRICAL,
    TAILORING,
    jalali,
    jobs_sandbox,
    notices,
    post,
    skilled,
    sweep,
)
from tests.flows.staff_steps import StaffUser, admin, beneficiary

__all__ = ["jobs_sandbox"]


async def _leads(box: Sandbox) -> list[JobLead]:
    from sqlalchemy import select

    async with box.app.session_factory() as session:
        return list(await session.scalars(select(JobLead).order_by(JobLead.id)))


async def _send_file(user: StaffUser, name: str, content: bytes, caption: str) -> str:
    user.api.user_sends(user.token, user.person.user, chat_id=user.chat_id, caption=caption,
                        document=(name, content, "text/csv"))
    await user.person.sandbox.pump(user.person.platform)
    return user.last_text()


async def test_the_form_refuses_bad_deadlines_and_posts(
    jobs_sandbox: Sandbox, platform: str
) -> None:
    box = jobs_sandbox
    person = await skilled(box, platform)
    boss = admin(box, platform)
    await boss.send("/joblead")
    assert "A new job lead" in boss.messages()[-2].text or "", boss.screen()
    for answer in ("خیاط ماهر", "تولیدی نمونه", "استان تهران", "-"):
        await boss.send(answer)
    assert "Fields of work" in boss.last_text() and TAILORING in boss.last_text()
    await boss.send("آشپزی فضایی")
    assert "is not one of the catalog's fields" in boss.last_text(), boss.screen()
    await boss.send("صنايع پوشاک")  # Arabic ي: the same field
    await boss.send("-")
    assert "last day to apply" in boss.last_text()

    await boss.send(jalali(today_in() - dt.timedelta(days=1)))
    assert "already passed" in boss.last_text(), boss.screen()
    await boss.send("۱۴۰۵/۰۷/۳۱")  # the seventh month has 30 days
    assert "does not exist" in boss.last_text(), boss.screen()
    await boss.send((today_in() + dt.timedelta(days=5)).isoformat())
    assert "Gregorian" in boss.last_text(), boss.screen()
    assert await _leads(box) == []

    deadline = today_in() + dt.timedelta(days=5)
    await boss.send(jalali(deadline))
    await boss.send("با شماره ۰۲۱۱۲۳۴۵۶۷۸ تماس بگیرید")
    assert "Please check the job lead" in boss.last_text(), boss.screen()
    await boss.press("Post")
    assert "was posted" in boss.last_text() and "matches: 1" in boss.last_text(), boss.screen()
    [lead] = await _leads(box)
    assert (lead.title, lead.province, lead.city, lead.deadline) == (
        "خیاط ماهر", "تهران", None, deadline
    )
    await sweep(box)
    assert len(notices(person)) == 1
    # The spent preview button posts nothing more.
    await boss.press("Post")
    assert len(await _leads(box)) == 1


async def test_non_staff_cannot_post(jobs_sandbox: Sandbox, platform: str) -> None:
    box = jobs_sandbox
    someone = await beneficiary(box, platform)
    await someone.send("/joblead")
    assert "A new job lead" not in (someone.last().text or "")
    someone_user = StaffUser(someone, someone.user.id)
    await _send_file(someone_user, "leads.csv", _csv([_row()]), "/importleads")
    assert await _leads(box) == []


def _row(**values: str) -> list[str]:
    row = {
        "title": "برقکار", "employer": "شرکت نمونه", "province": "تهران", "city": "تهران",
        "fields": ELECTRICAL, "wage": "", "deadline": jalali(today_in() + dt.timedelta(days=9)),
        "how_to_apply": "حضوری",
    }
    row.update(values)
    return list(row.values())


def _csv(rows: list[list[str]]) -> bytes:
    header = "title,employer,province,city,fields,wage,deadline,how_to_apply"
    return "\n".join([header, *(",".join(row) for row in rows)]).encode("utf-8")


async def test_a_file_with_bad_rows_posts_nothing(jobs_sandbox: Sandbox, platform: str) -> None:
    box = jobs_sandbox
    electrician = await skilled(box, platform, field=ELECTRICAL)
    boss = admin(box, platform)
    bad = _csv([
        _row(),
        _row(deadline="2027-01-15"),
        _row(province="آتلانتیس", fields="آشپزی فضایی"),
        _row(deadline=jalali(today_in() - dt.timedelta(days=3))),
    ])
    report = await _send_file(boss, "leads.csv", bad, "/importleads")
    assert "Nothing was imported" in report, report
    assert "line 3, column deadline" in report.replace("\u2068", "").replace("\u2069", "")
    assert "Gregorian" in report and "already passed" in report
    assert "not one of Iran's 31 provinces" in report
    assert "not one of the catalog's fields" in report
    assert await _leads(box) == []

    good = _csv([_row(), _row(title="تعمیرکار کولر")])
    report = await _send_file(boss, "leads.csv", good, "/importleads")
    assert "were posted" in report and "job leads posted: 2" in report, report
    assert len(await _leads(box)) == 2
    await sweep(box)
    [digest] = notices(electrician)
    assert "2 job leads" in (digest.text or "")


async def test_the_menu_lists_matching_leads_newest_first_paged(
    jobs_sandbox: Sandbox, platform: str
) -> None:
    box = jobs_sandbox
    person = await skilled(box, platform)
    for n in range(7):
        await post(box, platform, f"آگهی {n}")
    await post(box, platform, "برقکار", fields=(ELECTRICAL,))
    await post(box, platform, "آگهی اصفهان", province="اصفهان")
    await person.send("💼 Job leads")
    first = person.last().text or ""
    assert "Page 1 of 2" in first and "open leads: 7" in first, first
    assert first.index("آگهی 6") < first.index("آگهی 2")
    assert "برقکار" not in first and "اصفهان" not in first
    await person.press("Next")
    second = person.last().text or ""
    assert "آگهی 1" in second and "آگهی 0" in second and "آگهی 6" not in second, second
    # Interest from the list (never sent as a notice) is fine: it was shown.
    await person.press("آگهی 1")
    assert "was recorded" in (person.last().text or ""), person.screen()
