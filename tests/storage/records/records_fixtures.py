"""Helpers for the records tests: real encrypted databases with a small council in them.

North team: lead ``lena`` (lead), workers ``wes`` and ``wynn``; South team: lead ``sam``,
worker ``sue``; administrator ``ada``. Children: N1 and N2 allocated to wes, N3 to wynn,
S1 to sue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cse_screen.core.model import Questionnaire
from cse_screen.storage.records import ChildInput
from cse_screen.vault.store import Store

PASSWORD = 'pässword "quoted" @/:'
ADMIN = "ada"
PEOPLE = {
    "lena": ("lead", "North"),
    "wes": ("worker", "North"),
    "wynn": ("worker", "North"),
    "sam": ("lead", "South"),
    "sue": ("worker", "South"),
}
CHILDREN = {
    "N1": ("Amelia Ashdown", dt.date(2012, 5, 1), "wes"),
    "N2": ("Tyler Brereton", dt.date(2015, 2, 3), "wes"),
    "N3": ("Jade Coldharbour", dt.date(2010, 9, 9), "wynn"),
    "S1": ("Kian Dunmore", dt.date(2011, 1, 20), "sue"),
}


def complete_answers(q: Questionnaire, **chosen: str) -> dict[str, str]:
    """Every item answered absent ("none"/"no"), with ``chosen`` items overriding."""
    answers = {i.id: ("no" if "no" in i.values else "none") for i in q.items}
    answers.update(chosen)
    return answers


@dataclass
class Council:
    path: Path
    ids: dict[str, int] = field(default_factory=dict)
    _open: list[Store] = field(default_factory=list)

    def open(self, user: str = ADMIN) -> Store:
        store = Store.open(self.path, user, PASSWORD)
        self._open.append(store)
        return store

    def screen(
        self,
        user: str,
        ref: str,
        q: Questionnaire,
        answers: Mapping[str, str],
        day: dt.date | None = None,
        submit: bool = True,
    ) -> int:
        store = self.open(user)
        draft = store.screenings.start_draft(self.ids[ref], q, screen_date=day)
        store.screenings.save_answers(draft.id, answers)
        if submit:
            store.screenings.submit(draft.id)
        return draft.id

    def close(self) -> None:
        for store in self._open:
            store.close()


def build_council(path: Path) -> Council:
    council = Council(path)
    with Store.create(path, ADMIN, PASSWORD, full_name="Ada Admin") as admin:
        for name, (role, team) in PEOPLE.items():
            admin.users.add(name, PASSWORD, role, team=team)
        for ref, (name, dob, worker) in CHILDREN.items():
            record = admin.children.add(ChildInput(ref, name, dob, worker=worker))
            council.ids[ref] = record.id
    return council
