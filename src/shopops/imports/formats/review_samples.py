"""Sample files of the ``reviews`` format: a realistic one written from a shop's orders (``shopops export-sample
reviews``) and a hostile one whose outcome is documented (docs/formats.md#reviews). Pure code apart from the
file it writes.

The realistic file keeps Taobao's habits: GBK, the 评价管理 headers (宝贝与描述相符, 卖家服务态度, 物流服务质量,
买家昵称), a review a few days after payment, mostly five stars, some low scores with a complaint, and the
system's default review (评价方未及时做出评价,系统默认好评!) with no scores. The same orders give the same file.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from shopops.core.domain import neutralize_formula

REALISTIC_HEADER = ("订单编号", "买家昵称", "评价时间", "宝贝与描述相符", "卖家服务态度", "物流服务质量", "评价内容")
DEFAULT_TEXT = "评价方未及时做出评价,系统默认好评!"
_PRAISE = ("质量很好，和描述一致", "物流很快，包装完好", "客服态度好，回复及时", "第二次购买了，一如既往的好")
_COMPLAINTS = ("颜色和图片差别很大", "快递太慢了，等了一个星期", "客服不理人", "做工粗糙，有线头")


@dataclass(frozen=True, slots=True)
class SampleReviewOrder:
    order_no: str
    buyer: str
    paid_at: dt.datetime  # aware


def _scores(rng: random.Random) -> tuple[int, int, int] | None:
    roll = rng.random()
    if roll < 0.08:
        return None  # the buyer did not rate: the system's default review
    if roll < 0.14:
        return rng.choice((1, 2)), rng.choice((2, 3, 4)), rng.choice((1, 2, 3))
    return tuple(rng.choices((5, 4, 3), weights=(85, 12, 3))[0] for _ in range(3))  # type: ignore[return-value]


def review_rows(orders: Sequence[SampleReviewOrder], tz: dt.tzinfo, latest: dt.datetime,
                seed: int = 20) -> list[list[str]]:
    """One review row per order, in the realistic file's columns (times in the shop's zone ``tz``, never after
    ``latest``: a review time ahead of the clock is refused)."""
    rng = random.Random(seed)
    rows = []
    for order in orders:
        scores = _scores(rng)
        at = min(order.paid_at + dt.timedelta(days=rng.randint(3, 14), minutes=rng.randint(0, 900)),
                 max(latest, order.paid_at)).astimezone(tz)
        if scores is None:
            cells, text = ["", "", ""], DEFAULT_TEXT
        else:
            cells = [str(s) for s in scores]
            text = rng.choice(_COMPLAINTS if min(scores) <= 2 else _PRAISE)
        rows.append([order.order_no, neutralize_formula(order.buyer), at.strftime("%Y-%m-%d %H:%M:%S"), *cells,
                     text])
    return rows


def write_reviews_sample(path: str | Path, orders: Sequence[SampleReviewOrder], tz: dt.tzinfo,
                         latest: dt.datetime) -> dict[str, object]:
    """The realistic file (GBK CSV, Taobao's headers) for ``orders``."""
    rows = review_rows(orders, tz, latest)
    with open(path, "w", encoding="gbk", errors="replace", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REALISTIC_HEADER)
        writer.writerows(rows)
    return {"format": "reviews", "file": str(path), "rows": len(rows)}


# The hostile file: each row breaks one rule, and the whole file is rejected with exactly these problems
# (row, column); nothing is written. Row 2 is a good review, row 9 a formula that is only text.
HOSTILE_HEADER = ("订单编号", "买家", "评价时间", "描述相符", "服务态度", "物流服务", "评价内容")
HOSTILE_ROWS: tuple[tuple[str, ...], ...] = (
    ("3001", "tb_ok", "2024-03-02 10:00:00", "5", "5", "5", "好"),
    ("3002", "tb_six", "2024-03-02 10:00:00", "6", "5", "5", "六星？"),
    ("3003", "tb_zero", "2024-03-02 10:00:00", "5", "0", "5", ""),
    ("3004", "tb_words", "2024-03-02 10:00:00", "5", "5", "五星", ""),
    ("3005", "", "2024-03-02 10:00:00", "5", "5", "5", "no buyer"),
    ("3006", "tb_when", "明天", "5", "5", "5", ""),
    ("3001", "tb_again", "2024-03-03 10:00:00", "4", "4", "4", "the same order twice"),
    ("3007", "tb_formula", "2024-03-02 10:00:00", "5", "5", "5", "=HYPERLINK(\"http://x\")"),
)
HOSTILE_PROBLEMS: tuple[tuple[int, str], ...] = (
    (3, "描述相符"), (4, "服务态度"), (5, "物流服务"), (6, "买家"), (7, "评价时间"), (8, "订单编号"))


def write_hostile_reviews(path: str | Path) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HOSTILE_HEADER)
        writer.writerows(HOSTILE_ROWS)
    return Path(path)
