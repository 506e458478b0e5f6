"""Encryption at rest for narratives and clinical text: Fernet tokens under keys from the
environment.

``CFSJ_FIELD_KEYS`` holds comma-separated Fernet keys, newest first. The first key encrypts;
every key is tried to decrypt, so a new key can be put in front, ``manage.py rotate_field_keys``
run, and the old key dropped afterwards (docs/deployment.md). The keys are deliberately not
derived from SECRET_KEY: rotating the session-signing secret must not make the records unreadable,
and a leaked SECRET_KEY must not open them.
"""

import binascii
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# !!! DEVELOPMENT ONLY !!! This key is public (it is in the repository): anything encrypted with
# it is readable by anyone. It is used only when DEBUG is on and CFSJ_FIELD_KEYS is unset, so that
# the local trial needs no setup; production refuses to start without CFSJ_FIELD_KEYS.
DEVELOPMENT_KEY = "3U1bqmanm93IT4voQvQO_9BgF8uMe5FkVAupG9kLLuA="


class DecryptionError(ValueError):
    """A stored value that none of the configured keys can decrypt."""


def field_keys(keys: list[str], *, debug: bool) -> list[str]:
    """The keys settings should use: checked at start-up, so a bad key stops the process."""
    if not keys:
        if not debug:
            raise ImproperlyConfigured(
                "CFSJ_FIELD_KEYS must be set when DEBUG is off: comma-separated Fernet keys, "
                "newest first (see .env.example)."
            )
        return [DEVELOPMENT_KEY]
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, binascii.Error):
            # The key itself is never echoed: it may be a real key with a typo.
            raise ImproperlyConfigured(
                f"CFSJ_FIELD_KEYS: key {position} is not a Fernet key (32 url-safe "
                "base64-encoded bytes)."
            ) from None
    return keys


@cache
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


@cache
def _primary(key: str) -> Fernet:
    return Fernet(key)


def _keys() -> tuple[str, ...]:
    # Read on every call (cheap; the Fernet objects are cached per key tuple) so that tests that
    # override the setting see their keys.
    return tuple(settings.CFSJ_FIELD_KEYS)


def encrypt(plaintext: str) -> str:
    """A Fernet token for ``plaintext`` under the newest key."""
    return _multi_fernet(_keys()).encrypt(plaintext.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _multi_fernet(_keys()).decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeEncodeError):
        raise DecryptionError(
            "A stored value cannot be decrypted with any key in CFSJ_FIELD_KEYS: the key it was "
            "written with has been removed, or the value is damaged."
        ) from None


def rotate(token: str) -> str:
    """The same plaintext under the newest key (raises DecryptionError like ``decrypt``)."""
    try:
        return _multi_fernet(_keys()).rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeEncodeError):
        raise DecryptionError(
            "A stored value cannot be re-encrypted: no key in CFSJ_FIELD_KEYS decrypts it."
        ) from None


def is_current(token: str) -> bool:
    """Whether ``token`` is already under the newest key (so rotation can skip it)."""
    try:
        _primary(_keys()[0]).decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True
