"""Eligibility rules against registered profiles: each rule, and "deciles 1-4 OR a client"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from services.programs import Program, UnmetRule, check_eligibility, parse_program
from services.registration import ProfileDraft

TODAY = dt.date(2026, 11, 26)


def program(*rules: dict[str, Any]) -> Program:
    return parse_program(
        {
            "id": "test",
            "version": "1",
            "code_prefix": "TST",
            "name": {"fa": "آزمون", "en": "Test"},
            "description": {"fa": "آزمون", "en": "Test"},
            "eligibility": list(rules),
        }
    )


EITHER = {
    "rule": "any_of",
    "rules": [{"rule": "decile", "allowed": [1, 2, 3, 4]}, {"rule": "relief_client"}],
}


def profile(**values: Any) -> ProfileDraft:
    base: dict[str, Any] = {
        "birth_date": "1995-05-01",
        "education": "diploma",
        "province": "تهران",
        "relief_client": False,
        "decile": 3,
    }
    base.update(values)
    return ProfileDraft(**base)


def codes(unmet: list[UnmetRule]) -> list[str]:
    return [u.code for u in unmet]


@pytest.mark.parametrize(
    ("values", "eligible"),
    [
        ({"decile": 1, "relief_client": False}, True),
        ({"decile": 4, "relief_client": False}, True),
        ({"decile": 5, "relief_client": True}, True),  # a client, whatever the decile
        ({"decile": None, "relief_client": True}, True),
        ({"decile": 5, "relief_client": False}, False),
        ({"decile": 10, "relief_client": None}, False),
        ({"decile": None, "relief_client": False}, False),
    ],
)
def test_decile_or_relief_client(values: dict[str, Any], eligible: bool) -> None:
    unmet = check_eligibility(program(EITHER), profile(**values), TODAY)
    assert (unmet == []) is eligible


def test_either_lists_both_alternatives_with_remedies() -> None:
    [unmet] = check_eligibility(program(EITHER), profile(decile=None, relief_client=False), TODAY)
    assert unmet.code == "any_of"
    decile, client = unmet.alternatives
    assert (decile.code, decile.params, decile.remedy) == (
        "decile", {"allowed": [1, 2, 3, 4], "actual": None}, "update_profile"
    )
    assert (client.code, client.remedy) == ("relief_client", "caseworker")
    # A missing decile can be fixed in the profile, so that is the suggestion.
    assert unmet.remedy == "update_profile"
    [known] = check_eligibility(program(EITHER), profile(decile=7), TODAY)
    assert known.remedy == "caseworker"
    assert known.alternatives[0].params["actual"] == 7


@pytest.mark.parametrize(
    ("birth", "ok", "actual"),
    [
        ("2011-11-26", True, 15),  # 15th birthday today
        ("2011-11-27", False, 14),  # one day short
        ("1966-11-27", True, 59),
        ("1966-11-26", True, 60),  # max is inclusive
        ("1965-11-26", False, 61),
        (None, False, None),
    ],
)
def test_age(birth: str | None, ok: bool, actual: int | None) -> None:
    rules = program({"rule": "age", "min": 15, "max": 60})
    unmet = check_eligibility(rules, profile(birth_date=birth), TODAY)
    assert (unmet == []) is ok
    if not ok:
        assert unmet[0].params == {"min": 15, "max": 60, "actual": actual}
        assert unmet[0].remedy == ("update_profile" if birth is None else "caseworker")


@pytest.mark.parametrize(
    ("level", "ok"),
    [("none", False), ("literacy", False), ("primary", True), ("diploma", True),
     ("bachelor_plus", True), (None, False)],
)
def test_minimum_education(level: str | None, ok: bool) -> None:
    unmet = check_eligibility(
        program({"rule": "education", "min": "primary"}), profile(education=level), TODAY
    )
    assert (unmet == []) is ok
    if not ok:
        assert unmet[0].code == "education" and unmet[0].params["min"] == "primary"


def test_provinces() -> None:
    rules = program({"rule": "province", "allowed": ["سیستان و بلوچستان", "کرمان"]})
    assert check_eligibility(rules, profile(province="کرمان"), TODAY) == []
    [unmet] = check_eligibility(rules, profile(province="تهران"), TODAY)
    assert unmet.params == {"allowed": ["سیستان و بلوچستان", "کرمان"], "actual": "تهران"}
    assert unmet.remedy == "caseworker"


def test_relief_client_alone() -> None:
    rules = program({"rule": "relief_client"})
    assert check_eligibility(rules, profile(relief_client=True), TODAY) == []
    assert codes(check_eligibility(rules, profile(relief_client=False), TODAY)) == [
        "relief_client"
    ]


def test_every_unmet_rule_is_listed() -> None:
    rules = program(EITHER, {"rule": "age", "max": 30}, {"rule": "education", "min": "diploma"})
    unmet = check_eligibility(
        rules, profile(decile=8, birth_date="1970-01-01", education="primary"), TODAY
    )
    assert codes(unmet) == ["any_of", "age", "education"]


def test_shipped_hamnava_with_a_storage_person() -> None:
    from services.programs import load_programs
    from storage.models import Person
    from tests.programs.conftest import PROGRAMS_DIR

    hamnava = load_programs(PROGRAMS_DIR).get("hamnava")
    assert hamnava is not None
    person = Person(
        birth_date=dt.date(1990, 1, 1), education="primary", province="تهران",
        relief_client=True, decile=None,
    )
    assert check_eligibility(hamnava, person, TODAY) == []
    person.relief_client = False
    assert codes(check_eligibility(hamnava, person, TODAY)) == ["any_of"]
