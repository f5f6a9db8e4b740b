"""Base for ShopOps commands: ``--data-dir`` in the help, ``--json`` output, exit 2 on bad input."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shopops.core.errors import ShopOpsError


class ShopOpsCommand(BaseCommand):
    json_option = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data-dir", help="data directory (default: $SHOPOPS_DATA_DIR or ./shopops-data)")
        if self.json_option:
            parser.add_argument("--json", action="store_true", help="print machine-readable JSON")

    def ensure_installed(self) -> None:
        """Commands that work on an existing install say so clearly when there is none (exit 2)."""
        from django.conf import settings
        from django.db import connection

        if "core_shop" not in connection.introspection.table_names():
            raise CommandError(
                f"No ShopOps install in {settings.DATA_DIR}: run `shopops init` or `shopops demo` first.",
                returncode=2,
            )

    @staticmethod
    def add_shop_argument(parser: CommandParser) -> None:
        parser.add_argument("--shop", help="shop code (default: the first shop)")

    @staticmethod
    def add_period_arguments(parser: CommandParser) -> None:
        """``--from D --to D`` (inclusive business dates) as ``date_from``/``date_to``; checked by the selectors."""
        parser.add_argument("--from", dest="date_from", required=True, help="first business date (YYYY-MM-DD)")
        parser.add_argument("--to", dest="date_to", required=True, help="last business date (YYYY-MM-DD)")

    def resolve_shop(self, code: str | None) -> Any:
        """The shop a command works on; a clear exit 2 when it does not exist."""
        from shopops.core.selectors import shop_by_code

        shop = shop_by_code(code=code)
        if shop is None:
            raise CommandError(f"No shop {code!r}." if code else "No shop yet: run `shopops init` or `shopops demo`.",
                               returncode=2)
        return shop

    def emit_json(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, default=str, indent=2))

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except ShopOpsError as exc:
            lines = [exc.detail, *[f"  {e.field}: {e.message}" for e in exc.errors]]
            raise CommandError("\n".join(lines), returncode=exc.exit_code) from exc
