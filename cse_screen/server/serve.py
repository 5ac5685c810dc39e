"""``server run``: uvicorn over TLS only, until SIGTERM or SIGINT.

uvicorn owns the signals: on SIGTERM or SIGINT it stops accepting, lets the requests in flight
finish (up to ``GRACE_SECONDS``) and returns, and the command exits 0. There is no plain HTTP
listener at all: a client speaking HTTP to the port fails the TLS handshake and is dropped.
uvicorn's access log is off (it prints query strings); :mod:`.middleware` logs instead.
Several workers are separate processes, each building the app from the URL in the
environment, which is why the app is made by a factory named as a string.
"""

from __future__ import annotations

import contextlib
import os
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI
from uvicorn.supervisors import Multiprocess

from cse_screen.errors import UserError
from cse_screen.server.app import THREADS, create_app
from cse_screen.server.database import URL_ENV, database_url, open_engine

GRACE_SECONDS = 30

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        "cse_screen.server": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}


def app_from_environment() -> FastAPI:
    """The factory each worker calls: the URL comes through the environment, not argv (where
    every user of the machine could read its password in the process list)."""
    engine = open_engine(database_url(os.environ.get(URL_ENV)), pool_size=THREADS)
    return create_app(engine)


def _check_tls(cert: Path, key: Path) -> None:
    for path, what in ((cert, "certificate"), (key, "key")):
        if not path.is_file():
            raise UserError(f"the TLS {what} file {path} does not exist")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(str(cert), str(key))
    except (ssl.SSLError, OSError):
        raise UserError(
            f"the TLS certificate {cert} and key {key} cannot be loaded or do not match"
        ) from None


class _Server(uvicorn.Server):
    """uvicorn's server, except that once a SIGTERM or SIGINT has shut it down gracefully it
    does not raise the signal again (uvicorn does, which ends the process by the signal): a
    requested stop is a success, exit code 0."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        with super().capture_signals():
            yield
            self._captured_signals.clear()


def run(url_text: str, cert: Path, key: Path, host: str, port: int, workers: int) -> None:
    _check_tls(cert, key)
    if workers < 1:
        raise UserError("--workers must be 1 or more")
    os.environ[URL_ENV] = url_text
    config = uvicorn.Config(
        "cse_screen.server.serve:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        ssl_certfile=str(cert),
        ssl_keyfile=str(key),
        access_log=False,
        log_config=LOGGING,
        server_header=False,
        proxy_headers=False,
        timeout_graceful_shutdown=GRACE_SECONDS,
    )
    if workers > 1:
        Multiprocess(config, sockets=[config.bind_socket()]).run()
        return
    config.load_app()
    server = _Server(config)
    server.run()
    if not server.started:
        raise UserError(f"the team server could not start listening on {host}:{port}")
