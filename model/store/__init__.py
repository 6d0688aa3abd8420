"""The store: workspaces, scenarios, workshops and answers on SQLAlchemy Core (SQLite or PostgreSQL).

``open_store()`` picks the database as the app does (``ONEQ_DATABASE_URL``, else the SQLite file at
``ONEQ_LIBRARY``, else the user's data directory); ``scenarios``, ``workshops`` and ``transfer``
hold the operations. No Streamlit here.
"""

from model.store.db import (
    DATABASE_ENV,
    LIBRARY_ENV,
    MAX_NAME_LENGTH,
    Store,
    StoreError,
    clean_name,
    database_url,
    forget_stores,
    library_path,
    name_key,
    open_store,
)
from model.store.migrate import DEFAULT_WORKSPACE

__all__ = ["DATABASE_ENV", "DEFAULT_WORKSPACE", "LIBRARY_ENV", "MAX_NAME_LENGTH", "Store",
           "StoreError", "clean_name", "database_url", "forget_stores", "library_path",
           "name_key", "open_store"]
