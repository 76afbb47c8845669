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
        not in {
            "DJANGO_SECRET_KEY",
            "DJANGO_ALLOWED_HOSTS",
            "BPD_ENV",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "PYTEST_VERSION",  # a production process is not a test run
            "REDIS_URL",
            "BPD_SINGLE_MACHINE",
        }
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


def test_production_refuses_a_per_process_cache():
    """Finding (issue 8): production ran with one private cache per worker."""
    result = run_in_production(
        SETUP, DJANGO_SECRET_KEY=GOOD_KEY, DJANGO_ALLOWED_HOSTS="bpd.example"
    )

    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr
    assert "BPD_SINGLE_MACHINE" in result.stderr


SHARED_STATE = [
    pytest.param({"REDIS_URL": "redis://127.0.0.1:6379/0"}, id="redis"),
    pytest.param({"BPD_SINGLE_MACHINE": "1"}, id="single-machine"),
]

SHOW_STATE = [
    "-c",
    "import django; django.setup(); from django.conf import settings; "
    "from huey.contrib.djhuey import HUEY; "
    "print(settings.CACHES['default']['BACKEND'], type(HUEY).__name__, HUEY.immediate)",
]


@pytest.mark.parametrize("shared", SHARED_STATE)
def test_production_shares_cache_and_queue_between_processes(shared):
    result = run_in_production(
        SHOW_STATE, DJANGO_SECRET_KEY=GOOD_KEY, DJANGO_ALLOWED_HOSTS="bpd.example", **shared
    )

    assert result.returncode == 0, result.stderr
    cache_backend, queue, immediate = result.stdout.split()
    assert "LocMem" not in cache_backend
    if "REDIS_URL" in shared:
        assert (cache_backend, queue) == (
            "django.core.cache.backends.redis.RedisCache",
            "PriorityRedisHuey",
        )
    else:
        assert (cache_backend, queue) == ("bpd.background.cache.SharedFileCache", "SqliteHuey")
    assert immediate == "False"


@pytest.mark.parametrize("shared", SHARED_STATE)
def test_production_settings_pass_deploy_checks_without_warnings(shared):
    result = run_in_production(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SECRET_KEY=GOOD_KEY,
        DJANGO_ALLOWED_HOSTS="bpd.example",
        **shared,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_unknown_environment_name_is_refused():
    result = run_in_production(SETUP, BPD_ENV="staging")

    assert result.returncode != 0
    assert "BPD_ENV" in result.stderr
