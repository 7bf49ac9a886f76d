"""Sentry stays out of the way without a DSN, and never sees a secret."""

from __future__ import annotations

import subprocess
import sys
import types
from typing import Any

import pytest

from epic_tui import observability
from epic_tui.observability import FILTERED, init_sentry, report_event, scrub_event

FAKE_DSN = "https://public@example.invalid/1"


def test_without_a_dsn_sentry_is_never_imported() -> None:
    code = (
        "import sys\n"
        "from epic_tui.observability import init_sentry, report_event\n"
        "import epic_tui.services.backend\n"
        "init_sentry(None)\n"
        "init_sentry('')\n"
        "report_event('contract signed', contract_id=1)\n"
        "print('sentry_sdk' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


class _FakeScope:
    def __init__(self) -> None:
        self.tags: dict[str, str] = {}

    def __enter__(self) -> _FakeScope:
        return self

    def __exit__(self, *_exc: object) -> None:
        return None

    def set_tag(self, name: str, value: str) -> None:
        self.tags[name] = value


@pytest.fixture
def fake_sentry(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A stand-in ``sentry_sdk`` that records what it is asked, offline."""
    calls: dict[str, Any] = {"messages": []}
    scope = _FakeScope()
    module = types.ModuleType("sentry_sdk")
    fake: Any = module
    fake.init = lambda **options: calls.update(init=options)
    fake.new_scope = lambda: scope
    fake.capture_message = lambda message, level: calls["messages"].append(
        (message, level, dict(scope.tags))
    )
    calls["errors"] = []
    fake.capture_exception = calls["errors"].append
    monkeypatch.setitem(sys.modules, "sentry_sdk", module)
    monkeypatch.setattr(observability, "_initialised", False)
    return calls


def test_with_a_dsn_sentry_is_set_up_without_personal_data(
    fake_sentry: dict[str, Any],
) -> None:
    init_sentry(FAKE_DSN)
    options = fake_sentry["init"]
    assert options["dsn"] == FAKE_DSN
    assert options["send_default_pii"] is False
    assert options["include_local_variables"] is False
    assert options["before_send"] is scrub_event


def test_events_are_reported_with_ids_once_initialised(
    fake_sentry: dict[str, Any],
) -> None:
    report_event("contract signed", contract_id=12)
    assert fake_sentry["messages"] == []
    init_sentry(FAKE_DSN)
    report_event("contract signed", contract_id=12, employee_id=3)
    assert fake_sentry["messages"] == [
        ("contract signed", "info", {"contract_id": "12", "employee_id": "3"})
    ]


def test_an_unexpected_error_of_a_command_is_sent_to_sentry(
    fake_sentry: dict[str, Any],
    environment: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """D20: with SENTRY_DSN set, crashes are reported (scrubbed by before_send)."""
    from epic_tui import cli

    def broken(*_args: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setenv("SENTRY_DSN", FAKE_DSN)
    monkeypatch.setattr(cli, "_whoami", broken)
    assert cli.main(["whoami"]) == 1
    assert [type(error) for error in fake_sentry["errors"]] == [RuntimeError]
    assert fake_sentry["init"]["before_send"] is scrub_event


def test_the_scrubber_blanks_secrets_everywhere() -> None:
    event: dict[str, Any] = {
        "message": "contract 12 signed by employee 3",
        "extra": {"password": "hunter2 hunter2", "contract_id": 12},
        "contexts": {"session": {"token": "eyJ.abc.def", "jti": "xyz", "ttl": 3600}},
        "tags": {"employee_id": "3", "api_key": "k"},
        "user": {"id": "3", "email": "ada@epic.example"},
        "request": {
            "headers": {"Authorization": "Bearer eyJ", "Accept": "text/plain"},
            "cookies": "session=abc",
            "data": {"email": "ada@epic.example", "phone": "+33 6", "note": "ok"},
        },
        "breadcrumbs": {
            "values": [
                {"message": "login", "data": {"new_password": "x", "id": 3}},
            ]
        },
        "exception": {
            "values": [
                {
                    "stacktrace": {
                        "frames": [
                            {"vars": {"secret_key": "s", "nested": {"Token": "t"}}}
                        ]
                    }
                }
            ]
        },
    }
    scrubbed = scrub_event(event, None)
    assert scrubbed["extra"] == {"password": FILTERED, "contract_id": 12}
    assert scrubbed["contexts"]["session"] == {
        "token": FILTERED,
        "jti": FILTERED,
        "ttl": 3600,
    }
    assert scrubbed["tags"] == {"employee_id": "3", "api_key": FILTERED}
    assert scrubbed["user"] == {"id": "3", "email": FILTERED}
    request = scrubbed["request"]
    assert request["headers"] == {"Authorization": FILTERED, "Accept": "text/plain"}
    assert request["cookies"] == FILTERED
    assert request["data"] == {"email": FILTERED, "phone": FILTERED, "note": "ok"}
    crumb = scrubbed["breadcrumbs"]["values"][0]
    assert crumb["data"] == {"new_password": FILTERED, "id": 3}
    frame = scrubbed["exception"]["values"][0]["stacktrace"]["frames"][0]
    assert frame["vars"] == {"secret_key": FILTERED, "nested": {"Token": FILTERED}}
    assert "hunter2" not in repr(scrubbed)
    assert "eyJ" not in repr(scrubbed)


def test_a_raw_request_body_is_dropped_whole() -> None:
    scrubbed = scrub_event({"request": {"data": "password=hunter2&email=a@b.c"}})
    assert scrubbed["request"]["data"] == FILTERED
