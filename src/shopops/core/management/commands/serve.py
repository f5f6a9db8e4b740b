"""shopops serve [--host H] [--port P]: the web app, API and static files in one threaded process."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandParser

from shopops.core.management.base import ShopOpsCommand


def serve_forever(*, host: str, port: int, threads: int, stdout: Any) -> None:
    from waitress import serve

    from shopops.wsgi import application

    stdout.write(f"ShopOps is running at http://{host if host != '0.0.0.0' else '127.0.0.1'}:{port}/ (Ctrl+C stops)")
    serve(application, host=host, port=port, threads=threads, ident="shopops", _quiet=True)


class Command(ShopOpsCommand):
    help = "Serve ShopOps (web, API, static files) with a threaded WSGI server."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--host", default="127.0.0.1",
                            help="address to listen on; for other machines also set SHOPOPS_ALLOWED_HOSTS to the "
                                 "names they use (e.g. shop.lan,192.168.1.20)")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", verbosity=0, interactive=False)
        serve_forever(host=options["host"], port=options["port"], threads=options["threads"], stdout=self.stdout)
