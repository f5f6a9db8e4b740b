"""Serve plotly.js from the plotly wheel (no CDN, nothing to vendor) as static/vendor/plotly.min.js."""

from __future__ import annotations

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_DIR = Path(plotly.__file__).parent / "package_data"
FILES = {"vendor/plotly.min.js": PLOTLY_DIR / "plotly.min.js"}


class PlotlyFinder(BaseFinder):
    storage = FileSystemStorage(location=str(PLOTLY_DIR))

    def check(self, **kwargs):
        return []

    def find(self, path: str, find_all: bool = False, **kwargs):
        found = FILES.get(path)
        if found is None or not found.exists():
            return [] if find_all else None
        return [str(found)] if find_all else str(found)

    def list(self, ignore_patterns):
        for path, file in FILES.items():
            if file.exists():
                yield file.name, _PrefixedStorage(file.parent, path)


class _PrefixedStorage(FileSystemStorage):
    def __init__(self, location: Path, prefixed: str) -> None:
        super().__init__(location=str(location))
        self.prefix = str(Path(prefixed).parent)
