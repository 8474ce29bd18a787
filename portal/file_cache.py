"""Large values that are the same for everyone, kept as files on this server's disk, so they can be sent with
`FileResponse` (gunicorn then uses sendfile: the kernel copies the file to the socket, Python never touches it).

    path = cached_file("pledges", "register.csv", lambda: build_csv_bytes())
    return FileResponse(path.open("rb"), content_type="text/csv; charset=utf-8")

A file's name holds the current versions of its namespaces (portal.cache.versions), so a `bump()` in any process on
any server makes the next request write a new file: each server keeps its own copy of what the shared cache
holds, never older. Files of older versions are deleted when a newer one is written (a request still sending one
has it open, which Linux allows). Written to a temporary name and renamed into place, so no one reads half a file.
"""

import os
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.db import connection

from portal.cache import digest, versions


def _directory() -> Path:
    directory = Path(settings.FILE_CACHE_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def version_tag(namespace: str | Iterable[str], name: str) -> str:
    """A short tag for `name` at the current versions of `namespace` (and this database): the file's name, and an
    ETag for it."""
    names = [namespace] if isinstance(namespace, str) else list(namespace)
    return digest(f"{connection.settings_dict['NAME']}:{versions(names)}:{name}")


def cached_file(namespace: str | Iterable[str], name: str, builder: Callable[[], bytes]) -> Path:
    """The path of a file holding `builder()`'s bytes for the current versions of `namespace`; built on a miss.

    `name` is a plain file name ("register.csv"): it starts the file's name, so older versions can be found."""
    directory = _directory()
    path = directory / f"{name}.{version_tag(namespace, name)}"
    if path.exists():
        return path
    data = builder()
    temporary = directory / f".{name}.{uuid.uuid4().hex}.tmp"
    temporary.write_bytes(data)
    os.replace(temporary, path)
    for old in directory.glob(f"{name}.*"):
        if old != path:
            old.unlink(missing_ok=True)
    return path
