"""Tsunagu (つなぐ): a LINE bot for a city's 利用者支援事業. ``create_app`` builds the web app."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask

from bot.config import Settings, load_settings
from bot.handlers.turn import Services
from bot.ingest import BurstWatch, Ingest
from bot.knowledge.city import load_city
from bot.knowledge.service import KnowledgeBase
from bot.messaging.client import messaging_api
from bot.messaging.delivery import Deliverer
from bot.runtime import Runtime
from bot.storage import crypto
from bot.storage.db import Database

log = logging.getLogger(__name__)


@dataclass
class Tsunagu:
    """The parts one process shares: settings, database, background runtime, LINE stand-in."""

    settings: Settings
    db: Database
    runtime: Runtime
    ingest: Ingest
    signature: object
    double: object | None = None  # the Messaging API double, in local mode


def build(settings: Settings) -> Tsunagu:
    """Everything but the web layer (the CLI's clock and workers use this too)."""
    from bot.webhook import make_validator

    crypto.use_keys(settings.data_key)
    db = Database(settings.database_url)
    city = load_city(settings.city_file)  # read once: the raw file and its search view
    services = Services(settings=settings, city=city.raw, kb=KnowledgeBase(db, city))
    api = messaging_api(settings.api_endpoint, settings.channel_access_token)
    ingest = Ingest(db)
    runtime = Runtime(db, services, Deliverer(db, api), burst=BurstWatch(db, ingest))
    return Tsunagu(settings, db, runtime, ingest, make_validator(settings.channel_secret))


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or load_settings()
    app = Flask(__name__)
    app.json.ensure_ascii = False
    tsunagu = build(settings)
    app.extensions["tsunagu"] = tsunagu

    from bot.webhook import bp as webhook_bp

    app.register_blueprint(webhook_bp)
    if settings.local_mode:
        from bot.simulator.double import DoubleState, double_blueprint
        from bot.simulator.page import simulator_blueprint

        tsunagu.double = DoubleState(token=settings.channel_access_token)
        app.register_blueprint(double_blueprint(tsunagu.double), url_prefix="/_line")
        app.register_blueprint(simulator_blueprint(tsunagu.double))
    return app
