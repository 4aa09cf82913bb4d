"""Two districts at once, through the real Rasa server, action server, web app
and PostgreSQL (issue #13, "Done when"):

a citizen of Indore and a citizen of Jhabua apply at the same time and get ids
with their own district codes, their own tehsils and due dates (each district's
holidays); the Indore citizen first says Jhabua, then changes the district in
the middle of the form; no reply to the Indore citizen says "झाबुआ"; each
district's officer sees only their own application in the portal, a state
officer sees both, side by side in the league table.
"""

import re
import threading
import uuid

import pytest
import sqlalchemy as sa

from lokseva.applications import rules
from lokseva import rasa_api
from lokseva.catalogue import load_catalogue
from lokseva.clock import aware
from lokseva.districts import load_district
from tests.unit.portal.support import PortalClient, make_staff

pytestmark = [pytest.mark.integration, pytest.mark.postgres]

AADHAAR = "2345 6789 0124"
ID = re.compile(r"\b([A-Z]{3})-\d{4}-\d{6}\b")

INDORE = [
    "मुझे आय प्रमाण पत्र बनवाना है",
    "देवास",  # the wrong district, by mistake ...
    "सीता वर्मा",
    "ज़िला बदलना है",  # ... so it is changed in the middle of the form
    "इंदौर",
    "पिता का नाम रामलाल वर्मा",
    "महिला",
    "12/03/1990",
    "गाँव रंगवासा",
    "राऊ",  # Indore's tehsils are not in the registry: taken as written
    "पिन 453331",
    f"आधार नंबर {AADHAAR}",
    "डेढ़ लाख",
    "हाँ",
]
JHABUA = [
    "aay praman patra banwana hai",
    "main jhabua se hoon",
    "kalu bhabor",
    "papa ka naam nanu bhabor",
    "purush",
    "01/01/1985",
    "gaon kalyanpura",
    "thandla",
    "457777",
    f"aadhaar {AADHAAR}",
    "1 lakh",
    "haan",
]


def texts(messages):
    return "\n".join(m.get("text", "") for m in messages)


