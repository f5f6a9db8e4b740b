from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LakeConfig(AppConfig):
    name = "shopops.lake"
    label = "lake"
    verbose_name = _("Lake")
