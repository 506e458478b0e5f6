"""A bounded, GET-only crawler for the test client, used by the canary tests.

It starts from seed URLs, fetches each one as a normal request and (when the page answers 200)
again as an htmx request, and follows every same-origin ``href``, ``src``, ``hx-get``, the
``action`` of GET forms and the ``Location``/``HX-Redirect`` of responses. A GET form, or an
input carrying its own ``hx-get`` (the live search boxes), is also submitted once with each of
the given search terms in each of its text inputs, so a new search or filter page is searched
with the canaries without anyone listing it.

It never sends anything but GET (a crawl must not change data), never follows sign-out URLs or
static files, and stops at ``limit`` distinct URLs (path + query). Found links are held to
``per_path`` distinct queries per path (sort and filter links would otherwise multiply without
end) and ``per_shape`` paths of one shape (``/admin/accounts/user/N/history/N/``: one page per
version of every record); seed URLs and the searches are not.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

HTMX = {"HX-Request": "true"}
DIGITS = re.compile(r"\d+")
SKIP_WORDS = re.compile(r"log-?out|sign-?out", re.IGNORECASE)
TEXT_INPUTS = {"", "text", "search"}
# The Django admin's memory of the list a change page was opened from: the same page again.
IGNORED_PARAMS = {"_changelist_filters", "_popup", "_to_field"}


@dataclass
class Fetched:
    url: str
    htmx: bool
    status: int
    content_type: str
    body: str  # decoded body and header values: what a canary must never be part of
    location: str = ""


@dataclass
class GetForm:
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    text_inputs: list[str] = field(default_factory=list)


class _LinkParser(HTMLParser):
    """Collects link targets and GET forms from one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[GetForm] = []
        self._form: GetForm | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        for name in ("href", "src", "hx-get"):
            if a.get(name):
                self.links.append(a[name])
        if tag == "form":
            method = (a.get("method") or "get").lower()
            self._form = GetForm(action=a.get("action", "")) if method == "get" else None
            if self._form is not None:
                self.links.append(self._form.action)
        elif tag == "input":
            kind = a.get("type", "").lower()
            name = a.get("name", "")
            if a.get("hx-get") and name and kind in TEXT_INPUTS:
                # A live search box outside a GET form: it sends its own value to its hx-get.
                self.forms.append(GetForm(action=a["hx-get"], text_inputs=[name]))
            if self._form is None or not name or kind in {"submit", "button", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self._form.fields.setdefault(name, a.get("value", "on"))
            else:
                self._form.fields[name] = a.get("value", "")
                if kind in TEXT_INPUTS:
                    self._form.text_inputs.append(name)
        elif tag == "select" and self._form is not None:
            self._select = a.get("name") or None
        elif tag == "option" and self._form is not None and self._select and "selected" in a:
            self._form.fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None


def _body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    headers = "\n".join(f"{k}: {v}" for k, v in response.items())
    return raw.decode(response.charset or "utf-8", errors="replace") + "\n" + headers


class Crawler:
    def __init__(
        self,
        client: Client,
        *,
        search_terms: Iterable[str] = (),
        limit: int = 600,
        per_path: int = 4,
        per_shape: int = 10,
    ) -> None:
        # A page that crashes is recorded as a 500 (and reported), not an end to the crawl.
        client.raise_request_exception = False
        self.client = client
        self.search_terms = list(search_terms)
        self.limit = limit
        self.per_path = per_path
        self.per_shape = per_shape
        self.fetched: list[Fetched] = []
        self._queue: deque[str] = deque()
        self._seen: set[str] = set()
        self._paths: set[str] = set()
        self._counts: Counter[tuple[str, str]] = Counter()
        self._htmx_agnostic: set[tuple[str, frozenset[str]]] = set()
        self._static = tuple(
            "/" + prefix.lstrip("/")
            for prefix in (settings.STATIC_URL, getattr(settings, "MEDIA_URL", ""))
            if prefix and prefix != "/"
        )

    # --- the queue ---------------------------------------------------------------------------

    def add(self, url: str, base: str = "/", *, bounded: bool = True) -> None:
        """Queue ``url`` (relative to ``base``) unless it leaves the site, signs out, is a static
        file, was queued already or goes past a bound (seeds and searches are not ``bounded`` by
        ``per_path`` and ``per_shape``, only by ``limit``)."""
        url = url.strip()
        if not url or url.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
            return
        parts = urlsplit(urljoin(base, url))
        if parts.scheme not in ("http", "https", "") or parts.netloc not in ("", "testserver"):
            return
        path = parts.path or "/"
        if SKIP_WORDS.search(path) or (self._static and path.startswith(self._static)):
            return
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        query = urlencode(sorted((k, v) for k, v in pairs if k not in IGNORED_PARAMS))
        key = urlunsplit(("", "", path, query, ""))
        if key in self._seen or len(self._seen) >= self.limit:
            return
        if bounded:
            bounds = [(("query", path), self.per_path)] if query else []
            shape = DIGITS.sub("N", path)
            if shape != path and path not in self._paths:
                bounds.append((("shape", shape), self.per_shape))
            if any(self._counts[bound] >= most for bound, most in bounds):
                return
            for bound, _most in bounds:
                self._counts[bound] += 1
        self._paths.add(path)
        self._seen.add(key)
        self._queue.append(key)

    def add_searches(self, form: GetForm, base: str) -> None:
        """The form as it stands, then each text input filled with each search term."""
        action = urljoin(base, form.action or base)
        self.add(_with_query(action, form.fields), base)
        for name in form.text_inputs:
            for term in self.search_terms:
                self.add(_with_query(action, {**form.fields, name: term}), base, bounded=False)

    # --- fetching ----------------------------------------------------------------------------

    def run(self) -> list[Fetched]:
        while self._queue:
            url = self._queue.popleft()
            plain = self._fetch(url, htmx=False)
            if plain.status != 200:
                continue
            view = _view_key(url)
            if view in self._htmx_agnostic:
                continue
            fragment = self._fetch(url, htmx=True)
            if view is not None and len(fragment.body) == len(plain.body):
                # The view answers htmx with the whole page (only nonces and tokens differ, and
                # they keep their length): not worth asking it twice for its other records.
                self._htmx_agnostic.add(view)
        return self.fetched

    def _fetch(self, url: str, *, htmx: bool) -> Fetched:
        response = self.client.get(url, headers=HTMX if htmx else None)
        content_type = response.get("Content-Type", "")
        fetched = Fetched(
            url,
            htmx,
            response.status_code,
            content_type,
            _body(response),
            response.get("Location", ""),
        )
        self.fetched.append(fetched)
        for header in ("Location", "HX-Redirect", "HX-Location"):
            if response.has_header(header):
                self.add(response[header], url)
        if content_type.startswith("text/html"):
            parser = _LinkParser()
            parser.feed(fetched.body)
            for link in parser.links:
                self.add(link, url)
            for form in parser.forms:
                self.add_searches(form, url)
        return fetched


def _view_key(url: str) -> tuple[str, frozenset[str]] | None:
    """The view a URL reaches and the names of its query parameters: a fragment is often chosen
    by a parameter (``?page=``), so each combination is judged on its own."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    return match._func_path, frozenset(k for k, _v in parse_qsl(parts.query))


def _with_query(url: str, fields: dict[str, str]) -> str:
    parts = urlsplit(url)
    merged = dict(parse_qsl(parts.query, keep_blank_values=True)) | fields
    return urlunsplit(("", "", parts.path, urlencode(merged), ""))
