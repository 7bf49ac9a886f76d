"""The App: wires settings, the backend and the session; screens do the rest."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from epic_tui.clock import Clock, utc_now
from epic_tui.logging_setup import configure_logging
from epic_tui.messages import BackendFailed, BackendOpened, LoggedIn, SessionEnded
from epic_tui.observability import report_error
from epic_tui.screens.login import LoginScreen
from epic_tui.settings import Settings

if TYPE_CHECKING:
    from epic_tui.services.backend import Backend
    from epic_tui.services.dto import SignedIn
    from epic_tui.services.passwords import PasswordHasher
    from epic_tui.services.startup import Startup

log = logging.getLogger(__name__)

EXPIRY_CHECK_SECONDS = 1.0
"""How often the wall clock is compared with the token's expiry."""
REVALIDATE_EVERY_CHECKS = 30
"""Every so many checks the session is re-read from the database."""


def create_app(
    settings: Settings,
    *,
    clock: Clock = utc_now,
    hasher: PasswordHasher | None = None,
) -> EpicApp:
    """Build the app from its dependencies; the console script and tests use it."""
    configure_logging(settings.log_file)
    return EpicApp(settings, clock=clock, hasher=hasher)


class EpicApp(App[None]):
    """The Epic Events CRM."""

    CSS_PATH = "styles.tcss"
    TITLE = "Epic Events"
    BINDINGS = [
        # With priority, focus moves before the keys typed after Tab are
        # delivered, so fast typists and password managers that type
        # "email<Tab>password<Enter>" fill the right fields.
        Binding("tab", "focus_next", "Next field", show=False, priority=True),
        Binding(
            "shift+tab", "focus_previous", "Previous field", show=False, priority=True
        ),
    ]

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock = utc_now,
        hasher: PasswordHasher | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.clock = clock
        self._hasher = hasher
        self.startup: Startup | None = None
        self.session: SignedIn | None = None
        self._backend_ready = threading.Event()
        self._backend: Backend | None = None
        self._checks = 0

    @property
    def backend(self) -> Backend:
        """The services; only valid once the start-up worker has finished."""
        if self._backend is None:
            raise RuntimeError("the backend is not open yet")
        return self._backend

    def wait_for_backend(self) -> Backend:
        """Block a worker thread until the backend is open."""
        self._backend_ready.wait()
        return self.backend

    def on_mount(self) -> None:
        # The login form is drawn at once; the database opens behind it.
        self.push_screen(LoginScreen())
        self._open_backend()
        self.set_interval(EXPIRY_CHECK_SECONDS, self._check_session)

    def on_unmount(self) -> None:
        if self._backend is not None:
            self._backend.close()

    @work(thread=True, group="startup", exit_on_error=False)
    def _open_backend(self) -> None:
        from epic_tui.services.errors import EpicError
        from epic_tui.services.startup import start

        try:
            startup = start(self.settings, clock=self.clock, hasher=self._hasher)
        except EpicError as error:
            self.post_message(BackendFailed(error.message))
            return
        self.post_message(BackendOpened(startup))

    @on(BackendOpened)
    def _backend_opened(self, message: BackendOpened) -> None:
        startup = message.startup
        self.startup = startup
        self._backend = startup.backend
        self._backend_ready.set()
        if startup.signed_in is not None:
            self.start_session(startup.signed_in)
        elif startup.first_run:
            from epic_tui.screens.first_run import FirstRunScreen

            self.switch_screen(FirstRunScreen())
        elif isinstance(self.screen, LoginScreen):
            self.screen.show_demo_accounts(startup.demo_accounts)
            if startup.notice:
                self.switch_screen(LoginScreen(startup.notice))

    @on(BackendFailed)
    def _backend_failed(self, message: BackendFailed) -> None:
        self.exit(return_code=2, message=Text(f"epic-tui: {message.message}"))

    @on(LoggedIn)
    def _logged_in(self, message: LoggedIn) -> None:
        self.start_session(message.signed_in)

    @on(SessionEnded)
    def _session_ended(self, message: SessionEnded) -> None:
        self.end_session(message.notice)

    def start_session(self, signed_in: SignedIn) -> None:
        """Show the dashboard of the employee who just logged in."""
        from epic_tui.screens.dashboard import DashboardScreen

        self.session = signed_in
        self._checks = 0
        self._warned = False
        self._close_dialogs()
        self.switch_screen(DashboardScreen(signed_in))
        if signed_in.must_change_password:
            self.action_change_password(required=True)

    def update_session(self, signed_in: SignedIn) -> None:
        """Carry on with a renewed session without leaving the screen."""
        # Screens act through ``self.session``, so they carry on with it.
        self.session = signed_in
        self._warned = False

    def end_session(self, notice: str) -> None:
        """Close every dialog unsaved and return to the login screen.

        Work still running for the old session may report its end too; once
        the login screen shows, the first reason given stays on it.
        """
        if self.session is None and isinstance(self.screen, LoginScreen):
            return
        self.session = None
        self._close_dialogs()
        self.switch_screen(LoginScreen(notice))

    def _close_dialogs(self) -> None:
        # The base screen and the session's screen stay; dialogs go unsaved.
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def session_expired(self) -> bool:
        """True when the wall clock has passed the session's expiry."""
        return self.session is not None and self.clock() >= self.session.expires_at

    def _check_session(self) -> None:
        if self.session is None:
            return
        if self.session_expired():
            log.info("session expired: employee %d", self.session.employee.id)
            self.end_session("Your session expired. Please log in again.")
            return
        remaining = self.session.expires_at - self.clock()
        if not self._warned and remaining <= self.settings.renew_warning:
            self._warned = True
            self.action_renew_session()
        self._checks += 1
        if self._checks % REVALIDATE_EVERY_CHECKS == 0:
            self._revalidate()

    @work(thread=True, exclusive=True, group="session", exit_on_error=False)
    def _revalidate(self) -> None:
        # A logout elsewhere, a deactivation or a department change ends
        # this session too.
        from epic_tui.services.errors import NotLoggedIn

        try:
            current = self.backend.auth.get_user()
        except NotLoggedIn as error:
            self.post_message(SessionEnded(error.message))
            return
        if self.session is not None and current != self.session:
            self.post_message(
                SessionEnded("Your account changed. Please log in again.")
            )

    async def run_action(self, action: Any, *args: Any, **kwargs: Any) -> bool:
        """Check the session's expiry before every action."""
        if self.session_expired():
            self.end_session("Your session expired. Please log in again.")
            return True
        return await super().run_action(action, *args, **kwargs)

    def action_logout(self) -> None:
        """Log out: revoke the token and go back to the login screen."""
        if self.session is None:
            return
        self.session = None
        self._logout()

    @work(thread=True, exclusive=True, group="session", exit_on_error=False)
    def _logout(self) -> None:
        self.backend.auth.logout()
        self.post_message(SessionEnded("You are logged out."))

    def action_renew_session(self) -> None:
        """Offer to renew the session by typing the password again."""
        from epic_tui.screens.renew_session import RenewSessionScreen

        if self.session is not None and not isinstance(self.screen, RenewSessionScreen):
            self.push_screen(RenewSessionScreen())

    def action_change_password(self, required: bool = False) -> None:
        """Open the dialog that changes one's own password."""
        from epic_tui.screens.change_password import ChangePasswordScreen

        if self.session is not None:
            self.push_screen(ChangePasswordScreen(required=required))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Add the session's commands to the palette."""
        yield from super().get_system_commands(screen)
        if self.session is not None:
            yield SystemCommand(
                "Log out",
                "End this session and return to the login screen",
                self.action_logout,
            )
            yield SystemCommand(
                "Change password",
                "Choose a new password; your other sessions end",
                self.action_change_password,
            )
            yield SystemCommand(
                "Renew session",
                "Type your password again to stay logged in longer",
                self.action_renew_session,
            )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Report the App's own background tasks that failed unexpectedly."""
        if event.state is WorkerState.ERROR:
            self.report_worker_error(event.worker)

    def report_worker_error(self, worker: Worker[Any]) -> None:
        """Log a failed background task and tell the user, readably."""
        error = worker.error
        log.error(
            "unexpected error in %s",
            worker.name or "a background task",
            exc_info=(type(error), error, error.__traceback__) if error else None,
        )
        report_error(error)
        if worker.group == "startup":
            # Without a backend nothing can work: stop with the reason.
            self.exit(
                return_code=2,
                message=Text(
                    "epic-tui could not start after an unexpected error; "
                    f"details are in {self.settings.log_file}."
                ),
            )
            return
        self.notify(
            "Something went wrong and the action was not completed. "
            f"Details are in {self.settings.log_file}.",
            title="Unexpected error",
            severity="error",
            timeout=10,
        )

    def _handle_exception(self, error: Exception) -> None:
        """Log an unexpected error and exit with a short, safe message.

        Textual's default report prints local variables, which may hold a
        password or a token; the traceback goes to the log file instead.
        """
        log.error(
            "unexpected error", exc_info=(type(error), error, error.__traceback__)
        )
        report_error(error)
        self._return_code = 1
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        self._exit_renderables.append(
            Text(
                f"epic-tui stopped after an unexpected error ({type(error).__name__}). "
                f"Details are in {self.settings.log_file}."
            )
        )
        self._close_messages_no_wait()
