"""Run a program on a pseudo-terminal and time what appears on it.

The clock starts just before the fork and stops when the expected text
shows in the program's output, escape sequences stripped: the same
moment a person would see it in a real terminal.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time
from collections.abc import Mapping, Sequence
from types import TracebackType

COLUMNS = 160
LINES = 48
TIMEOUT = 30.0
"""Seconds a run may take to show the expected text."""

_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]             # CSI: cursor moves, colours, modes
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)  # OSC: titles, clipboard
    | \x1b[PX^_][^\x1b]*\x1b\\           # DCS, SOS, PM, APC strings
    | \x1b[@-Z\\-_]                      # two-character sequences
    | \x1b[()][0-9A-Za-z]                # character set selection
    """,
    re.VERBOSE,
)


def strip_escapes(text: str) -> str:
    """The text a terminal would show, without the escape sequences."""
    return _ESCAPES.sub("", text)


class PtyTimeout(Exception):
    """The expected text did not appear in time."""


class PtyProgram:
    """A program running on a new pseudo-terminal of 160 x 48.

    Use it as a context manager: leaving it ends the program and reaps it.
    """

    def __init__(self, argv: Sequence[str], environ: Mapping[str, str]) -> None:
        self._argv = list(argv)
        self._environ = {
            **environ,
            "TERM": "xterm-256color",
            "COLUMNS": str(COLUMNS),
            "LINES": str(LINES),
        }
        self.pid = 0
        self._fd = -1
        self._started = 0.0
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._text = ""
        self._exit_status: int | None = None

    def __enter__(self) -> PtyProgram:
        self._started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:
            self._exec_child()
        self.pid, self._fd = pid, fd
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _exec_child(self) -> None:
        """In the child: size the terminal, then become the program."""
        try:
            size = struct.pack("HHHH", LINES, COLUMNS, 0, 0)
            fcntl.ioctl(pty.STDOUT_FILENO, termios.TIOCSWINSZ, size)
            os.execve(self._argv[0], self._argv, self._environ)
        finally:
            os._exit(127)

    # Reading the screen.

    def mark(self) -> int:
        """A position in the output; `wait_for` can look only after it."""
        return len(self._text)

    def wait_for(
        self, pattern: str, *, since: int = 0, timeout: float = TIMEOUT
    ) -> float:
        """Wait until ``pattern`` (a regular expression) shows on screen.

        Returns:
            Seconds from the start of the program until it showed.

        Raises:
            PtyTimeout: it did not show within ``timeout`` seconds, or the
                program ended first.
        """
        expected = re.compile(pattern)
        deadline = time.perf_counter() + timeout
        checked = since
        while True:
            # Escape sequences may be cut between reads; look a little back.
            start = max(since, checked - 256)
            if expected.search(strip_escapes(self._text[start:])):
                return time.perf_counter() - self._started
            checked = len(self._text)
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise PtyTimeout(f"{pattern!r} did not show in {timeout:.0f} s")
            if not self._read(remaining):
                raise PtyTimeout(f"the program ended before {pattern!r} showed")

    def _read(self, timeout: float) -> bool:
        """Read what the program wrote; False once the terminal is closed."""
        ready, _, _ = select.select([self._fd], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self._fd, 1 << 16)
        except OSError as error:
            if error.errno == errno.EIO:
                return False
            raise
        if not chunk:
            return False
        self._text += self._decoder.decode(chunk)
        return True

    # Acting on the program.

    def send(self, keys: str) -> None:
        """Type ``keys`` on the terminal."""
        os.write(self._fd, keys.encode())

    def resident_mb(self) -> float:
        """The program's resident memory now (VmRSS), in megabytes."""
        with open(f"/proc/{self.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        raise RuntimeError("VmRSS is missing from /proc status")

    def stop(self) -> None:
        """End the program (SIGTERM, then SIGKILL) and reap it."""
        if self.pid and self._exit_status is None:
            self._signal(signal.SIGTERM)
            if not self._reaped_within(2.0):
                self._signal(signal.SIGKILL)
                self._exit_status = os.waitpid(self.pid, 0)[1]
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def _signal(self, number: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, number)

    def _reaped_within(self, seconds: float) -> bool:
        """Drain the output while waiting, so the program never blocks on it."""
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self._exit_status = status
                return True
            if not self._read(0.05):
                time.sleep(0.01)
        return False


def time_until(argv: Sequence[str], environ: Mapping[str, str], pattern: str) -> float:
    """Seconds from starting ``argv`` until ``pattern`` shows on its screen."""
    with PtyProgram(argv, environ) as program:
        return program.wait_for(pattern)
