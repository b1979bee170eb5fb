"""Exam sessions, results and certificates through the API: the chat form's rules (422 per
field), the enrolled told through the outbox, results only once held and only for the enrolled
(the person told with the next step; a repeated Idempotency-Key records once), certificates
after a passed practical (the application completed; a number used twice is a 409)."""

from __future__ import annotations

import datetime as dt

import httpx
import time_machine
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.container import Services
from services.exams import EXAM_NEWS
from storage.models import Certificate, ExamResult, OutboxMessage, WebhookDelivery
from tests.api.conftest import Keys
from tests.api.data import give_account, submitted_in, valid_national_code
from tests.api.exam_data import ahead, count, enrolled_in, post, session_body


async def test_session_rules_are_the_chat_forms(
    http: httpx.AsyncClient, keys: Keys, services: Services,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    key = await keys.make()
    made = await enrolled_in(http, key, services, session_factory)
    await give_account(session_factory, made.person_id)
    course = made.course_code

    past = await post(http, key, "/v1/exam-sessions", session_body(course, ahead(hours=-1)), "1")
    assert past.status_code == 422, past.text
    assert past.headers["content-type"] == "application/problem+json"
    assert past.json()["code"] == "starts-in-past"
    assert past.json()["errors"][0]["loc"] == ["body", "starts_at"]
    naive = await post(http, key, "/v1/exam-sessions",
                       session_body(course, "2030-01-10T09:30:00"), "2")
    assert naive.status_code == 422
    assert naive.json()["errors"][0]["loc"] == ["body", "starts_at"]
    for n, far in enumerate(("9999-12-31T23:59:59-05:00", "2300-01-01T09:00:00+03:30")):
        out = await post(http, key, "/v1/exam-sessions", session_body(course, far), f"far{n}")
        assert out.status_code == 422, out.text
        assert out.json()["code"] == "starts-out-of-range"
    empty = await post(http, key, "/v1/exam-sessions",
                       session_body(course, ahead(days=2), capacity=0), "3")
    assert empty.status_code == 422 and empty.json()["errors"][0]["loc"] == ["body", "capacity"]
    unknown = await post(http, key, "/v1/exam-sessions",
                         session_body("NO-SUCH", ahead(days=2)), "4")
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown-course"
    assert unknown.json()["errors"][0]["loc"] == ["body", "course_code"]
    half_place = await post(http, key, "/v1/exam-sessions",
                            session_body(course, ahead(days=2), latitude=35.7), "5")
    assert half_place.status_code == 422 and half_place.json()["code"] == "invalid-location"
    assert await count(session_factory, OutboxMessage, kind=EXAM_NEWS) == 0

    created = await post(http, key, "/v1/exam-sessions", session_body(course, ahead(days=2)),
                         "6")
    assert created.status_code == 200, created.text
    session = created.json()["session"]
    assert created.json()["told"] == 1
    assert session["state"] == "scheduled" and session["course_code"] == course
    assert session["starts_at"].endswith("Z") or session["starts_at"].endswith("+00:00")
    assert await count(session_factory, OutboxMessage, kind=EXAM_NEWS,
                       person_id=made.person_id) == 1

    one = await http.get(f"/v1/exam-sessions/{session['id']}", headers=key.headers)
    assert one.status_code == 200 and one.json() == session
    same = await http.get(f"/v1/exam-sessions/{session['id']}",
                          headers={**key.headers, "If-None-Match": one.headers["etag"]})
    assert same.status_code == 304
    listed = await http.get("/v1/exam-sessions", headers=key.headers,
                            params={"course": course, "state": "scheduled",
                                    "from": ahead(days=1), "to": ahead(days=3)})
    assert [s["id"] for s in listed.json()["items"]] == [session["id"]]
    for params in ({"state": "cancelled"}, {"from": ahead(days=3)}, {"to": ahead(days=1)},
                   {"course": "OTHER"}, {"province": "البرز"}):
        assert (await http.get("/v1/exam-sessions", headers=key.headers, params=params)
                ).json()["items"] == [], params
    bad_time = await http.get("/v1/exam-sessions", headers=key.headers, params={"from": "x"})
    assert bad_time.status_code == 422

    moved = await post(http, key, f"/v1/exam-sessions/{session['id']}/move",
                       {"starts_at": ahead(days=4), "place": "مرکز شماره ۲"}, "7")
    assert moved.status_code == 200, moved.text
    assert moved.json()["session"]["version"] == 2 and moved.json()["told"] == 1
    assert moved.json()["session"]["place"] == "مرکز شماره ۲"
    cancelled = await post(http, key, f"/v1/exam-sessions/{session['id']}/cancel", None, "8")
    assert cancelled.status_code == 200 and cancelled.json()["session"]["state"] == "cancelled"
    assert await count(session_factory, OutboxMessage, kind=EXAM_NEWS,
                       person_id=made.person_id) == 3  # created, moved, cancelled
    again = await post(http, key, f"/v1/exam-sessions/{session['id']}/cancel", None, "9")
    assert again.status_code == 409 and again.json()["code"] == "session-cancelled"
    late_move = await post(http, key, f"/v1/exam-sessions/{session['id']}/move",
                           {"starts_at": ahead(days=5)}, "10")
    assert late_move.status_code == 409
    assert (await http.get("/v1/exam-sessions/999999", headers=key.headers)).status_code == 404


async def test_results_and_certificates(
    http: httpx.AsyncClient, keys: Keys, services: Services,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    start = dt.datetime.now(dt.UTC).replace(microsecond=0)
    with time_machine.travel(start, tick=True) as clock:
        key = await keys.make()
        taker = await enrolled_in(http, key, services, session_factory)
        other = await enrolled_in(http, key, services, session_factory,
                                  national_code=valid_national_code(55501))
        stranger = await submitted_in(services, session_factory,
                                      national_code=valid_national_code(55502))
        await give_account(session_factory, taker.person_id)
        written = (await post(http, key, "/v1/exam-sessions",
                              session_body(taker.course_code, ahead(days=1)), "w")
                   ).json()["session"]
        practical = (await post(http, key, "/v1/exam-sessions", session_body(
            taker.course_code, ahead(days=2), kind="practical"), "p")).json()["session"]
        results = f"/v1/exam-sessions/{written['id']}/results"
        early = await post(http, key, results,
                           {"tracking_code": taker.tracking_code, "passed": True}, "r0")
        assert early.status_code == 409 and early.json()["code"] == "session-not-held-yet"

        clock.move_to(start + dt.timedelta(days=2, hours=3))
        not_enrolled = await post(http, key, results,
                                  {"tracking_code": stranger.tracking_code, "passed": True}, "r1")
        assert not_enrolled.status_code == 409 and not_enrolled.json()["code"] == "not-enrolled"
        malformed = await post(http, key, results, {"tracking_code": "abc", "passed": True}, "r2")
        assert malformed.status_code == 422
        assert malformed.json()["code"] == "invalid-tracking-code"
        out_of_range = await post(http, key, results, {
            "tracking_code": taker.tracking_code, "passed": True, "score": 101}, "r3")
        assert out_of_range.status_code == 422

        news_before = await count(session_factory, OutboxMessage, kind=EXAM_NEWS,
                                  person_id=taker.person_id)
        body = {"tracking_code": taker.tracking_code, "passed": True, "score": 85}
        first = await post(http, key, results, body, "r4")
        assert first.status_code == 200, first.text
        assert first.json() == {"session_id": written["id"], "tracking_code": taker.tracking_code,
                                "kind": "written", "passed": True, "score": 85,
                                "next_step": "practical"}
        repeat = await post(http, key, results, body, "r4")
        assert repeat.status_code == 200 and repeat.content == first.content
        assert repeat.headers["idempotent-replayed"] == "true"
        assert await count(session_factory, ExamResult, person_id=taker.person_id) == 1
        # One result, one message to the person (with the next step), however often replayed.
        assert await count(session_factory, OutboxMessage, kind=EXAM_NEWS,
                           person_id=taker.person_id) == news_before + 1

        marked = await post(http, key, f"/v1/exam-sessions/{written['id']}/attendance",
                            {"tracking_code": taker.tracking_code, "attended": True}, "a1")
        assert marked.status_code == 200, marked.text
        roll = await http.get(f"/v1/exam-sessions/{written['id']}/roll", headers=key.headers)
        assert roll.status_code == 200
        line = next(p for p in roll.json()["people"]
                    if p["tracking_code"] == taker.tracking_code)
        assert (line["attended"], line["passed"], line["score"]) == (True, True, 85)
        assert len(roll.json()["people"]) == 2  # both enrolled; the stranger is not

        too_soon = await post(http, key, "/v1/certificates",
                              {"tracking_code": taker.tracking_code, "number": "TV-1"}, "c0")
        assert too_soon.status_code == 409 and too_soon.json()["code"] == "no-passed-practical"
        practical_results = f"/v1/exam-sessions/{practical['id']}/results"
        for n, made in enumerate((taker, other)):
            passed = await post(http, key, practical_results,
                                {"tracking_code": made.tracking_code, "passed": True}, f"pr{n}")
            assert passed.json()["next_step"] == "certificate", passed.text

        ahead_of_time = await post(http, key, "/v1/certificates", {
            "tracking_code": taker.tracking_code, "number": "TV-1405-0001",
            "issued_on": (dt.date.today() + dt.timedelta(days=30)).isoformat()}, "c-1")
        assert ahead_of_time.status_code == 422
        assert ahead_of_time.json()["code"] == "issued-in-future"
        long_ago = await post(http, key, "/v1/certificates", {
            "tracking_code": taker.tracking_code, "number": "TV-1405-0001",
            "issued_on": "0001-01-01"}, "c-2")
        assert long_ago.status_code == 422
        issued = await post(http, key, "/v1/certificates", {
            "tracking_code": taker.tracking_code, "number": "TV-1405-0001"}, "c1")
        assert issued.status_code == 200, issued.text
        assert issued.json()["number"] == "TV-1405-0001"
        assert issued.json()["tracking_code"] == taker.tracking_code
        application = await http.get(f"/v1/applications/{taker.tracking_code}",
                                     headers=key.headers)
        assert application.json()["status"] == "completed"

        duplicate = await post(http, key, "/v1/certificates", {
            "tracking_code": other.tracking_code, "number": "TV-1405-0001"}, "c2")
        assert duplicate.status_code == 409, duplicate.text
        assert duplicate.json()["code"] == "duplicate-certificate-number"
        second = await post(http, key, "/v1/certificates", {
            "tracking_code": taker.tracking_code, "number": "TV-1405-0002"}, "c3")
        assert second.status_code == 409 and second.json()["code"] == "already-certified"
        unknown = await post(http, key, "/v1/certificates", {
            "tracking_code": "HMN-1405-999999", "number": "TV-1405-0003"}, "c4")
        assert unknown.status_code == 404
        assert await count(session_factory, Certificate) == 1

        mine = await http.get("/v1/certificates", headers=key.headers,
                              params={"tracking_code": taker.tracking_code})
        assert mine.status_code == 200
        assert [c["number"] for c in mine.json()["items"]] == ["TV-1405-0001"]
        assert mine.json()["items"][0]["title"]
        none = await http.get("/v1/certificates", headers=key.headers,
                              params={"tracking_code": other.tracking_code})
        assert none.json()["items"] == []


async def test_a_result_and_a_certificate_are_told_to_the_clients_webhooks(
    http: httpx.AsyncClient, keys: Keys, services: Services,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    start = dt.datetime.now(dt.UTC).replace(microsecond=0)
    with time_machine.travel(start, tick=True) as clock:
        key = await keys.make()
        listener = await keys.make()
        await services.webhook_service.add(
            listener.name, "http://127.0.0.1:9/hook", ["exam.result_recorded", "certificate.issued"]
        )
        taker = await enrolled_in(http, key, services, session_factory)
        practical = (await post(http, key, "/v1/exam-sessions", session_body(
            taker.course_code, ahead(days=1), kind="practical"), "wp")).json()["session"]
        clock.move_to(start + dt.timedelta(days=1, hours=3))
        passed = await post(http, key, f"/v1/exam-sessions/{practical['id']}/results",
                            {"tracking_code": taker.tracking_code, "passed": True, "score": 90},
                            "wr")
        assert passed.status_code == 200, passed.text
        issued = await post(http, key, "/v1/certificates", {
            "tracking_code": taker.tracking_code, "number": "TV-1405-0101"}, "wc")
        assert issued.status_code == 200, issued.text

    async with session_factory() as session:
        rows = list((await session.scalars(
            select(WebhookDelivery).order_by(WebhookDelivery.id)
        )).all())
    assert [row.event_type for row in rows] == ["exam.result_recorded", "certificate.issued"]
    result, certificate = (row.body["data"] for row in rows)
    assert (result["tracking_code"], result["kind"], result["passed"], result["score"]) == (
        taker.tracking_code, "practical", True, 90
    )
    assert (certificate["tracking_code"], certificate["number"]) == (
        taker.tracking_code, "TV-1405-0101"
    )
