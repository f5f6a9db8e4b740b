"""The navigation: one entry per module that exists (modules not built yet are absent, never placeholders)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shopops.core import roles
from shopops.ui.permissions import LOGIN_ONLY


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Promise
    perm: str
    icon: str


NAV: tuple[NavItem, ...] = (
    NavItem("web:dashboard", _("Dashboard"), roles.VIEW_DASHBOARD, "◧"),
    NavItem("web:todo_list", _("My to-do list"), LOGIN_ONLY, "☑"),
    NavItem("web:briefing", _("Daily report"), roles.VIEW_DASHBOARD, "☼"),
    NavItem("web:order_list", _("Orders"), roles.VIEW_ORDERS, "▤"),
    NavItem("web:product_list", _("Products"), roles.VIEW_PRODUCTS, "▦"),
    NavItem("web:sku_list", _("SKUs"), roles.VIEW_PRODUCTS, "▫"),
    NavItem("web:sku_matching", _("SKU matching"), roles.CHANGE_PRODUCTS, "⇋"),
    NavItem("web:category_list", _("Categories"), roles.VIEW_PRODUCTS, "⊞"),
    NavItem("listings:health", _("Listing health"), roles.VIEW_PRODUCTS, "✚"),
    NavItem("competitors:list", _("Competitors"), roles.VIEW_PRODUCTS, "⚔"),
    NavItem("web:customer_list", _("Customers"), roles.VIEW_CUSTOMERS, "◉"),
    NavItem("web:service_dashboard", _("Customer service"), roles.VIEW_TICKETS, "☏"),
    NavItem("web:analytics_traffic", _("Traffic sources"), roles.VIEW_ANALYTICS, "⇄"),
    NavItem("web:analytics_funnel", _("Funnels"), roles.VIEW_ANALYTICS, "⏷"),
    NavItem("web:analytics_paths", _("Paths"), roles.VIEW_ANALYTICS, "⤳"),
    NavItem("web:analytics_retention", _("Retention"), roles.VIEW_ANALYTICS, "▩"),
    NavItem("web:analytics_products", _("Product analysis"), roles.VIEW_ANALYTICS, "▨"),
    NavItem("web:analytics_gmv_explain", _("GMV explanation"), roles.VIEW_ANALYTICS, "Σ"),
    NavItem("web:keywords", _("Keywords"), roles.VIEW_ANALYTICS, "⌕"),
    NavItem("web:campaign_list", _("Campaigns"), roles.VIEW_CAMPAIGNS, "◎"),
    NavItem("web:inventory_stock", _("Stock"), roles.VIEW_STOCK, "▥"),
    NavItem("web:inventory_replenishment", _("Replenishment"), roles.VIEW_STOCK, "↻"),
    NavItem("web:inventory_po_list", _("Purchase orders"), roles.VIEW_STOCK, "▧"),
    NavItem("web:import_list", _("Imports"), roles.VIEW_IMPORTS, "⇪"),
    NavItem("web:user_list", _("Users"), roles.MANAGE_USERS, "☺"),
    NavItem("web:settings_shop", _("Shop profile"), roles.CHANGE_SHOP, "⚙"),
    NavItem("web:settings_channels", _("Channel accounts"), roles.CHANGE_CHANNEL_ACCOUNTS, "⛓"),
    NavItem("listings:dictionary", _("Shop dictionary"), roles.CHANGE_PRODUCTS, "≣"),
    NavItem("web:audit_log", _("Audit log"), roles.VIEW_AUDIT, "✎"),
)


def active_url(path: str, urls: list[str]) -> str | None:
    """The one entry a page highlights: the longest entry URL the path starts with (/skus/matching/ is 商品匹配,
    not also SKU; the dashboard "/" only on itself)."""
    matches = [url for url in urls if (path == url if url == "/" else path.startswith(url))]
    return max(matches, key=len, default=None)
