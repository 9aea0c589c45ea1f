# syntax=docker/dockerfile:1
# Multi-stage: build wheels and static files, then a slim runtime as a non-root user.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
# The runtime dependencies only, at exactly the versions and hashes of requirements.lock: its runtime
# part (jipp/lockfile.py runtime), so the dev tools the lock also pins stay out of the image.
COPY pyproject.toml requirements.lock ./
COPY jipp/lockfile.py jipp/lockfile.py
RUN python jipp/lockfile.py runtime > /tmp/requirements-runtime.txt && python -m venv /venv && \
    /venv/bin/pip install --upgrade pip && /venv/bin/pip install --require-hashes -r /tmp/requirements-runtime.txt
# .dockerignore keeps var/ (secret key, database, media), .venv, .git and local env files out.
COPY . .
# collectstatic and compilemessages need settings; these values exist only at build time.
RUN DEBUG=0 SECRET_KEY=build-only-$(python -c "import secrets;print(secrets.token_hex(32))") \
    DATABASE_URL=postgres://build@localhost/build STATIC_ROOT=/app/staticfiles \
    /venv/bin/python manage.py compilemessages --ignore=.venv -v 0 && \
    DEBUG=0 SECRET_KEY=build-only-$(python -c "import secrets;print(secrets.token_hex(32))") \
    DATABASE_URL=postgres://build@localhost/build STATIC_ROOT=/app/staticfiles \
    /venv/bin/python manage.py collectstatic --noinput -v 0

FROM python:3.11-slim AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/venv/bin:$PATH \
    STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/app/media GUNICORN_BIND=0.0.0.0:8000
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin jipp
WORKDIR /app
COPY --from=build /venv /venv
COPY --from=build --chown=jipp:jipp /app /app
RUN mkdir -p /app/media && chown jipp:jipp /app/media
USER jipp
EXPOSE 8000
# /healthz answers any Host (jipp.ops.middleware.HealthCheckMiddleware), so this probe by address works
# whatever ALLOWED_HOSTS the deployment sets.
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status == 200 else 1)"
CMD ["gunicorn", "jipp.wsgi", "--config", "gunicorn.conf.py"]
# Background-job workers run from this same image with another command (and no HTTP health check):
#   docker run --env-file .env --no-healthcheck --stop-timeout 30 jipp python manage.py procrastinate worker
# SIGTERM stops one gently (the running job finishes within JOB_SHUTDOWN_SECONDS); see docs/deploy.md.
