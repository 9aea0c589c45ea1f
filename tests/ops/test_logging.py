"""One structured log line per request, with a request id echoed in the response."""

import json
import logging

from jipp.ops.logs import JsonFormatter


def _request_lines(caplog):
    return [r for r in caplog.records if r.name == "jipp.request"]


def test_one_json_line_per_request_without_query_string_or_personal_data(world, client, caplog):
    client.force_login(world.staff_pekanbaru)
    with caplog.at_level(logging.INFO, logger="jipp.request"):
        response = client.get("/hub/?q=nik+3171234567890001&email=a@b.id")
    records = _request_lines(caplog)
    assert len(records) == 1
    line = JsonFormatter().format(records[0])
    assert "\n" not in line
    data = json.loads(line)
    assert data["method"] == "GET"
    assert data["path"] == "/hub/"
    assert data["status"] == 200
    assert isinstance(data["duration_ms"], float)
    assert data["request_id"] == response["X-Request-ID"]
    for secret in ("3171234567890001", "a@b.id", "staff_pekanbaru", "sessionid", "csrftoken"):
        assert secret not in line


def test_request_id_from_the_load_balancer_is_kept(db, client, caplog):
    with caplog.at_level(logging.INFO, logger="jipp.request"):
        response = client.get("/healthz", headers={"x-request-id": "lb-7f3a9c21-0001"})
    assert response["X-Request-ID"] == "lb-7f3a9c21-0001"
    assert _request_lines(caplog)[0].fields["request_id"] == "lb-7f3a9c21-0001"


def test_malformed_request_id_is_replaced(db, client):
    response = client.get("/healthz", headers={"x-request-id": "<script>alert(1)</script>"})
    assert response["X-Request-ID"] != "<script>alert(1)</script>"
    assert len(response["X-Request-ID"]) == 32


def test_production_logs_are_json_by_default():
    import subprocess
    import sys

    code = "import django;django.setup();from django.conf import settings as s;print(s.LOG_FORMAT)"
    env = {
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "postgres://u@db/jipp",
        "DJANGO_SETTINGS_MODULE": "jipp.settings",
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=str(__import__("pathlib").Path(__file__).parents[2]),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.stdout.strip() == "json", out.stderr
