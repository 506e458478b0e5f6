"""Search terms and names never reach server logs (issue 5): query strings are not logged."""

import runpy
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def test_gunicorn_logs_the_path_without_the_query_string():
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    log_format = config["access_log_format"]
    assert "%(U)s" in log_format
    # %(r)s is the request line, %(q)s the query, %(f)s the Referer (the previous page's URL).
    for with_query in ("%(r)s", "%(q)s", "%(f)s", "%({"):
        assert with_query not in log_format


def test_djangos_development_server_request_lines_are_dropped():
    server = settings.LOGGING["loggers"]["django.server"]
    assert server["handlers"] == []
    assert server["propagate"] is False
