"""The Celery wiring, end to end: a real worker takes a message from the configured broker (Redis
when REDIS_URL is set, as in CI; the filesystem transport otherwise) and stores the result."""

import pytest
from celery.contrib.testing.worker import start_worker

from cfsj.celery import app, ensure_local_broker_dirs
from cfsj.tasks import ping


@pytest.mark.celery_worker
def test_a_real_worker_runs_a_task_from_the_broker(settings):
    ensure_local_broker_dirs()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert ping.delay().get(timeout=20) == "pong"


def test_the_broker_is_redis_when_redis_url_is_set(settings):
    if settings.REDIS_URL:
        assert app.conf.broker_url == settings.REDIS_URL
    else:
        assert app.conf.broker_url == "filesystem://"
