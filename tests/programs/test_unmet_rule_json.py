"""UnmetRule keeps its own JSON form (dialog_data holds it between taps), tolerant of junk."""

from __future__ import annotations

import json

from services.programs import UnmetRule


def test_round_trip_through_json_keeps_alternatives() -> None:
    rule = UnmetRule(
        code="any_of", params={}, remedy="caseworker",
        alternatives=(
            UnmetRule("decile", {"allowed": [1, 2, 3, 4], "actual": 7}, "caseworker"),
            UnmetRule("age", {"min": 18, "max": 35, "actual": None}, "update_profile"),
        ),
    )
    assert UnmetRule.from_dict(json.loads(json.dumps(rule.to_dict()))) == rule


def test_junk_becomes_a_generic_rule_for_a_caseworker() -> None:
    for junk in (None, {}, {"remedy": "nonsense", "params": "x", "alternatives": "y"}):
        rule = UnmetRule.from_dict(junk)  # type: ignore[arg-type]
        assert rule.remedy == "caseworker"
        assert rule.params == {} and rule.alternatives == ()
