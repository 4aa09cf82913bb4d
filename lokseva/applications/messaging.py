"""What citizens are told about their applications: Hindi first (simple
village words, short lines for a small screen), English variant."""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from lokseva.applications.fields import FIELDS, NOT_GIVEN, other_proofs, proof_name, questions, show
from lokseva.applications.flows import ApplicationView, Receipt
from lokseva.applications.lifecycle import OFFICE_IS_RESPONSIBLE, Status
from lokseva.applications.numbers import format_date
from lokseva.applications.rules import days_left
from lokseva.catalogue import IDENTITY_PROOFS, Catalogue, Service, load_catalogue
from lokseva.districts import Tehsil, district_by_code
from lokseva.information import appeal_text, approx, with_hedge
from lokseva.money import format_rupees

Button = Dict[str, str]


def _lang(language: Optional[str]) -> str:
    return "en" if language == "en" else "hi"


def _pick(texts: Mapping[str, str], language: str, **params: Any) -> str:
    return texts[_lang(language)].format(**params)


# ---------------------------------------------------------------- bad input

INVALID: Dict[str, Dict[str, str]] = {
    "empty": {"hi": "🙏 कृपया शब्दों या अंकों में लिखकर जवाब दें।",
              "en": "🙏 Please answer in words or numbers."},
    "too_long": {"hi": "संदेश बहुत लंबा है। कृपया सिर्फ़ पूछी गई बात छोटे में लिखें।",
                 "en": "That message is too long. Please write only what was asked, briefly."},
    "name_digits": {"hi": "नाम में अंक नहीं होते। कृपया नाम अक्षरों में लिखें, जैसे: रमेश भूरिया",
                    "en": "A name has no digits. Please write the name in letters, e.g. Ramesh Bhuriya"},
    "name_letters": {"hi": "यह नाम समझ नहीं आया। कृपया पूरा नाम लिखें, जैसे: सीता डामोर",
                     "en": "I could not read that name. Please write the full name, e.g. Sita Damor"},
    "name_too_long": {"hi": "नाम बहुत लंबा है। कृपया सिर्फ़ नाम और उपनाम लिखें।",
                      "en": "That name is too long. Please write just the name and surname."},
    "not_a_name": {"hi": "यह नाम नहीं लगता। कृपया सिर्फ़ नाम लिखें।",
                   "en": "That does not look like a name. Please write only the name."},
    "place_letters": {"hi": "यह जगह समझ नहीं आई। कृपया गाँव या वार्ड का नाम लिखें।",
                      "en": "I could not read that place. Please write the village or ward name."},
    "gender": {"hi": "कृपया 1 (पुरुष), 2 (महिला) या 3 (अन्य) भेजें।",
               "en": "Please send 1 (male), 2 (female) or 3 (other)."},
    "caste_category": {"hi": "कृपया वर्ग चुनें: 1 अनुसूचित जाति (SC), 2 अनुसूचित जनजाति (ST), 3 अन्य पिछड़ा वर्ग (OBC)।",
                       "en": "Please choose: 1 Scheduled Caste (SC), 2 Scheduled Tribe (ST), 3 OBC."},
    "caste_general": {"hi": "जाति प्रमाण पत्र सिर्फ़ SC, ST और OBC के लिए बनता है। अगर आप इनमें से हैं तो वर्ग चुनें, "
                            "वरना आवेदन रोकने के लिए \"रुको\" लिखें।",
                      "en": "Caste certificates are issued only for SC, ST and OBC. Choose one if it applies, "
                            "or write \"stop\" to stop the application."},
    "income_no_amount": {"hi": "रकम समझ नहीं आई। कृपया ऐसे लिखें: 50 हजार, 1.5 लाख या 120000",
                         "en": "I could not read the amount. Please write it like: 50 thousand, 1.5 lakh or 120000"},
    "income_too_small": {"hi": "{amount} सालाना बहुत कम लगता है। कृपया पूरी रकम लिखें, जैसे: 50 हजार या 1.5 लाख",
                         "en": "{amount} a year looks too small. Please write the full amount, e.g. 50 thousand or 1.5 lakh"},
    "income_too_large": {"hi": "{amount} सालाना बहुत ज़्यादा लगता है। कृपया रकम दोबारा देखकर लिखें।",
                         "en": "{amount} a year looks too large. Please check and write the amount again."},
    "pin_missing": {"hi": "पिन कोड में 6 अंक होते हैं, जैसे 457661। कृपया पिन कोड लिखें।",
                    "en": "A PIN code has 6 digits, e.g. 457661. Please write the PIN code."},
    "pin_length": {"hi": "पिन कोड 6 अंकों का होता है, आपने {digits} अंक लिखे। कृपया दोबारा लिखें।",
                   "en": "A PIN code has 6 digits; you wrote {digits}. Please write it again."},
    "pin_not_mp": {"hi": "{pin} मध्यप्रदेश का पिन कोड नहीं है (यहाँ के पिन 45, 46, 47 या 48 से शुरू होते हैं)। "
                         "कृपया अपने घर का पिन कोड लिखें।",
                   "en": "{pin} is not a Madhya Pradesh PIN code (they start with 45, 46, 47 or 48). "
                         "Please write your home PIN code."},
    "aadhaar_missing": {"hi": "कृपया 12 अंकों का आधार नंबर लिखें, जैसे: 2345 6789 0123। आधार नहीं है तो \"नहीं\" लिखें।",
                        "en": "Please write the 12-digit Aadhaar number, e.g. 2345 6789 0123. No Aadhaar? Write \"no\"."},
    "aadhaar_required": {"hi": "इस आवेदन के लिए आधार नंबर ज़रूरी है। कृपया 12 अंकों का आधार नंबर लिखें।",
                         "en": "This application needs the Aadhaar number. Please write the 12 digits."},
    "identity_proof": {"hi": "कृपया सूची से कार्ड का नंबर भेजें।", "en": "Please send the number of a card from the list."},
    "voter_id_format": {"hi": "वोटर कार्ड नंबर में पहले 3 अक्षर और फिर 7 अंक होते हैं, जैसे ABC1234567। कृपया कार्ड देखकर लिखें।",
                        "en": "A voter card number is 3 letters then 7 digits, e.g. ABC1234567. Please check the card."},
    "pan_format": {"hi": "पैन नंबर में 5 अक्षर, 4 अंक और 1 अक्षर होते हैं, जैसे ABCDE1234F। कृपया कार्ड देखकर लिखें।",
                   "en": "A PAN is 5 letters, 4 digits and a letter, e.g. ABCDE1234F. Please check the card."},
    "aadhaar_length": {"hi": "आधार नंबर 12 अंकों का होता है, आपने {digits} अंक लिखे। कृपया कार्ड देखकर दोबारा लिखें।",
                       "en": "An Aadhaar number has 12 digits; you wrote {digits}. Please check the card and write it again."},
    "aadhaar_first_digit": {"hi": "आधार नंबर 0 या 1 से शुरू नहीं होता। कृपया कार्ड देखकर दोबारा लिखें।",
                            "en": "An Aadhaar number never starts with 0 or 1. Please check the card and write it again."},
    "aadhaar_checksum": {"hi": "यह आधार नंबर सही नहीं लगता, शायद कोई अंक छूट गया या बदल गया। कृपया कार्ड देखकर दोबारा लिखें।",
                         "en": "That Aadhaar number is not valid; a digit may be wrong. Please check the card and write it again."},
    "date_no_date": {"hi": "तारीख समझ नहीं आई। कृपया ऐसे लिखें: 12/03/1990 या 12 मार्च 1990",
                     "en": "I could not read the date. Please write it like 12/03/1990 or 12 March 1990"},
    "date_incomplete": {"hi": "कृपया पूरी तारीख लिखें: दिन, महीना और साल (जैसे 12/03/1990)। "
                              "पक्की तारीख याद न हो तो आधार कार्ड पर लिखी तारीख लिखें।",
                        "en": "Please write the full date: day, month and year (e.g. 12/03/1990). "
                              "If unsure, use the date printed on the Aadhaar card."},
    "date_invalid": {"hi": "यह तारीख कैलेंडर में नहीं है। कृपया दोबारा देखकर लिखें।",
                     "en": "That date does not exist. Please check and write it again."},
    "date_future": {"hi": "यह तारीख आने वाले समय की है। कृपया बीती हुई सही तारीख लिखें।",
                    "en": "That date is in the future. Please write the correct past date."},
    "date_too_old": {"hi": "यह तारीख {years} साल से पुरानी है। कृपया साल दोबारा देखें।",
                     "en": "That date is more than {years} years ago. Please check the year."},
    "khasra_missing": {"hi": "कृपया खसरा या खाता नंबर अंकों में लिखें, जैसे: 245/2",
                       "en": "Please write the khasra or khata number in digits, e.g. 245/2"},
    "service_unknown": {"hi": "कौन-सा प्रमाण पत्र चाहिए? नीचे से नंबर भेजें। आवेदन नहीं करना है तो \"रुको\" लिखें।",
                        "en": "Which certificate do you need? Send a number from the list. To leave, write \"stop\"."},
    "yes_or_no": {"hi": "कृपया \"हाँ\" या \"नहीं\" लिखें।", "en": "Please write \"yes\" or \"no\"."},
    "which_field": {"hi": "कौन-सी जानकारी बदलनी है? कृपया नंबर भेजें।",
                    "en": "Which detail should be changed? Please send its number."},
    "technical": {"hi": "माफ़ कीजिए, अभी तकनीकी दिक्कत है। कृपया थोड़ी देर बाद यही जवाब दोबारा भेजें।",
                  "en": "Sorry, there is a technical problem. Please send the same answer again in a little while."},
}

