"""The full-text index finds what LIKE finds, and follows every change."""

from __future__ import annotations

import pytest

from epic_tui.models import Department
from epic_tui.services.backend import Backend
from epic_tui.services.catalog import PageRequest
from epic_tui.services.dto import ClientInput, SignedIn
from tests.conftest import ManualClock
from tests.factories_ui import Records

NAMES = [
    "Élodie Marchand",
    "Zoë O'Brien",
    '50% Off "Events" Ltd',
    "back\\slash_under",
    "Jean-Pierre Lefèvre",
    "Ampersand & Sons",
]


@pytest.fixture
def records(backend: Backend, clock: ManualClock) -> Records:
    return Records(backend, clock.now)


@pytest.fixture
def seller(records: Records) -> tuple[int, SignedIn]:
    employee_id = records.employee(Department.SALES, "Sam Seller")
    return employee_id, records.session_of(employee_id)


def client_names(backend: Backend, actor: SignedIn, text: str) -> set[str]:
    page = backend.catalog.page(actor, "clients", PageRequest(search=text, size=200))
    return {row.full_name for row in page.rows}


def like_only(backend: Backend, actor: SignedIn, text: str) -> set[str]:
    """The same search with the index switched off: the reference answer."""
    indexed = backend.catalog._full_text
    backend.catalog._full_text = False
    try:
        return client_names(backend, actor, text)
    finally:
        backend.catalog._full_text = indexed


@pytest.mark.parametrize(
    "text",
    ["elodie", "Mar", "O'B", '"Events"', "50%", "\\slash_", "-Pierre", "& S", "xyz"],
)
def test_indexed_search_agrees_with_like(
    backend: Backend, records: Records, seller: tuple[int, SignedIn], text: str
) -> None:
    """F25: the index is a faster path to the very same literal answer."""
    seller_id, actor = seller
    for name in NAMES:
        records.client(seller_id, name)
    expected = {name for name in NAMES if text.casefold() in name.casefold()}
    if text == "elodie":
        # Neither LIKE nor the trigram index folds accents: É is not E.
        expected = set()
    assert client_names(backend, actor, text) == expected
    if backend.engine.dialect.name == "sqlite":
        assert like_only(backend, actor, text) == expected


def test_the_index_follows_creation_and_renaming(
    backend: Backend, seller: tuple[int, SignedIn]
) -> None:
    """Search finds a new client at once, and a renamed one by its new name only."""
    _seller_id, actor = seller
    created = backend.clients.create(
        actor, ClientInput(full_name="Octavia Quill", email="octavia@quill.example")
    )
    assert client_names(backend, actor, "Quill") == {"Octavia Quill"}
    backend.clients.update(
        actor,
        created.id,
        created.version,
        ClientInput(full_name="Octavia Zephyr", email="octavia@quill.example"),
    )
    assert client_names(backend, actor, "Zephyr") == {"Octavia Zephyr"}
    assert client_names(backend, actor, "Octavia Quill") == set()
    # The email column is indexed too.
    assert client_names(backend, actor, "quill.example") == {"Octavia Zephyr"}


def test_uppercase_accented_text_finds_lowercase_through_the_index(
    backend: Backend, records: Records, seller: tuple[int, SignedIn]
) -> None:
    """Case folding beyond ASCII where the index answers (3+ characters)."""
    seller_id, actor = seller
    records.client(seller_id, "Élodie Marchand")
    assert client_names(backend, actor, "ÉLODIE") == {"Élodie Marchand"}


def test_seeded_rows_are_searchable_and_the_triggers_come_back(
    backend: Backend, seller: tuple[int, SignedIn], clock: ManualClock
) -> None:
    """Bulk seeding indexes its rows once, then later changes are tracked again."""
    from epic_tui.services.seeding import SeedSizes, seed

    _seller_id, actor = seller
    seed(
        backend.sessions,
        SeedSizes(employees_per_department=1, clients=30, contracts=10, events=10),
        hasher=backend.auth.hasher,
        now=clock(),
        random_seed=7,
    )
    some = backend.catalog.page(actor, "clients", PageRequest(size=5)).rows[-1]
    assert some.full_name in client_names(backend, actor, some.full_name)
    backend.clients.create(
        actor, ClientInput(full_name="After Seeding", email="after@seed.example")
    )
    assert client_names(backend, actor, "After Seed") == {"After Seeding"}


@pytest.mark.parametrize("few_matches", [2000, 0], ids=["from-matches", "in-order"])
def test_event_search_finds_the_same_rows_either_way(
    backend: Backend,
    records: Records,
    seller: tuple[int, SignedIn],
    monkeypatch: pytest.MonkeyPatch,
    few_matches: int,
) -> None:
    """Rare or common text: by name, location or client, the same events."""
    from epic_tui.services import catalog

    monkeypatch.setattr(catalog, "FEW_MATCHES", few_matches)
    seller_id, actor = seller
    client = records.client(seller_id, "Wanda Gala-Planner")
    contract = records.contract(client, signed=True)
    records.event(contract, "Spring Gala", location="Lyon")
    records.event(contract, "Board meeting", location="Galashiels")
    records.event(contract, "Picnic", location="Paris")
    other = records.contract(records.client(seller_id, "Somebody Else"), signed=True)
    records.event(other, "Quiet dinner", location="Nice")
    page = backend.catalog.page(actor, "events", PageRequest(search="gala", size=50))
    assert sorted(row.name for row in page.rows) == [
        "Board meeting",
        "Picnic",
        "Spring Gala",
    ]
