"""What an image file is: its size in pixels and bytes and whether its border is white (白底图), read with Pillow
(docs/rules/listings.md#images). Only files under the given root are opened (a listing's media JSON names the
path; it must not reach outside the shop's data). Pure: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

WHITE_LEVEL = 245  # a channel at or above this is white (JPEG noise keeps pure white from being 255)
WHITE_SHARE = 0.97  # the share of border pixels that must be white
BORDER = 0.03  # the border: this share of the width/height on each side (at least one pixel)
SAMPLE_SIDE = 256  # the image is shrunk to at most this before sampling (speed, same answer)


@dataclass(frozen=True, slots=True)
class ImageFacts:
    width: int
    height: int
    bytes: int
    white_border: bool


def inside(root: Path, path: str) -> Path | None:
    """``path`` (relative to ``root`` or absolute) when it is a file under ``root``; None otherwise."""
    if not path:
        return None
    base = root.resolve()
    candidate = (base / path).resolve()
    if not candidate.is_relative_to(base) or not candidate.is_file():
        return None
    return candidate


def white_border(image: Image.Image) -> bool:
    """Whether the image's border is (nearly) all white: the test of a 白底图."""
    rgb = image.convert("RGB")
    rgb.thumbnail((SAMPLE_SIDE, SAMPLE_SIDE))
    width, height = rgb.size
    bx, by = max(1, int(width * BORDER)), max(1, int(height * BORDER))
    data = rgb.tobytes()  # R, G, B per pixel, row by row
    coords = [(x, y) for y in range(height) for x in range(width)
              if x < bx or x >= width - bx or y < by or y >= height - by]
    white = sum(1 for x, y in coords if min(data[3 * (y * width + x):3 * (y * width + x) + 3]) >= WHITE_LEVEL)
    return bool(coords) and white / len(coords) >= WHITE_SHARE


def inspect(file: Path) -> ImageFacts | None:
    """The facts of an image file; None when it is not an image Pillow can read."""
    try:
        with Image.open(file) as image:
            image.load()
            return ImageFacts(image.width, image.height, file.stat().st_size, white_border(image))
    except (OSError, UnidentifiedImageError, ValueError):
        return None
