"""docker-compose.yml and the Dockerfile describe a stack that can run this project.

There is no Docker engine in CI, so these tests read the files and check each reference against the project itself:
the modules and apps the commands name exist, the settings read the variables the stack sets, and the images are the
versions the README promises.
"""

import re
import shlex
from pathlib import Path

import environ
import pytest
import yaml
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
APP_SERVICES = ("migrate", "web", "worker", "beat")


def compose_default(value: str) -> str:
    """What compose substitutes for `${NAME:-default}` (and `${NAME:?error}`) with nothing set in the environment."""

    def replace(match: re.Match) -> str:
        return match.group("default") or ""

    return re.sub(r"\$\{(?P<name>\w+)(?::?[-?](?P<default>[^}]*))?\}", replace, value)


def command_of(service: dict) -> list[str]:
    command = service.get("command", [])
    return shlex.split(command) if isinstance(command, str) else [str(part) for part in command]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


@pytest.fixture(scope="module")
def dockerfile() -> str:
    """The Dockerfile with each instruction on one line (continuation lines joined)."""
    return (BASE_DIR / "Dockerfile").read_text().replace("\\\n", " ")


def test_the_stack_has_every_part_of_the_portal(services):
    assert {"web", "worker", "beat", "postgres", "redis", "mailpit"} <= set(services)


def test_images_are_postgresql_16_redis_7_and_mailpit(services):
    assert services["postgres"]["image"].split(":")[1].split(".")[0].split("-")[0] == "16"
    assert services["redis"]["image"].split(":")[1].split(".")[0].split("-")[0] == "7"
    assert services["mailpit"]["image"].startswith("axllent/mailpit")


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_are_built_from_the_dockerfile(services, name):
    assert services[name]["build"] == "."


def test_web_serves_the_wsgi_application_with_gunicorn(services):
    command = command_of(services["web"])
    assert command[0] == "gunicorn"
    module = next(part for part in command[1:] if not part.startswith("-"))
    assert module == settings.WSGI_APPLICATION.rsplit(".", 1)[0] == "portal.wsgi"
    assert (BASE_DIR / "portal" / "wsgi.py").is_file()


def test_worker_and_beat_run_the_portal_celery_app(services):
    from portal import celery_app

    assert command_of(services["worker"])[:4] == ["celery", "-A", "portal", "worker"]
    assert command_of(services["beat"])[:4] == ["celery", "-A", "portal", "beat"]
    assert celery_app.main == "portal"


def test_the_worker_consumes_the_control_queue_and_the_bulk_email_queue(services, settings):
    command = command_of(services["worker"])
    assert set(command[command.index("-Q") + 1].split(",")) == {"celery", settings.OUTBOX_BULK_QUEUE}
    assert "-Q celery,outbox" in (BASE_DIR / "Makefile").read_text()


def test_migrations_run_once_before_the_app_starts(services):
    command = command_of(services["migrate"])
    assert command[:3] == ["python", "manage.py", "migrate"]
    assert (BASE_DIR / "manage.py").is_file()
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_every_dependency_waits_for_a_service_that_exists_and_is_checked(services):
    for name, service in services.items():
        for dependency, condition in service.get("depends_on", {}).items():
            assert dependency in services, f"{name} depends on {dependency}, which is not a service"
            if condition["condition"] == "service_healthy":
                assert "healthcheck" in services[dependency], f"{name} waits for {dependency} to be healthy"


@pytest.mark.parametrize("name", ["web", "worker", "postgres", "redis", "mailpit"])
def test_long_running_services_have_a_healthcheck(services, name):
    assert services[name]["healthcheck"]["test"]


def test_web_healthcheck_asks_the_health_endpoint(services):
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_app_services_connect_to_the_services_in_the_stack(services):
    for name in APP_SERVICES:
        env = {key: compose_default(str(value)) for key, value in services[name]["environment"].items()}
        database = environ.Env.db_url_config(env["DATABASE_URL"])
        assert database["ENGINE"] == "django.db.backends.postgresql"
        assert database["HOST"] == "postgres"
        assert database["NAME"] == services["postgres"]["environment"]["POSTGRES_DB"]
        assert database["USER"] == services["postgres"]["environment"]["POSTGRES_USER"]
        assert env["REDIS_URL"].startswith("redis://redis:6379/")
        email = environ.Env.email_url_config(env["EMAIL_URL"])
        assert (email["EMAIL_HOST"], email["EMAIL_PORT"]) == ("mailpit", 1025)
        assert env["DJANGO_SECRET_KEY"], "compose refuses to start without a secret key rather than use a blank one"


def test_app_services_set_only_variables_the_settings_read(services):
    """A misspelt variable name would be silently ignored by the portal."""
    read = set(
        re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", (BASE_DIR / "portal" / "settings.py").read_text())
    )
    for name in APP_SERVICES:
        assert set(services[name]["environment"]) <= read


def test_dockerfile_builds_assets_with_npm_and_installs_pinned_requirements(dockerfile):
    assert re.search(r"^FROM node:\d+\S* AS assets$", dockerfile, re.MULTILINE)
    assert "npm ci" in dockerfile
    assert re.search(r"^FROM python:3\.1[1-9]-slim", dockerfile, re.MULTILINE)
    assert "pip install --require-hashes -r requirements/base.txt" in dockerfile
    for copied in ("package.json", "package-lock.json", "requirements/base.txt"):
        assert (BASE_DIR / copied).is_file()


def test_dockerfile_collects_static_files_and_runs_gunicorn_as_a_normal_user(dockerfile):
    assert "manage.py collectstatic --noinput" in dockerfile
    users = re.findall(r"^USER (\S+)$", dockerfile, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    assert re.search(r'^CMD \["gunicorn", "portal\.wsgi"', dockerfile, re.MULTILINE)
    # The build-time placeholder key must never become the image's environment.
    assert not re.search(r"^ENV\b[^\n]*DJANGO_SECRET_KEY", dockerfile, re.MULTILINE)


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = set((BASE_DIR / ".dockerignore").read_text().split())
    assert {".env", ".git", ".venv", "node_modules", "var"} <= ignored
