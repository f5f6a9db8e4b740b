"""Writes of the analytics app, one module per area (alerts into the to-do list, saved funnels)."""
