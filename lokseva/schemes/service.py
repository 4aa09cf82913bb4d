"""Decisions about a scheme question or complaint: which aspects were asked,
what kind of complaint it is, which schemes suit a group of people, and which
facts are due for review. Plain Python over the loaded data; no Rasa here."""

from __future__ import annotations

import datetime as dt
import re
from typing import List, Optional, Tuple

from lokseva.schemes import Fact, Scheme, load_schemes

# Words that say which aspect a citizen asks about, in both scripts and the
# spellings of a fast thumb. `gives` is in every card, so it has no words.
_ASPECT_WORDS = {
    "eligibility": r"kaun|kon|kisko|kise|kisse|patr|patrata|eligib|qualif|milega kya|milegi kya|age|umar|umr|"
    r"कौन|किसको|किसे|पात्र|पात्रता|उम्र|मिलेगा क्या|मिलेगी क्या",
    "documents": r"kagaz|kagaj|kagad|document|docs|dastave|papers|कागज|कागज़|दस्तावेज|डॉक्यूमेंट",
    "status": r"status|stithi|sthiti|kist|kisht|installment|instalment|payment|bhugtan|kab aay|kab aaeg|kab ayeg|"
    r"kab mileg|kab tak|aaya kya|aayi kya|aai kya|list me naam|naam hai|स्टेटस|स्थिति|किस्त|किश्त|भुगतान|"
    r"कब आए|कब आये|कब आएग|कब मिलेग|आया क्या|आई क्या|लिस्ट में नाम|सूची में नाम",
    "apply": r"kaise|kese|kaha|kahan|apply|aavedan|avedan|form|registr|panjiyan|banwa|banegi|banega|bana|judwa|jod|"
    r"कैसे|कहाँ|कहां|आवेदन|अप्लाई|फॉर्म|फार्म|पंजीयन|रजिस्ट्रेशन|बनवा|बनेग|बनेगी|बनाना|जुड़वा|जोड़",
}
_ASKABLE = tuple(_ASPECT_WORDS)

# Kinds of complaint (lokseva/schemes/models.py COMPLAINT_KINDS, and a bribe).
_BRIBE = (
    r"rishwat|riswat|ghoos|ghus|bribe|paise maang|paisa maang|paise mang|paisa mang|rupay maang|rupaye maang|"
    r"paise le raha|paise liye|kharcha pani|रिश्वत|घूस|पैसे मांग|पैसे माँग|पैसा मांग|पैसा माँग|रुपये मांग|"
    r"रुपये माँग|पैसे ले रहा|पैसे लिए|खर्चा पानी"
)
_RATION_DENIED = (
    r"(ration|rashan|राशन|अनाज|anaj|gehu|गेहूं|गेहूँ).*(nahi de|nhi de|na de|mana|नहीं दे|नही दे|मना|"
    r"nahi mil|nhi mil|नहीं मिल|नही मिल|kam de|कम दे)|(dukan|dukaan|दुकान|kotedar|कोटेदार).*"
    r"(nahi|nhi|mana|नहीं|नही|मना)"
)
_NOT_LISTENING = (
    r"sun nahi|sunta nahi|sunte nahi|sunwai nahi|nahi sun|nhi sun|bhaga dete|bhaga diya|dhyan nahi|"
    r"chakkar|jawab nahi|सुन नहीं|सुनता नहीं|सुनते नहीं|नहीं सुन|नही सुन|भगा दे|भगा दिया|ध्यान नहीं|चक्कर|"
    r"जवाब नहीं|बदतमीज|badtameez"
)
_MONEY_MISSING = (
    r"paisa|paise|kist|kisht|installment|pension|majdoori|mazdoori|subsidy|nahi aa|nhi aa|nahi mil|"
    r"nhi mil|ruk gay|band ho|not received|not come|has not come|पैसा|पैसे|किस्त|पेंशन|मजदूरी|मज़दूरी|"
    r"सब्सिडी|नहीं आ|नही आ|नहीं मिल|नही मिल|रुक गई|रुक गया|बंद हो"
)
BRIBE = "bribe"

# Words that name a family of schemes without saying which one ("pension kab
# aayegi"): the citizen is asked to choose among them.
_FAMILIES = (
    (r"pension|penshan|pensn|पेंशन|पेन्शन", ("old_age_pension", "widow_pension", "disability_pension")),
    (r"kisan|kishan|किसान", ("pm_kisan", "kisan_kalyan")),
)


def _matches(pattern: str, text: str) -> bool:
    return re.search(pattern, (text or "").lower()) is not None


def asked_aspects(text: str, chosen: Optional[str] = None) -> Tuple[str, ...]:
    """The aspects a question asks about beyond what the scheme gives: the one
    chosen on a button, else those its words name, else how to apply (the one
    next step)."""
    if chosen in _ASKABLE or chosen == "not_received":
        return (chosen,)
    # "kaun se kagaz" asks which papers, not who qualifies
    plain = re.sub(r"(kaun|kon|कौन)[ -]?(se|si|sa|से|सी|सा)(?=\s|$)", " ", (text or "").lower())
    found = tuple(a for a in _ASKABLE if _matches(_ASPECT_WORDS[a], plain))
    # "kaise milega" asks how to get it: applying, not who qualifies
    if "eligibility" in found and "apply" in found and not _matches(r"kaun|kon|kisko|patr|कौन|किसको|पात्र", text):
        found = tuple(a for a in found if a != "eligibility")
    return found or ("apply",)


def complaint_kind(text: str, scheme: Optional[Scheme]) -> str:
    """bribe, ration_denied, not_listening, not_received(_unnamed) or other."""
    if _matches(_BRIBE, text):
        return BRIBE
    if _matches(_RATION_DENIED, text) or (scheme is not None and scheme.id == "ration"):
        return "ration_denied"
    if _matches(_NOT_LISTENING, text):
        return "not_listening"
    money = _matches(_MONEY_MISSING, text)
    if scheme is not None:
        # a button under a scheme's card says nothing more: a missing payment is the usual complaint
        return "not_received" if money or text.startswith("/") else "other"
    return "not_received_unnamed" if money else "other"


def schemes_named_loosely(text: str) -> List[Scheme]:
    """The schemes a message may mean when it names no scheme but a family of
    them ("pension", "kisan"); empty when it names none."""
    schemes = load_schemes().schemes
    for words, ids in _FAMILIES:
        if _matches(words, text):
            return [schemes[i] for i in ids]
    return []


def schemes_for(group: str) -> List[Scheme]:
    """The schemes a group of people may get, in the file's order; every group
    also gets those marked `everyone` after its own."""
    schemes = list(load_schemes().schemes.values())
    own = [s for s in schemes if group in s.groups]
    return own + [s for s in schemes if "everyone" in s.groups and s not in own]


def facts_due_for_review(today: dt.date) -> List[Tuple[str, str, Fact]]:
    """(scheme, aspect, fact) whose review date has passed: staff must check them
    against the source and set a new date (docs/schemes.md)."""
    return [
        (scheme.id, aspect, fact)
        for scheme in load_schemes().schemes.values()
        for aspect, fact in scheme.all_facts()
        if fact.review_by < today
    ]
