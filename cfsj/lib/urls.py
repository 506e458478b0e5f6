from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver


def iter_url_names(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[str]:
    """Every named URL the resolver knows, namespaced ("admin:index", "home", ...)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from iter_url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"
