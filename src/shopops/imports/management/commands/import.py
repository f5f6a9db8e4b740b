"""shopops import FORMAT PATH [--channel-account NAME] [--items FILE] [--skip-invalid] [--strict-skus] [--dry-run]
[--no-warm-up] [--json]
shopops import formats [--json]

An import that changed data is followed, as in the worker, by the analytics warm-up: the pages' default panels
computed now, so the next page view reads them from the result cache instead of computing while the operator
waits (its parts in the JSON as ``warm_up``; ``--no-warm-up`` leaves it to the pages). A ``competitor-snapshot``
import that changed data is followed by the rivals' change detection (counts by kind in the JSON as
``competitors``: ``items_created`` and one count per kind of change found; docs/rules/listings.md#competitors); a
catalog import by the audit of the shop's listings (``listings_audit``: ``audited``, ``with_errors``, to-dos raised
and closed; docs/rules/listings.md#audit)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from shopops.analytics.services.warmup import analytics_warm_up
from shopops.core.i18n import say
from shopops.core.management.base import ShopOpsCommand, input_file
from shopops.imports import services
from shopops.imports.formats import FORMATS
from shopops.listings.services.after_import import listings_after_import


class Command(ShopOpsCommand):
    help = ("Import a platform export into ShopOps (records and lake). Exit 0 when imported, 2 when rejected. "
            "`shopops import formats` lists the formats with their columns.")
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("format", help="a format name, or `formats` to list them")
        parser.add_argument("path", nargs="?", help="the file to import")
        parser.add_argument("--channel-account", help="channel account name (default: the format's channel)")
        parser.add_argument("--items", help="taobao-orders: the item detail report (订单宝贝报表)")
        parser.add_argument("--platform", help="ad-report: ztc | ylmf | wxt | jdkc | qianchuan | amazon-sp")
        parser.add_argument("--date", help="files without a date column (e.g. Amazon by child item): their day")
        parser.add_argument("--date-from", help="taobao-userbehavior: first day kept (default: the dataset's)")
        parser.add_argument("--date-to", help="taobao-userbehavior: last day kept")
        parser.add_argument("--currency", help="lake formats: the currency of money columns (default: the shop's)")
        parser.add_argument("--skip-invalid", action="store_true", help="import the valid rows, report the rest")
        parser.add_argument("--strict-skus", action="store_true",
                            help="orders: reject the file when a line's SKU is unknown or its code empty "
                                 "(default: import the line unmatched, to match on the 商品匹配 page)")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument("--no-warm-up", action="store_true",
                            help="do not compute the dashboards' default panels after the import")
        self.add_language_argument(parser)
        self.add_shop_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):  # the refusals below speak it too
            if options["format"] == "formats":
                self._formats(options)
                return
            job = self._import(options)
        if job.status != "done":
            sys.exit(2)

    def _import(self, options: dict[str, Any]) -> Any:
        """Check the files, the shop and the request before a job is recorded; then run the job at once."""
        self.ensure_installed()
        if not options["path"]:
            raise CommandError(_("Give the file to import: shopops import FORMAT PATH"), returncode=2)
        for given in (options["path"], options["items"]):
            if given:
                input_file(given)  # no job for a file that cannot be read
        shop = self.resolve_shop(options["shop"])
        extra = {key: options[key] for key in ("platform", "date", "date_from", "date_to", "currency") if options[key]}
        if options["strict_skus"]:
            extra["strict_skus"] = "1"
        job = services.import_job_create(
            shop=shop, format_name=options["format"], path=options["path"],
            channel_account=options["channel_account"], items_path=options["items"],
            skip_invalid=options["skip_invalid"], dry_run=options["dry_run"], options=extra)
        job = services.import_job_run(job_id=job.pk)
        summary = services.import_summary(job)
        if services.import_changed_data(job) and not options["no_warm_up"]:
            progress = self.progress(1)
            progress.step(_("Computing the dashboards' default panels…"))
            summary["warm_up"] = analytics_warm_up(shop_id=shop.pk)
            progress.done()
        if services.import_changed_data(job):  # a catalog file: the listings' audit; a snapshot file: the rivals'
            summary.update(listings_after_import(shop_id=shop.pk, format_name=job.format,
                                                 target=FORMATS[job.format].target))
        if options["json"]:
            self.emit_json(summary)
        else:
            self._print(summary)
        return job

    def _print(self, summary: dict[str, Any]) -> None:
        self.stdout.write(
            f"{summary['format']} {summary['file']}: {summary['status']} — {summary['rows']} rows, "
            f"{summary['inserted']} inserted, {summary['updated']} updated, {summary['unchanged']} unchanged, "
            f"{summary['rejected']} rejected, {summary['skipped']} skipped ({summary['seconds']} s)")
        changes = summary.get("changes") or {}
        fields = changes.get("fields") or {}
        changed = f" ({', '.join(f'{name} {count}' for name, count in fields.items())})" if fields else ""
        for kind in ("orders", "categories", "products", "skus", "listings", "listing_skus"):
            counts = changes.get(kind)
            if counts:
                self.stdout.write(f"  {kind}: {counts['created']} created, {counts['updated']} updated"
                                  f"{changed if kind in ('orders', 'products') else ''}, "
                                  f"{counts['unchanged']} unchanged")
        for error in summary["errors"]:
            where = f"row {error['row']}" if error.get("row") else "file"
            self.stdout.write(f"  {where}, {error['column']}: {error['message']}")

    def _formats(self, options: dict[str, Any]) -> None:
        rows = [{"name": f.name, "description": say(f.title), "target": f.target, "channel": f.channel,
                 "required": f.required, "optional": f.optional, "quirks": list(f.quirks),
                 **({"items": {"required": [c.name for c in f.item_columns if c.required],
                               "optional": [c.name for c in f.item_columns if not c.required]}}
                    if f.item_columns else {})}
                for f in FORMATS.values()]
        if options["json"]:
            self.emit_json(rows)
            return
        for row in rows:
            self.stdout.write(f"{row['name']:<24} {row['description']}")
