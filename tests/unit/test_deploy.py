"""deploy/: every Kubernetes manifest valid against the Kubernetes schemas (offline,
kubernetes-validate), secrets only as references, commands that exist, and the
HAProxy configuration one that HAProxy accepts."""
import importlib.util
import re
import shutil
import subprocess
from dataclasses import fields

import pytest
import yaml

from lokseva.settings import ROOT, SECRET_NAMES, Settings

DEPLOY = ROOT / "deploy"
KUBERNETES = "1.28.0"
# Secrets beyond the settings' generated ones: connection strings with passwords, API keys.
SECRETS = set(SECRET_NAMES) | {"DATABASE_URL", "TRACKER_STORE_URL", "EVENT_BROKER_URL", "CONVERSATION_STREAM_URL",
                               "RAZORPAY_KEY_SECRET", "RAZORPAY_WEBHOOK_SECRET"}


def resources():
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text()):
            if document:
                yield path.name, document


def containers(resource):
    spec = resource.get("spec", {})
    if resource["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec.get("template", {}).get("spec", {}).get("containers", [])


def test_every_manifest_is_valid_kubernetes():
    import kubernetes_validate

    checked = 0
    for name, resource in resources():
        try:
            kubernetes_validate.validate(resource, KUBERNETES, strict=True)
        except kubernetes_validate.ValidationError as error:
            pytest.fail(f"{name}: {resource['kind']}/{resource['metadata']['name']}: {error.message}")
        checked += 1
    kinds = {resource["kind"] for _, resource in resources()}
    assert {"Deployment", "CronJob", "Job", "Service", "Ingress", "ConfigMap", "PodDisruptionBudget"} <= kinds
    assert checked >= 15


def test_every_long_running_container_has_probes_and_resources():
    for name, resource in resources():
        for container in containers(resource):
            assert container["resources"]["requests"] and container["resources"]["limits"]["memory"], name
            if resource["kind"] == "Deployment" and container.get("ports"):
                assert container["readinessProbe"] and container["livenessProbe"], (name, container["name"])


def test_secrets_are_references_and_settings_are_known():
    known = {f.name.upper() for f in fields(Settings)} | {"LOKSEVA_ENV", "HOST", "SANIC_PROXIES_COUNT"}
    config = next(r for _, r in resources() if r["kind"] == "ConfigMap" and r["metadata"]["name"] == "lokseva-config")
    assert set(config["data"]) <= known
    assert not set(config["data"]) & SECRETS
    for path in [*sorted((DEPLOY / "k8s").glob("*.yaml")), *sorted((DEPLOY / "helm").glob("*.yaml"))]:
        text = path.read_text()
        for secret in SECRETS:
            # name: SECRET then value: …  would put the secret in the repository
            assert not re.search(rf"name: {secret}\n\s+value:", text), (path.name, secret)
    for values in sorted((DEPLOY / "helm").glob("*.yaml")):
        env = {e["name"]: e for e in yaml.safe_load(values.read_text())["extraEnv"]}
        for secret in SECRETS & set(env):
            assert env[secret]["valueFrom"]["secretKeyRef"]["name"] == "lokseva-secrets"
        assert set(SECRET_NAMES) <= set(env), values.name


def test_the_jobs_and_processes_run_modules_that_exist():
    commands = [c["command"] for _, r in resources() for c in containers(r) if c.get("command")]
    commands += [yaml.safe_load((DEPLOY / "helm" / "action-server-values.yaml").read_text())["command"]]
    modules = [command[2] for command in commands if command[:2] == ["python", "-m"]]
    assert {"lokseva.channels.scheduled", "lokseva.jobs.reconcile", "lokseva.applications.scheduled",
            "lokseva.web", "lokseva.portal.stream", "rasa_sdk"} <= set(modules)
    for module in modules:
        assert importlib.util.find_spec(module) is not None, module
    schedules = {r["metadata"]["name"]: r["spec"]["schedule"] for _, r in resources() if r["kind"] == "CronJob"}
    assert schedules == {"lokseva-outbox": "* * * * *", "lokseva-reconcile": "* * * * *",
                         "lokseva-purge": "17 * * * *"}


@pytest.mark.skipif(shutil.which("haproxy") is None, reason="scripts/ensure-tools.sh installs haproxy")
def test_haproxy_accepts_the_load_balancer_configuration(tmp_path):
    config = next(r for _, r in resources() if r["metadata"]["name"] == "lokseva-haproxy")["data"]["haproxy.cfg"]
    # Kubernetes' DNS names do not resolve here: the same configuration on local names.
    local = config.replace("lokseva-rasa-pods.lokseva.svc.cluster.local", "localhost").replace(
        "lokseva-web.lokseva.svc.cluster.local", "localhost").replace("parse-resolv-conf", "nameserver dns 127.0.0.1:53")
    (tmp_path / "haproxy.cfg").write_text(local)
    checked = subprocess.run(["haproxy", "-c", "-f", str(tmp_path / "haproxy.cfg")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
