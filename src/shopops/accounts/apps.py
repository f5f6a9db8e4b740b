from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """The pages of signing in, one's profile, language and shop, the shop's users and its audit log."""

    name = "shopops.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
