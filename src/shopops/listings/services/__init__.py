"""Writes of the listings app, one module per area (competitors, …); other apps call these."""
