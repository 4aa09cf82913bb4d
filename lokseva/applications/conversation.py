"""The application conversation as plain Python: which question comes next,
and what an answer means (a value, a correction, a yes or no). The Rasa form
(actions/forms.py) only carries these decisions to and from Rasa, so the whole
dialogue logic is testable without Rasa or a database.

Slots of the form `application_form`:
- application_service, the citizen's district when not known yet
  (district_choice.py: it outlives the form), then the answer fields
  (fields.py), then application_confirmed (the summary and its yes/no);
- control slots: draft_found/resume_draft (a draft of the last 24 hours is
  offered first), correction_requested/correction_field (which field to
  change), stop_requested/stop_confirmed (stop asks for confirmation).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence

from lokseva.applications import district_choice, messaging, parsing
from lokseva.applications.fields import ANSWER_FIELDS, EXTRA_VALUES, FIELDS, NOT_GIVEN, Context, may_skip, questions
from lokseva.catalogue import Catalogue, Service
from lokseva.districts import Tehsil
from lokseva.money import format_rupees

FORM = "application_form"
SERVICE = "application_service"
CONFIRMED = "application_confirmed"
DRAFT_FOUND, RESUME = "draft_found", "resume_draft"
CORRECTION_REQUESTED, CORRECTION_FIELD = "correction_requested", "correction_field"
STOP_REQUESTED, STOP_CONFIRMED = "stop_requested", "stop_confirmed"
CONTROL_SLOTS = (DRAFT_FOUND, RESUME, CORRECTION_REQUESTED, CORRECTION_FIELD, STOP_REQUESTED, STOP_CONFIRMED)
# Every slot the form owns; all are reset when an application starts or ends.
FORM_SLOTS = (SERVICE,) + ANSWER_FIELDS + EXTRA_VALUES + (CONFIRMED,) + CONTROL_SLOTS
YES = "yes"


def required_slots(slots: Mapping[str, Any], catalogue: Catalogue) -> List[str]:
    """The form's questions in order, given what is known so far."""
    if slots.get(STOP_REQUESTED):
        return [STOP_CONFIRMED]
    if slots.get(DRAFT_FOUND):
        return [RESUME]
    service = catalogue.get(slots.get(SERVICE))
    if service is None:
        return [SERVICE]
    order = [SERVICE, district_choice.SLOT, *questions(service, slots), CONFIRMED]
    if slots.get(CORRECTION_REQUESTED):
        order.insert(0, CORRECTION_FIELD)
    return order


def next_slot(slots: Mapping[str, Any], catalogue: Catalogue) -> Optional[str]:
    return next((s for s in required_slots(slots, catalogue) if slots.get(s) is None), None)


def answers(slots: Mapping[str, Any]) -> Dict[str, Any]:
    """The canonical answers to keep in the draft."""
    return {f: slots[f] for f in ANSWER_FIELDS + EXTRA_VALUES if slots.get(f) is not None}


@dataclass
class Turn:
    """One answer to validate."""

    slot: str
    text: str
    intent: Optional[str]
    slots: Mapping[str, Any]  # current values, the candidate included
    language: str
    today: dt.date
    tehsils: Sequence[Tehsil]
    service_entity: Optional[str] = None
    district_entity: Optional[str] = None


@dataclass
class Outcome:
    """What to do with an answer. `updates` are slot values (None clears)."""

    updates: Dict[str, Any]
    messages: List[str] = field(default_factory=list)
    aadhaar_digits: Optional[str] = None  # store encrypted; never in a slot
    save: bool = False  # keep the answers as the draft
    load_draft: bool = False  # resume: fill the slots from the draft
    discard_draft: bool = False


def _is_yes(turn: Turn) -> Optional[bool]:
    if turn.intent == "affirm":
        return True
    if turn.intent == "deny":
        return False
    return parsing.yes_or_no(turn.text)


