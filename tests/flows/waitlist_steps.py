"""Steps of the waitlist flows: an import through the app's own importer (the one the CLI and
the in-chat import use, with the waitlist hook), the ledger's sweep, the notices a person got."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from pathlib import Path

from services.catalog_import import COLUMNS
from services.jalali import today_in
from services.match_notices import Delivery, deliver_all_due
from tests.flows.course_steps import FixtureCourse
from tests.flows.harness import Person, Sandbox

NOTICE_MARK = "🔔"


async def import_courses(sandbox: Sandbox, courses: list[FixtureCourse]) -> int:
    """Returns the notices the import recorded."""
    today = today_in(sandbox.settings.timezone)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "courses.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
            writer.writeheader()
            writer.writerows(course.row(today) for course in courses)
        report = await sandbox.app.services.import_catalog(path)
    assert report.ok and report.written, report.errors[:3]
    return report.waitlist_notices


async def sweep(sandbox: Sandbox, now: dt.datetime | None = None) -> Delivery:
    """What the periodic sweep does, then the outbox senders deliver."""
    delivery = await deliver_all_due(
        sandbox.app.session_factory, sandbox.app.services.match_notice_ledger, now
    )
    await sandbox.outbox_settled()
    return delivery


def notices(person: Person) -> list[str]:
    """The course-opening notices the person got, oldest first."""
    return [
        m.text or "" for m in person.messages()
        if m.outgoing and (m.text or "").startswith(NOTICE_MARK)
        and "you were waiting for" in (m.text or "").split("\n")[0]
    ]
