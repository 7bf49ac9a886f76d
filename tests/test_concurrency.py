"""Two instances of the app on one database at the same moment.

On PostgreSQL (``EPIC_TEST_POSTGRES_URL``) these are the real thing; on
SQLite they prove the same promises through its file locking.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from epic_tui.models import AuthSession, LoginThrottle
from epic_tui.services.backend import Backend, open_backend
from epic_tui.services.dto import EmployeeInfo
from epic_tui.services.errors import AccountLocked, InvalidCredentials
from epic_tui.services.passwords import PasswordHasher
from epic_tui.settings import Settings
from tests.conftest import PASSWORD, ManualClock


def at_once(*actions: Callable[[], object]) -> list[object]:
    """Run the actions in threads released together; return their outcomes."""
    start = threading.Barrier(len(actions))
    outcomes: list[object] = [None] * len(actions)

    def run(index: int, action: Callable[[], object]) -> None:
        start.wait()
        try:
            outcomes[index] = action()
        except Exception as error:
            outcomes[index] = error

    threads = [
        threading.Thread(target=run, args=(index, action))
        for index, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.fixture
def second_instance(
    backend: Backend,
    settings: Settings,
    clock: ManualClock,
    hasher: PasswordHasher,
    tmp_path: Path,
) -> Iterator[Backend]:
    """Another running app on the same database, on another machine."""
    other = open_backend(
        replace(settings, token_file=tmp_path / "elsewhere" / "token.txt"),
        clock=clock,
        hasher=hasher,
    )
    yield other
    other.close()


def test_two_instances_log_in_the_same_employee_at_once(
    backend: Backend, second_instance: Backend, manager: EmployeeInfo
) -> None:
    """Each gets its own valid session with its own token id."""
    outcomes = at_once(
        lambda: backend.auth.login(manager.email, PASSWORD),
        lambda: second_instance.auth.login(manager.email, PASSWORD),
    )
    assert [type(outcome).__name__ for outcome in outcomes] == ["SignedIn"] * 2
    assert backend.auth.get_user().employee.id == manager.id
    assert second_instance.auth.get_user().employee.id == manager.id
    with backend.sessions() as session:
        assert len(session.scalars(select(AuthSession.jti)).all()) == 2


def test_concurrent_failures_are_each_counted_once(
    backend: Backend, second_instance: Backend, manager: EmployeeInfo
) -> None:
    """E23: four failures at once from two instances count four."""
    outcomes = at_once(
        *[
            lambda instance=instance: instance.auth.login(manager.email, "wrong!")
            for instance in (backend, second_instance) * 2
        ]
    )
    assert all(isinstance(outcome, InvalidCredentials) for outcome in outcomes)
    with backend.sessions() as session:
        assert session.get_one(LoginThrottle, manager.email).failures == 4
    with pytest.raises(InvalidCredentials):
        second_instance.auth.login(manager.email, "wrong!")
    with pytest.raises(AccountLocked):
        backend.auth.login(manager.email, PASSWORD)


def test_two_logins_into_one_token_file_leave_one_valid_token(
    backend: Backend,
    settings: Settings,
    clock: ManualClock,
    hasher: PasswordHasher,
    manager: EmployeeInfo,
) -> None:
    """B11: the file is replaced atomically; whoever wins, it is whole."""
    same_machine = open_backend(settings, clock=clock, hasher=hasher)
    try:
        at_once(
            lambda: backend.auth.login(manager.email, PASSWORD),
            lambda: same_machine.auth.login(manager.email, PASSWORD),
        )
        fresh = open_backend(settings, clock=clock, hasher=hasher)
        try:
            assert fresh.auth.get_user().employee.id == manager.id
        finally:
            fresh.close()
    finally:
        same_machine.close()


def test_two_instances_saving_one_client_at_once_keep_one_change(
    backend: Backend, second_instance: Backend, clock: ManualClock
) -> None:
    """F27: whichever save lands first wins; the other is refused, not merged."""
    from epic_tui.models import Department
    from epic_tui.services.errors import StaleRecord
    from tests.conftest import add_employee
    from tests.factories import client_input, make_client, signed_in

    salesperson = signed_in(add_employee(backend, Department.SALES), clock)
    client = make_client(backend, salesperson)

    def rename(instance: Backend, name: str) -> object:
        return instance.clients.update(
            salesperson, client.id, client.version, client_input(full_name=name)
        )

    outcomes = at_once(
        lambda: rename(backend, "First Name Wins"),
        lambda: rename(second_instance, "Second Name Wins"),
    )
    refused = [outcome for outcome in outcomes if isinstance(outcome, StaleRecord)]
    saved = [outcome for outcome in outcomes if not isinstance(outcome, Exception)]
    assert len(refused) == 1, outcomes
    assert len(saved) == 1, outcomes
    stored = second_instance.clients.get(salesperson, client.id)
    assert stored.full_name == saved[0].full_name  # type: ignore[attr-defined]
    assert stored.version == client.version + 1
