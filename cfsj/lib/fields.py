"""Model fields whose values are encrypted in the database (keys: cfsj.lib.crypto).

Python code and forms see plaintext; the column holds ``enc1:`` followed by a Fernet token. The
marker tells a token from a plain value written before the column was encrypted, so the data
migration (and a half-finished one) can tell which rows still need encrypting. ``""`` and NULL are
stored as they are: an empty narrative reveals nothing, and ``blank=True`` fields keep their
meaning.

Encrypted columns cannot be searched, sorted or compared in SQL (each encryption of the same
text differs): only ``isnull`` and an exact match with ``""`` are allowed, and anything else
raises FieldError. Keep searchable data (names) in clear columns.
"""

import json
from typing import Any

from django.core.exceptions import FieldError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.lookups import Exact, IsNull
from django.utils.translation import gettext_lazy as _

from cfsj.lib import crypto

MARKER = "enc1:"


def is_encrypted(stored: str | None) -> bool:
    return stored is not None and stored.startswith(MARKER)


def encrypt_stored(plaintext: str) -> str:
    """The column value for ``plaintext``."""
    return MARKER + crypto.encrypt(plaintext)


def decrypt_stored(stored: str) -> str:
    """The plaintext of a column value; a value without the marker predates encryption."""
    if not is_encrypted(stored):
        return stored
    return crypto.decrypt(stored[len(MARKER) :])


class _EmptyOnlyExact(Exact):
    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.output_field.name} is encrypted: it can only be compared with ''."
            )
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """A TextField encrypted at rest; ``max_length`` limits the plaintext, as forms show it."""

    description = _("Text (encrypted at rest)")
    _allowed_lookups = {"exact": _EmptyOnlyExact, "isnull": IsNull}

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name in self._allowed_lookups:
            return self._allowed_lookups[lookup_name]
        raise FieldError(
            f"{self.name} is encrypted at rest and cannot be searched with __{lookup_name}."
        )

    def get_transform(self, lookup_name: str) -> Any:
        raise FieldError(f"{self.name} is encrypted at rest: __{lookup_name} is not available.")

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt_stored(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_stored(value)


class EncryptedJSONField(EncryptedTextField):
    """A JSON value serialised and then encrypted: the database sees one opaque text column."""

    description = _("JSON (encrypted at rest)")

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return json.loads(decrypt_stored(value))

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return encrypt_stored(json.dumps(value, cls=DjangoJSONEncoder))

    def value_to_string(self, obj: models.Model) -> Any:
        return self.value_from_object(obj)

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return super(models.TextField, self).formfield(
            **{"form_class": forms.JSONField, "encoder": DjangoJSONEncoder, **kwargs}
        )
