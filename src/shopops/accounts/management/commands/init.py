"""shopops init --shop NAME --admin-password PW: an empty install for a user who brings their own data."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser

from shopops.accounts.management.commands.shop import shop_open
from shopops.core.management.base import ShopOpsCommand
from shopops.core.models import Shop
from shopops.core.services import password_check, shop_fields_check

ADMIN = "admin"


def shop_code_for(name: str) -> str:
    code = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")
    return code[:40] or "shop"


class Command(ShopOpsCommand):
    help = "Create an empty install: one shop, its default channel accounts and the user admin."
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--shop", required=True, help="shop name, e.g. 山茶集官方旗舰店")
        parser.add_argument("--code", default="", help="shop code (default: derived from the name)")
        parser.add_argument("--admin-password", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["shop"].strip()
        code = options["code"] or shop_code_for(name)
        # Bad input is refused before the data directory is touched (exit 2).
        shop_fields_check(code=code, name=name)
        password_check(password=options["admin_password"], user=get_user_model()(username=ADMIN))
        call_command("migrate", verbosity=0, interactive=False)
        if Shop.objects.exists():
            raise CommandError("This data directory already holds a shop; nothing was changed "
                               "(`shopops shop create` adds another shop).", returncode=2)
        shop, _admin, _created, _accounts = shop_open(code=code, name=name, admin_username=ADMIN,
                                                      admin_password=options["admin_password"])
        if options["json"]:
            self.emit_json({"shop": shop.code, "name": shop.name, "users": [ADMIN]})
        else:
            self.stdout.write(self.style.SUCCESS(f"Created shop {shop.name} ({shop.code}) and user admin."))
