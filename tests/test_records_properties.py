"""Whatever a person types into a record form, a save or a clear message.

Any text in any field of the client, contract, payment and event forms
ends either in a saved record or in an EpicError a form can show, and a
refused form never leaves a row behind.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from epic_tui.models import Client, Contract, Event
from epic_tui.services.backend import Backend
from epic_tui.services.dto import ClientInput, ContractInput, EventInput
from epic_tui.services.errors import EpicError
from tests.conftest import ManualClock
from tests.factories import World, build_world, count_rows

examples = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

any_text = st.one_of(
    st.text(max_size=80),
    st.sampled_from(["", " ", "0", "1", "1e3", "NaN", "2026-07-01 18:00", "\x00"]),
)


@pytest.fixture
def world(backend: Backend, clock: ManualClock) -> World:
    """A small company with records owned by known people."""
    return build_world(backend, clock)


def _saved_or_refused(world: World, model: type, action: object) -> None:
    before = count_rows(world.backend, model)
    try:
        action()  # type: ignore[operator]
    except EpicError as error:
        assert error.message
        assert count_rows(world.backend, model) == before


@examples
@given(fields=st.tuples(any_text, any_text, any_text, any_text, any_text))
def test_any_client_form_is_saved_or_refused(
    world: World, fields: tuple[str, str, str, str, str]
) -> None:
    _saved_or_refused(
        world,
        Client,
        lambda: world.backend.clients.create(world.sales, ClientInput(*fields)),
    )


@examples
@given(total=any_text, due=any_text, client_id=any_text)
def test_any_contract_form_is_saved_or_refused(
    world: World, total: str, due: str, client_id: str
) -> None:
    _saved_or_refused(
        world,
        Contract,
        lambda: world.backend.contracts.create(
            world.manager, ContractInput(client_id or "1", total, due)
        ),
    )


@examples
@given(amount=any_text)
def test_any_payment_is_recorded_or_refused(world: World, amount: str) -> None:
    contract = world.backend.contracts.get(world.sales, world.own_contract.id)
    try:
        paid = world.backend.contracts.record_payment(
            world.sales, contract.id, contract.version, amount
        )
    except EpicError as error:
        assert error.message
    else:
        assert 0 <= paid.amount_due < contract.amount_due


@examples
@given(fields=st.lists(any_text, min_size=9, max_size=9))
def test_any_event_form_is_saved_or_refused(world: World, fields: list[str]) -> None:
    name, start, end, location, attendees, notes, onsite_name, email, phone = fields
    data = EventInput(
        world.own_contract.id,
        name,
        start,
        end,
        location,
        attendees,
        notes,
        onsite_name,
        email,
        phone,
    )
    _saved_or_refused(
        world, Event, lambda: world.backend.events.create(world.sales, data)
    )


@examples
@given(fields=st.lists(any_text, min_size=5, max_size=5))
def test_any_employee_form_is_saved_or_refused(world: World, fields: list[str]) -> None:
    full_name, email, phone, department, hand_over_to = fields
    current = world.backend.employees.get(world.manager, world.spare.id)
    try:
        world.backend.employees.update(
            world.manager,
            current.id,
            current.version,
            full_name,
            email,
            phone,
            department,
            hand_over_to=hand_over_to or None,
        )
    except EpicError as error:
        assert error.message
