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

from lokseva import serve
from lokseva.settings import ROOT, SECRET_NAMES, Settings, load_settings

DEPLOY = ROOT / "deploy"
KUBERNETES = "1.28.0"
# Secrets beyond the settings' generated ones: connection strings with passwords, API keys.
SECRETS = set(SECRET_NAMES) | {
    "DATABASE_URL",
    "TRACKER_STORE_URL",
    "EVENT_BROKER_URL",
    "CONVERSATION_STREAM_URL",
    "RAZORPAY_KEY_SECRET",
    "RAZORPAY_WEBHOOK_SECRET",
}


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


def helm_command(values: str):
    chart = yaml.safe_load((DEPLOY / "helm" / values).read_text())
    return [*chart["command"], *chart.get("args", [])], {e["name"]: e for e in chart["extraEnv"]}


def processes():
    """(where, argv, env entries by name) of every process deploy/ starts."""
    for name, resource in resources():
        for container in containers(resource):
            if container.get("command"):
                yield (
                    f"{name}:{container['name']}",
                    container["command"],
                    {e["name"]: e for e in container.get("env", [])},
                )
    for values in ("rasa-values.yaml", "action-server-values.yaml"):
        yield (values, *helm_command(values))


def module_run(argv) -> str:
    """The module a `python -m` command ends up running; lokseva.serve's through
    its own parser (an unknown process or job fails here) and command()."""
    assert argv[:2] == ["python", "-m"], argv
    if argv[2] != "lokseva.serve":
        return argv[2]
    settings = load_settings({"LOKSEVA_ENV": "test", "SIGNING_KEY": "deploy-test-signing-key"})
    return serve.command(serve._parser().parse_args(argv[3:]), settings)[2]


def test_the_jobs_and_processes_run_modules_that_exist():
    commands = [argv for _, argv, _ in processes() if argv[0] == "python"]
    modules = [module_run(argv) for argv in commands]
    assert {
        "lokseva.channels.scheduled",
        "lokseva.jobs.reconcile",
        "lokseva.applications.scheduled",
        "lokseva.web",
        "lokseva.portal.stream",
        "rasa_sdk",
        "rasa",
    } <= set(modules)
    for module in modules:
        assert importlib.util.find_spec(module) is not None, module
    schedules = {r["metadata"]["name"]: r["spec"]["schedule"] for _, r in resources() if r["kind"] == "CronJob"}
    assert schedules == {"lokseva-outbox": "* * * * *", "lokseva-reconcile": "* * * * *", "lokseva-purge": "17 * * * *"}


def test_every_server_and_job_starts_through_the_production_entry_point_on_the_pods_address():
    """lokseva.serve checks the configuration first and refuses HOST=0.0.0.0: each
    process gets the pod's own IP from the downward API. Only the migration Job
    (alembic) and the stream consumer (no listening port, no production check) run directly."""
    direct = set()
    for where, argv, env in processes():
        if argv[:3] != ["python", "-m", "lokseva.serve"]:
            direct.add(module_run(argv) if argv[0] == "python" else argv[0])
            continue
        assert env["HOST"] == {"name": "HOST", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}}, where
    assert direct == {"alembic", "lokseva.portal.stream"}
    served = {tuple(argv[3:5]) for _, argv, _ in processes() if argv[:3] == ["python", "-m", "lokseva.serve"]}
    assert served == {
        ("rasa", "--model"),
        ("actions",),
        ("web",),
        ("job", "outbox"),
        ("job", "reconcile"),
        ("job", "purge"),
    }
    config = next(r for _, r in resources() if r["kind"] == "ConfigMap" and r["metadata"]["name"] == "lokseva-config")
    assert "HOST" not in config["data"]
    assert int(config["data"]["PROXIES_COUNT"]) >= 1  # the check refuses a web app that trusts no proxy
    for path in [*(DEPLOY / "k8s").glob("*.yaml"), *(DEPLOY / "helm").glob("*.yaml")]:
        assert "0.0.0.0" not in path.read_text(), path.name


@pytest.mark.skipif(shutil.which("haproxy") is None, reason="scripts/ensure-tools.sh installs haproxy")
def test_haproxy_accepts_the_load_balancer_configuration(tmp_path):
    config = next(r for _, r in resources() if r["metadata"]["name"] == "lokseva-haproxy")["data"]["haproxy.cfg"]
    # Kubernetes' DNS names do not resolve here: the same configuration on local names.
    local = (
        config.replace("lokseva-rasa-pods.lokseva.svc.cluster.local", "localhost")
        .replace("lokseva-web.lokseva.svc.cluster.local", "localhost")
        .replace("parse-resolv-conf", "nameserver dns 127.0.0.1:53")
    )
    (tmp_path / "haproxy.cfg").write_text(local)
    checked = subprocess.run(["haproxy", "-c", "-f", str(tmp_path / "haproxy.cfg")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
