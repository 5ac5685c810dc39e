"""The figures of the report to Cabinet or the board: the board workbook's own.

A councillor comparing the report with the workbook must find the same numbers, suppressed in
the same places. So nothing is counted here: the workbook's tallies are gathered for the same
options (pseudonymised, the period, the team) and the workbook's disclosure control is planned
over the same equations; this module only asks that plan what each keyed count shows ("12",
"<5" or "[c]"). The 12-month trend is the Trends sheet of a board workbook for the twelve
calendar months ending with the period's last month (the period itself may be a quarter).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cse_screen.export.context import BuildContext
from cse_screen.export.options import ExportOptions
from cse_screen.export.rows import OutcomeInfo
from cse_screen.export.sheet_analysis import month_label, trend_months
from cse_screen.export.workbook import Aggregates, gather_aggregates, plan_disclosure

#: Months in the trend chart.
TREND_MONTHS = 12


@dataclass(frozen=True)
class Line:
    """A measure now and before, as shown: counts as text, withheld ones as their marker."""

    label: str
    now: str
    before: str
    change: str


@dataclass(frozen=True)
class Month:
    month: date
    label: str
    screenings: str
    #: outcome id -> the count shown, or None where it is withheld
    by_outcome: dict[str, int | None]
    shown: dict[str, str]


@dataclass
class BoardFigures:
    period: tuple[date, date]
    previous: tuple[date, date]
    as_at: date
    before_at: date
    team: str | None
    outcomes: tuple[OutcomeInfo, ...]
    made_by: str
    children: list[Line] = field(default_factory=list)
    position: list[Line] = field(default_factory=list)
    activity: list[Line] = field(default_factory=list)
    moves: list[tuple[str, str]] = field(default_factory=list)
    team_head: list[str] = field(default_factory=list)
    teams: list[list[str]] = field(default_factory=list)
    trend: list[Month] = field(default_factory=list)


class Shown:
    """What a planned board workbook shows for each keyed count."""

    def __init__(self, ctx: BuildContext) -> None:
        self._d = ctx.disclosure

    def __call__(self, key: str, value: int) -> str:
        marker = self._d.marker(key) if key in self._d.values else None
        return marker or f"{value:,}"

    def number(self, key: str, value: int) -> int | None:
        return None if self(key, value) in ("<5", "[c]") else value

    def change(self, a: tuple[str, int], b: tuple[str, int]) -> str:
        """The change, only where both counts are shown (else a reader could undo it)."""
        if self.number(*a) is None or self.number(*b) is None:
            return "[c]"
        diff = a[1] - b[1]
        return f"{diff:+,}" if diff else "0"


def _plan(store: Any, options: ExportOptions) -> tuple[BuildContext, Aggregates]:
    from cse_screen.storage.reporting import StoreSource

    source = StoreSource(store, options)
    ctx = BuildContext(options, source.meta())
    expected = {"children": source.count_children(), "screenings": source.count_screenings()}
    sheets = gather_aggregates(source, ctx, source.instruments(), expected)
    plan_disclosure(ctx, sheets)
    return ctx, sheets


def _trend_options(options: ExportOptions) -> ExportOptions:
    end = options.date_to
    assert end is not None
    index = end.year * 12 + end.month - 1 - (TREND_MONTHS - 1)
    start = date(index // 12, index % 12 + 1, 1)
    return ExportOptions(date_from=start, date_to=end, team=options.team, pseudonymise=True)


def board_figures(
    store: Any, date_from: date, date_to: date, team: str | None = None
) -> BoardFigures:
    """Every figure of the board report for ``date_from``..``date_to`` (and ``team``)."""
    options = ExportOptions(date_from=date_from, date_to=date_to, team=team, pseudonymise=True)
    options.validate()
    ctx, a = _plan(store, options)
    now, before = a.periods
    figures = BoardFigures(
        period=(now.start, now.end),
        previous=(before.start, before.end),
        as_at=a.kids.now.today,
        before_at=a.kids.before.today,
        team=team,
        outcomes=ctx.meta.outcomes,
        made_by=ctx.meta.exported_by,
    )
    _position(figures, Shown(ctx), a)
    _activity(figures, Shown(ctx), a)
    _teams(figures, Shown(ctx), a)
    trend_ctx, trend = _plan(store, _trend_options(options))
    _trend(figures, Shown(trend_ctx), trend_ctx, trend)
    return figures


def _position(f: BoardFigures, shown: Shown, a: Aggregates) -> None:
    now, before = a.kids.now, a.kids.before
    f.children = [
        Line(label, shown(f"kids:{key}", n), "", "")
        for label, key, n in (
            ("Looked-after children in scope", "all", now.total),
            ("Screened at least once", "screened", now.screened),
            ("Screened in the last 12 months", "12m", now.screened_12m),
            ("Never screened", "never", now.never_screened),
            ("Re-screen due in the next 30 days", "due_soon", now.due_soon),
            ("Overdue for re-screening", "overdue", now.overdue),
        )
    ]
    rows = [
        ("Children in scope", "all", now.total, before.total),
        ("Never screened", "never", now.never_screened, before.never_screened),
        ("Overdue for re-screening", "overdue", now.overdue, before.overdue),
        ("Screened at least once", "screened", now.screened, before.screened),
    ]
    rows += [
        (
            f"Latest outcome: {o.label}",
            f"o:{o.id}",
            now.by_outcome.get(o.id, 0),
            before.by_outcome.get(o.id, 0),
        )
        for o in f.outcomes
    ]
    f.position = [
        Line(
            label,
            shown(f"kids:{key}", a_),
            shown(f"prev:{key}", b_),
            shown.change((f"kids:{key}", a_), (f"prev:{key}", b_)),
        )
        for label, key, a_, b_ in rows
    ]


def _activity(f: BoardFigures, shown: Shown, a: Aggregates) -> None:
    now, before = a.periods
    rows = [("Screenings completed", "scr", now.screenings, before.screenings)]
    rows += [
        (
            f"Screenings: {o.label}",
            f"o:{o.id}",
            now.by_outcome.get(o.id, 0),
            before.by_outcome.get(o.id, 0),
        )
        for o in f.outcomes
    ]
    rows += [
        ("Outcomes changed by professional judgement", "over", now.overridden, before.overridden),
        ("Children screened", "kids", now.children, before.children),
        (
            "Children at risk (any outcome above the lowest)",
            "risk",
            now.at_risk_children,
            before.at_risk_children,
        ),
    ]
    f.activity = [
        Line(
            label,
            shown(f"p0:{key}", x),
            shown(f"p1:{key}", y),
            shown.change((f"p0:{key}", x), (f"p1:{key}", y)),
        )
        for label, key, x, y in rows
    ]
    moves = a.tally.changes()
    f.moves = [
        (label, shown(f"moves:{key}", moves.get(key, 0)))
        for label, key in (("Higher", "up"), ("Lower", "down"), ("Unchanged", "same"))
    ]


def _teams(f: BoardFigures, shown: Shown, a: Aggregates) -> None:
    kids = a.kids.now
    f.team_head = [
        "Team",
        "Children",
        "Not yet screened",
        *(o.label for o in f.outcomes),
        "Overdue",
        "Due in 30 days",
    ]
    groups = kids.groups("team")
    for name in sorted(groups):
        g, k = groups[name], f"team:{name}"
        f.teams.append(
            [
                name,
                shown(f"{k}:all", g.children),
                shown(f"{k}:never", g.never_screened),
                *(shown(f"{k}:o:{o.id}", g.by_outcome.get(o.id, 0)) for o in f.outcomes),
                shown(f"{k}:overdue", g.overdue),
                shown(f"{k}:due_soon", g.due_soon),
            ]
        )
    f.teams.append(
        [
            "Total",
            shown("kids:all", kids.total),
            shown("kids:never", kids.never_screened),
            *(shown(f"kids:o:{o.id}", kids.by_outcome.get(o.id, 0)) for o in f.outcomes),
            shown("kids:overdue", kids.overdue),
            shown("kids:due_soon", kids.due_soon),
        ]
    )


def _trend(f: BoardFigures, shown: Shown, ctx: BuildContext, a: Aggregates) -> None:
    for month in trend_months(ctx, a.tally):
        m = a.tally.months.get(month)
        by = m.by_outcome if m else {}
        k = f"month:{month:%Y-%m}"
        f.trend.append(
            Month(
                month,
                month_label(month, ctx),
                shown(f"{k}:scr", m.screenings if m else 0),
                {o.id: shown.number(f"{k}:o:{o.id}", by.get(o.id, 0)) for o in f.outcomes},
                {o.id: shown(f"{k}:o:{o.id}", by.get(o.id, 0)) for o in f.outcomes},
            )
        )
