"""Conversations, one module each: a dialog declares its steps and decides, purely.

Each module defines one ``Dialog`` (``engine``); a finished dialog returns an intent
(``bot.intents``) that the router carries out. A feature's router lists the dialogs it starts;
the app factory composes them (``bot.app.chat_router``). Dialogs import only the engine, i18n,
the message builders, the button data and the program's words — never the database, the
handlers or the clock.
"""
