"""Security defaults: deploy checks, headers, health check, login lock-out, CSRF, no tracebacks."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_check_deploy_is_clean_under_production_settings(tmp_path: Any) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "industria.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "industria.example.org",
        "INDUSTRIA_VAR_DIR": str(tmp_path),
    }

    result = subprocess.run(
        [sys.executable, "-m", "industria", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_a_missing_secret(tmp_path: Any) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(DJANGO_SETTINGS_MODULE="industria.settings.prod", ALLOWED_HOSTS="x.org", INDUSTRIA_VAR_DIR=str(tmp_path))

    result = subprocess.run(
        [sys.executable, "-m", "industria", "check"], env=env, capture_output=True, text=True, timeout=120, check=False
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_pages_carry_a_content_security_policy(client: Any) -> None:
    response = client.get("/accounts/login/")

    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_templates_contain_no_inline_script() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(p) for p in root.rglob("templates/**/*.html") if "<script>" in p.read_text() or "onclick=" in p.read_text()
    ]

    assert offenders == []


def test_healthz_reports_database_and_broker(client: Any) -> None:
    body = client.get("/healthz").json()

    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True


def test_repeated_failed_logins_lock_the_account_out(client: Any, make_user: Any) -> None:
    make_user("municipal_analyst", username="target")

    statuses = [
        client.post("/accounts/login/", {"username": "target", "password": f"wrong-{i}"}).status_code for i in range(6)
    ]
    locked = client.post("/accounts/login/", {"username": "target", "password": "correct-horse-9"})

    assert statuses[:4] == [200, 200, 200, 200]
    assert locked.status_code == 429
    assert b"Too many failed sign-in attempts" in locked.content


def test_wrong_password_gives_a_clear_message(client: Any, make_user: Any) -> None:
    make_user("municipal_analyst", username="someone")

    response = client.post("/accounts/login/", {"username": "someone", "password": "nope"})

    assert response.status_code == 200
    assert b"user name or password is not correct" in response.content


def test_successful_login_reaches_the_role_home_page(client: Any, make_user: Any) -> None:
    make_user("district_officer", district_code="310115", username="pudong")

    response = client.post("/accounts/login/", {"username": "pudong", "password": "correct-horse-9"}, follow=True)

    assert response.status_code == 200
    assert b'data-role="district_officer"' in response.content
    assert b"Pudong" in response.content


def test_passwords_are_hashed_with_argon2() -> None:
    from django.conf import settings

    assert "Argon2PasswordHasher" in settings.PASSWORD_HASHERS[1]  # [0] is the fast test-only hasher


def test_csrf_is_enforced_on_forms(make_user: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("municipal_admin"))

    response = client.post("/enterprises/add/", {"uscc": "x"})

    assert response.status_code == 403


def test_a_bug_gives_a_friendly_page_not_a_traceback(client: Any, make_user: Any, monkeypatch: Any) -> None:
    from industria.accounts import views

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views, "ROLE_HOME_HINT", None)  # home() will fail on .get
    client.raise_request_exception = False
    client.force_login(make_user("municipal_analyst"))

    response = client.get("/")

    assert response.status_code == 500
    assert b"Traceback" not in response.content
    assert b"Something went wrong on our side" in response.content
