"""The knowledge-base page: upload a YAML or open-data CSV file, see every problem or a preview
of what would change, then apply it (all or nothing, as ``kb import`` does)."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Blueprint, g, request

from bot.admin import kb_upload
from bot.admin.frame import admin_required, page, tsunagu
from bot.i18n import _

log = logging.getLogger(__name__)

NO_FILE = _("Choose a .yaml or .csv file to upload.")
GONE = _("That upload is no longer there (uploads are kept for an hour). Upload the file again.")


def _root() -> Path:
    return tsunagu().settings.instance_path / "admin_uploads"


def _city():
    return tsunagu().city


@admin_required
def kb_page():
    return page("admin/kb.html")


@admin_required
def kb_preview():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return page("admin/kb.html", 400, message=NO_FILE)
    try:
        upload_id = kb_upload.store_upload(_root(), g.admin.id, upload.filename, upload.read())
    except kb_upload.BadUpload:
        return page("admin/kb.html", 400, message=NO_FILE)
    path = kb_upload.upload_path(_root(), g.admin.id, upload_id)
    result = kb_upload.preview(tsunagu().db, path, _city())
    if not result.ok:
        kb_upload.discard(path)
    log.info("admin %s previewed a knowledge file: %d problems", g.admin.id, len(result.problems))
    return page(
        "admin/kb_preview.html",
        200 if result.ok else 422,
        preview=result,
        file_name=path.name,
        upload_id=upload_id,
    )


@admin_required
def kb_apply():
    path = kb_upload.upload_path(_root(), g.admin.id, request.form.get("upload_id", ""))
    if path is None:
        return page("admin/kb.html", 404, message=GONE)
    report = kb_upload.apply(tsunagu().db, path, _city())
    kb_upload.discard(path)
    # Other processes' search indexes follow by themselves (bot/knowledge/service.py re-checks
    # the entries every few seconds); this one's at once, for the editor who tries it next.
    tsunagu().runtime.services.kb.look_again()
    log.info("admin %s applied a knowledge file: ok=%s", g.admin.id, report.ok)
    return page(
        "admin/kb_applied.html", 200 if report.ok else 422, report=report, file_name=path.name
    )


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/kb", "kb", kb_page)
    bp.add_url_rule("/kb/preview", "kb_preview", kb_preview, methods=["POST"])
    bp.add_url_rule("/kb/apply", "kb_apply", kb_apply, methods=["POST"])
