"""The screening wizard, drawn at run time from the questionnaire definition."""

from cse_screen.gui.wizard.wizard import ScreeningWizard
from cse_screen.storage.services.drafts import DraftController

__all__ = ["DraftController", "ScreeningWizard"]
