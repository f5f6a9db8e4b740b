"""``shopops listings suggest LISTING [--from D --to D] [--json]``: a title suggestion for one listing
(docs/rules/listings.md#title-suggestion), its keyword coverage before and after, and its gaps.

JSON (docs/formats.md#listing-suggestion): ``{"listing", "channel", "title", "suggestion", "length": {"value",
"limit", "unit"}, "from", "to", "basis", "before": {"coverage", "covered_orders", "orders", "covered_terms"},
"after": {…}, "added_terms", "added_words", "dropped_words", "gaps": [{"term", "roots", "orders", "gmv",
"conversion"}], "root_gaps": [{"root", "orders", "gmv"}]}``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from shopops.core.management.base import ShopOpsCommand
from shopops.listings.selectors.keywords import listing_suggestion, suggestion_json


def suggest_arguments(parser: CommandParser) -> None:
    parser.add_argument("listing", nargs="?", default=None, help="suggest: the listing's id")
    parser.add_argument("--from", dest="date_from", default=None,
                        help="suggest: first date of the search terms (default: the 30 days up to the last one)")
    parser.add_argument("--to", dest="date_to", default=None, help="suggest: last date of the search terms")


def _percent(value: object) -> str:
    return "—" if value is None else f"{float(str(value)) * 100:.1f}%"


def suggest_run(command: ShopOpsCommand, options: dict[str, Any]) -> None:
    """The suggestion for ``LISTING`` (a listing id of the shop)."""
    shop = command.resolve_shop(options["shop"])
    target = str(options.get("listing") or "").strip()
    if not target.isdigit() or not 0 < int(target) < 2**63:
        raise CommandError(_("suggest needs a listing id (a whole number), e.g. shopops listings suggest 12."),
                           returncode=2)
    result = suggestion_json(listing_suggestion(shop=shop, listing_id=int(target), date_from=options.get("date_from"),
                                                date_to=options.get("date_to")))
    if options["json"]:
        command.emit_json(result)
        return
    write = command.stdout.write
    write(_("Current title: %(title)s") % {"title": result["title"]})
    write(_("Suggestion:    %(title)s (%(value)s of %(limit)s)") % {
        "title": result["suggestion"], "value": result["length"]["value"], "limit": result["length"]["limit"]})
    write(_("Keyword coverage: %(before)s → %(after)s") % {"before": _percent(result["before"]["coverage"]),
                                                           "after": _percent(result["after"]["coverage"])})
    if result["added_terms"]:
        write(_("Terms added: %(terms)s") % {"terms": "、".join(result["added_terms"])})
    if result["root_gaps"]:
        write(_("Roots missing from the current title: %(roots)s")
              % {"roots": "、".join(g["root"] for g in result["root_gaps"][:10])})
