"""What the citizen is told at each step of a home delivery, Hindi first.

`delivery_step` writes a step's message in the notification outbox
(lokseva.notifications; message status_changed, so it also reaches a citizen
outside WhatsApp's 24-hour window).
"""
from __future__ import annotations

import logging
from typing import Mapping, Optional

from sqlalchemy.orm import Session

from lokseva.delivery.lifecycle import DeliveryStatus
from lokseva.notifications import outbox

logger = logging.getLogger(__name__)

INDIA_POST_TRACKING = "https://www.indiapost.gov.in"

_TEXTS: Mapping[str, Mapping[str, str]] = {
    "payment_pending": {
        "hi": "🏠 प्रमाण पत्र की छपी कॉपी इस पते पर स्पीड पोस्ट से आएगी:\n{address}\n"
              "डाक की फीस: {fee}\nइस लिंक से फीस जमा करें:\n{link}\nफीस मिलते ही छपाई शुरू होगी।",
        "en": "🏠 A printed copy of your certificate will come by speed post to:\n{address}\n"
              "Postage fee: {fee}\nPay it with this link:\n{link}\nPrinting starts as soon as the fee is received.",
    },
    "requested": {
        "hi": "✅ घर पर भेजने का अनुरोध दर्ज हो गया।\n{paid}आपका प्रमाण पत्र {number} छपने जाएगा।\n"
              "हर कदम की जानकारी यहीं मिलेगी।",
        "en": "✅ Your request for home delivery is registered.\n{paid}Your certificate {number} will be printed.\n"
              "You will hear about every step here.",
    },
    "paid": {"hi": "डाक की फीस {fee} मिल गई। ", "en": "Postage fee {fee} received. "},
    "printed": {
        "hi": "🖨️ आपका प्रमाण पत्र {number} छप गया है।\nजल्दी ही स्पीड पोस्ट से भेजा जाएगा।",
        "en": "🖨️ Your certificate {number} has been printed.\nIt will go out by speed post soon.",
    },
    "dispatched": {
        "hi": "📮 आपका प्रमाण पत्र स्पीड पोस्ट से भेज दिया गया है।\nट्रैकिंग नंबर: {tracking}\n"
              "डाकघर में या " + INDIA_POST_TRACKING + " पर इस नंबर से पता करें कि डाक कहाँ है।",
        "en": "📮 Your certificate has been sent by speed post.\nTracking number: {tracking}\n"
              "Ask at the post office or track it on " + INDIA_POST_TRACKING + ".",
    },
    "delivered": {
        "hi": "📬 डाक विभाग के अनुसार आपका प्रमाण पत्र आपके पते पर पहुँच गया है।\n"
              "नहीं मिला हो तो लिखें \"दफ़्तर से बात करें\"।",
        "en": "📬 India Post says your certificate has been delivered.\n"
              "If you did not get it, write \"talk to the office\".",
    },
    "returned": {
        "hi": "↩️ डाकिया आपका प्रमाण पत्र नहीं पहुँचा पाया, डाक वापस आ गई है।\n"
              "हम फिर से भेजेंगे। पता बदलना हो तो लोक सेवा केंद्र से संपर्क करें।",
        "en": "↩️ The postman could not deliver your certificate; it has come back.\n"
              "We will send it again. To change the address, contact the Lok Seva Kendra.",
    },
    "cancelled": {
        "hi": "आपका प्रमाण पत्र घर भेजने का अनुरोध रद्द हो गया है।",
        "en": "Your request for home delivery has been cancelled.",
    },
    "cancelled_unpaid": {
        "hi": "डाक की फीस का लिंक बंद हो गया, इसलिए घर भेजने का अनुरोध रद्द हुआ।\n"
              "फिर से मँगाना हो तो लिखें \"घर पर भेजो\"।",
        "en": "The postage fee link has closed, so the home delivery request was cancelled.\n"
              "To ask again, write \"deliver at home\".",
    },
    "link_delayed": {
        "hi": "✅ घर भेजने का अनुरोध दर्ज हो गया।\nडाक की फीस का लिंक अभी नहीं बन पाया, थोड़ी देर में यहीं भेज देंगे।",
        "en": "✅ Your home delivery request is registered.\nThe postage fee link could not be made just now; we will send it here shortly.",
    },
    "already_open": {
        "hi": "आपके प्रमाण पत्र {number} को घर भेजने का अनुरोध पहले से चल रहा है।\nअभी: {state}",
        "en": "A home delivery of your certificate {number} is already on its way.\nNow: {state}",
    },
    "payment_link_again": {
        "hi": "फीस जमा करने का लिंक:\n{link}",
        "en": "The link to pay the fee:\n{link}",
    },
    "not_issued": {
        "hi": "प्रमाण पत्र बनने के बाद ही उसकी छपी कॉपी घर भेजी जा सकती है।\n"
              "{service_name} ({application_id}) अभी तैयार नहीं है। तैयार होते ही हम यहीं बताएँगे; "
              "तब \"घर पर भेजो\" लिखें।",
        "en": "A printed copy can be sent home once the certificate is issued.\n"
              "Your {service_name} ({application_id}) is not ready yet. We will tell you here when it is; "
              "then write \"home delivery\".",
    },
    "choose": {
        "hi": "किस प्रमाण पत्र की छपी कॉपी घर भेजें?",
        "en": "Which certificate shall we send to your home?",
    },
    "stopped": {
        "hi": "ठीक है, घर पर नहीं भेजा जाएगा। जब चाहें फिर लिखें।",
        "en": "All right, nothing will be sent. Write again whenever you like.",
    },
    "bad_pin": {
        "hi": "यह पिन कोड सही नहीं लगता।\n6 अंकों का पिन कोड लिखें, जैसे 457661।",
        "en": "That PIN code does not look right.\nPlease write the 6-digit PIN code, e.g. 457661.",
    },
    "bad_place": {
        "hi": "कृपया नाम साफ़-साफ़ लिखें।",
        "en": "Please write the name clearly.",
    },
    "location_noted": {
        "hi": "📍 लोकेशन मिल गई, डाकिये को रास्ता मिलने में आसानी होगी।",
        "en": "📍 Location received; it will help the postman find you.",
    },
    "unavailable": {
        "hi": "माफ़ कीजिए, अभी यह अनुरोध दर्ज नहीं हो पाया।\nथोड़ी देर बाद फिर कोशिश करें।",
        "en": "Sorry, we could not register the request right now.\nPlease try again in a little while.",
    },
}

