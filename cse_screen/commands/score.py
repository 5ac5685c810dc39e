"""``cse-screen score``: score an answers file without a database and print the result as JSON.

For the CSE team trying rules and for scripts: the same engine as the desktop app, so a file
scored here gives the outcome a screening with those answers would get.
"""

from __future__ import annotations

import argparse
import json
import sys

from cse_screen.core import registry
from cse_screen.core.answers_file import check_against, read_answers_file
from cse_screen.core.loader import load_questionnaire
from cse_screen.core.scoring import score
from cse_screen.errors import EXIT_OK, AnswersInvalid


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "score", help="score an answers file (no database); prints JSON", description=__doc__
    )
    parser.add_argument("--answers", required=True, metavar="FILE.json", help="answers file")
    parser.add_argument(
        "--questionnaire",
        metavar="FILE.yaml",
        help="score under this definition file (default: the installed one the file names)",
    )
    parser.set_defaults(func=run_score)


def run_score(args: argparse.Namespace) -> int:
    answers = read_answers_file(args.answers)
    if args.questionnaire:
        q = load_questionnaire(args.questionnaire)
        if answers.questionnaire != q.id or answers.version not in (None, q.version):
            named = answers.questionnaire + (f" {answers.version}" if answers.version else "")
            raise AnswersInvalid(
                f"{args.answers}: the answers are for {named}, but {args.questionnaire} "
                f"defines {q.label}."
            )
    else:
        q = registry.get_questionnaire(answers.questionnaire, answers.version)
    check_against(answers, q)
    result = score(q, answers.answers, answers.context)
    json.dump(result.to_dict(), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return EXIT_OK
