"""Information for citizens: the Lok Seva Guarantee Act, Samadhan Ek Din, Jan
Sunwai, CM Helpline 181, Aadhaar, Ayushman Bharat (content.yml), and each
service's documents, fee, time limit and same-day availability (the catalogue).
District bits (Jan Sunwai venue, the Kendra) come from the citizen's district
(lokseva/districts; information/districts.py)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Tuple, Union

import yaml
from pydantic import StrictBool, StrictStr, ValidationError, constr

from lokseva.catalogue import Catalogue, Service, load_catalogue
from lokseva.clock import IST as INDIA, spoken_hours
from lokseva.districts import District
from lokseva.information.districts import kendra_line
from lokseva.money import format_rupees
from lokseva.validation import Bilingual, Strict, named_errors

CONTENT_FILE = Path(__file__).with_name("content.yml")
WEEKDAYS = {
    "monday": ("सोमवार", "Monday"),
    "tuesday": ("मंगलवार", "Tuesday"),
    "wednesday": ("बुधवार", "Wednesday"),
    "thursday": ("गुरुवार", "Thursday"),
    "friday": ("शुक्रवार", "Friday"),
    "saturday": ("शनिवार", "Saturday"),
    "sunday": ("रविवार", "Sunday"),
}


class ContentError(ValueError):
    """content.yml is broken; the message names the topic and field."""


@dataclass(frozen=True)
class Topic:
    key: str
    intent: str
    title: Mapping[str, str]
    text: Mapping[str, str]
    confirmed: bool
    until: Tuple[Tuple[dt.date, Mapping[str, str]], ...] = ()  # lines said up to their date

    def lines_on(self, today: dt.date, language: str) -> List[str]:
        return [line[language] for last_day, line in self.until if today <= last_day]


@dataclass(frozen=True)
class Content:
    hedge: Mapping[str, str]
    topics: Tuple[Topic, ...]
    appeal: Mapping[str, Mapping[str, str]]
    appeal_confirmed: bool
    menu_more: Tuple[Tuple[Mapping[str, str], str], ...] = ()  # (title, payload)

    def topic_for_intent(self, intent: str) -> Optional[Topic]:
        return next((t for t in self.topics if t.intent == intent), None)


class UntilLine(Bilingual):
    """A line said up to and including its date (an announced change, a deadline)."""

    date: dt.date


class TopicEntry(Strict):
    intent: constr(strip_whitespace=True, min_length=1)  # type: ignore[valid-type]
    title: Bilingual
    text: Bilingual
    confirmed: StrictBool
    source: Union[StrictStr, List[StrictStr]]
    until: List[UntilLine] = []


class AppealEntry(Strict):
    late: Bilingual
    rejected: Bilingual
    confirmed: StrictBool = False
    source: Union[StrictStr, List[StrictStr], None] = None


class MenuEntry(Strict):
    title: Bilingual
    # An intent payload such as /ask_scheme_info.
    payload: constr(regex=r"^/")  # type: ignore[valid-type]


class ContentFile(Strict):
    """The shape of content.yml."""

    hedge: Bilingual
    topics: Dict[str, TopicEntry]
    appeal: AppealEntry
    menu_more: List[MenuEntry] = []


@functools.lru_cache(maxsize=None)
def load_content(path: Optional[Path] = None) -> Content:
    data = yaml.safe_load(Path(path or CONTENT_FILE).read_text(encoding="utf-8")) or {}
    try:
        content = ContentFile.parse_obj(data)
    except ValidationError as error:
        raise ContentError(named_errors(error, "content.yml")) from None
    return Content(
        hedge=content.hedge.as_dict(),
        topics=tuple(
            Topic(
                key,
                topic.intent,
                topic.title.as_dict(),
                topic.text.as_dict(),
                topic.confirmed,
                tuple((line.date, line.as_dict()) for line in topic.until),
            )
            for key, topic in content.topics.items()
        ),
        appeal={"late": content.appeal.late.as_dict(), "rejected": content.appeal.rejected.as_dict()},
        appeal_confirmed=content.appeal.confirmed,
        menu_more=tuple((entry.title.as_dict(), entry.payload) for entry in content.menu_more),
    )


def hedge(language: str) -> str:
    """The one plain note a message ends with when it gives an unconfirmed
    number ("लगभग ₹40"); said once per message (docs/style-guide.md)."""
    return load_content().hedge.get(language) or load_content().hedge["hi"]


def approx(value: str, confirmed: bool, language: str) -> str:
    """An unconfirmed number, marked "लगभग" / "about" (the message adds hedge() once)."""
    if confirmed:
        return value
    return f"{'लगभग' if _lang(language) == 'hi' else 'about'} {value}"


def with_hedge(lines: List[str], language: str) -> List[str]:
    """`lines` with the hedge once at the end if any line marks a number as unconfirmed."""
    word = "लगभग " if _lang(language) == "hi" else "about "
    if any(word in line for line in lines):
        return lines + [hedge(language)]
    return lines


def _lang(language: str) -> str:
    return "en" if language == "en" else "hi"


def district_values(district: District, language: str, tehsil: Optional[str] = None) -> Dict[str, str]:
    lang = _lang(language)
    jan = district.jan_sunwai or {}
    day = WEEKDAYS.get(str(jan.get("day", "")).lower())
    return {
        "district": district.text("name", lang),
        "lok_seva_kendra": kendra_line(district, tehsil, lang),
        "jan_sunwai_venue": (jan.get("venue") or {}).get(lang) or (jan.get("venue") or {}).get("hi", ""),
        "jan_sunwai_day": (day[0] if lang == "hi" else day[1]) if day else str(jan.get("day", "")),
        "jan_sunwai_hours": _hours(str(jan.get("hours") or ""), lang),
    }


def _hours(span: str, language: str) -> str:
    """ "11:00-13:00" -> "सुबह 11 से दोपहर 1 बजे"."""
    try:
        opens, closes = (dt.time.fromisoformat(part.strip()) for part in span.split("-"))
    except ValueError:
        return span
    return spoken_hours(opens, closes, language)


def topic_answer(
    intent: str,
    district: Optional[District],
    language: str,
    today: Optional[dt.date] = None,
    tehsil: Optional[str] = None,
) -> Optional[str]:
    """The answer for an ask_* intent, with the citizen's district's details
    (`district` is needed for information.districts.DISTRICT_TOPICS), the lines
    still valid `today` (India), and a hedge when staff have not confirmed it."""
    topic = load_content().topic_for_intent(intent)
    if topic is None:
        return None
    lang = _lang(language)
    today = today or dt.datetime.now(INDIA).date()
    text = topic.text[lang].format(
        **(district_values(district, lang, tehsil) if district else {}), until="\n".join(topic.lines_on(today, lang))
    )
    text = "\n".join(line for line in text.split("\n") if line.strip())  # an expired line leaves no gap
    return text if topic.confirmed else f"{text}\n{hedge(lang)}"


def appeal_text(kind: str, service: Service, language: str) -> str:
    """Right to a first appeal (kind: late | rejected), naming the appellate officer."""
    lang = _lang(language)
    content = load_content()
    # The right to appeal is the Act's; an officer's title is not a number to hedge.
    return content.appeal[kind][lang].format(appellate_officer=service.text("appellate_officer", lang))


# ---------------------------------------------------------------- services

ASPECTS = ("documents", "fee", "time_limit", "same_day")
_ASPECT_WORDS = {
    "documents": r"kagaz|kagaj|kagad|kaagaz|document|documents|docs|dastavej|dastavez|papers|कागज|कागज़|कागजात|"
    r"दस्तावेज|दस्तावेज़|डॉक्यूमेंट|लगेगा|lagega|lagenge|chahiye|चाहिए",
    "fee": r"fee|fees|fess|shulk|paisa|paise|rupay|rupaye|rupees|kharcha|kitne ka|rate|charge|फीस|शुल्क|पैसे|रुपये|खर्च",
    "time_limit": r"din|days|time|samay|kab tak|kitne din|kitna time|limit|समय|दिन|कब तक|कितने दिन",
    "same_day": r"same day|ek din|aaj hi|usi din|samadhan|एक दिन|उसी दिन|आज ही|समाधान",
}


def asked_aspects(text: str) -> Tuple[str, ...]:
    """Which aspects a question asks about; all of them when it names none."""
    lowered = (text or "").lower()
    found = tuple(a for a in ASPECTS if re.search(rf"(^|[\s,?.!]|\b)({_ASPECT_WORDS[a]})", lowered))
    # "chahiye"/"lagega" alone say documents only when nothing more specific is asked
    if (
        "documents" in found
        and len(found) > 1
        and not re.search(r"kagaz|kagaj|document|dastave|कागज|दस्तावेज|papers", lowered)
    ):
        found = tuple(a for a in found if a != "documents")
    return found or ASPECTS


def fee_line(service: Service, language: str) -> str:
    hi = language == "hi"
    fees = service.fees
    parts: List[str] = []
    if fees.statutory_by_delay:
        tiers = []
        previous = 0
        for tier in fees.statutory_by_delay:
            amount = format_rupees(tier.paise) if tier.paise else ("मुफ़्त" if hi else "free")
            span = (
                (f"{previous + 1}–{tier.up_to_days} दिन" if previous else f"{tier.up_to_days} दिन तक")
                if hi
                else (f"{previous + 1}–{tier.up_to_days} days" if previous else f"up to {tier.up_to_days} days")
            )
            note = f" ({tier.note[language]})" if tier.note else ""
            tiers.append(f"{span}: {amount}{note}")
            previous = tier.up_to_days
        parts.append(("जन्म या मृत्यु के बाद " if hi else "after the birth or death, ") + "; ".join(tiers))
    elif fees.statutory:
        first = format_rupees(fees.statutory)
        if fees.per_extra_page:
            parts.append(
                f"पहला पन्ना {first}, हर अगला पन्ना {format_rupees(fees.per_extra_page)}"
                if hi
                else f"{first} first page, {format_rupees(fees.per_extra_page)} each further page"
            )
        else:
            parts.append(f"सरकारी फीस {first}" if hi else f"government fee {first}")
    else:
        parts.append("सरकारी फीस नहीं" if hi else "no government fee")
    parts.append(
        f"केंद्र की फीस {format_rupees(fees.processing)}" if hi else f"Kendra fee {format_rupees(fees.processing)}"
    )
    return approx(" + ".join(parts), service.is_confirmed("fees"), language)


def time_limit_line(service: Service, language: str) -> str:
    hi = language == "hi"
    limit = service.time_limit
    if limit.days == 0:
        value = "उसी दिन" if hi else "the same day"
    elif limit.kind == "working":
        value = f"{limit.days} कामकाज के दिन (रविवार और छुट्टी नहीं गिनते)" if hi else f"{limit.days} working days"
    else:
        value = f"{limit.days} दिन" if hi else f"{limit.days} days"
    return approx(value, service.is_confirmed("time_limit"), language)


def service_answer(service: Service, aspects: Tuple[str, ...], language: str, applying: bool = False) -> str:
    """A short card on `service` with the asked aspects (all when none named).
    `applying`: asked in the middle of an application, which goes on by itself,
    so the card does not tell the citizen to start one."""
    lang = _lang(language)
    hi = lang == "hi"
    lines = [f"📄 *{service.text('name', lang)}*"]
    if "documents" in aspects:
        lines.append("ज़रूरी कागज़:" if hi else "Documents needed:")
        lines += [f"• {d[lang]}" for d in service.documents]
        if service.documents_note:
            lines.append(f"ℹ️ {service.documents_note[lang]}")
        if service.eligibility:
            lines.append(("कौन बनवा सकता है: " if hi else "Who can apply: ") + service.eligibility[lang])
    if "fee" in aspects:
        lines.append(("💰 फीस: " if hi else "💰 Fee: ") + fee_line(service, lang))
    if "time_limit" in aspects:
        lines.append(("⏱️ कितने दिन में: " if hi else "⏱️ Time limit: ") + time_limit_line(service, lang))
        lines.append(
            ("⏱️ गिनती फीस जमा होने के दिन से होती है।" if hi else "⏱️ The days count from the day the fee is paid.")
        )
        lines.append(("ज़िम्मेदार अधिकारी: " if hi else "Officer in charge: ") + service.text("designated_officer", lang))
    if "same_day" in aspects:
        if service.same_day:
            same = (
                '⚡ "समाधान एक दिवस" में उसी दिन भी मिल सकता है: लोक सेवा केंद्र पर सुबह 9:30 से दोपहर 1:30 बजे के बीच आवेदन करें'
                if hi
                else "⚡ Can also be had the same day under Samadhan Ek Diwas: apply at a Lok Seva Kendra between "
                "9:30 am and 1:30 pm"
            )
            if not service.is_confirmed("same_day"):
                same += " (केंद्र पर पूछ लें कि आज होगा या नहीं)" if hi else " (ask the Kendra whether it can be done today)"
        else:
            same = (
                '"समाधान एक दिवस" में उसी दिन नहीं मिलता' if hi else "Not available the same day under Samadhan Ek Diwas"
            )
        if service.same_day_note:
            same += f" — {service.same_day_note[lang]}"
        lines.append(same)
    if not applying:
        lines.append('आवेदन करने के लिए "आवेदन" लिखें।' if hi else 'To apply, write "apply".')
    return "\n".join(with_hedge(lines, lang))


def menu(language: str, catalogue: Optional[Catalogue] = None) -> Tuple[str, List[Dict[str, str]]]:
    """The information menu: services, then the Act and the topics, then the
    government schemes (content.yml `menu_more`), numbered."""
    lang = _lang(language)
    catalogue = catalogue or load_catalogue()
    buttons = [
        {"title": s.text("name", lang), "payload": f'/ask_service_info{{"service":"{s.id}"}}'} for s in catalogue
    ]
    # No numbers in the titles: the channel numbers the buttons when it renders them.
    buttons += [{"title": t.title[lang], "payload": f"/{t.intent}"} for t in load_content().topics]
    buttons += [{"title": title[lang], "payload": payload} for title, payload in load_content().menu_more]
    text = "किस बारे में जानकारी चाहिए? नंबर भेजें:" if lang == "hi" else "What would you like to know about? Send a number:"
    return text, buttons
