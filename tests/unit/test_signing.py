"""The one signing scheme: keys per purpose, key ids, rotation."""

import pytest

from lokseva import signing
from lokseva.settings import ConfigurationError, load_settings

OLD = "o" * 20 + "ld-secret-0123456789"
NEW = "n" * 20 + "ew-secret-0123456789"


def test_the_newest_key_signs_and_every_kept_key_verifies():
    before = signing.parse_keys("certificate", f"k1:{OLD}")
    printed = before.sign(b"JBA-C-2026-000001")
    assert printed.startswith("k1.")
    rotated = signing.parse_keys("certificate", f"k2:{NEW} k1:{OLD}")
    assert rotated.sign(b"JBA-C-2026-000001").startswith("k2.")
    assert rotated.verify(b"JBA-C-2026-000001", printed), "printed before the rotation, still genuine"
    dropped = signing.parse_keys("certificate", f"k2:{NEW}")
    assert not dropped.verify(b"JBA-C-2026-000001", printed), "a dropped key verifies nothing"


@pytest.mark.parametrize(
    "forged",
    [
        None,
        "",
        "k1.",
        ".abc",
        "k9.AAAAAAAAAAAAAAAAAAAAAA",
        "k1.AAAAAAAAAAAAAAAAAAAAAA",
        "ग" * 24,
        "k1." + "A" * 100,
    ],
)
def test_odd_or_forged_signatures_never_verify(forged):
    ring = signing.parse_keys("media", f"k1:{OLD}")
    assert not ring.verify(b"x", forged)


def test_the_key_id_cannot_be_swapped_for_another_key():
    ring = signing.parse_keys("receipt", f"k2:{NEW} k1:{OLD}")
    tag = ring.sign(b"x").partition(".")[2]
    assert not ring.verify(b"x", "k1." + tag)


def test_purposes_have_separate_keys():
    settings = load_settings({})
    rings = {p: settings.keyring(p) for p in signing.PURPOSES}
    secrets = {ring.secret("0") for ring in rings.values()}
    assert len(secrets) >= 4, "conversation ids, receipts and cookies use their master; the rest derive"
    message = b"JBA-C-2026-000001"
    assert not rings["media"].verify(message, rings["certificate"].sign(message))
    assert not rings["receipt"].verify(message, rings["certificate"].sign(message))


def test_configured_keys_are_checked_and_named():
    for bad, words in [
        ("k1", "kid:secret"),
        ("k1:short", "shorter"),
        (f"toolongid:{NEW}", "1 to 4"),
        (f"k1:{NEW} k1:{OLD}", "twice"),
    ]:
        with pytest.raises(ConfigurationError, match="CERTIFICATE_KEYS") as error:
            load_settings({"CERTIFICATE_KEYS": bad})
        assert words in str(error.value)
    assert load_settings({"MEDIA_KEYS": f"m2:{NEW}, m1:{OLD}"}).keyring("media").current_kid == "m2"


def test_a_receipt_link_sent_before_key_ids_still_verifies_and_only_for_its_receipt():
    import hashlib
    import hmac

    from lokseva.payments import signatures

    master = "m" * 40
    message = b"payment-receipt\0JBA-2026-000001-P01\x00" + b"1893456000"
    sent_then = hmac.new(master.encode(), message, hashlib.sha256).hexdigest()
    ring = signing.keyring("receipt", master)
    assert ring.verify_hex(message, sent_then) and ring.verify_hex(message, sent_then.upper())
    assert not ring.verify_hex(message + b"0", sent_then)
    assert not ring.verify_hex(message, None) and not ring.verify_hex(message, "")
    assert signatures.verify_receipt_token("JBA-2026-000001-P01", 1893456000, sent_then, master, now=1893400000)
    assert not signatures.verify_receipt_token("JBA-2026-000002-P01", 1893456000, sent_then, master, now=1893400000)
    rotated = signing.parse_keys("receipt", f"k1:{NEW}")
    assert not rotated.verify_hex(message, sent_then), "a ring without key 0 accepts no old link"


def test_derived_secrets_are_stable_per_label_and_need_a_master():
    import hashlib
    import hmac

    from lokseva.payments.gateway import sandbox_credentials

    settings = load_settings({})
    key_id, key_secret, webhook_secret = sandbox_credentials(settings)
    # The sandbox gateway and the web app derive the same credentials in separate processes.
    assert (
        key_secret == hmac.new(settings.signing_key.encode(), b"sandbox-gateway key secret", hashlib.sha256).hexdigest()
    )
    assert key_secret != webhook_secret and len(webhook_secret) == 64
    with pytest.raises(signing.KeyConfigurationError):
        signing.derive_secret("", "x")


def test_csrf_tokens_match_only_themselves():
    from lokseva.portal.auth import csrf_matches

    assert csrf_matches("abc123", "abc123")
    for given in (None, "", "abc124", "abc123 ", "अ" * 6, "a" * 500):
        assert not csrf_matches("abc123", given)
    assert not csrf_matches(None, None) and not csrf_matches("", "")
