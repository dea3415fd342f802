"""Store backends behind one contract; ``open_store`` picks one from a URI."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from hippo.config import Settings
from hippo.errors import UserError
from hippo.store.base import GraphStore, StoreError

__all__ = ["GraphStore", "StoreError", "open_store"]

NEO4J_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")


def open_store(uri: str, settings: Settings | None = None) -> GraphStore:
    """``sqlite:///relative/or//absolute/path.db`` or ``neo4j://host:port`` / ``bolt://…``.

    Neo4j credentials come from the URI's user-info or from settings (env HIPPO_NEO4J_USER /
    HIPPO_NEO4J_PASSWORD); they never appear in messages.
    """
    settings = settings or Settings.from_env()
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme == "sqlite":
        from hippo.store.sqlite import SQLiteStore

        path = uri[len("sqlite://"):]
        # sqlite:///rel.db -> "rel.db"; sqlite:////abs.db -> "/abs.db"
        path = path[1:] if path.startswith("/") else path
        if not path:
            raise UserError(f"store URI {uri!r} names no file: use sqlite:///path/to/file.db")
        return SQLiteStore(unquote(path))
    if scheme in NEO4J_SCHEMES:
        from hippo.store.neo4j import Neo4jStore

        parts = urlsplit(uri)
        user = unquote(parts.username) if parts.username else settings.neo4j_user
        password = unquote(parts.password) if parts.password else settings.neo4j_password
        host = parts.hostname or "localhost"
        clean = f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")
        database = parts.path.strip("/") or settings.neo4j_database
        return Neo4jStore(clean, user, password, database)
    raise UserError(f"unknown store URI {uri!r}: use sqlite:///path.db, neo4j://host:port or bolt://host:port")
