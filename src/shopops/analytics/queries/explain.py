"""GMV explanation: the change in 支付金额 between two periods split into the parts due to UV, CVR and AOV.

docs/rules/analytics.md#gmv-decomposition (KPI decomposition): GMV = UV × CVR × AOV
(docs/rules/metrics.md#gmv-identity: 支付金额 = 访客数 × 支付转化率 × 客单价). The split is the exact Shapley
decomposition of :func:`shopops.analytics.domain.decompose_gmv`: each group's parts add up to that group's
change to the fen, and the total's parts to the total change. UV and buyers are distinct counts, so the
total is decomposed from the shop's de-duplicated totals — the groups' UV/CVR/AOV parts need not add up to
the total's parts (their GMV changes do).
"""

from __future__ import annotations

import datetime as dt

from shopops.analytics.domain import FACTORS, Period, decompose_gmv
from shopops.analytics.engine import Tables
from shopops.analytics.metrics import compute

BY = ("channel", "source")
_NEEDED = ["uv", "buyers", "gmv", "cvr", "aov"]


def _period(values: dict | None) -> Period:
    if not values:
        return Period(uv=0, buyers=0, gmv_fen=0)
    return Period(uv=values["uv"], buyers=values["buyers"], gmv_fen=values["gmv"])


def _side(values: dict | None) -> dict:
    values = values or {}
    return {"uv": values.get("uv", 0), "buyers": values.get("buyers", 0), "gmv": values.get("gmv", 0),
            "cvr": values.get("cvr"), "aov": values.get("aov")}


def _no_visitors(period: Period) -> bool:
    return period.uv == 0 and period.gmv_fen != 0


def _explain(before: dict | None, after: dict | None) -> dict:
    p0, p1 = _period(before), _period(after)
    basis = "uv"
    if _no_visitors(p0) or _no_visitors(p1):
        # Sales without visitor data: GMV ≠ UV × CVR × AOV. Split GMV = buyers × AOV instead (UV := buyers,
        # CVR = 1): the "uv" part is then the change due to the number of buyers, "cvr" is 0 — still exact.
        basis = "buyers"
        p0 = Period(uv=p0.buyers, buyers=p0.buyers, gmv_fen=p0.gmv_fen)
        p1 = Period(uv=p1.buyers, buyers=p1.buyers, gmv_fen=p1.gmv_fen)
    result = decompose_gmv(p0, p1)
    return {
        "before": _side(before), "after": _side(after), "change": result.change_fen,
        "parts": {f: result.parts_fen[f] for f in FACTORS},
        "consistent": result.consistent and basis == "uv", "basis": basis,
    }


def gmv_explain(tables: Tables, *, date_from: dt.date, date_to: dt.date, vs_from: dt.date, vs_to: dt.date,
                by: str | None = None) -> dict:
    """``{"period", "vs", "by", "total": {before, after, change, parts{uv,cvr,aov}, ...}, "groups": [...]}``.

    ``before`` is the ``vs`` period, ``after`` the ``from..to`` period; money in integer fen (the JSON edge,
    :func:`shopops.analytics.schemas.explain_json`, writes it in yuan). A group present in one period only is
    compared with zeros.
    """
    if by is not None and by not in BY:
        raise ValueError(f"unknown grouping {by!r}")
    now = compute(tables, date_from=date_from, date_to=date_to, by=by, metrics=_NEEDED)
    then = compute(tables, date_from=vs_from, date_to=vs_to, by=by, metrics=_NEEDED)
    groups = []
    if by:
        now_rows = {r[by]: r for r in now["rows"]}
        then_rows = {r[by]: r for r in then["rows"]}
        for key in sorted(set(now_rows) | set(then_rows), key=str):
            groups.append({by: key, **_explain(then_rows.get(key), now_rows.get(key))})
        groups.sort(key=lambda g: (-abs(g["change"]), str(g[by])))
    total = _explain(then["totals"], now["totals"])
    parts = [total, *groups]
    return {
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "vs": {"from": vs_from.isoformat(), "to": vs_to.isoformat()},
        "by": by,
        "total": total,
        "groups": groups,
        "notes": sorted(set(now["notes"]) | set(then["notes"])
                        | ({"gmv_without_visitors"} if not all(p["consistent"] for p in parts) else set())),
    }
