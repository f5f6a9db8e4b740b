"""Pure rules of the core: the API token format and how tokens are hashed for storage."""

from __future__ import annotations

import hashlib

TOKEN_PREFIX = "sho_"


def hash_token(token: str) -> str:
    """SHA-256 of a high-entropy token: enough for lookup, useless to someone who reads the database."""
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(token: str) -> bool:
    return token.startswith(TOKEN_PREFIX) and 20 < len(token) < 200
