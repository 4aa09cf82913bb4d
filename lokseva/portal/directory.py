"""Who is behind a conversation id, for staff who need to know.

On WhatsApp, Rasa's sender id is a pseudonym ("wa-" + HMAC of the number,
lokseva/channels/identity.py); the number is only in the channel's
`whatsapp_contacts` table and on the citizen's record (`citizens`). On the REST
channel (tests, the simulator) the sender id may be the number itself. This
module maps between the two in the application database so the portal can show
masked numbers, find conversations by the last digits of a phone, and give an
operator the number to call back (audited by the caller).
"""

from __future__ import annotations

from typing import Dict, Iterable, List, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lokseva.applications.models import Application, Citizen
from lokseva.channels.models import WhatsAppContact
from lokseva.privacy import mask_phone
from lokseva.text import digits as phone_digits

PSEUDONYM_PREFIX = "wa-"


def _looks_like_phone(sender_id: str) -> bool:
    return not sender_id.startswith(PSEUDONYM_PREFIX) and len(phone_digits(sender_id)) >= 10


def phones_of(session: Session, sender_ids: Iterable[str]) -> Dict[str, str]:
    """sender id -> full phone number, for the ids whose number is known."""
    ids = list(dict.fromkeys(s for s in sender_ids if s))
    if not ids:
        return {}
    found: Dict[str, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found.update(
            session.execute(
                sa.select(WhatsAppContact.conversation_id, WhatsAppContact.phone).where(
                    WhatsAppContact.conversation_id.in_(chunk)
                )
            ).all()
        )
        for sender, phone in session.execute(
            sa.select(Citizen.channel_user_id, Citizen.whatsapp_number).where(
                Citizen.channel_user_id.in_(chunk), Citizen.whatsapp_number.isnot(None)
            )
        ).all():
            found.setdefault(sender, phone)
    for sender in ids:
        if sender not in found and _looks_like_phone(sender):
            found[sender] = sender.split(":", 1)[-1]
    return found


def phone_of(session: Session, sender_id: str) -> Optional[str]:
    return phones_of(session, [sender_id]).get(sender_id)


def shown(sender_id: str, phones: Dict[str, str]) -> str:
    """What staff see for a conversation: the masked number, else a short id."""
    phone = phones.get(sender_id)
    if phone:
        return mask_phone(phone)
    return sender_id if len(sender_id) <= 14 else sender_id[:11] + "…"


def masked_senders(session: Session, sender_ids: Iterable[str]) -> Dict[str, str]:
    ids = list(sender_ids)
    phones = phones_of(session, ids)
    return {sender: shown(sender, phones) for sender in ids}


def senders_with_phone_ending(session: Session, digits: str) -> List[str]:
    """Conversation ids whose number ends with `digits` (at least four)."""
    if len(digits) < 4 or not digits.isdigit():
        return []
    pattern = f"%{digits}"
    senders = set(
        session.execute(sa.select(WhatsAppContact.conversation_id).where(WhatsAppContact.phone.like(pattern))).scalars()
    )
    senders |= set(
        session.execute(sa.select(Citizen.channel_user_id).where(Citizen.whatsapp_number.like(pattern))).scalars()
    )
    return sorted(senders)


def sender_of_application(session: Session, reference: str) -> Optional[str]:
    return session.execute(
        sa.select(Citizen.channel_user_id)
        .join(Application, Application.citizen_id == Citizen.id)
        .where(Application.reference == reference)
    ).scalar_one_or_none()


def senders_in_district(session: Session, district_code: str) -> List[str]:
    """Conversation ids of the citizens who live in the district (as they said it,
    kept on their record; lokseva.applications.flows.remember_district)."""
    return list(
        session.execute(sa.select(Citizen.channel_user_id).where(Citizen.district_code == district_code)).scalars()
    )


def district_of_sender(session: Session, sender_id: str) -> Optional[str]:
    """The district code of the citizen behind a conversation, None when not known."""
    return session.execute(
        sa.select(Citizen.district_code).where(Citizen.channel_user_id == sender_id)
    ).scalar_one_or_none()
