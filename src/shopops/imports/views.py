"""Import pages: upload (runs as a task with a progress bar), the summary with row errors (and their xlsx),
and the history of imports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shopops.channels import selectors as channel_selectors
from shopops.channels.labels import ad_platform_label
from shopops.core import roles
from shopops.core.errors import ShopOpsError
from shopops.core.i18n import say
from shopops.core.worker import worker_missing_notice
from shopops.imports import selectors, services, submission
from shopops.imports.formats import FORMATS
from shopops.imports.formats.catalog_formats import CATALOG_XLSX
from shopops.imports.formats.lake_formats import AD_PLATFORMS
from shopops.imports.models import ImportJob
from shopops.ui.listing import Filter, ListPage, render_list
from shopops.ui.params import local_time
from shopops.ui.permissions import page_requires
from shopops.ui.tables import Column, xlsx_response


def _format_title(name: str) -> str:
    """An import format by its title in the user's language (the code for a format no longer known)."""
    return say(FORMATS[name].title) if name in FORMATS else name


JOB_COLUMNS = [
    Column("id", gettext_lazy("Job"), lambda j: j.pk, link=lambda j: reverse("web:import_detail", args=[j.pk])),
    Column("created", gettext_lazy("Started"), lambda j: local_time(j.created_at)),
    Column("format", gettext_lazy("Format"), lambda j: _format_title(j.format)),
    Column("file", gettext_lazy("File"), lambda j: j.file_name,
           link=lambda j: reverse("web:import_detail", args=[j.pk])),
    Column("account", gettext_lazy("Channel account"), lambda j: j.channel_account.name if j.channel_account else ""),
    Column("status", gettext_lazy("Status"), lambda j: j.get_status_display()),
    Column("rows", gettext_lazy("Rows"), lambda j: j.rows, numeric=True),
    Column("inserted", gettext_lazy("Inserted"), lambda j: j.inserted, numeric=True),
    Column("updated", gettext_lazy("Updated"), lambda j: j.updated, numeric=True),
    Column("unchanged", gettext_lazy("Unchanged"), lambda j: j.unchanged, numeric=True),
    Column("rejected", gettext_lazy("Rejected"), lambda j: j.rejected, numeric=True),
    Column("by", gettext_lazy("By"), lambda j: j.created_by.username if j.created_by else _("Command line")),
]

ERROR_COLUMNS = [
    Column("row", gettext_lazy("Row"), lambda e: e.get("row"), numeric=True),
    Column("column", gettext_lazy("Column"), lambda e: e.get("column", "")),
    Column("message", gettext_lazy("Problem"), lambda e: e.get("message", "")),
]


def _queued_notice(request: HttpRequest) -> Promise | None:
    """The no-worker notice when the shop has queued imports and no worker runs them (else None)."""
    queued = selectors.import_jobs(shop=request.shop).filter(status=ImportJob.Status.QUEUED).exists()
    return worker_missing_notice(queued=queued)


@page_requires(roles.VIEW_IMPORTS)
def import_list(request: HttpRequest) -> HttpResponse:
    if not request.htmx and request.GET.get("export") != "xlsx":  # a page, not a table swap or a file
        notice = _queued_notice(request)
        if notice is not None:
            messages.error(request, notice)
    qs = selectors.import_jobs(shop=request.shop)
    status = request.GET.get("status", "")
    if status in ImportJob.Status.values:
        qs = qs.filter(status=status)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        qs = qs.filter(format=fmt)
    actions = [{"url": reverse("web:import_new"), "label": str(gettext_lazy("New import"))}] \
        if request.user.has_perm(roles.RUN_IMPORTS) else []
    page = ListPage(
        title=gettext_lazy("Imports"), columns=JOB_COLUMNS,
        filters=[Filter("status", gettext_lazy("Status"), list(ImportJob.Status.choices)),
                 Filter("format", gettext_lazy("Format"), [(name, _format_title(name)) for name in FORMATS])],
        export_name="imports", actions=actions)
    return render_list(request, page, qs, "")


def _formats() -> list[dict[str, object]]:
    return [{"name": f.name, "title": say(f.title), "required": f.required, "items": bool(f.item_columns),
             "target": f.target} for f in FORMATS.values()]


def _preselected(request: HttpRequest) -> dict[str, str]:
    """``?format=NAME`` or ``?target=catalog|orders|lake|stock`` (the setup checklist's links) choose the
    format the form opens with; the first format of the target, in the registry's order."""
    name = request.GET.get("format", "")
    if name not in FORMATS:
        name = next((f.name for f in FORMATS.values() if f.target == request.GET.get("target")), "")
    return {"format": name}


