"""epic-tui: the Epic Events CRM in the terminal."""

__version__ = "0.1.0"
