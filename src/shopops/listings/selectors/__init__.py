"""Reads of the listings app for its faces and other apps, one module per subject: audits, the shop dictionary
(``dictionary``, ``dictionary_pages``), competitors, keywords and title suggestions, a listing's title history with
its traffic before and after (``titles``). Import the functions from their module."""
