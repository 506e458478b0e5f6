"""Issue 5: PDF rendering fetches no URL outside the application's own static files."""

import http.server
import threading

import pytest

from tests.conftest import require_pdf_renderer

pdf = require_pdf_renderer()


@pytest.fixture
def listener():
    """A local HTTP server that records every request it receives."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"p { color: red }")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", seen
    server.shutdown()


def fetched(html: str, monkeypatch) -> list[str]:
    urls: list[str] = []
    original = pdf.StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        urls.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pdf.StaticOnlyFetcher, "fetch", spy)
    assert pdf.render_pdf(html).startswith(b"%PDF")
    return urls


def test_a_record_holding_a_remote_url_renders_without_the_renderer_calling_it(listener):
    base, seen = listener
    html = (
        f'<link rel="stylesheet" href="{base}/style.css"><img src="{base}/track.png">'
        f"<p style=\"background: url('{base}/bg.png')\">Narrative</p>"
    )
    assert pdf.render_pdf(html).startswith(b"%PDF")
    assert seen == []


def test_local_files_and_traversal_are_refused():
    fetcher = pdf.StaticOnlyFetcher()
    for url in (
        "file:///etc/passwd",
        f"{pdf.BASE_URL}static/../../etc/passwd",
        f"{pdf.BASE_URL}static/%2e%2e/%2e%2e/etc/passwd",
        f"{pdf.BASE_URL}etc/passwd",
        "https://example.org/static/css/cfsj.css",
        "ftp://127.0.0.1/static/css/cfsj.css",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_our_own_static_files_are_served(monkeypatch):
    urls = fetched('<link rel="stylesheet" href="/static/css/cfsj.css"><p>x</p>', monkeypatch)
    assert urls == [f"{pdf.BASE_URL}static/css/cfsj.css"]
    response = pdf.StaticOnlyFetcher().fetch(urls[0])
    assert response.content_type == "text/css"
    assert response.read()


def test_data_uris_need_no_fetch_and_are_allowed():
    svg = "data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/>"
    assert pdf.render_pdf(f'<img src="{svg}">').startswith(b"%PDF")
