"""The demand export's figures against a known set of waiting people (SQLite, and PostgreSQL
when TEST_DATABASE_URL is set): per province × field (× standard, × words several people
typed), people waiting, new this week, median days waiting, Relief Committee clients,
deciles 1–4; and the CSV of `python -m bot demand export` carries counts only."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from sqlalchemy import update

from bot.cli.demand import export_demand_command
from bot.config import Settings
from services.catalog import CourseFilter
from services.waitlists import DemandLine, demand_lines
from storage.models import Person, Waitlist
from tests.catalog.helpers import course_row
from tests.waitlists.helpers import NOW, Factory, import_file, person, service

TEHRAN = "تهران"


async def _known_set(session_factory: Factory, tmp_path: Path) -> None:
    waitlists = service(session_factory)
    await import_file(session_factory, waitlists, tmp_path, [course_row("T001", seats_taken="20")])
    # (user, relief client, decile, how they wait, days ago)
    people = [
        (1, True, 2, "search:خیاطی", 10),
        (2, False, 5, "search:خیاطی", 2),
        (3, True, None, "search:خياطي", 4),  # typed with Arabic letters: the same words
        (4, False, 1, "course:T001", 20),
        (5, None, None, "field:garment", 1),
        (6, False, 3, "search:رایانه", 6),
    ]
    for user, relief, decile, how, days in people:
        person_id = await person(session_factory, user)
        kind, value = how.split(":")
        if kind == "search":
            result = await waitlists.join_search(
                person_id, CourseFilter(query=value, province=TEHRAN))
        elif kind == "course":
            result = await waitlists.join_course(person_id, value, same_standard=False)
        else:
            result = await waitlists.join_field(person_id, value, TEHRAN)
        assert result.entry is not None, (how, result)
        async with session_factory() as session:
            await session.execute(update(Person).where(Person.id == person_id).values(
                relief_client=relief, decile=decile, full_name=f"نام {user}",
                national_code=f"00123456{user:02d}"))
            await session.execute(update(Waitlist).where(Waitlist.id == result.entry.id).values(
                created_at=NOW - dt.timedelta(days=days)))
            await session.commit()


async def test_demand_figures(session_factory: Factory, tmp_path: Path) -> None:
    await _known_set(session_factory, tmp_path)
    lines = await demand_lines(session_factory, now=NOW)
    garment = "پوشاک"  # the counseling field's Persian name contains it
    by_key = {(line.field, line.standard_code, line.search_words): line for line in lines}
    assert by_key[("", "", "خیاطی")] == DemandLine(
        TEHRAN, "", "", "خیاطی", people_waiting=3, new_this_week=2, median_days_waiting=4.0,
        relief_clients=2, deciles_1_to_4=1)
    assert by_key[("صنایع پوشاک", "7531-13-001-1", "")] == DemandLine(
        TEHRAN, "صنایع پوشاک", "7531-13-001-1", "", 1, 0, 20.0, 0, 1)
    # One person's words are not shown (they may be a name typed into the search box).
    assert by_key[("", "", "")] == DemandLine(TEHRAN, "", "", "", 1, 1, 6.0, 0, 1)
    (field_line,) = [line for line in lines if garment in line.field and not line.standard_code]
    assert (field_line.people_waiting, field_line.new_this_week,
            field_line.median_days_waiting) == (1, 1, 1.0)
    assert len(lines) == 4 and lines[0].search_words == "خیاطی"
    # A provincial scope: only its lines.
    assert await demand_lines(session_factory, now=NOW, provinces=["ایلام"]) == []


async def test_demand_csv_has_counts_only(
    session_factory: Factory, tmp_path: Path
) -> None:
    await _known_set(session_factory, tmp_path)
    engine = session_factory.kw["bind"]
    settings = Settings(_env_file=None,  # type: ignore[call-arg]
                        database_url=engine.url.render_as_string(hide_password=False))
    output = tmp_path / "demand.csv"
    assert await export_demand_command(settings, "csv", str(output)) == 0
    text = output.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) == 4 and rows[0]["people_waiting"] == "3", rows
    assert "نام " not in text and "00123456" not in text and "رایانه" not in text
