"""Quiet hours: a daily period (in the service's time zone) when news that can wait is held.

"22:00-07:00" spans midnight: quiet from 22:00 until 07:00 the next morning. The outbox sender
moves the rows that can wait to the end of the period (services/outbox.py says which can't)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

_PERIOD = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True, slots=True)
class QuietHours:
    start: dt.time
    end: dt.time
    zone: ZoneInfo

    @classmethod
    def parse(cls, text: str, zone: str) -> QuietHours | None:
        """"HH:MM-HH:MM" in `zone`; an empty text means no quiet hours."""
        if not text.strip():
            return None
        match = _PERIOD.match(text)
        if match is None:
            raise ValueError("quiet hours are written HH:MM-HH:MM, e.g. 22:00-07:00")
        h1, m1, h2, m2 = (int(part) for part in match.groups())
        try:
            start, end = dt.time(h1, m1), dt.time(h2, m2)
        except ValueError:
            raise ValueError("quiet hours are written HH:MM-HH:MM, e.g. 22:00-07:00") from None
        if start == end:
            raise ValueError("quiet hours start and end at different times")
        return cls(start, end, ZoneInfo(zone))

    def is_quiet(self, now: dt.datetime) -> bool:
        local = now.astimezone(self.zone).time()
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def ends_after(self, now: dt.datetime) -> dt.datetime:
        """The first end of a quiet period after `now` (the one `now` is in, if it is quiet),
        as an aware UTC moment."""
        local = now.astimezone(self.zone)
        end = dt.datetime.combine(local.date(), self.end, tzinfo=self.zone)
        if end <= local:
            end = dt.datetime.combine(local.date() + dt.timedelta(days=1), self.end,
                                      tzinfo=self.zone)
        return end.astimezone(dt.UTC)
