"""The Celery wiring, end to end: a worker started the way deployments start it (``celery -A
cfsj worker`` in its own process) takes a message from the configured broker (Redis when
REDIS_URL is set, as in CI; the filesystem transport otherwise) and stores the result."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cfsj.celery import app, ensure_local_broker_dirs
from cfsj.tasks import ping

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def worker_process():
    ensure_local_broker_dirs()
    celery = Path(sys.executable).with_name("celery")
    process = subprocess.Popen(  # noqa: S603 (our own virtualenv's celery)
        [str(celery), "-A", "cfsj", "worker", "--pool=solo", "--loglevel=WARNING"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.celery_worker
def test_a_worker_process_runs_a_task_from_the_broker(worker_process):
    try:
        assert ping.delay().get(timeout=60) == "pong"
    finally:
        if worker_process.poll() is not None:
            pytest.fail(f"the worker died: {worker_process.stderr.read()}")


def test_the_broker_is_redis_when_redis_url_is_set(settings):
    if settings.REDIS_URL:
        assert app.conf.broker_url == settings.REDIS_URL
    else:
        assert app.conf.broker_url == "filesystem://"
