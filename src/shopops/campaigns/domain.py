"""Pure campaign rules: no ORM, no I/O."""
