"""One transcript per tier of the danger check (issue #13): what the parent sees, and who is told
and when. The messages are of the kinds the first rules missed (a neighbour's report, fear of
losing control, neglect told by the parent, an indirect wish to die), not the classic words."""

from sqlalchemy import select

from bot.cases.models import Case
from bot.city import load_city
from bot.cli.kb import city_files
from bot.config import SAMPLE_CITY
from bot.knowledge.importers import import_paths
from bot.safety.matcher import rules
from bot.storage.models import OutboxMessage
from bot.vocabulary import CaseKind
from tests.people import register_specialist

PARENT = "U" + "3" * 32
SPECIALIST = "U" + "4" * 32


def _alerts(bot) -> list[Case]:
    with bot.tsunagu.db.transaction() as session:
        return list(session.scalars(select(Case).where(Case.kind == CaseKind.ALERT)))


def _pushes(bot) -> list[OutboxMessage]:
    """What went out to the specialist (a page), apart from the replies to the parent."""
    with bot.tsunagu.db.transaction() as session:
        return list(
            session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.kind == "messages", OutboxMessage.to == SPECIALIST
                )
            ).all()
        )


def _tel(parent) -> list[str]:
    return [
        a["uri"]
        for m in parent.last
        for a in m.get("template", {}).get("actions", [])
        if a.get("uri", "").startswith("tel:")
    ]


def _setup(bot):
    with bot.tsunagu.db.transaction() as session:
        register_specialist(session, SPECIALIST)
    return bot.person(PARENT), bot.person(SPECIALIST)


def test_emergency_a_partner_strangling_the_child_now_gets_110_first_and_an_urgent_page(bot):
    parent, specialist = _setup(bot)
    parent.says("いま夫が子どもの首を絞めてる")
    first = parent.texts()[0].split("\n")
    assert first[1].startswith("☎ 110")  # 110 before anything else, at once
    assert "tel:189" in _tel(parent)  # the child's line is there too, as a button
    (alert,) = specialist.replies()  # paged now, with the case's reference and never the words
    assert "A-0001" in alert["altText"] and "首" not in str(alert)
    assert _pushes(bot) and all(p.urgent for p in _pushes(bot))
    (case,) = _alerts(bot)
    assert case.urgency == "urgent"


def test_crisis_a_neighbours_report_gets_189_and_one_bundled_alert(bot):
    parent, specialist = _setup(bot)
    parent.says("隣の子が毎晩ベランダに出されて泣いてる。親の怒鳴り声もする")
    assert parent.texts()[0].split("\n")[1].startswith("☎ 189")
    assert not parent.heard("☎ 110")  # nothing says it is happening this minute
    assert {"tel:189", "tel:0120-000-189"} <= set(_tel(parent))
    (alert,) = specialist.replies()
    assert "A-0001" in alert["altText"] and "ベランダ" not in str(alert)
    # A second signal from the same parent within the window joins the same case: no second page.
    parent.says("子どもにご飯、もう二日あげてない")
    assert parent.heard("189")
    assert not specialist.replies()
    (case,) = _alerts(bot)
    assert case.detail["categories"] == ["child_abuse"]


def test_crisis_an_indirect_wish_to_die_gets_the_suicide_line(bot):
    parent, specialist = _setup(bot)
    parent.says("朝、目が覚めなければいいのにって毎晩思う")
    assert parent.heard("0120-000-556")
    assert "tel:0120-000-556" in _tel(parent)
    assert len(specialist.replies()) == 1


def test_concern_fear_of_losing_control_gets_a_warm_answer_the_offer_and_no_page(bot):
    parent, specialist = _setup(bot)
    parent.says("泣き声を聞くと、このままだと手が出そうで自分が怖い")
    texts = parent.texts()
    assert texts[0].startswith("話してくれてありがとう")  # warm first, not an order to call
    assert parent.heard("189") and parent.heard("0120-000-556")  # lines that listen at any hour
    assert not parent.heard("☎ 110") and not parent.heard("☎ 119")
    assert "専門員に相談" in parent.buttons()  # the parent decides whether a specialist calls
    assert not specialist.replies()  # no page, at night or any hour
    assert not _alerts(bot) and not _pushes(bot)


