"""The service app's pages, one module per subject (tickets and SLA: ``tickets``; ``sop``: scenarios, checklists and
reply templates; the dashboard, returns, reviews and chats: their own modules)."""
