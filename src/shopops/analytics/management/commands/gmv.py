"""shopops gmv explain --from D --to D --vs D..D [--by channel|source] [--json] [--language L]: the GMV change split
into the parts due to UV, CVR and AOV (exact Shapley split; parts add up to the change), its step on stderr."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from shopops.analytics.queries.explain import BY
from shopops.analytics.schemas import explain_json
from shopops.analytics.selectors import metrics as selectors
from shopops.core.management.base import ShopOpsCommand


class Command(ShopOpsCommand):
    help = "Explain a GMV change: `gmv explain --from D --to D --vs D..D [--by channel|source]`."
    json_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        self.add_shop_argument(parser)
        parser.add_argument("action", choices=["explain"])
        self.add_period_arguments(parser)
        parser.add_argument("--vs", required=True, help="the period to compare with: YYYY-MM-DD..YYYY-MM-DD")
        parser.add_argument("--by", choices=BY, help="also explain each channel or traffic source")
        self.add_language_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.ensure_installed()
        shop = self.resolve_shop(options["shop"])
        progress = self.progress(1)
        progress.step(_("Comparing the GMV of %(start)s..%(end)s with %(vs)s…")
                      % {"start": options["date_from"], "end": options["date_to"], "vs": options["vs"]})
        result = selectors.gmv_explanation(shop=shop, date_from=options["date_from"], date_to=options["date_to"],
                                           vs=options["vs"], by=options["by"])
        progress.done()
        result = explain_json(result)
        if options["json"]:
            self.emit_json(result)
            return
        for label, part in [("total", result["total"]), *[(g[result["by"]], g) for g in result["groups"]]]:
            p = part["parts"]
            self.stdout.write(f"{label}: {part['before']['gmv']} → {part['after']['gmv']} ({part['change']}) = "
                              f"UV {p['uv']} + CVR {p['cvr']} + AOV {p['aov']}")
