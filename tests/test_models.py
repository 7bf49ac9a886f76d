"""The schema keeps money exact, instants in UTC and emails unique.

These run on the test database (SQLite unless EPIC_TEST_DATABASE_URL says
otherwise), the backend where money and time zones are easiest to lose.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from epic_tui.models import Client, Contract, Department, Event, fold_email
from epic_tui.services.backend import Backend
from epic_tui.services.errors import ValidationError
from tests.conftest import add_employee

NOW = datetime(2026, 6, 1, 9, tzinfo=UTC)
PARIS_SUMMER = timezone(timedelta(hours=2))


def _client(session: Session, sales_contact_id: int) -> Client:
    client = Client(
        full_name="Kevin Casey",
        email="kevin@startup.io",
        phone="",
        company_name="Cool Startup LLC",
        created_at=NOW,
        last_contact=date(2026, 6, 1),
        updated_at=NOW,
        sales_contact_id=sales_contact_id,
    )
    session.add(client)
    session.flush()
    return client


def _contract(
    session: Session,
    client: Client,
    *,
    total: Decimal = Decimal("1000.00"),
    due: Decimal = Decimal("0.00"),
) -> Contract:
    contract = Contract(
        client_id=client.id,
        sales_contact_id=client.sales_contact_id,
        total_amount=total,
        amount_due=due,
        created_at=NOW,
        updated_at=NOW,
        signed=True,
        signed_at=NOW,
    )
    session.add(contract)
    session.flush()
    return contract


def _event(contract: Contract, start: datetime, end: datetime) -> Event:
    return Event(
        name="Annual gala",
        contract_id=contract.id,
        start_at=start,
        end_at=end,
        location="53 rue du Château, 41120 Candé-sur-Beuvron",
        attendees=75,
        created_at=NOW,
        updated_at=NOW,
    )


@pytest.fixture
def contract(backend: Backend) -> Contract:
    """A signed contract of a client of a salesperson, already saved."""
    salesperson = add_employee(backend, Department.SALES)
    with backend.sessions.begin() as session:
        return _contract(session, _client(session, salesperson.id))


# -- money ---------------------------------------------------------------------


def test_amounts_come_back_as_the_exact_decimals_saved(backend: Backend) -> None:
    """F26: 1234.56 and 0.10 are Decimal to the cent, never float."""
    salesperson = add_employee(backend, Department.SALES)
    with backend.sessions.begin() as session:
        contract_id = _contract(
            session,
            _client(session, salesperson.id),
            total=Decimal("1234.56"),
            due=Decimal("0.10"),
        ).id

    with backend.sessions() as session:
        loaded = session.get(Contract, contract_id)
        assert loaded is not None
        total, due = loaded.total_amount, loaded.amount_due

    assert type(total) is Decimal
    assert type(due) is Decimal
    assert total == Decimal("1234.56")
    assert due == Decimal("0.10")
    assert str(total) == "1234.56"
    assert str(due) == "0.10"
    assert total - due == Decimal("1234.46")


def test_amounts_are_not_stored_as_floats(backend: Backend, contract: Contract) -> None:
    """F26: the raw column holds no binary float that could drift."""
    with backend.sessions() as session:
        raw = session.execute(
            text("SELECT total_amount, amount_due FROM contracts WHERE id = :id"),
            {"id": contract.id},
        ).one()

    assert not any(isinstance(value, float) for value in raw)


def test_sums_of_many_cents_stay_exact(backend: Backend) -> None:
    """F26: ten contracts of 0.10 add up to exactly 1.00 in SQL too."""
    salesperson = add_employee(backend, Department.SALES)
    with backend.sessions.begin() as session:
        client = _client(session, salesperson.id)
        for _ in range(10):
            _contract(session, client, total=Decimal("0.10"), due=Decimal("0.10"))

    with backend.sessions() as session:
        amounts = session.scalars(select(Contract.amount_due)).all()

    assert sum(amounts, Decimal(0)) == Decimal("1.00")


def test_amount_due_above_the_total_is_refused_by_the_database(
    backend: Backend, contract: Contract
) -> None:
    """F28: the CHECK constraint holds even when the services are bypassed."""
    with pytest.raises(IntegrityError), backend.sessions.begin() as session:
        _contract(
            session,
            session.get_one(Client, contract.client_id),
            total=Decimal("100.00"),
            due=Decimal("100.01"),
        )

    with backend.sessions() as session:
        assert session.scalars(select(Contract.id)).all() == [contract.id]


def test_negative_amount_due_is_refused_by_the_database(
    backend: Backend, contract: Contract
) -> None:
    """0 <= amount due: a negative balance cannot be saved."""
    with pytest.raises(IntegrityError), backend.sessions.begin() as session:
        _contract(
            session,
            session.get_one(Client, contract.client_id),
            total=Decimal("100.00"),
            due=Decimal("-0.01"),
        )


# -- instants ------------------------------------------------------------------


def test_instants_come_back_aware_in_utc(backend: Backend, contract: Contract) -> None:
    """F26: SQLite keeps no time zone; loading puts UTC back."""
    with backend.sessions() as session:
        loaded = session.get_one(Contract, contract.id)

    assert loaded.created_at.tzinfo is not None
    assert loaded.created_at.utcoffset() == timedelta(0)
    assert loaded.created_at == NOW
    assert loaded.signed_at == NOW


def test_instant_given_in_another_zone_comes_back_as_the_same_instant(
    backend: Backend, contract: Contract
) -> None:
    """F26: 11:00 at UTC+2 is saved and read back as 09:00 UTC."""
    start = datetime(2026, 7, 14, 11, 0, tzinfo=PARIS_SUMMER)
    end = start + timedelta(hours=5)
    with backend.sessions.begin() as session:
        event = _event(contract, start, end)
        session.add(event)
        session.flush()
        event_id = event.id

    with backend.sessions() as session:
        loaded = session.get_one(Event, event_id)

    assert loaded.start_at == start
    assert loaded.start_at.utcoffset() == timedelta(0)
    assert loaded.start_at.replace(tzinfo=None) == datetime(2026, 7, 14, 9, 0)
    assert loaded.end_at - loaded.start_at == timedelta(hours=5)


def test_instants_in_different_zones_sort_by_the_real_instant(
    backend: Backend, contract: Contract
) -> None:
    """F26: 10:30 at UTC+2 is before 09:00 UTC the same day, in SQL too."""
    earlier = datetime(2026, 7, 14, 10, 30, tzinfo=PARIS_SUMMER)
    later = datetime(2026, 7, 14, 9, 0, tzinfo=UTC)
    with backend.sessions.begin() as session:
        session.add(_event(contract, later, later + timedelta(hours=1)))
        session.add(_event(contract, earlier, earlier + timedelta(hours=1)))

    with backend.sessions() as session:
        starts = session.scalars(select(Event.start_at).order_by(Event.start_at)).all()

    assert starts == [earlier, later]


def test_saving_a_naive_datetime_is_refused(
    backend: Backend, contract: Contract
) -> None:
    """A4: an instant without a time zone is a bug, not a value to guess."""
    naive = datetime(2026, 7, 14, 11, 0)
    with pytest.raises(StatementError) as caught, backend.sessions.begin() as session:
        session.add(_event(contract, naive, naive + timedelta(hours=2)))
        session.flush()

    assert "aware" in str(caught.value)
    with backend.sessions() as session:
        assert session.scalars(select(Event.id)).all() == []


def test_event_ending_before_it_starts_is_refused_by_the_database(
    backend: Backend, contract: Contract
) -> None:
    """An event ends after it starts, whatever path saves it."""
    start = datetime(2026, 7, 14, 18, tzinfo=UTC)
    with pytest.raises(IntegrityError), backend.sessions.begin() as session:
        session.add(_event(contract, start, start - timedelta(minutes=1)))
        session.flush()

    with backend.sessions() as session:
        assert session.scalars(select(Event.id)).all() == []


def test_event_ending_as_it_starts_is_refused_by_the_database(
    backend: Backend, contract: Contract
) -> None:
    """A zero-length event is not an event."""
    start = datetime(2026, 7, 14, 18, tzinfo=UTC)
    with pytest.raises(IntegrityError), backend.sessions.begin() as session:
        session.add(_event(contract, start, start))
        session.flush()


def test_event_ending_before_it_starts_in_another_zone_is_refused(
    backend: Backend, contract: Contract
) -> None:
    """The CHECK compares instants: 10:30+02:00 is before 09:00 UTC."""
    start = datetime(2026, 7, 14, 9, 0, tzinfo=UTC)
    end = datetime(2026, 7, 14, 10, 30, tzinfo=PARIS_SUMMER)
    with pytest.raises(IntegrityError), backend.sessions.begin() as session:
        session.add(_event(contract, start, end))
        session.flush()


# -- emails --------------------------------------------------------------------


def test_emails_differing_only_by_case_cannot_both_exist(backend: Backend) -> None:
    """E22: "Ana@x.io" and "ana@X.IO" are the same account."""
    first = add_employee(backend, email="Ana@x.io", full_name="Ana Lima")

    with pytest.raises(ValidationError) as caught:
        add_employee(backend, email="ana@X.IO", full_name="Ana Other")

    assert "email" in caught.value.errors
    assert first.email == "ana@x.io"
    assert backend.employees.count() == 1


def test_emails_equal_under_unicode_case_folding_cannot_both_exist(
    backend: Backend,
) -> None:
    """E22: uniqueness holds beyond ASCII: "STRASSE" and "straße" fold alike."""
    assert fold_email("STRASSE@x.io") == fold_email("straße@x.io") == "strasse@x.io"
    add_employee(backend, email="STRASSE@x.io", full_name="Jürgen Strasse")

    with pytest.raises(ValidationError) as caught:
        add_employee(backend, email="straße@x.io", full_name="Jürgen Straße")

    assert "email" in caught.value.errors
    assert backend.employees.count() == 1


def test_email_with_non_ascii_capitals_is_saved_folded(backend: Backend) -> None:
    """E22: "ÉLODIE@Exemple.FR" is saved as "élodie@exemple.fr"."""
    created = add_employee(backend, email=" ÉLODIE@Exemple.FR ", full_name="Élodie")

    assert created.email == "élodie@exemple.fr"
    with pytest.raises(ValidationError):
        add_employee(backend, email="élodie@exemple.fr", full_name="Élodie Bis")


def test_names_keep_the_unicode_typed(backend: Backend) -> None:
    """Names keep accents and scripts exactly as typed."""
    created = add_employee(backend, full_name="Zoë Ōtani-Müller 王")

    assert created.full_name == "Zoë Ōtani-Müller 王"


def test_the_schema_head_known_to_the_code_is_alembics_head() -> None:
    """Start-up compares against SCHEMA_HEAD without importing Alembic."""
    from epic_tui.services import database

    assert database.head_revision() == database.SCHEMA_HEAD
