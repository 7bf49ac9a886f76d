"""One contract: amounts, signature, its events, and what may be done."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.binding import Binding

from epic_tui.formatting import local_time
from epic_tui.screens.permitted import (
    may_change,
    may_open_event,
    may_record_payment,
    may_sign,
)
from epic_tui.screens.record_detail import Field, RecordDetailScreen, open_record
from epic_tui.services.dto import ContractDetail, EventDetail
from epic_tui.widgets.record_cells import FULLY_PAID, record_cell

if TYPE_CHECKING:
    from epic_tui.services.backend import Backend
    from epic_tui.services.dto import SignedIn


class ContractDetailScreen(RecordDetailScreen[ContractDetail]):
    """A contract, with its events; Enter on an event opens it."""

    BINDINGS = [
        Binding("e", "edit_record", "Edit"),
        Binding("s", "sign_contract", "Sign"),
        Binding("m", "record_payment", "Record payment"),
        Binding("a", "new_event", "New event"),
        Binding("c", "open_client", "Client"),
    ]
    ENTITY = "contract"
    ACTIONS = (
        ("edit_record", "Edit"),
        ("sign_contract", "Sign contract"),
        ("record_payment", "Record payment"),
        ("new_event", "New event"),
        ("open_client", "Open client"),
        ("show_history", "History"),
    )
    LINKED_TITLE = "Events"
    LINKED_COLUMNS = (
        ("id", "#"),
        ("name", "Event"),
        ("start_at", "Starts"),
        ("end_at", "Ends"),
        ("support_contact", "Support contact"),
        ("location", "Location"),
    )

    def load(
        self, backend: Backend, actor: SignedIn
    ) -> tuple[ContractDetail, Sequence[EventDetail]]:
        contract = backend.contracts.get(actor, self.record_id)
        return contract, backend.contracts.events_of(actor, self.record_id)

    def title_of(self, record: ContractDetail) -> Text:
        return Text.assemble(f"Contract #{record.id} · ", (record.client, "bold"))

    def fields_of(self, record: ContractDetail) -> Sequence[Field]:
        signature = Text("Not signed yet", style="bold")
        if record.signed:
            when = f", {local_time(record.signed_at)}" if record.signed_at else ""
            signature = Text(f"Signed by {record.signed_by or 'someone'}{when}")
        return (
            ("Client", Text(f"{record.client}  #{record.client_id}")),
            ("Sales contact", record.sales_contact),
            ("Total", record.total_amount),
            ("Amount due", record_cell(record, "amount_due")),
            ("Signature", signature),
            ("Payment", Text(FULLY_PAID if record.fully_paid else "Not fully paid")),
            ("Created", record.created_at),
            ("Updated", record.updated_at),
        )

    def allows(self, action: str, record: ContractDetail) -> bool:
        if action == "edit_record":
            return may_change(self.app, "contracts", record)
        if action == "sign_contract":
            return may_sign(self.app, record)
        if action == "record_payment":
            return may_record_payment(self.app, record)
        if action == "new_event":
            return may_open_event(self.app, record)
        return action == "open_client"

    def open_linked(self, row: Any) -> None:
        open_record(self.app, "events", row.id)

    def action_edit_record(self) -> None:
        """Change the contract's amounts."""
        from epic_tui.screens.contract_form import ContractForm

        self.app.push_screen(ContractForm(self.record_id), self.after_dialog)

    def action_sign_contract(self) -> None:
        """Sign the contract, after a confirmation."""
        from epic_tui.screens.sign_contract import SignContractDialog

        self.app.push_screen(SignContractDialog(self.record_id), self.after_dialog)

    def action_record_payment(self) -> None:
        """Record what the client paid."""
        from epic_tui.screens.payment import RecordPaymentDialog

        self.app.push_screen(RecordPaymentDialog(self.record_id), self.after_dialog)

    def action_new_event(self) -> None:
        """Open an event under this signed contract."""
        from epic_tui.screens.event_form import EventForm

        self.app.push_screen(EventForm(contract_id=self.record_id), self.after_dialog)

    def action_open_client(self) -> None:
        """Show the contract's client."""
        if self.record is not None:
            open_record(self.app, "clients", self.record.client_id)
