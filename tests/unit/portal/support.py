"""Test support for the portal: conversations written by Rasa's own
SQLTrackerStore (the real schema and JSON the portal reads), staff accounts,
and a signed-in HTTP client for a running web app."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from typing import Iterable, List, Optional, Sequence, Tuple

import requests

Turn = Tuple  # ("user", text, intent, confidence[, entities[, ranking]]) | ("bot", text) | ("action", name) | ("slot", name, value)


def rasa_events(turns: Sequence[Turn], start: Optional[float] = None, step: float = 5.0) -> list:
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered

    at = start if start is not None else time.time() - step * (len(turns) + 2)
    events = [
        ActionExecuted("action_session_start", timestamp=at),
        SessionStarted(timestamp=at),
        ActionExecuted("action_listen", timestamp=at),
    ]
    for turn in turns:
        at += step
        kind = turn[0]
        if kind == "user":
            text, intent, confidence = turn[1], turn[2], turn[3]
            entities = list(turn[4]) if len(turn) > 4 else []
            ranking = list(turn[5]) if len(turn) > 5 else [{"name": intent, "confidence": confidence}]
            message_id = uuid.uuid4().hex
            parse = {
                "text": text,
                "intent": {"name": intent, "confidence": confidence},
                "entities": entities,
                "intent_ranking": ranking,
                "message_id": message_id,
                "metadata": {},
            }
            events.append(
                UserUttered(
                    text,
                    parse["intent"],
                    entities,
                    parse_data=parse,
                    timestamp=at,
                    input_channel="twilio",
                    message_id=message_id,
                )
            )
        elif kind == "bot":
            events.append(
                BotUttered(
                    turn[1],
                    data={"buttons": list(turn[2]) if len(turn) > 2 else []},
                    metadata={"utter_action": "utter_x"},
                    timestamp=at,
                )
            )
        elif kind == "action":
            events.append(ActionExecuted(turn[1], policy="RulePolicy", confidence=1.0, timestamp=at))
            events.append(ActionExecuted("action_listen", timestamp=at))
        elif kind == "slot":
            events.append(SlotSet(turn[1], turn[2], timestamp=at))
        else:
            raise ValueError(kind)
    return events


def store_conversations(tracker_url: str, conversations: Iterable[Tuple[str, Sequence[Turn], Optional[float]]]) -> None:
    """Saves each (sender_id, turns, start timestamp) through Rasa's SQLTrackerStore."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    store = SQLTrackerStore(Domain.empty(), host=tracker_url)
    try:
        for sender, turns, start in conversations:
            tracker = DialogueStateTracker.from_events(sender, rasa_events(turns, start))
            asyncio.run(store.save(tracker))
    finally:
        store.engine.dispose()


FALLBACK_RANKING = lambda guess, confidence: [  # noqa: E731
    {"name": "nlu_fallback", "confidence": 0.5},
    {"name": guess, "confidence": confidence},
]

# Conversations that look like Jhabua's: Hinglish, Devanagari, numbers to mask.
SAMPLE = [
    (
        "whatsapp:+919876543210",
        [
            ("user", "namaste", "greet", 0.99),
            ("bot", "नमस्ते 🙏 मैं झाबुआ ज़िले का लोक सेवा सहायक हूँ।", [{"title": "आवेदन की स्थिति", "payload": "/check_status"}]),
            ("user", "mera aadhar 1234 5678 9012 hai aur phone 9812345678", "inform", 0.41),
            ("bot", "माफ़ कीजिए, मैं समझ नहीं पाया।"),
            (
                "user",
                "JBA-2026-000123 ka status batao",
                "check_status",
                0.97,
                [{"entity": "application_id", "value": "JBA-2026-000123", "start": 0, "end": 15}],
            ),
            ("slot", "application_id", "JBA-2026-000123"),
            (
                "user",
                "patwari sahab ne report nahi lagayi",
                "nlu_fallback",
                0.5,
                [],
                [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "check_status", "confidence": 0.38}],
            ),
            ("action", "utter_default"),
        ],
        None,
    ),
    (
        "whatsapp:+917000011122",
        [
            (
                "user",
                "आय प्रमाण पत्र बनवाना है",
                "apply_service",
                0.95,
                [{"entity": "service", "value": "income_certificate", "start": 0, "end": 12}],
            ),
            (
                "user",
                "khet ki nakal chahiye",
                "nlu_fallback",
                0.5,
                [],
                [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "ask_service_info", "confidence": 0.31}],
            ),
            ("user", "kisi insaan se baat karni hai", "request_human", 0.93),
        ],
        None,
    ),
]


