"""shopops service ACTION [--shop S] [--json]: customer service (客服). Each action's arguments and work live in
a module of their own under ``service/management`` (``returns``: ``returns_action``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from shopops.core.management.base import ShopOpsCommand
from shopops.service.management.returns_action import add_returns_arguments, run_returns

ACTIONS = {"returns": run_returns}


class Command(ShopOpsCommand):
    help = ("Customer service: `returns` (returns and exchanges by status and by reason, with their amounts).")
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("action", choices=sorted(ACTIONS))
        self.add_shop_argument(parser)
        self.add_language_argument(parser)
        add_returns_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.ensure_installed()
        shop = self.resolve_shop(options["shop"])
        ACTIONS[options["action"]](self, shop, options)
