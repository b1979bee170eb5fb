"""An administrator sends a catalog file to the bot; the CLI's importer and report."""

from __future__ import annotations

import io
import random
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from bot.sandbox.user_side import inline_buttons
from storage.models import Course
from tests.catalog.helpers import COURSE_TEMPLATE, course_row
from tests.flows.harness import Person, Sandbox
from tests.flows.staff_steps import sandbox_with_admins
from tests.flows.steps import english, register

MB = 1024 * 1024
# Random ids: a shared Redis must not mix runs (see harness).
ADMIN_ID = random.randrange(5 * 10**9, 6 * 10**9)
CSV_MIME = "text/csv"
# Where the database (and Redis, for the pending good-rows import) does not matter.
sqlite_only = pytest.mark.parametrize("database_kind", ["sqlite"])


@pytest.fixture
async def box(
    database_url: str, database_kind: str, request: pytest.FixtureRequest
) -> AsyncIterator[Sandbox]:
    """The flow sandbox with ADMINS naming ADMIN_ID on both messengers, granted as at start."""
    admins = f"telegram:{ADMIN_ID},bale:{ADMIN_ID}"
    async with sandbox_with_admins(admins, database_url, database_kind, request) as sandbox:
        yield sandbox


def csv_bytes(rows: list[dict[str, str]], columns: list[str] | None = None) -> bytes:
    names = columns or list(COURSE_TEMPLATE)
    lines = [",".join(names)] + [",".join(row.get(name, "") for name in names) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def good_rows(count: int = 3) -> list[dict[str, str]]:
    return [course_row(f"AI{n:03d}", title_fa=f"دوره آزمایشی {n}") for n in range(count)]


async def course_codes(sandbox: Sandbox) -> set[str]:
    async with sandbox.app.session_factory() as session:
        return set(await session.scalars(select(Course.course_code)))


async def send_file(person: Person, name: str, data: bytes, mime: str = CSV_MIME) -> str:
    replies = await person.send(document=(name, data, mime))
    return plain(replies)


def plain(messages: list[Any]) -> str:
    """The bot's replies as one text, without the bidi isolates around names and values."""
    text = "\n".join(m.text or "" for m in messages)
    return text.replace("\u2068", "").replace("\u2069", "")


def admin(sandbox: Sandbox, platform: str, **user: Any) -> Person:
    return english(sandbox, platform, id=ADMIN_ID, **user)


def last_answer(person: Person) -> str:
    callbacks = person.api.bot(person.token).callbacks
    answer = list(callbacks.values())[-1].answer or {}
    return str(answer.get("text") or "")


async def test_good_file_is_imported_with_report(box: Sandbox, platform: str) -> None:
    person = admin(box, platform)
    text = await send_file(person, "courses.csv", csv_bytes(good_rows(3)))
    assert "The course catalog was imported." in text, text
    assert "rows: 3, bad rows: 0, created: 3, updated: 0, unchanged: 0" in text, text
    assert await course_codes(box) == {"AI000", "AI001", "AI002"}
    # The same file again: nothing new, all unchanged.
    text = await send_file(person, "courses.csv", csv_bytes(good_rows(3)))
    assert "created: 0, updated: 0, unchanged: 3" in text, text


async def test_bad_rows_write_nothing_then_good_rows_on_request(
    box: Sandbox, platform: str
) -> None:
    person = admin(box, platform)
    rows = [
        *good_rows(2),
        course_row("AI100", province="آتلانتیس"),
        course_row("AI000"),  # duplicated code
    ]
    text = await send_file(person, "catalog.csv", csv_bytes(rows))
    assert "Nothing was imported" in text, text
    assert "line 4, column province: not one of Iran's 31 provinces" in text, text
    assert "line 5, column course_code" in text and "earlier line" in text, text
    assert "Nothing was written." in text, text
    assert await course_codes(box) == set()

    report = person.last()
    [(label, data)] = inline_buttons(report)
    assert "good rows" in label
    # A forged token changes nothing.
    await person.press_data(report.message_id, "cimp:deadbeef", forge=True)
    assert "no longer works" in last_answer(person)
    assert await course_codes(box) == set()

    text = plain(await person.press_data(report.message_id, data))
    assert "The good rows were imported" in text, text
    assert "created: 2" in text, text
    assert await course_codes(box) == {"AI000", "AI001"}
    [old_report] = [m for m in person.messages() if m.message_id == report.message_id]
    assert inline_buttons(old_report) == []  # the spent button is taken off the report

    # A second press (double tap, or the old button) imports nothing again.
    await person.press_data(report.message_id, data, forge=True)
    assert "no longer works" in last_answer(person)


@sqlite_only
async def test_non_admin_file_is_not_imported(box: Sandbox) -> None:
    person = english(box, "bale")
    text = await send_file(person, "courses.csv", csv_bytes(good_rows(1)))
    assert "did not understand" in text, text
    assert await course_codes(box) == set()
    # Nor does a forged «good rows» press do anything for them.
    await person.press_data(person.last().message_id, "cimp:0badc0de", forge=True)
    assert "no longer works" in last_answer(person)
    assert await course_codes(box) == set()


@sqlite_only
async def test_file_sent_during_a_form_is_not_imported(box: Sandbox) -> None:
    person = admin(box, "telegram")
    await register(person, until="city")
    await send_file(person, "courses.csv", csv_bytes(good_rows(1)))
    assert await course_codes(box) == set()
    assert "imported" not in (person.last().text or "")


@sqlite_only
async def test_too_large_refused_before_download(box: Sandbox, platform: str) -> None:
    person = admin(box, platform)
    big = csv_bytes(good_rows(1)) + b"#" * (50 * MB)
    before = len(box.api.calls(person.token))
    text = await send_file(person, "huge.csv", big)
    assert "too large" in text and "20 MB" in text, text
    assert not any(name == "getFile" for name, _ in box.api.calls(person.token)[before:])
    assert await course_codes(box) == set()


@sqlite_only
async def test_binary_renamed_csv_gets_clear_answer(box: Sandbox) -> None:
    person = admin(box, "bale")
    text = await send_file(person, "notes.csv", b"\x00\x01\xfe\xff" * 100 + bytes(range(256)))
    assert "cannot be imported" in text and "neither a UTF-8 CSV nor an XLSX" in text, text
    assert await course_codes(box) == set()


@sqlite_only
@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("scan.pdf", b"%PDF-1.7 a scanned page", "send it as a .csv or .xlsx file"),
        ("empty.csv", b"", "the file is empty"),
        (
            "old.csv",
            csv_bytes(good_rows(1), [c for c in COURSE_TEMPLATE if c != "fee_rial"] + ["price"]),
            "missing columns: fee_rial",
        ),
    ],
)
async def test_unusable_files(box: Sandbox, name: str, data: bytes, expected: str) -> None:
    person = admin(box, "telegram")
    text = await send_file(person, name, data)
    assert expected in text, text
    assert await course_codes(box) == set()


