"""Title length by each platform's counting basis (docs/rules/listings.md#length)."""

import pytest

from shopops.listings.title_length import Unit, cut_to, measure


@pytest.mark.parametrize(("text", "unit", "expected"), [
    ("2024新款iPhone15手机壳", Unit.GBK_BYTES, 22),
    ("汉" * 31, Unit.GBK_BYTES, 62),
    ("küche messer set", Unit.UTF8_BYTES, 17),
    ("küche messer set", Unit.CHARACTERS, 16),
    ("，", Unit.GBK_BYTES, 2),
])
def test_vectors(text, unit, expected):
    assert measure(text, unit) == expected


def test_thirty_one_hanzi_do_not_fit_sixty_bytes_and_the_tail_is_the_last_one():
    end, used = cut_to("汉" * 31, 60, Unit.GBK_BYTES)
    assert (end, used) == (30, 60)


def test_a_mixed_title_is_cut_before_the_character_that_would_overflow():
    assert cut_to("ab汉", 3, Unit.GBK_BYTES) == (2, 2)
