"""The unmet demand the waitlists hold, per province × field (× standard, × shared search
words): what the national and provincial working groups take to TVTO as course requests.
Counts only: no name, code, phone or single person's words ever leaves here.

Used by `python -m bot demand export` and meant for the dashboard's demand page (which passes
the provinces a staff member may see)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Collection

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.waitlists.model import DemandLine, WaitlistKind
from storage.models import utcnow
from storage.repositories.waitlists import DemandRow, WaitlistRepository

# Search words are shown only when at least this many people typed them: a rarer search may
# be someone's name or number typed into the search box.
SHARED_WORDS_MIN_PEOPLE = 3
NEW_DAYS = 7
DEMAND_COLUMNS = (
    "province", "field", "standard_code", "search_words", "people_waiting", "new_this_week",
    "median_days_waiting", "relief_clients", "deciles_1_to_4",
)


def _as_utc(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def lines_of(
    rows: list[DemandRow], now: dt.datetime, provinces: Collection[str] | None = None
) -> list[DemandLine]:
    """Pure: the lines of these entries (sorted by people waiting, most first)."""
    if provinces is not None:
        allowed = set(provinces)
        rows = [row for row in rows if row.province in allowed]
    people_by_words: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        if row.kind == WaitlistKind.QUERY and row.words:
            people_by_words[row.words].add(row.person_id)
    groups: dict[tuple[str, str, str, str], list[DemandRow]] = defaultdict(list)
    for row in rows:
        shared = len(people_by_words.get(row.words, ())) >= SHARED_WORDS_MIN_PEOPLE
        words = row.words if row.kind == WaitlistKind.QUERY and shared else ""
        groups[(row.province or "", row.field or "", row.standard_code or "", words)].append(row)
    since = now - dt.timedelta(days=NEW_DAYS)
    lines = []
    for (province, field, standard, words), group in groups.items():
        # A person with two entries in one line is one person waiting, since their first.
        first: dict[int, DemandRow] = {}
        for row in sorted(group, key=lambda r: _as_utc(r.created_at)):
            first.setdefault(row.person_id, row)
        people = list(first.values())
        days = [(now - _as_utc(row.created_at)).total_seconds() / 86400 for row in people]
        lines.append(DemandLine(
            province=province, field=field, standard_code=standard, search_words=words,
            people_waiting=len(people),
            new_this_week=sum(1 for row in people if _as_utc(row.created_at) >= since),
            median_days_waiting=round(statistics.median(days), 1),
            relief_clients=sum(1 for row in people if row.relief_client),
            deciles_1_to_4=sum(1 for row in people if row.low_decile),
        ))
    lines.sort(key=lambda line: (-line.people_waiting, line.province, line.field,
                                 line.standard_code, line.search_words))
    return lines


async def demand_lines(
    session_factory: async_sessionmaker[AsyncSession], *, now: dt.datetime | None = None,
    provinces: Collection[str] | None = None,
) -> list[DemandLine]:
    """Every line, or those of `provinces` (a provincial working group's scope; entries for
    every province are national and left out of a provincial scope)."""
    async with session_factory() as session:
        rows = await WaitlistRepository(session).demand_rows()
    return lines_of(rows, now or utcnow(), provinces)


def demand_table_rows(lines: list[DemandLine]) -> list[list[object]]:
    return [
        [line.province, line.field, line.standard_code, line.search_words, line.people_waiting,
         line.new_this_week, line.median_days_waiting, line.relief_clients, line.deciles_1_to_4]
        for line in lines
    ]


