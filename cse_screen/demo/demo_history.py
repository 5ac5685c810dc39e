"""The synthetic histories behind the demo data: answer patterns scored by the core scorer,
and children screened at their review intervals, with events, judgements and drafts.

Deterministic for a seed: one ``random.Random`` drives every choice in a fixed order.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from cse_screen.core import dates, judgement, scoring
from cse_screen.core.model import Questionnaire
from cse_screen.demo.demo_names import FIRST_NAMES, SURNAMES, people
from cse_screen.storage.services.children import name_key
from cse_screen.storage.services.latest import effective_outcome, outcome_rank

PATTERNS_PER_LEVEL = 25
LEVELS = ("none", "low", "moderate", "significant")
LEVEL_WEIGHTS = (0.83, 0.085, 0.055, 0.03)
TEAMS = ("North", "South", "East", "West")


@dataclass(frozen=True)
class Pattern:
    id: int
    level: str
    answers: dict[str, str]


def _risk_answers(q: Questionnaire, rnd: random.Random, level: str) -> dict[str, str]:
    """A full answer set aimed at ``level`` (the scorer decides the real outcome)."""
    answers: dict[str, str] = {}
    for item in q.items:
        if item.kind == "vulnerability":
            answers[item.id] = rnd.choices(("no", "yes", "unknown"), (0.75, 0.2, 0.05))[0]
        else:
            answers[item.id] = "unknown" if rnd.random() < 0.02 else "none"
    by_tier: dict[str, list[str]] = {}
    for item in q.risk_items:
        by_tier.setdefault(item.tier, []).append(item.id)
    if level == "low":
        for item_id in rnd.sample(by_tier["moderate"] + by_tier["low"], rnd.randint(1, 2)):
            answers[item_id] = rnd.choice(("previous", "current"))
    elif level == "moderate":
        for item_id in rnd.sample(by_tier["moderate"], rnd.randint(3, 5)):
            answers[item_id] = rnd.choice(("current", "both"))
    elif level == "significant":
        for item_id in rnd.sample(by_tier["significant"], rnd.randint(1, 2)):
            answers[item_id] = "current"
        for item_id in rnd.sample(by_tier["moderate"], rnd.randint(0, 3)):
            answers[item_id] = "current"
        if rnd.random() < 0.15:
            answers[rnd.choice(by_tier["harm"])] = "previous"
    return answers


def make_patterns(q: Questionnaire, rnd: random.Random) -> list[Pattern]:
    patterns: list[Pattern] = []
    for level in LEVELS:
        for _ in range(PATTERNS_PER_LEVEL):
            patterns.append(Pattern(len(patterns), level, _risk_answers(q, rnd, level)))
    return patterns


class Scorer:
    """Scores each (pattern, age at screening, learning disability) once: the scorer is the
    truth, and its result (explanations, age) is exactly what submitting would store."""

    def __init__(self, q: Questionnaire) -> None:
        self.q = q
        self._cache: dict[tuple[int, int, bool], tuple[str, dict[str, Any]]] = {}

    def outcome(self, pattern: Pattern, age: int, learning: bool) -> tuple[str, dict[str, Any]]:
        key = (pattern.id, age, learning)
        if key not in self._cache:
            screen_day = dt.date(2026, 1, 1)
            dob = screen_day.replace(year=screen_day.year - age)
            context = {"dob": dob.isoformat(), "screen_date": screen_day.isoformat()}
            if learning:
                context["disability"] = "learning"
            result = scoring.score(self.q, pattern.answers, context)
            self._cache[key] = (result.outcome, result.to_dict())
        return self._cache[key]


@dataclass
class Plan:
    """Rows for one chunk of children, ready for bulk insert."""

    children: list[dict[str, Any]]
    screenings: list[dict[str, Any]]
    events: list[dict[str, Any]]
    pattern_of: list[tuple[int, int, int]]  # screening id, pattern id, answered items


class Generator:
    def __init__(self, q: Questionnaire, seed: int, today: dt.date, ids: dict[str, int]) -> None:
        self.q = q
        self.rnd = random.Random(seed)  # noqa: S311 - synthetic data, reproducible by seed
        self.seed = seed
        self.today = today
        self.patterns = make_patterns(q, self.rnd)
        self.by_level = {lv: [p for p in self.patterns if p.level == lv] for lv in LEVELS}
        self.scorer = Scorer(q)
        self.next_id = dict(ids)
        self.workers: list[tuple[str, str]] = []
        self.leads: dict[str, str] = {}
        self.now = dt.datetime.combine(today, dt.time(9, 0))

    def _id(self, table: str) -> int:
        self.next_id[table] += 1
        return self.next_id[table]

    def staff(self, children: int) -> list[dict[str, Any]]:
        """Workers and one lead per team, as user rows (they sign in only once enrolled)."""
        count = min(80, max(4, children // 25))
        rows = []
        for index, (first, last) in enumerate(people(self.rnd, count + len(TEAMS))):
            team = TEAMS[index % len(TEAMS)]
            name = f"{first}.{last}{self.seed}".lower()
            role = "lead" if index < len(TEAMS) else "worker"
            if role == "lead":
                self.leads[team] = name
            else:
                self.workers.append((name, team))
            rows.append(
                {
                    "name": name,
                    "full_name": f"{first} {last}",
                    "role": role,
                    "team": team,
                    "active": True,
                    "created_at": self.now,
                }
            )
        return rows

    def chunk(self, first: int, count: int) -> Plan:
        plan = Plan([], [], [], [])
        for index in range(first, first + count):
            self._child(plan, index)
        return plan

    def _child(self, plan: Plan, index: int) -> None:
        rnd = self.rnd
        child_id = self._id("children")
        age = rnd.randint(8, 17)
        dob = self.today - dt.timedelta(days=age * 365 + rnd.randint(0, 364))
        worker, team = rnd.choice(self.workers)
        first, last = rnd.choice(FIRST_NAMES), rnd.choice(SURNAMES)
        disability = rnd.choices(
            ("None", "Learning", "ASD", "Physical", "Sensory"), (0.72, 0.1, 0.09, 0.06, 0.03)
        )[0]
        start = self.today - dt.timedelta(days=rnd.randint(30, 730))
        ref = f"DEMO{self.seed}-{index:06d}"
        child = {
            "id": child_id,
            "case_ref": ref,
            "name": f"{first} {last}",
            "name_key": name_key(ref, f"{first} {last}"),
            "dob": dob,
            "gender": rnd.choice(("F", "M", "F", "M", "O")),
            "ethnicity": rnd.choices(
                ("WBRI", "MOTH", "BOTH", "AOTH", "WOTH", "NOBT"),
                (0.6, 0.1, 0.1, 0.08, 0.07, 0.05),
            )[0],
            "disability": disability,
            "placement_type": rnd.choices(
                ("U6", "U4", "U3", "K2", "K3", "P1"),
                (0.35, 0.25, 0.15, 0.12, 0.08, 0.05),
            )[0],
            "legal_status": rnd.choices(("C2", "V2", "C1", "E1"), (0.6, 0.25, 0.1, 0.05))[0],
            "worker": worker,
            "team": team,
            "created_at": dt.datetime.combine(start, dt.time(10, 0)),
            "updated_at": self.now,
        }
        plan.children.append(child)
        self._history(plan, child, disability == "Learning", start)

    def _events(
        self, plan: Plan, child: dict[str, Any], start: dt.date
    ) -> list[tuple[dt.date, str]]:
        days: list[tuple[dt.date, str]] = []
        for _ in range(self.rnd.choices((0, 1, 2, 3), (0.8, 0.1, 0.06, 0.04))[0]):
            day = start + dt.timedelta(days=self.rnd.randint(0, (self.today - start).days))
            kind = self.rnd.choice(
                ("missing_episode", "missing_episode", "placement_move", "new_information")
            )
            plan.events.append(
                {
                    "id": self._id("events"),
                    "child_id": child["id"],
                    "kind": kind,
                    "on_date": day,
                    "note": None,
                    "recorded_by": child["worker"],
                    "recorded_at": self.now,
                }
            )
            days.append((day, kind))
        return sorted(days)

    def _history(self, plan: Plan, child: dict[str, Any], learning: bool, start: dt.date) -> None:
        rnd = self.rnd
        level = rnd.choices(LEVELS, LEVEL_WEIGHTS)[0]
        events = self._events(plan, child, start)
        lapsed = rnd.random() < 0.06
        day, trigger = start, "initial"
        latest: dict[str, Any] | None = None
        while day <= self.today and not (lapsed and latest and day > self.today - dt.timedelta(60)):
            latest = self._screening(plan, child, day, trigger, level, learning)
            if rnd.random() < 0.15:
                level = rnd.choices(LEVELS, LEVEL_WEIGHTS)[0]
            nxt = latest["next_due"] + dt.timedelta(days=rnd.randint(-5, 12))
            trigger = "scheduled_review"
            for event_day, kind in events:
                if day < event_day < nxt:
                    nxt, trigger = event_day + dt.timedelta(days=rnd.randint(0, 6)), kind
                    break
            day = nxt
        self._finish_child(plan, child, latest, events, level)

    def _screening(
        self,
        plan: Plan,
        child: dict[str, Any],
        day: dt.date,
        trigger: str,
        level: str,
        learning: bool,
    ) -> dict[str, Any]:
        rnd = self.rnd
        pattern = rnd.choice(self.by_level[level])
        outcome, result = self.scorer.outcome(pattern, dates.age_on(child["dob"], day), learning)
        sid = self._id("screenings")
        at = dt.datetime.combine(day, dt.time(14, 0))
        recent = (self.today - day).days < 21
        status = "submitted" if recent and rnd.random() < 0.6 else "signed_off"
        final, reason, lowered = self._judgement(outcome, status)
        row = {
            "id": sid,
            "child_id": child["id"],
            "instrument_id": self.q.id,
            "instrument_version": self.q.version,
            "instrument_hash": self.q.content_hash,
            "status": status,
            "returned_reason": None,
            "screen_date": day,
            "trigger": trigger,
            "context": {},
            "result": result,
            "computed_outcome": outcome,
            "final_outcome": final,
            "override_reason": reason,
            "needs_signoff": lowered,
            "next_due": dates.next_due(
                self.q, judgement.outcome_in_force(self.q, outcome, final, False), day
            ),
            "created_by": child["worker"],
            "created_at": at,
            "updated_at": at,
            "submitted_at": at,
            "signed_off_by": self.leads[child["team"]] if status == "signed_off" else None,
            "signed_off_at": at + dt.timedelta(days=2) if status == "signed_off" else None,
        }
        plan.screenings.append(row)
        plan.pattern_of.append((sid, pattern.id, len(self.q.items)))
        return row

    def _judgement(self, outcome: str, status: str) -> tuple[str, str | None, bool]:
        """Now and then a worker's judgement lowers a recent outcome: it awaits sign-off."""
        rank = self.q.outcome_rank(outcome)
        if status != "submitted" or rank == 0 or self.rnd.random() > 0.3:
            return outcome, None, False
        lower = next(o.id for o in self.q.outcomes if o.rank == rank - 1)
        decided = judgement.apply_judgement(self.q, outcome, lower, "Synthetic demo reason.")
        return decided.final_outcome, decided.reason, bool(decided.needs_signoff)

    def _finish_child(
        self,
        plan: Plan,
        child: dict[str, Any],
        latest: dict[str, Any] | None,
        events: list[tuple[dt.date, str]],
        level: str,
    ) -> None:
        """The register columns, as refresh_child would set them; sometimes a draft."""
        assert latest is not None
        standing = effective_outcome(
            latest["status"],
            latest["computed_outcome"],
            latest["final_outcome"],
            latest["needs_signoff"],
        )
        child.update(
            latest_screening_id=latest["id"],
            latest_outcome=standing.outcome,
            outcome_rank=outcome_rank(standing.outcome),
            outcome_state=standing.state,
            last_screened=latest["screen_date"],
        )
        later = [d for d, _kind in events if d > latest["screen_date"]]
        child["next_due"] = min([latest["next_due"], *later])
        if self.rnd.random() < 0.03:
            self._draft(plan, child, level)

    def _draft(self, plan: Plan, child: dict[str, Any], level: str) -> None:
        sid = self._id("screenings")
        day = self.today - dt.timedelta(days=self.rnd.randint(0, 5))
        at = dt.datetime.combine(day, dt.time(16, 0))
        plan.screenings.append(
            {
                "id": sid,
                "child_id": child["id"],
                "instrument_id": self.q.id,
                "instrument_version": self.q.version,
                "instrument_hash": self.q.content_hash,
                "status": "draft",
                "returned_reason": None,
                "screen_date": day,
                "trigger": "scheduled_review",
                "context": {},
                "result": None,
                "computed_outcome": None,
                "final_outcome": None,
                "override_reason": None,
                "needs_signoff": False,
                "next_due": None,
                "created_by": child["worker"],
                "created_at": at,
                "updated_at": at,
                "submitted_at": None,
                "signed_off_by": None,
                "signed_off_at": None,
            }
        )
        pattern = self.rnd.choice(self.by_level[level])
        plan.pattern_of.append((sid, pattern.id, self.rnd.randint(5, len(self.q.items) - 5)))
