from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "shopops.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        # `shopops lake settle` also marks failed the import jobs whose process died (the lake sits below the
        # imports and may not import them: they register here)
        from shopops.imports.services import import_jobs_settle_dead
        from shopops.lake.services import settle_hook_register

        settle_hook_register(name="failed_import_jobs", hook=import_jobs_settle_dead)
