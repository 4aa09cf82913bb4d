"""Reading answers from raw text, as citizens type them."""

import datetime as dt

import pytest

from lokseva.applications import parsing
from lokseva.applications.parsing import InvalidInput
from lokseva.districts import load_district

TODAY = dt.date(2026, 3, 15)


def code_of(function, *args):
    with pytest.raises(InvalidInput) as error:
        function(*args)
    return error.value.code


@pytest.mark.parametrize(
    "text, rupees",
    [
        ("2 lakh", 200_000),
        ("50 हजार", 50_000),
        ("₹1,20,000", 120_000),
        ("डेढ़ लाख", 150_000),
        ("1.5 lakh", 150_000),
        ("५० हजार", 50_000),
        ("2lakh", 200_000),
        ("Rs. 75000/-", 75_000),
        ("एक लाख बीस हजार", 120_000),
        ("teen lakh sattar hajar", 370_000),
        ("ढाई लाख सालाना", 250_000),
        ("sadhe teen lakh", 350_000),
        ("सवा लाख", 125_000),
        ("पौने दो लाख", 175_000),
        ("80 hajar", 80_000),
        ("income 50000 saal ki", 50_000),
        ("kheti karta hu saal ki 60 hazar aamdani", 60_000),
        ("50000 bata do", 50_000),
        ("koi aay nahi", 0),
    ],
)
def test_incomes(text, rupees):
    paise, monthly = parsing.parse_income(text)
    assert paise == rupees * 100 and not monthly


@pytest.mark.parametrize("text, rupees", [("majdoori se mahine ka 3000", 36_000), ("महीने के ६ हजार", 72_000)])
def test_monthly_income_becomes_yearly(text, rupees):
    assert parsing.parse_income(text) == (rupees * 100, True)


@pytest.mark.parametrize(
    "text, code",
    [
        ("kuch pata nahi", "income_no_amount"),
        ("2", "income_too_small"),
        ("999999999999", "income_too_large"),
        ("🙏", "empty"),
        ("", "empty"),
        ("x" * 5000, "too_long"),
    ],
)
def test_bad_incomes(text, code):
    assert code_of(parsing.parse_income, text) == code


@pytest.mark.parametrize(
    "text, date",
    [
        ("१२ मार्च १९९०", dt.date(1990, 3, 12)),
        ("12/03/90", dt.date(1990, 3, 12)),
        ("12/03/1990", dt.date(1990, 3, 12)),
        ("12-3-1990", dt.date(1990, 3, 12)),
        ("12.03.1990", dt.date(1990, 3, 12)),
        ("1990-03-12", dt.date(1990, 3, 12)),
        ("12 march 90", dt.date(1990, 3, 12)),
        ("march 12, 1990", dt.date(1990, 3, 12)),
        ("janm tithi 1 jan 2001", dt.date(2001, 1, 1)),
        ("dob 23.11.1998", dt.date(1998, 11, 23)),
        ("23 नवम्बर 1998 को हुआ", dt.date(1998, 11, 23)),
        ("5 जून 1987", dt.date(1987, 6, 5)),
        ("15th aug 1995", dt.date(1995, 8, 15)),
        ("death date 3 feb 2026", dt.date(2026, 2, 3)),
        ("१२/०३/१९९०", dt.date(1990, 3, 12)),
        ("12/03/05", dt.date(2005, 3, 12)),
        ("aaj", TODAY),
    ],
)
def test_dates(text, date):
    assert parsing.parse_past_date(text, TODAY) == date


@pytest.mark.parametrize(
    "text, code",
    [
        ("12/03/2030", "date_future"),
        ("31/02/1990", "date_invalid"),
        ("1990 me paida hua tha", "date_incomplete"),
        ("pichhle somvar", "date_no_date"),
        ("1 jan 1850", "date_too_old"),
        ("march 1990", "date_incomplete"),
    ],
)
def test_bad_dates(text, code):
    assert code_of(parsing.parse_past_date, text, TODAY) == code


