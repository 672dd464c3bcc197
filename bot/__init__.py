"""Tsunagu (つなぐ): a LINE bot for a city's 利用者支援事業.

``bot:create_app()`` (the Procfile's web process) builds the web app; it lives in ``bot.app``
and is looked up lazily, so importing one small module of the package loads nothing else.
"""


def __getattr__(name: str):
    if name == "create_app":
        from bot.app import create_app

        return create_app
    raise AttributeError(f"module 'bot' has no attribute {name!r}")
