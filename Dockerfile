# Production image: gunicorn serving config.wsgi on port 8000, static files served by
# WhiteNoise, the same image runs the Celery worker and beat (see docker-compose.yml).
# Everything comes from package registries; nothing is fetched from a CDN.

# --- Front-end packages (jQuery UI for the admin's translation tabs) ----------------------
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# --- Python packages, message catalogues and static files ----------------------------------
FROM python:3.13-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

# Dependencies first, so that a code change does not reinstall them. The project itself is not
# a package: installing "." installs only its dependencies, at the versions requirements.lock pins.
WORKDIR /build
COPY pyproject.toml README.md requirements.lock ./
RUN pip install --upgrade pip && pip install -c requirements.lock .

WORKDIR /app
COPY . .
COPY --from=assets /build/node_modules/jquery-ui ./node_modules/jquery-ui
RUN mkdir -p locale \
    && DJANGO_SETTINGS_MODULE=config.settings.local \
       python manage.py compilemessages --ignore=node_modules
# collectstatic imports the production settings, which refuse to load without SECRET_KEY: this
# throwaway value exists only for this build step and is not kept in the image.
RUN SECRET_KEY=collectstatic-build-step-only DJANGO_SETTINGS_MODULE=config.settings.production \
    python manage.py collectstatic --noinput --verbosity=0

# --- Runtime ------------------------------------------------------------------------------
FROM python:3.13-slim-bookworm
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    MEDIA_ROOT=/data/media
# WeasyPrint (the grant agreement's PDF) needs Pango and HarfBuzz; DejaVu covers Cyrillic and
# accented Latin.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system app \
    && useradd --system --gid app --home-dir /app --no-create-home app \
    && mkdir -p /data/media \
    && chown app:app /data/media
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
