"""The answers that depend on the citizen's district: Jan Sunwai, Samadhan Ek
Din, the nearest Lok Seva Kendra and its hours, all from the district registry
(lokseva/districts). What a district's file does not say is said plainly as not
known, with where to ask; never another district's answer."""

from __future__ import annotations

import re
from typing import Dict, Optional

from lokseva.districts import District
from lokseva.districts.hours import office_hours

# Intents whose answer names the district's offices: the district is asked first.
DISTRICT_TOPICS = ("ask_jan_sunwai", "ask_samadhan_ek_din")

_KENDRA = r"kendra|kendr|lsk|लोक सेवा केंद्र|लोक सेवा केन्द्र|केंद्र|केन्द्र|सेंटर|center|centre"
_WHERE_OR_WHEN = (
    r"kaha|kahan|kahaan|where|address|pata|nearest|najdik|nazdik|paas|kitne baje|khul|open|band|"
    r"time|samay|timing|sunday|ravivar|phone|number|कहाँ|कहां|पता|नज़दीक|नजदीक|पास|बजे|खुल|बंद|"
    r"समय|रविवार|फ़ोन|फोन|hai kya|है क्या"
)


def asks_for_kendra(text: str) -> bool:
    """ "lok seva kendra kahan hai", "LSK thandla ka address", "केंद्र कितने बजे खुलता है"."""
    lowered = text.lower()
    return bool(re.search(_KENDRA, lowered)) and bool(re.search(_WHERE_OR_WHEN, lowered))


def _pick(texts: Dict[str, str], language: str, **params) -> str:
    return texts["en" if language == "en" else "hi"].format(**params)


def _kendra_name(kendra, language: str) -> str:
    if kendra.confirmed:
        return kendra.text(language)
    return _pick(
        {
            "hi": "{name} (पता पक्का नहीं, तहसील कार्यालय में पूछ लें)",
            "en": "{name} (not confirmed: check with the tehsil office)",
        },
        language,
        name=kendra.text(language),
    )


def _served(kendra, district: District, language: str) -> str:
    names = {t.en: t.text(language) for t in district.tehsils}
    if not kendra.serves:
        return _pick({"hi": "पूरा ज़िला", "en": "whole district"}, language)
    return ", ".join(names.get(t, t) for t in kendra.serves)


def kendra_line(district: District, tehsil: Optional[str], language: str) -> str:
    """The Kendra serving the citizen's tehsil, or what to do when not known."""
    kendra = district.kendra_for(tehsil)
    if kendra is None:
        return _pick(
            {
                "hi": "{district} ज़िले के लोक सेवा केंद्रों की सूची मेरे पास नहीं है — अपने नज़दीकी लोक सेवा "
                "केंद्र का पता तहसील कार्यालय या ग्राम पंचायत में पूछें।",
                "en": "I do not have the list of Lok Seva Kendras of {district} district — ask the tehsil "
                "office or your gram panchayat for the nearest one.",
            },
            language,
            district=district.text("name", language),
        )
    return _kendra_name(kendra, language)


def hours_line(district: District, language: str) -> str:
    if district.office_hours is None:
        return _pick(
            {
                "hi": "खुलने का समय मेरे पास नहीं है — अपने नज़दीकी लोक सेवा केंद्र से पूछें।",
                "en": "I do not have the opening hours — ask at your nearest Lok Seva Kendra.",
            },
            language,
        )
    return _pick(
        {"hi": "खुलने का समय: {hours} (छुट्टी के दिन बंद)", "en": "Open: {hours} (closed on holidays)"},
        language,
        hours=office_hours(district.office_hours, language),
    )


def kendra_answer(district: District, tehsil: Optional[str], language: str) -> str:
    """ "Where is the nearest Kendra, when is it open?" for the citizen's district and tehsil."""
    title = _pick(
        {"hi": "🏢 *नज़दीकी लोक सेवा केंद्र* ({district})", "en": "🏢 *Nearest Lok Seva Kendra* ({district})"},
        language,
        district=district.text("name", language),
    )
    if tehsil or not district.kendras:
        lines = [title, kendra_line(district, tehsil, language)]
    else:  # the tehsil is not known: each Kendra with the tehsils it serves
        lines = [title] + [
            f"• {_served(kendra, district, language)}: {_kendra_name(kendra, language)}" for kendra in district.kendras
        ]
    lines.append(hours_line(district, language))
    lines.append(
        _pick(
            {
                "hi": '👉 साथ ले जाएँ: आधार और ज़रूरी कागज़। आवेदन यहीं WhatsApp पर भी कर सकते हैं: "आवेदन" लिखें।',
                "en": '👉 Take your Aadhaar and papers. You can also apply right here on WhatsApp: write "apply".',
            },
            language,
        )
    )
    return "\n".join(lines)
