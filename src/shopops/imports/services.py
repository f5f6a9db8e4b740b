"""The import pipeline's interface (CLI, API, web pages, the demo, the worker): its public service functions.

Each lives in a focused module: ``jobs`` (check, record, run and summarise a job), ``progress``, ``uploads``,
``retention`` (`shopops imports clean`), ``liveness`` (jobs whose process died), ``sample_export``; the
order path is ``order_import`` → ``order_writer``, lake-side exports ``lake_import``. Other apps and the
faces import them from here.
"""

from __future__ import annotations

# The export writers are part of this app's interface: the demo writes the exports it imports with them.
from shopops.imports.formats.catalog_samples import SampleProduct, SampleSku, write_catalog_sample
from shopops.imports.formats.samples import SHOPIFY_HEADER, SampleLine, SampleOrder, write_order_sample
from shopops.imports.jobs import (
    IMPORT_ERRORS_SHOWN,
    import_changed_data,
    import_job_create,
    import_job_run,
    import_request_check,
    import_summary,
)
from shopops.imports.liveness import import_jobs_settle_dead
from shopops.imports.outcome import IMPORT_ERRORS_KEPT
from shopops.imports.progress import import_progress
from shopops.imports.retention import RETENTION_DAYS_DEFAULT, import_retention_days, imports_clean
from shopops.imports.sample_export import export_sample
from shopops.imports.uploads import (
    UPLOAD_PART,
    import_upload_accept,
    import_upload_store,
    remove_folder,
    upload_folder,
)

__all__ = [
    "IMPORT_ERRORS_KEPT", "IMPORT_ERRORS_SHOWN", "RETENTION_DAYS_DEFAULT", "SHOPIFY_HEADER", "UPLOAD_PART",
    "SampleLine", "SampleOrder", "SampleProduct", "SampleSku", "export_sample", "import_changed_data", "import_job_create", "import_job_run", "import_jobs_settle_dead",
    "import_progress", "import_request_check", "import_retention_days", "import_summary", "import_upload_accept",
    "import_upload_store", "imports_clean", "remove_folder", "upload_folder", "write_catalog_sample",
    "write_order_sample",
]