NOTES: Dict[str, Dict[str, str]] = {
    "income_from_monthly": {"hi": "आपने महीने की आय लिखी; साल की आय {amount} मानी है।",
                            "en": "You gave a monthly income; the yearly income is taken as {amount}."},
    "field_again": {"hi": "ठीक है, {label} दोबारा बताइए।", "en": "All right, please give the {label} again."},
    "resumed": {"hi": "ठीक है, वहीं से आगे भरते हैं।", "en": "All right, let us continue where you left off."},
    "continue": {"hi": "ठीक है, आवेदन आगे भरते हैं।", "en": "All right, let us continue the application."},
    "correction_cancelled": {"hi": "ठीक है, कुछ नहीं बदला।", "en": "All right, nothing changed."},
}


def invalid(code: str, language: str, **params: Any) -> str:
    return _pick(INVALID.get(code, INVALID["technical"]), language, **params)


def note(code: str, language: str, **params: Any) -> str:
    return _pick(NOTES[code], language, **params)


# ---------------------------------------------------------------- questions

# The form's questions, by field. A dict keyed by whose details the form asks
# (the catalogue's `about`: applicant, child, deceased) or by a service id gives
# that wording ("*" for every other form).
PROMPTS: Dict[str, Any] = {
    "applicant_name": {
        "child": {"hi": "आवेदन करने वाले का पूरा नाम लिखें (माता, पिता या घर का कोई बड़ा):",
                  "en": "Your full name? (the mother, the father or an elder of the family applies)"},
        "deceased": {"hi": "आवेदन करने वाले का पूरा नाम लिखें (परिवार का कोई सदस्य):",
                     "en": "Your full name? (a member of the family applies)"},
        "*": {"hi": "आवेदन करने वाले का पूरा नाम लिखें (जैसा आधार कार्ड पर है):",
              "en": "What is the applicant's full name? (as on the Aadhaar card)"},
    },
    "relative_name": {
        "deceased": {"hi": "जिनकी मृत्यु हुई, उनके पिता का नाम लिखें। (शादीशुदा महिला हों तो \"पति …\" लिखकर पति का नाम)",
                     "en": "Their father's name? (for a married woman, write \"husband …\" and his name)"},
        "*": {"hi": "पिता का नाम लिखें। (शादीशुदा महिला पति का नाम भी दे सकती हैं: \"पति …\" लिखें)",
              "en": "Father's name? (A married woman may give her husband's name: write \"husband …\")"},
    },
    "gender": {"hi": "आवेदन करने वाले का लिंग चुनें, नंबर भेजें:", "en": "The applicant is: send a number"},
    "date_of_birth": {"hi": "आवेदन करने वाले की जन्म की तारीख लिखें (जैसे 12/03/1990 या 12 मार्च 1990):",
                      "en": "The applicant's date of birth? (e.g. 12/03/1990)"},
    "address_village": {"hi": "आपका गाँव, या वार्ड और शहर का नाम लिखें:", "en": "Your village, or ward and town?"},
    "address_pin": {"hi": "आपके पते का पिन कोड लिखें (6 अंक, जैसे 457661):",
                    "en": "PIN code of your address? (6 digits, e.g. 457661)"},
    "aadhaar": {
        "hi": "आवेदन करने वाले का 12 अंकों का आधार नंबर लिखें (जैसे 2345 6789 0123)।\n"
              "अधिकारी इससे जाँचते हैं कि आवेदन आपका ही है। 🔒 नंबर ताले में रखा जाता है, सिर्फ़ आख़िरी 4 अंक दिखते हैं।\n"
              "आधार नहीं है तो \"नहीं\" लिखें: वोटर कार्ड या पैन कार्ड से भी आवेदन होगा।",
        "en": "The applicant's 12-digit Aadhaar number? (e.g. 2345 6789 0123)\n"
              "The officer uses it to check that the application is yours. 🔒 It is kept encrypted; only the "
              "last 4 digits are ever shown.\nNo Aadhaar? Write \"no\": a voter card or PAN card will do.",
    },
    "identity_proof": {"hi": "कोई बात नहीं, आधार के बिना भी आवेदन होगा। इनमें से कौन-सा कार्ड है? नंबर भेजें:",
                       "en": "No problem, you can apply without Aadhaar. Which of these cards do you have? Send a number:"},
    "identity_number": {
        "voter_id": {"hi": "वोटर कार्ड पर छपा नंबर लिखें (जैसे ABC1234567):",
                     "en": "The number printed on the voter card? (e.g. ABC1234567)"},
        "pan": {"hi": "पैन कार्ड पर छपा नंबर लिखें (जैसे ABCDE1234F):",
                "en": "The number printed on the PAN card? (e.g. ABCDE1234F)"},
        "*": {"hi": "कार्ड पर छपा नंबर लिखें (वोटर कार्ड: जैसे ABC1234567; पैन: जैसे ABCDE1234F):",
              "en": "The number printed on the card? (voter card e.g. ABC1234567; PAN e.g. ABCDE1234F)"},
    },
    "annual_income": {"hi": "परिवार की पूरे साल की आय कितनी है? (जैसे 60 हज़ार, डेढ़ लाख या 120000)",
                      "en": "The family's income for the whole year? (e.g. 60 thousand, 1.5 lakh, 120000)"},
    "caste_category": {"hi": "आपका वर्ग कौन-सा है? नंबर भेजें:", "en": "Which category? Send a number:"},
    "subject_name": {
        "child": {"hi": "बच्चे का नाम लिखें। नाम अभी नहीं रखा है तो \"अभी नहीं\" लिखें, नाम बाद में जुड़ जाएगा।",
                  "en": "The child's name? If the child has no name yet, write \"not yet\": it can be added later."},
        "deceased": {"hi": "जिनकी मृत्यु हुई, उनका पूरा नाम लिखें:", "en": "Full name of the person who died?"},
        "*": {"hi": "नाम लिखें:", "en": "Name?"},
    },
    "subject_gender": {
        "child": {"hi": "बच्चा लड़का है या लड़की? नंबर भेजें:", "en": "Is the child a boy or a girl? Send a number:"},
        "*": {"hi": "जिनकी मृत्यु हुई, वे पुरुष थे या महिला? नंबर भेजें:",
              "en": "Was the person who died a man or a woman? Send a number:"},
    },
    "mother_name": {"hi": "बच्चे की माँ का पूरा नाम लिखें:", "en": "The child's mother's full name?"},
    "father_name": {"hi": "बच्चे के पिता का पूरा नाम लिखें:", "en": "The child's father's full name?"},
    "event_date": {
        "child": {"hi": "बच्चे के जन्म की तारीख लिखें (जैसे 03/02/2026):",
                  "en": "The child's date of birth? (e.g. 03/02/2026)"},
        "deceased": {"hi": "मृत्यु की तारीख लिखें (जैसे 03/02/2026):", "en": "Date of death? (e.g. 03/02/2026)"},
        "*": {"hi": "तारीख लिखें (जैसे 03/02/2026):", "en": "Date? (e.g. 03/02/2026)"},
    },
    "event_place": {
        "child": {"hi": "बच्चे का जन्म कहाँ हुआ? (अस्पताल का नाम, या घर और गाँव)",
                  "en": "Where was the child born? (the hospital's name, or home and the village)"},
        "deceased": {"hi": "मृत्यु कहाँ हुई? (अस्पताल का नाम, या घर और गाँव)",
                     "en": "Where did they die? (the hospital's name, or home and the village)"},
        "*": {"hi": "जगह लिखें:", "en": "Place?"},
    },
    "land_village": {"hi": "ज़मीन किस गाँव में है?", "en": "In which village is the land?"},
    "khasra_number": {"hi": "ज़मीन का खसरा या खाता नंबर लिखें (जैसे 245/2):",
                      "en": "The land's khasra or khata number? (e.g. 245/2)"},
    "stop_confirmed": {"hi": "क्या आवेदन यहीं रोक दें? अब तक भरी जानकारी हटा दी जाएगी।",
                       "en": "Stop the application here? The answers given so far will be deleted."},
}
CHOICES = {
    "gender": {"hi": ("पुरुष", "महिला", "अन्य"), "en": ("Male", "Female", "Other")},
    "subject_gender": {"hi": ("पुरुष", "महिला", "अन्य"), "en": ("Male", "Female", "Other")},
    "caste_category": {"hi": ("अनुसूचित जाति (SC)", "अनुसूचित जनजाति (ST)", "अन्य पिछड़ा वर्ग (OBC)"),
                       "en": ("Scheduled Caste (SC)", "Scheduled Tribe (ST)", "Other Backward Class (OBC)")},
}
CHILD_CHOICES = {"hi": ("लड़का", "लड़की", "अन्य"), "en": ("Boy", "Girl", "Other")}


