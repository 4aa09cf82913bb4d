"""Voice notes in, spoken answers out: the channel with ffmpeg, espeak-ng and the
fake Bhashini (which knows only the transcripts registered for a recording)."""

import dataclasses
import datetime as dt
import hashlib
import json
import subprocess

import pytest

from lokseva.devtools.fake_bhashini import start_fake_bhashini
from lokseva.speech.audio import to_ogg_opus, to_wav16k
from lokseva.speech.espeak import EspeakSpeech
from tests.unit.channels.conftest import PUBLIC_URL, start_harness

pytestmark = pytest.mark.anyio
SAID = "मुझे आय प्रमाण पत्र चाहिए"


@pytest.fixture
async def bhashini():
    fake, runner = await start_fake_bhashini("test-user", "test-ulca-key")
    yield fake
    await runner.cleanup()


@pytest.fixture
async def voice_harness(settings, store, bhashini, tmp_path):
    settings = dataclasses.replace(
        settings,
        bhashini_config_url=bhashini.base_url + "/ulca/apis/v0/model/getModelsPipeline",
        bhashini_user_id="test-user",
        bhashini_api_key="test-ulca-key",
        voice_dir=str(tmp_path / "voice"),
    )
    harness, stop = await start_harness(settings, store)
    yield harness
    await stop()


async def recording(text: str) -> bytes:
    """A voice note as WhatsApp sends it: espeak-ng's Hindi voice, as OGG/Opus."""
    return await to_ogg_opus(await EspeakSpeech().synthesise(text, "hi"))


async def send_voice_note(harness, ogg: bytes, bhashini=None, transcript=None):
    if bhashini is not None and transcript is not None:
        digest = hashlib.sha256(await to_wav16k(ogg)).hexdigest()
        bhashini.transcripts[digest] = transcript
    async with harness.http.post(
        harness.fake.base_url + "/_fake/media", data=ogg, headers={"Content-Type": "audio/ogg"}
    ) as resp:
        url = (await resp.json())["url"]
    params = await harness.send(body="", NumMedia="1", MediaUrl0=url, MediaContentType0="audio/ogg; codecs=opus")
    await harness.settle()
    return params


async def test_a_voice_note_is_understood_like_typed_text(voice_harness, bhashini):
    await send_voice_note(voice_harness, await recording(SAID), bhashini, SAID)
    message = voice_harness.bot.received[-1]
    assert message.text == SAID and message.metadata["voice_note"] is True
    bodies = [m["body"] for m in voice_harness.outbound()]
    assert bodies[0] == f"🎤 आपने कहा: “{SAID}”" and bodies[1] == f"मिला: {SAID}"
    asr = [r for r in bhashini.requests if r["task"] == "asr" and r["call"] == "compute"]
    assert asr and asr[0]["known"]
    assert not list((voice_harness.channel.uploads_dir).rglob("*"))  # the voice is not kept


async def test_a_voice_note_nobody_can_understand_gets_a_request_to_type(voice_harness, bhashini):
    await send_voice_note(voice_harness, await recording("कुछ और"))  # no transcript registered
    assert voice_harness.bot.received == []
    [reply] = voice_harness.outbound()
    assert "समझ नहीं आई" in reply["body"] and "लिखकर" in reply["body"]


async def test_a_failed_transcription_gets_a_request_to_type(voice_harness, bhashini):
    bhashini.failures.append(("asr", 503))
    await send_voice_note(voice_harness, await recording(SAID), bhashini, SAID)
    assert voice_harness.bot.received == []
    assert "समझ नहीं आई" in voice_harness.outbound()[-1]["body"]


