"""Production settings: `check --deploy` is clean with the documented environment, and the
cookies, HSTS and static files are what docs/operations.md says."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_", "CSRF_"))}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.pop("SESSION_COOKIE_NAME", None)
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_has_no_warning_in_production(tmp_path: Path) -> None:
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_about_the_development_defaults(tmp_path: Path) -> None:
    """The check is live: with the development defaults it does complain."""
    env = production_env(tmp_path, DEBUG="1")
    env.pop("SECRET_KEY")
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "security.W018" in result.stderr  # DEBUG on


PRINT_SETTINGS = """
import django
django.setup()
from django.conf import settings as s
print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,
      s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD,
      s.SECURE_SSL_REDIRECT, s.STORAGES["staticfiles"]["BACKEND"],
      "axes.middleware.AxesMiddleware" == s.MIDDLEWARE[-1],
      s.AUTHENTICATION_BACKENDS[0], s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds())
"""


def test_production_uses_secure_host_prefixed_cookies_hsts_and_whitenoise(tmp_path: Path) -> None:
    result = run(["-c", PRINT_SETTINGS], production_env(tmp_path, AXES_FAILURE_LIMIT="7"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "__Host-sessionid", "__Host-csrftoken", "True", "True", "31536000", "False", "False", "True",
        "whitenoise.storage.CompressedManifestStaticFilesStorage", "True",
        "axes.backends.AxesStandaloneBackend", "7", "900.0",
    ]


def test_development_keeps_plain_cookie_names(tmp_path: Path) -> None:
    env = production_env(tmp_path, DEBUG="1")
    result = run(["-c", PRINT_SETTINGS], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:4] == ["sessionid", "csrftoken", "False", "False"]


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = production_env(tmp_path)
    env.pop("SECRET_KEY")
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_host_cookie_name_without_https_is_refused(tmp_path: Path) -> None:
    env = production_env(tmp_path, SECURE_COOKIES="0", SESSION_COOKIE_NAME="__Host-sessionid")
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "__Host- cookie name needs SECURE_COOKIES=1" in result.stderr


def test_no_repository_files_or_debug_pages_are_served(client, settings):
    settings.DEBUG = False
    for url in ("/.git/config", "/.git/HEAD", "/static/../.git/config", "/.env", "/manage.py",
                "/no-such-page/"):
        response = client.get(url)
        assert response.status_code == 404, url
        body = response.content.decode()
        assert "Traceback" not in body and "URLconf" not in body and "[core]" not in body, url
