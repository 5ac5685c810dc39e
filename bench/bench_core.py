"""Core benchmarks: definition load-and-validate time, and scoring throughput.

Baselines are measured in the same run: plain ``yaml.safe_load`` of the same file (what a loader
without line numbers or validation would cost), and plain dictionary counting of the default
rules over the same answers (what hard-coded scoring would cost).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import yaml

from cse_screen.core.loader import load_questionnaire
from cse_screen.core.model import Questionnaire
from cse_screen.core.registry import default_folder
from cse_screen.core.scoring import score

LOADS = 30
SCREENINGS = 5000
RISK_VALUES = ("none", "none", "none", "current", "previous", "both", "unknown")
YES_NO = ("yes", "no", "no", "unknown")


def _best(repeat: int, work: Callable[[], object]) -> float:
    """Best of a few timings: the least disturbed by other processes on a shared machine."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def _screenings(q: Questionnaire, count: int) -> list[tuple[dict[str, str], dict[str, object]]]:
    rng = random.Random(20261129)
    cases = []
    for _ in range(count):
        answers = {
            item.id: rng.choice(YES_NO if item.kind == "vulnerability" else RISK_VALUES)
            for item in q.items
            if rng.random() < 0.8
        }
        context: dict[str, object] = {
            "dob": f"{rng.randint(2008, 2017)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            "screen_date": "2026-11-01",
            "disability": rng.choice(["none", "none", "learning", "physical"]),
        }
        cases.append((answers, context))
    return cases


def _plain_counting(
    tiers: dict[str, str], answers: dict[str, str], context: dict[str, object]
) -> int:
    """The default rules hard-coded over dictionaries: the cheapest possible scorer."""
    current = {"significant": 0, "moderate": 0, "low": 0, "harm": 0, "vulnerability": 0}
    present = dict(current)
    previous_significant = False
    for item_id, value in answers.items():
        tier = tiers[item_id]
        if value in ("current", "both"):
            current[tier] += 1
        if value in ("current", "previous", "both", "yes"):
            present[tier] += 1
        if tier == "significant" and value == "previous":
            previous_significant = True
    if current["significant"]:
        outcome = 3
    elif current["moderate"] >= 3:
        outcome = 2
    elif previous_significant or present["moderate"] or present["low"]:
        outcome = 1
    else:
        outcome = 0
    dob = str(context["dob"])
    born = (int(dob[:4]), int(dob[5:7]), int(dob[8:10]))
    age = 2026 - born[0] - (born[1:] > (11, 1))
    if present["harm"]:
        outcome = 3
    if age < 13 and (present["significant"] or present["moderate"]):
        outcome = max(outcome, 2)
    learning = answers.get("L11") == "yes" or context["disability"] == "learning"
    risk = present["significant"] + present["moderate"] + present["low"] + present["harm"]
    if learning and risk:
        outcome = max(outcome, 2)
    return outcome


def main() -> None:
    path = default_folder() / "lac-cse-screen.yaml"
    text = path.read_text(encoding="utf-8")
    load = _best(3, lambda: [load_questionnaire(path) for _ in range(LOADS)]) / LOADS
    plain = _best(3, lambda: [yaml.safe_load(text) for _ in range(LOADS)]) / LOADS
    print(
        f"core definition load+validate: {load * 1000:.1f} ms "
        f"({load / plain:.2f}x vs plain yaml.safe_load {plain * 1000:.1f} ms)"
    )

    q = load_questionnaire(path)
    cases = _screenings(q, SCREENINGS)
    tiers = {item.id: item.tier for item in q.items}
    rank = {o.id: o.rank for o in q.outcomes}
    disagree = sum(rank[score(q, a, c).outcome] != _plain_counting(tiers, a, c) for a, c in cases)
    if disagree:
        raise SystemExit(f"core scoring disagrees with the plain baseline on {disagree} cases")
    engine = _best(3, lambda: [score(q, a, c) for a, c in cases])
    baseline = _best(3, lambda: [_plain_counting(tiers, a, c) for a, c in cases])
    print(
        f"core scoring throughput: {SCREENINGS / engine:,.0f} screenings/s "
        f"({engine / baseline:.1f}x the time of plain dict counting, "
        f"{SCREENINGS / baseline:,.0f} screenings/s; same {SCREENINGS} answer sets, outcomes agree)"
    )
