"""Reads of the listings app."""
