from __future__ import annotations

import json

from services.provinces import PROVINCES, PROVINCES_PATH, canonical_province, is_province
from services.text import ZWNJ


def test_thirty_one_provinces_in_file_order() -> None:
    assert len(PROVINCES) == 31
    assert len(set(PROVINCES)) == 31
    assert list(PROVINCES) == json.loads(PROVINCES_PATH.read_text(encoding="utf-8"))
    assert PROVINCES[0] == "آذربایجان شرقی"


def test_is_province_tolerates_spelling_variants() -> None:
    assert is_province("تهران")
    assert is_province("سيستان و بلوچستان")  # Arabic yeh
    assert is_province("كرمانشاه")  # Arabic kaf
    assert is_province(f"کهگیلویه و بویر{ZWNJ}احمد")
    assert canonical_province("  خراسان  رضوي ") == "خراسان رضوی"


def test_is_province_rejects_cities_and_noise() -> None:
    assert not is_province("مشهد")
    assert not is_province("")
    assert not is_province("Tehran")
