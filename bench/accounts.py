"""The bench's own employees: one per department, with a password of this run.

Seeded employees get unusable passwords, so each run creates its own
accounts through the real `EmployeeService.create`, with a password drawn
for the run and never printed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from epic_tui.models import Department
from epic_tui.services.backend import open_backend
from epic_tui.services.employees import NewEmployee
from epic_tui.settings import Settings


@dataclass(frozen=True)
class BenchAccounts:
    """The logins of one run: an email per department and their password."""

    emails: dict[Department, str]
    password: str = field(repr=False)

    @classmethod
    def draw(cls) -> BenchAccounts:
        """New emails and a new password, unique to this run."""
        run = secrets.token_hex(4)
        emails = {
            department: f"bench.{department.value}.{run}@bench.example"
            for department in Department
        }
        return cls(emails, secrets.token_urlsafe(24))

    @property
    def manager(self) -> str:
        """The management account, which sees every tab."""
        return self.emails[Department.MANAGEMENT]

    @property
    def salesperson(self) -> str:
        """The sales account, which may create clients."""
        return self.emails[Department.SALES]

    def create_in(self, settings: Settings) -> None:
        """Create the accounts in the database of ``settings``."""
        backend = open_backend(settings)
        try:
            for department, email in self.emails.items():
                backend.employees.create(
                    NewEmployee(
                        email=email,
                        full_name=f"Bench {department.value.capitalize()}",
                        department=department,
                        password=self.password,
                    )
                )
        finally:
            backend.close()

    def log_in(self, settings: Settings, email: str) -> None:
        """Log ``email`` in through the auth service; token.txt is written."""
        backend = open_backend(settings)
        try:
            backend.auth.login(email, self.password)
        finally:
            backend.close()
