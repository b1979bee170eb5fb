"""The canned-replies file is checked at start: the shipped one loads; each slip is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.tickets.canned import CannedRepliesError, load_canned_replies


def test_the_shipped_file_loads() -> None:
    canned = load_canned_replies()
    assert "greeting" in canned.keys() and (canned.get("GREETING ") or "").startswith("سلام")


def test_every_problem_is_named(tmp_path: Path) -> None:
    path = tmp_path / "canned_replies.json"
    path.write_text('{"Bad Key": "x", "empty": " ", "ok": "fine", "ok": "twice"}', "utf-8")
    with pytest.raises(CannedRepliesError) as caught:
        load_canned_replies(path)
    problems = "\n".join(caught.value.problems)
    assert 'key "Bad Key"' in problems and 'key "empty"' in problems
    assert 'key "ok" appears twice' in problems
    path.write_text("[1, 2]", "utf-8")
    with pytest.raises(CannedRepliesError):
        load_canned_replies(path)
