"""shopops demo: build the deterministic demo shop, then serve it (unless --no-serve)."""

from __future__ import annotations

import datetime as dt
import secrets
import sys
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.db import transaction

from shopops.analytics.services.warmup import analytics_warm_up_in_background
from shopops.channels.services import channel_account_ensure
from shopops.core import roles
from shopops.core.clock import today
from shopops.core.management.base import ShopOpsCommand
from shopops.core.management.commands.serve import serve_forever
from shopops.core.models import Shop
from shopops.core.services import roles_sync, shop_create, user_create
from shopops.demo.export_sink import ExportFileSink, demo_events_import
from shopops.demo.seed_campaigns import campaigns_demo_seed
from shopops.demo.seed_inventory import inventory_demo_seed
from shopops.demo.seed_listings import listings_demo_seed
from shopops.demo.seed_service import ServiceSeeder
from shopops.demo.sinks import DatabaseSink
from shopops.demo.spec import World, WorldConfig
from shopops.demo.world import build_world
from shopops.orders.services import order_facts_refresh

DEMO_SHOP_CODE = "demo"
IMPORT_KEYS = ("job", "format", "file", "channel_account", "rows", "inserted", "updated", "unchanged", "rejected",
               "seconds")


class Command(ShopOpsCommand):
    help = "Build the demo shop (a simulated Chinese brand on several channels) and serve it."
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--days", type=int, default=365, help="days of history (1..1500)")
        parser.add_argument("--scale", type=float, default=1.0, help="traffic multiplier (0.01..20)")
        parser.add_argument("--end-date", type=dt.date.fromisoformat, default=None,
                            help="last simulated business date (default: yesterday)")
        parser.add_argument("--password", default=None, help="password for every demo user (default: random)")
        parser.add_argument("--reset", action="store_true", help="wipe an existing data directory's records first")
        parser.add_argument("--sink", choices=("exports", "database"), default="exports",
                            help="exports: write each channel's export files and import them (default); "
                                 "database: write the records directly")
        parser.add_argument("--no-serve", action="store_true")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def _log(self, message: str) -> None:
        sys.stderr.write(f"[demo] {message}\n")
        sys.stderr.flush()

    def handle(self, *args: Any, **options: Any) -> None:
        """Check the options; unless a shop exists, simulate the world, write the shop, import its channel
        files, seed the rest and report. (``world`` in the helpers is the ``spec.World`` of ``build_world``.)"""
        password, generated = self._checked_options(options)
        call_command("migrate", verbosity=0, interactive=False)
        if Shop.objects.exists() and not options["reset"]:
            self._keep_existing(options)
            return
        if options["reset"]:
            self._log("wiping existing records")
            call_command("flush", interactive=False, verbosity=0)

        started = time.perf_counter()
        config = WorldConfig(seed=options["seed"], days=options["days"], end_date=options["end_date"],
                             scale=options["scale"])
        self._log(f"simulating {config.days} days (seed {config.seed})")
        world = build_world(config)
        simulated = time.perf_counter() - started
        shop, counts = self._shop_create(world, password, sink=options["sink"])
        if options["sink"] == "exports":
            counts, imports = self._exports_import(shop, world)
        else:
            imports = self._events_import(shop, world)
        stock = self._extras_seed(shop, world, config)
        service = self._service_seed(shop, world, imports)
        self._listings_seed(shop, world, imports)
        seconds = time.perf_counter() - started
        summary = {
            "created": True,
            "data_dir": str(settings.DATA_DIR),
            "shop": shop.name,
            "from": world.start_date.isoformat(),
            "to": world.end_date.isoformat(),
            **counts,
            "inventory": stock,
            "service": service,
            "sink": options["sink"],
            "imports": imports,
            "users": list(roles.ROLES),
            "password": password,
            "simulate_seconds": round(simulated, 2),
            "seconds": round(seconds, 2),
        }
        self._report(summary, options, world, seconds=seconds, generated=generated)
        if not options["no_serve"]:
            analytics_warm_up_in_background(shop_id=shop.pk)  # the first dashboard finds its panels computed
            serve_forever(host=options["host"], port=options["port"], threads=8, stdout=self.stdout)

    def _checked_options(self, options: dict[str, Any]) -> tuple[str, bool]:
        """Refuse out-of-range options before anything is written (exit code 2); returns ``(password,
        generated)``. A given password must pass Django's validators for every demo user name, since every
        demo user gets it."""
        if not 1 <= options["days"] <= 1500:
            raise CommandError("--days must be between 1 and 1500.", returncode=2)
        if not 0.01 <= options["scale"] <= 20:
            raise CommandError("--scale must be between 0.01 and 20.", returncode=2)
        end_date = options["end_date"]
        if end_date is not None and not dt.date(2000, 1, 1) <= end_date <= today() + dt.timedelta(days=366):
            raise CommandError("--end-date must lie between 2000-01-01 and a year from now.", returncode=2)
        password = options["password"]
        if password is None:
            return secrets.token_urlsafe(9), True
        for username in roles.ROLES:  # every demo user gets this password: check it against each name
            try:
                validate_password(password, user=get_user_model()(username=username))
            except ValidationError as exc:
                raise CommandError(f"Password rejected for user {username}: " + " ".join(exc.messages),
                                   returncode=2) from exc
        return password, False

    def _keep_existing(self, options: dict[str, Any]) -> None:
        """A data directory that already holds a shop is left alone (without --reset): say so, then serve it."""
        message = (f"{settings.DATA_DIR} already holds a shop; nothing was changed "
                   "(use --reset to rebuild the demo).")
        if options["json"]:
            self.emit_json({"created": False, "data_dir": str(settings.DATA_DIR), "message": message})
        else:
            self.stdout.write(message)
        if not options["no_serve"]:
            serve_forever(host=options["host"], port=options["port"], threads=8, stdout=self.stdout)

    def _shop_create(self, world: World, password: str, *, sink: str) -> tuple[Shop, dict[str, Any]]:
        """The shop, its channel accounts and one user per role in one transaction; with the database sink
        the world's records too (their counts; empty for the exports sink, whose imports count)."""
        counts: dict[str, Any] = {}
        with transaction.atomic():
            roles_sync()
            shop = shop_create(code=DEMO_SHOP_CODE, name=world.shop_name)
            for channel in world.channels:
                channel_account_ensure(shop=shop, channel=channel.code, name=channel.account_name)
            for role in roles.ROLES:
                user_create(username=role, password=password, role=role, shops=[shop], validate=False)
            if sink == "database":
                counts = DatabaseSink(shop, progress=lambda step: self._log(f"writing {step}")).write(world)
        return shop, counts

    def _exports_import(self, shop: Shop, world: World) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Write each channel's export files and import them, as a shop would (each import commits on its
        own: its lake commit follows its DB transaction); returns (counts, one summary per import)."""
        sink = ExportFileSink(shop, settings.DATA_DIR, progress=lambda step: self._log(step),
                              log=lambda s: self._log(
                                  f"  imported {s['format']} {s['file']}: {s['rows']} rows, {s['inserted']} "
                                  f"inserted, {s['rejected']} rejected, {s['seconds']} s"))
        counts = sink.write(world)
        return counts, [{k: s[k] for k in IMPORT_KEYS} for s in sink.imports]

    def _events_import(self, shop: Shop, world: World) -> list[dict[str, Any]]:
        """The database sink writes records directly; the own-site behaviour log still goes through an
        ``events`` import (the lake holds it)."""
        self._log("own-site behaviour log → events")
        summary = demo_events_import(shop, world, settings.DATA_DIR)
        return [{k: summary[k] for k in IMPORT_KEYS}]

    def _extras_seed(self, shop: Shop, world: World, config: WorldConfig) -> dict[str, Any]:
        """What the channel data does not carry: campaigns, the lake's order facts, stock; returns the stock
        summary."""
        with transaction.atomic():
            self._log("campaigns: a reviewed 双11 and a simulated 双12")
            campaigns_demo_seed(shop=shop, end_date=world.end_date)
        self._log("writing the lake's order facts")
        order_facts_refresh(shop=shop)
        self._log("stock: locations, suppliers, receipts and purchase orders")
        return inventory_demo_seed(shop=shop, end_date=world.end_date, seed=config.seed)

    def _service_seed(self, shop: Shop, world: World, imports: list[dict[str, Any]]) -> dict[str, Any]:
        """Customer service: calendar and SLA policies, the after-sale, review and chat exports through the
        import pipeline (their summaries join ``imports``), the team's tickets; returns the service counts."""
        seeder = ServiceSeeder(shop, settings.DATA_DIR / "demo-exports", world, progress=lambda step: self._log(step),
                               log=lambda s: self._log(f"  imported {s['format']} {s['file']}: {s['rows']} rows, "
                                                       f"{s['inserted']} inserted, {s['rejected']} rejected, "
                                                       f"{s['seconds']} s"))
        counts = seeder.seed()
        imports.extend({k: s[k] for k in IMPORT_KEYS} for s in seeder.imports)
        return counts

    def _listings_seed(self, shop: Shop, world: World, imports: list[dict[str, Any]]) -> None:
        """Listings: the search channels' 搜索词 reports and the rivals' snapshots through the import pipeline
        (their summaries join ``imports``), and the brand's shop dictionary."""
        self._log("listings: search terms, rival snapshots and the shop dictionary")
        summaries = listings_demo_seed(shop, world, settings.DATA_DIR, log=lambda s: self._log(
            f"  imported {s['format']} {s['file']}: {s['rows']} rows, {s['inserted']} inserted, "
            f"{s['rejected']} rejected, {s['seconds']} s"))
        imports.extend({k: s[k] for k in IMPORT_KEYS} for s in summaries)

    def _report(self, summary: dict[str, Any], options: dict[str, Any], world: World, *, seconds: float,
                generated: bool) -> None:
        """The summary as JSON (--json) or two lines for people (the password shown: it is not stored)."""
        if options["json"]:
            self.emit_json(summary)
            return
        self.stdout.write(self.style.SUCCESS(
            f"Demo shop {summary['shop']}: {summary['orders']} orders, {summary['customers']} customers, "
            f"{summary['products']} products / {summary['skus']} SKUs, {world.start_date} – {world.end_date}, "
            f"built in {seconds:.1f} s."
        ))
        self.stdout.write(f"Users: {', '.join(roles.ROLES)}  password: {summary['password']}"
                          + ("  (generated; keep it)" if generated else ""))
