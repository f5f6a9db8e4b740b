"""A new shop built only from imports (a Taobao item export, then a UserBehavior log of that item) for the title
history tests."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from django.utils import translation

from shopops.catalog.models import Listing
from shopops.core.services import shop_create
from shopops.imports.services import import_job_create, import_job_run, import_summary

ITEM = "660001"
TAOBAO_HEADER = ["宝贝名称", "宝贝类目", "价格", "数量", "商家编码", "销售属性", "SKU商家编码", "SKU ID", "SKU价格",
                 "宝贝ID", "宝贝状态"]
TAOBAO_ROWS = [["最生活 保温杯 500ml", "家居/杯子", "129.00", "30", "TH-CUP", "颜色:黑", "TH-CUP-B", "5001",
                "129.00", ITEM, "出售中"]]


def run_import(shop, name: str, path: Path, **options: str) -> dict:
    with translation.override("zh-hans"):
        job = import_job_create(shop=shop, format_name=name, path=str(path), options=options or None)
        return import_summary(import_job_run(job_id=job.pk))


def new_shop_with_listing(tmp_path: Path, code: str = "titles") -> tuple:
    """``shop_create`` and a ``taobao-items`` import: the shop and its one listing (platform item ITEM)."""
    shop = shop_create(code=code, name="最生活")
    path = tmp_path / "items.csv"
    with path.open("w", encoding="gbk", newline="") as f:
        csv.writer(f).writerows([TAOBAO_HEADER, *TAOBAO_ROWS])
    summary = run_import(shop, "taobao-items", path)
    assert summary["status"] == "done", summary["errors"]
    return shop, Listing.objects.get(shop=shop, external_id=ITEM)


def stamp(day: dt.date, hour: int = 12) -> int:
    """A Unix time on ``day`` at ``hour`` in Asia/Shanghai."""
    return int(dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.timezone(dt.timedelta(hours=8)))
               .timestamp())


def import_behaviour(shop, tmp_path: Path, rows: list[tuple[str, str, str, dt.date]]) -> dict:
    """A UserBehavior file (user, item, category, behaviour, time) of ``rows`` (user, item, behaviour, day)."""
    path = tmp_path / "ub.csv"
    path.write_text("".join(f"{user},{item},7,{behavior},{stamp(day)}\n" for user, item, behavior, day in rows))
    days = [day for *_rest, day in rows]
    summary = run_import(shop, "taobao-userbehavior", path, date_from=min(days).isoformat(),
                         date_to=max(days).isoformat())
    assert summary["status"] == "done", summary["errors"]
    return summary
