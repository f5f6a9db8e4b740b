"""Submitting an import from the web page or the API: check, store the upload, record the job, queue it.

It sits above the task module (it queues ``import_job_task``) which sits above the services (the task runs
``import_job_run``): the services never import the tasks, so there is no circle."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from shopops.core import roles
from shopops.core.models import Shop
from shopops.imports.formats import FORMATS
from shopops.imports.models import ImportJob
from shopops.imports.services import (
    import_job_create,
    import_request_check,
    import_upload_accept,
    import_upload_store,
    remove_folder,
    upload_folder,
)
from shopops.imports.tasks import import_job_task


def import_submit(*, shop: Shop, actor: AbstractBaseUser, format_name: str, uploaded: object, file_name: str,
                  items: object | None = None, items_name: str = "", channel_account: str | None = None,
                  skip_invalid: bool = False, dry_run: bool = False,
                  options: dict[str, str] | None = None) -> ImportJob:
    """Check the request, then store the upload, record the job and queue it (the web page and the API).

    A request refused (permission, format, item file, account) writes nothing; the upload is renamed from its
    temporary name and the task queued only when the job's row is committed."""
    fmt = FORMATS.get(format_name)
    if fmt is not None and fmt.target in ("orders", "catalog") and not actor.has_perm("catalog.change_product"):
        raise PermissionDenied(_("Importing orders needs the operator role."))
    if fmt is not None and fmt.target == "stock" and not actor.has_perm(roles.CHANGE_STOCK):
        raise PermissionDenied(_("Importing a stock count needs the right to change stock."))
    if fmt is not None and fmt.target == "returns" and not actor.has_perm(roles.VIEW_REFUNDS):
        raise PermissionDenied(_("Importing after-sales needs access to refunds."))
    import_request_check(shop=shop, format_name=format_name, channel_account=channel_account,
                          with_items=items is not None)
    stored: list[str] = []
    try:
        stored.append(import_upload_store(uploaded=uploaded, file_name=file_name))
        if items is not None:
            stored.append(import_upload_store(uploaded=items, file_name=items_name))
        job = import_job_create(shop=shop, format_name=format_name, path=stored[0], file_name=file_name,
                                channel_account=channel_account, items_path=stored[1] if items is not None else None,
                                skip_invalid=skip_invalid, dry_run=dry_run, options=options, actor=actor)
    except BaseException:
        for path in stored:
            folder = upload_folder(path)
            if folder is not None:
                remove_folder(folder)
        raise

    def accept() -> None:
        for path in stored:
            import_upload_accept(path=path)
        import_job_task(job.pk)

    transaction.on_commit(accept)
    return job