# One line per state, for "already_open" and the staff portal.
STATE_NAMES: Mapping[str, Mapping[str, str]] = {
    DeliveryStatus.PAYMENT_PENDING.value: {"hi": "डाक की फीस बाकी है", "en": "postage fee not yet paid"},
    DeliveryStatus.REQUESTED.value: {"hi": "छपाई बाकी है", "en": "waiting to be printed"},
    DeliveryStatus.PRINTED.value: {"hi": "छप गया, भेजना बाकी है", "en": "printed, not yet posted"},
    DeliveryStatus.DISPATCHED.value: {"hi": "स्पीड पोस्ट से भेजा गया ({tracking})", "en": "sent by speed post ({tracking})"},
    DeliveryStatus.DELIVERED.value: {"hi": "पहुँच गया", "en": "delivered"},
    DeliveryStatus.RETURNED.value: {"hi": "डाक वापस आई, फिर भेजेंगे", "en": "returned, will be sent again"},
    DeliveryStatus.CANCELLED.value: {"hi": "रद्द", "en": "cancelled"},
}


def text(key: str, language: Optional[str] = None, **values: object) -> str:
    return _TEXTS[key]["en" if language == "en" else "hi"].format(**values)


def state_name(status: str, language: Optional[str] = None, tracking: Optional[str] = None) -> str:
    return STATE_NAMES[status]["en" if language == "en" else "hi"].format(tracking=tracking or "")


def delivery_step(session: Session, citizen, application_reference: str, message: str,
                  language: Optional[str] = None) -> Optional[int]:
    """Writes one step's message for the citizen in the notification outbox, in
    the step's unit of work; its id, or None without a WhatsApp number (the
    staff portal shows the state either way)."""
    if not citizen.whatsapp_number:
        return None
    return outbox.enqueue(session, citizen.id, "status_changed",
                          {"application_id": application_reference, "status": message}, language,
                          subject=outbox.application_subject(application_reference))
