# One image for web, worker and beat. No Docker engine runs on the development machines:
# `docs/deployment.md` says how the same three processes were tested directly.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    HOME=/home/cfsj PATH=/opt/venv/bin:$PATH
# WeasyPrint (PDF output) draws text with Pango.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --home-dir /home/cfsj --uid 10001 cfsj \
 && python -m venv /opt/venv
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# collectstatic needs no secrets (settings.CODE_ONLY_COMMANDS give it throwaway ones).
RUN python manage.py collectstatic --no-input \
 && mkdir -p /app/var && chown -R cfsj:cfsj /app/var
USER cfsj
EXPOSE 8000
CMD ["gunicorn", "cfsj.wsgi:application", "--config", "gunicorn.conf.py"]
