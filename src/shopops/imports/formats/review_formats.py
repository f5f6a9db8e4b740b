"""The reviews export (评价): one row per reviewed order with its three DSR scores (描述相符, 服务态度, 物流服务),
the buyer, the time and the text (``target="reviews"``, run by ``imports/reviews_import.py``;
docs/formats.md#reviews). The aliases are the headers the platforms' review exports and the ERPs use."""

from __future__ import annotations

from shopops.core.text import gettext_noop
from shopops.imports.columns import Column
from shopops.imports.formats.base import Format

ORDER_COLUMN, BUYER_COLUMN, TIME_COLUMN, TEXT_COLUMN = "订单编号", "买家", "评价时间", "评价内容"
SCORE_COLUMNS = {"description": "描述相符", "service": "服务态度", "logistics": "物流服务"}


def _score(name: str, aliases: tuple[str, ...]) -> Column:
    return Column(name, aliases=aliases, kind="int", minimum=1, maximum=5)


REVIEWS = Format(
    name="reviews", title=gettext_noop("Taobao/Tmall reviews and DSR ratings"), channel="tmall", target="reviews",
    columns=(
        Column(ORDER_COLUMN, aliases=("订单号", "订单ID", "主订单编号", "order_no", "order_id"), required=True,
               kind="id", nullable=False, unique=True),
        Column(BUYER_COLUMN, aliases=("买家昵称", "买家会员名", "用户昵称", "评价人", "buyer"), required=True,
               nullable=False),
        Column(TIME_COLUMN, aliases=("评论时间", "评价日期", "reviewed_at"), required=True, kind="datetime",
               nullable=False),
        _score(SCORE_COLUMNS["description"], ("宝贝与描述相符", "描述相符评分", "商品评分", "商品描述", "description")),
        _score(SCORE_COLUMNS["service"], ("卖家服务态度", "服务态度评分", "服务评分", "service")),
        _score(SCORE_COLUMNS["logistics"], ("物流服务质量", "物流服务评分", "物流评分", "logistics")),
        Column(TEXT_COLUMN, aliases=("评论内容", "评价", "初评内容", "text", "content")),
    ),
    quirks=("CSV (UTF-8 or GBK) or xlsx; one row per reviewed order",
            "描述相符 / 服务态度 / 物流服务: whole numbers 1–5, empty when the buyer gave no score",
            "a review whose text is the platform's default one (系统默认好评) is a default review: it does not count",
            "the same order again updates its review; the same file again changes nothing",
            "all or nothing: a bad row rejects the whole file (--skip-invalid does not apply)"),
    doc="reviews",
)
