"""Pages of the service app, one module per subject (``sop``: scenarios, checklists and reply templates)."""
