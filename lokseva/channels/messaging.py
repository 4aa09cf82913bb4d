"""What the channel's actions say to citizens: Hindi first, with an English variant."""
from __future__ import annotations

from typing import Dict, Iterable, List, Mapping, Optional

_TEXTS: Dict[str, Dict[str, str]] = {
    "received_one": {
        "hi": "✅ आपका दस्तावेज़ मिल गया।",
        "en": "✅ We have received your document.",
    },
    "received_many": {
        "hi": "✅ आपके {count} दस्तावेज़ मिल गए।",
        "en": "✅ We have received your {count} documents.",
    },
    "attached": {
        "hi": "इसे आवेदन {application_id} में जोड़ दिया है।",
        "en": "It is added to application {application_id}.",
    },
    "kept": {
        "hi": "इसे सुरक्षित रख लिया है। आवेदन करते समय यह काम आएगा।",
        "en": "It is kept safely and will be used for your application.",
    },
    "too_large": {
        "hi": "❌ एक फ़ाइल बहुत बड़ी है (5 MB से ज़्यादा)। कृपया छोटी फ़ोटो या PDF भेजें।",
        "en": "❌ One file is too large (over 5 MB). Please send a smaller photo or PDF.",
    },
    "wrong_type": {
        "hi": "❌ यह फ़ाइल हम नहीं ले सकते। कृपया दस्तावेज़ की फ़ोटो (JPG या PNG) या PDF भेजें।",
        "en": "❌ We cannot take this file. Please send a photo (JPG or PNG) or a PDF of the document.",
    },
    "download_failed": {
        "hi": "❌ एक फ़ाइल हम तक नहीं पहुँची। कृपया उसे दोबारा भेजें।",
        "en": "❌ One file did not reach us. Please send it again.",
    },
    "no_file": {
        "hi": "हमें कोई फ़ाइल नहीं मिली। 📎 दबाकर दस्तावेज़ की फ़ोटो या PDF भेजें।",
        "en": "We did not get a file. Tap 📎 and send a photo or PDF of the document.",
    },
    "location_received": {
        "hi": "📍 आपकी लोकेशन मिल गई{address}। घर पर प्रमाण पत्र मँगाने में यह काम आएगी।",
        "en": "📍 We have your location{address}. It will be used to deliver your certificate at home.",
    },
    "no_location": {
        "hi": "हमें लोकेशन नहीं मिली। 📎 दबाएँ, फिर \"लोकेशन\" चुनकर भेजें।",
        "en": "We did not get a location. Tap 📎, choose \"Location\" and send it.",
    },
    "you_said": {
        "hi": "🎤 आपने कहा: “{words}”",
        "en": "🎤 You said: “{words}”",
    },
    "voice_not_understood": {
        "hi": "🎤 माफ़ कीजिए, आपकी आवाज़ ठीक से समझ नहीं आई। कृपया लिखकर भेजें, या बटन दबाकर चुनें।",
        "en": "🎤 Sorry, we could not understand your voice note. Please type your message, or tap a button.",
    },
    "nothing_to_speak": {
        "hi": "🔊 अभी सुनाने के लिए कोई जवाब नहीं है। पहले अपना सवाल लिखें या बोलकर भेजें।",
        "en": "🔊 There is no answer to read out yet. Please type or say your question first.",
    },
    "voice_offer": {
        "hi": "🔊 क्या हर जवाब बोलकर भी सुनना है? तो लिखें या बोलें: *हमेशा बोलकर जवाब दो*\n"
              "👉 सिर्फ़ यह जवाब सुनना हो तो: *सुनाओ*",
        "en": "🔊 Would you like to hear every reply too? Then type or say: *always reply in voice*\n"
              "👉 To hear just this reply: *sunao*",
    },
    "voice_on": {
        "hi": "🔊 ठीक है, अब हर जवाब लिखकर भी आएगा और बोलकर भी।\n👉 बंद करना हो तो लिखें: *बोलकर जवाब बंद करो*",
        "en": "🔊 All right: from now on every reply comes written and as a voice note.\n"
              "👉 To stop, send: *stop voice replies*",
    },
    "voice_off": {
        "hi": "ठीक है, अब जवाब सिर्फ़ लिखकर आएँगे।\n👉 कोई जवाब सुनना हो तो लिखें: *सुनाओ*",
        "en": "All right: replies come written only now.\n👉 To hear one, send: *sunao*",
    },
    "cannot_speak": {
        "hi": "🔊 माफ़ कीजिए, अभी बोलकर नहीं बता पा रहे। ऊपर लिखा जवाब देखें, या थोड़ी देर बाद फिर \"सुनाओ\" लिखें।",
        "en": "🔊 Sorry, we cannot read it out just now. Please see the answer above, or send \"sunao\" again later.",
    },
}


def text(key: str, language: Optional[str], **values) -> str:
    variants = _TEXTS[key]
    return variants.get(language or "hi", variants["hi"]).format(**values)


def upload_reply(
    stored: List[Mapping], refused: Iterable[Mapping], application_id: Optional[str], language: Optional[str]
) -> str:
    """One reply for a message with files: what was received, then what was refused and why."""
    lines: List[str] = []
    if stored:
        lines.append(text("received_one", language) if len(stored) == 1
                     else text("received_many", language, count=len(stored)))
        lines.append(text("attached", language, application_id=application_id) if application_id
                     else text("kept", language))
    for reason in dict.fromkeys(r.get("reason") for r in refused):  # each reason once, in order
        lines.append(text(reason if reason in _TEXTS else "download_failed", language))
    return "\n".join(lines) or text("no_file", language)


def location_reply(location: Optional[Mapping], language: Optional[str]) -> str:
    if not location:
        return text("no_location", language)
    address = location.get("address") or location.get("label")
    return text("location_received", language, address=f" ({address})" if address else "")
