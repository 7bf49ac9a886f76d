"""Sentry, when ``SENTRY_DSN`` is set; nothing at all when it is not.

``sentry_sdk`` is imported only by :func:`init_sentry` with a DSN, so the
app starts no faster or slower without it, and it is an optional extra
(``pip install epic-tui[sentry]``). What goes out is scrubbed first:
no default personal data, no local variables of a crash, and any value
under a key that looks like a secret or a person's contact replaced.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping
from typing import Any

log = logging.getLogger(__name__)

FILTERED = "[Filtered]"
"""What a scrubbed value becomes, as Sentry itself writes it."""

_SENSITIVE_KEY = re.compile(
    r"password|passwd|token|secret|key|authorization|cookie|jti|email|phone",
    re.IGNORECASE,
)
_initialised = False


def init_sentry(dsn: str | None) -> None:
    """Start reporting to Sentry at ``dsn``; do nothing without one.

    A DSN without the ``sentry-sdk`` package installed is logged and
    ignored: monitoring must never stop the app.
    """
    global _initialised
    if not dsn:
        return
    try:
        import sentry_sdk
    except ImportError:
        log.warning("SENTRY_DSN is set but sentry-sdk is not installed")
        return
    sentry_sdk.init(
        dsn=dsn,
        send_default_pii=False,
        include_local_variables=False,
        before_send=scrub_event,
        before_breadcrumb=scrub_breadcrumb,
    )
    _initialised = True
    log.info("error reports go to Sentry")


def report_event(message: str, **tags: str | int) -> None:
    """Send one notable event to Sentry, with ids as tags; else nothing.

    Args:
        message: what happened, without personal data.
        **tags: ids and other plain values, e.g. ``contract_id=12``.
    """
    if not _initialised or "sentry_sdk" not in sys.modules:
        return
    sentry_sdk = sys.modules["sentry_sdk"]
    try:
        with sentry_sdk.new_scope() as scope:
            for name, value in tags.items():
                scope.set_tag(name, str(value))
            sentry_sdk.capture_message(message, level="info")
    except Exception as error:
        # Reporting is a courtesy: it never breaks the action it reports.
        log.warning("Sentry report failed: %s", type(error).__name__)


def report_error(error: BaseException | None) -> None:
    """Send an unexpected error to Sentry, scrubbed; else nothing."""
    if error is None or not _initialised or "sentry_sdk" not in sys.modules:
        return
    try:
        sys.modules["sentry_sdk"].capture_exception(error)
    except Exception as failure:
        log.warning("Sentry report failed: %s", type(failure).__name__)


def scrub_event(event: dict[str, Any], hint: object = None) -> dict[str, Any]:
    """Sentry's ``before_send``: blank every sensitive value of an event.

    Extra data, contexts, tags, breadcrumbs, the request (data, headers,
    cookies, query) and the variables of stack frames are all walked.
    """
    for section in ("extra", "contexts", "tags", "user"):
        if section in event:
            event[section] = _scrubbed(event[section])
    if "request" in event:
        event["request"] = _scrubbed_request(event["request"])
    breadcrumbs = event.get("breadcrumbs")
    if isinstance(breadcrumbs, Mapping) and "values" in breadcrumbs:
        event["breadcrumbs"] = {
            **breadcrumbs,
            "values": [scrub_breadcrumb(crumb) for crumb in breadcrumbs["values"]],
        }
    elif isinstance(breadcrumbs, list):
        event["breadcrumbs"] = [scrub_breadcrumb(crumb) for crumb in breadcrumbs]
    for frame in _frames(event):
        if "vars" in frame:
            frame["vars"] = _scrubbed(frame["vars"])
    return event


def scrub_breadcrumb(crumb: Any, hint: object = None) -> Any:
    """Sentry's ``before_breadcrumb``: blank sensitive breadcrumb data."""
    if isinstance(crumb, dict) and "data" in crumb:
        crumb["data"] = _scrubbed(crumb["data"])
    return crumb


def _scrubbed(value: Any) -> Any:
    """A copy of ``value`` with every value under a sensitive key blanked."""
    if isinstance(value, Mapping):
        return {
            key: FILTERED
            if isinstance(key, str) and _SENSITIVE_KEY.search(key)
            else _scrubbed(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_scrubbed(item) for item in value]
    return value


def _scrubbed_request(request: Any) -> Any:
    """The request with its body, cookies and query string scrubbed.

    A body or query that is a plain string cannot be walked by key, so it
    is dropped whole rather than sent as it is.
    """
    if not isinstance(request, Mapping):
        return request
    cleaned = dict(_scrubbed(request))
    for part in ("data", "query_string", "cookies"):
        if isinstance(cleaned.get(part), str) and cleaned[part]:
            cleaned[part] = FILTERED
    return cleaned


def _frames(event: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every stack frame of the exceptions and threads of an event."""
    frames: list[dict[str, Any]] = []
    for section in ("exception", "threads"):
        container = event.get(section)
        values = container.get("values") if isinstance(container, Mapping) else None
        for item in values or ():
            stacktrace = item.get("stacktrace") if isinstance(item, Mapping) else None
            found = (
                stacktrace.get("frames") if isinstance(stacktrace, Mapping) else None
            )
            frames.extend(frame for frame in found or () if isinstance(frame, dict))
    return frames
