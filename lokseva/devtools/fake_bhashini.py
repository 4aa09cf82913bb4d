"""A local fake of Bhashini's pipeline API (config and compute), for `make run` and tests.

It implements the contract lokseva.speech.bhashini speaks: the pipeline config
call (headers userID and ulcaApiKey, 401 when wrong, a pipelineResponseConfig
with a serviceId per language and the compute endpoint with its inference key)
and the compute call (the inference key's header, 401 when wrong, 400 for a
malformed request, ASR and TTS answers shaped like Bhashini's).

It cannot understand speech, and does not pretend to. Speech to text answers
with a transcript it can know honestly: one registered for the audio's sha256
(of the 16 kHz WAV it receives) by the test or the simulator that recorded it
(POST /_fake/transcripts). Any other audio gets an empty transcript, which is
how Bhashini says it heard nothing usable. Text to speech is real: espeak-ng's
voice, as a WAV, base64 in the answer.

Test hooks under /_fake/:
- POST /_fake/transcripts {"sha256", "text"}          what a recording says
- POST /_fake/fail {"status": 500|503|401…, "times": N, "task": "asr"|"tts"|"config"}
- GET  /_fake/requests                                 what was asked (tasks, languages, sizes)
- GET  /_fake/health

    python -m lokseva.devtools.fake_bhashini            # port FAKE_BHASHINI_PORT
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import logging
import secrets
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Deque, Dict, List, Optional, Tuple

from aiohttp import web

from lokseva.settings import get_settings
from lokseva.speech import SpeechError
from lokseva.speech.espeak import EspeakSpeech

logger = logging.getLogger("fake_bhashini")

CONFIG_PATH = "/ulca/apis/v0/model/getModelsPipeline"
COMPUTE_PATH = "/services/inference/pipeline"
SERVICES = {  # the services Bhashini's documentation shows for these tasks
    ("asr", "hi"): "ai4bharat/conformer-hi-gpu--t4",
    ("asr", "en"): "ai4bharat/whisper-medium-en--gpu--t4",
    ("tts", "hi"): "ai4bharat/indic-tts-coqui-indo_aryan-gpu--t4",
    ("tts", "en"): "ai4bharat/indic-tts-coqui-misc-gpu--t4",
}


@dataclass
class FakeBhashini:
    user_id: str
    api_key: str
    base_url: str = ""
    inference_key: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    transcripts: Dict[str, str] = field(default_factory=dict)
    failures: Deque[Tuple[str, int]] = field(default_factory=deque)
    requests: List[Dict[str, Any]] = field(default_factory=list)

    def _failure(self, task: str) -> Optional[web.Response]:
        for i, (failing_task, status) in enumerate(self.failures):
            if failing_task in (task, "any"):
                del self.failures[i]
                return web.json_response(
                    {"detail": {"kind": "ServerError", "message": "failure on demand"}}, status=status
                )
        return None

    @staticmethod
    def _task(body: Any) -> Tuple[str, str, Dict[str, Any]]:
        task = body["pipelineTasks"][0]
        config = task.get("config") or {}
        return task["taskType"], config["language"]["sourceLanguage"], config

    async def config(self, request: web.Request) -> web.Response:
        if request.headers.get("userID") != self.user_id or not secrets.compare_digest(
            request.headers.get("ulcaApiKey", ""), self.api_key
        ):
            return web.json_response({"message": "Invalid user id or api key"}, status=401)
        try:
            body = await request.json()
            task, language, _ = self._task(body)
            body["pipelineRequestConfig"]["pipelineId"]
        except (ValueError, KeyError, IndexError, TypeError):
            return web.json_response({"message": "Invalid request"}, status=400)
        self.requests.append({"call": "config", "task": task, "language": language})
        failed = self._failure("config")
        if failed is not None:
            return failed
        service = SERVICES.get((task, language))
        return web.json_response(
            {
                "languages": [{"sourceLanguage": language, "targetLanguageList": []}],
                "pipelineResponseConfig": [
                    {
                        "taskType": task,
                        "config": [
                            {
                                "serviceId": service,
                                "modelId": hashlib.md5(service.encode()).hexdigest()[:24],
                                "language": {"sourceLanguage": language},
                                "domain": ["general"],
                            }
                        ]
                        if service
                        else [],
                    }
                ],
                "pipelineInferenceAPIEndPoint": {
                    "callbackUrl": self.base_url + COMPUTE_PATH,
                    "inferenceApiKey": {"name": "Authorization", "value": self.inference_key},
                    "isMultilingualEnabled": True,
                    "isSyncApi": True,
                },
            }
        )

    async def compute(self, request: web.Request) -> web.Response:
        if not secrets.compare_digest(request.headers.get("Authorization", ""), self.inference_key):
            return web.json_response({"detail": {"kind": "InvalidAPIKey", "message": "Invalid API key"}}, status=401)
        try:
            body = await request.json()
            task, language, config = self._task(body)
            if config.get("serviceId") != SERVICES.get((task, language)):
                raise KeyError("serviceId")
            data = body["inputData"]
        except (ValueError, KeyError, IndexError, TypeError):
            return web.json_response({"detail": {"kind": "InvalidRequest", "message": "Invalid request"}}, status=400)
        failed = self._failure(task)
        if failed is not None:
            self.requests.append({"call": "compute", "task": task, "language": language, "failed": True})
            return failed
        if task == "asr":
            try:
                audio = base64.b64decode(data["audio"][0]["audioContent"], validate=True)
            except (KeyError, IndexError, TypeError, binascii.Error):
                return web.json_response({"detail": {"kind": "InvalidRequest", "message": "audioContent"}}, status=400)
            digest = hashlib.sha256(audio).hexdigest()
            self.requests.append(
                {
                    "call": "compute",
                    "task": task,
                    "language": language,
                    "sha256": digest,
                    "bytes": len(audio),
                    "known": digest in self.transcripts,
                }
            )
            return web.json_response(
                {
                    "pipelineResponse": [
                        {
                            "taskType": "asr",
                            "config": {**config, "language": {"sourceLanguage": language}},
                            "output": [{"source": self.transcripts.get(digest, "")}],
                            "audio": None,
                        }
                    ]
                }
            )
        if task == "tts":
            try:
                text = data["input"][0]["source"]
                wav = await EspeakSpeech().synthesise(text, language)
            except (KeyError, IndexError, TypeError):
                return web.json_response({"detail": {"kind": "InvalidRequest", "message": "input"}}, status=400)
            except SpeechError as error:
                return web.json_response({"detail": {"kind": "ServerError", "message": str(error)}}, status=500)
            self.requests.append({"call": "compute", "task": task, "language": language, "chars": len(text)})
            return web.json_response(
                {
                    "pipelineResponse": [
                        {
                            "taskType": "tts",
                            "config": {**config, "audioFormat": "wav", "samplingRate": 22050},
                            "output": None,
                            "audio": [{"audioContent": base64.b64encode(wav).decode("ascii")}],
                        }
                    ]
                }
            )
        return web.json_response({"detail": {"kind": "InvalidRequest", "message": f"task {task}"}}, status=400)

    async def register(self, request: web.Request) -> web.Response:
        data = await request.json()
        self.transcripts[str(data["sha256"])] = str(data["text"])
        return web.json_response({"registered": len(self.transcripts)})

    async def fail(self, request: web.Request) -> web.Response:
        data = await request.json()
        status = int(data.get("status", 500))
        self.failures.extend((str(data.get("task", "any")), status) for _ in range(int(data.get("times", 1))))
        return web.json_response({"failures": len(self.failures)})

    async def list_requests(self, request: web.Request) -> web.Response:
        return web.json_response({"requests": self.requests})

    async def health(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    def app(self) -> web.Application:
        app = web.Application(client_max_size=16 * 1024 * 1024)
        app.router.add_post(CONFIG_PATH, self.config)
        app.router.add_post(COMPUTE_PATH, self.compute)
        app.router.add_post("/_fake/transcripts", self.register)
        app.router.add_post("/_fake/fail", self.fail)
        app.router.add_get("/_fake/requests", self.list_requests)
        app.router.add_get("/_fake/health", self.health)
        return app


async def start_fake_bhashini(
    user_id: str, api_key: str, host: str = "127.0.0.1", port: int = 0
) -> Tuple[FakeBhashini, web.AppRunner]:
    """Starts the fake inside the running event loop (tests); returns it and its runner."""
    fake = FakeBhashini(user_id, api_key)
    runner = web.AppRunner(fake.app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    fake.base_url = f"http://{host}:{site._server.sockets[0].getsockname()[1]}"
    return fake, runner


def main(argv: Optional[list] = None) -> None:
    settings = get_settings()
    parser = argparse.ArgumentParser(description="Local fake of Bhashini's pipeline API")
    parser.add_argument("--host", default=settings.host)
    parser.add_argument("--port", type=int, default=settings.fake_bhashini_port)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    fake = FakeBhashini(settings.bhashini_user_id, settings.bhashini_api_key)
    fake.base_url = f"http://{args.host}:{args.port}"
    web.run_app(fake.app(), host=args.host, port=args.port, access_log=None, print=None)


if __name__ == "__main__":
    main()
