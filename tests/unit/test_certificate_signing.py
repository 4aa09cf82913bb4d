import datetime as dt
import unicodedata

import pytest

from lokseva.certificates import signing

KEY = "test-signing-key"
DAY = dt.date(2026, 3, 12)


def sign(number="JBA-C-2026-000001", service="income_certificate", name="लक्ष्मी भूरिया", day=DAY, key=KEY):
    return signing.certificate_signature(number, service, name, day, signing_key=key)


def test_signature_depends_on_every_key_field_and_the_key():
    base = sign()
    kid, _, tag = base.partition(".")
    assert kid == "0" and len(tag) == 22 and base.isascii(), "the key id, then a 128-bit tag"
    assert sign() == base
    assert sign(number="JBA-C-2026-000002") != base
    assert sign(service="caste_certificate") != base
    assert sign(name="लक्ष्मी भुरिया") != base
    assert sign(day=DAY + dt.timedelta(days=1)) != base
    assert sign(key="another-key") != base
    # A birth or death certificate also signs the child's or the deceased's name.
    with_subject = signing.certificate_signature(
        "JBA-C-2026-000001", "birth_certificate", "लक्ष्मी भूरिया", DAY, signing_key=KEY, subject_name="कृष्णा भूरिया"
    )
    assert with_subject != signing.certificate_signature(
        "JBA-C-2026-000001", "birth_certificate", "लक्ष्मी भूरिया", DAY, signing_key=KEY, subject_name="कृष्ण भूरिया"
    )


def test_signature_ignores_unicode_form_and_spacing_of_the_name():
    nfd = unicodedata.normalize("NFD", "ज़ीनत  ख़ान")
    assert sign(name=nfd) == sign(name="ज़ीनत ख़ान")


def test_signature_comparison_refuses_missing_and_odd_values():
    good = sign()
    assert signing.signature_matches(good, good)
    assert not signing.signature_matches(good, None)
    assert not signing.signature_matches(good, "")
    assert not signing.signature_matches(good, good[:-1] + ("A" if good[-1] != "A" else "B"))
    assert not signing.signature_matches(good, "ग" * 22)


def test_media_token_round_trip_and_expiry():
    token = signing.make_media_token(
        "JBA-C-2026-000001", "ab" * 32, "whatsapp:+919800000001", 600, now=1000, signing_key=KEY
    )
    grant = signing.read_media_token(token, now=1599, signing_key=KEY)
    assert grant.certificate_number == "JBA-C-2026-000001"
    assert grant.conversation_tag == signing.conversation_tag("whatsapp:+919800000001", KEY)
    assert "9800000001" not in token and "+91" not in token
    with pytest.raises(signing.MediaTokenError, match="expired"):
        signing.read_media_token(token, now=1600, signing_key=KEY)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # altered tag
        lambda t: "X" + t[1:],  # altered payload
        lambda t: t.replace(".", ""),  # no tag
        lambda t: "%%%." + t.split(".")[1],  # not base64
    ],
)
def test_media_token_altered_is_refused(mangle):
    token = signing.make_media_token(
        "JBA-C-2026-000001", "ab" * 32, "whatsapp:+919800000001", 600, now=1000, signing_key=KEY
    )
    with pytest.raises(signing.MediaTokenError):
        signing.read_media_token(mangle(token), now=1001, signing_key=KEY)


def test_media_token_and_certificate_signature_keys_are_separate():
    # A value signed for one purpose is never valid for the other.
    from lokseva.signing import keyring

    assert keyring("media", KEY).secret("0") != keyring("certificate", KEY).secret("0")


def test_a_qr_code_printed_before_key_ids_still_verifies():
    """Certificates printed with the bare 22-character tag (no key id): the tag is
    key "0"'s, HMAC-SHA256 under HMAC(SIGNING_KEY, "lokseva:certificate")."""
    import base64
    import hashlib
    import hmac
    import json

    fields = ["certificate-v1", "JBA-C-2026-000001", "income_certificate", "लक्ष्मी भूरिया", DAY.isoformat()]
    message = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()
    key = hmac.new(KEY.encode(), b"lokseva:certificate", hashlib.sha256).digest()
    printed = base64.urlsafe_b64encode(hmac.new(key, message, hashlib.sha256).digest()[:16]).rstrip(b"=").decode()
    verify = signing.verify_certificate_signature
    assert verify(printed, "JBA-C-2026-000001", "income_certificate", "लक्ष्मी भूरिया", DAY, KEY)
    assert verify("0." + printed, "JBA-C-2026-000001", "income_certificate", "लक्ष्मी भूरिया", DAY, KEY)
    assert not verify(printed, "JBA-C-2026-000002", "income_certificate", "लक्ष्मी भूरिया", DAY, KEY)
