"""Fixed records for list, screen and snapshot tests: no randomness, no "now".

Rows go straight into the database, so a test sets up exactly the
clients, contracts and events it talks about, in a few milliseconds.
Employees who must log in are created through the real service instead,
with a real password hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from epic_tui.models import Client, Contract, Department, Employee, Event
from epic_tui.services.backend import Backend
from epic_tui.services.dto import EmployeeInfo, SignedIn
from tests.conftest import add_employee


@dataclass
class Records:
    """Adds records with the values a test names, and sensible others."""

    backend: Backend
    now: datetime

    def login_employee(
        self, department: Department, full_name: str, email: str
    ) -> EmployeeInfo:
        """An employee who can log in with the standard test password."""
        return add_employee(self.backend, department, email=email, full_name=full_name)

    def employee(
        self,
        department: Department,
        full_name: str,
        *,
        email: str | None = None,
        active: bool = True,
    ) -> int:
        """An employee nobody logs in as (their password hash is unusable)."""
        slug = full_name.lower().replace(" ", ".")
        return self._add(
            Employee(
                full_name=full_name,
                email=email or f"{slug}@epic.example",
                phone="",
                department=department,
                password_hash="!",
                active=active,
                must_change_password=False,
                created_at=self.now,
                updated_at=self.now,
                version=1,
            )
        )

    def client(
        self,
        sales_contact_id: int,
        full_name: str,
        *,
        email: str | None = None,
        company_name: str = "",
        phone: str = "",
        last_contact: date | None = None,
    ) -> int:
        """A client of ``sales_contact_id``."""
        slug = "".join(char for char in full_name.lower() if char.isalnum())
        return self._add(
            Client(
                full_name=full_name,
                email=email or f"{slug or 'client'}@client.example",
                phone=phone,
                company_name=company_name,
                created_at=self.now,
                last_contact=last_contact or self.now.date(),
                updated_at=self.now,
                sales_contact_id=sales_contact_id,
                version=1,
            )
        )

    def contract(
        self,
        client_id: int,
        *,
        total: str = "1000.00",
        due: str | None = None,
        signed: bool = False,
        created_at: datetime | None = None,
    ) -> int:
        """A contract of ``client_id``, under the client's sales contact."""
        with self.backend.sessions() as session:
            client = session.get(Client, client_id)
            assert client is not None
            sales_contact_id = client.sales_contact_id
        return self._add(
            Contract(
                client_id=client_id,
                sales_contact_id=sales_contact_id,
                total_amount=Decimal(total),
                amount_due=Decimal(total if due is None else due),
                created_at=created_at or self.now,
                updated_at=self.now,
                signed=signed,
                signed_at=self.now if signed else None,
                signed_by_id=sales_contact_id if signed else None,
                version=1,
            )
        )

    def event(
        self,
        contract_id: int,
        name: str,
        *,
        start: datetime | None = None,
        hours: int = 4,
        support_contact_id: int | None = None,
        location: str = "",
        attendees: int = 0,
    ) -> int:
        """An event under ``contract_id``, a week from now unless told."""
        start = start or self.now + timedelta(days=7)
        return self._add(
            Event(
                name=name,
                contract_id=contract_id,
                start_at=start,
                end_at=start + timedelta(hours=hours),
                support_contact_id=support_contact_id,
                location=location,
                attendees=attendees,
                notes="",
                onsite_contact_name="",
                onsite_contact_email="",
                onsite_contact_phone="",
                created_at=self.now,
                updated_at=self.now,
                version=1,
            )
        )

    def session_of(self, employee_id: int) -> SignedIn:
        """A session of ``employee_id`` valid for an hour from now."""
        with self.backend.sessions() as session:
            employee = session.get(Employee, employee_id)
            assert employee is not None
            info = EmployeeInfo.of(employee)
        return SignedIn(employee=info, expires_at=self.now + timedelta(hours=1))

    def _add(self, record: Employee | Client | Contract | Event) -> int:
        with self.backend.sessions.begin() as session:
            session.add(record)
            session.flush()
            return int(record.id)
