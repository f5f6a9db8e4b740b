"""Reads of the listings app, one module per subject: a listing's title history with its traffic before and
after (``titles``), the shop dictionary's pages (``dictionary_pages``). Import the functions from their module."""
