"""The dashboard over HTTP: signing in with a one-time link (used twice, expired, forged:
refused), the session cookie's flags, CSRF on every form, a caseworker limited to their
provinces, and the overview's numbers equal to the data set's."""

from __future__ import annotations

import datetime as dt
import re

import httpx
import pytest
import time_machine
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.container import Services
from tests.dashboard.data import EXPECTED, ISFAHAN, NOON, TEHRAN, build

ADMIN = ("telegram", 11)
CASEWORKER = ("bale", 22)


async def staff(services: Services) -> None:
    await services.staff_service.grant_admins([ADMIN])
    await services.staff_service.add_caseworker(*CASEWORKER, [TEHRAN])


async def sign_in(http: httpx.AsyncClient, services: Services, who: tuple[str, int]) -> str:
    token = await services.dashboard_access.issue_link_token(*who)
    answer = await http.get("/dashboard/login", params={"token": token})
    assert answer.status_code == 200, answer.text
    assert "dashboard_session" in http.cookies
    return token


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def refusal(answer: httpx.Response) -> str:
    found = re.search(r'data-testid="refused" data-reason="([a-z_]+)"', answer.text)
    assert found, answer.text
    return found.group(1)


async def test_no_session_goes_to_the_ask_the_bot_page(http: httpx.AsyncClient) -> None:
    answer = await http.get("/dashboard")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/dashboard/welcome"
    welcome = await http.get("/dashboard/welcome")
    assert welcome.status_code == 200
    assert 'lang="fa" dir="rtl"' in welcome.text
    assert "/dashboard" in welcome.text and "ربات" in welcome.text


async def test_a_link_opens_one_session_once(http: httpx.AsyncClient, services: Services) -> None:
    await staff(services)
    token = await sign_in(http, services, ADMIN)
    # The cookie's flags, read from a fresh sign-in's Set-Cookie header.
    token2 = await services.dashboard_access.issue_link_token(*ADMIN)
    fresh = await http.get("/dashboard/login", params={"token": token2})
    cookie_header = fresh.headers["set-cookie"].lower()
    assert "httponly" in cookie_header and "samesite=strict" in cookie_header
    assert "path=/dashboard" in cookie_header and "secure" not in cookie_header  # plain http
    overview = await http.get("/dashboard")
    assert overview.status_code == 200 and 'data-testid="cards"' in overview.text

    again = await httpx.AsyncClient(transport=http._transport, base_url="http://api.test").get(
        "/dashboard/login", params={"token": token}
    )
    assert again.status_code == 403 and refusal(again) == "used"
    assert "پیش‌تر به کار رفته" in again.text


async def test_expired_forged_and_foreign_links_are_refused(
    http: httpx.AsyncClient, services: Services
) -> None:
    await staff(services)
    token = await services.dashboard_access.issue_link_token(*ADMIN)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=6), tick=False):
        late = await http.get("/dashboard/login", params={"token": token})
    assert late.status_code == 403 and refusal(late) == "expired"
    nonce, _, signature = token.partition(".")
    for forged in (f"{nonce}x.{signature}", f"{nonce}.{'0' * len(signature)}", "garbage", ""):
        answer = await http.get("/dashboard/login", params={"token": forged})
        assert answer.status_code == 403 and refusal(answer) == "forged", forged
    assert "dashboard_session" not in http.cookies


async def test_forms_need_the_csrf_token(http: httpx.AsyncClient, services: Services) -> None:
    await staff(services)
    await sign_in(http, services, ADMIN)
    page = await http.get("/dashboard")
    token = csrf_of(page.text)
    for data in ({}, {"csrf": "wrong"}):
        for path in ("/dashboard/export", "/dashboard/logout"):
            answer = await http.post(path, data=data)
            assert answer.status_code == 403 and refusal(answer) == "csrf", (path, data)
            assert "فرم" in answer.text
    export = await http.post("/dashboard/export", data={"csrf": token})
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("text/csv")
    out = await http.post("/dashboard/logout", data={"csrf": token})
    assert out.status_code == 303
    assert (await http.get("/dashboard")).status_code == 303  # the session is gone


