"""Queries written once as Ibis expressions over :class:`shopops.analytics.engine.Tables`."""
