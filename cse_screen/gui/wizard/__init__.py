"""The screening wizard, drawn at run time from the questionnaire definition."""

from cse_screen.gui.wizard.draft import DraftController
from cse_screen.gui.wizard.wizard import ScreeningWizard

__all__ = ["DraftController", "ScreeningWizard"]
