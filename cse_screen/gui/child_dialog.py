"""Adding or changing a child's details (layout from ui/child_dialog.ui).

Validation is storage's: the dialog asks storage for every problem with what was typed and lists
them together, marking each field and focusing the first, so the rules for a valid child live in
one place and the import and the command line agree with it. The dialog stays open with
everything typed when a save is refused.

Nothing that feeds scoring is guessed: the listed details are chosen from the questionnaire's
choices, never typed (a typed "Learning disability" would not count as ``learning``), and the
date of birth starts blank, since age decides the under-13 floor.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QWidget

from cse_screen.core import codes
from cse_screen.errors import ChildDetailsInvalid, PermissionDenied, ValidationFailed
from cse_screen.gui.context import AppContext
from cse_screen.gui.forms.ui_child_dialog import Ui_ChildDialogForm
from cse_screen.gui.theme import set_tone
from cse_screen.storage.importer import parse_date
from cse_screen.storage.records import ChildInput, ChildRecord
from cse_screen.storage.services.children import child_problems

#: Combo boxes of the child's listed details: the coded ones (see :mod:`cse_screen.core.codes`)
#: from their code lists, disability from the questionnaire's context field.
CONTEXT_COMBOS = {
    "genderCombo": "gender",
    "ethnicityCombo": "ethnicity",
    "disabilityCombo": "disability",
    "placementCombo": "placement_type",
    "legalStatusCombo": "legal_status",
}
#: The form's widget for each field storage may name in a problem.
FIELD_WIDGETS = {
    "case_ref": "caseRefEdit",
    "name": "nameEdit",
    "dob": "dobEdit",
    **{field: combo for combo, field in CONTEXT_COMBOS.items()},
    "worker": "workerCombo",
    "team": "teamCombo",
}
#: A field storage refused, drawn so it stands out whatever the colour scheme.
INVALID_QSS = '*[invalid="true"] { border: 2px solid #c62828; }'


def _words(option: str) -> str:
    return option.replace("_", " ")


def _fill(
    combo: QComboBox,
    options: Sequence[str],
    current: str | None,
    listed_only: bool = False,
    words: Callable[[str], str] = _words,
) -> None:
    """Blank first (not recorded), then the known options as ``words`` shows them; an unknown
    stored value is kept (marked as unlisted when only the listed choices are valid, so it is
    seen and changed)."""
    combo.clear()
    combo.addItem("", None)
    for option in options:
        combo.addItem(words(option), option)
    if current and current not in options:
        words = f"{current} (not a listed choice)" if listed_only else _words(current)
        combo.addItem(words, current)
    index = combo.findData(current) if current else 0
    combo.setCurrentIndex(max(index, 0))


def _value(combo: QComboBox) -> str | None:
    """The chosen option's code, or what was typed (worker and team only) when it matches no
    option."""
    text = combo.currentText().strip()
    if not text:
        return None
    index = combo.findText(text)
    data = combo.itemData(index) if index >= 0 else None
    return str(data) if data else text


class ChildDialog(QDialog):
    """Add a child (``child`` None) or edit one; ``saved_record`` holds the result."""

    def __init__(
        self, ctx: AppContext, child: ChildRecord | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.child = child
        self.saved_record: ChildRecord | None = None
        self.form = Ui_ChildDialogForm()
        self.form.setupUi(self)
        self.setObjectName("childDialog")
        # A title names the action only: the dialog may be seen over a shoulder.
        self.setWindowTitle("Edit child" if child else "Add a child")
        self.form.errorLabel.hide()
        self.setStyleSheet(INVALID_QSS)
        self.form.buttonBox.accepted.connect(self.save)
        self.form.buttonBox.rejected.connect(self.reject)
        save = self.form.buttonBox.button(QDialogButtonBox.StandardButton.Save)
        save.setObjectName("saveButton")
        self._name_inner_edits()
        self._fill(child)
        self.form.caseRefEdit.setFocus()

    def _name_inner_edits(self) -> None:
        """An editable combo's focus lands in its line edit, which screen readers read alone."""
        for combo in self.findChildren(QComboBox):
            if combo.lineEdit() is not None:
                combo.lineEdit().setAccessibleName(combo.accessibleName())

    def _fill(self, child: ChildRecord | None) -> None:
        f = self.form
        questionnaire = self.ctx.questionnaire()
        fields = {field.id: field for field in questionnaire.context_fields}
        for combo_name, field_id in CONTEXT_COMBOS.items():
            current = getattr(child, field_id) if child else None
            combo = getattr(f, combo_name)
            if field_id in codes.RECORD_FIELDS:  # stored as codes, shown as their labels
                listed = [c.code for c in codes.codes(field_id)]
                _fill(combo, listed, current, True, partial(codes.label, field_id))
                continue
            options = fields[field_id].options if field_id in fields else ()
            _fill(combo, options, current, listed_only=True)
        store = self.ctx.require_store()
        workers, teams = self.ctx.read(lambda s: (s.children.workers(), s.children.teams()))
        me = store.user
        _fill(f.workerCombo, sorted({*workers, me.name}), child.worker if child else me.name)
        own_team = [me.team] if me.team else []
        _fill(f.teamCombo, sorted({*teams, *own_team}), child.team if child else me.team)
        if child is None:
            return  # the date of birth stays blank: no guess reaches the under-13 floor
        f.caseRefEdit.setText(child.case_ref)
        f.nameEdit.setText(child.name)
        f.dobEdit.setText(f"{child.dob:%d/%m/%Y}")

    def details(self) -> ChildInput:
        f = self.form
        return ChildInput(
            case_ref=f.caseRefEdit.text(),
            name=f.nameEdit.text(),
            dob=parse_date(f.dobEdit.text()),  # type: ignore[arg-type]  # None: not a date
            gender=_value(f.genderCombo),
            ethnicity=_value(f.ethnicityCombo),
            disability=_value(f.disabilityCombo),
            placement_type=_value(f.placementCombo),
            legal_status=_value(f.legalStatusCombo),
            worker=_value(f.workerCombo),
            team=_value(f.teamCombo),
        )

    def problems(self) -> list[tuple[str, str]]:
        """Every problem storage finds with the form as it stands, as (field, sentence)."""
        store = self.ctx.require_store()
        _values, found = child_problems(
            self.details(), store.context.today(), self.ctx.questionnaire()
        )
        typed = self.form.dobEdit.text().strip()
        if typed and parse_date(typed) is None:
            sentence = "the date of birth is not a date written as dd/mm/yyyy"
            found = [(f, sentence if f == "dob" else s) for f, s in found]
        return found

    def save(self) -> None:
        """Store the details; refusals are listed in the dialog, which stays open."""
        problems = self.problems()
        if problems:
            self.show_problems(problems)
            return
        details = self.details()
        try:
            if self.child is None:
                record = self.ctx.read(lambda s: s.children.add(details))
            else:
                child_id = self.child.id
                changes = dataclasses.asdict(details)
                record = self.ctx.read(lambda s: s.children.update(child_id, **changes))
        except ChildDetailsInvalid as exc:
            self.show_problems(list(exc.problems))
            return
        except (ValidationFailed, PermissionDenied) as exc:
            self.show_problem(str(exc))
            return
        except Exception as exc:
            self.ctx.show_error(self, exc)
            return
        self.saved_record = record
        self.accept()

    def show_problem(self, sentence: str) -> None:
        self.show_problems([("", sentence)])

    def show_problems(self, problems: Sequence[tuple[str, str]]) -> None:
        """List every problem at once, mark each field named, and focus the first of them."""
        lines = []
        for _field, sentence in problems:
            text = sentence[:1].upper() + sentence[1:]
            lines.append(text if text.endswith(".") else text + ".")
        set_tone(self.form.errorLabel, "\n".join(lines), "error")
        marked = [FIELD_WIDGETS[f] for f, _s in problems if f in FIELD_WIDGETS]
        for name in FIELD_WIDGETS.values():
            self._mark(getattr(self.form, name), name in marked)
        if marked:
            getattr(self.form, marked[0]).setFocus(Qt.FocusReason.OtherFocusReason)

    @staticmethod
    def _mark(widget: QWidget, invalid: bool) -> None:
        if bool(widget.property("invalid")) == invalid:
            return
        widget.setProperty("invalid", invalid)
        widget.setAccessibleDescription("Needs correcting: see the list below" if invalid else "")
        widget.style().unpolish(widget)
        widget.style().polish(widget)
