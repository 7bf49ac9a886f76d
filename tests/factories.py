"""Building the records service tests work on, through the services.

A :class:`World` is a small company: two people per department, and for
each of the first salesperson and the second one a client with a signed
and an unsigned contract and an event staffed by "their" support person.
Records called ``own_*`` belong to the first employee of each department
(``sales``, ``support``); ``other_*`` to the second ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from epic_tui.models import Base, Department
from epic_tui.services.backend import Backend
from epic_tui.services.dto import (
    ClientDetail,
    ClientInput,
    ContractDetail,
    ContractInput,
    EmployeeInfo,
    EventDetail,
    EventInput,
    SignedIn,
)
from tests.conftest import ManualClock, add_employee


def signed_in(employee: EmployeeInfo, clock: ManualClock) -> SignedIn:
    """A session for ``employee`` that is valid for another hour."""
    return SignedIn(employee=employee, expires_at=clock.now + timedelta(hours=1))


def client_input(**overrides: str) -> ClientInput:
    """A valid client form, with some fields changed."""
    fields = {
        "full_name": "Kevin Casey",
        "email": "kevin@startup.example",
        "phone": "+33 6 12 34 56 78",
        "company_name": "Cool Startup LLC",
        "last_contact": "",
    }
    fields.update(overrides)
    return ClientInput(**fields)


def event_input(contract_id: int | str, **overrides: str) -> EventInput:
    """A valid event form on ``contract_id``, with some fields changed."""
    fields = {
        "name": "Annual gala",
        "start": "2026-07-01 18:00",
        "end": "2026-07-01 23:30",
        "location": "53 rue du Château, 41120 Candé-sur-Beuvron",
        "attendees": "75",
        "notes": "",
    }
    fields.update(overrides)
    return EventInput(contract_id=contract_id, **fields)


def make_client(backend: Backend, sales: SignedIn, **overrides: str) -> ClientDetail:
    """A client of the salesperson ``sales``."""
    return backend.clients.create(sales, client_input(**overrides))


def make_contract(
    backend: Backend,
    manager: SignedIn,
    client: ClientDetail,
    *,
    total: str = "1000.00",
    due: str = "",
    signed: bool = False,
) -> ContractDetail:
    """A contract of ``client``, drafted and, if asked, signed by a manager."""
    contract = backend.contracts.create(manager, ContractInput(client.id, total, due))
    if signed:
        contract = backend.contracts.sign(manager, contract.id, contract.version)
    return contract


def make_event(
    backend: Backend,
    sales: SignedIn,
    contract: ContractDetail,
    *,
    support: EmployeeInfo | None = None,
    manager: SignedIn | None = None,
    **overrides: str,
) -> EventDetail:
    """An event on a signed contract, staffed by ``support`` if given."""
    event = backend.events.create(sales, event_input(contract.id, **overrides))
    if support is not None and manager is not None:
        event = backend.events.assign_support(
            manager, event.id, event.version, support.id
        )
    return event


@dataclass
class World:
    """A small company, with records owned by known people."""

    backend: Backend
    clock: ManualClock
    manager: SignedIn
    other_manager: SignedIn
    sales: SignedIn
    other_sales: SignedIn
    support: SignedIn
    other_support: SignedIn
    spare: EmployeeInfo
    """A salesperson with no records, for the employee operations."""
    own_client: ClientDetail
    other_client: ClientDetail
    own_contract: ContractDetail
    """Signed, of ``own_client``."""
    own_unsigned: ContractDetail
    other_contract: ContractDetail
    other_unsigned: ContractDetail
    own_event: EventDetail
    """On ``own_contract``, staffed by ``support``."""
    other_event: EventDetail
    """On ``other_contract``, staffed by ``other_support``."""

    def actor(self, department: Department) -> SignedIn:
        """The first employee of a department."""
        return {
            Department.MANAGEMENT: self.manager,
            Department.SALES: self.sales,
            Department.SUPPORT: self.support,
        }[department]


def build_world(backend: Backend, clock: ManualClock) -> World:
    """Create the employees and records of a :class:`World`."""
    people = {
        name: add_employee(
            backend,
            department,
            email=f"{name}@epic.example",
            full_name=name.replace("_", " ").title(),
        )
        for name, department in (
            ("manager", Department.MANAGEMENT),
            ("other_manager", Department.MANAGEMENT),
            ("sales", Department.SALES),
            ("other_sales", Department.SALES),
            ("support", Department.SUPPORT),
            ("other_support", Department.SUPPORT),
            ("spare", Department.SALES),
        )
    }
    actors = {name: signed_in(info, clock) for name, info in people.items()}
    manager = actors["manager"]
    own_client = make_client(backend, actors["sales"], full_name="Own Client")
    other_client = make_client(
        backend,
        actors["other_sales"],
        full_name="Other Client",
        email="other@client.example",
    )
    own_contract = make_contract(backend, manager, own_client, signed=True)
    other_contract = make_contract(backend, manager, other_client, signed=True)
    return World(
        backend=backend,
        clock=clock,
        manager=manager,
        other_manager=actors["other_manager"],
        sales=actors["sales"],
        other_sales=actors["other_sales"],
        support=actors["support"],
        other_support=actors["other_support"],
        spare=people["spare"],
        own_client=own_client,
        other_client=other_client,
        own_contract=own_contract,
        own_unsigned=make_contract(backend, manager, own_client),
        other_contract=other_contract,
        other_unsigned=make_contract(backend, manager, other_client),
        own_event=make_event(
            backend,
            actors["sales"],
            own_contract,
            support=people["support"],
            manager=manager,
        ),
        other_event=make_event(
            backend,
            actors["other_sales"],
            other_contract,
            support=people["other_support"],
            manager=manager,
            name="Other gala",
        ),
    )


def snapshot(backend: Backend) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to prove that nothing changed."""
    with backend.sessions() as session:
        return {
            table.name: [
                tuple(row)
                for row in session.execute(
                    select(table).order_by(*table.primary_key.columns)
                )
            ]
            for table in Base.metadata.sorted_tables
        }


def count_rows(backend: Backend, model: Any) -> int:
    """How many rows a table has."""
    with backend.sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0
