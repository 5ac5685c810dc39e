"""Children: adding, changing, looking up and the register (search, filters, sort, paging).

Viewing one child's record (:meth:`ChildrenService.get`) is audited; listing the register is not
(it shows what the user's caseload is, not a record). Changes to identifying fields are audited
by field name only; allocation and placement changes with their old and new values.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cse_screen.core import child_details, codes, registry
from cse_screen.core.child_details import RECORD_CHOICE_FIELDS, SCORED_RECORD_FIELDS
from cse_screen.core.model import Questionnaire
from cse_screen.errors import ChildDetailsInvalid, NotFound, ValidationFailed
from cse_screen.storage.models import Child, User
from cse_screen.storage.records import ChildInput, ChildRecord, RegisterPage, RegisterQuery
from cse_screen.storage.services import audit, child_import, due, register, roles
from cse_screen.storage.services.context import ServiceContext
from cse_screen.storage.services.latest import refresh_child
from cse_screen.storage.types import new_public_id

#: Fields whose values identify the child: audited by name, never by value.
PERSONAL_FIELDS = frozenset({"name", "dob", "gender", "ethnicity", "disability"})
#: The public id is given once, when the child is added, and never changes.
EDITABLE_FIELDS = tuple(f.name for f in fields(ChildInput) if f.name != "public_id")
MAX_AGE_YEARS = 25


def name_key(case_ref: str, name: str) -> str:
    """What the register searches and sorts by name: the name then the reference, casefolded
    and NFC, joined by a control character that no search text contains."""
    text = f"{name}\x1f{case_ref}"
    return unicodedata.normalize("NFC", text).casefold()


def child_record(row: Child) -> ChildRecord:
    return ChildRecord(
        id=row.id,
        case_ref=row.case_ref,
        name=row.name,
        dob=row.dob,
        gender=row.gender,
        ethnicity=row.ethnicity,
        disability=row.disability,
        placement_type=row.placement_type,
        legal_status=row.legal_status,
        worker=row.worker,
        team=row.team,
        latest_screening_id=row.latest_screening_id,
        latest_outcome=row.latest_outcome,
        outcome_state=row.outcome_state,
        last_screened=row.last_screened,
        next_due=row.next_due,
        created_at=row.created_at,
        updated_at=row.updated_at,
        public_id=row.public_id,
        left_care_on=row.left_care_on,
        left_care_reason=row.left_care_reason,
    )


_INPUT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ChildInput))


def child_problems(
    child: ChildInput,
    today: date,
    q: Questionnaire | None = None,
    stored: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The details tidied (spaces trimmed, blanks as None, coded details as codes, choices as
    the definition's option ids) and every problem found, each as (field, sentence), so a form
    can list them together. ``stored``: the record's current values, so a value kept from
    before the code lists is not refused while another detail is being changed."""
    values: dict[str, Any] = {}
    for name in _INPUT_FIELDS:  # not asdict(): an import checks tens of thousands of these
        v = getattr(child, name)
        values[name] = (v.strip() or None) if isinstance(v, str) else v
    ref = values["case_ref"]
    who = f"child {ref}" if ref else "the child"
    problems: list[tuple[str, str]] = []
    if not ref:
        problems.append(("case_ref", "the case reference is empty"))
    elif len(ref) > 64:
        problems.append(("case_ref", "the case reference is longer than 64 characters"))
    if not values["name"]:
        problems.append(("name", f"{who} has no name"))
    dob = values["dob"]
    if not isinstance(dob, date):
        problems.append(("dob", f"{who} has no valid date of birth"))
    elif dob > today:
        problems.append(("dob", f"{who} has a date of birth in the future"))
    elif dob.year < today.year - MAX_AGE_YEARS:
        problems.append(("dob", f"{who} has a date of birth more than {MAX_AGE_YEARS} years ago"))
    problems.extend(_code_problems(values, who, stored or {}))
    problems.extend(_choice_problems(values, who, q or registry.get_questionnaire()))
    return values, problems


def _code_problems(
    values: dict[str, Any], who: str, stored: dict[str, Any]
) -> list[tuple[str, str]]:
    """Store each coded detail as its code (a code or its exact label is accepted); refuse one
    that names no code, unless it is the value already stored (kept from before the lists and
    listed by ``verify``). The value is never repeated: it may identify the child."""
    problems = []
    for field_id in codes.RECORD_FIELDS:
        value = values.get(field_id)
        if value is None:
            continue
        code = codes.code_for(field_id, value)
        if code is not None:
            values[field_id] = code
        elif value != stored.get(field_id):
            what = codes.KIND_WORDS[field_id]
            problems.append(
                (field_id, f"{who} has a {what} that is not one of the listed codes or labels")
            )
    return problems


