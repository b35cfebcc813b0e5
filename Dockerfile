# Accelerator: one image for web, worker and beat (compose.yaml picks the command).
# Untested here (no container engine on the development machines); kept small and plain.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# gettext for compilemessages is not needed: the compiled catalogs are committed.
# Pango and a font for WeasyPrint, which draws the strategy's PDF.
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 accelerator
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# collectstatic needs settings but no database; a throw-away key keeps it from using DEBUG.
RUN SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && mkdir -p /app/private-media && chown accelerator:accelerator /app/private-media && chmod 700 /app/private-media

USER accelerator
ENV MEDIA_ROOT=/app/private-media \
    GUNICORN_BIND=0.0.0.0:8000
EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "accelerator.wsgi"]
