"""The local LINE stand-in: a chat page that sends signed webhooks, and a Messaging API double."""
