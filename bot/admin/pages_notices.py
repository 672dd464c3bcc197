"""The notices page: write a notice, choose stage, area and language, see how many parents it
reaches (a dry run, with the month's quota), then send it."""

from __future__ import annotations

import logging

from flask import Blueprint, g, request

from bot.admin.frame import admin_required, now, page, tsunagu
from bot.i18n import LANGUAGES
from bot.notices.messages import REFUSALS
from bot.notices.send import Filters, NoticeError, send_notice
from bot.vocabulary import STAGE_LABELS

log = logging.getLogger(__name__)


def _choices() -> dict:
    city = tsunagu().city
    return {
        "stages": {str(code): label for code, label in STAGE_LABELS.items()},
        "areas": {a.id: a.name for a in city.areas},
        "languages": LANGUAGES,
    }


def _form() -> tuple[str, Filters | None]:
    form, choices = request.form, _choices()
    picked = {k: form.get(k) or None for k in ("stage", "area", "language")}
    allowed = {"stage": choices["stages"], "area": choices["areas"], "language": LANGUAGES}
    if any(v is not None and v not in allowed[k] for k, v in picked.items()):
        return form.get("text", ""), None
    return form.get("text", ""), Filters(**picked)


@admin_required
def notices_page():
    return page("admin/notices.html", form={}, **_choices())


@admin_required
def notices_post():
    text, filters = _form()
    dry_run = request.form.get("action") != "send"
    context = {"form": request.form, **_choices()}
    if filters is None:
        return page("admin/notices.html", 400, message=REFUSALS["bad_filter"], **context)
    try:
        outcome = send_notice(
            tsunagu().db,
            tsunagu().runtime.deliverer.api,
            text,
            filters,
            now(),
            sent_by=g.admin.id,
            dry_run=dry_run,
        )
    except NoticeError as exc:
        return page("admin/notices.html", 409, message=REFUSALS[str(exc)], **context)
    if not dry_run:
        log.info("admin %s sent notice %s", g.admin.id, outcome.reference)
    return page("admin/notices.html", outcome=outcome, **context)


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/notices", "notices", notices_page)
    bp.add_url_rule("/notices", "notices_post", notices_post, methods=["POST"])
