"""CSV output that a spreadsheet cannot turn into a formula (CSV injection, OWASP).

A cell starting with ``= + - @`` (or a tab or carriage return, which some spreadsheets skip
before reading one of those) is prefixed with ``'``, so it is shown as text. Every export
writes through :func:`write_rows`.
"""

import csv
from collections.abc import Iterable
from typing import Any, Protocol

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def safe_cell(value: Any) -> Any:
    """The value to write: strings that a spreadsheet would evaluate get a leading ``'``.

    Numbers are left alone (a negative number is data, and is written as digits); ``None``
    becomes an empty cell.
    """
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_rows(out: _Writable, header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> int:
    """Write ``header`` and then ``rows`` to ``out`` (a file or an HttpResponse), every cell
    through :func:`safe_cell`. Returns the number of data rows written."""
    writer = csv.writer(out)
    writer.writerow([safe_cell(cell) for cell in header])
    written = 0
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
        written += 1
    return written
