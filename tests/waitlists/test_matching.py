"""Waitlists against a real migrated database (SQLite, and PostgreSQL when TEST_DATABASE_URL is
set): each kind of entry is matched by an import that adds or reopens a course, in the import's
transaction, by the same folding and stems as course search; a repeated import tells nobody
twice; joining twice, the limit, removal, a 1,000-character query."""

from __future__ import annotations

from pathlib import Path

import time_machine

from services.catalog import MAX_QUERY_CHARS, CourseFilter
from services.waitlists import JoinOutcome, WaitlistKind
from tests.catalog.helpers import course_row
from tests.waitlists.helpers import (
    NOW,
    Factory,
    course_ids,
    import_file,
    notices,
    outbox,
    person,
    service,
    sweep,
)

TEHRAN = "تهران"


async def test_a_search_entry_is_told_of_a_course_its_words_reach_by_their_stems(
    session_factory: Factory, tmp_path: Path
) -> None:
    waitlists = service(session_factory)
    with time_machine.travel(NOW, tick=False):
        seamstress, cook, elsewhere = [await person(session_factory, n) for n in (1, 2, 3)]
        assert (await waitlists.join_search(seamstress, CourseFilter(query="خیاطی"))).outcome \
            is JoinOutcome.JOINED
        await waitlists.join_search(cook, CourseFilter(query="آشپزی"))
        await waitlists.join_search(elsewhere, CourseFilter(query="خیاطی", province="ایلام"))
        report = await import_file(session_factory, waitlists, tmp_path, [
            course_row("T001"),  # «خیاط لباس زنانه» in Tehran
            course_row("T002", title_fa="کمک آشپز", cluster_fa="صنایع غذایی",
                       title_en="Cook", start_date="1405/08/01"),  # started already: not open
        ])
        (tailor,) = await course_ids(session_factory, "T001")
        assert report.waitlist_notices == 1
        assert await notices(session_factory) == [(seamstress, tailor, None)]
        delivery = await sweep(session_factory)
    assert delivery.notices_sent == 1
    assert await outbox(session_factory) == [(seamstress, "telegram", [tailor])]


async def test_the_same_file_twice_tells_once_and_a_reopened_course_tells_its_waiters(
    session_factory: Factory, tmp_path: Path
) -> None:
    waitlists = service(session_factory)
    with time_machine.travel(NOW, tick=False):
        first, second = await person(session_factory, 1), await person(session_factory, 2)
        full = course_row("T001", seats_taken="20")
        await import_file(session_factory, waitlists, tmp_path, [full])
        # Its card says full: one waits for this course, the other for its standard here.
        by_code = await waitlists.join_course(first, "T001", same_standard=False)
        by_standard = await waitlists.join_course(second, "T001", same_standard=True)
        assert by_code.entry is not None and by_code.entry.kind is WaitlistKind.COURSE
        assert by_standard.entry is not None and by_standard.entry.kind is WaitlistKind.STANDARD
        await import_file(session_factory, waitlists, tmp_path, [full])
        assert await notices(session_factory) == []
        reopened = [course_row("T001", seats_taken="3"),
                    course_row("T009", course_code="T009", province="قم", city="قم")]
        await import_file(session_factory, waitlists, tmp_path, reopened)
        await import_file(session_factory, waitlists, tmp_path, reopened)
        (course,) = await course_ids(session_factory, "T001")
        assert sorted(await notices(session_factory)) == sorted(
            [(first, course, None), (second, course, None)]
        )


async def test_a_counseling_field_entry_is_told_of_its_fields_near_home_only(
    session_factory: Factory, tmp_path: Path
) -> None:
    waitlists = service(session_factory)
    with time_machine.travel(NOW, tick=False):
        someone = await person(session_factory, 1)
        joined = await waitlists.join_field(someone, "garment", TEHRAN)
        assert joined.outcome is JoinOutcome.JOINED
        await import_file(session_factory, waitlists, tmp_path, [
            course_row("FAR", province="سیستان و بلوچستان", city="زاهدان"),
            course_row("NEAR", province="البرز", city="کرج"),  # a neighbour of Tehran
        ])
        (near,) = await course_ids(session_factory, "NEAR")
        assert await notices(session_factory) == [(someone, near, None)]


async def test_filters_of_the_search_are_kept(session_factory: Factory, tmp_path: Path) -> None:
    waitlists = service(session_factory)
    with time_machine.travel(NOW, tick=False):
        dorm, any_center = await person(session_factory, 1), await person(session_factory, 2)
        await waitlists.join_search(
            dorm, CourseFilter(query="خیاط", province=TEHRAN, dormitory_only=True)
        )
        await waitlists.join_search(
            any_center, CourseFilter(province=TEHRAN, cluster="صنایع پوشاک")
        )
        await import_file(session_factory, waitlists, tmp_path, [course_row("T001")])
        (plain,) = await course_ids(session_factory, "T001")
        assert await notices(session_factory) == [(any_center, plain, None)]
        await import_file(session_factory, waitlists, tmp_path, [
            course_row("T001"), course_row("T002", dormitory="yes"),
        ])
        (with_dorm,) = await course_ids(session_factory, "T002")
        assert sorted(await notices(session_factory)) == sorted([
            (any_center, plain, None), (any_center, with_dorm, None), (dorm, with_dorm, None)
        ])


async def test_joining_twice_the_limit_and_removal(session_factory: Factory) -> None:
    waitlists = service(session_factory, limit=2)
    someone, other = await person(session_factory, 1), await person(session_factory, 2)
    first = await waitlists.join_search(someone, CourseFilter(query="خیاطی"))
    # The same words typed another way are the same entry.
    again = await waitlists.join_search(someone, CourseFilter(query="  خياطي  "))
    assert again.outcome is JoinOutcome.ALREADY and again.entry == first.entry
    await waitlists.join_search(someone, CourseFilter(query="رایانه"))
    third = await waitlists.join_search(someone, CourseFilter(query="آرایشگری"))
    assert third.outcome is JoinOutcome.LIMIT and third.limit == 2
    assert first.entry is not None
    # Another person's id removes nothing.
    assert not await waitlists.remove(other, first.entry.id)
    assert len(await waitlists.entries(someone)) == 2
    assert await waitlists.remove(someone, first.entry.id)
    assert not await waitlists.remove(someone, first.entry.id)
    assert [e.title for e in await waitlists.entries(someone)] == ["رایانه"]
    assert (await waitlists.join_search(someone, CourseFilter())).outcome is JoinOutcome.NOTHING


async def test_a_thousand_character_query_is_cut_as_search_cuts_it(
    session_factory: Factory,
) -> None:
    waitlists = service(session_factory)
    someone = await person(session_factory, 1)
    query = "خیاطی " + "ب" * 1000
    joined = await waitlists.join_search(someone, CourseFilter.from_dict({"query": query}))
    assert joined.outcome is JoinOutcome.JOINED and joined.entry is not None
    assert len(joined.entry.title) <= MAX_QUERY_CHARS
    assert joined.entry.words.split()[0] == "خیاطی"
    # Given uncut, the service cuts it the same way: the same entry.
    again = await waitlists.join_search(someone, CourseFilter(query=query))
    assert again.outcome is JoinOutcome.ALREADY
