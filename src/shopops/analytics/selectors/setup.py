"""The first-run setup checklist of a new shop: which of its six steps are done, read from the shop's own
records (never from a flag the user ticks), and whether the dashboard shows it.

A step is done when: 1 the shop profile was saved (its ``shop.update`` audit entry), 2 the shop has an active
channel account, 3 a product, 4 an order, 5 an imported platform report in the lake (any import-fed table
holds a feed of the shop), 6 at least two active users. The dashboard shows the checklist instead of its
empty cards while the shop has no orders, unless an administrator dismissed it (``Shop.setup_dismissed``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

from shopops.catalog import selectors as catalog_selectors
from shopops.channels import selectors as channel_selectors
from shopops.core import selectors as core_selectors
from shopops.core.models import Shop
from shopops.lake import selectors as lake_selectors
from shopops.orders import selectors as order_selectors

STEPS = ("profile", "channels", "catalog", "orders", "reports", "users")
MIN_USERS = 2  # the administrator and one colleague


@dataclass(frozen=True)
class SetupState:
    done: dict[str, bool]
    dismissed: bool

    @property
    def done_count(self) -> int:
        return sum(self.done.values())

    @property
    def complete(self) -> bool:
        return all(self.done.values())

    @property
    def on_dashboard(self) -> bool:
        """Instead of the dashboard's cards: a shop without orders has no numbers to show yet."""
        return not self.dismissed and not self.done["orders"]


def shop_has_orders(*, shop: Shop) -> bool:
    qs, _sort = order_selectors.order_list(shop=shop)
    return qs.exists()


def shop_has_reports(*, shop: Shop) -> bool:
    """Whether any import-fed lake table (partitioned by feed: ``s{shop}.{format}…``) holds one of the shop's
    feeds in its current version."""
    marker = f"feed=s{shop.pk}."
    for name in lake_selectors.lake_table_names():
        if "feed" not in lake_selectors.lake_table_partitions(name):
            continue
        version = lake_selectors.lake_table_version(name)
        if version is not None and any(marker in unquote(path) for path in version.files):
            return True
    return False


def setup_state(*, shop: Shop) -> SetupState:
    """The six steps of the shop, each read from its records (a handful of small queries and the lake's logs)."""
    products, _sort = catalog_selectors.product_list(shop=shop)
    done = {
        "profile": core_selectors.shop_profile_saved(shop=shop),
        "channels": channel_selectors.channel_accounts(shop=shop).filter(active=True).exists(),
        "catalog": products.exists(),
        "orders": shop_has_orders(shop=shop),
        "reports": shop_has_reports(shop=shop),
        "users": core_selectors.users_of_shop(shop=shop).filter(is_active=True).count() >= MIN_USERS,
    }
    return SetupState(done=done, dismissed=shop.setup_dismissed)
