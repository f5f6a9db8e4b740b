from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "shopops.analytics"
    label = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        # Apps above analytics report events for the GMV explanation's timeline from their own ``timeline``
        # module, which registers a source (selectors.timeline); analytics never imports them
        # (docs/architecture.md#timeline-sources).
        autodiscover_modules("timeline")
