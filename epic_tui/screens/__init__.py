"""The screens and dialogs of epic-tui, one per module."""
