"""The certificate stack as real processes: the web app (verification page,
media links, the postage-fee redirect and its periodic check) and the sandbox
payment gateway on free ports, the database on a throw-away PostgreSQL
database, certificates in a temp dir. The test process plays the action server
(it runs the Rasa actions with a CollectingDispatcher) and the staff portal.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import os
import uuid
from typing import Any, Dict, Iterator, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from tests.integration.stacks import WebStack, web_and_gateway

pytestmark = pytest.mark.integration

_serials = itertools.count(1)


class CertificateStack(WebStack):
    wait_timeout = 20.0
    wait_interval = 0.2

    @property
    def gateway(self):
        from lokseva.payments import common

        return common.gateway()

    def postage(self, reference: str) -> Optional[dict]:
        """The newest postage payment (the payments ledger) of an application's home deliveries."""
        rows = self.query(
            "SELECT p.* FROM payments p JOIN applications a ON a.id = p.application_id "
            "WHERE a.reference = :r AND p.purpose = 'postage' ORDER BY p.id DESC LIMIT 1",
            r=reference,
        )
        return rows[0] if rows else None

    def approved_application(
        self, service_id: str = "income_certificate", channel_user_id: Optional[str] = None, **fields: Any
    ) -> Dict[str, str]:
        return approved_application(service_id, channel_user_id, **fields)

    def issued(self, service_id: str = "income_certificate", channel_user_id: Optional[str] = None, **fields):
        return issued(service_id, channel_user_id, **fields)


def approved_application(
    service_id: str = "income_certificate",
    channel_user_id: Optional[str] = None,
    *,
    engine=None,
    whatsapp_number: Optional[str] = "+919800000001",
    **fields: Any,
) -> Dict[str, str]:
    """An application the designated officer approved, as the applications capability
    leaves it, in `engine` (default: the database of the current settings)."""
    from lokseva.applications import service as repo
    from lokseva.applications.lifecycle import Status
    from lokseva.applications.models import Application
    from lokseva.certificates.samples import SAMPLE_APPLICATIONS
    from lokseva.db import session_scope

    channel_user_id = channel_user_id or f"wa-{uuid.uuid4().hex[:12]}"
    reference = f"JBA-2026-{800000 + next(_serials) + os.getpid() % 1000 * 100:06d}"
    with session_scope(engine or repo.engine()) as session:
        citizen = repo.get_or_create_citizen(session, channel_user_id, whatsapp_number=whatsapp_number, language="hi")
        application = Application(
            citizen=citizen,
            reference=reference,
            district_code="JBA",
            service_id=service_id,
            status=None,
            language="hi",
            statutory_fee_paise=0,
            processing_fee_paise=2000,
            fee_due_paise=2000,
            submitted_at=dt.datetime.now(dt.timezone.utc),
            **{**SAMPLE_APPLICATIONS[service_id], **fields},
        )
        session.add(application)
        for status in (Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED):
            repo.change_status(session, application, status, by="test")
    return {"channel_user_id": channel_user_id, "reference": reference}


def issued(service_id: str = "income_certificate", channel_user_id: Optional[str] = None, **fields):
    """An approved application and its issued certificate."""
    from lokseva.certificates import service

    application = approved_application(service_id, channel_user_id, **fields)
    certificate = service.issue_certificate(application["reference"], "staff:1")
    return application, certificate


def tracker(
    sender_id: str,
    text: str = "",
    intent: str = "",
    entities: Optional[List[dict]] = None,
    slots: Optional[Dict[str, Any]] = None,
    metadata: Optional[Dict[str, Any]] = None,
    active_loop: Optional[str] = None,
) -> Tracker:
    """A tracker as Rasa sends it to the action server for the latest message."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "entities": entities or [],
        "metadata": metadata or {},
    }
    return Tracker(
        sender_id,
        {"language": "hi", **(slots or {})},
        latest,
        [{"event": "user", "text": text, "parse_data": latest, "metadata": metadata or {}}],
        False,
        None,
        {"name": active_loop} if active_loop else {},
        "action_listen",
    )


def run_action(action, sender_id: str, **kwargs):
    """Runs a Rasa action as the action server would; returns its messages and events."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker(sender_id, **kwargs), {}))
    return dispatcher.messages, events


@pytest.fixture(scope="session")
def certificate_stack(tmp_path_factory, postgres_database_factory) -> Iterator[CertificateStack]:
    from lokseva.payments import common

    tmp = tmp_path_factory.mktemp("certificates")
    overrides = {
        "DATABASE_URL": postgres_database_factory(),
        "CERTIFICATES_DIR": str(tmp / "certificates"),
        "MEDIA_URL_TTL_SECONDS": "120",
    }
    with web_and_gateway(tmp, "certificates", overrides, [common.gateway]) as started:
        yield CertificateStack(*started)


@pytest.fixture
def stack(certificate_stack) -> CertificateStack:
    certificate_stack.gateway.reset()
    return certificate_stack
