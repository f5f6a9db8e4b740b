"""The rivals' changes on the GMV explanation's timeline: analytics imports this module when it starts
(``autodiscover_modules("timeline")``), which registers the source (docs/architecture.md#timeline-sources)."""

from __future__ import annotations

from shopops.analytics.selectors.timeline import timeline_source_register
from shopops.listings.selectors.competitors import competitor_timeline

timeline_source_register("competitor", competitor_timeline)
