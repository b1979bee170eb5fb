"""Courses pushed by a connected system: the catalog import's row rules, errors per item, good
items written; closing one takes it out of browsing; people waiting for a pushed course are told."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.catalog import CourseFilter
from services.container import Services
from storage.repositories.courses import CourseRepository
from tests.api.conftest import Keys
from tests.waitlists.helpers import course_ids
from tests.waitlists.helpers import notices as waitlist_notices
from tests.waitlists.helpers import person as waitlist_person

COURSE = {
    "course_code": "TVT-1021", "standard_code": "7531-23-001-1", "title_fa": "خیاطی زنانه",
    "title_en": "Women's tailoring", "cluster_fa": "پوشاک", "level": "درجه ۲",
    "hours_theory": 80, "hours_practice": 220, "min_education": "سیکل", "province": "تهران",
    "city": "شهریار", "center_name": "آموزشگاه آزاد نگین", "center_type": "private",
    "center_rank": 2, "start_date": "1406/02/01", "capacity": 20, "seats_taken": 4,
    "fee_rial": 45000000, "hamnava_coverage_pct": 70, "karafan": True, "dormitory": False,
    "delivery": "in_person",
}


async def test_upsert_with_errors_per_item_then_close(
    http: httpx.AsyncClient, keys: Keys, services: Services,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    key = await keys.make(scopes=["courses:write"])
    items = [
        COURSE,
        {**COURSE, "course_code": "TVT-1022", "start_date": "1406/13/40", "capacity": "بیست"},
        {**COURSE, "course_code": "TVT-1023", "center_type": "government"},  # rank not allowed
        {**COURSE, "course_code": "TVT-1021"},  # repeated code
    ]
    answer = await http.post("/v1/courses", json={"items": items},
                             headers={**key.headers, "Idempotency-Key": "u1"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [r["outcome"] for r in body["results"]] == ["created", "invalid", "invalid", "invalid"]
    assert body["written"] == 1 and body["invalid"] == 3
    assert [(e["field"], e["code"]) for e in body["results"][1]["errors"]] == [
        ("start_date", "date.not_exist"), ("capacity", "not_integer")]
    assert body["results"][2]["errors"][0]["code"] == "rank.not_allowed_for_government"
    assert body["results"][3]["errors"][0]["code"] == "duplicate_code"
    assert all(e["message"] for r in body["results"] for e in r["errors"])

    again = await http.post("/v1/courses", json={"items": [COURSE, {**COURSE, "capacity": 25,
                                                                     "course_code": "TVT-9"}]},
                            headers={**key.headers, "Idempotency-Key": "u2"})
    assert [r["outcome"] for r in again.json()["results"]] == ["unchanged", "created"]
    bigger = await http.post("/v1/courses", json={"items": [{**COURSE, "capacity": 30}]},
                             headers={**key.headers, "Idempotency-Key": "u3"})
    assert bigger.json()["results"][0]["outcome"] == "updated"
    async with session_factory() as session:
        course = await CourseRepository(session).get_by_code("TVT-1021")
    assert course is not None and course.capacity == 30 and course.title_fa == "خیاطی زنانه"

    closed = await http.post("/v1/courses/TVT-1021/close",
                             headers={**key.headers, "Idempotency-Key": "c1"})
    assert closed.status_code == 200 and closed.json() == {"course_code": "TVT-1021",
                                                           "was_open": True}
    async with session_factory() as session:
        course = await CourseRepository(session).get_by_code("TVT-1021")
    assert course is not None and course.seats_taken == course.capacity
    missing = await http.post("/v1/courses/NOPE-1/close",
                              headers={**key.headers, "Idempotency-Key": "c2"})
    assert missing.status_code == 404

    unknown_field = await http.post("/v1/courses", json={"items": [{**COURSE, "price": 1}]},
                                    headers={**key.headers, "Idempotency-Key": "u4"})
    assert unknown_field.status_code == 422
    empty = await http.post("/v1/courses", json={"items": []},
                            headers={**key.headers, "Idempotency-Key": "u5"})
    assert empty.status_code == 422


async def test_a_course_pushed_through_the_api_tells_the_people_waiting_for_it_once(
    http: httpx.AsyncClient, keys: Keys, services: Services,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    """The API's upsert records waitlist notices in its own transaction, as imports do; the
    same upsert again (or an unchanged course) records nothing new."""
    seamstress, cook = [await waitlist_person(session_factory, n) for n in (71, 72)]
    waitlists = services.waitlist_service
    await waitlists.join_search(seamstress, CourseFilter(query="خیاطی"))
    await waitlists.join_search(cook, CourseFilter(query="آشپزی"))
    key = await keys.make(scopes=["courses:write"])
    for attempt in ("w1", "w2"):
        answer = await http.post("/v1/courses", json={"items": [COURSE]},
                                 headers={**key.headers, "Idempotency-Key": attempt})
        assert answer.status_code == 200, answer.text
        (course_id,) = await course_ids(session_factory, COURSE["course_code"])
        assert await waitlist_notices(session_factory) == [(seamstress, course_id, None)]
    assert [r["outcome"] for r in answer.json()["results"]] == ["unchanged"]
