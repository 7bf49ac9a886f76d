"""Contracts: drafted by management, signed and collected with sales."""

from __future__ import annotations

import logging
from decimal import Decimal

from sqlalchemy.orm import Session

from epic_tui.clock import Clock, utc_now
from epic_tui.models import Client, Contract, Department, Employee, Event
from epic_tui.observability import report_event
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
from epic_tui.services.details import contract_detail, event_details
from epic_tui.services.dto import ContractDetail, ContractInput, EventDetail, SignedIn
from epic_tui.services.errors import ValidationError
from epic_tui.services.fields import FieldErrors
from epic_tui.services.permissions import Operation, Ownership

log = logging.getLogger(__name__)

THIS_CONTRACT = "This contract"
ZERO = Decimal("0.00")


class ContractService:
    """Creates, changes, signs and collects contracts."""

    def __init__(self, sessions: SessionFactory, *, clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._clock = clock

    def create(self, actor: SignedIn, data: ContractInput) -> ContractDetail:
        """Create an unsigned contract for a client, with the client's sales contact.

        Raises:
            PermissionDenied: the actor is not in management.
            ValidationError: a field breaks a rule; nothing is saved.
        """
        with begin_action(self._sessions, self._clock, actor) as work:
            work.require_department(Operation.CREATE_CONTRACT)
            errors = FieldErrors()
            client = _client_of_form(work.session, data.client_id, errors)
            total, due = _amounts(data, errors)
            errors.raise_if_any()
            assert client is not None  # Otherwise client_id has an error.
            work.require(
                Operation.CREATE_CONTRACT,
                Ownership(sales_contact_id=client.sales_contact_id),
            )
            values: dict[str, object] = {
                "client_id": client.id,
                "sales_contact_id": client.sales_contact_id,
                "total_amount": total,
                "amount_due": due,
                "signed": False,
            }
            contract = Contract(
                **values, created_at=work.now, updated_at=work.now, version=1
            )
            work.session.add(contract)
            work.session.flush()
            work.audit("create", "contract", contract.id, changes_between({}, values))
            detail = contract_detail(work.session, contract.id)
        log.info("contract %d created by employee %d", detail.id, work.actor_id)
        return detail

    def update(
        self,
        actor: SignedIn,
        contract_id: int,
        expected_version: int,
        data: ContractInput,
    ) -> ContractDetail:
        """Change the amounts of a contract; its client never changes.

        Raises:
            PermissionDenied: not management, nor the client's sales contact.
            ValidationError: a field breaks a rule; nothing is saved.
            StaleRecord: someone saved the contract since the form loaded it.
        """
        record_id = checked_id(contract_id, THIS_CONTRACT)
        with begin_action(self._sessions, self._clock, actor) as work:
            contract = self._load_for(work, Operation.UPDATE_CONTRACT, record_id)
            errors = FieldErrors()
            client_id = errors.take(
                "client_id",
                lambda: parse.record_id(data.client_id, what="client"),
                contract.client_id,
            )
            if client_id != contract.client_id:
                errors.add(
                    "client_id",
                    "A contract stays with its client; "
                    "create a new contract for another client.",
                )
            total, due = _amounts(data, errors)
            errors.raise_if_any()
            values: dict[str, object] = {"total_amount": total, "amount_due": due}
            changes = save_if_changed(
                work, contract, expected_version, values, THIS_CONTRACT
            )
            if changes:
                work.audit("update", "contract", record_id, changes)
            detail = contract_detail(work.session, record_id)
        if changes:
            log.info("contract %d updated by employee %d", record_id, work.actor_id)
        return detail

    def sign(
        self, actor: SignedIn, contract_id: int, expected_version: int
    ) -> ContractDetail:
        """Sign a contract in the actor's name, now.

        Raises:
            PermissionDenied: not management, nor the client's sales contact.
            ValidationError: the contract is signed already.
            StaleRecord: someone saved the contract since the form loaded it.
        """
        record_id = checked_id(contract_id, THIS_CONTRACT)
        with begin_action(self._sessions, self._clock, actor) as work:
            contract = self._load_for(work, Operation.SIGN_CONTRACT, record_id)
            if contract.signed:
                raise ValidationError({"signed": "This contract is already signed."})
            values: dict[str, object] = {
                "signed": True,
                "signed_at": work.now,
                "signed_by_id": work.actor_id,
            }
            changes = save_if_changed(
                work, contract, expected_version, values, THIS_CONTRACT
            )
            work.audit("sign", "contract", record_id, changes)
            detail = contract_detail(work.session, record_id)
        log.info("contract %d signed by employee %d", record_id, work.actor_id)
        report_event(
            "contract signed", contract_id=record_id, employee_id=work.actor_id
        )
        return detail

    def record_payment(
        self,
        actor: SignedIn,
        contract_id: int,
        expected_version: int,
        amount: str,
    ) -> ContractDetail:
        """Lower the amount due by a payment the client made.

        Args:
            actor: management, or the client's sales contact.
            contract_id: the contract paid.
            expected_version: the version the form loaded.
            amount: what was paid, as typed: more than zero, at most the
                amount due, two decimals at most.

        Raises:
            PermissionDenied: not management, nor the client's sales contact.
            ValidationError: the amount is not a valid payment.
            StaleRecord: someone saved the contract since the form loaded it.
        """
        record_id = checked_id(contract_id, THIS_CONTRACT)
        with begin_action(self._sessions, self._clock, actor) as work:
            contract = self._load_for(work, Operation.RECORD_PAYMENT, record_id)
            paid = _payment(amount, contract.amount_due)
            values: dict[str, object] = {"amount_due": contract.amount_due - paid}
            changes = save_if_changed(
                work, contract, expected_version, values, THIS_CONTRACT
            )
            work.audit("payment", "contract", record_id, changes)
            detail = contract_detail(work.session, record_id)
        log.info(
            "payment recorded on contract %d by employee %d", record_id, work.actor_id
        )
        return detail

    def get(self, actor: SignedIn, contract_id: int) -> ContractDetail:
        """One contract, as anyone logged in may see it.

        Raises:
            NotFound: no such contract.
        """
        record_id = checked_id(contract_id, THIS_CONTRACT)
        with begin_action(self._sessions, self._clock, actor) as work:
            return contract_detail(work.session, record_id)

    def events_of(self, actor: SignedIn, contract_id: int) -> list[EventDetail]:
        """The events organised under one contract, by start.

        Raises:
            NotFound: no such contract.
        """
        record_id = checked_id(contract_id, THIS_CONTRACT)
        with begin_action(self._sessions, self._clock, actor) as work:
            load(work.session, Contract, record_id, THIS_CONTRACT)
            return event_details(work.session, Event.contract_id == record_id)

    @staticmethod
    def _load_for(work: Work, operation: Operation, contract_id: int) -> Contract:
        """Load the contract once the actor may do ``operation`` on it.

        A contract belongs to whoever is its client's sales contact now.
        """
        work.require_department(operation)
        contract = load(work.session, Contract, contract_id, THIS_CONTRACT)
        client = load(work.session, Client, contract.client_id, "Its client")
        work.require(operation, Ownership(sales_contact_id=client.sales_contact_id))
        return contract


def _client_of_form(
    session: Session, raw: object, errors: FieldErrors
) -> Client | None:
    """The client a new contract is for, whose sales contact is in sales."""
    client_id = errors.take(
        "client_id", lambda: parse.record_id(raw, what="client"), None
    )
    if client_id is None:
        return None
    client = session.get(Client, client_id)
    if client is None:
        errors.add("client_id", f"No client has the number {client_id}.")
        return None
    sales_contact = session.get(Employee, client.sales_contact_id)
    if sales_contact is None or sales_contact.department is not Department.SALES:
        errors.add(
            "client_id",
            "This client's sales contact is no longer in sales; "
            "hand the client over to a salesperson first.",
        )
        return None
    return client


def _amounts(data: ContractInput, errors: FieldErrors) -> tuple[Decimal, Decimal]:
    """The total and the amount due; an empty amount due is the whole total."""
    total = errors.take(
        "total_amount",
        lambda: parse.money(data.total_amount, what="The total amount"),
        ZERO,
    )
    raw_due = data.amount_due
    if isinstance(raw_due, str) and not raw_due.strip():
        return total, total
    due = errors.take(
        "amount_due", lambda: parse.money(raw_due, what="The amount due"), ZERO
    )
    both_valid = not {"total_amount", "amount_due"} & errors.errors.keys()
    if both_valid and due > total:
        errors.add("amount_due", "The amount due cannot be more than the total amount.")
    return total, due


def _payment(raw: object, amount_due: Decimal) -> Decimal:
    """A payment: more than zero and no more than what is still due.

    Raises:
        ValidationError: under ``amount``.
    """
    errors = FieldErrors()
    paid = errors.take("amount", lambda: parse.money(raw, what="The payment"), ZERO)
    if not errors.errors:
        if paid <= 0:
            errors.add("amount", "A payment is more than zero.")
        elif paid > amount_due:
            errors.add(
                "amount",
                f"The payment is more than the amount due ({amount_due:.2f}).",
            )
    errors.raise_if_any()
    return paid