@pytest.fixture(scope="module")
def applied(assistant):
    """Both conversations, turn by turn in two threads at once; returns the replies per citizen."""
    senders = {"indore": f"indore-{uuid.uuid4().hex[:8]}", "jhabua": f"jhabua-{uuid.uuid4().hex[:8]}"}
    replies = {"indore": [], "jhabua": []}
    errors = []

    def converse(who, turns):
        try:
            for turn in turns:
                replies[who].append((turn, texts(assistant.say(turn, sender=senders[who]))))
        except Exception as error:  # surfaced below, in the test's thread
            errors.append(error)

    threads = [
        threading.Thread(target=converse, args=("indore", INDORE)),
        threading.Thread(target=converse, args=("jhabua", JHABUA)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not errors, errors
    return senders, replies


def rows(assistant, sql, **params):
    engine = sa.create_engine(assistant.settings.database_url)
    try:
        with engine.connect() as conn:
            return [dict(r) for r in conn.execute(sa.text(sql), params).mappings()]
    finally:
        engine.dispose()


def reference_of(replies):
    found = ID.search(replies[-1][1])
    assert found, replies[-1][1]
    return found.group(0)


def test_each_citizen_gets_an_id_of_their_own_district(applied):
    _, replies = applied
    assert reference_of(replies["indore"]).startswith("IND-")
    assert reference_of(replies["jhabua"]).startswith("JBA-")
    assert "ज़िला: इंदौर" in replies["indore"][-1][1], "the receipt names the district"
    assert "ज़िला: झाबुआ" in replies["jhabua"][-1][1] or "District: Jhabua" in replies["jhabua"][-1][1]


def test_the_district_is_asked_once_and_can_change_mid_way(applied):
    _, replies = applied
    indore = dict(replies["indore"])
    assert "किस ज़िले" in indore["मुझे आय प्रमाण पत्र बनवाना है"]
    assert "देवास" in indore["देवास"]
    assert "किस ज़िले" in indore["ज़िला बदलना है"]
    assert "इंदौर" in indore["इंदौर"] and "पिता का नाम" in indore["इंदौर"], "the form goes on where it was"
    asked = [turn for turn, text in replies["indore"] if "किस ज़िले" in text]
    assert asked == ["मुझे आय प्रमाण पत्र बनवाना है", "ज़िला बदलना है"]


def test_nothing_says_jhabua_to_the_indore_citizen(applied):
    _, replies = applied
    said = "\n".join(text for _, text in replies["indore"])
    assert "झाबुआ" not in said and "Jhabua" not in said and "JBA" not in said


def test_tehsils_and_due_dates_are_each_districts(assistant, applied):
    _, replies = applied
    catalogue = load_catalogue()
    for who, tehsil in (("indore", "राऊ"), ("jhabua", "Thandla")):
        reference = reference_of(replies[who])
        [row] = rows(assistant, "SELECT * FROM applications WHERE reference = :r", r=reference)
        district = load_district(who)
        assert row["district_code"] == district.code and row["address_tehsil"] == tehsil
        # Until the fee is paid, the date is the one if it were paid on submission (rules.due_date_from),
        # with this district's office hours and holidays.
        expected = rules.due_date_from(
            aware(row["submitted_at"]),
            catalogue[row["service_id"]].time_limit,
            district.working_hours,
            district.holidays,
        )
        assert row["due_date"] == expected
    [citizen] = rows(assistant, "SELECT district_code FROM citizens WHERE channel_user_id = :s", s=applied[0]["indore"])
    assert citizen["district_code"] == "IND", "remembered for the next conversation"


def test_the_district_is_remembered_in_a_new_conversation(assistant, applied):
    senders, _ = applied
    # A new conversation: Rasa's API, with its token in the header (lokseva.rasa_api).
    rasa_api.call(
        assistant.settings,
        "POST",
        f"/conversations/{senders['indore']}/tracker/events",
        json=[{"event": "restart"}],
        timeout=30,
    ).raise_for_status()
    answer = texts(assistant.say("jansunwai kab hoti hai", sender=senders["indore"]))
    assert "इंदौर" in answer and "झाबुआ" not in answer and "किस ज़िले" not in answer


def test_each_officer_sees_their_own_and_the_state_sees_both(assistant, applied):
    _, replies = applied
    indore_id, jhabua_id = reference_of(replies["indore"]), reference_of(replies["jhabua"])
    database = assistant.settings.database_url
    suffix = uuid.uuid4().hex[:6]
    make_staff(database, f"do.indore.{suffix}", "designated_officer", district_code="IND")
    make_staff(database, f"do.jhabua.{suffix}", "designated_officer", district_code="JBA")
    make_staff(database, f"state.{suffix}", "designated_officer")
    web = f"http://{assistant.settings.host}:{assistant.settings.web_port}"

    def queue_of(username):
        client = PortalClient(web)
        assert client.login(username, "a-Long-pass-1234").status_code == 303
        return client, client.get("/portal/applications?status=all").text

    indore, page = queue_of(f"do.indore.{suffix}")
    assert indore_id in page and jhabua_id not in page
    assert indore.get(f"/portal/applications/{jhabua_id}").status_code == 403
    jhabua, page = queue_of(f"do.jhabua.{suffix}")
    assert jhabua_id in page and indore_id not in page
    state, page = queue_of(f"state.{suffix}")
    assert indore_id in page and jhabua_id in page
    only_indore = state.get("/portal/applications?status=all&district=IND").text
    assert indore_id in only_indore and jhabua_id not in only_indore
    assert state.get(f"/portal/applications/{jhabua_id}").status_code == 200
    league = state.get("/portal/analytics").text
    assert 'data-district="IND"' in league and 'data-district="JBA"' in league
    assert "data-district=" not in indore.get("/portal/analytics").text, "the league table is the state's"
