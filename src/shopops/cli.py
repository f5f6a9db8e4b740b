"""The ``shopops`` command: Django management commands with the settings preset.

``--data-dir DIR`` (any command) sets ``SHOPOPS_DATA_DIR`` before Django starts, because the settings
read it at import. Exit codes: 0 ok, 1 failure, 2 bad input.
"""

from __future__ import annotations

import os
import sys


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


def _refuse(message: str) -> None:
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


def main(argv: list[str] | None = None) -> None:
    args = _take_data_dir(list(sys.argv[1:] if argv is None else argv))
    data_dir = os.environ.get("SHOPOPS_DATA_DIR")
    if data_dir and os.path.exists(data_dir) and not os.path.isdir(data_dir):
        _refuse(f"the data directory {data_dir} is a file, not a directory")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopops.settings")
    import django
    from django.core.management import execute_from_command_line, get_commands

    try:
        django.setup()  # the settings create the data directory and its secret key
    except OSError as exc:
        folder = data_dir or "shopops-data"
        if not _inside(exc, folder):
            raise
        _refuse(f"cannot use the data directory {folder}: {exc.strerror or exc}")
    if args and not args[0].startswith("-") and args[0] != "help" and args[0] not in get_commands():
        _refuse(f"unknown command {args[0]!r} (shopops help lists them)")
    execute_from_command_line(["shopops", *args])


if __name__ == "__main__":
    main()
