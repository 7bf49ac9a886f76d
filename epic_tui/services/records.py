"""The services and plain records of clients, contracts and events.

One import for the screens: the input each form fills, the detail each
service returns, and the services themselves.
"""

from epic_tui.services.audit import AuditService
from epic_tui.services.clients import ClientService
from epic_tui.services.contracts import ContractService
from epic_tui.services.dto import (
    ClientDetail,
    ClientInput,
    ContractDetail,
    ContractInput,
    EventDetail,
    EventInput,
    HistoryEntry,
)
from epic_tui.services.events import EventService

__all__ = [
    "AuditService",
    "ClientDetail",
    "ClientInput",
    "ClientService",
    "ContractDetail",
    "ContractInput",
    "ContractService",
    "EventDetail",
    "EventInput",
    "EventService",
    "HistoryEntry",
]
