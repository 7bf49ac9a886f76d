"""The client form: a salesperson creates a client or changes their own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Input

from epic_tui.screens.record_form import RecordForm
from epic_tui.services.dto import ClientDetail, ClientInput
from epic_tui.widgets.field_row import FieldRow

if TYPE_CHECKING:
    from epic_tui.services.backend import Backend
    from epic_tui.services.dto import SignedIn


class ClientForm(RecordForm[ClientDetail, ClientDetail]):
    """Creates a client, whose sales contact is its creator, or changes one.

    Dismissed with the saved client, or None when cancelled.
    """

    AUTO_FOCUS = "#full-name"

    def heading(self) -> str | Text:
        if self.record_id is None:
            return "New client"
        return f"Client #{self.record_id}"

    def compose_fields(self) -> ComposeResult:
        with Grid(classes="form-grid"):
            yield FieldRow("Full name", Input(id="full-name"))
            yield FieldRow("Email", Input(id="email", placeholder="name@company.com"))
            yield FieldRow(
                "Phone (optional)", Input(id="phone", placeholder="+33 6 12 34 56 78")
            )
            yield FieldRow("Company (optional)", Input(id="company-name"))
            yield FieldRow(
                "Last contact",
                Input(id="last-contact", placeholder="YYYY-MM-DD, empty: today"),
            )

    def load(self, backend: Backend, actor: SignedIn) -> ClientDetail:
        assert self.record_id is not None
        return backend.clients.get(actor, self.record_id)

    def fill(self, loaded: ClientDetail) -> None:
        self.set_value("full-name", loaded.full_name)
        self.set_value("email", loaded.email)
        self.set_value("phone", loaded.phone)
        self.set_value("company-name", loaded.company_name)
        self.set_value("last-contact", loaded.last_contact.isoformat())

    def collect(self) -> ClientInput:
        return ClientInput(
            full_name=self.value_of("full-name"),
            email=self.value_of("email"),
            phone=self.value_of("phone"),
            company_name=self.value_of("company-name"),
            last_contact=self.value_of("last-contact"),
        )

    def save(
        self, backend: Backend, actor: SignedIn, values: ClientInput
    ) -> ClientDetail:
        if self.loaded is None:
            return backend.clients.create(actor, values)
        return backend.clients.update(
            actor, self.loaded.id, self.loaded.version, values
        )

    def saved_message(self, result: ClientDetail) -> str:
        return f"Client {result.full_name} is saved."
