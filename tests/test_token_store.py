"""token.txt on disk: private, replaced atomically, read defensively."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from epic_tui.services.token_store import TokenStore, TokenStoreError

TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def token_file(tmp_path: Path) -> Path:
    """Where the store keeps its token: a folder that does not exist yet."""
    return tmp_path / "state" / "epic-tui" / "token.txt"


@pytest.fixture
def store(token_file: Path) -> TokenStore:
    return TokenStore(token_file)


# -- writing -------------------------------------------------------------------


def test_write_creates_a_private_file_in_a_private_folder(
    store: TokenStore, token_file: Path
) -> None:
    """B10: a new token file is 0600 in a new folder of 0700."""
    store.write(TOKEN)

    assert token_file.read_text() == TOKEN
    assert _mode(token_file) == 0o600
    assert _mode(token_file.parent) == 0o700


def test_write_tightens_an_older_looser_file_and_folder(
    store: TokenStore, token_file: Path
) -> None:
    """B10: a 0644 file in a 0755 folder is made 0600 in 0700 on write."""
    token_file.parent.mkdir(parents=True)
    token_file.parent.chmod(0o755)
    token_file.write_text("old token")
    token_file.chmod(0o644)

    store.write(TOKEN)

    assert token_file.read_text() == TOKEN
    assert _mode(token_file) == 0o600
    assert _mode(token_file.parent) == 0o700


def test_write_leaves_no_temporary_file_behind(
    store: TokenStore, token_file: Path
) -> None:
    """B11: after a write the folder holds token.txt and nothing else."""
    store.write("first")
    store.write(TOKEN)

    assert [path.name for path in token_file.parent.iterdir()] == ["token.txt"]


def test_write_replaces_the_previous_token_entirely(store: TokenStore) -> None:
    """B11: a shorter new token leaves no tail of the longer old one."""
    store.write(TOKEN * 3)
    store.write(TOKEN)

    assert store.read() == TOKEN


def test_sticky_world_writable_folder_is_refused(tmp_path: Path) -> None:
    """B10: a shared folder like /tmp is refused, not silently used."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    store = TokenStore(shared / "token.txt")

    with pytest.raises(TokenStoreError):
        store.write(TOKEN)

    assert not (shared / "token.txt").exists()
    assert _mode(shared) == 0o1777


def test_two_instances_writing_at_once_leave_one_whole_token(
    store: TokenStore, token_file: Path
) -> None:
    """B11: concurrent logins leave exactly one complete token, never a mix.

    A third thread reads throughout: it must only ever see nothing or one
    of the two whole tokens.
    """
    tokens = ("A" * 400, "B" * 350)
    start = threading.Barrier(3)
    done = threading.Event()
    seen: set[str | None] = set()
    errors: list[BaseException] = []

    def writer(token: str) -> None:
        try:
            start.wait()
            for _ in range(20):
                TokenStore(token_file).write(token)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    def reader() -> None:
        start.wait()
        while not done.is_set():
            seen.add(store.read())

    threads = [threading.Thread(target=writer, args=(token,)) for token in tokens]
    watcher = threading.Thread(target=reader)
    for thread in [*threads, watcher]:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    done.set()
    watcher.join(timeout=30)

    assert errors == []
    assert store.read() in tokens
    assert seen <= {None, *tokens}
    assert [path.name for path in token_file.parent.iterdir()] == ["token.txt"]


# -- reading -------------------------------------------------------------------


def test_read_returns_the_token_without_surrounding_whitespace(
    store: TokenStore, token_file: Path
) -> None:
    """B12: a token saved by hand with a newline still logs in."""
    token_file.parent.mkdir(parents=True)
    token_file.write_text(f"  \n{TOKEN}\r\n\t")

    assert store.read() == TOKEN


def test_read_of_a_missing_file_is_logged_out(store: TokenStore) -> None:
    """B12: no file means no session."""
    assert store.read() is None


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b" \n\t\r\n ", id="whitespace"),
        pytest.param(b"x" * 4097, id="huge"),
        pytest.param(b"x" * 1_000_000, id="megabyte"),
        pytest.param(b"\xff\xfe\x00", id="binary"),
        pytest.param("jeton-é".encode(), id="non-ascii"),
    ],
)
def test_read_of_unusable_content_is_logged_out(
    store: TokenStore, token_file: Path, content: bytes
) -> None:
    """B12: empty, blank, oversized or binary content reads as no token."""
    token_file.parent.mkdir(parents=True)
    token_file.write_bytes(content)

    assert store.read() is None


def test_read_of_a_directory_at_the_path_is_logged_out(
    store: TokenStore, token_file: Path
) -> None:
    """B12: a folder where the file should be is not a crash."""
    token_file.mkdir(parents=True)

    assert store.read() is None


def test_read_of_a_fifo_at_the_path_is_logged_out_without_hanging(
    store: TokenStore, token_file: Path
) -> None:
    """B12: something that is not a regular file must not block start-up."""
    token_file.parent.mkdir(parents=True)
    os.mkfifo(token_file)
    results: list[str | None] = []
    reader = threading.Thread(target=lambda: results.append(store.read()))
    reader.daemon = True
    reader.start()
    reader.join(timeout=1)
    finished = not reader.is_alive()
    if not finished:
        # Release the blocked reader so the test leaves no thread behind.
        os.close(os.open(token_file, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(timeout=5)

    assert finished
    assert results == [None]


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root can read any file, whatever its mode",
)
def test_read_of_an_unreadable_file_is_logged_out(
    store: TokenStore, token_file: Path
) -> None:
    """B12: a file the user may not read means logged out, not a traceback."""
    token_file.parent.mkdir(parents=True)
    token_file.write_text(TOKEN)
    token_file.chmod(0o000)
    try:
        assert store.read() is None
    finally:
        token_file.chmod(0o600)


# -- clearing ------------------------------------------------------------------


def test_clear_leaves_an_empty_private_file(
    store: TokenStore, token_file: Path
) -> None:
    """A7: after logout token.txt holds nothing, and stays private."""
    store.write(TOKEN)

    store.clear()

    assert token_file.read_bytes() == b""
    assert _mode(token_file) == 0o600
    assert store.read() is None


def test_clear_without_a_file_creates_nothing(
    store: TokenStore, token_file: Path
) -> None:
    """Logging out when never logged in leaves the disk as it was."""
    store.clear()

    assert store.read() is None
    assert not token_file.exists()
