"""Reads of the listings app for its faces and other apps, one module per subject: competitors, keywords and
title suggestions, a listing's title history with its traffic before and after (``titles``), the shop
dictionary (``dictionary_pages``). Import the functions from their module."""
