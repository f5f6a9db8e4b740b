"""The five roles of docs/architecture.md#roles and exactly which permissions each holds.

Pure data: ``services.roles_sync`` turns it into Django groups. The role-walk test
(tests/web/test_role_walk.py) proves every URL honours it.
"""

from __future__ import annotations

from shopops.core.text import gettext_noop

ADMIN = "admin"
OPERATOR = "operator"
ADS = "ads"
SERVICE = "service"
VIEWER = "viewer"
ROLES = (ADMIN, OPERATOR, ADS, SERVICE, VIEWER)

# English labels that the pages say in the user's language (core.i18n.say).
ROLE_LABELS = {
    ADMIN: gettext_noop("Administrator"),
    OPERATOR: gettext_noop("Operator"),
    ADS: gettext_noop("Ads"),
    SERVICE: gettext_noop("Customer service"),
    VIEWER: gettext_noop("Viewer"),
}

VIEW_DASHBOARD = "core.view_dashboard"
VIEW_AUDIT = "core.view_auditentry"
MANAGE_USERS = "core.manage_users"
CHANGE_SHOP = "core.change_shop"  # the shop's profile (name, time zone) and its setup checklist
VIEW_CHANNEL_ACCOUNTS = "channels.view_channelaccount"
CHANGE_CHANNEL_ACCOUNTS = "channels.change_channelaccount"
VIEW_PRODUCTS = "catalog.view_product"
ADD_PRODUCTS = "catalog.add_product"
CHANGE_PRODUCTS = "catalog.change_product"
CHANGE_PRICES = "catalog.change_price"
VIEW_COSTS = "catalog.view_cost"
VIEW_ORDERS = "orders.view_order"
VIEW_REFUNDS = "orders.view_refund"
CHANGE_REFUNDS = "orders.change_refund"
VIEW_CUSTOMERS = "members.view_customer"
CHANGE_CUSTOMERS = "members.change_customer"
VIEW_CAMPAIGNS = "campaigns.view_campaign"
CHANGE_CAMPAIGNS = "campaigns.change_campaign"
VIEW_STOCK = "inventory.view_stock"
CHANGE_STOCK = "inventory.change_stock"
MANAGE_PURCHASING = "inventory.manage_purchasing"
VIEW_IMPORTS = "imports.view_importjob"
RUN_IMPORTS = "imports.add_importjob"
VIEW_ANALYTICS = "analytics.view_analytics"
RUN_ALERTS = "analytics.run_alerts"
SAVE_FUNNELS = "analytics.change_savedfunnel"
VIEW_TICKETS = "service.view_ticket"
SERVE_CUSTOMERS = "service.serve_customers"  # open, assign, reply to, pause, resolve, merge tickets

_READ = [
    VIEW_DASHBOARD,
    VIEW_CHANNEL_ACCOUNTS,
    VIEW_PRODUCTS,
    VIEW_ORDERS,
    VIEW_REFUNDS,
    VIEW_CUSTOMERS,
    VIEW_CAMPAIGNS,
    VIEW_STOCK,
    VIEW_IMPORTS,
    VIEW_ANALYTICS,
    VIEW_TICKETS,
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ADMIN: [
        *_READ,
        VIEW_AUDIT,
        MANAGE_USERS,
        CHANGE_SHOP,
        CHANGE_CHANNEL_ACCOUNTS,
        ADD_PRODUCTS,
        CHANGE_PRODUCTS,
        CHANGE_PRICES,
        VIEW_COSTS,
        CHANGE_REFUNDS,
        CHANGE_CUSTOMERS,
        CHANGE_CAMPAIGNS,
        CHANGE_STOCK,
        MANAGE_PURCHASING,
        RUN_IMPORTS,
        RUN_ALERTS,
        SAVE_FUNNELS,
        SERVE_CUSTOMERS,
    ],
    OPERATOR: [*_READ, ADD_PRODUCTS, CHANGE_PRODUCTS, CHANGE_PRICES, VIEW_COSTS, CHANGE_CAMPAIGNS, CHANGE_STOCK,
               MANAGE_PURCHASING, RUN_IMPORTS, RUN_ALERTS, SAVE_FUNNELS, SERVE_CUSTOMERS],
    # 推广: ads and content; imports its ad reports, sees campaigns and stock (for budget timing).
    ADS: [VIEW_DASHBOARD, VIEW_CHANNEL_ACCOUNTS, VIEW_PRODUCTS, VIEW_ORDERS, VIEW_COSTS, VIEW_CAMPAIGNS, VIEW_STOCK,
          VIEW_IMPORTS, RUN_IMPORTS, VIEW_ANALYTICS, SAVE_FUNNELS],
    # 客服: tickets, returns, members' service view; no prices, no stock edits.
    SERVICE: [VIEW_DASHBOARD, VIEW_PRODUCTS, VIEW_ORDERS, VIEW_REFUNDS, CHANGE_REFUNDS, VIEW_CUSTOMERS,
              CHANGE_CUSTOMERS, VIEW_CAMPAIGNS, VIEW_STOCK, VIEW_TICKETS, SERVE_CUSTOMERS],
    VIEWER: list(_READ),
}
