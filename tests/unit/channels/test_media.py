"""Photos, PDFs and location pins from citizens."""

import hashlib
import io
from pathlib import Path

import pytest

from lokseva.channels.media import MAX_MEDIA_BYTES

pytestmark = pytest.mark.anyio

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "orange").save(buffer, "PNG")
    return buffer.getvalue()


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "JPEG")
    return buffer.getvalue()


async def _media(harness, content: bytes, content_type: str) -> str:
    async with harness.http.post(
        harness.fake.base_url + "/_fake/media", data=content, headers={"Content-Type": content_type}
    ) as resp:
        return (await resp.json())["url"]


async def _send_files(harness, files, body=""):
    extra = {"NumMedia": str(len(files))}
    for i, (content, content_type) in enumerate(files):
        extra[f"MediaUrl{i}"] = await _media(harness, content, content_type)
        extra[f"MediaContentType{i}"] = content_type
    await harness.send(body=body, **extra)
    await harness.settle()
    return harness.bot.received[-1]


async def test_a_pdf_and_a_photo_are_stored_and_passed_to_the_dialogue(harness, settings):
    jpeg = _jpeg()
    message = await _send_files(harness, [(PDF, "application/pdf"), (jpeg, "image/jpeg")], body="आय का सबूत")
    assert message.text == "/upload_document"
    media = message.metadata["media"]
    assert [m["content_type"] for m in media] == ["application/pdf", "image/jpeg"]
    assert message.metadata["refused_media"] == []
    assert message.metadata["caption"] == "आय का सबूत"
    uploads = Path(settings.uploads_dir)
    assert (uploads / media[0]["path"]).read_bytes() == PDF
    assert (uploads / media[1]["path"]).read_bytes() == jpeg
    assert media[1]["sha256"] == hashlib.sha256(jpeg).hexdigest()
    assert media[0]["path"].startswith(message.sender_id + "/")  # not the phone number
    assert not list(uploads.rglob("*.part"))


async def test_a_png_is_accepted(harness):
    message = await _send_files(harness, [(_png(), "image/png")])
    assert [m["content_type"] for m in message.metadata["media"]] == ["image/png"]


async def test_an_oversize_file_is_refused(harness, settings):
    big = b"%PDF-1.4\n" + b"0" * MAX_MEDIA_BYTES
    message = await _send_files(harness, [(big, "application/pdf")])
    assert message.text == "/upload_document"
    assert message.metadata["media"] == []
    assert message.metadata["refused_media"] == [{"index": 0, "content_type": "application/pdf", "reason": "too_large"}]
    assert not list(Path(settings.uploads_dir).rglob("*.pdf"))


@pytest.mark.parametrize(
    "content, content_type",
    [
        (b"BEGIN:VCARD\nEND:VCARD\n", "text/vcard"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"MZ\x90\x00 not a pdf", "application/pdf"),  # declared PDF, is not
        (b"\x00\x00\x00\x18ftypmp42", "video/mp4"),
    ],
)
async def test_a_file_of_the_wrong_type_is_refused(harness, content, content_type):
    message = await _send_files(harness, [(content, content_type)])
    assert message.metadata["media"] == []
    assert message.metadata["refused_media"][0]["reason"] == "wrong_type"


async def test_a_file_that_cannot_be_downloaded_is_refused(harness):
    url = await _media(harness, PDF, "application/pdf")
    await harness.send(
        NumMedia="1", MediaUrl0=url.rsplit("/", 1)[0] + "/ME" + "0" * 32, MediaContentType0="application/pdf"
    )
    await harness.settle()
    assert harness.bot.received[-1].metadata["refused_media"][0]["reason"] == "download_failed"


async def test_media_urls_need_the_accounts_basic_auth_and_redirect_elsewhere(harness):
    url = await _media(harness, PDF, "application/pdf")
    async with harness.http.get(url) as resp:
        assert resp.status == 401
    async with harness.http.get(url, auth=harness.channel.client.auth, allow_redirects=False) as resp:
        assert resp.status == 307
        signed = resp.headers["Location"]
    assert signed.startswith("http://localhost:")  # another origin: the credentials stay behind
    async with harness.http.get(signed, headers={"Authorization": "Basic eDp5"}) as resp:
        assert resp.status == 400
    async with harness.http.get(url, auth=harness.channel.client.auth) as resp:
        assert resp.status == 200 and await resp.read() == PDF