def prompt(field: str, service_id: Optional[str], language: str,
           slots: Optional[Mapping[str, Any]] = None) -> Tuple[str, List[Button]]:
    """The question for `field` in the citizen's language, with its buttons
    (`slots`: the answers so far, for the card whose number is asked)."""
    lang = _lang(language)
    service = load_catalogue().get(service_id)
    about = service.about if service else "applicant"
    texts = PROMPTS[field]
    if "*" in texts:
        proof = (slots or {}).get("identity_proof") or ""
        texts = texts.get(service_id or "") or texts.get(about) or texts.get(proof) or texts["*"]
    if field == "subject_gender" and about == "child":
        buttons = numbered_choices(CHILD_CHOICES[lang])
    elif field in CHOICES:
        buttons = numbered_choices(CHOICES[field][lang])
    elif field == "identity_proof":
        offered = other_proofs(service) if service else IDENTITY_PROOFS[1:]
        buttons = numbered_choices([proof_name(p, lang) for p in offered])
    elif field == "stop_confirmed":
        buttons = (
            [{"title": "हाँ, रोक दें", "payload": "/affirm"}, {"title": "नहीं, आगे भरें", "payload": "/deny"}]
            if lang == "hi" else
            [{"title": "Yes, stop", "payload": "/affirm"}, {"title": "No, continue", "payload": "/deny"}]
        )
    else:
        buttons = []
    return texts[lang], buttons


