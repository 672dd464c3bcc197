"""route_note (outline ③): the stage decides the lead type, the area then the load the person;
the other type always sees the case; urgent notes reach every specialist of the lead type who
may open them."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cases.intake import file_note
from bot.cases.invites import register
from bot.city import Area, City
from bot.intents import FileNote
from bot.storage.models import OutboxMessage, get_or_create_user

CITY = City(Path("city.yaml"), "", (Area("kita", "北地区"), Area("minami", "南地区")))


class Office:
    def __init__(self, db):
        self.db = db
        self.ids: dict[str, int] = {}
        self.now = datetime.now(UTC)
        with db.transaction() as session:
            self.reporter = self._user(session, "reporter", "member", None, "kita")

    def _user(self, session, name, role, kind, area):
        user = get_or_create_user(session, "U" + name)
        register(session, user, role=role, specialist_type=kind, org="x", area=area, now=self.now)
        self.ids[name] = user.id
        return user.id

    def specialist(self, name, kind, area=None):
        with self.db.transaction() as session:
            self._user(session, name, "specialist", kind, area)

    def note(self, stage="age1_2", area="kita", urgency="normal"):
        with self.db.transaction() as session:
            reporter = get_or_create_user(session, "Ureporter")
            case = file_note(
                session,
                reporter,
                FileNote("…", stage, area, urgency, "consent"),
                self.now,
                CITY,
            )
            name_of = {v: k for k, v in self.ids.items()}
            return case.lead_type, name_of.get(case.lead_id), case.id

    def pushes(self) -> dict[str, bool]:
        """Who got a case push since the last look, and whether it was urgent."""
        with self.db.transaction() as session:
            rows = session.scalars(
                select(OutboxMessage).where(OutboxMessage.kind == "messages")
            ).all()
            for row in rows:
                session.delete(row)
            return {row.to[1:]: row.urgent for row in rows}


@pytest.fixture
def office(bot):
    return Office(bot.tsunagu.db)


@pytest.mark.parametrize(
    "stage, lead",
    [
        ("pregnancy", "mch"),
        ("age0", "mch"),
        ("age1_2", "basic"),
        ("age3_preschool", "basic"),
        ("school", "basic"),
    ],
)
def test_the_stage_decides_the_lead_type(office, stage, lead):
    office.specialist("mch", "mch")
    office.specialist("basic", "basic")
    assert office.note(stage)[:2] == (lead, lead)


def test_the_area_comes_first_then_a_specialist_of_every_area(office):
    office.specialist("everywhere", "basic")
    office.specialist("north", "basic", "kita")
    assert office.note(area="kita")[1] == "north"
    assert office.note(area="minami")[1] == "everywhere"


def test_among_equals_the_one_with_fewer_open_cases_leads(office):
    office.specialist("first", "basic", "kita")
    office.specialist("second", "basic", "kita")
    assert [office.note()[1] for _ in range(4)] == ["first", "second", "first", "second"]


def test_the_other_type_sees_the_case_and_only_the_lead_is_pushed(office):
    office.specialist("north", "basic", "kita")
    office.specialist("north2", "basic", "kita")
    office.specialist("mch", "mch")
    office.specialist("mch_south", "mch", "minami")
    office.pushes()
    office.note()
    assert office.pushes() == {"north": False, "mch": False}


def test_an_urgent_note_goes_at_once_to_every_specialist_of_the_lead_type_in_scope(office):
    office.specialist("north", "basic", "kita")
    office.specialist("north2", "basic", "kita")
    office.specialist("south", "basic", "minami")  # may not open a 北地区 case: not told
    office.specialist("everywhere", "basic")
    office.specialist("mch", "mch")
    office.pushes()
    office.note(urgency="urgent")
    assert office.pushes() == {"north": True, "north2": True, "everywhere": True, "mch": True}


def test_an_urgent_note_nobody_of_the_lead_type_covers_goes_to_its_lead(office):
    office.specialist("south", "basic", "minami")
    office.pushes()
    assert office.note(urgency="urgent")[1] == "south"  # the lead may open it
    assert office.pushes() == {"south": True}


def test_with_nobody_of_the_lead_type_the_other_type_leads(office):
    office.specialist("mch", "mch")
    assert office.note("school")[:2] == ("basic", "mch")


def test_references_are_sequential(office):
    office.specialist("basic", "basic")
    ids = [office.note()[2] for _ in range(3)]
    assert ids == [1, 2, 3]
