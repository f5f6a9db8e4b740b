"""The ``shopops`` command: Django management commands with the settings preset.

``--data-dir DIR`` (any command) sets ``SHOPOPS_DATA_DIR`` before Django starts, because the settings
read it at import (where the data lives without it: ``shopops.datadir``). Exit codes: 0 ok, 1 failure,
2 bad input.

``shopops``, ``shopops help`` and ``shopops --help`` list the product's commands, grouped, one line each;
``shopops help COMMAND`` shows a command's options. Django's own commands (``migrate``, ``createsuperuser``,
``flush``, …) are left out of that list: ``shopops django --help`` lists them and ``shopops django COMMAND``
runs them (their plain names keep working too: command names are contracts).
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

import django
from django.core.management import execute_from_command_line, get_commands, load_command_class
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shopops.datadir import DataDirUnknown, data_dir

HELP_FLAGS = ("help", "--help", "-h")

# The product's commands as an operator meets them; a product command missing here is listed under "More".
GROUPS: tuple[tuple[Promise, tuple[tuple[str, Promise], ...]], ...] = (
    (gettext_lazy("Start and run"), (
        ("init", gettext_lazy("Create an empty install for your own shop: the shop and its administrator")),
        ("demo", gettext_lazy("Build the demo shop (a simulated brand) and open it in the browser")),
        ("shop", gettext_lazy("Add another shop to this install, or list the shops")),
        ("serve", gettext_lazy("Run the web pages and the API")),
        ("worker", gettext_lazy("Run the background and periodic tasks")),
        ("token", gettext_lazy("Create a personal API token")),
    )),
    (gettext_lazy("Import and export"), (
        ("import", gettext_lazy("Import a platform export (orders, traffic, ads, behaviour…); "
                                "`shopops import formats` lists the formats")),
        ("imports", gettext_lazy("Housekeeping of imports: remove old and rejected uploads")),
        ("export-sample", gettext_lazy("Write a realistic platform export from the shop's data")),
        ("lake", gettext_lazy("The data lake's tables: info, rebuild, settle")),
    )),
    (gettext_lazy("Analyse"), (
        ("metrics", gettext_lazy("Shop metrics over a period: visitors, buyers, conversion, GMV…")),
        ("funnel", gettext_lazy("People at each step of a funnel and their conversion")),
        ("paths", gettext_lazy("The most common paths through a session")),
        ("retention", gettext_lazy("Cohort retention by day or week")),
        ("products", gettext_lazy("Product analysis: ABC classes, sell-through, price bands")),
        ("gmv", gettext_lazy("Explain a change in GMV by visitors, conversion and order value")),
        ("keywords", gettext_lazy("Search terms and their roots (词根): visitors, clicks, orders, GMV, conversion, "
                                  "trend")),
        ("alerts", gettext_lazy("Check a day for anomalies and update the to-do list")),
        ("briefing", gettext_lazy("The daily report: yesterday's key metrics, alerts and to-dos; "
                                  "--send pushes it to the group robots")),
    )),
    (gettext_lazy("Sell and stock"), (
        ("catalog", gettext_lazy("The catalog: the category tree and the products")),
        ("listings", gettext_lazy("Channel listings: `audit` every listing by its platform's rules (score, "
                                  "problems), `check` one title, `suggest` a title from the shop's search terms")),
        ("matching", gettext_lazy("SKU matching: order lines not matched to a SKU, and their mappings "
                                  "(also `shopops catalog matching`)")),
        ("price", gettext_lazy("The final price of a cart under stacked promotions, with reasons")),
        ("campaign", gettext_lazy("Campaigns: list, margin simulation, post-mortem")),
        ("stock", gettext_lazy("Stock moves, balances per location, channel stock sync")),
        ("replenish", gettext_lazy("Reorder suggestions")),
        ("competitors", gettext_lazy("Rival shops and their items: latest price, promotion price and changes; "
                                     "--refresh runs the change detection")),
    )),
    (gettext_lazy("Customer service"), (
        ("service", gettext_lazy("Customer service: `due` due times on the business calendar, `sla` SLA attainment; "
                                 "`chats` response times, 询单 and 询单转化率 per agent; `dsr` the DSR by the "
                                 "platform's rules; `returns` returns and exchanges (售后) by status and reason")),
    )),
)


def _take_data_dir(argv: list[str]) -> list[str]:
    out = []
    skip = False
    for index, arg in enumerate(argv):
        if skip:
            skip = False
            continue
        if arg == "--data-dir":
            if index + 1 >= len(argv):
                sys.stderr.write("--data-dir needs a directory\n")
                raise SystemExit(2)
            os.environ["SHOPOPS_DATA_DIR"] = argv[index + 1]
            skip = True
        elif arg.startswith("--data-dir="):
            os.environ["SHOPOPS_DATA_DIR"] = arg.split("=", 1)[1]
        else:
            out.append(arg)
    return out


def _refuse(message: str) -> NoReturn:
    sys.stderr.write(f"shopops: {message}\n")
    raise SystemExit(2)


def _inside(exc: OSError, folder: str) -> bool:
    """Whether the OSError is about ``folder`` or a file in it."""
    root = os.path.realpath(folder)
    for name in (exc.filename, exc.filename2):
        if isinstance(name, str | bytes | os.PathLike):
            path = os.path.realpath(os.fsdecode(name))
            if path == root or path.startswith(root.rstrip(os.sep) + os.sep):
                return True
    return False


def _is_product(app: str) -> bool:
    return app == "shopops" or app.startswith("shopops.")


def _first_line(app: str, name: str) -> str:
    text = str(getattr(load_command_class(app, name), "help", "") or "")
    return text.split(". ")[0].split("\n")[0].rstrip(".")


def product_help(commands: dict[str, str]) -> str:
    """The product's commands, grouped, one line each (in the active language)."""
    products = {name for name, app in commands.items() if _is_product(app)}
    lines = [_("ShopOps — the e-commerce operator's workbench"), "",
             _("Usage: shopops COMMAND [options]   ·   shopops help COMMAND shows a command's options"), ""]
    groups: list[tuple[str, list[tuple[str, str]]]] = [
        (str(title), [(name, str(text)) for name, text in rows if name in products]) for title, rows in GROUPS]
    more = sorted(products - {name for _title, rows in GROUPS for name, _text in rows})
    if more:
        groups.append((_("More"), [(name, _first_line(commands[name], name)) for name in more]))
    width = max(len(name) for name in products) + 2
    for title, rows in groups:
        if not rows:
            continue
        lines.append(title)
        lines.extend(f"  {name:<{width}}{text}" for name, text in rows)
        lines.append("")
    lines.append(_("Every command takes --data-dir DIR (default: $SHOPOPS_DATA_DIR, else ~/.local/share/shopops); "
                   "most take --json. Exit codes: 0 ok, 1 failure, 2 bad input."))
    lines.append(_("Django's own commands (migrate, createsuperuser, …): shopops django --help"))
    return "\n".join(lines) + "\n"


