# syntax=docker/dockerfile:1
# Build: docker build -t maharatyar .    Run with PostgreSQL and Redis: docker compose up

FROM python:3.11-slim AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN python -m venv /opt/venv && /opt/venv/bin/pip install --upgrade pip
# Dependencies come from pyproject.toml alone, so a code change reuses this (slow) layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && /opt/venv/bin/pip install -r /tmp/requirements.txt
COPY . .
# The code runs from /app rather than being pip-installed: bot.config.PROJECT_ROOT (hence
# locales/ and data/) is found relative to the source files.
RUN /opt/venv/bin/pybabel compile -d locales -D messages \
    && /opt/venv/bin/python -m compileall -q bot services storage api

FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    SANDBOX_HOST=0.0.0.0 \
    API_HOST=0.0.0.0
RUN useradd --create-home --uid 10001 --user-group app
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /app /app
# Code stays root-owned; only data/ (SQLite file, uploaded documents) is writable by the app.
RUN mkdir -p /app/data/documents /app/data/keys && chown -R app:app /app/data && chmod 700 /app/data/keys
USER app
EXPOSE 8080 8000
# /healthz is served in webhook mode (WEBHOOK_PORT) and by the sandbox (SANDBOX_PORT), both 8080
# by default. Plain long polling opens no HTTP port, so there the check reports unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]
CMD ["python", "-m", "bot", "run"]
