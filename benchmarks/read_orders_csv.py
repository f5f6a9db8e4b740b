"""Benchmark: stream a 1,000,000-line GBK Taobao order report through read_table + normalisation.

Writes a GBK CSV in the classic Taobao 订单报表 shape (the 44 headers of
docs/rules/platforms.md#taobao-order-report, trailing spaces included, ``="…"`` ids, thousands separators in
买家实际支付金额, ``-``/empty cells) to a temp dir, then prints JSON: rows/s of ``read_table`` + ``ColumnConverter``
over the id, money, date, int and text columns an order importer needs, next to baselines on the same file in
the same run (a bare ``pyarrow.csv.read_csv`` and a bare ``pandas.read_csv``, strings only), each phase in its
own process with its peak RSS. With ``--lake-rows`` it also times ``read_raw_arrow_batches`` on a headerless
UserBehavior-shaped CSV (``user_id,item_id,category_id,behavior,ts``) next to a bare ``pyarrow.csv.open_csv``.

    .venv/bin/python benchmarks/read_orders_csv.py [--rows 1000000] [--lake-rows 10000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TAOBAO_HEADERS = [
    "订单编号", "买家会员名", "买家支付宝账号", "支付交易号", "买家应付货款", "买家应付邮费", "买家支付积分", "总金额",
    "返点积分", "买家实际支付金额", "买家实际支付积分", "订单状态", "买家留言", "收货人姓名", "收货地址 ", "运送方式",
    "联系电话 ", "联系手机", "订单创建时间", "订单付款时间 ", "宝贝标题 ", "宝贝种类 ", "物流单号 ", "物流公司", "订单备注",
    "宝贝总数量", "店铺Id", "店铺名称", "订单关闭原因", "卖家服务费", "买家服务费", "发票抬头", "是否手机订单",
    "分阶段订单信息", "定金排名", "修改后的sku", "修改后的收货地址", "异常信息", "天猫卡券抵扣", "集分宝抵扣",
    "是否是O2O交易", "买家姓名", "买家身份证号", "买家手机号",
]
STATUSES = ["交易成功", "交易成功", "交易成功", "卖家已发货，等待买家确认", "买家已付款，等待卖家发货", "交易关闭",
            "等待买家付款"]
TITLES = ["2026新款秋冬加厚保暖羊毛衫女士高领打底针织衫", "【双11预售】无线蓝牙耳机降噪运动跑步入耳式",
          "有机五常大米10kg 东北新米 香米", "儿童保温杯带吸管 316不锈钢 幼儿园水杯", "家用智能扫地机器人 扫拖一体"]
PROVINCES = ["浙江省 杭州市 西湖区", "江苏省 南京市 建邺区", "广东省 深圳市 南山区", "上海 上海市 浦东新区", "四川省 成都市 武侯区"]
CARRIERS = ["圆通速递", "中通快递", "顺丰速运", "韵达快递", "申通快递"]
REMARKS = ["", "", "", "", "请尽快发货，谢谢", "不要放快递柜", "送人的，不要放价格单"]


def write_orders(path: Path, rows: int, seed: int = 11) -> None:
    """The Taobao classic export: GBK, ``="…"`` ids, money with thousands separators, ``-`` empties."""
    rnd = random.Random(seed)
    with path.open("w", encoding="gbk", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(TAOBAO_HEADERS)
        for i in range(rows):
            goods = rnd.randint(1900, 399900)
            post = rnd.choice((0, 0, 0, 600, 1000))
            total = goods + post
            status = rnd.choice(STATUSES)
            created = f"2026-11-{rnd.randint(1, 11):02d} {rnd.randint(0, 23):02d}:{rnd.randint(0, 59):02d}:" \
                      f"{rnd.randint(0, 59):02d}"
            paid = "" if status == "等待买家付款" else created
            quantity = rnd.choice((1, 1, 1, 2, 3))
            writer.writerow([
                f'="{3_800_000_000_000_000_000 + i}"', f"tb{rnd.randint(10**6, 10**7)}", "-",
                f'="2026111122001{i:012d}"', f"{goods / 100:.2f}", f"{post / 100:.2f}", "0", f"{total / 100:.2f}",
                "0", f"{total / 100:,.2f}", "0", status, rnd.choice(REMARKS), "张*",
                f"{rnd.choice(PROVINCES)} 某某街道****", "快递", "-", "'138****1234", created, paid,
                rnd.choice(TITLES), str(rnd.randint(1, 3)), f"YT{rnd.randint(10**11, 10**12)}",
                rnd.choice(CARRIERS), "", str(quantity), "62841390", "某某旗舰店",
                "订单未关闭" if status != "交易关闭" else "买家不想买了", "0", "0元", "", "手机订单", "", "", "", "",
                "", "0.00", "0.00", "否", "", "", "",
            ])


def order_spec():
    from shopops.imports.columns import Column

    return (
        Column("订单编号", aliases=("订单号",), required=True, kind="id", nullable=False, unique=True),
        Column("买家会员名", kind="text"),
        Column("买家应付货款", kind="money", required=True, minimum=0),
        Column("买家应付邮费", kind="money", minimum=0),
        Column("总金额", kind="money", required=True, minimum=0),
        Column("买家实际支付金额", aliases=("买家实付金额",), kind="money", required=True, minimum=0),
        Column("订单状态", kind="text", required=True, nullable=False),
        Column("收货地址", kind="text"),
        Column("订单创建时间", kind="datetime", required=True, nullable=False),
        Column("订单付款时间", kind="datetime"),
        Column("宝贝标题", aliases=("商品标题",), kind="text"),
        Column("宝贝总数量", kind="int", minimum=0),
        Column("物流单号", kind="id"),
        Column("买家留言", kind="text"),
    )


def peak_rss_mib() -> float:
    """This process's peak RSS. VmHWM, not ru_maxrss: Linux carries ru_maxrss over an exec, so a phase
    would report the parent's peak (the numpy-built lake file) instead of its own."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_read_table(path: Path, engine: str) -> dict:
    from shopops.imports.columns import ColumnConverter, resolve_columns
    from shopops.imports.readers import read_table

    started = time.perf_counter()
    rows = errors = 0
    with read_table(path, engine=engine) as stream:
        resolution = resolve_columns(stream.headers, order_spec())
        assert not resolution.errors, resolution.errors
        converter = ColumnConverter(order_spec(), resolution)
        for batch in stream:
            converted = converter.convert(batch)
            rows += len(converted)
            errors += len(converted.errors)
        used = stream.engine
    seconds = time.perf_counter() - started
    return {"engine": used, "rows": rows, "errors": errors, "columns_normalised": len(order_spec()),
            "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds)}


def phase_pyarrow(path: Path) -> dict:
    import pyarrow.csv as pacsv

    started = time.perf_counter()
    table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(encoding="gb18030"))
    seconds = time.perf_counter() - started
    return {"rows": table.num_rows, "seconds": round(seconds, 2), "rows_per_s": round(table.num_rows / seconds),
            "note": "whole table in memory, types inferred, no normalisation"}


