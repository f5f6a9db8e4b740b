"""The service app's pages, one module per subject (tickets and SLA: ``tickets``; ``sop``: scenarios, checklists and
reply templates; ``dashboard``, ``returns``, ``reviews``, ``chats``; what they share: ``common``)."""
