"""Pages of the listings app, one module per subject."""
