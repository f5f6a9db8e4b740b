"""Analytics pages, one module per area; each module lists its ``urlpatterns`` (web/urls_analytics.py)."""
