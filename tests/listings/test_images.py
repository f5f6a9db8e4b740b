"""Image files checked with Pillow (docs/rules/listings.md#images): real size, weight and the white border of a
白底图; a path outside the root is never opened."""

from __future__ import annotations

from PIL import Image, ImageDraw

from shopops.listings import media_rules
from shopops.listings.engine import ListingFacts, RuleEngine
from shopops.listings.images import inside, inspect
from shopops.listings.media import media_items
from shopops.listings.rulesets import rule_set


def _picture(path, size, background, square_colour="red"):
    image = Image.new("RGB", size, background)
    ImageDraw.Draw(image).rectangle((size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4),
                                    fill=square_colour)
    image.save(path)
    return path


def test_a_white_background_is_told_from_a_coloured_one(tmp_path):
    white = inspect(_picture(tmp_path / "w.png", (300, 300), "white"))
    grey = inspect(_picture(tmp_path / "g.png", (300, 300), (200, 200, 200)))
    assert white is not None and white.white_border and (white.width, white.height) == (300, 300)
    assert grey is not None and not grey.white_border
    (tmp_path / "junk.png").write_bytes(b"not an image")
    assert inspect(tmp_path / "junk.png") is None


def test_the_file_wins_over_the_recorded_size(tmp_path):
    _picture(tmp_path / "main.png", (500, 500), "white")
    _picture(tmp_path / "white.png", (800, 800), (30, 30, 30))
    items = media_items([{"kind": "main", "path": "main.png", "width": 800, "height": 800},
                         {"kind": "white", "path": "white.png"}])
    problems = media_rules.image_checks(items, rule_set("douyin"), media_rules.file_inspector(tmp_path))
    assert [(p.rule, p.span) for p in problems] == [("image_size", "main.png"), ("white_background", "white.png")]


def test_a_path_outside_the_root_is_not_opened(tmp_path):
    root = tmp_path / "data"
    root.mkdir()
    _picture(tmp_path / "secret.png", (100, 100), "white")
    assert inside(root, "../secret.png") is None and inside(root, str(tmp_path / "secret.png")) is None
    engine = RuleEngine(image_root=root)
    verdict = engine.audit(ListingFacts(1, "douyin", "保温杯", media=[
        {"kind": "main", "path": "../secret.png", "width": 800, "height": 800}]))
    assert "image_size" not in [p.rule for p in verdict.problems]  # the recorded 800×800 is what counts
