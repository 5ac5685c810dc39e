"""Care details that are not codes: what the code-list migration could not map.

A value typed before the code lists that names no code was kept as typed (guessing would put a
wrong placement or legal status on a child's record); ``verify`` lists them here, by field, with
how many children hold them and the distinct values, and never a child's name or reference, so
that someone can correct the records in the register.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from cse_screen.core import codes
from cse_screen.storage.models import Child
from cse_screen.storage.services import roles
from cse_screen.storage.services.context import ServiceContext


@dataclass(frozen=True)
class UncodedField:
    field: str
    children: int
    values: tuple[str, ...]

    def sentence(self) -> str:
        listed = ", ".join(repr(v) for v in self.values)
        what = codes.KIND_WORDS[self.field]
        return f"{what}: {self.children} child(ren) hold values that are not codes: {listed}"


def uncoded_fields(ctx: ServiceContext) -> list[UncodedField]:
    """Each coded field with values that are not codes, among the children the user may see."""
    found = []
    with ctx.reading() as session:
        for field in codes.RECORD_FIELDS:
            column = getattr(Child, field)
            stmt = (
                select(column, func.count(Child.id))
                .where(roles.child_scope(ctx.user), column.is_not(None))
                .group_by(column)
            )
            counts = Counter(
                {value: n for value, n in session.execute(stmt) if not codes.is_code(field, value)}
            )
            if counts:
                found.append(UncodedField(field, sum(counts.values()), tuple(sorted(counts))))
    return found