# ---------------------------------------------------------------- the form

def service_buttons(catalogue: Catalogue, language: str) -> List[Button]:
    lang = _lang(language)
    return [
        {"title": s.text('name', lang), "payload": f'/inform{{"service":"{s.id}"}}'}
        for s in catalogue
    ]


def ask_service(language: str) -> str:
    return _pick({"hi": "किस प्रमाण पत्र के लिए आवेदन करना है? नंबर भेजें:",
                  "en": "Which certificate do you want to apply for? Send a number:"}, language)


def service_intro(service: Service, field_count: int, language: str) -> str:
    lang = _lang(language)
    # what to keep at hand: the identity card the form asks about, if it asks one
    card = bool(service.identity_proofs)
    if lang == "hi":
        return (f"ठीक है, *{service.text('name', lang)}* का आवेदन भरते हैं। मैं {field_count} छोटे सवाल पूछूँगा।\n"
                + ("आधार कार्ड (या वोटर कार्ड / पैन कार्ड) पास रखें। " if card else "")
                + "बीच में रोकना हो तो \"रुको\" लिखें।")
    return (f"All right, let us fill the *{service.text('name', lang)}* application: {field_count} short questions.\n"
            + ("Keep your Aadhaar card (or voter card / PAN card) at hand. " if card else "")
            + "Write \"stop\" any time to stop.")


