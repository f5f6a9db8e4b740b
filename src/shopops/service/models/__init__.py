"""The service app's records, one module per subject (tickets, reviews, returns, chats); Django finds them here."""
