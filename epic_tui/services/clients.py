"""Clients: created by a salesperson, who becomes their sales contact."""

from __future__ import annotations

import logging
from datetime import date

from epic_tui.clock import Clock, utc_now
from epic_tui.models import Client, Contract
from epic_tui.services import fields as parse
from epic_tui.services.acting import (
    Work,
    begin_action,
    checked_id,
    load,
    save_if_changed,
)
from epic_tui.services.changes import changes_between
from epic_tui.services.database import SessionFactory
from epic_tui.services.details import client_detail, contract_details
from epic_tui.services.dto import ClientDetail, ClientInput, ContractDetail, SignedIn
from epic_tui.services.fields import FieldErrors
from epic_tui.services.permissions import Operation, Ownership

log = logging.getLogger(__name__)

THIS_CLIENT = "This client"


class ClientService:
    """Creates, changes and shows clients."""

    def __init__(self, sessions: SessionFactory, *, clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._clock = clock

    def create(self, actor: SignedIn, data: ClientInput) -> ClientDetail:
        """Create a client whose sales contact is the salesperson creating it.

        Raises:
            PermissionDenied: the actor is not in sales.
            ValidationError: a field breaks a rule; nothing is saved.
        """
        with begin_action(self._sessions, self._clock, actor) as work:
            work.require(Operation.CREATE_CLIENT)
            values = _client_values(data, work, last_contact=work.today)
            values["sales_contact_id"] = work.actor_id
            client = Client(
                **values, created_at=work.now, updated_at=work.now, version=1
            )
            work.session.add(client)
            work.session.flush()
            work.audit("create", "client", client.id, changes_between({}, values))
            detail = client_detail(work.session, client.id)
        log.info("client %d created by employee %d", detail.id, work.actor_id)
        return detail

    def update(
        self,
        actor: SignedIn,
        client_id: int,
        expected_version: int,
        data: ClientInput,
    ) -> ClientDetail:
        """Change a client, if it is one of the actor's own.

        Args:
            actor: the logged-in salesperson.
            client_id: the client to change.
            expected_version: the version the form loaded.
            data: the form's fields; an empty last contact is unchanged.

        Raises:
            PermissionDenied: the client is not the actor's.
            ValidationError: a field breaks a rule; nothing is saved.
            StaleRecord: someone saved the client since the form loaded it.
        """
        record_id = checked_id(client_id, THIS_CLIENT)
        with begin_action(self._sessions, self._clock, actor) as work:
            work.require_department(Operation.UPDATE_CLIENT)
            client = load(work.session, Client, record_id, THIS_CLIENT)
            work.require(
                Operation.UPDATE_CLIENT,
                Ownership(sales_contact_id=client.sales_contact_id),
            )
            values = _client_values(data, work, last_contact=client.last_contact)
            changes = save_if_changed(
                work, client, expected_version, values, THIS_CLIENT
            )
            if changes:
                work.audit("update", "client", record_id, changes)
            detail = client_detail(work.session, record_id)
        if changes:
            log.info("client %d updated by employee %d", record_id, work.actor_id)
        return detail

    def get(self, actor: SignedIn, client_id: int) -> ClientDetail:
        """One client, as anyone logged in may see it.

        Raises:
            NotFound: no such client.
        """
        record_id = checked_id(client_id, THIS_CLIENT)
        with begin_action(self._sessions, self._clock, actor) as work:
            return client_detail(work.session, record_id)

    def contracts_of(self, actor: SignedIn, client_id: int) -> list[ContractDetail]:
        """The contracts of one client, oldest first.

        Raises:
            NotFound: no such client.
        """
        record_id = checked_id(client_id, THIS_CLIENT)
        with begin_action(self._sessions, self._clock, actor) as work:
            load(work.session, Client, record_id, THIS_CLIENT)
            return contract_details(work.session, Contract.client_id == record_id)


def _client_values(
    data: ClientInput, work: Work, *, last_contact: date
) -> dict[str, object]:
    """Check every field of the form at once.

    Args:
        data: the form.
        work: the action, for today's date.
        last_contact: the date kept when the form leaves it empty.

    Raises:
        ValidationError: with a message for each field that is wrong.
    """
    errors = FieldErrors()
    values: dict[str, object] = {
        "full_name": errors.take(
            "full_name",
            lambda: parse.single_line(
                data.full_name, what="A full name", limit=120, required=True
            ),
            "",
        ),
        "email": errors.take("email", lambda: parse.email_address(data.email), ""),
        "phone": errors.take("phone", lambda: parse.phone_number(data.phone), ""),
        "company_name": errors.take(
            "company_name",
            lambda: parse.single_line(
                data.company_name, what="A company name", limit=120
            ),
            "",
        ),
        "last_contact": errors.take(
            "last_contact",
            lambda: _last_contact(data.last_contact, work.today, last_contact),
            last_contact,
        ),
    }
    errors.raise_if_any()
    return values


def _last_contact(raw: object, today: date, unchanged: date) -> date:
    if isinstance(raw, str) and not raw.strip():
        return unchanged
    return parse.calendar_date(raw, what="The last contact", latest=today)
