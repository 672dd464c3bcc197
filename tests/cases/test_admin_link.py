"""「管理画面」: an admin gets a one-time sign-in link in the chat; nobody else does."""

from urllib.parse import urlparse

import requests

from bot.admin.frame import COOKIE
from tests.cases.conftest import Cast


def test_an_admin_gets_a_link_that_signs_in_once(cast: Cast):
    cast.admin.says("管理画面")
    assert cast.admin.heard("Your sign-in link for the admin page")
    link = cast.admin.button("Open the admin page")["uri"]
    here = urlparse(link)
    url = f"{cast.bot.live.url}{here.path}?{here.query}"
    first = requests.get(url, timeout=5)
    assert first.status_code == 200 and COOKIE in first.cookies
    assert requests.get(url, timeout=5).status_code == 403  # used once


def test_nobody_else_gets_a_link(cast: Cast):
    for person in (cast.basic, cast.member, cast.parent):
        person.says("管理画面")
        assert not person.heard("sign-in link"), person.user_id