async def test_credentials_go_only_to_this_accounts_media_urls_on_twilio(harness):
    """A webhook's MediaUrl may name any host: the account's credentials must never
    be sent there (they would let whoever runs it use the Twilio account)."""
    from aiohttp import web

    from tests.unit.channels.conftest import serve_locally

    seen = []

    async def steal(request):
        seen.append(request.headers.get("Authorization"))
        return web.Response(body=PDF, content_type="application/pdf")

    app = web.Application()
    app.router.add_get("/{tail:.*}", steal)
    runner, port = await serve_locally(app)
    try:
        real = await _media(harness, PDF, "application/pdf")
        path = real.split("/", 3)[3]
        other_account = real.replace(harness.channel.client.account_sid, "AC" + "e" * 32)
        for url in (f"http://127.0.0.1:{port}/{path}", other_account, f"http://localhost:{port}/{path}"):
            await harness.send(NumMedia="1", MediaUrl0=url, MediaContentType0="application/pdf")
            await harness.settle()
            assert harness.bot.received[-1].metadata["refused_media"][0]["reason"] == "download_failed", url
        assert seen == []
    finally:
        await runner.cleanup()


async def test_a_location_pin_reaches_the_dialogue_as_metadata(harness):
    await harness.send(Latitude="22.7677", Longitude="74.5909", Address="राजवाड़ा चौक, झाबुआ", Label="घर")
    await harness.settle()
    message = harness.bot.received[-1]
    assert message.text == "/share_location"
    assert message.metadata["location"] == {
        "latitude": 22.7677,
        "longitude": 74.5909,
        "address": "राजवाड़ा चौक, झाबुआ",
        "label": "घर",
    }


async def test_a_message_with_nothing_to_understand_is_ignored(harness):
    params = await harness.send(body="\u200b \u200d ")
    await harness.settle()
    assert harness.bot.received == []
    assert harness.store.inbound_status(params["MessageSid"]) == "ignored"


async def test_text_is_normalised_before_the_nlu(harness):
    await harness.send(body='  /apply_service{"x":1}  ')  # a typed intent payload is plain text
    await harness.send(body="फ\u093cीस\u200b  जमा ")  # NFD nukta, zero-width space, spaces
    await harness.settle()
    typed, decomposed = harness.bot.received
    assert not typed.text.startswith("/")
    assert decomposed.text == "फ़ीस जमा"


def _application(store, phone, status, reference):
    import datetime as dt

    from lokseva.applications.models import Application, Citizen
    from lokseva.db import session_scope

    cid = store.conversation_for(phone)
    with session_scope(store.engine) as session:
        citizen = session.query(Citizen).filter_by(channel_user_id=cid).one_or_none()
        if citizen is None:
            citizen = Citizen(channel_user_id=cid, whatsapp_number=phone, language="hi")
            session.add(citizen)
            session.flush()
        session.add(
            Application(
                reference=reference,
                district_code="JBA",
                citizen_id=citizen.id,
                service_id="income_certificate",
                status=status,
                language="hi",
                details={},
                submitted_at=dt.datetime.now(dt.timezone.utc),
            )
        )


async def test_a_document_is_attached_to_the_application_waiting_for_it(harness, settings):
    from lokseva.applications.models import ApplicationDocument
    from lokseva.db import session_scope

    _application(harness.store, "+919876543210", "under_review", "JBA-2026-000001")
    _application(harness.store, "+919876543210", "more_info_needed", "JBA-2026-000002")  # the officer asked
    _application(harness.store, "+919876543210", "approved", "JBA-2026-000003")  # decided: not open
    message = await _send_files(harness, [(PDF, "application/pdf")])
    assert message.metadata["application_id"] == "JBA-2026-000002"
    with session_scope(harness.store.engine) as session:
        [document] = session.query(ApplicationDocument).all()
        assert document.application.reference == "JBA-2026-000002"
        assert (document.content_type, document.size_bytes, document.source) == (
            "application/pdf",
            len(PDF),
            "whatsapp",
        )
        assert (Path(settings.uploads_dir) / document.storage_key).read_bytes() == PDF


async def test_without_an_open_application_the_document_is_kept(harness):
    _application(harness.store, "+919876543210", "rejected", "JBA-2026-000004")
    message = await _send_files(harness, [(PDF, "application/pdf")])
    assert "application_id" not in message.metadata
    assert len(message.metadata["media"]) == 1
