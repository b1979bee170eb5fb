"""Search terms of a course and words of a query: pure functions shared by the service, the
catalog import and the 0002 migration's backfill.

A course is found when every query word is a prefix of one of its terms. Terms are the folded
words (services.text.search_key) of its title, field and center, plus adjacent pairs
written together: the parts of a compound (joined by ZWNJ, hyphen, apostrophe) in every field,
so «ثبت‌نام», «ثبت نام» and «ثبتنام» all find a course spelled either way; and in the Persian
title and the field also words apart («کاربررایانه», a space people often leave out). Centers
and English titles get no other cross-space pairs than a word with the number after it
(«شماره۲»): they would be a third of all terms, and nobody types «مرکزآموزش». Title and field
words also give the stems spelled unlike them («رانندگی» → «راننده», services.catalog_words).
Terms are compared byte-wise (SQLite's default, COLLATE "C" on PostgreSQL), which for UTF-8 is
code point order, the same order Python compares strings in.
"""

from __future__ import annotations

import functools
import itertools
import re
import sys

from services.catalog_words import course_stems
from services.text import search_key

MAX_TERM_CHARS = 64  # the width of course_terms.term
MAX_QUERY_CHARS = 100  # longer input is cut, not refused
MAX_QUERY_WORDS = 8

# Letters and digits of any script; punctuation, symbols and SQL/HTML syntax separate words.
# "_" counts as a letter here, which is harmless: it is compared literally, never as a wildcard.
_WORD = re.compile(r"\w+")

_SURROGATES = range(0xD800, 0xE000)


def words_of(text: str | None) -> list[str]:
    """The folded words of a text, in order (digits as ASCII, ZWNJ as a space)."""
    return _WORD.findall(search_key(text)) if text else []


def course_terms(
    title_fa: str, title_en: str | None, cluster_fa: str, center_name: str
) -> set[str]:
    """Every term a course is found by (each cut to MAX_TERM_CHARS)."""
    terms: set[str] = set()
    terms.update(_field_terms(title_fa, across_spaces=True))
    terms.update(_field_terms(cluster_fa, across_spaces=True))
    terms.update(_field_terms(title_en or "", across_spaces=False))
    terms.update(_field_terms(center_name, across_spaces=False))
    return terms


def _joined_pairs(words: list[str]) -> list[str]:
    return [first + second for first, second in itertools.pairwise(words)]


# Titles, fields and centers repeat across a catalog's offerings: a large import folds each
# distinct text once.
@functools.lru_cache(maxsize=8192)
def _field_terms(text: str, *, across_spaces: bool) -> frozenset[str]:
    if across_spaces:
        words = words_of(text)
        pairs = _joined_pairs(words)
        # Stems spelled unlike the word («رانندگی» → «راننده»); cut endings need no term, a
        # query's stem is matched as a prefix (services.catalog_words).
        pairs += [stem for word in itertools.chain(words, pairs) for stem in course_stems(word)]
    else:
        pieces = [words_of(token) for token in text.split()]
        words = [word for piece in pieces for word in piece]
        pairs = [pair for piece in pieces for pair in _joined_pairs(piece)]
        # A number is often typed onto the word before it: «شماره۲».
        pairs += [first + second for first, second in itertools.pairwise(words) if second.isdigit()]
    return frozenset(term[:MAX_TERM_CHARS] for term in itertools.chain(words, pairs))


def query_terms(raw: str) -> list[str]:
    """The words of a user's query: folded, punctuation dropped, duplicates and words that are a
    prefix of another word dropped (they add no condition), at most MAX_QUERY_WORDS."""
    words = [word[:MAX_TERM_CHARS] for word in words_of(raw[:MAX_QUERY_CHARS])]
    kept: list[str] = []
    for word in words:
        if any(other != word and other.startswith(word) for other in words):
            continue
        if word not in kept:
            kept.append(word)
    return kept[:MAX_QUERY_WORDS]


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string greater than every string starting with `prefix` (non-empty), so
    `prefix <= term < bound` is a prefix match an ordinary index range serves."""
    last = ord(prefix[-1]) + 1
    if last in _SURROGATES:  # not encodable in UTF-8; the next code point after them
        last = _SURROGATES.stop
    if last > sys.maxunicode:  # nothing follows U+10FFFF: bound the shorter prefix instead
        return prefix_upper_bound(prefix[:-1]) if len(prefix) > 1 else chr(sys.maxunicode) * 2
    return prefix[:-1] + chr(last)


# Persian alphabetical order; Unicode order puts پ چ ژ گ after all the Arabic letters.
_PERSIAN_ALPHABET = "ءاآأإبپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیئ"
_LETTER_RANK = {letter: index for index, letter in enumerate(_PERSIAN_ALPHABET)}


def persian_sort_key(text: str) -> tuple[tuple[int, int], ...]:
    """Sort key in Persian alphabetical order; other characters keep Unicode order after them,
    spaces and ZWNJ before everything (so «فن» comes before «فناوری»)."""
    key = []
    for char in search_key(text):
        if char == " ":
            key.append((0, 0))
        elif char in _LETTER_RANK:
            key.append((1, _LETTER_RANK[char]))
        else:
            key.append((2, ord(char)))
    return tuple(key)
