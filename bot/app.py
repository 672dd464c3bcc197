"""The application factory: ``build`` assembles one process's parts (settings, city, database,
the composed chat router, the background runtime); ``create_app`` adds the web layer.

The city file is read here, once, and the same ``City`` goes to everything; the routers of the
features are composed here, explicitly (``chat_router``); the data key is set once, when the
database is opened (``bot.storage.db.open_database``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask
from linebot.v3.webhook import SignatureValidator

from bot.city import City, load_city
from bot.config import Settings, load_settings
from bot.dialogs.language import language
from bot.handlers import (
    admins,
    availability,
    caselists,
    casework,
    consultations,
    languages,
    meetings,
    mydata,
    notes,
    outreach,
    parents,
    referrals,
    registration,
    relay,
)
from bot.handlers.router import Router
from bot.handlers.turn import Services
from bot.ingest import BurstWatch, Ingest
from bot.knowledge.service import KnowledgeBase
from bot.messaging.client import messaging_api
from bot.messaging.delivery import Deliverer
from bot.messaging.loading import LoadingAnimation
from bot.runtime import Runtime
from bot.storage.db import Database, open_database

log = logging.getLogger(__name__)


@dataclass
class Tsunagu:
    """The parts one process shares: settings, city, database, background runtime, LINE stand-in."""

    settings: Settings
    city: City
    db: Database
    runtime: Runtime
    ingest: Ingest
    signature: SignatureValidator
    double: object | None = None  # the Messaging API double, in local mode


def chat_router() -> Router:
    """Every feature's router, in the order their text commands are tried."""
    return Router("chat", dialogs=(language,)).include(
        registration.router,  # an invite code works from anywhere
        admins.router,
        caselists.router,
        casework.router,
        referrals.router,
        availability.router,
        # A parent's own commands (exact words: 「出張相談」「予約」「わたしのデータ」) work
        # even in a conversation with their specialist.
        outreach.router,
        mydata.router,
        relay.router,  # a parent in a conversation writes to their specialist
        notes.router,
        meetings.router,
        consultations.router,
        languages.router,  # a language typed by name
        parents.router,  # last: its fallback answers any other text as a question
    )


def build(settings: Settings, city: City | None = None) -> Tsunagu:
    """Everything but the web layer (the CLI's clock, worker and reminders use this too)."""
    city = city or load_city(settings.city_file)
    db = open_database(settings.database_url, settings.data_key)
    api = messaging_api(settings.api_endpoint, settings.channel_access_token)
    loading = LoadingAnimation(api)
    services = Services(settings, city, KnowledgeBase(db, city), chat_router(), loading)
    ingest = Ingest(db)
    runtime = Runtime(db, services, Deliverer(db, api), burst=BurstWatch(db, ingest))
    loading.busy = lambda: runtime.behind  # in a flood every call to LINE goes to answers
    return Tsunagu(settings, city, db, runtime, ingest, SignatureValidator(settings.channel_secret))


# Bodies past this are refused (413) before a byte is read: LINE's are far smaller.
MAX_BODY_BYTES = 1024 * 1024


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or load_settings()
    if settings.local_mode:
        from bot.simulator import begin_run

        settings = begin_run(settings)
    app = Flask(__name__)
    app.json.ensure_ascii = False
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    tsunagu = build(settings)
    app.extensions["tsunagu"] = tsunagu

    from bot.admin.web import admin_blueprint
    from bot.webhook import bp as webhook_bp

    app.register_blueprint(webhook_bp)
    app.register_blueprint(admin_blueprint())
    if settings.local_mode:
        from bot.loopback import guard
        from bot.simulator.double import DoubleState, double_blueprint
        from bot.simulator.page import simulator_blueprint

        guard(app)
        tsunagu.double = DoubleState(token=settings.channel_access_token)
        app.register_blueprint(double_blueprint(tsunagu.double), url_prefix="/_line")
        app.register_blueprint(simulator_blueprint(tsunagu.double))
    return app
