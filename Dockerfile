# Samhus production image: gunicorn serves the portal; the same image runs the
# Celery worker and beat (see docker-compose.yml for how each is started).
FROM python:3.11-slim-bookworm

# uv installs the locked dependencies into /app/.venv using the image's own
# Python; byte-code is compiled once here because the runtime user cannot
# write into the virtualenv.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv

RUN pip install --no-cache-dir "uv==0.13.9"

WORKDIR /app

# Dependencies first: this layer is rebuilt only when the lock changes.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project --no-cache

COPY . .

# Samhus keeps its writable state under SAMHUS_VAR_DIR; uploads go to the
# media volume inside it. Static files are collected into the image, outside
# var/, so a volume mounted over var/ never hides them.
ENV PATH=/app/.venv/bin:$PATH \
    SAMHUS_VAR_DIR=/app/var \
    MEDIA_ROOT=/app/var/media \
    STATIC_ROOT=/app/staticfiles

# settings.py refuses to load in production mode without a secret key and host
# names; the values below exist only for this one command and are not kept in
# the image. DEBUG=false selects whitenoise's hashed, compressed storage, which
# is what the running containers use.
RUN SECRET_KEY=build-only DEBUG=false ALLOWED_HOSTS=build \
    DATABASE_URL=postgres://x@localhost/x \
    python manage.py collectstatic --noinput

# The code stays owned by root (read-only to the app); only var/ is writable.
# The media directory is created here so a fresh named volume mounted on it
# starts out owned by samhus.
RUN groupadd --system samhus \
    && useradd --system --gid samhus --home-dir /app --no-create-home --shell /usr/sbin/nologin samhus \
    && mkdir -p /app/var/media \
    && chown -R samhus:samhus /app/var

USER samhus

EXPOSE 8000

CMD ["sh", "-c", "exec gunicorn centre.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --worker-tmp-dir /dev/shm --access-logfile - --error-logfile -"]
