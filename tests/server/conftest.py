"""The server tests use the suite's PostgreSQL fixtures (``pg_cluster``, ``pg_url``), which
live in the top-level conftest so the record services' tests share the same cluster."""
