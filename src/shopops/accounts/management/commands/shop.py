"""shopops shop create --code C --name N --admin-user U [--admin-password PW] | shopops shop list [--json]

Several shops per install: each has its own records, channel accounts and members. ``shop_open`` is the one
place a working shop is made (``shopops init`` uses it too): the shop, its default channel accounts and an
administrator. It lives with the commands because it spans two floors: the shop and its members are
``core``'s, the channel accounts are ``channels``', which sits above ``core``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.management.base import CommandError, CommandParser
from django.db import transaction

from shopops.channels.services import channel_accounts_create_defaults
from shopops.core.clock import DEFAULT_TZ
from shopops.core.management.base import ShopOpsCommand
from shopops.core.models import Shop
from shopops.core.selectors import shops_overview
from shopops.core.services import roles_sync, shop_admin_ensure, shop_create


def shop_open(
    *, code: str, name: str, admin_username: str, admin_password: str | None, timezone: str = DEFAULT_TZ
) -> tuple[Shop, AbstractBaseUser, bool, int]:
    """Create a shop ready to work in, all or nothing: the shop, one channel account per known platform,
    and its administrator (a new user, or an existing administrator given access).

    Returns (shop, administrator, whether the administrator was created, number of channel accounts).
    Bad input raises InvalidInput/Conflict (exit 2 on the command line) and writes nothing.
    """
    with transaction.atomic():
        roles_sync()
        shop = shop_create(code=code, name=name, timezone=timezone)
        accounts = channel_accounts_create_defaults(shop=shop)
        admin, created = shop_admin_ensure(shop=shop, username=admin_username, password=admin_password)
    return shop, admin, created, len(accounts)


class Command(ShopOpsCommand):
    help = ("Shops of this install: `create` adds one (its channel accounts and an administrator), "
            "`list` shows them.")
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("action", choices=["create", "list"])
        parser.add_argument("--code", default="", help="create: the shop's code (a-z, 0-9, -), e.g. tmall-flagship")
        parser.add_argument("--name", default="", help="create: the shop's name, e.g. 山茶集京东店")
        parser.add_argument("--admin-user", default="",
                            help="create: its administrator; a new user, or an existing administrator")
        parser.add_argument("--admin-password", default=None,
                            help="create: the new administrator's password (for an existing user: theirs, or leave "
                                 "it out)")
        parser.add_argument("--timezone", default=DEFAULT_TZ, help=f"create: time zone (default {DEFAULT_TZ})")

    def handle(self, *args: Any, **options: Any) -> None:
        self.ensure_installed()
        if options["action"] == "list":
            self._list(options)
        else:
            self._create(options)

    def _create(self, options: dict[str, Any]) -> None:
        missing = [flag for flag, key in (("--code", "code"), ("--name", "name"), ("--admin-user", "admin_user"))
                   if not (options[key] or "").strip()]
        if missing:
            raise CommandError(f"shop create needs {', '.join(missing)}.", returncode=2)
        shop, admin, created, accounts = shop_open(
            code=options["code"], name=options["name"], admin_username=options["admin_user"],
            admin_password=options["admin_password"], timezone=options["timezone"])
        if options["json"]:
            self.emit_json({"shop": shop.code, "name": shop.name, "timezone": shop.timezone,
                            "channel_accounts": accounts, "admin": admin.get_username(), "admin_created": created})
            return
        who = "new user" if created else "existing administrator, now also a member"
        self.stdout.write(self.style.SUCCESS(
            f"Created shop {shop.name} ({shop.code}) with {accounts} channel accounts; "
            f"administrator {admin.get_username()} ({who})."))

    def _list(self, options: dict[str, Any]) -> None:
        rows = shops_overview()
        if options["json"]:
            self.emit_json(rows)
            return
        if not rows:
            self.stdout.write("No shops yet.")
        for row in rows:
            admins = ", ".join(row["admins"]) or "—"
            self.stdout.write(f"{row['code']:<24} {row['name']}  ({row['members']} members; admins: {admins})")
