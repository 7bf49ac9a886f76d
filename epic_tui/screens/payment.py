"""Recording a payment a client made on a contract."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Static

from epic_tui.formatting import money
from epic_tui.screens.record_form import RecordForm
from epic_tui.services.dto import ContractDetail
from epic_tui.widgets.field_row import FieldRow
from epic_tui.widgets.record_cells import FULLY_PAID

if TYPE_CHECKING:
    from epic_tui.services.backend import Backend
    from epic_tui.services.dto import SignedIn


class RecordPaymentDialog(RecordForm[ContractDetail, ContractDetail]):
    """Lowers a contract's amount due by what the client paid.

    Dismissed with the updated contract, or None when cancelled.
    """

    DIALOG_CLASSES = "dialog action-dialog"
    SAVE_LABEL = "Record payment"
    AUTO_FOCUS = "#amount"

    def __init__(self, contract_id: int) -> None:
        """Record a payment on contract ``contract_id``."""
        super().__init__(contract_id)

    def heading(self) -> str | Text:
        return f"Record a payment on contract #{self.record_id}"

    def compose_fields(self) -> ComposeResult:
        yield Static("Loading…", id="contract-summary", classes="form-note")
        yield FieldRow("Amount paid", Input(id="amount", placeholder="e.g. 500.00"))

    def load(self, backend: Backend, actor: SignedIn) -> ContractDetail:
        assert self.record_id is not None
        return backend.contracts.get(actor, self.record_id)

    def fill(self, loaded: ContractDetail) -> None:
        self.query_one("#contract-summary", Static).update(
            Text.assemble(
                "Client ",
                (loaded.client, "bold"),
                f"\nTotal {money(loaded.total_amount)}, "
                f"amount due {money(loaded.amount_due)}.",
            )
        )
        self.query_one(
            "#amount", Input
        ).placeholder = f"at most {loaded.amount_due:.2f}, e.g. 500.00"

    def collect(self) -> str:
        return self.value_of("amount")

    def save(self, backend: Backend, actor: SignedIn, values: str) -> ContractDetail:
        assert self.loaded is not None
        return backend.contracts.record_payment(
            actor, self.loaded.id, self.loaded.version, values
        )

    def saved_message(self, result: ContractDetail) -> str:
        if result.fully_paid:
            return f"Contract #{result.id} is {FULLY_PAID.lower()}."
        return f"Contract #{result.id}: {money(result.amount_due)} still due."
