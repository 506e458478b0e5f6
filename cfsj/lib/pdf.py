"""PDF rendering (WeasyPrint) that can fetch nothing but the application's own static files.

A rendered page is made from records: a name, an address or a narrative could hold a URL (an
``<img src>`` someone typed, a stylesheet link), and a renderer that follows it would leak the
record to that address, read local files (``file:///etc/passwd``) or reach internal services
(SSRF). So the fetcher given to WeasyPrint resolves only ``{STATIC_URL}…`` paths, through
Django's staticfiles finders, and refuses everything else; ``data:`` URIs (Bootstrap's inline
SVG icons) carry their own bytes and are allowed.
"""

import logging
import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# The base URL pages are rendered against: relative links resolve to it, and it resolves nowhere.
BASE_URL = "https://cfsj-render.invalid/"


class RefusedURL(ValueError):
    """A renderer tried to fetch something other than one of our static files."""


class StaticOnlyFetcher(URLFetcher):
    def __init__(self) -> None:
        super().__init__(allowed_protocols=("https", "data"), allow_redirects=False)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = static_path(url)
        if path is None:
            logger.warning("PDF rendering refused to fetch a URL outside the static files")
            raise RefusedURL("only the application's static files may be fetched")
        # Source files first; then collectstatic's output, where production's manifest storage
        # gives {% static %} hashed names that only exist there.
        found = finders.find(path)
        if not found and staticfiles_storage.exists(path):
            found = staticfiles_storage.path(path)
        if not found:
            raise RefusedURL(f"no static file {path}")
        with open(found, "rb") as stream:
            body = stream.read()
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def static_path(url: str) -> str | None:
    """The static file path a URL names, or None when it names anything else."""
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    path = unquote(parts.path)
    if not path.startswith(prefix):
        return None
    relative = posixpath.normpath(path[len(prefix) :])
    if relative.startswith(("../", "/")) or relative in {"..", "."}:
        return None
    return relative


def render_pdf(html: str) -> bytes:
    """A PDF of ``html`` (a rendered template), fetching only our static files."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf()
