"""shopops token create --user NAME [--name LABEL] [--json]"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser

from shopops.core.management.base import ShopOpsCommand
from shopops.core.services import token_create


class Command(ShopOpsCommand):
    help = "Create an API token for a user (printed once; only its hash is stored)."
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("action", choices=["create"])
        parser.add_argument("--user", required=True)
        parser.add_argument("--name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        self.ensure_installed()
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {options['user']!r}.", returncode=2)
        _token, clear = token_create(user=user, name=options["name"] or "cli")
        if options["json"]:
            self.emit_json({"token": clear})
        else:
            self.stdout.write(clear)
