import os
import subprocess
import sys

import pytest
from django.conf import settings

GOOD_KEY = "k" * 30 + "-production-secret-" + "z" * 20


def run_in_production(command, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for this process only.
        if key
        not in {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "BPD_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update({"BPD_ENV": "production", **env})
    return subprocess.run(
        [sys.executable, *command],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


SETUP = ["-c", "import django; django.setup()"]


def test_production_refuses_to_start_without_secret_key():
    result = run_in_production(SETUP, DJANGO_ALLOWED_HOSTS="bpd.example")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = run_in_production(SETUP, DJANGO_SECRET_KEY="short", DJANGO_ALLOWED_HOSTS="bpd.example")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("hosts", ["", "*"])
def test_production_refuses_to_start_without_allowed_hosts(hosts):
    result = run_in_production(SETUP, DJANGO_SECRET_KEY=GOOD_KEY, DJANGO_ALLOWED_HOSTS=hosts)

    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_settings_pass_deploy_checks_without_warnings():
    result = run_in_production(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SECRET_KEY=GOOD_KEY,
        DJANGO_ALLOWED_HOSTS="bpd.example",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_unknown_environment_name_is_refused():
    result = run_in_production(SETUP, BPD_ENV="staging")

    assert result.returncode != 0
    assert "BPD_ENV" in result.stderr
