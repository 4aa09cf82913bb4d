"""Webhook and callback signatures (Razorpay's scheme)."""

import hashlib
import hmac
import json

from lokseva.payments import signatures

SECRET = "whsec_test_123"
BODY = json.dumps(
    {"event": "payment_link.paid", "payload": {"amount": 2000, "note": "₹20"}}, ensure_ascii=False
).encode()


def test_signature_is_hex_hmac_sha256_of_the_raw_body():
    expected = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    assert signatures.sign(BODY, SECRET) == expected
    assert signatures.verify(BODY, expected, SECRET)
    assert signatures.verify(BODY, expected.upper(), SECRET)  # hex case does not matter


def test_a_changed_byte_fails():
    good = signatures.sign(BODY, SECRET)
    tampered = BODY.replace(b"2000", b"2001")
    assert not signatures.verify(tampered, good, SECRET)


def test_the_same_json_reencoded_fails():
    # Parsing and dumping again changes bytes (spacing, ₹ escaping): verify the raw body only.
    good = signatures.sign(BODY, SECRET)
    reencoded = json.dumps(json.loads(BODY)).encode()
    assert reencoded != BODY
    assert not signatures.verify(reencoded, good, SECRET)


def test_wrong_secret_missing_signature_and_missing_secret_fail():
    good = signatures.sign(BODY, SECRET)
    assert not signatures.verify(BODY, good, "another secret")
    assert not signatures.verify(BODY, None, SECRET)
    assert not signatures.verify(BODY, "", SECRET)
    assert not signatures.verify(BODY, good, "")  # an unset secret accepts nothing
    assert not signatures.verify(BODY, "zz" * 32, SECRET)


def test_callback_signature():
    params = {
        "razorpay_payment_id": "pay_A",
        "razorpay_payment_link_id": "plink_B",
        "razorpay_payment_link_reference_id": "JBA-2026-000001-P01",
        "razorpay_payment_link_status": "paid",
    }
    expected = hmac.new(b"key-secret", b"plink_B|JBA-2026-000001-P01|paid|pay_A", hashlib.sha256).hexdigest()
    assert signatures.sign_callback(params, "key-secret") == expected
    assert signatures.verify_callback({**params, "razorpay_signature": expected}, "key-secret")
    assert not signatures.verify_callback(
        {**params, "razorpay_payment_link_status": "paid ", "razorpay_signature": expected}, "key-secret"
    )
