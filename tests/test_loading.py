"""LINE's loading animation while a parent's free-text question is searched: through the real
line-bot-sdk to the Messaging API double, which checks the request as LINE does."""

import logging

import pytest
import requests
from linebot.v3.messaging import ShowLoadingAnimationRequest
from linebot.v3.messaging.exceptions import ApiException

from bot.city import load_city
from bot.cli.kb import city_files
from bot.config import SAMPLE_CITY
from bot.knowledge.importers import import_paths
from bot.messaging.client import messaging_api
from bot.messaging.loading import LoadingAnimation

PARENT = "U" + "a1" * 16


@pytest.fixture
def city_bot(bot):
    city = load_city(SAMPLE_CITY)
    assert import_paths(bot.tsunagu.db, city_files(city), city=city).ok
    return bot


def api_for(bot):
    settings = bot.tsunagu.settings
    return messaging_api(settings.api_endpoint, settings.channel_access_token)


def test_the_sdk_starts_the_animation_and_a_message_ends_it(bot):
    api = api_for(bot)
    api.show_loading_animation(ShowLoadingAnimationRequest(chatId=PARENT, loadingSeconds=15))
    [call] = bot.double.calls("loading")
    assert call["json"] == {"chatId": PARENT, "loadingSeconds": 15}
    assert bot.double.is_loading(PARENT)
    bot.person(PARENT).says("ヘルプ")  # the bot's answer arrives: the animation stops
    assert not bot.double.is_loading(PARENT)


def test_the_double_refuses_what_line_refuses(bot):
    api = api_for(bot)
    with pytest.raises(ApiException) as refused:  # the SDK allows 7; LINE wants a multiple of 5
        api.show_loading_animation(ShowLoadingAnimationRequest(chatId=PARENT, loadingSeconds=7))
    assert refused.value.status == 400
    url = bot.tsunagu.settings.api_endpoint + "/v2/bot/chat/loading/start"
    auth = {"Authorization": f"Bearer {bot.tsunagu.settings.channel_access_token}"}
    for body in (
        {"loadingSeconds": 10},  # no chatId
        {"chatId": "", "loadingSeconds": 10},
        {"chatId": "C" + "0" * 32, "loadingSeconds": 10},  # a group: one-on-one chats only
        {"chatId": PARENT, "loadingSeconds": 0},
        {"chatId": PARENT, "loadingSeconds": 65},
        {"chatId": PARENT, "loadingSeconds": "10"},
    ):
        assert requests.post(url, json=body, headers=auth, timeout=5).status_code == 400, body
    assert requests.post(url, json={"chatId": PARENT}, headers=auth, timeout=5).status_code == 202
    assert not bot.double.is_loading("U" + "0" * 32)


def test_a_parents_search_shows_the_animation_and_is_answered_by_reply(city_bot):
    parent = city_bot.person(PARENT)
    answer = parent.says("土曜日にやってる支援センター")
    city_bot.tsunagu.runtime.services.loading.wait_idle()
    calls = city_bot.double.calls("loading")
    assert [c["json"] for c in calls] == [{"chatId": PARENT, "loadingSeconds": 10}]
    assert answer  # the search answered …
    assert [c["endpoint"] for c in city_bot.double.requests if c["endpoint"] != "loading"] == [
        "reply"  # … with the reply token: the animation is no reply
    ]


def test_no_animation_for_what_is_not_a_search(city_bot):
    parent = city_bot.person(PARENT)
    parent.says("こんにちは")
    parent.says("ヘルプ")
    city_bot.tsunagu.runtime.services.loading.wait_idle()
    assert city_bot.double.calls("loading") == []


def test_a_failed_animation_is_logged_without_the_user_and_changes_nothing(city_bot, caplog):
    city_bot.double.fail_next(500, endpoint="loading")
    parent = city_bot.person(PARENT)
    with caplog.at_level(logging.WARNING, logger="bot.messaging.loading"):
        answer = parent.says("一時預かりはどこで申し込めますか")
        city_bot.tsunagu.runtime.services.loading.wait_idle()
    assert answer
    assert "loading animation refused: HTTP 500" in caplog.text
    assert PARENT not in caplog.text


def test_seconds_outside_lines_range_are_refused_at_once():
    for seconds in (0, 3, 65):
        with pytest.raises(ValueError):
            LoadingAnimation(api=None, seconds=seconds)


def test_no_animation_while_answers_wait_to_be_sent(city_bot):
    city_bot.tsunagu.runtime.behind = True  # a flood: every call to LINE goes to answers
    city_bot.person(PARENT).says("土曜日にやってる支援センター")
    city_bot.tsunagu.runtime.services.loading.wait_idle()
    assert city_bot.double.calls("loading") == []
