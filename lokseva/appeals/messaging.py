"""What the citizen reads about appeals, in their language. The texts:
lokseva/messages/<language>/appeals.yml.

Plain words, as a villager says them: अपील, सुनवाई, फ़ैसला, जुर्माना, हर्जाना
(compensation). A date that is not confirmed for the service gets "लगभग" once.
"""

from __future__ import annotations

import datetime as dt
from typing import List, Sequence

from lokseva.appeals.flows import AppealOption, AppealRefused, AppealView
from lokseva.appeals.rules import AppealStatus, Grounds
from lokseva.applications.numbers import format_date
from lokseva.catalogue import load_catalogue
from lokseva.messages import language_of, render
from lokseva.money import format_rupees

_LEVEL = {1: "first", 2: "second"}


def _t(key: str, language: str, **values: object) -> str:
    return render(f"appeals.{key}", language, **values)


def _level(level: int, language: str, title: bool = False) -> str:
    return _t(f"{'level_title' if title else 'level'}.{_LEVEL[level]}", language)


def _service(service_id: str, language: str) -> str:
    return load_catalogue()[service_id].text("name", language_of(language))


def _date(day: dt.date, language: str, confirmed: bool = True) -> str:
    text = format_date(day, language_of(language))
    return text if confirmed else _t("approx_date", language, date=text)


def grounds_text(grounds: Grounds, due: "dt.date | None", language: str) -> str:
    if grounds == Grounds.REJECTED:
        return _t("grounds.rejected", language)
    if due:
        return _t("grounds.late_on", language, date=format_date(due, language_of(language)))
    return _t("grounds.late", language)


def option_line(option: AppealOption, language: str) -> str:
    """One appealable application, for a choice list."""
    return _t(
        "option",
        language,
        application_id=option.application_reference,
        service_name=_service(option.service_id, language),
    )


def confirm_question(option: AppealOption, language: str) -> str:
    """The one question before filing: the grounds, to confirm with a tap."""
    lines = [
        _t("confirm.title", language, level=_level(option.level, language, title=True)),
        _t(
            "confirm.application",
            language,
            application_id=option.application_reference,
            service_name=_service(option.service_id, language),
        ),
        _t("confirm.grounds", language, grounds=grounds_text(option.grounds, option.due_date, language)),
    ]
    if not option.window.in_time:
        lines.append(_t("confirm.late", language))
    lines.append(_t("confirm.question", language))
    return "\n".join(lines)


def receipt(view: AppealView, language: str) -> str:
    """The appeal's receipt (अपील की पावती)."""
    lines = [
        _t("receipt.filed", language, level=_level(view.level, language)),
        _t("receipt.title", language),
        _t("receipt.reference", language, reference=view.reference),
        _t(
            "receipt.application",
            language,
            application_id=view.application_reference,
            service_name=_service(view.service_id, language),
        ),
        _t("receipt.officer", language, officer=view.officer),
        _t("receipt.decision_by", language, date=_date(view.decision_due, language, view.decision_due_confirmed)),
    ]
    if not view.in_time:
        lines.append(_t("receipt.late", language))
    if view.penalty_due_paise:
        lines.append(_t("receipt.penalty", language, amount=format_rupees(view.penalty_due_paise)))
    lines.append(_t("receipt.next", language))
    return "\n".join(lines)


def decision(view: AppealView, language: str) -> str:
    """The appeal officer's decision, sent to the citizen."""
    level = _level(view.level, language)
    if view.status == AppealStatus.ALLOWED:
        lines = [_t("decision.allowed", language, level=level, reference=view.reference)]
        if view.new_due_date:
            lines.append(_t("decision.new_date", language, date=_date(view.new_due_date, language)))
    else:
        lines = [
            _t("decision.dismissed", language, level=level, reference=view.reference),
            _t("decision.reason", language, reason=view.decision_reason),
        ]
        if view.level == 1:
            lines.append(_t("decision.second_appeal", language))
    if view.penalty_imposed_paise:
        lines.append(_t("decision.fined", language, amount=format_rupees(view.penalty_imposed_paise)))
    return "\n".join(line for line in lines if line)


def compensation(view: AppealView, language: str) -> str:
    return _t(
        "compensation", language, amount=format_rupees(view.compensation_paid_paise or 0), reference=view.reference
    )


def refused(error: AppealRefused, language: str) -> str:
    return _t(f"refused.{error.reason}", language)


def nothing_to_appeal(language: str) -> str:
    return _t("nothing_to_appeal", language)


def choose_application(options: Sequence[AppealOption], language: str) -> List[str]:
    return [option_line(option, language) for option in options]


def which_application(language: str) -> str:
    return _t("which_application", language)


def not_filed(language: str) -> str:
    return _t("not_filed", language)
