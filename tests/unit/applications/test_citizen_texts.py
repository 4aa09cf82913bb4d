"""Citizen-facing texts read as a villager in Jhabua reads them
(docs/style-guide.md): no jargon, one term per thing, the hedge once and only
on uncertain numbers, gender agreement, a next step, Hindi kept Hindi."""

import datetime as dt
import re
from pathlib import Path

import pytest

from lokseva.applications import flows, messaging
from lokseva.applications.lifecycle import Status
from lokseva.catalogue import load_catalogue
from lokseva.certificates import messaging as certificate_texts
from lokseva.delivery import messaging as delivery_texts
from lokseva.devtools.sandbox_gateway import expiry_text
from lokseva.districts import load_district
from lokseva.information import appeal_text, hedge, service_answer, topic_answer
from lokseva.language import HINDI, detect_language

ROOT = Path(__file__).resolve().parents[3]
CATALOGUE = load_catalogue()
JHABUA = load_district("jhabua")
# Where the citizen-facing texts live.
TEXT_FILES = [
    "lokseva/applications/messaging.py",
    "lokseva/information/content.yml",
    "lokseva/information/__init__.py",
    "lokseva/catalogue/services.yml",
    "lokseva/channels/notifications.yml",
    "lokseva/certificates/messaging.py",
    "lokseva/delivery/messaging.py",
    "lokseva/payments/messaging.py",
    "lokseva/portal/messaging.py",
] + sorted(str(p.relative_to(ROOT)) for p in (ROOT / "lokseva" / "messages").glob("*/*.yml"))
JARGON = [
    "अनुविभागीय अधिकारी",
    "स्व-घोषणा",
    "नियोक्ता",
    "कट-ऑफ",
    "अजा/अजजा",
    "अपिव:",
    "पंजीयन",
    "SECC-2011",
    "L1",
    "L4",
    "L5",
    "समाधान एक दिन",
    "11:00–13:00",
    "लगभग — कृपया",
    "आवेदन क्रमांक",
    "केंद्र शुल्क",
    "सेवा शुल्क",
    "stored locked",
    "70 साल से ऊपर",
]


@pytest.mark.parametrize("path", TEXT_FILES)
def test_no_jargon_or_second_term_in_the_texts(path):
    text = (ROOT / path).read_text(encoding="utf-8")
    found = [word for word in JARGON if word in text]
    assert not found, f"{path}: {found}"


def test_nukta_is_used_the_same_way():
    for path in TEXT_FILES:
        text = (ROOT / path).read_text(encoding="utf-8")
        assert "फोटो" not in text and "दफ्तर" not in text and "फोन" not in text, path


def _receipt(service_id, status=Status.FEE_PENDING):
    fee = 7000 if service_id == "birth_certificate" else 2000
    view = flows.ApplicationView(
        reference="JBA-2026-000001",
        service_id=service_id,
        status=status,
        applicant_name="Ramesh Bhuriya",
        submitted_on=dt.date(2026, 3, 16),
        due_date=dt.date(2026, 3, 25),
        due_date_confirmed=False,
        fee_due_paise=fee,
        statutory_fee_paise=fee - 2000,
        processing_fee_paise=2000,
    )
    return messaging.receipt(flows.Receipt(view, None, False), CATALOGUE[service_id], "hi")


def test_the_hedge_is_said_once_in_plain_words_and_only_on_numbers():
    text = _receipt("birth_certificate")  # fee and time limit both unconfirmed
    assert text.count(hedge("hi")) == 1
    assert "लगभग ₹70" in text and "लगभग 7 कामकाज के दिन" in text
    assert "*25 मार्च 2026*" in text, "a guaranteed date is not 'approximate'"
    officer = next(line for line in text.split("\n") if line.startswith("ज़िम्मेदार अधिकारी"))
    assert "लगभग" not in officer
    assert hedge("hi") not in appeal_text("late", CATALOGUE["birth_certificate"], "hi")
    docs = service_answer(CATALOGUE["birth_certificate"], ("documents",), "hi")
    assert hedge("hi") not in docs, "a list of papers is not a number"


def test_the_copy_of_a_land_record_is_feminine():
    name = CATALOGUE["land_record_copy"].text("name", "hi")
    texts = [
        certificate_texts.text("sending", "hi", service_name=name, application_id="JBA-2026-000001", number="C1"),
        certificate_texts.text("not_ready", "hi", service_name=name, application_id="JBA-2026-000001"),
    ]
    texts.append(delivery_texts.text("not_issued", "hi", service_name=name, application_id="JBA-2026-000001"))
    from lokseva.channels.notify import render

    texts.append(
        render("certificate_ready", {"application_id": "J", "service_name": name, "document_url": "u"}, "hi").text
    )
    for text in texts:
        assert f"आपका {name}" not in text and "बन गया" not in text and "नहीं बना" not in text, text
        assert "यह रहा" not in text, text