def _clear(target: str) -> Dict[str, Any]:
    updates: Dict[str, Any] = {target: None, CONFIRMED: None}
    if target == "relative_name":
        updates["relative_relation"] = None
    if target in ("aadhaar", "identity_proof"):  # the identity is asked again from its first question
        updates.update({"aadhaar": None, "identity_proof": None, "identity_number": None})
    return updates


def service_named(text: str, catalogue: Catalogue) -> Optional[Service]:
    """The one service whose words (catalogue aliases) the text uses, if exactly one."""
    padded = " " + " ".join(parsing.words_of(text.lower())) + " "
    matches = {s.id for s in catalogue for alias in s.aliases if f" {' '.join(parsing.words_of(alias))} " in padded}
    return catalogue[matches.pop()] if len(matches) == 1 else None


def _service_from(turn: Turn, catalogue: Catalogue) -> Optional[Service]:
    candidate = turn.slots.get(SERVICE)
    if catalogue.get(candidate):
        return catalogue.get(candidate)
    if catalogue.get(turn.service_entity):
        return catalogue.get(turn.service_entity)
    index = parsing.choice_number(turn.text, len(catalogue))
    if index is not None:
        return catalogue.services[index]
    return service_named(turn.text, catalogue)


def _intro(service: Service, language: str) -> str:
    return messaging.service_intro(service, len(questions(service, {})), language)


def _service(turn: Turn, catalogue: Catalogue) -> Outcome:
    service = _service_from(turn, catalogue)
    if service is None:
        return Outcome({SERVICE: None}, [messaging.invalid("service_unknown", turn.language)])
    return Outcome({SERVICE: service.id}, [_intro(service, turn.language)], save=True)


def _confirm(turn: Turn, service: Service) -> Outcome:
    if parsing.is_correction(turn.text):
        return _correction(turn, service)
    answer = _is_yes(turn)
    if answer is True:
        return Outcome({CONFIRMED: YES})
    if answer is False:
        return Outcome({CONFIRMED: None, CORRECTION_REQUESTED: True})
    return Outcome({CONFIRMED: None}, [messaging.invalid("yes_or_no", turn.language)])


def _correction(turn: Turn, service: Service) -> Outcome:
    """The citizen says something given earlier is wrong ("naam galat hai")."""
    filled = [f for f in messaging.filled_fields(service, turn.slots) if f != turn.slot]
    target = parsing.field_named(turn.text, filled)
    if target is None:
        return Outcome({turn.slot: None, CORRECTION_REQUESTED: True})
    label = FIELDS[target].label(turn.language, service.id, turn.slots)
    updates = {turn.slot: None, **_clear(target)}
    return Outcome(updates, [messaging.note("field_again", turn.language, label=label)], save=True)


def _correction_field(turn: Turn, service: Service) -> Outcome:
    filled = messaging.filled_fields(service, turn.slots)
    index = parsing.choice_number(turn.text, len(filled))
    target = filled[index] if index is not None else parsing.field_named(turn.text, filled)
    if target is not None:
        updates = {CORRECTION_FIELD: None, CORRECTION_REQUESTED: None, **_clear(target)}
        return Outcome(updates, save=True)
    if _is_yes(turn) is False or parsing.yes_or_no(turn.text) is False:
        return Outcome(
            {CORRECTION_FIELD: None, CORRECTION_REQUESTED: None},
            [messaging.note("correction_cancelled", turn.language)],
        )
    return Outcome({CORRECTION_FIELD: None}, [messaging.invalid("which_field", turn.language)])


def _resume(turn: Turn, catalogue: Catalogue) -> Outcome:
    answer = _is_yes(turn)
    if answer is True:
        return Outcome({DRAFT_FOUND: None, RESUME: None}, [messaging.note("resumed", turn.language)], load_draft=True)
    if answer is False:
        # start afresh: the service asked for now (if any) stays
        updates: Dict[str, Any] = {s: None for s in ANSWER_FIELDS + EXTRA_VALUES}
        updates.update({DRAFT_FOUND: None, RESUME: None})
        service = catalogue.get(turn.slots.get(SERVICE))
        messages = [_intro(service, turn.language)] if service else []
        return Outcome(updates, messages, discard_draft=True, save=service is not None)
    return Outcome({RESUME: None}, [messaging.invalid("yes_or_no", turn.language)])


