"""One client: their details, their contracts, and what may be done."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.binding import Binding

from epic_tui.screens.permitted import may_change, may_draft_contract
from epic_tui.screens.record_detail import Field, RecordDetailScreen, open_record
from epic_tui.services.dto import ClientDetail, ContractDetail

if TYPE_CHECKING:
    from epic_tui.services.backend import Backend
    from epic_tui.services.dto import SignedIn


class ClientDetailScreen(RecordDetailScreen[ClientDetail]):
    """A client, with their contracts; Enter on a contract opens it."""

    BINDINGS = [
        Binding("e", "edit_record", "Edit"),
        Binding("a", "new_contract", "New contract"),
    ]
    ENTITY = "client"
    ACTIONS = (
        ("edit_record", "Edit"),
        ("new_contract", "New contract"),
        ("show_history", "History"),
    )
    LINKED_TITLE = "Contracts"
    LINKED_COLUMNS = (
        ("id", "#"),
        ("total_amount", "Total"),
        ("amount_due", "Amount due"),
        ("signed", "Signed"),
        ("created_at", "Created"),
    )

    def load(
        self, backend: Backend, actor: SignedIn
    ) -> tuple[ClientDetail, Sequence[ContractDetail]]:
        client = backend.clients.get(actor, self.record_id)
        return client, backend.clients.contracts_of(actor, self.record_id)

    def title_of(self, record: ClientDetail) -> Text:
        return Text.assemble(f"Client #{record.id} · ", (record.full_name, "bold"))

    def fields_of(self, record: ClientDetail) -> Sequence[Field]:
        return (
            ("Full name", record.full_name),
            ("Company", record.company_name),
            ("Email", record.email),
            ("Phone", record.phone),
            ("Sales contact", record.sales_contact),
            ("Last contact", record.last_contact),
            ("Created", record.created_at),
            ("Updated", record.updated_at),
        )

    def allows(self, action: str, record: ClientDetail) -> bool:
        if action == "edit_record":
            return may_change(self.app, "clients", record)
        if action == "new_contract":
            return may_draft_contract(self.app, record)
        return False

    def open_linked(self, row: Any) -> None:
        open_record(self.app, "contracts", row.id)

    def action_edit_record(self) -> None:
        """Change the client's details."""
        from epic_tui.screens.client_form import ClientForm

        self.app.push_screen(ClientForm(self.record_id), self.after_dialog)

    def action_new_contract(self) -> None:
        """Draft a contract for this client."""
        from epic_tui.screens.contract_form import ContractForm

        self.app.push_screen(ContractForm(client_id=self.record_id), self.after_dialog)
