"""The lake keeps no records of its own in the database (the orders' refresh outbox lives in orders.models)."""
