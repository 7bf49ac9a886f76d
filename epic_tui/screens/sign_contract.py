"""The confirmation before a contract is signed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from epic_tui.formatting import money
from epic_tui.screens.record_form import RecordForm
from epic_tui.services.dto import ContractDetail

if TYPE_CHECKING:
    from epic_tui.services.backend import Backend
    from epic_tui.services.dto import SignedIn


class SignContractDialog(RecordForm[ContractDetail, ContractDetail]):
    """Shows what is being signed and signs it in the user's name.

    Dismissed with the signed contract, or None when cancelled.
    """

    DIALOG_CLASSES = "dialog action-dialog"
    SAVE_LABEL = "Sign contract"
    AUTO_FOCUS = "#save"

    def __init__(self, contract_id: int) -> None:
        """Sign contract ``contract_id`` once the user confirms."""
        super().__init__(contract_id)

    def heading(self) -> str | Text:
        return f"Sign contract #{self.record_id}?"

    def compose_fields(self) -> ComposeResult:
        yield Static("Loading…", id="contract-summary", classes="form-note")
        yield Static(
            "Signing commits the client to the total amount; it cannot be undone.",
            classes="form-note",
        )

    def load(self, backend: Backend, actor: SignedIn) -> ContractDetail:
        assert self.record_id is not None
        return backend.contracts.get(actor, self.record_id)

    def fill(self, loaded: ContractDetail) -> None:
        state = "already signed" if loaded.signed else "not signed yet"
        self.query_one("#contract-summary", Static).update(
            Text.assemble(
                "Client ",
                (loaded.client, "bold"),
                f"\nTotal {money(loaded.total_amount)}, "
                f"amount due {money(loaded.amount_due)}; {state}.",
            )
        )

    def save(self, backend: Backend, actor: SignedIn, values: object) -> ContractDetail:
        assert self.loaded is not None
        return backend.contracts.sign(actor, self.loaded.id, self.loaded.version)

    def saved_message(self, result: ContractDetail) -> str:
        return f"Contract #{result.id} for {result.client} is signed."