def phase_pandas(path: Path) -> dict:
    import pandas as pd

    started = time.perf_counter()
    frame = pd.read_csv(path, encoding="gb18030", dtype=str, keep_default_na=False)
    seconds = time.perf_counter() - started
    return {"rows": len(frame), "seconds": round(seconds, 2), "rows_per_s": round(len(frame) / seconds),
            "note": "whole frame in memory, strings, no normalisation"}


LAKE_NAMES = ["user_id", "item_id", "category_id", "behavior", "ts"]


def write_lake(path: Path, rows: int) -> None:
    """A headerless UserBehavior-shaped CSV (Tianchi: user, item, category, behavior, epoch seconds)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(5)
    chunk = 5_000_000
    with pa.OSFile(str(path), "wb") as sink:
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            table = pa.table({
                "user_id": rng.integers(1, 1_018_011, n),
                "item_id": rng.integers(1, 5_163_070, n),
                "category_id": rng.integers(1, 5_162_429, n),
                "behavior": pa.array(np.array(["pv", "pv", "pv", "pv", "pv", "pv", "cart", "fav", "buy"])[
                    rng.integers(0, 9, n)]),
                "ts": rng.integers(1_511_539_200, 1_512_316_800, n),
            })
            pacsv.write_csv(table, sink, write_options=pacsv.WriteOptions(include_header=False))


def lake_types() -> dict:
    import pyarrow as pa

    return {"user_id": pa.int64(), "item_id": pa.int64(), "category_id": pa.int64(), "behavior": pa.string(),
            "ts": pa.int64()}


def phase_lake_raw(path: Path) -> dict:
    from shopops.imports.readers import read_raw_arrow_batches

    started = time.perf_counter()
    rows = 0
    for batch in read_raw_arrow_batches(path, header=False, column_names=LAKE_NAMES, column_types=lake_types()):
        rows += batch.num_rows
    seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds)}


def phase_lake_arrow(path: Path) -> dict:
    import pyarrow.csv as pacsv

    started = time.perf_counter()
    rows = 0
    reader = pacsv.open_csv(path, read_options=pacsv.ReadOptions(column_names=LAKE_NAMES),
                            convert_options=pacsv.ConvertOptions(column_types=lake_types()))
    for batch in reader:
        rows += batch.num_rows
    seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds)}


PHASES = {
    "read_table": lambda p: phase_read_table(p, "auto"),
    "read_table_python": lambda p: phase_read_table(p, "python"),
    "pyarrow": phase_pyarrow,
    "pandas": phase_pandas,
    "lake_raw": phase_lake_raw,
    "lake_arrow": phase_lake_arrow,
}


def run_phase(name: str, path: Path) -> dict:
    """Each phase in a fresh process, so its peak RSS is its own."""
    result = subprocess.run([sys.executable, __file__, "--phase", name, "--file", str(path)],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--lake-rows", type=int, default=10_000_000, help="0 skips the lake phases")
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    parser.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        result = PHASES[args.phase](args.file)
        result["peak_rss_mib"] = round(peak_rss_mib(), 1)
        print(json.dumps(result))
        return
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="shopops-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        orders = workdir / "taobao_orders_gbk.csv"
        started = time.perf_counter()
        write_orders(orders, args.rows)
        report: dict = {"orders_csv": {"rows": args.rows, "bytes": orders.stat().st_size,
                                       "write_seconds": round(time.perf_counter() - started, 1)}}
        for name in ("read_table", "read_table_python", "pyarrow", "pandas"):
            report[name] = run_phase(name, orders)
        if args.lake_rows:
            lake = workdir / "user_behavior.csv"
            write_lake(lake, args.lake_rows)
            report["lake_csv"] = {"rows": args.lake_rows, "bytes": lake.stat().st_size}
            for name in ("lake_raw", "lake_arrow"):
                report[name] = run_phase(name, lake)
        print(json.dumps(report, indent=2, ensure_ascii=False))
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
