"""Job leads through the API: posting with the chat form's value rules (every refused field at
once; a passed deadline refused), the matching people recorded to be told, the list's filters,
and the people interested (phones only with people:read)."""

from __future__ import annotations

import datetime as dt

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.container import Services
from storage.models import JobLead, utcnow
from tests.api.conftest import Keys
from tests.api.exam_data import FIELD, enrolled_in, lead_body, post


async def closed_lead(sessions: async_sessionmaker[AsyncSession], province: str) -> int:
    """A lead whose deadline passed (the API refuses to post one: made as a row)."""
    async with sessions() as session:
        lead = JobLead(title="انباردار", employer="شرکت پخش", province=province, city=None,
                       wage_text=None, deadline=dt.date.today() - dt.timedelta(days=3),
                       how_to_apply="حضوری", posted_by="cli", created_at=utcnow())
        session.add(lead)
        await session.commit()
        return lead.id


async def test_posting_listing_and_the_interested(
    http: httpx.AsyncClient, keys: Keys, services: Services,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    key = await keys.make()
    worker = await enrolled_in(http, key, services, session_factory)  # field: FIELD, Tehran

    refused = await post(http, key, "/v1/job-leads", lead_body(
        deadline=(dt.date.today() - dt.timedelta(days=2)).isoformat(),
        fields=["فضانوردی"], province="آتلانتیس",
    ), "bad")
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "invalid-job-lead"
    where = {tuple(e["loc"]): e["type"] for e in refused.json()["errors"]}
    assert where == {("body", "deadline"): "lead.deadline_passed",
                     ("body", "fields"): "lead.unknown_field",
                     ("body", "province"): "unknown_province"}

    far = await post(http, key, "/v1/job-leads", lead_body(deadline="9999-12-31"), "far")
    assert far.status_code == 422
    assert far.json()["errors"][0]["type"] == "date.out_of_range"
    posted = await post(http, key, "/v1/job-leads", lead_body(province="تهران"), "ok")
    assert posted.status_code == 200, posted.text
    lead = posted.json()["lead"]
    assert posted.json()["matched"] == 1  # the enrolled tailor of Tehran
    assert lead["open"] is True and lead["fields"] == [FIELD] and lead["province"] == "تهران"
    repeat = await post(http, key, "/v1/job-leads", lead_body(province="تهران"), "ok")
    assert repeat.json()["lead"]["id"] == lead["id"]
    old = await closed_lead(session_factory, "تهران")

    def ids(answer: httpx.Response) -> list[int]:
        assert answer.status_code == 200, answer.text
        return [item["id"] for item in answer.json()["items"]]

    everything = await http.get("/v1/job-leads", headers=key.headers)
    assert ids(everything) == [lead["id"], old]
    assert ids(await http.get("/v1/job-leads", headers=key.headers,
                              params={"state": "open"})) == [lead["id"]]
    assert ids(await http.get("/v1/job-leads", headers=key.headers,
                              params={"state": "closed"})) == [old]
    assert ids(await http.get("/v1/job-leads", headers=key.headers,
                              params={"field": FIELD})) == [lead["id"]]
    assert ids(await http.get("/v1/job-leads", headers=key.headers,
                              params={"province": "البرز"})) == []
    page = await http.get("/v1/job-leads", headers=key.headers, params={"limit": 1})
    assert ids(page) == [lead["id"]]
    rest = await http.get("/v1/job-leads", headers=key.headers,
                          params={"limit": 1, "cursor": page.json()["next_cursor"]})
    assert ids(rest) == [old] and rest.json()["next_cursor"] is None

    one = await http.get(f"/v1/job-leads/{lead['id']}", headers=key.headers)
    assert one.status_code == 200 and one.json() == lead
    assert (await http.get("/v1/job-leads/999999", headers=key.headers)).status_code == 404

    said = await services.job_lead_service.interest(worker.person_id, lead["id"], "telegram")
    assert said.outcome == "recorded", said
    with_phones = await http.get(f"/v1/job-leads/{lead['id']}/interested", headers=key.headers)
    assert with_phones.status_code == 200, with_phones.text
    people = with_phones.json()["people"]
    assert len(people) == 1 and people[0]["phone"] and people[0]["full_name"]
    no_people_scope = await keys.make(scopes=["job_leads:read"])
    without = await http.get(f"/v1/job-leads/{lead['id']}/interested",
                             headers=no_people_scope.headers)
    assert without.status_code == 200
    assert without.json()["people"][0]["phone"] is None
    assert without.json()["people"][0]["full_name"] == people[0]["full_name"]
