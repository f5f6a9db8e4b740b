"""shopops listings ACTION: the channel listings from the command line. Each action's arguments and code are in
functions or modules of their own (``<action>_arguments``, ``<action>_run``), registered in ``ACTIONS``.

  suggest  shopops listings suggest LISTING [--from D --to D] [--json]
           a title suggestion for one listing with its keyword coverage before and after
           (listings/management/suggest_action.py, docs/rules/listings.md#title-suggestion)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import CommandParser

from shopops.core.management.base import ShopOpsCommand
from shopops.listings.management.suggest_action import suggest_arguments, suggest_run

ACTIONS: dict[str, Callable[[ShopOpsCommand, dict[str, Any]], None]] = {"suggest": suggest_run}
ARGUMENTS: tuple[Callable[[CommandParser], None], ...] = (suggest_arguments,)


class Command(ShopOpsCommand):
    help = ("Channel listings: `suggest LISTING` (a title suggestion from the shop's search terms, with keyword "
            "coverage before and after; --json prints {listing, channel, title, suggestion, length, before, after, "
            "added_terms, added_words, dropped_words, gaps, root_gaps}).")
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("action", choices=list(ACTIONS))
        parser.add_argument("listing", nargs="?", default=None, help="suggest: the listing's id")
        self.add_shop_argument(parser)
        self.add_language_argument(parser)
        for add in ARGUMENTS:
            add(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.ensure_installed()
        ACTIONS[options["action"]](self, options)