def test_concern_low_mood_after_birth_adds_the_postnatal_line(bot):
    parent, specialist = _setup(bot)
    parent.says("出産してから、わけもなく涙が出る")
    assert parent.heard("000-111-0201")  # the city's postnatal consultation
    assert not specialist.replies()
    assert not _alerts(bot)


def test_near_misses_stay_ordinary(bot):
    parent, specialist = _setup(bot)
    for typed in (
        "死ぬほど眠いけど、今日の健診は何時から？",
        "上の子が下の子を叩くのをやめさせたい",
    ):
        parent.says(typed)
        assert not parent.heard("189") and not parent.heard("☎")
    assert not specialist.replies()
    assert not _alerts(bot)


def test_only_the_net_fires_and_its_tier_model_says_concern_no_one_is_paged(bot):
    """Words the rules do not know (a mother in a daze since the birth): the safety net answers,
    and its tier model says concern — the warm answer, never a page."""
    parent, specialist = _setup(bot)
    typed = "最近ずっとぼーっとして赤ちゃんの世話が手につかない"
    assert rules(typed) is None  # the rules alone would have let it pass
    parent.says(typed)
    assert parent.texts()[0].startswith("話してくれてありがとう")
    assert "tel:189" in _tel(parent)  # the child's line, as a button
    assert not parent.heard("☎ 110") and not parent.heard("☎ 119")
    assert "専門員に相談" in parent.buttons()  # the parent may ask for a specialist
    assert not specialist.replies() and not _alerts(bot) and not _pushes(bot)


def test_only_the_net_fires_and_its_tier_model_says_crisis_one_bundled_alert(bot):
    """A coach's 'secret just for the two of us', said around the edges: no rule names it, the
    net is sure and its tier model says crisis — the crisis lines (the net cannot tell which,
    so all of them) and one alert that says only that the kind is unnamed; never 110/119 on
    the net's word."""
    parent, specialist = _setup(bot)
    typed = "習い事のコーチが娘に二人だけの秘密って言ってるらしい"
    assert rules(typed) is None
    parent.says(typed)
    assert parent.texts()[0].startswith("いますぐ相談してください")
    assert {"tel:189", "tel:0120-000-189", "tel:%238008", "tel:0120-000-556"} <= set(_tel(parent))
    assert not parent.heard("☎ 110") and not parent.heard("☎ 119")
    (alert,) = specialist.replies()  # paged, with the reference and never the words
    assert "A-0001" in alert["altText"] and "秘密" not in str(alert)
    (case,) = _alerts(bot)
    assert case.detail["categories"] == ["net"]
    # The same parent again within the window: the same case, no second page.
    parent.says("こどもと　いっしょに　とおくへ　いって　もどらない　つもり")
    assert parent.heard("0120-000-556")
    assert not specialist.replies()
    (case,) = _alerts(bot)


def test_only_the_net_fires_and_the_danger_is_at_hand_110_and_119_first(bot):
    """The same kind of wish the net alone reads, said from the station platform: an emergency
    as the rules' own would be — 110 and 119 first as buttons, then the suicide line, and the
    page goes at once."""
    parent, specialist = _setup(bot)
    typed = "もうどこか遠くへ行ってしまいたい、子どもも一緒に。いま駅のホーム"
    assert rules(typed) is None
    parent.says(typed)
    assert parent.texts()[0].startswith("いますぐ電話してください")
    assert _tel(parent)[:3] == ["tel:110", "tel:119", "tel:0120-000-556"]
    (alert,) = specialist.replies()
    assert "ホーム" not in str(alert)
    (case,) = _alerts(bot)
    assert case.detail["categories"] == ["net"]


def _cards(parent) -> list[str]:
    return [
        b["header"]["contents"][0]["text"]
        for m in parent.last
        if m.get("type") == "flex"
        for b in m["contents"]["contents"]
    ]


def _with_the_sample_city(bot):
    city = load_city(SAMPLE_CITY)
    assert import_paths(bot.tsunagu.db, city_files(city), city=city).ok
    return _setup(bot)


