"""A search that finds nothing says what to do: nearby spellings that find courses here, and
how many courses the words find without the filters."""

from __future__ import annotations

from services.catalog import CatalogService, CourseFilter
from tests.catalog.service_helpers import TODAY, Factory
from tests.catalog.test_search_table import sample_catalog  # noqa: F401  (a fixture)

TEHRAN = "تهران"


async def test_nearby_spellings_are_written_as_the_catalog_writes_them(
    sample_catalog: CatalogService,  # noqa: F811
) -> None:
    help_ = await sample_catalog.search_help(CourseFilter(query="خیاد"), TODAY)
    assert help_.spellings == ["خیاط"], help_
    assert help_.without_filters is None  # no filter to blame
    help_ = await sample_catalog.search_help(CourseFilter(query="نانبز"), TODAY)
    assert help_.spellings == ["نان‌پز"], help_  # the ZWNJ of the title, not the folded term
    for spelled in help_.spellings:
        assert (await sample_catalog.list_page(CourseFilter(query=spelled), 0, TODAY)).items


async def test_filters_that_hide_the_matches_are_named(
    sample_catalog: CatalogService,  # noqa: F811
) -> None:
    # Both tailoring courses are outside Tehran.
    flt = CourseFilter(province=TEHRAN, query="خیاطی")
    assert not (await sample_catalog.list_page(flt, 0, TODAY)).items
    help_ = await sample_catalog.search_help(flt, TODAY)
    assert help_.without_filters == 2 and not help_.more_without_filters, help_
    assert help_.spellings == [], help_  # nothing spelled like it is offered in Tehran


async def test_nothing_near_gives_no_spellings(sample_catalog: CatalogService) -> None:  # noqa: F811
    help_ = await sample_catalog.search_help(CourseFilter(query="زززززز"), TODAY)
    assert help_.spellings == [] and help_.without_filters is None


async def test_an_empty_catalog_gives_no_help(session_factory: Factory) -> None:
    help_ = await CatalogService(session_factory).search_help(
        CourseFilter(province=TEHRAN, query="خیاطی"), TODAY
    )
    assert help_.spellings == [] and help_.without_filters == 0
