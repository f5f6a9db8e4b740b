"""Base for ShopOps commands: ``--data-dir`` in the help, ``--json`` output, exit 2 on bad input.

Long commands say what they are doing on stderr (``Progress``: ``[alerts] 1/2 检查指标…``), in the command's
``--language``; ``-v 0`` silences them, and stdout keeps the command's output alone.

Bad input is a one-line message (the message alone, in the user's language) and exit 2, never a traceback: a ``ShopOpsError`` from a service, a file
named on the command line that cannot be opened (missing, a directory, no permission, in a missing folder:
the OSError names that file), or a JSON argument file that cannot be read or parsed (``read_json_argument``:
bad JSON, not UTF-8, nested too deep, too large). Any other exception is a bug or a failure of the machine
and keeps its traceback (exit 1).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any, Literal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _

from shopops.core.errors import ShopOpsError
from shopops.core.selectors import shop_by_code

MAX_JSON_ARGUMENT_BYTES = 20 * 1024 * 1024  # a cart of 500 lines and 200 promotions is well below 1 MB


def _os_reason(exc: OSError) -> str:
    """The reason of a file error in the user's language (the OS says it in English)."""
    reasons: dict[int | None, str] = {  # exc.errno is None for errors raised without one
        errno.ENOENT: _("no such file or folder"),
        errno.EISDIR: _("it is a folder, not a file"),
        errno.ENOTDIR: _("a part of the path is not a folder"),
        errno.EACCES: _("permission denied"),
        errno.EPERM: _("permission denied"),
        errno.ENOSPC: _("the disk is full"),
        errno.EROFS: _("the file system is read-only"),
        errno.ENAMETOOLONG: _("the name is too long"),
    }
    return reasons.get(exc.errno, exc.strerror or str(exc))


def file_error(path: object, exc: OSError) -> CommandError:
    """``path`` cannot be used: one line, exit 2."""
    return CommandError(_("Cannot use the file %(path)s: %(reason)s.") % {"path": path, "reason": _os_reason(exc)},
                        returncode=2)


def input_file(path: str) -> str:
    """``path`` when it names a file this process can read, else a one-line CommandError (exit 2): checked
    before anything (an import job, a write) is recorded for it."""
    try:
        with open(path, "rb"):
            pass
    except FileNotFoundError:
        raise CommandError(_("File not found: %(path)s") % {"path": path}, returncode=2) from None
    except OSError as exc:
        raise file_error(path, exc) from exc
    return path


def output_file(path: str) -> str:
    """``path`` when this process can write a file there, else a one-line CommandError (exit 2): checked before
    the long work whose result it will hold, so a refusal comes first and alone."""
    existed = os.path.lexists(path)
    try:
        with open(path, "ab"):
            pass
    except OSError as exc:
        raise file_error(path, exc) from exc
    if not existed:
        with contextlib.suppress(OSError):
            os.remove(path)  # nothing is written yet: the check leaves no empty file behind
    return path


