"""The deployment guide's stronger option, exactly as documented: an ordinary owner role runs
``server init`` and ``server migrate``, a separate application role (no SUPERUSER, CREATEROLE
or BYPASSRLS) holding only the documented grants runs the API, which works, and that role can
neither read another team's rows nor change the schema, the policies or the audit trail."""

from __future__ import annotations

import re
import secrets
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import psycopg
import pytest
from psycopg import sql
from server_support import (
    PASSWORD,
    ROOT,
    TeamServer,
    environment,
    screening_body,
    seed,
    start_server,
)

from cse_screen.server.devcluster import DevCluster

GUIDE = ROOT / "docs" / "deploying.md"


def documented_grants() -> list[str]:
    """The GRANT statements of the guide's split-role section, in order, as written."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index("### The stronger option") :]
    block = section[section.index("```sql") : section.index("```", section.index("```sql") + 6)]
    after_init = block[block.index("server migrate") :]
    statements = " ".join(
        line.split("--")[0] for line in after_init.splitlines()[1:] if not line.startswith("\\")
    )
    return [s.strip() for s in statements.split(";") if s.strip()]


@dataclass
class SplitDatabase:
    owner_url: str
    api_url: str
    api_role: str
    api_password: str
    port: int


def _url(role: str, password: str, port: int, dbname: str) -> str:
    return f"postgresql://{role}:{quote(password, safe='')}@127.0.0.1:{port}/{dbname}"


@pytest.fixture(scope="module")
def split(pg_cluster: DevCluster) -> Iterator[SplitDatabase]:
    tag = secrets.token_hex(4)
    owner, api, dbname = f"cse_owner_{tag}", f"cse_api_{tag}", f"cse_split_{tag}"
    passwords = {owner: secrets.token_urlsafe(16), api: secrets.token_urlsafe(16)}
    with pg_cluster.admin_connection() as conn:
        for role, password in passwords.items():
            conn.execute(
                sql.SQL(
                    "CREATE ROLE {} LOGIN PASSWORD {} NOSUPERUSER NOCREATEROLE NOBYPASSRLS"
                ).format(sql.Identifier(role), sql.Literal(password))
            )
        conn.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(dbname), sql.Identifier(owner)
            )
        )
    with pg_cluster.admin_connection(dbname) as conn:
        conn.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(sql.Identifier(owner)))
    port = pg_cluster.port
    yield SplitDatabase(
        _url(owner, passwords[owner], port, dbname),
        _url(api, passwords[api], port, dbname),
        api,
        passwords[api],
        port,
    )
    pg_cluster.drop_database(dbname)


def _cli(url: str, *argv: str) -> subprocess.CompletedProcess[str]:
    env = environment(url) | {"CSE_SCREEN_PASSWORD": PASSWORD}
    return subprocess.run(
        [sys.executable, "-m", "cse_screen", "server", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def api_server(
    split: SplitDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TeamServer]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CSE_SCREEN_KDF", "test")
        ids = seed(split.owner_url)  # 'server init' (with its migrations) as the owner
    migrated = _cli(split.owner_url, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    with psycopg.connect(split.owner_url, autocommit=True) as conn:
        for statement in documented_grants():
            conn.execute(statement.replace("cse_api", split.api_role))  # type: ignore[arg-type]
    server = start_server(split.api_url, tmp_path_factory.mktemp("split"), ids)
    try:
        yield server
    finally:
        server.stop(signal.SIGKILL)


def test_the_guide_grants_what_the_api_needs(api_server: TeamServer) -> None:
    child = api_server.ids["N1"]
    with api_server.as_user("wes") as http:
        assert http.get("/api/v1/children").json()["total"] == 2
        sent = http.post(f"/api/v1/children/{child}/screenings", json=screening_body())
        assert sent.status_code == 201, sent.text
        assert http.get(f"/api/v1/screenings/{sent.json()['id']}").status_code == 200
    with api_server.as_user("lena") as http:
        body = {"id": "6c3a5f0e-5b8e-4c59-9f0e-2f1a7e3b9d11", "case_ref": "SPLIT-1"}
        body |= {"name": "Split Child", "dob": "2013-04-05", "worker": "wynn"}
        assert http.post("/api/v1/children", json=body).status_code == 201
    with api_server.as_user("ada") as http:
        assert http.get("/api/v1/stats").status_code == 200
    verified = _cli(api_server.url, "verify", "--user", "ada")
    assert verified.returncode == 0, verified.stderr


def _as_api(split: SplitDatabase) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(split.api_url)


def test_the_application_role_sees_no_other_team(
    split: SplitDatabase, api_server: TeamServer
) -> None:
    with _as_api(split) as conn:
        assert conn.execute("SELECT count(*) FROM children").fetchone() == (0,)
        conn.execute(
            "SELECT set_config('cse.scope', 'team', true), set_config('cse.team', 'South', true)"
        )
        teams = {row[0] for row in conn.execute("SELECT team FROM children")}
        assert teams == {"South"}
        north = conn.execute(
            "SELECT count(*) FROM screenings s JOIN children c ON c.id = s.child_id"
            " WHERE c.team = 'North'"
        ).fetchone()
        assert north == (0,)
        changed = conn.execute("UPDATE children SET name = 'x' WHERE team = 'North'")
        assert changed.rowcount == 0


@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TABLE children NO FORCE ROW LEVEL SECURITY",
        "ALTER TABLE children ADD COLUMN note text",
        "DROP POLICY children_read ON children",
        "CREATE TABLE stray (id int)",
        "UPDATE audit SET actor = 'x'",
        "DELETE FROM audit",
        "TRUNCATE audit",
        "UPDATE device_audit SET actor = 'x'",
        "DELETE FROM device_audit",
        "TRUNCATE device_audit",
        "DROP TABLE events",
    ],
)
def test_the_application_role_cannot_change_the_schema_or_the_trail(
    split: SplitDatabase, api_server: TeamServer, statement: str
) -> None:
    with _as_api(split) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(statement)  # type: ignore[arg-type]


def test_the_roles_are_ordinary(pg_cluster: DevCluster, split: SplitDatabase) -> None:
    names = [re.search(r"//([^:]+):", u).group(1) for u in (split.owner_url, split.api_url)]  # type: ignore[union-attr]
    with pg_cluster.admin_connection() as conn:
        rows = conn.execute(
            "SELECT rolsuper, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = ANY(%s)",
            (names,),
        ).fetchall()
    assert rows == [(False, False, False)] * 2


def test_the_guide_is_read_as_written() -> None:
    grants = documented_grants()
    assert grants and all(g.upper().startswith("GRANT ") for g in grants)
