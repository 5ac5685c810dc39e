"""The Key questions sheet: on time, after a positive screen, missing episodes, the trend.

Every block is a partition with its total, so a board file's disclosure control can protect
it like the Summary's tables.
"""

from __future__ import annotations

from collections.abc import Mapping

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from cse_screen.export.cells import CellMaker
from cse_screen.export.context import BuildContext
from cse_screen.export.headings import heading, section, uk
from cse_screen.export.periods import AFTER_EPISODE_DAYS, quarter_label
from cse_screen.export.questions import DUE_STATES, POSITIVE_STATES, Questions

_DUE_HEADS = {"on_time": "By the due date", "late": "Late", "not_yet": "Not yet re-screened"}
_POSITIVE_HEADS = {
    "within": "Re-screened within its interval",
    "late": "Re-screened late",
    "not_due": "Re-screen not yet due",
    "overdue": "Re-screen overdue",
}


def _partition(
    ws: WriteOnlyWorksheet,
    cm: CellMaker,
    ctx: BuildContext,
    prefix: str,
    first_head: str,
    states: tuple[str, ...],
    heads: Mapping[str, str],
    counts: Mapping[str, Mapping[str, int]],
    share_of: str,
) -> None:
    """Rows by outcome, a column per state, a total column and a share of the first state."""
    ws.append(
        cm.header_row(
            [first_head, "Total", heads[states[0]], share_of, *(heads[s] for s in states[1:])]
        )
    )
    columns: dict[str, list[str]] = {}
    totals: dict[str, int] = {}
    rows = [(o.id, o.label) for o in ctx.meta.outcomes]
    for outcome, label in rows:
        by = counts.get(outcome, {})
        k = f"{prefix}:{outcome}"
        n = sum(by.get(s, 0) for s in states)
        first = by.get(states[0], 0)
        ws.append(
            [
                cm.outcome(outcome, label),
                ctx.count(n, f"{k}:all"),
                ctx.count(first, f"{k}:{states[0]}"),
                ctx.share(first, n, f"{k}:{states[0]}", f"{k}:all"),
                *(ctx.count(by.get(s, 0), f"{k}:{s}") for s in states[1:]),
            ]
        )
        ctx.equation([f"{k}:{s}" for s in states], f"{k}:all")
        for s in ("all", *states):
            columns.setdefault(s, []).append(f"{k}:{s}")
            totals[s] = totals.get(s, 0) + (n if s == "all" else by.get(s, 0))
    ws.append(
        [
            cm.text("Total", "label"),
            ctx.count(totals.get("all", 0), f"{prefix}:all"),
            ctx.count(totals.get(states[0], 0), f"{prefix}:{states[0]}"),
            ctx.share(
                totals.get(states[0], 0),
                totals.get("all", 0),
                f"{prefix}:{states[0]}",
                f"{prefix}:all",
            ),
            *(ctx.count(totals.get(s, 0), f"{prefix}:{s}") for s in states[1:]),
        ]
    )
    for s, members in columns.items():
        ctx.equation(members, f"{prefix}:{s}")
    ctx.equation([f"{prefix}:{s}" for s in states], f"{prefix}:all")
    ws.append([])


def _episodes(ws: WriteOnlyWorksheet, cm: CellMaker, ctx: BuildContext, q: Questions) -> None:
    section(
        ws,
        cm,
        "Missing episodes",
        "children in scope with a missing episode dated within the period; episodes",
    )
    ws.append(cm.header_row(["Episodes in the period", "Children", "% of these children"]))
    keys = []
    for label in ("1", "2", "3 or more"):
        n = q.children_by_episodes.get(label, 0)
        key = f"episodes:{label}"
        keys.append(key)
        ws.append(
            [
                cm.text(label),
                ctx.count(n, key),
                ctx.share(n, q.children_with_episodes, key, "episodes:children"),
            ]
        )
    ws.append(
        [
            cm.text("Total", "label"),
            ctx.count(q.children_with_episodes, "episodes:children"),
        ]
    )
    ctx.equation(keys, "episodes:children")
    ws.append([])
    ws.append(cm.header_row(["Episodes", "Episodes", "% of episodes"]))
    followed, rest = q.episodes_followed, q.episodes - q.episodes_followed
    ws.append([cm.text("Missing episodes in the period"), ctx.count(q.episodes, "episodes:all")])
    for label, key, n in (
        (
            f"Followed by a screening within {AFTER_EPISODE_DAYS} days",
            "episodes:followed",
            followed,
        ),
        ("Not followed by a screening in time", "episodes:not_followed", rest),
    ):
        ws.append(
            [cm.text(label), ctx.count(n, key), ctx.share(n, q.episodes, key, "episodes:all")]
        )
    ctx.equation(["episodes:followed", "episodes:not_followed"], "episodes:all")
    ws.append([])


def _trend(ws: WriteOnlyWorksheet, cm: CellMaker, ctx: BuildContext, q: Questions) -> None:
    section(
        ws,
        cm,
        "Trend of the last eight quarters (shares)",
        "completed screenings dated within each quarter; shares of that quarter's screenings",
    )
    outcomes = ctx.meta.outcomes
    ws.append(cm.header_row(["Quarter", "Screenings", *(f"% {o.label}" for o in outcomes)]))
    for first, last, by in q.quarters:
        k = f"quarter:{first:%Y-%m}"
        n = sum(by.values())
        part = " (to date)" if last > ctx.meta.today else ""
        for o in outcomes:
            ctx.disclosure.cell(f"{k}:o:{o.id}", by.get(o.id, 0))
        ctx.equation([f"{k}:o:{o.id}" for o in outcomes], f"{k}:scr")
        ws.append(
            [
                cm.text(quarter_label(first) + part),
                ctx.count(n, f"{k}:scr"),
                *(ctx.share(by.get(o.id, 0), n, f"{k}:o:{o.id}", f"{k}:scr") for o in outcomes),
            ]
        )
    ws.append([])


def write_questions(ws: WriteOnlyWorksheet, ctx: BuildContext, q: Questions, start, end) -> None:
    cm = ctx.sheet(ws, [40, 12, 18, 18, 18, 18, 18])
    heading(ws, cm, ctx, "Key questions: on time, after a positive screen, missing episodes")
    section(
        ws,
        cm,
        "Re-screens due in the period",
        f"completed screenings whose next due date fell within {uk(start)} to {uk(end)}, by "
        f"their outcome; as at {uk(end)}",
    )
    _partition(
        ws,
        cm,
        ctx,
        "due",
        "Outcome that set the due date",
        DUE_STATES,
        _DUE_HEADS,
        q.due,
        "% by the due date",
    )
    section(
        ws,
        cm,
        "What followed a positive screen",
        f"completed screenings within the period with an outcome above the lowest; as at {uk(end)}",
    )
    _partition(
        ws,
        cm,
        ctx,
        "positive",
        "Outcome",
        POSITIVE_STATES,
        _POSITIVE_HEADS,
        q.positive,
        "% re-screened within interval",
    )
    median = q.median_signoff_days
    ws.append(
        [
            cm.text("Median days from submission to a team lead's sign-off"),
            median if median is not None else cm.text("none signed off"),
        ]
    )
    ws.append([])
    _episodes(ws, cm, ctx, q)
    _trend(ws, cm, ctx, q)
