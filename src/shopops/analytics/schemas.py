"""The JSON edge of the metric layer: how its numbers are written for the API and the CLI's ``--json``.

The metric layer and its selectors return numbers (money in integer fen, rates as floats, counts as ints);
the published JSON writes money as a string in yuan with two decimals (``"123.45"``, docs/metrics.md
"General rules"), rates and counts as numbers. These functions are the only place that turns fen into that
text, so the JSON contract stays what it was while nothing inside parses text back into numbers.
"""

from __future__ import annotations

from shopops.analytics.domain import FACTORS
from shopops.analytics.metrics import METRICS
from shopops.core.money import format_fen


def _yuan(fen: int | None) -> str | None:
    return None if fen is None else format_fen(fen)


def metric_json(name: str, value: object) -> object:
    """One metric value as JSON carries it: money (a METRICS ``money`` kind) in yuan text, the rest as is."""
    metric = METRICS.get(name)
    if metric is not None and metric.kind == "money" and value is not None:
        return format_fen(int(value))
    return value


def _values_json(values: dict) -> dict:
    return {key: metric_json(key, value) for key, value in values.items()}


def report_json(report: dict) -> dict:
    """A ``metrics.compute`` / ``selectors.metrics.metrics_report`` result with its money in yuan text."""
    return {**report, "rows": [_values_json(row) for row in report["rows"]], "totals": _values_json(report["totals"])}


def _side_json(side: dict) -> dict:
    return {**side, "gmv": format_fen(side["gmv"]), "aov": _yuan(side["aov"])}


def _explained_json(part: dict) -> dict:
    return {**part, "before": _side_json(part["before"]), "after": _side_json(part["after"]),
            "change": format_fen(part["change"]), "parts": {f: format_fen(part["parts"][f]) for f in FACTORS},
            "parts_fen": {f: part["parts"][f] for f in FACTORS}, "change_fen": part["change"]}


def explain_json(result: dict) -> dict:
    """A ``queries.explain.gmv_explain`` result as JSON: money in yuan text, and in fen under ``*_fen``."""
    return {**result, "total": _explained_json(result["total"]),
            "groups": [_explained_json(group) for group in result["groups"]]}


def _money_json(values: dict, keys: tuple[str, ...]) -> dict:
    return {**values, **{key: _yuan(values[key]) for key in keys if key in values}}


def products_json(result: dict) -> dict:
    """A ``queries.products.analyze`` result as JSON: ``gmv`` and ``price`` in yuan text."""
    return {
        **result, "totals": _money_json(result["totals"], ("gmv",)),
        "abc": {name: _money_json(group, ("gmv",)) for name, group in result["abc"].items()},
        "price_bands": [_money_json(group, ("gmv",)) for group in result["price_bands"]],
        "new_vs_old": [_money_json(group, ("gmv",)) for group in result["new_vs_old"]],
        "skus": [_money_json(sku, ("gmv", "price")) for sku in result["skus"]],
    }


def alert_json(alert: dict) -> dict:
    """One alert of ``selectors.alerts.alerts_check`` as JSON (the API, the CLI and a to-do item's data)."""
    return {**alert, "value": metric_json(alert["metric"], alert["value"]),
            "baseline": metric_json(alert["metric"], alert["baseline"])}


def alerts_json(result: dict) -> dict:
    """An ``alerts_check`` / ``analytics_alerts_run`` result as JSON."""
    return {**result, "alerts": [alert_json(alert) for alert in result["alerts"]]}
