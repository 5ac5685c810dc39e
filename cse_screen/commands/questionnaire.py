"""``cse-screen questionnaire validate|show``: check and read questionnaire definitions.

``validate`` is how the CSE team checks an edited instrument before it is installed: each file
gets ``ok`` or one ``FILE:LINE:`` sentence saying what to fix.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator

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
