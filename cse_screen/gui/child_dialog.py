"""Adding or changing a child's details (layout from ui/child_dialog.ui).

Validation is storage's: the dialog sends what was typed and shows storage's sentence inline, so
the rules for a valid child live in one place and the import and the command line agree with it.
The dialog stays open with everything typed when a save is refused.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QWidget

from cse_screen.errors import PermissionDenied, ValidationFailed
from cse_screen.gui.a11y import one_tab_stop
from cse_screen.gui.context import AppContext
from cse_screen.gui.forms.ui_child_dialog import Ui_ChildDialogForm
from cse_screen.gui.theme import set_tone
from cse_screen.storage.records import ChildInput, ChildRecord

#: Combo boxes filled from the questionnaire's context field of the same meaning.
CONTEXT_COMBOS = {
    "genderCombo": "gender",
    "ethnicityCombo": "ethnicity",
    "disabilityCombo": "disability",
    "placementCombo": "placement_type",
    "legalStatusCombo": "legal_status",
}


def _words(option: str) -> str:
    return option.replace("_", " ")


def _fill(combo: QComboBox, options: Sequence[str], current: str | None) -> None:
    """Blank first (not recorded), then the known options; an unknown stored value is kept."""
    combo.clear()
    combo.addItem("", None)
    for option in options:
        combo.addItem(_words(option), option)
    if current and current not in options:
        combo.addItem(_words(current), current)
    index = combo.findData(current) if current else 0
    combo.setCurrentIndex(max(index, 0))


def _value(combo: QComboBox) -> str | None:
    """The chosen option's code, or what was typed when it matches no option."""
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
        self.form.dobEdit.setMaximumDate(QDate.currentDate())
        self.form.buttonBox.accepted.connect(self.save)
        self.form.buttonBox.rejected.connect(self.reject)
        save = self.form.buttonBox.button(QDialogButtonBox.StandardButton.Save)
        save.setObjectName("saveButton")
        self._name_inner_edits()
        one_tab_stop(self.form.dobEdit)
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
            options = fields[field_id].options if field_id in fields else ()
            current = getattr(child, field_id) if child else None
            _fill(getattr(f, combo_name), options, current)
        store = self.ctx.require_store()
        workers, teams = self.ctx.read(lambda s: (s.children.workers(), s.children.teams()))
        me = store.user
        _fill(f.workerCombo, sorted({*workers, me.name}), child.worker if child else me.name)
        own_team = [me.team] if me.team else []
        _fill(f.teamCombo, sorted({*teams, *own_team}), child.team if child else me.team)
        if child is None:
            f.dobEdit.setDate(QDate.currentDate().addYears(-14))
            return
        f.caseRefEdit.setText(child.case_ref)
        f.nameEdit.setText(child.name)
        f.dobEdit.setDate(QDate(child.dob.year, child.dob.month, child.dob.day))

    def details(self) -> ChildInput:
        f = self.form
        return ChildInput(
            case_ref=f.caseRefEdit.text(),
            name=f.nameEdit.text(),
            dob=f.dobEdit.date().toPython(),
            gender=_value(f.genderCombo),
            ethnicity=_value(f.ethnicityCombo),
            disability=_value(f.disabilityCombo),
            placement_type=_value(f.placementCombo),
            legal_status=_value(f.legalStatusCombo),
            worker=_value(f.workerCombo),
            team=_value(f.teamCombo),
        )

    def save(self) -> None:
        """Store the details; a refusal is shown in the dialog, which stays open."""
        details = self.details()
        try:
            if self.child is None:
                record = self.ctx.read(lambda s: s.children.add(details))
            else:
                child_id = self.child.id
                changes = dataclasses.asdict(details)
                record = self.ctx.read(lambda s: s.children.update(child_id, **changes))
        except (ValidationFailed, PermissionDenied) as exc:
            self.show_problem(str(exc))
            return
        except Exception as exc:
            self.ctx.show_error(self, exc)
            return
        self.saved_record = record
        self.accept()

    def show_problem(self, sentence: str) -> None:
        text = sentence[:1].upper() + sentence[1:]
        set_tone(self.form.errorLabel, text if text.endswith(".") else text + ".", "error")
