"""The production settings pass Django's deployment check and send the security headers."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

PRODUCTION_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "frombelow.config.settings.production",
    "DJANGO_ALLOWED_HOSTS": "congress.example",
}


def run_production(script: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run a Python script under the production settings with a fresh secret key."""
    # Not what the browser tests set for themselves in this process: it would be a deploy error.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {
        **inherited,
        **PRODUCTION_ENVIRONMENT,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "FROMBELOW_DATA_DIR": str(data_dir),
    }
    return subprocess.run(
        [sys.executable, "-c", script],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_deployment_check_finds_no_warning(tmp_path: Path) -> None:
    script = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('check', deploy=True, fail_level='WARNING')\n"
    )
    checked = run_production(script, tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "no issues" in checked.stdout + checked.stderr


def test_production_sends_hsts_and_the_policy_and_refuses_plain_http(tmp_path: Path) -> None:
    script = (
        "import json, django; django.setup()\n"
        "from django.test import Client\n"
        "client = Client(HTTP_HOST='congress.example')\n"
        "plain = client.get('/api/v1/health')\n"
        "secure = client.get('/api/v1/health', secure=True)\n"
        "from django.conf import settings\n"
        "print(json.dumps({'plain': plain.status_code, 'location': plain.get('Location'),\n"
        "  'status': secure.status_code, 'headers': dict(secure.headers),\n"
        "  'session_secure': settings.SESSION_COOKIE_SECURE,\n"
        "  'csrf_secure': settings.CSRF_COOKIE_SECURE}))\n"
    )
    ran = run_production(script, tmp_path)
    assert ran.returncode == 0, ran.stderr
    seen = json.loads(ran.stdout.strip().splitlines()[-1])
    assert seen["plain"] == 301
    assert seen["location"] == "https://congress.example/api/v1/health"
    assert seen["status"] == 200
    assert seen["headers"]["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "script-src 'self'" in seen["headers"]["Content-Security-Policy"]
    assert seen["session_secure"] is True
    assert seen["csrf_secure"] is True


def test_the_production_settings_refuse_to_start_without_a_secret_key(tmp_path: Path) -> None:
    environment = {**os.environ, **PRODUCTION_ENVIRONMENT, "FROMBELOW_DATA_DIR": str(tmp_path)}
    environment.pop("DJANGO_SECRET_KEY", None)
    ran = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert ran.returncode != 0
    assert "DJANGO_SECRET_KEY" in ran.stderr


def policy_directives(header: str) -> dict[str, list[str]]:
    """Split a Content-Security-Policy header into its directives."""
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.mark.django_db
def test_every_page_allows_scripts_and_styles_only_from_our_own_origin() -> None:
    response = Client().get("/api/v1/health")
    directives = policy_directives(response.headers["Content-Security-Policy"])
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in source for sources in directives.values() for source in sources)
