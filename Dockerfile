# The portal's production image: gunicorn serving Django, static files collected at build time and served by
# WhiteNoise. The same image runs the Celery worker and beat (see docker-compose.yml).

# --- Front-end assets: the design system and the font, installed from package-lock.json -------------------------
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
# Runtime assets only: axe-core is a devDependency for the browser tests.
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

# --- The application --------------------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_ROOT_USER_ACTION=ignore \
    WEB_CONCURRENCY=3

# WeasyPrint (certificates as PDF) draws text with Pango; DejaVu is a font it can always find.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 --user-group portal
WORKDIR /app

# Every package pinned with its hash: the image installs exactly what was reviewed.
COPY requirements/base.txt requirements/base.txt
RUN pip install --require-hashes -r requirements/base.txt

COPY --from=assets /build/node_modules node_modules
COPY . .

# The secret key is a placeholder for this one command: settings refuse to start without one, and collectstatic
# needs no real secret. It is not kept in the image's environment.
RUN DJANGO_SECRET_KEY=collectstatic-only-placeholder-not-used-at-run-time python manage.py collectstatic --noinput \
    && mkdir -p var/media \
    && chown -R portal:portal var

USER portal
EXPOSE 8000

# gunicorn reads WEB_CONCURRENCY for its number of workers.
CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
