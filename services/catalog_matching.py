"""Which term-index ranges a query's words match, and what to suggest when a word matches none.

Every read here is a bounded range of the (province, term, course_id) index:
1. each word's forms (services.catalog_words.word_forms) as prefix ranges, one statement for
   the whole query, at most `limit` entries per range;
2. only for a word that matched nothing: the word joined to the one before it, then (for a word
   of FUZZY_MIN_CHARS letters or more) the terms one typo away among the different terms that
   start with its first NEIGHBOUR_PREFIX_CHARS letters, at most NEIGHBOUR_TERMS per province.
So a search whose words all match costs what it did before; the extra reads are paid by words
that would otherwise give an empty list.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from services.catalog_search import prefix_upper_bound, words_of
from services.catalog_words import (
    attach_endings,
    closest_terms,
    joined_forms,
    typo_corrections,
    word_forms,
)
from storage.models import Course
from storage.repositories.courses import CourseRepository, TermPrefix, WordPrefixes

# Different terms read per province around a word that matched nothing.
NEIGHBOUR_TERMS = 64
# A typo is looked for after the first letters: typos there move a word elsewhere in the index.
NEIGHBOUR_PREFIX_CHARS = 2


@dataclass(frozen=True, slots=True)
class MatchedWord:
    word: str
    prefixes: WordPrefixes  # empty: the word matches nothing
    ids: list[int]  # index entries found (a course may repeat); see ids_with_terms' limit


def prefixes_of(forms: Sequence[str]) -> WordPrefixes:
    return tuple(TermPrefix(form, prefix_upper_bound(form)) for form in forms)


async def match_words(
    repo: CourseRepository,
    words: list[str],
    provinces: Sequence[str],
    synonyms: Mapping[str, tuple[str, ...]],
    limit: int,
) -> list[MatchedWord]:
    """Each query word with the ranges it matches (see the module notes)."""
    words = attach_endings(words)
    words_prefixes = [prefixes_of(word_forms(word, synonyms)) for word in words]
    found = await repo.ids_with_terms(words_prefixes, provinces, limit)
    for index, word in enumerate(words):
        if found[index]:
            continue
        retry = prefixes_of(joined_forms(words, index, synonyms))
        if retry:
            (ids,) = await repo.ids_with_terms([retry], provinces, limit)
            if ids:
                words_prefixes[index], found[index] = retry, ids
                continue
        corrections = typo_corrections(word, await neighbour_terms(repo, word, provinces))
        if corrections:
            retry = prefixes_of(corrections)
            (ids,) = await repo.ids_with_terms([retry], provinces, limit)
            words_prefixes[index], found[index] = retry, ids
            continue
        words_prefixes[index] = ()
    return [
        MatchedWord(word, prefixes if found[index] else (), found[index])
        for index, (word, prefixes) in enumerate(zip(words, words_prefixes, strict=True))
    ]


async def neighbour_terms(
    repo: CourseRepository, word: str, provinces: Sequence[str]
) -> set[str]:
    start = word[:NEIGHBOUR_PREFIX_CHARS]
    return await repo.distinct_terms(
        TermPrefix(start, prefix_upper_bound(start)), provinces, NEIGHBOUR_TERMS
    )


async def nearby_spellings(
    repo: CourseRepository, word: str, provinces: Sequence[str], limit: int = 3
) -> list[str]:
    """Indexed words spelled closest to a word that matched nothing, as the catalog writes them
    («قالی‌باف», not the folded «قالیباف»), closest first."""
    terms = closest_terms(word, await neighbour_terms(repo, word, provinces), limit)
    if not terms:
        return []
    found = await repo.ids_with_terms([prefixes_of([term]) for term in terms], provinces, 1)
    courses = {course.id: course for course in await repo.get_by_ids(
        [ids[0] for ids in found if ids]
    )}  # fmt: skip
    spelled = []
    for term, ids in zip(terms, found, strict=True):
        course = courses.get(ids[0]) if ids else None
        shown = _as_written(term, course) if course is not None else term
        if shown not in spelled:
            spelled.append(shown)
    return spelled


def _as_written(term: str, course: Course) -> str:
    """The word (or two words written together) of the course that folds to `term`."""
    for text in (course.title_fa, course.cluster_fa, course.title_en or "", course.center_name):
        tokens = text.split()
        candidates = tokens + [" ".join(pair) for pair in itertools.pairwise(tokens)]
        for candidate in candidates:
            if "".join(words_of(candidate)) == term:
                return candidate.strip("()«»،,.:;!؟?")
    return term


@dataclass(frozen=True, slots=True)
class SearchHelp:
    """What a search that found nothing offers instead of a bare "nothing"."""

    spellings: list[str]  # whole queries spelled nearby, each finding open courses
    # Courses the same words find with no filter at all, when filters are set (None: none set);
    # COUNT_CAP + 1 or more is reported as more_without_filters.
    without_filters: int | None
    more_without_filters: bool


async def spelling_candidates(
    repo: CourseRepository,
    words: list[str],
    provinces: Sequence[str],
    synonyms: Mapping[str, tuple[str, ...]],
    limit: int,
) -> list[str]:
    """Queries with each word that matched nothing replaced by a nearby indexed spelling."""
    candidates: list[str] = []
    words = attach_endings(words)
    for word in await match_words(repo, words, provinces, synonyms, limit):
        if word.prefixes:
            continue
        for spelled in await nearby_spellings(repo, word.word, provinces):
            query = " ".join(spelled if other == word.word else other for other in words)
            if query not in candidates:
                candidates.append(query)
    return candidates
