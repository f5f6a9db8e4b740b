"""shopops keywords --from D --to D [--channel C] [--json] [--limit N]: the shop's search terms (搜索词) and their
roots (词根) over a period, with the previous period of equal length (docs/rules/listings.md#keywords).

JSON (docs/formats.md#keywords): ``{"from", "to", "previous_from", "previous_to", "channel", "total",
"term_count", "root_count", "terms": [{"term", "roots", "visitors", "clicks", "orders", "gmv", "conversion",
"trend", "previous": {"visitors", "clicks", "orders", "gmv", "conversion"}}], "roots": [{"root", "terms",
"visitors", "clicks", "orders", "gmv", "conversion", "trend", "previous"}]}``; ``gmv`` is a yuan string
("123.45"); ``conversion`` = orders ÷ visitors (÷ clicks where the report has no visitors), ``trend`` = the
change of visitors (or clicks) against the previous period, both 4-place decimal strings or null.
"""

from __future__ import annotations

from typing import IO, Any, cast

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from shopops.channels.labels import channel_label
from shopops.core.management.base import ShopOpsCommand
from shopops.listings.selectors.keywords import keyword_report, keywords_json

TABLE_ROWS = 30  # the text output shows the best 30 terms and roots; --json has them all


def _rate(value: object) -> str:
    return "—" if value is None else f"{float(str(value)) * 100:.1f}%"


class Command(ShopOpsCommand):
    help = ("Keyword mining: the shop's search terms and their roots (词根) over --from..--to, with visitors, "
            "clicks, orders, GMV, conversion (orders ÷ visitors, or ÷ clicks without visitors) and the trend "
            "against the previous period of equal length. --json prints {from, to, previous_from, previous_to, "
            "channel, total, term_count, root_count, terms: [{term, roots, visitors, clicks, orders, gmv, "
            "conversion, trend, previous}], roots: [{root, terms, visitors, clicks, orders, gmv, conversion, "
            "trend, previous}]} (gmv a yuan string; conversion and trend 4-place decimals or null).")
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        self.add_shop_argument(parser)
        self.add_language_argument(parser)
        self.add_period_arguments(parser)
        parser.add_argument("--channel", default=None, help="only this channel's terms (e.g. tmall or 天猫)")
        parser.add_argument("--limit", type=int, default=None, help="at most this many terms and roots (JSON)")

    def handle(self, *args: Any, **options: Any) -> None:
        self.ensure_installed()
        shop = self.resolve_shop(options["shop"])
        period, mined = keyword_report(shop=shop, date_from=options["date_from"], date_to=options["date_to"],
                                       channel=options["channel"])
        limit = options["limit"] if options["limit"] and options["limit"] > 0 else None
        if options["json"]:
            self.emit_json(keywords_json(period, mined, limit=limit))
            return
        console = Console(file=cast(IO[str], self.stdout), width=140)  # OutputWrapper writes like a text file
        scope = channel_label(period.channel) if period.channel else _("all channels")
        console.print(escape(_("Search terms %(start)s – %(end)s, %(scope)s: %(terms)s terms, %(roots)s roots")
                      % {"start": period.start, "end": period.end, "scope": scope, "terms": len(mined.terms),
                         "roots": len(mined.roots)}))
        data = keywords_json(period, mined, limit=limit or TABLE_ROWS)
        for title, key, rows in ((_("By term"), "term", data["terms"]), (_("By root"), "root", data["roots"])):
            table = Table(title=title)
            for label in (_("Term") if key == "term" else _("Root"), _("Visitors"), _("Clicks"), _("Orders"),
                          _("GMV"), _("Conversion"), _("Trend")):
                table.add_column(label)
            for row in rows:
                table.add_row(escape(row[key]), str(row["visitors"]), str(row["clicks"]), str(row["orders"]), row["gmv"],
                              _rate(row["conversion"]), _rate(row["trend"]))
            console.print(table)
