"""The dashboard's demand page over HTTP: its figures equal the known set's (the same set as the
demand export's test), a caseworker sees and downloads only their provinces' lines, the CSV
download needs the form's CSRF token and carries counts only."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import httpx
import time_machine
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.catalog import CourseFilter
from services.container import Services
from tests.api.test_dashboard_http import ADMIN, CASEWORKER, csrf_of, refusal, sign_in, staff
from tests.dashboard.data import ISFAHAN, TEHRAN
from tests.waitlists.helpers import NOW, known_demand_set, person

Factory = async_sessionmaker[AsyncSession]
# (field, standard, words) → (people waiting, new this week, median days, relief, deciles 1–4)
TEHRAN_LINES = {
    ("", "", "خیاطی"): (3, 2, 4.0, 2, 1),
    ("صنایع پوشاک", "7531-13-001-1", ""): (1, 0, 20.0, 0, 1),
    ("", "", ""): (1, 1, 6.0, 0, 1),
}


async def _data(services: Services, session_factory: Factory, tmp_path: Path) -> None:
    await known_demand_set(session_factory, tmp_path)
    welder = await person(session_factory, 7)
    with time_machine.travel(NOW - dt.timedelta(days=3), tick=False):
        joined = await services.waitlist_service.join_search(
            welder, CourseFilter(query="جوشکاری", province=ISFAHAN))
    assert joined.entry is not None
    await staff(services)


def page_lines(html: str) -> dict[tuple[str, str, str, str], tuple[float, ...]]:
    found = {}
    for row in re.findall(r'<tr data-testid="demand-line"(.*?)</tr>', html, re.S):
        key = re.search(
            r'data-province="([^"]*)" data-field="([^"]*)" data-standard="([^"]*)" '
            r'data-words="([^"]*)"', row)
        assert key, row
        found[key.groups()] = tuple(float(v) for v in re.findall(r'data-value="([^"]+)"', row))
    return found


async def test_the_demand_page_shows_the_known_figures_to_an_administrator(
    http: httpx.AsyncClient, services: Services, session_factory: Factory, tmp_path: Path
) -> None:
    await _data(services, session_factory, tmp_path)
    with time_machine.travel(NOW, tick=False):
        await sign_in(http, services, ADMIN)
        answer = await http.get("/dashboard/demand")
        filtered = await http.get("/dashboard/demand", params={"province": ISFAHAN})
        overview = await http.get("/dashboard")
    assert answer.status_code == 200, answer.text
    lines = page_lines(answer.text)
    assert len(lines) == 5, lines
    for (field, standard, words), figures in TEHRAN_LINES.items():
        assert lines[(TEHRAN, field, standard, words)] == figures
    (field_line,) = [v for k, v in lines.items() if "پوشاک" in k[1] and not k[2]]
    assert field_line[:3] == (1, 1, 1.0)
    assert lines[(ISFAHAN, "", "", "")] == (1, 1, 3.0, 0, 0)
    # One chart (pygal SVG), Persian digits, nothing fetched from elsewhere; the menu links here.
    assert answer.text.count("<svg") == 1 and "۴٫۰" in answer.text
    assert not re.search(r'(src|href)="https?://', answer.text)
    assert 'href="/dashboard/demand"' in overview.text
    assert list(page_lines(filtered.text)) == [(ISFAHAN, "", "", "")]


async def test_a_caseworker_sees_and_downloads_only_their_provinces_demand(
    http: httpx.AsyncClient, services: Services, session_factory: Factory, tmp_path: Path
) -> None:
    await _data(services, session_factory, tmp_path)
    with time_machine.travel(NOW, tick=False):
        await sign_in(http, services, CASEWORKER)
        answer = await http.get("/dashboard/demand")
        refused = await http.get("/dashboard/demand", params={"province": ISFAHAN})
        token = csrf_of(answer.text)
        forged = await http.post("/dashboard/demand/export", data={"csrf": "wrong"})
        other = await http.post("/dashboard/demand/export",
                                data={"csrf": token, "province": ISFAHAN})
        download = await http.post("/dashboard/demand/export", data={"csrf": token})
    assert answer.status_code == 200
    assert {key[0] for key in page_lines(answer.text)} == {TEHRAN}
    assert refused.status_code == 403 and refusal(refused) == "province"
    assert forged.status_code == 403 and refusal(forged) == "csrf"
    assert other.status_code == 403 and refusal(other) == "province"
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(download.content.decode("utf-8-sig").splitlines()))
    assert len(rows) == 4 and {row["province"] for row in rows} == {TEHRAN}
    tailoring = next(row for row in rows if row["search_words"] == "خیاطی")
    assert (tailoring["people_waiting"], tailoring["median_days_waiting"]) == ("3", "4.0")
    text = download.content.decode("utf-8-sig")
    assert "نام " not in text and "00123456" not in text and "جوشکاری" not in text