@sqlite_only
async def test_xlsx_workbook(box: Sandbox) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COURSE_TEMPLATE))
    for row in good_rows(2):
        sheet.append(list(row.values()))
    buffer = io.BytesIO()
    book.save(buffer)
    person = admin(box, "bale")
    text = await send_file(
        person, "Courses.XLSX", buffer.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    assert "created: 2" in text, text
    assert await course_codes(box) == {"AI000", "AI001"}


@sqlite_only
async def test_persian_admin_reads_persian_digits(box: Sandbox) -> None:
    person = box.person("telegram", id=ADMIN_ID, language_code="fa")
    text = await send_file(person, "c.csv", csv_bytes([course_row("AI1", capacity="x")]))
    assert "۲" in text and "capacity" in text, text  # line ۲, the column name kept in Latin
    assert "line 2" not in text and " 2," not in text, text


@sqlite_only
async def test_many_bad_rows_fit_one_message(box: Sandbox) -> None:
    person = admin(box, "telegram")
    rows = [course_row(f"AI{n:04d}", province="x" * 60) for n in range(500)]
    text = await send_file(person, "many.csv", csv_bytes(rows))
    assert len(person.last().text or "") < 4096
    assert "more problems" in text, text
    assert "rows: 500, bad rows: 500" in text, text
    assert inline_buttons(person.last()) == []  # no good rows: nothing to offer


async def test_good_rows_button_survives_a_restart(box: Sandbox) -> None:
    # The pending import lives in the conversation storage (database or Redis), not in memory.
    person = admin(box, "telegram")
    rows = [*good_rows(1), course_row("AI200", start_date="1405/13/01")]
    text = await send_file(person, "c.csv", csv_bytes(rows))
    assert "line 3, column start_date" in text, text
    message_id, data = next(
        (m.message_id, d) for m in reversed(person.messages()) for _, d in inline_buttons(m)
    )
    await box.restart()
    text = plain(await person.press_data(message_id, data))
    assert "created: 1" in text, text
    assert await course_codes(box) == {"AI000"}
