"""data/search/synonyms.json: the shipped file loads; every kind of mistake stops the start with
a message naming the file and the place."""

from __future__ import annotations

from pathlib import Path

import pytest

import services.catalog_synonyms as synonyms_module
from bot.config import Settings
from services.catalog_synonyms import SearchDataError, load_synonyms, synonyms_of_groups
from services.container import build_services


def test_shipped_file_loads_and_links_both_ways() -> None:
    alternatives = load_synonyms().alternatives
    assert "رایانه" in alternatives["کامپیوتر"] and "کامپیوتر" in alternatives["رایانه"]
    assert "تلفنهمراه" in alternatives["موبایل"]  # a two-word entry, written together


def test_a_word_is_also_found_by_its_stem() -> None:
    alternatives = synonyms_of_groups([["خیاطی", "دوزندگی"]]).alternatives
    assert alternatives["خیاط"] == ("دوزندگی",)


def _problems(tmp_path: Path, content: str | bytes) -> list[str]:
    path = tmp_path / "synonyms.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(SearchDataError) as caught:
        load_synonyms(path)
    assert str(caught.value).startswith("search synonyms file is invalid:")
    return caught.value.problems


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xff\xfe{", "synonyms.json: not UTF-8 text"),
        ('{"groups": [["a", "b"],]}', "synonyms.json: line 1, column 24: not valid JSON"),
        ('{"groups": [], "groups": []}', 'synonyms.json: key "groups" appears twice'),
        ('[["a", "b"]]', "synonyms.json: top level: must be a {...} block"),
        ('{"groups": [], "grops": []}', 'synonyms.json: top level: unknown key "grops"'),
        ('{"note": "x"}', 'synonyms.json: "groups": missing, or not a [...] list'),
        ('{"groups": [["رایانه"]]}', "synonyms.json: group 1: must be a [...] list of at least"),
        ('{"groups": [["a", "b"], "رایانه"]}', "synonyms.json: group 2: must be a [...] list"),
        ('{"groups": [["رایانه", 5]]}', 'synonyms.json: group 1, word 2: not a text in "quotes"'),
        ('{"groups": [["رایانه", " "]]}', "synonyms.json: group 1, word 2: empty text"),
        ('{"groups": [["رایانه", "؟!"]]}', "synonyms.json: group 1, word 2: no letters or digits"),
        ('{"groups": [["رایانه", "' + "ب" * 65 + '"]]}',
         "synonyms.json: group 1, word 2: longer than 64 letters"),
        ('{"groups": [["رایانه", "کامپیوتر", "رايانه"]]}',
         "synonyms.json: group 1, word 3: «رايانه» is already earlier in this group"),
        ('{"groups": [["رایانه", "کامپیوتر"], ["PC", "کامپیوتر"]]}',
         "synonyms.json: group 2, word 2: «کامپیوتر» is already in group 1"),
    ],
)
def test_each_mistake_is_named_with_its_place(
    tmp_path: Path, content: str | bytes, expected: str
) -> None:
    problems = _problems(tmp_path, content)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_all_mistakes_are_listed_at_once(tmp_path: Path) -> None:
    problems = _problems(tmp_path, '{"groups": [["a"], ["b", ""]], "x": 1}')
    assert len(problems) == 3, problems


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SearchDataError) as caught:
        load_synonyms(tmp_path / "synonyms.json")
    assert caught.value.problems[0].startswith("synonyms.json: file not found at ")


def test_a_broken_file_stops_the_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "synonyms.json"
    broken.write_text('{"groups": [["رایانه"]]}', encoding="utf-8")
    monkeypatch.setattr(synonyms_module, "SYNONYMS_PATH", broken)
    settings = Settings(_env_file=None,  # type: ignore[call-arg]
                        database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(SearchDataError, match=r"synonyms\.json: group 1"):
        build_services(settings, session_factory=None)  # type: ignore[arg-type]