def numbered_choices(titles: Sequence[str]) -> List[Button]:
    """Buttons whose payload is the number itself, so typing the number works the same.

    Titles carry no number: the channel numbers the buttons when it renders them
    (lokseva.channels.text.render_buttons), and a number here would show twice."""
    return [{"title": title, "payload": str(i)} for i, title in enumerate(titles, start=1)]


def filled_fields(service: Service, slots: Mapping[str, Any]) -> List[str]:
    """The questions the citizen answered, in order: only what they gave (a
    skipped question is not shown)."""
    return [f for f in questions(service, slots) if slots.get(f) not in (None, NOT_GIVEN)]


def _field_lines(service: Service, slots: Mapping[str, Any], language: str,
                 tehsils: Sequence[Tehsil] = ()) -> List[str]:
    lang = _lang(language)
    # The tehsil is stored by its English name; the citizen reads it in their language.
    tehsil_names = {t.en: t.text(lang) for t in tehsils}
    # Bullets, not numbers: the yes / no buttons below are numbered on WhatsApp.
    lines = []
    for field in filled_fields(service, slots):
        label = FIELDS[field].label(lang, service.id, slots)
        value = slots[field]
        shown = tehsil_names.get(value, value) if field == "address_tehsil" else show(field, value, lang, service.about)
        lines.append(f"• {label}: {shown}")
    return lines


def summary(service: Service, slots: Mapping[str, Any], fee_paise: int, language: str,
            tehsils: Sequence[Tehsil] = ()) -> str:
    lang = _lang(language)
    hi = lang == "hi"
    head = [("कृपया जाँच लें:" if hi else "Please check:"), f"📄 *{service.text('name', lang)}*"]
    fee = format_rupees(fee_paise) if fee_paise else ("कोई फीस नहीं" if hi else "no fee")
    fee = approx(fee, service.is_confirmed("fees") or not fee_paise, lang)
    lines = with_hedge(head + _field_lines(service, slots, lang, tehsils) + [("फीस: " if hi else "Fee: ") + fee], lang)
    lines.append("सब सही है तो \"हाँ\" लिखें। कुछ बदलना हो तो \"नहीं\" लिखें।" if hi else
                 "If everything is right, write \"yes\". To change something, write \"no\".")
    return "\n".join(lines)


def confirm_buttons(language: str) -> List[Button]:
    if _lang(language) == "hi":
        return [{"title": "हाँ, जमा करें", "payload": "/affirm"}, {"title": "नहीं, बदलना है", "payload": "/deny"}]
    return [{"title": "Yes, submit", "payload": "/affirm"}, {"title": "No, change", "payload": "/deny"}]


def yes_no_buttons(language: str) -> List[Button]:
    if _lang(language) == "hi":
        return [{"title": "हाँ", "payload": "/affirm"}, {"title": "नहीं", "payload": "/deny"}]
    return [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]


def ask_correction(service: Service, slots: Mapping[str, Any], language: str) -> Tuple[str, List[Button]]:
    lang = _lang(language)
    fields = filled_fields(service, slots)
    titles = [FIELDS[f].label(lang, service.id, slots) for f in fields]
    text = ("कौन-सी जानकारी बदलनी है? नंबर भेजें:" if lang == "hi" else "Which detail do you want to change? Send its number:")
    return text, numbered_choices(titles)


def ask_resume(service: Service, language: str) -> str:
    lang = _lang(language)
    if lang == "hi":
        return f"आपका {service.text('name', lang)} का आवेदन अधूरा है, आगे भरें?"
    return f"Your {service.text('name', lang)} application is not finished. Continue it?"


def stopped(language: str) -> str:
    return _pick({"hi": "ठीक है, आवेदन रोक दिया। जब चाहें \"आवेदन\" लिखकर फिर से शुरू करें।",
                  "en": "All right, the application is stopped. Write \"apply\" whenever you want to start again."},
                 language)


