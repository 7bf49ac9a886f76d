"""One event: when, where, who runs it, and what may be done."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.binding import Binding

from epic_tui.screens.permitted import may_assign_support, may_change
from epic_tui.screens.record_detail import Field, RecordDetailScreen, open_record
from epic_tui.services.dto import EventDetail
from epic_tui.widgets.record_cells import record_cell

if TYPE_CHECKING:
    from epic_tui.services.backend import Backend
    from epic_tui.services.dto import SignedIn


class EventDetailScreen(RecordDetailScreen[EventDetail]):
    """An event, with links to its contract and its client."""

    BINDINGS = [
        Binding("e", "edit_record", "Edit"),
        Binding("g", "assign_support", "Assign support"),
        Binding("o", "open_contract", "Contract"),
        Binding("c", "open_client", "Client"),
    ]
    ENTITY = "event"
    ACTIONS = (
        ("edit_record", "Edit"),
        ("assign_support", "Assign support"),
        ("open_contract", "Open contract"),
        ("open_client", "Open client"),
        ("show_history", "History"),
    )

    def load(
        self, backend: Backend, actor: SignedIn
    ) -> tuple[EventDetail, Sequence[Any]]:
        return backend.events.get(actor, self.record_id), ()

    def title_of(self, record: EventDetail) -> Text:
        return Text.assemble(f"Event #{record.id} · ", (record.name, "bold"))

    def fields_of(self, record: EventDetail) -> Sequence[Field]:
        onsite = ", ".join(
            part
            for part in (
                record.onsite_contact_name,
                record.onsite_contact_email,
                record.onsite_contact_phone,
            )
            if part
        )
        return (
            ("Client", Text(f"{record.client}  #{record.client_id}")),
            ("Contract", Text(f"#{record.contract_id}")),
            ("Starts", record.start_at),
            ("Ends", record.end_at),
            ("Location", record.location),
            ("Attendees", record.attendees),
            ("Support contact", record_cell(record, "support_contact")),
            ("On-site contact", onsite),
            ("Notes", record.notes),
            ("Updated", record.updated_at),
        )

    def allows(self, action: str, record: EventDetail) -> bool:
        if action == "edit_record":
            return may_change(self.app, "events", record)
        if action == "assign_support":
            return may_assign_support(self.app, record)
        return action in ("open_contract", "open_client")

    def action_edit_record(self) -> None:
        """Change the event's details."""
        from epic_tui.screens.event_form import EventForm

        self.app.push_screen(EventForm(self.record_id), self.after_dialog)

    def action_assign_support(self) -> None:
        """Choose who in support runs the event."""
        from epic_tui.screens.assign_support import AssignSupportDialog

        self.app.push_screen(AssignSupportDialog(self.record_id), self.after_dialog)

    def action_open_contract(self) -> None:
        """Show the event's contract."""
        if self.record is not None:
            open_record(self.app, "contracts", self.record.contract_id)

    def action_open_client(self) -> None:
        """Show the event's client."""
        if self.record is not None:
            open_record(self.app, "clients", self.record.client_id)
