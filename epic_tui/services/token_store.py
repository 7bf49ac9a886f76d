"""token.txt: the session token kept on disk between launches."""

from __future__ import annotations

import logging
import os
import stat
import tempfile
from pathlib import Path

from epic_tui.services.errors import EpicError

log = logging.getLogger(__name__)

MAX_TOKEN_BYTES = 4096
"""A real token is a few hundred bytes; anything larger is not one."""


class TokenStoreError(EpicError):
    """token.txt cannot be kept safely where it is configured."""


class TokenStore:
    """Reads and atomically replaces one token file, private to its owner."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> str | None:
        """Return the stored token, or None when there is no usable one.

        Whatever is in the file — nothing, garbage, a huge blob, bytes
        that are not text — and whether it can be read at all, the answer
        is a token-shaped string or None, never an exception.
        """
        try:
            raw = self._read_regular_file()
        except FileNotFoundError:
            return None
        except OSError as error:
            log.warning("token file unreadable: %s", error.strerror)
            return None
        if raw is None:
            log.warning("token file ignored: not a regular file")
            return None
        if len(raw) > MAX_TOKEN_BYTES:
            log.warning("token file ignored: larger than %d bytes", MAX_TOKEN_BYTES)
            return None
        try:
            token = raw.decode("ascii").strip()
        except UnicodeDecodeError:
            log.warning("token file ignored: not ASCII text")
            return None
        return token or None

    def _read_regular_file(self) -> bytes | None:
        """Read at most one byte past the cap; None for pipes and devices.

        The file is opened without blocking, so a FIFO or a terminal put
        where the token should be cannot hang the start-up.
        """
        descriptor = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as stream:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                return None
            return stream.read(MAX_TOKEN_BYTES + 1)

    def write(self, token: str) -> None:
        """Replace the file's content with ``token`` in one atomic step."""
        folder = self._private_folder()
        descriptor, temporary = tempfile.mkstemp(
            dir=folder, prefix=".token-", suffix=".tmp"
        )
        try:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(token.encode("ascii"))
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, 0o600)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def clear(self) -> None:
        """Empty the file, leaving no token behind."""
        if self.path.exists() or self.path.is_symlink():
            self.write("")

    def _private_folder(self) -> Path:
        """Create the folder with mode 0700, or tighten one of ours.

        A folder shared with others (another owner, or a sticky
        world-writable one such as /tmp) is refused rather than changed.
        """
        folder = self.path.parent
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            info = folder.stat()
        except OSError as error:
            raise TokenStoreError(
                f"cannot create the token folder {folder}: {error.strerror}"
            ) from None
        if info.st_uid != os.getuid() or info.st_mode & stat.S_ISVTX:
            raise TokenStoreError(
                f"the token folder {folder} is shared with other users; "
                "set EPIC_TOKEN_FILE to a file in a private folder"
            )
        if stat.S_IMODE(info.st_mode) != 0o700:
            folder.chmod(0o700)
        return folder
