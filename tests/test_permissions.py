"""Who may do what (SPEC §4), checked against the services themselves.

The matrix below is the specification written out: for each operation,
what management, sales and support may do. ``ALL`` is allowed on any
record, ``OWN`` only on the actor's own records (a salesperson's own
clients and their contracts, a support person's assigned events), ``NO``
is refused. Each cell is played through the real service on the actor's
own record and on a colleague's record; a refusal must leave every table
exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from epic_tui.models import Department
from epic_tui.services import permissions
from epic_tui.services.backend import Backend
from epic_tui.services.dto import ContractInput, EmployeeInfo, SignedIn
from epic_tui.services.employees import NewEmployee
from epic_tui.services.errors import PermissionDenied, SessionExpired
from epic_tui.services.permissions import (
    POLICY,
    Operation,
    Ownership,
    Scope,
    is_allowed,
    may_ever,
    require,
)
from tests.conftest import PASSWORD, ManualClock
from tests.factories import (
    World,
    build_world,
    client_input,
    event_input,
    signed_in,
    snapshot,
)

ALL, OWN, NO = "all", "own", "no"
MANAGEMENT, SALES, SUPPORT = Department.MANAGEMENT, Department.SALES, Department.SUPPORT
DEPARTMENTS = (MANAGEMENT, SALES, SUPPORT)

# fmt: off
MATRIX: dict[Operation, tuple[str, str, str]] = {
    #                                   management  sales  support
    Operation.CREATE_EMPLOYEE:          (ALL,       NO,    NO),
    Operation.UPDATE_EMPLOYEE:          (ALL,       NO,    NO),
    Operation.DEACTIVATE_EMPLOYEE:      (ALL,       NO,    NO),
    Operation.RESET_PASSWORD:           (ALL,       NO,    NO),
    Operation.CREATE_CLIENT:            (NO,        ALL,   NO),
    Operation.UPDATE_CLIENT:            (NO,        OWN,   NO),
    Operation.CREATE_CONTRACT:          (ALL,       NO,    NO),
    Operation.UPDATE_CONTRACT:          (ALL,       OWN,   NO),
    Operation.SIGN_CONTRACT:            (ALL,       OWN,   NO),
    Operation.RECORD_PAYMENT:           (ALL,       OWN,   NO),
    Operation.CREATE_EVENT:             (NO,        OWN,   NO),
    Operation.UPDATE_EVENT:             (NO,        NO,    OWN),
    Operation.ASSIGN_SUPPORT:           (ALL,       NO,    NO),
    Operation.VIEW_HISTORY:             (ALL,       NO,    NO),
    Operation.LIST_UNASSIGNED_EVENTS:   (ALL,       NO,    NO),
    Operation.LIST_UNSIGNED_OR_UNPAID:  (NO,        ALL,   NO),
}
# fmt: on

ON_RECORDS = {
    Operation.UPDATE_CLIENT,
    Operation.CREATE_CONTRACT,
    Operation.UPDATE_CONTRACT,
    Operation.SIGN_CONTRACT,
    Operation.RECORD_PAYMENT,
    Operation.CREATE_EVENT,
    Operation.UPDATE_EVENT,
    Operation.ASSIGN_SUPPORT,
    Operation.VIEW_HISTORY,
}
"""Operations about one client, contract or event: played on both records."""

LISTS_ONLY = {Operation.LIST_UNASSIGNED_EVENTS, Operation.LIST_UNSIGNED_OR_UNPAID}
"""Reserved lists, which the catalog serves: checked through the policy."""


def expected(operation: Operation, department: Department, whose: str) -> bool:
    """What the matrix says for one cell and one record."""
    cell = MATRIX[operation][DEPARTMENTS.index(department)]
    return cell == ALL or (cell == OWN and whose == "own")


def cases() -> list[Any]:
    """Every department x operation x (own record, a colleague's record)."""
    found = []
    for operation in MATRIX:
        for department in DEPARTMENTS:
            for whose in ("own", "other") if operation in ON_RECORDS else ("any",):
                allowed = expected(operation, department, whose)
                found.append(
                    pytest.param(
                        operation,
                        department,
                        whose,
                        allowed,
                        id=f"{department}-{operation}-{whose}-"
                        + ("allowed" if allowed else "denied"),
                    )
                )
    return found


@pytest.fixture
def world(backend: Backend, clock: ManualClock) -> World:
    """A small company with records owned by known people."""
    return build_world(backend, clock)


def _records(world: World, whose: str) -> dict[str, Any]:
    own = whose != "other"
    return {
        "client": world.own_client if own else world.other_client,
        "contract": world.own_contract if own else world.other_contract,
        "unsigned": world.own_unsigned if own else world.other_unsigned,
        "event": world.own_event if own else world.other_event,
        "new_support": world.other_support if own else world.support,
    }


Perform = Callable[[World, SignedIn, dict[str, Any]], object]

PERFORM: dict[Operation, Perform] = {
    Operation.CREATE_EMPLOYEE: lambda w, actor, _r: w.backend.employees.create_by(
        actor,
        NewEmployee(
            email="new.hire@epic.example",
            full_name="New Hire",
            department="support",
            password=PASSWORD,
        ),
    ),
    Operation.UPDATE_EMPLOYEE: lambda w, actor, _r: w.backend.employees.update(
        actor, w.spare.id, 1, "Spare Renamed", w.spare.email, "", "sales"
    ),
    Operation.DEACTIVATE_EMPLOYEE: lambda w, actor, _r: w.backend.employees.deactivate(
        actor, w.spare.id, 1
    ),
    Operation.RESET_PASSWORD: lambda w, actor, _r: w.backend.employees.reset_password(
        actor, w.spare.id, "a brand new passphrase 77"
    ),
    Operation.CREATE_CLIENT: lambda w, actor, _r: w.backend.clients.create(
        actor, client_input(email="new@client.example")
    ),
    Operation.UPDATE_CLIENT: lambda w, actor, r: w.backend.clients.update(
        actor,
        r["client"].id,
        r["client"].version,
        client_input(full_name="Renamed Client", email=r["client"].email),
    ),
    Operation.CREATE_CONTRACT: lambda w, actor, r: w.backend.contracts.create(
        actor, ContractInput(r["client"].id, "500.00")
    ),
    Operation.UPDATE_CONTRACT: lambda w, actor, r: w.backend.contracts.update(
        actor,
        r["unsigned"].id,
        r["unsigned"].version,
        ContractInput(r["unsigned"].client_id, "2000.00", "1500.00"),
    ),
    Operation.SIGN_CONTRACT: lambda w, actor, r: w.backend.contracts.sign(
        actor, r["unsigned"].id, r["unsigned"].version
    ),
    Operation.RECORD_PAYMENT: lambda w, actor, r: w.backend.contracts.record_payment(
        actor, r["contract"].id, r["contract"].version, "100.00"
    ),
    Operation.CREATE_EVENT: lambda w, actor, r: w.backend.events.create(
        actor, event_input(r["contract"].id, name="New event")
    ),
    Operation.UPDATE_EVENT: lambda w, actor, r: w.backend.events.update(
        actor,
        r["event"].id,
        r["event"].version,
        event_input(r["event"].contract_id, name="Renamed event"),
    ),
    Operation.ASSIGN_SUPPORT: lambda w, actor, r: w.backend.events.assign_support(
        actor, r["event"].id, r["event"].version, r["new_support"].employee.id
    ),
    Operation.VIEW_HISTORY: lambda w, actor, r: w.backend.audit.history(
        actor, "client", r["client"].id
    ),
}

WRITES = set(PERFORM) - {Operation.VIEW_HISTORY}


def _ownership(world: World, whose: str) -> Ownership:
    records = _records(world, whose)
    return Ownership(
        sales_contact_id=records["client"].sales_contact_id,
        support_contact_id=records["event"].support_contact_id,
    )


def test_the_matrix_names_every_operation_once() -> None:
    assert set(MATRIX) == set(Operation)
    assert set(PERFORM) | LISTS_ONLY == set(Operation)


def test_the_policy_is_the_matrix() -> None:
    as_cell = {Scope.ANY: ALL, Scope.OWN_CLIENTS: OWN, Scope.ASSIGNED_EVENTS: OWN}
    for operation, row in MATRIX.items():
        policy = tuple(
            as_cell.get(POLICY[operation].get(department), NO)  # type: ignore[arg-type]
            for department in DEPARTMENTS
        )
        assert policy == row, operation


@pytest.mark.parametrize(("operation", "department", "whose", "allowed"), cases())
def test_the_service_allows_or_refuses_as_the_matrix_says(
    world: World,
    operation: Operation,
    department: Department,
    whose: str,
    allowed: bool,
) -> None:
    actor = world.actor(department)
    assert is_allowed(actor, operation, _ownership(world, whose)) is allowed
    if operation in LISTS_ONLY:
        if not allowed:
            with pytest.raises(PermissionDenied):
                require(actor, operation)
        return
    before = snapshot(world.backend)
    perform = PERFORM[operation]
    if allowed:
        perform(world, actor, _records(world, whose))
        if operation in WRITES:
            assert snapshot(world.backend) != before
    else:
        with pytest.raises(PermissionDenied) as refused:
            perform(world, actor, _records(world, whose))
        assert refused.value.message
        assert snapshot(world.backend) == before


@pytest.mark.parametrize("department", DEPARTMENTS)
def test_everyone_may_read_every_client_contract_and_event(
    world: World, department: Department
) -> None:
    actor = world.actor(department)
    backend = world.backend
    assert backend.clients.get(actor, world.other_client.id) == world.other_client
    assert backend.contracts.get(actor, world.other_contract.id).id == (
        world.other_contract.id
    )
    assert backend.events.get(actor, world.other_event.id).id == world.other_event.id
    assert len(backend.clients.contracts_of(actor, world.other_client.id)) == 2
    assert len(backend.contracts.events_of(actor, world.other_contract.id)) == 1


def test_a_check_that_raises_denies(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("policy table unreadable")

    monkeypatch.setattr(permissions, "_scope", broken)
    before = snapshot(world.backend)
    assert not is_allowed(world.sales, Operation.CREATE_CLIENT)
    assert not may_ever(world.sales, Operation.CREATE_CLIENT)
    with pytest.raises(PermissionDenied):
        world.backend.clients.create(world.sales, client_input())
    assert snapshot(world.backend) == before


class _Treacherous:
    """An id that blows up when anyone compares it."""

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("cannot compare")

    __hash__ = object.__hash__


ODD_OWNERS: dict[str, Callable[[int], object]] = {
    "missing": lambda _own: None,
    "own id as text": str,
    "own id as float": float,
    "flag": lambda _own: True,
    "raising": lambda _own: _Treacherous(),
}


def _plain_actor(department: Department, employee_id: int = 7) -> SignedIn:
    """A session built in memory, for checks of the policy alone."""
    employee = EmployeeInfo(
        id=employee_id,
        full_name="Camille Durand",
        email="camille@epic.example",
        phone="",
        department=department,
        active=True,
    )
    return SignedIn(employee=employee, expires_at=datetime(2030, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize("make_owner", ODD_OWNERS.values(), ids=ODD_OWNERS.keys())
def test_an_odd_ownership_value_denies(make_owner: Callable[[int], object]) -> None:
    actor = _plain_actor(SALES, employee_id=1)
    record = Ownership(sales_contact_id=make_owner(1))  # type: ignore[arg-type]
    assert not is_allowed(actor, Operation.UPDATE_CLIENT, record)
    assert is_allowed(actor, Operation.UPDATE_CLIENT, Ownership(sales_contact_id=1))


def test_a_malformed_actor_is_denied() -> None:
    broken = SignedIn(employee=None, expires_at=None)  # type: ignore[arg-type]
    assert not is_allowed(broken, Operation.CREATE_CLIENT)
    with pytest.raises(PermissionDenied, match="not allowed"):
        require(broken, Operation.CREATE_CLIENT)


def test_an_operation_that_needs_a_record_denies_without_one() -> None:
    sales, support = _plain_actor(SALES), _plain_actor(SUPPORT)
    assert not is_allowed(sales, Operation.UPDATE_CLIENT)
    assert not is_allowed(sales, Operation.UPDATE_CLIENT, Ownership())
    assert not is_allowed(support, Operation.UPDATE_EVENT, None)
    assert not is_allowed(
        support, Operation.UPDATE_EVENT, Ownership(sales_contact_id=7)
    )
    assert is_allowed(support, Operation.UPDATE_EVENT, Ownership(support_contact_id=7))


def test_an_unknown_operation_is_denied() -> None:
    manager = _plain_actor(MANAGEMENT)
    assert not is_allowed(manager, "drop_database")  # type: ignore[arg-type]
    assert not may_ever(manager, "drop_database")  # type: ignore[arg-type]


@pytest.mark.parametrize("operation", list(Operation))
def test_a_deactivated_actor_is_denied_everything(operation: Operation) -> None:
    own = Ownership(sales_contact_id=7, support_contact_id=7)
    for department in DEPARTMENTS:
        actor = _plain_actor(department)
        assert is_allowed(actor, operation, own) is expected(
            operation, department, "own"
        )
        gone = replace(actor, employee=replace(actor.employee, active=False))
        assert not is_allowed(gone, operation, own)
        assert not may_ever(gone, operation)


def test_an_employee_deactivated_after_login_can_do_nothing(world: World) -> None:
    backend = world.backend
    sales = world.sales
    backend.employees.deactivate(world.manager, sales.employee.id, 1)
    before = snapshot(backend)
    with pytest.raises(PermissionDenied, match="deactivated"):
        backend.clients.update(
            sales,
            world.own_client.id,
            world.own_client.version,
            client_input(full_name="Still Here", email=world.own_client.email),
        )
    with pytest.raises(PermissionDenied):
        backend.clients.get(sales, world.own_client.id)
    assert snapshot(backend) == before


def test_the_department_is_read_from_the_database(world: World) -> None:
    backend = world.backend
    spare = signed_in(world.spare, world.clock)  # Logged in while in sales.
    backend.employees.update(
        world.manager,
        world.spare.id,
        1,
        world.spare.full_name,
        world.spare.email,
        "",
        "management",
    )
    contract = backend.contracts.create(
        spare, ContractInput(world.own_client.id, "750.00")
    )
    assert contract.client_id == world.own_client.id
    before = snapshot(backend)
    with pytest.raises(PermissionDenied, match="management department"):
        backend.clients.create(spare, client_input(email="new@client.example"))
    assert snapshot(backend) == before


def test_an_expired_session_does_nothing(world: World) -> None:
    world.clock.advance(hours=2)
    before = snapshot(world.backend)
    with pytest.raises(SessionExpired):
        world.backend.clients.create(world.sales, client_input())
    with pytest.raises(SessionExpired):
        world.backend.events.get(world.support, world.own_event.id)
    assert snapshot(world.backend) == before


def test_refusals_say_what_is_allowed(world: World) -> None:
    with pytest.raises(PermissionDenied) as refused:
        world.backend.clients.update(
            world.sales,
            world.other_client.id,
            world.other_client.version,
            client_input(email=world.other_client.email),
        )
    assert refused.value.message == (
        "This is not one of your clients: "
        "you may change clients only for your own clients."
    )
    with pytest.raises(PermissionDenied) as refused:
        world.backend.contracts.create(
            world.support, ContractInput(world.own_client.id, "10.00")
        )
    assert refused.value.message == "The support department may not create contracts."
