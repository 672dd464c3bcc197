"""Event → who is speaking → which dialog or command; carrying out what a dialog decided.

One router per feature (``parents``, ``notes``, ``casework``, ``caselists``, ``referrals``,
``consultations``, ``registration``), composed by the app factory; ``events.handle_event`` is
what the inbox runs for one stored event. Handlers write state and the outbox, never call LINE.
"""
