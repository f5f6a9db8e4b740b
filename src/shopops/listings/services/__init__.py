"""Writes of the listings app, one module per subject: title editing with its history (``titles``), the shop
dictionary (``dictionary``). Import the functions from their module."""
