"""The first conversation, end to end: follow → welcome → language → help → stop."""

PARENT = "U" + "a" * 32


def test_follow_gets_welcome_in_japanese_with_language_choice(bot):
    parent = bot.person(PARENT)
    parent.follows()
    assert parent.heard("ようこそ")
    # The privacy notice is one tap from the welcome; the language question comes with it.
    assert parent.buttons() == [
        "プライバシー / Privacy",
        "日本語",
        "English",
        "Português",
        "Tiếng Việt",
        "中文（简体）",
    ]
    parent.taps("プライバシー / Privacy")
    assert parent.heard("プライバシーについて（つなぐ）") and parent.heard("わたしのデータ")
    parent.taps("English")  # the language question still stands
    assert parent.heard("From now on I will talk to you in English.")


def test_choosing_english_answers_in_english_and_is_remembered(bot):
    parent = bot.person(PARENT)
    parent.follows()
    parent.taps("English")
    assert parent.heard("From now on I will talk to you in English.")
    parent.says("help")
    assert parent.heard("Here is what I can do")


def test_choosing_japanese(bot):
    parent = bot.person(PARENT)
    parent.follows()
    parent.taps("日本語")
    assert parent.heard("これからは日本語でお話しします。")


def test_help_says_what_each_role_can_do(bot):
    from bot.storage.models import LineUser

    staff = "U" + "d" * 32
    with bot.tsunagu.db.transaction() as session:
        session.add(LineUser(line_user_id=staff, role="specialist", profile={}))
    specialist = bot.person(staff)
    specialist.says("ヘルプ")
    assert specialist.heard("「一覧」で担当中のケース")
    parent = bot.person(PARENT)
    parent.says("ヘルプ")
    assert parent.heard("できること") and not parent.heard("専門員のみなさんへ")
