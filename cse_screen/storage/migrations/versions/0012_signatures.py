"""User records carry an administrator's signature, and the audit chain's head is signed as it
grows.

Anyone who holds a keyslot holds the database key, so they can open the file directly and change
a role or rewrite the audit trail together with its hash chain. An Ed25519 key whose private half
only administrators (and IT's recovery key) can unwrap signs each user record (``signature``,
over id, name, role, team, active and ``signed_counter``) and, in ``audit_heads``, the chain's
head (sequence number, hash, time) as administrators work, back up and export. The public half is
kept in ``meta`` and in the keyslot file.

On the team server the server is the authority: it never signs, leaves these columns empty and
keeps no public key in ``meta``, so nothing here is checked there. ``audit_heads`` holds no
child's data (sequence numbers, hashes, times, a user name), so it needs no row-level security.

Revision ID: 0012_signatures
Revises: 0004_audit_sequence
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_signatures"
down_revision = "0004_audit_sequence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", recreate="never") as batch:
        batch.add_column(sa.Column("signature", sa.Text))
        batch.add_column(sa.Column("signed_counter", sa.Integer))
    op.create_table(
        "audit_heads",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("signed_at", sa.String(40), nullable=False),
        sa.Column("signer", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("roster", sa.Text, nullable=False),
        sa.Column("signature", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_heads_seq", "audit_heads", ["seq"])


def downgrade() -> None:
    op.execute("DELETE FROM meta WHERE key = 'signing_public_key'")
    op.drop_index("ix_audit_heads_seq", "audit_heads")
    op.drop_table("audit_heads")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("signed_counter")
        batch.drop_column("signature")