@pytest.mark.parametrize(
    "text, name",
    [
        ("ramesh bhuriya", "Ramesh Bhuriya"),
        ("mera naam ramesh bhuriya hai", "Ramesh Bhuriya"),
        ("naam sunita damor", "Sunita Damor"),
        ("main kamla bai hu", "Kamla Bai"),
        ("RAMESH BHURIYA", "Ramesh Bhuriya"),
        ("name is santosh mediya", "Santosh Mediya"),
        ("मेरा नाम सीता देवी है", "सीता देवी"),
        ("मैं कमला बाई हूँ", "कमला बाई"),
        ("श्री रमेश भूरिया", "रमेश भूरिया"),
        ("मेरा नाम seema bhuriya", "Seema Bhuriya"),
        ("Namrata Singh", "Namrata Singh"),
    ],
)
def test_names(text, name):
    assert parsing.parse_name(text) == name


@pytest.mark.parametrize(
    "text, code",
    [
        ("ramesh 123", "name_digits"),
        ("R", "name_letters"),
        ("aay praman patra ki fees kya hai", "not_a_name"),
        ("😀😀", "empty"),
        ("a b c d e f g h", "name_too_long"),
    ],
)
def test_bad_names(text, code):
    assert code_of(parsing.parse_name, text) == code


@pytest.mark.parametrize(
    "text, name, relation",
    [
        ("papa ka naam kalu singh ninama", "Kalu Singh Ninama", "father"),
        ("mere pati ka naam dinesh ninama hai", "Dinesh Ninama", "husband"),
        ("पिता का नाम कालू सिंह निनामा", "कालू सिंह निनामा", "father"),
        ("पति का नाम दिनेश डामोर", "दिनेश डामोर", "husband"),
        ("पिता स्वर्गीय थावरा गुंडिया", "स्वर्गीय थावरा गुंडिया", "father"),
        ("raju s/o mangu damor", "Mangu Damor", "father"),
    ],
)
def test_relatives(text, name, relation):
    assert parsing.parse_relative(text) == (name, relation)


def test_name_with_relation_in_one_message():
    assert parsing.split_self_and_relative("raju s/o mangu damor") == ("Raju", "Mangu Damor", "father")
    assert parsing.split_self_and_relative("सीता पत्नी रामलाल") == ("सीता", "रामलाल", "husband")
    assert parsing.split_self_and_relative("ramesh bhuriya") is None


@pytest.mark.parametrize(
    "text, pin",
    [
        ("457661", "457661"),
        ("pin 457773", "457773"),
        ("पिन कोड ४५७७७७", "457777"),
        ("4577 73", "457773"),
        ("480001", "480001"),
    ],
)
def test_pins(text, pin):
    assert parsing.parse_pin(text) == pin


@pytest.mark.parametrize(
    "text, code",
    [("110001", "pin_not_mp"), ("400001", "pin_not_mp"), ("45777", "pin_length"), ("pin nahi pata", "pin_missing")],
)
def test_bad_pins(text, code):
    assert code_of(parsing.parse_pin, text) == code


@pytest.mark.parametrize(
    "text, category",
    [
        ("ST", "ST"),
        ("sc", "SC"),
        ("OBC", "OBC"),
        ("bhil", "ST"),
        ("anusuchit janjati", "ST"),
        ("अनुसूचित जनजाति", "ST"),
        ("अनुसूचित जाति", "SC"),
        ("पिछड़ा वर्ग", "OBC"),
        ("जनजाति भील है हमारी", "ST"),
        ("scheduled caste", "SC"),
        ("other backward class", "OBC"),
        ("2", "ST"),
        ("३", "OBC"),
    ],
)
def test_caste_categories(text, category):
    assert parsing.parse_caste_category(text) == category


def test_general_category_gets_its_own_answer():
    assert code_of(parsing.parse_caste_category, "general category") == "caste_general"


@pytest.mark.parametrize(
    "text, gender",
    [
        ("purush", "male"),
        ("mahila", "female"),
        ("2", "female"),
        ("लड़का है", "male"),
        ("ladki hai", "female"),
        ("anya", "other"),
    ],
)
def test_genders(text, gender):
    assert parsing.parse_gender(text) == gender


@pytest.mark.parametrize(
    "text, number",
    [("khasra no 245/2", "245/2"), ("खसरा नंबर २४५/२", "245/2"), ("khata no 56 gaon para", "56"), ("118", "118")],
)
def test_khasra(text, number):
    assert parsing.parse_khasra(text) == number


