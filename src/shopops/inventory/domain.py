"""Pure inventory rules: no ORM, no I/O."""