async def test_sunao_sends_the_last_answer_as_a_playable_voice_note(voice_harness, tmp_path):
    await voice_harness.send(body="menu")
    await voice_harness.settle()
    await voice_harness.send(body="सुनाओ")
    await voice_harness.settle()
    assert [m.text for m in voice_harness.bot.received] == ["menu"]  # the bot is not asked
    spoken = voice_harness.outbound()[-1]
    [url] = spoken["media_urls"]
    assert url.startswith(PUBLIC_URL + "/webhooks/whatsapp/voice/")
    async with voice_harness.http.get(voice_harness.local_url + url[len(PUBLIC_URL) :]) as resp:
        assert resp.status == 200 and resp.content_type == "audio/ogg"
        ogg = await resp.read()
    path = tmp_path / "answer.ogg"
    path.write_bytes(ogg)
    probe = json.loads(
        subprocess.run(
            ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    )
    assert probe["format"]["format_name"] == "ogg"
    assert probe["streams"][0]["codec_name"] == "opus" and probe["streams"][0]["channels"] == 1
    assert float(probe["format"]["duration"]) > 1.0
    # The choices are still on the screen: a tap after listening works.
    await voice_harness.send(body="2")
    await voice_harness.settle()
    assert voice_harness.bot.received[-1].text == "/check_status"


async def test_an_altered_or_expired_voice_link_is_refused(voice_harness):
    replies = voice_harness.channel.voice_replies
    link = await replies.speak("नमस्ते", "hi")
    token = link.split("/")[-2]
    name, expires, tag = token.split("-", 2)
    assert replies.path_for(token) is not None
    assert replies.path_for(f"{name}-{int(expires) + 60}-{tag}") is None
    assert replies.path_for(token, now=int(expires) + 1) is None
    async with voice_harness.http.get(
        f"{voice_harness.local_url}/webhooks/whatsapp/voice/{name}-{int(expires) + 60}-{tag}/answer.ogg"
    ) as resp:
        assert resp.status == 410


async def test_sunao_with_nothing_said_before_says_so(voice_harness):
    await voice_harness.send(body="sunao")
    await voice_harness.settle()
    assert "कोई जवाब नहीं" in voice_harness.outbound()[-1]["body"]


async def test_an_aadhaar_number_said_aloud_is_masked_in_the_echo(voice_harness, bhashini):
    said = "मेरा आधार 234567890124 है"
    await send_voice_note(voice_harness, await recording("मेरा आधार"), bhashini, said)
    echo = voice_harness.outbound()[0]["body"]
    assert "234567890124" not in echo and "0124" in echo
    echo_row = voice_harness.channel.outbox.outbox.messages()[0]  # (the scripted bot repeats it: not ours)
    assert echo_row["params"]["echo"] and "234567890124" not in json.dumps(echo_row, ensure_ascii=False)


@pytest.mark.parametrize(
    "said, setting",
    [
        ("हमेशा बोलकर जवाब दो", True),
        ("Always reply in voice!", True),
        ("awaaz mein jawab do", True),
        ("आवाज़ में जवाब दो 🙏", True),
        ("बोलकर जवाब बंद करो", False),
        ("stop voice replies", False),
        ("सुनाओ", None),
        ("awaaz mein batao", None),
        ("mujhe jawab do", None),
        ("बंद करो", None),
    ],
)
def test_the_words_that_turn_spoken_replies_on_and_off(said, setting):
    from lokseva.channels.voice import spoken_replies_setting

    assert spoken_replies_setting(said) is setting


def _oggs(harness):
    return [m for m in harness.outbound() if m.get("media_urls")]


async def test_always_speak_makes_every_later_reply_a_voice_note_until_turned_off(voice_harness, tmp_path):
    await voice_harness.send(body="menu")
    await voice_harness.settle()
    assert _oggs(voice_harness) == [], "typed text gets written replies only"
    await voice_harness.send(body="हमेशा बोलकर जवाब दो")
    await voice_harness.settle()
    assert [m.text for m in voice_harness.bot.received] == ["menu"], "the setting is the channel's: no Rasa turn"
    confirmation = voice_harness.outbound()[-2]["body"]
    assert "हर जवाब" in confirmation and "बोलकर जवाब बंद करो" in confirmation
    assert len(_oggs(voice_harness)) == 1, "the confirmation is heard at once"
    assert voice_harness.store.speaks_replies(voice_harness.store.conversation_for("+919876543210"))
    # The choices of the menu are still on the screen; the reply to the tap comes as a voice note too.
    await voice_harness.send(body="2")
    await voice_harness.settle()
    assert voice_harness.bot.received[-1].text == "/check_status"
    last = voice_harness.outbound()[-1]
    [url] = last["media_urls"]
    async with voice_harness.http.get(voice_harness.local_url + url[len(PUBLIC_URL) :]) as resp:
        assert resp.status == 200 and resp.content_type == "audio/ogg"
    await voice_harness.send(body="बोलकर जवाब बंद करो")
    await voice_harness.settle()
    assert "सिर्फ़ लिखकर" in voice_harness.outbound()[-1]["body"]
    count = len(_oggs(voice_harness))
    await voice_harness.send(body="menu")
    await voice_harness.settle()
    assert len(_oggs(voice_harness)) == count, "turned off: written replies only"
    assert not voice_harness.store.speaks_replies(voice_harness.store.conversation_for("+919876543210"))


async def test_spoken_replies_are_offered_once_after_the_first_voice_note(voice_harness, bhashini):
    ogg = await recording(SAID)
    await send_voice_note(voice_harness, ogg, bhashini, SAID)
    bodies = [m["body"] for m in voice_harness.outbound()]
    assert bodies[1] == f"मिला: {SAID}" and "हमेशा बोलकर जवाब दो" in bodies[2], "offered after the reply"
    await send_voice_note(voice_harness, ogg, bhashini, SAID)
    offers = [b for b in (m.get("body") or "" for m in voice_harness.outbound()) if "हमेशा बोलकर" in b]
    assert len(offers) == 1, "offered once"
    # The offer is not read out with the answer on "सुनाओ".
    since = voice_harness.channel.outbox.outbox.texts_since(
        voice_harness.store.conversation_for("+919876543210"), dt.datetime(2000, 1, 1)
    )
    assert not any("हमेशा बोलकर" in t for t in since)