def django_help(commands: dict[str, str]) -> str:
    """Django's and the add-ons' commands, by app (``shopops django COMMAND`` runs one)."""
    by_app: dict[str, list[str]] = {}
    for name, app in commands.items():
        if not _is_product(app):
            by_app.setdefault("django" if app == "django.core" else app.rpartition(".")[2], []).append(name)
    lines = [_("Django's own commands, for administrators: shopops django COMMAND [options] "
               "(shopops django help COMMAND shows its options)"), ""]
    for app in sorted(by_app):
        lines.append(f"[{app}]")
        lines.extend(f"  {name}" for name in sorted(by_app[app]))
    return "\n".join(lines) + "\n"


def _run(args: list[str]) -> None:
    commands = get_commands()
    if not args or (len(args) == 1 and args[0] in HELP_FLAGS):
        sys.stdout.write(product_help(commands))
        return
    if args[0] == "django":
        args = args[1:]
        if not args or (len(args) == 1 and args[0] in HELP_FLAGS):
            sys.stdout.write(django_help(commands))
            return
    if args[0] in HELP_FLAGS[1:]:
        args = ["help", *args[1:]]
    if args[0] == "help" and len(args) > 1 and not args[1].startswith("-") and args[1] not in commands:
        _refuse(_("Unknown command “%(name)s” (shopops help lists them).") % {"name": args[1]})
    if not args[0].startswith("-") and args[0] != "help" and args[0] not in commands:
        _refuse(_("Unknown command “%(name)s” (shopops help lists them).") % {"name": args[0]})
    execute_from_command_line(["shopops", *args])


def main(argv: list[str] | None = None) -> None:
    args = _take_data_dir(list(sys.argv[1:] if argv is None else argv))
    try:
        folder = str(data_dir())
    except DataDirUnknown as exc:
        _refuse(str(exc))
    if os.path.exists(folder) and not os.path.isdir(folder):
        _refuse(f"the data directory {folder} is a file, not a directory")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopops.settings")
    try:
        django.setup()  # the settings create the data directory and its secret key
    except OSError as exc:
        if not _inside(exc, folder):
            raise
        _refuse(f"cannot use the data directory {folder}: {exc.strerror or exc}")
    _run(args)


if __name__ == "__main__":
    main()
