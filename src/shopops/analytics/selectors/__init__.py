"""Reads for the analytics faces: run a query for one shop on the configured engine, shape the JSON."""
