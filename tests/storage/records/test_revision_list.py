"""The list of schema revisions the application carries matches Alembic's own history.

Opening an up-to-date database compares its stamp with the shipped head without loading
Alembic, so the list must be complete and in the chain's order, and its last entry the head.
"""

from __future__ import annotations

from alembic.script import ScriptDirectory

from cse_screen.storage import revisions


def _chain() -> list[str]:
    scripts = ScriptDirectory.from_config(revisions.alembic_config())
    return [rev.revision for rev in reversed(list(scripts.walk_revisions()))]


def test_first_release_lists_every_revision_in_the_chain_order() -> None:
    assert list(revisions.FIRST_RELEASE) == _chain()


def test_the_shipped_head_is_alembics_head() -> None:
    scripts = ScriptDirectory.from_config(revisions.alembic_config())
    assert revisions.SHIPPED_HEAD == scripts.get_current_head() == revisions.head_revision()
