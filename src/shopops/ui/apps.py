from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UiConfig(AppConfig):
    """The pages' shared furniture: layout, navigation, lists and tables, template tags, permissions."""

    name = "shopops.ui"
    label = "ui"
    verbose_name = _("Pages")
