"""The admins' web page: signed in by a one-time link from the chat; figures and charts, the
knowledge base upload, the audit trail and notices. Server-rendered (Flask + Jinja)."""
