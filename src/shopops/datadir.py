"""Where an embedded install keeps its data (database, task store, lake, exports, secret key).

One documented place, never whatever folder a command happens to run in: a command run elsewhere must find
the same install, not start a second one there. In order:

1. ``SHOPOPS_DATA_DIR`` (``--data-dir DIR`` on any command sets it), when given;
2. ``./shopops-data`` when the current folder already holds an install made by an earlier version (its
   database file is there), so such installs keep working where they are; it is never created;
3. the user's data folder: ``$XDG_DATA_HOME/shopops``, by default ``~/.local/share/shopops``.

Read by the settings and by the ``shopops`` command before Django starts; no Django here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

LEGACY_FOLDER = "shopops-data"
DATABASE_FILE = "shopops.sqlite3"


class DataDirUnknown(Exception):
    """No data directory was given and the user's home folder cannot be found."""


def user_data_dir(environ: Mapping[str, str]) -> Path:
    """``$XDG_DATA_HOME/shopops`` or ``~/.local/share/shopops`` (the XDG base directory rule: a relative
    ``XDG_DATA_HOME`` is ignored)."""
    xdg = environ.get("XDG_DATA_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "shopops"
    home = environ.get("HOME") or ""
    if not home:
        try:
            home = str(Path.home())
        except RuntimeError as exc:
            raise DataDirUnknown("no home folder to keep the data in: set SHOPOPS_DATA_DIR") from exc
    return Path(home) / ".local" / "share" / "shopops"


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The data directory this process uses (absolute; see the module docstring for the order)."""
    environ = os.environ if environ is None else environ
    given = environ.get("SHOPOPS_DATA_DIR", "")
    if given:
        return Path(given).resolve()
    legacy = Path(LEGACY_FOLDER)
    if (legacy / DATABASE_FILE).is_file():
        return legacy.resolve()
    return user_data_dir(environ).resolve()
