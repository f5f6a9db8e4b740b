"""Reads of the service app, one module per subject (tickets.py: ticket lists, details, SLA attainment;
calendars.py: business calendars as service.calendar sees them)."""
