"""Writes of the listings app, one module per subject. Import the functions from their module."""
