"""shopops init --shop NAME --admin-password PW: an empty install for a user who brings their own data."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.db import transaction

from shopops.channels.services import channel_accounts_create_defaults
from shopops.core import roles
from shopops.core.management.base import ShopOpsCommand
from shopops.core.models import Shop
from shopops.core.services import roles_sync, shop_create, user_create


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
        if not name or len(name) > 120:
            raise CommandError("--shop must be 1 to 120 characters.", returncode=2)
        code = options["code"] or shop_code_for(name)
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", code):
            raise CommandError("--code must be 1 to 40 lower-case letters, digits or hyphens.", returncode=2)
        try:
            validate_password(options["admin_password"])
        except ValidationError as exc:
            raise CommandError("Admin password rejected: " + " ".join(exc.messages), returncode=2) from exc
        call_command("migrate", verbosity=0, interactive=False)
        if Shop.objects.exists():
            raise CommandError("This data directory already holds a shop; nothing was changed.", returncode=2)
        with transaction.atomic():
            roles_sync()
            shop = shop_create(code=code, name=name)
            channel_accounts_create_defaults(shop=shop)
            user_create(username="admin", password=options["admin_password"], role=roles.ADMIN, shops=[shop])
        if options["json"]:
            self.emit_json({"shop": shop.code, "name": shop.name, "users": ["admin"]})
        else:
            self.stdout.write(self.style.SUCCESS(f"Created shop {shop.name} ({shop.code}) and user admin."))
