"""What citizens read about schemes: a short card per scheme with the one next
step and buttons to ask more, the "which schemes can I get?" question, and the
route of a complaint. The facts come from schemes.yml / complaints.yml (data with
sources), the sentences around them from lokseva/messages/<language>/schemes.yml."""

from __future__ import annotations

import json
from typing import Dict, List, Optional, Sequence, Tuple

from lokseva.applications.numbers import month_year as month_and_year
from lokseva.districts import District
from lokseva.information import district_values
from lokseva.messages import language_of, render
from lokseva.schemes import Fact, Scheme, load_complaints, load_schemes
from lokseva.schemes.service import BRIBE, schemes_for

Buttons = List[Dict[str, str]]
Reply = Tuple[str, Buttons]

# The buttons under a card: ask more (schemes.more in the catalogue), or complain.
_MORE = ("eligibility", "documents", "status", "apply")


def _lang(language: str) -> str:
    return language_of(language)


def _t(key: str, lang: str, **values: object) -> str:
    return render(f"schemes.{key}", lang, **values)


def _payload(intent: str, **entities: str) -> str:
    return f"/{intent}{json.dumps(entities, ensure_ascii=False, separators=(',', ':'))}" if entities else f"/{intent}"


def ask_at(scheme: Optional[Scheme], lang: str) -> str:
    where = scheme.ask_at if scheme is not None and scheme.ask_at else load_schemes().ask_at
    return where.text(lang)


def fact_text(fact: Fact, scheme: Scheme, lang: str) -> str:
    """The fact as citizens read it; one not confirmed says so."""
    text = fact.text(lang)
    return text if fact.confirmed else f"{text} {load_schemes().hedge.text(lang)}"


def hedge_note(facts: Sequence[Fact], scheme: Optional[Scheme], lang: str) -> List[str]:
    """Where to confirm, once, when something shown is not certain."""
    if all(f.confirmed for f in facts):
        return []
    return [load_schemes().hedge_note.text(lang).format(ask_at=ask_at(scheme, lang))]


def month_year(facts: Sequence[Fact], lang: str) -> str:
    """The newest "as of" among the facts shown, as "नवंबर 2025"."""
    newest = max(f.as_of for f in facts)
    return month_and_year(newest, lang)


def _aspect_lines(scheme: Scheme, aspect: str, lang: str) -> List[str]:
    facts = scheme.facts(aspect)

    def line(fact: str) -> str:
        return _t(f"label.{aspect}", lang, fact=fact)

    if not facts:
        if aspect == "helpline":
            return [line(load_schemes().ask_at.text(lang))]
        return [line(_t("not_known", lang, ask_at=ask_at(scheme, lang)))]
    if aspect == "gives":
        return [line(fact_text(f, scheme, lang)) for f in facts]
    first, *rest = facts
    return [line(fact_text(first, scheme, lang))] + [
        _t("more_fact", lang, fact=fact_text(f, scheme, lang)) for f in rest
    ]


def scheme_card(scheme: Scheme, aspects: Sequence[str], language: str) -> Reply:
    """What the scheme gives, the aspects asked (how to apply when none), where
    to get help, how current it is; buttons for the rest and for a complaint."""
    lang = _lang(language)
    shown = ["gives", *[a for a in aspects if a != "gives"]]
    if "helpline" not in shown:
        shown.append("helpline")
    lines = [_t("card_head", lang, icon=scheme.icon, scheme=scheme.name.text(lang))]
    for aspect in shown:
        lines += _aspect_lines(scheme, aspect, lang)
    facts = [f for a in shown for f in scheme.facts(a)]
    lines += hedge_note(facts, scheme, lang)
    lines.append(load_schemes().as_of_line.text(lang).format(date=month_year(facts, lang)))
    buttons = [
        {
            "title": _t(f"more.{aspect}", lang),
            "payload": _payload("ask_scheme_info", scheme=scheme.id, scheme_aspect=aspect),
        }
        for aspect in _MORE
        if aspect not in shown and scheme.facts(aspect)
    ]
    buttons.append({"title": _t("complain_button", lang), "payload": _payload("report_problem", scheme=scheme.id)})
    return "\n".join(lines), buttons


def guide_question(language: str) -> Reply:
    """ "Which schemes can I get?": one question, who the citizen is."""
    lang = _lang(language)
    text = _t("guide", lang)
    buttons = [
        {"title": title.text(lang), "payload": _payload("ask_scheme_info", scheme_group=group)}
        for group, title in load_schemes().groups.items()
    ]
    return text, buttons


def group_answer(group: str, language: str) -> Reply:
    """The schemes for one group, one line each with what it gives; a button per scheme."""
    lang = _lang(language)
    book = load_schemes()
    title = book.groups[group].text(lang) if group in book.groups else ""
    schemes = schemes_for(group)
    lines = [_t("group_head", lang, group=title)]
    for scheme in schemes:
        lines.append(_t("group_line", lang, icon=scheme.icon, scheme=scheme.name.text(lang)))
    lines.append(_t("group_foot", lang))
    buttons = [{"title": s.button_title(lang), "payload": _payload("ask_scheme_info", scheme=s.id)} for s in schemes]
    return "\n".join(lines), buttons


def which_of(schemes: Sequence[Scheme], language: str) -> Reply:
    """ "Which one?" when a message names a family of schemes (pensions)."""
    lang = _lang(language)
    text = _t("which_of", lang)
    return text, [{"title": s.button_title(lang), "payload": _payload("ask_scheme_info", scheme=s.id)} for s in schemes]


def complaint_reply(kind: str, scheme: Optional[Scheme], district: Optional[District], language: str) -> Reply:
    """The route of a complaint, in order: what to check yourself (not for a
    bribe), CM Helpline 181, the district office, the callback request."""
    lang = _lang(language)
    texts = load_complaints()
    place = district_values(district, lang) if district else {}
    if district:
        place["collectorate"] = district.text("collectorate", lang)
    if kind == "ration_denied" and scheme is None:
        scheme = load_schemes().schemes["ration"]
    lines: List[str] = []
    if kind == BRIBE:
        lines.append(texts.bribe.text(lang))
        lines.append(texts.helpline.text(lang))
        if texts.vigilance is not None:
            lines.append(texts.vigilance.text(lang).format(**place))
    else:
        name = scheme.name.text(lang) if scheme is not None else ""
        lines.append(texts.kinds[kind].text(lang).format(scheme=name))
        checks = [fact_text(f, scheme, lang) for f in scheme.not_received] if scheme is not None else []
        if not checks and kind in ("not_received", "not_received_unnamed"):
            checks = [c.text(lang) for c in texts.checks]
        if checks:
            lines.append(texts.checks_intro.text(lang))
            lines += [f"• {c}" for c in checks]
        lines.append(texts.helpline.text(lang))
    # The citizen's district not known yet: the office in general, never another district's.
    lines.append(texts.district_office.text(lang).format(**place) if district else _t("any_district_office", lang))
    lines.append(texts.callback.text(lang))
    buttons = [{"title": texts.callback_button.text(lang), "payload": "/request_human"}]
    return "\n".join(lines), buttons