def _choice_problems(values: dict[str, Any], who: str, q: Questionnaire) -> list[tuple[str, str]]:
    """Store each listed detail as the definition's option id; refuse one that scoring reads
    and that matches no option (it would silently not count). The value is never repeated:
    it may identify the child."""
    problems = []
    for field_id in RECORD_CHOICE_FIELDS:
        if field_id in codes.RECORD_FIELDS:
            continue  # held as codes from the code lists, whatever a definition lists
        field = child_details.choice_field(q, field_id)
        value = values.get(field_id)
        if field is None or value is None:
            continue
        option = child_details.match_option(field, value)
        if option is not None:
            values[field_id] = option
        elif field_id in SCORED_RECORD_FIELDS:
            what = field.label.lower()
            choices = child_details.choices_sentence(field)
            problems.append(
                (field_id, f"{who} has a {what} that is not one of the listed choices ({choices})")
            )
    return problems


def validate(
    child: ChildInput,
    today: date,
    where: str = "",
    q: Questionnaire | None = None,
    stored: dict[str, Any] | None = None,
) -> ChildInput:
    """The child's details tidied (see :func:`child_problems`), or ChildDetailsInvalid naming
    the first problem and holding them all."""
    values, problems = child_problems(child, today, q, stored)
    if problems:
        prefix = f"{where}: " if where else ""
        listed = tuple((field, f"{prefix}{sentence}") for field, sentence in problems)
        raise ChildDetailsInvalid(listed[0][1], listed)
    return ChildInput(**values)


