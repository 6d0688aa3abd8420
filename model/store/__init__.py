"""The store: workspaces and their members, scenarios, workshops, answers (SQLAlchemy Core).

``open_store()`` picks the database as the app does (``ONEQ_DATABASE_URL``, else the SQLite file at
``ONEQ_LIBRARY``, else the user's data directory). The operations live in four modules, each
taking the ``Store`` and the user who asks: ``workspaces`` (who may see what), ``scenarios``,
``workshops`` and ``transfer`` (a workspace as one file). Pages and the command line do not call
them: they go through one handle, ``model.library``. The engine, the tables and the upgrades of
older layouts are private (``_engine``, ``_schema``, ``_migrate``). No Streamlit here.
"""

from model.store import plans, scenarios, transfer, workshops, workspaces
from model.store._engine import (
    APP_NAME,
    DATABASE_ENV,
    LIBRARY_ENV,
    Store,
    database_url,
    forget_stores,
    library_path,
    open_store,
)
from model.store._rules import MAX_NAME_LENGTH, MAX_NOTE_LENGTH, StoreError, clean_name, name_key
from model.store.scenarios import Entry
from model.store.workshops import Workshop
from model.store.workspaces import DEFAULT_WORKSPACE, LOCAL_USER, Workspace

__all__ = ["APP_NAME", "DATABASE_ENV", "DEFAULT_WORKSPACE", "LIBRARY_ENV", "LOCAL_USER",
           "MAX_NAME_LENGTH", "MAX_NOTE_LENGTH", "Entry", "Store", "StoreError", "Workshop",
           "Workspace", "clean_name", "database_url", "forget_stores", "library_path", "name_key",
           "open_store", "plans", "scenarios", "transfer", "workshops", "workspaces"]
