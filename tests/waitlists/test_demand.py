"""The demand export's figures against a known set of waiting people (SQLite, and PostgreSQL
when TEST_DATABASE_URL is set): per province × field (× standard, × words several people
typed), people waiting, new this week, median days waiting, Relief Committee clients,
deciles 1–4; and the CSV of `python -m bot demand export` carries counts only."""

from __future__ import annotations

import csv
from pathlib import Path

from bot.cli.demand import export_demand_command
from bot.config import Settings
from services.waitlists import DemandLine, demand_lines
from tests.waitlists.helpers import NOW, TEHRAN, Factory, known_demand_set


async def test_demand_figures(session_factory: Factory, tmp_path: Path) -> None:
    await known_demand_set(session_factory, tmp_path)
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
    await known_demand_set(session_factory, tmp_path)
    engine = session_factory.kw["bind"]
    settings = Settings(_env_file=None,  # type: ignore[call-arg]
                        database_url=engine.url.render_as_string(hide_password=False))
    output = tmp_path / "demand.csv"
    assert await export_demand_command(settings, "csv", str(output)) == 0
    text = output.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) == 4 and rows[0]["people_waiting"] == "3", rows
    assert "نام " not in text and "00123456" not in text and "رایانه" not in text
