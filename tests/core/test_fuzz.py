"""Random damage to the shipped definition: it loads, or it is refused with a line number.

Seeded and bounded, so a failure is reproducible and the test stays quick. Anything other than
QuestionnaireInvalid (a KeyError, a RecursionError, a hang) is a bug in the loader.
"""

from __future__ import annotations

import random
import re
import time

import pytest

from cse_screen.core.loader import load_text
from cse_screen.errors import QuestionnaireInvalid

MUTATIONS_PER_SEED = 25
SEEDS = range(6)
JUNK = ["", ":", "- ", "  ", "]", "{", "&x", "*x", "!!str", "'", '"', "#", "\t", "~", "null", "é"]


def mutate(lines: list[str], rng: random.Random) -> list[str]:
    lines = list(lines)
    for _ in range(rng.randint(1, 3)):
        index = rng.randrange(len(lines))
        action = rng.choice(["delete", "duplicate", "swap", "alter", "indent", "truncate"])
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "swap" and index + 1 < len(lines):
            lines[index], lines[index + 1] = lines[index + 1], lines[index]
        elif action == "alter" and lines[index]:
            position = rng.randrange(len(lines[index]))
            lines[index] = lines[index][:position] + rng.choice(JUNK) + lines[index][position + 1 :]
        elif action == "indent":
            lines[index] = rng.choice(["", " ", "    "]) + lines[index].lstrip(" ")
        elif action == "truncate":
            lines[index] = lines[index][: rng.randrange(len(lines[index]) + 1)]
    return lines


@pytest.mark.parametrize("seed", SEEDS)
def test_mutated_definition_loads_or_names_a_line(default_text: str, seed: int) -> None:
    rng = random.Random(seed)
    lines = default_text.splitlines()
    refused = 0
    for _ in range(MUTATIONS_PER_SEED):
        text = "\n".join(mutate(lines, rng)) + "\n"
        started = time.perf_counter()
        try:
            q = load_text(text, "fuzz.yaml")
        except QuestionnaireInvalid as exc:
            refused += 1
            assert re.match(r"fuzz\.yaml:[1-9]\d*: \S", exc.message), exc.message
            assert "\n" not in exc.message
            line = int(exc.message.split(":")[1])
            assert line <= len(text.splitlines()) + 1
        else:
            assert q.items and q.outcomes
        assert time.perf_counter() - started < 2.0
    assert refused > 0
