"""The team server's ASGI application.

FastAPI, on uvicorn: its dependency injection resolves the caller once per request and
passes a request-scoped transaction to thin route functions (the shape of the FastAPI
full-stack template), Pydantic v2 models give strict request bodies (``extra='forbid'``) with
per-field errors, and both are already installed with the project's server extra; Litestar
would do the same job but adds a second framework for the team to learn for no gain here.
Routes are synchronous: the services are synchronous SQLAlchemy, so FastAPI runs each in its
thread pool, and nothing in the process keeps state between requests (several processes can
serve one database behind a load balancer).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread as to_thread
from fastapi import FastAPI
from sqlalchemy import Engine

from cse_screen import __version__
from cse_screen.server import (
    faults,
    routes_account,
    routes_audit_upload,
    routes_children,
    routes_screenings,
    routes_sync,
)
from cse_screen.server.middleware import AccessLog, Admission, LimitBody

API = "/api/v1"

#: Requests one process runs at once, reads and writes (FastAPI's thread pool; more wait,
#: cheaply, in the event loop: see :class:`.middleware.Admission`). Few, because the work is
#: Python under one GIL: forty threads (anyio's default) made the one holding the audit
#: chain's write lock wait for the GIL after every round trip to the database, so every
#: writer queued behind it waited longer still. More processes (``--workers``) are the way to
#: use more cores. The engine's pool matches (see :func:`.serve.app_from_environment`), so an
#: admitted request never waits for a connection.
READ_THREADS = 4
WRITE_THREADS = 6
THREADS = READ_THREADS + WRITE_THREADS


def create_app(engine: Engine) -> FastAPI:
    """The API over ``engine`` (a PostgreSQL engine at the schema's head)."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        to_thread.current_default_thread_limiter().total_tokens = THREADS
        yield
        engine.dispose()

    app = FastAPI(
        title="cse-screen team server",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=f"{API}/openapi.json",
    )
    app.state.engine = engine
    faults.install(app)
    routes = (routes_account, routes_children, routes_screenings, routes_sync, routes_audit_upload)
    for module in routes:
        app.include_router(module.router, prefix=API)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    app.add_middleware(Admission, reads=READ_THREADS, writes=WRITE_THREADS)
    app.add_middleware(LimitBody)
    app.add_middleware(AccessLog)
    logging.getLogger("cse_screen.server").setLevel(logging.INFO)
    return app
