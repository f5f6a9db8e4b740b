"""Read-only queries of the listings app, one module per subject (dictionary, audits)."""
