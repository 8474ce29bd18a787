"""Production settings pass Django's deployment checks, and every setting the environment can change is documented.

The checks run `manage.py` in a fresh process with `portal.settings` (not the test settings) and production-like
variables, the way gunicorn would start it.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def settings_variables() -> set[str]:
    """Every environment variable portal/settings.py reads, e.g. `env.bool("DJANGO_DEBUG", ...)`."""
    source = (BASE_DIR / "portal" / "settings.py").read_text()
    return set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", source))


def production_env(**overrides: str) -> dict[str, str]:
    # Nothing from the test run leaks in: not its settings module, database or DJANGO_ALLOW_ASYNC_UNSAFE.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in settings_variables() and not key.startswith("DJANGO_")
    }
    env.update(
        # pytest-django exported the test settings; gunicorn would use the real ones.
        DJANGO_SETTINGS_MODULE="portal.settings",
        # Explicit, so a developer's .env (read by settings.py for anything not set) cannot turn on debug.
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="portal.example.org",
        DJANGO_SECURE_SSL_REDIRECT="true",
        DJANGO_HSTS_SECONDS="31536000",
        SITE_URL="https://portal.example.org",
        # Production's cache is Redis (rate limits must count across processes); checks never connect to it.
        REDIS_URL="redis://redis.example.org:6379/0",
    )
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_local_site_url_fails_the_deploy_checks():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env(SITE_URL="http://127.0.0.1:8000")
    )
    assert result.returncode != 0
    assert "portal.W001" in result.stderr + result.stdout


def test_production_settings_pass_the_deploy_checks_without_warnings():
    env = production_env()
    assert len(env["DJANGO_SECRET_KEY"]) >= 50

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_the_deploy_checks_fail_on_a_weakened_setting():
    """The same command does fail when production is misconfigured, so the test above can catch a regression."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(DJANGO_HSTS_SECONDS="0"))

    assert result.returncode != 0
    assert "security.W004" in result.stderr


def test_settings_refuse_to_start_without_a_secret_key_outside_debug():
    result = manage("check", env=production_env(DJANGO_SECRET_KEY=""))

    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("document", [".env.example", "README.md"])
def test_every_environment_variable_is_documented(document):
    text = (BASE_DIR / document).read_text()
    variables = settings_variables()
    assert {"DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"} <= variables

    missing = sorted(name for name in variables if not re.search(rf"\b{name}\b", text))

    assert not missing, f"{document} does not describe {', '.join(missing)}"


def test_env_example_gives_each_variable_its_own_comment():
    lines = (BASE_DIR / ".env.example").read_text().splitlines()
    for name in settings_variables():
        index = next(i for i, line in enumerate(lines) if re.match(rf"#?\s*{name}=", line))
        assert lines[index - 1].startswith("#"), f"{name} in .env.example has no comment above it"


def direct_dependencies() -> set[str]:
    """Every package named in requirements/*.in and package.json: the ones the project chose itself."""
    names = set()
    for path in sorted((BASE_DIR / "requirements").glob("*.in")):
        for line in path.read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if line and not line.startswith("-"):
                names.add(re.match(r"[A-Za-z0-9_.\-]+", line).group(0))
    package = json.loads((BASE_DIR / "package.json").read_text())
    names |= set(package.get("dependencies", {})) | set(package.get("devDependencies", {}))
    return names


def test_readme_says_why_each_direct_dependency_is_there():
    table = {
        match.group(1).split("[")[0].lower()
        for match in re.finditer(r"^\| ([^ |]+) \| `[^`]+`", (BASE_DIR / "README.md").read_text(), re.MULTILINE)
    }
    dependencies = direct_dependencies()
    assert {"Django", "celery", "@scottish-government/design-system"} <= dependencies

    missing = sorted(name for name in dependencies if name.lower() not in table)

    assert not missing, f"README.md's dependency table does not list {', '.join(missing)}"