def seed_sample(tracker_url: str) -> None:
    store_conversations(tracker_url, SAMPLE)


# --- a signed-in client for a running web app -------------------------------------

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1)


class PortalClient:
    """requests.Session that signs in through the real login form."""

    def __init__(self, base_url: str):
        self.base = base_url.rstrip("/")
        self.http = requests.Session()
        self.csrf = ""

    def get(self, path: str, **kwargs) -> requests.Response:
        response = self.http.get(
            self.base + path, timeout=30, allow_redirects=kwargs.pop("allow_redirects", False), **kwargs
        )
        if "csrf_token" in response.text:
            self.csrf = csrf_of(response.text)
        return response

    def post(self, path: str, data: Optional[dict] = None, csrf: Optional[str] = None, **kwargs) -> requests.Response:
        data = dict(data or {})
        if csrf is not False:
            data.setdefault("csrf_token", self.csrf if csrf is None else csrf)
        response = self.http.post(self.base + path, data=data, timeout=30, allow_redirects=False, **kwargs)
        if "csrf_token" in response.text:
            self.csrf = csrf_of(response.text)
        return response

    def login(self, username: str, password: str) -> requests.Response:
        self.get("/portal/login")
        return self.post("/portal/login", {"username": username, "password": password})

    @property
    def cookie(self) -> Optional[str]:
        return self.http.cookies.get("lokseva_portal")


def make_staff(
    database_url: str,
    username: str,
    role: str,
    password: str = "a-Long-pass-1234",
    tehsil: Optional[str] = None,
    district_code: Optional[str] = None,
) -> int:
    from lokseva.db import create_engine_for, session_scope
    from lokseva.portal import service

    engine = create_engine_for(database_url)
    try:
        with session_scope(engine) as session:
            return service.create_user(
                session, username, password, role, username.title(), tehsil, district_code=district_code
            ).id
    finally:
        engine.dispose()


def all_pages() -> List[str]:
    return [
        "/portal/",
        "/portal/callbacks",
        "/portal/conversations",
        "/portal/trainer",
        "/portal/analytics",
        "/portal/staff",
        "/portal/audit",
        "/portal/account",
        "/portal/appeals",
        "/portal/appeals?level=2",
        "/portal/time-limits",
        "/portal/time-limits/performance",
    ]


# --- the web app as its own process (as `make run` starts it) -----------------------


class PortalWeb:
    def __init__(self, settings, running, nlu_dir, eval_path):
        self.settings = settings
        self.running = running
        self.nlu_dir = nlu_dir
        self.eval_path = eval_path

    @property
    def url(self) -> str:
        return f"http://{self.settings.host}:{self.settings.web_port}"

    def client(self) -> PortalClient:
        return PortalClient(self.url)

    def staff(self, username: str, role: str, password: str = "a-Long-pass-1234") -> Tuple[str, str]:
        make_staff(self.settings.database_url, username, role, password)
        return username, password

    def signed_in(self, username: str, role: str) -> PortalClient:
        user, password = self.staff(username, role)
        client = self.client()
        assert client.login(user, password).status_code == 303
        return client

    def query(self, sql: str, **params):
        import sqlalchemy as sa

        engine = sa.create_engine(self.settings.database_url)
        try:
            with engine.begin() as conn:
                result = conn.execute(sa.text(sql), params)
                return result.all() if result.returns_rows else None
        finally:
            engine.dispose()


