"""The HTTPS client a laptop talks to its team server with.

TLS is verified against the CA certificate pinned at enrolment (or, without one, the system's
trust store plus the server certificate's own fingerprint). The client keeps nothing on disk:
httpx writes no cache, cookies are refused, and ``trust_env`` is off, so no proxy settings,
``.netrc`` or ``SSLKEYLOGFILE`` from the environment can route or record the traffic. Errors
name the server and what failed, never a record.
"""

from __future__ import annotations

import hashlib
import http.cookiejar
import socket
import ssl
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from cse_screen.errors import EXIT_AUTH, ServerUnreachable, UsageError, UserError

API = "/api/v1"
#: Generous: a batch of changes is applied in one transaction on a busy server.
TIMEOUT = httpx.Timeout(120.0, connect=10.0)


class AccessRefused(UserError):
    """The server refused this user or device (disabled, revoked, wrong password)."""

    exit_code = EXIT_AUTH

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code

    @property
    def expired(self) -> bool:
        """Only a token that ran out may be replaced by signing in again."""
        return self.code == "token_expired"


class ServerRefused(UserError):
    """The server answered a request with a refusal (4xx): its code and details are kept for
    the step that asked, which may know what to do about it."""

    def __init__(self, message: str, status: int, error: dict[str, Any]) -> None:
        super().__init__(message)
        self.status = status
        self.code = str(error.get("code", ""))
        self.error = error


class CertificateRefused(ServerUnreachable):
    """The server's certificate did not match the one pinned (exit 5, nothing changed)."""


class Resync(UserError):
    """The server does not know this laptop's cursor: everything must be read again."""

    def __init__(self, message: str, epoch: str) -> None:
        super().__init__(message)
        self.epoch = epoch


@dataclass(frozen=True)
class Server:
    """Where the server is and how its certificate is checked."""

    url: str
    ca_pem: str
    fingerprint: str = ""

    @property
    def host_port(self) -> tuple[str, int]:
        parts = urlsplit(self.url)
        return parts.hostname or "", parts.port or 443


def server_url(text: str) -> str:
    """``https://HOST:PORT`` as given, checked; plain ``http://`` is refused."""
    raw = text.strip().rstrip("/")
    parts = urlsplit(raw)
    if parts.scheme == "http":
        raise UsageError(f"the team server address {raw} is plain http://; sync needs https://")
    if parts.scheme != "https" or not parts.hostname:
        raise UsageError(f"the team server address {raw} is not https://HOST:PORT")
    if parts.path not in ("", "/") or parts.query or parts.username:
        raise UsageError(f"the team server address {raw} must be only https://HOST:PORT")
    return f"https://{parts.netloc}"


def tls_context(ca_pem: str) -> ssl.SSLContext:
    if not ca_pem:
        return ssl.create_default_context()
    try:
        return ssl.create_default_context(cadata=ca_pem)
    except ssl.SSLError:
        raise UserError("the pinned CA certificate is not a PEM certificate") from None


def certificate_fingerprint(server: Server) -> str:
    """SHA-256 of the server's certificate, after checking it chains to the pinned CA and
    names the host; refuses (exit 5) a certificate that does not, or a changed one where
    only the fingerprint is pinned."""
    host, port = server.host_port
    context = tls_context(server.ca_pem)
    try:
        with (
            socket.create_connection((host, port), timeout=10) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            der = tls.getpeercert(binary_form=True) or b""
    except ssl.SSLCertVerificationError:
        raise CertificateRefused(
            f"the team server at {server.url} presented a certificate that does not match the "
            "one pinned at enrolment; nothing was sent or changed"
        ) from None
    except (OSError, ssl.SSLError):
        raise unreachable(server.url) from None
    found = hashlib.sha256(der).hexdigest()
    if not server.ca_pem and server.fingerprint and found != server.fingerprint:
        raise CertificateRefused(
            f"the team server at {server.url} presented a different certificate from the one "
            "pinned at enrolment; nothing was sent or changed"
        )
    return found


def unreachable(url: str) -> ServerUnreachable:
    return ServerUnreachable(
        f"the team server at {url} could not be reached; your work stays on this laptop and "
        "goes at the next sync"
    )


class _NoCookies(http.cookiejar.DefaultCookiePolicy):
    def set_ok(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        return False


class Client:
    """JSON over HTTPS to one server, as one signed-in device (or none, to sign in)."""

    def __init__(self, server: Server, token: str | None = None) -> None:
        self.server = server
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._http = httpx.Client(
            base_url=server.url + API,
            verify=tls_context(server.ca_pem),
            headers={**headers, "Cache-Control": "no-store"},
            cookies=http.cookiejar.CookieJar(policy=_NoCookies()),
            trust_env=False,
            timeout=TIMEOUT,
            follow_redirects=False,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """One request; the answer's JSON, or the one error that says what failed."""
        try:
            answer = self._http.request(method, path, **kwargs)
        except httpx.TransportError:
            raise unreachable(self.server.url) from None
        body = _json(answer)
        if answer.status_code < 300:
            return body
        found = body.get("error")
        error: dict[str, Any] = found if isinstance(found, dict) else {}
        code, message = str(error.get("code", "")), str(error.get("message", ""))
        if answer.status_code == 401:
            raise AccessRefused(
                f"the team server at {self.server.url} refused the sign-in ({message or code}); "
                "unsynced work stays in this laptop's encrypted database",
                code,
            )
        if answer.status_code == 410 and code == "resync":
            raise Resync(message, str(error.get("epoch", "")))
        if answer.status_code >= 500:
            raise ServerUnreachable(
                f"the team server at {self.server.url} failed (HTTP {answer.status_code}); "
                "nothing was lost, sync again later"
            )
        raise ServerRefused(
            f"the team server at {self.server.url} refused {method} {path} "
            f"(HTTP {answer.status_code}, {code or 'error'}): {message}",
            answer.status_code,
            error,
        )


def _json(answer: httpx.Response) -> dict[str, Any]:
    try:
        found = answer.json()
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {"items": found}
