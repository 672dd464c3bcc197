"""The admins' pages behind a session: figures and charts, knowledge uploads (problems, preview,
apply), the audit trail, and notices (dry run, send, quota)."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.cases.models import AuditEntry, Case, CaseEvent, ConcernNote
from bot.knowledge.importers import import_paths
from bot.knowledge.models import KbEntry
from bot.notices import send as notices
from bot.storage.models import LineUser

SECRET = "秘密のことば"
BASE = """\
    places:
      - {key: hall, name: テスト児童館, address: つなぐ市北町1-1, area: kita}
    entries:
      - {key: salon-a, kind: salon, name: テストサロンA, place: hall}
      - {key: salon-b, kind: salon, name: テストサロンB, place: hall}
"""
UPDATED = """\
    places:
      - {key: hall, name: テスト児童館, address: つなぐ市北町1-1, area: kita}
    entries:
      - {key: salon-a, kind: salon, name: テストサロンA（名前を変えた）, place: hall}
      - {key: salon-c, kind: salon, name: 新しいサロンC, place: hall}
"""
BAD_CSV = (
    "ID,名称,種別,所在地_連結表記,開始時間\r\n"
    "1,きた保育園,保育所,つなぐ市北町1-1,7:00\r\n"
    "2,みなみ保育園,保育所,つなぐ市南町1-1,25:00\r\n"
)


def test_the_figures_page_shows_each_table_with_its_chart_and_csv(desk):
    client = desk.signed_in()
    page = client.get(desk.url + "/admin/reports", params={"month": "2027-01"}, timeout=10)
    assert page.status_code == 200
    assert "月" in page.text or "Monthly" in page.text
    for name in ("notes_by_area", "time_to_first_contact", "friends_by_language"):
        assert f'id="{name}"' in page.text
        assert f"/admin/reports/2027-01/{name}.png" in page.text
    png = client.get(desk.url + "/admin/reports/2027-01/notes_by_area.png", timeout=10)
    assert png.headers["Content-Type"] == "image/png" and png.content[:4] == b"\x89PNG"
    csv = client.get(desk.url + "/admin/reports/2027-01/notes_by_area.csv", timeout=10)
    assert csv.content.startswith("\ufeff".encode()) and "kita" in csv.text
    assert client.get(desk.url + "/admin/reports?month=2027-13", timeout=10).status_code == 404
    assert client.get(desk.url + "/admin/reports/2027-01/nope.png", timeout=10).status_code == 404


def _upload(desk, client, name: str, body: bytes):
    token = desk.csrf(client, "/admin/kb")
    return client.post(
        desk.url + "/admin/kb/preview",
        data={"csrf_token": token},
        files={"file": (name, body)},
        timeout=30,
    )


def test_an_upload_with_a_problem_names_file_line_and_column_and_changes_nothing(desk):
    client = desk.signed_in()
    resp = _upload(desk, client, "保育所一覧.csv", BAD_CSV.encode("cp932"))
    assert resp.status_code == 422
    assert "保育所一覧.csv" in resp.text and "<td>3</td><td>5</td><td>開始時間</td>" in resp.text
    assert "25:00" in resp.text and 'name="upload_id"' not in resp.text  # nothing to apply
    with desk.db.reading() as session:
        assert session.scalar(select(func.count(KbEntry.id))) == 0


def test_an_upload_previews_added_changed_and_removed_then_applies(desk, tmp_path):
    base = tmp_path / "salons.yaml"
    base.write_text(textwrap.dedent(BASE), encoding="utf-8")
    assert import_paths(desk.db, [base], desk.tsunagu.city).ok
    client = desk.signed_in()
    resp = _upload(desk, client, "salons.yaml", textwrap.dedent(UPDATED).encode())
    assert resp.status_code == 200, resp.text
    assert '<strong id="added-count">1</strong>' in resp.text
    assert '<strong id="changed-count">1</strong>' in resp.text
    assert "salon-c" in resp.text and "salon-b" in resp.text  # removed from the file: listed
    with desk.db.reading() as session:  # the preview changed nothing
        names = dict(session.execute(select(KbEntry.key, KbEntry.name)).all())
    assert names == {"salon-a": "テストサロンA", "salon-b": "テストサロンB"}

    upload_id = resp.text.split('name="upload_id" value="')[1].split('"')[0]
    token = desk.csrf(client, "/admin/kb")
    other = desk.signed_in(desk.staff("U" + "af" * 16))  # another admin cannot apply it
    stolen = other.post(
        desk.url + "/admin/kb/apply",
        data={"csrf_token": desk.csrf(other, "/admin/kb"), "upload_id": upload_id},
        timeout=10,
    )
    assert stolen.status_code == 404
    done = client.post(
        desk.url + "/admin/kb/apply", data={"csrf_token": token, "upload_id": upload_id}, timeout=30
    )
    assert done.status_code == 200 and 'role="status"' in done.text
    with desk.db.reading() as session:
        names = dict(session.execute(select(KbEntry.key, KbEntry.name)).all())
    assert names == {
        "salon-a": "テストサロンA（名前を変えた）",
        "salon-b": "テストサロンB",  # an import never deletes
        "salon-c": "新しいサロンC",
    }
    again = client.post(
        desk.url + "/admin/kb/apply", data={"csrf_token": token, "upload_id": upload_id}, timeout=10
    )
    assert again.status_code == 404  # applied once; the upload is gone


@pytest.mark.parametrize("name", ["../../etc/passwd", "kb.exe", ""])
def test_uploads_other_than_yaml_or_csv_are_refused(desk, name):
    client = desk.signed_in()
    resp = _upload(desk, client, name, b"x")
    assert resp.status_code == 400


def _case_history(desk) -> tuple[int, int]:
    """A case with a note, events and a view of its note; returns (case id, specialist id)."""
    specialist = desk.staff("U" + "5b" * 16, role="specialist")
    now = datetime(2027, 1, 12, 1, 0, tzinfo=UTC)
    with desk.db.transaction() as session:
        note = ConcernNote(
            text=SECRET,
            stage="age0",
            area="kita",
            urgency="normal",
            legal_basis="consent",
            created_at=now,
        )
        session.add(note)
        session.flush()
        case = Case(
            note_id=note.id,
            stage="age0",
            area="kita",
            urgency="normal",
            lead_type="mch",
            created_at=now,
        )
        session.add(case)
        session.flush()
        session.add_all(
            [
                CaseEvent(case_id=case.id, actor_id=specialist, kind="claimed", at=now),
                CaseEvent(
                    case_id=case.id,
                    actor_id=specialist,
                    kind="action",
                    at=now,
                    detail={"action": "called"},
                    words=SECRET,
                ),
                AuditEntry(actor_id=specialist, case_id=case.id, action="view_note", at=now),
                AuditEntry(
                    actor_id=specialist,
                    case_id=case.id + 1,
                    action="refused",
                    detail="claim",
                    at=datetime(2026, 12, 1, tzinfo=UTC),
                ),
            ]
        )
        return case.id, specialist


def test_the_audit_trail_filters_by_case_person_and_date_and_shows_no_text(desk):
    case_id, specialist = _case_history(desk)
    client = desk.signed_in()
    page = client.get(desk.url + "/admin/audit", params={"since": "2027-01-01"}, timeout=10)
    assert page.status_code == 200
    ref = f"K-{case_id:04d}"
    assert page.text.count(ref) == 3 and "view_note" in page.text and "action=called" in page.text
    assert SECRET not in page.text and "refused" not in page.text  # December: outside
    early = client.get(desk.url + "/admin/audit", params={"since": "2026-11-01"}, timeout=10)
    assert "refused" in early.text
    by_case = client.get(
        desk.url + "/admin/audit", params={"since": "2026-11-01", "case": ref}, timeout=10
    )
    assert "refused" not in by_case.text and "view_note" in by_case.text
    nobody = client.get(
        desk.url + "/admin/audit", params={"since": "2026-11-01", "person": "999"}, timeout=10
    )
    assert ref not in nobody.text
    until = client.get(
        desk.url + "/admin/audit",
        params={"since": "2026-11-01", "until": "2026-12-31", "person": str(specialist)},
        timeout=10,
    )
    assert "refused" in until.text and "view_note" not in until.text
    csv = client.get(desk.url + "/admin/audit.csv", params={"since": "2027-01-01"}, timeout=10)
    assert csv.status_code == 200 and ref in csv.text and SECRET not in csv.text
    bad = client.get(desk.url + "/admin/audit", params={"since": "yesterday"}, timeout=10)
    assert bad.status_code == 400


def _parents(desk, rows: list[tuple[str, dict]]) -> None:
    with desk.db.transaction() as session:
        for i, (language, profile) in enumerate(rows):
            session.add(LineUser(line_user_id=f"U{i:032x}", language=language, profile=profile))


PARENTS = [
    ("ja", {"stage": "age0", "area": "kita"}),
    ("ja", {"stage": "age0", "area": "kita"}),
    ("ja", {"stage": "age0", "area": "minami"}),
    ("en", {"stage": "age0", "area": "kita"}),
    ("ja", {"stage": "school", "area": "kita"}),
    ("ja", {}),
]


def test_a_notice_dry_run_counts_and_a_send_multicasts_in_batches(desk, monkeypatch):
    _parents(desk, PARENTS)
    monkeypatch.setattr(notices, "BATCH", 2)
    client = desk.signed_in()
    form = {
        "text": "子育て相談の窓口をご案内します",
        "stage": "age0",
        "area": "kita",
        "language": "ja",
        "csrf_token": desk.csrf(client),
    }
    dry = client.post(desk.url + "/admin/notices", data={**form, "action": "count"}, timeout=10)
    assert dry.status_code == 200 and 'id="outcome"' in dry.text
    assert not desk.tsunagu.double.calls("multicast")
    assert "2" in dry.text.split('id="outcome"')[1].split("</p>")[0]

    form.update(stage="", language="")  # every parent of 北地区: four, in two batches
    sent = client.post(desk.url + "/admin/notices", data={**form, "action": "send"}, timeout=10)
    assert sent.status_code == 200
    calls = desk.tsunagu.double.calls("multicast")
    assert [len(c["json"]["to"]) for c in calls] == [2, 2]
    assert all(c["headers"].get("X-Line-Retry-Key") for c in calls)
    got = {r.user_id for r in desk.tsunagu.double.delivered if r.via == "multicast"}
    assert got == {f"U{i:032x}" for i in (0, 1, 3, 4)}
    with desk.db.reading() as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "notice_sent"))
        assert [a.detail for a in audit] == ["N-0001"]


def test_a_notice_over_the_quota_is_not_sent(desk):
    _parents(desk, PARENTS)
    desk.tsunagu.double.quota = 3
    client = desk.signed_in()
    form = {"text": "お知らせ", "csrf_token": desk.csrf(client), "action": "send"}
    resp = client.post(desk.url + "/admin/notices", data=form, timeout=10)
    assert resp.status_code == 409 and not desk.tsunagu.double.calls("multicast")
    bad = client.post(desk.url + "/admin/notices", data={**form, "area": "mars"}, timeout=10)
    assert bad.status_code == 400


def test_a_failed_batch_is_retried_under_its_key_and_never_doubled(desk, monkeypatch):
    _parents(desk, PARENTS[:3])
    monkeypatch.setattr(notices, "BACKOFF_SECONDS", 0)
    desk.tsunagu.double.fail_next(500, endpoint="multicast")
    outcome = notices.send_notice(
        desk.db,
        desk.tsunagu.runtime.deliverer.api,
        "お知らせ",
        notices.Filters(),
        datetime.now(UTC),
    )
    assert (outcome.sent, outcome.failed) == (3, 0)
    calls = desk.tsunagu.double.calls("multicast")
    assert (
        len(calls) == 2
        and calls[0]["headers"]["X-Line-Retry-Key"] == calls[1]["headers"]["X-Line-Retry-Key"]
    )
    assert len([r for r in desk.tsunagu.double.delivered if r.via == "multicast"]) == 3


def test_unanswered_questions_are_grouped_masked_and_downloadable(desk):
    from datetime import date, timedelta

    from bot.knowledge import gaps

    today = datetime.now(UTC).date()
    asked = [
        ("夜泣きがひどいです", gaps.NOTHING),
        ("夜泣き ひどい", gaps.NOTHING),
        ("よなきがひどい", gaps.CLOSEST),
        ("田中さんの家の近くで大人向けのピアノ教室は？ 090-1234-5678", gaps.UNRELATED),
    ]
    with desk.db.transaction() as session:
        for question, kind in asked:
            assert gaps.record(session, question, kind, today)
        gaps.record(session, "去年の夏に聞いた古い質問です", gaps.NOTHING, date(2020, 7, 1))
    client = desk.signed_in()
    page = client.get(desk.url + "/admin/gaps", timeout=10)
    assert page.status_code == 200 and "夜泣き" in page.text
    assert "<td>3</td>" in page.text  # one group of three wordings of the same question
    assert "田中" not in page.text and "090-1234-5678" not in page.text
    assert "〔電話番号〕" in page.text
    assert "古い質問" not in page.text  # older than the default 30 days
    older = client.get(desk.url + "/admin/gaps", params={"since": "2020-01-01"}, timeout=10)
    assert "古い質問" in older.text
    since = (today - timedelta(days=1)).isoformat()
    csv = client.get(desk.url + "/admin/gaps.csv", params={"since": since}, timeout=10)
    assert csv.status_code == 200 and csv.content.startswith(b"\xef\xbb\xbf")  # Excel: UTF-8
    assert "count,first_asked" in csv.text and "夜泣き" in csv.text and "田中" not in csv.text
    bad = client.get(desk.url + "/admin/gaps", params={"since": "先週"}, timeout=10)
    assert bad.status_code == 400
