"""Writes of the service app, one module per subject; each service is atomic and audited.

  calendars.py  business calendars (a shop's default, created on first use) and SLA policies
  tickets.py    tickets: open (merging into the open ticket of the same customer and order), assign, reply,
                customer message, note, pause/resume, resolve, close, merge
  sla.py        a ticket's SLA due times and state, and ``sla_sweep`` raising to-dos on warnings and breaches
"""
