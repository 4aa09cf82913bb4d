"""Tables of the WhatsApp channel (migrations 0005_channel, 0006_whatsapp_outbox, 0008_whatsapp_content,
0014_voice_preference).

Why a database and not Redis: the channel's state must survive restarts of any
process and of Redis itself (which the stack runs without persistence, for
locks), must be shared by several Rasa processes, and must work in the default
SQLite-only `make run`. A primary key on Twilio's MessageSid gives an atomic,
cross-process "first one wins" claim; the same row is the inbox from which a
message acknowledged to Twilio but not yet processed is recovered after a crash.
The phone-number mapping and the delivery statuses are records anyway.
"""

from __future__ import annotations

import sqlalchemy as sa

from lokseva.db import Base


class WhatsAppContact(Base):
    """A citizen on WhatsApp: conversation id (Rasa sender_id) -> phone number."""

    __tablename__ = "whatsapp_contacts"

    conversation_id = sa.Column(sa.String(40), primary_key=True)
    phone = sa.Column(sa.String(20), nullable=False, unique=True)  # E.164, never logged unmasked
    # Start of WhatsApp's 24-hour window for free-form messages.
    last_inbound_at = sa.Column(sa.DateTime, nullable=True)
    # The buttons of the last message with buttons: [{"title", "payload"}], or None.
    last_buttons = sa.Column(sa.JSON, nullable=True)
    created_at = sa.Column(sa.DateTime, nullable=False)
    # Every reply also as a voice note ("हमेशा बोलकर जवाब दो", lokseva/channels/voice.py; migration 0013).
    speak_replies = sa.Column(sa.Boolean, nullable=False, default=False, server_default=sa.false())
    # When that was offered: once, after the citizen's first voice note.
    voice_offered_at = sa.Column(sa.DateTime, nullable=True)


class WhatsAppInboundMessage(Base):
    """One webhook from Twilio, recorded before it is acknowledged.

    status: pending (recorded, not yet fully processed) -> done | failed | ignored.
    A pending row whose lease ran out belongs to a process that died: another
    process claims it and runs the turn.
    """

    __tablename__ = "whatsapp_inbound_messages"

    message_sid = sa.Column(sa.String(64), primary_key=True)
    conversation_id = sa.Column(sa.String(40), nullable=False, index=True)
    params = sa.Column(sa.JSON, nullable=False)  # the webhook's form fields
    status = sa.Column(sa.String(16), nullable=False, index=True)
    owner = sa.Column(sa.String(40), nullable=True)  # the process working on it
    lease_until = sa.Column(sa.DateTime, nullable=True)
    attempts = sa.Column(sa.Integer, nullable=False, default=0)
    error = sa.Column(sa.Text, nullable=True)
    received_at = sa.Column(sa.DateTime, nullable=False, index=True)
    processed_at = sa.Column(sa.DateTime, nullable=True)


class WhatsAppOutboundMessage(Base):
    """A message sent to a citizen, and its delivery status from Twilio's callbacks.

    status: queued -> sent -> delivered -> read, or failed / undelivered with
    Twilio's error code; "not_sent" when the API refused it (no MessageSid).
    """

    __tablename__ = "whatsapp_outbound_messages"

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    message_sid = sa.Column(sa.String(64), nullable=True, unique=True)
    conversation_id = sa.Column(sa.String(40), nullable=True, index=True)
    kind = sa.Column(sa.String(16), nullable=False)  # text | media | template
    status = sa.Column(sa.String(16), nullable=False)
    error_code = sa.Column(sa.Integer, nullable=True)
    error_message = sa.Column(sa.Text, nullable=True)
    created_at = sa.Column(sa.DateTime, nullable=False)
    updated_at = sa.Column(sa.DateTime, nullable=False)


class WhatsAppOutboxMessage(Base):
    """A reply or notification to a citizen, written before it is sent (migration 0006).

    status: pending -> sent (Twilio took it: message_sid) | failed (Twilio refused
    it for good, or `attempts` ran out). A pending row is sent by whoever holds
    its lease (owner, lease_until): the turn that wrote it, else the periodic job
    (lokseva.channels.scheduled) once the lease has run out. `id` is the order:
    a conversation's messages go out in id order.
    """

    __tablename__ = "whatsapp_outbox"

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    conversation_id = sa.Column(sa.String(40), nullable=False, index=True)
    kind = sa.Column(sa.String(16), nullable=False)  # text | media | template
    # What Twilio gets: {"body", "media_urls", "content_sid", "content_variables"}.
    params = sa.Column(sa.JSON, nullable=False)
    status = sa.Column(sa.String(16), nullable=False, index=True)
    owner = sa.Column(sa.String(40), nullable=True)  # one delivery (not a process): see outbox.py
    lease_until = sa.Column(sa.DateTime, nullable=True)
    attempts = sa.Column(sa.Integer, nullable=False, default=0)
    message_sid = sa.Column(sa.String(64), nullable=True)
    error_code = sa.Column(sa.Integer, nullable=True)
    error_message = sa.Column(sa.Text, nullable=True)
    created_at = sa.Column(sa.DateTime, nullable=False)
    updated_at = sa.Column(sa.DateTime, nullable=False)


class WhatsAppContent(Base):
    """A content made with Twilio's Content API for the bot's choices (migration 0008).

    `key` is the sha256 of the content's definition (type, buttons or items,
    language; the message text is a variable), so the same choices reuse one
    content across messages, processes and restarts.
    """

    __tablename__ = "whatsapp_content"

    key = sa.Column(sa.String(64), primary_key=True)
    content_sid = sa.Column(sa.String(34), nullable=False)
    content_type = sa.Column(sa.String(32), nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False)
