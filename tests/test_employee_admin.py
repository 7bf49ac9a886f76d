"""Management's side of employees: accounts, departments, departures.

A change of department or a deactivation ends the employee's sessions at
once; a departure hands their clients (with those clients' contracts) or
their events to a colleague of the same department; a password reset
forces a new password at the next login and never reaches the history.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from epic_tui.models import AuditEntry, Department, Employee
from epic_tui.services.backend import Backend
from epic_tui.services.dto import EmployeeDetail, SignedIn
from epic_tui.services.employees import NewEmployee
from epic_tui.services.errors import (
    InvalidCredentials,
    NotLoggedIn,
    PermissionDenied,
    StaleRecord,
    ValidationError,
)
from tests.conftest import PASSWORD, ManualClock, add_employee
from tests.factories import World, build_world, event_input, signed_in, snapshot

NEW_PASSWORD = "a brand new passphrase 77"


@pytest.fixture
def world(backend: Backend, clock: ManualClock) -> World:
    """A small company with records owned by known people."""
    return build_world(backend, clock)


def _detail(world: World, employee_id: int) -> EmployeeDetail:
    return world.backend.employees.get(world.manager, employee_id)


def _update(
    world: World, employee_id: int, *, hand_over_to: int | None = None, **changes: str
) -> EmployeeDetail:
    current = _detail(world, employee_id)
    fields = {
        "full_name": current.full_name,
        "email": current.email,
        "phone": current.phone,
        "department": current.department.value,
    }
    fields.update(changes)
    return world.backend.employees.update(
        world.manager,
        employee_id,
        current.version,
        hand_over_to=hand_over_to,
        **fields,
    )


def _audit_rows(backend: Backend, entity: str, entity_id: int) -> list[AuditEntry]:
    with backend.sessions() as session:
        return list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
                .order_by(AuditEntry.id)
            )
        )


def _log_in(backend: Backend, email: str, password: str = PASSWORD) -> SignedIn:
    signed = backend.auth.login(email, password)
    assert backend.auth.get_user().employee.id == signed.employee.id
    return signed


# Creating and changing ----------------------------------------------------


def test_a_manager_creates_an_employee_and_the_history_has_no_password(
    world: World,
) -> None:
    created = world.backend.employees.create_by(
        world.manager,
        NewEmployee(
            email=" New.Hire@Epic.Example ",
            full_name="Nouvelle Recrue",
            department="support",
            password=PASSWORD,
            phone="06 12 34 56 78",
        ),
    )
    assert (created.email, created.department, created.version) == (
        "new.hire@epic.example",
        Department.SUPPORT,
        1,
    )
    assert created.active and not created.must_change_password
    (entry,) = _audit_rows(world.backend, "employee", created.id)
    assert (entry.action, entry.actor_id) == ("create", world.manager.employee.id)
    assert "password" not in entry.changes
    assert PASSWORD not in entry.changes
    assert json.loads(entry.changes)["department"] == ["", "support"]


def test_creating_an_employee_checks_every_field(world: World) -> None:
    before = snapshot(world.backend)
    with pytest.raises(ValidationError) as refused:
        world.backend.employees.create_by(
            world.manager,
            NewEmployee(
                email="SALES@epic.example",
                full_name="",
                department="marketing",
                password="short",
            ),
        )
    assert set(refused.value.errors) == {"full_name", "department", "password"}
    with pytest.raises(ValidationError) as refused:
        world.backend.employees.create_by(
            world.manager,
            NewEmployee(
                email="SALES@epic.example",
                full_name="Copy Cat",
                department="sales",
                password=PASSWORD,
            ),
        )
    assert list(refused.value.errors) == ["email"]
    assert snapshot(world.backend) == before


def test_an_update_round_trips_and_audits_the_changed_fields(world: World) -> None:
    updated = _update(world, world.spare.id, full_name="Sparrow Spare", phone="")
    assert updated.full_name == "Sparrow Spare"
    assert updated.version == 2
    entry = _audit_rows(world.backend, "employee", world.spare.id)[-1]
    assert entry.action == "update"
    assert json.loads(entry.changes) == {"full_name": ["Spare", "Sparrow Spare"]}


def test_an_email_is_unique_whatever_its_case(world: World) -> None:
    before = snapshot(world.backend)
    with pytest.raises(ValidationError) as refused:
        _update(world, world.spare.id, email="  SALES@Epic.Example ")
    assert list(refused.value.errors) == ["email"]
    assert snapshot(world.backend) == before
    kept = _update(world, world.spare.id, email="SPARE@epic.example")
    assert kept.email == "spare@epic.example"


def test_a_stale_employee_update_is_refused(world: World) -> None:
    current = _detail(world, world.spare.id)
    _update(world, world.spare.id, full_name="First Change")
    with pytest.raises(StaleRecord):
        world.backend.employees.update(
            world.manager,
            world.spare.id,
            current.version,
            "Second Change",
            current.email,
            "",
            "sales",
        )
    assert _detail(world, world.spare.id).full_name == "First Change"


def test_a_change_of_department_ends_the_employees_sessions(world: World) -> None:
    backend = world.backend
    _log_in(backend, world.spare.email)
    _update(world, world.spare.id, department="support")
    with pytest.raises(NotLoggedIn):
        backend.auth.get_user()
    # Another change that keeps the department leaves a new session alone.
    _log_in(backend, world.spare.email)
    _update(world, world.spare.id, full_name="Still Support")
    assert backend.auth.get_user().employee.department is Department.SUPPORT


def test_a_manager_cannot_change_their_own_department(world: World) -> None:
    before = snapshot(world.backend)
    with pytest.raises(ValidationError) as refused:
        _update(world, world.manager.employee.id, department="sales")
    assert list(refused.value.errors) == ["department"]
    assert snapshot(world.backend) == before


def test_records_follow_a_change_of_department_only_with_a_hand_over(
    world: World,
) -> None:
    backend, sales_id = world.backend, world.sales.employee.id
    before = snapshot(backend)
    with pytest.raises(ValidationError) as refused:
        _update(world, sales_id, department="support")
    assert list(refused.value.errors) == ["department"]
    assert snapshot(backend) == before
    _update(world, sales_id, department="support", hand_over_to=world.spare.id)
    client = backend.clients.get(world.manager, world.own_client.id)
    assert client.sales_contact_id == world.spare.id


def test_a_hand_over_without_a_change_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        _update(world, world.sales.employee.id, hand_over_to=world.spare.id)
    assert list(refused.value.errors) == ["hand_over_to"]


# Deactivating -------------------------------------------------------------


def test_deactivating_a_salesperson_hands_over_clients_and_contracts(
    world: World,
) -> None:
    backend = world.backend
    sales_id, spare_id = world.sales.employee.id, world.spare.id
    gone = backend.employees.deactivate(world.manager, sales_id, 1, spare_id)
    assert not gone.active
    client = backend.clients.get(world.manager, world.own_client.id)
    assert (client.sales_contact_id, client.sales_contact) == (spare_id, "Spare")
    assert client.version == world.own_client.version + 1
    contracts = backend.clients.contracts_of(world.manager, client.id)
    assert {contract.sales_contact_id for contract in contracts} == {spare_id}
    other = backend.clients.get(world.manager, world.other_client.id)
    assert other.sales_contact_id == world.other_sales.employee.id
    # The new sales contact may now work on the client.
    spare = signed_in(world.spare, world.clock)
    backend.contracts.sign(spare, world.own_unsigned.id, world.own_unsigned.version + 1)
    # Each moved record, and the employee, say so in their history.
    moved = _audit_rows(backend, "client", client.id)[-1]
    assert (moved.action, json.loads(moved.changes)) == (
        "hand_over",
        {"sales_contact_id": [str(sales_id), str(spare_id)]},
    )
    actions = [entry.action for entry in _audit_rows(backend, "employee", sales_id)]
    assert actions[-2:] == ["deactivate", "hand_over"]


def test_deactivating_a_support_person_hands_over_their_events(world: World) -> None:
    backend = world.backend
    support_id = world.support.employee.id
    backend.employees.deactivate(
        world.manager, support_id, 1, world.other_support.employee.id
    )
    event = backend.events.get(world.manager, world.own_event.id)
    assert event.support_contact_id == world.other_support.employee.id
    updated = backend.events.update(
        world.other_support,
        event.id,
        event.version,
        event_input(event.contract_id, name="Handed over gala"),
    )
    assert updated.name == "Handed over gala"


def test_deactivating_without_a_hand_over_leaves_the_records(world: World) -> None:
    backend = world.backend
    backend.employees.deactivate(world.manager, world.sales.employee.id, 1)
    client = backend.clients.get(world.manager, world.own_client.id)
    assert client.sales_contact_id == world.sales.employee.id


@pytest.mark.parametrize("colleague", ["support", "inactive", "self", "unknown"])
def test_a_hand_over_goes_only_to_an_active_colleague_of_the_department(
    world: World, colleague: str
) -> None:
    backend = world.backend
    if colleague == "inactive":
        backend.employees.deactivate(world.manager, world.spare.id, 1)
    target = {
        "support": world.support.employee.id,
        "inactive": world.spare.id,
        "self": world.sales.employee.id,
        "unknown": 999_999,
    }[colleague]
    before = snapshot(backend)
    with pytest.raises(ValidationError) as refused:
        backend.employees.deactivate(world.manager, world.sales.employee.id, 1, target)
    assert list(refused.value.errors) == ["hand_over_to"]
    assert snapshot(backend) == before


def test_deactivation_ends_the_employees_sessions(world: World) -> None:
    backend = world.backend
    _log_in(backend, "sales@epic.example")
    backend.employees.deactivate(world.manager, world.sales.employee.id, 1)
    with pytest.raises(NotLoggedIn):
        backend.auth.get_user()
    with pytest.raises(InvalidCredentials):
        backend.auth.login("sales@epic.example", PASSWORD)


def test_nobody_deactivates_themselves_nor_twice(world: World) -> None:
    backend = world.backend
    with pytest.raises(PermissionDenied, match="your own account"):
        backend.employees.deactivate(world.manager, world.manager.employee.id, 1)
    backend.employees.deactivate(world.manager, world.spare.id, 1)
    with pytest.raises(ValidationError) as refused:
        backend.employees.deactivate(world.other_manager, world.spare.id, 2)
    assert list(refused.value.errors) == ["active"]


# Passwords ----------------------------------------------------------------


def test_a_password_reset_forces_a_change_and_the_new_password_works(
    world: World,
) -> None:
    backend = world.backend
    _log_in(backend, world.spare.email)
    backend.employees.reset_password(world.manager, world.spare.id, NEW_PASSWORD)
    with pytest.raises(NotLoggedIn):
        backend.auth.get_user()
    with pytest.raises(InvalidCredentials):
        backend.auth.login(world.spare.email, PASSWORD)
    signed = backend.auth.login(world.spare.email, NEW_PASSWORD)
    assert signed.must_change_password
    assert _detail(world, world.spare.id).must_change_password
    (entry,) = [
        row
        for row in _audit_rows(backend, "employee", world.spare.id)
        if row.action == "reset_password"
    ]
    assert json.loads(entry.changes) == {"must_change_password": ["false", "true"]}
    assert NEW_PASSWORD not in entry.changes


@pytest.mark.parametrize(
    "password", ["short", "spare@epic.example", "epicevents2026", ""]
)
def test_a_reset_follows_the_password_policy(world: World, password: str) -> None:
    before = snapshot(world.backend)
    with pytest.raises(ValidationError) as refused:
        world.backend.employees.reset_password(world.manager, world.spare.id, password)
    assert list(refused.value.errors) == ["new_password"]
    assert snapshot(world.backend) == before


def test_a_manager_does_not_reset_their_own_password(world: World) -> None:
    with pytest.raises(PermissionDenied, match="current password"):
        world.backend.employees.reset_password(
            world.manager, world.manager.employee.id, NEW_PASSWORD
        )


# Pickers and the command line --------------------------------------------


def test_colleagues_are_the_active_employees_of_a_department(world: World) -> None:
    backend = world.backend
    backend.employees.deactivate(world.manager, world.other_sales.employee.id, 1)
    names = [
        info.full_name for info in backend.employees.colleagues(world.sales, "sales")
    ]
    assert names == ["Sales", "Spare"]
    support = backend.employees.colleagues(world.manager, Department.SUPPORT)
    assert [info.id for info in support] == [
        world.other_support.employee.id,  # "Other Support" sorts before "Support".
        world.support.employee.id,
    ]
    with pytest.raises(ValidationError) as refused:
        backend.employees.colleagues(world.manager, "marketing")
    assert list(refused.value.errors) == ["department"]


def test_operators_still_create_accounts_without_logging_in(backend: Backend) -> None:
    created = add_employee(backend, Department.SALES, email="cli@epic.example")
    assert backend.employees.count() == 1
    with backend.sessions() as session:
        entry = session.scalars(select(AuditEntry)).one()
        employee = session.get(Employee, created.id)
    assert (entry.action, entry.actor_id, entry.entity_id) == (
        "create",
        None,
        created.id,
    )
    assert employee is not None and employee.version == 1