def read_json_argument(source: str, *, what: str, max_bytes: int = MAX_JSON_ARGUMENT_BYTES) -> Any:
    """The JSON document in the file ``source`` (``-``: standard input), or a one-line CommandError (exit 2)
    saying why it cannot be read: every way a user's file can be wrong is bad input, not a crash."""
    name = _("standard input") if source == "-" else source

    def refuse(reason: str) -> CommandError:
        return CommandError(_("Cannot read %(what)s from %(name)s: %(reason)s.")
                            % {"what": what, "name": name, "reason": reason}, returncode=2)

    try:
        if source == "-":
            raw = sys.stdin.buffer.read(max_bytes + 1)
        else:
            with open(source, "rb") as handle:
                raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise refuse(_os_reason(exc)) from exc
    if len(raw) > max_bytes:
        raise refuse(_("larger than %(mb)s MB") % {"mb": max_bytes // (1024 * 1024)})
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise refuse(_("not UTF-8 text (save the file as UTF-8)")) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise refuse(_("not valid JSON (%(problem)s at line %(line)s, column %(column)s)")
                     % {"problem": exc.msg, "line": exc.lineno, "column": exc.colno}) from exc
    except RecursionError as exc:
        raise refuse(_("nested too deeply")) from exc
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise refuse(_("not valid JSON (%(problem)s)") % {"problem": exc}) from exc


def _argument_values(args: Iterable[Any], options: dict[str, Any]) -> list[str]:
    values: list[str] = []
    for value in [*args, *options.values()]:
        items = value if isinstance(value, list | tuple) else [value]
        values.extend(item for item in items if isinstance(item, str) and item and item != "-")
    return values


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.realpath(a) == os.path.realpath(b)
    except (OSError, ValueError):
        return False


def _argument_named_by(exc: OSError, arguments: list[str]) -> str | None:
    """The command-line argument the OSError is about (the file the user gave), if it is about one."""
    for filename in (exc.filename, exc.filename2):
        if filename is None or isinstance(filename, int):
            continue
        try:
            name = os.fsdecode(filename)
        except (TypeError, ValueError):
            continue
        for argument in arguments:
            if _same_file(name, argument):
                return argument
    return None


class Progress:
    """Numbered steps of a long command, one line each (``[alerts] 1/2 检查指标…``), then the time it took.

    Written whether stderr is a terminal or a log file, like ``shopops demo``'s lines, so a slow run in a
    cron log says where it was; ``write`` None (``-v 0``) says nothing."""

    def __init__(self, write: Callable[[str], None] | None, *, name: str, total: int) -> None:
        self._write = write
        self._name = name
        self._total = total
        self._step = 0
        self._started = time.perf_counter()

    def step(self, message: str) -> None:
        """The next step starts: ``message`` says what it does (in the user's language, ending with …)."""
        self._step += 1
        self._say(f"{self._step}/{self._total} {message}" if self._total > 1 else message)

    def done(self) -> None:
        self._say(_("done in %(seconds)s s") % {"seconds": f"{time.perf_counter() - self._started:.1f}"})

    def _say(self, text: str) -> None:
        if self._write is not None:
            self._write(f"[{self._name}] {text}")


class ShopOpsCommand(BaseCommand):
    json_option = False
    # Django's system checks import the whole URLconf (the API, Ibis, pandas: ~2 s) before every command and
    # guard nothing a CLI command needs; `shopops check` runs them all, and `serve`/`worker` keep them.
    requires_system_checks: list[str] | Literal["__all__"] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data-dir", help="data directory (default: $SHOPOPS_DATA_DIR, else "
                                               "~/.local/share/shopops)")
        if self.json_option:
            parser.add_argument("--json", action="store_true", help="print machine-readable JSON")

    def ensure_installed(self) -> None:
        """Commands that work on an existing install say so clearly when there is none (exit 2)."""
        if "core_shop" not in connection.introspection.table_names():
            raise CommandError(_("No ShopOps install in %(folder)s: run `shopops init` or `shopops demo` first "
                                 "(or give --data-dir).") % {"folder": settings.DATA_DIR}, returncode=2)

    @staticmethod
    def add_language_argument(parser: CommandParser, help: str = "language of messages") -> None:
        """``--language zh-hans|en``: the language of the command's messages, refusals and progress (the base
        runs the command under it)."""
        parser.add_argument("--language", choices=["zh-hans", "en"], default="zh-hans", help=help)

    def progress(self, total: int) -> Progress:
        """A ``Progress`` of ``total`` steps on stderr, silent with ``-v 0``."""
        quiet = getattr(self, "verbosity", 1) == 0
        return Progress(None if quiet else self._progress_line, name=self._command_name(), total=total)

    def _progress_line(self, text: str) -> None:
        self.stderr.write(text, style_func=str)  # not in the error colour Django gives stderr on a terminal
        self.stderr.flush()

    def _command_name(self) -> str:
        return type(self).__module__.rpartition(".")[2]

    @staticmethod
    def add_shop_argument(parser: CommandParser) -> None:
        parser.add_argument("--shop", help="shop code (default: the first shop)")

    @staticmethod
    def add_period_arguments(parser: CommandParser) -> None:
        """``--from D --to D`` (inclusive business dates) as ``date_from``/``date_to``; checked by the selectors."""
        parser.add_argument("--from", dest="date_from", required=True, help="first business date (YYYY-MM-DD)")
        parser.add_argument("--to", dest="date_to", required=True, help="last business date (YYYY-MM-DD)")

    def resolve_shop(self, code: str | None) -> Any:
        """The shop a command works on; a clear exit 2 when it does not exist."""
        shop = shop_by_code(code=code)
        if shop is None:
            raise CommandError(_("No shop %(code)s (shopops shop list shows them).") % {"code": code} if code
                               else _("No shop yet: run `shopops init` or `shopops demo`."), returncode=2)
        return shop

    def emit_json(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, default=str, indent=2))

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return self._execute(*args, **options)
        except CommandError as exc:
            # From the command line a refusal is its message alone (Django would print "CommandError: …");
            # call_command and --traceback keep the exception.
            if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                raise
            self.stderr.write(str(exc))
            sys.exit(exc.returncode)

    def _execute(self, *args: Any, **options: Any) -> Any:
        self.verbosity = options.get("verbosity", 1)
        language = options.get("language")
        with translation.override(language) if language else contextlib.nullcontext():
            try:
                return super().execute(*args, **options)
            except ShopOpsError as exc:
                lines = [exc.detail, *[f"  {e.field}: {e.message}" for e in exc.errors]]
                raise CommandError("\n".join(lines), returncode=exc.exit_code) from exc
            except OSError as exc:
                # A file the user named cannot be opened or written: bad input. Other OSErrors (the data
                # directory, the network) are failures and keep their traceback.
                argument = _argument_named_by(exc, _argument_values(args, options))
                if argument is None:
                    raise
                raise file_error(argument, exc) from exc


Action = Callable[[ShopOpsCommand, dict[str, Any]], None]


class ActionCommand(ShopOpsCommand):
    """``shopops NAME ACTION``: one command, its actions' code in functions of their own (``actions``: name →
    ``run(command, options)``; ``arguments``: functions adding each action's flags), ``--shop``, ``--language``
    and ``--json`` shared (``shopops service``, ``shopops listings``)."""

    json_option = True
    actions: dict[str, Action] = {}
    arguments: tuple[Callable[[CommandParser], None], ...] = ()

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("action", choices=list(self.actions))
        self.add_shop_argument(parser)
        self.add_language_argument(parser)
        for add in self.arguments:
            add(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.ensure_installed()
        self.actions[options["action"]](self, options)
