"""The bootstrap scripts behind `make run` and `make test`."""

import subprocess

from lokseva.settings import ROOT


def test_missing_python_310_is_explained():
    result = subprocess.run(
        ["/bin/bash", str(ROOT / "scripts" / "find-python.sh")],
        env={"PATH": "/usr/bin:/bin", "PYTHON": ""},
        capture_output=True,
        text=True,
    )
    if result.returncode == 0 and result.stdout.strip() in ("/usr/bin/python3.10", "/usr/local/bin/python3.10"):
        return  # a system-wide 3.10 exists on this machine: nothing to explain
    assert result.returncode == 1
    assert "Python 3.10 was not found" in result.stderr
    assert "apt-get install python3.10" in result.stderr and "PYTHON=" in result.stderr


def test_a_wrong_python_is_not_accepted(tmp_path):
    fake = tmp_path / "python3.10"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    result = subprocess.run(
        ["/bin/bash", str(ROOT / "scripts" / "find-python.sh")],
        env={"PATH": f"{tmp_path}:/usr/bin:/bin", "PYTHON": str(fake)},
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() != str(fake)


def test_lock_pins_every_package_exactly():
    lines = [
        line for line in (ROOT / "requirements.lock").read_text().splitlines() if line and not line.startswith("#")
    ]
    assert len(lines) > 100
    assert all("==" in line for line in lines), [line for line in lines if "==" not in line]
    direct = [
        line.split("#")[0].strip()
        for line in (ROOT / "requirements.in").read_text().splitlines()
        if line.split("#")[0].strip()
    ]
    locked = {line.split("==")[0].lower().replace("_", "-") for line in lines}
    for requirement in direct:
        name = requirement.split("==")[0].split("[")[0].lower().replace("_", "-")
        assert name in locked, f"{name} is in requirements.in but not in requirements.lock: run make lock"
