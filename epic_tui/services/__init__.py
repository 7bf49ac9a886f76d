"""Business logic: authentication, permissions, data access, domain rules.

Nothing in this package imports Textual; screens call into it.
"""
