"""Reads of the listings app for its faces and other apps, one module per area (competitors, keywords, …)."""
