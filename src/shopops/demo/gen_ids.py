"""Platform-shaped identifiers: order numbers (订单号), refund numbers (售后单号) and buyer ids per channel.

Shapes mimic the real exports an operator meets: Tmall/Taobao 19-digit numeric order ids, JD 12-digit ids
that grow over time, Douyin 19-digit ids starting with 6, PDD ``YYMMDD-`` + 15 digits, Xiaohongshu ``P`` + 18
digits; buyer ids like Taobao's opaque OUID, JD's ``jd_`` pin, WeChat's 28-character openid starting with
``o`` and WeCom's ``wm…`` external user id. Uniqueness is checked, not hoped for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import numpy as np

_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_URLSAFE = _ALNUM + "-_"
_HEX = "0123456789abcdef"
_LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"


def random_strings(rng: np.random.Generator, alphabet: str, length: int, count: int) -> list[str]:
    """``count`` random strings of ``length`` characters from an ASCII ``alphabet`` (vectorised)."""
    if count == 0:
        return []
    table = np.frombuffer(alphabet.encode("ascii"), dtype=np.uint8)
    chars = table[rng.integers(0, len(table), size=(count, length))]
    return chars.view(f"S{length}").ravel().astype(str).tolist()


def _numbers(rng: np.random.Generator, lo: int, hi: int, count: int) -> list[str]:
    return [str(v) for v in rng.integers(lo, hi, size=count, dtype=np.int64).tolist()]


def _unique(make: Callable[[list[int]], list[str]], count: int, taken: set[str]) -> list[str]:
    """Ids for positions 0..count-1 drawn with ``make(positions)``; any that collide with each other or
    with ``taken`` are redrawn (for their own positions) until all are unique. ``taken`` gains the result."""
    out = make(list(range(count)))
    while True:
        seen: set[str] = set()
        clash = []
        for i, value in enumerate(out):
            if value in taken or value in seen:
                clash.append(i)
            else:
                seen.add(value)
        if not clash:
            taken.update(out)
            return out
        for i, value in zip(clash, make(clash), strict=True):
            out[i] = value


def order_numbers(rng: np.random.Generator, channel: str, placed_dates: Sequence[dt.date]) -> list[str]:
    """Order numbers for one channel's orders given in time order (their local placing dates)."""
    count = len(placed_dates)
    taken: set[str] = set()
    if channel in ("tmall", "taobao"):
        return _unique(lambda at: _numbers(rng, 10**18, 45 * 10**17, len(at)), count, taken)
    if channel == "douyin":
        return _unique(lambda at: _numbers(rng, 69 * 10**17, 70 * 10**17, len(at)), count, taken)
    if channel == "jd":  # JD ids increase with time: the platform's own sequence between our orders
        first = int(rng.integers(280_000_000_000, 320_000_000_000))
        steps = rng.integers(1_000, 400_000, size=count, dtype=np.int64)
        return [str(v) for v in (first + np.cumsum(steps)).tolist()]
    if channel == "xiaohongshu":
        return _unique(lambda at: ["P" + s for s in _numbers(rng, 7 * 10**17, 8 * 10**17, len(at))], count,
                       taken)
    if channel == "shopify":
        return [f"#{1001 + i}" for i in range(count)]
    stamps = [d.strftime("%y%m%d") for d in placed_dates]
    if channel == "pdd":
        tails = _unique(lambda at: _numbers(rng, 10**14, 10**15, len(at)), count, taken)
        return [f"{s}-{t}" for s, t in zip(stamps, tails, strict=True)]
    prefix = "WX" if channel == "wecom" else "MP"
    tails = _unique(lambda at: _numbers(rng, 10**9, 10**10, len(at)), count, taken)
    return [f"{prefix}20{s}{t}" for s, t in zip(stamps, tails, strict=True)]


def buyer_ids(rng: np.random.Generator, channel: str, count: int) -> list[str]:
    """Channel-side buyer ids (unique within the channel)."""
    taken: set[str] = set()
    makers: dict[str, Callable[[list[int]], list[str]]] = {
        "tmall": lambda at: ["AA" + s for s in random_strings(rng, _URLSAFE, 22, len(at))],
        "taobao": lambda at: ["AA" + s for s in random_strings(rng, _URLSAFE, 22, len(at))],
        "jd": lambda at: ["jd_" + s for s in random_strings(rng, _LOWER_ALNUM, 13, len(at))],
        "douyin": lambda at: _numbers(rng, 10**15, 10**16, len(at)),
        "pdd": lambda at: ["pdd" + s for s in _numbers(rng, 10**10, 10**11, len(at))],
        "xiaohongshu": lambda at: random_strings(rng, _HEX, 24, len(at)),
        "own-site": lambda at: ["o" + s for s in random_strings(rng, _URLSAFE, 27, len(at))],
        "wecom": lambda at: ["wm" + s for s in random_strings(rng, _ALNUM, 30, len(at))],
        "shopify": lambda at: _numbers(rng, 10**12, 10**13, len(at)),
    }
    return _unique(makers[channel], count, taken)


def refund_numbers(
    rng: np.random.Generator, channel: str, dates: Sequence[dt.date], taken: set[str]
) -> list[str]:
    """售后单号 for one channel's refunds, unique across ``taken`` (all channels share one namespace)."""
    count = len(dates)
    if channel in ("tmall", "taobao"):
        return _unique(lambda at: _numbers(rng, 2 * 10**17, 3 * 10**17, len(at)), count, taken)
    if channel == "douyin":
        return _unique(lambda at: _numbers(rng, 7 * 10**18, 72 * 10**17, len(at)), count, taken)
    if channel == "jd":
        return _unique(lambda at: _numbers(rng, 10**9, 2 * 10**9, len(at)), count, taken)
    if channel == "xiaohongshu":
        return _unique(lambda at: ["R" + s for s in _numbers(rng, 10**17, 10**18, len(at))], count, taken)
    stamps = [d.strftime("%Y%m%d") for d in dates]
    prefix = {"pdd": "PDDAS", "wecom": "RW", "own-site": "RM"}.get(channel, "RF")

    def make(at: list[int]) -> list[str]:
        tails = _numbers(rng, 10**7, 10**8, len(at))
        return [f"{prefix}{stamps[i]}{t}" for i, t in zip(at, tails, strict=True)]

    return _unique(make, count, taken)
