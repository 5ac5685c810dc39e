"""``make server``: a development team server on a fresh machine, with nothing set up first.

A PostgreSQL cluster kept under ``.dev/pg`` (made by the installed server's initdb on the first
run, reused after), a database owned by an ordinary role, the schema at head, an administrator
``admin`` whose password is written owner-only to ``.dev/admin-password``, a certificate
authority and server certificate under ``.dev/tls``, and ``server run`` on them. It prints the
URL and the CA file (what ``sync enrol`` is given) and serves until Ctrl-C, then stops the
cluster. Development only: the cluster runs with fsync off.

If the cluster's user cannot reach ``.dev`` (a checkout in a home folder only its owner may
enter), PostgreSQL's own files go in a temporary folder instead, removed on exit.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from cse_screen.server import admin
from cse_screen.server.database import database_url
from cse_screen.server.devcert import make_certificates
from cse_screen.server.devcluster import SYSTEM_USER, DevCluster, free_port

DATABASE = "cse_dev"


def _reachable_by_cluster_user(folder: Path) -> bool:
    if os.geteuid() != 0:
        return True
    probe = subprocess.run(
        ["runuser", "-u", SYSTEM_USER, "--", "test", "-x", str(folder)], check=False
    )
    return probe.returncode == 0


def _database(cluster: DevCluster) -> str:
    with cluster.admin_connection() as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)
        ).fetchone()
    return cluster.url(DATABASE) if exists else cluster.create_database(DATABASE)


def _admin_password(dev: Path, url: str) -> Path:
    """Set up the schema and the administrator once; the password stays in an owner-only file."""
    pw_file = dev / "admin-password"
    with admin.connected(database_url(url)) as engine:
        admin.migrate(engine)
        if not pw_file.exists():
            password = secrets.token_urlsafe(15)
            admin.init(engine, "admin", password, "Development administrator")
            fd = os.open(pw_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(password + "\n")
    return pw_file


def main(argv: list[str]) -> int:
    dev = Path(argv[0] if argv else ".dev").resolve()
    dev.mkdir(parents=True, exist_ok=True)
    dev.chmod(0o755)  # the cluster's system user must pass through to .dev/pg
    folder = dev / "pg" if _reachable_by_cluster_user(dev) else None
    cluster = DevCluster.start(folder)
    try:
        url = _database(cluster)
        pw_file = _admin_password(dev, url)
        certs = make_certificates(dev / "tls")
        port = int(os.environ.get("CSE_SCREEN_DEV_PORT") or free_port())
        print(f"team server:    https://127.0.0.1:{port}/", flush=True)
        print(f"CA file:        {certs.ca_file}", flush=True)
        print(f"administrator:  admin (password in {pw_file})", flush=True)
        print("stop with Ctrl-C", flush=True)
        from cse_screen.server import serve

        serve.run(url, certs.cert_file, certs.key_file, "127.0.0.1", port, 1)
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
