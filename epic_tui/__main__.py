"""Allow ``python -m epic_tui``."""

from epic_tui.cli import main

raise SystemExit(main())
