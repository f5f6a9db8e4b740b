"""The service app's pages, one module per subject (tickets and SLA: ``tickets``)."""
