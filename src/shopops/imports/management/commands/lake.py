"""shopops lake info [--json] | shopops lake rebuild [--json] | shopops lake settle [--json]

``settle`` puts right what an interrupted import left behind: the order facts it owed are refreshed, the
rollups it owed rebuilt (and a rollup table an older lake lacks built from its source), and the import jobs
whose process died are marked failed. ``rebuild`` recreates the order facts from the DB, then every rollup
from its source. The command lives with the imports, the only app above both
the lake and the orders whose derived copy it rebuilds.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from shopops.core.management.base import ShopOpsCommand
from shopops.imports.services import import_jobs_settle_dead
from shopops.lake.selectors import rollup_names, table_info
from shopops.lake.services import rollups_due_count, rollups_rebuild, rollups_settle
from shopops.orders.services import facts_rebuild, facts_refresh_due_count, facts_refresh_settle


class Command(ShopOpsCommand):
    help = ("The lake's Delta tables: `info` (rows, versions, files, bytes; order-fact refreshes still owed), "
            "`rebuild` (derived tables from the DB, then the rollups from their sources) or `settle` (refresh the "
            "order facts and rebuild the rollups an interrupted import left owed, and mark failed the import "
            "jobs whose process died).")
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("action", choices=["info", "rebuild", "settle"])

    def handle(self, *args: Any, **options: Any) -> None:
        self.ensure_installed()
        if options["action"] == "rebuild":
            result = facts_rebuild()
            rollups = rollups_rebuild()
            if options["json"]:
                self.emit_json({"rebuilt": result, "tables": table_info(), "rollups": rollups,
                                "rollup_tables": table_info(rollup_names())})
            else:
                for row in result:
                    self.stdout.write(f"{row['shop']}: {row['orders']} orders, {row['order_lines']} order lines")
                for row in rollups:
                    self.stdout.write(f"{row['table']}: " + (f"rebuilt (v{row['version']})" if row["rebuilt"]
                                                            else "no source yet"))
            return
        if options["action"] == "settle":
            paid = facts_refresh_settle()
            rollups = rollups_settle()
            failed_jobs = import_jobs_settle_dead()
            hooks = {"rollups_settled": rollups} if rollups else {}
            hooks |= {"failed_import_jobs": failed_jobs} if failed_jobs else {}
            if options["json"]:  # {"settled": [...]} and, when there were any, the rollups and import jobs settled
                self.emit_json({"settled": paid, **hooks})
            else:
                for row in paid:
                    self.stdout.write(f"{row['shop']}: {row['date_from']}..{row['date_to']} refreshed "
                                      f"({row['orders']} orders, {row['order_lines']} order lines)")
                for row in rollups:
                    span = f"{row['date_from']}..{row['date_to']}" if row["date_from"] else "all dates"
                    scope = row["feed"] or (f"shop {row['shop_id']}" if row["shop_id"] is not None else "all")
                    self.stdout.write(f"{row['table']}: {scope}, {span} rebuilt")
                if failed_jobs:
                    self.stdout.write(f"failed_import_jobs: {', '.join(map(str, failed_jobs))}")
            return
        info = table_info()
        rollup_info = table_info(rollup_names())
        due = facts_refresh_due_count()
        rollups_due = rollups_due_count()
        if options["json"]:
            self.emit_json({"tables": info, "facts_refresh_due": due, "rollup_tables": rollup_info,
                            "rollups_due": rollups_due})
            return
        if due:
            self.stdout.write(f"order facts: {due} refresh(es) owed — run `shopops lake settle` (the worker does it)")
        if rollups_due:
            self.stdout.write(f"rollups: {rollups_due} rebuild(s) owed — run `shopops lake settle` (the worker does it)")
        for row in [*info, *rollup_info]:
            state = f"v{row['version']}, {row['rows']} rows, {row['files']} files, {row['bytes']} bytes" if row["exists"] \
                else "not created yet"
            self.stdout.write(f"{row['table']}: {state}")
