"""`make run` on another port: the development server and the links in its emails agree on where the portal is.

Each case runs `make --dry-run` on a copy of the Makefile in an empty folder, so a developer's own .env, virtualenv
or environment cannot change what is checked, and nothing is installed (bootstrap is assumed done) or started.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

MAKEFILE = Path(settings.BASE_DIR) / "Makefile"

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed on this machine.")


def dry_run(folder: Path, *args: str, **env: str) -> list[str]:
    shutil.copy(MAKEFILE, folder / "Makefile")
    clean_env = {"PATH": os.environ["PATH"], **env}
    result = subprocess.run(
        ["make", "--dry-run", "--assume-old=bootstrap", "run", *args],
        cwd=folder,
        env=clean_env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


def runserver_line(lines: list[str]) -> str:
    return next(line for line in lines if "manage.py runserver" in line)


def test_make_run_serves_on_8000_with_links_to_8000_by_default(tmp_path):
    line = runserver_line(dry_run(tmp_path))

    assert line.endswith("runserver 127.0.0.1:8000")
    assert "SITE_URL=http://127.0.0.1:8000 " in line


def test_make_run_on_another_port_sends_links_to_that_port(tmp_path):
    lines = dry_run(tmp_path, "PORT=8101")

    assert runserver_line(lines).endswith("runserver 127.0.0.1:8101")
    # Every step that may send an email or write a link (migrate, seed_demo, the server) is told the address.
    manage_lines = [line for line in lines if "manage.py" in line]
    assert len(manage_lines) == 3
    assert all("SITE_URL=http://127.0.0.1:8101 " in line for line in manage_lines)


def test_a_site_url_already_set_is_kept(tmp_path):
    assert "SITE_URL=https://cmdline.example " in runserver_line(dry_run(tmp_path, "SITE_URL=https://cmdline.example"))
    assert "SITE_URL=https://env.example " in runserver_line(dry_run(tmp_path, SITE_URL="https://env.example"))
    # A SITE_URL in .env is read by settings.py; the Makefile must not override it with its own.
    (tmp_path / ".env").write_text("SITE_URL=https://dotenv.example\n")
    assert "SITE_URL" not in runserver_line(dry_run(tmp_path, "PORT=8101"))