@pytest.mark.parametrize(
    "text, expected",
    [
        ("naam galat hai", "applicant_name"),
        ("pita ka naam galat hai", "relative_name"),
        ("aadhar badalna hai", "aadhaar"),
        ("pin galat hai", "address_pin"),
        ("गलत है जन्म तिथि", "date_of_birth"),
        ("sahi nahi hai", None),
    ],
)
def test_corrections_name_their_field(text, expected):
    filled = ["applicant_name", "relative_name", "date_of_birth", "address_pin", "aadhaar"]
    assert parsing.is_correction(text)
    assert parsing.field_named(text, filled) == expected


@pytest.mark.parametrize("text", ["Ramesh Bhuriya", "457661", "Badalpur", "sab sahi hai", "haan"])
def test_ordinary_answers_are_not_corrections(text):
    assert not parsing.is_correction(text)


@pytest.mark.parametrize(
    "text, answer",
    [
        ("haan", True),
        ("ha sahi hai", True),
        ("जी हाँ", True),
        ("👍", True),
        ("nahi", False),
        ("sahi nahi", False),
        ("नहीं", False),
        ("hmm", None),
    ],
)
def test_yes_and_no(text, answer):
    assert parsing.yes_or_no(text) is answer


def test_zero_width_characters_and_nfd_are_normalized():
    assert parsing.parse_name("सी\u200dता दे\u200cवी") == "सीता देवी"
    assert parsing.normalize("फ़ोन") == parsing.normalize("फ\u093cोन")


JHABUA_TEHSILS = load_district("jhabua").tehsils


@pytest.mark.parametrize(
    "text, tehsil",
    [
        # Devanagari, as in the district file, and with a matra, anusvara or nukta missing or extra
        ("झाबुआ", "Jhabua"),
        ("पेटलावद", "Petlawad"),
        ("थांदला", "Thandla"),
        ("मेघनगर", "Meghnagar"),
        ("राणापुर", "Ranapur"),
        ("रामा", "Rama"),
        ("झबुआ", "Jhabua"),
        ("थादला", "Thandla"),
        ("थान्दला", "Thandla"),
        ("मेगनगर", "Meghnagar"),
        ("रानापुर", "Ranapur"),
        ("राम", "Rama"),
        ("पेटलाद", "Petlawad"),
        ("झ़ाबुआ", "Jhabua"),
        ("झाबुवा", "Jhabua"),
        # Roman letters, misspelled
        ("Jhabua", "Jhabua"),
        ("jhabuaa", "Jhabua"),
        ("jabua", "Jhabua"),
        ("Jhabuwa", "Jhabua"),
        ("petlawad", "Petlawad"),
        ("petlavad", "Petlawad"),
        ("petlad", "Petlawad"),
        ("thandla", "Thandla"),
        ("thandala", "Thandla"),
        ("THADLA", "Thandla"),
        ("megnagar", "Meghnagar"),
        ("meghnagr", "Meghnagar"),
        ("ranapur", "Ranapur"),
        ("raam", "Rama"),
        # inside an answer, and by number
        ("tehsil thandla", "Thandla"),
        ("थांदला तहसील", "Thandla"),
        ("तहसील: पेटलावद", "Petlawad"),
        ("rama tehsil me aata hai", "Rama"),
        ("पेटलावद जिला झाबुआ", "Petlawad"),
        ("2", "Petlawad"),
        ("६", "Rama"),
    ],
)
def test_tehsils_in_either_script_and_loosely_spelled(text, tehsil):
    assert parsing.parse_tehsil(text, JHABUA_TEHSILS) == tehsil


@pytest.mark.parametrize(
    "text, kept",
    [
        # other places, some a consonant or a letter away from a tehsil: kept as written
        ("Rampur", "Rampur"),
        ("Rajpur", "Rajpur"),
        ("Tanda", "Tanda"),
        ("रतलाम", "रतलाम"),
        ("Alirajpur", "Alirajpur"),
        ("jobat", "Jobat"),
        ("rana", "Rana"),
        ("Thana", "Thana"),
        # an everyday word with the same short key as Jhabua ("jb") is not Jhabua
        ("jab", "Jab"),
        ("जब", "जब"),
    ],
)
def test_other_places_do_not_become_a_tehsil(text, kept):
    assert parsing.parse_tehsil(text, JHABUA_TEHSILS) == kept
