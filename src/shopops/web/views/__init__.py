"""Pages: thin views over selectors and services (DESIGN.md layer rule), one module per area."""