@page_requires(roles.RUN_IMPORTS)
def import_new(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {"formats": _formats(),
                                  "accounts": channel_selectors.channel_accounts(shop=request.shop),
                                  "form": request.POST if request.method == "POST" else _preselected(request),
                                  "ad_platforms": [(code, ad_platform_label(code)) for code in AD_PLATFORMS]}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["detail"] = gettext_lazy("Choose a file to import.")
        else:
            try:
                job = submission.import_submit(
                    shop=request.shop, actor=request.user, format_name=request.POST.get("format", ""),
                    uploaded=upload, file_name=upload.name or "upload.csv", items=request.FILES.get("items"),
                    items_name=getattr(request.FILES.get("items"), "name", "") or "",
                    channel_account=request.POST.get("channel_account") or None,
                    skip_invalid=bool(request.POST.get("skip_invalid")), dry_run=bool(request.POST.get("dry_run")),
                    options={key: value for key, value in (
                        ("platform", request.POST.get("platform", "")),
                        ("strict_skus", "1" if request.POST.get("strict_skus") else "")) if value} or None)
            except ShopOpsError as exc:
                context["detail"], context["errors"] = exc.detail, exc.errors
            except PermissionDenied as exc:
                context["detail"] = str(exc)
            else:
                return redirect("web:import_detail", job.pk)
    context["worker_notice"] = _queued_notice(request)
    return render(request, "imports/import_new.html", context, status=422 if context.get("detail") else 200)


@page_requires(roles.VIEW_IMPORTS)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.import_job(shop=request.shop, pk=pk)
    if job is None:
        raise Http404
    summary = services.import_summary(job)
    context = {"job": job, "format_title": _format_title(job.format), "summary": summary,
               "state": services.import_progress(job=job),
               "changes": _changes(summary.get("changes") or {}),
               "worker_notice": worker_missing_notice(queued=job.status == ImportJob.Status.QUEUED)}
    template = "imports/_import_progress.html" if request.htmx else "imports/import_detail.html"
    return render(request, template, context)


CHANGE_KINDS = (("orders", gettext_lazy("Orders")), ("lines", gettext_lazy("Order lines")),
                ("refunds", gettext_lazy("Refunds")), ("customers", gettext_lazy("Customers")))
CATALOG_CHANGE_KINDS = (("categories", gettext_lazy("Categories")), ("products", gettext_lazy("Products")),
                        ("skus", gettext_lazy("SKUs")), ("listings", gettext_lazy("Channel listings")),
                        ("listing_skus", gettext_lazy("Listing SKUs")))
CHANGED_FIELDS = {
    "customer": gettext_lazy("Customer"), "status": gettext_lazy("Status"), "placed_at": gettext_lazy("Placed at"),
    "paid_at": gettext_lazy("Paid at"), "shipping_fen": gettext_lazy("Shipping"), "paid_fen": gettext_lazy("Paid amount"),
    "promotions": gettext_lazy("Promotions"), "source": gettext_lazy("Traffic source"),
    "province": gettext_lazy("Province"), "city": gettext_lazy("City"), "lines": gettext_lazy("Lines"),
    "refunds": gettext_lazy("Refunds"),
    # a catalog import's fields (catalog.services.sync): kind.field
    "product.title": gettext_lazy("Product name"), "product.category": gettext_lazy("Category"),
    "product.brand": gettext_lazy("Brand"), "product.description": gettext_lazy("Description"),
    "product.launched_on": gettext_lazy("Launch date"), "sku.price": gettext_lazy("Price"),
    "sku.cost": gettext_lazy("Cost"), "sku.attributes": gettext_lazy("Attributes"),
    "sku.barcode": gettext_lazy("Barcode"), "sku.active": gettext_lazy("On sale"),
    "listing.title": gettext_lazy("Listing title"), "listing.external_id": gettext_lazy("Platform item id"),
    "listing.url": gettext_lazy("Listing URL"), "listing.status": gettext_lazy("Listing status"),
}


def _changes(changes: dict) -> dict[str, object] | None:
    """An import's ``changes`` as the page shows them: a row per kind of record (orders or catalog), the changed
    fields by their names (None for imports that do not tell them)."""
    if changes.get("orders"):
        kinds = CHANGE_KINDS
    elif changes.get("products"):
        kinds = CATALOG_CHANGE_KINDS
    else:
        return None
    rows = [{"label": label, "deleted": None, **changes.get(kind, {})} for kind, label in kinds]
    fields = [(CHANGED_FIELDS.get(name, name), count) for name, count in (changes.get("fields") or {}).items()]
    return {"rows": rows, "fields": fields, "linked": changes.get("customers", {}).get("linked", 0)}


@page_requires(roles.VIEW_IMPORTS)
def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    """Every kept row error of a job as xlsx (texts are neutralised against formulas by xlsx_response)."""
    job = selectors.import_job(shop=request.shop, pk=pk)
    if job is None:
        raise Http404
    return xlsx_response(filename=f"import-{job.pk}-errors.xlsx", sheet=str(gettext_lazy("Row errors")),
                         columns=ERROR_COLUMNS, rows=job.errors)


TEMPLATE_EXAMPLE = {"类目": "服饰/女装/连衣裙", "SPU编码": "DRESS-001", "商品名称": "碎花连衣裙", "品牌": "", "SKU编码": "DRESS-001-S",
                    "规格": "颜色:红;尺码:S", "条码": "", "售价": "199.00", "成本": "80.00", "状态": "在售"}


@page_requires(roles.RUN_IMPORTS)
def import_catalog_template(request: HttpRequest) -> HttpResponse:
    """The catalog-xlsx template: its headers and one example row (docs/formats.md#catalog-xlsx)."""
    columns = [Column(c.name, c.name, lambda row, name=c.name: row.get(name, "")) for c in CATALOG_XLSX.columns]
    return xlsx_response(filename="shopops-catalog-template.xlsx", sheet=str(gettext_lazy("Products")),
                         columns=columns, rows=[TEMPLATE_EXAMPLE])
