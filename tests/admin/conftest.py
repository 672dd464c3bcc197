"""The admins' page over real HTTP: an admin registered as staff, sign-in links issued the way
the chat command issues them, and a browser-like session (requests keeps the cookie)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import requests
from sqlalchemy import select

from bot.admin.signin import issue_sign_in_link
from bot.cases.models import Staff
from bot.storage.models import LineUser

ADMIN = "U" + "ad" * 16
SPECIALIST = "U" + "5b" * 16


class Desk:
    """The live app, its database, and the admins who sign in to it."""

    def __init__(self, live):
        self.live = live
        self.url = live.url
        self.tsunagu = live.app.extensions["tsunagu"]
        self.db = self.tsunagu.db

    def staff(self, line_id: str = ADMIN, role: str = "admin", language: str = "ja") -> int:
        with self.db.transaction() as session:
            user = session.scalar(select(LineUser).where(LineUser.line_user_id == line_id))
            if user is None:
                user = LineUser(line_user_id=line_id, role=role, language=language, profile={})
                session.add(user)
                session.flush()
                session.add(Staff(user_id=user.id, role=role))
            return user.id

    def link(self, user_id: int) -> str:
        with self.db.transaction() as session:
            user = session.get(LineUser, user_id)
            return issue_sign_in_link(session, user, datetime.now(UTC), self.url)

    def browser(self) -> requests.Session:
        return requests.Session()

    def signed_in(self, user_id: int | None = None) -> requests.Session:
        client = self.browser()
        resp = client.get(self.link(user_id or self.staff()), timeout=10)
        assert resp.status_code == 200, resp.text
        return client

    def csrf(self, client: requests.Session, path: str = "/admin/notices") -> str:
        html = client.get(self.url + path, timeout=10).text
        return re.search(r'name="csrf_token" value="([0-9a-f]{64})"', html)[1]


@pytest.fixture
def desk(live) -> Desk:
    return Desk(live)
