"""Messaging: LINE message builders, the outbox and its delivery through the SDK."""