def test_farm_labourers_are_told_what_proves_their_income():
    documents = " ".join(d["hi"] for d in CATALOGUE["income_certificate"].documents)
    assert "पटवारी" in documents and "मज़दूरी" in documents


@pytest.mark.parametrize(
    "intent",
    [
        "ask_aadhaar",
        "ask_ayushman_bharat",
        "ask_jan_sunwai",
        "ask_cm_helpline",
        "ask_lok_seva_guarantee",
        "ask_samadhan_ek_din",
    ],
)
@pytest.mark.parametrize("language", ["hi", "en"])
def test_every_topic_ends_with_a_next_step(intent, language):
    assert topic_answer(intent, JHABUA, language).split("\n")[-1].startswith("👉")


def test_the_free_aadhaar_update_date_expires_by_itself():
    assert "14 जून 2026" in topic_answer("ask_aadhaar", JHABUA, "hi", today=dt.date(2026, 6, 14))
    after = topic_answer("ask_aadhaar", JHABUA, "hi", today=dt.date(2026, 6, 15))
    assert "14 जून" not in after and "\n\n" not in after


def test_people_aged_exactly_70_are_included():
    assert "70 साल या उससे ज़्यादा" in topic_answer("ask_ayushman_bharat", JHABUA, "hi")
    assert "70 or more" in topic_answer("ask_ayushman_bharat", JHABUA, "en")


def test_the_scheme_is_called_by_its_own_name():
    assert "समाधान एक दिवस" in topic_answer("ask_samadhan_ek_din", JHABUA, "hi")
    assert "सुबह 9:30 से दोपहर 1:30 बजे" in service_answer(CATALOGUE["income_certificate"], ("same_day",), "hi")


@pytest.mark.parametrize(
    "text", ["certificate bhejo please", "status please", "ok thanks", "fees kitni hai please", "please certificate do"]
)
def test_a_hindi_conversation_stays_hindi_after_an_english_word(text):
    assert detect_language(text, previous=HINDI) == HINDI


def _income(status):
    return flows.ApplicationView(
        reference="JBA-2026-000001",
        service_id="income_certificate",
        status=status,
        applicant_name="R",
        submitted_on=dt.date(2026, 3, 16),
        due_date=dt.date(2026, 3, 25),
        due_date_confirmed=True,
        fee_due_paise=2000,
        statutory_fee_paise=0,
        processing_fee_paise=2000,
    )


def test_status_sees_a_paid_home_delivery():
    view = _income(Status.CERTIFICATE_ISSUED)
    plain = messaging.status_detail(view, CATALOGUE["income_certificate"], dt.date(2026, 3, 20), "hi")
    assert "घर पर भेजो" in plain
    state = delivery_texts.state_name("requested", "hi")
    text = messaging.status_detail(
        view, CATALOGUE["income_certificate"], dt.date(2026, 3, 20), "hi", home_delivery=state
    )
    assert state in text and "घर पर भेजो" not in text


def test_the_status_and_the_officers_request_say_the_same_way_to_send_papers():
    from lokseva.portal.messaging import documents_requested

    view = _income(Status.MORE_INFO_NEEDED)
    status = messaging.status_detail(view, CATALOGUE["income_certificate"], dt.date(2026, 3, 20), "hi")
    request = documents_requested(["आय का प्रमाण"], None, "hi")
    step = messaging.more_info_step("hi")
    assert step in status and step in request and "इसी चैट में" in step


def test_the_sandbox_payment_page_shows_the_expiry_in_india_time(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        epoch = int(dt.datetime(2026, 11, 29, 12, 10, tzinfo=dt.timezone.utc).timestamp())  # 5:40 pm IST
        assert expiry_text(epoch, "hi") == "29 नवंबर 2026, शाम 5:40 बजे (IST)"
        assert expiry_text(epoch, "en").endswith("5:40 pm (IST)")
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_english_variants_read_naturally():
    text, _ = messaging.prompt("aadhaar", "income_certificate", "en")
    assert "stored locked" not in text and "encrypted" in text
    assert re.search(r"[\u0900-\u097f]", text) is None
