"""shopops serve [--host H] [--port P] [--no-worker] [--workers N]: the web app, API and static files in one
threaded process, with the task worker (huey's consumer) in background threads unless --no-worker."""

from __future__ import annotations

import contextlib
import ipaddress
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser

from shopops.core.management.base import ShopOpsCommand
from shopops.core.worker import background_consumer_start, consumer_log_to_console

WsgiApp = Callable[[dict, Callable], Iterable[bytes]]
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
# What a TLS proxy tells us: the scheme the browser used and the browser's address. Nothing else is taken
# from proxy headers (the Host header passes through the proxy as is).
PROXY_HEADERS = {"x-forwarded-proto", "x-forwarded-for"}


def trusted_proxy_networks(proxies: Sequence[str]) -> list[IpNetwork]:
    """Parse ``SHOPOPS_TRUSTED_PROXIES`` entries (addresses or networks); a wrong entry stops the server."""
    networks = []
    for entry in proxies:
        try:
            network = ipaddress.ip_network(entry.strip(), strict=False)
        except ValueError:
            network = None
        if network is None or network.prefixlen == 0:
            raise ImproperlyConfigured(
                f"SHOPOPS_TRUSTED_PROXIES: {entry.strip()!r} is not the address of a proxy: list IP addresses or "
                "networks of your TLS proxies, e.g. 127.0.0.1 or 10.0.0.0/24 (never everybody)"
            )
        networks.append(network)
    return networks


def _is_trusted(address: str, networks: Sequence[IpNetwork]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:  # an IPv4 peer on a dual-stack socket
        ip = ip.ipv4_mapped
    return any(ip in network for network in networks)


def behind_proxies(application: WsgiApp, *, networks: Sequence[IpNetwork]) -> WsgiApp:
    """Honour X-Forwarded-Proto/-For on connections from the trusted proxies only; strip them from anyone else.

    A request from a listed proxy gets the browser's scheme and address (so HTTPS redirects, HSTS, secure
    cookies and per-address log-in limits see the real client); any other request loses every proxy header,
    so a client that reaches the server directly cannot claim https or another address. waitress itself
    trusts at most one address, hence this switch in front of its own proxy-header middleware.
    """
    from waitress.proxy_headers import proxy_headers_middleware

    from_proxy = proxy_headers_middleware(application, trusted_proxy="*", trusted_proxy_count=1,
                                          trusted_proxy_headers=PROXY_HEADERS)
    from_anyone = proxy_headers_middleware(application, trusted_proxy=None, clear_untrusted=True)

    def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
        trusted = bool(networks) and _is_trusted(environ.get("REMOTE_ADDR", ""), networks)
        return (from_proxy if trusted else from_anyone)(environ, start_response)

    return app


def _stop_on_sigterm(_signum: int, _frame: object) -> None:
    raise SystemExit(0)  # waitress ends its loop on SystemExit as on Ctrl+C: the worker is stopped after it


@contextlib.contextmanager
def _sigterm_stops_serving() -> Iterator[None]:
    """SIGTERM (systemd, docker, kill) stops serving as Ctrl+C does, so the worker stops cleanly too."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def serve_forever(*, host: str, port: int, threads: int, stdout: Any,
                  networks: Sequence[IpNetwork] | None = None, worker: bool = True, workers: int = 2) -> None:
    """Serve until stopped; ``networks`` are the trusted proxies (default: ``SHOPOPS_TRUSTED_PROXIES``).

    ``worker``: run the task worker (``workers`` threads and the periodic tasks) in this process, stopped when
    serving stops; off when `shopops worker` runs apart (several web processes must not each run the periodic
    tasks). Nothing starts when huey runs tasks inline (immediate mode)."""
    # Built only when serving: importing the WSGI module creates the application (and the demo command, which
    # imports this function, may never serve).
    from django.conf import settings
    from waitress import serve

    from shopops.wsgi import application

    if networks is None:
        networks = trusted_proxy_networks(settings.SHOPOPS_TRUSTED_PROXIES)

    if worker:
        consumer_log_to_console(quiet=True)
    with _sigterm_stops_serving():
        background = background_consumer_start(workers=workers) if worker else None
        try:
            stdout.write(f"ShopOps is running at http://{host if host != '0.0.0.0' else '127.0.0.1'}:{port}/ "
                         "(Ctrl+C stops)")
            if background is not None:
                stdout.write(f"Background tasks run in this process ({workers} worker threads and the periodic "
                             "tasks).")
            elif not worker:
                stdout.write("Background tasks are not run here: run `shopops worker` beside this server.")
            # clear_untrusted_proxy_headers=False: behind_proxies already decides per connection what to keep.
            serve(behind_proxies(application, networks=networks), host=host, port=port, threads=threads,
                  ident="shopops", clear_untrusted_proxy_headers=False, _quiet=True)
        finally:
            if background is not None:
                stdout.write("Stopping the background tasks…")
                background.stop()


class Command(ShopOpsCommand):
    help = "Serve ShopOps (web, API, static files) with a threaded WSGI server."
    requires_system_checks = "__all__"  # a long-running server: check everything once at start

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--host", default="127.0.0.1",
                            help="address to listen on; for other machines also set SHOPOPS_ALLOWED_HOSTS to the "
                                 "names they use (e.g. shop.lan,192.168.1.20)")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-worker", action="store_true",
                            help="do not run background tasks in this process (run `shopops worker` beside it)")
        parser.add_argument("--workers", type=int, default=2, help="worker threads for background tasks")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        try:
            networks = trusted_proxy_networks(settings.SHOPOPS_TRUSTED_PROXIES)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1 (--no-worker runs none).", returncode=2)
        if settings.SECURE_SSL_REDIRECT and not networks:
            self.stderr.write("Every request will be redirected to https: set SHOPOPS_TRUSTED_PROXIES to the "
                              "address of the TLS proxy in front of this server (docs/operations.md).")
        call_command("migrate", verbosity=0, interactive=False)
        serve_forever(host=options["host"], port=options["port"], threads=options["threads"], stdout=self.stdout,
                      networks=networks, worker=not options["no_worker"], workers=options["workers"])
