"""Bhashini's pipeline API (MeitY's ULCA / Dhruva): speech to text and text to speech.

The documented contract (bhashini.gitbook.io/bhashini-apis), two calls per task:

1. Pipeline config: POST {BHASHINI_CONFIG_URL} (…/ulca/apis/v0/model/getModelsPipeline)
   with headers `userID` and `ulcaApiKey` and
   {"pipelineTasks": [{"taskType": "asr"|"tts", "config": {"language": {"sourceLanguage": "hi"}}}],
    "pipelineRequestConfig": {"pipelineId": …}}
   -> {"pipelineResponseConfig": [{"taskType", "config": [{"serviceId", "language", …}]}],
       "pipelineInferenceAPIEndPoint": {"callbackUrl", "inferenceApiKey": {"name", "value"}}}
   (the pipeline id itself is found once, with the pipeline search call, when
   the account is set up: BHASHINI_PIPELINE_ID).
2. Pipeline compute: POST {callbackUrl} with the header {name: value} and
   ASR: {"pipelineTasks": [{"taskType": "asr", "config": {"language", "serviceId",
          "audioFormat": "wav", "samplingRate": 16000}}],
         "inputData": {"audio": [{"audioContent": <base64 WAV>}]}}
        -> {"pipelineResponse": [{"taskType": "asr", "output": [{"source": "…"}]}]}
   TTS: {"pipelineTasks": [{"taskType": "tts", "config": {"language", "serviceId", "gender"}}],
         "inputData": {"input": [{"source": "…"}]}}
        -> {"pipelineResponse": [{"taskType": "tts", "audio": [{"audioContent": <base64 WAV>}]}]}

The config answer is kept for an hour (it names the service and the key for
compute). Bhashini's ASR gives no confidence: an empty transcript is the only
"not understood" it reports.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import time
from dataclasses import dataclass
from typing import Any, Dict, Tuple

import aiohttp

from lokseva.settings import Settings
from lokseva.speech import SpeechError, Transcript

CONFIG_TTL_S = 3600.0
TIMEOUT_S = 20.0


@dataclass(frozen=True)
class ComputeEndpoint:
    url: str
    header: Tuple[str, str]
    service_id: str


class BhashiniSpeech:
    """Speech to text and text to speech through one Bhashini pipeline."""

    def __init__(
        self,
        config_url: str,
        user_id: str,
        api_key: str,
        pipeline_id: str,
        timeout: float = TIMEOUT_S,
        voice_gender: str = "female",
    ):
        self.config_url = config_url
        self.user_id = user_id
        self.api_key = api_key
        self.pipeline_id = pipeline_id
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.voice_gender = voice_gender
        self._endpoints: Dict[Tuple[str, str], Tuple[float, ComputeEndpoint]] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> "BhashiniSpeech":
        return cls(
            settings.bhashini_config_url,
            settings.bhashini_user_id,
            settings.bhashini_api_key,
            settings.bhashini_pipeline_id,
        )

    async def _call(self, url: str, headers: Dict[str, str], body: Dict[str, Any]) -> Dict[str, Any]:
        try:
            async with (
                aiohttp.ClientSession(timeout=self.timeout) as session,
                session.post(url, json=body, headers=headers) as resp,
            ):
                if resp.status != 200:
                    raise SpeechError(f"Bhashini answered HTTP {resp.status}: {(await resp.text())[:200]}")
                payload = await resp.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            raise SpeechError(f"Bhashini not reachable: {error!r}") from None
        if not isinstance(payload, dict):
            raise SpeechError("Bhashini's answer is not an object")
        return payload

    async def endpoint(self, task: str, language: str) -> ComputeEndpoint:
        """The pipeline config call, cached: where and with which service to compute."""
        cached = self._endpoints.get((task, language))
        if cached and time.monotonic() - cached[0] < CONFIG_TTL_S:
            return cached[1]
        if not (self.user_id and self.api_key):
            raise SpeechError("BHASHINI_USER_ID and BHASHINI_API_KEY are not set")
        payload = await self._call(
            self.config_url,
            {"userID": self.user_id, "ulcaApiKey": self.api_key},
            {
                "pipelineTasks": [{"taskType": task, "config": {"language": {"sourceLanguage": language}}}],
                "pipelineRequestConfig": {"pipelineId": self.pipeline_id},
            },
        )
        try:
            configs = next(c for c in payload["pipelineResponseConfig"] if c["taskType"] == task)["config"]
            service_id = next(c["serviceId"] for c in configs if c["language"]["sourceLanguage"] == language)
            inference = payload["pipelineInferenceAPIEndPoint"]
            key = inference["inferenceApiKey"]
            found = ComputeEndpoint(inference["callbackUrl"], (key["name"], key["value"]), service_id)
        except (KeyError, TypeError, StopIteration):
            raise SpeechError(f"Bhashini's pipeline has no {task} service for {language!r}") from None
        self._endpoints[(task, language)] = (time.monotonic(), found)
        return found

    async def _compute(
        self, task: str, language: str, config: Dict[str, Any], input_data: Dict[str, Any]
    ) -> Dict[str, Any]:
        where = await self.endpoint(task, language)
        payload = await self._call(
            where.url,
            {where.header[0]: where.header[1]},
            {
                "pipelineTasks": [
                    {
                        "taskType": task,
                        "config": {"language": {"sourceLanguage": language}, "serviceId": where.service_id, **config},
                    }
                ],
                "inputData": input_data,
            },
        )
        try:
            return next(r for r in payload["pipelineResponse"] if r["taskType"] == task)
        except (KeyError, TypeError, StopIteration):
            raise SpeechError(f"Bhashini's answer has no {task} result") from None

    async def transcribe(self, wav: bytes, language: str) -> Transcript:
        result = await self._compute(
            "asr",
            language,
            {"audioFormat": "wav", "samplingRate": 16000},
            {"audio": [{"audioContent": base64.b64encode(wav).decode("ascii")}]},
        )
        try:
            text = result["output"][0]["source"] or ""
        except (KeyError, IndexError, TypeError):
            raise SpeechError("Bhashini's ASR answer has no transcript") from None
        return Transcript(" ".join(str(text).split()))

    async def synthesise(self, text: str, language: str) -> bytes:
        result = await self._compute(
            "tts",
            language,
            {"gender": self.voice_gender},
            {"input": [{"source": text}]},
        )
        try:
            return base64.b64decode(result["audio"][0]["audioContent"], validate=True)
        except (KeyError, IndexError, TypeError, binascii.Error):
            raise SpeechError("Bhashini's TTS answer has no audio") from None
