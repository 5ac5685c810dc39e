"""Streaming read queries for the Excel export: the store as an export source.

Everything is read through the signed-in user's scope (a lead sees their team, an administrator
everything), narrowed by the export's filters. Children and screenings are streamed in batches;
answers come from a second ordered stream merged by screening id, so memory does not grow with
the data. The period counts are plain SQL aggregates.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, distinct, func, select

from cse_screen.core import registry
from cse_screen.core.model import Questionnaire
from cse_screen.errors import NotFound, UserError
from cse_screen.export.options import ExportOptions
from cse_screen.export.rows import (
    ChildRow,
    EventRow,
    ExportMeta,
    HistoryRow,
    InstrumentInfo,
    ItemInfo,
    OutcomeInfo,
    PeriodCounts,
    ScreeningRow,
)
from cse_screen.storage.models import Answer, Child, Event, Screening
from cse_screen.storage.records import COMPLETED_STATUSES
from cse_screen.storage.services import roles

_BATCH = 2000
#: Child fields that also count as the screening's context (the scorer merges them in).
_CHILD_CONTEXT = ("gender", "ethnicity", "disability", "placement_type", "legal_status")


def instrument_info(q: Questionnaire, screenings: int = 0) -> InstrumentInfo:
    """What the export needs to know about one questionnaire version."""
    items = tuple(
        ItemInfo(
            id=item.id,
            text=item.text,
            tier=item.tier,
            kind=item.kind,
            section=q.section_of(item.id).title,
            present=q.answer_types[item.answer].present,
            current=q.answer_types[item.answer].current,
            unknown=q.answer_types[item.answer].unknown,
        )
        for item in q.items
    )
    outcomes = tuple(OutcomeInfo(o.id, o.label, o.colour, o.rank) for o in q.outcomes)
    required = tuple(f.id for f in q.context_fields if f.required)
    tracked = tuple((f.id, f.label) for f in q.context_fields if not f.pii)
    rules = tuple((r.id, r.description) for r in (*q.scoring.rules, *q.scoring.floors))
    return InstrumentInfo(
        q.id,
        q.version,
        q.title,
        q.content_hash,
        items,
        outcomes,
        required,
        tracked,
        screenings,
        rules,
    )


def scale_outcomes(instrument_id: str = registry.DEFAULT_ID) -> tuple[OutcomeInfo, ...]:
    """The outcomes of every version installed or shipped, on one scale, lowest first, with
    the labels and colours their definitions give: an installed version that adds an outcome
    (such as "harm identified") is counted and coloured without a list in the code."""
    return tuple(
        OutcomeInfo(o.id, o.label, o.colour, o.rank)
        for o in registry.outcome_details(instrument_id)
    )


def _answers_by_screening(rows: Iterator[Any]) -> Iterator[tuple[int, dict[str, str]]]:
    """(screening id, answers) from answer rows ordered by screening id."""
    for screening_id, group in itertools.groupby(rows, key=lambda r: r[0]):
        yield screening_id, {item: value for _, item, value in group}


class StoreSource:
    """An :class:`cse_screen.export.rows.ExportSource` over an open store."""

    def __init__(self, store: Any, options: ExportOptions) -> None:
        self._store = store
        self._options = options
        self._today: date = store.context.today()

    # --- filters ----------------------------------------------------------------------------
    def _child_filter(self) -> ColumnElement[bool]:
        conditions = [roles.child_scope(self._store.user)]
        if self._options.team:
            conditions.append(Child.team == self._options.team)
        if self._options.worker:
            conditions.append(Child.worker == self._options.worker)
        return and_(*conditions)

    def _screening_filter(self) -> ColumnElement[bool]:
        conditions = [self._child_filter()]
        if self._options.date_from:
            conditions.append(Screening.screen_date >= self._options.date_from)
        if self._options.date_to:
            conditions.append(Screening.screen_date <= self._options.date_to)
        return and_(*conditions)

    # --- the source -------------------------------------------------------------------------
    def meta(self) -> ExportMeta:
        try:
            outcomes = scale_outcomes()
        except (NotFound, UserError):
            outcomes = ()  # no definition can be read: the sheets list no outcome
        now = datetime.now().replace(microsecond=0)
        return ExportMeta(self._store.user.name, now, self._today, outcomes)

    def instruments(self) -> list[InstrumentInfo]:
        """The questionnaire versions of the screenings reported, newest first."""
        stmt = (
            select(
                Screening.instrument_id,
                Screening.instrument_version,
                Screening.instrument_hash,
                func.count(Screening.id),
            )
            .join(Child, Child.id == Screening.child_id)
            .where(self._screening_filter())
            .group_by(
                Screening.instrument_id, Screening.instrument_version, Screening.instrument_hash
            )
        )
        with self._store.reading() as session:
            used = [tuple(row) for row in session.execute(stmt)]
        found = [self._instrument(i, v, h, n) for i, v, h, n in used]
        if not found:
            try:
                found = [instrument_info(registry.get_questionnaire())]
            except (NotFound, UserError):
                found = []
        return sorted(found, key=lambda i: (i.id, registry.version_key(i.version)), reverse=True)

    def _instrument(self, id_: str, version: str, hash_: str, count: int) -> InstrumentInfo:
        try:
            return instrument_info(registry.get_by_hash(id_, version, hash_), count)
        except (NotFound, UserError):
            pass
        try:
            q = registry.get_questionnaire(id_, version)
        except (NotFound, UserError):
            return self._bare_instrument(id_, version, hash_, count)
        return replace(instrument_info(q, count), content_hash=hash_)

    def _bare_instrument(self, id_: str, version: str, hash_: str, count: int) -> InstrumentInfo:
        """A version whose definition is no longer installed: items known only by their ids."""
        stmt = (
            select(distinct(Answer.item_id))
            .join(Screening, Screening.id == Answer.screening_id)
            .where(
                Screening.instrument_id == id_,
                Screening.instrument_version == version,
                Screening.instrument_hash == hash_,
            )
        )
        with self._store.reading() as session:
            ids = sorted(session.scalars(stmt))
        present = frozenset({"current", "previous", "both", "yes"})
        items = tuple(
            ItemInfo(
                i,
                "(definition not installed)",
                "",
                "",
                "",
                present,
                frozenset({"current", "both", "yes"}),
                frozenset({"unknown"}),
            )
            for i in ids
        )
        return InstrumentInfo(id_, version, f"{id_} {version}", hash_, items, (), (), (), count)

    def count_children(self) -> int:
        with self._store.reading() as session:
            return int(
                session.scalar(select(func.count(Child.id)).where(self._child_filter())) or 0
            )

    def count_screenings(self) -> int:
        stmt = (
            select(func.count(Screening.id))
            .join(Child, Child.id == Screening.child_id)
            .where(self._screening_filter())
        )
        with self._store.reading() as session:
            return int(session.scalar(stmt) or 0)

    def children(self) -> Iterator[ChildRow]:
        completed = func.sum(case((Screening.status.in_(COMPLETED_STATUSES), 1), else_=0))
        drafts = func.sum(case((Screening.status.in_(("draft", "returned")), 1), else_=0))
        per_child = (
            select(Screening.child_id, completed.label("completed"), drafts.label("drafts"))
            .group_by(Screening.child_id)
            .subquery()
        )
        stmt = (
            select(Child, per_child.c.completed, per_child.c.drafts)
            .outerjoin(per_child, per_child.c.child_id == Child.id)
            .where(self._child_filter())
            .order_by(Child.case_ref)
            .execution_options(yield_per=_BATCH)
        )
        with self._store.reading() as session:
            for child, n_completed, n_drafts in session.execute(stmt):
                yield ChildRow(
                    child.id,
                    child.case_ref,
                    child.name,
                    child.dob,
                    child.gender,
                    child.ethnicity,
                    child.disability,
                    child.placement_type,
                    child.legal_status,
                    child.worker,
                    child.team,
                    child.latest_outcome,
                    child.last_screened,
                    child.next_due,
                    int(n_completed or 0),
                    bool(n_drafts),
                )

    def screenings(self) -> Iterator[ScreeningRow]:
        """Screenings in id order, each with its answers merged in from a second stream.

        Two plain ordered scans merged here are far cheaper than one query that packs each
        screening's answers in SQL: with SQLCipher's memory protection every string SQLite
        builds costs system calls.
        """
        s, c = Screening, Child
        stmt = (
            select(
                s.id,
                s.child_id,
                c.case_ref,
                c.dob,
                func.coalesce(s.team, c.team),  # the team it was made in
                c.worker,
                s.instrument_id,
                s.instrument_version,
                s.instrument_hash,
                s.status,
                s.trigger,
                s.screen_date,
                s.computed_outcome,
                s.final_outcome,
                s.override_reason,
                s.returned_reason,
                s.needs_signoff,
                s.created_by,
                s.submitted_at,
                s.signed_off_by,
                s.next_due,
                s.context,
                c.gender,
                c.ethnicity,
                c.disability,
                c.placement_type,
                c.legal_status,
                # The JSON type's own index: json_extract on SQLite, -> on PostgreSQL's jsonb;
                # either way the rules arrive as a list.
                s.result["rules"],
            )
            .join(c, c.id == s.child_id)
            .where(self._screening_filter())
            .order_by(s.id)
            .execution_options(yield_per=_BATCH)
        )
        answers = (
            select(Answer.screening_id, Answer.item_id, Answer.value)
            .join(s, s.id == Answer.screening_id)
            .join(c, c.id == s.child_id)
            .where(self._screening_filter())
            .order_by(Answer.screening_id)
            .execution_options(yield_per=_BATCH * 5)
        )
        with self._store.reading() as session:
            conn = session.connection()  # Core rows: no ORM bookkeeping per answer
            grouped = _answers_by_screening(iter(conn.execute(answers)))
            pending = next(grouped, None)
            for row in conn.execute(stmt):
                while pending is not None and pending[0] < row[0]:
                    pending = next(grouped, None)
                found = pending[1] if pending is not None and pending[0] == row[0] else {}
                yield _screening_row(row, found)

    def period_counts(self, start: date, end: date) -> PeriodCounts:
        """Completed screenings dated ``start``..``end`` for the children in scope."""
        s = Screening
        where = and_(
            self._child_filter(),
            s.status.in_(COMPLETED_STATUSES),
            s.screen_date >= start,
            s.screen_date <= end,
        )
        lowest = self._lowest_outcome()
        totals = (
            select(
                func.count(s.id),
                func.count(distinct(s.child_id)),
                func.count(distinct(case((s.final_outcome != lowest, s.child_id)))),
                func.sum(
                    case(
                        (
                            and_(
                                s.computed_outcome.is_not(None),
                                s.computed_outcome != s.final_outcome,
                            ),
                            1,
                        ),
                        else_=0,
                    )
                ),
            )
            .join(Child, Child.id == s.child_id)
            .where(where)
        )
        outcomes = (
            select(s.final_outcome, func.count(s.id))
            .join(Child, Child.id == s.child_id)
            .where(where)
            .group_by(s.final_outcome)
        )
        with self._store.reading() as session:
            n, kids, at_risk, overridden = session.execute(totals).one()
            by_outcome = {str(o): int(k) for o, k in session.execute(outcomes) if o is not None}
        return PeriodCounts(
            start,
            end,
            int(n or 0),
            int(kids or 0),
            by_outcome,
            int(at_risk or 0),
            int(overridden or 0),
        )

    def history(self, up_to: date) -> Iterator[HistoryRow]:
        """Completed screenings up to ``up_to`` of the children in scope, whatever the date
        range: positions "as at" a day and re-screens "by their due date" need the ones before.
        """
        s = Screening
        stmt = (
            select(
                s.child_id,
                s.screen_date,
                s.final_outcome,
                s.next_due,
                s.submitted_at,
                s.signed_off_at,
                func.coalesce(s.team, Child.team),
            )
            .join(Child, Child.id == s.child_id)
            .where(
                self._child_filter(),
                s.status.in_(COMPLETED_STATUSES),
                s.final_outcome.is_not(None),
                s.screen_date <= up_to,
            )
            .order_by(s.child_id, s.screen_date, s.id)
            .execution_options(yield_per=_BATCH)
        )
        with self._store.reading() as session:
            for child_id, day, outcome, due, submitted, signed, team in session.execute(stmt):
                yield HistoryRow(
                    child_id,
                    day,
                    outcome,
                    due,
                    submitted.date() if submitted else None,
                    signed.date() if signed else None,
                    team,
                )

    def events(self, start: date, end: date) -> Iterator[EventRow]:
        stmt = (
            select(Event.child_id, Event.kind, Event.on_date)
            .join(Child, Child.id == Event.child_id)
            .where(self._child_filter(), Event.on_date >= start, Event.on_date <= end)
            .order_by(Event.child_id, Event.on_date)
        )
        with self._store.reading() as session:
            for child_id, kind, day in session.execute(stmt):
                yield EventRow(child_id, kind, day)

    def _lowest_outcome(self) -> str:
        outcomes = self.meta().outcomes
        return min(outcomes, key=lambda o: o.rank).id if outcomes else ""


def _screening_row(row: Any, answers: dict[str, str]) -> ScreeningRow:
    """A row of :meth:`StoreSource.screenings`' query (21 screening fields, context, child)."""
    fields = list(row[:21])
    context, child_context, rules = row[21], row[22:27], row[27]
    present = {k for k, v in (context or {}).items() if v not in (None, "", [], {})}
    present.update(("dob", "screen_date", "trigger"))
    present.update(f for f, v in zip(_CHILD_CONTEXT, child_context, strict=True) if v)
    fields[16] = bool(fields[16])  # needs_signoff
    fired = tuple(str(r) for r in rules) if rules else ()
    placement = (context or {}).get("placement_type") or child_context[3]
    return ScreeningRow(  # type: ignore[call-arg]
        *fields, answers, frozenset(present), fired, placement
    )
