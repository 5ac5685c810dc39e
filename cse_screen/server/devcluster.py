"""A throwaway PostgreSQL cluster for development (``make server``) and the test suite.

Nothing has to be running beforehand: the installed server's own ``initdb`` and ``pg_ctl`` make
a cluster in a folder, listening on a free loopback port with its unix socket in that folder,
and stop it again. ``initdb`` and ``pg_ctl`` refuse to run as root, and CI runs as root, so as
root they run as the ``postgres`` system user (``runuser``) in a folder that user owns.

The cluster's superuser is only used here, to create an ordinary role that owns a database
(no SUPERUSER, no CREATEROLE, no BYPASSRLS): that is what a council's DBA or a managed
PostgreSQL hands out, so the application is always tested with exactly those rights.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import psycopg
from psycopg import sql

#: Where Debian installs each major version's server binaries (``<root>/<major>/bin``).
DEBIAN_ROOT = Path("/usr/lib/postgresql")
SYSTEM_USER = "postgres"
APP_ROLE = "cse_app"


class ClusterError(RuntimeError):
    """The development cluster could not be made, started or stopped."""


def find_bin_dir() -> Path:
    """The newest installed PostgreSQL's bin folder (``initdb`` and ``pg_ctl`` live there)."""
    found = [p for p in DEBIAN_ROOT.glob("*/bin") if (p / "initdb").exists()]
    if not found:
        on_path = shutil.which("initdb")
        if on_path:
            return Path(on_path).parent
        raise ClusterError(
            "PostgreSQL's server programs (initdb, pg_ctl) are not installed; "
            "install the Debian package 'postgresql' (make test does this)"
        )
    return max(found, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_cluster_user(argv: list[str]) -> list[str]:
    """Root may not run the server's programs: run them as the postgres system user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", SYSTEM_USER, "--", *argv]
    return argv


def _run(argv: list[str], what: str) -> None:
    done = subprocess.run(
        _as_cluster_user(argv), capture_output=True, text=True, check=False, timeout=120
    )
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise ClusterError(f"could not {what}: {' '.join(tail)}")


def _give_to_cluster_user(folder: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(folder, user=SYSTEM_USER, group=SYSTEM_USER)
    folder.chmod(0o700)


@dataclass
class DevCluster:
    """A running cluster: its folder, port and superuser, and the databases made in it."""

    folder: Path
    port: int
    bin_dir: Path
    superuser: str = SYSTEM_USER
    app_role: str = APP_ROLE
    app_password: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    _owned_folder: bool = True

    @property
    def data_dir(self) -> Path:
        return self.folder / "data"

    @property
    def socket_dir(self) -> Path:
        return self.folder / "socket"

    @property
    def superuser_password_file(self) -> Path:
        """Kept in the cluster's owner-only folder, which is removed with the cluster."""
        return self.folder / "superuser.pw"

    # --- life cycle -----------------------------------------------------------------------
    @classmethod
    def start(cls, folder: Path | None = None, port: int | None = None) -> DevCluster:
        """initdb a new cluster in ``folder`` (a new temporary one by default) and start it."""
        owned = folder is None
        base = Path(tempfile.mkdtemp(prefix="cse-pg-")) if folder is None else folder
        base.mkdir(parents=True, exist_ok=True)
        cluster = cls(base, port or free_port(), find_bin_dir(), _owned_folder=owned)
        try:
            cluster._init()
            cluster._start()
            cluster._make_app_role()
        except BaseException:
            cluster.stop()
            raise
        return cluster

    def _init(self) -> None:
        _give_to_cluster_user(self.folder)
        if (self.data_dir / "PG_VERSION").exists():
            return  # a development cluster kept from an earlier run
        pwfile = self.superuser_password_file
        pwfile.write_text(secrets.token_urlsafe(24), encoding="utf-8")
        if os.geteuid() == 0:
            shutil.chown(pwfile, user=SYSTEM_USER, group=SYSTEM_USER)
        pwfile.chmod(0o600)
        argv = [str(self.bin_dir / "initdb"), "-D", str(self.data_dir), "-U", self.superuser]
        argv += ["-A", "scram-sha-256", f"--pwfile={pwfile}", "-E", "UTF8"]
        argv += ["--locale=C.UTF-8", "--no-sync"]
        _run(argv, "initialise a PostgreSQL cluster")
        # The superuser only ever connects through the socket in our (owner-only) folder.
        (self.data_dir / "pg_hba.conf").write_text(
            f"local all {self.superuser} scram-sha-256\n"
            f"host all {self.superuser} 0.0.0.0/0 reject\n"
            "host all all 127.0.0.1/32 scram-sha-256\n",
            encoding="utf-8",
        )

    def _start(self) -> None:
        self.socket_dir.mkdir(exist_ok=True)
        _give_to_cluster_user(self.socket_dir)
        options = (
            f"-c port={self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.socket_dir} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        log = self.folder / "server.log"
        argv = [str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-l", str(log)]
        argv += ["-o", options, "-w", "-t", "60", "start"]
        _run(argv, "start the PostgreSQL cluster")

    def stop(self) -> None:
        """Stop the server (fast: open sessions are ended) and remove a temporary folder."""
        if (self.data_dir / "postmaster.pid").exists():
            argv = [str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast"]
            with contextlib.suppress(ClusterError, subprocess.TimeoutExpired):
                _run([*argv, "-w", "stop"], "stop the PostgreSQL cluster")
        if self._owned_folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    # --- roles and databases ----------------------------------------------------------------
    def admin_connection(self, dbname: str = "postgres") -> psycopg.Connection[tuple[object, ...]]:
        """The cluster superuser over the unix socket in the cluster's folder."""
        return psycopg.connect(
            host=str(self.socket_dir),
            port=self.port,
            user=self.superuser,
            password=self.superuser_password_file.read_text(encoding="utf-8").strip(),
            dbname=dbname,
            autocommit=True,
        )

    def _make_app_role(self) -> None:
        with self.admin_connection() as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_roles WHERE rolname = %s", (self.app_role,)
            ).fetchone()
            verb = "ALTER" if exists else "CREATE"
            conn.execute(
                sql.SQL(
                    "{} ROLE {} LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOBYPASSRLS PASSWORD {}"
                ).format(
                    sql.SQL(verb), sql.Identifier(self.app_role), sql.Literal(self.app_password)
                )
            )

    def create_database(self, name: str | None = None) -> str:
        """A new, empty database owned by the ordinary role; returns its libpq URL."""
        name = name or f"cse_{secrets.token_hex(6)}"
        with self.admin_connection() as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} OWNER {} TEMPLATE template0 ENCODING 'UTF8'").format(
                    sql.Identifier(name), sql.Identifier(self.app_role)
                )
            )
            # PostgreSQL 15 no longer lets every role create in public; the owner of the
            # database gets the schema too, as a managed PostgreSQL would hand it out.
        with self.admin_connection(name) as conn:
            conn.execute(
                sql.SQL("ALTER SCHEMA public OWNER TO {}").format(sql.Identifier(self.app_role))
            )
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with self.admin_connection() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    def url(self, dbname: str) -> str:
        """The ordinary role's libpq URL over TCP on the loopback interface."""
        password = quote(self.app_password, safe="")
        return f"postgresql://{self.app_role}:{password}@127.0.0.1:{self.port}/{dbname}"


@contextlib.contextmanager
def running_cluster(folder: Path | None = None) -> Iterator[DevCluster]:
    """A started cluster, stopped (and its temporary folder removed) whatever happens."""
    cluster = DevCluster.start(folder)
    try:
        yield cluster
    finally:
        cluster.stop()
