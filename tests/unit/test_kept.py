"""services.kept.Kept: values kept for a while, at most so many keys."""

from __future__ import annotations

import pytest

import services.kept as kept_module
from services.kept import Kept


def test_a_value_is_kept_until_its_time_is_up_and_the_keys_stay_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = [100.0]
    monkeypatch.setattr(kept_module.time, "monotonic", lambda: clock[0])
    kept: Kept[str, int] = Kept(seconds=5.0, most=3)
    kept.put("a", 1)
    clock[0] += 4.9
    assert kept.get("a") == 1
    clock[0] += 0.1
    assert kept.get("a") is None  # exactly its time: gone
    assert kept.get("never put") is None

    # Full: the expired ones go first, and what is still fresh stays.
    kept.put("a", 1)  # expired by the time "d" comes
    clock[0] += 5.0
    kept.put("b", 2)
    kept.put("c", 3)
    kept.put("d", 4)
    assert (kept.get("b"), kept.get("c"), kept.get("d")) == (2, 3, 4)
    # Full of fresh keys (a flood of distinct ones): all go rather than grow.
    kept.put("e", 5)
    assert (kept.get("b"), kept.get("e")) == (None, 5)