def _stop(turn: Turn) -> Outcome:
    answer = True if turn.intent == "stop" else _is_yes(turn)
    if answer is True:
        return Outcome({STOP_CONFIRMED: YES})
    if answer is False:
        return Outcome({STOP_REQUESTED: None, STOP_CONFIRMED: None}, [messaging.note("continue", turn.language)])
    return Outcome({STOP_CONFIRMED: None}, [messaging.invalid("yes_or_no", turn.language)])


def _district(turn: Turn) -> Outcome:
    district, problem = district_choice.read(turn.text, turn.district_entity)
    messages = district_choice.outcome_messages(district, problem, turn.language)
    if district is None:
        return Outcome({district_choice.SLOT: None}, messages)
    return Outcome({district_choice.SLOT: district.key}, messages, save=True)


def _change_district(turn: Turn) -> Outcome:
    """ "ज़िला बदलना है" in the middle of the form: the district named, or the
    district question next; the question asked stays open."""
    district, _ = district_choice.read(turn.text, turn.district_entity)
    if district is None:
        return Outcome({turn.slot: None, district_choice.SLOT: None})
    return Outcome(
        {turn.slot: None, district_choice.SLOT: district.key},
        [district_choice.chosen(district, turn.language)],
        save=True,
    )


def _invalid(turn: Turn, error: parsing.InvalidInput) -> Outcome:
    params = {k: format_rupees(v) if k == "amount" else v for k, v in error.params.items()}
    return Outcome({turn.slot: None}, [messaging.invalid(error.code, turn.language, **params)])


def skips_question(service: Optional[Service], slot: Optional[str], text: str) -> bool:
    """ "अभी नहीं" to a question the citizen may skip (the child's name) is the skip
    that question offers, though the NLU reads it as "stop": not a stop of the form."""
    return (
        service is not None
        and slot in FIELDS
        and may_skip(service, slot)
        and parsing.says_none(text)
        and not parsing.says_stop(text)
    )


def interpret(turn: Turn, catalogue: Catalogue) -> Outcome:
    """What the answer `turn.text` to the question `turn.slot` means."""
    if (
        turn.intent == "choose_district"
        and turn.slot not in (district_choice.SLOT, RESUME, STOP_CONFIRMED)
        and district_choice.is_change(turn.text, turn.slot)
    ):
        return _change_district(turn)
    if turn.slot == RESUME:
        return _resume(turn, catalogue)
    if turn.slot == STOP_CONFIRMED:
        return _stop(turn)
    if turn.slot == SERVICE:
        return _service(turn, catalogue)
    if turn.slot == district_choice.SLOT:
        return _district(turn)
    service = catalogue.get(turn.slots.get(SERVICE))
    if service is None:  # the form always knows its service past the first question
        return Outcome({turn.slot: None})
    if turn.slot == CORRECTION_FIELD:
        return _correction_field(turn, service)
    if turn.slot == CONFIRMED:
        return _confirm(turn, service)
    if turn.slot not in FIELDS:
        return Outcome({})
    try:
        text = parsing.answer_text(turn.text)
        if parsing.is_correction(text):
            return _correction(turn, service)
        if may_skip(service, turn.slot) and parsing.says_none(text):
            return Outcome({turn.slot: NOT_GIVEN}, save=True)
        context = Context(today=turn.today, tehsils=turn.tehsils, service_id=service.id, slots=turn.slots)
        answer = FIELDS[turn.slot].read(text, context)
    except parsing.InvalidInput as error:
        return _invalid(turn, error)
    messages = [messaging.note(answer.note, turn.language, **(answer.note_params or {}))] if answer.note else []
    return Outcome(dict(answer.values), messages, aadhaar_digits=answer.aadhaar_digits, save=True)
