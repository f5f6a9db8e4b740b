"""The daily report as text for the group robots: one title, markdown lines (企业微信, 钉钉) and plain lines
(飞书), in the active language. The numbers are the report's; only their wording lives here."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from shopops.ui.templatetags.shopops import fen, pct


@dataclass(frozen=True)
class RobotText:
    title: str
    markdown: list[str]
    plain: list[str]
    more: str  # what closes a message cut for length


def change_text(value: float | None) -> str:
    """A relative change as text: ▲12.3% / ▼4.0% / — (no comparison possible)."""
    if value is None:
        return "—"
    arrow = "▲" if value > 0 else ("▼" if value < 0 else "")
    return f"{arrow}{abs(value) * 100:.1f}%"


def kpi_value_text(card: dict) -> str:
    """A KPI card's value as the dashboard shows it (money in yuan, rates in %)."""
    if card["kind"] == "money":
        return fen(card["value"])
    if card["kind"] == "rate":
        return pct(card["value"])
    return "—" if card["value"] is None else f"{card['value']:,}"


def robot_text(report: dict, *, link: str = "") -> RobotText:
    """The report in a few lines: each KPI with its two comparisons, the open items by severity, the top items."""
    day = report["date"].isoformat()
    title = _("%(shop)s daily report, %(date)s") % {"shop": report["shop"], "date": day}
    kpi_lines = [_("%(name)s %(value)s (vs day before %(prev)s, vs same weekday last week %(wow)s)") % {
        "name": card["label"], "value": kpi_value_text(card), "prev": change_text(card["change_prev"]),
        "wow": change_text(card["change_wow"])} for card in report["kpis"]["cards"]]
    todos = report["todos"]
    counts = "、".join(f"{row['label']} {row['count']}" for row in todos["by_severity"])
    todo_head = _("Open alerts and to-dos: %(total)s (%(counts)s)") % {"total": todos["total"], "counts": counts}
    item_lines = [f"[{item['severity_label']}] {item['source_label']}: {item['title']}"
                  + (f" ({_('due %(date)s') % {'date': item['due_date'].isoformat()}})" if item["due_date"] else "")
                  for item in todos["top"]]
    more = _("… more on the daily report page")
    markdown = [f"### {_md(title)}", "", f"**{_('Key metrics')}**", *[f"- {_md(line)}" for line in kpi_lines],
                "", f"**{_md(todo_head)}**", *[f"- {_md(line)}" for line in item_lines]]
    plain = [*kpi_lines, "", todo_head, *item_lines]
    if link:
        markdown += ["", f"[{_('Open the daily report')}]({link})"]
        plain += ["", link]
    return RobotText(title=title, markdown=markdown, plain=plain, more=more)


# Markdown's active characters in an item title become look-alikes: a title is shown as written, never as a
# link, a font tag (企业微信), bold or code.
_MD_PLAIN = str.maketrans({"<": "‹", ">": "›", "[": "【", "]": "】", "*": "＊", "`": "'", "#": "＃"})


def _md(text: str) -> str:
    return text.translate(_MD_PLAIN)