def ask_tehsil(tehsils: Sequence[Tehsil], language: str) -> Tuple[str, List[Button]]:
    """The district's tehsils as numbered buttons, named in the citizen's language."""
    if not tehsils:   # the district's list is not known: the name as the citizen writes it
        return _pick({"hi": "आपकी तहसील का नाम लिखें:", "en": "Write the name of your tehsil:"}, language), []
    text = _pick({"hi": "आपकी तहसील कौन-सी है? नंबर भेजें या नाम लिखें:",
                  "en": "Which is your tehsil? Send a number or write the name:"}, language)
    return text, numbered_choices([t.text(_lang(language)) for t in tehsils])


# ---------------------------------------------------------------- receipt

def _fee_text(view: ApplicationView, language: str, confirmed: bool) -> str:
    hi = _lang(language) == "hi"
    if not view.fee_due_paise:
        return "कोई फीस नहीं" if hi else "no fee"
    parts = []
    if view.statutory_fee_paise:
        parts.append(f"सरकारी फीस {format_rupees(view.statutory_fee_paise)}" if hi else
                     f"government fee {format_rupees(view.statutory_fee_paise)}")
    if view.processing_fee_paise:
        parts.append(f"केंद्र की फीस {format_rupees(view.processing_fee_paise)}" if hi else
                     f"Kendra fee {format_rupees(view.processing_fee_paise)}")
    total = approx(format_rupees(view.fee_due_paise), confirmed, language)
    return f"{total} ({' + '.join(parts)})" if len(parts) > 1 else total


def _days(service: Service, language: str) -> str:
    """"15 कामकाज के दिन" / "उसी दिन": the time limit in words."""
    hi = _lang(language) == "hi"
    limit = service.time_limit
    if limit.days == 0:
        return "उसी दिन" if hi else "the same day"
    if limit.kind == "working":
        return f"{limit.days} कामकाज के दिन" if hi else f"{limit.days} working days"
    return f"{limit.days} दिन" if hi else f"{limit.days} days"


def clock_lines(view: ApplicationView, service: Service, language: str) -> List[str]:
    """When the guaranteed time starts and ends, as the receipt says it."""
    hi = _lang(language) == "hi"
    due = format_date(view.due_date, language) if view.due_date else "—"
    days = approx(_days(service, language), view.due_date_confirmed, language)
    if service.time_limit.days == 0:
        takes = f"⏱️ काम {days} होगा" if hi else f"⏱️ The work is done {days}"
    else:
        takes = f"⏱️ काम {days} में होगा" if hi else f"⏱️ The work takes {days}"
    if view.status == Status.FEE_PENDING:
        return [
            (f"{takes}। गिनती फीस जमा होने से शुरू होती है (दफ़्तर बंद होने के बाद या छुट्टी के दिन "
             "जमा हो तो अगले कामकाज के दिन से)।" if hi else
             f"{takes}, counted from when the fee is paid (paid after office hours or on a "
             "holiday: from the next working day)."),
            (f"आज फीस जमा करें तो गारंटी तारीख: *{due}*" if hi else f"Pay today and it will be done by *{due}*"),
        ]
    return [(f"{takes}। गारंटी तारीख: *{due}*" if hi else f"{takes}. Guaranteed by *{due}*")]


def next_step(view: ApplicationView, language: str, in_receipt: bool = False,
              home_delivery: Optional[str] = None) -> str:
    """What the citizen does next. On the receipt, the payments capability sends
    the payment link right after it (action_offer_payment); the Kendra also
    takes the fee."""
    hi = _lang(language) == "hi"
    fee = format_rupees(view.fee_due_paise)
    pay = (
        (f"{fee} फीस जमा करें: भुगतान का लिंक अभी यहीं आ रहा है। चाहें तो यह आवेदन नंबर लेकर लोक सेवा केंद्र पर "
         "भी जमा कर सकते हैं।",
         f"Pay the fee of {fee}: the payment link follows here. You can also pay at a Lok Seva Kendra with this "
         "application number.")
        if in_receipt else
        (f"{fee} फीस जमा करें: \"फीस भरनी है\" लिखें, भुगतान का लिंक आ जाएगा; या लोक सेवा केंद्र पर जमा करें।",
         f"Pay the fee of {fee}: write \"pay fee\" for the payment link, or pay at a Lok Seva Kendra.")
    )
    issued = (
        ("प्रमाण पत्र यहीं पाने के लिए लिखें \"प्रमाण पत्र भेजो\"। छपी कॉपी घर आ रही है; उसके बारे में ऊपर देखें।",
         "To get the certificate here, write \"send certificate\". The printed copy is on its way home: see above.")
        if home_delivery else
        ("प्रमाण पत्र यहीं पाने के लिए लिखें \"प्रमाण पत्र भेजो\"; छपी कॉपी घर पर चाहिए तो \"घर पर भेजो\"।",
         "To get the certificate here, write \"send certificate\"; for a printed copy at home, write "
         "\"home delivery\".")
    )
    steps = {
        Status.SUBMITTED: ("अभी कुछ नहीं करना; अधिकारी जाँच करेंगे।", "Nothing to do now; the officer will review it."),
        Status.FEE_PENDING: pay,
        Status.PAID: ("अभी कुछ नहीं करना; अधिकारी जाँच करेंगे।", "Nothing to do now; the officer will review it."),
        Status.UNDER_REVIEW: ("अभी कुछ नहीं करना। ज़रूरत हुई तो हम आपको बताएँगे।",
                              "Nothing to do now. We will tell you if anything is needed."),
        Status.MORE_INFO_NEEDED: MORE_INFO_STEP,
        Status.APPROVED: ("प्रमाण पत्र बन रहा है; बनते ही यहीं भेज दिया जाएगा।",
                          "The certificate is being prepared; it will be sent here when ready."),
        Status.CERTIFICATE_ISSUED: issued,
        Status.DELIVERED: ("कुछ नहीं करना; प्रमाण पत्र आपको मिल चुका है।", "Nothing; you have the certificate."),
        Status.REJECTED: ("कारण देखें; चाहें तो अपील करें।", "See the reason; you may appeal."),
        Status.DRAFT: ("आवेदन पूरा भरें।", "Finish the application."),
    }
    return steps[view.status][0 if hi else 1]


