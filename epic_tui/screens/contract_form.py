"""The contract form: management drafts a contract; amounts change later."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Input, Static

from epic_tui.formatting import money
from epic_tui.screens.permitted import current_actor
from epic_tui.screens.record_form import RecordForm
from epic_tui.services import fields
from epic_tui.services.dto import ContractDetail, ContractInput
from epic_tui.services.errors import EpicError
from epic_tui.widgets.field_row import FieldRow
from epic_tui.widgets.record_lookup import RecordLookup

if TYPE_CHECKING:
    from epic_tui.services.backend import Backend
    from epic_tui.services.dto import SignedIn


class ContractForm(RecordForm[ContractDetail, ContractDetail]):
    """Creates an unsigned contract for a client, or changes its amounts.

    A new contract's client is chosen by number, and named below the field
    as soon as the number is typed. Dismissed with the saved contract, or
    None when cancelled.
    """

    def __init__(
        self, record_id: int | None = None, *, client_id: int | None = None
    ) -> None:
        """Change contract ``record_id``, or create one for ``client_id``."""
        super().__init__(record_id)
        self._client_id = client_id

    def heading(self) -> str | Text:
        if self.record_id is None:
            return "New contract"
        return f"Contract #{self.record_id}"

    def compose_fields(self) -> ComposeResult:
        with Grid(classes="form-grid"):
            if self.record_id is None:
                yield RecordLookup(
                    "Client number",
                    Input(
                        str(self._client_id or ""),
                        id="client-id",
                        placeholder="The # of the client in the list",
                    ),
                    self._describe_client,
                    classes="wide",
                )
            else:
                yield Static("", id="contract-client", classes="form-note wide")
            yield FieldRow(
                "Total amount", Input(id="total-amount", placeholder="e.g. 1250.00")
            )
            yield FieldRow(
                "Amount due",
                Input(id="amount-due", placeholder="empty: the whole total"),
            )

    def on_mount(self) -> None:
        super().on_mount()
        focus = "#client-id" if self.record_id is None and not self._client_id else None
        self.query_one(focus or "#total-amount").focus()

    def load(self, backend: Backend, actor: SignedIn) -> ContractDetail:
        assert self.record_id is not None
        return backend.contracts.get(actor, self.record_id)

    def fill(self, loaded: ContractDetail) -> None:
        self.query_one("#contract-client", Static).update(
            Text.assemble("Client: ", (loaded.client, "bold"), f"  #{loaded.client_id}")
        )
        self.set_value("total-amount", f"{loaded.total_amount:.2f}")
        self.set_value("amount-due", f"{loaded.amount_due:.2f}")

    def collect(self) -> ContractInput:
        if self.loaded is not None:
            client_id: int | str = self.loaded.client_id
        else:
            client_id = self.value_of("client-id")
        return ContractInput(
            client_id=client_id,
            total_amount=self.value_of("total-amount"),
            amount_due=self.value_of("amount-due"),
        )

    def save(
        self, backend: Backend, actor: SignedIn, values: ContractInput
    ) -> ContractDetail:
        if self.loaded is None:
            return backend.contracts.create(actor, values)
        return backend.contracts.update(
            actor, self.loaded.id, self.loaded.version, values
        )

    def saved_message(self, result: ContractDetail) -> str:
        return (
            f"Contract #{result.id} for {result.client} is saved "
            f"(total {money(result.total_amount)})."
        )

    def _describe_client(self, text: str) -> Text:
        """Name the client whose number is typed; runs in a worker thread."""
        try:
            client_id = fields.record_id(text, what="client")
            client = self.app.backend.clients.get(current_actor(self.app), client_id)
        except ValueError as error:
            return Text(str(error), style="italic")
        except EpicError as error:
            return Text(error.message, style="italic")
        company = f" · {client.company_name}" if client.company_name else ""
        return Text.assemble(
            (client.full_name, "bold"),
            company,
            f" · sales contact {client.sales_contact}",
        )
