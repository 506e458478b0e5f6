import json
from unittest import mock

from django.db import OperationalError


def test_health_check_answers_200_with_json_when_the_database_answers(client, db):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}


def test_health_check_answers_503_when_the_database_does_not(client, db):
    # The database is outside the process: simulate it refusing connections.
    with mock.patch("cfsj.views.connection.cursor", side_effect=OperationalError("refused")):
        response = client.get("/healthz/")
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "unavailable"