# How to send papers the officer asked for: the officer's request says the
# same (lokseva.portal.messaging.documents_requested).
MORE_INFO_STEP = (
    "माँगे गए कागज़ की साफ़ फ़ोटो या PDF इसी चैट में भेजें (चाहें तो लोक सेवा केंद्र पर दे आएँ)।",
    "Send a clear photo or PDF of the papers asked for in this chat (or take them to the Lok Seva Kendra).",
)


def more_info_step(language: str) -> str:
    return MORE_INFO_STEP[0 if _lang(language) == "hi" else 1]


def _district_text(code: str, language: str) -> str:
    district = district_by_code(code)
    return district.text("name", language) if district else code


def _officer(view: ApplicationView, service: Service, language: str) -> str:
    """The district's own designated officer when its file names one, else the catalogue's."""
    district = district_by_code(view.district_code)
    own = district.officer(service.id, "designated_officer") if district else None
    return own[language] if own else service.text("designated_officer", language)


def receipt(rec: Receipt, service: Service, language: str) -> str:
    """The पावती sent on submission."""
    lang = _lang(language)
    hi = lang == "hi"
    view = rec.application
    lines = [
        "✅ आपका आवेदन जमा हो गया।" if hi else "✅ Your application has been submitted.",
        "🧾 *पावती*" if hi else "🧾 *Receipt*",
        f"{'आवेदन नंबर' if hi else 'Application number'}: *{view.reference}*",
        f"{'सेवा' if hi else 'Service'}: {service.text('name', lang)}",
        f"{'ज़िला' if hi else 'District'}: {_district_text(view.district_code, lang)}",
        f"{'आवेदन करने वाले का नाम' if hi else 'Applicant'}: {view.applicant_name}",
        f"{'जमा की तारीख' if hi else 'Submitted on'}: {format_date(view.submitted_on, lang) if view.submitted_on else '—'}",
        f"{'फीस' if hi else 'Fee'}: {_fee_text(view, lang, service.is_confirmed('fees'))}",
    ]
    if rec.fee_note:
        lines.append(f"ℹ️ {rec.fee_note[lang]}")
    if rec.fee_beyond_tiers:
        lines.append("ℹ️ एक साल से ज़्यादा देर हुई है: अधिकारी के आदेश के बाद ही दर्ज होगा।" if hi else
                     "ℹ️ More than a year late: it can be registered only after an officer's order.")
    lines += clock_lines(view, service, lang)
    lines += [
        f"{'ज़िम्मेदार अधिकारी' if hi else 'Officer in charge'}: {_officer(view, service, lang)}",
        f"👉 {'आगे क्या करें' if hi else 'Next step'}: {next_step(view, lang, in_receipt=True)}",
        (f"यह आवेदन नंबर सँभालकर रखें। हाल जानने के लिए लिखें: स्थिति {view.reference}" if hi else
         f"Keep this number. To check the status, write: status {view.reference}"),
    ]
    return "\n".join(with_hedge(lines, lang))


def submit_failed(language: str) -> str:
    return _pick({"hi": "माफ़ कीजिए, अभी आवेदन जमा नहीं हो सका (तकनीकी दिक्कत)। आपकी भरी हुई जानकारी सुरक्षित है; "
                        "थोड़ी देर बाद \"आवेदन\" लिखें।",
                  "en": "Sorry, the application could not be submitted (technical problem). Your answers are kept; "
                        "write \"apply\" again in a little while."}, language)


def draft_lost(language: str) -> str:
    return _pick({"hi": "माफ़ कीजिए, आपका अधूरा आवेदन 24 घंटे से पुराना होने के कारण हट गया। कृपया \"आवेदन\" लिखकर फिर से भरें।",
                  "en": "Sorry, your unfinished application was older than 24 hours and was removed. "
                        "Please write \"apply\" to fill it again."}, language)


# ---------------------------------------------------------------- status

