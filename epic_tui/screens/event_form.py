"""The event form: sales open an event; its support contact runs it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Input, Static, TextArea

from epic_tui.formatting import local_time
from epic_tui.screens.permitted import current_actor
from epic_tui.screens.record_form import RecordForm
from epic_tui.services import fields
from epic_tui.services.dto import EventDetail, EventInput
from epic_tui.services.errors import EpicError
from epic_tui.widgets.field_row import FieldRow
from epic_tui.widgets.record_lookup import RecordLookup

if TYPE_CHECKING:
    from epic_tui.services.backend import Backend
    from epic_tui.services.dto import SignedIn

WHEN = "YYYY-MM-DD HH:MM, local time"


class EventForm(RecordForm[EventDetail, EventDetail]):
    """Creates an event on a signed contract, or changes one.

    Times are typed in local time. Leaving the three on-site fields empty
    makes the client the on-site contact. Dismissed with the saved event,
    or None when cancelled.
    """

    AUTO_FOCUS = "#name"

    def __init__(
        self, record_id: int | None = None, *, contract_id: int | None = None
    ) -> None:
        """Change event ``record_id``, or create one under ``contract_id``."""
        super().__init__(record_id)
        self._contract_id = contract_id

    def heading(self) -> str | Text:
        if self.record_id is None:
            return "New event"
        return f"Event #{self.record_id}"

    def compose_fields(self) -> ComposeResult:
        with Grid(classes="form-grid"):
            if self.record_id is None:
                yield RecordLookup(
                    "Contract number",
                    Input(
                        str(self._contract_id or ""),
                        id="contract-id",
                        placeholder="The # of a signed contract",
                    ),
                    self._describe_contract,
                    classes="wide",
                )
            else:
                yield Static("", id="event-contract", classes="form-note wide")
            yield FieldRow("Name", Input(id="name"), classes="wide")
            yield FieldRow("Starts", Input(id="start", placeholder=WHEN))
            yield FieldRow("Ends", Input(id="end", placeholder=WHEN))
            yield FieldRow("Location", Input(id="location"))
            yield FieldRow(
                "Attendees", Input(id="attendees", placeholder="0", type="integer")
            )
            yield FieldRow(
                "On-site contact",
                Input(id="onsite-contact-name", placeholder="empty: the client"),
            )
            yield FieldRow("On-site email", Input(id="onsite-contact-email"))
            yield FieldRow("On-site phone", Input(id="onsite-contact-phone"))
            yield Static("", classes="form-note")
            yield FieldRow("Notes", TextArea(id="notes"), classes="wide")

    def load(self, backend: Backend, actor: SignedIn) -> EventDetail:
        assert self.record_id is not None
        return backend.events.get(actor, self.record_id)

    def fill(self, loaded: EventDetail) -> None:
        self.query_one("#event-contract", Static).update(
            Text.assemble(
                f"Contract #{loaded.contract_id} · client ", (loaded.client, "bold")
            )
        )
        self.set_value("name", loaded.name)
        self.set_value("start", local_time(loaded.start_at))
        self.set_value("end", local_time(loaded.end_at))
        self.set_value("location", loaded.location)
        self.set_value("attendees", str(loaded.attendees))
        self.set_value("onsite-contact-name", loaded.onsite_contact_name)
        self.set_value("onsite-contact-email", loaded.onsite_contact_email)
        self.set_value("onsite-contact-phone", loaded.onsite_contact_phone)
        self.set_value("notes", loaded.notes)

    def collect(self) -> EventInput:
        if self.loaded is not None:
            contract_id: int | str = self.loaded.contract_id
        else:
            contract_id = self.value_of("contract-id")
        return EventInput(
            contract_id=contract_id,
            name=self.value_of("name"),
            start=self.value_of("start"),
            end=self.value_of("end"),
            location=self.value_of("location"),
            attendees=self.value_of("attendees"),
            notes=self.value_of("notes"),
            onsite_contact_name=self.value_of("onsite-contact-name"),
            onsite_contact_email=self.value_of("onsite-contact-email"),
            onsite_contact_phone=self.value_of("onsite-contact-phone"),
        )

    def save(
        self, backend: Backend, actor: SignedIn, values: EventInput
    ) -> EventDetail:
        if self.loaded is None:
            return backend.events.create(actor, values)
        return backend.events.update(actor, self.loaded.id, self.loaded.version, values)

    def saved_message(self, result: EventDetail) -> str:
        return f"Event {result.name} is saved."

    def _describe_contract(self, text: str) -> Text:
        """Say what the contract whose number is typed is; runs in a worker."""
        try:
            contract_id = fields.record_id(text, what="contract")
            contract = self.app.backend.contracts.get(
                current_actor(self.app), contract_id
            )
        except ValueError as error:
            return Text(str(error), style="italic")
        except EpicError as error:
            return Text(error.message, style="italic")
        state = "signed" if contract.signed else "not signed: events need a signature"
        return Text.assemble("Client ", (contract.client, "bold"), f" · {state}")
