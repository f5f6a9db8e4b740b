"""Customer service (客服): tickets on China's business calendar, SLAs, returns and exchanges (售后), chats,
reviews and DSR (docs/architecture.md#service)."""
