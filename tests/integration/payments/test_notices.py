"""What a payment owes the citizen, in the notification outbox: withdrawn when a
later change makes it untrue before it went, and carried over from the table an
older version wrote, so none is lost across the upgrade."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lokseva.db import session_scope
from lokseva.notifications import outbox
from lokseva.payments import notices, reconcile, service
from lokseva.payments.models import Payment
from tests.integration.payments.test_webhooks import open_link

pytestmark = pytest.mark.integration


def test_a_link_message_still_waiting_when_the_link_is_paid_is_withdrawn(stack):
    app, payment = open_link(stack, phone="+919812345671")  # on WhatsApp; Rasa is out of reach here
    with session_scope(stack.engine()) as session:
        assert notices.owe(session, session.get(Payment, payment["id"]), "link")
    with session_scope(stack.engine()) as session:
        assert not notices.owe(session, session.get(Payment, payment["id"]), "link"), "once per payment and kind"
    stack.gateway.pay(payment["gateway_link_id"])
    stack.wait_for(lambda: stack.application_status(app["reference"]) == "paid", what="paid")
    by_kind = {n["kind"]: n for n in stack.notices(payment["id"])}
    assert by_kind["link"]["status"] == "withdrawn", "the citizen is not sent a link already paid"
    assert by_kind["receipt"]["status"] == "pending" and by_kind["receipt"]["attachment"]


def test_notices_an_older_version_left_unsent_are_carried_over_once(stack):
    app, payment = open_link(stack, phone="+919812345672")
    with stack.engine().begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO payment_notices (payment_id, kind, created_at, attempts) VALUES (:p, 'link', now(), 3)"
            ),
            {"p": payment["id"]},
        )
    assert stack.notices(payment["id"]) == []
    assert reconcile.reconcile()["notices_carried_over"] == 1
    [carried] = stack.notices(payment["id"])
    assert (
        carried["kind"] == "link"
        and carried["key"] == "payment_link"
        and payment["link_url"] in str(carried["variables"])
    )
    [old] = stack.query("SELECT * FROM payment_notices WHERE payment_id = :p", p=payment["id"])
    assert old["sent_at"] is not None and old["last_error"] == "moved to the notification outbox"
    assert reconcile.reconcile()["notices_carried_over"] == 0
    with session_scope(stack.engine()) as session:
        assert [n.key for n in outbox.listing(session, subject=f"payment:{payment['id']}")] == ["payment_link"]
        assert service.find_payment(session, reference=payment["reference"]).status == "open"
