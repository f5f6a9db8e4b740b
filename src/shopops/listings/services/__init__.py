"""What changes the listings app's data, one module per subject (audits, …)."""
