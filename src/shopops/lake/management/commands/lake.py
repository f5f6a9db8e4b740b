"""shopops lake info [--json] | shopops lake rebuild [--json]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from shopops.core.management.base import ShopOpsCommand
from shopops.lake.services import lake_rebuild
from shopops.lake.storage import table_info


class Command(ShopOpsCommand):
    help = "The lake's Delta tables: `info` (rows, versions, files, bytes) or `rebuild` (derived tables from the DB)."
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("action", choices=["info", "rebuild"])

    def handle(self, *args: Any, **options: Any) -> None:
        self.ensure_installed()
        if options["action"] == "rebuild":
            result = lake_rebuild()
            if options["json"]:
                self.emit_json({"rebuilt": result, "tables": table_info()})
            else:
                for row in result:
                    self.stdout.write(f"{row['shop']}: {row['orders']} orders, {row['order_lines']} order lines")
            return
        info = table_info()
        if options["json"]:
            self.emit_json({"tables": info})
            return
        for row in info:
            state = f"v{row['version']}, {row['rows']} rows, {row['files']} files, {row['bytes']} bytes" if row["exists"] \
                else "not created yet"
            self.stdout.write(f"{row['table']}: {state}")
