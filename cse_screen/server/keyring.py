"""The server's answer to the laptop's keyslot file: where each account's password lives.

:class:`~cse_screen.storage.services.users.UsersService` enrols, re-passwords and deactivates
users through a :class:`~cse_screen.storage.services.users.Keyring`; on a laptop that is the
vault's keyslot file, here it is the ``credentials`` table on the same connection (so in the
same transaction as the user row and its audit entry). Removing a user's credential also
revokes every device of theirs: a deactivated user's next request is refused at once.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, select
from sqlalchemy.orm import Session

from cse_screen.errors import NotFound
from cse_screen.server import accounts
from cse_screen.storage.models import Credential, User
from cse_screen.storage.services.context import utc_now


class CredentialKeyring:
    """Argon2id hashes in ``credentials``; the laptop's database key plays no part here."""

    def __init__(self, connection: Connection) -> None:
        self._session = Session(bind=connection)

    def _user_id(self, name: str) -> int:
        found = self._session.scalar(select(User.id).where(User.name == name))
        if found is None:
            raise NotFound(f"there is no user named '{name}'")
        return int(found)

    def users(self) -> list[str]:
        return list(self._session.scalars(select(User.name).join(Credential)))

    def add_user(self, user: str, password: str, key: bytes) -> None:
        accounts.set_password(self._session, self._user_id(user), password, utc_now())
        self._session.flush()

    def set_password(self, user: str, new_password: str, key: bytes) -> None:
        self.add_user(user, new_password, key)

    def remove_user(self, user: str) -> None:
        user_id = self._user_id(user)
        self._session.execute(delete(Credential).where(Credential.user_id == user_id))
        accounts.revoke_all_devices(self._session, user_id, utc_now())
        self._session.flush()

    def save(self) -> None:
        """Nothing to do: every change is already in the caller's transaction."""

    def record_save(self, session: Session) -> None:
        """Nothing to record: the credentials are rows of the same database."""
