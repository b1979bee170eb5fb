"""Which provinces a dashboard page counts: the staff member's own limit, narrowed by the
province filter. A filter outside a caseworker's provinces is refused, never widened."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement

from services.provinces import canonical_province
from services.staff import StaffMember


class ProvinceForbidden(Exception):
    """A caseworker asked for a province that is not theirs (or for no such province)."""


@dataclass(frozen=True, slots=True)
class Scope:
    # None = every province (an administrator without a filter).
    provinces: frozenset[str] | None
    # The one province chosen in the filter, if any.
    chosen: str | None = None

    @property
    def national(self) -> bool:
        return self.provinces is None


def scope_for(member: StaffMember, province: str | None) -> Scope:
    if not province:
        return Scope(member.provinces)
    name = canonical_province(province)
    if name is None or not member.can_see_province(name):
        raise ProvinceForbidden(province)
    return Scope(frozenset({name}), chosen=name)


def within(column: Any, provinces: Collection[str] | None) -> list[ColumnElement[bool]]:
    """The WHERE clause limiting `column` to `provinces` (none for every province)."""
    return [] if provinces is None else [column.in_(sorted(provinces))]


def with_national(viewed: Collection[Any]) -> list[frozenset[str] | None]:
    """The national set first, then the viewed province sets in a stable order."""
    provinces = {p for p in viewed if p is not None}
    return [None, *sorted(provinces, key=sorted)]
