"""Rows for building workbooks without a database: a small instrument and known children."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from cse_screen.export.listsource import ListSource
from cse_screen.export.rows import (
    ChildRow,
    ExportMeta,
    InstrumentInfo,
    ItemInfo,
    OutcomeInfo,
    ScreeningRow,
)

TODAY = date(2026, 11, 29)
OUTCOMES = (
    OutcomeInfo("no_current_risk", "No current risk", "#A9D08E", 0),
    OutcomeInfo("low", "Low", "#FFE699", 1),
    OutcomeInfo("moderate", "Moderate", "#F4B183", 2),
    OutcomeInfo("significant", "Significant", "#C00000", 3),
)
RISK = frozenset({"current", "previous", "both"})
_TIERS = ["significant", "moderate", "low", "harm"]


def instrument() -> InstrumentInfo:
    items = [
        ItemInfo(
            f"A{i}",
            f"Risk indicator {i}",
            _TIERS[i % 4],
            "risk_indicator",
            "Section A",
            RISK,
            frozenset({"current", "both"}),
            frozenset({"unknown"}),
        )
        for i in range(1, 9)
    ]
    items += [
        ItemInfo(
            f"L{i}",
            f"Vulnerability {i}",
            "vulnerability",
            "vulnerability",
            "Section L",
            frozenset({"yes"}),
            frozenset({"yes"}),
            frozenset({"unknown"}),
        )
        for i in range(1, 4)
    ]
    return InstrumentInfo(
        "lac-cse-screen",
        "1.0",
        "Looked-after children CSE screening",
        "abc123",
        tuple(items),
        OUTCOMES,
        ("dob", "screen_date"),
    )


def meta(user: str = "lead1") -> ExportMeta:
    return ExportMeta(user, datetime(2026, 11, 29, 10, 30), TODAY, OUTCOMES)


def child(
    i: int,
    name: str | None = None,
    ref: str | None = None,
    dob: date | None = None,
    outcome: str | None = "low",
) -> ChildRow:
    return ChildRow(
        child_id=i,
        case_ref=ref or f"LAC-{i:05d}",
        name=name or f"Child Name{i}",
        dob=dob or date(2011, 3, 1) + timedelta(days=37 * i),
        gender="Female",
        ethnicity="White British",
        disability=None,
        placement_type="Foster care",
        legal_status="S31",
        worker=f"worker{i % 3}",
        team=f"Team {i % 2}",
        latest_outcome=outcome,
        last_screened=TODAY - timedelta(days=40) if outcome else None,
        next_due=TODAY + timedelta(days=(i % 5) * 20 - 30) if outcome else None,
        completed_screenings=1 if outcome else 0,
        has_draft=False,
    )


def screening(i: int, kid: ChildRow, rng: random.Random, **changes: object) -> ScreeningRow:
    answers = {
        f"A{n}": rng.choice(["none", "none", "current", "previous", "unknown"]) for n in range(1, 9)
    }
    answers.update({f"L{n}": rng.choice(["yes", "no", "unknown"]) for n in range(1, 4)})
    final = kid.latest_outcome or "low"
    fields: dict[str, object] = dict(
        screening_id=i,
        child_id=kid.child_id,
        child_ref=kid.case_ref,
        dob=kid.dob,
        team=kid.team,
        worker=kid.worker,
        instrument_id="lac-cse-screen",
        instrument_version="1.0",
        instrument_hash="abc123",
        status="submitted",
        trigger="scheduled",
        screen_date=TODAY - timedelta(days=30 * (i % 14)),
        computed_outcome=final,
        final_outcome=final,
        override_reason=None,
        returned_reason=None,
        needs_signoff=False,
        created_by=kid.worker or "worker0",
        submitted_at=datetime(2026, 11, 1, 9, 0),
        signed_off_by=None,
        next_due=kid.next_due,
        answers=answers,
        context_present=frozenset({"dob", "screen_date"}),
    )
    fields.update(changes)
    return ScreeningRow(**fields)  # type: ignore[arg-type]


def source(n_children: int = 30, seed: int = 1, **child_changes: object) -> ListSource:
    rng = random.Random(seed)
    outcomes = [o.id for o in OUTCOMES] + [None]
    kids = [child(i, outcome=outcomes[i % 5]) for i in range(1, n_children + 1)]
    rows = [
        screening(i, kids[i % n_children], rng)
        for i in range(1, 2 * n_children + 1)
        if kids[i % n_children].latest_outcome
    ]
    return ListSource.from_lists(meta(), [instrument()], kids, rows)
