"""The portal's interface in Hindi (default) and English. Every string has both;
a missing key is an error (the page tests render every page in both languages)."""
from __future__ import annotations

from typing import Callable, Dict, Tuple

LANGUAGES = ("hi", "en")

# key: (Hindi, English). {name} placeholders are filled by t(key, name=...).
MESSAGES: Dict[str, Tuple[str, str]] = {
    "portal.name": ("लोक सेवा पोर्टल", "Lok Seva portal"),
    # navigation
    "nav.menu": ("मेनू", "Menu"),
    "nav.home": ("मुख्य पृष्ठ", "Home"),
    "nav.applications": ("आवेदन", "Applications"),
    "nav.applications_about": ("आवेदनों की कतार, समय-सीमा, निर्णय", "Queue, time limits, decisions"),
    "nav.deliveries": ("होम डिलीवरी", "Home deliveries"),
    "nav.deliveries_about": ("छपे प्रमाण पत्र घर तक पहुँचाना", "Printed certificates sent home"),
    "nav.callbacks": ("कॉल-बैक अनुरोध", "Callback requests"),
    "nav.callbacks_about": ("नागरिक जो किसी व्यक्ति से बात करना चाहते हैं", "Citizens who asked to talk to a person"),
    "nav.conversations": ("बातचीत", "Conversations"),
    "nav.conversations_about": ("सहायक से नागरिकों की बातचीत पढ़ें", "Read citizens' conversations with the assistant"),
    "nav.trainer": ("प्रशिक्षण इनबॉक्स", "Trainer inbox"),
    "nav.trainer_about": ("जो संदेश सहायक नहीं समझा, उन्हें सिखाएँ", "Teach the assistant what it did not understand"),
    "nav.analytics": ("आँकड़े", "Analytics"),
    "nav.analytics_about": ("संदेश, आवेदन, समय-सीमा, भुगतान", "Messages, applications, time limits, payments"),
    "nav.staff": ("कर्मचारी खाते", "Staff accounts"),
    "nav.staff_about": ("खाते बनाएँ, भूमिका, पासवर्ड", "Create accounts, roles, passwords"),
    "nav.audit": ("ऑडिट लॉग", "Audit log"),
    "nav.audit_about": ("किसने क्या कब किया", "Who did what, and when"),
    "nav.account": ("मेरा खाता", "My account"),
    "nav.logout": ("लॉग आउट", "Log out"),
    # roles
    "role.operator": ("ऑपरेटर", "Operator"),
    "role.designated_officer": ("पदाभिहित अधिकारी", "Designated officer"),
    "role.trainer": ("प्रशिक्षक", "Trainer"),
    "role.admin": ("एडमिन", "Admin"),
    # common
    "common.search": ("खोजें", "Search"),
    "common.save": ("सहेजें", "Save"),
    "common.status": ("स्थिति", "Status"),
    "common.actions": ("काम", "Actions"),
    "common.any": ("कोई भी", "Any"),
    "common.found": ("{n} मिले", "{n} found"),
    "common.pages": ("पन्ने", "Pages"),
    "common.previous": ("पिछला", "Previous"),
    "common.next": ("अगला", "Next"),
    "common.page_of": ("पन्ना {page} / {pages}", "Page {page} of {pages}"),
    "common.back_home": ("मुख्य पृष्ठ पर जाएँ", "Back to the home page"),
    # sign-in
    "login.title": ("कर्मचारी लॉग इन", "Staff sign-in"),
    "login.username": ("यूज़रनेम", "Username"),
    "login.password": ("पासवर्ड", "Password"),
    "login.submit": ("लॉग इन करें", "Sign in"),
    "login.hint": (
        "खाता या पासवर्ड भूल गए हों तो अपने एडमिन से कहें।",
        "Forgot your account or password? Ask your admin.",
    ),
    "login.failed": ("यूज़रनेम या पासवर्ड गलत है।", "Wrong username or password."),
    "login.locked": (
        "बहुत बार गलत पासवर्ड डाला गया। {minutes} मिनट बाद फिर कोशिश करें, या एडमिन से खाता खुलवाएँ।",
        "Too many wrong passwords. Try again in {minutes} minutes, or ask an admin to unlock the account.",
    ),
    # home
    "home.greeting": ("नमस्ते, {name}", "Namaste, {name}"),
    "home.open_callbacks": ("{n} बाकी", "{n} waiting"),
    # account
    "account.change_password": ("पासवर्ड बदलें", "Change password"),
    "account.current": ("अभी का पासवर्ड", "Current password"),
    "account.new": ("नया पासवर्ड (कम से कम 10 अक्षर)", "New password (at least 10 characters)"),
    "account.repeat": ("नया पासवर्ड दोबारा", "New password again"),
    "account.save": ("पासवर्ड बदलें", "Change password"),
    # staff
    "staff.username": ("यूज़रनेम", "Username"),
    "staff.full_name": ("नाम", "Name"),
    "staff.role": ("भूमिका", "Role"),
    "staff.tehsil": ("तहसील", "Tehsil"),
    "staff.all_tehsils": ("सभी तहसील", "All tehsils"),
    "staff.last_login": ("पिछला लॉग इन", "Last sign-in"),
    "staff.inactive": ("बंद", "inactive"),
    "staff.activate": ("चालू करें", "Activate"),
    "staff.deactivate": ("बंद करें", "Deactivate"),
    "staff.unlock": ("लॉक खोलें", "Unlock"),
    "staff.reset_password": ("नया पासवर्ड", "Reset password"),
    "staff.new": ("नया खाता", "New account"),
    "staff.first_password": ("पहला पासवर्ड", "First password"),
    "staff.create": ("खाता बनाएँ", "Create account"),
    # audit
    "audit.when": ("कब", "When"),
    "audit.action": ("काम", "Action"),
    "audit.target": ("किस पर", "Target"),
    "audit.ip": ("IP पता", "IP address"),
    "audit.details": ("विवरण", "Details"),
    # callbacks
    "callback.status_open": ("बाकी", "Waiting"),
    "callback.status_called": ("कॉल हो गया", "Called"),
    "callback.status_closed": ("बंद", "Closed"),
    "callback.none": ("कोई अनुरोध नहीं।", "No requests."),
    "callback.call_by": ("{when} तक कॉल करें", "Call by {when}"),
    "callback.lang_hi": ("हिंदी", "Hindi"),
    "callback.lang_en": ("अंग्रेज़ी", "English"),
    "callback.note": ("टिप्पणी", "Note"),
    "callback.note_placeholder": ("क्या बात हुई (नंबर न लिखें)", "What was said (no numbers)"),
    "callback.reveal": ("नंबर दिखाएँ", "Show number"),
    "callback.number_is": ("अनुरोध #{id} का नंबर:", "Number for request #{id}:"),
    "callback.number_unknown": ("नंबर दर्ज नहीं है", "number not on record"),
    "callback.open_conversation": ("बातचीत देखें", "Open conversation"),
    # conversations
    "conv.phone": ("फ़ोन के आखिरी अंक", "Last digits of the phone"),
    "conv.application_id": ("आवेदन क्रमांक", "Application id"),
    "conv.day": ("तारीख", "Date"),
    "conv.intent": ("इंटेंट", "Intent"),
    "conv.fallback_only": ("सिर्फ़ जहाँ सहायक नहीं समझा", "Only where the assistant did not understand"),
    "conv.citizen": ("नागरिक", "Citizen"),
    "conv.first": ("शुरुआत", "Started"),
    "conv.last": ("आखिरी संदेश", "Last message"),
    "conv.messages": ("संदेश", "Messages"),
    "conv.fallbacks": ("नहीं समझा", "Not understood"),
    "conv.transcript_of": ("{who} से बातचीत", "Conversation with {who}"),
    "conv.flag_fallback": ("नहीं समझा", "not understood"),
    "conv.flag_low": ("कम भरोसा (< {threshold})", "low confidence (< {threshold})"),
    "conv.flag_low_short": ("कम भरोसा", "low confidence"),
    "conv.model_guess": ("अंदाज़ा:", "guess:"),
    "conv.session_started": ("नया सत्र", "New session"),
    # trainer
    "trainer.evaluation": ("NLU मूल्यांकन (बेंच)", "NLU evaluation (bench)"),
    "trainer.no_evaluation": ("अभी कोई मूल्यांकन नहीं (bench/results/nlu_eval.json नहीं मिला)।",
                              "No evaluation yet (bench/results/nlu_eval.json not found)."),
    "trainer.bad_evaluation": ("मूल्यांकन फ़ाइल पढ़ी नहीं जा सकी।", "The evaluation file could not be read."),
    "trainer.evaluation_from": ("{when} का", "From {when}"),
    "trainer.export": ("प्रशिक्षण डेटा में जोड़ें", "Export to the training data"),
    "trainer.export_about": (
        "{n} उदाहरण जुड़ने को तैयार हैं। ये data/nlu/from_conversations.yml में लिखे जाएँगे; अगली ट्रेनिंग में सहायक इन्हें सीखेगा।",
        "{n} examples are ready. They are written to data/nlu/from_conversations.yml; the next training teaches them to the assistant.",
    ),
    "trainer.export_button": ("अभी जोड़ें", "Export now"),
    "trainer.export_done": (
        "{written} जोड़े गए, {duplicates} पहले से थे, {conflicts} में टकराव।",
        "{written} written, {duplicates} already there, {conflicts} in conflict.",
    ),
    "trainer.duplicates": ("पहले से मौजूद (नहीं जोड़े)", "Already there (not written)"),
    "trainer.conflicts": ("टकराव: यही वाक्य किसी और इंटेंट में है", "Conflicts: the same sentence has another intent"),
    "trainer.inbox": ("इनबॉक्स ({n})", "Inbox ({n})"),
    "trainer.inbox_about": (
        "ये संदेश सहायक नहीं समझा या कम भरोसे (< {threshold}) से समझा। सही इंटेंट चुनें, या हटाएँ।",
        "The assistant did not understand these messages, or was unsure (< {threshold}). Pick the right intent, or dismiss.",
    ),
    "trainer.inbox_empty": ("इनबॉक्स खाली है 🎉", "The inbox is empty 🎉"),
    "trainer.entities_help": ("एंटिटी कैसे लिखें", "How to mark entities"),
    "trainer.entities_syntax": ("वाक्य में शब्द को [ ] में रखें और बाद में एंटिटी लिखें:", "Put the words in [ ] followed by the entity:"),
    "trainer.entities_known": ("एंटिटी:", "Entities:"),
    "trainer.example": ("उदाहरण वाक्य", "Example"),
    "trainer.choose_intent": ("इंटेंट चुनें", "Choose an intent"),
    "trainer.label": ("सिखाएँ", "Label"),
    "trainer.dismiss": ("हटाएँ", "Dismiss"),
    "trainer.in_context": ("बातचीत में देखें", "See in the conversation"),
    "trainer.recent": ("हाल के निर्णय", "Recent decisions"),
    "trainer.status_labelled": ("जुड़ने को तैयार", "Ready to export"),
    "trainer.status_exported": ("जोड़ा गया", "Exported"),
    "trainer.status_duplicate": ("पहले से था", "Already there"),
    "trainer.status_conflict": ("टकराव", "Conflict"),
    "trainer.status_dismissed": ("हटाया", "Dismissed"),
    # analytics
    "analytics.last_days": ("पिछले {n} दिन", "Last {n} days"),
    "analytics.messages": ("संदेश ({n} दिन)", "messages ({n} days)"),
    "analytics.active_period": ("नागरिक ({n} दिन)", "citizens ({n} days)"),
    "analytics.active_7": ("नागरिक (7 दिन)", "citizens (7 days)"),
    "analytics.fallback_rate": ("नहीं समझे गए संदेश", "messages not understood"),
    "analytics.messages_per_day": ("रोज़ के संदेश", "Messages per day"),
    "analytics.top_intents": ("सबसे ज़्यादा इंटेंट", "Top intents"),
    # flashes after a redirect (?msg=code)
    "flash.logged_out": ("आप लॉग आउट हो गए।", "You are logged out."),
    "flash.password_changed": ("पासवर्ड बदल गया। नए पासवर्ड से लॉग इन करें।", "Password changed. Sign in with the new password."),
    "flash.staff_created": ("खाता बन गया।", "Account created."),
    "flash.staff_active": ("खाता बदल गया।", "Account updated."),
    "flash.staff_password": ("नया पासवर्ड सेट हो गया; उस खाते के सभी सत्र बंद।", "New password set; that account's sessions ended."),
    "flash.staff_unlock": ("खाते का लॉक खुल गया।", "Account unlocked."),
    "flash.callback_updated": ("अनुरोध अपडेट हुआ।", "Request updated."),
    "flash.labelled": ("सिखा दिया। निर्यात करने पर प्रशिक्षण डेटा में जुड़ेगा।", "Labelled. Export to add it to the training data."),
    "flash.label_duplicate": ("यह वाक्य प्रशिक्षण डेटा में इसी इंटेंट के साथ पहले से है।", "This sentence is already in the training data with that intent."),
    "flash.dismissed": ("हटा दिया।", "Dismissed."),
    # errors
    "error.title": ("गड़बड़", "Something went wrong"),
    "error.title_403": ("अनुमति नहीं", "Not allowed"),
    "error.title_404": ("नहीं मिला", "Not found"),
    "error.forbidden": ("आपकी भूमिका में यह पन्ना नहीं है।", "Your role does not include this page."),
    "error.csrf": (
        "फ़ॉर्म पुराना हो गया या दूसरी जगह से आया। पन्ना फिर से खोलकर दोबारा भेजें।",
        "The form expired or came from elsewhere. Reload the page and send it again.",
    ),
    "error.not_found": ("यह नहीं मिला।", "Not found."),
    "error.passwords_differ": ("दोनों नए पासवर्ड एक जैसे नहीं हैं।", "The two new passwords differ."),
    "error.wrong_password": ("अभी का पासवर्ड गलत है।", "The current password is wrong."),
    "error.weak_password": ("पासवर्ड कमज़ोर है: {detail}", "Weak password: {detail}"),
    "error.bad_username": ("यूज़रनेम में सिर्फ़ अक्षर, अंक, . _ - हों।", "Usernames use letters, digits, . _ -"),
    "error.bad_role": ("भूमिका सही नहीं।", "Unknown role."),
    "error.username_taken": ("यह यूज़रनेम पहले से है।", "That username is taken."),
    "error.own_account": ("अपना खाता खुद बंद नहीं कर सकते।", "You cannot deactivate your own account."),
    "error.bad_status": ("स्थिति सही नहीं।", "Unknown status."),
    "error.phone_digits": ("फ़ोन के कम से कम आखिरी 4 अंक लिखें।", "Type at least the last 4 digits of the phone."),
    "error.application_id": ("आवेदन क्रमांक ऐसा लिखें: JBA-2026-000123", "Write the application id like JBA-2026-000123"),
    "error.date": ("तारीख सही नहीं।", "Invalid date."),
    "error.intent": ("इंटेंट सही नहीं।", "Invalid intent."),
    "error.unknown_intent": ("यह इंटेंट डोमेन में नहीं है: {detail}", "That intent is not in the domain: {detail}"),
    "error.empty_example": ("उदाहरण वाक्य खाली है।", "The example is empty."),
    "error.long_example": ("उदाहरण बहुत लंबा है (500 अक्षर तक)।", "The example is too long (500 characters at most)."),
    "error.unknown_entity": ("यह एंटिटी डोमेन में नहीं है: {detail}", "That entity is not in the domain: {detail}"),
    "error.bad_annotation": ("एंटिटी का निशान सही नहीं: {detail}", "Entity mark-up not understood: {detail}"),
    "error.conflict": (
        "यही वाक्य प्रशिक्षण डेटा में दूसरे इंटेंट में है: {detail}",
        "The same sentence is in the training data with another intent: {detail}",
    ),
    "error.already_decided": ("यह संदेश किसी और ने पहले ही निपटा दिया।", "Someone already decided this message."),
}

FLASH_CODES = frozenset(key.split(".", 1)[1] for key in MESSAGES if key.startswith("flash."))


def translator(lang: str) -> Callable[..., str]:
    index = 1 if lang == "en" else 0

    def t(key: str, **values) -> str:
        text = MESSAGES[key][index]
        return text.format(**values) if values else text

    return t


def district_name(lang: str) -> str:
    from lokseva.districts import current_district

    return current_district().text("name", lang)


def tehsils() -> tuple:
    from lokseva.districts import current_district

    return current_district().tehsils