STATUS_NAMES: Dict[Status, Tuple[str, str]] = {
    Status.DRAFT: ("अधूरा", "not finished"),
    Status.SUBMITTED: ("आवेदन मिल गया है", "received"),
    Status.FEE_PENDING: ("फीस जमा होना बाकी है", "waiting for the fee"),
    Status.PAID: ("फीस जमा हो गई है", "fee paid"),
    Status.UNDER_REVIEW: ("अधिकारी जाँच कर रहे हैं", "being reviewed by the officer"),
    Status.MORE_INFO_NEEDED: ("अधिकारी को आपसे और जानकारी चाहिए", "the officer needs more from you"),
    Status.APPROVED: ("मंज़ूर हो गया है", "approved"),
    Status.CERTIFICATE_ISSUED: ("प्रमाण पत्र बन गया है", "certificate issued"),
    Status.DELIVERED: ("प्रमाण पत्र दे दिया गया है", "certificate delivered"),
    Status.REJECTED: ("नामंज़ूर हुआ", "rejected"),
}


def status_name(status: Status, language: str) -> str:
    return STATUS_NAMES[status][0 if _lang(language) == "hi" else 1]


def _due_line(view: ApplicationView, today: dt.date, language: str) -> Optional[str]:
    if view.status == Status.FEE_PENDING:
        return ("📅 गारंटी तारीख फीस जमा होने के दिन से गिनी जाएगी।" if _lang(language) == "hi" else
                "📅 The guaranteed date is counted from the day the fee is paid.")
    if not view.due_date or view.status in (Status.DELIVERED, Status.CERTIFICATE_ISSUED, Status.REJECTED):
        return None
    hi = _lang(language) == "hi"
    due = format_date(view.due_date, language)
    left = days_left(view.due_date, today)
    if left > 0:
        when = f"{left} दिन बाकी" if hi else f"{left} day{'s' if left != 1 else ''} left"
    elif left == 0:
        when = "आज आख़िरी दिन" if hi else "today is the last day"
    else:
        when = f"तारीख {-left} दिन पहले निकल गई" if hi else f"passed {-left} day{'s' if left != -1 else ''} ago"
    return f"📅 गारंटी तारीख: {due} ({when})" if hi else f"📅 Guaranteed by: {due} ({when})"


def status_detail(view: ApplicationView, service: Service, today: dt.date, language: str,
                  home_delivery: Optional[str] = None) -> str:
    """One application's status. `home_delivery`: how the delivery of its printed
    copy stands, once one is under way (lokseva.delivery.flows.delivery_state)."""
    lang = _lang(language)
    hi = lang == "hi"
    lines = [
        f"📄 *{view.reference}* — {service.text('name', lang)}",
        f"{'स्थिति' if hi else 'Status'}: *{status_name(view.status, lang)}*",
    ]
    if view.status in (Status.MORE_INFO_NEEDED, Status.REJECTED) and view.last_reason:
        lines.append(f"{'कारण' if hi else 'Reason'}: {view.last_reason}")
    due = _due_line(view, today, lang)
    if due:
        lines.append(due)
    if home_delivery:
        lines.append(f"🏠 {'छपी कॉपी घर भेजना' if hi else 'Printed copy to your home'}: {home_delivery}")
    lines.append(f"👉 {'आगे क्या करें' if hi else 'Next step'}: {next_step(view, lang, home_delivery=home_delivery)}")
    if view.status == Status.REJECTED:
        lines.append(appeal_text("rejected", service, lang))
    elif view.status in OFFICE_IS_RESPONSIBLE and view.due_date and today > view.due_date:
        lines.append(appeal_text("late", service, lang))
    return "\n".join(lines)


def status_list(views: Sequence[ApplicationView], catalogue: Catalogue, language: str) -> str:
    lang = _lang(language)
    hi = lang == "hi"
    lines = ["आपके आवेदन:" if hi else "Your applications:"]
    for view in views:
        name = catalogue[view.service_id].text("name", lang) if catalogue.get(view.service_id) else view.service_id
        lines.append(f"• {view.reference} — {name}: {status_name(view.status, lang)}")
    lines.append("किसी एक की पूरी जानकारी के लिए उसका आवेदन नंबर भेजें।" if hi else
                 "Send an application number for its details.")
    return "\n".join(lines)


def status_not_found(language: str) -> str:
    return _pick({"hi": "यह आवेदन आपके मोबाइल नंबर से नहीं मिला। आवेदन नंबर आपकी पावती पर लिखा है, देखकर दोबारा भेजें। "
                        "अपने सारे आवेदन देखने के लिए \"स्थिति\" लिखें।",
                  "en": "No application with this number was found for your phone. The application number is on "
                        "your receipt; please check it and send it again. To see all your applications, write "
                        "\"status\"."},
                 language)


def no_applications(language: str, draft_service: Optional[Service] = None) -> str:
    lang = _lang(language)
    if draft_service is not None:
        return ask_resume(draft_service, lang) + (" \"आवेदन\" लिखें।" if lang == "hi" else ' Write "apply".')
    return _pick({"hi": "आपके नंबर से अभी कोई आवेदन नहीं है। नया आवेदन करने के लिए \"आवेदन\" लिखें।",
                  "en": "There is no application from your number yet. To apply, write \"apply\"."}, lang)


