"""Accounts, sessions, roles and the audit trail, in a SQLite file beside the DuckDB file.

The analytics database is rewritten by copy-and-rename on every load; logins, session checks on
every rerun and audit rows are many small transactions that must never copy it. SQLite in WAL mode
takes them (readers never wait for the writer), in one file an admin can back up on its own. Several
app instances share them in PostgreSQL instead (``TTDN_DATABASE_URL``, ``pg.py``), moved there by
``migrate.copy_accounts``.

This package is a plain library like the rest of ``etl/`` (no Streamlit, no printing): the pages,
the login routes (``server.py``) and the CLI (``python -m etl users``) sit on it.
"""