async def test_a_caseworker_sees_only_their_provinces(
    http: httpx.AsyncClient, services: Services, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await build(session_factory)
    await staff(services)
    await sign_in(http, services, CASEWORKER)
    for path in ("/dashboard", "/dashboard/provinces", "/dashboard/centres", "/dashboard/queue"):
        answer = await http.get(path, params={"province": ISFAHAN})
        assert answer.status_code == 403 and refusal(answer) == "province", path
        assert "استان" in answer.text
    own = await http.get("/dashboard", params={"province": TEHRAN})
    assert own.status_code == 200
    # Their overview without a filter is Tehran's.
    overview = await http.get("/dashboard")
    assert card(overview.text, "applications") == str(EXPECTED[TEHRAN]["applications"])
    # Isfahan's application by its tracking code: not found for them; broadcasts: admins only.
    assert (await http.get("/dashboard/applications/HMN-1405-000005")).status_code == 404
    assert (await http.get("/dashboard/applications/HMN-1405-000001")).status_code == 200
    assert refusal(await http.get("/dashboard/broadcasts")) == "admins_only"
    token = csrf_of(overview.text)
    answer = await http.post("/dashboard/export", data={"csrf": token, "province": ISFAHAN})
    assert answer.status_code == 403 and refusal(answer) == "province"
    csv_text = (await http.post("/dashboard/export", data={"csrf": token})).content.decode()
    assert "HMN-1405-000001" in csv_text and "HMN-1405-000005" not in csv_text


def card(html: str, name: str) -> str:
    found = re.search(rf'data-testid="card-{name}" data-value="([^"]*)"', html)
    assert found, name
    return found.group(1)


@pytest.mark.parametrize("province", [None, TEHRAN])
async def test_the_overview_page_shows_the_database_numbers(
    http: httpx.AsyncClient, services: Services,
    session_factory: async_sessionmaker[AsyncSession], province: str | None,
) -> None:
    await build(session_factory)
    await staff(services)
    with time_machine.travel(NOON, tick=False):
        await sign_in(http, services, ADMIN)
        answer = await http.get("/dashboard", params={"province": province} if province else {})
    assert answer.status_code == 200
    html = answer.text
    want = EXPECTED[province]
    assert card(html, "registrations") == str(want["registrations"])
    assert card(html, "applications") == str(want["applications"])
    assert card(html, "queue") == str(want["in_queue"])
    assert float(card(html, "decision-median")) == pytest.approx(want["median_hours"], abs=1e-3)
    assert float(card(html, "decision-p90")) == pytest.approx(want["p90_hours"], abs=1e-3)
    assert card(html, "documents") == str(want["documents"])
    assert card(html, "tickets") == str(want["open_tickets"])
    assert float(card(html, "first-response")) == pytest.approx(want["first_response"], abs=1e-3)
    statuses = re.search(r'data-testid="table-statuses">(.*?)</table>', html, re.S)
    assert statuses
    values = sorted(int(v) for v in re.findall(r'data-value="(\d+)"', statuses.group(1)))
    assert values == sorted(want["statuses"].values())
    exams = want["exams"]
    for name, key in {
        "exam-sessions": "sessions_held", "exam-invited": "invited",
        "exam-will-attend": "will_attend", "exam-attended": "attended",
        "exam-examined": "examined", "exam-passed": "passed", "exam-failed": "failed",
        "certificates": "certificates",
    }.items():
        assert card(html, name) == str(exams[key]), name
    for kind in ("written", "practical"):
        examined, passed = exams[kind]
        row = re.search(rf'data-testid="exam-{kind}">(.*?)</tr>', html, re.S)
        assert row
        cells = re.findall(r'data-value="([^"]*)"', row.group(1))
        assert [int(c) for c in cells[:3]] == [examined, passed, examined - passed]
        assert float(cells[3]) == pytest.approx(100 * passed / examined)
    # Charts are inline SVG, and nothing on the page is fetched from elsewhere.
    assert html.count("<svg") == 7
    assert not re.search(r'(src|href)="https?://', html)
    assert "۲" in html  # Persian digits
    assert answer.headers["content-security-policy"].startswith("default-src 'none'")


async def test_the_cookie_is_secure_over_https(app: object, services: Services) -> None:
    await staff(services)
    token = await services.dashboard_access.issue_link_token(*ADMIN)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="https://dash.test") as client:
        answer = await client.get("/dashboard/login", params={"token": token})
    assert answer.status_code == 200
    assert "; secure" in answer.headers["set-cookie"].lower()


async def test_a_removed_caseworker_is_signed_out_at_once(
    http: httpx.AsyncClient, services: Services
) -> None:
    await staff(services)
    await sign_in(http, services, CASEWORKER)
    assert (await http.get("/dashboard")).status_code == 200
    await services.staff_service.remove(*CASEWORKER)
    assert (await http.get("/dashboard")).status_code == 303
    # And a link of theirs made before the removal opens nothing.
    await services.staff_service.add_caseworker(*CASEWORKER, [TEHRAN])
    token = await services.dashboard_access.issue_link_token(*CASEWORKER)
    await services.staff_service.remove(*CASEWORKER)
    answer = await http.get("/dashboard/login", params={"token": token})
    assert answer.status_code == 403 and refusal(answer) == "not_staff"


async def test_english_on_request(http: httpx.AsyncClient, services: Services) -> None:
    await staff(services)
    await sign_in(http, services, ADMIN)
    switched = await http.get("/dashboard/language", params={"to": "en", "back": "/dashboard"})
    assert switched.status_code == 303 and switched.headers["location"] == "/dashboard"
    page = await http.get("/dashboard")
    assert 'lang="en" dir="ltr"' in page.text and "Applications per status" in page.text
    # A "back" address elsewhere is not followed.
    away = await http.get("/dashboard/language", params={"to": "fa", "back": "//evil.test/x"})
    assert away.headers["location"] == "/dashboard"
    assert 'lang="fa" dir="rtl"' in (await http.get("/dashboard")).text


async def test_the_centres_page_counts_exams_and_lists_what_is_missing(
    http: httpx.AsyncClient, services: Services,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await build(session_factory)
    await staff(services)
    with time_machine.travel(NOON, tick=False):
        await sign_in(http, services, ADMIN)
        html = (await http.get("/dashboard/centres")).text
        files = (await http.get("/dashboard/centres/files", params={
            "centre": "مرکز الف", "centre_province": TEHRAN})).text
    row = re.search(r"<tr><th scope=\"row\"><a [^>]*>مرکز الف</a>(.*?)</tr>", html, re.S)
    assert row
    # Present at an exam, examined, certified, incomplete (see tests/dashboard/test_figures.py).
    values = re.findall(r'data-value="(\d+)"', row.group(1))
    assert [int(v) for v in values] == [2, 2, 1, 3]
    assert "HMN-1405-000009" in files and "HMN-1405-000007" not in files
    assert "بدون نتیجهٔ آزمون" in files and "بدون گواهینامه" in files