def test_concern_with_a_question_gets_the_lines_and_then_its_answer(bot):
    """A worn-out parent asking for somewhere to leave the baby for a few hours needs both: the
    warm word with the 24-hour lines, and the answer to what they asked — in one reply."""
    parent, specialist = _with_the_sample_city(bot)
    parent.says(
        "夜泣きで何日もまともに寝てなくてもう限界。数時間でいいから赤ちゃんを預けられるところある？"
    )
    texts = parent.texts()
    assert texts[0].startswith("話してくれてありがとう")
    assert "tel:189" in _tel(parent)
    assert any("一時預かり" in name for name in _cards(parent)), _cards(parent)
    assert len(parent.last) <= 5  # one reply: LINE takes five messages
    # the specialist offered once, with its button still there above the cards (a quick reply
    # would show only under the last message), and not again under the cards
    (offer,) = [m for m in parent.last if "市の専門員からご連絡" in m.get("altText", "")]
    assert [a["label"] for a in offer["template"]["actions"]] == ["専門員に相談"]
    assert not parent.heard("専門員がいっしょに考えます")
    assert not specialist.replies() and not _alerts(bot)


def test_a_net_only_crisis_still_gets_its_question_answered(bot, monkeypatch):
    """The net's crisis is its word, not a rule's: after the crisis lines and the alert, what
    the parent asked is still answered (here the net's verdict is given, to reach the path
    with a text that asks for something)."""
    from bot.handlers import prepared
    from bot.safety import Assessment

    net_crisis = Assessment(frozenset(), urgent=False, tier="crisis", kinds=frozenset({"net"}))
    monkeypatch.setattr(prepared, "assess", lambda text: net_crisis)
    parent, specialist = _with_the_sample_city(bot)
    parent.says("数時間でいいから赤ちゃんを預けられるところある？")
    assert parent.texts()[0].startswith("いますぐ相談してください")
    assert "tel:0120-000-556" in _tel(parent) and "tel:%238008" in _tel(parent)
    assert any("一時預かり" in name for name in _cards(parent)), _cards(parent)
    assert len(specialist.replies()) == 1
    (case,) = _alerts(bot)
    assert case.detail["categories"] == ["net"]


def test_concern_after_birth_gets_the_lines_and_postnatal_care(bot):
    """Low mood after birth: the lines, and the city's postnatal care and its 母子保健型 specialists
    as cards (the issue's concern answer names postnatal care)."""
    parent, specialist = _with_the_sample_city(bot)
    parent.says("産後ずっと気分が落ち込んでて、毎日涙が出る")
    assert parent.texts()[0].startswith("話してくれてありがとう")
    assert any("産後ケア" in name for name in _cards(parent)), _cards(parent)
    assert not specialist.replies() and not _alerts(bot)


def test_concern_with_nothing_to_look_up_gets_only_the_lines(bot):
    """Words of distress that ask for nothing: no cards that merely share a word (子育て) and no
    'nothing found' after the lines, no second offer."""
    parent, _ = _with_the_sample_city(bot)
    parent.says("子育てに向いてない気がする。もう無理")
    assert parent.texts()[0].startswith("話してくれてありがとう")
    assert not _cards(parent)
    for said in ("見つかりませんでした", "専門員がいっしょに探す", "専門員がいっしょに考えます"):
        assert not parent.heard(said), said


def test_a_parent_writing_portuguese_gets_the_routes_in_portuguese_and_a_page(bot):
    """The bot speaks Portuguese, so danger in Portuguese is answered as in Japanese: a wish to
    disappear with the baby, said from a station platform, is an emergency (the walk of round 6
    found it answered with search results) — in Portuguese, though no language was chosen."""
    parent, specialist = _setup(bot)
    parent.says("to na plataforma com meu bebe, nao aguento mais, quero sumir agora")
    assert parent.texts()[0].startswith("Ligue agora")
    assert _tel(parent)[:2] == ["tel:119", "tel:110"]
    (alert,) = specialist.replies()
    assert "plataforma" not in str(alert) and "sumir" not in str(alert)
