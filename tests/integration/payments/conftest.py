"""The payment stack as real processes: the sandbox gateway and the web app
(webhooks, receipts) on free ports, the application database on a throw-away
PostgreSQL database. The test process itself plays the chat (it calls
lokseva.payments.flows as the action server does) and the reconciliation job.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import time
import uuid
from typing import Callable, Dict, Iterator, List

import pytest
import requests

from lokseva.devtools import processes
from tests.integration.stacks import WebStack, web_and_gateway

pytestmark = pytest.mark.integration

_serials = itertools.count(1)


class PaymentStack(WebStack):
    @property
    def gateway(self):
        from lokseva.payments import common

        return common.gateway()

    def new_application(
        self,
        channel_user_id: str = None,
        statutory: int = 0,
        processing: int = 2000,
        service_id: str = "income_certificate",
        language: str = "hi",
        phone: str = None,
    ) -> Dict[str, str]:
        """A submitted application waiting for its fee, as the applications capability
        leaves it. With `phone`, the citizen is on WhatsApp (a channel contact)."""
        from lokseva.applications import service as repo
        from lokseva.applications.lifecycle import Status
        from lokseva.applications.models import Application
        from lokseva.channels.service import ChannelStore
        from lokseva.db import session_scope

        if phone:
            channel_user_id = ChannelStore(self.engine(), self.settings.signing_key).ensure_contact(phone)
        channel_user_id = channel_user_id or f"test-{uuid.uuid4().hex[:8]}"
        reference = f"JBA-2026-{900000 + next(_serials) + os.getpid() % 1000 * 100:06d}"
        with session_scope(repo.engine()) as session:
            citizen = repo.get_or_create_citizen(session, channel_user_id, whatsapp_number=phone, language=language)
            application = Application(
                citizen=citizen,
                reference=reference,
                district_code="JBA",
                service_id=service_id,
                status=None,
                language=language,
                applicant_name="सीता भूरिया",
                details={},
                statutory_fee_paise=statutory,
                processing_fee_paise=processing,
                fee_due_paise=statutory + processing,
                submitted_at=dt.datetime.now(dt.timezone.utc),
            )
            session.add(application)
            for status in (Status.DRAFT, Status.SUBMITTED, Status.FEE_PENDING):
                repo.change_status(session, application, status, by="test")
        return {"channel_user_id": channel_user_id, "reference": reference}

    def payments(self, reference: str) -> List[dict]:
        """The application fee's payments of an application."""
        return self.query(
            "SELECT p.* FROM payments p JOIN applications a ON a.id = p.application_id "
            "WHERE a.reference = :r AND p.purpose = 'application_fee' ORDER BY p.attempt",
            r=reference,
        )

    def application_status(self, reference: str) -> str:
        return self.query("SELECT status FROM applications WHERE reference = :r", r=reference)[0]["status"]

    def history(self, reference: str) -> List[str]:
        return [
            row["to_status"]
            for row in self.query(
                "SELECT h.to_status FROM application_status_history h JOIN applications a ON a.id = h.application_id "
                "WHERE a.reference = :r ORDER BY h.id",
                r=reference,
            )
        ]

    def events(self, payment_id: int) -> List[dict]:
        return self.query("SELECT * FROM payment_events WHERE payment_id = :p ORDER BY id", p=payment_id)

    def notices(self, payment_id: int) -> List[dict]:
        """The messages a payment owes its citizen (the notification outbox), with
        the kind they were written for ("receipt", "link", "attempt_failed:pay_…")."""
        rows = self.query("SELECT * FROM notifications WHERE subject = :s ORDER BY id", s=f"payment:{payment_id}")
        return [{**row, "kind": row["dedupe_key"].split(":", 2)[2]} for row in rows]

    def delivery(self, reference: str) -> dict:
        """The newest home delivery of an application."""
        return self.query(
            "SELECT d.* FROM deliveries d JOIN applications a ON a.id = d.application_id "
            "WHERE a.reference = :r ORDER BY d.id DESC LIMIT 1",
            r=reference,
        )[0]

    def postage(self, delivery_id: int) -> List[dict]:
        """The postage payments of a home delivery, in the payments ledger."""
        return self.query(
            "SELECT * FROM payments WHERE purpose = 'postage' AND subject_id = :d ORDER BY id", d=delivery_id
        )

    def wait_for(self, condition: Callable[[], object], timeout: float = 15.0, what: str = "condition"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}")

    def post_webhook(
        self, payload: dict, secret: str = None, signature: str = None, event_id: str = None
    ) -> requests.Response:
        """A webhook as the gateway would send it (body bytes signed as they are sent)."""
        from lokseva.payments import signatures

        body = json.dumps(payload, separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Razorpay-Event-Id": event_id or f"evt_{uuid.uuid4().hex[:14]}",
        }
        if signature is None and secret is not None:
            signature = signatures.sign(body, secret)
        if signature is not None:
            headers["X-Razorpay-Signature"] = signature
        return requests.post(f"{self.web_url}/payments/webhook", data=body, headers=headers, timeout=30)


@pytest.fixture(scope="session")
def payment_stack(tmp_path_factory, postgres_database_factory) -> Iterator[PaymentStack]:
    from lokseva.payments import common

    tmp = tmp_path_factory.mktemp("payments")
    overrides = {
        # No Rasa in this stack: notifications to WhatsApp citizens fail (and are retried).
        "RASA_PORT": str(processes.free_port()),
        "RASA_URL": "",
        "DATABASE_URL": postgres_database_factory(),
        "CERTIFICATES_DIR": str(tmp / "certificates"),
    }
    caches = [common.gateway]
    with web_and_gateway(tmp, "payments", overrides, caches) as started:
        yield PaymentStack(*started)


@pytest.fixture
def stack(payment_stack) -> PaymentStack:
    payment_stack.gateway.reset()
    return payment_stack
