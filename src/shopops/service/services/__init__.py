"""Writes of the service app, one module per subject (chats: ``services.chats``)."""
