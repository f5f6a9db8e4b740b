"""The media of a listing as the audit reads them from ``catalog.Listing.media`` (docs/rules/listings.md#media).

A list of items ``{"kind", "url", "path", "width", "height", "bytes", "seconds"}``; a legacy dict of kind → list
is read the same way; anything else is ignored rather than failing an audit. Pure: no Django.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from shopops.core.text import Text, gettext_noop

KINDS = ("main", "white", "video", "detail")
KIND_LABELS: dict[str, Text] = {
    "main": gettext_noop("Main image"),  # 主图
    "white": gettext_noop("White-background image"),  # 白底图
    "video": gettext_noop("Main video"),  # 主图视频
    "detail": gettext_noop("Detail-page image"),  # 详情图
}
IMAGE_KINDS = ("main", "white", "detail")  # the kinds a picture file can be added as


class MediaItem(NamedTuple):
    """One picture or video; sizes None when not recorded."""

    kind: str
    url: str = ""
    path: str = ""
    width: int | None = None
    height: int | None = None
    bytes: int | None = None


def _number(value: Any) -> int | None:
    if type(value) is int:  # the usual case, without the exception machinery
        return value if value >= 0 else None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def _item(raw: Any, kind: str | None = None) -> MediaItem | None:
    if isinstance(raw, str):
        return MediaItem(kind or "main", url=raw) if raw.strip() else None
    if not isinstance(raw, dict):
        return None
    found = kind or raw.get("kind") or "main"
    if found not in KINDS:
        return None
    get = raw.get
    return MediaItem(found, str(get("url") or ""), str(get("path") or ""), _number(get("width")),
                     _number(get("height")), _number(get("bytes")))


def media_items(media: Any) -> list[MediaItem]:
    """The items of a listing's ``media`` JSON, in order, with unknown kinds and malformed entries dropped."""
    if isinstance(media, dict):
        pairs = [(kind, raw) for kind in KINDS for raw in (media.get(kind) or [])
                 if isinstance(media.get(kind), list)]
        items = [_item(raw, kind) for kind, raw in pairs]
    elif isinstance(media, list):
        items = [_item(raw) for raw in media]
    else:
        items = []
    return [item for item in items if item is not None]