def start_portal_web(tmp_path, postgres_database_factory, extra_env: Optional[dict] = None):
    """Starts the web process on a free port with fresh PostgreSQL databases; the
    caller stops it (`processes.stop_all(web.running)`)."""
    import os
    from pathlib import Path

    from lokseva.devtools import processes
    from lokseva.settings import load_settings

    import shutil

    from lokseva.settings import ROOT

    # A copy of the real training data: duplicate and conflict checks run against it.
    nlu_dir = tmp_path / "nlu"
    shutil.copytree(ROOT / "data" / "nlu", nlu_dir)
    eval_path = tmp_path / "nlu_eval.json"
    overrides = {
        "LOKSEVA_ENV": "test",
        "WEB_PORT": str(processes.free_port()),
        "DATABASE_URL": postgres_database_factory(),
        "TRACKER_STORE_URL": postgres_database_factory(),
        "NLU_DATA_DIR": str(nlu_dir),
        "NLU_EVAL_RESULTS": str(eval_path),
        "CERTIFICATES_DIR": str(tmp_path / "certificates"),
        "UPLOADS_DIR": str(tmp_path / "uploads"),
        # Nothing listens on these: a notification fails fast instead of reaching
        # a Rasa or fake Twilio someone else runs on the default ports.
        "RASA_PORT": str(processes.free_port()),
        "ACTION_PORT": str(processes.free_port()),
        "FAKE_TWILIO_PORT": str(processes.free_port()),
        "SANDBOX_GATEWAY_PORT": str(processes.free_port()),
        "PUBLIC_URL": "",
        **(extra_env or {}),
    }
    for key in ("RASA_URL", "ACTION_SERVER_URL", "TWILIO_API_BASE", "SANDBOX_GATEWAY_URL"):
        overrides.setdefault(key, "")
    settings = load_settings({**os.environ, **overrides})
    web = next(s for s in processes.assistant_services(settings, Path("unused-model.tar.gz")) if s.name == "web")
    running = [processes.start(web, settings.as_env(), tmp_path / "log")]
    try:
        running[0].wait_ready()
    except RuntimeError:
        processes.stop_all(running)
        raise
    return PortalWeb(settings, running, nlu_dir, eval_path)


# --- applications, submitted through the applications capability's own code ------------

ANSWERS = {
    "applicant_name": "Ramesh Bhuriya",
    "relative_name": "Kalu Bhuriya",
    "relative_relation": "father",
    "gender": "male",
    "date_of_birth": "1990-03-12",
    "address_village": "Pitol",
    "address_tehsil": "Jhabua",
    "address_pin": "457661",
    "aadhaar": "XXXX XXXX 0124",
    "annual_income": 20_000_000,
}


def submit_application(
    engine,
    phone: str = "+919826012345",
    channel_user_id: Optional[str] = None,
    service: str = "income_certificate",
    status: str = "paid",
    tehsil: str = "Jhabua",
    name: str = "Ramesh Bhuriya",
    now=None,
    language: str = "hi",
    district: str = "jhabua",
) -> str:
    """A submitted application (fee paid unless `status` says otherwise); returns its id."""
    import datetime as dt

    from lokseva.applications import flows
    from lokseva.applications import service as applications
    from lokseva.applications.lifecycle import Status
    from lokseva.db import session_scope
    from lokseva.districts import load_district
    from tests.unit.applications.conftest import valid_aadhaar

    now = now or dt.datetime.now(dt.timezone.utc)
    channel_user_id = channel_user_id or f"citizen-{phone[-6:]}-{uuid.uuid4().hex[:6]}"
    answers = {**ANSWERS, "address_tehsil": tehsil, "applicant_name": name}
    if service in ("birth_certificate", "death_certificate"):
        # Registered within 21 days: no fee, straight to review.
        event = (now - dt.timedelta(days=10)).date().isoformat()
        answers.update(
            subject_name="Sunita Bhuriya",
            subject_gender="female",
            event_date=event,
            event_place="Jhabua",
            mother_name="Sita Bhuriya",
            father_name="Kalu Bhuriya",
        )
    with session_scope(engine) as session:
        citizen = applications.get_or_create_citizen(session, channel_user_id, whatsapp_number=phone, language=language)
        applications.save_draft(
            session,
            citizen,
            service,
            answers,
            aadhaar_digits=valid_aadhaar(),
            language=language,
            district_code=load_district(district).code,
            now=now,
        )
    reference = flows.submit_draft(
        channel_user_id, now=now, district=load_district(district), engine=engine
    ).application.reference
    path = {"fee_pending": [], "paid": ["paid"], "under_review": ["paid", "under_review"]}[status]
    with session_scope(engine) as session:
        application = applications.find_by_reference(session, reference)
        for step in path:
            if application.status in (step, "under_review"):
                continue  # a service without a fee starts under review
            applications.change_status(
                session, application, Status(step), by="payments" if step == "paid" else "system", reason="test", at=now
            )
    return reference
