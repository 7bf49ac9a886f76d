"""Choosing the support employee who runs an event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Select, Static

from epic_tui.formatting import local_time
from epic_tui.models import Department
from epic_tui.screens.record_form import RecordForm, selected
from epic_tui.services.dto import EmployeeInfo, EventDetail
from epic_tui.widgets.field_row import FieldRow

if TYPE_CHECKING:
    from epic_tui.services.backend import Backend
    from epic_tui.services.dto import SignedIn


@dataclass(frozen=True)
class SupportChoice:
    """An event and the support employees who could run it."""

    event: EventDetail
    colleagues: list[EmployeeInfo]


class AssignSupportDialog(RecordForm[SupportChoice, EventDetail]):
    """Makes an active support employee the event's support contact.

    Choosing nobody leaves the event without support. Dismissed with the
    updated event, or None when cancelled.
    """

    DIALOG_CLASSES = "dialog action-dialog"
    SAVE_LABEL = "Assign"
    AUTO_FOCUS = "#support-contact-id"

    def __init__(self, event_id: int) -> None:
        """Choose the support contact of event ``event_id``."""
        super().__init__(event_id)

    def heading(self) -> str | Text:
        return f"Support contact of event #{self.record_id}"

    def compose_fields(self) -> ComposeResult:
        yield Static("Loading…", id="event-summary", classes="form-note")
        yield FieldRow(
            "Support contact",
            Select[int](
                [], id="support-contact-id", prompt="Nobody yet", allow_blank=True
            ),
        )

    def load(self, backend: Backend, actor: SignedIn) -> SupportChoice:
        assert self.record_id is not None
        event = backend.events.get(actor, self.record_id)
        colleagues = backend.employees.colleagues(actor, Department.SUPPORT)
        return SupportChoice(event, colleagues)

    def fill(self, loaded: SupportChoice) -> None:
        event = loaded.event
        self.query_one("#event-summary", Static).update(
            Text.assemble(
                (event.name, "bold"),
                f" for {event.client}\n",
                f"{local_time(event.start_at)} to {local_time(event.end_at)}",
                f" · {event.location}" if event.location else "",
            )
        )
        choices = self.query_one("#support-contact-id", Select)
        choices.set_options(
            (Text(colleague.full_name), colleague.id) for colleague in loaded.colleagues
        )
        known = {colleague.id for colleague in loaded.colleagues}
        if event.support_contact_id in known:
            choices.value = event.support_contact_id

    def collect(self) -> int | None:
        value = selected(self.query_one("#support-contact-id", Select))
        return int(value) if value is not None else None

    def save(
        self, backend: Backend, actor: SignedIn, values: int | None
    ) -> EventDetail:
        assert self.loaded is not None
        event = self.loaded.event
        return backend.events.assign_support(actor, event.id, event.version, values)

    def saved_message(self, result: EventDetail) -> str:
        who = result.support_contact or "nobody"
        return f"Event {result.name}: support contact {who}."
