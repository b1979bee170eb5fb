"""How a typed word reaches the course words it means: Persian endings, words written apart,
synonyms and small typos. Pure functions over folded words (services.catalog_search.words_of).

People type the name of the trade («خیاطی», «آشپزی», «لوله کشی») while a course is named after
the worker («خیاط», «کمک آشپز», «لوله‌کش»), or the other way round. So a query word stands for a
few *forms*, each matched as a prefix of a course term:
- the word itself;
- its stems: plural and derivational endings cut off («خیاطی» → «خیاط», «آرایشگری» → «آرایشگر»,
  «آرایش»), or replaced where Persian spells the stem differently («رانندگی» → «راننده»);
- the same for the word joined to the one before it, so «لوله کشی» and «قالی بافی» reach
  «لوله‌کش» and «قالی‌باف» (the catalog keeps such compounds joined as one term too);
- the words a counselor listed as meaning the same (data/search/synonyms.json).
A stem is a prefix of its word when only an ending is cut: matching it as a prefix already finds
every course the word finds, and the courses spelled with any other ending. Only replaced
endings give a course terms of its own (course_stems), so «راننده» also finds «رانندگی».

Endings are cut only where a stem of MIN_STEM_CHARS letters (more for the short ones) is left:
«قالی», «دستی», «تهران» and «کرمان» stay whole, since «قال», «دست», «تهر» and «کرم» would reach
unrelated courses.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

# (ending, what replaces it, the fewest letters the stem must keep). Longest endings first;
# each word goes through the table at most twice («خیاطیها» → «خیاطی» → «خیاط»).
_ENDINGS: tuple[tuple[str, str, int], ...] = (
    ("هایی", "", 3),
    ("های", "", 3),
    ("ها", "", 3),
    ("کاری", "", 4),
    ("گری", "", 4),
    ("گان", "ه", 3),  # «بافندگان» → «بافنده»
    ("گی", "ه", 3),  # «رانندگی» → «راننده», «خانگی» → «خانه»
    ("جات", "", 3),
    ("یان", "", 4),
    ("ان", "", 4),
    ("ات", "", 4),
    ("ای", "", 3),  # «رایانه‌ای» written together
    ("یی", "", 3),  # «نانوایی» → «نانوا»
    ("ی", "", 4),
)
_MAX_ROUNDS = 2
# Typo tolerance starts at this many letters: shorter words have too many one-letter neighbours.
FUZZY_MIN_CHARS = 6
# A query word stands for at most this many forms (each a range read on the term index).
MAX_FORMS = 8


@functools.lru_cache(maxsize=4096)
def stems(word: str) -> frozenset[str]:
    """Every stem of a folded word (not the word itself)."""
    found: set[str] = set()
    current = {word}
    for _ in range(_MAX_ROUNDS):
        following: set[str] = set()
        for candidate in current:
            for ending, replacement, min_stem in _ENDINGS:
                stem = candidate[: -len(ending)]
                if candidate.endswith(ending) and len(stem) >= min_stem and stem.isalpha():
                    following.add(stem + replacement)
        following -= found | {word}
        found |= following
        current = following
    return frozenset(found)


def course_stems(word: str) -> set[str]:
    """The stems of a course word that are not prefixes of it: its extra search terms."""
    return {stem for stem in stems(word) if not word.startswith(stem)}


def narrowest_prefixes(forms: Iterable[str]) -> list[str]:
    """The forms that no other form is a prefix of: together they match exactly what all do."""
    unique = sorted(set(forms), key=lambda form: (len(form), form))
    kept: list[str] = []
    for form in unique:
        if not any(form.startswith(shorter) for shorter in kept):
            kept.append(form)
    return kept


def word_forms(word: str, synonyms: Mapping[str, tuple[str, ...]] | None = None) -> list[str]:
    """The prefixes any of which a query word may match: itself, its stems, its synonyms."""
    forms = {word} | stems(word)
    for form in list(forms):
        for synonym in (synonyms or {}).get(form, ()):
            forms |= {synonym} | stems(synonym)
    return narrowest_prefixes(forms)[:MAX_FORMS]


def joined_forms(
    words: list[str], index: int, synonyms: Mapping[str, tuple[str, ...]] | None = None
) -> list[str]:
    """For a word that matches nothing alone: the forms of it written together with the word
    before it («لوله کشی» → «لولهکش») and with the word after it («تهویه مطبوع», a synonym
    written in two words). Numbers are never joined."""
    forms: list[str] = []
    for first, second in ((index - 1, index), (index, index + 1)):
        if first < 0 or second >= len(words):
            continue
        if words[first].isalpha() and words[second].isalpha():
            forms += word_forms(words[first] + words[second], synonyms)
    return narrowest_prefixes(forms)[:MAX_FORMS]


# Endings typed after a ZWNJ or a space («رایانه‌ای», «کیف ها») become words of their own once
# folded; as prefixes they would match any term starting with them.
_BARE_ENDINGS = frozenset({"ها", "های", "هایی", "ای", "ی", "یی", "ان", "ات", "گری", "کاری"})


def attach_endings(words: list[str]) -> list[str]:
    """Query words with each bare ending written back onto the word before it."""
    attached: list[str] = []
    for word in words:
        if word in _BARE_ENDINGS and attached and attached[-1].isalpha():
            attached[-1] += word
        else:
            attached.append(word)
    return attached


def edit_distance(first: str, second: str, limit: int = 3) -> int:
    """Levenshtein distance with adjacent swaps counted as one edit; `limit` + 1 when above."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, start=1):
        current = [i]
        for j, b in enumerate(second, start=1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b))
            if i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def prefix_distance(word: str, term: str, limit: int = 3) -> int:
    """How many edits turn `word` into the term or into a start of it (a word is often typed
    half-way): the distance to the closest of term[:len(word) - limit ... len(word) + limit]."""
    lengths = range(max(len(word) - limit, 1), min(len(word) + limit, len(term)) + 1)
    distances = [edit_distance(word, term[:length], limit) for length in lengths]
    return min(distances, default=limit + 1)


def typo_corrections(word: str, terms: Iterable[str], limit: int = 3) -> list[str]:
    """Terms one edit away from a long word or from one of its stems (as a start of the term),
    closest first, at most `limit`. Short words get none."""
    if len(word) < FUZZY_MIN_CHARS:
        return []
    candidates = [word, *(stem for stem in stems(word) if len(stem) >= FUZZY_MIN_CHARS - 1)]
    scored = []
    for term in set(terms):
        distance = min(prefix_distance(candidate, term, 1) for candidate in candidates)
        if distance <= 1:
            scored.append((distance, len(term), term))
    return [term for _, _, term in sorted(scored)[:limit]]


def closest_terms(word: str, terms: Iterable[str], limit: int = 3) -> list[str]:
    """Indexed terms nearest in spelling to a word that found nothing, for "did you mean":
    within one edit for short words, two for words of FUZZY_MIN_CHARS letters or more."""
    allowed = 1 if len(word) < FUZZY_MIN_CHARS else 2
    scored = []
    for term in set(terms):
        if len(term) < 2 or term == word:
            continue
        distance = min(
            edit_distance(word, term, allowed), prefix_distance(word, term, allowed) + 1
        )
        if distance <= allowed:
            scored.append((distance, abs(len(term) - len(word)), term))
    return [term for _, _, term in sorted(scored)[:limit]]
