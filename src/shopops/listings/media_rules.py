"""The rules on a listing's pictures and video: how many main images, a white-background image, a video, detail
sections, and each image's size, ratio and weight per platform (docs/rules/listings.md#media-rules). An image
file under the root is measured with Pillow; otherwise the recorded width/height/bytes are checked. Pure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from shopops.core.text import gettext_noop
from shopops.listings.images import ImageFacts, inside, inspect
from shopops.listings.media import MediaItem
from shopops.listings.problems import Problem, Severity
from shopops.listings.rulesets import RuleSet

RATIO_TOLERANCE = 0.02  # a "square" image may be 2 % off 1:1 (800×816)

Inspector = Callable[[MediaItem], ImageFacts | None]


def file_inspector(root: Path | None) -> Inspector:
    """Reads the item's file under ``root`` (once per path); no root: no file is read."""
    cache: dict[str, ImageFacts | None] = {}

    def read(item: MediaItem) -> ImageFacts | None:
        if root is None or not item.path:
            return None
        if item.path not in cache:
            file = inside(root, item.path)
            cache[item.path] = inspect(file) if file is not None else None
        return cache[item.path]

    return read


def completeness(items: Sequence[MediaItem], rules: RuleSet) -> list[Problem]:
    """What is missing: main images (and too many), the 白底图, the video, detail sections. No media at all means
    none were imported (a catalog export carries no pictures): one note, not an error per missing picture."""
    if not items:
        return [Problem("media_unknown", Severity.INFO, gettext_noop(
            "No pictures are recorded for this listing: import or add them to have them checked."))]
    count = dict.fromkeys(("main", "white", "video", "detail"), 0)
    for item in items:
        count[item.kind] += 1
    out: list[Problem] = []
    spec = rules.images
    if count["main"] < spec.min_main:
        out.append(Problem("main_images", Severity.ERROR, gettext_noop(
            "%(count)s main images; at least %(min)s needed.", count=count["main"], min=spec.min_main)))
    elif spec.max_main is not None and count["main"] > spec.max_main.value:
        out.append(Problem("main_images", Severity.WARNING, gettext_noop(
            "%(count)s main images; the platform shows %(max)s.", count=count["main"], max=spec.max_main.value)))
    if rules.wants_white and not count["white"]:
        out.append(Problem("white_image", Severity.WARNING, gettext_noop(
            "No white-background image (白底图): search and recommendation feeds use it.")))
    if rules.wants_video and not count["video"]:
        out.append(Problem("video", Severity.INFO, gettext_noop("No main video.")))
    if count["detail"] < rules.min_detail:
        out.append(Problem("detail_sections", Severity.WARNING, gettext_noop(
            "%(count)s detail-page sections; at least %(min)s expected.", count=count["detail"],
            min=rules.min_detail)))
    return out


def image_checks(items: Sequence[MediaItem], rules: RuleSet, read: Inspector) -> list[Problem]:
    """Each main and white image: smallest side, 1:1 where asked, file size; a white image's border."""
    spec = rules.images
    out: list[Problem] = []
    for number, item in enumerate((i for i in items if i.kind in ("main", "white")), start=1):
        facts = read(item)
        width = facts.width if facts else item.width
        height = facts.height if facts else item.height
        size = facts.bytes if facts else item.bytes
        name = item.path or item.url or f"#{number}"
        if width and height:
            if spec.min_side is not None and min(width, height) < spec.min_side.value:
                out.append(Problem("image_size", Severity.ERROR if spec.min_side.verified else Severity.WARNING,
                                   gettext_noop("Image %(name)s is %(width)s×%(height)s; at least %(min)s px "
                                                "a side.", name=name, width=width, height=height,
                                                min=spec.min_side.value), name))
            if spec.square and abs(width / height - 1) > RATIO_TOLERANCE:
                out.append(Problem("image_ratio", Severity.WARNING, gettext_noop(
                    "Image %(name)s is %(width)s×%(height)s; the platform asks for 1:1.", name=name,
                    width=width, height=height), name))
        if size and spec.max_bytes is not None and size > spec.max_bytes.value:
            out.append(Problem("image_bytes", Severity.ERROR if spec.max_bytes.verified else Severity.WARNING,
                               gettext_noop("Image %(name)s is %(kb)s KB; at most %(max)s KB.", name=name,
                                            kb=size // 1024, max=spec.max_bytes.value // 1024), name))
        if item.kind == "white" and facts is not None and not facts.white_border:
            out.append(Problem("white_background", Severity.WARNING, gettext_noop(
                "Image %(name)s is marked white-background but its border is not white.", name=name), name))
    return out
