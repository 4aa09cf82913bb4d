"""What citizens are told about their applications, in the conversation's
language: bad input, notes, the form's questions, the summary, the receipt
(पावती) and the status. The texts: lokseva/messages/<language>/applications.yml."""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from lokseva.applications.fields import FIELDS, NOT_GIVEN, other_proofs, proof_name, questions, show, value_names
from lokseva.applications.flows import ApplicationView, Receipt
from lokseva.applications.lifecycle import OFFICE_IS_RESPONSIBLE, Status
from lokseva.applications.numbers import format_date
from lokseva.applications.rules import days_left
from lokseva.catalogue import IDENTITY_PROOFS, Catalogue, Service, load_catalogue
from lokseva.districts import Tehsil, district_by_code
from lokseva.information import appeal_text, approx, with_hedge
from lokseva.messages import language_of, load_catalogue as load_messages, render, render_from
from lokseva.money import format_rupees

Button = Dict[str, str]


def _lang(language: Optional[str]) -> str:
    return language_of(language)


def _t(key: str, language: str, **params: Any) -> str:
    return render(f"applications.{key}", language, **params)


# ---------------------------------------------------------------- bad input


def invalid_codes() -> List[str]:
    """The codes of the bad-input replies (lokseva.applications.parsing raises them)."""
    return [key.rsplit(".", 1)[1] for key in load_messages().keys("applications.invalid")]


def invalid(code: str, language: str, **params: Any) -> str:
    """The polite answer to bad input `code`; `params`: what the parser found, of
    which the text says what it needs (a code without a text: the technical one)."""
    if not load_messages().has(f"applications.invalid.{code}"):
        return _t("invalid.technical", language)
    return render_from(f"applications.invalid.{code}", language, params)


def note(code: str, language: str, **params: Any) -> str:
    return _t(f"notes.{code}", language, **params)


# ---------------------------------------------------------------- questions


# The form's questions, by field (applications.prompts in the catalogue). A field
# with variants is worded by the service id, whose details the form asks (the
# catalogue's `about`: applicant, child, deceased) or the identity card chosen,
# with `default` for every other form.
def prompt_fields() -> List[str]:
    """The fields the form asks, in the catalogue's order (one Rasa action_ask_<field> each)."""
    fields: List[str] = []
    for key in load_messages().keys("applications.prompts"):
        name = key.split(".")[2]
        if name not in fields:
            fields.append(name)
    return fields


# The questions answered with a button: which answers (applications.values) they offer, in order.
CHOICES = {"gender": "gender", "subject_gender": "gender", "caste_category": "caste_category"}


def prompt(
    field: str, service_id: Optional[str], language: str, slots: Optional[Mapping[str, Any]] = None
) -> Tuple[str, List[Button]]:
    """The question for `field` in the citizen's language, with its buttons
    (`slots`: the answers so far, for the card whose number is asked)."""
    lang = _lang(language)
    service = load_catalogue().get(service_id)
    about = service.about if service else "applicant"
    proof = (slots or {}).get("identity_proof") or ""
    key = load_messages().variant(f"applications.prompts.{field}", (service_id or "", about, proof))
    if field == "subject_gender" and about == "child":
        buttons = numbered_choices(value_names("child_gender", lang))
    elif field in CHOICES:
        buttons = numbered_choices(value_names(CHOICES[field], lang))
    elif field == "identity_proof":
        offered = other_proofs(service) if service else IDENTITY_PROOFS[1:]
        buttons = numbered_choices([proof_name(p, lang) for p in offered])
    elif field == "stop_confirmed":
        buttons = [
            {"title": _t("buttons.stop_yes", lang), "payload": "/affirm"},
            {"title": _t("buttons.stop_no", lang), "payload": "/deny"},
        ]
    else:
        buttons = []
    return render(key, lang), buttons


# ---------------------------------------------------------------- the form


def service_buttons(catalogue: Catalogue, language: str) -> List[Button]:
    lang = _lang(language)
    return [{"title": s.text("name", lang), "payload": f'/inform{{"service":"{s.id}"}}'} for s in catalogue]


def ask_service(language: str) -> str:
    return _t("form.ask_service", language)


def service_intro(service: Service, field_count: int, language: str) -> str:
    lang = _lang(language)
    # what to keep at hand: the identity card the form asks about, if it asks one
    card = _t("form.intro_card", lang) if service.identity_proofs else ""
    return _t("form.intro", lang, service_name=service.text("name", lang), count=field_count, card=card)


def numbered_choices(titles: Sequence[str]) -> List[Button]:
    """Buttons whose payload is the number itself, so typing the number works the same.

    Titles carry no number: the channel numbers the buttons when it renders them
    (lokseva.channels.text.render_buttons), and a number here would show twice."""
    return [{"title": title, "payload": str(i)} for i, title in enumerate(titles, start=1)]


