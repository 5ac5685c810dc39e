"""``cse-screen questionnaire validate|show|compare``: check, read and try definitions
(``install``, ``activate`` and ``versions``, the versions kept in a database, are in
:mod:`cse_screen.commands.versions`).

``validate`` is how the CSE team checks an edited instrument before it is installed: each file
gets ``ok`` or one ``FILE:LINE:`` sentence saying what to fix.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cse_screen.commands import versions
from cse_screen.commands.common import add_user_options
from cse_screen.core import registry
from cse_screen.core.loader import load_questionnaire
from cse_screen.core.model import Questionnaire
from cse_screen.errors import EXIT_ERROR, EXIT_OK, QuestionnaireInvalid


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "questionnaire", help="check or show questionnaire definitions", description=__doc__
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    validate = actions.add_parser("validate", help="check definition files (FILE:LINE errors)")
    validate.add_argument("files", nargs="+", metavar="FILE", help="definition file (.yaml)")
    validate.set_defaults(func=run_validate)
    show = actions.add_parser("show", help="list an installed definition in readable form")
    show.add_argument(
        "--id", default=registry.DEFAULT_ID, help="instrument id (default: %(default)s)"
    )
    show.add_argument("--version", help="instrument version (default: the newest active)")
    show.set_defaults(func=run_show)
    compare = actions.add_parser(
        "compare",
        help="re-score the stored history under a candidate definition (writes nothing)",
        description=run_compare.__doc__,
    )
    add_user_options(compare)
    compare.add_argument(
        "--candidate", required=True, type=Path, metavar="FILE.yaml", help="candidate definition"
    )
    compare.add_argument("--json", action="store_true", help="print the report as JSON")
    compare.set_defaults(func=run_compare)
    versions.register_actions(actions)


def run_validate(args: argparse.Namespace) -> int:
    """Every file is checked; the exit status is 1 if any one of them is invalid."""
    status = EXIT_OK
    for name in args.files:
        try:
            q = load_questionnaire(name)
        except QuestionnaireInvalid as exc:
            sys.stderr.write(f"cse-screen: error: {exc.message}\n")
            status = EXIT_ERROR
            continue
        risk = len(q.risk_items)
        print(f"{name}: ok ({q.label}, {q.status}, {len(q.items)} items, {risk} indicators)")
    return status


def run_compare(args: argparse.Namespace) -> int:
    """How many stored outcomes a candidate definition would keep, raise or lower, and why.

    For team leads and administrators; every submitted or signed-off screening they may see is
    re-scored under the candidate (item ids matched) and nothing is written to the database.
    """
    from cse_screen.commands.store import open_store  # opening a database is only needed here
    from cse_screen.storage.services.compare import compare_candidate

    candidate = load_questionnaire(args.candidate)
    with open_store(args) as store:
        report = compare_candidate(store.context, candidate).to_dict()
    if args.json:
        print(json.dumps(report, indent=2))
        return EXIT_OK
    sys.stdout.write("\n".join(describe_compare(report)) + "\n")
    return EXIT_OK


def describe_compare(report: dict[str, Any]) -> Iterator[str]:
    """The compare report as a reader would want it at a glance."""
    c = report["candidate"]
    yield f"Candidate {c['id']} {c['version']} on {report['screenings']} stored screening(s):"
    yield (
        f"  same {report['same']}, up {report['up']}, down {report['down']}, "
        f"not comparable {report['not_comparable']}"
    )
    for old, row in report["table"].items():
        moved = ", ".join(f"{new} {n}" for new, n in row.items() if n)
        yield f"  from {old}: {moved}"
    for what in ("rules", "items"):
        if report[what]:
            changes = ", ".join(
                f"{k} (up {v['up']}, down {v['down']})" for k, v in report[what].items()
            )
            yield f"  {what} behind the changes: {changes}"
    if report["missing_items"]:
        missing = ", ".join(f"{k} ({n})" for k, n in report["missing_items"].items())
        yield f"  never asked, so not comparable: {missing}"


def run_show(args: argparse.Namespace) -> int:
    q = registry.get_questionnaire(args.id, args.version)
    sys.stdout.write("\n".join(describe(q)) + "\n")
    return EXIT_OK


def describe(q: Questionnaire) -> Iterator[str]:
    """The definition as a practitioner would read it on paper."""
    yield f"{q.title}"
    yield f"{q.label} ({q.status}, {q.purpose}); content hash {q.content_hash[:16]}"
    current, previous = q.windows.current_days, q.windows.previous_days
    yield f"Current = within {current} days; previous = up to {previous} days ago."
    yield ""
    yield "Answer types:"
    for answer_type in q.answer_types.values():
        yield f"  {answer_type.id}: {' | '.join(answer_type.values)}"
    yield ""
    yield "Context fields:"
    for f in q.context_fields:
        options = f" [{', '.join(f.options)}]" if f.options else ""
        required = ", required" if f.required else ""
        yield f"  {f.id} ({f.type}{required}): {f.label}{options}"
    for section in q.sections:
        yield ""
        condition = f"  (shown if {section.show_if})" if section.show_if else ""
        yield f"Section {section.id}: {section.title}{condition}"
        for item in section.items:
            yield f"  {item.id:<4} [{item.tier}] {item.text}"
            details = f"answers: {' | '.join(item.values)}"
            if item.show_if:
                details += f"; shown if {item.show_if}"
            yield f"       {details}"
    yield from _describe_scoring(q)


def _describe_scoring(q: Questionnaire) -> Iterator[str]:
    scoring = q.scoring
    yield ""
    yield f"Scoring ({scoring.strategy}):"
    if scoring.rules:
        yield "  Rules (first match wins):"
        for rule in scoring.rules:
            yield f"    {rule.id} -> {rule.outcome}: {rule.when}"
            yield f"       {rule.description}"
    if scoring.points:
        yield "  Points:"
        for tier, table in scoring.points.items():
            yield f"    {tier}: " + ", ".join(f"{v} {p}" for v, p in table.items())
        for bonus in scoring.bonuses:
            yield f"    {bonus.id} +{bonus.points}: {bonus.when}"
        yield "  Bands:"
        for band in scoring.bands:
            top = "" if band.max is None else str(band.max)
            yield f"    {band.id} {band.min}-{top or 'up'} -> {band.outcome}"
    if scoring.floors:
        yield "  Floors (applied after, can only raise):"
        for floor in scoring.floors:
            yield f"    {floor.id} at least {floor.outcome}: {floor.when}"
            yield f"       {floor.description}"
    yield ""
    yield "Outcomes (lowest to highest):"
    for outcome in q.outcomes:
        days = outcome.review_after_days
        yield f"  {outcome.id}: {outcome.label} ({outcome.colour}); review after {days} days"
        for action in outcome.actions:
            yield f"    - {action}"
