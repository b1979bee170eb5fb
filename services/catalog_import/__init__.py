"""Course catalog import from CSV/XLSX: read -> validate every row -> upsert by course_code.

One transaction per import; by default a single bad row means nothing is written, so an
administrator never ends up with half a catalog.
"""

from services.catalog_import.files import (
    FILE_ERROR_CODES,
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
    describe_error,
    read_rows,
)
from services.catalog_import.importer import (
    BATCH_SIZE,
    CatalogImporter,
    ImportReport,
    import_courses,
    seed_sample_catalog_if_empty,
    upsert_courses,
)
from services.catalog_import.rows import (
    COLUMNS,
    ROW_ERROR_CODES,
    CourseInput,
    RawRow,
    RowError,
    validate_rows,
)

__all__ = [
    "BATCH_SIZE",
    "COLUMNS",
    "FILE_ERROR_CODES",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "ROW_ERROR_CODES",
    "CatalogImporter",
    "CourseInput",
    "ImportFileError",
    "ImportReport",
    "RawRow",
    "RowError",
    "describe_error",
    "import_courses",
    "read_rows",
    "seed_sample_catalog_if_empty",
    "upsert_courses",
    "validate_rows",
]
