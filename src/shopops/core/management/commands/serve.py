"""shopops serve [--host H] [--port P]: the web app, API and static files in one threaded process."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser

from shopops.core.management.base import ShopOpsCommand

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


def serve_forever(*, host: str, port: int, threads: int, stdout: Any,
                  networks: Sequence[IpNetwork] | None = None) -> None:
    """Serve until stopped; ``networks`` are the trusted proxies (default: ``SHOPOPS_TRUSTED_PROXIES``)."""
    # Built only when serving: importing the WSGI module creates the application (and the demo command, which
    # imports this function, may never serve).
    from django.conf import settings
    from waitress import serve

    from shopops.wsgi import application

    if networks is None:
        networks = trusted_proxy_networks(settings.SHOPOPS_TRUSTED_PROXIES)

    stdout.write(f"ShopOps is running at http://{host if host != '0.0.0.0' else '127.0.0.1'}:{port}/ (Ctrl+C stops)")
    # clear_untrusted_proxy_headers=False: behind_proxies already decides per connection what to keep.
    serve(behind_proxies(application, networks=networks), host=host, port=port, threads=threads,
          ident="shopops", clear_untrusted_proxy_headers=False, _quiet=True)


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
        from django.conf import settings

        try:
            networks = trusted_proxy_networks(settings.SHOPOPS_TRUSTED_PROXIES)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if settings.SECURE_SSL_REDIRECT and not networks:
            self.stderr.write("Every request will be redirected to https: set SHOPOPS_TRUSTED_PROXIES to the "
                              "address of the TLS proxy in front of this server (docs/operations.md).")
        call_command("migrate", verbosity=0, interactive=False)
        serve_forever(host=options["host"], port=options["port"], threads=options["threads"], stdout=self.stdout,
                      networks=networks)