def filled_fields(service: Service, slots: Mapping[str, Any]) -> List[str]:
    """The questions the citizen answered, in order: only what they gave (a
    skipped question is not shown)."""
    return [f for f in questions(service, slots) if slots.get(f) not in (None, NOT_GIVEN)]


def _field_lines(
    service: Service, slots: Mapping[str, Any], language: str, tehsils: Sequence[Tehsil] = ()
) -> List[str]:
    lang = _lang(language)
    # The tehsil is stored by its English name; the citizen reads it in their language.
    tehsil_names = {t.en: t.text(lang) for t in tehsils}
    # Bullets, not numbers: the yes / no buttons below are numbered on WhatsApp.
    lines = []
    for field in filled_fields(service, slots):
        label = FIELDS[field].label(lang, service.id, slots)
        value = slots[field]
        shown = tehsil_names.get(value, value) if field == "address_tehsil" else show(field, value, lang, service.about)
        lines.append(_t("form.field", lang, label=label, value=shown))
    return lines


def summary(
    service: Service, slots: Mapping[str, Any], fee_paise: int, language: str, tehsils: Sequence[Tehsil] = ()
) -> str:
    lang = _lang(language)
    head = [_t("form.check", lang), _t("form.check_service", lang, service_name=service.text("name", lang))]
    fee = format_rupees(fee_paise) if fee_paise else _t("form.no_fee", lang)
    fee = approx(fee, service.is_confirmed("fees") or not fee_paise, lang)
    lines = with_hedge(head + _field_lines(service, slots, lang, tehsils) + [_t("form.fee", lang, fee=fee)], lang)
    lines.append(_t("form.confirm", lang))
    return "\n".join(lines)


def _buttons(language: str, yes: str, no: str) -> List[Button]:
    return [
        {"title": _t(f"buttons.{yes}", language), "payload": "/affirm"},
        {"title": _t(f"buttons.{no}", language), "payload": "/deny"},
    ]


def confirm_buttons(language: str) -> List[Button]:
    return _buttons(language, "confirm_yes", "confirm_no")


def yes_no_buttons(language: str) -> List[Button]:
    return _buttons(language, "affirm", "deny")


def ask_correction(service: Service, slots: Mapping[str, Any], language: str) -> Tuple[str, List[Button]]:
    lang = _lang(language)
    fields = filled_fields(service, slots)
    titles = [FIELDS[f].label(lang, service.id, slots) for f in fields]
    return _t("form.which_correction", lang), numbered_choices(titles)


def ask_resume(service: Service, language: str) -> str:
    lang = _lang(language)
    return _t("form.resume", lang, service_name=service.text("name", lang))


def stopped(language: str) -> str:
    return _t("form.stopped", language)


def ask_tehsil(tehsils: Sequence[Tehsil], language: str) -> Tuple[str, List[Button]]:
    """The district's tehsils as numbered buttons, named in the citizen's language."""
    if not tehsils:  # the district's list is not known: the name as the citizen writes it
        return _t("form.tehsil_write", language), []
    return _t("form.tehsil_choose", language), numbered_choices([t.text(_lang(language)) for t in tehsils])


# ---------------------------------------------------------------- receipt


def _fee_text(view: ApplicationView, language: str, confirmed: bool) -> str:
    if not view.fee_due_paise:
        return _t("form.no_fee", language)
    parts = []
    if view.statutory_fee_paise:
        parts.append(_t("receipt.fee_statutory", language, amount=format_rupees(view.statutory_fee_paise)))
    if view.processing_fee_paise:
        parts.append(_t("receipt.fee_processing", language, amount=format_rupees(view.processing_fee_paise)))
    total = approx(format_rupees(view.fee_due_paise), confirmed, language)
    return _t("receipt.fee_parts", language, total=total, parts=" + ".join(parts)) if len(parts) > 1 else total


def _days(service: Service, language: str) -> str:
    """ "15 कामकाज के दिन" / "उसी दिन": the time limit in words."""
    limit = service.time_limit
    if limit.days == 0:
        return _t("receipt.same_day", language)
    return _t("receipt.working_days" if limit.kind == "working" else "receipt.days", language, days=limit.days)


def clock_lines(view: ApplicationView, service: Service, language: str) -> List[str]:
    """When the guaranteed time starts and ends, as the receipt says it."""
    lang = _lang(language)
    due = format_date(view.due_date, lang) if view.due_date else "—"
    days = approx(_days(service, lang), view.due_date_confirmed, lang)
    takes = _t("receipt.takes_same_day" if service.time_limit.days == 0 else "receipt.takes", lang, days=days)
    if view.status == Status.FEE_PENDING:
        return [_t("receipt.clock_fee_pending", lang, takes=takes), _t("receipt.pay_today", lang, due=due)]
    return [_t("receipt.clock", lang, takes=takes, due=due)]


