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

from fastapi import FastAPI
from sqlalchemy import Engine

from cse_screen import __version__
from cse_screen.server import (
    faults,
    routes_account,
    routes_children,
    routes_screenings,
    routes_sync,
)
from cse_screen.server.middleware import AccessLog, LimitBody

API = "/api/v1"


def create_app(engine: Engine) -> FastAPI:
    """The API over ``engine`` (a PostgreSQL engine at the schema's head)."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
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
    for module in (routes_account, routes_children, routes_screenings, routes_sync):
        app.include_router(module.router, prefix=API)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    app.add_middleware(LimitBody)
    app.add_middleware(AccessLog)
    logging.getLogger("cse_screen.server").setLevel(logging.INFO)
    return app
