"""A client limited to a province, for exams, certificates and job leads: lists filtered, one
item of another province 404, no change to another province's data (test_provinces.py holds
the other resources)."""

from __future__ import annotations

import datetime as dt

import httpx
import time_machine
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.container import Services
from storage.models import ExamResult, ExamSession
from tests.api.conftest import Keys
from tests.api.data import valid_national_code
from tests.api.exam_data import ahead, count, enrolled_in, lead_body, post, session_body


async def test_exams_certificates_and_leads_keep_to_the_clients_provinces(
    http: httpx.AsyncClient, keys: Keys, services: Services,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    start = dt.datetime.now(dt.UTC).replace(microsecond=0)
    with time_machine.travel(start, tick=True) as clock:
        everywhere = await keys.make()
        ours = await enrolled_in(http, everywhere, services, session_factory, "البرز",
                                 national_code="0012345679")
        theirs = await enrolled_in(http, everywhere, services, session_factory, "تهران",
                                   national_code=valid_national_code(123456781))
        key = await keys.make(provinces=["البرز"])  # every scope

        def idem(n: str) -> str:
            return f"prov-{n}"

        # Creating a session for another province's course: as if the course did not exist.
        refused = await post(http, key, "/v1/exam-sessions",
                             session_body(theirs.course_code, ahead(days=1)), idem("s0"))
        assert refused.status_code == 422 and refused.json()["code"] == "unknown-course"
        our_session = (await post(http, key, "/v1/exam-sessions",
                                  session_body(ours.course_code, ahead(days=1)), idem("s1"))
                       ).json()["session"]
        their_session = (await post(http, everywhere, "/v1/exam-sessions",
                                    session_body(theirs.course_code, ahead(days=1)), idem("s2"))
                         ).json()["session"]
        listed = (await http.get("/v1/exam-sessions", headers=key.headers)).json()["items"]
        assert [s["id"] for s in listed] == [our_session["id"]]
        asked = await http.get("/v1/exam-sessions", headers=key.headers,
                               params={"province": "تهران"})
        assert asked.json()["items"] == []
        other = f"/v1/exam-sessions/{their_session['id']}"
        for path in (other, f"{other}/roll"):
            assert (await http.get(path, headers=key.headers)).status_code == 404, path
        assert (await http.get(f"/v1/exam-sessions/{our_session['id']}/roll",
                               headers=key.headers)).status_code == 200
        moved = await post(http, key, f"{other}/move", {"starts_at": ahead(days=2)}, idem("m"))
        assert moved.status_code == 404

        clock.move_to(start + dt.timedelta(days=1, hours=2))
        for n, (path, body) in enumerate((
            (f"{other}/results", {"tracking_code": theirs.tracking_code, "passed": True}),
            (f"{other}/attendance", {"tracking_code": theirs.tracking_code, "attended": True}),
            (f"{other}/cancel", None),
        )):
            answer = await post(http, key, path, body, idem(f"x{n}"))
            assert answer.status_code == 404, (path, answer.text)
        # Our session, their person: not enrolled in our course.
        crossed = await post(http, key, f"/v1/exam-sessions/{our_session['id']}/results",
                             {"tracking_code": theirs.tracking_code, "passed": True}, idem("r"))
        assert crossed.status_code == 409 and crossed.json()["code"] == "not-enrolled"
        async with session_factory() as session:
            their_row = await session.get(ExamSession, their_session["id"])
            assert their_row is not None and their_row.state == "scheduled"
            assert their_row.version == 1
        assert await count(session_factory, ExamResult) == 0

        # Certificates: another province's application is 404, to read and to issue.
        certificates = await http.get("/v1/certificates", headers=key.headers,
                                      params={"tracking_code": theirs.tracking_code})
        assert certificates.status_code == 404
        assert (await http.get("/v1/certificates", headers=key.headers,
                               params={"tracking_code": ours.tracking_code})).status_code == 200
        issued = await post(http, key, "/v1/certificates",
                            {"tracking_code": theirs.tracking_code, "number": "TV-9"}, idem("c"))
        assert issued.status_code == 404

    # Job leads
    refused_lead = await post(http, key, "/v1/job-leads", lead_body(province="تهران"), idem("l0"))
    assert refused_lead.status_code == 422
    assert refused_lead.json()["errors"] == [
        {"loc": ["body", "province"], "msg": "this client may not post leads of this province",
         "type": "province.not_allowed"}
    ]
    our_lead = (await post(http, key, "/v1/job-leads", lead_body(province="البرز"), idem("l1"))
                ).json()["lead"]
    their_lead = (await post(http, everywhere, "/v1/job-leads", lead_body(province="تهران"),
                             idem("l2"))).json()["lead"]
    leads = (await http.get("/v1/job-leads", headers=key.headers)).json()["items"]
    assert [lead["id"] for lead in leads] == [our_lead["id"]]
    for path in (f"/v1/job-leads/{their_lead['id']}",
                 f"/v1/job-leads/{their_lead['id']}/interested"):
        assert (await http.get(path, headers=key.headers)).status_code == 404, path
    assert (await http.get(f"/v1/job-leads/{our_lead['id']}/interested",
                           headers=key.headers)).status_code == 200
    both = (await http.get("/v1/job-leads", headers=everywhere.headers)).json()["items"]
    assert len(both) == 2
