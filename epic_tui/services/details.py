"""Loading clients, contracts and events whole, as plain records.

Each query joins the names a form shows (the client, the sales contact,
the signer, the support contact) in one round trip, so no relationship is
ever loaded lazily, and each row becomes a frozen dataclass before the
session closes. ``populate_existing`` makes a record that the same
transaction just updated come back as the database has it now.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, aliased

from epic_tui.models import Client, Contract, Employee, Event
from epic_tui.services.dto import ClientDetail, ContractDetail, EventDetail
from epic_tui.services.errors import NotFound

T = TypeVar("T")

_sales = aliased(Employee, name="detail_sales_contact")
_signer = aliased(Employee, name="detail_signer")
_support = aliased(Employee, name="detail_support_contact")
_client = aliased(Client, name="detail_client")


def client_details(session: Session, where: ColumnElement[bool]) -> list[ClientDetail]:
    """The clients that match ``where``, by id."""
    query = (
        select(Client, _sales.full_name)
        .join(_sales, Client.sales_contact_id == _sales.id)
        .where(where)
        .order_by(Client.id)
        .execution_options(populate_existing=True)
    )
    return [
        ClientDetail(
            id=client.id,
            full_name=client.full_name,
            email=client.email,
            phone=client.phone,
            company_name=client.company_name,
            last_contact=client.last_contact,
            created_at=client.created_at,
            updated_at=client.updated_at,
            sales_contact_id=client.sales_contact_id,
            sales_contact=sales_name,
            version=client.version,
        )
        for client, sales_name in session.execute(query).all()
    ]


def contract_details(
    session: Session, where: ColumnElement[bool]
) -> list[ContractDetail]:
    """The contracts that match ``where``, by id."""
    query = (
        select(Contract, _client.full_name, _sales.full_name, _signer.full_name)
        .join(_client, Contract.client_id == _client.id)
        .join(_sales, Contract.sales_contact_id == _sales.id)
        .outerjoin(_signer, Contract.signed_by_id == _signer.id)
        .where(where)
        .order_by(Contract.id)
        .execution_options(populate_existing=True)
    )
    return [
        ContractDetail(
            id=contract.id,
            client_id=contract.client_id,
            client=client_name,
            sales_contact_id=contract.sales_contact_id,
            sales_contact=sales_name,
            total_amount=contract.total_amount,
            amount_due=contract.amount_due,
            signed=contract.signed,
            signed_at=contract.signed_at,
            signed_by=signer_name,
            created_at=contract.created_at,
            updated_at=contract.updated_at,
            version=contract.version,
        )
        for contract, client_name, sales_name, signer_name in session.execute(
            query
        ).all()
    ]


def event_details(session: Session, where: ColumnElement[bool]) -> list[EventDetail]:
    """The events that match ``where``, by start and id."""
    query = (
        select(Event, Contract.client_id, _client.full_name, _support.full_name)
        .join(Contract, Event.contract_id == Contract.id)
        .join(_client, Contract.client_id == _client.id)
        .outerjoin(_support, Event.support_contact_id == _support.id)
        .where(where)
        .order_by(Event.start_at, Event.id)
        .execution_options(populate_existing=True)
    )
    return [
        EventDetail(
            id=event.id,
            name=event.name,
            contract_id=event.contract_id,
            client_id=client_id,
            client=client_name,
            start_at=event.start_at,
            end_at=event.end_at,
            support_contact_id=event.support_contact_id,
            support_contact=support_name,
            location=event.location,
            attendees=event.attendees,
            notes=event.notes,
            onsite_contact_name=event.onsite_contact_name,
            onsite_contact_email=event.onsite_contact_email,
            onsite_contact_phone=event.onsite_contact_phone,
            created_at=event.created_at,
            updated_at=event.updated_at,
            version=event.version,
        )
        for event, client_id, client_name, support_name in session.execute(query).all()
    ]


def client_detail(session: Session, client_id: int) -> ClientDetail:
    """One client.

    Raises:
        NotFound: no such client.
    """
    return _only(client_details(session, Client.id == client_id), "This client")


def contract_detail(session: Session, contract_id: int) -> ContractDetail:
    """One contract.

    Raises:
        NotFound: no such contract.
    """
    found = contract_details(session, Contract.id == contract_id)
    return _only(found, "This contract")


def event_detail(session: Session, event_id: int) -> EventDetail:
    """One event.

    Raises:
        NotFound: no such event.
    """
    return _only(event_details(session, Event.id == event_id), "This event")


def _only(found: list[T], what: str) -> T:
    if not found:
        raise NotFound(f"{what} does not exist.")
    return found[0]
