"""Reads of the service app, one module per subject (chats: ``selectors.chats``)."""
