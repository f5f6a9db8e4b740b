"""Writes of the listings app, one module per subject: audits, competitors, title editing with its history
(``titles``), the shop dictionary (``dictionary``); other apps call these. Import the functions from their module."""