def next_step(
    view: ApplicationView, language: str, in_receipt: bool = False, home_delivery: Optional[str] = None
) -> str:
    """What the citizen does next. On the receipt, the payments capability sends
    the payment link right after it (action_offer_payment); the Kendra also
    takes the fee."""
    if view.status == Status.FEE_PENDING:
        return _t(
            "next_step.pay_in_receipt" if in_receipt else "next_step.pay",
            language,
            fee=format_rupees(view.fee_due_paise),
        )
    if view.status == Status.CERTIFICATE_ISSUED and home_delivery:
        return _t("next_step.issued_home_delivery", language)
    return _t(f"next_step.{view.status.value}", language)


def more_info_step(language: str) -> str:
    """How to send papers the officer asked for: the officer's request says the
    same (lokseva.portal.messaging.documents_requested)."""
    return _t("next_step.more_info_needed", language)


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
    view = rec.application
    lines = [
        _t("receipt.submitted", lang),
        _t("receipt.title", lang),
        _t("receipt.reference", lang, reference=view.reference),
        _t("receipt.service", lang, service_name=service.text("name", lang)),
        _t("receipt.district", lang, district=_district_text(view.district_code, lang)),
        _t("receipt.applicant", lang, name=view.applicant_name),
        _t("receipt.submitted_on", lang, date=format_date(view.submitted_on, lang) if view.submitted_on else "—"),
        _t("receipt.fee", lang, fee=_fee_text(view, lang, service.is_confirmed("fees"))),
    ]
    if rec.fee_note:
        lines.append(_t("receipt.note", lang, note=rec.fee_note[lang]))
    if rec.fee_beyond_tiers:
        lines.append(_t("receipt.beyond_tiers", lang))
    lines += clock_lines(view, service, lang)
    lines += [
        _t("receipt.officer", lang, officer=_officer(view, service, lang)),
        _t("receipt.next_step", lang, step=next_step(view, lang, in_receipt=True)),
        _t("receipt.keep", lang, reference=view.reference),
    ]
    return "\n".join(with_hedge(lines, lang))


def submit_failed(language: str) -> str:
    return _t("receipt.submit_failed", language)


def draft_lost(language: str) -> str:
    return _t("receipt.draft_lost", language)


# ---------------------------------------------------------------- status


def status_name(status: Status, language: str) -> str:
    return _t(f"status.name.{Status(status).value}", language)


def _due_line(view: ApplicationView, today: dt.date, language: str) -> Optional[str]:
    if view.status == Status.FEE_PENDING:
        return _t("status.due_after_fee", language)
    if not view.due_date or view.status in (Status.DELIVERED, Status.CERTIFICATE_ISSUED, Status.REJECTED):
        return None
    left = days_left(view.due_date, today)
    if left > 0:
        when = _t("status.left_one" if left == 1 else "status.left_many", language, days=left)
    elif left == 0:
        when = _t("status.last_day", language)
    else:
        when = _t("status.passed_one" if left == -1 else "status.passed_many", language, days=-left)
    return _t("status.due", language, due=format_date(view.due_date, _lang(language)), when=when)


def status_detail(
    view: ApplicationView, service: Service, today: dt.date, language: str, home_delivery: Optional[str] = None
) -> str:
    """One application's status. `home_delivery`: how the delivery of its printed
    copy stands, once one is under way (lokseva.delivery.flows.delivery_state)."""
    lang = _lang(language)
    lines = [
        _t("status.head", lang, reference=view.reference, service_name=service.text("name", lang)),
        _t("status.status", lang, status=status_name(view.status, lang)),
    ]
    if view.status in (Status.MORE_INFO_NEEDED, Status.REJECTED) and view.last_reason:
        lines.append(_t("status.reason", lang, reason=view.last_reason))
    due = _due_line(view, today, lang)
    if due:
        lines.append(due)
    if home_delivery:
        lines.append(_t("status.home_delivery", lang, state=home_delivery))
    lines.append(_t("status.next_step", lang, step=next_step(view, lang, home_delivery=home_delivery)))
    if view.status == Status.REJECTED:
        lines.append(appeal_text("rejected", service, lang))
    elif view.status in OFFICE_IS_RESPONSIBLE and view.due_date and today > view.due_date:
        lines.append(appeal_text("late", service, lang))
    return "\n".join(lines)


def status_list(views: Sequence[ApplicationView], catalogue: Catalogue, language: str) -> str:
    lang = _lang(language)
    lines = [_t("status.list_head", lang)]
    for view in views:
        name = catalogue[view.service_id].text("name", lang) if catalogue.get(view.service_id) else view.service_id
        lines.append(
            _t(
                "status.list_item",
                lang,
                reference=view.reference,
                service_name=name,
                status=status_name(view.status, lang),
            )
        )
    lines.append(_t("status.list_foot", lang))
    return "\n".join(lines)


def status_not_found(language: str) -> str:
    return _t("status.not_found", language)


def no_applications(language: str, draft_service: Optional[Service] = None) -> str:
    lang = _lang(language)
    if draft_service is not None:
        return _t("status.resume_apply", lang, resume=ask_resume(draft_service, lang))
    return _t("status.none", lang)