class ChildrenService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    # --- adding -----------------------------------------------------------------------------
    def add(self, child: ChildInput) -> ChildRecord:
        """Add one child; a worker may only add children allocated to themselves."""
        with self._ctx.transaction() as session:
            row = self._insert(session, validate(child, self._ctx.today()))
            return child_record(row)

    def add_many(
        self,
        children: Sequence[ChildInput],
        *,
        labels: Sequence[str] | None = None,
        source: str = "import",
        progress: Callable[[int, int], None] | None = None,
    ) -> int:
        """Add all the children, or none of them (the import), in batches that let other
        writers in between (see :mod:`~cse_screen.storage.services.child_import`).

        ``labels`` name each child in error messages (e.g. "row 4 (LAC1003)"); the importer
        checks every row first so that all bad rows are named at once, and this still refuses
        the whole batch on the first problem it meets (a child outside the user's team).
        """
        names = (
            list(labels)
            if labels is not None
            else [f"row {i}" for i in range(1, len(children) + 1)]
        )
        today, q = self._ctx.today(), registry.get_questionnaire()
        checked = [validate(c, today, label, q) for c, label in zip(children, names, strict=True)]
        return child_import.add_children(self._ctx, checked, names, source, name_key, progress)

    def existing_refs(self, refs: Iterable[str]) -> set[str]:
        """Which of these case references are already taken (checked before an import)."""
        wanted = sorted({r.strip() for r in refs if r and r.strip()})
        found: set[str] = set()
        with self._ctx.reading() as session:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                found.update(
                    session.scalars(select(Child.case_ref).where(Child.case_ref.in_(chunk)))
                )
        return found

    def _insert(self, session: Session, child: ChildInput, label: str = "") -> Child:
        ctx = self._ctx
        worker = child.worker or (ctx.user.name if ctx.user.role == "worker" else None)
        team = child.team or self._team_of(session, worker) or ctx.user.team
        prefix = f"{label}: " if label else ""
        if not roles.can_allocate(ctx.user, worker, team):
            roles.deny(
                ctx,
                "add",
                "child",
                None,
                f"{prefix}{roles.who(ctx.user)} may not add child {child.case_ref}: it would be "
                "allocated outside their caseload or team",
            )
        if session.scalar(select(Child.id).where(Child.case_ref == child.case_ref)) is not None:
            taken = f"{prefix}a child with case reference {child.case_ref} already exists"
            raise ChildDetailsInvalid(taken, (("case_ref", taken),))
        now = ctx.now()
        row = Child(
            public_id=child.public_id or new_public_id(),
            case_ref=child.case_ref,
            name=child.name,
            name_key=name_key(child.case_ref, child.name),
            dob=child.dob,
            gender=child.gender,
            ethnicity=child.ethnicity,
            disability=child.disability,
            placement_type=child.placement_type,
            legal_status=child.legal_status,
            worker=worker,
            team=team,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        session.flush()
        refresh_child(session, row)
        audit.append(session, ctx, audit.CREATE, "child", row.id, {"case_ref": row.case_ref})
        return row

    @staticmethod
    def _team_of(session: Session, worker: str | None) -> str | None:
        if not worker:
            return None
        return session.scalar(select(User.team).where(User.name == worker))

    # --- changing ---------------------------------------------------------------------------
    def update(self, child_id: int, **changes: Any) -> ChildRecord:
        """Change some of a child's details (keyword names as in :class:`ChildInput`; a whole
        ChildInput's fields may be passed, its unset ``public_id`` is no change)."""
        if changes.get("public_id", "") is None:
            del changes["public_id"]
        unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
        if unknown:
            raise ValidationFailed(f"cannot change unknown child field(s): {', '.join(unknown)}")
        with self._ctx.transaction() as session:
            row = self._load(session, child_id, "change")
            diff = change_details(self._ctx, session, row, changes)
            if diff:
                audit.append(session, self._ctx, audit.CHANGE, "child", row.id, {"fields": diff})
            return child_record(row)

    # --- reading ----------------------------------------------------------------------------
    def _load(self, session: Session, child_id: int, action: str) -> Child:
        row = session.get(Child, child_id)
        if row is None:
            raise NotFound(f"there is no child with id {child_id}")
        roles.require_child(self._ctx, row, action)
        return row

    def get(self, child_id: int) -> ChildRecord:
        """One child's record, for showing it: the view is written to the audit trail."""
        with self._ctx.transaction() as session:
            row = self._load(session, child_id, "view")
            audit.append(session, self._ctx, audit.VIEW, "child", row.id)
            facts = due.DueFacts(
                row.id,
                row.next_due,
                row.last_screened,
                row.outcome_state,
                row.created_at,
                row.latest_screening_id,
            )
            reason = due.reasons(session, [facts], self._ctx.today()).get(row.id, "")
            return replace(child_record(row), due_reason=reason)

    def by_ref(self, case_ref: str) -> ChildRecord:
        """Look a child up by case reference (not audited as a view: use get() to show one)."""
        with self._ctx.reading() as session:
            row = session.scalar(select(Child).where(Child.case_ref == case_ref.strip()))
            missing = f"there is no child with case reference {case_ref.strip()}"
            if row is None:
                raise NotFound(missing)
            if not roles.can_see_child(self._ctx.user, row.worker, row.team):
                roles.hide(self._ctx, "look up", "child", row.id, missing)
            return child_record(row)

    def register(self, query: RegisterQuery | None = None) -> RegisterPage:
        """One page of the children the user may see, with the total matching the filters."""
        with self._ctx.reading() as session:
            return register.run(session, self._ctx, query or RegisterQuery())

    def teams(self) -> list[str]:
        """Teams of the children the user may see (for filter lists)."""
        return self._distinct(Child.team)

    def workers(self) -> list[str]:
        """Allocated workers of the children the user may see (for filter lists)."""
        return self._distinct(Child.worker)

    def _distinct(self, column: Any) -> list[str]:
        stmt = select(column).where(roles.child_scope(self._ctx.user)).distinct()
        with self._ctx.reading() as session:
            values: list[str | None] = list(session.scalars(stmt))
        return sorted(v for v in values if v)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def change_details(
    ctx: ServiceContext,
    session: Session,
    row: Child,
    changes: dict[str, Any],
    q: Questionnaire | None = None,
) -> dict[str, Any]:
    """Apply changes to one child's details in an open transaction: checked as a form's are,
    allocation refused outside the user's caseload or team, and the fields changed returned
    as the audit entry records them (identifying ones by name only). Every change to a child's
    details goes through here: a person's edit and the SSDA903 import alike. ``q``: the
    definition whose choices the details are checked against, when the caller changes many
    children and has looked it up once."""
    current = {name: getattr(row, name) for name in EDITABLE_FIELDS}
    merged = validate(ChildInput(**{**current, **changes}), ctx.today(), q=q, stored=current)
    moved_team = merged.team != current["team"]
    allowed = roles.can_change_child(ctx.user, merged.worker, merged.team) and (
        not moved_team or roles.can_allocate(ctx.user, merged.worker, merged.team)
    )
    if not allowed:
        roles.deny(
            ctx,
            "change",
            "child",
            row.id,
            f"{roles.who(ctx.user)} may not allocate child {row.case_ref} outside "
            "their caseload or team",
        )
    diff: dict[str, Any] = {}
    for name in EDITABLE_FIELDS:
        new = getattr(merged, name)
        if new == current[name]:
            continue
        if name == "case_ref" and session.scalar(
            select(Child.id).where(Child.case_ref == new, Child.id != row.id)
        ):
            taken = f"a child with case reference {new} already exists"
            raise ChildDetailsInvalid(taken, (("case_ref", taken),))
        setattr(row, name, new)
        diff[name] = "changed" if name in PERSONAL_FIELDS else [_plain(current[name]), new]
    if diff:
        row.name_key = name_key(row.case_ref, row.name)
        row.updated_at = ctx.now()
    return diff
