"""Hygiene (issue #9): a full case and consultation run, with every log line captured and every
push LINE received scanned for the family's words, names and phone numbers; secrets never in a
log line."""

import logging

from tests.cases.conftest import Cast

FAMILY = ("ミドリ色のリュック", "山田花子", "離乳食の進め方", "090-8765-4321", "玄関の鍵")


def test_no_family_words_in_any_log_or_push(cast: Cast, caplog):
    caplog.set_level(logging.DEBUG)
    cast.member.says("気になる 2歳の子、ミドリ色のリュックで来る")
    cast.member.taps("Normal")
    cast.member.taps("Parent agreed")
    cast.member.taps("Send")
    cast.basic.says("#K-0001")
    cast.basic.taps("Read the note")
    cast.basic.taps("Claim")
    cast.basic.says("K-0001 山田花子さんの母から電話")
    cast.basic.taps("Record it")
    parent = cast.parent
    parent.says("search")
    parent.taps("Age 1–2")
    parent.taps("North (北地区)")
    parent.taps("Any day")
    parent.says("ask a specialist")
    parent.taps("Parenting worries")
    parent.says("離乳食の進め方が分からない")
    parent.taps("By phone")
    parent.says("090-8765-4321")
    parent.taps("Send")
    cast.basic.says("#S-0002")
    cast.basic.taps("Open the request")
    cast.basic.taps("Reply")
    cast.basic.says("明日お電話します")
    parent.says("玄関の鍵はあけておきます")
    cast.basic.replies()
    cast.basic.taps("Read")
    assert cast.basic.heard("玄関の鍵")  # the words reached who may read them, as replies
    double = cast.bot.double
    pushed = str([c["json"] for c in double.calls("push") + double.calls("multicast")])
    assert [w for w in FAMILY if w in pushed] == []
    assert [w for w in FAMILY if w in caplog.text] == []
    settings = cast.bot.tsunagu.settings
    for secret in (settings.channel_secret, settings.channel_access_token, settings.data_key):
        assert secret not in caplog.text
