"""A client limited to a province never sees another province's data: lists are filtered, one
item of another province is 404 (as if it did not exist), for every resource."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.container import Services
from storage.models import ApplicationDocument, Person
from tests.api.conftest import Keys
from tests.api.data import Made, submitted_in, ticket_for, valid_national_code


async def first_document(sessions: async_sessionmaker[AsyncSession], made: Made) -> int:
    async with sessions() as session:
        found = await session.scalar(
            select(ApplicationDocument.id)
            .where(ApplicationDocument.application_id == made.app_id)
            .order_by(ApplicationDocument.id)
        )
    assert found is not None
    return found


async def national_code(sessions: async_sessionmaker[AsyncSession], made: Made) -> str:
    async with sessions() as session:
        code = await session.scalar(select(Person.national_code)
                                    .where(Person.id == made.person_id))
    assert code is not None
    return code


async def test_every_resource_keeps_to_the_clients_provinces(
    http: httpx.AsyncClient, keys: Keys, services: Services,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    ours = await submitted_in(services, session_factory, "البرز", national_code="0012345679")
    theirs = await submitted_in(services, session_factory, "تهران",
                                national_code=valid_national_code(123456781))
    our_ticket = await ticket_for(session_factory, ours.person_id, "البرز", "سلام")
    their_ticket = await ticket_for(session_factory, theirs.person_id, "تهران", "سلام")
    key = await keys.make(provinces=["البرز"])  # every scope
    h = key.headers

    def post(n: str) -> dict[str, str]:
        return {**h, "Idempotency-Key": f"p-{n}"}

    # applications: the list, one, a transition
    listed = (await http.get("/v1/applications", headers=h)).json()["items"]
    assert [i["tracking_code"] for i in listed] == [ours.tracking_code]
    asked_other = await http.get("/v1/applications", params={"province": "تهران"}, headers=h)
    assert asked_other.json()["items"] == []
    assert (await http.get(f"/v1/applications/{ours.tracking_code}",
                           headers=h)).status_code == 200
    hidden = await http.get(f"/v1/applications/{theirs.tracking_code}", headers=h)
    assert hidden.status_code == 404 and hidden.json()["code"] == "not-found"
    moved = await http.post(f"/v1/applications/{theirs.tracking_code}/transitions",
                            json={"to": "under_review"}, headers=post("t1"))
    assert moved.status_code == 404
    ok = await http.post(f"/v1/applications/{ours.tracking_code}/transitions",
                         json={"to": "under_review"}, headers=post("t2"))
    assert ok.status_code == 200, ok.text

    # documents
    mine = await http.get(f"/v1/documents/{await first_document(session_factory, ours)}/file",
                          headers=h)
    assert mine.status_code == 200
    other = await http.get(
        f"/v1/documents/{await first_document(session_factory, theirs)}/file", headers=h
    )
    assert other.status_code == 404

    # courses: writing another province's course is that item's error; closing it is 404
    course = {"course_code": "NEW-1", "standard_code": "7531-13-001-1", "title_fa": "خیاطی",
              "cluster_fa": "پوشاک", "hours_theory": 10, "hours_practice": 20,
              "province": "تهران", "city": "تهران", "center_name": "مرکز یک",
              "center_type": "government", "start_date": "1406/01/15", "capacity": 10,
              "seats_taken": 0, "fee_rial": 1000, "hamnava_coverage_pct": 50,
              "karafan": False, "dormitory": False, "delivery": "in_person"}
    upsert = await http.post("/v1/courses", headers=post("c1"), json={"items": [
        course, {**course, "course_code": "NEW-2", "province": "البرز"},
        {**course, "course_code": theirs.course_code, "province": "البرز"},
    ]})
    assert upsert.status_code == 200, upsert.text
    results = upsert.json()["results"]
    assert [r["outcome"] for r in results] == ["invalid", "created", "invalid"]
    assert results[0]["errors"][0]["code"] == "province.not_allowed"
    assert results[2]["errors"][0]["code"] == "province.not_allowed"  # moving theirs into ours
    closed = await http.post(f"/v1/courses/{theirs.course_code}/close", headers=post("c2"))
    assert closed.status_code == 404
    assert (await http.post(f"/v1/courses/{ours.course_code}/close",
                            headers=post("c3"))).status_code == 200

    # people
    found = await http.post("/v1/people/lookup", headers=post("n1"),
                            json={"national_code": "0012345679"})
    assert found.status_code == 200 and found.json()["profile"]["province"] == "البرز"
    other_person = await http.post(
        "/v1/people/lookup", headers=post("n2"),
        json={"national_code": await national_code(session_factory, theirs)},
    )
    assert other_person.status_code == 404

    # tickets
    tickets = (await http.get("/v1/tickets", headers=h)).json()["items"]
    assert [t["id"] for t in tickets] == [our_ticket]
    assert (await http.get(f"/v1/tickets/{our_ticket}", headers=h)).status_code == 200
    assert (await http.get(f"/v1/tickets/{their_ticket}", headers=h)).status_code == 404

    # The same resources, for a client of every province, show both.
    everywhere = await keys.make()
    both = (await http.get("/v1/applications", headers=everywhere.headers)).json()["items"]
    assert len(both) == 2
    assert len((await http.get("/v1/tickets", headers=everywhere.headers)).json()["items"]) == 2
