"""The service pages (客服): one module per page family; ``common`` holds what several of them share."""
