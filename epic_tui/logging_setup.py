"""The log file: one line per event worth knowing later."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(log_file: Path, *, level: int = logging.INFO) -> None:
    """Send the app's log records to ``log_file``, rotated at 1 MB.

    Nothing goes to the terminal: the terminal belongs to the interface.
    A log folder that cannot be created leaves logging off rather than
    stopping the app.
    """
    root = logging.getLogger("epic_tui")
    root.setLevel(level)
    root.propagate = False
    for existing in list(root.handlers):
        if getattr(existing, "baseFilename", None) == str(log_file):
            return
        # Another log file was configured before (tests do this): replace it.
        root.removeHandler(existing)
        existing.close()
    try:
        log_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
