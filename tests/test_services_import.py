"""The services and models are usable without Textual."""

import subprocess
import sys


def test_services_and_models_do_not_import_textual() -> None:
    code = (
        "import sys\n"
        "import epic_tui.models, epic_tui.settings\n"
        "import epic_tui.services.backend, epic_tui.services.startup\n"
        "import epic_tui.services.seeding\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'textual')\n"
        "print(loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_login_screen_needs_no_database_libraries() -> None:
    """The first screen can be drawn before SQLAlchemy, PyJWT and passlib load."""
    code = (
        "import sys\n"
        "import epic_tui.app, epic_tui.cli\n"
        "heavy = {'sqlalchemy', 'jwt', 'passlib', 'alembic'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
