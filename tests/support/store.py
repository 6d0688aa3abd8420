"""The store as a test sees it: the local user's library in the store the environment names."""

from __future__ import annotations

from model.library import Library, Workspaces
from model.store import open_store


def lib(workspace: str | None = None) -> Library:
    """The local user's library (the default workspace unless ``workspace`` is named)."""
    return Library(open_store(), workspace)


def spaces(user: str | None = None) -> Workspaces:
    """The local user's workspaces (or ``user``'s)."""
    return Workspaces(open_store()) if user is None else Workspaces(open_store(), user)
